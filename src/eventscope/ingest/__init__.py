"""Readers that turn sources into :class:`~eventscope.record.Article` records.

Plain text (optionally with YAML front matter), HTML pages (boilerplate stripped), JSONL
batches, folders of these, and standard input. Inputs that cannot be read come out as
:class:`IngestError` values naming the input and the problem, so a batch carries on.
"""

from __future__ import annotations

from .errors import (
    BadDate,
    BinaryInput,
    EmptyInput,
    IngestError,
    MalformedRecord,
    NotUtf8,
    TooLarge,
    UnsupportedInput,
)
from .published import normalise_published
from .sources import Item, read_file, read_inputs, read_stdin

__all__ = [
    "BadDate", "BinaryInput", "EmptyInput", "IngestError", "Item", "MalformedRecord",
    "NotUtf8", "TooLarge", "UnsupportedInput", "normalise_published", "read_file",
    "read_inputs", "read_stdin",
]
