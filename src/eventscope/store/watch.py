"""The living database's tables through the Store: feeds, items seen, watchlists, alerts.

Functions over a :class:`~eventscope.store.Store` (its engine and error mapping), so that
every write still goes through the store. The tables are created on first use, which lets
a store made by an older eventscope gain them without a migration; reading a store that
lacks them reads as empty.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Connection, case, delete, func, insert, inspect, literal, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..record import Article, Event
from .filter import Filter
from .query import conditions
from .schema import (
    WATCH_TABLES,
    alerts,
    article_sources,
    articles,
    events,
    feed_items,
    feeds,
    metadata,
    watchlists,
)

if TYPE_CHECKING:
    from . import Store

_READY: weakref.WeakSet[Store] = weakref.WeakSet()
MAX_ATTEMPTS = 10  # deliveries of one alert before it is given up (status "failed")
RETRY_BASE = 60.0  # seconds before the first retry; doubles each time, at most an hour


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _ensure(store: Store) -> None:
    """Create the watch tables that are missing (once per Store object)."""
    if store in _READY:
        return
    try:
        with store.engine.begin() as conn:
            metadata.create_all(conn, tables=list(WATCH_TABLES))
    except SQLAlchemyError as exc:
        raise store.backend.error(exc) from None
    _READY.add(store)


def _present(store: Store, conn: Connection, table: Any) -> bool:
    return store in _READY or inspect(conn).has_table(table.name)


def _write(store: Store) -> Any:
    _ensure(store)
    return store.engine.begin()


def _rows(store: Store, table: Any, statement: Any) -> list[Any]:
    try:
        with store.engine.connect() as conn:
            if not _present(store, conn, table):
                return []
            return list(conn.execute(statement).mappings())
    except SQLAlchemyError as exc:
        raise store.backend.error(exc) from None


# -- feeds --------------------------------------------------------------------------------


@dataclass
class FeedRecord:
    url: str
    outlet: str | None = None
    title: str | None = None
    country_bias: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_polled: str | None = None
    failures: int = 0
    last_error: str | None = None
    added_at: str = ""


def add_feed(store: Store, url: str, outlet: str | None = None,
             country_bias: str | None = None) -> bool:
    """Register a feed; False if it is already registered (nothing changes)."""
    try:
        with _write(store) as conn:
            conn.execute(insert(feeds), {"url": url, "outlet": outlet,
                                         "country_bias": country_bias, "failures": 0,
                                         "added_at": now_iso()})
    except IntegrityError:
        return False
    except SQLAlchemyError as exc:
        raise store.backend.error(exc) from None
    return True


def list_feeds(store: Store) -> list[FeedRecord]:
    rows = _rows(store, feeds, select(feeds).order_by(feeds.c.added_at, feeds.c.url))
    return [FeedRecord(**dict(row)) for row in rows]


def remove_feed(store: Store, url: str) -> bool:
    """Forget a feed and the items seen in it (stored articles stay)."""
    try:
        with _write(store) as conn:
            gone = conn.execute(delete(feeds).where(feeds.c.url == url)).rowcount
            conn.execute(delete(feed_items).where(feed_items.c.feed_url == url))
    except SQLAlchemyError as exc:
        raise store.backend.error(exc) from None
    return bool(gone)


def feed_polled(store: Store, url: str, *, etag: str | None, last_modified: str | None,
                title: str | None) -> None:
    """A successful poll: keep the validators for the next conditional GET."""
    values: dict[str, Any] = {"last_polled": now_iso(), "failures": 0, "last_error": None,
                              "etag": etag, "last_modified": last_modified}
    if title:
        values["title"] = title
    _update_feed(store, url, values)


def feed_not_modified(store: Store, url: str) -> None:
    _update_feed(store, url, {"last_polled": now_iso(), "failures": 0, "last_error": None})


def feed_failed(store: Store, url: str, error: str) -> None:
    _update_feed(store, url, {"last_polled": now_iso(), "last_error": error,
                              "failures": feeds.c.failures + 1})


def _update_feed(store: Store, url: str, values: dict[str, Any]) -> None:
    try:
        with _write(store) as conn:
            conn.execute(update(feeds).where(feeds.c.url == url).values(**values))
    except SQLAlchemyError as exc:
        raise store.backend.error(exc) from None


def seen_items(store: Store, feed_url: str, keys: Sequence[str]) -> set[str]:
    """Which of ``keys`` were already handled for this feed."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = list(keys[start:start + 500])
        rows = _rows(store, feed_items, select(feed_items.c.item_key).where(
            feed_items.c.feed_url == feed_url, feed_items.c.item_key.in_(chunk)))
        found.update(row["item_key"] for row in rows)
    return found


