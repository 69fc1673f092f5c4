"""Whether two coded events report the same real-world incident, as a careful analyst
would judge it: compatible types, dates and places within their precisions, no clash of
countries, and enough shared names and figures in the reports' words.

The judgement is a pure, symmetric function of the two events (:func:`same_incident`), so
the incidents built from it (connected events, see :mod:`eventscope.store.incidents`) do
not depend on the order the articles arrived in. The rules are data
(``data/incidents.yaml``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..geodesy import haversine_km
from ..record import Event

# Spans of the dates the matcher uses, in days before and after the date given. A "week"
# date is the fallback the coder gives an undated sentence (its article's date): the event
# happened in the days before it.
_SPAN: dict[str, tuple[int, int]] = {"day": (0, 0), "week": (6, 0)}


@dataclass(frozen=True)
class MatchRules:
    families: dict[str, frozenset[str]]
    date_slack_days: int
    km_by_precision: dict[int, float]
    min_names: int
    min_overlap: float
    close_min_names: int
    close_min_overlap: float
    key_chars: int
    # Reports sharing this many names (and this overlap) are one incident even days apart
    # (a follow-up: the arrest, the funeral) and with places up to strong_km apart.
    strong_names: int = 3
    strong_overlap: float = 0.4
    strong_slack_days: int = 14
    strong_km: float = 100.0
    # Events of one article join when their types are compatible and their dates within
    # this many days (the rest of a report is mostly about its one incident).
    article_slack_days: int = 1
    # Whether the words of the events' places count as shared names.
    place_names_count: bool = False

    @property
    def max_km(self) -> float:
        return max(self.km_by_precision.values())

    def reach_km(self, precision: int | None) -> float:
        """How far from an event a report of its incident may be placed."""
        return max(self.km_by_precision.get(precision or 3, self.max_km), self.strong_km)

    @property
    def reach_days(self) -> int:
        return max(self.date_slack_days, self.strong_slack_days)

    def compatible_types(self, event_type: str) -> frozenset[str]:
        """The types an event of ``event_type`` may share an incident with (itself too)."""
        out = {event_type}
        for members in self.families.values():
            if event_type in members:
                out |= members
        return frozenset(out)

    def with_thresholds(self, **changes: Any) -> MatchRules:
        from dataclasses import replace
        return replace(self, **changes)


@cache
def default_rules() -> MatchRules:
    raw = yaml.safe_load(
        resources.files("eventscope.store").joinpath("data/incidents.yaml").read_text("utf-8"))
    close = raw["same_place_day"]
    return MatchRules(
        families={name: frozenset(types) for name, types in raw["families"].items()},
        date_slack_days=int(raw["date_slack_days"]),
        km_by_precision={int(k): float(v) for k, v in raw["km_by_precision"].items()},
        min_names=int(raw["min_names"]), min_overlap=float(raw["min_overlap"]),
        close_min_names=int(close["min_names"]), close_min_overlap=float(close["min_overlap"]),
        key_chars=int(raw["key_chars"]),
        strong_names=int(raw["strong"]["min_names"]),
        strong_overlap=float(raw["strong"]["min_overlap"]),
        strong_slack_days=int(raw["strong"]["date_slack_days"]),
        strong_km=float(raw["strong"]["km"]),
        article_slack_days=int(raw["article_slack_days"]),
        place_names_count=bool(raw["place_names_count"]),
    )


# -- the words: names and figures -------------------------------------------------------

# Capitalised words that name nothing in particular: they are in every report (function
# words capitalised in titles, days, months, ranks, generic place and news words).
_COMMON_CAPITALISED = frozenset("""
the a an and or but of in on at to for from with by as into over after before about
this that these those his her its their our your my he she it they we you who what when
where why how which there here than then also not no yes all any some one two three four
five six seven eight nine ten first second third last next will would could should can
may might must has have had was were are been being be is do did does said say says""")
_COMMON_CAPITALISED = _COMMON_CAPITALISED | frozenset("""
monday tuesday wednesday thursday friday saturday sunday january february march april may
june july august september october november december police officer officers sheriff
department county city street avenue road boulevard drive lane court place township
mr mrs ms dr news update updated breaking video photo photos watch read more click share
comment comments copyright associated press reuters ap staff writer reporter chief sgt
lt capt detective detectives deputy deputies state district north south east west new
authorities investigators officials hospital medical center centre school high
community man woman boy girl people according said says told
""".split())

_WORD = re.compile(r"[A-Z][a-zA-Z'’-]{2,}")
_FIGURE = re.compile(r"\b(\d{1,3})(?:-year-old| years? old|,)|\b(?:age[sd]?) (\d{1,3})\b"
                     r"|\((\d{1,3})\)")
_SENTENCE_START = re.compile(r"(?:^|[.!?\n]\s*|[\"“]\s*)$")


_LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]{2,}\b")


def article_keys(title: str | None, text: str, key_chars: int, outlet: str | None = None,
                 url: str | None = None) -> frozenset[str]:
    """The names and figures (ages, counts) of an article's title and opening: what tells
    one report's incident from a look-alike's (the victim, the street, "a 23-year-old").
    A name is a capitalised word the article never writes in lower case (so the words of
    a title in title case, or a sentence's first word, are not names). The outlet's own
    name (in its name or web address) is no key: it tells nothing about the incident."""
    keys: set[str] = set()
    lower = {w.rstrip("'’-") for w in _LOWER_WORD.findall(text)}
    house = " ".join(x for x in (outlet, urlsplit(url).hostname if url else None) if x)
    house = house.casefold().replace("-", "")
    for part in (title or "", text[:key_chars]):
        for match in _WORD.finditer(part):
            word = match.group().rstrip("'’-").casefold()
            if word.endswith(("'s", "’s")):
                word = word[:-2]
            if (len(word) < 3 or word in _COMMON_CAPITALISED or word in lower
                    or word.replace("-", "") in house):
                continue
            # A capital after a full stop may be any word; the same word also written
            # in the middle of a sentence still counts (through its other occurrence).
            if _SENTENCE_START.search(part[max(0, match.start() - 3):match.start()]):
                continue
            keys.add(word)
        for match in _FIGURE.finditer(part):
            number = next(g for g in match.groups() if g)
            keys.add(f"#{int(number)}")
    return frozenset(keys)


# -- one event as the matcher sees it ---------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """What matching reads of one stored event."""

    pk: int
    event_id: str
    article_id: str
    event_type: str
    day_lo: int | None  # proleptic ordinal of the span's first day; None when undated
    day_hi: int | None
    exact_day: bool
    lat: float | None = None
    lon: float | None = None
    precision: int | None = None
    country: str | None = None
    admin1: str | None = None
    actor_country: str | None = None
    target_country: str | None = None
    keys: frozenset[str] = field(default_factory=frozenset)
    # The words of its place: shared by every report from there, so no evidence of one
    # incident (the place itself is compared by distance).
    place_words: frozenset[str] = field(default_factory=frozenset)

    @property
    def located(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def matchable(self) -> bool:
        """Dated to a day or a week: vaguer events stay incidents of their own."""
        return self.day_lo is not None


def day_span(date: str | None, precision: str | None) -> tuple[int, int] | None:
    if not date or precision not in _SPAN:
        return None
    try:
        day = dt.date.fromisoformat(date).toordinal()
    except ValueError:
        return None
    before, after = _SPAN[precision or "day"]
    return day - before, day + after


def profile_of(pk: int, event: Event, keys: frozenset[str]) -> Profile:
    span = day_span(event.date, event.date_precision)
    loc = event.location
    return Profile(
        pk=pk, event_id=event.event_id, article_id=event.article.article_id,
        event_type=event.event_type, day_lo=span[0] if span else None,
        day_hi=span[1] if span else None, exact_day=event.date_precision == "day",
        lat=loc.lat if loc else None, lon=loc.lon if loc else None,
        precision=loc.precision if loc else None, country=loc.country if loc else None,
        admin1=loc.admin1 if loc else None,
        actor_country=event.actor.country if event.actor else None,
        target_country=event.target.country if event.target else None, keys=keys,
        place_words=_place_words(loc.name, loc.text, loc.admin1) if loc else frozenset(),
    )


def _place_words(*names: str | None) -> frozenset[str]:
    return frozenset(w.casefold() for name in names if name
                     for w in re.findall(r"[\w'’-]{3,}", name))


# -- the judgement ----------------------------------------------------------------------


def _clash(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a != b


def _within(a: Profile, b: Profile, km: float) -> bool:
    if not (a.located and b.located):
        return True
    return haversine_km(a.lat or 0.0, a.lon or 0.0, b.lat or 0.0, b.lon or 0.0) <= km


def places_compatible(a: Profile, b: Profile, rules: MatchRules) -> bool:
    if _clash(a.country, b.country):
        return False
    if not (a.located and b.located):
        return True  # one report gives no place: the words must decide
    coarse = max(a.precision or 3, b.precision or 3)
    if coarse < 3 and _clash(a.admin1, b.admin1):
        return False
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    return haversine_km(a.lat, a.lon, b.lat, b.lon) <= rules.km_by_precision[coarse]


def day_gap(a: Profile, b: Profile) -> int | None:
    """Days between the two events' date spans (0 when they overlap); None if undated."""
    if a.day_lo is None or b.day_lo is None or a.day_hi is None or b.day_hi is None:
        return None
    return max(a.day_lo - b.day_hi, b.day_lo - a.day_hi, 0)


def dates_compatible(a: Profile, b: Profile, rules: MatchRules) -> bool:
    gap = day_gap(a, b)
    return gap is not None and gap <= rules.date_slack_days


def same_incident(a: Profile, b: Profile, rules: MatchRules) -> bool:
    """Whether ``a`` and ``b`` report one incident. Symmetric, and a function of the two
    events alone."""
    if b.event_type not in rules.compatible_types(a.event_type):
        return False
    if _clash(a.actor_country, b.actor_country) or _clash(a.target_country, b.target_country):
        return False
    if _clash(a.country, b.country):
        return False
    gap = day_gap(a, b)
    if gap is None:
        return False
    if a.article_id == b.article_id:
        # one report's words are its own: place, date and type decide
        return gap <= rules.article_slack_days and _within(a, b, rules.strong_km)
    places = frozenset() if rules.place_names_count else a.place_words | b.place_words
    shared = len((a.keys & b.keys) - places)
    smaller = min(len(a.keys - places), len(b.keys - places)) or 1
    if (shared >= rules.strong_names and shared / smaller >= rules.strong_overlap
            and gap <= rules.strong_slack_days and _within(a, b, rules.strong_km)):
        return True
    if gap > rules.date_slack_days or not places_compatible(a, b, rules):
        return False
    close = (a.exact_day and b.exact_day and a.day_lo == b.day_lo
             and a.event_type == b.event_type and a.located and b.located
             and (a.precision or 3) == 1 and (b.precision or 3) == 1
             and haversine_km(a.lat or 0.0, a.lon or 0.0, b.lat or 0.0, b.lon or 0.0)
             <= rules.km_by_precision[1])
    if close:
        return shared >= rules.close_min_names and shared / smaller >= rules.close_min_overlap
    return shared >= rules.min_names and shared / smaller >= rules.min_overlap


def profile_from_row(row: Any, keys: frozenset[str]) -> Profile:
    """The profile of a stored events row (pk, event_id, article_id, event_type, date,
    date_precision, lat, lon, precision, country, admin1, actor/target country)."""
    span = day_span(row.date, row.date_precision)
    return Profile(
        pk=row.pk, event_id=row.event_id, article_id=row.article_id,
        event_type=row.event_type, day_lo=span[0] if span else None,
        day_hi=span[1] if span else None, exact_day=row.date_precision == "day",
        lat=row.lat, lon=row.lon, precision=row.precision, country=row.country,
        admin1=row.admin1, actor_country=row.actor_country,
        target_country=row.target_country, keys=keys,
        place_words=_place_words(row.location_name, row.location_text, row.admin1),
    )
