"""A time budget per document, so that one pathological text is reported and skipped
instead of stalling a batch or a feed.

Work inside :func:`time_budget` is interrupted by SIGALRM once it has run for the budget
(on the main thread of a process: the CLI, and every forked worker, run there; a worker
thread that owns its work, such as a Dask worker's, opts in with :func:`alarms_in_thread`).
The budget is EVENTSCOPE_TIME_BUDGET seconds (0: none), else :data:`DEFAULT_SECONDS`.
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NamedTuple, TypeVar

if TYPE_CHECKING:
    from spacy.tokens import Doc

T = TypeVar("T")

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


_threads = threading.local()


@contextmanager
def alarms_in_thread() -> Iterator[None]:
    """Let :func:`time_budget` interrupt work in this thread even off the main thread, by
    raising OverBudget in it from a timer. For threads that own their work (a Dask
    worker's executor thread); a shared thread, such as a web server's, stays without."""
    before = getattr(_threads, "alarms", False)
    _threads.alarms = True
    try:
        yield
    finally:
        _threads.alarms = before


@contextmanager
def _thread_alarm(seconds: float) -> Iterator[None]:
    """Raise OverBudget in this thread after ``seconds``, from a timer thread (delivered
    at the thread's next Python instruction, as a signal handler would be)."""
    message = f"over the time budget of {seconds:g} s ({BUDGET_ENV})"

    class Expired(OverBudget):
        def __init__(self, *args: object) -> None:
            super().__init__(*(args or (message,)))

    target = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    done = fired = False

    def expire() -> None:
        nonlocal fired
        with lock:
            if not done:
                fired = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, ctypes.py_object(Expired))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            done = True
        timer.cancel()
        if fired:  # not delivered yet (the block ended first): dropped
            ctypes.pythonapi.PyThreadState_SetAsyncExc(target, None)


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise :class:`OverBudget` in the block once it has run ``seconds`` (None or 0:
    no limit; off the main thread, where no alarm can be delivered, no limit either unless
    the thread opted in with :func:`alarms_in_thread`)."""
    if not seconds:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        if getattr(_threads, "alarms", False):
            with _thread_alarm(seconds):
                yield
        else:
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


def per_text(pieces: Iterable[tuple[int, int, Doc]], work: Callable[[int, int, Doc], list[T]],
             seconds: float | None) -> Iterator[tuple[int, list[T] | Skipped]]:
    """``work(index, offset, doc)`` for each piece of each text (as
    :func:`eventscope.nlp.pipe_pieces` gives them), its results gathered per text: (index
    of the text, its results), or (index, :class:`Skipped`) once the text's pieces have
    run past ``seconds`` in all; its remaining pieces are then not worked on."""
    current, spent = -1, 0.0
    found: list[T] = []
    skipped: Skipped | None = None
    for n, offset, doc in pieces:
        if n != current:
            if current >= 0:
                yield current, skipped or found
            current, found, spent, skipped = n, [], 0.0, None
        if skipped is not None:
            continue
        began = time.perf_counter()
        try:
            with time_budget(seconds - spent if seconds else None):
                found.extend(work(n, offset, doc))
        except OverBudget as exc:
            skipped = Skipped(str(exc))
        spent += time.perf_counter() - began
        if seconds and spent >= seconds and skipped is None:
            skipped = Skipped(f"over the time budget of {seconds:g} s")
    if current >= 0:
        yield current, skipped or found
