"""The held-out news figure printed by scripts/train_event_gate.py: (sentence, type) pairs
scored from the gate's candidate rows as ``eval --kind news`` scores records."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from eventscope.evaluate.news import NewsArticle, NewsSentence

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "train_event_gate.py"


@pytest.fixture
def trainer(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    # the script turns the gate off for the whole process when imported: keep that here
    monkeypatch.setenv("EVENTSCOPE_GATE", "off")
    monkeypatch.syspath_prepend(str(SCRIPT.parent))
    spec = importlib.util.spec_from_file_location("train_event_gate_under_test", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    return module


TEXT = ("Police arrested two men on Monday. The storm closed roads. "
        "Officials may have met the mayor. Protesters marched and police arrested them.")


def _article() -> NewsArticle:
    return NewsArticle(doc_id="a1", text=TEXT, published=None, corpus="lgl", sentences=(
        NewsSentence(0, 34, False, frozenset({"COERCE"})),
        NewsSentence(35, 58, False, frozenset()),
        NewsSentence(59, 92, True, frozenset()),
        NewsSentence(93, 137, False, frozenset({"PROTEST", "COERCE"}))))


def test_pairs_are_counted_once_and_doubtful_sentences_ignored(trainer: ModuleType) -> None:
    row = trainer.Row
    rows = [
        row("newsgold:lgl", False, "a1", "COERCE", 1, {}, 7),  # "arrested", sentence 0
        row("newsgold:lgl", False, "a1", "COERCE", 1, {}, 20),  # same pair again
        row("newsgold:lgl", False, "a1", "ASSAULT", 0, {}, 39),  # "storm closed": false
        row("newsgold:lgl", False, "a1", "CONSULT", 0, {}, 80),  # doubtful sentence
        row("newsgold:lgl", False, "a1", "PROTEST", 1, {}, 104),  # "marched"
        row("newsgold:lgl", False, "other", "PROTEST", 1, {}, 3),  # not a newsgold article
    ]
    p = np.array([0.9, 0.2, 0.6, 0.9, 0.3, 0.9])
    figs = trainer.pair_figures(rows, p, {"a1": _article()}, [0.0, 0.5])
    # three gold pairs: (0, COERCE), (3, PROTEST), (3, COERCE)
    assert figs[0] == (0.0, pytest.approx(2 / 3), pytest.approx(2 / 3), 3)
    # at 0.5 the "marched" row falls: one right pair of two
    assert figs[1] == (0.5, pytest.approx(1 / 2), pytest.approx(1 / 3), 2)


def test_no_pairs_give_zero_not_an_error(trainer: ModuleType) -> None:
    assert trainer.pair_figures([], np.array([]), {"a1": _article()}, [0.4]) == [
        (0.4, 0.0, 0.0, 0)]
