"""Scoring incidents against gold article clusters (``../shared/data/cluster/``).

An article's predicted cluster is the incident holding most of its events (ties: the
smallest incident id); an article with no events is a cluster of its own. B-cubed and
pairwise precision, recall and F1 are computed over the articles of a file, as that
README defines them.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class GoldArticle:
    doc_id: str
    cluster: str
    dataset: str
    record: dict[str, object]


def load_cluster_gold(path: Path) -> list[GoldArticle]:
    """The articles of a cluster gold file, in stream order. A line without ``doc_id`` or
    ``cluster`` is an error naming the file and line."""
    out: list[GoldArticle] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
            if not isinstance(row, dict) or not row.get("doc_id") or not row.get("cluster"):
                raise ValueError(f"{path}:{number}: needs 'doc_id' and 'cluster'")
            record = {k: v for k, v in row.items() if k not in ("cluster", "dataset")}
            out.append(GoldArticle(str(row["doc_id"]), str(row["cluster"]),
                                   str(row.get("dataset", "")), record))
    return out


def article_clusters(
    doc_ids: Iterable[str], event_incidents: Mapping[str, list[str]],
) -> dict[str, str]:
    """Each article's predicted cluster from the incident ids of its events."""
    out: dict[str, str] = {}
    for doc in doc_ids:
        incidents = event_incidents.get(doc) or []
        if not incidents:
            out[doc] = f"alone:{doc}"
            continue
        counts = Counter(incidents)
        best = max(counts.values())
        out[doc] = min(i for i, n in counts.items() if n == best)
    return out


@dataclass(frozen=True)
class ClusterScore:
    b3_p: float
    b3_r: float
    pair_p: float
    pair_r: float
    n_docs: int
    n_gold: int
    n_pred: int

    @property
    def b3_f1(self) -> float:
        return _f1(self.b3_p, self.b3_r)

    @property
    def pair_f1(self) -> float:
        return _f1(self.pair_p, self.pair_r)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_clusters(gold: Mapping[str, str], predicted: Mapping[str, str]) -> ClusterScore:
    """B-cubed and pairwise scores of ``predicted`` (doc -> cluster) against ``gold``; a
    gold document missing from ``predicted`` is a singleton."""
    docs = list(gold)
    pred = {d: predicted.get(d, f"alone:{d}") for d in docs}
    g_members: dict[str, set[str]] = defaultdict(set)
    p_members: dict[str, set[str]] = defaultdict(set)
    for d in docs:
        g_members[gold[d]].add(d)
        p_members[pred[d]].add(d)
    b3_p = b3_r = 0.0
    for d in docs:
        both = len(g_members[gold[d]] & p_members[pred[d]])
        b3_p += both / len(p_members[pred[d]])
        b3_r += both / len(g_members[gold[d]])
    n = len(docs) or 1
    # pairs through the contingency table: sum over (gold, pred) cells of C(n, 2)
    cells = Counter((gold[d], pred[d]) for d in docs)
    true_pairs = sum(c * (c - 1) // 2 for c in cells.values())
    pred_pairs = sum(len(m) * (len(m) - 1) // 2 for m in p_members.values())
    gold_pairs = sum(len(m) * (len(m) - 1) // 2 for m in g_members.values())
    return ClusterScore(
        b3_p=b3_p / n, b3_r=b3_r / n,
        pair_p=true_pairs / pred_pairs if pred_pairs else 1.0,
        pair_r=true_pairs / gold_pairs if gold_pairs else 1.0,
        n_docs=len(docs), n_gold=len(g_members), n_pred=len(p_members),
    )
