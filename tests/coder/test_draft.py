"""Completing half-coded actors from where the event happened (``draft.fill_actor``):
crowds and people named by no group are the country's own, as ACLED codes them; a name
the dictionary does not know is not given a country by guess."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from eventscope.coder import code_events
from eventscope.coder.roles import is_act_noun
from eventscope.nlp import load_nlp
from eventscope.record import Actor, Article, Event, Toponym

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


# --- who acts: a party in the street, an act where the actor would be --------------------

Code = Callable[[str, str | None], list[Event]]


def only(events: list[Event], etype: str) -> Event:
    found = [e for e in events if e.event_type == etype]
    assert len(found) == 1, [(e.event_type, e.actor) for e in events]
    return found[0]


def test_parties_that_fight_each_other_are_their_members_in_the_street(code: Code) -> None:
    event = only(code("On 3 May 2020, CNL and CNDD-FDD fought each other in Gao.", None),
                 "ASSAULT")
    assert event.actor is not None and (event.actor.country, event.actor.sector) == (
        "BDI", "PPL")


def test_a_party_that_vandalizes_is_rioting(code: Code) -> None:
    event = only(code("On 29 October 2023, Jubo Dal vandalized two buses in Nairobi.", None),
                 "PROTEST")
    assert event.mode == "riot"
    assert event.actor is not None and event.actor.sector == "PPL"


def test_a_party_that_bans_stays_the_party(code: Code) -> None:
    event = only(code("On 3 May 2020, the CNDD-FDD banned meetings of the CNL in Gao.", None),
                 "COERCE")
    assert event.actor is not None and event.actor.sector == "PTY"


@pytest.mark.parametrize("sentence", [
    "On 30 April 2020, the explosion killed two soldiers in Gao.",
    "On 30 April 2020, clashes killed four fighters in Gao.",
    "On 30 April 2020, a stray bullet killed a woman in Gao.",
])
def test_an_act_or_its_means_is_no_actor(code: Code, sentence: str) -> None:
    event = only(code(sentence, None), "ASSAULT")
    assert event.actor is not None and event.actor.implied  # no one named: ACLED's unidentified


@pytest.mark.parametrize(("sentence", "etype"), [
    ("The Alliance of Democratic Forces protested in Gao on Monday.", "PROTEST"),
    ("On 30 April 2020, the alliance attacked a village near Gao.", "ASSAULT"),
    ("On 30 April 2020, a patrol ambushed two militants near Gao.", "ASSAULT"),
])
def test_a_name_or_a_body_of_people_is_still_an_actor(
        code: Code, sentence: str, etype: str) -> None:
    assert only(code(sentence, None), etype).actor is not None


def test_unknown_gunmen_are_the_country_s_own(code: Code) -> None:
    # the attack's own sentence names no place: the article's places say whose they are
    event = only(code("Unknown gunmen killed two traders on Monday. Police in Gao said the "
                      "attackers fled.", None), "ASSAULT")
    assert event.actor is not None and (event.actor.country, event.actor.sector) == (
        "MLI", "REB")


def test_a_named_group_keeps_its_own_country(code: Code) -> None:
    event = only(code("On 30 April 2020, Al Shabaab fighters attacked a police post in "
                      "Nairobi.", None), "ASSAULT")
    assert event.actor is not None and event.actor.country == "SOM"


# --- the article's country when no place of it is resolved ---------------------------------

def test_a_crowd_takes_the_country_the_article_names_when_no_place_is_resolved(
        code: Code) -> None:
    event = only(code("Protesters marched against the Kenyan government's new tax.", None),
                 "PROTEST")
    assert event.actor is not None and (event.actor.country, event.actor.sector) == (
        "KEN", "PPL")


def test_a_resolved_place_outweighs_a_country_the_words_name(code: Code) -> None:
    event = only(code("Protesters marched in Geneva against the Kenyan government's new tax.",
                      None), "PROTEST")
    assert event.actor is not None and event.actor.country == "CHE"


# --- an adjective the parser reads as a verb ----------------------------------------------

def test_alleged_before_an_act_is_no_accusation(code: Code) -> None:
    events = code("Alleged shelling by the Uganda People's Defence Force near Nairobi.", None)
    assert not [e for e in events if e.event_type == "ACCUSE"]
    event = only(events, "ASSAULT")
    assert event.actor is not None and (event.actor.country, event.actor.sector) == (
        "UGA", "MIL")


def test_alleging_with_a_subject_is_still_an_accusation(code: Code) -> None:
    only(code("On 30 April 2020, the rebels alleged that soldiers burned a village near Gao.",
              None), "ACCUSE")


# --- one test of "this word names an act", shared by the coder and the draft stage ---------

@pytest.mark.parametrize(("text", "word", "act"), [
    ("The explosion killed two soldiers.", "explosion", True),
    ("An IED wounded a soldier.", "IED", True),
    ("The Alliance of Democratic Forces attacked a village.", "Alliance", False),
    ("Soldiers attacked a village.", "Soldiers", False),
])
def test_which_words_name_an_act(text: str, word: str, act: bool) -> None:
    tok = next(t for t in load_nlp()(text) if t.text == word)
    assert is_act_noun(tok) is act
