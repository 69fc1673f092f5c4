"""PLOVER-format gold sentences (``plover_gsr``, ``petr2_validation``).

The unit is one gold event: is its type among the events we code for the sentence (recall
per type, macro-averaged over the types present), and does one of our events for the
sentence have a gold actor's country. A line with ``"events": []`` is a negative: a
sentence with no event, where any event we code is a false positive. When the line's
``annotation_scope`` says all events were coded, the precision of our types is measured
there too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from ..record import EVENT_TYPES, Actor, Article, Event
from .acled import iso3_codes
from .common import (
    NONE,
    Disagreement,
    GoldSet,
    Ratio,
    Reason,
    confusion_table,
    counted,
    describe,
    failures_table,
    fmt,
    load_gold,
    text_field,
    top_event,
)

# Gold country codes that are not countries (PLOVER/CAMEO): they match an actor of that
# sector or one coded with a transnational code (UNO, NATO, ...) rather than an ISO3.
TRANSNATIONAL_GOLD = {"IGO": "IGO", "NGO": "NGO", "IMG": "REB"}


@dataclass(frozen=True)
class PloverGoldEvent:
    event_type: str
    mode: str | None = None
    actor_text: str | None = None
    actor_countries: frozenset[str] = frozenset()
    target_countries: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PloverSentence:
    id: str
    text: str
    events: tuple[PloverGoldEvent, ...]
    exhaustive: bool = False  # every event of the sentence is coded (precision is meaningful)
    line: int = 0

    @property
    def is_negative(self) -> bool:
        return not self.events


def _country_codes(*values: Any) -> frozenset[str]:
    codes = set()
    for value in values:
        if isinstance(value, str) and value.strip() and value.strip("-"):
            codes.add(value.strip().upper())
    return frozenset(codes)


def _plover_event(raw: Any, index: int) -> PloverGoldEvent:
    if not isinstance(raw, dict):
        raise ValueError(f"events[{index}] is not an object")
    event_type = raw.get("event_type")
    if not isinstance(event_type, str) or not event_type:
        raise ValueError(f"events[{index}]: missing field 'event_type'")
    if event_type not in EVENT_TYPES:
        raise ValueError(f"events[{index}]: unknown event type {event_type!r}")
    actors = raw.get("actors") or []
    targets = raw.get("targets") or []
    return PloverGoldEvent(
        event_type=event_type,
        mode=raw.get("mode") or None,
        actor_text=raw.get("actor_text") or None,
        actor_countries=_country_codes(
            raw.get("actor_country"), *(a.get("country") for a in actors if isinstance(a, dict))
        ),
        target_countries=_country_codes(
            raw.get("target_country"), *(t.get("country") for t in targets if isinstance(t, dict))
        ),
    )


def _plover_sentence(row: dict[str, Any], line: int) -> PloverSentence:
    sentence_id = text_field(row, "id")
    text = text_field(row, "text")
    raw_events = row.get("events")
    if not isinstance(raw_events, list):
        raise ValueError("missing field 'events' (a list; [] for a sentence with no event)")
    events = tuple(_plover_event(raw, i) for i, raw in enumerate(raw_events))
    scope = str(row.get("annotation_scope") or "").casefold()
    return PloverSentence(
        id=sentence_id, text=text, events=events, exhaustive=scope.startswith("all events"),
        line=line,
    )


def load_plover(path: Path) -> GoldSet[PloverSentence]:
    """PLOVER-format gold sentences; bad lines become :attr:`GoldSet.issues`."""
    return load_gold(path, _plover_sentence)


def country_matches(gold: str, actor: Actor | None) -> bool:
    """Does our actor carry the gold country code? IGO/NGO/IMG (not countries) match an
    actor of that sector or one coded with a transnational code such as UNO or NATO."""
    if actor is None:
        return False
    if gold in TRANSNATIONAL_GOLD:
        transnational = actor.country is not None and actor.country not in iso3_codes()
        return actor.sector == TRANSNATIONAL_GOLD[gold] or transnational
    return actor.country == gold


# --- PLOVER sentences -------------------------------------------------------------------


@dataclass
class TypeRow:
    """The per-type breakdown: recall of the gold type, actor country, and (on exhaustively
    coded sentences) the precision of our events of that type."""

    event_type: str
    gold: int = 0
    found: int = 0
    actor_gold: int = 0
    actor_ok: int = 0
    predicted: int = 0
    predicted_ok: int = 0

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    @property
    def precision(self) -> float | None:
        return self.predicted_ok / self.predicted if self.predicted else None


@dataclass
class PloverReport:
    rows: dict[str, TypeRow]
    n_sentences: int
    actor: Ratio  # some event of ours for the sentence has a gold actor's country
    actor_with_type: Ratio  # an event of the gold type has a gold actor's country
    mode: Ratio  # found events whose gold mode is given: one of ours of that type has it
    negatives: Ratio  # sentences with no gold event where we coded one (false positives)
    confusion: Counter[tuple[str, str]]
    disagreements: list[Disagreement]
    has_exhaustive: bool

    @property
    def macro_recall(self) -> float | None:
        recalls = [r.recall for r in self.rows.values() if r.recall is not None]
        return sum(recalls) / len(recalls) if recalls else None

    @property
    def types_present(self) -> int:
        return sum(1 for r in self.rows.values() if r.gold)

    @property
    def micro_recall(self) -> Ratio:
        return Ratio(sum(r.found for r in self.rows.values()),
                     sum(r.gold for r in self.rows.values()))

    @property
    def precision(self) -> Ratio:
        return Ratio(sum(r.predicted_ok for r in self.rows.values()),
                     sum(r.predicted for r in self.rows.values()))


def score_plover(pairs: Iterable[tuple[PloverSentence, Sequence[Event]]]) -> PloverReport:
    """Score our events against PLOVER-format gold sentences."""
    rows = {t: TypeRow(t) for t in EVENT_TYPES}
    confusion: Counter[tuple[str, str]] = Counter()
    disagreements: list[Disagreement] = []
    n_sentences = actor_ok = actor_n = actor_type_ok = mode_ok = mode_n = 0
    neg_fp = neg_n = 0
    has_exhaustive = False
    for sentence, all_events in pairs:
        n_sentences += 1
        events = counted(all_events)
        ours = {e.event_type for e in events}
        top = top_event(events)
        why: list[Reason] = []
        if sentence.is_negative:
            neg_n += 1
            if events:
                neg_fp += 1
                why.append(Reason("false-positive", "no event in gold, we coded "
                                  + ", ".join(sorted(ours))))
        gold_types = {g.event_type for g in sentence.events}
        for gold in sentence.events:
            row = rows[gold.event_type]
            row.gold += 1
            hit = gold.event_type in ours
            row.found += hit
            confusion[gold.event_type, gold.event_type if hit else (top.event_type if top
                                                                     else NONE)] += 1
            if not hit:
                if not events:
                    why.append(Reason("no-event", f"{gold.event_type}: we coded no event"))
                else:
                    why.append(Reason(
                        "type", f"{gold.event_type}: we coded {', '.join(sorted(ours))}"))
            if gold.actor_countries:
                row.actor_gold += 1
                actor_n += 1
                matching = [
                    e for e in events
                    if any(country_matches(c, e.actor) for c in gold.actor_countries)
                ]
                actor_ok += bool(matching)
                row.actor_ok += bool(matching)
                actor_type_ok += any(e.event_type == gold.event_type for e in matching)
                if events and not matching:
                    got = sorted({(e.actor.country or "?") if e.actor else "-" for e in events})
                    why.append(Reason(
                        "actor-country",
                        f"gold actor {sorted(gold.actor_countries)} "
                        f"({gold.actor_text or 'unnamed'}), ours {got}",
                    ))
            if hit and gold.mode:
                mode_n += 1
                modes = {e.mode for e in events if e.event_type == gold.event_type}
                mode_ok += gold.mode in modes
        if sentence.exhaustive:
            has_exhaustive = True
            for event in events:
                rows[event.event_type].predicted += 1
                right = event.event_type in gold_types
                rows[event.event_type].predicted_ok += right
                if not right and not sentence.is_negative:
                    why.append(Reason("extra-type", f"{event.event_type} not in gold"))
        if why:
            gold_desc = "; ".join(
                f"{g.event_type}" + (f"/{g.mode}" if g.mode else "")
                + f" actor {sorted(g.actor_countries) or '?'}"
                + (f" {g.actor_text!r}" if g.actor_text else "")
                for g in sentence.events
            ) or "no event"
            disagreements.append(Disagreement(
                sentence.id, sentence.text, gold_desc, [describe(e) for e in all_events], why))
    return PloverReport(
        rows=rows, n_sentences=n_sentences, actor=Ratio(actor_ok, actor_n),
        actor_with_type=Ratio(actor_type_ok, actor_n), mode=Ratio(mode_ok, mode_n),
        negatives=Ratio(neg_fp, neg_n), confusion=confusion, disagreements=disagreements,
        has_exhaustive=has_exhaustive,
    )


def label_plover_events(sentence: PloverSentence, events: Sequence[Event]) -> list[bool]:
    """For calibration: is each (non-negated) event of ours right? Right means its type is
    among the sentence's gold types. Sentences coded with one gold event leave others
    uncoded, so this errs on the strict side: confidence it yields is conservative."""
    gold_types = {g.event_type for g in sentence.events}
    return [e.event_type in gold_types for e in counted(events)]


def plover_articles(sentences: Sequence[PloverSentence]) -> list[Article]:
    return [Article(text=s.text, article_id=s.id, published=None) for s in sentences]


def print_plover_report(report: PloverReport, console: Console) -> None:
    measures = Table(title="PLOVER sentences", show_header=False)
    measures.add_column("measure")
    measures.add_column("value", justify="right")
    measures.add_row("sentences", str(report.n_sentences))
    measures.add_row(f"macro recall of the gold type ({report.types_present} types present)",
                     fmt(report.macro_recall))
    measures.add_row("micro recall of the gold type", str(report.micro_recall))
    measures.add_row("actor country (any of our events)", str(report.actor))
    measures.add_row("actor country on an event of the gold type", str(report.actor_with_type))
    measures.add_row("mode, where gold gives one and the type is found", str(report.mode))
    if report.has_exhaustive:
        measures.add_row("precision of our types (fully coded sentences)", str(report.precision))
    if report.negatives.n:
        measures.add_row("false-positive rate on sentences with no event", str(report.negatives))
        left_alone = Ratio(report.negatives.n - report.negatives.ok, report.negatives.n)
        measures.add_row("  sentences with no event where we coded none", str(left_alone))
    console.print(measures)
    types = Table(title="Per type")
    for name in ("type", "gold", "found", "recall", "actor ok"):
        types.add_column(name, justify="left" if name == "type" else "right")
    if report.has_exhaustive:
        types.add_column("ours", justify="right")
        types.add_column("precision", justify="right")
    for row in report.rows.values():
        if not row.gold and not row.predicted:
            continue
        cells = [row.event_type, str(row.gold), str(row.found), fmt(row.recall),
                 f"{row.actor_ok}/{row.actor_gold}"]
        if report.has_exhaustive:
            cells += [str(row.predicted), fmt(row.precision)]
        types.add_row(*cells)
    console.print(types)
    gold_rows = [t for t in EVENT_TYPES if report.rows[t].gold]
    if gold_rows:
        console.print(confusion_table(report.confusion, gold_rows,
                                      "Confusion: gold type vs ours (the gold type if found, "
                                      "else our most confident, else NONE)"))
    console.print(failures_table(report.disagreements))

