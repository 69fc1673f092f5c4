"""The time budget per document and long texts in windows: one pathological article is
reported by id and skipped, the rest of the batch goes on, and a long text is parsed a
window at a time with offsets into the whole text."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from eventscope import nlp as nlp_module
from eventscope import pipeline
from eventscope.budget import OverBudget, Skipped, parse_budget, time_budget
from eventscope.cli import app
from eventscope.geo import api as geo_api
from eventscope.ingest.run import ingest, pipeline_processor
from eventscope.nlp import windows
from eventscope.record import Article
from eventscope.store import Store

STALL = "Stallingrad"  # a word in a text that our stand-in stage never finishes


def stalling(real):  # type: ignore[no-untyped-def]
    """A stage that loops forever on a text naming STALL (a pathological document)."""
    def stage(doc, *args, **kwargs):  # type: ignore[no-untyped-def]
        while STALL in doc.text:
            time.sleep(0.01)
        return real(doc, *args, **kwargs)
    return stage


@given(st.text(alphabet=st.sampled_from("ab .\n"), max_size=400), st.integers(5, 60))
def test_windows_join_up_to_the_text_and_stay_within_their_size(text: str, size: int) -> None:
    pieces = windows(text, size)
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= size for _, piece in pieces)
    assert [offset for offset, _ in pieces] == [
        sum(len(p) for _, p in pieces[:n]) for n in range(len(pieces))]


def test_windows_cut_at_paragraphs_first() -> None:
    text = "First paragraph here.\n\nSecond one, a little longer.\n\nThird."
    assert windows(text, 40)[0][1] == "First paragraph here.\n\n"


def test_a_block_overrunning_its_budget_is_interrupted() -> None:
    with pytest.raises(OverBudget, match="time budget of 0.2 s"):
        with time_budget(0.2):
            while True:
                time.sleep(0.01)
    with time_budget(0):  # none
        pass


@pytest.mark.parametrize("bad", ["soon", "-1", "nan"])
def test_a_bad_budget_is_named(bad: str) -> None:
    with pytest.raises(ValueError, match="time budget"):
        parse_budget(bad)


@pytest.mark.parametrize("n_process", [1, 2])
def test_geoparse_many_skips_a_document_over_budget_and_goes_on(
    monkeypatch: pytest.MonkeyPatch, n_process: int
) -> None:
    geo_api.geoparse("Warm up in Paris.")
    monkeypatch.setattr(geo_api, "geoparse_doc", stalling(geo_api.geoparse_doc))
    texts = ["Troops left Aleppo.", f"Reports from {STALL} kept coming.", "Rain in Hama."]
    out = list(geo_api.geoparse_many(texts, n_process=n_process, batch_size=1, budget=2))
    assert isinstance(out[1], Skipped) and "time budget" in out[1].reason
    assert [t.name for t in out[0]] == ["Aleppo"]  # type: ignore[union-attr]
    assert [t.name for t in out[2]] == ["Hama"]  # type: ignore[union-attr]


def test_ingest_reports_the_stalled_article_by_its_source_and_stores_the_rest(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pipeline.extract("Warm up: police met in Paris.")  # loads what the first call loads
    monkeypatch.setattr(pipeline, "events_from_doc", stalling(pipeline.events_from_doc))
    articles = [Article(text=text, published="2025-03-12").from_source(f"batch.jsonl:{n}")
                for n, text in enumerate(["Police arrested six protesters in Nairobi.",
                                          f"Gunmen attacked a convoy near {STALL}.",
                                          "Soldiers fired on a crowd in Gao."], 1)]
    store = Store(tmp_path / "events.db")
    summary = ingest(articles, store, pipeline_processor(budget=2))
    assert (summary.new, summary.failed) == (2, 1), summary.errors
    assert summary.errors == ["batch.jsonl:2: skipped, over the time budget of 2 s "
                              "(EVENTSCOPE_TIME_BUDGET)"]
    assert store.has_article(articles[0].content_hash)
    assert not store.has_article(articles[1].content_hash)


def test_geoparse_command_names_the_skipped_doc_id_and_exits_3(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    geo_api.geoparse("Warm up in Paris.")
    monkeypatch.setattr(geo_api, "geoparse_doc", stalling(geo_api.geoparse_doc))
    batch = tmp_path / "docs.jsonl"
    batch.write_text("\n".join(json.dumps(d) for d in [
        {"doc_id": "a", "text": "Troops left Aleppo."},
        {"doc_id": "b", "text": f"Shelling near {STALL}."}]) + "\n")
    result = CliRunner().invoke(app, ["geoparse", "--input", str(batch), "--time-budget", "2"])
    assert result.exit_code == 3
    assert [json.loads(line)["doc_id"] for line in result.stdout.splitlines()] == ["a"]
    assert "doc_id 'b': skipped, over the time budget" in result.stderr


def test_a_long_text_is_parsed_in_windows_with_offsets_into_the_whole(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    paragraph = ("Gunmen ambushed a Malian army convoy near Menaka on Wednesday, "
                 "killing four soldiers, the army said.\n\n")
    text = paragraph * 12
    whole = pipeline.extract(text, published="2025-03-14")
    menaka = [t.start for t in geo_api.geoparse(text) if t.name == "Menaka"]
    monkeypatch.setattr(nlp_module, "WINDOW_CHARS", 250)
    assert len(windows(text)) > 4
    windowed = pipeline.extract(text, published="2025-03-14")
    places = geo_api.geoparse(text)
    assert all(text[t.start:t.end] == t.name for t in places)
    assert [t.start for t in places if t.name == "Menaka"] == menaka
    assert len(menaka) == 12
    assert len(windowed) == len(whole)
    for event in windowed:
        assert text[event.evidence.start:event.evidence.end] == event.evidence.sentence
    assert len({e.event_id for e in windowed}) == len(windowed)


def test_a_worker_thread_that_opts_in_gets_the_budget_and_others_do_not() -> None:
    import threading

    from eventscope.budget import alarms_in_thread

    outcome: list[str] = []

    def stall_for(seconds: float) -> None:
        with time_budget(0.2):
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                time.sleep(0.01)

    def worker() -> None:
        stall_for(0.4)  # no alarm off the main thread by default
        outcome.append("ran to the end")
        with alarms_in_thread():
            try:
                stall_for(5)
            except OverBudget as exc:
                outcome.append(str(exc))
            stall_for(0.05)  # within budget: no late exception after the block
            time.sleep(0.3)
        outcome.append("went on")

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(10)
    assert outcome == ["ran to the end",
                       "over the time budget of 0.2 s (EVENTSCOPE_TIME_BUDGET)", "went on"]
