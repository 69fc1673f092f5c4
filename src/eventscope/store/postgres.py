"""PostgreSQL with PostGIS: the backend for one database shared by several writers and
readers (``--db postgresql://user@host:port/dbname``, psycopg 3).

What SQLite does with R*Tree and FTS5 is done here with a PostGIS point column (GiST
index, used by the bbox and near filters), a tsvector column (GIN index) over evidence
and title, and a GiST index over the incident boxes. Writers serialise on a
transaction-scoped advisory lock, as SQLite's writers do on its file lock, so that the
edit log's versions and the incidents stay consistent across processes.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Float,
    Table,
    and_,
    bindparam,
    create_engine,
    func,
    literal_column,
    text,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.sql.elements import ColumnElement

from .backend import StoreError, query_words
from .schema import events, incidents

# Text search without stop words, as SQLite's FTS5 porter tokenizer: every word the user
# types must occur (a search for "or" finds only texts with "or").
TS_CONFIG = "eventscope_english"
# The key of the writers' advisory lock (any constant; advisory locks are per database).
WRITER_LOCK = 0x65766E74

_GEOM: ColumnElement[Any] = literal_column("events.geom")
_GEOG: ColumnElement[Any] = literal_column("(events.geom::geography)")  # as in its index
_TSV: ColumnElement[Any] = literal_column("events.tsv")

# Statements run once when a store is created (after the portable tables).
_EXTRAS = (
    # The point, kept in step with lat/lon by PostgreSQL itself.
    "ALTER TABLE events ADD COLUMN geom geometry(Point, 4326) GENERATED ALWAYS AS ("
    " CASE WHEN lat IS NOT NULL AND lon IS NOT NULL"
    " THEN ST_SetSRID(ST_MakePoint(lon, lat), 4326) END) STORED",
    "CREATE INDEX ix_events_geom ON events USING gist (geom)",
    # near: great-circle distances through the geography index
    "CREATE INDEX ix_events_geog ON events USING gist ((geom::geography))",
    # The same formula as eventscope.geodesy.haversine_km (SQLite registers the Python one).
    "CREATE OR REPLACE FUNCTION haversine_km(lat1 float8, lon1 float8, lat2 float8,"
    " lon2 float8) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$"
    " SELECT 2 * 6371.0088 * asin(least(1.0, sqrt("
    " sin(radians(lat2 - lat1) / 2) ^ 2"
    " + cos(radians(lat1)) * cos(radians(lat2)) * sin(radians(lon2 - lon1) / 2) ^ 2))) $$",
    f"CREATE TEXT SEARCH DICTIONARY {TS_CONFIG}_stem (TEMPLATE = snowball,"
    " Language = english)",
    f"CREATE TEXT SEARCH CONFIGURATION {TS_CONFIG} (COPY = english)",
    f"ALTER TEXT SEARCH CONFIGURATION {TS_CONFIG} ALTER MAPPING FOR asciiword, asciihword,"
    f" hword_asciipart, word, hword, hword_part WITH {TS_CONFIG}_stem",
    # The words of the evidence sentence and the article's title (another table, so a
    # trigger rather than a generated column).
    "ALTER TABLE events ADD COLUMN tsv tsvector",
    "CREATE INDEX ix_events_tsv ON events USING gin (tsv)",
    "CREATE OR REPLACE FUNCTION events_tsv() RETURNS trigger LANGUAGE plpgsql AS $$"
    f" BEGIN NEW.tsv := to_tsvector('{TS_CONFIG}', coalesce(NEW.evidence_sentence, '')"
    " || ' ' || coalesce((SELECT title FROM articles WHERE id = NEW.article_id), ''));"
    " RETURN NEW; END $$",
    "CREATE TRIGGER events_tsv BEFORE INSERT OR UPDATE OF evidence_sentence, article_id"
    " ON events FOR EACH ROW EXECUTE FUNCTION events_tsv()",
)


def _nulls_first(*tables: Table) -> list[str]:
    """The page-order indexes again with undated rows first (SQLite's order, and the
    order pages are read in); their columns as schema.py lists them."""
    out = []
    for table in tables:
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            names = [c.name for c in index.columns]
            if "date" not in names or names[0] not in ("date", "event_type"):
                continue
            columns = ", ".join("date NULLS FIRST" if n == "date" else n for n in names)
            out += [f"DROP INDEX {index.name}",
                    f"CREATE INDEX {index.name} ON {table.name} ({columns})"]
    return out

# The incident boxes (store/incidents.py): lon, lat and day as a 3-D box (a line from
# corner to corner) under an n-dimensional GiST index, as SQLite's 3-D R*Tree.
INCIDENT_BOXES = (
    "CREATE TABLE IF NOT EXISTS incident_boxes (id bigint PRIMARY KEY, box geometry NOT NULL)",
    "CREATE INDEX IF NOT EXISTS ix_incident_boxes ON incident_boxes"
    " USING gist (box gist_geometry_ops_nd)",
)
_BOX = ("ST_MakeLine(ST_MakePoint(:minlon, :minlat, :minday),"
        " ST_MakePoint(:maxlon, :maxlat, :maxday))")
BOX_SQL = {
    "join": "incident_boxes r JOIN events e ON e.pk = r.id",
    "where": f"r.box &&& {_BOX} AND r.id != :pk",
    "insert": (f"INSERT INTO incident_boxes (id, box) VALUES (:pk, {_BOX})"
               " ON CONFLICT (id) DO UPDATE SET box = excluded.box"),
    "delete": "DELETE FROM incident_boxes WHERE id = :pk",
}

SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


def pg_url(target: str) -> URL:
    """The SQLAlchemy URL (psycopg 3 driver) of a ``postgresql://`` URL, or StoreError."""
    shown = re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", target)
    try:
        url = make_url(target)
        if url.port is not None and not 0 < url.port < 65536:  # not a number fails too
            raise ValueError(url.port)
    except (ArgumentError, ValueError):
        raise StoreError(f"{shown}: not a database URL (expected "
                         "postgresql://user@host:port/dbname)") from None
    if not url.database:
        raise StoreError(f"{shown}: the URL names no database (expected "
                         "postgresql://user@host:port/dbname)")
    return url.set(drivername="postgresql+psycopg")


