"""Filter.parse: the strings users type (CLI options, query parameters) into a Filter,
and one message naming the parameter and the value when they are wrong."""

from __future__ import annotations

import re

import pytest

from eventscope.store.filter import Filter


def test_parse_reads_every_option() -> None:
    flt = Filter.parse(
        types=["assault", "PROTEST,coerce"], actor=" Russia ", country="syr", sector="mil",
        since="2024-12", until="2024", bbox="35.5,34.5,36.5,35.8", near="34.89,35.89,25",
        text="air base", min_confidence="0.6", hedged="false", negated="true",
    )
    assert flt == Filter(
        types=("ASSAULT", "PROTEST", "COERCE"), actor="Russia", country="SYR", sector="MIL",
        since="2024-12-01", until="2024-12-31", bbox=(35.5, 34.5, 36.5, 35.8),
        near=(34.89, 35.89, 25.0), text="air base", min_confidence=0.6, hedged=False,
        negated=True,
    )


def test_empty_values_mean_no_constraint() -> None:
    assert Filter.parse(actor="", bbox=" ", near=None, since="", min_confidence="") == Filter()


def test_a_month_as_until_means_its_last_day() -> None:
    assert Filter.parse(until="2024-02").until == "2024-02-29"


@pytest.mark.parametrize(("options", "message"), [
    ({"bbox": "35,34,36"}, "bbox '35,34,36': expected minlon,minlat,maxlon,maxlat"),
    ({"bbox": "36,34,35,35"}, "bbox '36,34,35,35': min must not exceed max"),
    ({"bbox": "35,-95,36,35"}, "bbox '35,-95,36,35': latitude must be in -90..90"),
    ({"near": "34.9,35.9"}, "near '34.9,35.9': expected lat,lon,km"),
    ({"near": "34.9,35.9,-5"}, "near '34.9,35.9,-5': the radius in km must be positive"),
    ({"near": "nan,1,2"}, "near 'nan,1,2': expected lat,lon,km"),
    ({"since": "last week"}, "since 'last week': expected a date like 2024-12-16"),
    ({"until": "2024-02-30"}, "until '2024-02-30': expected a date"),
    ({"since": "2024-05-01", "until": "2024-04-01"}, "since '2024-05-01' is after until"),
    ({"types": ["ATTACK"]}, "type 'ATTACK': not a PLOVER type"),
    ({"country": "Syria!"}, "country 'Syria!': expected a code such as SYR"),
    ({"sector": "army"}, "sector 'army': expected one of GOV"),
    ({"min_confidence": "high"}, "min_confidence 'high': expected a number from 0 to 1"),
    ({"min_confidence": "1.5"}, "min_confidence '1.5': expected a number from 0 to 1"),
    ({"hedged": "maybe"}, "hedged 'maybe': expected true or false"),
])
def test_bad_values_name_the_parameter_and_value(options: dict, message: str) -> None:
    with pytest.raises(ValueError) as info:
        Filter.parse(**options)
    assert str(info.value).startswith(message)


@pytest.mark.parametrize(("option", "value", "problem"), [
    ("text", "a\x00b", "contains a control character (U+0000)"),
    ("actor", "\x1b[31m", "contains a control character (U+001B)"),
    ("actor", "caf\udce9", "is not valid UTF-8 text"),  # a non-UTF-8 command-line argument
    ("text", "\udcff", "is not valid UTF-8 text"),
])
def test_text_filters_refuse_what_no_one_types(option: str, value: str, problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)) as caught:
        Filter.parse(**{option: value})
    assert str(caught.value).startswith(f"{option} ")
