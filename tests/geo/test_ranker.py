"""The shipped ranker file is plain arrays; its evaluator must agree with scikit-learn."""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from eventscope.geo.resolve import FEATURES, TreeRanker, export_trees, load_ranker


def test_exported_trees_score_like_the_fitted_model() -> None:
    rng = np.random.default_rng(0)
    X = rng.random((400, 5))
    X[:, 2] = np.round(X[:, 2] * 3) / 3  # few distinct values: thresholds equal data
    y = (X[:, 0] + X[:, 2] > 1.0).astype(int)
    model = HistGradientBoostingClassifier(max_iter=20, max_leaf_nodes=7).fit(X, y)
    exported = export_trees(model)
    ranker = TreeRanker(exported["baseline"], exported["trees"])
    assert np.allclose(ranker.scores(X), model.decision_function(X), atol=1e-6)


def test_the_shipped_ranker_reads_the_current_features() -> None:
    ranker = load_ranker()
    assert isinstance(ranker, TreeRanker)
    # The two readings of a name the document gives no other place for.
    big_city = np.zeros(len(FEATURES))
    big_city[FEATURES.index("log_nearest_km")] = 1.0
    hamlet = big_city.copy()
    big_city[[FEATURES.index(f) for f in ("bias_log_pop", "pop_share", "pop_rank")]] = [
        0.9, 1.0, 1.0]
    hamlet[[FEATURES.index(f) for f in ("bias_log_pop", "pop_share", "pop_rank")]] = [
        0.3, 0.001, 0.2]
    big, small = ranker.scores(np.stack([big_city, hamlet]))
    assert big > small


def test_the_shipped_ranker_never_scores_a_reading_lower_for_more_support() -> None:
    # Trained with monotone constraints on the context features (scripts/train_geo_ranker.py).
    ranker = load_ranker()
    town = np.zeros(len(FEATURES))
    town[FEATURES.index("bias_log_pop")] = 0.5
    town[FEATURES.index("exact_name")] = 1.0
    for feature in ("country_support", "admin1_support", "near_support", "region_support"):
        rows = np.tile(town, (11, 1))
        rows[:, FEATURES.index(feature)] = np.linspace(0.0, 1.0, 11)
        assert np.all(np.diff(ranker.scores(rows)) >= 0), feature
