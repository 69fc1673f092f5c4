"""What differs between databases: connecting, the spatial and full-text indexes, and
turning driver errors into one clear line. Everything else in the store is portable Core.

SQLite is the default (R*Tree for coordinates, FTS5 over evidence and titles). A
PostgreSQL/PostGIS backend implements the same methods (GiST index, tsvector) and the
stages, queries and CLI stay as they are.
"""

from __future__ import annotations

import math
import re
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import (
    Connection,
    Engine,
    Integer,
    column,
    create_engine,
    event,
    func,
    select,
    table,
    text,
)
from sqlalchemy.pool import QueuePool
from sqlalchemy.sql.elements import ColumnElement

from ..geodesy import EARTH_RADIUS_KM, haversine_km
from .schema import INCIDENT_RTREE, events


class StoreError(RuntimeError):
    """A database that cannot be used, as one line naming it and the problem."""


class ArticleIdTaken(StoreError):
    """An article id already stored with a different text: that article is refused, the
    database is fine."""


def bbox_around(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """(minlon, minlat, maxlon, maxlat) enclosing the circle of ``km`` around a point."""
    dlat = math.degrees(km / EARTH_RADIUS_KM)
    cos_lat = math.cos(math.radians(lat))
    if abs(lat) + dlat >= 90 or cos_lat < 1e-6:
        return -180.0, max(-90.0, lat - dlat), 180.0, min(90.0, lat + dlat)
    dlon = math.degrees(km / (EARTH_RADIUS_KM * cos_lat))
    if dlon >= 180:
        return -180.0, lat - dlat, 180.0, lat + dlat
    # A circle across the antimeridian: the prefilter widens to every longitude.
    if lon - dlon < -180 or lon + dlon > 180:
        return -180.0, lat - dlat, 180.0, lat + dlat
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


def query_words(text: str) -> list[tuple[str, bool]]:
    """A user's text search as (word, whether a trailing ``*`` asks for its prefix), on
    every backend."""
    return [(word.rstrip("*"), word.endswith("*")) for word in text.split()
            if word.rstrip("*")]


def fts_query(text: str) -> str:
    """A user's words as an FTS5 query: every word must occur (quoted, so operators and
    punctuation in the input are plain text); a trailing ``*`` keeps prefix search."""
    terms = ['"' + word.replace('"', '""') + '"' + ("*" if prefix else "")
             for word, prefix in query_words(text)]
    return " ".join(terms) or '""'


class Backend(Protocol):
    """The dialect-specific part of the store."""

    name: str
    read_only: bool

    @property
    def label(self) -> str:
        """How the database is named in messages."""

    def exists(self) -> bool: ...
    def engine(self) -> Engine: ...
    def create_extras(self, conn: Connection) -> None: ...
    def begin_write(self, conn: Connection) -> None: ...
    def bbox_clause(self, bbox: tuple[float, float, float, float]) -> ColumnElement[bool]: ...
    def near_clause(self, lat: float, lon: float, km: float) -> ColumnElement[bool]: ...
    def text_clause(self, query: str) -> ColumnElement[bool]: ...
    def error(self, exc: BaseException) -> StoreError: ...


class SQLiteBackend:
    """SQLite with WAL (readers never block the writer), R*Tree and FTS5."""

    name = "sqlite"
    rtree = table(
        "events_rtree", column("id", Integer), column("min_lon"), column("max_lon"),
        column("min_lat"), column("max_lat"),
    )
    fts = table("events_fts", column("rowid", Integer), column("events_fts"))

    _EXTRAS = (
        "CREATE VIRTUAL TABLE IF NOT EXISTS events_rtree USING rtree("
        "id, min_lon, max_lon, min_lat, max_lat)",
        "CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5("
        "sentence, title, tokenize='porter unicode61')",
        # Kept in step by triggers, so every writer (and every transaction) updates them
        # together with the row.
        "CREATE TRIGGER IF NOT EXISTS events_ai AFTER INSERT ON events BEGIN "
        " INSERT INTO events_rtree(id, min_lon, max_lon, min_lat, max_lat)"
        "  SELECT new.pk, new.lon, new.lon, new.lat, new.lat"
        "  WHERE new.lat IS NOT NULL AND new.lon IS NOT NULL;"
        " INSERT INTO events_fts(rowid, sentence, title) VALUES (new.pk,"
        "  new.evidence_sentence, (SELECT title FROM articles WHERE id = new.article_id));"
        "END",
        "CREATE TRIGGER IF NOT EXISTS events_ad AFTER DELETE ON events BEGIN "
        " DELETE FROM events_rtree WHERE id = old.pk;"
        " DELETE FROM events_fts WHERE rowid = old.pk;"
        "END",
        INCIDENT_RTREE,
    )

    def __init__(self, path: Path, *, read_only: bool, busy_timeout: float) -> None:
        self.path = path
        self.read_only = read_only
        self.busy_timeout = busy_timeout

    @property
    def label(self) -> str:
        return str(self.path)

    def exists(self) -> bool:
        return self.path.exists()

    def engine(self) -> Engine:
        mode = "ro" if self.read_only else "rwc"
        uri = f"file:{self.path.resolve().as_posix()}?mode={mode}"

        def connect() -> sqlite3.Connection:
            return sqlite3.connect(
                uri, uri=True, timeout=self.busy_timeout, check_same_thread=False
            )

        # The URL names no file (the creator opens it), so SQLAlchemy would assume an
        # in-memory database and share one connection per thread among at most five
        # threads, closing the others' under them; a file wants an ordinary pool.
        engine = create_engine("sqlite+pysqlite://", creator=connect, poolclass=QueuePool,
                               pool_size=8, max_overflow=16)
        event.listen(engine, "connect", self._on_connect)
        return engine

    def _on_connect(self, dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.create_function("haversine_km", 4, haversine_km, deterministic=True)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
        cur.execute("PRAGMA foreign_keys = ON")
        if not self.read_only:
            self._wal(cur)
            # WAL + NORMAL: a crash may lose the last commits but never corrupts.
            cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    def _wal(self, cur: sqlite3.Cursor) -> None:
        """Switch to WAL. The switch takes the file's lock without SQLite's busy handler,
        so while another process is creating the same new file it fails at once with
        "locked": wait and retry for up to the busy timeout."""
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                cur.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def create_extras(self, conn: Connection) -> None:
        for statement in self._EXTRAS:
            conn.execute(text(statement))

    def begin_write(self, conn: Connection) -> None:
        """Start the connection's transaction now, holding the write lock. Python's
        sqlite3 otherwise begins one only at the first INSERT, so CREATE statements
        before it would each commit alone."""
        raw = conn.connection.driver_connection
        if raw is not None and not raw.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    # Listing a box's events from the R*Tree costs about 2 microseconds each: quick for a
    # city or a country, 0.6 s for a region holding 300,000 of a million events, where
    # the date and type indexes (which carry the coordinates) find a page in milliseconds.
    RTREE_LIST_MAX = 20_000

    def _boxed(self, bbox: tuple[float, float, float, float]) -> int:
        """How many events the R*Tree holds in ``bbox``, counted up to RTREE_LIST_MAX + 1
        (a few milliseconds at most)."""
        minlon, minlat, maxlon, maxlat = bbox
        uri = f"file:{self.path.resolve().as_posix()}?mode=ro"
        try:
            with closing(sqlite3.connect(uri, uri=True, timeout=self.busy_timeout)) as conn:
                return int(conn.execute(
                    "SELECT count(*) FROM (SELECT 1 FROM events_rtree WHERE max_lon >= ? "
                    "AND min_lon <= ? AND max_lat >= ? AND min_lat <= ? LIMIT ?)",
                    (minlon, maxlon, minlat, maxlat, self.RTREE_LIST_MAX + 1)).fetchone()[0])
        except sqlite3.Error:  # nothing to ask yet: the query itself will say what is wrong
            return 0

    def bbox_clause(self, bbox: tuple[float, float, float, float]) -> ColumnElement[bool]:
        minlon, minlat, maxlon, maxlat = bbox
        exact = events.c.lon.between(minlon, maxlon) & events.c.lat.between(minlat, maxlat)
        if self._boxed(bbox) > self.RTREE_LIST_MAX:
            return exact
        r = self.rtree.c
        # The R*Tree stores 32-bit floats rounded outwards, so it is the coarse prefilter
        # and the exact test runs on the stored coordinates.
        in_tree = select(r.id).where(
            r.max_lon >= minlon, r.min_lon <= maxlon, r.max_lat >= minlat, r.min_lat <= maxlat
        )
        return events.c.pk.in_(in_tree) & exact

    def near_clause(self, lat: float, lon: float, km: float) -> ColumnElement[bool]:
        distance = func.haversine_km(events.c.lat, events.c.lon, lat, lon)
        return self.bbox_clause(bbox_around(lat, lon, km)) & (distance <= km)

    def text_clause(self, query: str) -> ColumnElement[bool]:
        matches = select(self.fts.c.rowid).where(
            self.fts.c.events_fts.op("MATCH")(fts_query(query))
        )
        return events.c.pk.in_(matches)

    def error(self, exc: BaseException) -> StoreError:
        """One line naming the database and what is wrong with it."""
        message = str(getattr(exc, "orig", exc)).lower()
        where = self.label
        if "locked" in message or "busy" in message:
            return StoreError(
                f"{where}: database is locked by another process "
                f"(gave up after {self.busy_timeout:g} s); try again when it has finished"
            )
        if "readonly" in message or "read-only" in message:
            return StoreError(f"{where}: database is read-only (check the file's permissions)")
        if "not a database" in message or "malformed" in message:
            return StoreError(f"{where}: not an eventscope database (or it is damaged)")
        if "unable to open" in message:
            return StoreError(
                f"{where}: cannot open the database (does its folder exist and is it writable?)"
            )
        if "no such table" in message:
            return StoreError(f"{where}: not an eventscope database (tables missing)")
        detail = re.sub(r"\s+", " ", str(getattr(exc, "orig", exc))).strip()
        return StoreError(f"{where}: database error: {detail}")


def backend_for(url_or_path: str | Path, *, read_only: bool, busy_timeout: float) -> Backend:
    """The backend for a path (SQLite file) or a database URL (``sqlite:///PATH`` or
    ``postgresql://user@host:port/dbname``)."""
    target = str(url_or_path)
    if target.startswith("sqlite:///"):
        target = target[len("sqlite:///"):]
    elif "://" in target:
        from .postgres import SCHEMES, PostgresBackend

        scheme = target.split("://", 1)[0].lower()
        if scheme not in SCHEMES:
            raise StoreError(
                f"{target}: not a database URL eventscope can use (give a SQLite file path "
                "or postgresql://user@host:port/dbname)"
            )
        return PostgresBackend(target, read_only=read_only, busy_timeout=busy_timeout)
    return SQLiteBackend(Path(target), read_only=read_only, busy_timeout=busy_timeout)


# The incident boxes (store/incidents.py) on each backend: the FROM of the candidate
# query, its WHERE (boxes overlapping the :min*/:max* box, other than event :pk), and
# the statements that insert or replace the box of event :pk and delete it.
SQLITE_BOX_SQL = {
    "join": "incident_rtree r JOIN events e ON e.pk = r.id",
    "where": "r.min_lon <= :maxlon AND r.max_lon >= :minlon AND r.min_lat <= :maxlat"
    " AND r.max_lat >= :minlat AND r.min_day <= :maxday AND r.max_day >= :minday"
    " AND r.id != :pk",
    "insert": "INSERT OR REPLACE INTO incident_rtree VALUES "
    "(:pk, :minlon, :maxlon, :minlat, :maxlat, :minday, :maxday)",
    "delete": "DELETE FROM incident_rtree WHERE id = :pk",
}


def box_sql(conn: Connection) -> dict[str, str]:
    """The incident-box statements of the connection's database."""
    if conn.dialect.name == "postgresql":
        from .postgres import BOX_SQL

        return BOX_SQL
    return SQLITE_BOX_SQL
