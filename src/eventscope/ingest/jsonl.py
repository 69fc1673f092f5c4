"""JSONL batches: one article per line, ``{"text", "url", "title", "published", "outlet"}``.

``doc_id`` (or ``article_id``) becomes the article id. Other keys are ignored, so corpora
with extra annotations load as they are; the keys we read must hold strings (an id may be
a number). A bad line is reported by its line number and the rest of the batch still
goes in. A line is read only up to a bound (an article's limit, with room for JSON
escapes), so one endless line cannot exhaust memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Protocol

from ..record import Article
from .errors import BinaryInput, EmptyInput, IngestError, MalformedRecord, NotUtf8, TooLarge
from .text import (
    FIELD_LIMITS,
    LIMIT_LABEL,
    MAX_ARTICLE_BYTES,
    metadata_field,
    published_or_error,
    too_large,
)

# A JSON line holds one article plus its metadata; escapes (\n, \", \u00e9) make it longer
# than the text it encodes, so allow for a good deal of them.
MAX_LINE_BYTES = 4 * MAX_ARTICLE_BYTES


class LineReader(Protocol):
    def readline(self, limit: int = -1, /) -> bytes: ...


class LineTooLong:
    """Stands for a line over MAX_LINE_BYTES: only its length was read, not its bytes."""

    def __init__(self, size: int) -> None:
        self.size = size


def bounded_lines(
    handle: LineReader, limit: int = MAX_LINE_BYTES
) -> Iterator[bytes | LineTooLong]:
    """The lines of ``handle``, each held in memory only up to ``limit`` bytes; a longer
    line is skipped through to its newline and comes out as a LineTooLong."""
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        size = len(line)
        while True:  # skip the rest of the long line a bounded chunk at a time
            more = handle.readline(limit)
            size += len(more)
            if not more or more.endswith(b"\n"):
                break
        yield LineTooLong(size)


def article_from_record(record: object, source: str, published: str | None = None) -> Article:
    if not isinstance(record, dict):
        raise MalformedRecord(source, f"is a JSON {_json_kind(record)}, not an object")
    text = record.get("text")
    if text is None:
        raise MalformedRecord(source, "has no 'text' string")
    if not isinstance(text, str):
        raise MalformedRecord(source, f"has a 'text' that is a JSON {_json_kind(text)}, "
                              "expected a string")
    if not text.strip():
        raise EmptyInput(source, "has an empty 'text'")
    if len(text) > MAX_ARTICLE_BYTES or len(text.encode("utf-8", "surrogatepass")) > (
            MAX_ARTICLE_BYTES):
        raise TooLarge(source, f"has a 'text' over the {LIMIT_LABEL} limit per article")
    for key, value in record.items():
        if isinstance(value, str) and (key == "text" or key in FIELD_LIMITS):
            _check_surrogates(key, value, source)
    doc_id = record.get("doc_id", record.get("article_id"))
    return Article(
        text=text,
        article_id=metadata_field("id", doc_id, source, numbers=True) or "",
        url=metadata_field("url", record.get("url"), source),
        title=metadata_field("title", record.get("title"), source),
        outlet=metadata_field("outlet", record.get("outlet"), source),
        published=published or published_or_error(record.get("published"), source),
    )


def _check_surrogates(key: str, value: str, source: str) -> None:
    """JSON may escape half a UTF-16 pair (``"\\ud800"``), which no UTF-8 text can hold."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise MalformedRecord(source, f"has a {key!r} with an unpaired surrogate "
                              f"(\\u{ord(value[exc.start]):04x} at character {exc.start})"
                              ) from None


def _json_kind(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number",
             float: "number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def read_jsonl(
    raw_lines: Iterable[bytes | LineTooLong], source: str, published: str | None = None
) -> Iterator[Article | IngestError]:
    """Articles (or the error of each bad line) from the raw lines of a JSONL batch."""
    seen_record = False
    for number, raw in enumerate(raw_lines, start=1):
        where = f"{source}:{number}"
        if isinstance(raw, LineTooLong):
            seen_record = True
            yield too_large(where, raw.size)
            continue
        if not raw.strip():
            continue
        seen_record = True
        try:
            yield article_from_line(raw, where, published).from_source(where)
        except IngestError as exc:
            yield exc
    if not seen_record:
        yield EmptyInput(source, "is an empty JSONL batch (no records)")


def article_from_line(raw: bytes, where: str, published: str | None = None) -> Article:
    if b"\x00" in raw:
        raise BinaryInput(where, "contains NUL bytes (binary), not a JSON record")
    try:
        line = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotUtf8(where, f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset "
                      f"{exc.start})") from None
    return article_from_record(parse_json(line, where), where, published)


def parse_json(text: str, where: str) -> object:
    """``json.loads`` with its failures as one-line MalformedRecord errors; nesting too
    deep for the parser (``[[[[...``) is one of them, not a RecursionError."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedRecord(
            where, f"is not valid JSON ({exc.msg} at column {exc.colno})"
        ) from None
    except RecursionError:
        raise MalformedRecord(where, "is JSON nested too deeply to read") from None
