"""Actor coding: which words of a phrase give the country and the sector.

Sentences are the project's own, one behaviour each.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from eventscope.coder.lexicon import load_actor_dictionary
from eventscope.record import Event

Code = Callable[[str, str], list[Event]]


def coded(events: list[Event], etype: str) -> tuple[str | None, str | None, str]:
    found = [e for e in events if e.event_type == etype and e.actor is not None]
    assert found, f"no {etype} with an actor in {[(e.event_type, e.actor) for e in events]}"
    actor = found[0].actor
    assert actor is not None
    return actor.country, actor.sector, actor.text


@pytest.mark.parametrize("sentence", [
    "Members of the ANC clashed with police in Nairobi.",
    "ANC supporters clashed with police in Nairobi.",
    "Youths of the ANC clashed with police in Nairobi.",
])
def test_a_party_s_backers_in_the_street_are_people_of_its_country(
        code: Code, sentence: str) -> None:
    country, sector, _ = coded(code(sentence, "2024-12-16"), "ASSAULT")
    assert (country, sector) == ("ZAF", "PPL")


def test_a_politician_s_supporters_are_people(code: Code) -> None:
    _, sector, _ = coded(code("Supporters of President Putin attacked a rally in Moscow.",
                              "2024-12-16"), "ASSAULT")
    assert sector == "PPL"


def test_members_of_an_armed_group_are_the_group(code: Code) -> None:
    country, sector, _ = coded(code("Members of Al Shabaab attacked a police post.",
                                    "2024-12-16"), "ASSAULT")
    assert (country, sector) == ("SOM", "REB")


def test_members_of_a_state_force_are_that_force(code: Code) -> None:
    _, sector, _ = coded(code("Members of the army attacked a village near Gao.",
                              "2024-12-16"), "ASSAULT")
    assert sector == "MIL"


def test_the_party_itself_stays_a_party(code: Code) -> None:
    _, sector, _ = coded(code("The ANC accused the government of fraud.", "2024-12-16"),
                         "ACCUSE")
    assert sector == "PTY"


@pytest.mark.parametrize(("sentence", "sector"), [
    ("Border guards detained two smugglers near Gao.", "POL"),
    ("Prison guards beat a journalist in Gao.", "POL"),
    ("Intelligence agents detained an activist in Gao.", "MIL"),
    ("Looters attacked shops in Gao.", "PPL"),
])
def test_role_words_of_acled_s_actor_categories(code: Code, sentence: str, sector: str) -> None:
    assert coded(code(sentence, "2024-12-16"), "ASSAULT" if "attacked" in sentence
                 or "beat" in sentence else "COERCE")[1] == sector


def test_traders_who_riot_are_a_crowd(code: Code) -> None:
    # traders are civilians (CVL); acting as a crowd they are people (PPL)
    _, sector, _ = coded(code("Angry traders attacked tax collectors in Gao.", "2024-12-16"),
                         "ASSAULT")
    assert sector == "PPL"


def test_an_unknown_first_party_takes_the_known_second_one(code: Code) -> None:
    # not a clash: "and" joins allies, who are coded from the one the dictionary knows
    country, sector, text = coded(code("Wolf Brigade and Malian soldiers attacked a camp "
                                       "near Gao.", "2024-12-16"), "ASSAULT")
    assert (country, sector) == ("MLI", "MIL")
    assert text == "Wolf Brigade and Malian soldiers"


def test_a_phrase_ends_before_an_adjective_heading_its_own_phrase(code: Code) -> None:
    _, _, text = coded(code("Dozens of people close to the chief burned a church in Gao.",
                            "2024-12-16"), "COERCE")
    assert text == "Dozens of people"


def test_a_conjunct_with_its_own_participle_is_not_a_second_party(code: Code) -> None:
    events = code("A trader was killed by colleagues and his body set on fire in Gao.",
                  "2024-12-16")
    _, _, text = coded(events, "ASSAULT")
    assert text == "colleagues"


def test_groups_of_a_party_s_members_are_people(code: Code) -> None:
    country, sector, _ = coded(code("Two groups of ANC youths clashed in Nairobi.",
                                    "2024-12-16"), "ASSAULT")
    assert (country, sector) == ("ZAF", "PPL")


def test_a_group_of_gunmen_is_the_gunmen(code: Code) -> None:
    _, sector, _ = coded(code("A group of gunmen attacked a bus near Gao.", "2024-12-16"),
                         "ASSAULT")
    assert sector == "REB"


def test_the_group_is_the_group_named_before(code: Code) -> None:
    events = code("A group of traders gathered in Gao. The group demanded lower taxes.",
                  "2024-12-16")
    found = [e for e in events if e.evidence.trigger == "demanded"]
    assert found and found[0].actor is not None and found[0].actor.text == "The group"
    assert found[0].actor.sector == "PPL"  # traders (CVL) making demands act as a crowd


def test_an_opposition_leader_leads_no_government(code: Code) -> None:
    _, sector, _ = coded(code("The opposition leader accused the government of fraud.",
                              "2024-12-16"), "ACCUSE")
    assert sector == "OPP"


def test_former_soldiers_are_no_longer_the_military(code: Code) -> None:
    _, sector, _ = coded(code("About 200 ex-soldiers demonstrated in Nairobi.", "2024-12-16"),
                         "PROTEST")
    assert sector == "PPL"


@pytest.mark.parametrize(("sentence", "sector"), [
    ("Members of the Police Wives Association marched in Nairobi.", "PPL"),
    ("The Kenya Police Service arrested ten protesters in Nairobi.", "POL"),
])
def test_a_role_word_inside_a_name_codes_only_as_the_name_s_head(
        code: Code, sentence: str, sector: str) -> None:
    events = code(sentence, "2024-12-16")
    assert coded(events, "PROTEST" if "marched" in sentence else "COERCE")[1] == sector


def test_an_acronym_in_capitals_still_names_its_actor(code: Code) -> None:
    country, sector, _ = coded(code("US troops attacked a militia camp near Gao.",
                                    "2024-12-16"), "ASSAULT")
    assert (country, sector) == ("USA", "MIL")


@pytest.mark.parametrize(("sentence", "etype", "role", "country"), [
    ("Gunmen fired at us near Gao, the villagers said.", "ASSAULT", "target", None),
    ("A group of car owners protested in Nairobi.", "PROTEST", "actor", "KEN"),
    ("Rebels attacked a checkpoint in Bir Gandouz near Gao.", "ASSAULT", "target", None),
])
def test_a_word_spelled_like_an_acronym_is_not_the_acronym(
        code: Code, sentence: str, etype: str, role: str, country: str | None) -> None:
    # "us" is no United States, "car" no Central African Republic, the "Bir" of a place
    # name no Cameroonian battalion (BIR)
    event = next(e for e in code(sentence, "2024-12-16") if e.event_type == etype)
    party = event.actor if role == "actor" else event.target
    assert party is not None and party.country == country


@pytest.mark.parametrize(("sentence", "country"), [
    ("Taliban fighters attacked a police post in Herat.", "AFG"),
    ("Al-Shabab militants attacked a police post in Nairobi.", "SOM"),
    ("Ansar Dine fighters attacked an army post near Gao.", "MLI"),
    ("Islamic State fighters attacked an army post near Gao.", "IMG"),
    # the parser reads "IS" as the verb "is"; the acronym still names the group
    ("On 3 May 2020, IS militants killed a soldier near Gao.", "IMG"),
])
def test_named_armed_groups_carry_the_country_they_operate_in(
        code: Code, sentence: str, country: str) -> None:
    # one country of operation, else CAMEO's IMG (international militarized group)
    assert coded(code(sentence, "2024-12-16"), "ASSAULT")[:2] == (country, "REB")


@pytest.mark.parametrize(("sentence", "etype", "sector"), [
    ("Security forces fired tear gas to disperse protesters in Nairobi.", "COERCE", "POL"),
    ("Nigeria Customs seized 40 bags of rice near Gao.", "COERCE", "POL"),
    ("Defence and security forces attacked a militant camp near Gao.", "ASSAULT", "MIL"),
    ("A gendarme shot a trader in Gao.", "ASSAULT", "MIL"),
])
def test_forces_of_public_order_are_police_and_the_army_s_are_military(
        code: Code, sentence: str, etype: str, sector: str) -> None:
    assert coded(code(sentence, "2024-12-16"), etype)[1] == sector


def test_a_demonym_compounded_to_a_group_s_unit_names_its_people_not_its_country(
        code: Code) -> None:
    country, _, _ = coded(code("The PMF's Turkmen Brigades attacked an IS position.",
                               "2024-12-16"), "ASSAULT")
    assert country == "IRQ"


def test_a_date_before_a_comma_is_not_part_of_the_actor_s_words(code: Code) -> None:
    _, _, text = coded(code("On 17 August 2019, regime and pro-regime militia forces "
                            "attacked a village near Gao.", "2024-12-16"), "ASSAULT")
    assert text == "regime and pro-regime militia forces"


def test_acronyms_do_not_hide_places_spelled_like_them() -> None:
    # BLA is the Baloch Liberation Army, Bla a town in Mali; the Taliban is never a place
    not_places = load_actor_dictionary().not_places()
    assert "bla" not in not_places and "taliban" in not_places


@pytest.mark.parametrize(("sentence", "etype", "country"), [
    ("Bosnian Serbs demanded a truce with Moslem forces.", "REQUEST", "BIH"),
    ("The Albanians of southern Serbia are demanding autonomy.", "REQUEST", "SRB"),
    ("Syrian Turkmen fighters attacked a village.", "ASSAULT", "SYR"),
    ("Serbs attacked a village.", "ASSAULT", "SRB"),
])
def test_a_people_named_with_the_country_they_live_in_are_that_country_s(
        code: Code, sentence: str, etype: str, country: str) -> None:
    assert coded(code(sentence, "2024-12-16"), etype)[0] == country


@pytest.mark.parametrize(("sentence", "etype", "country", "sector"), [
    ("On 3 May 2024, Liyu police shot two herders.", "ASSAULT", "ETH", "POL"),
    ("On 3 May 2024, the GSU dispersed traders.", "COERCE", "KEN", "POL"),
    ("On 3 May 2024, Tiger Forces shelled a village.", "ASSAULT", "SYR", "MIL"),
])
def test_a_named_national_force_is_its_state_s(
        code: Code, sentence: str, etype: str, country: str, sector: str) -> None:
    assert coded(code(sentence, "2024-12-16"), etype)[:2] == (country, sector)


@pytest.mark.parametrize(("sentence", "etype", "country"), [
    ("On 3 May 2024, Madhesi protesters blocked a highway.", "PROTEST", "NPL"),
    ("On 3 May 2024, Oromo youths burned tyres on a road.", "PROTEST", "ETH"),
])
def test_a_people_of_one_country_says_whose_the_crowd_is(
        code: Code, sentence: str, etype: str, country: str) -> None:
    assert coded(code(sentence, "2024-12-16"), etype)[:2] == (country, "PPL")


def test_a_people_s_name_stays_a_possible_place() -> None:
    # Turkana is a people of Kenya and a Kenyan county: the geoparser still sees the county
    assert "turkana" not in load_actor_dictionary().not_places()


def test_those_backing_a_country_are_not_its_own(code: Code) -> None:
    country, sector, _ = coded(code("On 3 May 2024, pro-Russian separatists shelled a "
                                    "village near Gao.", "2024-12-16"), "ASSAULT")
    assert (country, sector) == ("MLI", "REB")


def test_those_against_the_government_are_not_the_government(code: Code) -> None:
    country, sector, _ = coded(code("On 3 May 2024, anti-government protesters marched in "
                                    "Nairobi.", "2024-12-16"), "PROTEST")
    assert (country, sector) == ("KEN", "PPL")


def test_a_bracketed_acronym_is_shown_closed(code: Code) -> None:
    _, _, text = coded(code("On 3 May 2024, the Uganda People's Defence Force (UPDF) shelled a "
                            "camp.", "2024-12-16"), "ASSAULT")
    assert text == "the Uganda People's Defence Force (UPDF)"
