"""A time budget per document, so that one pathological text is reported and skipped
instead of stalling a batch or a feed.

Work inside :func:`time_budget` is interrupted by SIGALRM once it has run for the budget
(on the main thread of a process only: the CLI, and every forked worker, run there). The
budget is EVENTSCOPE_TIME_BUDGET seconds (0: none), else :data:`DEFAULT_SECONDS`.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

BUDGET_ENV = "EVENTSCOPE_TIME_BUDGET"
# Far above any real article (a long one takes seconds): only a stall reaches it.
DEFAULT_SECONDS = 120.0


class OverBudget(Exception):
    """A document ran past its time budget."""


class Skipped(NamedTuple):
    """What a batch yields in place of a document's result when it was skipped."""

    reason: str


def parse_budget(value: str | float | None) -> float:
    """Seconds from an option or the environment; ValueError names a bad value."""
    if value is None or value == "":
        return DEFAULT_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError(f"time budget: {value!r} is not a number of seconds") from None
    if seconds < 0 or seconds != seconds:
        raise ValueError(f"time budget: {value!r} must be 0 (none) or more seconds")
    return seconds


def default_budget() -> float:
    """The budget from EVENTSCOPE_TIME_BUDGET, else :data:`DEFAULT_SECONDS`."""
    return parse_budget(os.environ.get(BUDGET_ENV))


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise :class:`OverBudget` in the block once it has run ``seconds`` (None or 0:
    no limit; off the main thread, where no alarm can be delivered, no limit either)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise OverBudget(f"over the time budget of {seconds:g} s ({BUDGET_ENV})")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
