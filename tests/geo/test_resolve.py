"""Resolution: a region named like its main town stands for the town, unless the text
says it means the region."""

from __future__ import annotations

from dataclasses import replace

import pytest

from eventscope.geo import geoparse, precision_of
from eventscope.geo.gazetteer import KIND_NAME, Place
from eventscope.geo.recognize import Mention
from eventscope.geo.resolve import (
    BORROWED_PROB,
    FEATURES,
    _joint,
    _namesake,
    _within,
    candidate_features,
    resolve,
)
from eventscope.record import Toponym

pytestmark = pytest.mark.usefixtures("use_default_index")


def by_name(toponyms: list[Toponym]) -> dict[str, Toponym]:
    return {t.name: t for t in toponyms}


def place(name: str, code: str, population: int, admin1: str = "01", lat: float = 10.0,
          lon: float = 20.0) -> Place:
    return Place(
        id=hash((name, code, admin1)), geonameid=None, name=name, lat=lat, lon=lon, cc="XX",
        country="XXX", admin1={"01": "Northshire"}.get(admin1, "Southmoor"), admin1_code=admin1,
        feature_class="P" if code.startswith("PPL") else "A", feature_code=code,
        population=population, kind=KIND_NAME, source="test",
    )


@pytest.mark.parametrize("text, name, country", [
    ("Diplomats met in Geneva on Tuesday to discuss the ceasefire.", "Geneva", "CHE"),
    ("Thousands rallied in Moscow against the new law.", "Moscow", "RUS"),
    ("Jets struck targets near Latakia and Tartus overnight.", "Latakia", "SYR"),
    ("Jets struck targets near Latakia and Tartus overnight.", "Tartus", "SYR"),
    ("The storm reached New York on Monday.", "New York", "USA"),
])
def test_a_bare_name_of_a_town_and_its_region_is_the_town(
    text: str, name: str, country: str
) -> None:
    found = by_name(geoparse(text))[name]
    assert found.country == country
    assert found.feature_code is not None and found.feature_code.startswith("PPL")
    assert precision_of(found) == 1


def test_province_of_x_and_x_province_mean_the_region() -> None:
    found = by_name(geoparse(
        "Shelling was reported across Latakia province and in the governorate of Tartus."))
    for name in ("Latakia", "Tartus"):
        assert (found[name].country, found[name].feature_code) == ("SYR", "ADM1")
        assert precision_of(found[name]) == 3


def test_a_village_that_took_its_regions_name_does_not_replace_the_region() -> None:
    region = place("Northshire", "ADM1", 2_000_000)
    village = place("Northshire", "PPL", 900)
    assert _namesake(region, [region, village], region_cue=False) is region


def test_the_main_town_replaces_its_region_only_inside_it() -> None:
    region = place("Northshire", "ADM1", 2_000_000)
    town = place("Northshire", "PPL", 600_000)
    elsewhere = place("Northshire", "PPL", 600_000, admin1="02")
    assert _namesake(region, [region, town], region_cue=False) is town
    assert _namesake(region, [region, elsewhere], region_cue=False) is region
    assert _namesake(town, [region, town], region_cue=True) is region


def test_a_qualifier_chain_is_read_in_one_country() -> None:
    # "Nord-Ouest" alone is Haiti's department as likely as Cameroon's region.
    found = by_name(geoparse("Soldiers shot a man in Kumbo town (Bui, Nord-Ouest) on Monday."))
    assert found["Kumbo"].country == found["Nord-Ouest"].country == "CMR"
    assert found["Nord-Ouest"].feature_code == "ADM1"


def test_a_chain_member_with_no_reading_inside_the_chain_is_not_placed_abroad() -> None:
    found = by_name(geoparse("Mortars landed in Mogadishu-Hodan district (Hodan, Banadir)."))
    assert found["Mogadishu-Hodan"].country == found["Banadir"].country == "SOM"
    # Not a namesake town in another country: at most the town named before it.
    assert found["Hodan"].country == "SOM" and found["Hodan"].geonameid is None


def test_within_reads_countries_regions_and_nearby_towns() -> None:
    town = place("Eastford", "PPL", 20_000)
    assert _within(town, place("Northshire", "ADM1", 500_000))
    assert not _within(town, place("Southmoor", "ADM1", 500_000, admin1="02"))
    assert _within(town, place("Westby", "PPL", 90_000, lat=10.2))  # 22 km away
    assert not _within(town, place("Farport", "PPL", 90_000, lat=12.0))


