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

Limits, so that no input costs unbounded memory or time: an article is at most
:data:`MAX_ARTICLE_BYTES` (readers read one byte past it and stop), front matter at most
:data:`MAX_FRONT_MATTER` characters with no YAML aliases, and each metadata field at most
:data:`FIELD_LIMITS` characters. Article URLs must be http or https.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..record import Article
from .errors import BadDate, BinaryInput, EmptyInput, MalformedRecord, NotUtf8, TooLarge
from .published import normalise_published

# One article is at most 2 MB: its parse and coding take time (and, unwindowed, memory)
# that grows with its length, and news rarely passes 100 kB; anything longer is more
# likely a dump or an attack than a report.
MAX_ARTICLE_BYTES = 2 * 1024 * 1024
MAX_BYTES = MAX_ARTICLE_BYTES  # the older name
LIMIT_LABEL = f"{MAX_ARTICLE_BYTES // 2**20} MB"
MAX_FRONT_MATTER = 64 * 1024
# Characters per metadata field: longer is not a title but an accident or an attack.
FIELD_LIMITS = {"title": 1000, "outlet": 200, "url": 2048, "id": 200}
# Publication dates before this year, or more than this many days ahead, are refused:
# a modern news article dated 1900 or 2999 is a typo or a parse slip, and would misdate
# every relative date in it.
EARLIEST_YEAR = 1950
FUTURE_DAYS = 366

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_META_KEYS = ("title", "published", "outlet", "url")
# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``head`` names, if any."""
    return next((enc for bom, enc in _BOMS if head.startswith(bom)), None)


def too_large(source: str, size: int | None = None) -> TooLarge:
    shown = f"{size / 2**20:.1f} MB" if size is not None else f"over {LIMIT_LABEL}"
    return TooLarge(source, f"is too large ({shown}; the limit per article is {LIMIT_LABEL})")


def decode(data: bytes, source: str, limit: int | None = MAX_ARTICLE_BYTES) -> str:
    """``data`` as text, or the IngestError that says why not; ``limit``: the most bytes
    one article may have (None for a batch, whose articles are checked one by one).

    UTF-8 (with or without a BOM) or, when a byte-order mark says so, UTF-16 or UTF-32.
    """
    if limit is not None and len(data) > limit:
        raise too_large(source, len(data) if len(data) > limit + 1 else None)
    encoding = bom_encoding(data[:4])
    if encoding in ("utf-16", "utf-32"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise NotUtf8(source, f"is not valid {encoding.upper()} despite its byte-order "
                          f"mark (at offset {exc.start})") from None
    else:
        if b"\x00" in data[:8192]:
            raise BinaryInput(source)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise NotUtf8(
                source, f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset "
                f"{exc.start}); convert it first, e.g. iconv -f latin1 -t utf-8"
            ) from None
    if "\x00" in text:
        raise BinaryInput(source)
    if not text.strip():
        raise EmptyInput(source)
    return text


def check_published(iso: str, source: str, today: dt.date | None = None) -> str:
    """``iso`` if it is a plausible publication date, else BadDate saying why."""
    date = dt.date.fromisoformat(iso)
    latest = (today or dt.date.today()) + dt.timedelta(days=FUTURE_DAYS)
    if date.year < EARLIEST_YEAR:
        raise BadDate(source, f"has a publication date {iso} before {EARLIEST_YEAR}; "
                      "check it, or give --published")
    if date > latest:
        raise BadDate(source, f"has a publication date {iso} more than a year in the future; "
                      "check it, or give --published")
    return iso


def published_or_error(value: Any, source: str) -> str | None:
    """An ISO publication date from a metadata value (str, YAML date, or None)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str | dt.date | int):
        raise BadDate(source, f"has a publication date that is a {_kind(value)}, "
                      "not a date string")
    try:
        iso = normalise_published(str(value))
    except ValueError as exc:
        raise BadDate(source, f"has an unparseable publication date: {exc}") from None
    return check_published(iso, source)


def _kind(value: Any) -> str:
    """What a parsed JSON or YAML value is, in the words of JSON."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, dict):
        return "mapping (object)"
    if isinstance(value, list | tuple):
        return "list (array)"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def _shown(value: str, width: int = 40) -> str:
    return repr(value if len(value) <= width else value[:width] + "…")


def metadata_field(name: str, value: Any, source: str, *, numbers: bool = False) -> str | None:
    """A metadata value as text within its length limit, or MalformedRecord naming the
    field. Strings only (and integers when ``numbers``: corpora number their documents);
    a list or mapping is refused rather than stored as its Python repr."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not (
            isinstance(value, str) or (numbers and isinstance(value, int | float))):
        raise MalformedRecord(source, f"has a {name!r} that is a {_kind(value)}, "
                              "expected a string")
    text = str(value)
    limit = FIELD_LIMITS.get(name)
    if limit is not None and len(text) > limit:
        raise MalformedRecord(source, f"has a {name!r} of {len(text):,} characters "
                              f"(the limit is {limit:,})")
    if name == "url" and not is_web_url(text):
        raise MalformedRecord(source, f"has a 'url' that is not an http(s) address: "
                              f"{_shown(text)}")
    return text


def is_web_url(value: str) -> bool:
    """Whether ``value`` is an absolute http or https address (the only links stored:
    a javascript: or data: URL would run in the page that shows it)."""
    value = value.strip()
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


class _NoAliasLoader(yaml.SafeLoader):
    """The safe loader without anchors and aliases: a few bytes of aliases expand to
    millions of characters ("billion laughs"), and front matter never needs them."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, f"uses a YAML alias (*{event.anchor}), which is not allowed",
                event.start_mark)
        return super().compose_node(parent, index)


def split_front_matter(text: str, source: str) -> tuple[dict[str, Any], str]:
    """(metadata, body) of a text that may start with YAML front matter."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    if len(match.group(1)) > MAX_FRONT_MATTER:
        raise MalformedRecord(source, f"has front matter over {MAX_FRONT_MATTER // 1024} kB")
    try:
        meta = yaml.load(match.group(1), Loader=_NoAliasLoader) or {}  # noqa: S506 - safe
    except yaml.YAMLError as exc:
        problem = str(exc).splitlines()[0]
        raise MalformedRecord(source, f"has unreadable front matter ({problem})") from None
    except RecursionError:
        raise MalformedRecord(source, "has front matter nested too deeply") from None
    if not isinstance(meta, dict):
        raise MalformedRecord(source, "has front matter that is not a 'key: value' mapping")
    return meta, text[match.end():]


def article_from_text(text: str, source: str, published: str | None = None) -> Article:
    """A plain-text article; ``published`` (ISO) overrides the front matter's date."""
    meta, body = split_front_matter(text, source)
    if not body.strip():
        raise EmptyInput(source, "has front matter but no article text after it")
    fields = {k: metadata_field(k, meta.get(k), source, numbers=k != "url")
              for k in _META_KEYS if k != "published"}
    fields["published"] = published or published_or_error(meta.get("published"), source)
    article_id = metadata_field("id", meta.get("id"), source, numbers=True) or ""
    return Article(text=body, article_id=article_id, **fields)
