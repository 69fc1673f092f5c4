"""Peak memory of ``eventscope events`` with a large ``--limit`` (issue 12: 0.66 GB for
100k events in JSONL and 1.15 GB as a table when the rows were all held): each format is
run in its own process over the same synthetic store, output to /dev/null, and its peak
resident set size printed beside the baseline of ``--limit 10``.

    python benchmarks/bench_events.py [--events 100000] [--db PATH]

The store is filled as in bench_api.py (same synthetic events).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_api import fill  # noqa: E402 - the same synthetic store


def peak_mb(args: list[str]) -> tuple[float, float]:
    """(peak RSS in MB, seconds) of ``eventscope`` run with ``args``, in a fresh process."""
    # VmHWM of the process's own memory map: ru_maxrss would carry over the peak of the
    # parent it was forked from (this script, which filled the store).
    code = ("import re, sys; from eventscope.cli import app\n"
            "try:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "status = open('/proc/self/status').read()\n"
            "print(re.search(r'VmHWM:\\s+(\\d+)', status).group(1), file=sys.stderr)")
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=True)
    seconds = time.perf_counter() - began
    return int(done.stderr.strip().splitlines()[-1]) / 1024, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "events.db"
        if not db.exists():
            print(f"filling {db} with {args.events:,} events in {fill(db, args.events):.1f} s")
        print(f"{'command':<44} {'peak RSS':>10} {'time':>8}")
        for fmt, limit in (("jsonl", 10), ("jsonl", 10_000_000), ("csv", 10_000_000),
                           ("table", 10_000_000)):
            mb, seconds = peak_mb(["events", "--db", str(db), "--format", fmt,
                                   "--limit", str(limit)])
            label = f"events --format {fmt} --limit {limit:,}"
            print(f"{label:<44} {mb:>7.0f} MB {seconds:>7.1f} s")


if __name__ == "__main__":
    main()
