"""The analyst's page: static HTML/JS/CSS plus vendored libraries, served by the API."""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
INDEX_HTML = STATIC_DIR / "index.html"
