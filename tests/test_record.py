"""Event ids: one per event, stable, and only as long a key as it takes (issue 12)."""

from __future__ import annotations

from eventscope.record import Actor, Article, distinct_event_ids
from eventscope.store import Store

ARTICLE = Article(text="Government troops and rebel fighters clashed near the bridge.",
                  published="2024-04-02")


def test_two_events_of_one_trigger_with_different_actors_get_two_ids(make_event) -> None:
    troops = make_event(ARTICLE, "ASSAULT", 0, trigger="clashed",
                        actor=Actor(text="Government troops"), target=Actor(text="rebels"))
    rebels = make_event(ARTICLE, "ASSAULT", 0, trigger="clashed",
                        actor=Actor(text="rebel fighters"), target=Actor(text="troops"))
    assert troops.event_id == rebels.event_id  # as the coder makes them
    distinct = distinct_event_ids([troops, rebels])
    assert len({e.event_id for e in distinct}) == 2
    assert [e.actor.text for e in distinct if e.actor] == ["Government troops", "rebel fighters"]
    assert distinct_event_ids([troops, rebels]) == distinct  # stable from run to run


def test_ids_already_unique_are_kept_and_exact_repeats_dropped(make_event) -> None:
    one = make_event(ARTICLE, "ASSAULT", 0, trigger="clashed")
    other = make_event(ARTICLE, "MOBILIZE", 0, trigger="troops")
    assert distinct_event_ids([one, other, one]) == [one, other]


def test_every_distinct_event_is_stored(tmp_path, make_event) -> None:
    events = distinct_event_ids([
        make_event(ARTICLE, "ASSAULT", 0, trigger="clashed", actor=Actor(text=side))
        for side in ("Government troops", "rebel fighters")])
    with Store(tmp_path / "e.db") as store:
        store.add(ARTICLE, events)
        assert store.count() == len(events) == 2
