"""The imported PETRARCH-2 dictionaries: converting CAMEO's text format, reading the
converted files, and the coder's use of them beneath the curated dictionary.

The dictionaries below are made up (names, codes and dates), written in CAMEO's format.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import warnings
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Token

from eventscope.coder.actors import ActorCoder
from eventscope.coder.lexicon import ActorDictionary, load_actor_dictionary
from eventscope.coder.petrarch import (
    PetrarchLayer,
    PetrarchWarning,
    Problem,
    Role,
    convert_actors,
    convert_agents,
    load_petrarch,
    map_code,
    parse_code,
    read_layer,
    write_actors,
    write_agents,
)
from eventscope.nlp import load_nlp
from eventscope.record import SECTORS

ACTORS = """\
# made-up actors for eventscope's tests
MALI_  [MLI]
+MALIAN_
+BAMAKO_

ILSE_VANDERMOOT_  # a made-up Belgian politician
+PRESIDENT_VANDERMOOT_
+VANDERMOOT_
\t[BELELI 19700101-091231]
\t[BELGOV 100101-141231]
\t[BELOPP >150101]

KAREL_OSTROWSKI_
\t[POLGOV]

THE_SAHEL_RELIEF_FRONT_(SRF)_ [MLIREB]
WORLD_GRAIN_COUNCIL_ [IGOUNODEV]
NORTHWIND_SHIPPING_ [MNCNOR]

