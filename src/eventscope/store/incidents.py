"""Incidents: the stored events that report one real-world event, from one or more
articles.

Two events belong together when :func:`~eventscope.store.matching.same_incident` says
so, and an incident is a connected group of such events. Each new event is compared with
every stored event that could match it (found through ``incident_rtree``, a box in space
and time around each event widened by how far apart two reports may be, so the cost per
event does not grow with the database), and the incidents it matches are merged. The
incident's id is its smallest member event id. Because the judgement is symmetric and
every possible partner is found, the incidents are the same whatever order and batches
the articles arrive in.

Everything here runs inside the caller's writing transaction and logs what it changes
(:class:`~eventscope.store.changes.ChangeLog`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, bindparam, delete, insert, select, text, update

from ..record import Article, ArticleSource, Event
from .backend import bbox_around, box_sql
from .changes import ChangeLog
from .filter import Filter
from .matching import (
    MatchRules,
    Profile,
    article_keys,
    default_rules,
    profile_from_row,
    same_incident,
)
from .schema import article_sources, articles, events, incidents

if TYPE_CHECKING:
    from . import Store

_PROFILE_SQL = (
    "SELECT e.pk, e.event_id, e.article_id, e.event_type, e.date, e.date_precision, e.lat,"
    " e.lon, e.precision, e.country, e.admin1, e.actor_country, e.target_country,"
    " e.location_name, e.location_text, e.incident_id, k.keys FROM {source}"
    " LEFT JOIN article_keys k ON k.article_id = e.article_id WHERE {where}"
)
# Hot path, so plain SQL (SQLAlchemy's statement building costs more than the query),
# in text() with named parameters so that every dialect runs it; built once per dialect.
_TEXT: dict[tuple[str, str], Any] = {}


def _statement(conn: Connection, key: str) -> Any:
    """The text() statement ``key`` for the connection's dialect."""
    found = _TEXT.get((conn.dialect.name, key))
    if found is None:
        boxes = box_sql(conn)
        if key == "candidates":
            sql = _PROFILE_SQL.format(source=boxes["join"], where=boxes["where"])
        elif key == "profiles":
            sql = _PROFILE_SQL.format(source="events e", where="e.pk IN :pks")
        elif key in ("insert", "delete"):
            sql = boxes[key]
        else:
            sql = _SQL[key]
        found = text(sql)
        if key == "profiles":
            found = found.bindparams(bindparam("pks", expanding=True))
        elif key in ("sources", "copies"):
            found = found.bindparams(bindparam("ids", expanding=True))
        _TEXT[(conn.dialect.name, key)] = found
    return found


_SQL = {
    "keys": "SELECT keys FROM article_keys WHERE article_id = :id",
    "article": "SELECT title, text, outlet, url FROM articles WHERE id = :id",
    "add_keys": "INSERT INTO article_keys (article_id, keys) VALUES (:id, :keys)",
    "members": "SELECT pk, event_id FROM events WHERE incident_id = :iid",
    "incident_of": "SELECT incident_id FROM events WHERE pk = :pk",
    "unset": "UPDATE events SET incident_id = NULL WHERE incident_id = :iid",
    "set": "UPDATE events SET incident_id = :iid WHERE pk = :pk",
    "rename": "UPDATE events SET incident_id = :iid WHERE incident_id = :old",
    "consensus": "SELECT event_type, date, date_precision, location_name, geonameid,"
    " country, admin1, lat, lon, precision, actor_name, actor_text, actor_country,"
    " actor_implied, target_name, target_text, target_country, confidence, article_id"
    " FROM events WHERE incident_id = :iid",
    "sources": "SELECT id, url, outlet, published, ingested_at FROM articles"
    " WHERE id IN :ids ORDER BY id",
    "copies": "SELECT article_id, url, outlet, published FROM article_sources"
    " WHERE article_id IN :ids ORDER BY article_id, seen_at, url",
}

# The consensus fields of an incident row, compared to log what changed.
FIELDS = tuple(c.name for c in incidents.c if c.name != "id")


def box(profile: Profile, rules: MatchRules) -> dict[str, float]:
    """The event's box in space and time, widened by its own reach: two events that may
    match have overlapping boxes (each point lies in the other's widened box)."""
    assert profile.day_lo is not None and profile.day_hi is not None
    if profile.located:
        assert profile.lat is not None and profile.lon is not None
        minlon, minlat, maxlon, maxlat = bbox_around(profile.lat, profile.lon,
                                                     rules.reach_km(profile.precision))
    else:  # a report without a place may match one anywhere: the date must do
        minlon, minlat, maxlon, maxlat = -180.0, -90.0, 180.0, 90.0
    return {"minlon": minlon, "maxlon": maxlon, "minlat": minlat, "maxlat": maxlat,
            "minday": profile.day_lo - rules.reach_days, "maxday": profile.day_hi}


