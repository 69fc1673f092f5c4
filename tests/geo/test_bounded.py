"""Bounded work: no document can stall the geoparser.

A qualifier chain is resolved by a Viterbi pass (linear in its length), a plain list of
places is no chain at all, and the context of every reading is counted through a
spatial index once a document names many places. These tests count the candidate pairs
that are scored, never the time."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventscope.geo import geoparse
from eventscope.geo import resolve as resolve_module
from eventscope.geo.gazetteer import KIND_NAME, Place, get_gazetteer
from eventscope.geo.recognize import Mention, recognize
from eventscope.geo.resolve import (
    CHAIN_GAP,
    CHAIN_TOP,
    SELF_QUALIFIED_PROB,
    _joint,
    _proximity,
    _within,
    unresolved_log_probs,
)
from eventscope.geodesy import haversine_km
from eventscope.nlp import load_nlp

# Mexican states that are also towns: each name has several readings, regions among
# them, so "X, Y" links them when nothing says they are a list.
STATES = ["Durango", "Sonora", "Chihuahua", "Jalisco", "Oaxaca", "Puebla", "Guerrero",
          "Morelos", "Tabasco", "Campeche", "Colima", "Nayarit", "Sinaloa", "Zacatecas",
          "Hidalgo", "Veracruz", "Tlaxcala", "Michoacan", "Coahuila", "Tamaulipas", "Chiapas"]


def place(n: int, code: str, lat: float, lon: float, admin1: str = "01", cc: str = "XX",
          ) -> Place:
    return Place(id=n, geonameid=None, name=f"P{n}", lat=lat, lon=lon, cc=cc,
                 country=cc + "X", admin1=None, admin1_code=admin1,
                 feature_class="P" if code.startswith("PPL") else "A", feature_code=code,
                 population=1000 * n, kind=KIND_NAME, source="test")


def chain_of(readings: list[list[Place]], stated: bool) -> list[Mention]:
    mentions = [Mention(start=10 * i, end=10 * i + 5, text=f"N{i}", key=f"n{i}",
                        candidates=cands, label="GPE") for i, cands in enumerate(readings)]
    for i in range(len(mentions) - 1):
        mentions[i].qualifier = i + 1
        mentions[i].contained = stated
    return mentions


def brute_force(mentions: list[Mention], probs: list[list[float]], stated: bool) -> float:
    """The best chain score by trying every combination (the old, exponential way)."""
    options = []
    for p in probs:
        top = sorted(range(len(p)), key=lambda k: -p[k])[:CHAIN_TOP]
        options.append([*top, None] if stated else top)
    best = -math.inf
    unresolved = unresolved_log_probs(list(range(len(mentions))), mentions)
    for combo in itertools.product(*options):
        chosen = [(i, k) for i, k in enumerate(combo) if k is not None]
        # Past CHAIN_GAP unresolved members in a row the chain is read as broken there.
        if any(not _within(mentions[a].candidates[ka], mentions[b].candidates[kb])
               for (a, ka), (b, kb) in itertools.pairwise(chosen) if b - a <= CHAIN_GAP + 1):
            continue
        score = sum(math.log(probs[i][k]) if k is not None else unresolved[i]
                    for i, k in enumerate(combo))
        score += math.log(SELF_QUALIFIED_PROB) * sum(
            mentions[a].candidates[ka].id == mentions[b].candidates[kb].id
            for (a, ka), (b, kb) in itertools.pairwise(chosen) if b - a <= CHAIN_GAP + 1)
        best = max(best, score)
    return best


def chosen_score(mentions: list[Mention], probs: list[list[float]],
                 picks: list[int | None]) -> float:
    unresolved = unresolved_log_probs(list(range(len(mentions))), mentions)
    score = sum(math.log(probs[i][k]) if k is not None else unresolved[i]
                for i, k in enumerate(picks))
    chosen = [(i, k) for i, k in enumerate(picks) if k is not None]
    score += math.log(SELF_QUALIFIED_PROB) * sum(
        mentions[a].candidates[ka].id == mentions[b].candidates[kb].id
        for (a, ka), (b, kb) in itertools.pairwise(chosen) if b - a <= CHAIN_GAP + 1)
    return score


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), length=st.integers(2, 5), stated=st.booleans())
def test_the_viterbi_reading_is_the_best_of_all_combinations(
    seed: int, length: int, stated: bool
) -> None:
    rnd = random.Random(seed)
    codes = ["PPL", "ADM2", "ADM1", "PCLI"]
    readings = [[place(100 * i + k, rnd.choice(codes), rnd.uniform(0, 2), rnd.uniform(0, 2),
                       admin1=rnd.choice("12"), cc=rnd.choice(["AA", "BB"]))
                 for k in range(rnd.randint(1, 4))] for i in range(length)]
    mentions = chain_of(readings, stated)
    probs = []
    for cands in readings:
        weights = [rnd.uniform(0.05, 1.0) for _ in cands]
        probs.append([w / sum(weights) for w in weights])
    picks: list[int | None] = [0] * length
    _joint(list(range(length)), mentions, probs, picks)
    best = brute_force(mentions, probs, stated)
    if best == -math.inf:  # no consistent reading: the argmaxes stay
        assert picks == [0] * length
    else:
        assert chosen_score(mentions, probs, picks) == pytest.approx(best)


def test_a_chain_of_hundreds_of_names_costs_pairs_linear_in_its_length() -> None:
    rnd = random.Random(7)
    for length in (100, 400):
        readings = [[place(10 * i + k, "ADM1" if k else "PPL", rnd.uniform(0, 1),
                           rnd.uniform(0, 1)) for k in range(CHAIN_TOP)]
                    for i in range(length)]
        mentions = chain_of(readings, stated=True)
        probs = [[1 / CHAIN_TOP] * CHAIN_TOP for _ in readings]
        picks: list[int | None] = [0] * length
        pairs = _joint(list(range(length)), mentions, probs, picks)
        # Each member tests its readings against the last resolved member's, which lies
        # at most CHAIN_GAP + 1 places back: a bound per member, whatever the length.
        assert pairs <= length * (CHAIN_GAP + 1) * CHAIN_TOP * CHAIN_TOP


def test_proximity_counts_the_same_with_or_without_the_spatial_index(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rnd = random.Random(3)
    anchors = [(f"k{n}", place(n, "PPL", rnd.uniform(30, 40), rnd.uniform(30, 45)))
               for n in range(60)]
    queries = [((f"k{n % 70}", 1000 + n), place(1000 + n, "PPL", rnd.uniform(25, 45),
                                                 rnd.uniform(25, 50))) for n in range(200)]
    dense = _proximity(queries, anchors)
    monkeypatch.setattr(resolve_module, "DENSE_PAIRS", 0)
    tree = _proximity(queries, anchors)
    assert dense.keys() == tree.keys()
    for key, (near, region, nearest) in dense.items():
        assert tree[key][:2] == (near, region)
        assert tree[key][2] == pytest.approx(nearest, abs=1e-6)
    # and both agree with the plain definition
    (own, n), c = queries[0]
    dists = [haversine_km(c.lat, c.lon, p.lat, p.lon) for k, p in anchors if k != own]
    assert dense[(own, n)][1] == sum(d < resolve_module.REGION_KM for d in dists)
    assert dense[(own, n)][2] == pytest.approx(min(dists))


@pytest.mark.usefixtures("use_default_index")
class TestWholeDocuments:
    def test_a_plain_list_of_places_is_not_a_chain_of_containment(self) -> None:
        nlp = load_nlp()
        for text in ("Storms hit " + ", ".join(STATES[:3]) + " and " + STATES[3] + ".",
                     "Storms hit " + ", ".join(STATES[:6]) + " on Monday."):
            mentions = recognize(nlp(text), get_gazetteer(), nlp)
            assert len(mentions) >= 4
            assert all(m.qualifier is None for m in mentions)
        # A short run without a closing "and" may still be a chain.
        mentions = recognize(nlp("Gunmen attacked Kumbo town, Bui, Nord-Ouest."),
                             get_gazetteer(), nlp)
        assert any(m.qualifier is not None for m in mentions)

    def test_a_short_chain_is_still_read_as_one(self) -> None:
        found = {t.name: t for t in geoparse(
            "Soldiers shot a man in Kumbo town (Bui, Nord-Ouest) on Monday.")}
        assert found["Nord-Ouest"].country == "CMR"

    @pytest.mark.parametrize("n", [31, 300])
    def test_a_long_comma_list_scores_no_chain_pairs(
        self, n: int, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        calls = 0
        real = resolve_module._within

        def counted(child: Place, parent: Place) -> bool:
            nonlocal calls
            calls += 1
            return real(child, parent)

        monkeypatch.setattr(resolve_module, "_within", counted)
        names = (STATES * (n // len(STATES) + 1))[:n]
        found = geoparse("Fighting was reported in " + ", ".join(names) + " on Monday.")
        assert len(found) >= n * 0.8
        assert calls == 0

    @settings(max_examples=15, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.tuples(st.sampled_from(STATES),
                              st.sampled_from([", ", " and ", " (", "), ", " in ", "; "])),
                    min_size=1, max_size=120))
    def test_generated_lists_finish_with_bounded_pairs(
        self, parts: list[tuple[str, str]]
    ) -> None:
        calls = 0
        real = resolve_module._within

        def counted(child: Place, parent: Place) -> bool:
            nonlocal calls
            calls += 1
            return real(child, parent)

        resolve_module._within = counted  # type: ignore[assignment]
        try:
            text = "Clashes in " + "".join(name + sep for name, sep in parts) + "Mexico."
            found = geoparse(text)
        finally:
            resolve_module._within = real  # type: ignore[assignment]
        assert len(found) <= len(parts) + 1
        # Every member of every chain tests at most a fixed number of pairs.
        assert calls <= (len(parts) + 1) * (CHAIN_GAP + 1) * CHAIN_TOP * CHAIN_TOP
