"""The API over events the real pipeline extracted: the project's example articles through
`eventscope ingest`, and an article posted by the operator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from eventscope.api import create_app
from eventscope.cli import app as cli


@pytest.fixture(scope="module")
def ingested(
    examples_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    suffixes = {".txt", ".md", ".html", ".jsonl"}
    articles = [p for p in examples_dir.rglob("*") if p.suffix in suffixes]
    assert articles, f"{examples_dir} holds no example articles"
    db = tmp_path_factory.mktemp("examples") / "events.db"
    result = CliRunner().invoke(cli, ["ingest", str(examples_dir), "--db", str(db)])
    assert result.exit_code == 0, result.output
    with TestClient(create_app(str(db)), base_url="http://localhost") as client:
        yield client


def every_event(client: TestClient) -> list[dict]:
    events, cursor = [], None
    while True:
        body = client.get("/api/events", params={"limit": 50, "cursor": cursor}).json()
        events += body["events"]
        cursor = body["next_cursor"]
        if cursor is None:
            return events


def test_examples_give_events_whose_offsets_point_into_their_article(
    ingested: TestClient,
) -> None:
    events = every_event(ingested)
    assert events
    assert ingested.get("/api/stats").json()["total"] == len(events)
    for event in events:
        detail = ingested.get(f"/api/events/{event['event_id']}").json()
        evidence = detail["event"]["evidence"]
        assert detail["article"]["text"][evidence["start"]:evidence["end"]] == evidence["sentence"]


def test_a_located_example_event_is_found_by_its_own_place(ingested: TestClient) -> None:
    located = [e for e in every_event(ingested)
               if e["location"] and e["location"]["lat"] is not None]
    assert located
    event = located[0]
    lat, lon = event["location"]["lat"], event["location"]["lon"]
    bbox = f"{lon - 0.1},{lat - 0.1},{lon + 0.1},{lat + 0.1}"
    found = ingested.get("/api/events", params={"bbox": bbox, "type": event["event_type"]})
    assert event["event_id"] in {e["event_id"] for e in found.json()["events"]}
    near = ingested.get("/api/events", params={"near": f"{lat},{lon},5"}).json()["events"]
    assert event["event_id"] in {e["event_id"] for e in near}


def test_a_posted_article_goes_through_the_real_pipeline(tmp_path: Path) -> None:
    with TestClient(create_app(str(tmp_path / "post.db"), token="t0ken"),
                    base_url="http://localhost") as client:
        response = client.post(
            "/api/articles?published=2024-12-16&title=Nairobi%20march",
            content="Protesters marched in Nairobi on Monday.",
            headers={"Authorization": "Bearer t0ken", "Content-Type": "text/plain"},
        )
        assert response.status_code == 201, response.text
        [article] = response.json()["articles"]
        [event] = article["events"]
        assert event["event_type"] == "PROTEST"
        assert event["location"]["name"] == "Nairobi"
        assert event["date"] == "2024-12-16"
        listed = client.get("/api/events?type=PROTEST&country=KEN").json()["events"]
        assert [e["event_id"] for e in listed] == [event["event_id"]]
