"""One Filter for every query path: CLI options, export, and the HTTP API."""

from __future__ import annotations

from dataclasses import dataclass, field


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