def ts_query(words: str) -> ColumnElement[Any]:
    """Every word of the user's text (quoted, so operators are plain words); a trailing
    ``*`` keeps prefix search, as :func:`eventscope.store.backend.fts_query`."""
    parts: list[ColumnElement[Any]] = []
    for word, prefix in query_words(words):
        if prefix:
            quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "':*"
            parts.append(func.to_tsquery(TS_CONFIG, bindparam(None, quoted)))
        else:
            parts.append(func.phraseto_tsquery(TS_CONFIG, bindparam(None, word)))
    if not parts:
        return func.phraseto_tsquery(TS_CONFIG, "")
    query = parts[0]
    for part in parts[1:]:
        query = query.op("&&")(part)
    return query


class PostgresBackend:
    """PostgreSQL with PostGIS (GiST over the event points, GIN over their words)."""

    name = "postgresql"
    EXTENSION = "postgis"

    def __init__(self, target: str, *, read_only: bool, busy_timeout: float) -> None:
        self.url = pg_url(target)
        self.read_only = read_only
        self.busy_timeout = busy_timeout
        self._engine: Engine | None = None

    @property
    def label(self) -> str:
        return self.url.set(drivername="postgresql").render_as_string(hide_password=True)

    def engine(self) -> Engine:
        if self._engine is None:
            # Waits for another writer's lock end after the busy timeout, as on SQLite.
            options = f"-c lock_timeout={int(self.busy_timeout * 1000)}"
            if self.read_only:
                options += " -c default_transaction_read_only=on"
            self._engine = create_engine(
                self.url, pool_size=8, max_overflow=16, pool_pre_ping=True,
                connect_args={"connect_timeout": max(1, int(self.busy_timeout)),
                              "options": options, "application_name": "eventscope"})
        return self._engine

    def exists(self) -> bool:
        """Whether the database holds a store (the database itself must exist: a server
        that cannot be reached, or refuses us, is a StoreError here)."""
        try:
            with self.engine().connect() as conn:
                found = conn.execute(text("SELECT to_regclass('meta') IS NOT NULL")).scalar()
        except Exception as exc:  # noqa: BLE001 - every driver error becomes one line
            self.engine().dispose()
            raise self.error(exc) from None
        return bool(found)

    def create_extras(self, conn: Connection) -> None:
        self.ensure_extension(conn)
        for statement in (*_EXTRAS, *_nulls_first(events, incidents), *INCIDENT_BOXES):
            conn.execute(text(statement))

    def ensure_extension(self, conn: Connection) -> None:
        """PostGIS in this database, created on first use (in a savepoint, so that a
        failure is reported as such rather than as an aborted transaction)."""
        have = conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = :name"),
                            {"name": self.EXTENSION}).first()
        if have is None:
            conn.execute(text(f'CREATE EXTENSION IF NOT EXISTS "{self.EXTENSION}"'))

    def begin_write(self, conn: Connection) -> None:
        """Wait for the other writers' transactions (one writer at a time, as SQLite)."""
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})

    # As SQLite's RTREE_LIST_MAX: past this many events in a box, a bitmap of them from
    # the GiST index costs more (20 ms at 235,000) than testing the lon/lat that the
    # date and type indexes carry.
    GIST_LIST_MAX = 20_000

    def _boxed(self, bbox: tuple[float, float, float, float]) -> float:
        """How many events PostGIS's statistics expect in ``bbox``: the planner's estimate,
        well under a millisecond where counting them through the index took longer than
        the query saved."""
        try:
            with self.engine().connect() as conn:
                plan = conn.execute(text(
                    "EXPLAIN (FORMAT JSON) SELECT 1 FROM events WHERE geom &&"
                    " ST_MakeEnvelope(:minlon, :minlat, :maxlon, :maxlat, 4326)"),
                    dict(zip(("minlon", "minlat", "maxlon", "maxlat"), bbox, strict=True)),
                ).scalar_one()
            return float(plan[0]["Plan"]["Plan Rows"])
        except Exception:  # noqa: BLE001 - nothing to ask yet: the query itself will say
            return 0.0

    def bbox_clause(self, bbox: tuple[float, float, float, float]) -> ColumnElement[bool]:
        minlon, minlat, maxlon, maxlat = bbox
        exact = and_(events.c.lon.between(minlon, maxlon), events.c.lat.between(minlat, maxlat))
        if self._boxed(bbox) > self.GIST_LIST_MAX:
            return exact
        envelope = func.ST_MakeEnvelope(minlon, minlat, maxlon, maxlat, 4326)
        # The index holds boxes rounded outwards to 32-bit floats: the coarse test; the
        # exact one runs on the stored coordinates (as on SQLite).
        return and_(_GEOM.op("&&")(envelope), exact)

    def near_clause(self, lat: float, lon: float, km: float) -> ColumnElement[bool]:
        point = func.geography(func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326))
        # On PostGIS's sphere, widened a little: the haversine below decides, with the
        # same radius and formula as on SQLite.
        within = func.ST_DWithin(_GEOG, point, km * 1000 * 1.001 + 1, False)
        distance = func.haversine_km(events.c.lat, events.c.lon, lat, lon, type_=Float)
        return and_(within, distance <= km)

    def text_clause(self, query: str) -> ColumnElement[bool]:
        return _TSV.op("@@")(ts_query(query))

    def error(self, exc: BaseException) -> StoreError:
        return pg_error(self.label, exc, self.busy_timeout, self.url)


