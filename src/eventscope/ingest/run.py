"""Articles from sources into the store: read, skip what is stored, extract, commit.

Each article is committed with its events in its own transaction as soon as it is coded,
so an interrupted run keeps everything committed and a rerun skips it (by content hash).
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..budget import Skipped
from ..record import Article, Event
from ..store import ArticleIdTaken, Store
from . import dedup
from .errors import IngestError
from .sources import Item

# What coding yields per article: its events, or Skipped (over the time budget).
Processor = Callable[[Iterable[Article]], Iterable[tuple[Article, list[Event] | Skipped]]]


@dataclass
class IngestSummary:
    new: int = 0
    skipped: int = 0
    failed: int = 0
    events: int = 0
    near_duplicates: int = 0  # new articles marked as near-duplicates of stored ones
    errors: list[str] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return self.new + self.skipped + self.failed


def pipeline_processor(n_process: int = 1, model: str | None = None,
                       country_bias: Collection[str] | None = None,
                       budget: float | None = None) -> Processor:
    """The full pipeline (parse, geoparse, code events) with ``n_process`` workers, places
    in the ``country_bias`` countries (ISO3) preferred where a text leaves a choice, each
    article skipped (and reported) once it runs past ``budget`` seconds.

    The model is loaded only once there is a new article: a rerun over stored articles,
    or a batch of unreadable files, costs no model load.
    """

    def run(articles: Iterable[Article]) -> Iterator[tuple[Article, list[Event] | Skipped]]:
        stream = iter(articles)
        first = next(stream, None)
        if first is None:
            return
        from ..pipeline import process_many

        yield from process_many(itertools.chain([first], stream), n_process=n_process,
                                model=model, country_bias=country_bias, budget=budget)

    return run


def ingest(
    items: Iterable[Item],
    store: Store,
    process: Processor,
    *,
    on_progress: Callable[[IngestSummary], None] | None = None,
    on_error: Callable[[str], None] | None = None,
    near_duplicates: bool = True,
) -> IngestSummary:
    """Store every new article of ``items`` with its events; report the rest.

    Inputs that could not be read count as failed (``on_error`` gets their one-line
    message); articles already in the store, or repeated within the run, as skipped; an
    article whose id is already taken by another text counts as failed, and the run goes on.
    A StoreError (database locked, read-only, ...) stops the run: it is raised after
    what was committed before it stays committed. With ``near_duplicates``, a new article
    whose text nearly matches a stored one (MinHash) is stored marked ``duplicate_of`` it.
    """
    summary = IngestSummary()
    # The processor may pull articles from another thread (a process pool's feeder), so
    # the reader only queues what happened and this thread does all the reporting.
    notes: deque[tuple[str, str]] = deque()
    lock = threading.Lock()
    copies: list[Article] = []  # exact copies of articles of this run, recorded at the end

    def new_articles() -> Iterator[Article]:
        seen: set[str] = set()
        ids: dict[str, str] = {}  # article id -> content hash, of this run's articles
        for item in items:
            if isinstance(item, IngestError):
                notes.append(("failed", str(item)))
                continue
            digest = item.content_hash
            with lock:
                in_store = store.has_article(digest)
                stored = digest in seen or in_store
                taken = None if stored else (
                    ids.get(item.article_id) or store.content_hash_of(item.article_id))
                if in_store:  # an exact copy at another URL or outlet: another source
                    store.add_copy(item)
            if stored:
                if not in_store:  # its original is stored later in this run
                    copies.append(item)
                notes.append(("skipped", item.article_id))
                continue
            if taken is not None and taken != digest:
                # an id names one text: the later text is refused, the batch goes on
                notes.append(("failed", _id_taken(item)))
                continue
            seen.add(digest)
            ids[item.article_id] = digest
            yield item

    def report() -> None:
        while notes:
            kind, message = notes.popleft()
            if kind == "failed":
                summary.failed += 1
                summary.errors.append(message)
                if on_error:
                    on_error(message)
            else:
                summary.skipped += 1
        if on_progress:
            on_progress(summary)

    for article, article_events in process(new_articles()):
        if isinstance(article_events, Skipped):  # nothing of it stored; a rerun tries again
            notes.append(("failed", f"{article.source}: skipped, {article_events.reason}"))
            report()
            continue
        try:
            with lock:
                added = _add(store, article, article_events, near_duplicates)
        except ArticleIdTaken:  # stored by another process since it was read
            notes.append(("failed", _id_taken(article)))
            report()
            continue
        if added:
            summary.new += 1
            if added == "near-duplicate":
                summary.near_duplicates += 1
            # what the store holds: one row per event id
            summary.events += len({event.event_id for event in article_events})
        else:
            summary.skipped += 1
        report()
    report()
    for copy in copies:
        store.add_copy(copy)
    return summary


def _id_taken(article: Article) -> str:
    return (f"{article.source}: article id {article.article_id!r} is already stored with "
            "a different text (give this one another id)")


def _add(store: Store, article: Article, found: list[Event], near_duplicates: bool) -> str:
    """Store one article; "new", "near-duplicate", or "" if it was already stored."""
    if not near_duplicates:
        return "new" if store.add(article, found) else ""
    original, sig, keys = dedup.near_duplicate_of(store, article.text)
    if not store.add(article, found, duplicate_of=original, signature=sig, bands=keys):
        return ""
    return "near-duplicate" if original else "new"


def count_inputs(paths: Iterable[str]) -> int | None:
    """About how many articles ``paths`` hold (files, plus lines of JSONL batches), for a
    progress bar; None when unknowable (standard input)."""
    from .jsonl import bounded_lines
    from .sources import JSONL_SUFFIXES, STDIN, walk

    total = 0
    for raw in paths:
        if raw == STDIN:
            return None
        path = Path(raw)
        try:
            files = list(walk(path)) if path.is_dir() else [path]
        except OSError:
            files = [path]
        for file in files:
            if isinstance(file, Path) and file.suffix.lower() in JSONL_SUFFIXES:
                try:
                    with file.open("rb") as handle:
                        total += sum(1 for line in bounded_lines(handle)
                                     if not isinstance(line, bytes) or line.strip())
                except OSError:
                    total += 1
            else:
                total += 1
    return total
