"""Query parameters shared by ``/api/events`` and ``/api/stats``, parsed into one Filter by
the store's own parser (so the CLI and the API accept the same values). An unknown
parameter is refused rather than ignored: a misspelt filter must not silently match
everything."""

from __future__ import annotations

from fastapi import Query, Request

from ..store.filter import Filter
from .errors import ApiError

FILTER_PARAMS = frozenset({
    "type", "actor", "country", "sector", "since", "until", "bbox", "near", "q",
    "min_confidence", "hedged", "negated",
})
EVENT_PARAMS = FILTER_PARAMS | {"limit", "cursor", "format", "order"}


def event_filter(
    types: list[str] = Query(
        [], alias="type", description="PLOVER type, e.g. ASSAULT; repeat or comma-separate."
    ),
    actor: str | None = Query(
        None, description="Actor or target: a country code (RUS) or part of a name."
    ),
    country: str | None = Query(None, description="ISO3 of the event's location, e.g. SYR."),
    sector: str | None = Query(None, description="Sector of actor or target, e.g. MIL."),
    since: str | None = Query(
        None, description="First date, inclusive: 2024-12-16, 2024-12, 2024."
    ),
    until: str | None = Query(
        None, description="Last date, inclusive: 2024-12-31, 2024-12, 2024."
    ),
    bbox: str | None = Query(None, description="minlon,minlat,maxlon,maxlat, e.g. 35,34,37,36."),
    near: str | None = Query(None, description="lat,lon,km, e.g. 34.89,35.89,25."),
    q: str | None = Query(
        None, description="Words that must all occur in the evidence or the article title."
    ),
    min_confidence: str | None = Query(None, description="0..1"),
    hedged: str | None = Query(None, description="true or false"),
    negated: str | None = Query(None, description="true or false"),
) -> Filter:
    try:
        return Filter.parse(
            types=types, actor=actor, country=country, sector=sector, since=since,
            until=until, bbox=bbox, near=near, text=q, min_confidence=min_confidence,
            hedged=hedged, negated=negated,
        )
    except ValueError as exc:
        message = str(exc)  # named as the Filter names it; here the text parameter is q
        raise ApiError(400, "q " + message[5:] if message.startswith("text ") else message
                       ) from None


def check_known(request: Request, allowed: frozenset[str]) -> None:
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise ApiError(
            400, f"unknown parameter {unknown[0]!r} (known: {', '.join(sorted(allowed))})"
        )


def filter_params(flt: Filter) -> str:
    """``flt`` as the query string that :func:`event_filter` reads back (the page applies a
    watchlist's filters with it)."""
    from urllib.parse import urlencode

    pairs: list[tuple[str, str]] = [("type", t) for t in flt.types]
    for name, value in (("actor", flt.actor), ("country", flt.country),
                        ("sector", flt.sector), ("since", flt.since), ("until", flt.until),
                        ("q", flt.text)):
        if value:
            pairs.append((name, value))
    for name, numbers in (("bbox", flt.bbox), ("near", flt.near)):
        if numbers:
            pairs.append((name, ",".join(f"{n:g}" for n in numbers)))
    if flt.min_confidence is not None:
        pairs.append(("min_confidence", f"{flt.min_confidence:g}"))
    for name, flag in (("hedged", flt.hedged), ("negated", flt.negated)):
        if flag is not None:
            pairs.append((name, "true" if flag else "false"))
    return urlencode(pairs)
