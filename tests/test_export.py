"""Events out: ACLED-ordered CSV, GeoJSON (null geometry when there is no place), JSONL,
Parquet, and the terminal table."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventscope.export import ACLED_COLUMNS, COLUMNS, export, flatten, print_table
from eventscope.record import Actor, Article, Event, Location
from fuzzing import examples


@pytest.fixture
def events(make_event) -> list[Event]:
    article = Article(
        text="Rebel fighters attacked an army post near Goma. Envoys met in Nairobi for talks.",
        title="Fighting near Goma", outlet="Example Wire", published="2024-02-07",
    )
    goma = Location(text="Goma", name="Goma", geonameid=216281, country="COD",
                    admin1="North Kivu", lat=-1.68, lon=29.22, feature_code="PPLA",
                    precision=2)
    return [
        make_event(article, "ASSAULT", 0, mode="", context=["military"],
                   actor=Actor(text="Rebel fighters", country="COD", sector="REB"),
                   target=Actor(text="an army post", name="DR Congo army", country="COD",
                                sector="MIL"),
                   location=goma, attribution="witnesses", hedged=True),
        make_event(article, "CONSULT", 1, date=None, date_precision=None,
                   actor=Actor(text="Envoys", sector="GOV")),
    ]


def test_csv_starts_with_acled_columns_in_acled_order(events: list[Event]) -> None:
    out = io.StringIO()
    from eventscope.export import write_csv

    assert write_csv(events, out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    header = out.getvalue().splitlines()[0].split(",")
    assert header[:len(ACLED_COLUMNS)] == list(ACLED_COLUMNS)
    assert header[:8] == ["event_id_cnty", "event_date", "year", "time_precision",
                          "event_type", "sub_event_type", "actor1", "actor2"]
    first = rows[0]
    assert first["event_date"] == "2024-02-07" and first["year"] == "2024"
    assert first["time_precision"] == "1"
    assert (first["actor1"], first["actor2"]) == ("Rebel fighters", "DR Congo army")
    assert first["country"] == "Democratic Republic of the Congo"
    assert (first["iso"], first["country_iso3"]) == ("180", "COD")
    assert (first["location"], first["latitude"], first["longitude"]) == ("Goma", "-1.68", "29.22")
    assert first["geo_precision"] == "2" and first["source"] == "Example Wire"
    assert first["notes"] == "Rebel fighters attacked an army post near Goma"
    assert (first["hedged"], first["negated"], first["attribution"]) == ("true", "false",
                                                                          "witnesses")
    second = rows[1]
    assert second["event_date"] == "" and second["latitude"] == "" and second["country"] == ""


def test_geojson_keeps_placeless_events_with_null_geometry(
    events: list[Event], tmp_path: Path
) -> None:
    path = tmp_path / "events.geojson"
    assert export(events, path, "geojson") == 2
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    located, placeless = collection["features"]
    assert located["geometry"] == {"type": "Point", "coordinates": [29.22, -1.68]}
    assert located["properties"]["event_type"] == "ASSAULT"
    assert placeless["geometry"] is None and placeless["id"] == events[1].event_id


def test_jsonl_is_the_record_itself(events: list[Event], tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    export(events, path, "jsonl")
    back = [Event.model_validate_json(line) for line in path.read_text().splitlines()]
    assert back == events


def test_parquet_has_typed_columns(events: list[Event], tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    path = tmp_path / "events.parquet"
    assert export(events, path, "parquet") == 2
    table = pq.read_table(path)
    assert table.column_names == list(COLUMNS)
    assert str(table.schema.field("latitude").type) == "double"
    assert str(table.schema.field("hedged").type) == "bool"
    assert table.column("latitude").to_pylist() == [-1.68, None]


def test_an_empty_export_is_still_a_valid_file(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    assert export([], tmp_path / "none.parquet", "parquet") == 0
    assert pq.read_table(tmp_path / "none.parquet").num_rows == 0
    assert export([], tmp_path / "none.geojson", "geojson") == 0
    assert json.loads((tmp_path / "none.geojson").read_text())["features"] == []


def test_a_failed_export_leaves_no_file(events: list[Event], tmp_path: Path) -> None:
    def broken():
        yield events[0]
        raise RuntimeError("store went away")

    with pytest.raises(RuntimeError):
        export(broken(), tmp_path / "half.csv", "csv")
    assert list(tmp_path.iterdir()) == []


def test_flat_rows_cover_every_column(events: list[Event]) -> None:
    assert list(flatten(events[0])) == list(COLUMNS)


def test_the_table_shows_who_did_what_where(events: list[Event]) -> None:
    from rich.console import Console

    console = Console(file=io.StringIO(), width=200)
    assert print_table(events, console) == 2
    text = console.file.getvalue()
    assert "ASSAULT" in text and "Rebel fighters (COD/REB)" in text
    assert "@ Goma (COD, p2)" in text and "hedged attributed" in text


def test_an_implied_actor_is_flagged_in_every_format(make_event, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    article = Article(text="Shops were looted in Bunia overnight.", published="2024-02-07")
    rioters = Actor(text=None, name="Rioters", country="COD", sector="PPL", implied=True)
    events = [make_event(article, "PROTEST", 0, mode="riot", actor=rioters)]
    row = flatten(events[0])
    assert (row["actor1"], row["actor1_text"], row["actor1_sector"], row["actor1_implied"]) == (
        "Rioters", None, "PPL", True)
    export(events, tmp_path / "e.csv", "csv")
    first = next(csv.DictReader((tmp_path / "e.csv").open(encoding="utf-8")))
    assert (first["actor1"], first["actor1_text"], first["actor1_implied"]) == (
        "Rioters", "", "true")
    export(events, tmp_path / "e.parquet", "parquet")
    table = pq.read_table(tmp_path / "e.parquet")
    assert str(table.schema.field("actor1_implied").type) == "bool"
    assert table.column("actor1_implied").to_pylist() == [True]
    export(events, tmp_path / "e.jsonl", "jsonl")
    assert Event.model_validate_json((tmp_path / "e.jsonl").read_text()) == events[0]

    from rich.console import Console

    console = Console(file=io.StringIO(), width=200)
    print_table(events, console)
    assert "Rioters (COD/PPL, implied)" in console.file.getvalue()


def test_csv_text_a_spreadsheet_would_run_is_quoted_and_numbers_stay(make_event) -> None:
    from eventscope.export import write_csv

    article = Article(text="=HYPERLINK(\"https://evil.example\") said the army. Calm "
                      "returned to the town.", title="@SUM(1+1)", outlet="-Wire",
                      published="2024-02-07")
    bamako = Location(text="+Bamako", name="Bamako", country="MLI", lat=-12.65, lon=-8.0)
    event = make_event(article, "ACCUSE", 0, trigger="said", location=bamako,
                       actor=Actor(text="\tarmy", sector="MIL"), attribution="\rofficials")
    out = io.StringIO()
    write_csv([event], out)
    row = next(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert row["notes"] == "'=HYPERLINK(\"https://evil.example\") said the army"
    assert row["title"] == "'@SUM(1+1)" and row["source"] == "'-Wire"
    assert row["actor1_text"] == "'\tarmy" and row["attribution"] == "'\rofficials"
    assert row["location_text"] == "'+Bamako" and row["location"] == "Bamako"
    assert (row["latitude"], row["longitude"]) == ("-12.65", "-8.0")  # numbers, untouched


def test_a_long_table_is_printed_in_chunks_with_one_header(make_event) -> None:
    from rich.console import Console

    article = Article(text="Crowds marched in Lima. Police watched.", published="2024-02-07")
    events = [make_event(article, "PROTEST", 0, trigger=f"marched{i}") for i in range(7)]
    console = Console(file=io.StringIO(), width=120)
    assert print_table(iter(events), console=console, chunk=3) == 7
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert text.count("evidence") == 1 and text.count("2024-02-07") == 7


FORMULA = ("=", "+", "-", "@", "\t", "\r")


@examples(100, 10_000)
@given(title=st.text(st.characters(blacklist_categories=["Cs"]), max_size=30)
       | st.sampled_from(FORMULA).flatmap(lambda c: st.text(max_size=10).map(lambda t: c + t)))
def test_no_csv_text_cell_starts_a_formula(make_event, title: str) -> None:
    from eventscope.export import write_csv

    article = Article(text="Crowds marched in Lima. Police watched.", title=title or None,
                      published="2024-02-07")
    out = io.StringIO()
    write_csv([make_event(article, "PROTEST", 0)], out)
    row = next(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    cell = row["title"]
    assert not cell.startswith(FORMULA)
    assert cell == ("'" + title if title.startswith(FORMULA) else title)
