"""The page as an analyst meets it, driven in Debian's Chromium: markers on the map, the
type filter, the timeline brush, an event opened with its evidence highlighted, a shared
link, and ten thousand events at once. Screenshots go to build/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from typer.testing import CliRunner
from webdata import SCREENSHOTS, Served, fill, serve

from eventscope.cli import app as cli
from eventscope.store import Store

pytestmark = pytest.mark.browser
OUTLINES = ".leaflet-overlay-pane path:not(.leaflet-interactive)"  # markers are interactive


def fmt(n: int) -> str:
    return f"{n:,} event{'' if n == 1 else 's'}"


def api_total(served: Served, query: str = "") -> int:
    return int(httpx.get(f"{served.url}api/stats?{query}").json()["total"])


def hash_params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).fragment)


def settled(page: Page) -> None:
    """Wait until the counts are in, the markers loaded and the map done animating (while
    a zoom animates, the clusters of both zoom levels are on the page)."""
    page.wait_for_function(
        "() => document.querySelector('#count').dataset.total !== undefined"
        " && document.querySelector('#status').textContent !== 'Loading…'"
        " && !document.querySelector('.leaflet-zoom-anim, .leaflet-cluster-anim')"
    )


def cluster_total(page: Page) -> int:
    labels = page.locator(".cluster span").all_text_contents()
    return sum(int(t) for t in labels)


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.fixture()
def page(browser: Browser, served: Served) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 860})
    page = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith((served.url, "data:"))
            else outside.append(r.url))
    page.goto(served.url)
    settled(page)
    yield page
    context.close()
    assert errors == [], errors
    assert outside == [], f"the page reached beyond its server: {outside}"


def test_markers_show_every_event(page: Page, served: Served) -> None:
    expect(page.locator("#count")).to_have_text(fmt(served.events))
    shot(page, "01-overview")
    assert page.locator(OUTLINES).count() > 100
    assert cluster_total(page) == served.events
    assert page.locator("#list li").count() == 50
    expect(page.locator("#pager [data-label]")).to_have_text(f"1–50 of {served.events}")


def test_filtering_by_type_changes_count_map_and_url(page: Page, served: Served) -> None:
    protests = api_total(served, "type=PROTEST")
    assert 0 < protests < served.events
    row = page.locator("#legend li", has_text="PROTEST")
    row.hover()
    row.locator(".only").click()
    expect(page.locator("#count")).to_have_text(fmt(protests))
    settled(page)
    shot(page, "02-type-protest")
    assert hash_params(page.url)["type"] == ["PROTEST"]
    assert cluster_total(page) == protests
    assert set(page.locator("#list li .type").all_text_contents()) == {"PROTEST"}
    # Ticking a second type in the legend adds it.
    page.locator("#legend li", has_text="COERCE").locator("input").check()
    expect(page.locator("#count")).to_have_text(fmt(api_total(served, "type=PROTEST,COERCE")))
    assert hash_params(page.url)["type"] == ["PROTEST,COERCE"]


def test_brushing_the_timeline_sets_the_window(page: Page, served: Served) -> None:
    box = page.locator("#timeline svg").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.3, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.6, y, steps=8)
    page.mouse.up()
    expect(page.locator("#clear-window")).to_be_visible()
    params = hash_params(page.url)
    since, until = params["since"][0], params["until"][0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", since) and since < until
    in_window = api_total(served, f"since={since}&until={until}")
    assert 0 < in_window < served.events
    expect(page.locator("#count")).to_have_text(fmt(in_window))
    expect(page.locator("#window")).to_have_text(f"{since} – {until}")
    settled(page)
    shot(page, "03-brushed")
    dates = page.locator("#list li .date").all_text_contents()
    assert dates and all(since <= d <= until for d in dates)
    page.locator("#clear-window").click()
    expect(page.locator("#count")).to_have_text(fmt(served.events))


def test_opening_an_event_highlights_its_evidence(page: Page) -> None:
    row = page.locator("#list li").nth(4)
    sentence = row.locator(".sentence").text_content()
    row.click()
    mark = page.locator("#detail mark")
    expect(mark).to_have_text(sentence)
    expect(page.locator("#detail")).to_contain_text("precision 1: the site itself")
    panel = page.locator("#detail").bounding_box()
    marked = mark.bounding_box()
    assert panel and marked
    assert panel["y"] <= marked["y"]
    assert marked["y"] + marked["height"] <= panel["y"] + panel["height"]
    assert "event" in hash_params(page.url)
    shot(page, "04-event-open")
    page.locator("#detail [data-close]").click()
    expect(page.locator("#detail")).to_be_hidden()


def test_clicking_a_marker_opens_its_event(browser: Browser, served: Served) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 860})
    page.goto(f"{served.url}#map=12/34.889/35.886")  # close in on Tartus: single markers
    settled(page)
    marker = page.locator(".leaflet-overlay-pane path.leaflet-interactive").first
    marker.click()
    expect(page.locator("#detail mark")).to_be_visible()
    event_id = hash_params(page.url)["event"][0]
    event = httpx.get(f"{served.url}api/events/{event_id}").json()["event"]
    assert event["location"]["name"] == "Tartus"
    expect(page.locator("#detail mark")).to_have_text(event["evidence"]["sentence"])
    shot(page, "05-marker-clicked")
    page.close()


def test_a_shared_link_restores_the_view(page: Page, served: Served, browser: Browser) -> None:
    first = httpx.get(f"{served.url}api/events?type=ASSAULT&negated=true&limit=1").json()
    event = first["events"][0]
    link = f"{served.url}#type=ASSAULT&negated=true&event={event['event_id']}"
    other = browser.new_page(viewport={"width": 1400, "height": 860})
    other.goto(link)
    settled(other)
    expected = api_total(served, "type=ASSAULT&negated=true")
    expect(other.locator("#count")).to_have_text(fmt(expected))
    expect(other.locator("#detail mark")).to_have_text(event["evidence"]["sentence"])
    expect(other.locator("#detail .badge.negated")).to_be_visible()
    assert other.locator("select[name=negated]").input_value() == "true"
    shot(other, "06-shared-link")
    other.close()


def test_text_and_confidence_filters(page: Page, served: Served) -> None:
    page.fill("input[name=q]", "truce")
    page.locator("input[name=q]").press("Enter")
    expect(page.locator("#count")).to_have_text(fmt(api_total(served, "q=truce")))
    page.locator("input[name=min_confidence]").fill("0.8")
    expected = api_total(served, "q=truce&min_confidence=0.8")
    expect(page.locator("#count")).to_have_text(fmt(expected))
    assert hash_params(page.url)["min_confidence"] == ["0.8"]


def test_only_the_maps_area(browser: Browser, served: Served) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 860})
    page.goto(f"{served.url}#inview=1&map=6/35.2/36.0")  # the Syrian coast
    settled(page)
    expect(page.locator("input[name=inview]")).to_be_checked()
    syria = api_total(served, "country=SYR")
    coast = int(page.locator("#count").get_attribute("data-total") or 0)
    assert 0 < coast <= syria < served.events
    places = {t.rsplit(" · ", 1)[-1] for t in page.locator("#list li .who").all_text_contents()}
    assert places <= {"Tartus", "Latakia", "Aleppo"}
    page.close()


def test_a_tile_server_replaces_the_outlines(browser: Browser, served: Served) -> None:
    for tiled in serve(served.db, served.events, tiles="/tiles/{z}/{x}/{y}.png"):
        page = browser.new_page(viewport={"width": 1000, "height": 700})
        page.goto(tiled.url)
        settled(page)
        sources = page.locator("img.leaflet-tile").evaluate_all("imgs => imgs.map(i => i.src)")
        assert sources and all(s.startswith(f"{tiled.url}tiles/") for s in sources)
        assert page.locator(OUTLINES).count() == 0
        expect(page.locator(".leaflet-control-attribution")).to_contain_text("Tiles: 127.0.0.1")
        page.close()


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    db = tmp_path_factory.mktemp("crowded") / "events.db"
    yield from serve(db, fill(db, 3400))


def test_ten_thousand_events_load_into_clusters(browser: Browser, crowded: Served) -> None:
    assert crowded.events >= 10_000
    page = browser.new_page(viewport={"width": 1400, "height": 860})
    page.goto(crowded.url)
    settled(page)
    expect(page.locator("#count")).to_have_text(fmt(crowded.events))
    assert page.locator("#status").text_content() == ""  # no "map shows the first ..." note
    assert cluster_total(page) == crowded.events
    assert page.locator("#list li").count() == 50  # the list pages; the map clusters
    shot(page, "07-ten-thousand")
    zoom = int(hash_params(page.url)["map"][0].split("/")[0])
    box = page.locator("#map").bounding_box()
    assert box
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -120)  # the map still answers with every marker loaded
    page.wait_for_function(f"() => !location.hash.includes('map={zoom}%2F')")
    page.close()


def test_a_bad_filter_value_is_reported_in_one_line(page: Page) -> None:
    page.fill("input[name=country]", "12")
    page.locator("input[name=country]").press("Enter")
    expect(page.locator("#status.error")).to_have_text(
        "country '12': expected a code such as SYR (ISO 3166-1 alpha-3)"
    )


def test_the_api_docs_render_offline(browser: Browser, served: Served) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((served.url, "data:"))
            else outside.append(r.url))
    page.goto(f"{served.url}docs")
    expect(page.locator(".opblock-summary-path", has_text="/api/events/{event_id}")).to_be_visible()
    shot(page, "08-api-docs")
    assert outside == []
    page.close()


@pytest.fixture(scope="module")
def examples(examples_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The project's example articles through the real pipeline (`eventscope ingest`)."""
    db = tmp_path_factory.mktemp("examples") / "events.db"
    result = CliRunner().invoke(cli, ["ingest", str(examples_dir), "--db", str(db)])
    assert result.exit_code == 0, result.output
    with Store(db, read_only=True) as store:
        total = store.count()
    yield from serve(db, total)


def test_extracted_example_events_open_with_their_evidence(
    browser: Browser, examples: Served
) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 860})
    page.goto(examples.url)
    settled(page)
    expect(page.locator("#count")).to_have_text(fmt(examples.events))
    features = httpx.get(f"{examples.url}api/events?format=geojson&limit=500").json()["features"]
    placed = sum(1 for f in features if f["geometry"])
    singles = page.locator(".leaflet-overlay-pane path.leaflet-interactive").count()
    assert placed > 0
    assert cluster_total(page) + singles == placed  # every placed event is on the map
    row = page.locator("#list li").first
    row.click()
    first = httpx.get(f"{examples.url}api/events?limit=1&order=newest").json()["events"][0]
    expect(page.locator("#detail mark")).to_have_text(first["evidence"]["sentence"])
    shot(page, "09-examples")
    page.close()
