"""--db postgresql://... as a user meets it when something is wrong: a URL that is not a
database, a server that refuses the connection, wrong credentials, a database missing,
a server without PostGIS. One line each naming what failed and how to fix it, exit
status 1, nothing written."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from dbtargets import admin, execute, new_database
from eventscope import cli
from eventscope.store.postgres import PostgresBackend
from standins import one_protest_each

runner = CliRunner()


@pytest.fixture
def stand_in_coder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "pipeline_processor",
                        lambda n_process, model, country_bias=None, budget=None: one_protest_each)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text("---\npublished: 2024-04-02\n---\nFarmers marched on the ministry.",
                    encoding="utf-8")
    return path


def _one_error_line(args: list[str]) -> str:
    result = runner.invoke(cli.app, args)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _has_store(url: str) -> bool:
    return execute(url, "SELECT to_regclass('meta')")[0][0] is not None


@pytest.mark.parametrize(("url", "message"), [
    ("http://example.org/events", "http://example.org/events: not a database URL eventscope "
     "can use (give a SQLite file path or postgresql://user@host:port/dbname)"),
    ("postgresql://me@localhost:port/events", "postgresql://me@localhost:port/events: not a "
     "database URL (expected postgresql://user@host:port/dbname)"),
])
def test_a_url_that_is_not_a_database(stand_in_coder: None, article: Path, url: str,
                                      message: str) -> None:
    for args in (["ingest", str(article), "--db", url], ["events", "--db", url]):
        assert _one_error_line(args) == f"eventscope: error: {message}"


def test_a_server_that_refuses_the_connection(stand_in_coder: None, article: Path) -> None:
    port = _free_port()
    url = f"postgresql://me:pw@127.0.0.1:{port}/events"
    for args in (["ingest", str(article), "--db", url], ["events", "--db", url],
                 ["export", "-", "--format", "csv", "--db", url]):
        assert _one_error_line(args) == (
            f"eventscope: error: postgresql://me:***@127.0.0.1:{port}/events: no PostgreSQL "
            f"server answers at 127.0.0.1:{port} (connection refused; is it running, on "
            "that host and port?)")


def test_wrong_credentials(stand_in_coder: None, article: Path, pg_url: str) -> None:
    wrong = make_url(pg_url).set(password="not-the-password")
    url = wrong.render_as_string(hide_password=False)
    shown = wrong.render_as_string(hide_password=True)
    assert _one_error_line(["ingest", str(article), "--db", url]) == (
        f"eventscope: error: {shown}: the server refused the credentials of user "
        f"'{wrong.username}' (check the user and password in the URL, or PGPASSWORD / "
        "~/.pgpass)")
    assert not _has_store(pg_url)


def test_a_database_that_does_not_exist(stand_in_coder: None, article: Path,
                                        pg_server: str) -> None:
    missing = make_url(pg_server).set(database="no_such_db")
    assert _one_error_line(
        ["ingest", str(article), "--db", missing.render_as_string(hide_password=False)]) == (
        f"eventscope: error: {missing.render_as_string(hide_password=True)}: database "
        f"'no_such_db' does not exist on the server (create it first: createdb -h "
        f"{missing.host} no_such_db)")


def test_a_server_without_postgis(stand_in_coder: None, article: Path, pg_server: str,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """PostGIS's files missing on the server: the server reports its control file absent
    (the extension asked for is renamed here to one no server has)."""
    monkeypatch.setattr(PostgresBackend, "EXTENSION", "postgis_absent")
    with new_database(pg_server, postgis=False) as url:
        line = _one_error_line(["ingest", str(article), "--db", url])
        assert line.endswith(": PostGIS is not installed on the server (install it there, "
                             "e.g. apt install postgresql-15-postgis-3, then run again)")
        assert not _has_store(url)  # nothing half created


@pytest.fixture
def plain_user(pg_server: str) -> Iterator[tuple[str, str]]:
    """A user who owns a new database without PostGIS and may not create it: (the user's
    URL of that database, the administrator's)."""
    role = f"es_plain_{uuid.uuid4().hex[:8]}"
    admin(pg_server, f"CREATE ROLE {role} LOGIN PASSWORD 'plain'")
    try:
        with new_database(pg_server, postgis=False, owner=role) as url:
            mine = make_url(url).set(username=role, password="plain")
            yield mine.render_as_string(hide_password=False), url
    finally:
        admin(pg_server, f"DROP ROLE IF EXISTS {role}")


def test_a_user_who_may_not_enable_postgis(stand_in_coder: None, article: Path,
                                           plain_user: tuple[str, str]) -> None:
    url, admin_url = plain_user
    line = _one_error_line(["ingest", str(article), "--db", url])
    user = make_url(url).username
    assert line.endswith(f"PostGIS is not enabled in database '{make_url(url).database}' "
                         f"and user '{user}' may not enable it (ask its owner to run: CREATE "
                         "EXTENSION postgis)")
    assert not _has_store(admin_url)
    # once an administrator has enabled it, the same user creates the store
    execute(admin_url, "CREATE EXTENSION postgis")
    result = runner.invoke(cli.app, ["ingest", str(article), "--db", url])
    assert result.exit_code == 0, result.stderr
    assert "articles: 1 new" in result.stdout


def test_ingest_events_and_export_on_a_shared_database(stand_in_coder: None, article: Path,
                                                       pg_url: str, tmp_path: Path) -> None:
    """The same commands on PostgreSQL: the URL from the environment, too."""
    first = runner.invoke(cli.app, ["ingest", str(article)], env={"EVENTSCOPE_DB": pg_url})
    assert first.exit_code == 0, first.stderr
    password = make_url(pg_url).password
    assert "***@" in first.stdout and (not password or password not in first.stdout)
    listed = runner.invoke(cli.app, ["events", "--format", "jsonl", "--text", "farmers"],
                           env={"EVENTSCOPE_DB": pg_url})
    assert listed.exit_code == 0 and len(listed.stdout.splitlines()) == 1
    out = tmp_path / "all.geojson"
    exported = runner.invoke(cli.app, ["export", str(out), "--db", pg_url])
    assert exported.exit_code == 0 and out.stat().st_size > 0
