"""The bodies of the incident and edit-log commands (``incidents``, ``recode``,
``export --since-version``), kept beside cli.py so that it stays a list of options."""

from __future__ import annotations

import sys
from pathlib import Path

from .cli import Capped, fail, warn
from .export_incidents import FORMATS, WRITERS, print_table
from .store import Store, StoreError
from .store.filter import Filter
from .store.incidents import (
    assign_unassigned,
    count_incidents,
    iter_incidents,
    unassigned,
)


def open_with_incidents(db: str | Path) -> Store:
    """The store, read-only, after putting events stored before incidents existed into
    incidents (which needs one writable opening, as an upgrade does)."""
    try:
        store = Store(db, create=False, read_only=True)
        missing = unassigned(store)
    except StoreError as exc:
        message = str(exc)
        older = "schema version" in message or "no such column" in message or (
            "column" in message and "does not exist" in message)  # SQLite's, PostgreSQL's
        if not older:
            fail(str(exc))
        missing = 1  # an older schema: the writable opening below upgrades it
    if missing:
        try:
            store = Store(db, create=False)
            done = assign_unassigned(store)
        except StoreError as exc:
            fail(f"{exc} (events stored before incidents existed need one writable "
                 "opening to be grouped)")
        if done:
            warn(f"grouped {done} events stored before incidents into incidents")
    return store


def show_incidents(db: str | Path, flt: Filter, *, min_sources: int | None, fmt: str,
                   limit: int) -> None:
    if fmt not in FORMATS:
        fail(f"--format {fmt!r}: expected one of {', '.join(FORMATS)}")
    store = open_with_incidents(db)
    try:
        stream = Capped(iter_incidents(store, flt, min_sources=min_sources,
                                       page_size=min(limit + 1, 1000)), limit)
        shown = print_table(stream) if fmt == "table" else WRITERS[fmt](stream, sys.stdout)
        more = stream.more
        total = count_incidents(store, flt, min_sources=min_sources) if more else shown
    except StoreError as exc:
        fail(str(exc))
    finally:
        store.close()
    if more:
        warn(f"showing {shown} of {total} incidents; raise --limit for more")


def run_recode(db: str | Path, since: str | None, flt: Filter, *, n_process: int,
               model: str | None, budget: float) -> None:
    import typer

    from .ingest.run import pipeline_processor
    from .store.recode import RecodeSummary, recode

    store = open_with_incidents(db)
    store.close()
    try:
        store = Store(db, create=False)
    except StoreError as exc:
        fail(str(exc))

    def progress(summary: RecodeSummary) -> None:
        if summary.articles % 100 == 0:
            typer.echo(f"  {summary.articles} articles re-coded", err=True)

    try:
        summary = recode(store, pipeline_processor(n_process, model, None, budget),
                         since=since, flt=flt if flt != Filter() else None,
                         on_article=progress)
    except StoreError as exc:
        fail(str(exc))
    finally:
        store.close()
    if summary.resumed_after:
        warn(f"resumed an interrupted recode after article {summary.resumed_after!r}")
    for message in summary.skipped:
        warn(f"skipped {message} (its events are as they were)")
    typer.echo(f"articles: {summary.articles} re-coded; events: {summary.added} added, "
               f"{summary.changed} changed, {summary.removed} removed, {summary.unchanged} "
               f"unchanged")


# -- versioned exports ------------------------------------------------------------------------


def export_since_version(store: Store, out: Path, fmt: str, since_version: int,
                         flt: Filter) -> int:
    """Write the events changed after ``since_version`` with their operation; how many."""
    from .store.changes import changed_events, latest_version

    if fmt not in ("jsonl", "csv", "geojson"):
        fail(f"--since-version: give --format jsonl, csv or geojson (not {fmt})")
    try:
        with store.engine.connect() as conn:
            latest = latest_version(conn)
            if since_version > latest:
                fail(f"--since-version {since_version}: beyond the latest version of "
                     f"{store.backend.label} ({latest}); nothing has changed after it")
            ops = changed_events(conn, since_version)
    except StoreError as exc:
        fail(str(exc))
    from .store.changes import write_changed_events

    if str(out) == "-":
        return write_changed_events(store, ops, flt, sys.stdout, fmt)
    tmp = out.with_name(out.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        n = write_changed_events(store, ops, flt, handle, fmt)
    tmp.replace(out)
    return n


def write_manifest(store: Store, out: Path, fmt: str, flt: Filter,
                   since_version: int | None, rows: int) -> Path:
    """``OUT.manifest.json`` beside an export: what it holds and from which database."""
    import dataclasses
    import datetime as dt
    import hashlib
    import json

    from .store.changes import coder_version, latest_version
    from .store.schema import SCHEMA_VERSION

    digest = hashlib.sha256()
    with out.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    with store.engine.connect() as conn:
        version = latest_version(conn)
    filters = {k: v for k, v in dataclasses.asdict(flt).items() if v not in (None, (), [])}
    manifest = {
        "file": out.name, "format": fmt, "rows": rows, "sha256": digest.hexdigest(),
        "database_version": version, "coder_version": coder_version(),
        "schema_version": SCHEMA_VERSION, "filters": filters,
        "since_version": since_version,
        "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    path = out.with_name(out.name + ".manifest.json")
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return path
