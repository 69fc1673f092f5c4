"""Large posts as jobs: ``POST /api/articles`` answers 202 with the job's URL at once, a
worker thread extracts and stores the batch, and ``GET /api/jobs/{id}`` tells its
progress and, when done, its result (or its one-line error).

Jobs live in the server's memory: a restart forgets them (what a finished job stored
stays stored). The worker holds the extraction lock a chunk of articles at a time, so a
small synchronous post waits for one chunk, not for the whole job. A job's batch is
stored in one transaction when all of it is coded: all of it or nothing, as a
synchronous post.
"""

from __future__ import annotations

import logging
import queue
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ..record import Article
from ..store import StoreError
from .errors import ApiError
from .models import IngestResult, JobStatus

log = logging.getLogger("eventscope.api")

# A body over this many bytes is a job (a client may also ask with Prefer: respond-async).
JOB_BYTES = 256 * 1024
MAX_QUEUED = 8  # jobs waiting; more are refused with 503
KEEP_DONE = 100  # finished jobs remembered for their clients
JobState = Literal["queued", "running", "done", "failed"]


class FairLock:
    """A lock granted in the order it was asked for. A job's worker takes it again right
    after releasing it; a plain lock would often let it win every time, starving the
    synchronous posts waiting beside it."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._waiting: deque[threading.Event] = deque()
        self._held = False

    def __enter__(self) -> None:
        with self._guard:
            if not self._held:
                self._held = True
                return
            turn = threading.Event()
            self._waiting.append(turn)
        turn.wait()  # released to us: held passes over without being let go

    def __exit__(self, *_: object) -> None:
        with self._guard:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._held = False


@dataclass
class Job:
    id: str
    articles: int
    status: JobState = "queued"
    done: int = 0
    result: IngestResult | None = None
    error: str | None = None
    created: float = field(default_factory=time.time)

    def status_model(self) -> JobStatus:
        return JobStatus(id=self.id, url=f"/api/jobs/{self.id}", status=self.status,
                         articles=self.articles, done=self.done, result=self.result,
                         error=self.error)


Runner = Callable[[list[Article], Callable[[int], None]], IngestResult]


class Jobs:
    """The queue of ingest jobs and the one thread that works through it."""

    def __init__(self, run: Runner) -> None:
        self._run = run
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._queue: queue.Queue[tuple[Job, list[Article]] | None] = queue.Queue(MAX_QUEUED)
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    def submit(self, articles: list[Article]) -> Job:
        job = Job(id=secrets.token_urlsafe(12), articles=len(articles))
        with self._lock:
            try:
                self._queue.put_nowait((job, articles))
            except queue.Full:
                raise ApiError(503, f"{MAX_QUEUED} ingest jobs are already waiting; try "
                               "again later", headers={"Retry-After": "60"}) from None
            self._jobs[job.id] = job
            self._forget_old()
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="eventscope-jobs",
                                                daemon=True)
                self._worker.start()
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def stop(self) -> None:
        with self._lock:
            worker = self._worker
        if worker is not None:
            self._queue.put(None)
            worker.join(timeout=5)

    def _forget_old(self) -> None:
        finished = [j for j in self._jobs.values() if j.status in ("done", "failed")]
        for job in finished[:max(0, len(finished) - KEEP_DONE)]:
            del self._jobs[job.id]

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            job, articles = item
            job.status = "running"

            def progress(done: int, job: Job = job) -> None:
                job.done = done

            try:
                job.result = self._run(articles, progress)
                job.done, job.status = job.articles, "done"
            except (ApiError, StoreError) as exc:
                job.error = exc.message if isinstance(exc, ApiError) else str(exc)
                job.status = "failed"
            except Exception as exc:  # noqa: BLE001 - a job fails alone; the worker goes on
                log.exception("ingest job %s failed", job.id)
                job.error = f"internal error: {type(exc).__name__}: {exc}"
                job.status = "failed"
