"""Fit the confidence calibration that ships in src/eventscope/coder/data/.

Runs the extractor with calibration disabled (EVENTSCOPE_NO_CALIBRATION=1, so each event's
confidence is the extractor's raw score) over the development gold, labels every event
right or wrong, and fits a monotone map raw -> probability:

- PLOVER sentences (plover_gsr, petr2_validation): right if the event's type is among the
  sentence's gold types (other events of one-event gold sentences count as wrong: strict).
- ACLED notes: right if the type is in ACLED's PLOVER family (strategic developments give
  no labels). With --place-and-date, also within 25 km and on the exact date where ACLED
  is precise: then confidence speaks for the whole record, not only for the event's type.

Isotonic regression and Platt scaling are both scored by grouped cross-validation (the
events of one text stay in one fold); the one with the lower out-of-fold Brier score is
refit on everything and written as breakpoints. A reliability table shows, for thresholds
0.5-0.9, the precision of the events at or above each, raw and cross-validated.

    .venv/bin/python scripts/calibrate_confidence.py            # fit and write the table
    .venv/bin/python scripts/calibrate_confidence.py --limit 50 --dry-run
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from eventscope import evaluate
from eventscope.coder.calibrate import NO_CALIBRATION_ENV, TABLE_PATH, CalibrationTable

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "events"
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass(frozen=True)
class Scored:
    source: str
    doc_id: str
    raw: float
    right: bool  # the type is right
    right_all: bool  # ... and, on ACLED notes, the place and date too


def collect(args: argparse.Namespace) -> list[Scored]:
    os.environ[NO_CALIBRATION_ENV] = "1"  # confidence == raw score, in workers too (fork)
    scored: list[Scored] = []
    for path in args.plover:
        gold = evaluate.load_plover(path)
        report_issues(path, gold.issues)
        sentences = gold.items[: args.limit]
        runs = evaluate.run_extraction(evaluate.plover_articles(sentences),
                                       n_process=args.n_process)
        for sentence, events in zip(sentences, runs, strict=True):
            labels = evaluate.label_plover_events(sentence, events)
            scored += [Scored(path.name, sentence.id, e.confidence, ok, ok)
                       for e, ok in zip(evaluate.counted(events), labels, strict=True)]
    for path in args.acled:
        acled = evaluate.load_acled(path)
        report_issues(path, acled.issues)
        notes = acled.items[: args.limit]
        runs = evaluate.run_extraction(evaluate.acled_articles(notes), n_process=args.n_process)
        for note, events in zip(notes, runs, strict=True):
            labels = evaluate.label_acled_events(note, events)
            strict = evaluate.label_acled_events(note, events, place_and_date=True)
            if labels:
                scored += [Scored(path.name, note.id, e.confidence, ok, ok_all)
                           for e, ok, ok_all in zip(evaluate.counted(events), labels, strict,
                                                    strict=True)]
    return scored


def report_issues(path: Path, issues: Sequence[evaluate.GoldIssue]) -> None:
    for issue in issues:
        print(f"warning: {path}: {issue}; skipped", file=sys.stderr)


def save_scores(path: Path, scored: Sequence[Scored]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(["source", "doc_id", "raw", "right", "right_all"])
        writer.writerows((s.source, s.doc_id, f"{s.raw:.6f}", int(s.right), int(s.right_all))
                         for s in scored)


def load_scores(path: Path) -> list[Scored]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [Scored(r["source"], r["doc_id"], float(r["raw"]), r["right"] == "1",
                       r["right_all"] == "1") for r in csv.DictReader(handle, delimiter="\t")]


def fit_isotonic(raw: np.ndarray, right: np.ndarray) -> IsotonicRegression:
    """Isotonic regression whose blocks are shrunk towards 1/2 (a uniform prior: (k + 1) /
    (n + 2)), then pooled again where that broke monotonicity. A block of five right events
    says 0.86, not 1.0: no finite sample shows an event is certainly right or wrong."""
    blocks = IsotonicRegression(out_of_bounds="clip").fit(raw, right).predict(raw)
    shrunk = np.empty_like(blocks)
    for level in np.unique(blocks):
        members = blocks == level
        shrunk[members] = (right[members].sum() + 1) / (members.sum() + 2)
    return IsotonicRegression(out_of_bounds="clip").fit(raw, shrunk)


def fit_platt(raw: np.ndarray, right: np.ndarray) -> LogisticRegression:
    return LogisticRegression().fit(raw.reshape(-1, 1), right)


def predict(method: str, model: IsotonicRegression | LogisticRegression,
            raw: np.ndarray) -> np.ndarray:
    if method == "isotonic":
        return np.asarray(model.predict(raw), dtype=float)
    assert isinstance(model, LogisticRegression)
    return np.asarray(model.predict_proba(raw.reshape(-1, 1))[:, 1], dtype=float)


def fit(method: str, raw: np.ndarray, right: np.ndarray) -> IsotonicRegression | LogisticRegression:
    return fit_isotonic(raw, right) if method == "isotonic" else fit_platt(raw, right)


def out_of_fold(method: str, raw: np.ndarray, right: np.ndarray, groups: np.ndarray,
                folds: int) -> np.ndarray:
    predicted = np.zeros_like(raw)
    for train, test in GroupKFold(n_splits=folds).split(raw, right, groups):
        if len(set(right[train])) < 2:  # a fold with one class: the base rate is all we know
            predicted[test] = right[train].mean()
            continue
        predicted[test] = predict(method, fit(method, raw[train], right[train]), raw[test])
    return predicted


def reliability(name: str, scores: np.ndarray, right: np.ndarray, sources: np.ndarray) -> None:
    """Precision at or above each threshold, overall and per gold file (n in brackets)."""
    names = sorted(set(sources.tolist()))
    print(f"\n{name}: precision of the events at or above each threshold")
    print(f"  {'threshold':>9}  {'events':>6}  {'share':>6}  {'precision':>9}  "
          + "  ".join(f"{n.split('.')[0]:>22}" for n in names))
    for t in THRESHOLDS:
        mask = scores >= t
        n = int(mask.sum())
        precision = f"{right[mask].mean():.3f}" if n else "n/a"
        per_source = []
        for source in names:
            sub = mask & (sources == source)
            k = int(sub.sum())
            per_source.append(f"{right[sub].mean():.3f} ({k})" if k else "n/a")
        print(f"  {t:>9.1f}  {n:>6}  {n / len(scores):>6.1%}  {precision:>9}  "
              + "  ".join(f"{p:>22}" for p in per_source))


def bins(name: str, scores: np.ndarray, right: np.ndarray) -> None:
    print(f"\n{name}: mean confidence vs share right, by confidence decile")
    edges = np.linspace(0.0, 1.0, 11)
    for lo, hi in zip(edges, edges[1:], strict=False):
        mask = (scores >= lo) & ((scores < hi) if hi < 1.0 else (scores <= hi))
        if mask.any():
            print(f"  [{lo:.1f}, {hi:.1f}) n={int(mask.sum()):>5}  "
                  f"mean conf {scores[mask].mean():.3f}  right {right[mask].mean():.3f}")


def breakpoints(method: str, model: IsotonicRegression | LogisticRegression) -> CalibrationTable:
    if method == "isotonic":
        assert isinstance(model, IsotonicRegression)
        x, y = model.X_thresholds_, model.y_thresholds_
    else:
        x = np.linspace(0.0, 1.0, 101)
        y = predict(method, model, x)
    return CalibrationTable(x=tuple(round(float(v), 6) for v in x),
                            y=tuple(round(float(v), 6) for v in np.maximum.accumulate(y)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plover", type=Path, nargs="*",
                        default=[SHARED / "plover_gsr.dev.jsonl",
                                 SHARED / "petr2_validation.dev.jsonl"])
    parser.add_argument("--acled", type=Path, nargs="*",
                        default=[SHARED / "acled_notes.dev.jsonl"])
    parser.add_argument("--limit", type=int, default=None, help="first N records per file")
    parser.add_argument("--n-process", type=int, default=2)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=TABLE_PATH)
    parser.add_argument("--save-scores", type=Path, help="write (raw, right) per event as TSV")
    parser.add_argument("--from-scores", type=Path, help="fit on a saved TSV, no extraction")
    parser.add_argument("--place-and-date", action="store_true",
                        help="on ACLED notes, an event is right only with its place and date")
    parser.add_argument("--dry-run", action="store_true", help="print, do not write --out")
    args = parser.parse_args(argv)

    for path in [*args.plover, *args.acled, *([args.from_scores] if args.from_scores else [])]:
        if not path.is_file():
            print(f"error: {path}: no such file", file=sys.stderr)
            return 1
    scored = load_scores(args.from_scores) if args.from_scores else collect(args)
    if args.save_scores:
        save_scores(args.save_scores, scored)
    raw = np.array([s.raw for s in scored], dtype=float)
    right = np.array([s.right_all if args.place_and_date else s.right for s in scored],
                     dtype=float)
    groups = np.array([f"{s.source}:{s.doc_id}" for s in scored])
    if len(set(right)) < 2 or len(set(groups)) < args.folds:
        print(f"error: {len(scored)} labelled events from {len(set(groups))} texts: too few "
              f"to fit (need both right and wrong events, and at least {args.folds} texts)",
              file=sys.stderr)
        return 1

    by_source: dict[str, list[bool]] = {}
    for s, label in zip(scored, right, strict=True):
        by_source.setdefault(s.source, []).append(bool(label))
    print(f"{len(scored)} events, {int(right.sum())} right ({right.mean():.1%}), "
          f"{len(set(groups))} texts")
    for source, labels in by_source.items():
        print(f"  {source}: {len(labels)} events, {sum(labels) / len(labels):.1%} right")
    print(f"distinct raw scores: {len(set(raw.tolist()))}")

    brier = {}
    oof = {}
    for method in ("isotonic", "platt"):
        oof[method] = out_of_fold(method, raw, right, groups, args.folds)
        brier[method] = float(np.mean((oof[method] - right) ** 2))
    brier_raw = float(np.mean((raw - right) ** 2))
    print(f"\nBrier score (lower is better): raw {brier_raw:.4f}, "
          + ", ".join(f"{m} (out-of-fold) {b:.4f}" for m, b in brier.items()))
    method = min(brier, key=lambda m: brier[m])
    sources = np.array([s.source for s in scored])
    reliability("raw score", raw, right, sources)
    reliability(f"{method}, {args.folds}-fold out-of-fold", oof[method], right, sources)
    bins(f"{method}, out-of-fold", oof[method], right)

    table = breakpoints(method, fit(method, raw, right))
    if args.dry_run:
        print(f"\n--dry-run: {method}, {len(table.x)} breakpoints; {args.out} left as it is")
        return 0
    payload = {
        "_provenance": "Fitted by scripts/calibrate_confidence.py on the development gold in "
        "../shared/data/events (PLOVER gold sentences, Petrarch-2 validation, ACLED notes); "
        "maps the extractor's raw score to the probability that an event is right.",
        "created": dt.date.today().isoformat(),
        "method": method,
        "right_means": "type, place and date" if args.place_and_date else "type",
        "cv_folds": args.folds,
        "cv_brier": {"raw": round(brier_raw, 4), **{m: round(b, 4) for m, b in brier.items()}},
        "events": {source: len(labels) for source, labels in by_source.items()},
        "share_right": round(float(right.mean()), 4),
        "x": list(table.x),
        "y": list(table.y),
    }
    tmp = args.out.with_name(args.out.name + ".tmp")
    tmp.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    print(f"\nwrote {args.out} ({method}, {len(table.x)} breakpoints)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
