"""Which of a document's toponyms stand for places, and what the article is about: its
focus place and country. The names are resolved by hand, so only the reading of the text
is checked."""

from __future__ import annotations

from eventscope.extract.lexicon import load_actor_dictionary, load_cues
from eventscope.extract.places import PlaceIndex
from eventscope.nlp import load_nlp
from eventscope.record import Toponym

# name as written -> (lat, lon, ISO3, feature code)
POINTS = {"France": (46.0, 2.0, "FRA", "PCLI"), "Mali": (17.0, -4.0, "MLI", "PCLI"),
          "Gao": (16.27, -0.04, "MLI", "PPLA"), "Syrian": (35.0, 38.0, "SYR", "PCLI")}


def index(text: str) -> PlaceIndex:
    """The text's places, every occurrence of each name in ``POINTS`` resolved."""
    toponyms = []
    for n, (name, (lat, lon, country, code)) in enumerate(POINTS.items()):
        start = text.find(name)
        while start >= 0:
            toponyms.append(Toponym(start=start, end=start + len(name), name=name, lat=lat,
                                    lon=lon, geonameid=100 + n, country=country,
                                    feature_code=code, score=1.0))
            start = text.find(name, start + len(name))
    toponyms.sort(key=lambda t: t.start)
    return PlaceIndex(load_nlp()(text), toponyms, load_cues(),
                      load_actor_dictionary().not_places())


def test_the_focus_is_where_things_happen_not_who_acts() -> None:
    places = index("France's envoy met the junta. France refused to comment, and a deal "
                   "between the junta and France was signed. Fighting went on in Mali.")
    assert places.focus is not None and places.focus.toponym.name == "Mali"


def test_a_country_named_only_as_a_party_gives_no_focus_but_is_the_country() -> None:
    places = index("France's envoy met the junta, and France refused to comment.")
    assert places.focus is None
    assert places.country == "FRA"


def test_a_place_where_something_happened_counts_double_for_the_country() -> None:
    places = index("Troops from France were attacked in Gao.")
    assert places.country == "MLI"


def test_a_demonym_is_no_place() -> None:
    places = index("Syrian troops attacked the convoy.")
    assert places.places == []