@dataclass
class Assigner:
    """Assigns events to incidents within one writing transaction: :meth:`assign` (and
    :meth:`detach`/:meth:`regroup` for events going away), then :meth:`finish`, which
    writes the incident ids, the incidents' rows and the log."""

    conn: Connection
    log: ChangeLog
    rules: MatchRules = field(default_factory=default_rules)
    _keys: dict[str, frozenset[str]] = field(default_factory=dict)
    _before: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    _alias: dict[str, str] = field(default_factory=dict)  # merged incident -> its heir
    _incident: dict[int, str] = field(default_factory=dict)  # pk -> incident, this session
    _original: dict[int, tuple[str, str | None, bool]] = field(default_factory=dict)

    def _sql(self, key: str, params: Any = None) -> Any:
        return self.conn.execute(_statement(self.conn, key), params)

    def keys(self, article_id: str, stored: str | None = None) -> frozenset[str]:
        found = self._keys.get(article_id)
        if found is not None:
            return found
        if stored is None:
            stored = self._sql("keys", {"id": article_id}).scalar()
        if stored is None:
            row = self._sql("article", {"id": article_id}).one()
            found = article_keys(row.title, row.text, self.rules.key_chars, row.outlet,
                                 row.url)
            self._sql("add_keys", {"id": article_id, "keys": " ".join(sorted(found))})
        else:
            found = frozenset(stored.split())
        self._keys[article_id] = found
        return found

    def resolve(self, incident_id: str) -> str:
        while incident_id in self._alias:
            incident_id = self._alias[incident_id]
        return incident_id

    def _touch(self, incident_id: str) -> None:
        if incident_id not in self._before:
            row = self.conn.execute(select(incidents).where(
                incidents.c.id == incident_id)).mappings().first()
            self._before[incident_id] = dict(row) if row is not None else None

    def assign(self, pks: Iterable[int], *, new: bool = True) -> None:
        """Put the stored events ``pks`` (without an incident yet) into incidents. With
        ``new``, they are logged as added events."""
        wanted = sorted(pks)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows = self._sql("profiles", {"pks": chunk}).all()
            for row in sorted(rows, key=lambda r: r.pk):
                self._assign_one(row, new)

    def _assign_one(self, row: Any, new: bool) -> None:
        self._original.setdefault(row.pk, (row.event_id, row.incident_id, new))
        profile = profile_from_row(row, self.keys(row.article_id, row.keys))
        matched: set[str] = set()
        if profile.matchable:
            where = box(profile, self.rules)
            params = {"pk": row.pk, **where}
            self._sql("insert", params)
            compatible = self.rules.compatible_types(profile.event_type)
            for cand in self._sql("candidates", params):
                current = self._incident.get(cand.pk, cand.incident_id)
                if current is None or cand.event_type not in compatible:
                    continue
                current = self.resolve(current)
                if current in matched:
                    continue
                other = profile_from_row(cand, self.keys(cand.article_id, cand.keys))
                if same_incident(profile, other, self.rules):
                    matched.add(current)
        target = min([row.event_id, *matched])
        self._touch(target)
        self._incident[row.pk] = target
        for old in sorted(matched - {target}):
            self._merge(old, target)

    def _merge(self, old: str, into: str) -> None:
        self._touch(old)
        self._alias[old] = into
        for pk, event_id in self._sql("members", {"iid": old}):
            if pk not in self._incident:  # stored earlier: its incident changes
                self.log.log("event", "changed", event_id, {"incident_id": [old, into]})
        self.log.log("incident", "merged", old, {"into": into})

    def detach(self, pks: Sequence[int]) -> set[str]:
        """Take events out of matching before they are deleted; returns the incidents
        they were in (to :meth:`regroup` once they are gone)."""
        touched: set[str] = set()
        for pk in pks:
            self._sql("delete", {"pk": pk})
            iid = self._sql("incident_of", {"pk": pk}).scalar()
            if iid is not None:
                self._touch(iid)
                touched.add(iid)
        return touched

    def regroup(self, incident_ids: Iterable[str]) -> None:
        """Re-cluster what is left of incidents that lost members (they may split)."""
        for iid in sorted(incident_ids):
            self._touch(iid)
            left = self._sql("members", {"iid": iid}).all()
            if not left:
                continue
            for r in left:
                self._sql("delete", {"pk": r.pk})
                self._original.setdefault(r.pk, (r.event_id, iid, False))
            self._sql("unset", {"iid": iid})
            self.assign([r.pk for r in left], new=False)

    def finish(self) -> None:
        """Write the incident ids, bring every touched incident's row up to date, and
        log what changed."""
        updates = [{"iid": self.resolve(iid), "pk": pk} for pk, iid in self._incident.items()]
        if updates:
            self._sql("set", updates)
        merged = [{"iid": self.resolve(old), "old": old} for old in self._alias]
        if merged:
            self._sql("rename", merged)
        for pk, (event_id, was, new) in sorted(self._original.items()):
            now = self.resolve(self._incident[pk])
            if new:
                self.log.log("event", "added", event_id, {"incident_id": now})
            elif now != was:
                self.log.log("event", "changed", event_id, {"incident_id": [was, now]})
        for iid in sorted(self._before):
            before = self._before[iid]
            after = consensus(self.conn, iid)
            if after is None:
                if before is not None:
                    self.conn.execute(delete(incidents).where(incidents.c.id == iid))
                    if iid not in self._alias:
                        self.log.log("incident", "removed", iid)
                continue
            if before is None:
                self.conn.execute(insert(incidents), {"id": iid, **after})
                self.log.log("incident", "added", iid)
                continue
            diff = {k: [before[k], after[k]] for k in FIELDS if before[k] != after[k]}
            if diff:
                self.conn.execute(update(incidents).where(incidents.c.id == iid)
                                  .values(**after))
                self.log.log("incident", "changed", iid, diff)
        self.log.flush()
        self._before.clear()
        self._alias.clear()
        self._incident.clear()
        self._original.clear()



