"""Confidence calibration: the extractor's raw score -> the probability that an event is right.

Contract with the event coder (``eventscope.coder``):

1. For each event it codes, the extractor computes a *raw score* in [0, 1]: any score where
   higher means "more likely right" (e.g. a weighted sum of trigger strength, role and
   actor coverage, modality). Only its order matters; the calibration gives it meaning.
2. It sets ``Event.confidence = calibrate(raw)`` and nothing transforms the confidence
   afterwards.
3. With ``EVENTSCOPE_NO_CALIBRATION=1`` in the environment, :func:`calibrate` returns the
   raw score (clipped to [0, 1]), so ``Event.confidence`` *is* the raw score.
   ``scripts/calibrate_confidence.py`` sets it, runs the extractor on the development
   gold, labels each event right or wrong (``eventscope.evaluate.label_*_events``), fits
   the mapping with cross-validation and writes ``data/confidence_calibration.json``.
   Whenever the raw score's recipe changes, re-run that script.

The shipped table is a list of breakpoints ``x`` (raw) -> ``y`` (probability), both
non-decreasing; between breakpoints the mapping is linear, beyond them constant. With no
table, :func:`calibrate` returns the raw score clipped to [0, 1].
"""

from __future__ import annotations

import json
import os
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

NO_CALIBRATION_ENV = "EVENTSCOPE_NO_CALIBRATION"
TABLE_PATH = Path(__file__).parent / "data" / "confidence_calibration.json"


class CalibrationError(ValueError):
    pass


@dataclass(frozen=True)
class CalibrationTable:
    """Breakpoints of a monotone, piecewise-linear map from raw score to probability."""

    x: tuple[float, ...]
    y: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.x or len(self.x) != len(self.y):
            raise CalibrationError("x and y must be non-empty and of equal length")
        if any(b < a for a, b in zip(self.x, self.x[1:], strict=False)):
            raise CalibrationError("x must be non-decreasing")
        if any(b < a for a, b in zip(self.y, self.y[1:], strict=False)):
            raise CalibrationError("y must be non-decreasing (calibration must be monotone)")
        if not all(0.0 <= v <= 1.0 for v in self.y):
            raise CalibrationError("y must lie in [0, 1]")

    def __call__(self, raw: float) -> float:
        x, y = self.x, self.y
        if raw <= x[0]:
            return y[0]
        if raw >= x[-1]:
            return y[-1]
        i = bisect_right(x, raw)
        x0, x1, y0, y1 = x[i - 1], x[i], y[i - 1], y[i]
        return y0 if x1 == x0 else y0 + (y1 - y0) * (raw - x0) / (x1 - x0)


def load_table(path: Path = TABLE_PATH) -> CalibrationTable | None:
    """The calibration table in ``path``, or None when there is none."""
    if not path.exists():
        return None
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return CalibrationTable(x=tuple(map(float, data["x"])), y=tuple(map(float, data["y"])))
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise CalibrationError(f"{path}: not a usable calibration table ({exc})") from exc


@lru_cache(maxsize=1)
def _shipped_table() -> CalibrationTable | None:
    return load_table(TABLE_PATH)


def calibration_disabled() -> bool:
    return os.environ.get(NO_CALIBRATION_ENV, "").strip() not in ("", "0")


def calibrate(raw: float) -> float:
    """The calibrated probability for the extractor's raw score (see the module's contract)."""
    clipped = min(1.0, max(0.0, float(raw)))
    if calibration_disabled():
        return clipped
    table = _shipped_table()
    return clipped if table is None else table(clipped)
