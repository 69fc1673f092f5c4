"""Scale (issue 13): the API over 1,000,000 synthetic events on SQLite and on PostGIS side
by side, the databases' size, ingest throughput with forked workers against a Dask
cluster, and the rate of the single writer that every ingest path ends in.

    python benchmarks/bench_scale.py [--events 1000000] [--requests 200] [--articles 240]
                                     [--pg-url URL] [--skip-ingest]

- Queries: ``GET /api/events`` with a bbox of 60 x 40 degrees around a random city, six
  months and two to four types (a page of 500), and ``GET /api/stats`` (whole database,
  and the same bbox + six months), p50/p95 through FastAPI's TestClient (routing,
  validation, the store's SQL, JSON; no network). Target: events p95 under 100 ms.
- The synthetic events are rows written straight into the store's tables (executemany in
  large transactions: the spatial and text indexes are kept by the database itself, as
  for any insert): ten years of dates, growing over time; event types weighted as in
  coded news; places drawn from the world's cities weighted by population.
- PostGIS: a server from --pg-url / EVENTSCOPE_BENCH_PG_URL (the benchmark creates and
  drops its own databases there), else one started with scripts/pg_test_server.sh when
  PostgreSQL is installed; otherwise the PostGIS column says why it was skipped.
- Ingest: the same news articles (../shared/data/cluster/gva.dev.jsonl, the first
  --articles) through ``eventscope ingest --n-process 2`` and ``--dask local --n-process
  2`` (a LocalCluster of two one-thread worker processes), wall clock including the model
  loads, into fresh SQLite files; and the rate after the start, from the difference with
  a run of the first sixth.
- Writer: the articles coded by that run written again into a fresh store by
  ``Store.add_many`` (batches of 50) and by the ingest loop itself (duplicate and
  near-duplicate checks, one transaction per article, incidents), with coding taken out:
  the most articles/s any number of workers can deliver through one writer.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import insert, text

from eventscope.api import create_app
from eventscope.ingest.run import ingest as run_ingest
from eventscope.record import Article, Event, make_event_id
from eventscope.store import Store, StoreError
from eventscope.store.schema import articles, events

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import SECTORS, WEIGHTS, cities, pct, window_query  # noqa: E402 - same mix

ROOT = Path(__file__).resolve().parent.parent
NEWS = ROOT.parent / "shared" / "data" / "cluster" / "gva.dev.jsonl"
PG_SERVER = ROOT / "scripts" / "pg_test_server.sh"
BIN = Path(sys.executable).parent

START = dt.date(2016, 1, 1)
DAYS = 3653  # ten years
EVENTS_PER_ARTICLE = 5
TARGET_EVENTS_MS = 100.0
BATCH_ROWS = 50_000


@dataclass
class Column:
    """One database's figures (a column of the table)."""

    name: str
    figures: dict[str, str] = field(default_factory=dict)
    skipped: str = ""


# -- synthetic rows ---------------------------------------------------------------------

def synthetic_rows(n_events: int, seed: int = 1) -> Iterator[tuple[list[dict], list[dict]]]:
    """(article rows, event rows) in batches of about BATCH_ROWS events."""
    rng = random.Random(seed)
    places = cities()
    # News follows people: a city's weight grows with the square root of its population.
    cum = list(itertools.accumulate(max(p[4], 1000) ** 0.5 for p in places))
    types, type_cum = list(WEIGHTS), list(itertools.accumulate(WEIGHTS.values()))
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    article_rows: list[dict] = []
    event_rows: list[dict] = []
    for number in range(0, n_events, EVENTS_PER_ARTICLE):
        name, country, lat, lon, _ = places[bisect.bisect(cum, rng.random() * cum[-1])]
        # more coverage in later years: day = DAYS * sqrt(u) puts twice as many events in
        # the last year as in the fifth
        day = START + dt.timedelta(days=int(DAYS * rng.random() ** 0.5))
        published = (day + dt.timedelta(days=rng.randrange(3))).isoformat()
        article_id = f"syn{number:09d}"
        picked = [types[bisect.bisect(type_cum, rng.random() * type_cum[-1])]
                  for _ in range(EVENTS_PER_ARTICLE)]
        sentences = [f"Report {number + i}: {t.lower()} near {name} involving group {i}."
                     for i, t in enumerate(picked)]
        body = " ".join(sentences)
        article_rows.append({
            "id": article_id, "content_hash": f"{number:064x}", "url": None,
            "title": f"{name}: {picked[0].lower()} report {number}", "outlet": "synthetic",
            "published": published, "text": body, "ingested_at": now,
            "duplicate_of": None, "minhash": None})
        offset = 0
        for i, (etype, sentence) in enumerate(zip(picked, sentences, strict=True)):
            start = body.index(sentence, offset)
            offset = start + len(sentence)
            jitter_lat, jitter_lon = rng.gauss(0, 0.05), rng.gauss(0, 0.05)
            event_rows.append({
                "event_id": make_event_id(article_id, start, offset, etype),
                "article_id": article_id, "event_type": etype, "mode": "", "context": "[]",
                "actor_text": f"group {i}", "actor_name": None, "actor_country": country,
                "actor_sector": rng.choice(SECTORS), "actor_implied": False,
                "target_text": None, "target_name": None, "target_country": None,
                "target_sector": None, "location_text": name, "location_name": name,
                "geonameid": None, "country": country, "admin1": None,
                "lat": max(-90.0, min(90.0, lat + jitter_lat)),
                "lon": max(-180.0, min(180.0, lon + jitter_lon)),
                "feature_code": "PPL", "precision": 1, "date": day.isoformat(),
                "date_precision": "day", "date_text": None, "evidence_sentence": sentence,
                "evidence_start": start, "evidence_end": offset,
                "evidence_trigger": etype.lower(), "attribution": None,
                "hedged": rng.random() < 0.1, "negated": rng.random() < 0.05,
                "confidence": round(rng.uniform(0.3, 0.99), 2), "incident_id": None})
        if len(event_rows) >= BATCH_ROWS:
            yield article_rows, event_rows
            article_rows, event_rows = [], []
    if event_rows:
        yield article_rows, event_rows


