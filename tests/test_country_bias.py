"""`--country-bias` (and EVENTSCOPE_COUNTRY_BIAS) on geoparse, extract and ingest: the
user's countries win close calls, never a name the text ties elsewhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from eventscope import cli
from eventscope.geo.resolve import parse_country_bias
from eventscope.pipeline import process_many
from eventscope.record import Article, Event

runner = CliRunner()

# The gazetteer's Birmingham is England's (pop. 985,000) unless the reader is in the US
# (Alabama's, pop. 212,000); with "England" beside it no bias moves it.
BARE = "The city council met in Birmingham on Tuesday."
TIED = "The city council met in Birmingham, England, on Tuesday."
PROTEST = "Hundreds of protesters marched in Birmingham on Monday against a hospital closure."


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(cli.app, list(args), input=stdin, env=env)


def _countries(result: Result) -> list[list[str | None]]:
    assert result.exit_code == 0, result.stderr
    return [[t["country"] for t in json.loads(ln)["toponyms"]]
            for ln in result.stdout.splitlines()]


def test_parse_country_bias() -> None:
    assert parse_country_bias(" usa, SYR ,") == {"USA", "SYR"}
    assert parse_country_bias(None) == frozenset()
    with pytest.raises(ValueError, match="GER is not an ISO 3166-1 alpha-3"):
        parse_country_bias("DEU,GER")


def test_geoparse_bias_settles_a_bare_name_not_a_qualified_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("EVENTSCOPE_COUNTRY_BIAS", raising=False)
    assert _countries(run("geoparse", "--text", BARE)) == [["GBR"]]
    assert _countries(run("geoparse", "--text", BARE, "--country-bias", "USA")) == [["USA"]]
    assert _countries(run("geoparse", "--text", BARE, "--country-bias", "CAN,usa")) == [["USA"]]
    assert _countries(run("geoparse", "--text", TIED, "--country-bias", "USA")) == [
        ["GBR", "GBR"]]
    # A bias to a country without such a place changes nothing.
    assert _countries(run("geoparse", "--text", BARE, "--country-bias", "KEN")) == [["GBR"]]


def test_geoparse_bias_from_the_environment() -> None:
    result = run("geoparse", "--text", BARE, env={"EVENTSCOPE_COUNTRY_BIAS": "USA"})
    assert _countries(result) == [["USA"]]


def test_geoparse_batch_with_workers_keeps_the_bias(tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps({"doc_id": f"d{n}", "text": t}) + "\n"
                            for n, t in enumerate([BARE, TIED, BARE])), encoding="utf-8")
    one = run("geoparse", "--input", str(docs), "--country-bias", "USA")
    two = run("geoparse", "--input", str(docs), "--country-bias", "USA", "--n-process", "2",
              "--batch-size", "1")
    assert _countries(one) == [["USA"], ["GBR", "GBR"], ["USA"]]
    assert two.stdout == one.stdout


@pytest.mark.parametrize("command", ["geoparse", "extract", "ingest"])
@pytest.mark.parametrize("value", ["XYZ1", "GER", "UK"])
def test_a_bad_code_is_one_line_naming_it(command: str, value: str, tmp_path: Path) -> None:
    db = tmp_path / "events.db"
    args = {"geoparse": ["--text", BARE], "extract": ["-"], "ingest": ["-", "--db", str(db)]}
    result = run(command, *args[command], "--country-bias", value, stdin=BARE)
    assert result.exit_code == 1
    assert result.stderr == (f"eventscope: error: --country-bias: {value} is not an ISO "
                             "3166-1 alpha-3 country code (such as USA or SYR)\n")
    assert not db.exists()  # nothing stored, not even an empty database


def _locations(stdout: str) -> set[str | None]:
    events = [Event.model_validate_json(line) for line in stdout.splitlines()]
    assert events
    return {e.location.country if e.location else None for e in events}


def test_extract_with_a_bias(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVENTSCOPE_COUNTRY_BIAS", raising=False)
    plain = run("extract", "-", "--format", "jsonl", "--published", "2024-06-26",
                stdin=PROTEST)
    biased = run("extract", "-", "--format", "jsonl", "--published", "2024-06-26",
                 "--country-bias", "USA", stdin=PROTEST)
    assert plain.exit_code == biased.exit_code == 0, biased.stderr
    assert _locations(plain.stdout) == {"GBR"}
    assert _locations(biased.stdout) == {"USA"}


def test_process_many_forked_workers_keep_the_bias() -> None:
    articles = [Article(text=PROTEST, article_id=f"a{n}", published="2024-06-26")
                for n in range(3)]
    forked = list(process_many(articles, n_process=2, batch_size=1, country_bias={"USA"}))
    assert [a.article_id for a, _ in forked] == ["a0", "a1", "a2"]
    for _, events in forked:
        assert {e.location.country for e in events if e.location} == {"USA"}


def test_ingest_passes_the_bias_to_the_pipeline(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    seen: list[object] = []

    def processor(n_process: int, model: str | None, country_bias: object = None,
                  budget: object = None) -> object:
        from standins import one_protest_each

        seen.append(country_bias)
        return one_protest_each

    monkeypatch.setattr(cli, "pipeline_processor", processor)
    result = run("ingest", "-", "--db", str(tmp_path / "e.db"), stdin=PROTEST,
                 env={"EVENTSCOPE_COUNTRY_BIAS": "usa,can"})
    assert result.exit_code == 0, result.stderr
    assert seen == [{"USA", "CAN"}]
