"""Publication dates normalised to ISO (YYYY-MM-DD), whatever form the source gives."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

_ISO_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])")


@lru_cache(maxsize=4096)
def normalise_published(value: str) -> str:
    """``value`` as an ISO date; raises ValueError naming the value if it is not a date.

    ISO dates and timestamps are read directly (their calendar date is kept, time zone
    ignored: a publication day is what the source printed); other forms ("16 December
    2024", "Dec 16, 2024") go through dateparser with relative phrases switched off,
    because a publication date of "yesterday" has no fixed meaning.
    """
    text = value.strip()
    match = _ISO_PREFIX.match(text)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups())).isoformat()
        except ValueError:
            raise ValueError(f"unparseable date {value!r}") from None
    if text and any(c.isdigit() for c in text):
        import dateparser  # slow to import; most inputs are ISO already

        parsed = dateparser.parse(
            text,
            languages=["en"],
            settings={"PARSERS": ["custom-formats", "absolute-time"], "STRICT_PARSING": True},
        )
        if parsed is not None:
            return parsed.date().isoformat()
    raise ValueError(f"unparseable date {value!r} (expected e.g. 2024-12-16)")