def mark_item(store: Store, feed_url: str, key: str, outcome: str,
              article_id: str | None = None) -> None:
    """Record an item as handled (``failed`` ones too, when retrying cannot help)."""
    try:
        with _write(store) as conn:
            _mark(conn, feed_url, key, outcome, article_id)
    except SQLAlchemyError as exc:
        raise store.backend.error(exc) from None


def _mark(conn: Connection, feed_url: str, key: str, outcome: str,
          article_id: str | None) -> None:
    row = {"feed_url": feed_url, "item_key": key, "outcome": outcome,
           "article_id": article_id, "seen_at": now_iso()}
    exists = conn.execute(select(feed_items.c.item_key).where(
        feed_items.c.feed_url == feed_url, feed_items.c.item_key == key)).first()
    if exists is None:
        conn.execute(insert(feed_items), row)


def store_fetched(
    store: Store, article: Article, found: Sequence[Event], *, feed_url: str, item_key: str,
    duplicate_of: str | None = None, signature: bytes | None = None,
    bands: Sequence[str] = (),
) -> Literal["new", "near-duplicate", "duplicate"]:
    """Store a fetched article with its events, where it was found, and its feed item as
    seen, all in one transaction. A text already stored is not stored again ("duplicate"):
    only the new URL it was seen at is recorded."""
    seen_at = now_iso()
    try:
        with _write(store) as conn:
            # the writer's lock first, so that a concurrent writer of the same text is
            # seen here (and this one records a duplicate) rather than met at the insert
            store.backend.begin_write(conn)
            known = conn.execute(select(articles.c.id).where(
                articles.c.content_hash == article.content_hash)).scalar_one_or_none()
            outcome: Literal["new", "near-duplicate", "duplicate"]
            if known is None:
                store._write(conn, article, found, duplicate_of, signature, bands)
                article_id = article.article_id
                outcome = "near-duplicate" if duplicate_of else "new"
            else:
                article_id, outcome = known, "duplicate"
            conn.execute(insert(article_sources), {
                "article_id": article_id, "url": article.url or item_key,
                "feed_url": feed_url, "outlet": article.outlet,
                "outlet_source": article.outlet_source, "published": article.published,
                "published_source": article.published_source, "seen_at": seen_at,
            })
            _mark(conn, feed_url, item_key, outcome, article_id)
            if outcome == "duplicate":  # another outlet counts for its incidents
                from .changes import ChangeLog
                from .incidents import recount_sources
                recount_sources(conn, article_id, ChangeLog(conn))
    except IntegrityError as exc:
        raise store._conflict(article, exc) from None
    except SQLAlchemyError as exc:
        raise store.backend.error(exc) from None
    return outcome


@dataclass
class SourceRecord:
    url: str
    feed_url: str | None
    outlet: str | None
    outlet_source: str | None
    published: str | None
    published_source: str | None
    seen_at: str


def article_sources_of(store: Store, article_id: str) -> list[SourceRecord]:
    """Every URL a stored text was fetched at, with where its outlet and date came from."""
    c = article_sources.c
    rows = _rows(store, article_sources, select(
        c.url, c.feed_url, c.outlet, c.outlet_source, c.published, c.published_source,
        c.seen_at).where(c.article_id == article_id).order_by(c.seen_at))
    return [SourceRecord(**dict(row)) for row in rows]


# -- watchlists ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    """Where a watchlist's alerts go: a webhook (signed when ``secret``) or an address."""

    kind: Literal["webhook", "email"]
    target: str
    secret: str | None = None

    @property
    def label(self) -> str:
        return f"{self.kind} {self.target}"


LOG = "log"  # the delivery of a watchlist with none: the alert is only logged


@dataclass
class Watchlist:
    name: str
    filter: Filter
    deliveries: list[Delivery] = field(default_factory=list)
    created_at: str = ""
    after_pk: int = 0

    def delivery(self, label: str) -> Delivery | None:
        return next((d for d in self.deliveries if d.label == label), None)


def filter_to_json(flt: Filter) -> str:
    return json.dumps({k: v for k, v in dataclasses.asdict(flt).items()
                       if v not in (None, ())}, sort_keys=True)


