"""Plain SQL on a test store's database, whichever backend holds it (a SQLite path or a
PostgreSQL URL), to make a store look like an older or damaged one."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# The server the PostgreSQL cases run against (scripts/pg_test_server.sh prints one).
PG_URL_VAR = "EVENTSCOPE_TEST_PG_URL"


def is_pg(target: str) -> bool:
    return target.startswith("postgresql://")


def execute(target: str, *statements: str) -> list[tuple[Any, ...]]:
    """Run the statements in one transaction; the rows of the last one."""
    rows: list[tuple[Any, ...]] = []
    if is_pg(target):
        import psycopg

        with psycopg.connect(target) as conn:
            for statement in statements:
                cur = conn.execute(statement)  # type: ignore[arg-type]
                rows = cur.fetchall() if cur.description else []
        return rows
    conn = sqlite3.connect(target)
    try:
        for statement in statements:
            rows = conn.execute(statement).fetchall()
        conn.commit()
    finally:
        conn.close()
    return rows


def incident_box_table(target: str) -> str:
    """Where the incident boxes are kept: SQLite's R*Tree, PostgreSQL's GiST-indexed table."""
    return "incident_boxes" if is_pg(target) else "incident_rtree"


def admin(url: str, *statements: str) -> None:
    """Statements outside a transaction (CREATE DATABASE, DROP DATABASE)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)  # type: ignore[arg-type]


def with_database(url: str, name: str) -> str:
    """The server's URL naming another database."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name).render_as_string(hide_password=False)


def template_name() -> str:
    """This test session's template database (PostGIS installed; conftest.pg_server)."""
    return f"es_template_{os.getpid()}"


@contextmanager
def new_database(server: str, *, postgis: bool = True, owner: str | None = None,
                 ) -> Iterator[str]:
    """A new database on the server, copied from the session's template (with PostGIS)
    or from template0 (without); its URL, and dropped afterwards."""
    name = f"es_test_{uuid.uuid4().hex[:12]}"
    template = template_name() if postgis else "template0"
    owned = f' OWNER "{owner}"' if owner else ""
    admin(server, f'CREATE DATABASE "{name}" TEMPLATE "{template}"{owned}')
    try:
        yield with_database(server, name)
    finally:
        admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
