"""calibrate(): the extractor's raw score -> a probability, through the shipped table."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from eventscope.coder import calibrate as cal

GRID = [i / 200 for i in range(-20, 221)]  # a little beyond [0, 1] on both sides


@pytest.fixture
def table_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], None]]:
    """Point calibrate() at a table file of the test's choosing."""

    def use(path: Path) -> None:
        monkeypatch.setattr(cal, "TABLE_PATH", path)
        cal._shipped_table.cache_clear()

    monkeypatch.delenv(cal.NO_CALIBRATION_ENV, raising=False)
    yield use
    cal._shipped_table.cache_clear()


def _write_table(path: Path, x: list[float], y: list[float]) -> Path:
    path.write_text(json.dumps({"_provenance": "test", "x": x, "y": y}), encoding="utf-8")
    return path


def test_without_a_table_the_raw_score_is_clipped(
    tmp_path: Path, table_at: Callable[[Path], None]
) -> None:
    table_at(tmp_path / "absent.json")
    assert cal.calibrate(0.42) == 0.42
    assert cal.calibrate(1.7) == 1.0
    assert cal.calibrate(-0.3) == 0.0


def test_table_interpolates_between_breakpoints_and_is_flat_beyond(
    tmp_path: Path, table_at: Callable[[Path], None]
) -> None:
    table_at(_write_table(tmp_path / "t.json", [0.2, 0.8], [0.1, 0.7]))
    assert cal.calibrate(0.5) == pytest.approx(0.4)
    assert cal.calibrate(0.0) == pytest.approx(0.1)
    assert cal.calibrate(0.95) == pytest.approx(0.7)


def test_the_environment_switch_returns_raw_scores_for_fitting(
    tmp_path: Path, table_at: Callable[[Path], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    table_at(_write_table(tmp_path / "t.json", [0.2, 0.8], [0.1, 0.7]))
    monkeypatch.setenv(cal.NO_CALIBRATION_ENV, "1")
    assert cal.calibrate(0.5) == 0.5
    monkeypatch.setenv(cal.NO_CALIBRATION_ENV, "0")
    assert cal.calibrate(0.5) == pytest.approx(0.4)


def test_a_table_that_is_not_monotone_is_refused(tmp_path: Path) -> None:
    path = _write_table(tmp_path / "t.json", [0.2, 0.5, 0.8], [0.3, 0.2, 0.9])
    with pytest.raises(cal.CalibrationError, match="monotone"):
        cal.load_table(path)
    with pytest.raises(cal.CalibrationError, match="not a usable calibration table"):
        cal.load_table(_write_table(tmp_path / "u.json", [0.2], []))


def test_shipped_table_is_monotone_and_bounded(table_at: Callable[[Path], None]) -> None:
    if not cal.TABLE_PATH.exists():
        pytest.skip("no calibration table shipped yet (scripts/calibrate_confidence.py)")
    table_at(cal.TABLE_PATH)
    values = [cal.calibrate(raw) for raw in GRID]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert all(b >= a for a, b in zip(values, values[1:], strict=False))
    # A calibration that maps everything to one value would tell users nothing.
    assert values[-1] > values[0]
