"""The body of ``POST /api/articles``: read within a size limit, then parsed into Articles
by the same readers as ``eventscope ingest`` (plain text with optional front matter, HTML,
a JSON object or array, or a JSONL batch). A batch with a bad record is refused whole, so
nothing is half-written."""

from __future__ import annotations

import json
from dataclasses import dataclass

from fastapi import Request

from ..ingest import IngestError, TooLarge
from ..ingest.html import article_from_html, looks_like_html
from ..ingest.jsonl import article_from_record, read_jsonl
from ..ingest.text import (
    MAX_ARTICLE_BYTES,
    article_from_text,
    decode,
    metadata_field,
    published_or_error,
)
from ..record import Article
from .errors import ApiError

# A batch may hold several articles, each within its own limit.
DEFAULT_MAX_BODY = 5 * MAX_ARTICLE_BYTES
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
            return _checked_json(body, published)
        if kind in JSONL_TYPES or (kind not in HTML_TYPES and body.lstrip().startswith(b"{")):
            return _checked(list(read_jsonl(body.splitlines(), SOURCE, published)))
        text = decode(body, SOURCE)
        if kind in HTML_TYPES or looks_like_html(text):
            article = article_from_html(text, SOURCE, published)
        else:
            article = article_from_text(text, SOURCE, published)
    except TooLarge as exc:
        raise ApiError(413, str(exc)) from None
    except IngestError as exc:
        raise ApiError(400, str(exc)) from None
    try:
        given = {k: metadata_field(k, v, k) for k, v in (
            ("title", meta.title), ("url", meta.url), ("outlet", meta.outlet)) if v}
    except IngestError as exc:
        raise ApiError(400, str(exc)) from None
    return [article.model_copy(update=given)] if given else [article]


def _checked_json(body: bytes, published: str | None) -> list[Article]:
    try:
        return _json(body, published)
    except TooLarge as exc:
        raise ApiError(413, str(exc)) from None


def _json(body: bytes, published: str | None) -> list[Article]:
    try:
        data = json.loads(decode(body, SOURCE, limit=None))  # its max_body held it
    except json.JSONDecodeError as exc:
        raise ApiError(400, f"{SOURCE}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise ApiError(400, f"{SOURCE}: JSON nested too deeply to read") from None
    records = data if isinstance(data, list) else [data]
    if not records:
        raise ApiError(400, f"{SOURCE}: an empty JSON array (no articles)")
    return [article_from_record(r, f"{SOURCE}[{i}]" if isinstance(data, list) else SOURCE,
                                published) for i, r in enumerate(records)]


def _checked(items: list[Article | IngestError]) -> list[Article]:
    errors = [item for item in items if isinstance(item, IngestError)]
    if errors:
        more = f" (and {len(errors) - 1} more bad records)" if len(errors) > 1 else ""
        status = 413 if all(isinstance(e, TooLarge) for e in errors) else 400
        raise ApiError(status, f"{errors[0]}{more}; nothing was stored")
    return [item for item in items if isinstance(item, Article)]


def check_ids(articles: list[Article]) -> None:
    """400 if one article id comes with two different texts in one batch: which text the
    id should name is the sender's to say, and nothing has been extracted yet."""
    seen: dict[str, tuple[int, str]] = {}
    for index, article in enumerate(articles):
        first = seen.setdefault(article.article_id, (index, article.content_hash))
        if first[1] != article.content_hash:
            raise ApiError(400, f"{SOURCE}: article id {article.article_id!r} is given to "
                           f"records {first[0] + 1} and {index + 1} with different texts; "
                           "nothing was stored")
