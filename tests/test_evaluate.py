"""The scorers behind `eventscope eval`, on small gold files and hand-made predictions."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventscope import evaluate
from eventscope.cli import app
from eventscope.geodesy import haversine_km
from eventscope.record import Actor, ArticleRef, Event, Evidence, Location

# --- helpers: gold lines and our events, written the way the dev sets and extractor do ---


def plover_line(sid: str, text: str, *events: tuple[str, str | None], scope: str = "one gold "
                "event per sentence") -> str:
    return json.dumps({
        "id": sid, "text": text, "annotation_scope": scope,
        "events": [{"event_type": t, "mode": None, "actor_text": None, "actor_country": c,
                    "actors": [{"text": None, "country": c, "sector": None}]}
                   for t, c in events],
    })


def acled_line(nid: str, notes: str, event_type: str, *, actor1: str | None = None,
               lat: float = 0.0, lon: float = 0.0, day: str = "2020-03-01",
               geo: int = 1, time: int = 1) -> str:
    return json.dumps({
        "id": nid, "notes": notes, "event_date": day, "event_type": event_type,
        "sub_event_type": None, "actor1": actor1, "actor2": None, "location": "somewhere",
        "latitude": lat, "longitude": lon, "geo_precision": geo, "time_precision": time,
    })


def event(event_type: str, *, country: str | None = None, sector: str | None = None,
          confidence: float = 0.5, lat: float | None = None, lon: float | None = None,
          day: str | None = None, negated: bool = False, mode: str = "") -> Event:
    actor = Actor(text="they", country=country, sector=sector) if country or sector else None
    location = (Location(text="there", lat=lat, lon=lon, precision=1)
                if lat is not None else None)
    return Event(
        event_id=f"{event_type}-{confidence}", event_type=event_type, mode=mode, actor=actor,
        location=location, date=day, date_precision="day" if day else None,
        evidence=Evidence(sentence="...", start=0, end=3, trigger="x"), negated=negated,
        confidence=confidence, article=ArticleRef(article_id="a"),
    )


def write(tmp_path: Path, name: str, *lines: str) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- loading gold -----------------------------------------------------------------------

PROTEST_TEXT = "Thousands of Kenyan teachers marched through Nairobi demanding higher pay."
ASSAULT_TEXT = "Israeli jets struck a weapons depot near Gaza City overnight, the army said."
NEGATIVE_TEXT = "The finance ministry expects inflation to ease slightly next year."


def test_plover_loader_reports_bad_lines_by_number_and_keeps_the_rest(tmp_path: Path) -> None:
    path = write(
        tmp_path, "gold.jsonl",
        plover_line("s1", PROTEST_TEXT, ("PROTEST", "KEN")),
        '{"id": "s2", "text": "Rebels seized the town.", "events": [{"event_type": "FIGHT"}]}',
        "",
        '{"id": "s3", "events": []}',
        "{not json",
        '{"id": "s5", "text": "Troops withdrew.", "events": [{"mode": "withdraw"}]}',
        plover_line("s6", NEGATIVE_TEXT, scope="all events expected"),
    )
    gold = evaluate.load_plover(path)
    assert [s.id for s in gold.items] == ["s1", "s6"]
    assert [(i.line, i.message) for i in gold.issues] == [
        (2, "events[0]: unknown event type 'FIGHT'"),
        (4, "missing field 'text'"),
        (5, "not valid JSON (Expecting property name enclosed in double quotes)"),
        (6, "events[0]: missing field 'event_type'"),
    ]
    assert gold.items[0].events[0].actor_countries == {"KEN"}
    assert gold.items[1].is_negative and gold.items[1].exhaustive


def test_acled_loader_reports_missing_fields_and_unknown_types(tmp_path: Path) -> None:
    good = acled_line("KEN1", "On 1 March 2020, traders protested in Nairobi.", "Protests")
    no_lat = json.loads(good) | {"id": "KEN2", "latitude": None}
    bad_date = json.loads(good) | {"id": "KEN3", "event_date": "1 March 2020"}
    bad_type = json.loads(good) | {"id": "KEN4", "event_type": "Floods"}
    path = write(tmp_path, "acled.jsonl", good, *(json.dumps(r) for r in
                                                   (no_lat, bad_date, bad_type)))
    gold = evaluate.load_acled(path)
    assert [n.id for n in gold.items] == ["KEN1"]
    assert [i.line for i in gold.issues] == [2, 3, 4]
    assert "latitude" in gold.issues[0].message
    assert "event_date" in gold.issues[1].message
    assert "unknown ACLED event type 'Floods'" in gold.issues[2].message
    assert gold.items[0].published == "2020-03-04"  # three days after the event


@pytest.mark.parametrize(("name", "expected"), [
    ("Military Forces of Afghanistan (2014-)", ("AFG", "MIL")),
    ("Police Forces of Turkey (2016-) Gendarmerie", ("TUR", "POL")),
    ("Protesters (Democratic Republic of Congo)", ("COD", "PPL")),
    ("Rioters (India)", ("IND", "PPL")),
    ("Civilians (Mali)", ("MLI", "CVL")),
    ("Protesters (the Philippines)", ("PHL", "PPL")),
])
def test_acled_actor_names_give_country_and_sector(name: str, expected: tuple[str, str]) -> None:
    actor = evaluate.parse_acled_actor(name)
    assert actor is not None and (actor.country, actor.sector) == expected


def test_acled_actor_names_without_a_country_give_nothing() -> None:
    assert evaluate.parse_acled_actor("Taliban") is None
    assert evaluate.parse_acled_actor("Unidentified Armed Group (Nigeria)") is None
    assert evaluate.parse_acled_actor(None) is None


# --- PLOVER scoring ---------------------------------------------------------------------


def _sentences(tmp_path: Path, *lines: str) -> list[evaluate.PloverSentence]:
    return evaluate.load_plover(write(tmp_path, "g.jsonl", *lines)).items


def test_plover_recall_actor_confusion_and_false_positives(tmp_path: Path) -> None:
    protest, assault, negative, quiet = _sentences(
        tmp_path,
        plover_line("p", PROTEST_TEXT, ("PROTEST", "KEN")),
        plover_line("a", ASSAULT_TEXT, ("ASSAULT", "ISR")),
        plover_line("n1", NEGATIVE_TEXT, scope="all events expected"),
        plover_line("n2", "Officials will meet again next month.", scope="all events expected"),
    )
    report = evaluate.score_plover([
        (protest, [event("PROTEST", country="KEN", sector="PPL"), event("REQUEST")]),
        (assault, [event("ACCUSE", country="ISR", confidence=0.9),
                   event("COERCE", confidence=0.4)]),
        (negative, [event("THREATEN")]),
        (quiet, []),
    ])
    assert report.rows["PROTEST"].recall == 1.0
    assert report.rows["ASSAULT"].recall == 0.0
    assert report.macro_recall == 0.5  # over the two types present, not all 16
    assert str(report.actor) == "1.000 (2/2)"  # ISR is on one of our events, if not ASSAULT
    assert str(report.actor_with_type) == "0.500 (1/2)"
    assert str(report.negatives) == "0.500 (1/2)"
    # A missed type shows as our most confident event's type.
    assert report.confusion == {("PROTEST", "PROTEST"): 1, ("ASSAULT", "ACCUSE"): 1}
    why = {d.id: [r.code for r in d.why] for d in report.disagreements}
    assert why == {"a": ["type"], "n1": ["false-positive"]}


def test_negated_events_do_not_count_as_coding_the_event(tmp_path: Path) -> None:
    (sentence,) = _sentences(tmp_path, plover_line("a", ASSAULT_TEXT, ("ASSAULT", "ISR")))
    report = evaluate.score_plover([(sentence, [event("ASSAULT", country="ISR", negated=True)])])
    assert report.rows["ASSAULT"].found == 0
    assert report.confusion == {("ASSAULT", evaluate.NONE): 1}
    assert [r.code for r in report.disagreements[0].why] == ["no-event"]


def test_igo_gold_actor_matches_an_igo_actor(tmp_path: Path) -> None:
    (sentence,) = _sentences(tmp_path, plover_line(
        "u", "The UN Security Council agreed to extend the mission in Mali.", ("AGREE", "IGO")))
    by_code = evaluate.score_plover([(sentence, [event("AGREE", country="UNO")])])
    by_sector = evaluate.score_plover([(sentence, [event("AGREE", sector="IGO")])])
    a_state = evaluate.score_plover([(sentence, [event("AGREE", country="MLI")])])
    assert (by_code.actor.ok, by_sector.actor.ok, a_state.actor.ok) == (1, 1, 0)


def test_precision_is_measured_only_on_fully_coded_sentences(tmp_path: Path) -> None:
    one_gold, all_gold = _sentences(
        tmp_path,
        plover_line("g", PROTEST_TEXT, ("PROTEST", "KEN")),
        plover_line("p", PROTEST_TEXT, ("PROTEST", "KEN"), scope="all events expected"),
    )
    guesses = [event("PROTEST", country="KEN"), event("REQUEST", country="KEN")]
    report = evaluate.score_plover([(one_gold, guesses), (all_gold, guesses)])
    assert str(report.precision) == "0.500 (1/2)"
    assert report.rows["REQUEST"].predicted == 1


def test_calibration_labels_for_plover_sentences(tmp_path: Path) -> None:
    (sentence,) = _sentences(tmp_path, plover_line("p", PROTEST_TEXT, ("PROTEST", "KEN")))
    events = [event("PROTEST"), event("REQUEST"), event("PROTEST", negated=True)]
    assert evaluate.label_plover_events(sentence, events) == [True, False]


# --- ACLED scoring ----------------------------------------------------------------------

HERAT = (34.3482, 62.1997)
KABUL = (34.5281, 69.1723)


def _notes(tmp_path: Path, *lines: str) -> list[evaluate.AcledNote]:
    return evaluate.load_acled(write(tmp_path, "a.jsonl", *lines)).items


def test_acled_measures_on_the_top_event(tmp_path: Path) -> None:
    protest, battle, riot, strategic = _notes(
        tmp_path,
        acled_line("AFG1", "On 1 March 2020, residents protested in Herat city over water "
                   "shortages.", "Protests", actor1="Protesters (Afghanistan)",
                   lat=HERAT[0], lon=HERAT[1]),
        acled_line("AFG2", "On 1 March 2020, Taliban militants clashed with Afghan soldiers "
                   "in Herat city.", "Battles", actor1="Military Forces of Afghanistan "
                   "(2014-)", lat=HERAT[0], lon=HERAT[1]),
        acled_line("AFG3", "On 2 March 2020, rioters burned tyres in Kabul.", "Riots",
                   actor1="Rioters (Afghanistan)", lat=KABUL[0], lon=KABUL[1], day="2020-03-02",
                   time=2),
        acled_line("AFG4", "On 1 March 2020, the Taliban announced a new governor for Herat.",
                   "Strategic developments", actor1="Taliban", lat=HERAT[0], lon=HERAT[1]),
    )
    report = evaluate.score_acled([
        (protest, [event("PROTEST", country="AFG", sector="PPL", confidence=0.8,
                         lat=34.35, lon=62.20, day="2020-03-01"),
                   event("ASSAULT", confidence=0.3)]),
        # Wrong type, placed in Kabul (~640 km away), a day late, actor without a country.
        (battle, [event("PROTEST", sector="MIL", lat=KABUL[0], lon=KABUL[1],
                        day="2020-03-02")]),
        (riot, [event("ASSAULT", country="AFG", sector="PPL")]),
        (strategic, []),
    ])
    assert str(report.found) == "0.750 (3/4)"
    assert str(report.found_mapped) == "1.000 (3/3)"
    assert str(report.protest) == "1.000 (2/2)"  # a riot coded ASSAULT is accepted
    assert str(report.violence) == "0.000 (0/1)"
    assert report.balanced_accuracy == 0.5
    assert str(report.location) == "0.333 (1/3)"  # the battle is far, the riot unplaced
    assert str(report.located) == "0.667 (2/3)"
    assert str(report.any_type) == "0.667 (2/3)"
    assert str(report.date) == "0.500 (1/2)"  # the riot is not day-precise: not measured
    assert str(report.date_when_day) == "0.500 (1/2)"
    assert str(report.actor_country) == "0.667 (2/3)"
    assert str(report.actor_sector) == "1.000 (3/3)"
    assert report.confusion[("Battles", "PROTEST")] == 1
    assert report.confusion[("Strategic developments", evaluate.NONE)] == 1
    why = {d.id: [r.code for r in d.why] for d in report.disagreements}
    assert why == {
        "AFG2": ["type", "location-far", "date-undated", "actor-country"],
        "AFG3": ["location-missing"],
        "AFG4": ["no-event"],
    }


def test_calibration_labels_for_acled_notes(tmp_path: Path) -> None:
    battle, strategic = _notes(
        tmp_path,
        acled_line("AFG2", "On 1 March 2020, Taliban militants clashed with Afghan soldiers "
                   "in Herat city.", "Battles", lat=HERAT[0], lon=HERAT[1]),
        acled_line("AFG4", "On 1 March 2020, the Taliban named a governor.",
                   "Strategic developments"),
    )
    events = [
        event("ASSAULT", lat=34.35, lon=62.2, day="2020-03-01"),  # right
        event("ASSAULT", lat=KABUL[0], lon=KABUL[1], day="2020-03-01"),  # too far
        event("ASSAULT", lat=34.35, lon=62.2, day="2020-02-28"),  # wrong day
        event("PROTEST", lat=34.35, lon=62.2, day="2020-03-01"),  # wrong family
    ]
    assert evaluate.label_acled_events(battle, events) == [True, True, True, False]
    assert evaluate.label_acled_events(battle, events, place_and_date=True) == [
        True, False, False, False]
    assert evaluate.label_acled_events(strategic, events) == []


def test_distance_is_great_circle_km() -> None:
    assert haversine_km(0.0, 0.0, 1.0, 0.0) == pytest.approx(111.2, abs=0.1)
    assert haversine_km(*HERAT, *KABUL) == pytest.approx(640, abs=10)


# --- the disagreements file -------------------------------------------------------------


def test_disagreements_file_reads_as_a_list_of_cases(tmp_path: Path) -> None:
    (sentence,) = _sentences(tmp_path, plover_line("a", ASSAULT_TEXT, ("ASSAULT", "ISR")))
    report = evaluate.score_plover([(sentence, [event("ACCUSE", country="ISR")])])
    out = tmp_path / "disagreements.md"
    evaluate.write_disagreements(out, "Disagreements with g.jsonl", report.disagreements)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Disagreements with g.jsonl")
    assert "## a" in text and ASSAULT_TEXT in text
    assert "- **gold**: ASSAULT actor ['ISR']" in text
    assert "ACCUSE; actor 'they' ISR/?" in text
    assert "  - type: ASSAULT: we coded ACCUSE" in text
    assert not list(tmp_path.glob("*.tmp"))


# --- the command ------------------------------------------------------------------------

runner = CliRunner()


def test_eval_rejects_an_unknown_kind_and_a_missing_file(tmp_path: Path) -> None:
    gold = write(tmp_path, "g.jsonl", plover_line("p", PROTEST_TEXT, ("PROTEST", "KEN")))
    wrong_kind = runner.invoke(app, ["eval", "--gold", str(gold), "--kind", "gdelt"])
    assert wrong_kind.exit_code == 1 and "--kind 'gdelt'" in wrong_kind.output
    missing = runner.invoke(app, ["eval", "--gold", str(tmp_path / "no.jsonl"),
                                  "--kind", "plover"])
    assert missing.exit_code == 1 and "no such file" in missing.output


def _pipeline_ready() -> bool:
    try:
        import eventscope.pipeline  # noqa: F401
    except ImportError:
        return False
    return True


# Runs the real extractor (spaCy model, gazetteer): needs the event coder and geoparser.
@pytest.mark.skipif(not _pipeline_ready(), reason="the pipeline's stages have not landed")
def test_eval_command_end_to_end_reports_skipped_lines(tmp_path: Path) -> None:
    gold = write(
        tmp_path, "g.jsonl",
        plover_line("p", PROTEST_TEXT, ("PROTEST", "KEN")),
        '{"id": "bad", "text": "Rebels seized the town.", "events": [{"event_type": "FIGHT"}]}',
        plover_line("n", NEGATIVE_TEXT, scope="all events expected"),
    )
    out = tmp_path / "dis.md"
    result = runner.invoke(app, ["eval", "--gold", str(gold), "--kind", "plover",
                                 "--n-process", "1", "--disagreements", str(out)],
                           env={**os.environ, "COLUMNS": "200"})
    assert result.exit_code == 1, result.output
    assert "line 2: events[0]: unknown event type 'FIGHT'; skipped" in result.output
    assert "macro recall of the gold type" in result.output
    assert out.exists()


def test_a_right_type_outranked_by_another_event_is_told_apart(tmp_path: Path) -> None:
    (protest,) = _notes(tmp_path, acled_line(
        "BGD1", "On 27 April 2020, villagers staged a protest in Dinajpur town demanding "
        "relief.", "Protests", lat=25.63, lon=88.64, day="2020-04-27"))
    report = evaluate.score_acled([(protest, [
        event("PROTEST", confidence=0.6, lat=25.63, lon=88.64, day="2020-04-27"),
        event("REQUEST", confidence=0.8, lat=25.63, lon=88.64, day="2020-04-27"),
    ])])
    assert str(report.protest) == "0.000 (0/1)"
    assert str(report.any_type) == "1.000 (1/1)"
    assert [r.code for r in report.disagreements[0].why] == ["type-not-top"]


# --- the team's development sets (skipped when ../shared is absent) ----------------------


@pytest.mark.parametrize(("name", "kind"), [
    ("plover_gsr.dev.jsonl", "plover"),
    ("petr2_validation.dev.jsonl", "plover"),
    ("acled_notes.dev.jsonl", "acled"),
])
def test_the_development_sets_load_without_skipped_lines(
    shared_dir: Path, name: str, kind: str
) -> None:
    path = shared_dir / "data" / "events" / name
    gold = evaluate.load_plover(path) if kind == "plover" else evaluate.load_acled(path)
    assert gold.issues == []
    assert len(gold.items) > 50
