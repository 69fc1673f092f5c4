"""Why an input could not become an Article, as typed exceptions with one-line messages.

Each message names the input (a path, ``<stdin>``, or ``batch.jsonl:12``) and the problem,
so the CLI can print it as is and a batch can report it and carry on.
"""

from __future__ import annotations


class IngestError(Exception):
    """An input that could not be read as an article."""

    problem = "cannot be read"

    def __init__(self, source: str, detail: str | None = None) -> None:
        self.source = source
        self.detail = detail
        super().__init__(f"{source}: {detail or self.problem}")


class EmptyInput(IngestError):
    problem = "is empty (no text to extract events from)"


class BinaryInput(IngestError):
    problem = "looks binary (contains NUL bytes), not text or HTML"


class NotUtf8(IngestError):
    problem = "is not valid UTF-8 text"


class TooLarge(IngestError):
    problem = "is too large"


class MalformedRecord(IngestError):
    problem = "is not a valid JSON object with a 'text' field"


class BadDate(IngestError):
    problem = "has an unparseable publication date"


class UnsupportedInput(IngestError):
    problem = "is not a supported input (text, HTML or JSONL)"
