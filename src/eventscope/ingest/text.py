"""Bytes to text with the checks every reader shares, and plain-text articles.

A plain-text article may open with YAML front matter naming its metadata::

    ---
    title: Convoy seen near the port
    published: 2024-12-16
    outlet: Example Wire
    url: https://example.org/convoy
    ---
    A convoy of ...

The Article's text is the body after the closing ``---``, so evidence offsets point into
the body. Without front matter the text is the file as written, offsets into the file.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..record import Article
from .errors import BadDate, BinaryInput, EmptyInput, MalformedRecord, NotUtf8, TooLarge
from .published import normalise_published

MAX_BYTES = 10 * 1024 * 1024
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_META_KEYS = ("title", "published", "outlet", "url")


def decode(data: bytes, source: str) -> str:
    """``data`` as text, or the IngestError that says why not."""
    if len(data) > MAX_BYTES:
        raise TooLarge(source, f"is too large ({len(data) / 2**20:.1f} MB; the limit is 10 MB)")
    if b"\x00" in data[:8192]:
        raise BinaryInput(source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotUtf8(
            source, f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it first, e.g. iconv -f latin1 -t utf-8"
        ) from None
    if not text.strip():
        raise EmptyInput(source)
    return text


def published_or_error(value: Any, source: str) -> str | None:
    """An ISO publication date from a metadata value (str, YAML date, or None)."""
    if value is None or value == "":
        return None
    try:
        return normalise_published(str(value))
    except ValueError as exc:
        raise BadDate(source, f"has an unparseable publication date: {exc}") from None


def split_front_matter(text: str, source: str) -> tuple[dict[str, Any], str]:
    """(metadata, body) of a text that may start with YAML front matter."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        problem = str(exc).splitlines()[0]
        raise MalformedRecord(source, f"has unreadable front matter ({problem})") from None
    if not isinstance(meta, dict):
        raise MalformedRecord(source, "has front matter that is not a 'key: value' mapping")
    return meta, text[match.end():]


def article_from_text(text: str, source: str, published: str | None = None) -> Article:
    """A plain-text article; ``published`` (ISO) overrides the front matter's date."""
    meta, body = split_front_matter(text, source)
    if not body.strip():
        raise EmptyInput(source, "has front matter but no article text after it")
    fields = {k: (str(meta[k]) if meta.get(k) is not None else None) for k in _META_KEYS}
    fields["published"] = published or published_or_error(meta.get("published"), source)
    return Article(text=body, article_id=str(meta.get("id") or ""), **fields)
