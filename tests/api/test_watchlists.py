"""The page's feeds from the API: newest events first, and the watchlists with the count
of matches a reader has not seen (the reader keeps the mark; the API stays read-only)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sample_articles import sample

from eventscope.api import create_app
from eventscope.store import Store
from eventscope.store import watch as tables
from eventscope.store.filter import Filter


def test_events_newest_first(client: TestClient) -> None:
    newest = client.get("/api/events", params={"order": "newest", "limit": 3}).json()
    dates = [e["date"] for e in newest["events"]]
    assert dates == sorted(dates, reverse=True) and None not in dates
    again = client.get("/api/events", params={"order": "newest", "limit": 3,
                                              "cursor": newest["next_cursor"]}).json()
    assert not {e["event_id"] for e in again["events"]} & {e["event_id"]
                                                          for e in newest["events"]}
    assert client.get("/api/events", params={"order": "sideways"}).status_code == 400


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[TestClient]:
    path = tmp_path / "w.db"
    batch = sample()
    with Store(path) as store:
        tables.add_watchlist(store, "all", Filter())
        tables.add_watchlist(store, "none", Filter.parse(types=["AID"], near="34.9,35.9,25",
                                                          hedged="false"),
                             [tables.Delivery("webhook", "https://hooks.example/x", "k")])
        for article, events in batch:
            store.add(article, events)
        tables.match_new_events(store)
    with TestClient(create_app(str(path)), base_url="http://localhost") as client:
        yield client


def test_watchlists_with_their_filters_and_unseen_matches(watched: TestClient) -> None:
    body = watched.get("/api/watchlists").json()
    assert [w["name"] for w in body] == ["all", "none"]
    every, none = body
    assert every["unseen"] > 0 and every["params"] == "" and every["deliveries"] == []
    assert none["params"] == "type=AID&near=34.9%2C35.9%2C25&hedged=false"
    assert none["deliveries"] == ["webhook"] and "hooks.example" not in str(body)
    assert watched.get(f"/api/events?{none['params']}").status_code == 200
    marked = watched.get("/api/watchlists", params={"seen": f"all:{every['latest']}"}).json()
    assert marked[0]["unseen"] == 0
    bad = watched.get("/api/watchlists", params={"seen": "all"})
    assert bad.status_code == 400 and "seen 'all'" in bad.json()["error"]
