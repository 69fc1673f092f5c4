"""Incidents on the page: the Events | Incidents toggle kept in the link, one marker per
incident sized by its outlets, the list of incidents, and an incident's reports side by
side. The reports are written for this test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect
from webdata import SCREENSHOTS, Served, serve

from eventscope.record import Actor, Article, Event, Evidence, Location, make_event_id
from eventscope.store import Store

pytestmark = pytest.mark.browser

KUMASI = Location(text="Kumasi", name="Kumasi", geonameid=2298890, country="GHA",
                  admin1="Ashanti", lat=6.688, lon=-1.624, feature_code="PPL", precision=1)
CUSCO = Location(text="Cusco", name="Cusco", geonameid=3941584, country="PER",
                 admin1="Cusco", lat=-13.525, lon=-71.972, feature_code="PPL", precision=1)
MARKET = "Kumasi market fire"


def report(text: str, sentence: str, trigger: str, etype: str, where: Location, day: str,
           title: str, outlet: str, actor: str) -> tuple[Article, list[Event]]:
    article = Article(text=text, title=title, outlet=outlet, published=day,
                      url=f"https://{outlet}/news/{day}")
    start = text.index(sentence)
    end = start + len(sentence)
    return article, [Event(
        event_id=make_event_id(article.article_id, start, end, etype),
        event_type=etype, actor=Actor(text=actor, country=where.country, sector="UNK"),
        location=where, date=day, date_precision="day", confidence=0.8,
        evidence=Evidence(sentence=sentence, start=start, end=end, trigger=trigger),
        article=article.ref())]


def store_reports(db: Path) -> int:
    """Two outlets reporting one arson at Kumasi's Kejetia market, and a march in Cusco."""
    first = ("Arsonists set fire to stalls at Kejetia market in Kumasi on Tuesday night. "
             "Fire officer Kwame Boateng said 40 stalls burned.")
    second = ("Kejetia market traders counted their losses after arsonists set fire to 40 "
              "stalls in Kumasi on Tuesday, fire officer Kwame Boateng said.")
    third = "Farmers marched through Cusco on Tuesday against the new water tariff."
    reports = [
        report(first, first.split(". ")[0] + ".", "set fire", "ASSAULT", KUMASI,
               "2025-03-04", "Fire at Kejetia market", "ghanaweekly.example", "Arsonists"),
        report(second, second, "set fire", "ASSAULT", KUMASI, "2025-03-04",
               "Traders count losses after market arson", "accradaily.example", "arsonists"),
        report(third, third, "marched", "PROTEST", CUSCO, "2025-03-04",
               "Farmers march in Cusco", "andesnews.example", "Farmers"),
    ]
    with Store(db) as store:
        return sum(len(found) for article, found in reports if store.add(article, found))


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    db = tmp_path_factory.mktemp("incidents") / "events.db"
    yield from serve(db, store_reports(db))


@pytest.fixture
def page(browser: Browser, reported: Served) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 860})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(reported.url)
    page.wait_for_function("() => document.querySelector('#count').dataset.total === '3'"
                           " && document.querySelectorAll('#list li').length === 3")
    settled(page)
    yield page
    context.close()
    assert errors == [], errors


def settled(page: Page) -> None:
    """Wait until the markers are loaded and the map has stopped moving."""
    page.wait_for_function(
        "() => document.querySelector('#status').textContent !== 'Loading…'"
        " && !document.querySelector('.leaflet-zoom-anim, .leaflet-cluster-anim')")


def markers(page: Page) -> list[float]:
    """The radius of each marker drawn on the map, largest first."""
    radii = page.locator(".leaflet-overlay-pane path.leaflet-interactive").evaluate_all(
        "paths => paths.map(p => p.getBBox().width / 2)")
    return sorted(radii, reverse=True)


def test_incidents_one_marker_each_sized_by_sources(page: Page, reported: Served) -> None:
    # events view as before: the two Kumasi reports share a cluster, Cusco stands alone
    expect(page.locator(".cluster span")).to_have_text(["2"])
    assert len(markers(page)) == 1
    page.get_by_role("radio", name="Incidents").check()
    expect(page.locator("#count")).to_have_text("2 incidents")
    settled(page)
    assert parse_qs(urlsplit(page.url).fragment)["view"] == ["incidents"]
    page.wait_for_function("() => document.querySelectorAll('#list li.incident').length === 2")
    radii = markers(page)
    assert len(radii) == 2
    assert radii[0] > radii[1]  # two outlets draw a larger circle than one

    arson = page.locator("#list li.incident", has_text="ASSAULT")
    expect(arson.locator(".sources")).to_have_text("2 sources")
    expect(arson.locator(".articles")).to_have_text("2 reports")
    expect(arson).to_contain_text("Kumasi")
    expect(page.locator("#list li.incident", has_text="PROTEST").locator(".sources")
           ).to_have_text("1 source")

    arson.click()
    detail = page.locator("#detail")
    expect(detail.locator("[data-sources]")).to_have_text("2 sources")
    reports = detail.locator(".report")
    expect(reports).to_have_count(2)
    outlets = sorted(reports.locator(".outlet").all_text_contents())
    assert outlets == ["accradaily.example", "ghanaweekly.example"]
    titles = sorted(reports.locator(".title").all_text_contents())
    assert titles == ["Fire at Kejetia market", "Traders count losses after market arson"]
    evidence = reports.locator(".evidence").all_text_contents()
    assert len(evidence) == 2 and all("set fire" in e for e in evidence)
    first, second = (reports.nth(i).bounding_box() for i in range(2))
    assert first and second
    # side by side: the same row, the second to the right of the first
    assert abs(first["y"] - second["y"]) < 2 and second["x"] >= first["x"] + first["width"]
    assert "incident=" in urlsplit(page.url).fragment
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "incidents.png"))

    # the link restores the view; events come back as they were
    page.reload()
    expect(page.locator("#count")).to_have_text("2 incidents")
    expect(page.locator("#detail .report")).to_have_count(2)
    page.get_by_role("radio", name="Events").check()
    expect(page.locator("#count")).to_have_text("3 events")
    expect(page.locator("#detail")).to_be_hidden()
    assert "view" not in parse_qs(urlsplit(page.url).fragment)
