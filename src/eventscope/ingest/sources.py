"""Paths (files, folders, ``-`` for standard input) to a stream of Articles.

Each input yields Articles or the IngestError saying why it could not, so one bad file
never stops a batch; callers decide how to report and whether to go on. No input is read
past its limit (an article's cap plus one byte, a JSONL line's cap), so a device such as
/dev/zero or an endless pipe is refused quickly, in bounded memory.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..record import Article
from .errors import BinaryInput, EmptyInput, IngestError, NotUtf8, UnsupportedInput
from .html import article_from_html, looks_like_html
from .jsonl import bounded_lines, read_jsonl
from .text import MAX_ARTICLE_BYTES, article_from_text, bom_encoding, decode, too_large

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
STDIN = "-"
_HEAD = 8192  # bytes looked at to tell a binary file from text

Item = Article | IngestError


def read_inputs(
    paths: Iterable[str | Path], published: str | None = None, stdin: BinaryIO | None = None
) -> Iterator[Item]:
    """Every article in ``paths``, in order; folders are walked recursively (sorted) for
    files with a text, HTML or JSONL extension. ``published`` (ISO) overrides the dates
    the inputs carry."""
    for path in paths:
        if str(path) == STDIN:
            yield from read_stdin(stdin or sys.stdin.buffer, published)
            continue
        path = Path(path)
        try:
            is_dir = path.is_dir()
        except OSError as exc:
            yield os_error(str(path), exc)
            continue
        if is_dir:
            found = False
            for child in walk(path):
                found = True
                if isinstance(child, IngestError):
                    yield child
                else:
                    yield from read_file(child, published)
            if not found:
                yield EmptyInput(str(path), "is a folder with no .txt, .md, .html or .jsonl files")
        else:
            yield from read_file(path, published)


def walk(folder: Path) -> Iterator[Path | IngestError]:
    """The readable files under ``folder`` by extension (sorted, hidden ones left out),
    and an error for each entry that cannot be followed: a dangling symbolic link, a
    link loop, a name too long, a subfolder that cannot be listed."""
    try:
        children = sorted(folder.rglob("*"))
    except OSError as exc:
        yield os_error(str(folder), exc)
        return
    for child in children:
        rel = child.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        try:
            child.stat()
        except OSError as exc:
            yield os_error(str(child), exc)
            continue
        if child.is_file() and child.suffix.lower() in (
                TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES):
            yield child


def os_error(source: str, exc: OSError) -> IngestError:
    """The one line for a file-system failure."""
    reasons = {
        errno.ENOENT: "does not exist",
        errno.ELOOP: "is a symbolic link loop (it never reaches a file)",
        errno.ENAMETOOLONG: "has a name too long for the file system",
        errno.EACCES: "cannot be read (permission denied)",
        errno.EISDIR: "is a folder",
        errno.ENOTDIR: "does not exist (a part of its path is not a folder)",
    }
    reason = reasons.get(exc.errno or 0) or f"cannot be read ({exc.strerror or exc})"
    if exc.errno == errno.ENOENT and os.path.islink(source):
        reason = "is a dangling symbolic link (its target does not exist)"
    return UnsupportedInput(source, reason)


def read_file(path: Path, published: str | None = None) -> Iterator[Item]:
    source = str(path)
    try:
        with path.open("rb") as handle:
            if path.suffix.lower() in JSONL_SUFFIXES:
                yield from _jsonl_file(handle, source, published)
                return
            size = _size(handle)
            if size is not None and size > MAX_ARTICLE_BYTES:
                raise too_large(source, size)
            data = handle.read(MAX_ARTICLE_BYTES + 1)
        text = decode(data, source)
        if path.suffix.lower() in HTML_SUFFIXES or looks_like_html(text):
            yield article_from_html(text, source, published).from_source(source)
        else:
            yield article_from_text(text, source, published).from_source(source)
    except IngestError as exc:
        yield exc
    except OSError as exc:
        yield os_error(source, exc)


def _size(handle: BinaryIO) -> int | None:
    """The size of a regular file; None for devices and pipes (whose size means nothing)."""
    info = os.fstat(handle.fileno())
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def _jsonl_file(handle: BinaryIO, source: str, published: str | None) -> Iterator[Item]:
    head = handle.peek(_HEAD)[:_HEAD] if isinstance(handle, io.BufferedReader) else b""
    encoding = bom_encoding(head)
    if encoding in ("utf-16", "utf-32"):
        text = io.TextIOWrapper(handle, encoding=encoding, errors="strict", newline="")
        yield from read_jsonl(bounded_lines(_Utf8Lines(text, source)), source, published)
        return
    # A binary file named .jsonl is one error, not one per "line"; a stray NUL in a
    # JSONL file whose lines are records only spoils its own line.
    if b"\x00" in head and not any(line.lstrip().startswith(b"{")
                                   for line in head.splitlines()):
        raise BinaryInput(source)
    yield from read_jsonl(bounded_lines(handle), source, published)


class _Utf8Lines:
    """The lines of a UTF-16/32 text stream as UTF-8 bytes (for :func:`bounded_lines`)."""

    def __init__(self, text: io.TextIOWrapper, source: str) -> None:
        self._text = text
        self._source = source

    def readline(self, limit: int = -1) -> bytes:
        try:
            return self._text.readline(limit).encode("utf-8", "surrogatepass")
        except UnicodeDecodeError as exc:
            raise NotUtf8(self._source, f"is not valid {self._text.encoding.upper()} "
                          f"({exc.reason})") from None


def read_stdin(stream: BinaryIO, published: str | None = None) -> Iterator[Item]:
    """Standard input as one article (text or HTML) or, if it starts with ``{``, a JSONL
    batch."""
    source = "<stdin>"
    head = stream.readline(MAX_ARTICLE_BYTES + 1)
    try:
        if head.lstrip().startswith(b"{"):
            lines = bounded_lines(_Prepended(head, stream))
            yield from read_jsonl(lines, source, published)
            return
        data = head + stream.read(MAX_ARTICLE_BYTES + 1 - len(head))
        text = decode(data, source)
        if looks_like_html(text):
            yield article_from_html(text, source, published).from_source(source)
        else:
            yield article_from_text(text, source, published).from_source(source)
    except IngestError as exc:
        yield exc


class _Prepended:
    """A binary stream with ``head`` put back in front of it (for ``readline``)."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = head
        self._stream = stream

    def readline(self, limit: int = -1) -> bytes:
        if self._head:
            line, self._head = self._head, b""
            if line.endswith(b"\n") or (limit >= 0 and len(line) >= limit):
                return line
            return line + self._stream.readline(-1 if limit < 0 else limit - len(line))
        return self._stream.readline(limit)