def _mode(values: Iterable[Any]) -> Any:
    """The commonest non-null value; ties go to the smallest (so any order gives one)."""
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    best = max(counts.values())
    return min(v for v, n in counts.items() if n == best)


def source_key(url: str | None, outlet: str | None, article_id: str) -> str:
    """What makes two sources distinct outlets: the outlet, else the web host, else the
    article itself."""
    if outlet:
        return outlet.casefold().removeprefix("www.")
    if url:
        host = urlsplit(url).hostname
        if host:
            return host.casefold().removeprefix("www.")
    return f"article:{article_id}"


_DATE_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


def consensus(conn: Connection, incident_id: str) -> dict[str, Any] | None:
    """The incident's fields from its member events, or None if it has none."""
    rows = conn.execute(_statement(conn, "consensus"), {"iid": incident_id}).all()
    if not rows:
        return None
    dated = [r for r in rows if r.date]
    best_date = min((_DATE_RANK.get(r.date_precision or "year", 3) for r in dated), default=None)
    date_rows = [r for r in dated if _DATE_RANK.get(r.date_precision or "year", 3) == best_date]
    date = _mode(r.date for r in date_rows)
    placed = [r for r in rows if r.location_name is not None or r.lat is not None]
    best_place = min((r.precision or 3 for r in placed), default=None)
    place_rows = [r for r in placed if (r.precision or 3) == best_place]
    place_key = _mode((r.geonameid or 0, r.location_name or "") for r in place_rows)
    place = next((r for r in place_rows if (r.geonameid or 0, r.location_name or "")
                  == place_key), None)
    named = [r for r in rows if not r.actor_implied]
    article_ids = sorted({r.article_id for r in rows})
    sources, seen = sources_of(conn, article_ids)
    return {
        "event_type": _mode(r.event_type for r in rows),
        "date": date, "date_precision": next(
            (r.date_precision for r in date_rows if r.date == date), None),
        "location_name": place.location_name if place else None,
        "geonameid": place.geonameid if place else None,
        "country": place.country if place else _mode(r.country for r in rows),
        "admin1": place.admin1 if place else None,
        "lat": place.lat if place else None, "lon": place.lon if place else None,
        "precision": place.precision if place else None,
        "actor_name": _mode((r.actor_name or r.actor_text) for r in named)
        or _mode(r.actor_name for r in rows),
        "actor_country": _mode(r.actor_country for r in rows),
        "target_name": _mode((r.target_name or r.target_text) for r in rows),
        "target_country": _mode(r.target_country for r in rows),
        "n_events": len(rows), "n_articles": len(article_ids),
        "n_sources": len({source_key(s.url, s.outlet, a) for a, s in sources}),
        "first_seen": min(seen, default=None), "last_seen": max(seen, default=None),
        "confidence": max(r.confidence for r in rows),
    }


