"""JSONL batches: one article per line, ``{"text", "url", "title", "published", "outlet"}``.

``doc_id`` (or ``article_id``) becomes the article id. Other keys are ignored, so corpora
with extra annotations load as they are. A bad line is reported by its line number and
the rest of the batch still goes in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from ..record import Article
from .errors import BinaryInput, EmptyInput, IngestError, MalformedRecord, NotUtf8, TooLarge
from .text import MAX_BYTES, published_or_error


def article_from_record(record: object, source: str, published: str | None = None) -> Article:
    if not isinstance(record, dict):
        raise MalformedRecord(source, f"is a JSON {type(record).__name__}, not an object")
    text = record.get("text")
    if not isinstance(text, str):
        raise MalformedRecord(source, "has no 'text' string")
    if not text.strip():
        raise EmptyInput(source, "has an empty 'text'")
    if len(text) > MAX_BYTES:
        raise TooLarge(source, "has a 'text' over the 10 MB limit")
    doc_id = record.get("doc_id", record.get("article_id"))

    def opt(key: str) -> str | None:
        value = record.get(key)
        return None if value in (None, "") else str(value)

    return Article(
        text=text,
        article_id="" if doc_id in (None, "") else str(doc_id),
        url=opt("url"),
        title=opt("title"),
        outlet=opt("outlet"),
        published=published or published_or_error(record.get("published"), source),
    )


def read_jsonl(
    raw_lines: Iterable[bytes], source: str, published: str | None = None
) -> Iterator[Article | IngestError]:
    """Articles (or the error of each bad line) from the raw lines of a JSONL batch."""
    seen_record = False
    for number, raw in enumerate(raw_lines, start=1):
        if not raw.strip():
            continue
        seen_record = True
        where = f"{source}:{number}"
        try:
            yield article_from_line(raw, where, published)
        except IngestError as exc:
            yield exc
    if not seen_record:
        yield EmptyInput(source, "is an empty JSONL batch (no records)")


def article_from_line(raw: bytes, where: str, published: str | None = None) -> Article:
    if b"\x00" in raw:
        raise BinaryInput(where, "contains NUL bytes (binary), not a JSON record")
    try:
        line = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotUtf8(where) from None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise MalformedRecord(
            where, f"is not valid JSON ({exc.msg} at column {exc.colno})"
        ) from None
    return article_from_record(record, where, published)
