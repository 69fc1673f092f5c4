"""A database filled with the hand-coded sample articles, and a read-only client over it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from fastapi.testclient import TestClient
from sample_articles import sample

from dbtargets import new_database
from eventscope.api import create_app
from eventscope.store import Store


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
       ) -> Iterator[str]:
    """The sample store in a SQLite file, then in a PostgreSQL database (skipped when no
    server is given: tests/conftest.py)."""
    with ExitStack() as stack:
        if request.param == "sqlite":
            path = str(tmp_path_factory.mktemp("api") / "events.db")
        else:
            path = stack.enter_context(new_database(request.getfixturevalue("pg_server")))
        with Store(path) as store:
            for article, events in sample():
                assert store.add(article, events)
        yield path


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    """A read-only API over the sample database (no token configured)."""
    with TestClient(create_app(str(db)), base_url="http://localhost") as test_client:
        yield test_client
