"""Forked worker processes for the batch paths (``pipeline.process_many`` and
``geo.geoparse_many``): chunks go out in order, results come back in order.

The parent loads the spaCy model (and warms the gazetteer) before the pool forks, so the
workers share those memory pages instead of loading their own; a worker reaches the model
through :func:`worker_model` and ``load_nlp``, which finds it already cached.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from multiprocessing.pool import AsyncResult
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_model: str | None = None


def worker_model() -> str | None:
    """The model name the pool was started for (in a worker process)."""
    return _model


def _init(model: str | None) -> None:
    global _model
    _model = model


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last may be shorter)."""
    stream = iter(items)
    while chunk := list(islice(stream, size)):
        yield chunk


def forked_map(work: Callable[[list[T]], R], items: Iterable[list[T]], *, n_process: int,
               model: str | None) -> Iterator[R]:
    """``work(chunk)`` for each chunk, run in ``n_process`` forked workers, in input order.
    The input is read only a few chunks ahead of the output, so a long stream is never
    held in memory whole."""
    pending: deque[AsyncResult[R]] = deque()
    with mp.get_context("fork").Pool(n_process, _init, (model,)) as pool:
        for chunk in items:
            pending.append(pool.apply_async(work, (chunk,)))
            if len(pending) > 2 * n_process:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