def sources_of(conn: Connection, article_ids: Sequence[str],
               ) -> tuple[list[tuple[str, ArticleSource]], list[str]]:
    """Every (article id, source) of the articles (the article's own first), and the
    dates they were seen (published, else ingested)."""
    out: list[tuple[str, ArticleSource]] = []
    seen: list[str] = []
    if not article_ids:
        return out, seen
    ids = {"ids": list(article_ids)}
    for row in conn.execute(_statement(conn, "sources"), ids):
        out.append((row.id, ArticleSource(url=row.url, outlet=row.outlet,
                                          published=row.published)))
        seen.append(row.published or row.ingested_at[:10])
    for row in conn.execute(_statement(conn, "copies"), ids):
        source = ArticleSource(url=row.url or None, outlet=row.outlet, published=row.published)
        if (row.article_id, source) not in out:
            out.append((row.article_id, source))
            if row.published:
                seen.append(row.published)
    return out, seen


def add_copy(conn: Connection, article: Article, log: ChangeLog) -> bool:
    """Record ``article``, an exact copy of a stored text, as another source of it (its
    URL, outlet and date). False when the store does not hold the text or already knows
    this source. The incidents of the stored article count the new outlet."""
    stored = conn.execute(select(articles.c.id, articles.c.url, articles.c.outlet).where(
        articles.c.content_hash == article.content_hash)).first()
    if stored is None or not (article.url or article.outlet):
        return False
    if (stored.url, stored.outlet) == (article.url, article.outlet):
        return False
    s = article_sources.c
    known = conn.execute(select(s.url).where(
        s.article_id == stored.id, s.url == (article.url or ""),
        s.outlet.is_(None) if article.outlet is None else s.outlet == article.outlet)).first()
    if known is not None:
        return False
    from .changes import now_iso
    conn.execute(insert(article_sources), {
        "article_id": stored.id, "url": article.url or "", "outlet": article.outlet,
        "published": article.published, "outlet_source": article.outlet_source,
        "published_source": article.published_source, "seen_at": now_iso()})
    recount_sources(conn, stored.id, log)
    return True


def recount_sources(conn: Connection, article_id: str, log: ChangeLog) -> None:
    """Bring the incidents of an article up to date after it gained a source."""
    assigner = Assigner(conn, log)
    for iid in conn.execute(select(events.c.incident_id).where(
            events.c.article_id == article_id).distinct()).scalars():
        if iid is not None:
            assigner._touch(iid)
    assigner.finish()


# -- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Incident:
    """An incident as served: its consensus fields and counts."""

    id: str
    event_type: str
    date: str | None
    date_precision: str | None
    location_name: str | None
    geonameid: int | None
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    precision: int | None
    actor_name: str | None
    actor_country: str | None
    target_name: str | None
    target_country: str | None
    n_events: int
    n_articles: int
    n_sources: int
    first_seen: str | None
    last_seen: str | None
    confidence: float

    @classmethod
    def from_row(cls, row: Any) -> Incident:
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False)


@dataclass(frozen=True)
class IncidentArticle:
    """One article of an incident, with every place its text was seen."""

    article_id: str
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    sources: list[ArticleSource]

    def as_dict(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "title": self.title, "url": self.url,
                "outlet": self.outlet, "published": self.published,
                "sources": [s.model_dump() for s in self.sources]}


def _has_incidents(conn: Connection) -> bool:
    from sqlalchemy import inspect
    return inspect(conn).has_table(incidents.name)


def incident_where(store: Store, flt: Filter | None, min_sources: int | None) -> list[Any]:
    """WHERE conditions on incidents: at least ``min_sources`` outlets, and at least one
    member event matching ``flt`` (the filters of ``events`` mean the same here)."""
    from .query import conditions

    where: list[Any] = []
    if min_sources:
        where.append(incidents.c.n_sources >= min_sources)
    event_where = conditions(flt or Filter(), store.backend)
    if event_where:
        where.append(incidents.c.id.in_(
            select(events.c.incident_id).select_from(events.join(articles))
            .where(*event_where)))
    return where


def page_incidents(
    store: Store, flt: Filter | None = None, *, min_sources: int | None = None,
    limit: int = 100, cursor: str | None = None,
) -> tuple[list[Incident], str | None]:
    """A page of incidents in (date, id) order (undated first), and the next cursor."""
    from sqlalchemy import and_, or_
    from sqlalchemy.exc import SQLAlchemyError

    from .query import decode_cursor, encode_cursor

    if limit < 1:
        raise ValueError(f"limit {limit!r}: must be at least 1")
    statement = select(incidents).where(*incident_where(store, flt, min_sources))
    if cursor:
        date, key = decode_cursor(cursor)
        i = incidents.c
        statement = statement.where(
            or_(and_(i.date.is_(None), i.id > key), i.date.is_not(None)) if date is None
            else or_(i.date > date, and_(i.date == date, i.id > key)))
    statement = statement.order_by(incidents.c.date.asc().nulls_first(),
                                   incidents.c.id).limit(limit + 1)
    try:
        with store.engine.connect() as conn:
            if not _has_incidents(conn):
                return [], None
            rows = list(conn.execute(statement).mappings())
    except SQLAlchemyError as exc:
        raise store.backend.error(exc) from None
    page = [Incident.from_row(r) for r in rows[:limit]]
    more = encode_cursor(page[-1].date, page[-1].id) if len(rows) > limit else None
    return page, more


