"""The pipeline on a Dask cluster (``eventscope ingest --dask``): the same chunks as
:func:`eventscope.pipeline.process_many`, coded on Dask workers, back in input order to
the one process that writes the store.

    with DaskSession.connect("local", n_workers=2) as session:   # or "tcp://host:8786"
        for article, found in session.processor()(articles): ...

Each worker process loads the model, the gazetteer and the actor dictionary once (a
lazy per-process singleton) and keeps them for every chunk it is given. Only a few chunks
per worker are in flight, so a long input is never held whole. A worker lost mid-run
costs nothing: the scheduler gives its chunks to another worker, and as results are taken
in order from the chunks' futures each chunk is written once. Workers should run one
thread each (``dask worker --nthreads 1``): a worker's threads share one model, which
this module lets one thread use at a time.

Dask is an optional extra (``pip install 'eventscope[dask]'``), imported only here.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from .budget import Skipped, alarms_in_thread, default_budget
from .ingest.run import Processor
from .parallel import chunks
from .record import Article, Event

if TYPE_CHECKING:
    from distributed import Client

T = TypeVar("T")
R = TypeVar("R")
Coded = list[tuple[Article, list[Event] | Skipped]]

LOCAL = "local"
CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler before giving up
INSTALL_HINT = "pip install 'eventscope[dask]' (or: make install)"


class DaskError(RuntimeError):
    """A cluster that cannot be used or a run it could not finish, as one line naming the
    scheduler and how to fix it."""


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise DaskError(f"--dask needs Dask's distributed scheduler: {INSTALL_HINT}") from None
    return distributed


@dataclass
class DaskSession:
    """A client of a Dask cluster, and the LocalCluster it started, if any."""

    client: Client
    address: str
    cluster: Any = None

    @classmethod
    def connect(cls, address: str, n_workers: int = 1,
                timeout: float | None = None) -> DaskSession:
        """A session on the scheduler at ``address`` (``tcp://HOST:PORT``), or on a new
        LocalCluster of ``n_workers`` one-thread worker processes for ``"local"``.
        DaskError names the address and the fix when it cannot be reached."""
        distributed = _distributed()
        wait = CONNECT_TIMEOUT if timeout is None else timeout
        if address == LOCAL:
            try:
                cluster = distributed.LocalCluster(
                    n_workers=n_workers, threads_per_worker=1, processes=True,
                    dashboard_address=None)
            except Exception as exc:  # ports, memory: whatever stops it, in one line
                raise DaskError(f"--dask local: could not start a local cluster of "
                                f"{n_workers} workers ({exc})") from None
            return cls(distributed.Client(cluster), cluster.scheduler_address, cluster)
        try:
            client = distributed.Client(address, timeout=wait)
        except ValueError as exc:
            raise DaskError(f"--dask {address}: not a scheduler address ({exc}); give "
                            "tcp://HOST:PORT or 'local'") from None
        except OSError:
            raise DaskError(
                f"--dask {address}: no Dask scheduler answered within {wait:g} s; start one "
                "(dask scheduler, then dask worker ADDRESS --nthreads 1 on each machine), "
                "check the address and port, or use --dask local") from None
        return cls(client, address)

    def n_threads(self) -> int:
        """Worker threads in the cluster now (at least 1)."""
        workers = self.client.scheduler_info().get("workers", {})
        return max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))

    def processor(self, model: str | None = None, country_bias: Collection[str] | None = None,
                  budget: float | None = None, batch_size: int = 8) -> Processor:
        """What :func:`eventscope.ingest.run.ingest` takes: (article, events or Skipped)
        for each article, in input order, coded on the cluster in chunks of
        ``batch_size`` articles. ``budget``: seconds per article as for process_many."""
        seconds = default_budget() if budget is None else budget
        bias = frozenset(country_bias) if country_bias else None
        work = partial(code_chunk, model=model, country_bias=bias, budget=seconds)

        def run(articles: Iterable[Article]) -> Iterator[tuple[Article, list[Event] | Skipped]]:
            stream = iter(articles)
            first = next(stream, None)
            if first is None:
                return
            for done in self.ordered_map(work, chunks(itertools.chain([first], stream),
                                                      batch_size)):
                yield from done

        return run

    def ordered_map(self, work: Callable[[T], R], items: Iterable[T],
                    ahead: int | None = None) -> Iterator[R]:
        """``work(item)`` for each item on the cluster, in input order, with at most
        ``ahead`` items in flight (default: two per worker thread, plus one)."""
        limit = ahead or 2 * self.n_threads() + 1
        pending: deque[Any] = deque()
        try:
            for item in items:
                pending.append(self.client.submit(work, item, pure=False))
                if len(pending) >= limit:
                    yield self._result(pending.popleft())
            while pending:
                yield self._result(pending.popleft())
        finally:
            for future in pending:  # a run stopped early leaves no work behind
                future.cancel()

    def _result(self, future: Any) -> Any:
        distributed = _distributed()
        try:
            return future.result()
        except distributed.KilledWorker as exc:
            raise DaskError(
                f"--dask {self.address}: a chunk of articles was lost with every worker "
                f"that took it ({exc}); the workers may be running out of memory") from None
        except distributed.CancelledError:
            raise DaskError(f"--dask {self.address}: the cluster cancelled the run (did the "
                            "scheduler stop?); run the same command again to go on") from None

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> DaskSession:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


# -- on the workers ----------------------------------------------------------------------

_loaded: set[str | None] = set()
_lock = threading.Lock()


def _warm(model: str | None) -> None:
    """Load the model, the gazetteer and the actor dictionary in this worker process, once
    (later chunks find them cached)."""
    if model in _loaded:
        return
    from .coder.lexicon import load_actor_dictionary
    from .geo import geoparse_doc
    from .nlp import load_nlp

    nlp = load_nlp(model)
    geoparse_doc(nlp("Paris"), nlp)
    load_actor_dictionary()
    _loaded.add(model)


def code_chunk(chunk: list[Article], *, model: str | None,
               country_bias: frozenset[str] | None, budget: float) -> Coded:
    """A chunk coded on a worker, as process_many codes it; each article keeps its time
    budget on the worker's thread."""
    from .pipeline import _pipe

    with _lock, alarms_in_thread():
        _warm(model)
        return _pipe(chunk, model, country_bias, budget)
