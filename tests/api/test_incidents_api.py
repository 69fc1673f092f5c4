"""GET /api/incidents, /api/incidents/{id} and /api/changes over the sample database."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_incidents_page_and_one_incident(client: TestClient) -> None:
    listed = client.get("/api/incidents", params={"limit": 500}).json()
    assert listed["incidents"] and listed["next_cursor"] is None
    events = client.get("/api/events", params={"limit": 5000}).json()
    n_events = len(events["events"]) if isinstance(events, dict) else len(events)
    assert sum(i["n_events"] for i in listed["incidents"]) == n_events  # each in exactly one
    first = listed["incidents"][0]
    detail = client.get(f"/api/incidents/{first['id']}").json()
    assert len(detail["events"]) == first["n_events"]
    assert {e["incident_id"] for e in detail["events"]} == {first["id"]}
    assert len(detail["articles"]) == first["n_articles"]
    assert detail["articles"][0]["sources"]


def test_incident_filters_formats_and_errors(client: TestClient) -> None:
    assert client.get("/api/incidents", params={"min_sources": 99}).json()["incidents"] == []
    geo = client.get("/api/incidents", params={"format": "geojson", "type": "ASSAULT"})
    assert geo.status_code == 200 and geo.json()["type"] == "FeatureCollection"
    assert all(f["properties"]["id"] for f in geo.json()["features"])
    csv = client.get("/api/incidents", params={"format": "csv"})
    assert csv.text.splitlines()[0].startswith("id,event_type,date")
    assert client.get("/api/incidents", params={"min_source": 2}).status_code == 400
    assert client.get("/api/incidents/nope").status_code == 404


def test_changes_since_a_version(client: TestClient) -> None:
    everything = client.get("/api/changes").json()
    latest = everything["latest_version"]
    assert latest >= 1 and everything["changes"][0]["version"] == 1
    assert {c["op"] for c in everything["changes"]} <= {"added", "changed", "merged",
                                                       "removed"}
    assert client.get("/api/changes", params={"since_version": latest}).json()["changes"] == []
    beyond = client.get("/api/changes", params={"since_version": latest + 1})
    assert beyond.status_code == 400 and "beyond the latest version" in beyond.json()["error"]
