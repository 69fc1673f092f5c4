"""Rounds of polling: every feed, every new item's page, coded, stored, alerts sent.

One round: for each registered feed, a conditional GET; for each item not seen before,
the page (robots.txt permitting), its main text and metadata, its events, and one
transaction storing the article, its events, where it was found and the item as seen.
Then the watchlists are matched against the new events and due alerts are sent.

Whatever fails (a feed that is not XML or JSON, a page that is not HTML or over the cap,
a redirect loop, a host that never answers) is one line naming the feed or URL, and the
round goes on. An item whose failure may pass (a timeout, a 5xx) is tried again next
round; one that cannot get better is recorded as seen. ``stop`` (SIGTERM, Ctrl-C) is
checked between articles, so the current one finishes and commits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..alerts import SmtpServer, run_alerts
from ..budget import Skipped
from ..store import Store
from ..store import watch as tables
from . import dedup
from .errors import IngestError
from .feeds import FeedError, FeedItem, article_from_page, parse_feed
from .fetch import HTML_TYPES, Fetcher, FetchError
from .run import Processor

MAX_NEW_ITEMS = 100  # new items taken from one feed per round; the rest wait a round


@dataclass
class Timings:
    """Seconds spent in each stage, for the benchmark."""

    fetching: float = 0.0
    extraction: float = 0.0
    coding: float = 0.0
    storing: float = 0.0


@dataclass
class RoundReport:
    feeds: int = 0  # feeds polled
    not_modified: int = 0
    new_articles: int = 0
    duplicates: int = 0  # pages whose text was already stored
    events: int = 0
    matches: int = 0  # new (watchlist, event) matches
    alerts: int = 0  # alerts sent
    failures: int = 0
    feed_failures: int = 0
    errors: list[str] = field(default_factory=list)
    timings: Timings = field(default_factory=Timings)
    stopped: bool = False

    def line(self) -> str:
        return (f"feeds: {self.feeds} polled, {self.not_modified} not modified; articles: "
                f"{self.new_articles} new; events: {self.events}; alerts: {self.matches} "
                f"new, {self.alerts} sent; failures: {self.failures}")

    @property
    def exit_status(self) -> int:
        """0, 3 when some items failed, 1 when nothing worked (every feed failed)."""
        if not self.failures:
            return 0
        return 1 if self.feeds and self.feed_failures == self.feeds else 3


ProcessorFor = Callable[[str | None], Processor]  # a coder for a feed's country bias


def run_round(
    store: Store,
    fetcher: Fetcher,
    processor_for: ProcessorFor,
    *,
    smtp: SmtpServer | None = None,
    stop: threading.Event | None = None,
    on_error: Callable[[str], None] | None = None,
    on_article: Callable[[RoundReport], None] | None = None,
    near_duplicates: bool = True,
) -> RoundReport:
    """One round over every feed; see the module's docstring."""
    report = RoundReport()

    def failed(message: str) -> None:
        report.failures += 1
        report.errors.append(message)
        if on_error:
            on_error(message)

    for feed in tables.list_feeds(store):
        if stop is not None and stop.is_set():
            report.stopped = True
            break
        report.feeds += 1
        started = time.perf_counter()
        try:
            response = fetcher.get(feed.url, etag=feed.etag, last_modified=feed.last_modified)
            if response.not_modified:
                report.not_modified += 1
                tables.feed_not_modified(store, feed.url)
                continue
            parsed = parse_feed(response.body, feed.url, response.content_type)
        except (FetchError, FeedError) as exc:
            report.feed_failures += 1
            tables.feed_failed(store, feed.url, str(exc))
            failed(f"feed {exc}")
            continue
        finally:
            report.timings.fetching += time.perf_counter() - started
        tables.feed_polled(store, feed.url, etag=response.etag,
                           last_modified=response.last_modified, title=parsed.title)
        seen = tables.seen_items(store, feed.url, [item.key for item in parsed.items])
        fresh = [item for item in parsed.items if item.key not in seen][:MAX_NEW_ITEMS]
        process = processor_for(feed.country_bias)
        for item in fresh:
            if stop is not None and stop.is_set():
                report.stopped = True
                break
            _one_item(store, fetcher, process, feed, parsed.title, item, report, failed,
                      near_duplicates)
            if on_article:
                on_article(report)
        if report.stopped:
            break
    alerts = run_alerts(store, fetcher, smtp, on_error=None)
    report.matches, report.alerts = alerts.matched, alerts.sent
    for message in alerts.errors:
        failed(message)
    return report


def _one_item(store: Store, fetcher: Fetcher, process: Processor, feed: tables.FeedRecord,
              feed_title: str | None, item: FeedItem, report: RoundReport,
              failed: Callable[[str], None], near_duplicates: bool) -> None:
    t = report.timings
    started = time.perf_counter()
    try:
        try:
            response = fetcher.get(item.url, page=True, accept=HTML_TYPES)
        finally:
            t.fetching += time.perf_counter() - started
        started = time.perf_counter()
        try:
            article = article_from_page(response.text(), response.url, item,
                                        feed_title=feed_title, outlet=feed.outlet)
        finally:
            t.extraction += time.perf_counter() - started
    except IngestError as exc:
        failed(f"item of {feed.url}: {exc}")
        if not (isinstance(exc, FetchError) and exc.transient):
            tables.mark_item(store, feed.url, item.key, "failed")
        return
    except Exception as exc:  # a page that breaks a parser must not stop the service
        failed(f"item of {feed.url}: {item.url}: cannot be read ({type(exc).__name__}: {exc})")
        tables.mark_item(store, feed.url, item.key, "failed")
        return
    if store.has_article(article.content_hash):
        started = time.perf_counter()
        tables.store_fetched(store, article, [], feed_url=feed.url, item_key=item.key)
        t.storing += time.perf_counter() - started
        report.duplicates += 1
        return
    started = time.perf_counter()
    coded = list(process([article]))
    t.coding += time.perf_counter() - started
    started = time.perf_counter()
    for done, found in coded:
        if isinstance(found, Skipped):  # over the time budget: reported, tried no more
            failed(f"item of {feed.url}: {item.url}: skipped, {found.reason}")
            tables.mark_item(store, feed.url, item.key, "failed")
            continue
        duplicate_of, sig, keys = (dedup.near_duplicate_of(store, done.text)
                                   if near_duplicates else (None, None, []))
        outcome = tables.store_fetched(store, done, found, feed_url=feed.url,
                                       item_key=item.key, duplicate_of=duplicate_of,
                                       signature=sig, bands=keys)
        if outcome == "duplicate":
            report.duplicates += 1
        else:
            report.new_articles += 1
            report.events += len(found)
    t.storing += time.perf_counter() - started


def watch(
    store: Store,
    fetcher: Fetcher,
    processor_for: ProcessorFor,
    *,
    interval: float = 300.0,
    once: bool = False,
    stop: threading.Event | None = None,
    smtp: SmtpServer | None = None,
    on_round: Callable[[RoundReport], None] | None = None,
    on_error: Callable[[str], None] | None = None,
    on_article: Callable[[RoundReport], None] | None = None,
) -> RoundReport:
    """Rounds every ``interval`` seconds until ``stop`` is set (or one, with ``once``).
    Returns the last round's report."""
    stop = stop or threading.Event()
    while True:
        report = run_round(store, fetcher, processor_for, smtp=smtp, stop=stop,
                           on_error=on_error, on_article=on_article)
        if on_round:
            on_round(report)
        if once or stop.is_set() or stop.wait(interval):
            return report
