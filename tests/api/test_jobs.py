"""Large posts as jobs (issue 12): 202 with the job's URL at once, progress and the
result from GET /api/jobs/{id}, a failed job stores nothing, and a small post is not
held behind a large job."""

from __future__ import annotations

import json
import sys
import time
import types
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sample_articles import coded

from eventscope.api import create_app
from eventscope.api.jobs import JOB_BYTES, FairLock
from eventscope.record import Article, Event

TOKEN = "correct horse battery staple"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSONL = {**AUTH, "Content-Type": "application/x-ndjson"}
order: list[str] = []


def slow_for_jobs(articles: Iterable[Article]) -> Iterator[tuple[Article, list[Event]]]:
    """One PROTEST per article; articles of a job ("job-" ids) take a moment each."""
    for article in articles:
        if article.article_id.startswith("job-"):
            time.sleep(0.3)
        if article.article_id == "job-fails":
            raise RuntimeError("the coder broke")
        order.append(article.article_id)
        sentence = article.text.split(". ")[0].rstrip(".") + "."
        yield article, [coded(article, sentence, "PROTEST", sentence.split()[0],
                              confidence=0.5)]


@pytest.fixture()
def writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    stand_in = types.ModuleType("eventscope.pipeline")
    stand_in.process_many = slow_for_jobs  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "eventscope.pipeline", stand_in)
    order.clear()
    app = create_app(str(tmp_path / "j.db"), token=TOKEN)
    with TestClient(app, base_url="http://localhost") as client:
        yield client


def batch(ids: list[str], pad: int = 0) -> str:
    return "\n".join(json.dumps({"doc_id": i, "text": f"Crowds marched in town {i}. "
                                 + "Calm returned. " * pad}) for i in ids)


def wait(client: TestClient, url: str, until: str = "done") -> dict:
    for _ in range(200):
        status = client.get(url).json()
        if status["status"] in (until, "failed"):
            return status
        time.sleep(0.05)
    raise AssertionError(f"job still {status['status']}")


def total(client: TestClient) -> int:
    return int(client.get("/api/stats").json()["total"])


def test_a_large_post_is_a_job_with_progress_and_result(writer: TestClient) -> None:
    body = batch(["job-1", "job-2"], pad=JOB_BYTES // 30)
    assert len(body) > JOB_BYTES
    response = writer.post("/api/articles", content=body, headers=JSONL)
    assert response.status_code == 202
    job = response.json()
    assert job["status"] in ("queued", "running") and job["articles"] == 2
    assert response.headers["location"] == job["url"] == f"/api/jobs/{job['id']}"
    done = wait(writer, job["url"])
    assert done["status"] == "done" and done["done"] == 2 and done["error"] is None
    assert [a["article_id"] for a in done["result"]["articles"]] == ["job-1", "job-2"]
    assert total(writer) == 2


def test_a_client_may_ask_for_a_job(writer: TestClient) -> None:
    response = writer.post("/api/articles", content=batch(["job-a"]),
                           headers={**JSONL, "Prefer": "respond-async"})
    assert response.status_code == 202
    assert wait(writer, response.json()["url"])["status"] == "done"


def test_a_failed_job_stores_nothing_and_says_why(writer: TestClient) -> None:
    response = writer.post("/api/articles", content=batch(["job-ok", "job-fails"]),
                           headers={**JSONL, "Prefer": "respond-async"})
    failed = wait(writer, response.json()["url"])
    assert failed["status"] == "failed" and failed["result"] is None
    assert failed["error"] == "internal error: RuntimeError: the coder broke"
    assert total(writer) == 0


def test_a_job_is_refused_before_it_is_queued_if_an_id_is_taken(writer: TestClient) -> None:
    assert writer.post("/api/articles", content=batch(["x"]), headers=JSONL).status_code == 201
    response = writer.post("/api/articles", content=json.dumps(
        {"doc_id": "x", "text": "Another text entirely."}),
        headers={**JSONL, "Prefer": "respond-async"})
    assert response.status_code == 409


def test_an_unknown_job_is_404(writer: TestClient) -> None:
    response = writer.get("/api/jobs/nope")
    assert response.status_code == 404
    assert response.json()["error"].startswith("job 'nope': no such job")


def test_a_small_post_is_not_held_behind_a_large_job(writer: TestClient) -> None:
    response = writer.post("/api/articles", content=batch(["job-1", "job-2", "job-3"]),
                           headers={**JSONL, "Prefer": "respond-async"})
    url = response.json()["url"]
    for _ in range(200):  # the job has coded its first article
        if writer.get(url).json()["done"] >= 1:
            break
        time.sleep(0.02)
    small = writer.post("/api/articles", content=batch(["now"]), headers=JSONL)
    assert small.status_code == 201
    assert writer.get(url).json()["status"] == "running"  # answered while the job goes on
    assert wait(writer, url)["status"] == "done"
    assert order.index("now") < order.index("job-3")


def test_the_fair_lock_serves_in_the_order_asked() -> None:
    import threading

    lock, served = FairLock(), []

    def take(name: str) -> None:
        with lock:
            served.append(name)

    with lock:
        threads = [threading.Thread(target=take, args=(n,)) for n in "abc"]
        for thread in threads:
            thread.start()
            time.sleep(0.05)  # each is waiting before the next asks
    for thread in threads:
        thread.join()
    assert served == ["a", "b", "c"]
