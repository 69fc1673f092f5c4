"""eventscope incidents, and export --since-version with its manifest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventscope import cli
from eventscope.record import Article
from eventscope.store import Store

runner = CliRunner()


@pytest.fixture
def db(db_target: str, make_event) -> str:
    """One event's store, in SQLite and in PostgreSQL (tests/conftest.py)."""
    path = db_target
    one = Article(text="Gunmen attacked a checkpoint in Kharkiv on Saturday. Two guards "
                  "were hurt.", title="Checkpoint attack", outlet="Example Wire",
                  published="2024-03-02", url="https://example.org/1")
    with Store(path) as store:
        store.add(one, [make_event(one, "ASSAULT", 0)])
    return path


def test_incidents_lists_them_as_jsonl(db: Path) -> None:
    result = runner.invoke(cli.app, ["incidents", "--db", str(db), "--format", "jsonl"])
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 1 and rows[0]["n_sources"] == 1
    none = runner.invoke(cli.app, ["incidents", "--db", str(db), "--min-sources", "2",
                                   "--format", "csv"])
    assert none.exit_code == 0 and len(none.stdout.splitlines()) == 1  # the header only
    bad = runner.invoke(cli.app, ["incidents", "--db", str(db), "--format", "xml"])
    assert bad.exit_code == 1 and "--format 'xml'" in bad.stderr


def test_export_since_version_and_manifest(db: Path, tmp_path: Path, make_event) -> None:
    out = tmp_path / "all.jsonl"
    result = runner.invoke(cli.app, ["export", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    manifest = json.loads((tmp_path / "all.jsonl.manifest.json").read_text())
    assert manifest["rows"] == 1 and manifest["schema_version"] == "3"
    assert manifest["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    version = manifest["database_version"]

    two = Article(text="Police detained three men in Kharkiv on Sunday after the attack.",
                  published="2024-03-03", outlet="Other Daily")
    with Store(db) as store:
        store.add(two, [make_event(two, "COERCE", 0)])
    delta = tmp_path / "delta.jsonl"
    result = runner.invoke(cli.app, ["export", str(delta), "--db", str(db),
                                     "--since-version", str(version)])
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in delta.read_text().splitlines()]
    assert [(r["op"], r["article"]["article_id"]) for r in rows] == [("added",
                                                                      two.article_id)]
    assert json.loads((tmp_path / "delta.jsonl.manifest.json").read_text())[
        "since_version"] == version

    beyond = runner.invoke(cli.app, ["export", str(delta), "--db", str(db),
                                     "--since-version", "999"])
    assert beyond.exit_code == 1 and "beyond the latest version" in beyond.stderr
