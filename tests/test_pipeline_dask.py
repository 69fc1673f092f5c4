"""Ingest on a Dask cluster: the same events as without it, results in input order and
written once even when a worker dies holding a chunk, the time budget kept on workers, and
an unreachable scheduler reported in one line with nothing written."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventscope import pipeline, pipeline_dask
from eventscope.budget import Skipped
from eventscope.cli import app
from eventscope.pipeline_dask import DaskError, DaskSession
from eventscope.record import Article
from eventscope.store import Store

pytest.importorskip("distributed")

STALL = "Stallingrad"


def _slow_square(n: int) -> tuple[int, int]:
    time.sleep(0.4)  # long enough that a chunk is held by a worker when it is killed
    return n * n, os.getpid()


def _pid() -> int:
    return os.getpid()


@pytest.fixture(scope="module")
def cluster() -> Iterator[DaskSession]:
    with DaskSession.connect("local", n_workers=2) as session:
        yield session


def _records(db: Path) -> list[dict[str, object]]:
    with Store(db, read_only=True) as store:
        page, _ = store.events(limit=1000)
        return [event.model_dump(mode="json", exclude={"incident_id"}) for event in page]


def test_ingest_with_dask_local_stores_the_same_events_as_without(
    examples_dir: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    plain = runner.invoke(app, ["ingest", str(examples_dir), "--db", str(tmp_path / "a.db")])
    assert plain.exit_code == 0, plain.output
    spread = runner.invoke(app, ["ingest", str(examples_dir), "--db", str(tmp_path / "b.db"),
                                 "--dask", "local", "--n-process", "2"])
    assert spread.exit_code == 0, spread.output
    assert spread.stdout.splitlines()[-1].replace("b.db", "a.db") == (
        plain.stdout.splitlines()[-1])
    with_dask, without = _records(tmp_path / "b.db"), _records(tmp_path / "a.db")
    assert len(without) > 10
    assert [r["event_id"] for r in with_dask] == [r["event_id"] for r in without]
    assert with_dask == without


def test_an_unreachable_scheduler_is_one_line_and_writes_nothing(
    examples_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline_dask, "CONNECT_TIMEOUT", 1.0)
    db = tmp_path / "events.db"
    result = CliRunner().invoke(app, ["ingest", str(examples_dir), "--db", str(db),
                                      "--dask", "tcp://127.0.0.1:1"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "tcp://127.0.0.1:1" in lines[0] and "dask scheduler" in lines[0]
    assert not db.exists()


def test_without_dask_installed_the_error_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails as if absent
    with pytest.raises(DaskError, match=r"pip install 'eventscope\[dask\]'"):
        DaskSession.connect("local")


def test_a_bad_address_is_named() -> None:
    with pytest.raises(DaskError, match="not-an-address: not a scheduler address"):
        DaskSession.connect("not-an-address", timeout=1)


def test_a_worker_killed_holding_a_chunk_loses_nothing_and_repeats_nothing(
    cluster: DaskSession
) -> None:
    before = set(cluster.client.run(_pid).values())
    results = cluster.ordered_map(_slow_square, range(12))
    got = [next(results)]
    processing = cluster.client.processing()
    busy = next(address for address, keys in processing.items() if keys)
    victim = cluster.client.run(_pid, workers=[busy])[busy]
    os.kill(victim, signal.SIGKILL)
    got += list(results)
    assert [square for square, _ in got] == [n * n for n in range(12)]
    assert victim not in {pid for _, pid in got[1:]}  # its chunks were done elsewhere
    cluster.client.wait_for_workers(2, timeout=60)  # the nanny restarts it
    assert set(cluster.client.run(_pid).values()) != before


def test_each_worker_loads_the_model_once_and_results_keep_input_order(
    cluster: DaskSession
) -> None:
    texts = ["Police arrested six protesters in Nairobi on Monday.",
             "Gunmen attacked a convoy near Gao.",
             "Rebels shelled Aleppo overnight.",
             "Soldiers fired on a crowd in Khartoum.",
             "Protesters marched in Lima."] * 2
    articles = [Article(text=f"{text} ({n})", published="2025-03-12") for n, text in
                enumerate(texts)]
    coded = list(cluster.processor(batch_size=2)(articles))
    assert [article.article_id for article, _ in coded] == [a.article_id for a in articles]
    expected = list(pipeline.process_many(articles))
    assert [found for _, found in coded] == [found for _, found in expected]
    loads = cluster.client.run(_model_loads)
    assert set(loads.values()) <= {0, 1} and sum(loads.values()) >= 1


def _model_loads() -> int:
    from eventscope.nlp import load_nlp

    return load_nlp.cache_info().misses


def test_the_time_budget_holds_on_a_worker_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    pipeline.extract("Warm up: police met in Paris.")

    def stalling(real):  # type: ignore[no-untyped-def]
        def stage(doc, *args, **kwargs):  # type: ignore[no-untyped-def]
            while STALL in doc.text:
                time.sleep(0.01)
            return real(doc, *args, **kwargs)
        return stage

    monkeypatch.setattr(pipeline, "events_from_doc", stalling(pipeline.events_from_doc))
    from distributed import Client, LocalCluster

    articles = [Article(text=text, published="2025-03-12") for text in [
        "Police arrested six protesters in Nairobi.",
        f"Gunmen attacked a convoy near {STALL}.",
        "Soldiers fired on a crowd in Gao."]]
    # threads in this process (a worker thread is never the main thread), so the
    # stand-in stage above is the one the worker runs
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=None) as local, Client(local) as client:
        session = DaskSession(client, local.scheduler_address)
        coded = list(session.processor(budget=1.5, batch_size=3)(articles))
    assert isinstance(coded[1][1], Skipped) and "time budget of 1.5 s" in coded[1][1].reason
    assert coded[0][1] and coded[2][1]
