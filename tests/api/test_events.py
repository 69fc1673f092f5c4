"""GET /api/events: filters, stable cursor paging, formats, and errors that name the
parameter and the value."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sample_articles import all_events


def ids(client: TestClient, query: str = "") -> list[str]:
    response = client.get(f"/api/events?{query}")
    assert response.status_code == 200, response.text
    return [e["event_id"] for e in response.json()["events"]]


def types(client: TestClient, query: str) -> list[str]:
    return sorted(e["event_type"] for e in client.get(f"/api/events?{query}").json()["events"])


def test_records_follow_the_event_record_contract(client: TestClient) -> None:
    body = client.get("/api/events").json()
    assert body["next_cursor"] is None
    mobilize = next(e for e in body["events"] if e["event_type"] == "MOBILIZE")
    assert mobilize["actor"] == {"text": "Russian military vehicles", "name": "Russia",
                                 "country": "RUS", "sector": "MIL", "implied": False}
    assert mobilize["location"]["name"] == "Tartus"
    assert mobilize["attribution"] == "witnesses"
    assert mobilize["article"]["title"] == "Convoys seen on the coast road"


def test_events_come_by_date_then_id_undated_first(client: TestClient) -> None:
    events = client.get("/api/events").json()["events"]
    keys = [(e["date"] or "", e["event_id"]) for e in events]
    assert keys == sorted(keys)
    assert events[0]["date"] is None
    assert len(events) == len(all_events())


def test_type_is_repeatable_and_comma_separated(client: TestClient) -> None:
    assert types(client, "type=PROTEST&type=COERCE") == ["COERCE", "PROTEST"]
    assert types(client, "type=protest,coerce") == ["COERCE", "PROTEST"]


@pytest.mark.parametrize(("query", "expected"), [
    ("actor=RUS", ["MOBILIZE"]),
    ("actor=police", ["ASSAULT", "COERCE"]),
    ("country=KEN", ["ASSAULT", "COERCE", "PROTEST"]),
    ("sector=GOV", ["ACCUSE"]),
    ("since=2024-12-01", ["MOBILIZE", "RETREAT"]),
    ("until=2024-06", ["ASSAULT", "COERCE", "PROTEST"]),
    ("bbox=35,34,37,36", ["MOBILIZE", "RETREAT"]),
    ("near=-1.3,36.8,20", ["ASSAULT", "COERCE", "PROTEST"]),
    ("q=tear gas", ["COERCE"]),
    ("q=finance", ["ASSAULT", "COERCE", "PROTEST"]),  # words of the article title
    ("min_confidence=0.8", ["MOBILIZE", "PROTEST"]),
    ("hedged=true", ["RETREAT"]),
    ("negated=true", ["ASSAULT"]),
    ("type=ASSAULT&negated=false", []),
    ("country=KEN&type=PROTEST&since=2024-06-25&until=2024-06-25", ["PROTEST"]),
])
def test_filters(client: TestClient, query: str, expected: list[str]) -> None:
    assert types(client, query) == expected


def test_cursor_pages_cover_everything_once_in_order(client: TestClient) -> None:
    everything = ids(client)
    seen: list[str] = []
    cursor = None
    while True:
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(f"/api/events?{query}").json()
        assert len(body["events"]) <= 2
        seen += [e["event_id"] for e in body["events"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == everything


def test_geojson_has_points_in_lon_lat_order(client: TestClient) -> None:
    response = client.get("/api/events?format=geojson&type=MOBILIZE")
    assert response.headers["content-type"].startswith("application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [35.886, 34.889]}
    assert feature["properties"]["event_type"] == "MOBILIZE"


def test_geojson_keeps_unlocated_events_with_null_geometry(client: TestClient) -> None:
    [feature] = client.get("/api/events?format=geojson&type=ACCUSE").json()["features"]
    assert feature["geometry"] is None


def test_csv_has_acled_columns_and_the_cursor_in_a_header(client: TestClient) -> None:
    response = client.get("/api/events?format=csv&limit=2")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 2
    assert {"event_date", "event_type", "latitude", "longitude"} <= set(rows[0])
    following = client.get(f"/api/events?limit=2&cursor={response.headers['x-next-cursor']}")
    assert following.status_code == 200
    assert following.json()["events"][0]["event_id"] not in {r["event_id_cnty"] for r in rows}


@pytest.mark.parametrize(("query", "named"), [
    ("bbox=35,34,37", "bbox '35,34,37'"),
    ("bbox=37,34,35,36", "bbox '37,34,35,36'"),
    ("near=34.9,35.9", "near '34.9,35.9'"),
    ("type=RIOT", "type 'RIOT'"),
    ("since=yesterday", "since 'yesterday'"),
    ("since=2024-12-20&until=2024-12-01", "since '2024-12-20'"),
    ("min_confidence=high", "min_confidence 'high'"),
    ("hedged=maybe", "hedged 'maybe'"),
    ("sector=ARMY", "sector 'ARMY'"),
    ("limit=0", "limit '0'"),
    ("limit=100000", "limit '100000'"),
    ("format=xml", "format 'xml'"),
    ("cursor=not-a-cursor", "cursor 'not-a-cursor'"),
    ("typ=ASSAULT", "unknown parameter 'typ'"),
])
def test_bad_parameters_are_400_naming_parameter_and_value(
    client: TestClient, query: str, named: str
) -> None:
    response = client.get(f"/api/events?{query}")
    assert response.status_code == 400
    assert named in response.json()["error"]
