"""One Filter for every query path: CLI options, export, and the HTTP API."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..record import EVENT_TYPES, SECTORS


@dataclass(frozen=True)
class Filter:
    """What a user narrows events by. ``None`` (or empty) means "no constraint"."""

    types: tuple[str, ...] = field(default_factory=tuple)
    actor: str | None = None  # name (substring) or country code of actor or target
    country: str | None = None  # ISO3 of the event location
    sector: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    bbox: tuple[float, float, float, float] | None = None  # minlon, minlat, maxlon, maxlat
    near: tuple[float, float, float] | None = None  # lat, lon, km
    text: str | None = None  # full text over evidence sentence and article title
    min_confidence: float | None = None
    hedged: bool | None = None
    negated: bool | None = None

    @classmethod
    def parse(
        cls,
        *,
        types: Iterable[str] = (),
        actor: str | None = None,
        country: str | None = None,
        sector: str | None = None,
        since: str | None = None,
        until: str | None = None,
        bbox: str | None = None,
        near: str | None = None,
        text: str | None = None,
        min_confidence: str | float | None = None,
        hedged: str | bool | None = None,
        negated: str | bool | None = None,
    ) -> Filter:
        """A Filter from the strings a user typed (CLI options or query parameters).

        Raises ValueError whose message names the parameter and the value, e.g.
        ``bbox '10,20': expected minlon,minlat,maxlon,maxlat``.
        """
        since_d, until_d = parse_date("since", since), parse_date("until", until)
        if since_d and until_d and since_d > until_d:
            raise ValueError(f"since {since_d!r} is after until {until_d!r}")
        return cls(
            types=parse_types(types),
            actor=_clean(_no_controls("actor", actor)),
            country=parse_code("country", country),
            sector=parse_sector(sector),
            since=since_d,
            until=until_d,
            bbox=parse_bbox(bbox),
            near=parse_near(near),
            text=_clean(_no_controls("text", text)),
            min_confidence=parse_confidence(min_confidence),
            hedged=parse_bool("hedged", hedged),
            negated=parse_bool("negated", negated),
        )


def _no_controls(name: str, value: str | None) -> str | None:
    """``value`` unless it holds a control character (a NUL ends a full-text query early
    in SQLite; no one types the others), which is refused naming the parameter."""
    if value is not None:
        bad = next((c for c in value if ord(c) < 32 and c not in "\t\n\r" or c == "\x7f"),
                   None)
        if bad is not None:
            raise ValueError(f"{name} {value[:40]!r}: contains a control character "
                             f"(U+{ord(bad):04X})")
        # a command-line argument that was not UTF-8 arrives with its bytes as surrogates
        if any("\ud800" <= c <= "\udfff" for c in value):
            raise ValueError(f"{name} {value[:40]!r}: is not valid UTF-8 text")
    return value


def _clean(value: str | None) -> str | None:
    value = value.strip() if value is not None else None
    return value or None


def _floats(name: str, value: str, expected: str, count: int) -> list[float]:
    parts = value.split(",")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) != count or not all(math.isfinite(n) for n in numbers):
        raise ValueError(f"{name} {value!r}: expected {expected}")
    return numbers


def _check_lat_lon(name: str, value: str, lat: float, lon: float) -> None:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"{name} {value!r}: latitude must be in -90..90, longitude in -180..180")


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """``minlon,minlat,maxlon,maxlat`` (GeoJSON order), e.g. ``35.5,34.5,36.5,35.8``."""
    if value is None or not value.strip():
        return None
    expected = "minlon,minlat,maxlon,maxlat (four numbers)"
    minlon, minlat, maxlon, maxlat = _floats("bbox", value, expected, 4)
    _check_lat_lon("bbox", value, minlat, minlon)
    _check_lat_lon("bbox", value, maxlat, maxlon)
    if minlon > maxlon or minlat > maxlat:
        raise ValueError(f"bbox {value!r}: min must not exceed max (minlon,minlat,maxlon,maxlat)")
    return minlon, minlat, maxlon, maxlat


def parse_near(value: str | None) -> tuple[float, float, float] | None:
    """``lat,lon,km``, e.g. ``34.89,35.89,25`` for 25 km around Tartus."""
    if value is None or not value.strip():
        return None
    lat, lon, km = _floats("near", value, "lat,lon,km (three numbers)", 3)
    _check_lat_lon("near", value, lat, lon)
    if km <= 0:
        raise ValueError(f"near {value!r}: the radius in km must be positive")
    return lat, lon, km


def parse_date(name: str, value: str | None) -> str | None:
    """An ISO date (``2024-12-16``); a month (``2024-12``) or year (``2024``) stands for its
    first day as ``since`` and its last day as ``until``."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 4:
            day = dt.date(int(text), 12, 31) if name == "until" else dt.date(int(text), 1, 1)
        elif len(text) == 7:
            first = dt.date.fromisoformat(text + "-01")
            last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            day = last - dt.timedelta(days=1) if name == "until" else first
        else:
            day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{name} {value!r}: expected a date like 2024-12-16") from None
    return day.isoformat()


def parse_types(values: Iterable[str]) -> tuple[str, ...]:
    """PLOVER types, case-insensitive; each value may also be comma-separated."""
    types: list[str] = []
    for value in values:
        for part in value.split(","):
            code = part.strip().upper()
            if not code:
                continue
            if code not in EVENT_TYPES:
                raise ValueError(
                    f"type {part.strip()!r}: not a PLOVER type (one of {', '.join(EVENT_TYPES)})"
                )
            if code not in types:
                types.append(code)
    return tuple(types)


def parse_code(name: str, value: str | None) -> str | None:
    """A country code (ISO 3166-1 alpha-3, or an IGO code such as NATO)."""
    code = _clean(value)
    if code is None:
        return None
    if not code.isalpha() or not 2 <= len(code) <= 5:
        raise ValueError(f"{name} {value!r}: expected a code such as SYR (ISO 3166-1 alpha-3)")
    return code.upper()


def parse_sector(value: str | None) -> str | None:
    code = _clean(value)
    if code is None:
        return None
    if code.upper() not in SECTORS:
        raise ValueError(f"sector {value!r}: expected one of {', '.join(SECTORS)}")
    return code.upper()


def parse_confidence(value: str | float | None) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"min_confidence {value!r}: expected a number from 0 to 1")
    return number


_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


def parse_bool(name: str, value: str | bool | None) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = value.strip().lower()
    if not text:
        return None
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ValueError(f"{name} {value!r}: expected true or false")
