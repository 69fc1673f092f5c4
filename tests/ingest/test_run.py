"""Ingest into the store: idempotent, one transaction per article, and resumable after a
crash. A stand-in coder (one PROTEST per article) keeps these tests about storage."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from eventscope.ingest import read_inputs
from eventscope.ingest.run import count_inputs, ingest
from eventscope.record import Article
from eventscope.store import Store
from standins import one_protest_each


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    path = tmp_path / "batch.jsonl"
    towns = ["Gao", "Mopti", "Kidal", "Timbuktu", "Segou"]
    lines = [json.dumps({"doc_id": f"d{i}", "text": f"Crowds gathered in {town} on day {i}.",
                         "published": f"2024-05-0{i + 1}"}) for i, town in enumerate(towns)]
    lines.insert(2, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_batch_goes_in_with_its_bad_line_reported(batch: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "e.db")
    errors: list[str] = []
    summary = ingest(read_inputs([batch]), store, one_protest_each, on_error=errors.append)
    assert (summary.new, summary.skipped, summary.failed, summary.events) == (5, 0, 1, 5)
    assert errors == [f"{batch}:3: is not valid JSON (Expecting property name enclosed in "
                      "double quotes at column 2)"]
    assert store.article_count() == 5 and store.count() == 5


def test_ingesting_again_stores_nothing_twice(batch: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "e.db")
    ingest(read_inputs([batch]), store, one_protest_each)
    again = ingest(read_inputs([batch, batch]), store, one_protest_each)
    assert (again.new, again.skipped, again.failed) == (0, 10, 2)
    assert store.article_count() == 5 and store.count() == 5


def test_a_crash_mid_batch_keeps_what_was_committed_and_a_rerun_finishes(
    batch: Path, tmp_path: Path
) -> None:
    store = Store(tmp_path / "e.db")

    def crashes_on_the_third(articles: Iterable[Article]) -> Iterator[tuple[Article, list]]:
        for n, (article, events) in enumerate(one_protest_each(articles)):
            if n == 2:
                raise RuntimeError("worker died")
            yield article, events

    with pytest.raises(RuntimeError):
        ingest(read_inputs([batch]), store, crashes_on_the_third)
    assert store.article_count() == 2 and store.count() == 2
    rerun = ingest(read_inputs([batch]), store, one_protest_each)
    assert (rerun.new, rerun.skipped) == (3, 2)
    assert store.article_count() == 5 and store.count() == 5


def test_a_killed_process_loses_nothing_committed(batch: Path, tmp_path: Path) -> None:
    db = tmp_path / "killed.db"
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(Path(__file__).parents[1])!r})
        from standins import one_protest_each
        from eventscope.ingest import read_inputs
        from eventscope.ingest.run import ingest
        from eventscope.store import Store

        def progress(summary):
            if summary.new == 2:  # two articles committed: die without any clean-up
                os.kill(os.getpid(), signal.SIGKILL)

        ingest(read_inputs([{str(batch)!r}]), Store({str(db)!r}), one_protest_each,
               on_progress=progress)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    store = Store(db)
    assert store.article_count() == 2 and store.count() == 2
    rerun = ingest(read_inputs([batch]), store, one_protest_each)
    assert (rerun.new, rerun.skipped, store.count()) == (3, 2, 5)


def test_count_inputs_sizes_the_progress_bar(batch: Path, tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("Talks began.", encoding="utf-8")
    assert count_inputs([str(batch), str(tmp_path / "one.txt")]) == 7
    assert count_inputs([str(tmp_path)]) == 7
    assert count_inputs(["-"]) is None


WIRE_STORY = (
    "Heavy fighting broke out on Sunday between government troops and rebel fighters on "
    "the outskirts of the northern town, forcing hundreds of families to flee toward the "
    "border. Aid agencies said they had suspended food deliveries after two trucks were "
    "looted near the main bridge, and local officials appealed for a humanitarian pause "
    "so that the wounded could be evacuated to the regional hospital."
)


def test_a_lightly_edited_rerun_of_a_story_is_marked_not_dropped(tmp_path: Path) -> None:
    original = Article(text=WIRE_STORY, article_id="wire", outlet="Wire")
    rerun = Article(
        text=WIRE_STORY.replace("on Sunday", "late on Sunday").replace("two trucks", "three "
                                "trucks") + " The army did not comment.",
        article_id="rerun", outlet="Daily",
    )
    unrelated = Article(text="The central bank left interest rates unchanged on Thursday, "
                        "citing slowing inflation and a weaker currency.", article_id="bank")
    store = Store(tmp_path / "e.db")
    summary = ingest([original, rerun, unrelated], store, one_protest_each)
    assert (summary.new, summary.near_duplicates) == (3, 1)
    assert store.duplicate_of("rerun") == "wire"
    assert store.duplicate_of("wire") is None and store.duplicate_of("bank") is None
    assert store.count() == 3  # the rerun's events are kept


def test_a_reused_doc_id_is_reported_by_line_and_the_batch_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "ids.jsonl"
    texts = ["Crowds gathered in Gao.", "Troops left Kidal.", "Crowds gathered in Mopti."]
    lines = [json.dumps({"doc_id": doc_id, "text": text})
             for doc_id, text in zip(["a", "a", "c"], texts, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = Store(tmp_path / "e.db")
    errors: list[str] = []
    summary = ingest(read_inputs([path]), store, one_protest_each, on_error=errors.append)
    assert (summary.new, summary.failed, summary.events) == (2, 1, 2)
    assert errors == [f"{path}:2: article id 'a' is already stored with a different text "
                      "(give this one another id)"]
    assert store.article_count() == 2 and store.count() == summary.events
    # a rerun reports the same line and stores nothing more
    again = ingest(read_inputs([path]), store, one_protest_each, on_error=errors.append)
    assert (again.new, again.skipped, again.failed) == (0, 2, 1)


def test_an_id_taken_between_reading_and_storing_fails_that_article_only(
    tmp_path: Path
) -> None:
    store = Store(tmp_path / "e.db")
    first, second = Article(text="Troops left Kidal.", article_id="k"), Article(
        text="Crowds gathered in Gao.", article_id="g")

    def another_process_stores_k_meanwhile(articles: Iterable[Article]) -> Iterator:
        for article, events in one_protest_each(articles):
            if article.article_id == "k":
                store.add(Article(text="Another text entirely.", article_id="k"), [])
            yield article, events

    summary = ingest([first, second], store, another_process_stores_k_meanwhile)
    assert (summary.new, summary.failed) == (1, 1)
    assert summary.errors == ["article 'k': article id 'k' is already stored with a "
                              "different text (give this one another id)"]


def test_the_events_counted_are_the_events_stored(tmp_path: Path) -> None:
    store = Store(tmp_path / "e.db")

    def repeats_its_event(articles: Iterable[Article]) -> Iterator:
        for article, events in one_protest_each(articles):
            yield article, events + events  # the same id twice: stored once

    summary = ingest([Article(text="Crowds gathered in Gao.")], store, repeats_its_event)
    assert summary.events == store.count() == 1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_killed_at_a_random_moment_then_rerun_equals_a_clean_run(
    tmp_path: Path, seed: int
) -> None:
    """SIGKILL at a random moment (while the store is created, between or during commits),
    then a rerun: the database opens and holds what a clean run stores, once each."""
    import random
    import time

    batch = tmp_path / "many.jsonl"
    batch.write_text("\n".join(json.dumps({"doc_id": f"d{i}", "text": f"Crowds gathered in "
                                           f"town number {i} on day {i}."})
                               for i in range(40)) + "\n", encoding="utf-8")
    db = tmp_path / "killed.db"
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(Path(__file__).parents[1])!r})
        from standins import one_protest_each
        from eventscope.ingest import read_inputs
        from eventscope.ingest.run import ingest
        from eventscope.store import Store

        def slowly(articles):
            for pair in one_protest_each(articles):
                time.sleep(0.02)
                yield pair

        from eventscope.ingest import dedup
        dedup.signature("warm")  # its first call imports numpy: before the clock starts
        print("ready", flush=True)
        ingest(read_inputs([{str(batch)!r}]), Store({str(db)!r}), slowly)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
    time.sleep(random.Random(seed).uniform(0.0, 0.9))  # the run takes about a second
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    with Store(db) as store:
        stored = store.article_count()
        assert store.count() == stored  # every stored article has its one event
        ingest(read_inputs([batch]), store, one_protest_each)
        killed = sorted(e.event_id for e in store.iter_events())
    with Store(tmp_path / "clean.db") as clean:
        ingest(read_inputs([batch]), clean, one_protest_each)
        assert sorted(e.event_id for e in clean.iter_events()) == killed
        assert clean.article_count() == 40
