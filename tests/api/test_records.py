"""One event with its article text, one article with its events, and the counts that
drive the page's legend and timeline."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sample_articles import CONVOY, MARCH


def test_event_comes_with_the_text_its_offsets_point_into(client: TestClient) -> None:
    first = client.get("/api/events?type=COERCE").json()["events"][0]
    body = client.get(f"/api/events/{first['event_id']}").json()
    evidence = body["event"]["evidence"]
    assert body["article"]["text"] == MARCH.text
    assert body["article"]["text"][evidence["start"]:evidence["end"]] == evidence["sentence"]
    assert evidence["sentence"] == "Police fired tear gas to disperse the crowd near parliament."


def test_unknown_event_is_404_naming_it(client: TestClient) -> None:
    response = client.get("/api/events/0000deadbeef")
    assert response.status_code == 404
    assert response.json() == {"error": "event '0000deadbeef': no such event"}


def test_article_lists_its_events_in_text_order(client: TestClient) -> None:
    body = client.get(f"/api/articles/{CONVOY.article_id}").json()
    assert body["article"]["title"] == CONVOY.title
    assert [e["event_type"] for e in body["events"]] == ["MOBILIZE", "RETREAT"]
    starts = [e["evidence"]["start"] for e in body["events"]]
    assert starts == sorted(starts)


def test_unknown_article_is_404(client: TestClient) -> None:
    response = client.get("/api/articles/nope")
    assert response.status_code == 404
    assert "nope" in response.json()["error"]


def test_stats_count_by_type_day_and_country(client: TestClient) -> None:
    stats = client.get("/api/stats").json()
    assert stats["total"] == 6
    assert stats["by_type"]["PROTEST"] == 1
    assert stats["by_day"] == {"2024-06-25": 3, "2024-12-16": 2}  # the undated one is not a day
    assert stats["by_country"] == {"KEN": 3, "SYR": 2}


def test_stats_follow_the_filters(client: TestClient) -> None:
    stats = client.get("/api/stats?country=KEN&negated=false").json()
    assert stats["total"] == 2
    assert stats["by_type"] == {"COERCE": 1, "PROTEST": 1}


def test_stats_refuse_paging_parameters(client: TestClient) -> None:
    response = client.get("/api/stats?limit=5")
    assert response.status_code == 400
    assert "unknown parameter 'limit'" in response.json()["error"]
