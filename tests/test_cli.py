"""The commands as a user meets them: output, one-line errors, exit statuses.

Stored events are hand-built, so these tests are about the CLI, not about extraction;
the tests at the end run the real pipeline.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventscope import cli
from eventscope.record import Actor, Article, Event, Location
from eventscope.store import Store, store_label
from standins import one_protest_each

runner = CliRunner()

KYIV = Location(text="Kyiv", name="Kyiv", geonameid=703448, country="UKR", lat=50.45,
                lon=30.52, precision=1)
BAMAKO = Location(text="Bamako", name="Bamako", geonameid=2460596, country="MLI",
                  lat=12.65, lon=-8.0, precision=1)


@pytest.fixture
def db(db_target: str, make_event) -> str:
    """A store of four events, in SQLite and in PostgreSQL (tests/conftest.py)."""
    path = db_target
    kyiv = Article(text="Drones struck an energy facility in Kyiv overnight. Officials "
                   "condemned the strike.", title="Overnight strike", published="2024-05-08")
    bamako = Article(text="Soldiers deployed around Bamako after the coup. Unions called a "
                     "general strike.", published="2024-08-20", outlet="Sahel Post")
    with Store(path) as store:
        store.add(kyiv, [
            make_event(kyiv, "ASSAULT", 0, actor=Actor(text="Drones", country="RUS",
                                                        sector="MIL"), location=KYIV),
            make_event(kyiv, "ACCUSE", 1, actor=Actor(text="Officials", country="UKR",
                                                       sector="GOV"), location=KYIV,
                       confidence=0.5),
        ])
        store.add(bamako, [
            make_event(bamako, "MOBILIZE", 0, actor=Actor(text="Soldiers", country="MLI",
                                                           sector="MIL"), location=BAMAKO),
            make_event(bamako, "PROTEST", 1, actor=Actor(text="Unions", sector="CVL"),
                       location=BAMAKO, hedged=True),
        ])
    return path


def run(*args: str, stdin: str | bytes | None = None):  # noqa: ANN201 - click's Result
    return runner.invoke(cli.app, list(args), input=stdin)


def test_schema_is_the_event_json_schema() -> None:
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "Event" and "evidence" in schema["properties"]


def test_events_prints_a_table_oldest_first(db: Path) -> None:
    result = runner.invoke(cli.app, ["events", "--db", str(db)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.index("ASSAULT") < text.index("MOBILIZE")
    assert "Kyiv (UKR, p1)" in text


def test_every_filter_option_reaches_the_query(db: Path) -> None:
    def types(*options: str) -> list[str]:
        result = run("events", "--db", str(db), "--format", "jsonl", *options)
        assert result.exit_code == 0, result.stderr
        return sorted(json.loads(line)["event_type"] for line in result.stdout.splitlines())

    assert types("--type", "assault", "--type", "PROTEST") == ["ASSAULT", "PROTEST"]
    assert types("--actor", "RUS") == ["ASSAULT"]
    assert types("--country", "mli") == ["MOBILIZE", "PROTEST"]
    assert types("--sector", "GOV") == ["ACCUSE"]
    assert types("--since", "2024-06", "--until", "2024-08-20") == ["MOBILIZE", "PROTEST"]
    assert types("--near", "50.4,30.5,20") == ["ACCUSE", "ASSAULT"]
    assert types("--bbox", "-10,10,0,15") == ["MOBILIZE", "PROTEST"]
    assert types("--text", "general strike") == ["PROTEST"]
    assert types("--min-confidence", "0.6") == ["ASSAULT", "MOBILIZE", "PROTEST"]
    assert types("--hedged") == ["PROTEST"]
    assert types("--not-negated", "--not-hedged", "--country", "UKR") == ["ACCUSE", "ASSAULT"]


def test_limit_says_how_many_more_there_are(db: Path) -> None:
    result = run("events", "--db", str(db), "--limit", "1", "--format", "jsonl")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 1
    assert "showing 1 of 4 events" in result.stderr


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--bbox", "1,2,3", "--bbox '1,2,3': expected minlon,minlat,maxlon,maxlat"),
    ("--near", "50,30", "--near '50,30': expected lat,lon,km"),
    ("--since", "yesterday", "--since 'yesterday': expected a date like 2024-12-16"),
    ("--sector", "civil_society", "--sector 'civil_society': expected one of GOV"),
    ("--type", "BOMBING", "--type 'BOMBING': not a PLOVER type"),
    ("--min-confidence", "2", "--min-confidence 2.0: expected a number from 0 to 1"),
    ("--format", "xml", "--format 'xml': expected one of table, jsonl, csv, geojson"),
])
def test_a_bad_filter_is_one_line_naming_it(db: Path, option: str, value: str,
                                           message: str) -> None:
    result = run("events", "--db", str(db), option, value)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"eventscope: error: {message}")


def test_querying_a_missing_database_does_not_create_it(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    result = run("events", "--db", str(missing))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"eventscope: error: {missing}: database does not exist "
        "(create it with: eventscope ingest PATH --db ...)"
    )
    assert not missing.exists()


def test_the_database_can_come_from_the_environment(db: Path) -> None:
    result = runner.invoke(cli.app, ["events", "--format", "jsonl"],
                           env={"EVENTSCOPE_DB": str(db)})
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 4


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "geojson", "parquet"])
def test_export_writes_each_format(db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"mali.{fmt}"
    result = run("export", str(out), "--db", str(db), "--country", "MLI")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"2 events written to {out} ({fmt})"
    assert out.stat().st_size > 0


def test_export_csv_to_stdout_in_acled_columns(db: Path) -> None:
    result = run("export", "-", "--format", "csv", "--db", str(db), "--type", "PROTEST")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["event_date"], r["actor1"], r["location"], r["source"]) for r in rows] == [
        ("2024-08-20", "Unions", "Bamako", "Sahel Post"),
    ]


def test_export_needs_a_known_format(db: Path, tmp_path: Path) -> None:
    result = run("export", str(tmp_path / "out.xlsx"), "--db", str(db))
    assert result.exit_code == 1
    assert "--format 'xlsx': give one of jsonl, csv, geojson, parquet" in result.stderr
    assert not (tmp_path / "out.xlsx").exists()


# --- ingest, with a stand-in coder (one PROTEST per article) -----------------------------


@pytest.fixture
def stand_in_coder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "pipeline_processor",
                        lambda n_process, model, country_bias=None, budget=None: one_protest_each)


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "a.txt").write_text("---\npublished: 2024-04-02\n---\nFarmers marched on the "
                                  "ministry.", encoding="utf-8")
    (folder / "b.jsonl").write_text('{"text": "Students marched downtown."}\n{oops\n',
                                    encoding="utf-8")
    (folder / "c.txt").write_bytes(b"")
    return folder


def test_ingest_reports_new_skipped_failed_and_is_idempotent(
    stand_in_coder: None, inputs: Path, db_target: str
) -> None:
    db = db_target  # a new SQLite file, or an empty PostgreSQL database
    first = run("ingest", str(inputs), "--db", str(db))
    assert first.exit_code == cli.PARTIAL_EXIT
    shown = store_label(db)  # a URL without its password
    assert first.stdout.strip() == (
        f"articles: 2 new, 0 skipped (already stored), 2 failed; events: 2 stored in {shown}")
    assert f"{inputs / 'b.jsonl'}:2: is not valid JSON" in first.stderr
    assert f"{inputs / 'c.txt'}: is empty" in first.stderr
    second = run("ingest", str(inputs), "--db", str(db))
    assert "articles: 0 new, 2 skipped (already stored), 2 failed; events: 0" in second.stdout


def test_ingest_of_nothing_readable_fails(stand_in_coder: None, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = run("ingest", str(empty), "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 1
    assert f"{empty}: is empty" in result.stderr


def test_ingest_into_a_folder_that_does_not_exist(stand_in_coder: None, inputs: Path,
                                                  tmp_path: Path) -> None:
    db = tmp_path / "no" / "such" / "dir" / "e.db"
    result = run("ingest", str(inputs), "--db", str(db))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"eventscope: error: {db}: cannot open the database (does its folder exist and is "
        "it writable?)")


def test_ingest_into_a_read_only_database(stand_in_coder: None, inputs: Path, db: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    real_store = cli.Store
    monkeypatch.setattr(cli, "Store", lambda path, **kw: real_store(path, read_only=True))
    result = run("ingest", str(inputs), "--db", str(db))
    assert result.exit_code == 1
    why = ("opened read-only; this needs a writable store" if db.startswith("postgresql:")
           else "database is read-only (check the file's permissions)")
    assert result.stderr.strip().splitlines()[-1] == (
        f"eventscope: error: {store_label(db)}: {why}")
    assert Store(db).article_count() == 2


# --- extract: bad input needs no model -------------------------------------------------


def test_extract_refuses_an_unparseable_published_date(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Troops withdrew.", encoding="utf-8")
    result = run("extract", str(path), "--published", "last Tuesday")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "eventscope: error: --published 'last Tuesday': unparseable date 'last Tuesday' "
        "(expected e.g. 2024-12-16)")


@pytest.mark.parametrize(("content", "problem"), [
    (b"", "is empty"),
    (b"\x00\x01\x02binary", "looks binary"),
    (b"Caf\xe9 owners protested.", "is not valid UTF-8"),
])
def test_extract_of_only_bad_files_fails_naming_each(tmp_path: Path, content: bytes,
                                                     problem: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = run("extract", str(path))
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"eventscope: error: {path}: {problem}")
    assert len(result.stderr.strip().splitlines()) == 1  # one input, one line
    both = run("extract", str(path), str(path))
    lines = both.stderr.strip().splitlines()
    assert lines[0].startswith(f"eventscope: warning: skipped {path}: {problem}")
    assert lines[-1] == "eventscope: error: no article could be read"


def test_extract_names_a_model_that_is_not_installed(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Troops withdrew from the town.", encoding="utf-8")
    result = run("extract", str(path), "--model", "xx_no_such_model")
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(
        "eventscope: error: spaCy model 'xx_no_such_model' is not installed")


def test_extract_needs_some_input() -> None:
    result = run("extract")
    assert result.exit_code == 1
    assert "give FILE arguments" in result.stderr


# --- the real pipeline ------------------------------------------------------------------

NAIROBI_REPORT = ("Thousands of protesters marched in Nairobi on Monday against the new "
                  "finance bill. Police fired tear gas at the crowd near parliament.\n")


def test_extract_from_stdin_prints_records_traceable_to_their_words() -> None:
    result = run("extract", "-", "--published", "26 June 2024", "--format", "jsonl",
                 stdin=NAIROBI_REPORT)
    assert result.exit_code == 0, result.stderr
    events = [Event.model_validate_json(line) for line in result.stdout.splitlines()]
    assert "PROTEST" in {e.event_type for e in events}
    for event in events:
        assert event.article.published == "2024-06-26"
        start, end = event.evidence.start, event.evidence.end
        assert NAIROBI_REPORT[start:end] == event.evidence.sentence


def test_extract_batch_skips_lines_without_text_and_says_so(tmp_path: Path) -> None:
    batch = tmp_path / "docs.jsonl"
    batch.write_text("\n".join([
        json.dumps({"doc_id": "ke-1", "text": NAIROBI_REPORT, "published": "2024-06-26"}),
        json.dumps({"doc_id": "ke-2", "published": "2024-06-27"}),
    ]) + "\n", encoding="utf-8")
    result = run("extract", "--input", str(batch), "--format", "jsonl")
    assert result.exit_code == cli.PARTIAL_EXIT
    assert f"skipped {batch}:2: has no 'text' string" in result.stderr
    ids = {json.loads(line)["article"]["article_id"] for line in result.stdout.splitlines()}
    assert ids == {"ke-1"}


def test_ingest_then_query_the_same_events(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "nairobi.txt").write_text(
        "---\ntitle: Finance bill protests\npublished: 2024-06-26\noutlet: Lakeside Daily\n"
        "---\n" + NAIROBI_REPORT, encoding="utf-8")
    db = tmp_path / "news.db"
    result = run("ingest", str(folder), "--db", str(db))
    assert result.exit_code == 0, result.stderr
    stored = int(result.stdout.split("events: ")[1].split()[0])
    assert stored > 0
    listed = run("events", "--db", str(db), "--format", "jsonl", "--limit", "1000")
    events = [Event.model_validate_json(line) for line in listed.stdout.splitlines()]
    assert len(events) == stored
    assert {e.article.title for e in events} == {"Finance bill protests"}


def test_geoparse_with_two_workers_writes_what_one_process_writes(tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    lines = [json.dumps({"doc_id": f"d{n}", "text": text}) for n, text in enumerate([
        NAIROBI_REPORT, "Shelling hit Kharkiv and Odesa.", "",
        "Storms hit Paris, Texas, and nearby Dallas on Sunday.",
    ])]
    docs.write_text("\n".join([*lines[:2], "{not json", *lines[2:]]) + "\n", encoding="utf-8")
    one = run("geoparse", "--input", str(docs))
    two = run("geoparse", "--input", str(docs), "--n-process", "2", "--batch-size", "1")
    assert one.exit_code == two.exit_code == 1
    assert two.stdout == one.stdout
    assert [json.loads(ln)["doc_id"] for ln in two.stdout.splitlines()] == ["d0", "d1", "d2",
                                                                            "d3"]
    assert "Kharkiv" in two.stdout
    assert two.stderr.count("\n") == 1 and f"{docs} line 3: not JSON" in two.stderr


# --- hostile inputs (issue 12) -----------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_extract_of_an_endless_device_ends_with_one_line() -> None:
    result = run("extract", "/dev/zero")
    assert result.exit_code == 1
    assert result.stderr.strip() == ("eventscope: error: /dev/zero: is too large (over 2 MB; "
                                     "the limit per article is 2 MB)")


def test_ingest_of_a_reused_doc_id_reports_the_line_and_exits_3(
    stand_in_coder: None, tmp_path: Path
) -> None:
    batch = tmp_path / "ids.jsonl"
    batch.write_text("\n".join(json.dumps({"doc_id": i, "text": t}) for i, t in [
        ("a", "Farmers marched on the ministry."), ("a", "Students marched downtown."),
        ("c", "Nurses marched to parliament.")]) + "\n", encoding="utf-8")
    db = tmp_path / "ids.db"
    result = run("ingest", str(batch), "--db", str(db))
    assert result.exit_code == cli.PARTIAL_EXIT
    assert (f"{batch}:2: article id 'a' is already stored with a different text"
            in result.stderr)
    assert result.stdout.strip() == (
        f"articles: 2 new, 0 skipped (already stored), 1 failed; events: 2 stored in {db}")
    with Store(db) as store:
        assert store.article_count() == 2 and store.count() == 2


def test_events_streams_rows_a_page_at_a_time(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--limit does not hold its rows: events are pulled from the store as printed, and
    no more than one past the limit."""
    pulled: list[str] = []
    real = Store.iter_events

    def counting(self, flt=None, page_size=1000):  # noqa: ANN001, ANN202
        assert page_size <= 1000
        for event in real(self, flt, page_size=page_size):
            pulled.append(event.event_id)
            yield event

    monkeypatch.setattr(Store, "iter_events", counting)
    result = run("events", "--db", str(db), "--limit", "2", "--format", "jsonl")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2 and len(pulled) == 3
    assert "showing 2 of 4 events" in result.stderr
    table = run("events", "--db", str(db), "--limit", "10000000")
    assert table.exit_code == 0 and table.stderr == ""
    assert table.stdout.count("2024-") == 4


