"""A page of events as JSON records, GeoJSON or CSV (the exporters' own formats)."""

from __future__ import annotations

import io
import json

from fastapi.responses import Response

from ..export import feature, write_csv
from ..record import Event
from .models import EventPage

MEDIA_TYPES = {
    "json": "application/json",
    "geojson": "application/geo+json",
    "csv": "text/csv; charset=utf-8",
}


def render_page(page: list[Event], next_cursor: str | None, fmt: str) -> Response:
    """``page`` in ``fmt``; the next page's cursor rides in the X-Next-Cursor header too,
    since a CSV body has nowhere to put it."""
    headers = {"X-Next-Cursor": next_cursor} if next_cursor else {}
    if fmt == "geojson":
        collection = {"type": "FeatureCollection", "features": [feature(e) for e in page],
                      "next_cursor": next_cursor}
        body = json.dumps(collection, ensure_ascii=False)
    elif fmt == "csv":
        out = io.StringIO()
        write_csv(page, out)
        body = out.getvalue()
    else:
        body = EventPage(events=page, next_cursor=next_cursor).model_dump_json()
    return Response(body, media_type=MEDIA_TYPES[fmt], headers=headers)
