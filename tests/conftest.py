"""Shared fixtures: paths to the project's example articles and the team's shared data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


@pytest.fixture(scope="session")
def hmeimim_text(shared_dir: Path) -> str:
    return (shared_dir / "examples" / "hmeimim-tartus.txt").read_text(encoding="utf-8")


# --- hand-built events for store, export and CLI tests (no extraction needed) ----------


def build_event(article, event_type="ASSAULT", sentence_index=0, **fields):
    """An Event of ``article`` whose evidence is its ``sentence_index``-th sentence."""
    from eventscope.record import Event, Evidence, make_event_id

    sentences = [s for s in article.text.split(". ") if s]
    sentence = sentences[sentence_index]
    start = article.text.index(sentence)
    end = start + len(sentence)
    trigger = fields.pop("trigger", sentence.split()[1])
    record = {
        "event_id": make_event_id(article.article_id, start, end, event_type, trigger),
        "event_type": event_type,
        "evidence": Evidence(sentence=sentence, start=start, end=end, trigger=trigger),
        "confidence": 0.8,
        "date": article.published,
        "date_precision": "day",
        "article": article.ref(),
    }
    record.update(fields)
    return Event(**record)


@pytest.fixture
def make_event():
    """``make_event(article, "PROTEST", 1, actor=Actor(...), ...)``: see build_event."""
    return build_event


# --- the database under test: a SQLite file, and a PostgreSQL database when a server is given


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The URL of the test PostgreSQL server (its default database, as a superuser), with
    a template database holding PostGIS, so that each test's fresh database is quick."""
    import os

    from dbtargets import PG_URL_VAR, admin, template_name, with_database

    url = os.environ.get(PG_URL_VAR)
    if not url:
        pytest.skip(f"{PG_URL_VAR} is not set: no PostgreSQL server to test against "
                    "(start one with scripts/pg_test_server.sh and export its URL)")
    template = template_name()
    admin(url, f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)',
          f'CREATE DATABASE "{template}"')
    admin(with_database(url, template), "CREATE EXTENSION IF NOT EXISTS postgis")
    yield url
    admin(url, f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')


@pytest.fixture
def pg_database(pg_server: str) -> Iterator[str]:
    """The URL of a new, empty database on the test server (PostGIS installed), dropped
    afterwards."""
    from dbtargets import new_database

    with new_database(pg_server) as url:
        yield url


@pytest.fixture
def pg_url(pg_database: str) -> str:
    """The URL of a new, empty PostgreSQL database (PostGIS available) for one test."""
    return pg_database


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a test's store lives: a SQLite file, then a fresh PostgreSQL database (skipped
    with the reason when no server is given). A test of SQLite alone narrows it with
    ``@pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)``."""
    if request.param == "sqlite":
        return str(tmp_path / "events.db")
    return str(request.getfixturevalue("pg_url"))