def test_an_ingest_that_reads_nothing_creates_no_database(stand_in_coder: None,
                                                         tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    db = tmp_path / "never.db"
    result = run("ingest", str(empty), str(tmp_path / "missing.txt"), "--db", str(db))
    assert result.exit_code == 1
    assert f"skipped {empty}: is empty" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        f"eventscope: error: no article could be read; {db} was not created")
    assert not db.exists()


@pytest.mark.parametrize(("value", "problem"), [
    ("1900-01-01", "publication date 1900-01-01 before 1950"),
    ("2999-12-31", "publication date 2999-12-31 more than a year in the future"),
])
def test_extract_refuses_an_implausible_published_date(tmp_path: Path, value: str,
                                                       problem: str) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Troops withdrew.", encoding="utf-8")
    result = run("extract", str(path), "--published", value)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"eventscope: error: --published {value!r}: {problem}"


def test_serve_answers_to_its_names_and_warns_beyond_localhost(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    import eventscope.api

    seen: dict = {}
    real = eventscope.api.create_app
    monkeypatch.setattr(eventscope.api, "create_app",
                        lambda *a, **kw: seen.update(kw) or real(*a, **kw))
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: None)
    monkeypatch.setenv("EVENTSCOPE_ALLOWED_HOSTS", "a.example, b.example")
    local = run("serve", "--db", str(db), "--allow-host", "events.example.org")
    assert local.exit_code == 0 and "warning" not in local.stderr
    assert seen["hosts"] == {"127.0.0.1", "localhost", "::1", "events.example.org",
                             "a.example", "b.example"}
    wide = run("serve", "--db", str(db), "--host", "0.0.0.0")  # noqa: S104
    assert "put an HTTPS proxy in front (docs/security.md)" in wide.stderr
    assert "0.0.0.0" not in seen["hosts"]
