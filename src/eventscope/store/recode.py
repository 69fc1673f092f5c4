"""Re-coding stored articles with the current coder, logging every difference.

Each article is re-coded and written in its own transaction: events the coder no longer
finds are removed, new ones added, and ones that keep their id (same article, evidence
span and type) but say something else are changed, with the fields that changed; the
incidents they touch are regrouped (they may split or merge). A kill at any point leaves
every article either before or after, never half. Progress is kept in the store (the last
article done, per coder and selection), so running the same recode again resumes where
it stopped, and a finished one forgets its marker.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, insert, select, update

from ..budget import Skipped
from ..record import Article, Event, distinct_event_ids
from .changes import ChangeLog, coder_version
from .filter import Filter
from .incidents import Assigner
from .query import conditions
from .schema import article_from_row, articles, event_row, events, meta

if TYPE_CHECKING:
    from . import Store

Processor = Callable[[Iterable[Article]], Iterable[tuple[Article, "list[Event] | Skipped"]]]

# Columns whose change is no change of what the event says.
_IGNORED = {"incident_id", "article_id"}


@dataclass
class RecodeSummary:
    articles: int = 0
    resumed_after: str | None = None
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # over the time budget: left as they were


def _marker_key(since: str | None, flt: Filter | None) -> str:
    what = json.dumps({"since": since, "filter": repr(flt)}, sort_keys=True)
    return "recode:" + coder_version() + ":" + hashlib.sha1(what.encode()).hexdigest()[:12]


def selected_articles(store: Store, since: str | None, flt: Filter | None,
                      after: str | None) -> Iterator[str]:
    """Ids of the stored articles to re-code, in id order: published on or after
    ``since``, with an event matching ``flt`` (when given), after ``after``."""
    last = after or ""
    while True:
        statement = select(articles.c.id).where(articles.c.id > last)
        if since:
            statement = statement.where(articles.c.published >= since)
        where = conditions(flt, store.backend) if flt else []
        if where:
            statement = statement.where(articles.c.id.in_(
                select(events.c.article_id).select_from(events.join(articles)).where(*where)))
        ids = [row["id"] for row in store._run(statement.order_by(articles.c.id).limit(500))]
        if not ids:
            return
        yield from ids
        last = ids[-1]


def recode(store: Store, process: Processor, *, since: str | None = None,
           flt: Filter | None = None,
           on_article: Callable[[RecodeSummary], None] | None = None) -> RecodeSummary:
    """Re-code the selected stored articles with ``process`` (the pipeline) and write the
    differences; resumes a recode of the same selection by the same coder that stopped."""
    summary = RecodeSummary()
    key = _marker_key(since, flt)
    rows = store._run(select(meta.c.value).where(meta.c.key == key))
    after = rows[0]["value"] if rows else None
    summary.resumed_after = after

    def stored() -> Iterator[Article]:
        for article_id in selected_articles(store, since, flt, after):
            rows = store._run(select(articles).where(articles.c.id == article_id))
            if rows:
                yield article_from_row(rows[0])

    for article, found in process(stored()):
        if isinstance(found, Skipped):
            summary.skipped.append(f"{article.article_id}: {found.reason}")
            continue
        with store.engine.begin() as conn:
            store.backend.begin_write(conn)
            _rewrite(conn, article.article_id, distinct_event_ids(list(found)), summary)
            _set_marker(conn, key, article.article_id)
        summary.articles += 1
        if on_article:
            on_article(summary)
    with store.engine.begin() as conn:
        conn.execute(delete(meta).where(meta.c.key == key))
    return summary


def _set_marker(conn: Connection, key: str, value: str) -> None:
    if conn.execute(select(meta.c.key).where(meta.c.key == key)).first() is None:
        conn.execute(insert(meta), {"key": key, "value": value})
    else:
        conn.execute(update(meta).where(meta.c.key == key).values(value=value))


def _rewrite(conn: Connection, article_id: str, found: Sequence[Event],
             summary: RecodeSummary) -> None:
    log = ChangeLog(conn)
    assigner = Assigner(conn, log)
    old = {row["event_id"]: row for row in conn.execute(
        select(events).where(events.c.article_id == article_id)).mappings()}
    new = {event.event_id: event_row(event, article_id) for event in found}
    removed = [old[k] for k in sorted(old) if k not in new]
    changed: list[tuple[Any, dict[str, Any]]] = []
    for k in sorted(set(old) & set(new)):
        diff = {name: [old[k][name], value] for name, value in new[k].items()
                if name not in _IGNORED and old[k][name] != value}
        if diff:
            changed.append((old[k], diff))
        else:
            summary.unchanged += 1
    # out of their incidents first; what is left of those incidents is regrouped after
    for row, _ in changed:
        assigner._original[row["pk"]] = (row["event_id"], row["incident_id"], False)
    touched = assigner.detach([row["pk"] for row in removed]
                              + [row["pk"] for row, _ in changed])
    for row in removed:
        conn.execute(delete(events).where(events.c.pk == row["pk"]))
        log.log("event", "removed", row["event_id"], {"incident_id": row["incident_id"]})
    for row, diff in changed:
        values = {name: pair[1] for name, pair in diff.items()}
        conn.execute(update(events).where(events.c.pk == row["pk"])
                     .values(**values, incident_id=None))
        log.log("event", "changed", row["event_id"], diff)
    added = [k for k in sorted(new) if k not in old]
    if added:
        conn.execute(insert(events), [new[k] | {"incident_id": None} for k in added])
    assigner.regroup(touched)
    if changed:
        assigner.assign([row["pk"] for row, _ in changed], new=False)
    if added:
        pks = conn.execute(select(events.c.pk).where(
            events.c.article_id == article_id, events.c.event_id.in_(added))).scalars().all()
        assigner.assign(pks)
    assigner.finish()
    summary.added += len(added)
    summary.changed += len(changed)
    summary.removed += len(removed)
