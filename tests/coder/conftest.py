"""Helpers for the coder's tests: parse a text, place its names, code its events.

Places come from a small hand-made gazetteer, so these tests check the coder and not
the geoparser (tests/geo/ does that).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from eventscope.coder import code_events
from eventscope.coder.lexicon import load_actor_dictionary, load_cues
from eventscope.coder.places import PlaceIndex
from eventscope.nlp import load_nlp
from eventscope.record import Article, Event, Toponym

# name -> (lat, lon, ISO3, admin1, feature code)
PLACES: dict[str, tuple[float, float, str, str | None, str]] = {
    "Tartous": (34.889, 35.886, "SYR", "Tartus", "PPLA"),
    "Latakia": (35.519, 35.783, "SYR", "Latakia", "PPLA"),
    "Hmeimim air base": (35.401, 35.949, "SYR", "Latakia", "AIRB"),
    "Damascus": (33.510, 36.291, "SYR", "Dimashq", "PPLC"),
    "Syria": (35.0, 38.0, "SYR", None, "PCLI"),
    "Russia": (60.0, 100.0, "RUS", None, "PCLI"),
    "Moscow": (55.752, 37.616, "RUS", "Moscow", "PPLC"),
    "Menaka": (15.918, 2.402, "MLI", "Menaka", "PPLA"),
    "Gao": (16.272, -0.045, "MLI", "Gao", "PPLA"),
    "Niger": (17.0, 10.0, "NER", None, "PCLI"),
    "Nairobi": (-1.283, 36.817, "KEN", "Nairobi", "PPLC"),
    "Geneva": (46.202, 6.146, "CHE", "Geneva", "PPLA"),
    "Armenia": (40.0, 45.0, "ARM", None, "PCLI"),
    "Azerbaijan": (40.5, 47.5, "AZE", None, "PCLI"),
    "Syunik": (39.5, 46.0, "ARM", "Syunik", "ADM1"),
    "Hodeidah": (14.798, 42.954, "YEM", "Al Hudaydah", "PPLA"),
    "Red Sea": (20.0, 38.0, "", None, "SEA"),
    "El Fasher": (13.628, 25.349, "SDN", "North Darfur", "PPLA"),
    "N'Djamena": (12.107, 15.044, "TCD", "N'Djamena", "PPLC"),
    "Ladakh": (34.2, 77.6, "IND", "Ladakh", "ADM1"),
    "Galwan": (34.75, 78.2, "IND", "Ladakh", "STM"),
    "Beijing": (39.907, 116.397, "CHN", "Beijing", "PPLC"),
    "Kabul": (34.528, 69.172, "AFG", "Kabul", "PPLC"),
    "Herat": (34.348, 62.199, "AFG", "Herat", "PPLA"),
    "France": (46.0, 2.0, "FRA", None, "PCLI"),
    "Mali": (17.0, -4.0, "MLI", None, "PCLI"),
}
_PATTERN = re.compile(r"\b(" + "|".join(re.escape(n) for n in PLACES) + r")\b")


def place_names(text: str) -> list[Toponym]:
    """Every name of :data:`PLACES` in ``text``, resolved."""
    found = []
    for m in _PATTERN.finditer(text):
        lat, lon, country, admin1, code = PLACES[m.group(1)]
        found.append(Toponym(start=m.start(), end=m.end(), name=m.group(1), lat=lat, lon=lon,
                             geonameid=abs(hash(m.group(1))) % 10**7, country=country or None,
                             admin1=admin1, feature_code=code, score=1.0))
    return found


def body_and_date(path: Path) -> tuple[str, str]:
    """The text after an example's front matter, and its ``published`` date."""
    raw = path.read_text(encoding="utf-8")
    _, front, body = raw.split("---\n", 2)
    published = next(line.split(":", 1)[1].strip() for line in front.splitlines()
                     if line.startswith("published:"))
    return body, published


@pytest.fixture(scope="session")
def read_example() -> Callable[[Path], tuple[str, str]]:
    return body_and_date


@pytest.fixture(scope="session")
def code() -> Callable[[str, str | None], list[Event]]:
    """The rules alone (the readable first pass), without the learned event gate, which
    tests/coder/test_gate.py tests."""
    nlp = load_nlp()

    def run(text: str, published: str | None = "2024-12-16") -> list[Event]:
        return code_events(nlp(text), place_names(text), Article(text=text, published=published),
                           gated=False)

    return run


@pytest.fixture(scope="session")
def place_index() -> Callable[[str], PlaceIndex]:
    """The places of a text as the coder sees them, its names placed by :data:`PLACES`."""
    nlp = load_nlp()

    def run(text: str) -> PlaceIndex:
        return PlaceIndex(nlp(text), place_names(text), load_cues(),
                          load_actor_dictionary().not_places())

    return run