def fill(db: str, n_events: int) -> float:
    """Synthetic events into a new store at ``db``; seconds taken."""
    began = time.perf_counter()
    store = Store(db)
    done = 0
    try:
        for article_rows, event_rows in synthetic_rows(n_events):
            with store.engine.begin() as conn:
                conn.execute(insert(articles), article_rows)
                conn.execute(insert(events), event_rows)
            done += len(event_rows)
            print(f"  {done:,} events", end="\r", file=sys.stderr, flush=True)
        if store.backend.name != "sqlite":  # what autovacuum does after a large load
            with store.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(
                    text("VACUUM ANALYZE"))
        # (SQLite: no ANALYZE, as no eventscope command runs one: the plans are those of
        # a store that ingest filled)
    finally:
        store.close()
    return time.perf_counter() - began


# -- queries ----------------------------------------------------------------------------


def measure(client: TestClient, queries: list[str], size: Callable[[dict], int],
            ) -> tuple[float, float, float]:
    """p50 and p95 milliseconds, and the median size of the answers."""
    wall, sizes = [], []
    for query in queries:
        began = time.perf_counter()
        response = client.get(query)
        wall.append((time.perf_counter() - began) * 1000)
        response.raise_for_status()
        sizes.append(size(response.json()))
    return pct(wall, 50), pct(wall, 95), statistics.median(sizes)


