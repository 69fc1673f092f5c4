"""Settings of the property-based tests: a bounded number of examples in ``make test``,
many more in ``make fuzz`` (EVENTSCOPE_FUZZ=1), where scripts/fuzz_summary.py adds up the
inputs tried and the failures found."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

FUZZ = bool(os.environ.get("EVENTSCOPE_FUZZ"))


def examples(quick: int, fuzz: int) -> settings:
    """``quick`` examples in the ordinary test run, ``fuzz`` under ``make fuzz``."""
    return settings(
        max_examples=fuzz if FUZZ else quick, deadline=None, derandomize=not FUZZ,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.filter_too_much,
                               HealthCheck.function_scoped_fixture],
    )
