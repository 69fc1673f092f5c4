"""The page and the API docs under the server's Content-Security-Policy (issue 12): no
violation reported, the markers still drawn, Swagger UI still rendered."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser
from webdata import Served

pytestmark = pytest.mark.browser


def violations(browser: Browser, url: str, ready: str) -> list[str]:
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    reported: list[str] = []
    page.on("console", lambda m: reported.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.goto(url)
    page.wait_for_selector(ready, timeout=20_000)
    page.wait_for_timeout(300)  # late violations (icons, styles set after load)
    context.close()
    return reported


def test_the_page_runs_within_its_policy(browser: Browser, served: Served) -> None:
    assert violations(browser, served.url, ".cluster span, .leaflet-marker-icon") == []


def test_the_api_docs_run_within_their_policy(browser: Browser, served: Served) -> None:
    assert violations(browser, served.url + "docs", ".swagger-ui .opblock") == []


def test_a_stored_url_that_is_not_http_is_shown_as_text(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A store written before ingest refused such URLs may hold one: the page shows it
    and links nothing."""
    from webdata import serve

    from eventscope.record import Article, Event, Evidence, make_event_id
    from eventscope.store import Store

    db = tmp_path_factory.mktemp("oldurl") / "events.db"
    article = Article(text="Crowds marched in Lima.", url="javascript:alert(document.domain)",
                      published="2024-02-07")
    event = Event(event_id=make_event_id(article.article_id, 0, 23, "PROTEST"),
                  event_type="PROTEST", confidence=0.7, date="2024-02-07",
                  evidence=Evidence(sentence=article.text, start=0, end=23, trigger="marched"),
                  article=article.ref())
    with Store(db) as store:
        store.add(article, [event])
    for served in serve(db, 1):
        context = browser.new_context()
        page = context.new_page()
        page.goto(served.url)
        page.locator("#list li").first.click()
        page.wait_for_selector("#detail mark")
        assert page.locator("#detail a[href^='javascript']").count() == 0
        assert "javascript:alert(document.domain)" in page.locator("#detail").inner_text()
        context.close()
