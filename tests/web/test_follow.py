"""The page for following the news: newest events first, the timeline on the recent span
(one stray old date does not squash the months of news), and the watchlists with their
unseen matches, a click applying a watchlist's filters."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from webdata import Served, fill, serve

from eventscope.record import Article, Event, Evidence, make_event_id
from eventscope.store import Store
from eventscope.store import watch as tables
from eventscope.store.filter import Filter

pytestmark = pytest.mark.browser
STRAY = "1998-03-02"


def stray_report() -> tuple[Article, list[Event]]:
    """A report with a date decades before the rest (a mis-dated archive page)."""
    text = "Students marched in Lima against the new fees."
    article = Article(text=text, title="Archive: student march", published=STRAY)
    return article, [Event(
        event_id=make_event_id(article.article_id, 0, len(text), "PROTEST"),
        event_type="PROTEST", date=STRAY, date_precision="day", confidence=0.7,
        evidence=Evidence(sentence=text, start=0, end=len(text), trigger="marched"),
        article=article.ref())]


@pytest.fixture(scope="module")
def following(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    db = tmp_path_factory.mktemp("follow") / "events.db"
    with Store(db) as store:
        tables.add_watchlist(store, "protests", Filter(types=("PROTEST",)))
        tables.add_watchlist(store, "kenya", Filter(country="KEN"), [
            tables.Delivery("webhook", "https://hooks.example/k")])
    n = fill(db, 60)
    with Store(db) as store:
        article, events = stray_report()
        store.add(article, events)
        tables.match_new_events(store)
    yield from serve(db, n + 1)


@pytest.fixture
def page(browser: Browser, following: Served) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 860})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(following.url)
    page.wait_for_function("() => document.querySelector('#count').dataset.total !== undefined"
                           " && document.querySelectorAll('#list li').length > 0")
    yield page
    context.close()
    assert errors == [], errors


def test_the_list_opens_on_the_latest_events(page: Page, following: Served) -> None:
    by_day = httpx.get(f"{following.url}api/stats").json()["by_day"]
    dates = page.locator("#list li .date").all_text_contents()
    assert dates[0] == max(by_day) and dates == sorted(dates, reverse=True)
    assert STRAY not in dates


def test_the_timeline_opens_on_the_recent_span(page: Page, following: Served) -> None:
    by_day = httpx.get(f"{following.url}api/stats").json()["by_day"]
    bars = page.locator("#timeline svg .bars rect")
    expect(bars).to_have_count(len(by_day) - 1)  # all but the stray day
    more = page.locator("#timeline-all")
    expect(more).to_have_text(f"+1 earlier (from {STRAY}): show all")
    more.click()
    expect(bars).to_have_count(len(by_day))
    expect(more).to_have_text("recent span only")
    more.click()
    expect(bars).to_have_count(len(by_day) - 1)


def test_watchlists_show_unseen_matches_and_apply_their_filters(
    page: Page, following: Served
) -> None:
    lists = {w["name"]: w for w in httpx.get(f"{following.url}api/watchlists").json()}
    panel = page.locator("#watchlists")
    expect(panel.locator("button[data-name=protests] .unseen")).to_have_text(
        str(lists["protests"]["unseen"]))
    expect(panel.locator("button[data-name=kenya] .unseen")).to_have_text(
        str(lists["kenya"]["unseen"]))
    panel.locator("button[data-name=kenya]").click()
    total = httpx.get(f"{following.url}api/stats?country=KEN").json()["total"]
    expect(page.locator("#count")).to_have_text(f"{total:,} events")
    assert parse_qs(urlsplit(page.url).fragment)["country"] == ["KEN"]
    expect(panel.locator("button[data-name=kenya] .unseen")).to_have_count(0)
    expect(panel.locator("button[data-name=protests] .unseen")).to_have_count(1)
    page.reload()  # the mark is kept in this browser
    expect(panel.locator("button[data-name=protests] .unseen")).to_have_count(1)
    expect(panel.locator("button[data-name=kenya] .unseen")).to_have_count(0)
