"""Recognition: organisations and common words are not places; places spaCy mislabels
or spells differently are still found."""

from __future__ import annotations

import pytest

from eventscope.geo import geoparse
from eventscope.geo.recognize import spelling_variants
from eventscope.record import Toponym

pytestmark = pytest.mark.usefixtures("use_default_index")


def names(toponyms: list[Toponym]) -> list[str]:
    return [t.name for t in toponyms]


@pytest.mark.parametrize("text", [
    "Volunteers from the Red Cross handed out blankets after the storm.",
    "She was treated at the Mayo Clinic before returning home.",
    "Grenade attacks have become more frequent, police said.",
])
def test_organisations_and_common_words_are_not_small_towns(text: str) -> None:
    assert geoparse(text) == []


def test_a_town_that_leads_an_organisations_name_is_kept() -> None:
    found = geoparse("The Grand Ledge Public Schools board met on Monday.")
    assert names(found) == ["Grand Ledge"]
    assert found[0].admin1 == "Michigan"


def test_a_one_word_person_after_in_is_a_place_when_it_names_a_town() -> None:
    found = geoparse("Gunmen killed two traders in Gao on Sunday.")
    assert names(found) == ["Gao"]
    assert (found[0].country, found[0].feature_code) == ("MLI", "PPL")


def test_a_place_found_once_is_found_at_its_later_mentions() -> None:
    text = "Militants attacked a checkpoint in Menaka on Friday. Menaka has been tense since."
    found = geoparse(text)
    assert [t.start for t in found] == [text.index("Menaka"), text.rindex("Menaka")]
    assert {t.country for t in found} == {"MLI"}


def test_a_press_spelling_finds_the_gazetteers_romanisation() -> None:
    assert "hudaydah" in spelling_variants("hodeidah")
    found = geoparse("Fighting continued in Hodeidah on Monday.")
    assert names(found) == ["Hodeidah"]
    assert found[0].country == "YEM"
