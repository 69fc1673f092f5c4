"""Re-coding stored articles: same events keep their ids and log nothing; differences are
logged; an interrupted recode resumes and ends where an uninterrupted one does."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from shootings import shooting_reports

from dbtargets import execute
from eventscope.record import Article, Event, distinct_event_ids
from eventscope.store import Store
from eventscope.store.changes import latest_version, read_changes
from eventscope.store.recode import recode

Coder = Callable[[Article], list[Event]]


def processor(code: Coder, stop_after: int | None = None):  # noqa: ANN201
    def run(articles: Iterable[Article]) -> Iterator[tuple[Article, list[Event]]]:
        for n, article in enumerate(articles):
            if stop_after is not None and n == stop_after:
                raise KeyboardInterrupt  # as a kill between two articles
            yield article, code(article)
    return run


@pytest.fixture
def reports(make_event) -> dict[str, tuple[Article, list[Event]]]:
    return shooting_reports(make_event)


@pytest.fixture
def stored(db_target: str, reports) -> tuple[str, dict[str, list[Event]]]:
    """The reports stored with the ids the pipeline gives them (distinct_event_ids), in
    SQLite and in PostgreSQL."""
    path = db_target
    coded = {article.article_id: distinct_event_ids(found)
             for article, found in reports.values()}
    with Store(path) as store:
        for article, _ in reports.values():
            store.add(article, coded[article.article_id])
    return path, coded


def _state(path: str) -> list[tuple[str, str, float]]:
    return execute(path, "SELECT event_id, incident_id, confidence FROM events "
                   "ORDER BY event_id")


def test_the_same_coder_changes_nothing(stored) -> None:
    path, by_article = stored
    store = Store(path)
    with store.engine.connect() as conn:
        before = latest_version(conn)
    summary = recode(store, processor(lambda a: by_article[a.article_id]))
    assert summary.articles == 4 and summary.unchanged == 4
    assert summary.added == summary.changed == summary.removed == 0
    with store.engine.connect() as conn:
        assert latest_version(conn) == before  # nothing logged


def _upgraded(by_article: dict[str, list[Event]], make_event) -> Coder:
    """A 'new coder': the bridging report's event now has another confidence, and the
    look-alike's event is gone (the new coder does not see it)."""
    def code(article: Article) -> list[Event]:
        found = by_article[article.article_id]
        if "Hoover" in article.text:
            return []
        if "identified the victim" in article.text:
            return [found[0].model_copy(update={"confidence": 0.42})]
        return found
    return code


def test_differences_are_logged_with_their_fields(stored, make_event) -> None:
    path, by_article = stored
    store = Store(path)
    with store.engine.connect() as conn:
        before = latest_version(conn)
    summary = recode(store, processor(_upgraded(by_article, make_event)))
    assert (summary.changed, summary.removed) == (1, 1)
    with store.engine.connect() as conn:
        log = read_changes(conn, before)
    ops = {(c.kind, c.op): c for c in log}
    assert ops[("event", "changed")].detail == {"confidence": [0.8, 0.42]}
    assert ("event", "removed") in ops and ("incident", "removed") in ops
    assert all(c.version > before for c in log)
    ids = {row[0] for row in _state(path)}
    assert len(ids) == 3 and all(row[1] is not None for row in _state(path))


@pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)  # copies the file
def test_an_interrupted_recode_resumes_and_ends_the_same(tmp_path: Path, stored,
                                                         make_event) -> None:
    path, by_article = stored
    other = tmp_path / "b.db"
    other.write_bytes(Path(path).read_bytes())
    code = _upgraded(by_article, make_event)
    with Store(other) as store:
        recode(store, processor(code))
    with Store(path) as store, pytest.raises(KeyboardInterrupt):
        recode(store, processor(code, stop_after=2))
    with Store(path) as store:
        summary = recode(store, processor(code))
    assert summary.resumed_after is not None and summary.articles == 2
    assert _state(path) == _state(str(other))
    with Store(path) as store:  # finished: a new recode starts from the beginning
        assert recode(store, processor(code)).articles == 4
