"""Every error leaves the API as ``{"error": "..."}`` with its status: one line naming the
parameter (or resource) and the problem."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..store import StoreError

log = logging.getLogger("eventscope.api")


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


def error_response(
    status: int, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    """FastAPI's first complaint as ``limit '0': Input should be ...``."""
    first: dict[str, Any] = exc.errors()[0]
    name = str(first["loc"][-1]) if first.get("loc") else "request"
    value = first.get("input")
    shown = f" {value!r}" if isinstance(value, str | int | float) else ""
    return f"{name}{shown}: {first.get('msg', 'invalid')}"


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(400, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"{request.url.path}: no such page or endpoint"
        elif exc.status_code == 405:
            message = f"{request.method} {request.url.path}: method not allowed"
        return error_response(exc.status_code, message, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Still JSON, still one line; the traceback goes to the server's log.
        log.exception("%s %s failed", request.method, request.url.path)
        return error_response(500, f"internal error: {type(exc).__name__}: {exc}")

    @app.exception_handler(StoreError)
    async def store_error(_: Request, exc: StoreError) -> JSONResponse:
        # The database is busy or broken: the request was fine, the server cannot serve it.
        return error_response(503, str(exc))
