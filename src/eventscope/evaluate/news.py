"""Ordinary news annotated sentence by sentence (``../shared/data/newsgold/``).

The unit is a (sentence, type) pair. Each of our non-negated records goes to the gold
sentence that holds its trigger (the trigger looked up in its evidence span, exactly,
then ignoring case and runs of whitespace; else the evidence start; a position between
two sentences goes to the next one); two records of one type in one sentence are one
pair; pairs in doubtful sentences are ignored. A pair is right when that sentence holds
a gold event of that type. Precision, recall and F1 over pairs, and the mean number of
records per article (fewer, better events per article is the aim).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from ..record import EVENT_TYPES, Article, Event
from .common import Disagreement, GoldSet, Reason, counted, describe, fmt, load_gold, text_field


@dataclass(frozen=True)
class NewsSentence:
    start: int
    end: int
    doubtful: bool
    types: frozenset[str]  # the PLOVER types of its gold events


@dataclass(frozen=True)
class NewsArticle:
    doc_id: str
    text: str
    published: str | None
    corpus: str | None
    sentences: tuple[NewsSentence, ...]
    line: int = 0

    def sentence_at(self, pos: int) -> int:
        """The index of the sentence holding character ``pos``; a position between two
        sentences goes to the next one (past the last: the last)."""
        ends = [s.end for s in self.sentences]
        return min(bisect.bisect_right(ends, pos), len(self.sentences) - 1)


def _news_sentence(raw: Any, index: int, text: str) -> NewsSentence:
    if not isinstance(raw, dict):
        raise ValueError(f"sentences[{index}] is not an object")
    start, end = raw.get("start"), raw.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(
            text):
        raise ValueError(f"sentences[{index}]: start/end missing or outside the text")
    events = raw.get("events") or []
    if not isinstance(events, list):
        raise ValueError(f"sentences[{index}]: 'events' is not a list")
    types = set()
    for j, event in enumerate(events):
        event_type = event.get("type") if isinstance(event, dict) else None
        if event_type not in EVENT_TYPES:
            raise ValueError(f"sentences[{index}].events[{j}]: unknown event type "
                             f"{event_type!r}")
        types.add(event_type)
    return NewsSentence(start, end, bool(raw.get("doubtful")), frozenset(types))


def _news_article(row: dict[str, Any], line: int) -> NewsArticle:
    doc_id = text_field(row, "doc_id")
    text = text_field(row, "text")
    raw = row.get("sentences")
    if not isinstance(raw, list) or not raw:
        raise ValueError("missing field 'sentences' (a non-empty list)")
    sentences = tuple(_news_sentence(s, i, text) for i, s in enumerate(raw))
    if any(a.end > b.start for a, b in zip(sentences, sentences[1:], strict=False)):
        raise ValueError("sentences overlap or are out of order")
    published = row.get("published")
    return NewsArticle(doc_id=doc_id, text=text,
                       published=published if isinstance(published, str) else None,
                       corpus=row.get("corpus") or None, sentences=sentences, line=line)


def load_news(path: Path) -> GoldSet[NewsArticle]:
    """Newsgold articles; bad lines become :attr:`GoldSet.issues`."""
    return load_gold(path, _news_article)


def news_articles(gold: Sequence[NewsArticle]) -> list[Article]:
    """The texts to code, with ``published`` read as the readers read it (free text in
    TR-News; a date that does not parse is unknown)."""
    return [Article(text=a.text, article_id=a.doc_id, published=_iso(a.published))
            for a in gold]


def _iso(published: str | None) -> str | None:
    from ..ingest import normalise_published

    try:
        return normalise_published(published) if published else None
    except ValueError:
        return None


_SPACE = re.compile(r"\s+")
# The newsgold README's sentence rule (end punctuation, maybe a closing quote or bracket,
# space, a capital or an opening quote; and blank lines), for labelling more text the
# same way.
_SENT = re.compile(r'(?:(?<=[.!?])|(?<=[.!?]["\')\]]))\s+(?=[A-Z"\'(\[])')
_BLANK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text`` under the newsgold rule."""
    seps = sorted([m.span() for m in _SENT.finditer(text)]
                  + [m.span() for m in _BLANK.finditer(text)])
    out: list[tuple[int, int]] = []
    pos = 0
    for s, e in [*seps, (len(text), len(text))]:
        if s > pos:
            piece = text[pos:s]
            st, en = pos + len(piece) - len(piece.lstrip()), pos + len(piece.rstrip())
            if en > st:
                out.append((st, en))
        pos = max(pos, e)
    return out


def _loose(text: str) -> tuple[str, list[int]]:
    """``text`` casefolded with runs of whitespace as one space, and for each character
    of that the offset it came from."""
    out: list[str] = []
    where: list[int] = []
    last_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if last_space:
                continue
            out.append(" ")
            last_space = True
        else:
            out.append(ch.casefold() if len(ch.casefold()) == 1 else ch)
            last_space = False
        where.append(i)
    return "".join(out), where


