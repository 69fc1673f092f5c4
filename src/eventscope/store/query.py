"""A :class:`Filter` turned into SQL: the one place that knows what each filter means.

Used by every query path (CLI ``events``/``export``, the HTTP API, ``stats``), so a filter
means the same thing everywhere. Dialect-specific pieces (spatial index, full text) come
from the backend.
"""

from __future__ import annotations

import base64
import json

from sqlalchemy import ColumnElement, and_, or_

from .backend import Backend
from .filter import Filter
from .schema import events

e = events.c


def conditions(flt: Filter, backend: Backend) -> list[ColumnElement[bool]]:
    """WHERE conditions (ANDed) for ``flt``.

    - ``types``: any of the PLOVER types;
    - ``actor``: a country code matching actor or target country, or a case-insensitive
      substring of the actor's or target's name or text;
    - ``country``: the country of the event's location (ISO alpha-3);
    - ``sector``: the sector of the actor or the target;
    - ``since``/``until``: event date, inclusive;
    - ``bbox``/``near``: the event's coordinates (events without coordinates never match);
    - ``text``: every word in the evidence sentence or the article title (stemmed);
    - ``min_confidence``, ``hedged``, ``negated``: as named.
    """
    where: list[ColumnElement[bool]] = []
    if flt.types:
        where.append(e.event_type.in_(flt.types))
    if flt.actor:
        needle = flt.actor.strip()
        pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        code = needle.upper()
        where.append(or_(
            e.actor_country == code, e.target_country == code,
            *(col.ilike(pattern, escape="\\") for col in (
                e.actor_name, e.actor_text, e.target_name, e.target_text,
            )),
        ))
    if flt.country:
        where.append(e.country == flt.country.upper())
    if flt.sector:
        sector = flt.sector.upper()
        where.append(or_(e.actor_sector == sector, e.target_sector == sector))
    if flt.since:
        where.append(e.date >= flt.since)
    if flt.until:
        where.append(e.date <= flt.until)
    if flt.bbox:
        where.append(backend.bbox_clause(flt.bbox))
    if flt.near:
        where.append(backend.near_clause(*flt.near))
    if flt.text:
        where.append(backend.text_clause(flt.text))
    if flt.min_confidence is not None:
        where.append(e.confidence >= flt.min_confidence)
    if flt.hedged is not None:
        where.append(e.hedged == flt.hedged)
    if flt.negated is not None:
        where.append(e.negated == flt.negated)
    return where


# Pages are ordered by (date, event_id), undated events first; a cursor is the key of the
# last row of the previous page, so pages stay stable while new events arrive.


def encode_cursor(date: str | None, event_id: str) -> str:
    raw = json.dumps([date, event_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str | None, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        date, event_id = json.loads(raw)
        if not (date is None or isinstance(date, str)) or not isinstance(event_id, str):
            raise ValueError
    # a client's string: a JSON null or number (TypeError on unpacking) or one nested past
    # the parser's depth (RecursionError) is as much not a cursor as bad base64
    except (ValueError, TypeError, RecursionError):
        shown = cursor if len(cursor) <= 60 else cursor[:60] + "…"
        raise ValueError(f"cursor {shown!r}: not a cursor from a previous page") from None
    return date, event_id


def after_cursor(cursor: str, newest_first: bool = False) -> ColumnElement[bool]:
    """Rows after the cursor's in page order: (date, id) ascending with undated events
    first, or with ``newest_first`` descending with undated events last."""
    date, event_id = decode_cursor(cursor)
    if newest_first:
        if date is None:
            return and_(e.date.is_(None), e.event_id < event_id)
        return or_(e.date < date, and_(e.date == date, e.event_id < event_id),
                   e.date.is_(None))
    if date is None:
        return or_(and_(e.date.is_(None), e.event_id > event_id), e.date.is_not(None))
    return or_(e.date > date, and_(e.date == date, e.event_id > event_id))
