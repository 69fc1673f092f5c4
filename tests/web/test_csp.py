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