def query_figures(db: str, n: int, column: Column) -> None:
    rng = random.Random(7)
    # Queries centred where the events are (populous places), as analysts' would be.
    places = [p for p in cities() if p[4] >= 100_000]
    pages = [f"/api/events?limit=500&{window_query(rng, places, True, START, DAYS)}"
             for _ in range(n)]
    windows = [f"/api/stats?{window_query(rng, places, False, START, DAYS)}"
               for _ in range(n)]
    with TestClient(create_app(db), base_url="http://localhost") as client:
        client.get("/api/stats")  # warm the cache once, as a running server would be
        for name, queries, size in [
            ("events: bbox + 6 months + types, 500", pages, lambda b: len(b["events"])),
            ("stats: bbox + 6 months", windows, lambda b: b["total"]),
            ("stats: whole database", ["/api/stats"] * max(5, n // 20),
             lambda b: b["total"]),
        ]:
            p50, p95, median = measure(client, queries, size)
            mark = " (!)" if name.startswith("events") and p95 >= TARGET_EVENTS_MS else ""
            column.figures[f"{name} p50 / p95 ms"] = f"{p50:.1f} / {p95:.1f}{mark}"
            column.figures[f"{name}: median rows"] = f"{median:,.0f}"


def sqlite_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def pg_size(url: str) -> int:
    store = Store(url, create=False)
    try:
        with store.engine.connect() as conn:
            return int(conn.execute(text("SELECT pg_database_size(current_database())"))
                       .scalar_one())
    finally:
        store.close()


# -- PostgreSQL -------------------------------------------------------------------------


class PgServer:
    """Databases of our own on a PostgreSQL server: one given, or a throwaway one."""

    def __init__(self, url: str | None, tmp: Path) -> None:
        self.url, self.folder, self.made = url, None, []
        self.reason = ""
        if self.url is None:
            if not PG_SERVER.exists():
                self.reason = "no --pg-url / EVENTSCOPE_BENCH_PG_URL and no pg_test_server.sh"
                return
            tmp.chmod(0o755)  # the server runs as the postgres user when we are root
            folder = tmp / "pg"
            started = subprocess.run([str(PG_SERVER), str(folder)], capture_output=True,
                                     text=True)
            if started.returncode:
                self.reason = (started.stderr.strip().splitlines() or ["could not start"])[-1]
                return
            self.url, self.folder = started.stdout.strip(), folder

    def database(self, name: str) -> str | None:
        """The URL of a new, empty database ``name`` (dropped first if it is there)."""
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        assert self.url
        base = make_url(self.url.replace("postgresql://", "postgresql+psycopg://", 1))
        engine = create_engine(base, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as exc:  # no right to create databases, no server: say so
            self.reason = f"cannot create a database at {base.render_as_string()}: {exc}"
            return None
        finally:
            engine.dispose()
        self.made.append(name)
        return base.set(database=name).render_as_string(hide_password=False).replace(
            "postgresql+psycopg://", "postgresql://", 1)

    def close(self) -> None:
        if self.url and self.made:
            from sqlalchemy import create_engine
            url = self.url.replace("postgresql://", "postgresql+psycopg://", 1)
            engine = create_engine(url, isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                for name in self.made:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            engine.dispose()
        if self.folder is not None:
            subprocess.run([str(PG_SERVER), "--stop", str(self.folder)], check=False)


# -- ingest and the writer --------------------------------------------------------------


def ingest_rate(inputs: Path, db: Path, extra: list[str], n: int) -> tuple[float, str]:
    """Articles/s of one ``eventscope ingest`` run (wall clock, model loads included)."""
    began = time.perf_counter()
    done = subprocess.run([str(BIN / "eventscope"), "ingest", str(inputs), "--db", str(db),
                           *extra], capture_output=True, text=True)
    seconds = time.perf_counter() - began
    if done.returncode not in (0, 3):
        raise SystemExit(f"ingest {' '.join(extra)} failed: {done.stderr.strip()}")
    return n / seconds, done.stdout.strip().splitlines()[-1]


def coded_articles(db: Path) -> list[tuple[Article, list[Event]]]:
    """What a run coded, read back from its store: the writer's input."""
    with Store(db, read_only=True) as store, store.engine.connect() as conn:
        ids = conn.execute(text("SELECT id FROM articles ORDER BY rowid")).scalars().all()
        out = []
        for article_id in ids:
            article = store.get_article(article_id)
            assert article is not None
            found = [e.model_copy(update={"incident_id": None})
                     for e in store.article_events(article_id)]
            out.append((article, found))
    return out


def writer_rates(db: str, coded: list[tuple[Article, list[Event]]]) -> tuple[float, float]:
    """Articles/s written by Store.add_many (batches of 50), then by the ingest loop (a
    fresh store each: ``db`` and ``db`` + "2")."""
    store = Store(db)
    began = time.perf_counter()
    for n in range(0, len(coded), 50):
        store.add_many(coded[n:n + 50])
    many = len(coded) / (time.perf_counter() - began)
    store.close()
    return many, _loop_rate(db + "2", coded)  # a file, or a database, of its own


def _loop_rate(db: str, coded: list[tuple[Article, list[Event]]]) -> float:
    by_id = {article.article_id: found for article, found in coded}
    store = Store(db)
    began = time.perf_counter()
    summary = run_ingest([article for article, _ in coded], store,
                         lambda stream: ((a, by_id[a.article_id]) for a in stream))
    rate = summary.new / (time.perf_counter() - began)
    store.close()
    return rate


# -- the run ----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--articles", type=int, default=240,
                        help="news articles per ingest run (0: no ingest figures)")
    parser.add_argument("--pg-url", default=os.environ.get("EVENTSCOPE_BENCH_PG_URL"),
                        help="a PostgreSQL server to create the benchmark's databases on")
    parser.add_argument("--skip-ingest", action="store_true")
    args = parser.parse_args()
    if args.skip_ingest:
        args.articles = 0

    sqlite, pg = Column("SQLite"), Column("PostGIS")
    rows: list[tuple[str, str]] = []  # ingest figures, one per line
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        folder = Path(tmp)
        server = PgServer(args.pg_url, folder)
        try:
            path = folder / "events.db"
            print(f"SQLite: filling {args.events:,} events ...", file=sys.stderr)
            seconds = fill(str(path), args.events)
            sqlite.figures["fill: events/s (executemany)"] = f"{args.events / seconds:,.0f}"
            sqlite.figures["database size"] = f"{sqlite_size(path) / 2**20:,.0f} MB"
            query_figures(str(path), args.requests, sqlite)

            pg_url = server.database("eventscope_bench") if server.url else None
            if pg_url is None:
                pg.skipped = server.reason
            else:
                try:
                    print(f"PostGIS: filling {args.events:,} events ...", file=sys.stderr)
                    seconds = fill(pg_url, args.events)
                    pg.figures["fill: events/s (executemany)"] = f"{args.events / seconds:,.0f}"
                    pg.figures["database size"] = f"{pg_size(pg_url) / 2**20:,.0f} MB"
                    query_figures(pg_url, args.requests, pg)
                except StoreError as exc:
                    pg.skipped = str(exc)

            if args.articles and NEWS.exists():
                ingest_figures(folder, args.articles, server, sqlite, pg, rows)
            elif args.articles:
                rows.append(("ingest", f"skipped ({NEWS} is not there)"))
        finally:
            server.close()

    print_table(args, sqlite, pg, rows)


def ingest_figures(folder: Path, n: int, server: PgServer, sqlite: Column, pg: Column,
                   rows: list[tuple[str, str]]) -> None:
    news, head = folder / "news.jsonl", folder / "head.jsonl"
    few = max(1, n // 6)  # a short run too: the difference is the rate after the start
    with NEWS.open(encoding="utf-8") as source, news.open("w", encoding="utf-8") as out, \
            head.open("w", encoding="utf-8") as short:
        for number, line in enumerate(itertools.islice(source, n)):
            doc = json.loads(line)
            record = json.dumps({k: doc.get(k) for k in
                                 ("text", "title", "published", "outlet", "url")}) + "\n"
            out.write(record)
            if number < few:
                short.write(record)
    chars = sum(len(json.loads(line)["text"]) for line in news.open(encoding="utf-8"))
    rows.append(("input", f"{n} news articles of gva.dev.jsonl, {chars / n:,.0f} chars "
                          "on average"))
    for label, extra, name in [
        ("ingest --n-process 2 (forked)", ["--n-process", "2"], "forked.db"),
        ("ingest --dask local --n-process 2", ["--dask", "local", "--n-process", "2"],
         "dask.db"),
    ]:
        print(f"{label} ...", file=sys.stderr)
        rate, said = ingest_rate(news, folder / name, extra, n)
        short, _ = ingest_rate(head, folder / f"head-{name}", extra, few)
        after = (n - few) / (n / rate - few / short)
        rows.append((label, f"{rate:.1f} articles/s wall clock, {after:.1f} after the "
                            f"start ({n} minus {few} articles)  ({said.split(';')[0]})"))
    coded = coded_articles(folder / "forked.db")
    events_per = sum(len(found) for _, found in coded) / max(1, len(coded))
    many, loop = writer_rates(str(folder / "writer.db"), coded)
    sqlite.figures["writer: add_many, articles/s"] = f"{many:,.0f}"
    sqlite.figures["writer: ingest loop, articles/s"] = f"{loop:,.0f}"
    rows.append(("writer input", f"{len(coded)} coded articles, {events_per:.1f} events "
                                 "each"))
    if not pg.skipped and server.url:
        first = server.database("eventscope_writer")
        second = server.database("eventscope_writer2")
        if first and second:
            many, loop = writer_rates(first, coded)
            pg.figures["writer: add_many, articles/s"] = f"{many:,.0f}"
            pg.figures["writer: ingest loop, articles/s"] = f"{loop:,.0f}"


def print_table(args: argparse.Namespace, sqlite: Column, pg: Column,
                rows: list[tuple[str, str]]) -> None:
    names = list(dict.fromkeys([*sqlite.figures, *pg.figures]))
    width = max(len(n) for n in names) + 2
    print(f"\n{args.events:,} synthetic events ({args.events // EVENTS_PER_ARTICLE:,} "
          f"articles, ten years), {args.requests} requests per query; "
          f"target: events p95 < {TARGET_EVENTS_MS:.0f} ms\n")
    print(f"| {'':<{width}} | {'SQLite':>22} | {'PostGIS':>22} |")
    print(f"|{'-' * (width + 2)}|{'-' * 24}:|{'-' * 24}:|")
    for name in names:
        theirs = pg.figures.get(name, "skipped" if pg.skipped else "")
        print(f"| {name:<{width}} | {sqlite.figures.get(name, ''):>22} | {theirs:>22} |")
    if pg.skipped:
        print(f"\nPostGIS: skipped ({pg.skipped})")
    if rows:
        print()
        for label, value in rows:
            print(f"{label:<36} {value}")
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")


if __name__ == "__main__":
    main()