def iter_incidents(store: Store, flt: Filter | None = None, *, min_sources: int | None = None,
                   page_size: int = 1000) -> Iterator[Incident]:
    cursor: str | None = None
    while True:
        page, cursor = page_incidents(store, flt, min_sources=min_sources, limit=page_size,
                                      cursor=cursor)
        yield from page
        if cursor is None:
            return


def count_incidents(store: Store, flt: Filter | None = None, *,
                    min_sources: int | None = None) -> int:
    from sqlalchemy import func
    from sqlalchemy.exc import SQLAlchemyError
    try:
        with store.engine.connect() as conn:
            if not _has_incidents(conn):
                return 0
            return int(conn.execute(select(func.count()).select_from(incidents).where(
                *incident_where(store, flt, min_sources))).scalar_one())
    except SQLAlchemyError as exc:
        raise store.backend.error(exc) from None


@dataclass(frozen=True)
class IncidentDetail:
    incident: Incident
    events: list[Event]
    articles: list[IncidentArticle]

    def as_dict(self) -> dict[str, Any]:
        return {**self.incident.as_dict(),
                "events": [e.model_dump(mode="json") for e in self.events],
                "articles": [a.as_dict() for a in self.articles]}


def get_incident(store: Store, incident_id: str) -> IncidentDetail | None:
    """The incident with its events (article by article, in text order) and its articles
    with their sources; None if there is no such incident."""
    from sqlalchemy.exc import SQLAlchemyError
    try:
        with store.engine.connect() as conn:
            if not _has_incidents(conn):
                return None
            row = conn.execute(select(incidents).where(
                incidents.c.id == incident_id)).mappings().first()
            if row is None:
                return None
            article_rows = conn.execute(
                select(articles.c.id, articles.c.title, articles.c.url, articles.c.outlet,
                       articles.c.published)
                .where(articles.c.id.in_(select(events.c.article_id).where(
                    events.c.incident_id == incident_id)))
                .order_by(articles.c.published, articles.c.id)).all()
            sources, _ = sources_of(conn, [r.id for r in article_rows])
    except SQLAlchemyError as exc:
        raise store.backend.error(exc) from None
    found = store.events_of_incident(incident_id)
    by_article: dict[str, list[ArticleSource]] = {}
    for article_id, source in sources:
        by_article.setdefault(article_id, []).append(source)
    found = [e.model_copy(update={"article": e.article.model_copy(
        update={"sources": by_article.get(e.article.article_id, [])})}) for e in found]
    return IncidentDetail(
        incident=Incident.from_row(row), events=found,
        articles=[IncidentArticle(article_id=r.id, title=r.title, url=r.url, outlet=r.outlet,
                                  published=r.published, sources=by_article.get(r.id, []))
                  for r in article_rows])


def unassigned(store: Store) -> int:
    """How many stored events have no incident yet (a store made before incidents)."""
    from sqlalchemy import func
    from sqlalchemy.exc import SQLAlchemyError
    try:
        with store.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(events).where(
                events.c.incident_id.is_(None))).scalar_one())
    except SQLAlchemyError as exc:
        raise store.backend.error(exc) from None


def assign_unassigned(store: Store, batch: int = 500) -> int:
    """Put the events that have no incident (stored before incidents existed) into
    incidents, a batch per transaction (a kill keeps the finished batches); how many."""
    from sqlalchemy.exc import SQLAlchemyError
    done = 0
    try:
        while True:
            with store.engine.begin() as conn:
                store.backend.begin_write(conn)
                pks = conn.execute(select(events.c.pk).where(events.c.incident_id.is_(None))
                                   .order_by(events.c.pk).limit(batch)).scalars().all()
                if not pks:
                    return done
                assigner = Assigner(conn, ChangeLog(conn))
                assigner.assign(pks, new=False)
                assigner.finish()
                done += len(pks)
    except SQLAlchemyError as exc:
        raise store.backend.error(exc) from None
