"""``/api/incidents`` and ``/api/changes``: incidents (all reports of one real-world event)
and the edit log, over the same store and filters as ``/api/events``."""

from __future__ import annotations

import io
import json
from typing import Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import Response
from sqlalchemy.exc import SQLAlchemyError

from ..export_incidents import write_csv, write_geojson
from ..store import Store
from ..store.changes import latest_version, read_changes
from ..store.filter import Filter
from ..store.incidents import get_incident, page_incidents
from .errors import ApiError
from .formats import MEDIA_TYPES
from .models import ErrorBody
from .params import FILTER_PARAMS, check_known, event_filter

INCIDENT_PARAMS = FILTER_PARAMS | {"limit", "cursor", "format", "min_sources"}
MAX_LIMIT = 5000


def _json(body: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def add_incident_routes(app: FastAPI, store: Store) -> None:
    @app.get("/api/incidents", tags=["incidents"], responses={
        400: {"model": ErrorBody},
        200: {"content": {MEDIA_TYPES["geojson"]: {}, MEDIA_TYPES["csv"]: {}}}})
    def list_incidents(
        request: Request,
        flt: Filter = Depends(event_filter),
        min_sources: int | None = Query(None, ge=1, description="At least N outlets."),
        limit: int = Query(100, ge=1, le=MAX_LIMIT, description="Incidents per page."),
        cursor: str | None = Query(None, description="`next_cursor` of the previous page."),
        format: Literal["json", "geojson", "csv"] = Query(
            "json", description="json, geojson (one point per incident) or csv."),
    ) -> Response:
        """A page of incidents, by date then id, that have an event matching the filters
        (those of `/api/events`) and at least `min_sources` outlets."""
        check_known(request, INCIDENT_PARAMS)
        try:
            page, next_cursor = page_incidents(store, flt, min_sources=min_sources,
                                               limit=limit, cursor=cursor)
        except ValueError as exc:
            raise ApiError(400, str(exc)) from None
        headers = {"X-Next-Cursor": next_cursor} if next_cursor else None
        if format == "json":
            body = {"incidents": [i.as_dict() for i in page], "next_cursor": next_cursor}
            return _json(json.dumps(body, ensure_ascii=False), headers=headers)
        out = io.StringIO()
        (write_csv if format == "csv" else write_geojson)(page, out)
        return Response(out.getvalue(), media_type=MEDIA_TYPES[format], headers=headers)

    @app.get("/api/incidents/{incident_id}", tags=["incidents"],
             responses={404: {"model": ErrorBody}})
    def one_incident(incident_id: str) -> Response:
        """One incident with its events (article by article) and its articles, each with
        every place its text was seen."""
        detail = get_incident(store, incident_id)
        if detail is None:
            raise ApiError(404, f"incident {incident_id!r}: no such incident")
        return _json(json.dumps(detail.as_dict(), ensure_ascii=False))

    @app.get("/api/changes", tags=["changes"], responses={400: {"model": ErrorBody}})
    def changes(
        request: Request,
        since_version: int = Query(0, ge=0, description="Changes after this version."),
        limit: int = Query(1000, ge=1, le=MAX_LIMIT),
    ) -> Response:
        """The edit log after `since_version`: each event or incident added, changed (with
        the changed fields), merged or removed, with its database version, the coder's
        version and the time. `latest_version` is the database's version now."""
        check_known(request, frozenset({"since_version", "limit"}))
        try:
            with store.engine.connect() as conn:
                latest = latest_version(conn)
                if since_version > latest:
                    raise ApiError(400, f"since_version {since_version}: beyond the latest "
                                   f"version of this database ({latest})")
                found = read_changes(conn, since_version, limit)
        except SQLAlchemyError as exc:
            raise store.backend.error(exc) from None
        return _json(json.dumps({"latest_version": latest,
                                 "changes": [c.as_dict() for c in found]}))