def filter_from_json(text: str) -> Filter:
    data = json.loads(text)
    for key in ("types", "bbox", "near"):
        if key in data:
            data[key] = tuple(data[key])
    return Filter(**data)


def _watchlist(row: Any) -> Watchlist:
    return Watchlist(
        name=row["name"], filter=filter_from_json(row["filter"]),
        deliveries=[Delivery(**d) for d in json.loads(row["deliveries"])],
        created_at=row["created_at"], after_pk=row["after_pk"],
    )


def add_watchlist(store: Store, name: str, flt: Filter,
                  deliveries: Sequence[Delivery] = ()) -> Watchlist:
    """A new watchlist, matching events stored from now on; ValueError if the name is
    taken."""
    if not name.strip():
        raise ValueError("watchlist name is empty")
    try:
        with _write(store) as conn:
            last = conn.execute(select(func.max(events.c.pk))).scalar() or 0
            row = {"name": name, "filter": filter_to_json(flt),
                   "deliveries": json.dumps([dataclasses.asdict(d) for d in deliveries]),
                   "created_at": now_iso(), "after_pk": last}
            conn.execute(insert(watchlists), row)
    except IntegrityError:
        raise ValueError(f"watchlist {name!r} already exists (remove it first)") from None
    except SQLAlchemyError as exc:
        raise store.backend.error(exc) from None
    return _watchlist(row)


def list_watchlists(store: Store) -> list[Watchlist]:
    rows = _rows(store, watchlists, select(watchlists).order_by(watchlists.c.name))
    return [_watchlist(row) for row in rows]


def get_watchlist(store: Store, name: str) -> Watchlist | None:
    rows = _rows(store, watchlists, select(watchlists).where(watchlists.c.name == name))
    return _watchlist(rows[0]) if rows else None


def remove_watchlist(store: Store, name: str) -> bool:
    """Forget a watchlist and its alert log."""
    try:
        with _write(store) as conn:
            conn.execute(delete(alerts).where(alerts.c.watchlist == name))
            gone = conn.execute(delete(watchlists).where(watchlists.c.name == name)).rowcount
    except SQLAlchemyError as exc:
        raise store.backend.error(exc) from None
    return bool(gone)


def match_new_events(store: Store) -> int:
    """Alerts for every event stored since each watchlist last looked, one per delivery
    (or one logged alert for a watchlist without deliveries). Returns the number of new
    (watchlist, event) matches. The unique (watchlist, event, delivery) key makes a rerun
    add nothing."""
    matched = 0
    for wl in list_watchlists(store):
        try:
            with _write(store) as conn:
                last = conn.execute(select(func.max(events.c.pk))).scalar() or 0
                if last <= wl.after_pk:
                    continue
                statement = (
                    select(events.c.pk, events.c.event_id)
                    .select_from(events.join(articles))
                    .where(events.c.pk > wl.after_pk, events.c.pk <= last,
                           *conditions(wl.filter, store.backend))
                    .order_by(events.c.pk)
                )
                hits = list(conn.execute(statement))
                labels = [d.label for d in wl.deliveries] or [LOG]
                created = now_iso()
                for pk, event_id in hits:
                    for label in labels:
                        taken = conn.execute(select(alerts.c.id).where(
                            alerts.c.watchlist == wl.name, alerts.c.event_id == event_id,
                            alerts.c.delivery == label)).first()
                        if taken is None:
                            conn.execute(insert(alerts), {
                                "watchlist": wl.name, "event_id": event_id, "event_pk": pk,
                                "delivery": label, "attempts": 0, "created_at": created,
                                "status": "logged" if label == LOG else "pending",
                                "next_try": None if label == LOG else created,
                            })
                matched += len(hits)
                conn.execute(update(watchlists).where(watchlists.c.name == wl.name)
                             .values(after_pk=last))
        except SQLAlchemyError as exc:
            raise store.backend.error(exc) from None
    return matched


@dataclass
class Batch:
    """Pending alerts of one watchlist to one delivery, with their events."""

    watchlist: Watchlist
    delivery: Delivery
    alert_ids: list[int]
    events: list[Event]
    attempts: int


