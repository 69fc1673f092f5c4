"""A database filled with the hand-coded sample articles, and a read-only client over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sample_articles import sample

from eventscope.api import create_app
from eventscope.store import Store


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "events.db"
    with Store(path) as store:
        for article, events in sample():
            assert store.add(article, events)
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    """A read-only API over the sample database (no token configured)."""
    with TestClient(create_app(str(db)), base_url="http://localhost") as test_client:
        yield test_client
