"""HTML pages to Articles: the main text with boilerplate (menus, footers) stripped.

When the boilerplate remover finds nothing because the page is nested deeper than its
parser goes (libxml2 stops at 256 levels), the page's visible text is taken as it is,
read by the standard library's streaming parser, which has no depth limit.
"""

from __future__ import annotations

import warnings
from html.parser import HTMLParser
from typing import Any

from ..record import Article
from .errors import EmptyInput
from .text import FIELD_LIMITS, is_web_url, published_or_error

DEEP = 200  # tag depth past which the main-text extractor cannot be trusted to see text


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


class _PlainText(HTMLParser):
    """Visible text of a page (no script, style or head) and its deepest tag nesting."""

    _HIDDEN = frozenset({"script", "style", "head", "template", "noscript"})
    _BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6",
                         "article", "section", "tr", "blockquote", "pre"})
    _VOID = frozenset({"br", "img", "meta", "link", "input", "hr", "area", "base", "col",
                       "embed", "source", "track", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = self.max_depth = self.hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self._BLOCKS:
            self.parts.append("\n")
        if tag in self._VOID:
            return
        self.depth += 1
        self.max_depth = max(self.max_depth, self.depth)
        if tag in self._HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._VOID:
            return
        self.depth = max(0, self.depth - 1)
        if tag in self._HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).splitlines())
        return "\n".join(line for line in lines if line)


def plain_text(html: str) -> tuple[str, int]:
    """(visible text, deepest tag nesting) of ``html``."""
    parser = _PlainText()
    parser.feed(html)
    parser.close()
    return parser.text(), parser.max_depth


def article_from_html(html: str, source: str, published: str | None = None) -> Article:
    """The page's main text (trafilatura) with its title, date, URL and site name.

    ``published`` (ISO) overrides the page's own date. A page's own metadata is kept
    only within the field limits, and its URL only if it is http(s).
    """
    import trafilatura  # heavy import, only for HTML inputs

    meta: dict[str, Any] = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # lxml deprecation in trafilatura
            doc = trafilatura.bare_extraction(
                html,
                with_metadata=True,
                include_comments=False,
                include_tables=False,
                # Only dates the page states; never a guess from today's date.
                date_extraction_params={"extensive_search": False, "original_date": True},
            )
        if isinstance(doc, dict):
            meta = doc
        elif doc is not None:
            meta = doc.as_dict()
    except (RecursionError, ValueError):  # pathological markup: fall back below
        meta = {}
    text = meta.get("text")
    if not text or not text.strip():
        fallback, depth = plain_text(html)
        if depth < DEEP or not fallback.strip():
            raise EmptyInput(source, "is an HTML page with no article text")
        text, meta = fallback, {}
    url = meta.get("url") or None
    return Article(
        text=text,
        title=_capped(meta.get("title"), "title"),
        url=url if url and is_web_url(url) and len(url) <= FIELD_LIMITS["url"] else None,
        outlet=_capped(meta.get("sitename") or meta.get("hostname"), "outlet"),
        published=published or published_or_error(meta.get("date"), source),
    )


def _capped(value: Any, name: str) -> str | None:
    """A page's own metadata, cut to the field's limit (the page is not refused for it)."""
    if not value or not isinstance(value, str):
        return None
    limit = FIELD_LIMITS[name]
    return value if len(value) <= limit else value[: limit - 1] + "…"
