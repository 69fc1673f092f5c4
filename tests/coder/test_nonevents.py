"""Deaths and damage without a human agent are no events; real attacks stay ASSAULT.

PLOVER codes what actors do: a flood, a crash, lightning or an epidemic kills, but no one
uses force. Such a sentence must yield no plain event (a hedged or negated record would be
allowed by the record contract, but the coder gives none for these). Near misses, where a
bomb, gunmen or an arsonist stand behind the blast, fire or killing, stay ASSAULT (or
COERCE for property destruction). Sentences are the project's own.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from eventscope.record import Event

Code = Callable[[str, str], list[Event]]

NON_EVENTS = [
    # weather and geophysical disasters
    "Floods killed 40 people in northern Nigeria on Monday.",
    "Heavy rains triggered a landslide that buried 15 villagers.",
    "An earthquake of magnitude 6.1 killed at least 30 people in Herat.",
    "Lightning struck a village in Niger, killing three farmers.",
    "An avalanche killed four climbers in Ladakh.",
    "A heatwave killed 120 people across the province.",
    "Cyclone Idai killed more than 600 people in Mozambique.",
    "Storms destroyed hundreds of homes and killed six people in Kenya.",
    "Hailstorms destroyed crops and killed cattle.",
    "Torrential rain flooded the camp and killed a child.",
    "The drought has killed thousands of cattle and left 2 million hungry.",
    "A wildfire destroyed 40 homes near Latakia.",
    # transport accidents
    "A bus plunged into a ravine near Herat, killing 12 passengers.",
    "Two soldiers were killed in a road accident near Gao.",
    "A truck collided with a minibus, killing seven people.",
    "A train derailed in Niger, killing nine passengers.",
    "A plane crashed shortly after take-off from Kabul, killing all 50 on board.",
    "Twelve people were killed when their minibus overturned near Gao.",
    "Two children drowned after a boat capsized on the river.",
    "A minibus hit a tree, killing four.",
    # fires, blasts and collapses with no attacker
    "A gas cylinder exploded in a market in Kabul, injuring nine people.",
    "Five people died in a fire at a textile factory in Nairobi.",
    "A fire broke out at a hospital in Damascus, killing 11 patients.",
    "A boiler explosion at a factory injured 20 workers.",
    "A fuel tanker exploded on the highway, killing 30 people nearby.",
    "A gas leak explosion in a residential building in Moscow killed four.",
    "Three miners died when a tunnel collapsed in Menaka.",
    "Three firefighters were killed battling a blaze at a warehouse.",
    "A stampede at a stadium in Nairobi killed eight fans.",
    # disease
    "Cholera has killed 200 people in Yemen since January.",
    "Measles has killed 50 children in the region this year.",
    "Ebola killed 11 people in the province last month.",
    "Malaria killed hundreds in the camps of El Fasher.",
]

ATTACKS = [
    ("An explosion killed five soldiers after militants planted an IED on the road near Gao.",
     "ASSAULT"),
    ("A roadside bomb exploded near a police patrol in Kabul, killing two officers.",
     "ASSAULT"),
    ("A car bomb killed 12 people in a market in Menaka.", "ASSAULT"),
    ("Shelling killed four civilians in Tartous.", "ASSAULT"),
    ("An airstrike killed nine fighters near Latakia.", "ASSAULT"),
    ("Unidentified gunmen shot dead a teacher in Herat.", "ASSAULT"),
    ("Militants set fire to a school in Menaka.", "ASSAULT"),
    ("A local official was killed in an attack on his convoy near Gao.", "ASSAULT"),
    ("A journalist was shot dead in Kabul on Monday.", "ASSAULT"),
    ("A suicide bomber blew himself up at a checkpoint in Kabul, killing six.", "ASSAULT"),
    ("Arsonists torched five houses in the village.", "COERCE"),
    ("A blast killed two soldiers near Gao.", "ASSAULT"),  # armed targets: a mine or IED
    ("Jets struck a village, killing three.", "ASSAULT"),
    ("Soldiers opened fire on protesters, killing four.", "ASSAULT"),
    ("A soldier died when his vehicle hit a landmine and overturned near Gao.", "ASSAULT"),
]


@pytest.mark.parametrize("text", NON_EVENTS)
def test_nature_and_accident_are_no_one_s_act(code: Code, text: str) -> None:
    plain = [(e.event_type, e.evidence.trigger) for e in code(text, "2024-12-16")
             if not (e.hedged or e.negated)]
    assert plain == []


@pytest.mark.parametrize(("text", "etype"), ATTACKS)
def test_an_attack_behind_the_harm_stays_coded(code: Code, text: str, etype: str) -> None:
    types = {e.event_type for e in code(text, "2024-12-16") if not e.negated}
    assert etype in types
