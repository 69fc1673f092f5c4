"""The bodies of the incident and edit-log commands (``incidents``, ``recode``,
``export --since-version``), kept beside cli.py so that it stays a list of options."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from .cli import fail, warn
from .export_incidents import FORMATS, WRITERS, print_table
from .store import Store, StoreError
from .store.filter import Filter
from .store.incidents import (
    Incident,
    assign_unassigned,
    count_incidents,
    iter_incidents,
    unassigned,
)


def open_with_incidents(db: Path) -> Store:
    """The store, read-only, after putting events stored before incidents existed into
    incidents (which needs one writable opening, as an upgrade does)."""
    try:
        store = Store(db, create=False, read_only=True)
        missing = unassigned(store)
    except StoreError as exc:
        if "schema version" not in str(exc) and "no such column" not in str(exc):
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


def show_incidents(db: Path, flt: Filter, *, min_sources: int | None, fmt: str,
                   limit: int) -> None:
    if fmt not in FORMATS:
        fail(f"--format {fmt!r}: expected one of {', '.join(FORMATS)}")
    store = open_with_incidents(db)
    more = False

    def first(stream: Iterator[Incident]) -> Iterator[Incident]:
        nonlocal more
        for n, incident in enumerate(stream):
            if n == limit:
                more = True
                return
            yield incident

    try:
        stream = first(iter_incidents(store, flt, min_sources=min_sources,
                                      page_size=min(limit + 1, 1000)))
        shown = print_table(stream) if fmt == "table" else WRITERS[fmt](stream, sys.stdout)
        total = count_incidents(store, flt, min_sources=min_sources) if more else shown
    except StoreError as exc:
        fail(str(exc))
    finally:
        store.close()
    if more:
        warn(f"showing {shown} of {total} incidents; raise --limit for more")
