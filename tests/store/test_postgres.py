"""What is particular to PostgreSQL/PostGIS: the indexes the filters use (EXPLAIN), PostGIS
created on first use, the point and words kept in step with the row, and URLs."""

from __future__ import annotations

from typing import Any

import pytest

from dbtargets import execute, new_database
from eventscope.record import Article, Event
from eventscope.store import Filter, Store, StoreError
from eventscope.store.postgres import pg_url


def _plan(store: Store, statement: Any) -> str:
    """The plan of ``statement`` with sequential scans priced out (a tiny table would
    otherwise be read whole, which says nothing about the indexes)."""
    compiled = statement.compile(dialect=store.engine.dialect)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        rows = conn.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params).all()
    return "\n".join(row[0] for row in rows)


@pytest.fixture
def pg_store(pg_url: str, coded: list[tuple[Article, list[Event]]]) -> Store:
    store = Store(pg_url)
    for article, events in coded:
        store.add(article, events)
    return store


def test_bbox_near_and_text_use_the_gist_and_gin_indexes(pg_store: Store) -> None:
    bbox = _plan(pg_store, pg_store._select_events(Filter(bbox=(30.0, -5.0, 40.0, 20.0))))
    assert "ix_events_geom" in bbox
    near = _plan(pg_store, pg_store._select_events(Filter(near=(48.98, 36.25, 120))))
    assert "ix_events_geog" in near
    words = _plan(pg_store, pg_store._select_events(Filter(text="marched Nairobi")))
    assert "ix_events_tsv" in words
    # and they answer the same as SQLite (tests/store/test_query.py runs on both)
    assert pg_store.count(Filter(near=(48.98, 36.25, 120))) == 2


def test_the_gist_index_lists_a_box_only_while_few_events_are_expected_in_it(
    pg_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eventscope.store.postgres import PostgresBackend

    east_africa = Filter(bbox=(30.0, -5.0, 40.0, 20.0))  # three events
    assert pg_store.count(east_africa) == 3
    assert "ix_events_geom" in _plan(pg_store, pg_store._select_events(east_africa))
    # a box the planner expects to hold more than the cap is decided row by row on the
    # coordinates, with the same answer
    monkeypatch.setattr(PostgresBackend, "GIST_LIST_MAX", 0)
    assert "ix_events_geom" not in _plan(pg_store, pg_store._select_events(east_africa))
    assert pg_store.count(east_africa) == 3


def test_incident_candidates_come_through_the_box_index(pg_store: Store) -> None:
    from sqlalchemy import text

    from eventscope.store.postgres import BOX_SQL
    box = {"minlon": 36.0, "maxlon": 37.0, "minlat": -2.0, "maxlat": 0.0,
           "minday": 19000.0, "maxday": 20000.0, "pk": 0}
    with pg_store.engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        plan = "\n".join(r[0] for r in conn.execute(text(
            f"EXPLAIN SELECT r.id FROM {BOX_SQL['join']} WHERE {BOX_SQL['where']}"), box))
    assert "ix_incident_boxes" in plan


def test_postgis_is_created_on_first_use(pg_server: str) -> None:
    with new_database(pg_server, postgis=False) as url:
        assert execute(url, "SELECT count(*) FROM pg_extension WHERE extname = 'postgis'") \
            == [(0,)]
        Store(url).close()
        assert execute(url, "SELECT count(*) FROM pg_extension WHERE extname = 'postgis'") \
            == [(1,)]


def test_the_point_and_the_words_follow_the_row(pg_store: Store) -> None:
    url = pg_store.engine.url.set(drivername="postgresql").render_as_string(
        hide_password=False)
    # Nairobi's events moved to Kharkiv's square: the bbox follows the coordinates
    execute(url, "UPDATE events SET lat = 49.98, lon = 36.25 WHERE country = 'KEN'")
    assert pg_store.count(Filter(bbox=(36.0, 49.0, 37.0, 51.0))) == 4
    assert pg_store.count(Filter(bbox=(36.0, -2.0, 37.0, 0.0))) == 0
    execute(url, "UPDATE events SET lat = NULL, lon = NULL WHERE country = 'KEN'")
    assert pg_store.count(Filter(bbox=(36.0, 49.0, 37.0, 51.0))) == 2
    # a changed evidence sentence (a recode) is searched by its new words
    execute(url, "UPDATE events SET evidence_sentence = 'Riot police dispersed a vigil' "
            "WHERE event_type = 'COERCE'")
    assert pg_store.count(Filter(text="vigil")) == 1
    assert pg_store.count(Filter(text="tear gas")) == 0


def test_the_words_are_not_thinned_by_stop_words(pg_store: Store) -> None:
    """As with SQLite's FTS5: every typed word must occur, "or" and "the" too."""
    assert pg_store.count(Filter(text="the")) > 0
    assert pg_store.count(Filter(text='tear "gas" OR')) == 0
    assert pg_store.count(Filter(text="gath*")) == 2


def test_a_read_only_opening_writes_nothing(pg_store: Store, pg_url: str) -> None:
    reader = Store(pg_url, read_only=True)
    with pytest.raises(StoreError, match="opened read-only"):
        reader.add(Article(text="A crowd gathered outside the court on Monday."), [])
    assert reader.article_count() == 3


def test_an_empty_database_opened_for_reading_is_one_line(pg_url: str) -> None:
    with pytest.raises(StoreError, match=r"/es_test_\w+: database holds no eventscope store "
                       r"yet \(create it with: eventscope ingest PATH --db \.\.\.\)$"):
        Store(pg_url, read_only=True)
    assert execute(pg_url, "SELECT to_regclass('meta')") == [(None,)]


@pytest.mark.parametrize(("url", "problem"), [
    ("postgresql://me@localhost:port/events", "not a database URL"),
    ("postgresql://me@localhost:5432", "the URL names no database"),
    ("postgresql://me:secret@localhost:99999/events", "not a database URL"),
])
def test_a_url_that_cannot_name_a_database_is_one_line(url: str, problem: str) -> None:
    with pytest.raises(StoreError, match=problem) as caught:
        pg_url(url)
    assert "secret" not in str(caught.value)


def test_messages_never_show_the_password() -> None:
    with pytest.raises(StoreError) as caught:
        Store("postgresql://me:s3cr3t@127.0.0.1:1/events", busy_timeout=2)
    message = str(caught.value)
    assert "s3cr3t" not in message and message.startswith("postgresql://me:***@127.0.0.1:1/")
