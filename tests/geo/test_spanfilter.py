"""The span filter: general features of a recognised name, and a trained model that says
whether it is a place in this text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventscope.geo import geoparse
from eventscope.geo.gazetteer import get_gazetteer
from eventscope.geo.recognize import dictionary_words, recognize
from eventscope.geo.resolve import resolve
from eventscope.geo.spanfilter import FEATURES, FilterError, _load, keep, span_features
from eventscope.nlp import load_nlp

pytestmark = pytest.mark.usefixtures("use_default_index")


def features_of(text: str) -> dict[str, dict[str, float]]:
    nlp = load_nlp()
    doc = nlp(text)
    mentions = recognize(doc, get_gazetteer(), nlp)
    rows = span_features(doc, mentions, resolve(mentions), dictionary_words(nlp))
    assert rows.shape == (len(mentions), len(FEATURES))
    return {m.text: dict(zip(FEATURES, row, strict=True)) for m, row in zip(mentions, rows,
                                                                              strict=True)}


def test_a_surname_of_a_person_named_in_full_elsewhere_is_flagged() -> None:
    found = features_of("The Trinity Church in Dallas will reopen. Sheriff Tom Adkins said "
                        "Adkins Road was closed.")
    assert found["Adkins"]["surname_elsewhere"] == 1.0
    assert found["Adkins"]["said_near"] == 1.0
    assert found["Dallas"]["locative_before"] == 1.0
    assert [t.name for t in geoparse("The Trinity Church in Dallas will reopen. Sheriff Tom "
                                     "Adkins said Adkins Road was closed.")][-1] == "Dallas"


def test_a_name_running_into_an_organisation_word_is_flagged() -> None:
    found = features_of("Volunteers served meals at the Trinity Episcopal Church in Dallas.")
    assert found["Trinity"]["org_head_after"] == 1.0
    assert found["Dallas"]["org_head_after"] == 0.0


def test_the_shipped_filter_keeps_plain_places() -> None:
    names = [t.name for t in geoparse(
        "Gunmen ambushed a Malian army convoy near Menaka on Wednesday. The military deployed "
        "reinforcements to Menaka. Police arrested six suspects in Gao. A convoy of Russian "
        "vehicles headed to Tartus from Hmeimim air base near Latakia.")]
    assert names == ["Malian", "Menaka", "Menaka", "Gao", "Russian", "Tartus",
                     "Hmeimim air base", "Latakia"]


def test_without_a_model_nothing_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTSCOPE_GEO_FILTER", "none")
    nlp = load_nlp()
    doc = nlp("Grant said the Trinity Church in Dallas reopened.")
    mentions = recognize(doc, get_gazetteer(), nlp)
    assert keep(doc, mentions, resolve(mentions), dictionary_words(nlp)) == [True] * len(
        mentions)


def test_a_corrupt_model_file_says_which_and_how_to_rebuild(tmp_path: Path) -> None:
    broken = tmp_path / "span_filter.json"
    broken.write_text('{"features": ["x"]')
    with pytest.raises(FilterError, match=r"span_filter.json: not a span-filter model.*"
                       r"train_geo_filter.py"):
        _load(str(broken))
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps({"features": ["old"], "threshold": 0.5, "baseline": 0,
                                 "trees": []}))
    with pytest.raises(FilterError, match="other features"):
        _load(str(stale))
