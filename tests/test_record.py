"""Event ids: one per event, stable, and only as long a key as it takes (issue 12)."""

from __future__ import annotations

from eventscope.record import Actor, Article, distinct_event_ids, make_event_id
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


def test_ids_say_article_span_and_type_and_exact_repeats_are_dropped(make_event) -> None:
    one = make_event(ARTICLE, "ASSAULT", 0, trigger="clashed")
    other = make_event(ARTICLE, "MOBILIZE", 0, trigger="troops")
    ids = [e.event_id for e in distinct_event_ids([one, other, one])]
    span = (ARTICLE.article_id, one.evidence.start, one.evidence.end)
    assert ids == [make_event_id(*span, "ASSAULT"), make_event_id(*span, "MOBILIZE")]


def test_an_event_keeps_its_id_when_a_new_coder_reads_another_trigger(make_event) -> None:
    """Issue 14: same article, evidence span and type -> same id after a coder upgrade."""
    before = distinct_event_ids([make_event(ARTICLE, "ASSAULT", 0, trigger="clashed")])
    after = distinct_event_ids([make_event(ARTICLE, "ASSAULT", 0, trigger="fighters")])
    assert before[0].event_id == after[0].event_id


def test_every_distinct_event_is_stored(tmp_path, make_event) -> None:
    events = distinct_event_ids([
        make_event(ARTICLE, "ASSAULT", 0, trigger="clashed", actor=Actor(text=side))
        for side in ("Government troops", "rebel fighters")])
    with Store(tmp_path / "e.db") as store:
        store.add(ARTICLE, events)
        assert store.count() == len(events) == 2