TOMAS_RIDGEWAY_
\t[GBRGOV 2004017-20061201]
ORPHAN_NAME_
\t[USRGOV]
+STRAY_SYNONYM_
"""

AGENTS = """\
# made-up agents for eventscope's tests
!PERSON! = MAN, MEN, WOMAN, WOMEN
SHARPSHOOTER [~MIL]
FERRY!PERSON! {} [~CVL]
HARBOUR_PILOT {HARBOUR_PILOT_CREWS} [~BUS]
BROKEN LINE WITHOUT CODE
ODD_JOB [~ELI]
"""
COUNTRIES = frozenset({"MLI", "BEL", "POL", "GBR", "NOR"})


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Problem]]:
    folder = tmp_path_factory.mktemp("petrarch")
    problems: list[Problem] = []
    actors = convert_actors(ACTORS.splitlines(), "test.actors.txt", COUNTRIES, problems)
    agents = convert_agents(AGENTS.splitlines(), "test.agents.txt", problems)
    write_actors(folder / "actors.tsv", actors, ["test.actors.txt"], date(2026, 1, 2))
    write_agents(folder / "agents.tsv", agents, ["test.agents.txt"], date(2026, 1, 2))
    return folder / "actors.tsv", folder / "agents.tsv", problems


@pytest.fixture(scope="module")
def layer(converted: tuple[Path, Path, list[Problem]]) -> PetrarchLayer:
    with warnings.catch_warnings():
        warnings.simplefilter("error", PetrarchWarning)
        return read_layer(converted[0], converted[1], frozenset(SECTORS))


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def test_codes_map_to_country_and_sector() -> None:
    countries = frozenset({"RUS", "AFG"})
    assert map_code("RUSMIL", countries) == ("RUS", "MIL")
    assert map_code("AFGCOP", countries) == ("AFG", "POL")
    assert map_code("AFGELI", countries) == ("AFG", None)
    assert map_code("IGOUNOHLH", countries) == ("UNO", "IGO")
    assert map_code("IGOWSTNAT", countries) == ("NATO", "IGO")
    assert map_code("NGORUSHRI", countries) == ("RUS", "NGO")
    assert map_code("MEAREB", countries) == (None, "REB")  # a region is no country
    assert map_code("TMPGOV", countries | {"TLS"}) == ("TLS", "GOV")  # CAMEO's East Timor
    assert map_code("MUSUAF", countries) == (None, "REB")  # armed beats religious
    assert map_code("USRGOV", countries) is None  # the USSR: no country to give


def test_dates_read_as_cameo_writes_them() -> None:
    assert parse_code("AFGGOV 011222-091231") == ("AFGGOV", date(2001, 12, 22),
                                                  date(2009, 12, 31))
    assert parse_code("AFGGOV 19790706-850101") == ("AFGGOV", date(1979, 7, 6),
                                                    date(1985, 1, 1))
    assert parse_code("AFGGOV >011222") == ("AFGGOV", date(2001, 12, 22), None)
    assert parse_code("AFGGOV <311231") == ("AFGGOV", None, date(1931, 12, 31))
    with pytest.raises(ValueError, match="2004017"):
        parse_code("KORGOV 2004017-20061201")


def test_converter_keeps_names_codes_dates_and_sources(
        converted: tuple[Path, Path, list[Problem]]) -> None:
    text = converted[0].read_text(encoding="utf-8")
    assert "MIT licence" in text and "Converted 2026-01-02" in text
    rows = {line.split("\t")[0]: line.split("\t") for line in text.splitlines()
            if line and not line.startswith("#")}
    assert rows["malian"][1:5] == ["Mali", "country", "MLI", ""]
    term, name, kind, country, sector, roles, source = rows["vandermoot"]
    assert (name, kind, country, sector) == ("Ilse Vandermoot", "person", "", "")
    assert roles == ("BEL/@1970-01-01..2009-12-31;BEL/GOV@2010-01-01..2014-12-31;"
                     "BEL/OPP@2015-01-01..")
    assert source == "test.actors.txt:8"
    # a parenthesised acronym and a leading "the" are no part of the name
    assert rows["sahel relief front"][3:5] == ["MLI", "REB"]
    assert rows["world grain council"][3:5] == ["UNO", "IGO"]
    assert rows["northwind shipping"][3:5] == ["", "BUS"]
    assert "tomas ridgeway" not in rows and "orphan name" not in rows


def test_converter_reports_what_it_leaves_out_by_file_and_line(
        converted: tuple[Path, Path, list[Problem]]) -> None:
    found = {str(p) for p in converted[2]}
    assert "test.actors.txt:21: date '2004017' is neither YYMMDD nor YYYYMMDD" in found
    assert "test.actors.txt:23: unknown CAMEO code 'USRGOV'" in found
    assert "test.actors.txt:24: synonym outside a name's block" in found
    assert any(p.startswith("test.agents.txt:6: not PHRASE") for p in found)
    assert len(found) == 4


def test_agents_expand_plurals_and_substitutions(
        converted: tuple[Path, Path, list[Problem]]) -> None:
    rows = {line.split("\t")[0]: line.split("\t")[1] for line
            in converted[1].read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")}
    assert rows["sharpshooter"] == rows["sharpshooters"] == "MIL"
    assert rows["ferrymen"] == rows["ferrywoman"] == "CVL"
    assert "ferrymens" not in rows  # {}: no plural made
    assert rows["harbour pilot crews"] == "BUS" and "harbour pilots" not in rows
    assert "odd job" not in rows  # ELI: no sector


def test_a_person_has_the_role_held_on_the_day(layer: PetrarchLayer) -> None:
    person = next(a for a in layer.actors["vandermoot"] if a.tokens == ("vandermoot",))
    assert person.role_on(date(2012, 6, 1)) == Role("BEL", "GOV", date(2010, 1, 1),
                                                    date(2014, 12, 31))
    assert person.role_on(date(2020, 6, 1)) == Role("BEL", "OPP", date(2015, 1, 1), None)
    role = person.role_on(date(1995, 6, 1))
    assert role is not None and (role.country, role.sector) == ("BEL", None)
    # before any range, or with no date: the most recent role
    for day in (date(1960, 1, 1), None):
        role = person.role_on(day)
        assert role is not None and role.sector == "OPP"


def test_bad_rows_are_reported_and_the_rest_load(tmp_path: Path) -> None:
    path = tmp_path / "actors.tsv"
    path.write_text(
        "# made up\n"
        "term\tname\tkind\tcountry\tsector\troles\tsource\n"
        "sahel relief front\tSahel Relief Front\tgroup\tMLI\tREB\tMLI/REB@..\tx:1\n"
        "karel ostrowski\tKarel Ostrowski\tperson\t\t\tPOL/GOV@2010-13-01..\tx:2\n"
        "northwind shipping\tNorthwind\tgroup\t\tBUS\n"
        "world grain council\tWorld Grain Council\tgroup\tUNO\tIGO\tUNO/IGO@..\tx:4\n",
        encoding="utf-8")
    with pytest.warns(PetrarchWarning) as caught:
        layer = read_layer(path, None, frozenset(SECTORS))
    messages = [str(w.message) for w in caught]
    assert len(messages) == 2
    assert messages[0].startswith(f"{path}:4: ")
    assert messages[1].startswith(f"{path}:5: expected 7 tab-separated fields")
    assert set(layer.actors) == {"sahel", "world"}


def _coder(nlp: Language, layer: PetrarchLayer | None, text: str,
           published: date | None) -> tuple[ActorCoder, Doc]:
    dictionary: ActorDictionary = dataclasses.replace(load_actor_dictionary(),
                                                      imported=layer)
    doc = nlp(text)
    return ActorCoder(dictionary, doc, published), doc


def _subject(doc: Doc, index: int = 0) -> Token:
    return [t for t in doc if t.dep_ == "nsubj"][index]


@pytest.mark.parametrize(("published", "sector"), [
    (date(2012, 6, 1), "GOV"), (date(2021, 3, 5), "OPP"), (date(1999, 1, 1), None),
])
def test_a_leader_is_coded_by_the_office_held_on_the_article_date(
        nlp: Language, layer: PetrarchLayer, published: date, sector: str | None) -> None:
    coder, doc = _coder(nlp, layer, "Ilse Vandermoot criticised the budget.", published)
    actor, _ = coder.code(doc, _subject(doc))
    assert (actor.country, actor.sector) == ("BEL", sector)


def test_an_agent_noun_gives_the_sector_of_a_phrase_with_a_country(
        nlp: Language, layer: PetrarchLayer) -> None:
    text = "Malian sharpshooters fired on a convoy."
    coder, doc = _coder(nlp, layer, text, date(2024, 5, 1))
    actor, _ = coder.code(doc, _subject(doc))
    assert (actor.country, actor.sector) == ("MLI", "MIL")
    coder, doc = _coder(nlp, None, text, date(2024, 5, 1))  # the curated entries alone
    assert coder.code(doc, _subject(doc))[0].sector is None


def test_an_agent_noun_alone_gives_no_sector(nlp: Language, layer: PetrarchLayer) -> None:
    coder, doc = _coder(nlp, layer, "The sharpshooters fired on a convoy.", None)
    actor, _ = coder.code(doc, _subject(doc))
    assert (actor.country, actor.sector) == (None, None)


def test_a_named_group_from_the_import(nlp: Language, layer: PetrarchLayer) -> None:
    coder, doc = _coder(nlp, layer, "The Sahel Relief Front attacked a convoy.", None)
    actor, _ = coder.code(doc, _subject(doc))
    assert (actor.country, actor.sector, actor.name) == ("MLI", "REB", "Sahel Relief Front")


def test_a_surname_later_in_the_article_is_the_person_named_before(
        nlp: Language, layer: PetrarchLayer) -> None:
    text = "Karel Ostrowski arrived in Vilnius on Monday. Ostrowski rejected the plan."
    coder, doc = _coder(nlp, layer, text, date(2024, 5, 1))
    actor, _ = coder.code(doc, _subject(doc, 1))
    assert (actor.text, actor.country, actor.sector) == ("Ostrowski", "POL", "GOV")


def test_the_curated_dictionary_wins(nlp: Language, layer: PetrarchLayer) -> None:
    # the import says Mali for "Bamako" as the curated file does, and "Malian" with it;
    # a curated role word keeps its sector over an imported one
    coder, doc = _coder(nlp, layer, "Malian soldiers attacked a convoy.", None)
    actor, _ = coder.code(doc, _subject(doc))
    assert (actor.country, actor.sector) == ("MLI", "MIL")


def test_the_script_converts_files_given_by_path(tmp_path: Path) -> None:
    (tmp_path / "test.actors.txt").write_text(ACTORS, encoding="utf-8")
    (tmp_path / "test.agents.txt").write_text(AGENTS, encoding="utf-8")
    script = Path(__file__).resolve().parents[2] / "scripts" / "import_petrarch_dictionaries.py"
    spec = importlib.util.spec_from_file_location("import_petrarch", script)
    assert spec is not None and spec.loader is not None
    module: ModuleType = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "out"
    out.mkdir()
    assert module.main([str(tmp_path / "test.actors.txt"), str(tmp_path / "test.agents.txt"),
                        "--out", str(out)]) == 0
    actors = (out / "petrarch_actors.tsv").read_text(encoding="utf-8")
    assert "openeventdata/petrarch2" in actors and "test.actors.txt:6" in actors
    assert "sharpshooters\tMIL\ttest.agents.txt:3" in (
        out / "petrarch_agents.tsv").read_text(encoding="utf-8")


def test_the_shipped_import_loads_whole() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", PetrarchWarning)
        layer = load_petrarch()
    assert len(layer) > 30000
    assert layer.agents["soldiers"][0].sector == "MIL"


def test_the_title_later_in_the_article_is_the_person_given_it(
        nlp: Language, layer: PetrarchLayer) -> None:
    text = ("Kremlin spokesman Dmitry Peskov said talks had stalled. "
            "The spokesman accused Kyiv of sabotage.")
    coder, doc = _coder(nlp, layer, text, date(2024, 5, 1))
    accuser = next(t for t in doc if t.lower_ == "spokesman" and t.i > 5)
    actor, _ = coder.code(doc, accuser)
    assert (actor.text, actor.country, actor.sector) == ("The spokesman", "RUS", "GOV")
    # a title with its own country word is not the earlier person's
    coder, doc = _coder(nlp, layer, text.replace("The spokesman", "The Ukrainian spokesman"),
                        date(2024, 5, 1))
    accuser = next(t for t in doc if t.lower_ == "spokesman" and t.i > 5)
    assert coder.code(doc, accuser)[0].country == "UKR"
