"""Where the event happened, in the place chains of ACLED-style notes: "in Town (District,
Province)", "in X district, Y", "near X". Each test resolves the names by hand, so the
choice among them is what is checked, not the geoparser."""

from __future__ import annotations

from eventscope.extract import code_events
from eventscope.nlp import load_nlp
from eventscope.record import Article, Location, Toponym

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
