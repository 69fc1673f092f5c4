"""What every gold kind shares: reading gold JSONL, ratios and disagreements, running the
extractor over the gold texts, and the printed tables."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ..budget import Skipped
from ..record import EVENT_TYPES, Actor, Article, Event

NONE = "NONE"  # the confusion-matrix column for "we coded no event"


# --- gold records -----------------------------------------------------------------------


@dataclass(frozen=True)
class GoldIssue:
    """A gold line that was skipped, and why."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


T = TypeVar("T")


@dataclass(frozen=True)
class GoldSet(Generic[T]):
    """The usable records of a gold file and the lines that were skipped."""

    path: Path
    items: list[T]
    issues: list[GoldIssue]


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any] | GoldIssue]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, GoldIssue(number, f"not valid JSON ({exc.msg})")
                continue
            if not isinstance(row, dict):
                yield number, GoldIssue(number, "not a JSON object")
                continue
            yield number, row


def text_field(row: dict[str, Any], name: str) -> str:
    value = row.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"missing field {name!r}")
    return value


def load_gold(path: Path, parse: Any) -> GoldSet[Any]:
    items: list[Any] = []
    issues: list[GoldIssue] = []
    for line, row in read_jsonl(path):
        if isinstance(row, GoldIssue):
            issues.append(row)
            continue
        try:
            items.append(parse(row, line))
        except ValueError as exc:
            issues.append(GoldIssue(line, str(exc)))
    return GoldSet(path=path, items=items, issues=issues)


# --- shared pieces of the reports -------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """Why a gold record and our coding disagree: a short code (for tallies) and a detail."""

    code: str
    detail: str


@dataclass(frozen=True)
class Disagreement:
    id: str
    text: str
    gold: str
    ours: list[str]
    why: list[Reason]


@dataclass(frozen=True)
class Ratio:
    ok: int
    n: int

    @property
    def value(self) -> float | None:
        return self.ok / self.n if self.n else None

    def __str__(self) -> str:
        return "n/a" if not self.n else f"{self.value:.3f} ({self.ok}/{self.n})"


def counted(events: Sequence[Event]) -> list[Event]:
    """The events that code something as having happened: all but negated records."""
    return [e for e in events if not e.negated]


def top_event(events: Sequence[Event]) -> Event | None:
    """Our highest-confidence event (the first in text order on ties)."""
    usable = counted(events)
    return max(usable, key=lambda e: e.confidence) if usable else None


def actor_str(actor: Actor | None) -> str:
    if actor is None:
        return "-"
    code = "/".join(x or "?" for x in (actor.country, actor.sector))
    return f"{actor.text!r} {code}"


def describe(event: Event) -> str:
    """One line per event for the disagreements file."""
    parts = [event.event_type + (f"/{event.mode}" if event.mode else "")]
    parts.append(f"actor {actor_str(event.actor)}")
    if event.target is not None:
        parts.append(f"target {actor_str(event.target)}")
    if event.location is not None:
        loc = event.location
        where = f"{loc.text!r}"
        if loc.lat is not None and loc.lon is not None:
            where += f" ({loc.lat:.3f}, {loc.lon:.3f})"
        parts.append(f"at {where}")
    if event.date:
        parts.append(f"on {event.date}")
    flags = [f for f in ("negated", "hedged") if getattr(event, f)]
    parts.append(f"trigger {event.evidence.trigger!r}")
    parts.append(f"conf {event.confidence:.2f}" + (f" [{', '.join(flags)}]" if flags else ""))
    return "; ".join(parts)


def reason_tally(disagreements: Iterable[Disagreement]) -> Counter[str]:
    return Counter(r.code for d in disagreements for r in d.why)


# --- running the extractor --------------------------------------------------------------

def run_extraction(
    articles: Sequence[Article],
    *,
    n_process: int = 2,
    model: str | None = None,
    console: Console | None = None,
) -> list[list[Event]]:
    """Our events for each article, in order: one model load, ``n_process`` workers, and a
    progress bar on ``console`` (stderr by default)."""
    from ..pipeline import process_many  # the whole NLP stack: only when extraction runs

    if not articles:
        return []
    stream = process_many(articles, n_process=n_process, model=model)
    # The workers fork on the first result: take it before the bar starts its refresh
    # thread, so no child inherits a lock held by that thread.
    results: list[list[Event]] = [_events_or_none(*next(stream))]
    columns = (TextColumn("extracting"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=console or Console(stderr=True), transient=True) as bar:
        task = bar.add_task("extracting", total=len(articles), completed=1)
        for article, events in stream:
            results.append(_events_or_none(article, events))
            bar.advance(task)
    return results


def _events_or_none(article: Article, events: list[Event] | Skipped) -> list[Event]:
    """An article skipped over the time budget is scored as coded with no events (the
    user would have none of it either), and said on stderr."""
    if isinstance(events, Skipped):
        print(f"eventscope: warning: {article.source}: skipped, {events.reason}",
              file=sys.stderr)
        return []
    return events


# --- printing and the disagreements file ------------------------------------------------


def fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _abbrev(event_type: str) -> str:
    return event_type[:4]


def confusion_table(
    confusion: Counter[tuple[str, str]], rows: Sequence[str], title: str
) -> Table:
    """Gold labels down, our types (4-letter abbreviations) and NONE across."""
    columns = [t for t in (*EVENT_TYPES, NONE) if any(confusion[r, t] for r in rows)]
    table = Table(title=title, show_lines=False, pad_edge=False)
    table.add_column("gold \\ ours")
    for column in columns:
        table.add_column(_abbrev(column), justify="right")
    for gold in rows:
        cells = []
        for column in columns:
            count = confusion[gold, column]
            cells.append("." if not count else
                         f"[bold]{count}[/bold]" if gold == column else str(count))
        table.add_row(gold, *cells)
    return table


def failures_table(disagreements: Sequence[Disagreement]) -> Table:
    table = Table(title="Disagreements by reason")
    table.add_column("reason")
    table.add_column("count", justify="right")
    for code, count in reason_tally(disagreements).most_common():
        table.add_row(code, str(count))
    return table


def write_disagreements(path: Path, title: str, disagreements: Sequence[Disagreement]) -> None:
    """A markdown file a person can read through: id, text, gold, ours, why. Written to a
    temporary name first, so a failed run leaves no half-written file."""
    lines = [f"# {title}", "", f"{len(disagreements)} records disagree.", ""]
    tally = reason_tally(disagreements)
    lines += [f"- {code}: {count}" for code, count in tally.most_common()] + [""]
    for d in disagreements:
        lines += [f"## {d.id}", "", f"> {d.text}", "", f"- **gold**: {d.gold}"]
        if d.ours:
            lines.append("- **ours**:")
            lines += [f"  - {line}" for line in d.ours]
        else:
            lines.append("- **ours**: no event")
        lines.append("- **why**:")
        lines += [f"  - {r.code}: {r.detail}" for r in d.why]
        lines.append("")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    tmp.replace(path)
