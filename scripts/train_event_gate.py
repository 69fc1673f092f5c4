"""Train the learned event gate (eventscope.coder.gate) and write coder/data/gate.json.

Every trigger candidate the rules propose (coded with the gate off) becomes one row of
gate features, labelled from a source's gold where the gold says something about it:

- ``newsgold:<corpus>``: ../shared/data/newsgold/news.dev.jsonl, every sentence annotated:
  1 when the candidate's sentence holds a gold event of its type, 0 otherwise, none in
  doubtful sentences;
- ``own:<corpus>``: our labels of geoparsing-corpus sentences (scripts/data/gate_labels.tsv,
  made with scripts/label_sentences.py under the newsgold rules), 1 / 0 / doubtful;
- ``plover``, ``petr2``: gold sentences with one coded event: 1 for the gold type, 0 on
  sentences with no event (and for other types where every event was coded), else none;
- ``acled``: ACLED notes (positives only): 1 for a type ACLED's coding accepts.

Negated candidates are left out (the gate never drops them). Each source weighs at most
as much as ``--cap`` rows, so ACLED's thousands of notes do not drown ordinary news.

Never used in any fit: the disaster/accident check set we wrote (scripts/data/
disaster_check.jsonl: reports of storms, crashes, emergency response, figurative force
verbs, illness, sport and business, plus political events as a control) and a quarter
of our labelled articles (by a hash of the doc id). Cross-validation is grouped by
source: for each source, a model fitted on all the other training sources is measured on
it; that per-source table is the figure that counts. Beside it the script prints what
``eval --kind news`` gives on the 30 newsgold articles when a gate fitted without them
codes them (precision and recall of (sentence, type) pairs at several thresholds), read
from the candidates, so that a change can be judged on news in seconds. The model is
then fitted on all training sources and written as plain weights (no pickle), with the
threshold that gives the best F1 on the out-of-source news rows.

    python scripts/train_event_gate.py [--cache /tmp/gate_rows.jsonl] [--n-process 2]
        [--exclude newsgold] [--out PATH] [--dry-run]
    # e.g. a gate that never saw newsgold, for an honest `eval --kind news` figure:
    python scripts/train_event_gate.py --exclude newsgold --out /tmp/gate-no-news.json
    EVENTSCOPE_GATE=/tmp/gate-no-news.json eventscope eval --kind news --gold ...
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ["EVENTSCOPE_GATE"] = "off"  # before eventscope loads: code every candidate

import numpy as np  # noqa: E402
from sklearn.feature_extraction import DictVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

from eventscope import evaluate  # noqa: E402
from eventscope.coder.gate import default_model_path  # noqa: E402
from eventscope.evaluate.news import NewsArticle, NewsSentence, news_articles  # noqa: E402
from eventscope.record import Article  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from label_sentences import corpus_path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
LABELS = ROOT / "scripts" / "data" / "gate_labels.tsv"
CHECK = ROOT / "scripts" / "data" / "disaster_check.jsonl"
ACLED_SAMPLE = 800  # notes drawn from ACLED's 2,014 (positives only: more adds little)
SEED = 7


@dataclass
class Row:
    group: str  # the source, e.g. "newsgold:lgl", "plover"
    heldout: bool  # never used in any fit
    doc: str
    event_type: str
    label: int
    features: dict[str, float]
    pos: int = -1  # the trigger's character offset in the text


Labeler = Callable[[str, int], int | None]  # (event type, trigger position) -> label


def _hash_heldout(doc_id: str) -> bool:
    return hashlib.sha1(doc_id.encode()).digest()[0] % 4 == 0


def _news_labeler(article: NewsArticle) -> Labeler:
    def label(event_type: str, pos: int) -> int | None:
        sentence = article.sentences[article.sentence_at(pos)]
        if sentence.doubtful:
            return None
        return int(event_type in sentence.types)
    return label


def _own_articles() -> list[tuple[NewsArticle, dict[tuple[int, str], str]]]:
    labels: dict[str, dict[tuple[int, str], str]] = defaultdict(dict)
    corpus_of: dict[str, str] = {}
    with LABELS.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip() or line.startswith(("#", "doc_id\t")):
                continue
            cells = line.rstrip("\n").split("\t")
            if len(cells) != 6 or cells[5] not in ("0", "1", "d"):
                sys.exit(f"{LABELS}:{number}: expected doc_id, corpus, start, end, "
                         "event_type, label (0/1/d)")
            labels[cells[0]][int(cells[2]), cells[4]] = cells[5]
            corpus_of[cells[0]] = cells[1]
    out = []
    for corpus in sorted(set(corpus_of.values())):
        for line in corpus_path(corpus).open(encoding="utf-8"):
            row = json.loads(line)
            if row["doc_id"] not in labels:
                continue
            sentences = tuple(NewsSentence(s, e, False, frozenset())
                              for s, e in evaluate.split_sentences(row["text"]))
            article = NewsArticle(doc_id=row["doc_id"], text=row["text"],
                                  published=row.get("published"), corpus=corpus,
                                  sentences=sentences)
            out.append((article, labels[row["doc_id"]]))
    return out


def _own_labeler(article: NewsArticle, labels: dict[tuple[int, str], str]) -> Labeler:
    def label(event_type: str, pos: int) -> int | None:
        sentence = article.sentences[article.sentence_at(pos)]
        value = labels.get((sentence.start, event_type))
        return None if value in (None, "d") else int(value == "1")
    return label


def _plover_labeler(sentence: evaluate.PloverSentence) -> Labeler:
    gold = {g.event_type for g in sentence.events}

    def label(event_type: str, pos: int) -> int | None:
        if event_type in gold:
            return 1
        return 0 if sentence.is_negative or sentence.exhaustive else None
    return label


def _acled_labeler(note: evaluate.AcledNote) -> Labeler:
    def label(event_type: str, pos: int) -> int | None:
        if note.family is None:
            return None
        return 1 if event_type in note.accepted_types else None
    return label


def _check_labeler(types: list[str], is_event: bool) -> Labeler:
    def label(event_type: str, pos: int) -> int | None:
        if event_type in types:
            return 1
        return None if is_event else 0
    return label


def _snippets(article: NewsArticle, text: Article, keep: Callable[[NewsSentence], bool],
              labeler: Callable[[NewsSentence], Labeler]) -> list[tuple[Article, Labeler]]:
    """Each kept sentence of an article as a text of its own, labelled as in the article.
    ACLED notes and PLOVER sentences are one-sentence texts that all report an event; the
    same sentences of ordinary news, alone, keep the gate from learning that a snippet
    is an event."""
    out = []
    for sentence in article.sentences:
        if keep(sentence):
            out.append((text.model_copy(update={
                "text": article.text[sentence.start:sentence.end],
                "article_id": f"{article.doc_id}#{sentence.start}"}), labeler(sentence)))
    return out


def _sentence_labeler(sentence: NewsSentence, own: dict[tuple[int, str], str] | None
                      ) -> Labeler:
    def label(event_type: str, pos: int) -> int | None:
        if own is None:
            return int(event_type in sentence.types)
        value = own.get((sentence.start, event_type))
        return None if value in (None, "d") else int(value == "1")
    return label


def sources() -> list[tuple[str, bool, Article, Labeler]]:
    """(group, held out, article, labeler) for every text the gate learns or is measured on."""
    out: list[tuple[str, bool, Article, Labeler]] = []
    news = evaluate.load_news(SHARED / "newsgold" / "news.dev.jsonl").items
    for article, text in zip(news, news_articles(news), strict=True):
        group = f"newsgold:{article.corpus}"
        out.append((group, False, text, _news_labeler(article)))
        out.extend((group, False, t, lab) for t, lab in _snippets(
            article, text, lambda s: not s.doubtful, lambda s: _sentence_labeler(s, None)))
    own = _own_articles()
    for article, labels in own:
        (text,) = news_articles([article])
        group, heldout = f"own:{article.corpus}", _hash_heldout(article.doc_id)
        out.append((group, heldout, text, _own_labeler(article, labels)))
        starts = {start for start, _ in labels}
        out.extend((group, heldout, t, lab) for t, lab in _snippets(
            article, text, lambda s, starts=starts: s.start in starts,  # type: ignore[misc]
            lambda s, labels=labels: _sentence_labeler(s, labels)))  # type: ignore[misc]
    for name, file in (("plover", "plover_gsr.dev.jsonl"),
                       ("petr2", "petr2_validation.dev.jsonl")):
        sentences = evaluate.load_plover(SHARED / "events" / file).items
        for sentence, text in zip(sentences, evaluate.plover_articles(sentences), strict=True):
            out.append((name, False, text, _plover_labeler(sentence)))
    notes = evaluate.load_acled(SHARED / "events" / "acled_notes.dev.jsonl").items
    notes = random.Random(SEED).sample(notes, min(ACLED_SAMPLE, len(notes)))
    for note, text in zip(notes, evaluate.acled_articles(notes), strict=True):
        out.append(("acled", False, text, _acled_labeler(note)))
    for line in CHECK.open(encoding="utf-8"):
        item = json.loads(line)
        text = Article(text=item["text"], article_id=item["id"], published=item["published"])
        out.append((f"check:{'event' if item['types'] else 'nonevent'}", True, text,
                    _check_labeler(item["types"], bool(item["types"]))))
    return out


# --- coding every candidate in forked workers -------------------------------------------


def _code(chunk: list[Article]) -> list[list[tuple[str, int, bool, dict[str, float]]]]:
    from eventscope.coder import code_events_with_features
    from eventscope.geo import geoparse_doc
    from eventscope.nlp import load_nlp
    from eventscope.parallel import worker_model

    nlp = load_nlp(worker_model())
    out = []
    for article, doc in zip(chunk, nlp.pipe(a.text for a in chunk), strict=True):
        rows: list[dict[str, float]] = []
        coded = code_events_with_features(doc, geoparse_doc(doc, nlp), article, gate_rows=rows)
        out.append([(e.event_type, evaluate.trigger_position(article.text, e), e.negated, r)
                    for (e, _), r in zip(coded, rows, strict=True)])
    return out


def build_rows(n_process: int, cache: Path | None) -> list[Row]:
    items = sources()
    if cache is not None and cache.exists():
        coded = json.loads(cache.read_text(encoding="utf-8"))
        if len(coded) != len(items):
            sys.exit(f"{cache}: made for another set of sources; delete it to rebuild")
        print(f"candidates read from {cache}")
    else:
        from eventscope.geo import geoparse_doc
        from eventscope.nlp import load_nlp
        from eventscope.parallel import chunks, forked_map

        nlp = load_nlp(None)
        geoparse_doc(nlp("Paris"), nlp)  # warm the gazetteer before forking
        articles = [a for _, _, a, _ in items]
        coded = [doc for done in forked_map(_code, chunks(articles, 8), n_process=n_process,
                                            model=None) for doc in done]
        if cache is not None:
            cache.write_text(json.dumps(coded), encoding="utf-8")
    rows = []
    for (group, heldout, article, labeler), candidates in zip(items, coded, strict=True):
        for event_type, pos, negated, features in candidates:
            if negated:
                continue
            label = labeler(event_type, pos)
            if label is not None:
                rows.append(Row(group, heldout, article.article_id or "", event_type, label,
                                features, pos))
    return rows


# --- fitting and measuring --------------------------------------------------------------


def family(group: str) -> str:
    return group.split(":")[0]


def fit(rows: list[Row], cap: float, c: float) -> tuple[DictVectorizer, LogisticRegression]:
    sizes = Counter(r.group for r in rows)
    weights = np.array([min(1.0, cap / sizes[r.group]) for r in rows])
    vec = DictVectorizer()
    x = vec.fit_transform([r.features for r in rows])
    y = np.array([r.label for r in rows])
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(x, y, sample_weight=weights)
    return vec, model


def predict(vec: DictVectorizer, model: LogisticRegression, rows: list[Row]) -> np.ndarray:
    if not rows:
        return np.array([])
    return model.predict_proba(vec.transform([r.features for r in rows]))[:, 1]


def figures(rows: list[Row], p: np.ndarray, threshold: float) -> dict[str, Any]:
    y = np.array([r.label for r in rows])
    kept = p >= threshold
    tp = int((kept & (y == 1)).sum())
    auc = float(roc_auc_score(y, p)) if 0 < y.sum() < len(y) else None
    return {
        "n": len(rows), "pos": int(y.sum()),
        "precision_before": float(y.mean()) if len(y) else None,
        "precision_after": tp / int(kept.sum()) if kept.sum() else None,
        "recall": tp / int(y.sum()) if y.sum() else None,
        "negatives_dropped": (float((~kept & (y == 0)).sum() / (y == 0).sum())
                              if (y == 0).any() else None),
        "kept": float(kept.mean()) if len(y) else None, "auc": auc,
    }


def _f(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def print_table(title: str, table: dict[str, dict[str, Any]]) -> None:
    print(f"\n{title}")
    print(f"{'source':<22}{'rows':>6}{'pos':>6}{'AUC':>7}{'prec before':>13}{'prec after':>12}"
          f"{'recall':>8}{'neg dropped':>13}{'kept':>7}")
    for name, fig in table.items():
        print(f"{name:<22}{fig['n']:>6}{fig['pos']:>6}{_f(fig['auc']):>7}"
              f"{_f(fig['precision_before']):>13}{_f(fig['precision_after']):>12}"
              f"{_f(fig['recall']):>8}{_f(fig['negatives_dropped']):>13}{_f(fig['kept']):>7}")


def check_items(rows: list[Row], p: np.ndarray, threshold: float) -> dict[str, Any]:
    """The check set item by item: accident and disaster reports (and the other non-event
    kinds) that still yield an event, and the control events still found, without and
    with the gate."""
    items = [json.loads(line) for line in CHECK.open(encoding="utf-8")]
    kinds = {item["id"]: item["kind"] for item in items}
    before: dict[str, bool] = {}
    after: dict[str, bool] = {}
    for row, prob in zip(rows, p, strict=True):
        if row.doc in kinds:
            positive = kinds[row.doc] == "event"
            if row.label == int(positive):
                before[row.doc] = True
                after[row.doc] = after.get(row.doc, False) or bool(prob >= threshold)
    out: dict[str, Any] = {}
    print("\nCheck set, item by item (held out of every fit): share of items that yield "
          "an event (non-events: a false event; events: one of the right type)")
    for kind in sorted(set(kinds.values())):
        ids = [i for i, k in kinds.items() if k == kind]
        b = sum(before.get(i, False) for i in ids) / len(ids)
        a = sum(after.get(i, False) for i in ids) / len(ids)
        out[kind] = {"items": len(ids), "gate_off": round(b, 3), "gate_on": round(a, 3)}
        print(f"  {kind:<11} {len(ids):>3} items: gate off {b:.3f}, gate on {a:.3f}")
    disaster = [i for i, k in kinds.items() if k in ("disaster", "accident", "response")]
    b = sum(before.get(i, False) for i in disaster) / len(disaster)
    a = sum(after.get(i, False) for i in disaster) / len(disaster)
    out["disaster+accident+response"] = {"items": len(disaster), "gate_off": round(b, 3),
                                         "gate_on": round(a, 3)}
    print(f"  disaster, accident and emergency-response reports ({len(disaster)}): false-event "
          f"rate gate off {b:.3f}, gate on {a:.3f}")
    return out


def within_source(train: list[Row], group: str, cap: float, c: float,
                  folds: int = 5) -> tuple[list[Row], np.ndarray]:
    """The rows of ``group`` with scores from models that saw every other source and the
    other folds of this one (folds by document)."""
    inside = [i for i, r in enumerate(train) if r.group == group]
    fold = {i: hashlib.sha1(train[i].doc.encode()).digest()[0] % folds for i in inside}
    p = np.zeros(len(inside))
    for f in range(folds):
        test = {i for i in inside if fold[i] == f}
        vec, model = fit([r for i, r in enumerate(train) if i not in test], cap, c)
        held = [i for i in inside if i in test]
        p[[inside.index(i) for i in held]] = predict(vec, model, [train[i] for i in held])
    return [train[i] for i in inside], p


def kept_types(rows: list[Row], p: np.ndarray, threshold: float) -> tuple[float, float]:
    """Of the gold (text, type) pairs the rules find, the share the gate keeps: micro, and
    macro over types (PLOVER's measure is macro recall over types)."""
    found: dict[tuple[str, str], bool] = {}
    for row, prob in zip(rows, p, strict=True):
        if row.label == 1:
            key = (row.doc, row.event_type)
            found[key] = found.get(key, False) or bool(prob >= threshold)
    by_type: dict[str, list[bool]] = defaultdict(list)
    for (_, event_type), kept in found.items():
        by_type[event_type].append(kept)
    micro = sum(found.values()) / len(found) if found else 1.0
    macro = (sum(sum(v) / len(v) for v in by_type.values()) / len(by_type)) if by_type else 1.0
    return micro, macro


def choose_threshold(y: np.ndarray, p: np.ndarray, train: list[Row],
                     within: dict[str, tuple[list[Row], np.ndarray]],
                     min_kept: float) -> float:
    """The threshold with the best F1 on the out-of-source news rows among those that keep
    at least ``min_kept`` of the event types the rules find in the event-report sources
    (macro over types), measured within those sources."""
    print("\nthreshold  news precision  news recall  news F1   " + "  ".join(
        f"{g} kept (micro/macro)" for g in within))
    best, best_f1 = 0.5, -1.0
    for t in np.arange(0.10, 0.801, 0.05):
        kept = p >= t
        tp = float((kept & (y == 1)).sum())
        prec = tp / kept.sum() if kept.any() else 0.0
        rec = tp / y.sum() if y.sum() else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        shares = {g: kept_types(rows, probs, t) for g, (rows, probs) in within.items()}
        print(f"{t:9.2f}  {prec:14.3f}  {rec:11.3f}  {f1:7.3f}   " + "  ".join(
            f"{shares[g][0]:.3f}/{shares[g][1]:.3f}".rjust(len(g) + 20) for g in within))
        if all(m >= min_kept for _, m in shares.values()) and f1 > best_f1:
            best, best_f1 = round(float(t), 2), f1
    print(f"threshold: {best} (best news F1 keeping at least {min_kept} of the event-report "
          "types the rules find, macro)")
    return best


def pair_figures(rows: list[Row], p: np.ndarray, news: dict[str, NewsArticle],
                 thresholds: list[float]) -> list[tuple[float, float, float, int]]:
    """(threshold, precision, recall, pairs) of the (sentence, type) pairs that the rows
    of newsgold articles scoring at least each threshold give, scored as ``eval --kind
    news`` scores them: pairs counted once, pairs in doubtful sentences ignored."""
    gold = {(doc, i, t) for doc, a in news.items() for i, s in enumerate(a.sentences)
            for t in s.types}
    out = []
    for t in thresholds:
        pairs = set()
        for r, prob in zip(rows, p, strict=True):
            if prob >= t and r.doc in news:
                i = news[r.doc].sentence_at(r.pos)
                if not news[r.doc].sentences[i].doubtful:
                    pairs.add((r.doc, i, r.event_type))
        right = len(pairs & gold)
        out.append((t, right / len(pairs) if pairs else 0.0,
                    right / len(gold) if gold else 0.0, len(pairs)))
    return out


def newsgold_pairs(rows: list[Row], cap: float, c: float, threshold: float) -> None:
    """The figure ``eval --kind news`` gives for a gate that never saw newsgold, from the
    cached candidates: a model fitted on every other source scores the 30 articles."""
    news = {a.doc_id: a for a in evaluate.load_news(SHARED / "newsgold" / "news.dev.jsonl").items}
    scored = [r for r in rows if family(r.group) == "newsgold" and r.doc in news]
    if not scored:
        return
    vec, model = fit([r for r in rows if family(r.group) != "newsgold"], cap, c)
    figs = pair_figures(scored, predict(vec, model, scored), news,
                        sorted({0.0, 0.3, 0.4, 0.5, 0.6, threshold}))
    print("\nnewsgold articles, (sentence, type) pairs, gate fitted without newsgold "
          "(0.00 = the rules alone)")
    for t, precision, recall, n in figs:
        mark = "  <- threshold" if t == threshold else ""
        print(f"  at {t:.2f}: precision {precision:.3f}  recall {recall:.3f}  pairs {n}{mark}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, help="keep the coded candidates here between runs")
    parser.add_argument("--n-process", type=int, default=2)
    parser.add_argument("--exclude", action="append", default=[],
                        help="a source family to leave out of training (newsgold, own, "
                        "plover, petr2, acled)")
    parser.add_argument("--cap", type=float, default=300.0,
                        help="most weight any one source carries")
    parser.add_argument("--c", type=float, default=0.3, help="inverse L2 strength")
    parser.add_argument("--min-kept", type=float, default=0.8,
                        help="least share of the PLOVER/ACLED types found by the rules the "
                        "gate must keep (macro over types, within source)")
    parser.add_argument("--out", type=Path, default=default_model_path())
    parser.add_argument("--dry-run", action="store_true", help="measure, write nothing")
    args = parser.parse_args()

    rows = build_rows(args.n_process, args.cache)
    train = [r for r in rows if not r.heldout and family(r.group) not in args.exclude]
    heldout = [r for r in rows if r.heldout]
    print(f"{len(rows)} labelled candidates; training {len(train)} from "
          f"{len({r.group for r in train})} sources; held out of every fit {len(heldout)}")
    print("per source (rows, positives):",
          dict(sorted((g, (n, sum(r.label for r in train if r.group == g)))
                      for g, n in Counter(r.group for r in train).items())))

    # leave one source out: the figure that counts
    oof = np.zeros(len(train))
    groups = sorted({r.group for r in train})
    for group in groups:
        inside = [i for i, r in enumerate(train) if r.group != group]
        outside = [i for i, r in enumerate(train) if r.group == group]
        vec, model = fit([train[i] for i in inside], args.cap, args.c)
        oof[outside] = predict(vec, model, [train[i] for i in outside])
    news = [i for i, r in enumerate(train) if family(r.group) in ("newsgold", "own")]
    y = np.array([r.label for r in train])
    # Event reports (PLOVER, ACLED): their independent halves come from the same sources,
    # so they are measured within the source, five folds by sentence.
    within = {g: within_source(train, g, args.cap, args.c) for g in ("plover", "acled")
              if any(r.group == g for r in train)}
    threshold = choose_threshold(y[news], oof[news], train, within, args.min_kept)
    table = {g: figures([r for r in train if r.group == g],
                        oof[[i for i, r in enumerate(train) if r.group == g]], threshold)
             for g in groups}
    if news:
        table["news pooled"] = figures([train[i] for i in news], oof[news], threshold)
    print_table("Leave-one-source-out (each source measured by a model that never saw it)",
                table)
    # the figure that counts on ordinary news, also when newsgold is --exclude'd
    newsgold_pairs([r for r in rows if not r.heldout and (
        family(r.group) == "newsgold" or family(r.group) not in args.exclude)],
        args.cap, args.c, threshold)

    vec, model = fit(train, args.cap, args.c)
    held_p = predict(vec, model, heldout)
    held_table = {g: figures([r for r in heldout if r.group == g],
                             held_p[[i for i, r in enumerate(heldout) if r.group == g]],
                             threshold)
                  for g in sorted({r.group for r in heldout})}
    print_table("Held out of every fit (final model)", held_table)
    check = check_items(heldout, held_p, threshold)

    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 5) for n, w in zip(names, model.coef_[0], strict=True)
               if abs(w) >= 1e-4}
    top = sorted(weights.items(), key=lambda kv: kv[1])
    print("\nmost negative:", ", ".join(f"{k} {v:+.2f}" for k, v in top[:15]))
    print("most positive:", ", ".join(f"{k} {v:+.2f}" for k, v in top[-15:]))
    if args.dry_run:
        return
    out = {
        "provenance": "scripts/train_event_gate.py: logistic regression over gate features "
                      f"of trigger candidates; sources {sorted({r.group for r in train})}; "
                      f"C={args.c}, cap={args.cap}; threshold = best F1 on out-of-source "
                      f"news rows keeping {args.min_kept} of PLOVER/ACLED types (macro)",
        "bias": round(float(model.intercept_[0]), 5),
        "threshold": threshold,
        "leave_one_source_out": table,
        "held_out": held_table,
        "check_set": check,
        "weights": dict(sorted(weights.items())),
    }
    tmp = args.out.with_name(args.out.name + ".tmp")
    tmp.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    print(f"\n{len(weights)} weights written to {args.out}")


if __name__ == "__main__":
    main()
