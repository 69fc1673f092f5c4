"""Implied actors: the party a protest, riot or attack implies when the text names none,
as ACLED codes it, and never for another type or over a named actor.

Sentences are the project's own.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from eventscope.coder import code_events_with_features
from eventscope.coder.implied import implied_actor
from eventscope.nlp import load_nlp
from eventscope.record import Actor, Article, Event, Location, Toponym

Code = Callable[[str, str], list[Event]]


def one(events: list[Event], etype: str) -> Event:
    found = [e for e in events if e.event_type == etype]
    assert found, f"no {etype} in {[(e.event_type, e.evidence.trigger) for e in events]}"
    return found[0]


@pytest.mark.parametrize("text, etype, name, country, sector", [
    ("A protest was held in Nairobi on Saturday against the rise in fuel prices.",
     "PROTEST", "Protesters", "KEN", "PPL"),
    ("Rioting broke out in Herat on Tuesday night and several shops were set alight.",
     "PROTEST", "Rioters", "AFG", "PPL"),
    ("Two soldiers were killed in an ambush near Gao on Sunday.",
     "ASSAULT", "Unidentified armed group", "MLI", "UNK"),
])
def test_an_unnamed_party_is_the_one_acled_codes(code: Code, text: str, etype: str, name: str,
                                                 country: str, sector: str) -> None:
    actor = one(code(text, "2024-12-16"), etype).actor
    assert actor == Actor(text=None, name=name, country=country, sector=sector, implied=True)


@pytest.mark.parametrize("text, etype, words", [
    ("Students protested in Nairobi on Monday against the new fees.", "PROTEST", "Students"),
    ("Taliban fighters attacked a police checkpoint in Herat.", "ASSAULT", "Taliban fighters"),
])
def test_a_named_actor_is_never_implied(code: Code, text: str, etype: str, words: str) -> None:
    actor = one(code(text, "2024-12-16"), etype).actor
    assert actor is not None and actor.text == words and actor.implied is False


@pytest.mark.parametrize("text, etype", [
    ("Three men were arrested in Kabul on Friday.", "COERCE"),
    ("A meeting on the ceasefire was held in Geneva on Monday.", "CONSULT"),
])
def test_other_types_imply_no_one(code: Code, text: str, etype: str) -> None:
    assert one(code(text, "2024-12-16"), etype).actor is None


def test_an_attack_that_did_not_happen_implies_no_one(code: Code) -> None:
    event = one(code("The convoy was not attacked near Gao on Sunday.", "2024-12-16"),
                "ASSAULT")
    assert event.negated and event.actor is None


def test_without_a_place_the_implied_actor_has_no_country(code: Code) -> None:
    event = one(code("A protest against the curfew was held on Saturday.", "2024-12-16"),
                "PROTEST")
    assert event.location is None
    assert event.actor == Actor(text=None, name="Protesters", sector="PPL", implied=True)


def test_an_implied_actor_does_not_count_as_a_coded_one_for_confidence() -> None:
    text = "A protest was held in Nairobi on Saturday against the rise in fuel prices."
    start = text.index("Nairobi")
    nairobi = Toponym(start=start, end=start + 7, name="Nairobi", lat=-1.283, lon=36.817,
                      geonameid=184745, country="KEN", feature_code="PPLC", score=1.0)
    pairs = code_events_with_features(load_nlp()(text), [nairobi],
                                      Article(text=text, published="2024-12-16"))
    event, features = next((e, f) for e, f in pairs if e.event_type == "PROTEST")
    assert event.actor is not None and event.actor.implied
    assert (features.has_actor, features.actor_country, features.actor_sector) == (0, 0, 0)


def test_the_rule_itself() -> None:
    gao = Location(text="Gao", country="MLI")
    assert implied_actor("PROTEST", "strike", gao) == Actor(
        text=None, name="Protesters", country="MLI", sector="PPL", implied=True)
    assert implied_actor("PROTEST", "riot", None) == Actor(
        text=None, name="Rioters", sector="PPL", implied=True)
    for etype in ("COERCE", "MOBILIZE", "ACCUSE", "THREATEN"):
        assert implied_actor(etype, "", gao) is None
    assert implied_actor("ASSAULT", "", gao, negated=True) is None


def test_an_actor_has_words_exactly_when_it_is_not_implied() -> None:
    with pytest.raises(ValueError, match="implied"):
        Actor(text=None, name="Protesters")
    with pytest.raises(ValueError, match="implied"):
        Actor(text="the crowd", implied=True)