def trigger_position(article_text: str, event: Event) -> int:
    """Where the record's trigger is in the article: looked up in its evidence span,
    exactly, then ignoring case and runs of whitespace (the first match); else the
    evidence start."""
    ev = event.evidence
    span = article_text[ev.start:ev.end]
    trigger = ev.trigger or ""
    if trigger:
        at = span.find(trigger)
        if at >= 0:
            return ev.start + at
        loose_span, where = _loose(span)
        loose_trigger = _SPACE.sub(" ", trigger.strip()).casefold()
        at = loose_span.find(loose_trigger) if loose_trigger else -1
        if at >= 0:
            return ev.start + where[at]
    return ev.start


@dataclass
class NewsReport:
    articles: int = 0
    sentences: int = 0
    doubtful: int = 0
    predicted: int = 0  # our (sentence, type) pairs outside doubtful sentences
    right: int = 0
    gold: int = 0  # gold (sentence, type) pairs
    found: int = 0
    records: int = 0  # our non-negated records, doubtful sentences included
    # type -> [gold, found, ours, right]; corpus -> [ours, right, gold, found]
    per_type: dict[str, list[int]] = field(default_factory=dict)
    per_corpus: dict[str, list[int]] = field(default_factory=dict)
    disagreements: list[Disagreement] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.right / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p and r else None

    @property
    def events_per_article(self) -> float | None:
        return self.records / self.articles if self.articles else None

    def line(self) -> str:
        """The one-line summary the held-out bar prints."""
        return (f"news: precision={fmt(self.precision)} recall={fmt(self.recall)} "
                f"f1={fmt(self.f1)} predicted={self.predicted} gold={self.gold} "
                f"events_per_article={fmt(self.events_per_article)}")


def news_pairs(article: NewsArticle, events: Sequence[Event]) -> dict[tuple[int, str], list[Event]]:
    """Our (sentence index, type) pairs for one article, each with the records behind it."""
    pairs: dict[tuple[int, str], list[Event]] = {}
    for event in counted(events):
        index = article.sentence_at(trigger_position(article.text, event))
        pairs.setdefault((index, event.event_type), []).append(event)
    return pairs


def score_news(items: Iterable[tuple[NewsArticle, Sequence[Event]]]) -> NewsReport:
    """Precision and recall of (sentence, type) pairs, and records per article."""
    report = NewsReport()
    for article, events in items:
        report.articles += 1
        report.records += len(counted(events))
        corpus = report.per_corpus.setdefault(article.corpus or "-", [0, 0, 0, 0])
        ours = news_pairs(article, events)
        for index, sentence in enumerate(article.sentences):
            report.sentences += 1
            if sentence.doubtful:
                report.doubtful += 1
                continue
            why: list[Reason] = []
            ours_here = {t: evs for (i, t), evs in ours.items() if i == index}
            for event_type in sentence.types:
                row = report.per_type.setdefault(event_type, [0, 0, 0, 0])
                row[0] += 1
                report.gold += 1
                corpus[2] += 1
                if event_type in ours_here:
                    row[1] += 1
                    report.found += 1
                    corpus[3] += 1
                else:
                    why.append(Reason("missed", f"{event_type} not coded"))
            for event_type in ours_here:
                row = report.per_type.setdefault(event_type, [0, 0, 0, 0])
                row[2] += 1
                report.predicted += 1
                corpus[0] += 1
                if event_type in sentence.types:
                    row[3] += 1
                    report.right += 1
                    corpus[1] += 1
                else:
                    why.append(Reason("false-event" if not sentence.types else "wrong-type",
                                      f"{event_type} not in gold"))
            if why:
                gold = ", ".join(sorted(sentence.types)) or "no event"
                text = article.text[sentence.start:sentence.end]
                described = [describe(e) for evs in ours_here.values() for e in evs]
                report.disagreements.append(Disagreement(
                    f"{article.doc_id} s{index}", text, gold, described, why))
    return report


def print_news_report(report: NewsReport, console: Console) -> None:
    measures = Table(title="News articles, (sentence, type) pairs", show_header=False)
    measures.add_column("measure")
    measures.add_column("value", justify="right")
    measures.add_row("articles / sentences / doubtful (ignored)",
                     f"{report.articles} / {report.sentences} / {report.doubtful}")
    measures.add_row("precision", f"{fmt(report.precision)} ({report.right}/{report.predicted})")
    measures.add_row("recall", f"{fmt(report.recall)} ({report.found}/{report.gold})")
    measures.add_row("F1", fmt(report.f1))
    measures.add_row("records per article (non-negated)", fmt(report.events_per_article))
    console.print(measures)
    corpora = Table(title="Per corpus")
    for name in ("corpus", "ours", "right", "precision", "gold", "found", "recall"):
        corpora.add_column(name, justify="left" if name == "corpus" else "right")
    for name, (pred, right, gold, found) in sorted(report.per_corpus.items()):
        corpora.add_row(name, str(pred), str(right), fmt(right / pred if pred else None),
                        str(gold), str(found), fmt(found / gold if gold else None))
    console.print(corpora)
    types = Table(title="Per type (few gold pairs each: anecdotes, read the pooled figures)")
    for name in ("type", "gold", "found", "ours", "right"):
        types.add_column(name, justify="left" if name == "type" else "right")
    for event_type in EVENT_TYPES:
        if event_type in report.per_type:
            types.add_row(event_type, *map(str, report.per_type[event_type]))
    console.print(types)
    tally = Counter(r.code for d in report.disagreements for r in d.why)
    console.print(", ".join(f"{code}: {n}" for code, n in tally.most_common()))
    console.print(report.line())
