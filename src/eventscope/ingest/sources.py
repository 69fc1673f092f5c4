"""Paths (files, folders, ``-`` for standard input) to a stream of Articles.

Each input yields Articles or the IngestError saying why it could not, so one bad file
never stops a batch; callers decide how to report and whether to go on.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..record import Article
from .errors import BinaryInput, EmptyInput, IngestError, TooLarge, UnsupportedInput
from .html import article_from_html, looks_like_html
from .jsonl import read_jsonl
from .text import MAX_BYTES, article_from_text, decode

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
STDIN = "-"

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
        if path.is_dir():
            found = False
            for child in walk(path):
                found = True
                yield from read_file(child, published)
            if not found:
                yield EmptyInput(str(path), "is a folder with no .txt, .md, .html or .jsonl files")
        else:
            yield from read_file(path, published)


def walk(folder: Path) -> Iterator[Path]:
    for child in sorted(folder.rglob("*")):
        rel = child.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not child.is_file():
            continue
        if child.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES:
            yield child


def read_file(path: Path, published: str | None = None) -> Iterator[Item]:
    source = str(path)
    try:
        size = path.stat().st_size
        if path.suffix.lower() in JSONL_SUFFIXES:
            with path.open("rb") as handle:
                if b"\x00" in handle.peek(8192)[:8192]:
                    raise BinaryInput(source)  # one line, not one per binary "line"
                yield from read_jsonl(handle, source, published)
            return
        if size > MAX_BYTES:
            raise TooLarge(source, f"is too large ({size / 2**20:.1f} MB; the limit is 10 MB)")
        text = decode(path.read_bytes(), source)
        if path.suffix.lower() in HTML_SUFFIXES or looks_like_html(text):
            yield article_from_html(text, source, published)
        else:
            yield article_from_text(text, source, published)
    except IngestError as exc:
        yield exc
    except FileNotFoundError:
        yield UnsupportedInput(source, "does not exist")
    except IsADirectoryError:
        yield UnsupportedInput(source, "is a folder")
    except PermissionError:
        yield UnsupportedInput(source, "cannot be read (permission denied)")


def read_stdin(stream: BinaryIO, published: str | None = None) -> Iterator[Item]:
    """Standard input as one article (text or HTML) or, if it starts with ``{``, a JSONL
    batch."""
    source = "<stdin>"
    head = stream.readline(MAX_BYTES + 1)
    try:
        if head.lstrip().startswith(b"{"):
            yield from read_jsonl(itertools.chain([head], stream), source, published)
            return
        data = head + stream.read(MAX_BYTES + 1 - len(head))
        text = decode(data, source)
        if looks_like_html(text):
            yield article_from_html(text, source, published)
        else:
            yield article_from_text(text, source, published)
    except IngestError as exc:
        yield exc
