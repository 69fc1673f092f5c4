"""One round of `eventscope watch` over 10 local feeds of 50 items each, end to end.

    make bench-watch      # or: .venv/bin/python benchmarks/bench_watch.py [--feeds 10]
                          #     [--items 50] [--n-process 1]

A threaded HTTP server on 127.0.0.1 serves the feeds (RSS 2.0) and one page per item:
real news texts from ../shared/data/geoparse (our own generated texts when it is absent)
wrapped in navigation, a cookie banner, a related-stories box and a footer. The round
runs the real fetcher (address guard, robots.txt, no per-host delay), trafilatura and the
full pipeline into a fresh SQLite store. The model is loaded before the clock starts.

Prints articles/s for the round and the share of its time spent fetching (feeds, pages,
robots.txt), extracting main text and metadata, coding events, and storing.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the loopback server the tests use

from localweb import Reply, Site  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "geoparse"


def texts(n: int) -> list[tuple[str, str]]:
    """(title, text) of ``n`` articles."""
    found: list[tuple[str, str]] = []
    for path in sorted(DATA.glob("*.jsonl")) if DATA.exists() else []:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                text = record.get("text") or ""
                if len(text) > 400:
                    found.append((record.get("title") or text.split(".")[0][:80], text))
                if len(found) == n:
                    return found
    towns = ["Gao", "Mopti", "Kidal", "Tartus", "Latakia", "Goma", "Bunia", "Aden"]
    while len(found) < n:
        i = len(found)
        town = towns[i % len(towns)]
        found.append((f"Clashes near {town} ({i})",
                      f"Gunmen attacked an army post near {town} on Monday, officials said. "
                      f"Residents of {town} marched the next day to protest against the "
                      f"violence. The governor met elders to discuss security (report {i})."))
    return found


def page(title: str, text: str, n: int) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return f"""<!DOCTYPE html><html><head><title>{html.escape(title)}</title>
<meta property="og:site_name" content="Bench Wire">
<meta property="article:published_time" content="2024-05-{n % 28 + 1:02d}T08:00:00Z">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<div class="cookie-banner">We use cookies. <button>Accept</button></div>
<main><article><h1>{html.escape(title)}</h1>{body}</article></main>
<aside class="related"><h3>Related stories</h3><a href="/x">Other story</a></aside>
<footer>Copyright Bench Wire</footer></body></html>"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=10)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--n-process", type=int, default=1)
    args = parser.parse_args()

    from eventscope.ingest.fetch import Fetcher, FetchPolicy, parse_networks
    from eventscope.ingest.run import pipeline_processor
    from eventscope.ingest.watch import run_round
    from eventscope.nlp import load_nlp
    from eventscope.pipeline import process
    from eventscope.record import Article
    from eventscope.store import Store
    from eventscope.store import watch as tables

    site = Site().start()
    articles = texts(args.feeds * args.items)
    for f in range(args.feeds):
        items = []
        for i in range(args.items):
            n = f * args.items + i
            title, text = articles[n]
            path = f"/f{f}/2024/05/{n % 28 + 1:02d}/story-{n}"
            site.routes[path] = Reply(200, page(title, text, n))
            items.append(f"<item><title>{html.escape(title)}</title><link>{site.url(path)}"
                         f"</link><guid>b-{n}</guid></item>")
        site.routes[f"/f{f}.xml"] = Reply(
            200, f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {f}</title>'
            f"{''.join(items)}</channel></rss>", "application/rss+xml")

    load_nlp()
    process(Article(text="Warm-up: protesters marched in Paris on Monday."))
    policy = FetchPolicy(allow_nets=parse_networks(["127.0.0.1/32"]), delay=0.0)
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store, \
            Fetcher(policy) as fetcher:
        for f in range(args.feeds):
            tables.add_feed(store, site.url(f"/f{f}.xml"))
        coder = pipeline_processor(args.n_process)
        started = time.perf_counter()
        report = run_round(store, fetcher, lambda bias: coder)
        wall = time.perf_counter() - started
    site.stop()
    t = report.timings
    print(f"round: {args.feeds} feeds x {args.items} items, n_process={args.n_process}, "
          f"texts from {'shared geoparse corpora' if DATA.exists() else 'generated'}")
    print(report.line())
    print(f"wall {wall:.1f} s   {report.new_articles / wall:.1f} articles/s end to end")
    for name, seconds in (("fetching", t.fetching), ("extraction", t.extraction),
                          ("coding", t.coding), ("storing", t.storing)):
        print(f"  {name:<11} {seconds:6.1f} s  {100 * seconds / wall:5.1f}%")
    other = wall - t.fetching - t.extraction - t.coding - t.storing
    print(f"  {'other':<11} {other:6.1f} s  {100 * other / wall:5.1f}%  (feed parsing, "
          "bookkeeping, alerts)")
    if report.errors:
        print(f"{len(report.errors)} failures, e.g. {report.errors[0]}")


if __name__ == "__main__":
    main()
