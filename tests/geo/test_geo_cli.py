"""`eventscope geoparse` and `eventscope gazetteer` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventscope.cli import app

FIXTURES = Path(__file__).parent / "fixtures"

runner = CliRunner()


def test_geoparse_writes_a_line_per_good_document_and_reports_bad_lines(
    use_default_index: Path, tmp_path: Path
) -> None:
    docs = tmp_path / "docs.jsonl"
    docs.write_text(
        json.dumps({"doc_id": "a", "text": "Shelling hit Kharkiv and Odesa.", "x": 1}) + "\n"
        "{not json\n"
        + json.dumps({"doc_id": "b", "title": "no text"}) + "\n"
        + json.dumps({"doc_id": "c", "text": ""}) + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["geoparse", "--input", str(docs)])
    assert result.exit_code == 1
    lines = [json.loads(ln) for ln in result.stdout.splitlines()]
    assert [d["doc_id"] for d in lines] == ["a", "c"]
    names = {t["name"]: t for t in lines[0]["toponyms"]}
    assert names["Kharkiv"]["country"] == "UKR"
    assert set(names["Odesa"]) == {"start", "end", "name", "lat", "lon", "geonameid",
                                   "country", "admin1", "feature_code", "score"}
    assert lines[1]["toponyms"] == []
    assert "docs.jsonl line 2: not JSON" in result.stderr
    assert 'docs.jsonl line 3: no "text"' in result.stderr


def test_geoparse_text(use_default_index: Path) -> None:
    result = runner.invoke(app, ["geoparse", "--text", "Rain fell on Nairobi."])
    assert result.exit_code == 0
    [line] = [json.loads(ln) for ln in result.stdout.splitlines()]
    assert [t["country"] for t in line["toponyms"]] == ["KEN"]


def test_corrupt_index_is_one_line_saying_how_to_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corrupt = tmp_path / "gaz.sqlite"
    corrupt.write_bytes(b"garbage" * 1000)
    monkeypatch.setenv("EVENTSCOPE_GAZETTEER", str(corrupt))
    result = runner.invoke(app, ["geoparse", "--text", "Rain fell on Nairobi."])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "rebuild it with: eventscope gazetteer build" in result.stderr


def test_gazetteer_info_on_a_missing_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTSCOPE_GAZETTEER", str(tmp_path / "absent.sqlite"))
    result = runner.invoke(app, ["gazetteer", "info"])
    assert result.exit_code == 1
    assert "not found; rebuild it with: eventscope gazetteer build" in result.stderr


def test_gazetteer_build_from_dumps_then_if_missing_is_a_no_op(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = tmp_path / "gaz.sqlite"
    monkeypatch.setenv("EVENTSCOPE_GAZETTEER", str(index))
    result = runner.invoke(app, [
        "gazetteer", "build", "--geonames", str(FIXTURES / "geonames_sample.txt"),
        "--alternate-names", str(FIXTURES / "alternate_names_sample.txt"),
    ])
    assert result.exit_code == 0, result.stderr
    info = runner.invoke(app, ["gazetteer", "info"])
    assert "geonames_sample.txt" in info.stdout
    before = index.stat().st_mtime_ns
    assert runner.invoke(app, ["gazetteer", "build", "--if-missing"]).exit_code == 0
    assert index.stat().st_mtime_ns == before


def test_geoparse_reports_undecodable_and_deep_lines_and_prints_the_good_ones(
    use_default_index: Path, tmp_path: Path
) -> None:
    docs = tmp_path / "mixed.jsonl"
    docs.write_bytes(
        b'{"doc_id": "latin", "text": "Caf\xe9 owners in Lyon"}\n'
        + json.dumps({"doc_id": "a", "text": "Shelling hit Kharkiv."}).encode() + b"\n"
        + b"[" * 3000 + b"\n"
        + json.dumps({"doc_id": "b", "text": "Rain fell on Nairobi."}).encode() + b"\n")
    result = runner.invoke(app, ["geoparse", "--input", str(docs)])
    assert result.exit_code == 1
    assert [json.loads(ln)["doc_id"] for ln in result.stdout.splitlines()] == ["a", "b"]
    assert "mixed.jsonl line 1: not UTF-8 (byte 0xe9 at offset 32)" in result.stderr
    assert "mixed.jsonl line 3: JSON nested too deeply to read" in result.stderr
    assert "Traceback" not in result.stderr
