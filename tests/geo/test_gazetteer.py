"""The on-disk gazetteer: building from GeoNames dumps, folding, alternate names, errors."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from eventscope.geo.fold import fold
from eventscope.geo.gazetteer import Gazetteer, GazetteerError, build

FIXTURES = Path(__file__).parent / "fixtures"


def test_fold_makes_spellings_meet() -> None:
    assert fold("Île-de-France") == fold("Ile de France") == "ile de france"
    assert fold("Ra's al-Khaymah") == fold("Ras al Khaymah")
    assert fold("St. Louis") == "st louis"
    assert fold("Париж") == ""  # not Latin script: not indexed


def test_dump_rows_become_places_with_country_and_region(sample_index: Path) -> None:
    gaz = Gazetteer(sample_index)
    paris = {p.geonameid: p for p in gaz.lookup("Paris")}
    assert set(paris) == {2988507, 4717560}
    texas_paris = paris[4717560]
    assert (texas_paris.country, texas_paris.admin1, texas_paris.feature_code) == (
        "USA", "Texas", "PPLA2")
    assert paris[2988507].admin1 == "Île-de-France"
    assert paris[2988507].population == 2138551


def test_ascii_and_alternate_names_find_the_same_place(sample_index: Path) -> None:
    gaz = Gazetteer(sample_index)
    assert [p.geonameid for p in gaz.lookup("ILE DE FRANCE")] == [3012874]
    assert [p.geonameid for p in gaz.lookup("Lutetia")] == [2988507]  # dump's own column
    assert [p.geonameid for p in gaz.lookup("Paname")] == [2988507]  # alternateNames file
    assert [p.geonameid for p in gaz.lookup("Jebleh")] == [170654]
    assert gaz.lookup("https://en.wikipedia.org/wiki/Paris") == []  # links are skipped
    assert gaz.lookup("Nowhere") == []  # names of places not indexed are ignored


def test_zipped_dump_is_read_like_the_text(tmp_path: Path) -> None:
    archive = tmp_path / "SY.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(FIXTURES / "geonames_sample.txt", "SY.txt")
        zf.writestr("readme.txt", "not a dump")
    gaz = Gazetteer(build(tmp_path / "zip.sqlite", geonames=[archive], defaults=False))
    assert [p.name for p in gaz.lookup("Jableh")] == ["Jablah"]


def test_a_dump_in_another_format_is_refused_naming_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "cities.txt"
    bad.write_text("2988507\tParis\t48.85\t2.35\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"cities.txt line 1: expected 19"):
        build(tmp_path / "bad.sqlite", geonames=[bad], defaults=False)
    assert [p.name for p in tmp_path.iterdir()] == ["cities.txt"]  # nothing half-written


def test_missing_and_corrupt_indexes_say_how_to_rebuild(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="not found; rebuild it with: eventscope gazetteer"):
        Gazetteer(tmp_path / "absent.sqlite")
    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(GazetteerError, match="unreadable.*rebuild it with"):
        Gazetteer(corrupt)


def test_default_index_has_countries_regions_and_curated_sites(default_index: Path) -> None:
    gaz = Gazetteer(default_index)
    turkey = next(p for p in gaz.lookup("Turkey") if p.feature_code == "PCLI")
    assert (turkey.lat, turkey.lon, turkey.country) == (39.0, 35.0, "TUR")
    base = gaz.lookup("Khmeimim air base")
    assert [(p.feature_code, p.country) for p in base] == [("AIRB", "SYR")]
    assert abs(base[0].lat - 35.401) < 0.01 and abs(base[0].lon - 35.948) < 0.01
    assert any(p.feature_code == "ADM1" and p.cc == "US" for p in gaz.lookup("Tex."))


def test_default_index_knows_local_region_names_and_press_spellings(
    default_index: Path,
) -> None:
    gaz = Gazetteer(default_index)
    # iso3166-2's local names of first-level regions ("Nord-Ouest" is Cameroon's
    # North-West too), GeoNames' doubled vowels written once, the article dropped.
    assert ("CM", "ADM1") in {(p.cc, p.feature_code) for p in gaz.lookup("Nord-Ouest")}
    assert ("SO", "ADM1") in {(p.cc, p.feature_code) for p in gaz.lookup("Banadir")}
    assert "MA" in {p.cc for p in gaz.lookup("Hoceima")}


def test_outdated_index_versions_are_removed_and_others_kept(tmp_path: Path) -> None:
    from eventscope.geo.gazetteer import VERSION, remove_stale

    old = tmp_path / f"gazetteer-v{VERSION - 1}.sqlite"
    current = tmp_path / f"gazetteer-v{VERSION}.sqlite"
    unrelated = tmp_path / "gazetteer-vX.sqlite"
    for path in (old, current, unrelated):
        path.write_bytes(b"")
    assert remove_stale(tmp_path) == [old]
    assert not old.exists() and current.exists() and unrelated.exists()


def test_second_level_regions_are_placed_at_the_mean_of_their_towns() -> None:
    from eventscope.geo.gazetteer import Admin2Town, _admin2_words, derive_admin2

    towns = [
        Admin2Town("BF", "Nord", "Province du Yatenga", 13.58, -2.42),
        Admin2Town("BF", "Nord", "Province du Yatenga", 13.70, -2.20),
        Admin2Town("BF", "Nord", "Province du Yatenga", 13.40, -2.60),
        Admin2Town("SY", "As-Suwayda", "Salkhad District", 32.49, 36.71),
        # A first-level region the index has no code for: its district cannot be placed.
        Admin2Town("SY", "Nowhere", "Lost District", 33.0, 36.0),
    ]
    codes = {("BF", "Nord"): "61", ("SY", "As-Suwayda"): "10"}
    regions = {r.name: r for r in derive_admin2(towns, codes, _admin2_words())}
    assert set(regions) == {"Province du Yatenga", "Salkhad District"}
    yatenga = regions["Province du Yatenga"]
    assert (yatenga.cc, yatenga.admin1_code, yatenga.towns) == ("BF", "61", 3)
    assert (yatenga.lat, yatenga.lon) == pytest.approx((13.56, -2.40667), abs=1e-4)
    # The press writes the proper name alone ("Yatenga province", "Salkhad district").
    assert yatenga.aliases == ("Yatenga",)
    assert regions["Salkhad District"].aliases == ("Salkhad",)


def test_only_generic_words_leave_a_second_level_name() -> None:
    from eventscope.geo.gazetteer import _admin2_aliases, _admin2_words

    words = _admin2_words()
    assert _admin2_aliases("Departement de la Sanaga-Maritime", *words) == ("Sanaga-Maritime",)
    assert _admin2_aliases("Province d'Oubritenga", *words) == ("Oubritenga",)
    assert _admin2_aliases("West Rand District Municipality", *words) == ("West Rand",)
    assert _admin2_aliases("Okres Pardubice", *words) == ("Pardubice",)
    # English nouns that are part of the written name stay ("Jefferson County").
    assert _admin2_aliases("Jefferson County", *words) == ()
    assert _admin2_aliases("Azamgarh", *words) == ()
    assert _admin2_aliases("Are Kommun", *words) == ()  # too little would be left


def test_default_index_places_districts_by_their_proper_names(default_index: Path) -> None:
    gaz = Gazetteer(default_index)
    yatenga = [p for p in gaz.lookup("Yatenga") if p.feature_code == "ADM2"]
    assert [(p.cc, p.admin1) for p in yatenga] == [("BF", "Nord")]
    # Its towns (Ouahigouya, the seat, among them) lie around its point.
    assert abs(yatenga[0].lat - 13.58) < 0.5 and abs(yatenga[0].lon + 2.42) < 0.5
    assert any(p.feature_code == "ADM2" and p.cc == "SY" for p in gaz.lookup("Salkhad"))


def test_a_district_named_in_text_is_placed_at_precision_two(use_default_index: Path) -> None:
    from eventscope.geo import geoparse, precision_of

    (district,) = [t for t in geoparse("Gunmen attacked the police station in Koumbri, "
                                       "Yatenga Province, overnight.")
                   if t.name.startswith("Yatenga")]
    assert (district.country, district.feature_code) == ("BFA", "ADM2")
    assert precision_of(district) == 2
