"""Where the event happened, in the place chains of ACLED-style notes: "in Town (District,
Province)", "in X district, Y", "near X". Each test resolves the names by hand, so the
choice among them is what is checked, not the geoparser."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from eventscope.coder import code_events
from eventscope.geo import gazetteer
from eventscope.nlp import load_nlp
from eventscope.record import Article, Event, Location, Toponym

Code = Callable[[str, str], list[Event]]

# name as written -> (lat, lon, ISO3, admin1, feature code); lat None: not resolved
Gazetteer = dict[str, tuple[float | None, float | None, str | None, str | None, str | None]]


def where(text: str, gazetteer: Gazetteer) -> Location | None:
    """The location of the first event coded in ``text``, its names resolved by
    ``gazetteer`` (each name at its first occurrence)."""
    toponyms = []
    for n, (name, (lat, lon, country, admin1, code)) in enumerate(gazetteer.items()):
        start = text.index(name)
        toponyms.append(Toponym(
            start=start, end=start + len(name), name=name, lat=lat, lon=lon,
            geonameid=None if lat is None else 1000 + n, country=country, admin1=admin1,
            feature_code=code, score=1.0 if lat is not None else 0.0))
    events = code_events(load_nlp()(text), toponyms, Article(text=text, published="2020-05-04"))
    assert events, text
    return events[0].location


def test_a_town_resolved_to_another_country_gives_way_to_its_province() -> None:
    text = "On 3 May 2020, unknown gunmen killed a farmer in Tamarou (N'dali, Borgou)."
    elsewhere: Gazetteer = {"Tamarou": (34.48, 136.63, "JPN", "Mie", "PPL"),
                            "Borgou": (9.71, 2.74, "BEN", "Borgou", "ADM1")}
    loc = where(text, elsewhere)
    assert loc is not None and (loc.name, loc.precision) == ("Borgou", 3)


def test_a_town_in_the_country_of_its_qualifiers_is_the_place() -> None:
    text = "On 3 May 2020, unknown gunmen killed a farmer in Tamarou (N'dali, Borgou)."
    here: Gazetteer = {"Tamarou": (9.86, 2.55, "BEN", "Borgou", "PPL"),
                       "Borgou": (9.71, 2.74, "BEN", "Borgou", "ADM1")}
    loc = where(text, here)
    assert loc is not None and (loc.name, loc.precision) == ("Tamarou", 1)


def test_a_name_inside_a_longer_name_is_checked_against_the_chain() -> None:
    text = "On 30 April 2020, artillery shells killed two civilians in Abu Salim (Tripoli)."
    places: Gazetteer = {"Salim": (32.21, 35.33, "PSE", "West Bank", "PPL"),
                         "Tripoli": (32.89, 13.19, "LBY", "Tripoli", "PPLC")}
    loc = where(text, places)
    assert loc is not None and loc.name == "Tripoli"


def test_an_area_named_like_a_town_abroad_gives_way_to_its_qualifier() -> None:
    text = ("On 4 May 2020, Taliban militants shot and killed 1 civilian, in Islamabad area "
            "of Alishing district, Laghman.")
    places: Gazetteer = {"Islamabad": (33.72, 73.04, "PAK", "Islamabad", "PPLC"),
                         "Alishing": (None, None, None, None, None),
                         "Laghman": (34.67, 70.21, "AFG", "Laghman", "PPL")}
    loc = where(text, places)
    assert loc is not None and loc.name == "Laghman"


def test_a_town_name_used_for_its_district_is_the_district() -> None:
    text = ("On 2 March 2020, Taliban militants killed 2 civilians in Chaki Wardak district, "
            "Wardak.")
    places: Gazetteer = {"Chaki Wardak": (34.11, 68.58, "AFG", "Wardak", "PPL"),
                         "Wardak": (34.25, 68.0, "AFG", "Wardak", "ADM1")}
    loc = where(text, places)
    assert loc is not None and (loc.name, loc.precision) == ("Chaki Wardak", 2)


def test_a_qualifier_stands_for_its_area_when_the_town_is_unknown() -> None:
    text = "On 7 March 2020, Taliban militants killed 3 policemen in Tarinkot city, Urozgan."
    places: Gazetteer = {"Tarinkot city": (None, None, None, None, None),
                         "Urozgan": (32.93, 66.63, "AFG", "Oruzgan", "PPL")}
    loc = where(text, places)
    assert loc is not None and (loc.name, loc.precision) == ("Urozgan", 2)


def test_near_a_town_is_precision_two() -> None:
    text = "On 5 May 2020, Taliban militants killed 4 soldiers near Herat."
    loc = where(text, {"Herat": (34.35, 62.2, "AFG", "Herat", "PPLA")})
    assert loc is not None and (loc.name, loc.precision) == ("Herat", 2)


def test_a_homonym_far_from_its_town_qualifier_gives_way_to_the_town() -> None:
    text = ("On 1 May 2020, in San Jeronimo suburb, Cusco city, prisoners staged a "
            "demonstration demanding health measures.")
    places: Gazetteer = {"San Jeronimo": (-11.95, -75.28, "PER", "Junin", "PPL"),
                         "Cusco": (-13.52, -71.97, "PER", "Cusco", "PPLA")}
    loc = where(text, places)
    assert loc is not None and loc.name == "Cusco"


def test_a_place_near_its_town_qualifier_is_kept() -> None:
    text = "On 1 May 2020, in Matalam, Kidapawan, suspected militiamen torched a truck."
    places: Gazetteer = {"Matalam": (7.08, 124.90, "PHL", "Soccsksargen", "PPL"),
                         "Kidapawan": (7.01, 125.09, "PHL", "Soccsksargen", "PPLA")}
    loc = where(text, places)
    assert loc is not None and (loc.name, loc.precision) == ("Matalam", 1)


def test_a_list_of_towns_is_no_chain_of_qualifiers() -> None:
    text = ("On 30 April 2020, demonstrators protested in Sidon, Tripoli and Zahle against "
            "the government.")
    places: Gazetteer = {"Sidon": (33.56, 35.37, "LBN", "South Governorate", "PPLA"),
                         "Tripoli": (34.44, 35.85, "LBN", "North Governorate", "PPLA"),
                         "Zahle": (33.85, 35.90, "LBN", "Beqaa", "PPLA")}
    loc = where(text, places)
    assert loc is not None and loc.name == "Sidon"


def test_a_minor_qualifier_does_not_move_a_capital() -> None:
    text = ("Protesters blocked roads with burning tyres in the Pretoria area (Mamelodi) "
            "on Monday.")
    places: Gazetteer = {"Pretoria": (-25.74, 28.19, "ZAF", "Gauteng", "PPLC"),
                         "Mamelodi": (-28.20, 31.10, "ZAF", "KwaZulu-Natal", "PPL")}
    loc = where(text, places)
    assert loc is not None and loc.name == "Pretoria"


def test_the_tail_of_a_longer_name_is_no_place() -> None:
    text = ("On 2 March 2020, a tribal elder was killed by unknown gunmen in the Khowajak "
            "Baba area of Kandahar city.")
    places: Gazetteer = {"Baba": (-1.78, -79.68, "ECU", "Los Rios", "PPL"),
                         "Kandahar": (31.61, 65.71, "AFG", "Kandahar", "PPLA")}
    loc = where(text, places)
    assert loc is not None and (loc.name, loc.precision) == ("Kandahar", 1)


def test_a_country_naming_what_belongs_to_it_is_no_place() -> None:
    text = ("On 28 April 2020, rioters angry at the high US dollar exchange rate blocked "
            "the highway.")
    assert where(text, {"US": (39.76, -98.5, "USA", None, "PCLI")}) is None


def test_a_town_inside_the_region_found_as_argument_is_the_place() -> None:
    text = ("On 24 March 2022, armed residents attacked a headquarters in Ain al Arab in "
            "Aleppo province.")
    places: Gazetteer = {"Ain al Arab": (36.89, 38.35, "SYR", "Aleppo", "PPL"),
                         "Aleppo": (36.2, 37.16, "SYR", "Aleppo", "ADM1")}
    loc = where(text, places)
    assert loc is not None and (loc.name, loc.precision) == ("Ain al Arab", 1)


def test_a_place_in_another_circumstance_is_not_the_argument() -> None:
    text = ("On 8 May 2020, residents of Talas held a demonstration in their cemetery upon "
            "the body's arrival from Istanbul.")
    places: Gazetteer = {"Talas": (38.69, 35.55, "TUR", "Kayseri", "PPL"),
                         "Istanbul": (41.01, 28.95, "TUR", "Istanbul", "PPLA")}
    loc = where(text, places)
    assert loc is None or loc.name != "Istanbul"


def test_a_town_tagged_as_a_nationality_is_still_a_town() -> None:
    # the small model tags "Herat" in "Herat city" NORP
    text = ("On 30 April 2020, a judge was killed by unknown gunman in PD12 of Herat city. "
            "The gunman was arrested later.")
    loc = where(text, {"Herat": (34.35, 62.2, "AFG", "Herat", "PPLA")})
    assert loc is not None and loc.name == "Herat"


def test_a_direction_on_a_region_s_countryside_is_precision_two() -> None:
    text = "On 5 May 2020, regime forces shelled al-Koum in eastern Homs countryside."
    places: Gazetteer = {"al-Koum": (None, None, None, None, None),
                         "Homs": (34.73, 36.71, "SYR", "Homs", "PPLA")}
    loc = where(text, places)
    assert loc is not None and (loc.name, loc.precision) == ("Homs", 2)


def test_the_capital_with_no_name_is_the_country_s_capital() -> None:
    if not gazetteer.default_path().exists():
        pytest.skip("no gazetteer index built (eventscope gazetteer build)")
    text = "Civil servants marched in the capital of Mali to protest high living costs."
    loc = where(text, {"Mali": (17.0, -4.0, "MLI", None, "PCLI")})
    assert loc is not None and (loc.name, loc.country, loc.precision) == ("Bamako", "MLI", 1)


def test_a_homonym_abroad_gives_way_to_the_place_at_home_in_the_sentence() -> None:
    text = ("On 6 May 2020, in Juliaca, Puno, students staged a demonstration in Armas "
            "square to demand lower fees.")
    places: Gazetteer = {"Juliaca": (-15.5, -70.13, "PER", "Puno", "PPL"),
                         "Puno": (-15.0, -70.0, "PER", "Puno", "ADM1"),
                         "Armas": (40.5, 44.5, "ARM", "Kotayk", "PPL")}
    loc = where(text, places)
    assert loc is not None and loc.name == "Juliaca"


def test_a_direction_before_a_region_is_part_of_its_name() -> None:
    text = ("On 5 May 2020, Fellata and Rizeigat militias clashed in several localities in "
            "South Darfur state.")
    loc = where(text, {"Darfur": (12.0, 24.0, "SDN", None, "RGN")})
    assert loc is not None and loc.name == "Darfur"


def test_a_place_outside_the_phrase_is_not_within_it() -> None:
    from eventscope.coder.lexicon import load_cues
    from eventscope.coder.locate import _within

    doc = load_nlp()("Troops attacked a base. Police arrested two men in Herat.")
    attacked = next(t for t in doc if t.text == "attacked")
    herat = next(t for t in doc if t.text == "Herat")
    # the walk up from Herat ends at the other sentence's root, never at "attacked"
    assert _within(herat, attacked, load_cues()) is False


def test_a_chain_read_along_the_text_says_where_a_sub_district_is() -> None:
    # The small model's parse loses "X sub-district, Y District, Z City": the chain is
    # read along the text, and the town it names puts the homonym far away out.
    text = ("On 12 June 2021, rioters attacked a shop in Cipinang sub-district, Matraman "
            "District, East Jakarta City, Jakarta province.")
    places: Gazetteer = {"Cipinang": (-7.50, 108.90, "IDN", "Central Java", "PPL"),
                         "Matraman District": (None, None, None, None, None),
                         "East Jakarta City": (-6.21, 106.85, "IDN", "Jakarta", "PPLA"),
                         "Jakarta province": (-6.2, 106.8, "IDN", "Jakarta", "ADM1")}
    loc = where(text, places)
    assert loc is not None and loc.name == "East Jakarta City"


def test_a_qualifier_does_not_outrank_the_place_it_qualifies() -> None:
    # "Gopalpur" resolved to its district, "Rangpur" to a town: the district still holds.
    text = ("On 3 March 2022, party supporters staged a protest in Gopalpur city (Gopalpur "
            "Sadar, Rangpur) against the arrest of their leader.")
    places: Gazetteer = {"Gopalpur": (24.56, 89.92, "BGD", "Dhaka", "ADM2"),
                         "Rangpur": (25.75, 89.25, "BGD", "Rangpur", "PPLA")}
    loc = where(text, places)
    assert loc is not None and (loc.name, loc.precision) == ("Gopalpur", 2)


def test_a_region_resolved_as_a_town_abroad_does_not_move_its_town() -> None:
    text = "On 2 April 2021, unknown gunmen attacked the gendarmerie in Kongoussi, Bam Province."
    places: Gazetteer = {"Kongoussi": (13.33, -1.53, "BFA", "Centre-Nord", "PPL"),
                         "Bam Province": (29.1, 58.36, "IRN", "Kerman", "PPL")}
    loc = where(text, places)
    assert loc is not None and (loc.name, loc.precision) == ("Kongoussi", 1)


def test_x_in_y_names_a_governorate_after_its_capital() -> None:
    # "in Aleppo" after a town is the governorate, whose capital may lie over 100 km away.
    text = "On 9 May 2021, civilians in Manbij in Aleppo protested against the new taxes."
    places: Gazetteer = {"Manbij": (36.53, 37.95, "SYR", "Aleppo", "PPL"),
                         "Aleppo": (36.20, 37.16, "SYR", "Aleppo", "PPLA")}
    loc = where(text, places)
    assert loc is not None and (loc.name, loc.precision) == ("Manbij", 1)


def test_the_ends_of_a_road_give_way_to_the_place_on_it() -> None:
    text = "On 4 May 2021, a trader was killed on the Kisumu-Busia road at Mumias, Kakamega."
    places: Gazetteer = {"Kisumu": (-0.10, 34.76, "KEN", "Kisumu", "PPLA"),
                         "Busia": (0.46, 34.11, "KEN", "Busia", "PPLA"),
                         "Kakamega": (0.28, 34.75, "KEN", "Kakamega", "PPLA")}
    loc = where(text, places)
    assert loc is not None and loc.name == "Kakamega"


def test_the_end_of_a_road_alone_is_near_it() -> None:
    text = "On 4 May 2021, gunmen ambushed a bus on the Garissa-Dadaab road."
    places: Gazetteer = {"Garissa": (-0.45, 39.65, "KEN", "Garissa", "PPLA"),
                         "Dadaab": (0.06, 40.31, "KEN", "Garissa", "PPL")}
    loc = where(text, places)
    assert loc is not None and loc.precision == 2


def test_a_list_with_names_the_gazetteer_lacks_is_still_a_list() -> None:
    text = ("On 30 April 2021, students protested in Byblos, Tripoli, Jounieh and Tyre "
            "against the government.")
    places: Gazetteer = {"Byblos": (34.12, 35.65, "LBN", "Mount Lebanon", "PPL"),
                         "Tripoli": (34.44, 35.85, "LBN", "North Governorate", "PPLA"),
                         "Tyre": (33.27, 35.20, "LBN", "South Governorate", "PPLA")}
    loc = where(text, places)
    assert loc is not None and loc.name == "Byblos"


def test_the_struck_place_keeps_its_region_as_qualifier() -> None:
    text = "On 3 March 2022, artillery shelled Balakliia, Kharkiv region."
    places: Gazetteer = {"Balakliia": (49.46, 36.86, "UKR", "Kharkiv", "PPL"),
                         "Kharkiv": (49.5, 36.5, "UKR", "Kharkiv", "ADM1")}
    loc = where(text, places)
    assert loc is not None and (loc.name, loc.precision) == ("Balakliia", 1)


@pytest.mark.parametrize("text", [
    "On 6 May 2021, Kisii police arrested three traders over the tax.",
    "On 6 May 2021, Kisii demonstrators protested against the new tax.",
    "On 6 May 2021, residents of Kisii blocked a road with stones.",
])
def test_where_the_sentence_s_people_are_is_near_the_event(text: str) -> None:
    # Nairobi, named under "in", is the article's focus; the sentence's own people are
    # in Kisii.
    text += " The traders' union is based in Nairobi."
    loc = where(text, {"Kisii": (-0.68, 34.77, "KEN", "Kisii", "PPLA"),
                       "Nairobi": (-1.28, 36.82, "KEN", "Nairobi", "PPLC")})
    assert loc is not None and (loc.name, loc.precision) == ("Kisii", 2)


def test_a_country_of_the_actor_is_no_place_of_the_sentence() -> None:
    text = ("On 1 May 2021, in Chillan, Nuble, members of the armed forces of Chile opened "
            "fire at a checkpoint.")
    places: Gazetteer = {"Chillan": (-36.61, -72.10, "CHL", "Nuble", "PPLA"),
                         "Nuble": (-36.7, -72.0, "CHL", "Nuble", "ADM1"),
                         "Chile": (-30.0, -71.0, "CHL", None, "PCLI")}
    loc = where(text, places)
    assert loc is not None and loc.name == "Chillan"


def test_a_place_of_an_earlier_event_is_not_this_one_s() -> None:
    text = ("On 5 June 2021, following a football match in Parakou, residents of Nikki "
            "blocked a road to stop a convoy.")
    places: Gazetteer = {"Parakou": (9.34, 2.63, "BEN", "Borgou", "PPLA"),
                         "Nikki": (9.94, 3.21, "BEN", "Borgou", "PPL")}
    loc = where(text, places)
    assert loc is not None and loc.name == "Nikki"


def test_the_qualifier_of_the_actor_s_home_is_not_the_event_s_place() -> None:
    text = "On 8 May 2021, several residents of Kafr Takharim in Idlib held a vigil."
    places: Gazetteer = {"Kafr Takharim": (36.12, 36.52, "SYR", "Idlib", "PPL"),
                         "Idlib": (35.93, 36.63, "SYR", "Idlib", "PPLA")}
    loc = where(text, places)
    assert loc is not None and loc.name == "Kafr Takharim"


def test_a_chain_runs_through_names_the_gazetteer_lacks() -> None:
    # "Hamza" resolved to a town in Uzbekistan; the chain runs through "Bir al-Ghanam",
    # which the gazetteer lacks, to "Tripoli".
    text = ("On 3 May 2021, militia forces attacked rival forces in Hamza Camp in Bir "
            "al-Ghanam (Tripoli).")
    places: Gazetteer = {"Hamza": (40.43, 71.5, "UZB", "Fergana", "PPL"),
                         "Tripoli": (32.89, 13.19, "LBY", "Tripoli", "PPLC")}
    loc = where(text, places)
    assert loc is not None and loc.name == "Tripoli"


def test_a_region_qualifying_a_town_gives_way_to_the_town() -> None:
    # The arrest happened as the man left Tell Tamr: the countryside only says where the
    # town is.
    text = ("On 2 February 2021, police arrested a fighter trying to cross from Tell Tamr "
            "town in Hasakah countryside.")
    places: Gazetteer = {"Tell Tamr": (36.65, 40.37, "SYR", "Al-Hasakah", "PPL"),
                         "Hasakah": (36.50, 40.75, "SYR", "Al-Hasakah", "PPLA")}
    loc = where(text, places)
    assert loc is not None and (loc.name, loc.precision) == ("Tell Tamr", 2)


def test_a_qualifier_named_like_the_place_s_own_state_is_that_state() -> None:
    # "Niger" resolved to the country; Suleja lies in Niger State.
    text = "On 5 May 2021, hundreds of youths demonstrated in Suleja (Suleja LGA, Niger)."
    places: Gazetteer = {"Suleja": (9.18, 7.18, "NGA", "Niger", "PPL"),
                         "Niger": (17.0, 10.0, "NER", None, "PCLI")}
    loc = where(text, places)
    assert loc is not None and (loc.name, loc.precision) == ("Suleja", 1)


def test_a_region_written_as_countryside_is_not_checked_as_a_town() -> None:
    # "Homs" resolved to the city, 150 km away; "Homs countryside" is the governorate.
    text = ("On 4 May 2022, clashes took place at a checkpoint at the entrance of Tadmor "
            "city in Homs countryside.")
    places: Gazetteer = {"Tadmor": (34.56, 38.28, "SYR", "Homs", "PPL"),
                         "Homs": (34.73, 36.71, "SYR", "Homs", "PPLA")}
    loc = where(text, places)
    assert loc is not None and loc.name == "Tadmor"


def test_a_qualifier_after_a_district_is_not_a_town_inside_it() -> None:
    text = ("On 3 March 2022, party supporters staged a protest in Gopalpur city (Gopalpur "
            "Sadar, Rangpur).")
    places: Gazetteer = {"Gopalpur": (24.56, 89.92, "BGD", "Rangpur", "ADM2"),
                         "Rangpur": (25.75, 89.25, "BGD", "Rangpur", "PPLA")}
    loc = where(text, places)
    assert loc is not None and (loc.name, loc.precision) == ("Gopalpur", 2)


def test_names_in_a_phrase_hung_on_a_place_do_not_qualify_it() -> None:
    # The small model hangs "a group of workers of Pampa Hospital" on the places before.
    text = ("On 6 May 2021, in Cochabamba, Cochabamba, a group of nurses of Pampa Linda "
            "Hospital staged a demonstration demanding more supplies.")
    places: Gazetteer = {"Cochabamba": (-17.38, -66.16, "BOL", "Cochabamba", "PPLA"),
                         "Pampa": (35.54, -100.96, "USA", "Texas", "PPL")}
    loc = where(text, places)
    assert loc is not None and loc.name == "Cochabamba"



def test_a_country_named_as_a_party_is_not_what_the_article_is_about(code: Code) -> None:
    text = ("France's deployment in support of the junta played a large role in the war. "
            "A deal was struck between the junta and France in 2019. "
            "France refused to comment, and France's envoy left. "
            "Fighting went on in Mali last week, and more troops arrived in Mali on Monday.")
    deal = next(e for e in code(text, "2020-05-04") if e.event_type == "AGREE")
    assert deal.location is not None and deal.location.name == "Mali"


def test_a_country_under_a_place_preposition_is_still_the_focus(code: Code) -> None:
    text = ("A deal was struck between the junta and the rebels in 2019. "
            "Fighting went on in Mali last week.")
    deal = next(e for e in code(text, "2020-05-04") if e.event_type == "AGREE")
    assert deal.location is not None and deal.location.name == "Mali"


def test_a_thing_of_a_place_does_not_say_where_the_sentence_happened(code: Code) -> None:
    text = ("Troops clashed with militants in Gao on Monday. "
            "The two sides agreed a truce, granting the army a lease of the Hmeimim air base.")
    truce = next(e for e in code(text, "2020-05-04") if e.event_type == "AGREE")
    assert truce.location is not None and truce.location.name == "Gao"
