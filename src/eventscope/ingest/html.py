"""HTML pages to Articles: the main text with boilerplate (menus, footers) stripped."""

from __future__ import annotations

import warnings
from typing import Any

from ..record import Article
from .errors import EmptyInput
from .text import published_or_error


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def article_from_html(html: str, source: str, published: str | None = None) -> Article:
    """The page's main text (trafilatura) with its title, date, URL and site name.

    ``published`` (ISO) overrides the page's own date.
    """
    import trafilatura  # heavy import, only for HTML inputs

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # lxml deprecation inside trafilatura
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            # Only dates the page states; never a guess from today's date.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    meta: dict[str, Any] = {}
    if isinstance(doc, dict):
        meta = doc
    elif doc is not None:
        meta = doc.as_dict()
    text = meta.get("text")
    if not text or not text.strip():
        raise EmptyInput(source, "is an HTML page with no article text")
    return Article(
        text=text,
        title=meta.get("title") or None,
        url=meta.get("url") or None,
        outlet=meta.get("sitename") or meta.get("hostname") or None,
        published=published or published_or_error(meta.get("date"), source),
    )
