"""The body of ``POST /api/articles``: read within a size limit, then parsed into Articles
by the same readers as ``eventscope ingest`` (plain text with optional front matter, HTML,
a JSON object or array, or a JSONL batch). A batch with a bad record is refused whole, so
nothing is half-written."""

from __future__ import annotations

import json
from dataclasses import dataclass

from fastapi import Request

from ..ingest import IngestError
from ..ingest.html import article_from_html, looks_like_html
from ..ingest.jsonl import article_from_record, read_jsonl
from ..ingest.text import MAX_BYTES, article_from_text, decode, published_or_error
from ..record import Article
from .errors import ApiError

DEFAULT_MAX_BODY = MAX_BYTES
SOURCE = "request body"
JSONL_TYPES = frozenset({
    "application/x-ndjson", "application/jsonl", "application/x-jsonlines",
    "application/jsonlines",
})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


@dataclass(frozen=True)
class Metadata:
    """Query parameters that describe a single text or HTML article."""

    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None


async def read_body(request: Request, limit: int) -> bytes:
    """The raw body, refused with 413 as soon as it passes ``limit`` bytes."""
    too_large = ApiError(413, f"request body is over the {limit:,} byte limit")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def parse_articles(body: bytes, content_type: str, meta: Metadata) -> list[Article]:
    """Articles in ``body``; ApiError 400 naming the first bad record."""
    kind = content_type.split(";", 1)[0].strip().lower()
    try:
        published = published_or_error(meta.published, "published")
        if kind == "application/json":
            return _json(body, published)
        if kind in JSONL_TYPES or (kind not in HTML_TYPES and body.lstrip().startswith(b"{")):
            return _checked(list(read_jsonl(body.splitlines(), SOURCE, published)))
        text = decode(body, SOURCE)
        if kind in HTML_TYPES or looks_like_html(text):
            article = article_from_html(text, SOURCE, published)
        else:
            article = article_from_text(text, SOURCE, published)
    except IngestError as exc:
        raise ApiError(400, str(exc)) from None
    given = {k: v for k, v in (("title", meta.title), ("url", meta.url),
                               ("outlet", meta.outlet)) if v}
    return [article.model_copy(update=given)] if given else [article]


def _json(body: bytes, published: str | None) -> list[Article]:
    try:
        data = json.loads(decode(body, SOURCE))
    except json.JSONDecodeError as exc:
        raise ApiError(400, f"{SOURCE}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    records = data if isinstance(data, list) else [data]
    if not records:
        raise ApiError(400, f"{SOURCE}: an empty JSON array (no articles)")
    return [article_from_record(r, f"{SOURCE}[{i}]" if isinstance(data, list) else SOURCE,
                                published) for i, r in enumerate(records)]


def _checked(items: list[Article | IngestError]) -> list[Article]:
    errors = [item for item in items if isinstance(item, IngestError)]
    if errors:
        more = f" (and {len(errors) - 1} more bad records)" if len(errors) > 1 else ""
        raise ApiError(400, f"{errors[0]}{more}; nothing was stored")
    return [item for item in items if isinstance(item, Article)]
