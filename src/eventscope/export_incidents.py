"""Incidents as JSONL, CSV, GeoJSON (one point per incident) or a table: the incident
counterpart of :mod:`eventscope.export`."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from typing import IO, Any

from rich.console import Console
from rich.table import Table

from .export import _csv_value
from .store.incidents import Incident

COLUMNS = tuple(Incident.__dataclass_fields__)


def write_jsonl(found: Iterable[Incident], out: IO[str]) -> int:
    n = 0
    for incident in found:
        out.write(incident.to_json() + "\n")
        n += 1
    return n


def write_csv(found: Iterable[Incident], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    n = 0
    for incident in found:
        writer.writerow({k: _csv_value(v) for k, v in incident.as_dict().items()})
        n += 1
    return n


def feature(incident: Incident) -> dict[str, Any]:
    geometry = None
    if incident.lat is not None and incident.lon is not None:
        geometry = {"type": "Point", "coordinates": [incident.lon, incident.lat]}
    return {"type": "Feature", "id": incident.id, "geometry": geometry,
            "properties": incident.as_dict()}


def write_geojson(found: Iterable[Incident], out: IO[str]) -> int:
    out.write('{"type": "FeatureCollection", "features": [')
    n = 0
    for n, incident in enumerate(found, start=1):
        out.write(("\n" if n == 1 else ",\n") + json.dumps(feature(incident),
                                                         ensure_ascii=False))
    out.write("\n]}\n")
    return n


def print_table(found: Iterable[Incident], console: Console | None = None,
                width: int = 200) -> int:
    console = console or Console(width=width)
    table = Table(show_lines=False)
    for name in ("incident", "type", "date", "where", "actor", "events", "articles",
                 "sources", "seen"):
        table.add_column(name)
    n = 0
    for i in found:
        n += 1
        where = ", ".join(x for x in (i.location_name, i.country) if x)
        seen = i.first_seen or ""
        if i.last_seen and i.last_seen != i.first_seen:
            seen += f" .. {i.last_seen}"
        table.add_row(i.id, i.event_type, i.date or "", where, i.actor_name or "",
                      str(i.n_events), str(i.n_articles), str(i.n_sources), seen)
    console.print(table)
    return n


WRITERS: dict[str, Callable[[Iterable[Incident], IO[str]], int]] = {
    "jsonl": write_jsonl, "csv": write_csv, "geojson": write_geojson,
}
FORMATS = ("table", *WRITERS)
