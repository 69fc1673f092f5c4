"""`eventscope serve` refuses what it cannot serve with one line, before listening."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from typer.testing import CliRunner
from webdata import Served, serve

from eventscope.cli import app


def test_a_missing_database_is_one_clear_line(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    result = CliRunner().invoke(app, ["serve", "--db", str(missing)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines == [f"eventscope: error: {missing}: database does not exist "
                     "(create it with: eventscope ingest PATH --db ...)"]
    assert not missing.exists()  # a read-only server creates nothing


def test_the_served_api_is_read_only_without_a_token(served: Served) -> None:
    response = httpx.post(f"{served.url}api/articles", content="Crowds marched in Lima.")
    assert response.status_code == 403
    assert httpx.get(f"{served.url}api/config").json() == {"tiles": None, "read_only": True}


def test_the_server_survives_many_concurrent_requests(served: Served) -> None:
    """The page alone fires four requests at once; a few users make it dozens."""
    queries = ["api/stats", "api/stats?type=ASSAULT", "api/events?limit=500",
               "api/events?q=truce&min_confidence=0.5", "api/events?country=12"]
    for server in serve(served.db, served.events):
        with httpx.Client(base_url=server.url, timeout=30) as client:

            def get(i: int) -> int:
                return client.get(queries[i % len(queries)]).status_code

            with ThreadPoolExecutor(12) as pool:
                codes = list(pool.map(get, range(600)))
        assert sorted(set(codes)) == [200, 400]  # 400 for the bad country, nothing else
        assert httpx.get(f"{server.url}api/config").status_code == 200
