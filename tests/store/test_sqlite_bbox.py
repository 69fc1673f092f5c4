"""SQLite's region filter: the R*Tree lists a box's events while it holds few of them; a
box holding more is tested on each row's coordinates (carried by the date and type
indexes), with the same events found either way."""

from __future__ import annotations

import pytest
from sqlalchemy.dialects import sqlite

from eventscope.store import Filter, Store
from eventscope.store.backend import SQLiteBackend
from eventscope.store.schema import events

sqlite_only = pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)


def _ids(store: Store, flt: Filter) -> list[str]:
    page, _ = store.events(flt, limit=100)
    return [event.event_id for event in page]


def _sql(store: Store, flt: Filter) -> str:
    statement = store._select_events(flt).order_by(events.c.date, events.c.event_id)
    return str(statement.compile(dialect=sqlite.dialect()))


@sqlite_only
@pytest.mark.parametrize("flt", [
    Filter(bbox=(30.0, -5.0, 40.0, 20.0)),
    Filter(bbox=(36.82, -2.0, 37.0, 0.0)),  # an edge exactly on Nairobi's longitude
    Filter(bbox=(-180.0, -90.0, 180.0, 90.0), types=("ASSAULT",), since="2024-03-01"),
    Filter(near=(48.98, 36.25, 120)),
    Filter(near=(48.98, 36.25, 100)),
])
def test_a_box_too_full_to_list_finds_the_same_events(
    store: Store, flt: Filter, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = _ids(store, flt)
    monkeypatch.setattr(SQLiteBackend, "RTREE_LIST_MAX", 0)
    assert _ids(store, flt) == listed


@sqlite_only
def test_the_rtree_lists_a_box_only_while_it_holds_few_events(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    east_africa = Filter(bbox=(30.0, -5.0, 40.0, 20.0))  # three events
    assert "events_rtree" in _sql(store, east_africa)
    monkeypatch.setattr(SQLiteBackend, "RTREE_LIST_MAX", 2)
    assert "events_rtree" not in _sql(store, east_africa)
    monkeypatch.setattr(SQLiteBackend, "RTREE_LIST_MAX", 3)
    assert "events_rtree" in _sql(store, east_africa)