def mention(text: str, at: int, *cands: Place) -> Mention:
    return Mention(start=at, end=at + len(text), text=text, key=text.lower(),
                   candidates=list(cands), label="GPE")


def test_a_name_qualifying_itself_is_read_as_two_places_where_it_can_be() -> None:
    # "in Santa Rosa (Santa Rosa)": the town, then the department it lies in.
    far = place("Santa Rosa", "PPL", 300_000, admin1="02", lat=40.0, lon=-100.0)
    town = place("Santa Rosa", "PPL", 30_000)
    region = place("Santa Rosa", "ADM1", 1_000_000)
    mentions = [mention("Santa Rosa", 3, far, town), mention("Santa Rosa", 15, far, region)]
    mentions[0].qualifier, mentions[0].contained = 1, True
    picks: list[int | None] = [0, 0]
    _joint([0, 1], mentions, [[0.6, 0.4], [0.6, 0.4]], picks)
    assert picks == [1, 1]  # not the big town twice


def test_a_name_qualifying_itself_with_one_reading_keeps_it() -> None:
    # "in Rafah (Rafah, ...)" where the gazetteer has the town but not its district.
    town = place("Rafah", "PPL", 60_000)
    mentions = [mention("Rafah", 3, town), mention("Rafah", 10, town)]
    mentions[0].qualifier, mentions[0].contained = 1, True
    picks: list[int | None] = [0, 0]
    _joint([0, 1], mentions, [[1.0], [1.0]], picks)
    assert picks == [0, 0]


def test_a_name_the_gazetteer_lacks_lies_at_the_town_named_before_it() -> None:
    # "Protesters marched from Northshire to City Hall, then on to Eastwick."
    north = place("Northshire", "PPL", 50_000, lat=10.0, lon=20.0)
    east = place("Eastwick", "PPL", 40_000, lat=30.0, lon=40.0)
    picks = resolve([mention("Northshire", 24, north), mention("City Hall", 38),
                     mention("Eastwick", 60, east)])
    hall, prob = picks[1]
    assert hall is not None
    assert (hall.name, hall.lat, hall.lon, hall.feature_code) == ("City Hall", 10.0, 20.0, "PPL")
    assert hall.geonameid is None  # an unidentified place there, not the town itself
    assert prob == BORROWED_PROB


def test_a_name_the_gazetteer_lacks_lies_in_the_town_the_story_is_about() -> None:
    # "Eastwick council met. Eastwick residents ... Northshire ... at Grand Mall."
    east = place("Eastwick", "PPL", 40_000, lat=30.0, lon=40.0)
    north = place("Northshire", "PPL", 50_000, lat=10.0, lon=20.0)
    mall = resolve([mention("Eastwick", 0, east), mention("Eastwick", 20, east),
                    mention("Northshire", 60, north), mention("Grand Mall", 75)])[3][0]
    assert mall is not None and (mall.name, mall.lat) == ("Grand Mall", 30.0)


def column(rows: list[list[float]], feature: str) -> list[float]:
    return [row[FEATURES.index(feature)] for row in rows]


def test_a_reading_through_another_name_is_marked_when_a_place_bears_the_name() -> None:
    # GeoNames lists "Eastford" among a bigger town's alternate names.
    own = place("Eastford", "PPL", 3_000)
    other = place("Great Westby", "PPL", 200_000, lat=40.0)
    (rows,) = candidate_features([mention("Eastford", 0, own, other)])
    assert column(rows, "alias_only") == [0.0, 1.0]
    (alone,) = candidate_features([mention("Eastford", 0, other)])
    assert column(alone, "alias_only") == [0.0]  # nothing bears the name: no penalty


def test_a_candidate_near_the_documents_other_places_has_more_support() -> None:
    # "Springdale" in Northshire or 3,000 km away, beside a story about Northshire's Eastford.
    here = place("Springdale", "PPL", 5_000, lat=10.5, lon=20.5)
    far = place("Springdale", "PPL", 9_000, admin1="02", lat=-15.0, lon=35.0)
    town = place("Eastford", "PPL", 20_000, lat=10.0, lon=20.0)
    rows, _ = candidate_features([mention("Springdale", 0, here, far),
                                  mention("Eastford", 20, town)])
    assert column(rows, "region_support") == [1.0, 0.0]
    near_km, far_km = column(rows, "log_nearest_km")
    assert near_km < far_km


