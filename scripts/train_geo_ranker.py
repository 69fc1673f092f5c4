"""Train the geoparser's candidate ranker on the shared development corpora.

For every recognised mention that overlaps a gold toponym with coordinates, each
gazetteer candidate is one row of ``eventscope.geo.resolve.FEATURES``, labelled 1 when
it lies within 161 km of the gold point. Gradient-boosted trees and a logistic
regression are cross-validated with documents grouped (no document in both train and
test folds) and compared with the hand-set weights; the trees are then fitted on
everything and written to geo/data/ranker.json as plain arrays (no pickle).

    python scripts/train_geo_ranker.py [--data DIR] [--folds 5] [--out PATH] [--dry-run]
        [--exclude CORPUS ...]   # e.g. --exclude lgl --out /tmp/no-lgl.json, then
    EVENTSCOPE_GEO_RANKER=/tmp/no-lgl.json python benchmarks/bench_geo.py --corpus lgl
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from eventscope.geo import resolve as res
from eventscope.geo.gazetteer import DATA_DIR, get_gazetteer
from eventscope.geo.recognize import recognize
from eventscope.nlp import load_nlp

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "geoparse"
CORPORA = ("lgl", "trnews", "gwn", "geovirus")


def collect(data: Path) -> tuple[np.ndarray, ...]:
    """Rows X, labels y, document group, mention id and corpus of every candidate."""
    nlp, gaz = load_nlp(), get_gazetteer()
    xs: list[list[float]] = []
    ys: list[int] = []
    groups: list[int] = []
    mids: list[int] = []
    corpora: list[int] = []
    doc_no = mention_no = 0
    for corpus_no, corpus in enumerate(CORPORA):
        text = (data / f"{corpus}.dev.jsonl").read_text(encoding="utf-8")
        docs = [json.loads(ln) for ln in text.split("\n") if ln.strip()]
        for d, doc in zip(docs, nlp.pipe(d["text"] for d in docs), strict=True):
            doc_no += 1
            mentions = recognize(doc, gaz)
            gold = [g for g in d["toponyms"] if g["lat"] is not None]
            for m, rows in zip(mentions, res.candidate_features(mentions), strict=True):
                g = next((g for g in gold if m.start < g["end"] and g["start"] < m.end), None)
                if g is None or len(rows) < 2:
                    continue
                labels = [int(res.haversine_km(c.lat, c.lon, g["lat"], g["lon"]) <= 161)
                          for c in m.candidates]
                if not any(labels):
                    continue
                mention_no += 1
                xs += rows
                ys += labels
                groups += [doc_no] * len(rows)
                mids += [mention_no] * len(rows)
                corpora += [corpus_no] * len(rows)
    return (np.array(xs), np.array(ys), np.array(groups), np.array(mids),
            np.array(corpora))


def top1(scores: np.ndarray, y: np.ndarray, mids: np.ndarray) -> float:
    """Share of mentions whose best-scored candidate is a right one."""
    right = total = 0
    for m in np.unique(mids):
        idx = np.where(mids == m)[0]
        right += int(y[idx[np.argmax(scores[idx])]])
        total += 1
    return right / max(1, total)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", type=Path, default=DATA_DIR / "ranker.json")
    ap.add_argument("--dry-run", action="store_true", help="cross-validate only")
    ap.add_argument("--exclude", nargs="*", default=[], choices=CORPORA,
                    help="leave these corpora out of the final fit (for held-out benches)")
    args = ap.parse_args()
    heuristic = np.array([res.HEURISTIC[f] for f in res.FEATURES])
    X, y, groups, mids, corpora = collect(args.data)
    print(f"{len(np.unique(mids))} ambiguous mentions, {len(y)} candidates, "
          f"{len(np.unique(groups))} documents")
    cv: dict[str, list[float]] = {"trees": [], "logistic": [], "hand-set": []}
    for train, test in GroupKFold(n_splits=args.folds).split(X, y, groups):
        trees = make_trees().fit(X[train], y[train])
        cv["trees"].append(top1(trees.decision_function(X[test]), y[test], mids[test]))
        logistic = LogisticRegression(max_iter=2000, class_weight="balanced")
        logistic.fit(X[train], y[train])
        cv["logistic"].append(
            top1(logistic.decision_function(X[test]), y[test], mids[test]))
        cv["hand-set"].append(top1(X[test] @ heuristic, y[test], mids[test]))
    summary = ", ".join(f"{k} {np.mean(v):.3f}" for k, v in cv.items())
    print(f"top-1 right, {args.folds}-fold grouped CV: {summary}")
    print(f"  trees by fold: {', '.join(f'{v:.3f}' for v in cv['trees'])}")
    # Held-out corpora: how the ranker does on a kind of news it never saw.
    for k, corpus in enumerate(CORPORA):
        train, test = corpora != k, corpora == k
        trees = make_trees().fit(X[train], y[train])
        print(f"  trained without {corpus}: top-1 on {corpus} "
              f"{top1(trees.decision_function(X[test]), y[test], mids[test]):.3f} "
              f"(hand-set {top1(X[test] @ heuristic, y[test], mids[test]):.3f})")
    if args.dry_run:
        return
    keep = ~np.isin(corpora, [CORPORA.index(c) for c in args.exclude])
    model = make_trees().fit(X[keep], y[keep])
    args.out.write_text(json.dumps({
        "about": "Gradient-boosted candidate ranker for eventscope.geo.resolve; trained by "
                 "scripts/train_geo_ranker.py on the shared geoparse dev corpora (LGL, "
                 f"TR-News, GeoWebNews, GeoVirus); grouped {args.folds}-fold CV top-1: "
                 f"{summary}." + (f" Fitted without {', '.join(args.exclude)}."
                                  if args.exclude else ""),
        "kind": "trees",
        "features": list(res.FEATURES),
        **res.export_trees(model),
    }, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KB)")


def make_trees() -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(
        max_iter=100, learning_rate=0.1, max_leaf_nodes=15, random_state=0)


if __name__ == "__main__":
    main()
