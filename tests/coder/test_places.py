"""Which of a document's toponyms stand for places, and what the article is about: its
focus place and country. The names are placed by the tests' small gazetteer, so only the
reading of the text is checked."""

from __future__ import annotations

from collections.abc import Callable

from eventscope.coder.lexicon import load_actor_dictionary, load_cues
from eventscope.coder.places import PlaceIndex
from eventscope.nlp import load_nlp
from eventscope.record import Toponym

Index = Callable[[str], PlaceIndex]


def test_the_focus_is_where_things_happen_not_who_acts(place_index: Index) -> None:
    places = place_index("France's envoy met the junta. France refused to comment, and a "
                         "deal between the junta and France was signed. Fighting went on "
                         "in Mali.")
    assert places.focus is not None and places.focus.toponym.name == "Mali"


def test_a_country_named_only_as_a_party_gives_no_focus_but_is_the_country(
        place_index: Index) -> None:
    places = place_index("France's envoy met the junta, and France refused to comment.")
    assert places.focus is None
    assert places.country == "FRA"


def test_a_place_where_something_happened_counts_double_for_the_country(
        place_index: Index) -> None:
    places = place_index("Troops from France were attacked in Gao.")
    assert places.country == "MLI"


def test_a_demonym_is_no_place() -> None:
    text = "Syrian troops attacked the convoy."
    syrian = Toponym(start=0, end=6, name="Syrian", lat=35.0, lon=38.0, geonameid=163843,
                     country="SYR", feature_code="PCLI", score=1.0)
    places = PlaceIndex(load_nlp()(text), [syrian], load_cues(),
                        load_actor_dictionary().not_places())
    assert places.places == []