def test_context_can_be_taken_from_a_rankers_own_picks() -> None:
    # Which Springdale the document means changes the support it lends to Eastford.
    north = place("Springdale", "PPL", 5_000, lat=10.5, lon=20.5)
    south = place("Springdale", "PPL", 9_000, admin1="02", lat=-15.0, lon=35.0)
    town = place("Eastford", "PPL", 20_000, lat=10.0, lon=20.0)
    mentions = [mention("Springdale", 0, north, south), mention("Eastford", 20, town)]
    for probs, support in (([0.9, 0.1], 0.9), ([0.1, 0.9], 0.1)):
        _, rows = candidate_features(mentions, [probs, [1.0]])
        assert column(rows, "admin1_support") == pytest.approx([support])


def test_a_town_is_borrowed_before_a_country_and_a_country_when_no_town_is_named() -> None:
    country = place("Xland", "PCLI", 9_000_000, lat=0.0, lon=0.0)
    town = place("Northshire", "PPL", 50_000, lat=10.0, lon=20.0)
    near_town = resolve([mention("Xland", 0, country), mention("Grand Mall", 20),
                         mention("Northshire", 40, town)])[1][0]
    assert near_town is not None and near_town.feature_code == "PPL"
    in_country = resolve([mention("Xland", 0, country), mention("Grand Mall", 20)])[1][0]
    assert in_country is not None and (in_country.feature_code, in_country.lat) == ("PCLI", 0.0)
    assert precision_of(Toponym(start=20, end=30, name="Grand Mall", lat=0.0, lon=0.0,
                                country="XXX", feature_code="PCLI")) == 3


def test_a_name_with_nothing_resolved_around_it_stays_unresolved() -> None:
    assert resolve([mention("Grand Mall", 0)]) == [(None, 0.0)]


def test_a_name_the_gazetteer_lacks_lies_in_the_region_its_qualifier_names() -> None:
    # "Fighting near Northshire reached Oldfield district, Southmoor."
    town = place("Northshire", "PPL", 50_000, lat=10.0, lon=20.0)
    region = place("Southmoor", "ADM1", 900_000, admin1="02", lat=-5.0, lon=30.0)
    mentions = [mention("Northshire", 14, town), mention("Oldfield", 33),
                mention("Southmoor", 52, region)]
    mentions[1].qualifier = 2
    district = resolve(mentions)[1][0]
    assert district is not None and (district.admin1, district.lat) == ("Southmoor", -5.0)


def abroad(p: Place) -> Place:
    return replace(p, country="YYY", cc="YY", lat=p.lat + 40.0)


def test_a_respelled_name_abroad_is_left_unresolved_when_the_rest_is_at_home() -> None:
    # "Troops moved to Northshire; patrols pulled back near Galwan": "Galwan" found only
    # as a respelling of a town in another country
    home = place("Northshire", "PPL", 50_000)
    namesake = abroad(place("Galway", "PPL", 80_000))
    mentions = [mention("Northshire", 16, home), mention("Galwan", 52, namesake)]
    mentions[1].respelled = True
    assert resolve(mentions)[1] == (None, 0.0)


def test_a_respelled_name_stands_when_the_document_agrees_or_says_nothing() -> None:
    home = place("Northshire", "PPL", 50_000)
    respelled = place("Hudaydah", "PPL", 700_000, lat=12.0)
    at_home = [mention("Northshire", 0, home), mention("Hodeidah", 20, respelled)]
    at_home[1].respelled = True
    assert resolve(at_home)[1][0] == respelled
    alone = [mention("Hodeidah", 0, abroad(respelled))]
    alone[0].respelled = True
    assert resolve(alone)[0][0] is not None


def test_a_name_the_gazetteer_lacks_borrows_a_region_at_home_before_a_town_abroad() -> None:
    # "India moved troops to the Line of Actual Control in Ladakh ... Beijing warned"
    country = place("Xland", "PCLI", 9_000_000, lat=0.0, lon=0.0)
    region = place("Northshire", "ADM2", 300_000)
    town_abroad = abroad(place("Yton", "PPLC", 9_000_000))
    mentions = [mention("Xland", 0, country), mention("Line of Control", 20),
                mention("Northshire", 36, region), mention("Yton", 60, town_abroad)]
    borrowed = resolve(mentions)[1][0]
    assert borrowed is not None and (borrowed.country, borrowed.feature_code) == ("XXX", "ADM2")


