"""Storing articles with their events, reading them back, and failing clearly."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from dbtargets import execute, incident_box_table
from eventscope.record import Actor, Article, Event
from eventscope.store import Filter, Store, StoreError
from eventscope.store.schema import SCHEMA_VERSION

# For tests of SQLite's file alone (the others run on each backend: tests/conftest.py).
sqlite_only = pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)


def _as_given(event: Event | None) -> Event:
    """A stored event without what the store adds: its incident and its article's
    sources (store/incidents.py)."""
    assert event is not None
    return event.model_copy(update={"incident_id": None, "article": event.article.model_copy(
        update={"sources": []})})


def test_events_come_back_exactly_as_stored(store: Store, coded) -> None:
    stored = {e.event_id: e for e in store.iter_events()}
    for _, events in coded:
        for event in events:
            # the store adds the incident (store/incidents.py); the rest is as given
            assert stored[event.event_id].incident_id is not None
            assert _as_given(stored[event.event_id]) == event


def test_the_same_text_is_stored_once(store: Store, articles, make_event) -> None:
    again = Article(text="  " + articles["nairobi"].text.upper() + "\n", published="2024-06-26")
    assert store.add(again, [make_event(again, "PROTEST")]) is False
    assert store.article_count() == 3
    assert store.count() == 6


def test_an_article_id_taken_by_another_text_is_an_error(store: Store, articles) -> None:
    other = Article(text="A different report entirely.", article_id=articles["kharkiv"].article_id)
    with pytest.raises(StoreError, match="already stored with a different text"):
        store.add(other, [])


def test_a_failure_mid_article_leaves_nothing_half_written(
    tmp_path: Path, coded, monkeypatch: pytest.MonkeyPatch
) -> None:
    article, events = coded[0]
    db = Store(tmp_path / "atomic.db")
    import eventscope.store as store_module

    real = store_module.event_row
    calls = iter(range(100))

    def failing_row(event: Event, article_id: str) -> dict:
        if next(calls) == 1:
            raise RuntimeError("disk on fire")
        return real(event, article_id)

    monkeypatch.setattr(store_module, "event_row", failing_row)
    with pytest.raises(RuntimeError):
        db.add(article, events)
    assert not db.has_article(article.content_hash)
    assert db.count() == 0
    monkeypatch.undo()
    assert db.add(article, events)
    assert db.count() == 2


def test_a_batch_is_stored_whole_and_skips_texts_already_there(
    tmp_path: Path, coded, articles, make_event
) -> None:
    db = Store(tmp_path / "batch.db")
    first, second = coded[0], coded[1]
    assert db.add(*first)
    repeat = Article(text=first[0].text + "\n", published="2024-06-26")
    assert db.add_many([second, (repeat, [make_event(repeat, "PROTEST")]), second]) == [
        True, False, False]
    assert db.article_count() == 2
    assert db.count() == len(first[1]) + len(second[1])


def test_a_batch_with_a_conflicting_article_stores_none_of_it(
    tmp_path: Path, coded, articles
) -> None:
    db = Store(tmp_path / "batch.db")
    assert db.add(*coded[0])
    taken = Article(text="A different report entirely.",
                    article_id=articles["kharkiv"].article_id)
    with pytest.raises(StoreError, match="already stored with a different text"):
        db.add_many([coded[1], (taken, [])])
    assert db.article_count() == 1  # the batch's first article went back out with it
    assert db.get_article(coded[1][0].article_id) is None
    twin = Article(text="Another text again.", article_id=coded[1][0].article_id)
    with pytest.raises(StoreError, match="repeated in the batch"):
        db.add_many([coded[1], (twin, [])])
    assert db.article_count() == 1


def test_article_and_its_events_for_highlighting(store: Store, articles) -> None:
    kharkiv = articles["kharkiv"]
    assert store.get_article(kharkiv.article_id) == kharkiv
    found = store.article_events(kharkiv.article_id)
    assert [e.evidence.start for e in found] == sorted(e.evidence.start for e in found)
    for event in found:
        assert kharkiv.text[event.evidence.start:event.evidence.end] == event.evidence.sentence
    assert store.get_event(found[0].event_id) == found[0]
    assert store.get_event("no-such-event") is None
    assert store.get_article("no-such-article") is None


def test_pages_follow_date_then_id_and_the_cursor_walks_all(store: Store) -> None:
    seen: list[Event] = []
    page, cursor = store.events(limit=2)
    seen += page
    while cursor:
        page, cursor = store.events(limit=2, cursor=cursor)
        assert len(page) <= 2
        seen += page
    keys = [(e.date or "", e.event_id) for e in seen]
    assert keys == sorted(keys)
    assert len({e.event_id for e in seen}) == 6
    assert seen[0].date is None  # undated events come first


def test_a_cursor_not_from_a_page_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="cursor"):
        store.events(cursor="not-a-cursor")


def test_stats_count_by_type_day_and_country(store: Store) -> None:
    stats = store.stats()
    assert stats["total"] == 6
    assert stats["by_type"] == {"ASSAULT": 2, "COERCE": 1, "CONSULT": 1, "MOBILIZE": 1,
                                "PROTEST": 1}
    assert stats["by_day"] == {"2024-01-10": 1, "2024-03-02": 1, "2024-03-03": 1,
                               "2024-06-25": 2}
    assert list(stats["by_country"].items())[0] in {("UKR", 2), ("KEN", 2)}
    assert stats["by_country"]["SDN"] == 1
    narrowed = store.stats(Filter(country="KEN"))
    assert narrowed["total"] == 2 and narrowed["by_country"] == {"KEN": 2}


def test_a_missing_database_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.db"
    with pytest.raises(StoreError, match=r"nope\.db: database does not exist"):
        Store(missing, create=False)
    assert not missing.exists()


def test_a_read_only_store_refuses_writes(store: Store, db_target: str, articles) -> None:
    store.close()
    reader = Store(db_target, read_only=True)
    assert reader.count() == 6
    with pytest.raises(StoreError, match="read-only"):
        reader.add(Article(text="Something new happened in a town."), [])


@sqlite_only
@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only files anyway")
def test_a_read_only_file_is_named(store: Store, tmp_path: Path) -> None:
    store.close()
    path = tmp_path / "events.db"
    for p in tmp_path.glob("events.db*"):
        p.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(StoreError, match="read-only|cannot open"):
            Store(path).add(Article(text="Something new happened in a town."), [])
    finally:
        tmp_path.chmod(0o755)


def test_a_locked_database_is_reported_after_the_timeout(tmp_path: Path, coded) -> None:
    path = tmp_path / "locked.db"
    writer = Store(path, busy_timeout=0.2)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        article, events = coded[0]
        with pytest.raises(StoreError, match="locked by another process"):
            writer.add(article, events)
    finally:
        holder.rollback()
        holder.close()
    assert writer.add(*coded[0])  # once the other writer is done, the same call works


def test_a_file_that_is_not_a_database_is_named(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError, match=r"notes\.db: not an eventscope database"):
        Store(bogus)


def test_a_database_url_of_another_kind_is_named() -> None:
    with pytest.raises(StoreError, match=r"^mysql://localhost/events: not a database URL "
                       r"eventscope can use \(give a SQLite file path or postgresql://"):
        Store("mysql://localhost/events")


def test_one_store_serves_many_threads_at_once(store: Store) -> None:
    """The API shares one Store among its worker threads."""
    from concurrent.futures import ThreadPoolExecutor

    def query(i: int) -> int:
        if i % 2:
            return store.stats()["total"]
        return len(store.events(Filter(min_confidence=0.1), limit=50)[0])

    with ThreadPoolExecutor(16) as pool:
        assert set(pool.map(query, range(400))) == {6}


def test_an_implied_actor_comes_back_implied(tmp_path: Path, articles, make_event) -> None:
    article = articles["nairobi"]
    crowd = Actor(text=None, name="Protesters", country="KEN", sector="PPL", implied=True)
    event = make_event(article, "PROTEST", 0, actor=crowd)
    db = Store(tmp_path / "implied.db")
    assert db.add(article, [event])
    assert _as_given(db.get_event(event.event_id)) == event
    assert db.get_event(event.event_id).incident_id == event.event_id  # alone: its own


def _as_version_1(target: str) -> None:
    """Make a current store look like one written before implied actors existed."""
    execute(target, "ALTER TABLE events DROP COLUMN actor_implied",
            # nor incidents and the edit log (schema 3)
            "DROP INDEX ix_events_incident", "ALTER TABLE events DROP COLUMN incident_id",
            *(f"DROP TABLE {table}" for table in ("incidents", "article_keys", "changes",
                                                  incident_box_table(target))),
            "UPDATE meta SET value = '1' WHERE key = 'schema_version'")


def _version(target: str) -> str:
    return str(execute(target, "SELECT value FROM meta WHERE key = 'schema_version'")[0][0])


def test_a_store_from_before_implied_actors_still_opens(store: Store, db_target: str,
                                                         coded, articles, make_event) -> None:
    store.close()
    path = db_target
    _as_version_1(path)
    before = {e.event_id: e for _, events in coded for e in events}

    reader = Store(path, read_only=True)  # read as it is: its actors were all named
    assert {e.event_id: _as_given(e) for e in reader.iter_events()} == before
    reader.close()
    assert _version(path) == "1"

    writer = Store(path)  # upgraded on opening for writing, nothing lost
    assert _version(path) == SCHEMA_VERSION
    assert {e.event_id: _as_given(e) for e in writer.iter_events()} == before
    article = Article(text="A protest was held outside the town hall on Friday.")
    crowd = Actor(text=None, name="Protesters", sector="PPL", implied=True)
    event = make_event(article, "PROTEST", 0, actor=crowd)
    assert writer.add(article, [event])
    assert _as_given(writer.get_event(event.event_id)) == event


def test_a_store_of_a_newer_version_is_refused(store: Store, db_target: str) -> None:
    store.close()
    execute(db_target, "UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="schema version '99'"):
        Store(db_target)
