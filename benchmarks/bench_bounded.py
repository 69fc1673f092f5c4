"""Pathological documents finish: the geoparser and the whole pipeline on texts built to
stall them, each in its own process, with its time and peak memory.

    make bench-bounded    # or: .venv/bin/python benchmarks/bench_bounded.py [--only NAME]

Cases: a list of N distinct place names separated by commas (the document that once ran
for more than ten minutes had 31), the same list in brackets after a town, one name
repeated N times, and long texts of real news (0.5 MB and 5 MB of the development
corpora, repeated) through the geoparser and through the whole pipeline. For each it
prints the seconds, the toponyms (or events) found and the peak RSS, and the time per
thousand names against the 1,000-name case of the same kind, which stays flat when the
work is linear. Targets: every case finishes; the 0.5 MB article through the pipeline
peaks under 1.2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "geoparse"


def _names(n: int) -> list[str]:
    from eventscope.geo.gazetteer import default_path

    db = sqlite3.connect(default_path())
    rows = [r[0] for r in db.execute(
        "SELECT name FROM places WHERE feature_class IN ('P', 'A') AND population > 5000 "
        "AND name NOT LIKE '%(%' ORDER BY population DESC LIMIT ?", (4 * n,))]
    return rows[::4][:n] if len(rows) >= 4 * n else rows[:n]


def _news(chars: int) -> str:
    texts = []
    for path in sorted(DATA.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            texts += [json.loads(line)["text"] for line in handle]
    if not texts:
        raise SystemExit(f"bench_bounded: no development corpora in {DATA}")
    out, n = [], 0
    while n < chars:
        piece = texts[len(out) % len(texts)]
        out.append(piece)
        n += len(piece) + 2
    return "\n\n".join(out)[:chars]


def build(case: str, n: int) -> str:
    if case == "list":
        return "Fighting was reported in " + ", ".join(_names(n)) + " on Monday."
    if case == "brackets":
        return "Shelling hit Menaka (" + ", ".join(_names(n)) + ") overnight."
    if case == "repeat":
        return " ".join(["Shelling hit Aleppo."] * n)
    if case in {"news", "news-pipeline"}:
        return _news(n)
    raise ValueError(case)


def child(case: str, n: int) -> None:
    """Run one case in this process and print its figures as JSON."""
    text = build(case, n)
    began = time.perf_counter()
    if case == "news-pipeline":
        from eventscope.pipeline import extract

        found = len(extract(text, published="2024-12-16"))
    else:
        from eventscope.geo import geoparse

        found = len(geoparse(text))
    seconds = time.perf_counter() - began
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"case": case, "n": n, "chars": len(text), "found": found,
                      "seconds": seconds, "peak_mb": peak_mb}))


CASES = [("list", 1_000), ("list", 10_000), ("brackets", 1_000), ("brackets", 10_000),
         ("repeat", 1_000), ("repeat", 10_000), ("news", 500_000), ("news", 5_000_000),
         ("news-pipeline", 500_000)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="run only the cases of this kind (list, brackets, "
                        "repeat, news, news-pipeline)")
    parser.add_argument("--child", nargs=2, metavar=("CASE", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    print(f"{'case':<15}{'size':>12}{'chars':>12}{'found':>9}{'seconds':>10}"
          f"{'s per 1k':>10}{'peak RSS':>11}")
    per_k: dict[str, float] = {}
    for case, n in CASES:
        if args.only and case != args.only:
            continue
        # Budget off: the point is that the work itself is bounded.
        done = subprocess.run([sys.executable, __file__, "--child", case, str(n)],
                              capture_output=True, text=True, check=False,
                              env={**os.environ, "EVENTSCOPE_TIME_BUDGET": "0"})
        if done.returncode != 0:
            print(f"{case:<15}{n:>12,}  failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        unit = r["seconds"] / (r["n"] / 1000)
        base = per_k.setdefault(case, unit)
        print(f"{case:<15}{n:>12,}{r['chars']:>12,}{r['found']:>9,}{r['seconds']:>10.1f}"
              f"{unit:>10.2f}{r['peak_mb']:>9,.0f} MB   (x{unit / base:.2f} of the first)")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
