"""The event store: articles and their events in a database, queried through one Filter.

    store = Store("eventscope.db")
    store.add(article, events)               # one transaction; False if already stored
    page, cursor = store.events(Filter(types=("ASSAULT",)), limit=100)
    more, cursor = store.events(Filter(types=("ASSAULT",)), limit=100, cursor=cursor)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Select, func, insert, inspect, literal, select, text, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..record import Article, Event
from .backend import ArticleIdTaken, Backend, StoreError, backend_for
from .filter import Filter
from .query import after_cursor, conditions, encode_cursor
from .schema import (
    SCHEMA_VERSION,
    article_bands,
    article_from_row,
    article_row,
    articles,
    event_from_row,
    event_row,
    events,
    meta,
    metadata,
    migrations,
)

__all__ = ["ArticleIdTaken", "Filter", "Store", "StoreError", "store_label", "store_location"]

DEFAULT_DB = "eventscope.db"
_EVENT_COLUMNS = [c for c in events.c if c.name != "pk"] + [
    articles.c.url, articles.c.title, articles.c.published, articles.c.outlet,
]


def store_label(url_or_path: str | Path) -> str:
    """How a database is named in messages: its path, or its URL without the password
    (StoreError for a URL that is not a database eventscope can use)."""
    return backend_for(url_or_path, read_only=True, busy_timeout=10.0).label


def store_location(url_or_path: str | Path) -> tuple[str, bool]:
    """The database's name for messages and whether it already holds a store. A server
    that cannot be reached, or refuses the credentials, is a StoreError here."""
    backend = backend_for(url_or_path, read_only=True, busy_timeout=10.0)
    try:
        return backend.label, backend.exists()
    finally:
        if backend.name != "sqlite":
            backend.engine().dispose()


def _is_new(conn: Connection) -> bool:
    """Whether the database is still to be created: no schema version and no article
    (an empty file, or one whose creation an older eventscope left half done)."""
    have = inspect(conn)
    if have.has_table(meta.name) and conn.execute(
            select(meta.c.key).where(meta.c.key == "schema_version")).first() is not None:
        return False
    return not have.has_table(articles.name) or (
        conn.execute(select(articles.c.id).limit(1)).first() is None)


class Store:
    """Articles and events in a database (a SQLite file path, or a database URL).

    ``create``: make the database if it does not exist (otherwise a missing database is
    an error); ``read_only``: open it for queries only; ``busy_timeout``: seconds to wait
    for another writer before reporting the database as locked. Every failure is a
    :class:`StoreError` whose message names the database and the problem.
    """

    def __init__(
        self,
        url_or_path: str | Path = DEFAULT_DB,
        *,
        create: bool = True,
        read_only: bool = False,
        busy_timeout: float = 10.0,
    ) -> None:
        self.backend: Backend = backend_for(url_or_path, read_only=read_only,
                                            busy_timeout=busy_timeout)
        if not self.backend.exists():
            if not create or read_only:
                # a server's database exists, it holds no store yet
                what = ("database does not exist" if self.backend.name == "sqlite"
                        else "database holds no eventscope store yet")
                raise StoreError(
                    f"{self.backend.label}: {what} "
                    "(create it with: eventscope ingest PATH --db ...)"
                )
        self.engine = self.backend.engine()
        try:
            with self.engine.begin() as conn:
                # Create only what is missing: opening an existing store writes nothing.
                if not read_only and _is_new(conn):
                    # One transaction holding the write lock from the second look on:
                    # creators queue, and a kill midway leaves the file empty (still new).
                    self.backend.begin_write(conn)
                    if _is_new(conn):
                        metadata.create_all(conn)
                        self.backend.create_extras(conn)
                        conn.execute(insert(meta),
                                     {"key": "schema_version", "value": SCHEMA_VERSION})
                elif read_only and _is_new(conn):
                    raise StoreError(f"{self.backend.label}: database is empty (nothing "
                                     "ingested yet: eventscope ingest PATH --db ...)")
                self._columns = self._check_schema(conn, read_only)
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise self.backend.error(exc) from None

    def _check_schema(self, conn: Connection, read_only: bool) -> list[Any]:
        """Bring an older store up to this version (in the opening transaction, so a
        failure leaves it as it was) and return the columns events are read with. A
        store opened read-only stays as it is: a column it lacks reads as its default."""
        version = conn.execute(
            select(meta.c.value).where(meta.c.key == "schema_version")
        ).scalar_one_or_none()
        steps = migrations(conn.dialect.name)
        if version in steps and not read_only:
            # one upgrader at a time; another may have finished while this one waited
            self.backend.begin_write(conn)
            version = conn.execute(
                select(meta.c.value).where(meta.c.key == "schema_version")
            ).scalar_one_or_none()
        while version in steps and not read_only:
            version, statements = steps[version]
            for statement in statements:
                conn.execute(text(statement))
            conn.execute(update(meta).where(meta.c.key == "schema_version")
                         .values(value=version))
        if version != SCHEMA_VERSION and version not in steps:
            raise StoreError(
                f"{self.backend.label}: database schema version {version!r}, this eventscope "
                f"reads version {SCHEMA_VERSION!r}"
            )
        if version == SCHEMA_VERSION:
            return _EVENT_COLUMNS
        # the names alone (the inspector would also parse PostGIS's types it does not know)
        have = set(conn.exec_driver_sql("SELECT * FROM events LIMIT 0").keys())
        return [c if c.table is not events or c.name in have
                else literal(getattr(c.default, "arg", None)).label(c.name)
                for c in _EVENT_COLUMNS]

    # -- writing --------------------------------------------------------------------

    def add(
        self,
        article: Article,
        article_events: Sequence[Event],
        *,
        duplicate_of: str | None = None,
        signature: bytes | None = None,
        bands: Sequence[str] = (),
    ) -> bool:
        """Store ``article`` and its events in one transaction.

        Returns False (and writes nothing) if an article with the same normalised
        content is already stored. Raises StoreError if the article id is taken by a
        different text, or the database cannot be written. ``duplicate_of`` marks a
        near-duplicate of a stored article; ``signature`` and ``bands`` (its MinHash and
        LSH bands) let later articles be matched against this one.
        """
        try:
            with self.engine.begin() as conn:
                self.backend.begin_write(conn)
                self._write(conn, article, article_events, duplicate_of, signature, bands)
        except IntegrityError as exc:
            if self.has_article(article.content_hash):
                self.add_copy(article)  # an exact copy elsewhere: another source of it
                return False
            raise self._conflict(article, exc) from None
        except SQLAlchemyError as exc:
            raise self.backend.error(exc) from None
        return True

    def add_many(self, batch: Sequence[tuple[Article, Sequence[Event]]]) -> list[bool]:
        """Store a batch of articles with their events in ONE transaction: all of it or
        nothing. Articles whose content is already stored (or repeated within the batch)
        are skipped and reported False; an article id taken by a different text raises
        StoreError and leaves the database as it was."""
        added: list[bool] = []
        try:
            with self.engine.begin() as conn:
                self.backend.begin_write(conn)
                seen: dict[str, str] = {}  # article id -> content hash, within the batch
                for article, article_events in batch:
                    known = conn.execute(select(articles.c.id).where(
                        articles.c.content_hash == article.content_hash)).first()
                    if known is not None or article.content_hash in seen.values():
                        if known is not None:  # an exact copy elsewhere: another source
                            from .changes import ChangeLog
                            from .incidents import add_copy
                            add_copy(conn, article, ChangeLog(conn))
                        added.append(False)
                        continue
                    if article.article_id in seen:
                        raise StoreError(f"{self.backend.label}: article id "
                                         f"{article.article_id!r} is repeated in the batch "
                                         "with a different text; nothing was stored")
                    seen[article.article_id] = article.content_hash
                    try:
                        self._write(conn, article, article_events, None, None, ())
                    except IntegrityError as exc:
                        raise self._conflict(article, exc) from None
                    added.append(True)
        except SQLAlchemyError as exc:
            raise self.backend.error(exc) from None
        return added

    def _write(self, conn: Connection, article: Article, article_events: Sequence[Event],
               duplicate_of: str | None, signature: bytes | None, bands: Sequence[str]) -> None:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        unique: dict[str, Event] = {}
        for ev in article_events:
            unique.setdefault(ev.event_id, ev)
        row = article_row(article, now) | {"duplicate_of": duplicate_of, "minhash": signature}
        conn.execute(insert(articles), row)
        if unique:
            # the store decides incidents (below), whatever a record came in with
            conn.execute(insert(events), [event_row(ev, article.article_id)
                                          | {"incident_id": None} for ev in unique.values()])
        if bands:
            conn.execute(insert(article_bands),
                         [{"band": b, "article_id": article.article_id} for b in bands])
        if unique:
            self._assign_incidents(conn, article.article_id)

    def _assign_incidents(self, conn: Connection, article_id: str) -> None:
        """Put the article's new events into incidents and log them, in the transaction
        that stores them (so a kill leaves both or neither)."""
        from .changes import ChangeLog
        from .incidents import Assigner

        pks = conn.execute(select(events.c.pk).where(
            events.c.article_id == article_id, events.c.incident_id.is_(None))).scalars().all()
        assigner = Assigner(conn, ChangeLog(conn))
        assigner.assign(pks)
        assigner.finish()

    def add_copy(self, article: Article) -> bool:
        """Record ``article``, an exact copy of a stored text seen at another URL or
        outlet, as another source of the stored article (counted by its incidents).
        False when the text is not stored or this source is already known."""
        from .changes import ChangeLog
        from .incidents import add_copy

        try:
            with self.engine.begin() as conn:
                self.backend.begin_write(conn)
                return add_copy(conn, article, ChangeLog(conn))
        except SQLAlchemyError as exc:
            raise self.backend.error(exc) from None

    def _conflict(self, article: Article, exc: IntegrityError) -> StoreError:
        if self.get_article(article.article_id) is not None:
            return ArticleIdTaken(
                f"{self.backend.label}: article id {article.article_id!r} is already "
                "stored with a different text"
            )
        return self.backend.error(exc)

    # -- reading --------------------------------------------------------------------

    def _run(self, statement: Any) -> list[Any]:
        try:
            with self.engine.connect() as conn:
                return list(conn.execute(statement).mappings())
        except SQLAlchemyError as exc:
            raise self.backend.error(exc) from None

    def _select_events(self, flt: Filter | None) -> Select[Any]:
        statement = select(*self._columns).select_from(events.join(articles))
        return statement.where(*conditions(flt or Filter(), self.backend))

    def similar_articles(self, bands: Sequence[str]) -> list[tuple[str, bytes]]:
        """(article id, MinHash signature) of stored articles sharing an LSH band."""
        statement = (
            select(articles.c.id, articles.c.minhash)
            .where(articles.c.id.in_(
                select(article_bands.c.article_id).where(article_bands.c.band.in_(bands))
            ))
            .where(articles.c.duplicate_of.is_(None))
            .order_by(articles.c.ingested_at, articles.c.id)
        )
        return [(row["id"], row["minhash"]) for row in self._run(statement) if row["minhash"]]

    def duplicate_of(self, article_id: str) -> str | None:
        """The stored article that ``article_id`` is a near-duplicate of, if any."""
        rows = self._run(select(articles.c.duplicate_of).where(articles.c.id == article_id))
        return rows[0]["duplicate_of"] if rows else None

    def content_hash_of(self, article_id: str) -> str | None:
        """The content hash of the stored article ``article_id``, if there is one."""
        rows = self._run(select(articles.c.content_hash).where(articles.c.id == article_id))
        return rows[0]["content_hash"] if rows else None

    def has_article(self, content_hash: str) -> bool:
        rows = self._run(select(articles.c.id).where(articles.c.content_hash == content_hash))
        return bool(rows)

    def events(
        self, flt: Filter | None = None, limit: int = 100, cursor: str | None = None,
        *, newest_first: bool = False,
    ) -> tuple[list[Event], str | None]:
        """A page of events matching ``flt``, ordered by date (undated first) then id, or
        with ``newest_first`` the latest first (undated last), and the cursor of the next
        page (None on the last page).

        Raises ValueError for a cursor that did not come from a previous page.
        """
        if limit < 1:
            raise ValueError(f"limit {limit!r}: must be at least 1")
        statement = self._select_events(flt)
        if cursor:
            statement = statement.where(after_cursor(cursor, newest_first))
        # NULLS FIRST/LAST spelled out: SQLite puts nulls first, PostgreSQL last
        order = ((events.c.date.desc().nulls_last(), events.c.event_id.desc())
                 if newest_first else (events.c.date.asc().nulls_first(), events.c.event_id))
        statement = statement.order_by(*order).limit(limit + 1)
        rows = self._run(statement)
        page = self._with_sources([event_from_row(row) for row in rows[:limit]])
        next_cursor = None
        if len(rows) > limit:
            last = page[-1]
            next_cursor = encode_cursor(last.date, last.event_id)
        return page, next_cursor

    def iter_events(self, flt: Filter | None = None, page_size: int = 1000) -> Iterator[Event]:
        """Every event matching ``flt`` in page order, fetched a page at a time."""
        cursor: str | None = None
        while True:
            page, cursor = self.events(flt, limit=page_size, cursor=cursor)
            yield from page
            if cursor is None:
                return

    def count(self, flt: Filter | None = None) -> int:
        statement = select(func.count()).select_from(events).where(
            *conditions(flt or Filter(), self.backend)
        )
        return int(self._scalar(statement))

    def _scalar(self, statement: Any) -> Any:
        try:
            with self.engine.connect() as conn:
                return conn.execute(statement).scalar_one()
        except SQLAlchemyError as exc:
            raise self.backend.error(exc) from None

    def get_event(self, event_id: str) -> Event | None:
        rows = self._run(self._select_events(None).where(events.c.event_id == event_id))
        return self._with_sources([event_from_row(rows[0])])[0] if rows else None

    def _with_sources(self, found: list[Event]) -> list[Event]:
        """``found`` with ``article.sources``: every place each article's text was seen
        (its own URL first, then exact copies elsewhere), one query per page."""
        if not found:
            return found
        from .incidents import sources_of

        try:
            with self.engine.connect() as conn:
                if not inspect(conn).has_table("article_sources"):
                    return found
                sources, _ = sources_of(conn, sorted({e.article.article_id for e in found}))
        except SQLAlchemyError as exc:
            raise self.backend.error(exc) from None
        by_article: dict[str, list[Any]] = {}
        for article_id, source in sources:
            by_article.setdefault(article_id, []).append(source)
        return [e.model_copy(update={"article": e.article.model_copy(update={
            "sources": by_article.get(e.article.article_id, [])})}) for e in found]

    def get_article(self, article_id: str) -> Article | None:
        """The article, saying where its date and outlet came from when it was fetched
        (``eventscope watch``)."""
        rows = self._run(select(articles).where(articles.c.id == article_id))
        if not rows:
            return None
        article = article_from_row(rows[0])
        from .watch import article_sources_of

        first = next(iter(article_sources_of(self, article_id)), None)
        if first is not None:
            article = article.model_copy(update={"published_source": first.published_source,
                                                 "outlet_source": first.outlet_source})
        return article

    def article_events(self, article_id: str) -> list[Event]:
        """The events of one article in text order."""
        statement = self._select_events(None).where(events.c.article_id == article_id)
        rows = self._run(statement.order_by(events.c.evidence_start, events.c.event_id))
        return self._with_sources([event_from_row(row) for row in rows])

    def events_of_incident(self, incident_id: str) -> list[Event]:
        """The events of one incident, article by article (by date) in text order."""
        statement = self._select_events(None).where(events.c.incident_id == incident_id)
        rows = self._run(statement.order_by(articles.c.published, events.c.article_id,
                                            events.c.evidence_start, events.c.event_id))
        return [event_from_row(row) for row in rows]

    def article_count(self) -> int:
        return int(self._scalar(select(func.count()).select_from(articles)))

    def stats(self, flt: Filter | None = None) -> dict[str, Any]:
        """Counts of the events matching ``flt``: ``total``, ``by_type`` (type -> n),
        ``by_day`` (ISO date -> n, in date order; undated events are not in it) and
        ``by_country`` (location ISO3 -> n, most first; events without one are not)."""
        where = conditions(flt or Filter(), self.backend)
        try:
            with self.engine.connect() as conn:
                def grouped(col: Any, order: Any) -> list[Any]:
                    statement = (
                        select(col, func.count()).select_from(events).where(*where)
                        .group_by(col).order_by(order)
                    )
                    return list(conn.execute(statement))

                n = func.count()
                by_type = grouped(events.c.event_type, events.c.event_type)
                by_day = grouped(events.c.date, events.c.date)
                by_country = grouped(events.c.country, n.desc())
        except SQLAlchemyError as exc:
            raise self.backend.error(exc) from None
        return {
            "total": sum(count for _, count in by_type),
            "by_type": {key: count for key, count in by_type},
            "by_day": {key: count for key, count in by_day if key is not None},
            "by_country": {key: count for key, count in by_country if key is not None},
        }

    # -- lifetime -------------------------------------------------------------------

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
