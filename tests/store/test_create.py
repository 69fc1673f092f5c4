"""Creating a store (issue 12): one transaction, so that creators opening one new file at
once all succeed, and an empty or half-created file counts as new."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from eventscope.record import Article
from eventscope.store import Store, StoreError
from eventscope.store.schema import SCHEMA_VERSION, articles, meta, metadata


def _open(path: str, start: float, results: multiprocessing.Queue) -> None:
    while time.time() < start:  # all three reach the open at the same moment
        time.sleep(0.001)
    try:
        with Store(path) as store:
            results.put(("ok", store.article_count()))
    except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong
        results.put(("error", f"{type(exc).__name__}: {exc}"))


@pytest.mark.parametrize("attempt", range(3))
def test_three_processes_opening_one_new_file_all_succeed(tmp_path: Path, attempt: int) -> None:
    path = str(tmp_path / f"new-{attempt}.db")
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start = time.time() + 2.0  # room for the spawned interpreters to import
    workers = [context.Process(target=_open, args=(path, start, results)) for _ in range(3)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert outcomes == [("ok", 0)] * 3
    with Store(path, read_only=True) as store:
        assert store.article_count() == 0


def test_an_empty_file_is_a_new_store(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with Store(path) as store:
        assert store.add(Article(text="Rebels shelled the port."), [])
        assert store.article_count() == 1


def test_an_empty_file_opened_for_reading_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with pytest.raises(StoreError, match=r"empty\.db: database is empty \(nothing ingested"):
        Store(path, read_only=True)


def test_a_creation_cut_short_is_finished_on_the_next_open(tmp_path: Path) -> None:
    # What a kill during creation left behind before it was one transaction: some tables,
    # no schema version.
    path = tmp_path / "half.db"
    engine = create_engine(f"sqlite:///{path}")
    metadata.create_all(engine, tables=[meta, articles])
    engine.dispose()
    with Store(path) as store:
        assert store.add(Article(text="Troops crossed the river."), [])
    with sqlite3.connect(path) as conn:
        version = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    assert version == (SCHEMA_VERSION,)


def test_the_schema_is_created_in_one_transaction(tmp_path: Path, monkeypatch) -> None:
    """A failure partway through creation leaves no table behind."""
    from eventscope.store import backend

    def broken(self, conn) -> None:  # noqa: ANN001
        raise OperationalError("CREATE ...", {}, sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr(backend.SQLiteBackend, "create_extras", broken)
    path = tmp_path / "cut.db"
    with pytest.raises(StoreError, match="disk I/O error"):
        Store(path)
    with sqlite3.connect(path) as conn:
        tables = conn.execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == []
