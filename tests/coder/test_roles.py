"""Roles: who did it and to whom, from the parse, one behaviour per sentence.

Sentences are the project's own; several are written the way ACLED notes and
headlines are, which the small parser often misreads.
"""

from __future__ import annotations

from collections.abc import Callable

from eventscope.record import Event

Code = Callable[[str, str], list[Event]]


def of_type(events: list[Event], etype: str, trigger: str | None = None) -> Event:
    found = [e for e in events if e.event_type == etype
             and (trigger is None or e.evidence.trigger == trigger)]
    assert found, f"no {etype} in {[(e.event_type, e.evidence.trigger) for e in events]}"
    return found[0]


def test_two_sides_of_a_clash_are_actor_and_target(code: Code) -> None:
    e = of_type(code("Opposition supporters and police clashed in Nairobi.", "2024-12-16"),
                "ASSAULT")
    assert e.actor is not None and e.actor.text == "Opposition supporters"
    assert e.actor.sector == "PPL"
    assert e.target is not None and e.target.text == "police" and e.target.sector == "POL"


def test_the_police_dispersing_a_protest_are_not_its_protesters(code: Code) -> None:
    events = code("Police dispersed a protest by teachers in Nairobi.", "2024-12-16")
    protest = of_type(events, "PROTEST")
    assert protest.actor is not None and protest.actor.text == "teachers"
    assert of_type(events, "COERCE").actor.sector == "POL"  # type: ignore[union-attr]


def test_a_light_verb_s_subject_still_holds_the_protest(code: Code) -> None:
    e = of_type(code("Teachers staged a protest in Nairobi.", "2024-12-16"), "PROTEST")
    assert e.actor is not None and e.actor.text == "Teachers"


def test_a_by_phrase_inside_the_object_is_not_the_protester(code: Code) -> None:
    events = code("Residents marched in Nairobi, protesting against neglect by the "
                  "government.", "2024-12-16")
    for e in events:
        assert e.actor is None or e.actor.text != "the government"


def test_a_bare_participle_does_not_borrow_the_clause_s_subject(code: Code) -> None:
    events = code("Hundreds protested after charges were dropped against a rancher accused "
                  "of killing a ranger.", "2024-12-16")
    for e in events:
        assert e.actor is None or e.actor.text != "charges"


def test_the_subject_nearest_the_verb_after_a_heading(code: Code) -> None:
    e = of_type(code("Land seizure: On 2 May 2024, Israeli forces seized farmland near "
                     "Gao.", "2024-12-16"), "COERCE")
    assert e.actor is not None and (e.actor.country, e.actor.sector) == ("ISR", "MIL")


def test_a_subject_the_parser_hangs_on_a_fronted_place(code: Code) -> None:
    e = of_type(code("On 1 May 2024, in Gao, Menaka, members of the military forces of "
                     "Mali opened fire on a bus.", "2024-12-16"), "ASSAULT")
    assert e.actor is not None and (e.actor.country, e.actor.sector) == ("MLI", "MIL")


def test_a_role_word_modifying_an_act_is_its_party(code: Code) -> None:
    e = of_type(code("A police raid on a market left two dead in Gao.", "2024-12-16"),
                "ASSAULT")
    assert e.actor is not None and e.actor.sector == "POL"


def test_a_named_party_after_pro_is_the_party(code: Code) -> None:
    e = of_type(code("Pro-Houthi reinforcements arrived in Hodeidah.", "2024-12-16"),
                "MOBILIZE")
    assert e.actor is not None and e.actor.country == "YEM"


def test_the_party_named_on_the_attack_that_killed(code: Code) -> None:
    e = of_type(code("Eight soldiers were killed in an Al Shabaab ambush near Gao.",
                     "2024-12-16"), "ASSAULT", "killed")
    assert e.actor is not None and (e.actor.country, e.actor.sector) == ("SOM", "REB")


def test_the_operation_s_agent_for_a_chain_of_participles(code: Code) -> None:
    e = of_type(code("Two PKK militants were killed, injured or captured during operations "
                     "carried out by the gendarmerie in Gao.", "2024-12-16"),
                "ASSAULT", "killed")
    assert e.actor is not None and e.actor.sector == "MIL"


def test_a_headline_read_as_a_noun_phrase(code: Code) -> None:
    e = of_type(code("Youths riot in Nairobi over land dispute", "2024-12-16"), "PROTEST")
    assert e.actor is not None and e.actor.sector == "PPL"


def test_a_headline_with_the_verb_read_as_a_noun(code: Code) -> None:
    e = of_type(code("Muslims protest against the raids in Gaza.", "2024-12-16"), "PROTEST")
    assert e.actor is not None and e.actor.text == "Muslims"


def test_the_strikes_are_those_named_in_the_sentence_before(code: Code) -> None:
    events = code("Kenyan jets carried out strikes on a camp near Gao. The strikes killed "
                  "six militants.", "2024-12-16")
    e = of_type(events, "ASSAULT", "killed")
    assert e.actor is not None and (e.actor.country, e.actor.sector) == ("KEN", "MIL")


def test_a_place_is_not_the_subject_after_a_clause_of_its_own(code: Code) -> None:
    e = of_type(code("Youth hired to clean streets at Jomvu in Mikindani, Nairobi county "
                     "held a protest march.", "2024-12-16"), "PROTEST")
    assert e.actor is not None and e.actor.text == "Youth"


def test_the_supporters_of_a_party_and_the_police_are_two_sides(code: Code) -> None:
    e = of_type(code("Supporters of the opposition party and police clashed in Nairobi.",
                     "2024-12-16"), "ASSAULT")
    assert e.actor is not None and e.actor.text == "Supporters of the opposition party"
    assert e.target is not None and e.target.sector == "POL"


# --- the two sides of an exchange, named on the act rather than a verb ---------------------

def test_an_exchange_of_fire_between_two_sides(code: Code) -> None:
    e = of_type(code("On 3 May 2024, an exchange of machine gun fire took place between the "
                     "Military Forces of Mali and unidentified gunmen near Gao.",
                     "2024-12-16"), "ASSAULT")
    assert e.actor is not None and e.actor.text == "the Military Forces of Mali"
    assert e.target is not None and e.target.text == "unidentified gunmen"


def test_a_shelling_exchange_between_two_sides(code: Code) -> None:
    e = of_type(code("On 3 May 2024, shelling exchange between regime forces and opposition "
                     "rebels near Latakia.", "2024-12-16"), "ASSAULT")
    assert e.actor is not None and (e.actor.text, e.actor.country) == ("regime forces", "SYR")


def test_the_dead_of_a_clash_are_its_sides_victims(code: Code) -> None:
    e = of_type(code("On 3 May 2024, two farmers were killed in a clash between herders and "
                     "villagers near Gao.", "2024-12-16"), "ASSAULT", "killed")
    assert e.actor is not None and e.actor.text.startswith("herders")
    assert (e.actor.country, e.actor.sector) == ("MLI", "PPL")


def test_places_between_which_a_fight_happens_are_not_its_sides(code: Code) -> None:
    e = of_type(code("On 3 May 2024, fighting broke out between rebels and soldiers between "
                     "Gao and Menaka.", "2024-12-16"), "ASSAULT")
    assert e.actor is not None and e.actor.text == "rebels"


# --- subjects the parser splits off -------------------------------------------------------

def test_a_participle_after_the_subject_is_not_the_subject(code: Code) -> None:
    e = of_type(code("On 3 May 2024, Kenyan border police patrolling the lake fired warning "
                     "shots near Nairobi.", "2024-12-16"), "ASSAULT", "fired")
    assert e.actor is not None and e.actor.text == "Kenyan border police"


def test_a_hyphenated_pro_prefix_stays_with_its_phrase(code: Code) -> None:
    e = of_type(code("On 3 May 2024, pro-Hadi and allied snipers opened fire on a market in "
                     "Hodeidah, wounding a boy.", "2024-12-16"), "ASSAULT")
    assert e.actor is not None and e.actor.text == "pro-Hadi and allied snipers"
    assert (e.actor.country, e.actor.sector) == ("YEM", "MIL")


# --- who is behind a passive act: the clause that caused it ------------------------------

def test_the_party_of_the_weapon_in_a_when_clause(code: Code) -> None:
    e = of_type(code("On 3 May 2024, two soldiers were killed when a Taliban mine exploded "
                     "near Herat.", "2024-12-16"), "ASSAULT", "killed")
    assert e.actor is not None and (e.actor.text, e.actor.country) == ("Taliban", "AFG")


def test_a_group_name_the_parser_hangs_apart_from_its_weapon(code: Code) -> None:
    e = of_type(code("On 3 May 2024, a soldier was wounded near Gao after a JNIM IED "
                     "exploded.", "2024-12-16"), "ASSAULT", "wounded")
    assert e.actor is not None and (e.actor.country, e.actor.sector) == ("MLI", "REB")


def test_who_carried_out_the_strikes_the_dead_were_killed_in(code: Code) -> None:
    e = of_type(code("On 3 May 2024, six militants were killed near Herat as the army "
                     "conducted air strikes.", "2024-12-16"), "ASSAULT", "killed")
    assert e.actor is not None and e.actor.text == "the army"


def test_a_mine_blast_names_no_one(code: Code) -> None:
    e = of_type(code("On 3 May 2024, a soldier was wounded near Gao after an IED exploded.",
                     "2024-12-16"), "ASSAULT", "wounded")
    assert e.actor is not None and e.actor.implied


# --- headlines --------------------------------------------------------------------------

def test_the_words_before_a_headline_verb_read_as_a_noun_protest(code: Code) -> None:
    e = of_type(code("Teachers of Kenyatta University protest unpaid salaries", "2024-12-16"),
                "PROTEST")
    assert e.actor is not None and e.actor.text == "Teachers of Kenyatta University"


def test_a_protest_noun_with_only_an_adjective_before_it_has_no_actor(code: Code) -> None:
    e = of_type(code("Illegal protests against rising prices.", "2024-12-16"), "PROTEST")
    assert e.actor is not None and e.actor.implied


def test_an_act_named_again_is_the_party_s_that_did_it_before(code: Code) -> None:
    events = code("On 3 May 2024, Kenyan jets conducted airstrikes on a camp near Gao. The "
                  "airstrikes came after militants killed ten soldiers.", "2024-12-16")
    again = [e for e in events if e.evidence.trigger == "airstrikes"][-1]
    assert again.evidence.sentence.startswith("The airstrikes")
    assert again.actor is not None and (again.actor.country, again.actor.sector) == (
        "KEN", "MIL")


def test_those_engaged_in_an_act_are_its_party(code: Code) -> None:
    e = of_type(code("On 3 May 2024, Malian forces were engaged in heavy fighting near Gao.",
                     "2024-12-16"), "ASSAULT")
    assert e.actor is not None and e.actor.text == "Malian forces"


def test_an_act_counted_in_days_keeps_the_subject_of_its_light_verb(code: Code) -> None:
    e = of_type(code("Armenian and Russian warships on Monday launched ten days of joint war "
                     "games in Syunik.", "2024-12-16"), "COOPERATE")
    assert e.actor is not None and (e.actor.country, e.actor.sector) == ("ARM", "MIL")


def test_an_armed_party_acting_on_after_a_fight_fought_in_it(code: Code) -> None:
    e = of_type(code("On 3 May 2024, following clashes, Russian forces took a village near "
                     "Gao.", "2024-12-16"), "ASSAULT")
    assert e.actor is not None and (e.actor.country, e.actor.sector) == ("RUS", "MIL")


def test_a_party_acting_after_an_attack_on_it_is_no_attacker(code: Code) -> None:
    events = code("Following a drone attack on the garrison, French troops decided to leave "
                  "the town.", "2024-12-16")
    attack = of_type(events, "ASSAULT")
    assert attack.actor is None or attack.actor.text != "French troops"


def test_people_fleeing_a_fight_did_not_fight(code: Code) -> None:
    events = code("On 3 May 2024, residents fled their homes near Gao following clashes.",
                  "2024-12-16")
    assert all(e.actor is None or e.actor.text != "residents" for e in events)


def test_a_headline_verb_read_as_a_modifier(code: Code) -> None:
    e = of_type(code("Thousands protest war in Iraq.", "2024-12-16"), "PROTEST")
    assert e.actor is not None and e.actor.text == "Thousands"


def test_those_who_riot_during_a_protest_protest(code: Code) -> None:
    e = of_type(code("Dozens of young men ransacked bars in Gao during a protest against "
                     "alcohol.", "2024-12-16"), "PROTEST")
    assert e.actor is not None and e.actor.text == "Dozens of young men"


def test_police_acting_during_a_protest_are_not_its_protesters(code: Code) -> None:
    e = of_type(code("Police arrested ten people in Gao during a protest against taxes.",
                     "2024-12-16"), "PROTEST")
    assert e.actor is not None and e.actor.implied


def test_they_refers_to_the_people_a_noun_rooted_sentence_names(code: Code) -> None:
    # the small parser reads the first sentence as one noun phrase headed by "farmers"
    e = of_type(code("About 300 herders from Menaka blocked vehicles on the N16 road. They "
                     "were protesting against new taxes.", "2024-12-16"),
                "PROTEST", "protesting")
    assert e.actor is not None and e.actor.text.startswith("About 300 herders")
    assert (e.actor.country, e.actor.sector) == ("MLI", "PPL")


def test_the_attack_is_what_the_sentence_before_told_someone_did_with_a_weapon(
        code: Code) -> None:
    e = of_type(code("On 3 May 2024, rioters hurled a Molotov cocktail at a bank in Gao. No "
                     "injuries were reported. The attack is likely related to recent protests.",
                     "2024-12-16"), "ASSAULT", "attack")
    assert e.actor is not None and (e.actor.text, e.actor.sector) == ("rioters", "PPL")


def test_the_attack_is_not_theirs_who_only_arrived(code: Code) -> None:
    e = of_type(code("On 3 May 2024, police arrived at a bank in Gao. The attack killed three "
                     "guards.", "2024-12-16"), "ASSAULT")
    assert e.actor is not None and e.actor.implied
