"""Several writers at once on one store (two ingests of overlapping input, a feed watcher
beside an ingest, the API's batches): every article stored once, nothing lost. On SQLite
and on PostgreSQL (tests/conftest.py)."""

from __future__ import annotations

import multiprocessing as mp
import threading
from collections.abc import Callable

from dbtargets import execute
from eventscope.ingest.run import ingest as run_ingest
from eventscope.record import Article
from eventscope.store import Store
from eventscope.store.watch import store_fetched
from standins import one_protest_each


def _articles(n: int) -> list[Article]:
    towns = ["Kisumu", "Mombasa", "Nakuru", "Eldoret", "Thika", "Malindi", "Kitale", "Garissa"]
    return [Article(text=f"Traders marched through {towns[i % len(towns)]} on day {i} of the "
                    f"strike, number {i * 7919}.", title=f"Strike day {i}",
                    published=f"2024-05-{1 + i % 28:02d}", outlet=f"Paper {i % 3}")
            for i in range(n)]


def _ingest_in_process(target: str, articles: list[Article], go: Callable[[], object],
                       out: mp.Queue) -> None:
    go()  # start together with the other process
    store = Store(target, busy_timeout=60)
    summary = run_ingest(articles, store, one_protest_each)
    store.close()
    out.put((summary.new, summary.skipped, summary.failed, summary.errors))


def _counts(target: str) -> tuple[int, int, int]:
    """(articles, distinct content hashes, events) as stored."""
    articles, hashes = execute(target, "SELECT count(*), count(DISTINCT content_hash) "
                               "FROM articles")[0]
    events = execute(target, "SELECT count(*) FROM events")[0][0]
    return int(articles), int(hashes), int(events)


def test_two_ingest_processes_of_overlapping_input_store_each_article_once(
        db_target: str) -> None:
    texts = _articles(40)
    Store(db_target).close()  # created first, as a shared database is before its writers
    ctx = mp.get_context("fork")
    start, out = ctx.Event(), ctx.Queue()
    # the first 30 and the last 30: 20 articles in both runs
    runs = [ctx.Process(target=_ingest_in_process, args=(db_target, part, start.wait, out))
            for part in (texts[:30], texts[10:])]
    for run in runs:
        run.start()
    start.set()
    results = [out.get(timeout=120) for _ in runs]
    for run in runs:
        run.join(timeout=60)
        assert run.exitcode == 0
    assert all(failed == 0 and not errors for _, _, failed, errors in results), results
    assert sum(new for new, *_ in results) == 40  # each article stored by one of them
    assert sum(new + skipped for new, skipped, *_ in results) == 60
    assert _counts(db_target) == (40, 40, 40)


def test_threads_adding_the_same_articles_store_each_once(db_target: str) -> None:
    texts = _articles(24)
    coded = list(one_protest_each(texts))
    Store(db_target).close()
    added: list[bool] = []
    lock = threading.Lock()
    barrier = threading.Barrier(3)

    def writer(kind: int) -> None:
        store = Store(db_target, busy_timeout=60)
        barrier.wait()
        try:
            if kind == 0:  # an ingest
                mine = [store.add(article, found) for article, found in coded]
            elif kind == 1:  # the API's POST, in batches
                mine = [ok for start in range(0, len(coded), 6)
                        for ok in store.add_many(coded[start:start + 6])]
            else:  # a feed watcher finding the same texts
                mine = [store_fetched(store, article, found, feed_url="https://feed.example/",
                                      item_key=f"item-{n}") != "duplicate"
                        for n, (article, found) in enumerate(coded)]
        finally:
            store.close()
        with lock:
            added.extend(mine)

    threads = [threading.Thread(target=writer, args=(kind,)) for kind in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(added) == 3 * 24
    assert sum(added) == 24  # exactly one writer stored each article
    assert _counts(db_target) == (24, 24, 24)
    # every incident and log version came from one writer at a time
    versions = execute(db_target, "SELECT version, count(DISTINCT at) FROM changes "
                       "GROUP BY version HAVING count(DISTINCT at) > 1")
    assert versions == []
    with Store(db_target, read_only=True) as store:
        assert all(e.incident_id is not None for e in store.iter_events())
