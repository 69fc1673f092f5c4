"""The project's example articles, as fixtures: every PLOVER type is found where written.

Each row names an example file, the trigger word, and what the event must be. Together
the rows cover all 16 PLOVER types, plus negated and hedged events.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from eventscope.record import EVENT_TYPES, Event

# (file, event type, trigger, actor country or None, negated, hedged)
CASES: list[tuple[str, str, str, str | None, bool, bool]] = [
    ("menaka-ambush", "ASSAULT", "ambushed", "MLI", False, False),
    ("menaka-ambush", "MOBILIZE", "deployed", None, False, False),
    ("menaka-ambush", "COERCE", "arrested", None, False, False),
    ("menaka-ambush", "ACCUSE", "accused", None, False, False),
    ("menaka-ambush", "ASSAULT", "fire", "MLI", True, False),
    ("nairobi-fuel-protest", "PROTEST", "marched", "KEN", False, False),
    ("nairobi-fuel-protest", "REQUEST", "called", None, False, False),
    ("nairobi-fuel-protest", "CONCEDE", "eased", None, False, False),
    ("nairobi-fuel-protest", "REJECT", "rejected", None, False, False),
    ("geneva-prisoner-talks", "CONSULT", "met", "ARM", False, False),
    ("geneva-prisoner-talks", "AGREE", "agreed", None, False, False),
    ("geneva-prisoner-talks", "RETREAT", "released", "AZE", False, False),
    ("geneva-prisoner-talks", "REJECT", "rejected", "ARM", False, False),
    ("geneva-prisoner-talks", "CONSULT", "meet", None, False, True),
    ("red-sea-sanctions", "THREATEN", "attack", "YEM", False, False),
    ("red-sea-sanctions", "SANCTION", "sanctions", "EUR", False, False),
    ("red-sea-sanctions", "ACCUSE", "condemned", "SAU", False, False),
    ("darfur-aid-corridor", "AID", "delivered", "UNO", False, False),
    ("darfur-aid-corridor", "RETREAT", "withdrew", "SDN", False, False),
    ("darfur-aid-corridor", "COOPERATE", "shared", "TCD", False, False),
    ("darfur-aid-corridor", "SUPPORT", "praised", "AFR", False, False),
    ("border-standoff", "MOBILIZE", "moved", "IND", False, False),
    ("border-standoff", "RETREAT", "pulled", "CHN", False, True),
    ("border-standoff", "CONSULT", "discussed", None, False, False),
    ("border-standoff", "THREATEN", "warned", "CHN", False, False),
    ("border-standoff", "ASSAULT", "open", None, True, False),
]


@pytest.fixture(scope="module")
def coded(code: Callable[[str, str], list[Event]], examples_dir: Path,
          read_example: Callable[[Path], tuple[str, str]]) -> dict[str, list[Event]]:
    out = {}
    for path in sorted(examples_dir.glob("*.txt")):
        body, published = read_example(path)
        out[path.stem] = code(body, published)
    return out


def test_the_cases_cover_every_plover_type() -> None:
    assert {c[1] for c in CASES} == set(EVENT_TYPES)
    assert any(c[4] for c in CASES) and any(c[5] for c in CASES)


@pytest.mark.parametrize(("name", "etype", "trigger", "country", "negated", "hedged"), CASES)
def test_event_is_found_where_written(
    coded: dict[str, list[Event]], name: str, etype: str, trigger: str, country: str | None,
    negated: bool, hedged: bool,
) -> None:
    found = [e for e in coded[name] if e.event_type == etype and e.evidence.trigger == trigger]
    assert found, f"{etype} on {trigger!r} not in {name}: " + ", ".join(
        f"{e.event_type}/{e.evidence.trigger}" for e in coded[name])
    event = found[0]
    assert (event.negated, event.hedged) == (negated, hedged)
    if country is not None:
        assert event.actor is not None and event.actor.country == country


def test_weekdays_resolve_against_publication(coded: dict[str, list[Event]]) -> None:
    # published Friday 2025-03-14: the ambush "on Wednesday" was on the 12th
    ambush = next(e for e in coded["menaka-ambush"] if e.evidence.trigger == "ambushed")
    assert (ambush.date, ambush.date_precision, ambush.date_text) == (
        "2025-03-12", "day", "on Wednesday")


def test_places_are_the_events_own(coded: dict[str, list[Event]]) -> None:
    ambush = next(e for e in coded["menaka-ambush"] if e.evidence.trigger == "ambushed")
    assert ambush.location is not None and ambush.location.name == "Menaka"
    assert ambush.location.precision == 2  # "near Menaka"
    aid = next(e for e in coded["darfur-aid-corridor"] if e.evidence.trigger == "delivered")
    assert aid.location is not None and aid.location.name == "El Fasher"
    # "two villages east of the city": the city is the one named before
    pullout = next(e for e in coded["darfur-aid-corridor"] if e.evidence.trigger == "withdrew")
    assert pullout.location is not None and pullout.location.name == "El Fasher"


def test_every_example_has_front_matter_and_events(
    examples_dir: Path, coded: dict[str, list[Event]],
    read_example: Callable[[Path], tuple[str, str]],
) -> None:
    paths = sorted(examples_dir.glob("*.txt"))
    assert 6 <= len(paths) <= 10
    for path in paths:
        body, published = read_example(path)
        assert body.strip() and published[:2] == "20"
        assert coded[path.stem]
