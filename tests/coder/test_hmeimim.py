"""The article of issue 3: what a careful analyst codes in it, and what must not appear.

The article (published Monday 2024-12-16) reports Russian military moves in Syria after
the fall of Assad. Each case below is one event an analyst would code, described by
its properties; the coder must find an event with all of them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from eventscope.record import Event

PUBLISHED = "2024-12-16"


def _where(e: Event) -> str:
    return e.location.name if e.location and e.location.name else ""


EXPECTED: dict[str, Callable[[Event], bool]] = {
    "convoy heading to Tartous: MOBILIZE by Russian military, at Tartus, on Monday":
        lambda e: e.event_type == "MOBILIZE" and e.actor is not None
        and e.actor.country == "RUS" and e.actor.sector == "MIL"
        and _where(e) == "Tartous" and e.location is not None and e.location.precision == 1
        and e.date == PUBLISHED and e.date_precision == "day" and not e.hedged,
    "Russia's intervention in support of Assad: SUPPORT by Russia":
        lambda e: e.event_type == "SUPPORT" and e.actor is not None
        and e.actor.country == "RUS" and e.target is not None and "Assad" in e.target.text,
    "the 2017 lease deal: AGREE between Assad's government and Russia, dated to the year":
        lambda e: e.event_type == "AGREE" and e.date == "2017-01-01"
        and e.date_precision == "year" and e.actor is not None
        and e.actor.country in ("SYR", "RUS"),
    "the offensive by opposition forces: ASSAULT by the opposition in Syria":
        lambda e: e.event_type == "ASSAULT" and e.actor is not None
        and e.actor.sector in ("OPP", "REB") and e.actor.country == "SYR"
        and e.location is not None and e.location.country == "SYR",
    "asylum granted to Assad: AID by Russia":
        lambda e: e.event_type == "AID" and e.actor is not None and e.actor.country == "RUS"
        and e.mode == "asylum" and not e.negated,
    "insurgents attacked Damascus: ASSAULT by rebels at Damascus":
        lambda e: e.event_type == "ASSAULT" and e.actor is not None and e.actor.sector == "REB"
        and _where(e) == "Damascus" and e.location is not None and e.location.precision == 1,
    "the drone attack on the base: aerial ASSAULT at the Hmeimim air base, not 'Syria'":
        lambda e: e.event_type == "ASSAULT" and e.mode == "aerial"
        and _where(e) == "Hmeimim air base" and e.location is not None
        and e.location.precision == 1,
    "Russian forces evacuate Assad to Russia: AID by the Russian military":
        lambda e: e.event_type == "AID" and e.actor is not None
        and (e.actor.country, e.actor.sector) == ("RUS", "MIL") and e.target is not None
        and "Assad" in e.target.text,
    "signs of potential Russian withdrawal: RETREAT, hedged":
        lambda e: e.event_type == "RETREAT" and e.hedged and not e.negated
        and e.actor is not None and e.actor.country == "RUS",
    "reports indicate Russian forces pulling out: RETREAT attributed to reports":
        lambda e: e.event_type == "RETREAT" and e.attribution == "reports"
        and e.actor is not None and (e.actor.country, e.actor.sector) == ("RUS", "MIL"),
    "military vehicles retreating towards Latakia: RETREAT by Russian military at Latakia":
        lambda e: e.event_type == "RETREAT" and _where(e) == "Latakia"
        and e.actor is not None and (e.actor.country, e.actor.sector) == ("RUS", "MIL"),
    "Moscow engaging with the new Syrian authorities: CONSULT by the Russian government":
        lambda e: e.event_type == "CONSULT" and e.actor is not None
        and (e.actor.country, e.actor.sector) == ("RUS", "GOV") and e.target is not None
        and e.target.country == "SYR",
    "calls for a reconsideration by the transitional government: REQUEST by Syria's government":
        lambda e: e.event_type == "REQUEST" and e.actor is not None
        and (e.actor.country, e.actor.sector) == ("SYR", "GOV"),
    "the dialogue Peskov emphasized: CONSULT attributed to him":
        lambda e: e.event_type == "CONSULT" and e.attribution is not None
        and "Peskov" in e.attribution and e.actor is not None and e.actor.country == "RUS",
}


@pytest.fixture(scope="module")
def events(code: Callable[[str, str], list[Event]], hmeimim_text: str) -> list[Event]:
    return code(hmeimim_text, PUBLISHED)


@pytest.mark.parametrize("case", list(EXPECTED))
def test_analyst_event_is_found(events: list[Event], case: str) -> None:
    matches = [e for e in events if EXPECTED[case](e)]
    assert matches, f"{case}: not among\n" + "\n".join(
        f"{e.event_type} {e.actor} @ {_where(e)} {e.date}" for e in events)


def test_the_absence_of_clashes_is_no_clash(events: list[Event]) -> None:
    in_sentence = [e for e in events if "absence of clashes" in e.evidence.sentence
                   and e.event_type == "ASSAULT"]
    assert in_sentence, "the negated clash should be kept, as a negated record"
    assert all(e.negated for e in in_sentence)


def test_refraining_from_involvement_is_no_intervention(events: list[Event]) -> None:
    sentence = [e for e in events if "refrained from direct involvement" in e.evidence.sentence]
    assert not any(e.event_type in ("ASSAULT", "MOBILIZE") and not e.negated for e in sentence)


def test_nothing_negated_comes_out_plain(events: list[Event]) -> None:
    for e in events:
        words = e.evidence.trigger.lower()
        assert not (words in ("clashes", "involvement") and not e.negated), e


def test_evidence_points_into_the_text(events: list[Event], hmeimim_text: str) -> None:
    for e in events:
        assert hmeimim_text[e.evidence.start:e.evidence.end] == e.evidence.sentence
        assert e.evidence.trigger in e.evidence.sentence


def test_ids_are_unique_and_confidence_varies(events: list[Event]) -> None:
    assert len({e.event_id for e in events}) == len(events)
    assert len({e.confidence for e in events}) > 3
    assert all(0.0 <= e.confidence <= 1.0 for e in events)
