"""Train the geoparser's span filter on the shared development corpora.

Every mention the recogniser finds (parsed as ``eventscope geoparse`` parses, resolved by
the shipped ranker) is one row of ``eventscope.geo.spanfilter.FEATURES``, labelled 1 when
it overlaps a gold toponym of its corpus. Gradient-boosted trees are cross-validated two
ways: 5 folds with whole documents held out, and each corpus held out in turn (trained on
the other three: the figure for text of another kind). For each, the script prints span
precision and span recall per corpus without the filter and with it, at the threshold
that gives the highest mean span precision while no corpus loses more than
``--max-recall-loss`` of its span recall out of fold (the filter is to remove false
places, not real ones), and the trade-off at other thresholds. The trees are then
fitted on everything and written with that threshold to geo/data/span_filter.json as
plain arrays (no pickle).

    python scripts/train_geo_filter.py [--data DIR] [--out PATH] [--dry-run]
        [--max-recall-loss 0.03] [--cache FILE]   # the parsed rows, to try thresholds
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

from eventscope.geo.api import parse_for_geo
from eventscope.geo.gazetteer import DATA_DIR, get_gazetteer
from eventscope.geo.recognize import dictionary_words, recognize
from eventscope.geo.resolve import export_trees, resolve
from eventscope.geo.spanfilter import FEATURES, span_features
from eventscope.nlp import load_nlp

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "geoparse"
CORPORA = ("lgl", "trnews", "gwn", "geovirus")
THRESHOLDS = [round(t, 2) for t in np.arange(0.0, 0.71, 0.02)]


@dataclass
class Doc:
    corpus: int
    rows: np.ndarray
    labels: np.ndarray  # mention overlaps a gold toponym
    # For span recall: for each gold toponym with a point, the mentions overlapping it.
    gold_hits: list[list[int]]


def collect(data: Path) -> list[Doc]:
    nlp, gaz = load_nlp(), get_gazetteer()
    words = dictionary_words(nlp)
    out: list[Doc] = []
    for c, corpus in enumerate(CORPORA):
        path = data / f"{corpus}.dev.jsonl"
        records = [json.loads(line) for line in path.open(encoding="utf-8")]
        for rec, doc in zip(records, parse_for_geo((r["text"] for r in records), nlp),
                            strict=True):
            mentions = recognize(doc, gaz, nlp)
            resolved = resolve(mentions)
            gold = rec["toponyms"]
            labels = np.array([any(m.start < g["end"] and g["start"] < m.end for g in gold)
                               for m in mentions], dtype=int)
            hits = [[n for n, m in enumerate(mentions) if m.start < g["end"] and
                     g["start"] < m.end] for g in gold if g.get("lat") is not None]
            out.append(Doc(c, span_features(doc, mentions, resolved, words), labels, hits))
        print(f"  {corpus}: {sum(d.corpus == c for d in out)} documents", flush=True)
    return out


def model() -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_depth=4,
                                          min_samples_leaf=20, l2_regularization=1.0,
                                          random_state=0)


def out_of_fold(docs: list[Doc], folds: list[tuple[list[int], list[int]]]) -> list[np.ndarray]:
    probs: list[np.ndarray] = [np.zeros(len(d.labels)) for d in docs]
    for train, test in folds:
        x = np.vstack([docs[i].rows for i in train if len(docs[i].labels)])
        y = np.concatenate([docs[i].labels for i in train if len(docs[i].labels)])
        fitted = model().fit(x, y)
        for i in test:
            if len(docs[i].labels):
                probs[i] = fitted.predict_proba(docs[i].rows)[:, 1]
    return probs


def span_scores(docs: list[Doc], probs: list[np.ndarray], threshold: float,
                ) -> list[tuple[float, float]]:
    """(span precision, span recall) per corpus, keeping mentions at ``threshold``."""
    out = []
    for c in range(len(CORPORA)):
        kept = on_gold = gold = found = 0
        for d, p in zip(docs, probs, strict=True):
            if d.corpus != c:
                continue
            keep = p >= threshold
            kept += int(keep.sum())
            on_gold += int((keep & (d.labels == 1)).sum())
            gold += len(d.gold_hits)
            found += sum(any(keep[n] for n in hits) for hits in d.gold_hits)
        out.append((on_gold / max(1, kept), found / max(1, gold)))
    return out


def best_threshold(docs: list[Doc], probs: list[np.ndarray], max_loss: float) -> float:
    """The threshold of highest mean span precision at which no corpus loses more than
    ``max_loss`` span recall."""
    before = span_scores(docs, probs, 0.0)

    def ok(t: float) -> bool:
        return all(r0 - r <= max_loss for (_, r0), (_, r) in
                   zip(before, span_scores(docs, probs, t), strict=True))

    return max((t for t in THRESHOLDS if ok(t)),
               key=lambda t: float(np.mean([p for p, _ in span_scores(docs, probs, t)])))


def trade_off(docs: list[Doc], probs: list[np.ndarray]) -> None:
    print("\nthreshold: mean span precision / mean recall / largest recall loss (5-fold)")
    before = span_scores(docs, probs, 0.0)
    for t in THRESHOLDS[::5]:
        scores = span_scores(docs, probs, t)
        loss = max(r0 - r for (_, r0), (_, r) in zip(before, scores, strict=True))
        print(f"  {t:.2f}: {np.mean([p for p, _ in scores]):.3f} / "
              f"{np.mean([r for _, r in scores]):.3f} / {loss:.3f}")


def report(name: str, docs: list[Doc], probs: list[np.ndarray], threshold: float) -> None:
    before = span_scores(docs, probs, 0.0)
    after = span_scores(docs, probs, threshold)
    print(f"\n{name} (threshold {threshold:.2f}): span precision / recall per corpus")
    for corpus, (p0, r0), (p1, r1) in zip(CORPORA, before, after, strict=True):
        print(f"  {corpus:<9} without {p0:.3f} / {r0:.3f}   with {p1:.3f} / {r1:.3f}"
              f"   ({p1 - p0:+.3f} / {r1 - r0:+.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=DATA_DIR / "span_filter.json")
    parser.add_argument("--dry-run", action="store_true", help="measure only; write nothing")
    parser.add_argument("--max-recall-loss", type=float, default=0.03)
    parser.add_argument("--cache", type=Path, help="keep the parsed rows in this file")
    args = parser.parse_args()
    if args.cache and args.cache.exists():
        docs = [Doc(d["corpus"], np.asarray(d["rows"]).reshape(-1, len(FEATURES)),
                    np.asarray(d["labels"], dtype=int), d["gold_hits"])
                for d in json.loads(args.cache.read_text())]
    else:
        print("parsing, recognising and resolving the corpora ...", flush=True)
        docs = collect(args.data)
        if args.cache:
            args.cache.write_text(json.dumps([
                {"corpus": d.corpus, "rows": d.rows.tolist(), "labels": d.labels.tolist(),
                 "gold_hits": d.gold_hits} for d in docs]))
    index = np.arange(len(docs))
    grouped = [(list(tr), list(te)) for tr, te in GroupKFold(5).split(index, groups=index)]
    cv = out_of_fold(docs, grouped)
    threshold = best_threshold(docs, cv, args.max_recall_loss)
    trade_off(docs, cv)
    report("5-fold, documents held out", docs, cv, threshold)
    by_corpus = [([i for i in index if docs[i].corpus != c], [i for i in index
                  if docs[i].corpus == c]) for c in range(len(CORPORA))]
    held = out_of_fold(docs, by_corpus)
    report("each corpus held out (trained on the other three), at the 5-fold threshold",
           docs, held, threshold)
    if args.dry_run:
        return
    x = np.vstack([d.rows for d in docs if len(d.labels)])
    y = np.concatenate([d.labels for d in docs if len(d.labels)])
    exported = export_trees(model().fit(x, y))
    args.out.write_text(json.dumps({
        "provenance": "scripts/train_geo_filter.py on the development halves of LGL, "
                      "TR-News, GeoWebNews and GeoVirus (../shared/data/geoparse)",
        "features": list(FEATURES), "threshold": threshold, **exported,
    }, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out} ({len(exported['trees'])} trees, threshold {threshold:.2f})")


if __name__ == "__main__":
    main()
