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
    big_city = np.zeros(len(FEATURES))
    big_city[FEATURES.index("bias_log_pop")] = 0.9
    big_city[FEATURES.index("pop_share")] = 1.0
    hamlet = np.zeros(len(FEATURES))
    hamlet[FEATURES.index("bias_log_pop")] = 0.3
    hamlet[FEATURES.index("pop_share")] = 0.001
    big, small = ranker.scores(np.stack([big_city, hamlet]))
    assert big > small
