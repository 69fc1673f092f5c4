"""Tables and indexes of the store, and the mapping between Event records and rows.

Portable SQLAlchemy Core: every dialect-specific part (spatial index, full text, pragmas)
lives in :mod:`eventscope.store.backend`. Events are flattened one column per record
field so that filters and exports need no JSON parsing; ``context`` (a list) is JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateIndex, CreateTable

from ..record import Actor, Article, ArticleRef, Event, Evidence, Location

# Version 2 added events.actor_implied; version 3 incidents (events.incident_id, the
# incidents and article_keys tables, the R*Tree they are matched through) and the edit log
# (changes). :func:`migrations` brings older stores up to date.
SCHEMA_VERSION = "3"

metadata = MetaData()

meta = Table(
    "meta", metadata,
    Column("key", String, primary_key=True),
    Column("value", String, nullable=False),
)

articles = Table(
    "articles", metadata,
    Column("id", String, primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("url", Text),
    Column("title", Text),
    Column("outlet", Text),
    Column("published", String(10)),
    Column("text", Text, nullable=False),
    Column("ingested_at", String(32), nullable=False),
    # Near-duplicates (same story, small edits) point at the first stored version.
    Column("duplicate_of", String, ForeignKey("articles.id")),
    Column("minhash", LargeBinary),
)

# Locality-sensitive hashing bands of each article's MinHash: articles that share a band
# are near-duplicate candidates.
article_bands = Table(
    "article_bands", metadata,
    Column("band", String(24), nullable=False),
    Column("article_id", String, ForeignKey("articles.id", ondelete="CASCADE"),
           nullable=False),
    Index("ix_article_bands_band", "band"),
)

events = Table(
    "events", metadata,
    # An integer key for the spatial and full-text indexes to point at.
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(40), nullable=False, unique=True),
    Column("article_id", String, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("event_type", String(10), nullable=False),
    Column("mode", String, nullable=False, default=""),
    Column("context", Text, nullable=False, default="[]"),
    Column("actor_text", Text),
    Column("actor_name", Text),
    Column("actor_country", String(8)),
    Column("actor_sector", String(3)),
    Column("actor_implied", Boolean, nullable=False, default=False),
    Column("target_text", Text),
    Column("target_name", Text),
    Column("target_country", String(8)),
    Column("target_sector", String(3)),
    Column("location_text", Text),
    Column("location_name", Text),
    Column("geonameid", Integer),
    Column("country", String(8)),
    Column("admin1", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("feature_code", String(10)),
    Column("precision", Integer),
    Column("date", String(10)),
    Column("date_precision", String(5)),
    Column("date_text", Text),
    Column("evidence_sentence", Text, nullable=False),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Column("evidence_trigger", Text, nullable=False),
    Column("attribution", Text),
    Column("hedged", Boolean, nullable=False),
    Column("negated", Boolean, nullable=False),
    Column("confidence", Float, nullable=False),
    # The incident (store/incidents.py): the smallest event id among the events that
    # report the same real-world event; set in the transaction that stores the event.
    Column("incident_id", String(40)),
    # Pages are ordered by (date, event_id): these indexes serve that order directly,
    # alone or after an equality on the type. The coordinates ride along so that a
    # region's test is decided in the index, row by row, when the region holds too many
    # events to list from the R*Tree (store/backend.py; make bench-scale).
    Index("ix_events_date", "date", "event_id", "event_type", "lon", "lat"),
    Index("ix_events_type_date", "event_type", "date", "event_id", "lon", "lat"),
    Index("ix_events_article", "article_id", "evidence_start"),
    Index("ix_events_country", "country", "date"),
    Index("ix_events_incident", "incident_id"),
)

# -- incidents and the edit log (schema 3; see store/incidents.py, store/changes.py) --

# One row per incident, its consensus fields kept up to date as reports join it.
incidents = Table(
    "incidents", metadata,
    Column("id", String(40), primary_key=True),  # its smallest member event id
    Column("event_type", String(10), nullable=False),
    Column("date", String(10)),
    Column("date_precision", String(5)),
    Column("location_name", Text),
    Column("geonameid", Integer),
    Column("country", String(8)),
    Column("admin1", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("precision", Integer),
    Column("actor_name", Text),
    Column("actor_country", String(8)),
    Column("target_name", Text),
    Column("target_country", String(8)),
    Column("n_events", Integer, nullable=False),
    Column("n_articles", Integer, nullable=False),
    Column("n_sources", Integer, nullable=False),
    Column("first_seen", String(10)),
    Column("last_seen", String(10)),
    Column("confidence", Float, nullable=False),
    Index("ix_incidents_date", "date", "id"),
    Index("ix_incidents_sources", "n_sources"),
)

# The names and figures of each stored article that incident matching compares.
article_keys = Table(
    "article_keys", metadata,
    Column("article_id", String, ForeignKey("articles.id", ondelete="CASCADE"),
           primary_key=True),
    Column("keys", Text, nullable=False),  # space-separated
)

# Where each matchable event lies in space and time, widened by how far apart two reports
# of one incident may be: events whose boxes overlap are candidates (store/incidents.py).
# SQLite's R*Tree (a PostGIS backend would use a GiST index over the same boxes).
INCIDENT_RTREE = ("CREATE VIRTUAL TABLE IF NOT EXISTS incident_rtree USING rtree("
                  "id, min_lon, max_lon, min_lat, max_lat, min_day, max_day)")

# The edit log: every change to events and incidents, with the database version (one per
# writing transaction, increasing), the coder that made it and when.
changes = Table(
    "changes", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("version", Integer, nullable=False),
    Column("kind", String(8), nullable=False),  # event, incident
    Column("op", String(8), nullable=False),  # added, changed, merged, removed
    Column("id", String(40), nullable=False),
    Column("detail", Text),  # JSON: changed fields, or the incident merged into
    Column("coder_version", String(40), nullable=False),
    Column("at", String(32), nullable=False),
    Index("ix_changes_version", "version"),
    Index("ix_changes_id", "id", "version"),
)

# -- the living database (eventscope watch): feeds, what was seen, watchlists, alerts --
# Added without a version bump: these tables are created when first needed (see
# store/watch.py), so older stores keep opening, read-only ones included.

# Where each stored text was fetched from, and where its outlet and date came from.
article_sources = Table(
    "article_sources", metadata,
    Column("article_id", String, ForeignKey("articles.id", ondelete="CASCADE"),
           nullable=False),
    Column("url", Text, nullable=False),
    Column("feed_url", Text),
    Column("outlet", Text),
    Column("outlet_source", String(8)),  # page, feed, host, given
    Column("published", String(10)),
    Column("published_source", String(8)),  # page, feed, url, given
    Column("seen_at", String(32), nullable=False),
    Index("ix_article_sources_article", "article_id"),
)

feeds = Table(
    "feeds", metadata,
    Column("url", Text, primary_key=True),
    Column("outlet", Text),  # the operator's name for it, else the feed's own title
    Column("title", Text),  # the feed's own title, as last read
    Column("country_bias", String(3)),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_polled", String(32)),
    Column("failures", Integer, nullable=False, default=0),  # in a row; 0 after a success
    Column("last_error", Text),
    Column("added_at", String(32), nullable=False),
)

# Items already handled, by feed and item key (its guid, else its link): never fetched again.
feed_items = Table(
    "feed_items", metadata,
    Column("feed_url", Text, nullable=False),
    Column("item_key", Text, nullable=False),
    Column("article_id", String),  # None when the item could not become an article
    Column("outcome", String(16), nullable=False),  # stored, duplicate, failed
    Column("seen_at", String(32), nullable=False),
    UniqueConstraint("feed_url", "item_key", name="uq_feed_items"),
)

watchlists = Table(
    "watchlists", metadata,
    Column("name", String, primary_key=True),
    Column("filter", Text, nullable=False),  # the Filter as JSON
    Column("deliveries", Text, nullable=False),  # JSON list of {"kind", "target", "secret"}
    Column("created_at", String(32), nullable=False),
    # Events up to this key were stored before the watchlist, or already matched.
    Column("after_pk", Integer, nullable=False),
)

alerts = Table(
    "alerts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("watchlist", String, ForeignKey("watchlists.name", ondelete="CASCADE"),
           nullable=False),
    Column("event_id", String(40), nullable=False),
    Column("event_pk", Integer, nullable=False),
    Column("delivery", Text, nullable=False),  # "webhook URL", "email ADDRESS" or "log"
    Column("status", String(8), nullable=False),  # pending, sent, failed (gave up), logged
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_try", String(32)),
    Column("sent_at", String(32)),
    Column("error", Text),
    Column("created_at", String(32), nullable=False),
    # Once per watchlist, event and delivery, across restarts.
    UniqueConstraint("watchlist", "event_id", "delivery", name="uq_alerts"),
    Index("ix_alerts_due", "status", "next_try"),
)

WATCH_TABLES = (article_sources, feeds, feed_items, watchlists, alerts)

_ACTOR_FIELDS = ("text", "name", "country", "sector")


@cache  # compiled once per dialect, not at every opening of a store
def migrations(dialect_name: str = "sqlite") -> dict[str, tuple[str, list[str]]]:
    """The statements that bring a store of one version to the next on this database
    (``sqlite`` or ``postgresql``), keyed by the version they upgrade from. Each adds what
    the new version has with the value old rows mean by it."""
    if dialect_name == "postgresql":
        from sqlalchemy.dialects import postgresql

        from .postgres import INCIDENT_BOXES
        dialect: Any = postgresql.dialect()
        false, boxes = "false", list(INCIDENT_BOXES)
    else:
        dialect, false, boxes = sqlite.dialect(), "0", [INCIDENT_RTREE]
    return {
        # actors stored before implied actors existed were all named
        "1": ("2", [f"ALTER TABLE events ADD COLUMN actor_implied BOOLEAN NOT NULL "
                    f"DEFAULT {false}"]),
        # incidents start empty: store/incidents.py assigns the stored events when asked
        "2": ("3", ["ALTER TABLE events ADD COLUMN incident_id VARCHAR(40)",
                    "CREATE INDEX IF NOT EXISTS ix_events_incident ON events (incident_id)",
                    *boxes,
                    *(str(CreateTable(t, if_not_exists=True).compile(dialect=dialect))
                      for t in (incidents, article_keys, changes, article_sources)),
                    *(str(CreateIndex(i, if_not_exists=True).compile(dialect=dialect))
                      for t in (incidents, changes, article_sources) for i in t.indexes)]),
    }


_LOCATION_COLUMNS = {
    "text": "location_text", "name": "location_name", "geonameid": "geonameid",
    "country": "country", "admin1": "admin1", "lat": "lat", "lon": "lon",
    "feature_code": "feature_code", "precision": "precision",
}


def article_row(article: Article, ingested_at: str) -> dict[str, Any]:
    return {
        "id": article.article_id, "content_hash": article.content_hash, "url": article.url,
        "title": article.title, "outlet": article.outlet, "published": article.published,
        "text": article.text, "ingested_at": ingested_at,
    }


def event_row(event: Event, article_id: str) -> dict[str, Any]:
    """The events-table row of ``event``, stored under ``article_id``."""
    row: dict[str, Any] = {
        "event_id": event.event_id, "article_id": article_id, "event_type": event.event_type,
        "mode": event.mode, "context": json.dumps(event.context), "date": event.date,
        "date_precision": event.date_precision, "date_text": event.date_text,
        "evidence_sentence": event.evidence.sentence, "evidence_start": event.evidence.start,
        "evidence_end": event.evidence.end, "evidence_trigger": event.evidence.trigger,
        "attribution": event.attribution, "hedged": event.hedged, "negated": event.negated,
        "confidence": event.confidence, "incident_id": event.incident_id,
    }
    for role in ("actor", "target"):
        actor: Actor | None = getattr(event, role)
        for name in _ACTOR_FIELDS:
            row[f"{role}_{name}"] = getattr(actor, name) if actor else None
    row["actor_implied"] = bool(event.actor and event.actor.implied)
    for name, column in _LOCATION_COLUMNS.items():
        row[column] = getattr(event.location, name) if event.location else None
    return row


def event_from_row(row: Mapping[str, Any]) -> Event:
    """The Event of an events row joined with its article's url/title/published/outlet."""
    roles: dict[str, Actor | None] = {}
    for role in ("actor", "target"):
        fields = {name: row[f"{role}_{name}"] for name in _ACTOR_FIELDS}
        implied = role == "actor" and bool(row["actor_implied"])  # targets never are
        roles[role] = (Actor(**fields, implied=implied)
                       if fields["text"] is not None or implied else None)
    location = None
    if row["location_text"] is not None:
        location = Location(**{name: row[col] for name, col in _LOCATION_COLUMNS.items()})
    return Event(
        event_id=row["event_id"], event_type=row["event_type"], mode=row["mode"],
        context=json.loads(row["context"]), actor=roles["actor"], target=roles["target"],
        location=location, date=row["date"], date_precision=row["date_precision"],
        date_text=row["date_text"],
        evidence=Evidence(
            sentence=row["evidence_sentence"], start=row["evidence_start"],
            end=row["evidence_end"], trigger=row["evidence_trigger"],
        ),
        attribution=row["attribution"], hedged=bool(row["hedged"]),
        negated=bool(row["negated"]), confidence=row["confidence"],
        incident_id=row.get("incident_id"),
        article=ArticleRef(
            article_id=row["article_id"], url=row["url"], title=row["title"],
            published=row["published"], outlet=row["outlet"],
        ),
    )


def article_from_row(row: Mapping[str, Any]) -> Article:
    return Article(
        article_id=row["id"], text=row["text"], url=row["url"], title=row["title"],
        outlet=row["outlet"], published=row["published"],
    )
