"""The HTTP API over the store (FastAPI), and the page it serves at ``/``."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
