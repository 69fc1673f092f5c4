"""Label news sentences for the event gate under the newsgold rules, and measure agreement.

The gate needs negatives from ordinary news: sentences where the rules propose an event
and there is none. This script draws articles from the geoparsing corpora
(``../shared/data/geoparse/``, leaving out the newsgold development articles), codes them
with the gate off, and writes a worksheet of every (sentence, type) pair the rules
propose, with the sentence text, for a person to label by the rules of
``../shared/data/newsgold/README.md``: ``1`` the sentence reports an event of that type,
``0`` it does not, ``d`` doubtful (left out of training and scoring). The filled labels
(ids and offsets, never the corpus text) go to ``scripts/data/gate_labels.tsv``.

    python scripts/label_sentences.py worksheet --out /tmp/worksheet.tsv
    python scripts/label_sentences.py agreement scripts/data/gate_labels.tsv \\
        scripts/data/gate_labels_second.tsv

``agreement`` prints Cohen's kappa and raw agreement on the pairs both files label
(doubtful as a third category, and again on the pairs neither marks doubtful).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
CORPORA = ("lgl", "gwn", "trnews", "geovirus")
SEED = 2026
PER_CORPUS = 10
# ECB+ (../shared/data/cluster/): news of earthquakes, fires, cable cuts, sport, business,
# deaths, next to shootings and piracy; no publication dates
OTHER_FILES = {"ecbplus": SHARED / "cluster" / "ecbplus.dev.jsonl"}


def corpus_path(corpus: str) -> Path:
    return OTHER_FILES.get(corpus, SHARED / "geoparse" / f"{corpus}.dev.jsonl")
LABELS = ("1", "0", "d")
COLUMNS = ("doc_id", "corpus", "start", "end", "event_type", "label")


def draw_articles(per_corpus: int = PER_CORPUS, seed: int = SEED,
                  corpora: tuple[str, ...] = CORPORA,
                  labelled: Path | None = None,
                  subject: tuple[str, ...] = ()) -> list[dict[str, object]]:
    """``per_corpus`` articles of 600-6000 characters from each corpus, not in the
    newsgold development half nor already in ``labelled``, drawn with one
    ``random.Random(seed)`` in corpus order. With ``subject`` words, only articles whose
    text holds one of them (a stratum of, say, accident and disaster news)."""
    taken = {json.loads(line)["doc_id"]
             for line in (SHARED / "newsgold" / "news.dev.jsonl").open(encoding="utf-8")}
    if labelled is not None:
        taken |= {doc for doc, _, _ in read_labels(labelled)}
    rng = random.Random(seed)
    out = []
    for corpus in corpora:
        rows = [json.loads(line) for line in corpus_path(corpus).open(encoding="utf-8")]
        kept = [r for r in rows if 600 <= len(r["text"]) <= 6000 and r["doc_id"] not in taken
                and (not subject or any(w in r["text"].lower() for w in subject))]
        out.extend({**r, "corpus": corpus} for r in rng.sample(kept, per_corpus))
    return out


def worksheet(out: Path, per_corpus: int, n_process: int, seed: int = SEED,
              corpora: tuple[str, ...] = CORPORA, labelled: Path | None = None,
              subject: tuple[str, ...] = ()) -> None:
    os.environ["EVENTSCOPE_GATE"] = "off"  # every candidate the rules propose
    from eventscope.evaluate import news_articles, run_extraction, split_sentences
    from eventscope.evaluate.news import NewsArticle, NewsSentence, news_pairs

    drawn = draw_articles(per_corpus, seed, corpora, labelled, subject)
    gold = [NewsArticle(doc_id=str(r["doc_id"]), text=str(r["text"]),
                        published=r.get("published") or None,  # type: ignore[arg-type]
                        corpus=str(r["corpus"]),
                        sentences=tuple(NewsSentence(s, e, False, frozenset())
                                        for s, e in split_sentences(str(r["text"]))))
            for r in drawn]
    runs = run_extraction(news_articles(gold), n_process=n_process)
    rows = 0
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow([*COLUMNS, "triggers", "sentence"])
        for article, events in zip(gold, runs, strict=True):
            for (index, event_type), evs in sorted(news_pairs(article, events).items()):
                sentence = article.sentences[index]
                text = article.text[sentence.start:sentence.end].replace("\n", " ")
                writer.writerow([article.doc_id, article.corpus, sentence.start, sentence.end,
                                 event_type, "", ",".join(e.evidence.trigger or "" for e in evs),
                                 text])
                rows += 1
    print(f"{rows} (sentence, type) pairs from {len(gold)} articles written to {out}")


def read_labels(path: Path) -> dict[tuple[str, int, str], str]:
    """(doc_id, sentence start, type) -> label; a bad row stops with its file and line."""
    labels: dict[tuple[str, int, str], str] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip() or line.startswith(("#", "doc_id\t")):
                continue
            cells = line.rstrip("\n").split("\t")
            if len(cells) < len(COLUMNS) or cells[5] not in LABELS:
                sys.exit(f"{path}:{number}: expected {len(COLUMNS)} tab-separated columns "
                         f"with a label in {LABELS}")
            labels[cells[0], int(cells[2]), cells[4]] = cells[5]
    return labels


def kappa(pairs: list[tuple[str, str]]) -> float:
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def agreement(first: Path, second: Path) -> None:
    a, b = read_labels(first), read_labels(second)
    common = sorted(set(a) & set(b))
    if not common:
        sys.exit(f"{first} and {second} label no pair in common")
    pairs = [(a[k], b[k]) for k in common]
    firm = [(x, y) for x, y in pairs if "d" not in (x, y)]
    print(f"pairs labelled by both: {len(pairs)}")
    print(f"raw agreement {sum(x == y for x, y in pairs) / len(pairs):.3f}, "
          f"Cohen's kappa {kappa(pairs):.3f} (1 / 0 / doubtful)")
    if firm:
        print(f"neither doubtful: {len(firm)} pairs, raw agreement "
              f"{sum(x == y for x, y in firm) / len(firm):.3f}, kappa {kappa(firm):.3f}")
    print("confusion (first, second):", dict(Counter(pairs)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sheet = sub.add_parser("worksheet", help="write the pairs to label, with their text")
    sheet.add_argument("--out", type=Path, required=True)
    sheet.add_argument("--per-corpus", type=int, default=PER_CORPUS)
    sheet.add_argument("--n-process", type=int, default=2)
    sheet.add_argument("--seed", type=int, default=SEED)
    sheet.add_argument("--corpora", default=",".join(CORPORA),
                       help=f"comma-separated, of {', '.join((*CORPORA, *OTHER_FILES))}")
    sheet.add_argument("--labelled", type=Path,
                       help="a label file whose articles are not drawn again")
    sheet.add_argument("--subject", default="",
                       help="comma-separated words: draw only articles holding one")
    agree = sub.add_parser("agreement", help="Cohen's kappa between two label files")
    agree.add_argument("first", type=Path)
    agree.add_argument("second", type=Path)
    args = parser.parse_args()
    if args.command == "worksheet":
        worksheet(args.out, args.per_corpus, args.n_process, args.seed,
                  tuple(args.corpora.split(",")), args.labelled,
                  tuple(w for w in args.subject.split(",") if w))
    else:
        agreement(args.first, args.second)


if __name__ == "__main__":
    main()