def test_a_village_abroad_far_from_a_one_country_document_is_left_unresolved() -> None:
    # "Gunmen raided Manda near Lamu and Kiunga": a Manda abroad is a namesake
    lamu = place("Lamu", "PPL", 25_000, lat=-2.27, lon=40.90)
    kiunga = place("Kiunga", "PPL", 3_000, lat=-1.75, lon=41.48)
    manda_abroad = abroad(place("Manda", "PPL", 2_000))
    mentions = [mention("Manda", 13, manda_abroad), mention("Lamu", 24, lamu),
                mention("Kiunga", 33, kiunga)]
    assert resolve(mentions)[0] == (None, 0.0)
    # a city abroad is named as itself, and so is a village in a document of two countries
    city = abroad(place("Manda", "PPL", 900_000))
    assert resolve([mention("Manda", 13, city), *mentions[1:]])[0][0] == city
    other = abroad(place("Yton", "PPLC", 1_000_000))
    mixed = [*mentions, mention("Yton", 50, other)]
    assert resolve(mixed)[0][0] == manda_abroad


def chained(*members: Mention) -> list[Mention]:
    """Mentions "X (Y, Z)": each stated to lie in the next."""
    for n, m in enumerate(members[:-1]):
        m.qualifier, m.contained = n + 1, True
    return list(members)


def test_a_head_read_only_as_a_village_abroad_takes_its_qualifiers_point() -> None:
    # "Bule (Djugu, Ituri)": the gazetteer knows Djugu but only a Swiss Bulle
    bulle = abroad(place("Bulle", "PPL", 23_000))
    djugu = place("Djugu", "PPL", 41_000)
    mentions = chained(mention("Bule", 0, bulle), mention("Djugu", 6, djugu))
    mentions[0].respelled = True
    head, prob = resolve(mentions)[0]
    assert head is not None and head.country == "XXX" and head.geonameid is None
    assert (head.name, head.lat, head.feature_code, prob) == ("Bule", 10.0, "PPL", BORROWED_PROB)


def test_a_head_at_home_is_kept_over_a_qualifier_that_cannot_contain_it() -> None:
    # "Tarinkot city, Urozgan" where the gazetteer has "Urozgan" only as a far village
    town = place("Tarinkot", "PPL", 10_000)
    village = place("Urozgan", "PPL", 13_000, lat=12.0)
    assert resolve(chained(mention("Tarinkot", 0, town), mention("Urozgan", 16, village)))[
        0][0] == town
    # and a city over a village abroad that shares its region's name ("Iquique (Tarapaca)")
    city = place("Iquique", "PPL", 200_000)
    namesake = abroad(place("Tarapaca", "PPL", 3_000))
    picks = resolve(chained(mention("Iquique", 0, city), mention("Tarapaca", 9, namesake)))
    assert picks[0][0] == city and picks[1] == (None, 0.0)


def test_a_city_head_abroad_is_not_given_up_for_a_village_qualifier() -> None:
    # "Libreville city (Komo, Estuaire)": "Komo" read as an Italian town through "Como"
    city = place("Libreville", "PPLC", 800_000)
    como = abroad(place("Como", "PPL", 85_000))
    mentions = chained(mention("Libreville", 0, city), mention("Komo", 17, como))
    mentions[1].respelled = True
    assert resolve(mentions)[0][0] == city


def test_a_town_named_with_a_region_word_gives_way_to_the_likeliest_region_of_the_name(
) -> None:
    # "a Washington state farm": the state, though the capital does not lie in it
    capital = place("Washington", "PPLC", 700_000, admin1="02")
    state = place("Washington", "ADM1", 7_000_000)
    assert _namesake(capital, [capital, state], True, [0.8, 0.2]) is state
    # without the word's say-so (a "X, Y" qualifier) the town stays
    assert _namesake(capital, [capital, state], True) is capital
    found = by_name(geoparse("A cow from a Washington state farm tested positive."))
    assert (found["Washington"].feature_code, found["Washington"].admin1) == ("ADM1",
                                                                             "Washington")