def pg_error(where: str, exc: BaseException, busy_timeout: float, url: URL) -> StoreError:
    """One line naming the database, what failed and how to fix it."""
    if isinstance(exc, StoreError):
        return exc
    detail = re.sub(r"\s+", " ", str(getattr(exc, "orig", exc))).strip()
    message = detail.lower()
    host = f"{url.host or 'localhost'}:{url.port or 5432}"
    if "postgis" in message and ("control file" in message or "not available" in message):
        return StoreError(
            f"{where}: PostGIS is not installed on the server (install it there, e.g. "
            "apt install postgresql-15-postgis-3, then run again)")
    if "permission denied to create extension" in message:
        return StoreError(
            f"{where}: PostGIS is not enabled in database {url.database!r} and user "
            f"{url.username!r} may not enable it (ask its owner to run: CREATE EXTENSION "
            "postgis)")
    if "connection refused" in message:
        return StoreError(f"{where}: no PostgreSQL server answers at {host} (connection "
                          "refused; is it running, on that host and port?)")
    if "password authentication failed" in message or "no password supplied" in message \
            or "authentication failed" in message:
        return StoreError(f"{where}: the server refused the credentials of user "
                          f"{url.username!r} (check the user and password in the URL, or "
                          "PGPASSWORD / ~/.pgpass)")
    if "does not exist" in message and "database" in message:
        return StoreError(f"{where}: database {url.database!r} does not exist on the server "
                          f"(create it first: createdb -h {url.host or 'localhost'} "
                          f"{url.database})")
    if "role" in message and "does not exist" in message:
        return StoreError(f"{where}: user {url.username!r} does not exist on the server "
                          "(check the user in the URL)")
    if "timeout expired" in message or "could not translate host name" in message \
            or "name or service not known" in message:
        return StoreError(f"{where}: cannot reach a PostgreSQL server at {host} "
                          f"({detail}; check the host and port)")
    if "lock timeout" in message:
        return StoreError(f"{where}: database is locked by another process (gave up after "
                          f"{busy_timeout:g} s); try again when it has finished")
    if "read-only transaction" in message:
        return StoreError(f"{where}: opened read-only; this needs a writable store")
    if "undefinedtable" in type(getattr(exc, "orig", exc)).__name__.lower() or (
            "relation" in message and "does not exist" in message):
        return StoreError(f"{where}: not an eventscope database (tables missing)")
    if "connection" in message and ("failed" in message or "closed" in message):
        return StoreError(f"{where}: cannot connect to the PostgreSQL server at {host} "
                          f"({detail})")
    return StoreError(f"{where}: database error: {detail}")

