"""Geoparser figures on the shared development corpora, with a baseline in the same run.

Per corpus (LGL, TR-News, GeoWebNews, GeoVirus): span recall (a predicted span overlaps
a gold toponym that has coordinates), span precision (a predicted span overlaps any gold
toponym, with coordinates or not: the corpora mark every place name), accuracy within
161 km on the spans found and end to end (a missed span counts as wrong), median error in
km on the spans found,
documents/s (spaCy parse + geoparse, one process) and the geoparser's share of that
time; peak RSS of the whole run. Documents are parsed with the components that
`eventscope geoparse` runs (``parse_for_geo``). Baseline: spaCy NER (GPE, LOC) + the most
populous gazetteer entry of the name.

Then the command itself, as a user runs it: `eventscope geoparse --input` over all the
documents above with ``--n-process`` 2 and 1 (start-up included), its documents/s, and its
peak memory: the largest single process (what GNU time's "maximum resident set size"
reports) and, sampled from /proc, all its processes together (RSS, which counts the pages
forked workers share with the parent once per process, and PSS, which splits them).

    python benchmarks/bench_geo.py [--corpus lgl ...] [--limit N] [--data DIR]
        [--cli-processes 2 1]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from spacy.tokens import Doc

from eventscope.geo import geoparse_doc
from eventscope.geo.api import parse_for_geo
from eventscope.geo.fold import fold
from eventscope.geo.gazetteer import get_gazetteer
from eventscope.geodesy import haversine_km
from eventscope.nlp import load_nlp
from eventscope.record import Toponym

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "geoparse"
CORPORA = ("lgl", "trnews", "gwn", "geovirus")
TARGETS = {  # (span recall, acc@161 on found spans) from issue 4
    "lgl": (0.80, 0.83), "trnews": (0.85, 0.88), "gwn": (0.80, 0.90), "geovirus": (0.85, 0.90),
}
FAR = 20_000.0  # error given to a found span without coordinates


def baseline_doc(doc: Doc) -> list[Toponym]:
    """spaCy GPE/LOC entities, each resolved to its most populous gazetteer entry."""
    gaz = get_gazetteer()
    ents = [e for e in doc.ents if e.label_ in {"GPE", "LOC"}]
    found = gaz.lookup_many(fold(e.text) for e in ents)
    out = []
    for e in ents:
        cands = found.get(fold(e.text)) or []
        best = max(cands, key=lambda c: c.population, default=None)
        out.append(Toponym(
            start=e.start_char, end=e.end_char, name=e.text,
            lat=best.lat if best else None, lon=best.lon if best else None,
            country=best.country if best else None,
        ))
    return out


def score(docs: list[dict], preds: list[list[Toponym]]) -> dict[str, float]:
    gold_n = found = correct = pred_n = pred_ok = 0
    errors: list[float] = []
    for d, pred in zip(docs, preds, strict=True):
        pred_n += len(pred)
        pred_ok += sum(any(p.start < g["end"] and g["start"] < p.end for g in d["toponyms"])
                       for p in pred)
        for g in d["toponyms"]:
            if g["lat"] is None:
                continue
            gold_n += 1
            hits = [p for p in pred if p.start < g["end"] and g["start"] < p.end]
            if not hits:
                continue
            found += 1
            p = max(hits, key=lambda p: min(p.end, g["end"]) - max(p.start, g["start"]))
            km = FAR if p.lat is None or p.lon is None else haversine_km(
                p.lat, p.lon, g["lat"], g["lon"])
            errors.append(km)
            correct += km <= 161
    return {
        "gold": gold_n, "recall": found / gold_n, "precision": pred_ok / max(1, pred_n),
        "acc_found": correct / max(1, found),
        "acc_e2e": correct / gold_n, "median_km": statistics.median(errors) if errors else 0,
    }


def load(corpus: str, data: Path, limit: int | None) -> list[dict]:
    lines = (data / f"{corpus}.dev.jsonl").read_text(encoding="utf-8").split("\n")
    return [json.loads(ln) for ln in lines if ln.strip()][:limit]


def run(docs: list[dict], corpus: str, seconds: list[float]) -> list[str]:
    """Table rows for one corpus; adds the eventscope row's one-process time to
    ``seconds``."""
    nlp = load_nlp()
    t0 = time.perf_counter()
    parsed = list(parse_for_geo((d["text"] for d in docs), nlp, batch_size=16))
    t_spacy = time.perf_counter() - t0
    rows = []
    systems: list[tuple[str, Callable[[Doc], list[Toponym]]]] = [
        ("eventscope", lambda doc: geoparse_doc(doc, nlp)), ("baseline", baseline_doc)]
    for name, fn in systems:
        t0 = time.perf_counter()
        preds = [fn(doc) for doc in parsed]
        t_geo = time.perf_counter() - t0
        s = score(docs, preds)
        rows.append(
            f"| {corpus} | {name} | {len(docs)} | {s['gold']} | {s['recall']:.3f} | "
            f"{s['precision']:.3f} | "
            f"{s['acc_found']:.3f} | {s['acc_e2e']:.3f} | {s['median_km']:.1f} | "
            f"{len(docs) / (t_spacy + t_geo):.1f} | {t_geo / t_spacy:.0%} |"
        )
        if name == "eventscope":
            recall, acc = s["recall"], s["acc_found"]
            seconds.append(t_spacy + t_geo)
    base = rows[1].split("|")
    mine = rows[0].split("|")
    ratio = float(mine[8]) / max(1e-9, float(base[8]))
    tr, ta = TARGETS[corpus]
    rows.append(
        f"| {corpus} | gain (e2e acc ratio) | | | target {tr:.2f} "
        f"{'ok' if recall >= tr else 'MISS'} | | target {ta:.2f} "
        f"{'ok' if acc >= ta else 'MISS'} | x{ratio:.2f} | | | |"
    )
    return rows


def _descendants(pid: int) -> list[int]:
    """``pid`` and the processes below it, from /proc (Linux)."""
    children: dict[int, list[int]] = defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # the process ended while we looked
        children[ppid].append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        out.append(todo.pop())
        todo.extend(children.get(out[-1], []))
    return out


def _kb_fields(path: str) -> dict[str, int]:
    """The "Name: N kB" lines of a /proc file ({} once the process has ended)."""
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return {}
    pairs = (ln.split(":", 1) for ln in lines if ln.endswith(" kB"))
    return {k: int(v.split()[0]) for k, v in pairs}


def _tree_memory_mb(pid: int) -> tuple[float, float, float]:
    """MB over ``pid`` and its descendants: RSS summed, PSS summed, and the largest peak
    RSS (VmHWM) of any one of them."""
    rss = pss = hwm = 0
    for p in _descendants(pid):
        rollup = _kb_fields(f"/proc/{p}/smaps_rollup")
        rss += rollup.get("Rss", 0)
        pss += rollup.get("Pss", 0)
        hwm = max(hwm, _kb_fields(f"/proc/{p}/status").get("VmHWM", 0))
    return rss / 1024, pss / 1024, hwm / 1024


def run_cli(docs: list[dict], n_process: int) -> str:
    """`eventscope geoparse --input` over ``docs``: a line of its figures."""
    exe = Path(sys.executable).with_name("eventscope")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "docs.jsonl"
        path.write_text("".join(json.dumps({"doc_id": d["doc_id"], "text": d["text"]}) + "\n"
                                for d in docs), encoding="utf-8")
        peak = [0.0, 0.0, 0.0]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [str(exe), "geoparse", "--input", str(path), "--n-process", str(n_process)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )

        def sample() -> None:
            while proc.poll() is None:
                peak[:] = map(max, peak, _tree_memory_mb(proc.pid))
                time.sleep(0.1)

        sampler = threading.Thread(target=sample)
        sampler.start()
        out, err = proc.communicate()
        wall = time.perf_counter() - t0
        sampler.join()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0 or len(out.splitlines()) != len(docs):
        raise SystemExit(f"eventscope geoparse failed ({proc.returncode}): {err.strip()}")
    # CPU time of the command and its workers: the wall time depends on what else the
    # machine runs (the load average says how busy it was).
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return (f"eventscope geoparse --n-process {n_process}: {len(docs)} docs in {wall:.1f} s "
            f"= {len(docs) / wall:.1f} docs/s (start-up included; {cpu:.1f} CPU s, load "
            f"average {os.getloadavg()[0]:.1f}); peak memory: largest "
            f"process {peak[2]:.0f} MB, all processes {peak[0]:.0f} MB RSS / "
            f"{peak[1]:.0f} MB PSS (sampled every 0.1 s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", nargs="*", default=list(CORPORA), choices=CORPORA)
    ap.add_argument("--limit", type=int, default=None, help="first N documents per corpus")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--cli-processes", nargs="*", type=int, default=[2, 1],
                    help="time `eventscope geoparse --n-process N` for each N (none: skip)")
    args = ap.parse_args()
    get_gazetteer()  # build outside the timings if missing
    geoparse_doc(load_nlp()("Warm up in Paris."))
    print("| corpus | system | docs | gold | span recall | span precision | acc@161 found "
          "| acc@161 e2e | median km | docs/s | geo/spaCy time |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    every: list[dict] = []
    seconds: list[float] = []
    for corpus in args.corpus:
        docs = load(corpus, args.data, args.limit)
        every += docs
        for row in run(docs, corpus, seconds):
            print(row, flush=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS {rss:.0f} MB (whole run, both systems)")
    print(f"eventscope in this process (one process, parse + geoparse, no start-up): "
          f"{len(every) / sum(seconds):.1f} docs/s over {len(every)} docs")
    for n in args.cli_processes:
        print(run_cli(every, n), flush=True)
    print("note: the shipped ranker was trained on these development documents, so the "
          "eventscope rows are in-sample; scripts/train_geo_ranker.py prints grouped "
          "cross-validated and held-out-corpus figures.")


if __name__ == "__main__":
    main()
