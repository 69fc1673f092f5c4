"""Newest-first pages: the latest events lead, undated ones come last, and the cursor
walks every event once in that order."""

from __future__ import annotations

from eventscope.record import Event
from eventscope.store import Store


def test_newest_first_pages_walk_every_event_latest_first(store: Store) -> None:
    seen: list[Event] = []
    page, cursor = store.events(limit=2, newest_first=True)
    seen += page
    while cursor:
        page, cursor = store.events(limit=2, cursor=cursor, newest_first=True)
        seen += page
    dated = [(e.date, e.event_id) for e in seen if e.date]
    assert dated == sorted(dated, reverse=True)
    assert seen[-1].date is None and seen[0].date == max(d for d, _ in dated)
    assert len({e.event_id for e in seen}) == len(seen) == store.count()
    oldest, _ = store.events(limit=100)
    assert [e.event_id for e in seen] == [e.event_id for e in reversed(oldest)]
