"""Statements that are not events are not coded as plain events.

News sentences forecast, intend, ask, wonder, suppose and deny as often as they report.
The record contract says such a statement yields no event or a hedged or negated record,
never a plain one: a plain record tells an analyst that the act took place. Each case below
names the act that did not (or not yet) take place; the coder may record it as hedged or
negated, or not at all. PLOVER's own reading of intent is kept: an intent to cooperate is
an AGREE, an intent to use force a THREATEN, and those are plain events of their own.

Real events, including ones told in a subordinate clause, stay plain. Sentences are the
project's own.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from eventscope.coder import code_events_with_features
from eventscope.nlp import load_nlp
from eventscope.record import Article, Event

Code = Callable[[str, str], list[Event]]


def plain(events: list[Event], event_type: str) -> list[Event]:
    return [e for e in events if e.event_type == event_type and not (e.hedged or e.negated)]


NOT_HAPPENED = [
    # forecasts
    ("Analysts expect the army to launch an offensive on Gao next month.", "ASSAULT"),
    ("Rebels could attack Menaka before the rainy season, officials warned.", "ASSAULT"),
    ("Rebels are expected to attack Gao within days.", "ASSAULT"),
    ("Talks between the two sides are likely to resume in Geneva next week.", "CONSULT"),
    ("The army is predicted to launch an offensive on Menaka.", "ASSAULT"),
    ("Officials warned of attacks on polling stations in Kabul.", "ASSAULT"),
    # the actor's own intentions: the act itself is still to come
    ("The Kremlin intends to send more troops to Syria.", "MOBILIZE"),
    ("The government announced it would free 200 prisoners next month.", "RETREAT"),
    ("Kenya will send 1,000 police officers to Haiti to help restore order.", "AID"),
    # what someone wants, asks or presses another to do
    ("The opposition wants the army to arrest the governor.", "COERCE"),
    ("Russia wants Ukraine to withdraw its troops from the border.", "RETREAT"),
    ("Parliament asked the government to release the detainees.", "RETREAT"),
    ("The envoy said he hoped the rebels would be disarmed by the end of the year.", "RETREAT"),
    # timetables
    ("The president is scheduled to visit Nairobi next week.", "CONSULT"),
    # what a charge or an arrest says someone did is alleged, not reported
    ("A court jailed two men for helping rebels cross the border.", "AID"),
    ("Police arrested two men for attacking a bus in Kabul.", "ASSAULT"),
    # questions
    ("Will Azerbaijan attack Syunik?", "ASSAULT"),
    ("Is the army preparing an offensive on Herat?", "ASSAULT"),
    # opinions and conditions
    ("The ambassador believes that sanctions would hurt ordinary people.", "SANCTION"),
    ("If rebels attack the town, the army will respond.", "ASSAULT"),
    ("Unless the army withdraws from Syunik, the talks will collapse.", "RETREAT"),
    ("The general warned that troops might shell the town.", "ASSAULT"),
    # acts that did not take place
    ("Police did not arrest anyone in Nairobi on Friday.", "COERCE"),
    ("Russia refrained from attacking the town.", "ASSAULT"),
    ("The army did not send troops to attack the town.", "ASSAULT"),
    ("Residents reported a pause in the shelling of Gao.", "ASSAULT"),
    ("The minister rejected calls to release the prisoners.", "RETREAT"),
    ("The minister said he was unaware of any agreement with the rebels.", "AGREE"),
]


@pytest.mark.parametrize(("sentence", "event_type"), NOT_HAPPENED)
def test_a_statement_of_what_did_not_happen_is_no_plain_event(
    code: Code, sentence: str, event_type: str,
) -> None:
    assert plain(code(sentence, "2024-12-16"), event_type) == []


HAPPENED = [
    ("Troops shelled Gao on Monday.", "ASSAULT"),
    ("Protesters marched through Nairobi on Friday.", "PROTEST"),
    ("Police arrested 20 students in Kabul.", "COERCE"),
    ("Armenia and Azerbaijan signed a peace deal in Geneva.", "AGREE"),
    ("Rebels attacked Menaka and seized the airport.", "COERCE"),
    ("Russia sent more troops to Syria on Sunday.", "MOBILIZE"),
    ("The foreign minister met his Chinese counterpart in Beijing.", "CONSULT"),
    # a condition on what follows does not undo the act that is reported
    ("The talks resumed in Geneva on Monday after the army withdrew from Syunik.", "RETREAT"),
    ("The protest in Nairobi could turn violent, police warned.", "PROTEST"),
    # the request is made, even though what it asks for is not done
    ("Parliament asked the government to release the detainees.", "REQUEST"),
    ("Police arrested two men for attacking a bus in Kabul.", "COERCE"),
    # the month is no modal
    ("Around 2 May, a group of armed men opened fire on a checkpoint near Gao.", "ASSAULT"),
]


@pytest.mark.parametrize(("sentence", "event_type"), HAPPENED)
def test_a_reported_act_stays_plain(code: Code, sentence: str, event_type: str) -> None:
    assert plain(code(sentence, "2024-12-16"), event_type)


def test_an_intent_to_cooperate_is_an_agree_and_the_act_stays_hedged(code: Code) -> None:
    events = code("Azerbaijan has offered to host talks between the two sides.", "2024-12-16")
    assert [e.actor.text for e in plain(events, "AGREE") if e.actor] == ["Azerbaijan"]
    assert plain(events, "CONSULT") == []


def test_seeking_to_do_something_is_no_request(code: Code) -> None:
    events = code("Russia is seeking to deepen its partnership with Niger.", "2024-12-16")
    assert not [e for e in events if e.event_type == "REQUEST"]


@pytest.mark.parametrize("sentence", [
    "The opposition wants the army to arrest the governor.",
    "Analysts predict that the army will retake Gao.",
    "Residents fear that rebels will attack the village.",
])
def test_what_one_wants_or_fears_another_will_do_is_not_the_other_s_threat(
    code: Code, sentence: str,
) -> None:
    assert plain(code(sentence, "2024-12-16"), "THREATEN") == []


def test_what_the_actor_says_it_will_do_is_its_threat(code: Code) -> None:
    events = code("Russia said it will attack the town.", "2024-12-16")
    assert [e.actor.text for e in plain(events, "THREATEN") if e.actor] == ["Russia"]


def test_giving_a_speech_is_no_aid_but_giving_arms_to_rebels_is(code: Code) -> None:
    assert not [e for e in code("The president gave a speech in Nairobi.", "2024-12-16")
                if e.event_type == "AID"]
    assert plain(code("Russia gave weapons to the rebels.", "2024-12-16"), "AID")


def test_a_thing_that_enjoys_support_is_not_its_supporter(code: Code) -> None:
    events = code("The plan enjoyed support from Moscow and Beijing.", "2024-12-16")
    supporters = [e.actor.text for e in events if e.event_type == "SUPPORT" and e.actor]
    assert supporters and all("Moscow" in s for s in supporters)


def test_a_trip_intends_nothing(code: Code) -> None:
    events = code("A visit aimed at pushing for a ceasefire in Hodeidah ended on Monday.",
                  "2024-12-16")
    assert plain(events, "AGREE") == [] and plain(events, "REQUEST") == []


def test_a_past_act_in_a_relative_clause_is_real_but_marked_subordinate() -> None:
    """"Soldiers who had shelled the town": the shelling took place, so it stays plain,
    but it is background to the sentence's news and its confidence says so."""
    text = "Soldiers who had shelled the town withdrew on Monday."
    coded = code_events_with_features(load_nlp()(text), [], Article(text=text,
                                                                     published="2024-12-16"),
                                      gated=False)  # the rules' own features
    by_type = {e.event_type: (e, f) for e, f in coded if not (e.hedged or e.negated)}
    assert by_type["ASSAULT"][1].subordinate == 1.0
    assert by_type["RETREAT"][1].subordinate == 0.0
