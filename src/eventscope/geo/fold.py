"""Name folding: the one key under which the gazetteer stores and looks up names.

Accents, case, hyphens and apostrophes vary between sources ("Ra's al Khaymah",
"Ras al-Khaimah", "Tartous"), so both sides fold to lower-case ASCII words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"[\s\-\u2010-\u2015_/]+")
_DROP = re.compile(r"[.'\u2018\u2019`\u02bb\u02bc\"]")
_EXTRA = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})


@lru_cache(maxsize=200_000)
def fold(name: str) -> str:
    """Lower-case ASCII key of ``name``; '' when it is not written in Latin letters."""
    text = unicodedata.normalize("NFKD", name.casefold().translate(_EXTRA))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _SPACE.sub(" ", _DROP.sub("", text)).strip()
    return text if text.isascii() else ""