def due_batches(store: Store, now: str | None = None, limit: int = 100) -> list[Batch]:
    """Pending alerts whose time has come, grouped by watchlist and delivery (at most
    ``limit`` events a batch)."""
    when = now or now_iso()
    c = alerts.c
    rows = _rows(store, alerts, select(c.id, c.watchlist, c.event_id, c.delivery,
                                       c.attempts).where(c.status == "pending",
                                                         c.next_try <= when)
                 .order_by(c.watchlist, c.delivery, c.event_pk))
    lists = {wl.name: wl for wl in list_watchlists(store)}
    grouped: dict[tuple[str, str], Batch] = {}
    for row in rows:
        wl = lists.get(row["watchlist"])
        delivery = wl.delivery(row["delivery"]) if wl else None
        if wl is None or delivery is None:
            continue  # the delivery was removed with its watchlist
        batch = grouped.get((wl.name, delivery.label))
        if batch is None:
            batch = grouped[(wl.name, delivery.label)] = Batch(wl, delivery, [], [], 0)
        if len(batch.alert_ids) >= limit:
            continue
        event = store.get_event(row["event_id"])
        if event is None:
            continue
        batch.alert_ids.append(row["id"])
        batch.events.append(event)
        batch.attempts = max(batch.attempts, row["attempts"])
    return list(grouped.values())


def mark_sent(store: Store, alert_ids: Sequence[int], sent_at: str) -> None:
    _update_alerts(store, alert_ids, {"status": "sent", "sent_at": sent_at, "error": None,
                                      "attempts": alerts.c.attempts + 1, "next_try": None})


def mark_failed(store: Store, alert_ids: Sequence[int], error: str, attempts: int) -> str:
    """Record a failed delivery; it is retried after a backoff, or given up after
    MAX_ATTEMPTS. Returns "retry at <time>" or "given up"."""
    if attempts + 1 >= MAX_ATTEMPTS:
        _update_alerts(store, alert_ids, {"status": "failed", "error": error,
                                          "attempts": attempts + 1, "next_try": None})
        return "given up"
    wait = min(RETRY_BASE * 2 ** attempts, 3600.0)
    when = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=wait)).isoformat(
        timespec="seconds")
    _update_alerts(store, alert_ids, {"error": error, "attempts": attempts + 1,
                                      "next_try": when})
    return f"retry at {when}"


def _update_alerts(store: Store, alert_ids: Sequence[int], values: dict[str, Any]) -> None:
    try:
        with _write(store) as conn:
            conn.execute(update(alerts).where(alerts.c.id.in_(list(alert_ids)))
                         .values(**values))
    except SQLAlchemyError as exc:
        raise store.backend.error(exc) from None


@dataclass
class AlertRecord:
    id: int
    watchlist: str
    event_id: str
    delivery: str
    status: str
    attempts: int
    next_try: str | None
    sent_at: str | None
    error: str | None
    created_at: str


def alert_log(store: Store, watchlist: str | None = None, limit: int = 100) -> list[AlertRecord]:
    """The newest alerts first."""
    c = alerts.c
    statement = select(c.id, c.watchlist, c.event_id, c.delivery, c.status, c.attempts,
                       c.next_try, c.sent_at, c.error, c.created_at)
    if watchlist:
        statement = statement.where(c.watchlist == watchlist)
    rows = _rows(store, alerts, statement.order_by(c.id.desc()).limit(limit))
    return [AlertRecord(**dict(row)) for row in rows]


@dataclass
class Matches:
    """What a watchlist matched: ``unseen`` events after the reader's mark, and the key of
    the newest match (the mark to keep once they are seen)."""

    unseen: int
    latest: int


def match_counts(store: Store, seen: dict[str, int] | None = None) -> dict[str, Matches]:
    """Per watchlist, the matched events a reader has not seen: those after the mark in
    ``seen`` (an event key, see :class:`Matches`), all of them without one."""
    c = alerts.c
    marks = {name: int(pk) for name, pk in (seen or {}).items()}
    mark = case(marks, value=c.watchlist, else_=0) if marks else literal(0)
    statement = select(
        c.watchlist, func.max(c.event_pk).label("latest"),
        func.count(func.distinct(case((c.event_pk > mark, c.event_pk)))).label("unseen"),
    ).group_by(c.watchlist)
    out = {wl.name: Matches(0, 0) for wl in list_watchlists(store)}
    for row in _rows(store, alerts, statement):
        if row["watchlist"] in out:
            out[row["watchlist"]] = Matches(int(row["unseen"]), int(row["latest"]))
    return out
