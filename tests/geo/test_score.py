"""Geoparser scoring: region-aware containment and span precision on hand-made documents."""

from __future__ import annotations

import pytest

from eventscope.geo.score import GeoScore, GoldToponym, Where, contains, locate, majority_country
from eventscope.record import Toponym

ALBERTA = Where(country="CAN", admin1="Alberta", continent="NA")


def _top(start: int, end: int, lat: float | None, lon: float | None, **kw: object) -> Toponym:
    return Toponym(start=start, end=end, name="x" * (end - start), lat=lat, lon=lon,
                   score=0.9, **kw)


def test_locate_places_points_by_their_nearest_town() -> None:
    # GeoVirus' point for Canada, TR-News' for Alberta, and a point in Paris.
    canada, alberta, paris = locate([(60.0, -95.0), (53.9333, -116.5765), (48.85, 2.35)])
    assert canada.country == "CAN" and canada.continent == "NA"
    assert alberta == ALBERTA
    assert (paris.country, paris.continent) == ("FRA", "EU")


def test_a_country_region_or_continent_contains_the_point() -> None:
    assert contains(_top(0, 6, 56.0, -106.0, country="CAN", feature_code="PCLI"), ALBERTA)
    assert contains(_top(0, 7, 53.5, -114.0, country="CAN", admin1="Alberta",
                         feature_code="ADM1"), ALBERTA)
    north_america = _top(0, 13, 46.1, -100.6, feature_code="CONT", geonameid=6255149)
    assert contains(north_america, ALBERTA)


def test_the_wrong_area_does_not_contain_it() -> None:
    assert contains(_top(0, 3, 39.8, -98.5, country="USA", feature_code="PCLI"),
                    ALBERTA) is False
    assert contains(_top(0, 3, 52.0, -121.0, country="CAN", admin1="British Columbia",
                         feature_code="ADM1"), ALBERTA) is False
    europe = _top(0, 6, 48.7, 9.1, feature_code="CONT", geonameid=6255148)
    assert contains(europe, ALBERTA) is False


def test_towns_and_borrowed_points_are_no_containers() -> None:
    assert contains(_top(0, 7, 51.05, -114.07, country="CAN", admin1="Alberta",
                         feature_code="PPLA2"), ALBERTA) is None
    # "City Hall" that took Canada's point names no country.
    borrowed = Toponym(start=0, end=9, name="City Hall", lat=56.0, lon=-106.0,
                       country="CAN", feature_code="PCLI", score=0.05)
    assert contains(borrowed, ALBERTA) is None


def test_region_aware_accuracy_counts_containers_raw_does_not() -> None:
    gold = [GoldToponym(0, 6, 60.0, -95.0), GoldToponym(10, 17, 53.9333, -116.5765),
                 GoldToponym(20, 27, 51.05, -114.07)]
    where = [Where("CAN", "Nunavut", "NA"), ALBERTA, ALBERTA]
    pred = [
        _top(0, 6, 56.0, -106.0, country="CAN", feature_code="PCLI"),  # 800 km off, contains
        _top(10, 17, 52.0, -121.0, country="CAN", admin1="British Columbia",
             feature_code="ADM1"),  # wrong province, far
        _top(20, 27, 51.04, -114.06, country="CAN", feature_code="PPLA"),  # the town itself
    ]
    s = GeoScore()
    s.add(gold, where, pred)
    assert (s.gold, s.found, s.right, s.right_region) == (3, 3, 1, 2)
    assert s.acc_found == pytest.approx(1 / 3)
    assert s.region_found == pytest.approx(2 / 3)


def test_span_precision_and_recall() -> None:
    # Gold: two places with points and a demonym without one; we find one place, the
    # demonym and two spans that are no gold toponym ("Main Street", "Smith").
    gold = [GoldToponym(0, 5, 10.0, 10.0), GoldToponym(10, 15, 20.0, 20.0),
            GoldToponym(20, 27)]
    where = [Where("NER", None, "AF"), Where("TCD", None, "AF"), None]
    pred = [_top(0, 5, 10.0, 10.0), _top(21, 27, None, None), _top(30, 41, 0.0, 0.0),
            _top(45, 50, 1.0, 1.0)]
    s = GeoScore()
    s.add(gold, where, pred)
    assert s.predicted == 4 and s.predicted_on_gold == 2
    assert s.precision == pytest.approx(0.5)
    assert s.recall == pytest.approx(0.5)
    assert s.acc_e2e == pytest.approx(0.5) and s.acc_found == 1.0


def test_majority_country() -> None:
    us = Where("USA", "Virginia", "NA")
    assert majority_country([us, None, Where("GBR", "England", "EU"), us]) == "USA"
    assert majority_country([None]) is None
