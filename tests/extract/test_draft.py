"""Completing half-coded actors from where the event happened (``draft.fill_actor``):
crowds and people named by no group are the country's own, as ACLED codes them; a name
the dictionary does not know is not given a country by guess."""

from __future__ import annotations

from eventscope.extract import code_events
from eventscope.nlp import load_nlp
from eventscope.record import Actor, Article, Toponym

BALLIA = (25.76, 84.15, "IND", "Uttar Pradesh", "PPLA2")


def actor_of(text: str, place: str) -> Actor | None:
    """The actor of the first event coded in ``text``, with ``place`` resolved to Ballia."""
    lat, lon, country, admin1, code = BALLIA
    start = text.index(place)
    top = Toponym(start=start, end=start + len(place), name=place, lat=lat, lon=lon,
                  geonameid=1264527, country=country, admin1=admin1, feature_code=code,
                  score=1.0)
    events = code_events(load_nlp()(text), [top], Article(text=text, published="2020-05-04"))
    assert events, text
    return events[0].actor


def test_people_named_by_no_group_take_the_country_of_the_place() -> None:
    actor = actor_of("On 30 April 2020, two groups clashed over a property dispute in Ballia.",
                     "Ballia")
    assert actor is not None and (actor.text, actor.country) == ("two groups", "IND")


def test_protesters_take_the_country_of_the_place() -> None:
    actor = actor_of("On 30 April 2020, hundreds of farmers protested in Ballia.", "Ballia")
    assert actor is not None and (actor.country, actor.sector) == ("IND", "PPL")


def test_an_unknown_name_is_not_given_a_country() -> None:
    actor = actor_of("On 30 April 2020, Zorvath Qimbel attacked a police post in Ballia.",
                     "Ballia")
    assert actor is not None and actor.country is None
