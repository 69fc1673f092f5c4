"""The learned event gate: its model file, its features, and where it sits in the coder."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventscope.cli import app
from eventscope.coder import code_events_with_features
from eventscope.coder import gate as gate_module
from eventscope.coder.gate import GateModel, GateModelError, load_gate, read_model
from eventscope.nlp import load_nlp
from eventscope.record import Article


@pytest.fixture(autouse=True)
def fresh_gate() -> Iterator[None]:
    gate_module._load.cache_clear()
    yield
    gate_module._load.cache_clear()


def write_model(path: Path, weights: dict[str, float], bias: float = 0.0,
                threshold: float = 0.5) -> Path:
    path.write_text(json.dumps({"bias": bias, "threshold": threshold, "weights": weights}),
                    encoding="utf-8")
    return path


def test_a_missing_model_file_names_the_file_and_the_rebuild_command(tmp_path: Path) -> None:
    with pytest.raises(GateModelError) as err:
        read_model(tmp_path / "gate.json")
    message = str(err.value)
    assert str(tmp_path / "gate.json") in message and "missing" in message
    assert "python scripts/train_event_gate.py" in message and "\n" not in message


@pytest.mark.parametrize("content", ["{not json", '{"bias": 0.1, "threshold": 0.5}',
                                     '{"bias": 0.1, "threshold": 0.5, "weights": [1, 2]}',
                                     '{"bias": "high", "threshold": 0.5, "weights": {}}'])
def test_a_corrupt_model_file_says_so_in_one_line(tmp_path: Path, content: str) -> None:
    path = tmp_path / "gate.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GateModelError) as err:
        read_model(path)
    message = str(err.value)
    assert f"{path} is corrupt" in message and "train_event_gate.py" in message
    assert "\n" not in message


def test_the_command_line_reports_a_missing_model_in_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "gone.json"
    result = CliRunner().invoke(app, ["extract", "-"], input="Protesters marched in Nairobi.",
                                env={"EVENTSCOPE_GATE": str(missing)})
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and str(missing) in lines[0]
    assert "python scripts/train_event_gate.py" in lines[0]


def test_the_setting_chooses_the_model_or_turns_the_gate_off(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTSCOPE_GATE", "off")
    assert load_gate() is None
    monkeypatch.setenv("EVENTSCOPE_GATE", str(write_model(tmp_path / "g.json", {"x": 1.0})))
    chosen = load_gate()
    assert chosen is not None and chosen.weights == {"x": 1.0}
    monkeypatch.delenv("EVENTSCOPE_GATE")
    shipped = load_gate()
    assert shipped is not None and shipped.path.endswith("gate.json")
    assert 0.0 < shipped.threshold < 1.0 and len(shipped.weights) > 50


def test_the_probability_is_a_logistic_of_the_weighted_features() -> None:
    model = GateModel(weights={"a": 2.0, "b": -1.0}, bias=-1.0, threshold=0.5, path="m")
    assert model.probability({}) == pytest.approx(1 / (1 + 2.718281828459045))
    assert model.probability({"a": 1.0, "unknown": 5.0}) == pytest.approx(0.7310585786)
    assert model.keeps({"a": 1.0}) and not model.keeps({"a": 1.0, "b": 2.0})
    assert 0.0 < model.probability({"a": 1e6}) <= 1.0  # no overflow


def _code(text: str, rows: list[dict[str, float]] | None = None) -> list[tuple[str, bool]]:
    nlp = load_nlp()
    events = code_events_with_features(
        nlp(text), [], Article(text=text, published="2024-12-16"), rows)
    return [(e.event_type, e.negated) for e, _ in events]


PROTEST = "Thousands of teachers marched through Nairobi on Tuesday to demand higher pay."
NOT_ARRESTED = "Police in Gao did not arrest anyone after the clashes on Monday."


def test_the_gate_drops_what_its_model_rejects_and_keeps_negated_records(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTSCOPE_GATE", "off")
    assert ("PROTEST", False) in _code(PROTEST)
    assert ("COERCE", True) in _code(NOT_ARRESTED)
    gate_module._load.cache_clear()
    reject = write_model(tmp_path / "g.json", {"type=PROTEST": -50.0, "type=COERCE": -50.0},
                         bias=5.0)
    monkeypatch.setenv("EVENTSCOPE_GATE", str(reject))
    assert "PROTEST" not in {t for t, _ in _code(PROTEST)}
    assert ("COERCE", True) in _code(NOT_ARRESTED)  # says what did not happen: kept


CRASH_AND_ATTACK = ("A truck slammed into a bus near Gao, and gunmen later attacked a police "
                    "post in Gao, killing two officers.")


def test_training_rows_are_one_per_candidate_with_general_features() -> None:
    rows: list[dict[str, float]] = []
    coded = _code(CRASH_AND_ATTACK, rows)
    assert len(rows) == len(coded) and coded
    attack = next(r for r in rows if r.get("lemma=attack"))
    assert attack["type=ASSAULT"] == 1.0 and attack["tag=VBD"] == 1.0
    assert attack["snippet"] == 1.0  # one sentence, not an article
    assert attack["actor_kind=sector"] == 1.0  # gunmen: coded armed group
    assert 0.0 < attack["raw_score"] < 1.0
    slam = next(r for r in rows if r.get("lemma=slam"))
    assert slam["actor_kind=vehicle"] == 1.0  # a truck "slammed": no one's criticism


def test_the_shipped_gate_keeps_a_plain_attack(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVENTSCOPE_GATE", raising=False)
    assert ("ASSAULT", False) in _code(CRASH_AND_ATTACK)
