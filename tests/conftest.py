"""Shared fixtures: paths to the project's example articles and the team's shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


@pytest.fixture(scope="session")
def hmeimim_text(shared_dir: Path) -> str:
    return (shared_dir / "examples" / "hmeimim-tartus.txt").read_text(encoding="utf-8")


# --- hand-built events for store, export and CLI tests (no extraction needed) ----------


def build_event(article, event_type="ASSAULT", sentence_index=0, **fields):
    """An Event of ``article`` whose evidence is its ``sentence_index``-th sentence."""
    from eventscope.record import Event, Evidence, make_event_id

    sentences = [s for s in article.text.split(". ") if s]
    sentence = sentences[sentence_index]
    start = article.text.index(sentence)
    end = start + len(sentence)
    trigger = fields.pop("trigger", sentence.split()[1])
    record = {
        "event_id": make_event_id(article.article_id, start, end, event_type, trigger),
        "event_type": event_type,
        "evidence": Evidence(sentence=sentence, start=start, end=end, trigger=trigger),
        "confidence": 0.8,
        "date": article.published,
        "date_precision": "day",
        "article": article.ref(),
    }
    record.update(fields)
    return Event(**record)


@pytest.fixture
def make_event():
    """``make_event(article, "PROTEST", 1, actor=Actor(...), ...)``: see build_event."""
    return build_event
