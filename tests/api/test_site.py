"""The page, its vendored libraries and the OpenAPI docs are served by the same app, with
nothing fetched from a CDN."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from eventscope.api import create_app
from eventscope.web import STATIC_DIR


def test_the_page_is_served_at_the_root(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<section id="map">' in response.text


def test_every_script_and_stylesheet_is_local_and_served(client: TestClient) -> None:
    page = client.get("/").text
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and not [a for a in assets if a.startswith(("http:", "https:", "//"))]
    for asset in assets:
        if asset.startswith("data:"):
            continue
        assert client.get("/" + asset).status_code == 200, asset


def test_the_vendored_libraries_carry_their_licences() -> None:
    vendor = STATIC_DIR / "vendor"
    for library in ("leaflet", "leaflet.markercluster", "world-atlas", "topojson-client"):
        assert (vendor / library / "LICENSE").is_file(), library
    assert (vendor / "world-atlas" / "countries-50m.json").stat().st_size > 100_000


def test_no_page_script_reaches_for_the_network() -> None:
    for script in (STATIC_DIR / "js").glob("*.js"):
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", script.read_text()), script


def test_openapi_documents_the_filters(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    names = {p["name"] for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    assert {"type", "bbox", "near", "q", "since", "until", "limit", "cursor", "format"} <= names


def test_the_docs_page_works_offline(client: TestClient) -> None:
    page = client.get("/docs").text
    assets = re.findall(r"(?:src|href)=\"([^\"]+)\"|url: '([^']+)'", page)
    local = [a or b for a, b in assets]
    assert "openapi.json" in local
    assert not [a for a in local if a.startswith(("http:", "https:", "//"))], local
    for asset in local:
        if not asset.startswith("data:"):
            assert client.get("/" + asset).status_code == 200, asset


def test_the_page_learns_the_tile_url_from_the_server(db: Path) -> None:
    with TestClient(create_app(str(db), tiles="https://tiles.example.org/{z}/{x}/{y}.png"),
                    base_url="http://localhost") as c:
        assert c.get("/api/config").json()["tiles"] == "https://tiles.example.org/{z}/{x}/{y}.png"


def test_unknown_paths_are_json_404(client: TestClient) -> None:
    response = client.get("/api/evnts")
    assert response.status_code == 404
    assert response.json() == {"error": "/api/evnts: no such page or endpoint"}


def test_wrong_method_is_405_in_json(client: TestClient) -> None:
    response = client.delete("/api/events")
    assert response.status_code == 405
    assert "DELETE /api/events" in response.json()["error"]
