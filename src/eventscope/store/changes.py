"""The edit log: every change to stored events and incidents, with a database version.

A writing transaction takes the next database version on its first change (the writer
holds SQLite's write lock, so versions never repeat and always increase) and logs each
change under it: an event or incident ``added``, ``changed`` (with the fields that
changed), ``merged`` (into another incident) or ``removed``. The log is written in the
same transaction as the change it describes, so a kill leaves both or neither.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import Connection, func, insert, select

from .. import __version__
from .schema import changes


@cache
def coder_version() -> str:
    """The package version and a digest of the coder's data (lexicons, dictionaries,
    models): a new lexicon is a new coder even under the same release number."""
    digest = hashlib.sha256()
    root = resources.files("eventscope")
    for folder in ("coder/data", "geo/data"):
        base = root.joinpath(folder)
        if not base.is_dir():
            continue
        for item in sorted(base.iterdir(), key=lambda t: t.name):
            if item.is_file():
                digest.update(item.name.encode())
                digest.update(item.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:10]}"


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def latest_version(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(changes.c.version), 0))).scalar_one())


class ChangeLog:
    """The changes of one writing transaction, all under one new database version."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._version: int | None = None
        self._at = now_iso()
        self._pending: list[dict[str, Any]] = []

    @property
    def version(self) -> int:
        if self._version is None:
            self._version = latest_version(self.conn) + 1
        return self._version

    def log(self, kind: str, op: str, key: str, detail: Any = None) -> None:
        """Note a change; :meth:`flush` writes what was noted (in the same transaction)."""
        self._pending.append({
            "version": self.version, "kind": kind, "op": op, "id": key,
            "detail": None if detail is None else json.dumps(detail, sort_keys=True),
            "coder_version": coder_version(), "at": self._at,
        })

    def flush(self) -> None:
        if self._pending:
            self.conn.execute(insert(changes), self._pending)
            self._pending = []


@dataclass(frozen=True)
class Change:
    version: int
    kind: str
    op: str
    id: str
    detail: Any
    coder_version: str
    at: str

    def as_dict(self) -> dict[str, Any]:
        return {"version": self.version, "kind": self.kind, "op": self.op, "id": self.id,
                "detail": self.detail, "coder_version": self.coder_version, "at": self.at}


def read_changes(conn: Connection, since_version: int, limit: int | None = None) -> list[Change]:
    """The changes after ``since_version``, oldest first."""
    c = changes.c
    statement = select(c.version, c.kind, c.op, c.id, c.detail, c.coder_version, c.at).where(
        c.version > since_version).order_by(c.seq)
    if limit is not None:
        statement = statement.limit(limit)
    return [Change(version=r.version, kind=r.kind, op=r.op, id=r.id,
                   detail=json.loads(r.detail) if r.detail else None,
                   coder_version=r.coder_version, at=r.at)
            for r in conn.execute(statement)]


def changed_events(conn: Connection, since_version: int) -> dict[str, str]:
    """What happened to each event after ``since_version``, as seen now: ``added`` (new
    since), ``changed`` or ``removed``; one added and removed since is left out."""
    first: dict[str, str] = {}
    for key, op in conn.execute(select(changes.c.id, changes.c.op).where(
            changes.c.kind == "event", changes.c.version > since_version)
            .order_by(changes.c.seq)):
        first.setdefault(key, op)
    from .schema import events

    ids = list(first)
    present: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        present.update(conn.execute(select(events.c.event_id).where(
            events.c.event_id.in_(chunk))).scalars())
    out: dict[str, str] = {}
    for key, op in first.items():
        if key in present:
            out[key] = "added" if op == "added" else "changed"
        elif op != "added":
            out[key] = "removed"
    return out


def write_changed_events(store: Any, ops: dict[str, str], flt: Any, out: Any,
                         fmt: str) -> int:
    """The changed events (current records with ``op``; removed ones by id only) as
    jsonl, csv (eventscope's columns then ``op``) or geojson; how many rows."""
    import csv

    from ..export import COLUMNS, _csv_value, feature, flatten
    from .schema import events

    n = 0
    writer = None
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=[*COLUMNS, "op"], lineterminator="\r\n")
        writer.writeheader()
    elif fmt == "geojson":
        out.write('{"type": "FeatureCollection", "features": [')

    def emit(record: dict[str, Any], geo: dict[str, Any]) -> None:
        nonlocal n
        n += 1
        if writer is not None:
            writer.writerow({k: _csv_value(v) for k, v in record.items()})
        elif fmt == "geojson":
            out.write(("\n" if n == 1 else ",\n") + json.dumps(geo, ensure_ascii=False))
        else:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")

    present = sorted(k for k, op in ops.items() if op != "removed")
    for start in range(0, len(present), 500):
        chunk = present[start:start + 500]
        page = store._run(store._select_events(flt).where(events.c.event_id.in_(chunk))
                          .order_by(events.c.event_id))
        from .schema import event_from_row
        for row in page:
            event = event_from_row(row)
            op = ops[event.event_id]
            if fmt == "csv":
                emit(flatten(event) | {"op": op}, {})
            elif fmt == "geojson":
                geo = feature(event)
                geo["properties"]["op"] = op
                emit({}, geo)
            else:
                emit({"op": op, **event.model_dump(mode="json")}, {})
    for key in sorted(k for k, op in ops.items() if op == "removed"):
        if fmt == "geojson":
            emit({}, {"type": "Feature", "id": key, "geometry": None,
                      "properties": {"event_id": key, "op": "removed"}})
        else:
            emit({"event_id_cnty" if fmt == "csv" else "event_id": key, "op": "removed"}, {})
    if fmt == "geojson":
        out.write("\n]}\n")
    return n
