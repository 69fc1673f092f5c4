"""Incidents: how well reports are grouped, and what grouping costs as the store grows.

Quality (default): the development sets of ../shared/data/cluster (GVC, the GVA crawl,
ECB+), coded by the full pipeline (cached under --cache, since coding takes 0.1-0.3 s an
article), stored as a stream in two runs (two Store openings, the first half then the
second), scored by B-cubed and pairwise F1 over articles (an article's cluster is the
incident holding most of its events). With --cv, the matching thresholds are chosen by
cross-validation by dataset (folds: GVC, the GVA articles outside GVC, ECB+): each fold is
scored with the thresholds best on the other folds.

Cost (--cost): synthetic stores of 10k, 100k and 1M events (a growing time span at a
constant daily density, as a live database grows); the time to store and group new
articles of 8 events each at each size. It should stay flat.

    python benchmarks/bench_incidents.py [--sets gvc,gva,ecbplus] [--cv]
    python benchmarks/bench_incidents.py --cost [--sizes 10000,100000,1000000]
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from eventscope.evaluate.cluster import (
    ClusterScore,
    GoldArticle,
    article_clusters,
    load_cluster_gold,
    score_clusters,
)
from eventscope.record import Article, Event
from eventscope.store import Store
from eventscope.store.backend import box_sql
from eventscope.store.matching import (
    MatchRules,
    article_keys,
    default_rules,
    profile_of,
    same_incident,
)
from eventscope.store.schema import article_keys as article_keys_table
from eventscope.store.schema import articles as articles_table
from eventscope.store.schema import events as events_table
from eventscope.store.schema import incidents as incidents_table

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "cluster"
SETS = {"gvc": "gvc.dev.jsonl", "gva": "gva.dev.jsonl", "ecbplus": "ecbplus.dev.jsonl"}


# -- coding, cached ------------------------------------------------------------------------


def article_of(gold: GoldArticle) -> Article:
    r = gold.record
    return Article(article_id=gold.doc_id, text=str(r["text"]), title=r.get("title") or None,
                   url=r.get("url") or None, outlet=r.get("outlet") or None,
                   published=r.get("published") or None)


def coded(golds: list[GoldArticle], cache: Path) -> dict[str, list[Event]]:
    """The events of each article, from the cache or coded now (and cached)."""
    cache.mkdir(parents=True, exist_ok=True)
    events_file, done_file = cache / "events.jsonl", cache / "coded_ids.txt"
    found: dict[str, list[Event]] = defaultdict(list)
    done: set[str] = set()
    if done_file.exists():
        done = set(done_file.read_text().split())
    if events_file.exists():
        with events_file.open(encoding="utf-8") as handle:
            for line in handle:
                event = Event.model_validate_json(line)
                found[event.article.article_id].append(event)
    todo = [g for g in golds if g.doc_id not in done]
    if todo:
        from eventscope.budget import Skipped
        from eventscope.pipeline import process_many

        print(f"coding {len(todo)} articles (cached in {cache}) ...", file=sys.stderr)
        with events_file.open("a", encoding="utf-8") as out, done_file.open("a") as ids:
            for n, (article, result) in enumerate(process_many(article_of(g) for g in todo)):
                if not isinstance(result, Skipped):
                    for event in result:
                        out.write(event.to_json() + "\n")
                    found[article.article_id] = list(result)
                ids.write(article.article_id + "\n")
                if n % 100 == 99:
                    print(f"  {n + 1}/{len(todo)}", file=sys.stderr)
    return {g.doc_id: found.get(g.doc_id, []) for g in golds}


# -- grouping through the store, as a stream in two runs ---------------------------------


def store_in_runs(golds: list[GoldArticle], found: dict[str, list[Event]], db: Path,
                  runs: int = 2) -> tuple[dict[str, list[str]], float]:
    """Store the articles in stream order, in ``runs`` separate openings of the store;
    the incident ids of each article's events and the seconds per article."""
    size = -(-len(golds) // runs)
    spent = 0.0
    for start in range(0, len(golds), size):
        with Store(db) as store:
            started = time.perf_counter()
            for gold in golds[start:start + size]:
                store.add(article_of(gold), found[gold.doc_id])
            spent += time.perf_counter() - started
    incidents: dict[str, list[str]] = defaultdict(list)
    with Store(db, read_only=True) as store, store.engine.connect() as conn:
        for row in conn.execute(select(events_table.c.article_id, events_table.c.incident_id)):
            incidents[row.article_id].append(row.incident_id)
        stored_as = dict(conn.execute(select(articles_table.c.content_hash,
                                             articles_table.c.id)).all())
    # an exact copy is stored as another source of the first one stored: the same report
    for gold in golds:
        original = stored_as.get(article_of(gold).content_hash)
        if original is not None and original != gold.doc_id:
            incidents[gold.doc_id] = incidents[original]
    return incidents, spent / max(1, len(golds))


# -- the same judgement offline, for choosing thresholds ---------------------------------


def offline_incidents(golds: list[GoldArticle], found: dict[str, list[Event]],
                      rules: MatchRules) -> dict[str, list[str]]:
    """What the store would build (connected events; the store's result does not depend
    on order), computed directly: every pair of events within reach in time."""
    profiles = []
    for gold in golds:
        keys = article_keys(gold.record.get("title"), str(gold.record["text"]),  # type: ignore[arg-type]
                            rules.key_chars)
        for event in found[gold.doc_id]:
            profiles.append(profile_of(len(profiles), event, keys))
    parent = list(range(len(profiles)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    dated = sorted((p for p in profiles if p.matchable), key=lambda p: p.day_lo or 0)
    for i, a in enumerate(dated):
        compatible = rules.compatible_types(a.event_type)
        for b in dated[i + 1:]:
            if (b.day_lo or 0) > (a.day_hi or 0) + rules.reach_days:
                break
            if b.event_type in compatible and same_incident(a, b, rules):
                ra, rb = root(a.pk), root(b.pk)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    out: dict[str, list[str]] = defaultdict(list)
    for p in profiles:
        out[p.article_id].append(str(root(p.pk)))
    return out


def _groups(golds: list[GoldArticle], incidents: dict[str, list[str]]) -> set[frozenset[str]]:
    """The articles grouped by the incident holding most of their events."""
    out: dict[str, set[str]] = defaultdict(set)
    for doc, incident in article_clusters([g.doc_id for g in golds], incidents).items():
        out[incident].add(doc)
    return {frozenset(group) for group in out.values()}


def score(golds: list[GoldArticle], incidents: dict[str, list[str]]) -> ClusterScore:
    gold = {g.doc_id: g.cluster for g in golds}
    return score_clusters(gold, article_clusters(gold, incidents))


GRID: dict[str, list[Any]] = {
    "min_overlap": [0.15, 0.2, 0.3], "strong_overlap": [0.3, 0.4],
    "place_names_count": [True, False],
}


def objective(s: ClusterScore) -> float:
    return s.b3_f1 + s.pair_f1


def cross_validate(folds: dict[str, list[GoldArticle]], found: dict[str, list[Event]]) -> None:
    """Each fold scored with the thresholds that do best on the other folds."""
    base = default_rules()
    combos = [dict(zip(GRID, values, strict=True)) for values in itertools.product(*GRID.values())]
    every = list({g.doc_id: g for golds in folds.values() for g in golds}.values())
    scores: dict[str, list[ClusterScore]] = {name: [] for name in folds}
    for combo in combos:
        grouped = offline_incidents(every, found, base.with_thresholds(**combo))
        for name, golds in folds.items():
            scores[name].append(score(golds, grouped))
    print(f"\ncross-validation by dataset over {len(combos)} threshold settings:")
    for name in folds:
        others = [n for n in folds if n != name]
        best = max(range(len(combos)), key=lambda i: sum(objective(scores[n][i])
                                                         for n in others))
        s = scores[name][best]
        print(f"  {name:8} with the best on {'+'.join(others)} {combos[best]}: "
              f"B3 F1 {s.b3_f1:.3f}, pairwise F1 {s.pair_f1:.3f}")
    overall = max(range(len(combos)), key=lambda i: sum(objective(scores[n][i]) for n in folds))
    print(f"  best on all folds: {combos[overall]}")


def quality(args: argparse.Namespace) -> None:
    golds = {name: load_cluster_gold(args.data / SETS[name]) for name in args.sets}
    every: dict[str, GoldArticle] = {}
    for items in golds.values():
        for gold in items:
            every.setdefault(gold.doc_id, gold)
    found = coded(list(every.values()), args.cache)
    print(f"{'set':8} {'docs':>5} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'pr P':>6} "
          f"{'pr R':>6} {'pr F1':>6}  {'s/article':>9}  order-independent")
    for name, items in golds.items():
        with tempfile.TemporaryDirectory() as tmp:
            incidents, per_article = store_in_runs(items, found, Path(tmp) / "a.db")
            check = ""
            if name in args.order_check:
                shuffled = list(items)
                random.Random(14).shuffle(shuffled)
                again, _ = store_in_runs(shuffled, found, Path(tmp) / "b.db", runs=3)
                # the same groups of articles (ids may differ where one of two exact
                # copies was stored first: the other is its source, its events its ids)
                same = _groups(items, incidents) == _groups(items, again)
                check = "yes" if same else "NO"
        s = score(items, incidents)
        print(f"{name:8} {s.n_docs:5d} {s.b3_p:6.3f} {s.b3_r:6.3f} {s.b3_f1:6.3f} "
              f"{s.pair_p:6.3f} {s.pair_r:6.3f} {s.pair_f1:6.3f}  {per_article:9.4f}  {check}")
    if args.cv:
        gvc_ids = {g.doc_id for g in golds.get("gvc", [])}
        folds = {}
        if "gvc" in golds:
            folds["gvc"] = golds["gvc"]
        if "gva" in golds:
            folds["gva-gvc"] = [g for g in golds["gva"] if g.doc_id not in gvc_ids]
        if "ecbplus" in golds:
            folds["ecbplus"] = golds["ecbplus"]
        cross_validate(folds, found)


# -- cost as the store grows -------------------------------------------------------------


def synthetic_article(rng: random.Random, n: int, day: int, n_events: int = 8,
                      ) -> tuple[Article, list[Event]]:
    """An article of ``n_events`` events around one of 2,000 places on ``day``."""
    import datetime as dt

    from eventscope.record import Actor, Evidence, Location, make_event_id
    place = rng.randrange(2000)
    lat, lon = -40 + (place * 7.3) % 100, -170 + (place * 13.7) % 340
    date = dt.date.fromordinal(day).isoformat()
    names = " ".join(f"Name{rng.randrange(50000)}" for _ in range(6))
    text = f"Synthetic report {n}. Officers named {names} after the attack. " * 2
    article = Article(article_id=f"syn{n}", text=text, title=f"Report {n}", published=date,
                      outlet=f"outlet{rng.randrange(300)}.example")
    found = []
    for k in range(n_events):
        event_type = rng.choice(["ASSAULT", "PROTEST", "COERCE", "CONSULT", "ACCUSE"])
        found.append(Event(
            event_id=make_event_id(article.article_id, k * 10, k * 10 + 9, event_type),
            event_type=event_type,  # type: ignore[arg-type]
            actor=Actor(text="gunmen", country="USA", sector="UNK"),
            location=Location(text=f"Place{place}", lat=lat + rng.uniform(-0.05, 0.05),
                              lon=lon + rng.uniform(-0.05, 0.05), country="USA",
                              precision=rng.choice([1, 1, 2, 3])),
            date=date, date_precision=rng.choice(["day", "day", "week"]),
            evidence=Evidence(sentence="x", start=k * 10, end=k * 10 + 9, trigger="x"),
            confidence=0.5, article=article.ref()))
    return article, found


def bulk_fill(store: Store, rng: random.Random, start: int, count: int, per_day: int,
              first_day: int) -> None:
    """Add ``count`` synthetic articles (8 events each) straight into the tables, each
    event an incident of its own with its box in the index: a large store made quickly.
    The timed articles go through Store.add."""
    from eventscope.store.incidents import box
    from eventscope.store.matching import profile_of
    from eventscope.store.schema import article_row, event_row

    rules = default_rules()
    now = "2026-01-01T00:00:00+00:00"
    for chunk in range(start, start + count, 2000):
        arts, evs, boxes, keys, incs = [], [], [], [], []
        for n in range(chunk, min(chunk + 2000, start + count)):
            article, found = synthetic_article(rng, n, first_day + n * 8 // per_day)
            arts.append(article_row(article, now))
            keys.append({"article_id": article.article_id, "keys": "name1 name2"})
            for event in found:
                evs.append(event_row(event, article.article_id)
                           | {"incident_id": event.event_id})
                incs.append({"id": event.event_id, "event_type": event.event_type,
                             "n_events": 1, "n_articles": 1, "n_sources": 1,
                             "confidence": event.confidence})
        with store.engine.begin() as conn:
            conn.execute(articles_table.insert(), arts)
            conn.execute(events_table.insert(), evs)
            conn.execute(article_keys_table.insert(), keys)
            conn.execute(incidents_table.insert(), incs)
            pks = dict(conn.execute(select(events_table.c.event_id, events_table.c.pk).where(
                events_table.c.article_id.in_([a["id"] for a in arts]))).all())
            for row in evs:
                ev = Event.model_construct(
                    event_id=row["event_id"], event_type=row["event_type"],
                    date=row["date"], date_precision=row["date_precision"],
                    location=None, actor=None, target=None,
                    article=Article.model_construct(article_id=row["article_id"]))
                prof = profile_of(pks[row["event_id"]], ev, frozenset())
                prof = prof.__class__(**{**prof.__dict__, "lat": row["lat"], "lon": row["lon"],
                                         "precision": row["precision"]})
                if prof.matchable:
                    boxes.append({"pk": prof.pk, **box(prof, rules)})
            conn.execute(text(box_sql(conn)["insert"]), boxes)  # R*Tree or PostGIS


def cost(args: argparse.Namespace) -> None:
    import datetime as dt

    sizes = [int(s) for s in args.sizes.split(",")]
    per_day = args.per_day  # events a day: the density a live database keeps
    rng = random.Random(14)
    first_day = dt.date(2020, 1, 1).toordinal()
    print(f"events/day {per_day}; time to store and group one new article of 8 events")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "cost.db")
        have = 0
        for size in sizes:
            started = time.perf_counter()
            bulk_fill(store, rng, have // 8, (size - have) // 8, per_day, first_day)
            have = size
            built = time.perf_counter() - started
            probe = 200
            timings = []
            for n in range(probe):
                article, found = synthetic_article(
                    rng, 10_000_000 + size + n, first_day + have // per_day)
                t0 = time.perf_counter()
                store.add(article, found)
                timings.append(time.perf_counter() - t0)
            have += probe * 8
            timings.sort()
            print(f"  {size:>9,} events: {1000 * sum(timings) / probe:7.2f} ms/article mean, "
                  f"{1000 * timings[probe // 2]:7.2f} median, "
                  f"{1000 * timings[int(probe * .95)]:7.2f} p95  (built in {built:.0f} s)",
                  flush=True)
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir())
                        / "eventscope-bench-incidents")
    parser.add_argument("--sets", default="gvc,gva,ecbplus")
    parser.add_argument("--order-check", default="gvc",
                        help="sets also stored in another order and batches, to compare")
    parser.add_argument("--cv", action="store_true", help="cross-validate the thresholds")
    parser.add_argument("--cost", action="store_true", help="cost per article as the store grows")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--per-day", type=int, default=2000)
    args = parser.parse_args()
    args.sets = [s for s in args.sets.split(",") if s]
    args.order_check = set(args.order_check.split(","))
    if args.cost:
        cost(args)
        return
    if not args.data.exists():
        sys.exit(f"{args.data}: no cluster development data here (give --data)")
    quality(args)


if __name__ == "__main__":
    main()
