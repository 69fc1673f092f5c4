"""Recognition and resolution on short news-like sentences, with the default index."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventscope.geo import geoparse, is_demonym, precision_of
from eventscope.record import Toponym

pytestmark = pytest.mark.usefixtures("use_default_index")


def by_name(toponyms: list[Toponym]) -> dict[str, Toponym]:
    return {t.name: t for t in toponyms}


def test_offsets_point_into_the_text() -> None:
    text = "Flooding closed roads in Jakarta and Surabaya on Monday."
    for t in geoparse(text):
        assert text[t.start : t.end] == t.name
    assert {"Jakarta", "Surabaya"} <= set(by_name(geoparse(text)))


def test_an_air_base_is_one_place_at_the_base() -> None:
    text = "Drones attacked the Hmeimim air base overnight, the ministry said."
    found = by_name(geoparse(text))
    base = found["Hmeimim air base"]
    assert (base.country, base.feature_code, base.admin1) == ("SYR", "AIRB", "Latakia")
    assert precision_of(base) == 1


def test_x_comma_y_picks_the_town_in_that_state() -> None:
    found = by_name(geoparse("The trial moved from Alexandria, Louisiana, last year."))
    assert found["Alexandria"].admin1 == "Louisiana"
    assert found["Alexandria"].country == "USA"
    assert precision_of(found["Louisiana"]) == 3


def test_paris_follows_its_context() -> None:
    texan = by_name(geoparse("Storms hit Paris, Texas, and nearby Dallas on Sunday."))
    assert (texan["Paris"].country, texan["Paris"].admin1) == ("USA", "Texas")
    french = by_name(geoparse("Protesters marched in Paris and Lyon against the reform."))
    assert french["Paris"].country == "FRA"


def test_demonyms_stand_for_their_country() -> None:
    found = by_name(geoparse("Syrian troops and Russian advisers met in Damascus."))
    assert found["Syrian"].country == "SYR" and is_demonym(found["Syrian"])
    assert found["Russian"].country == "RUS" and is_demonym(found["Russian"])
    assert not is_demonym(found["Damascus"])
    assert precision_of(found["Syrian"]) == 3


def test_person_names_and_common_words_are_not_places() -> None:
    found = by_name(geoparse("In May, Mr. Jackson Browne said the police would reply."))
    assert not {"May", "Jackson", "Browne", "Jackson Browne"} & set(found)


def test_empty_text_has_no_places(default_index: Path) -> None:
    assert geoparse("") == []
    assert geoparse("   \n") == []
