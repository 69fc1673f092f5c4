"""Date expressions resolved against the publication date.

Weekdays name the most recent such day on or before publication (dateparser gets this
wrong around the base date, which is why the resolution is ours); periods resolve to
their first day with a precision saying how much to believe.
"""

from __future__ import annotations

import pytest

from eventscope.dates import find_dates, parse_iso_date, resolve_date

MONDAY = "2024-12-16"  # the Hmeimim article's publication day


@pytest.mark.parametrize(("text", "expected"), [
    ("a convoy was spotted on Monday", ("2024-12-16", "day", "on Monday")),
    ("talks were held on Sunday", ("2024-12-15", "day", "on Sunday")),
    ("the strike began on Thursday", ("2024-12-12", "day", "on Thursday")),
    ("fighting resumed on Tuesday", ("2024-12-10", "day", "on Tuesday")),
    ("officials met last Monday", ("2024-12-09", "day", "last Monday")),
    ("shelling on Monday night", ("2024-12-16", "day", "on Monday night")),
    ("the envoy arrived yesterday", ("2024-12-15", "day", "yesterday")),
    ("the raid happened last night", ("2024-12-15", "day", "last night")),
    ("police said today", ("2024-12-16", "day", "today")),
    ("three days ago", ("2024-12-13", "day", "three days ago")),
    ("troops moved north last week", ("2024-12-09", "week", "last week")),
    ("protests this week", ("2024-12-16", "week", "this week")),
    ("arrests this month", ("2024-12-01", "month", "this month")),
    ("elections last month", ("2024-11-01", "month", "last month")),
    ("In 2017, a deal was struck", ("2017-01-01", "year", "In 2017")),
    ("a deal signed last year", ("2023-01-01", "year", "last year")),
    ("the base was hit on 8 December", ("2024-12-08", "day", "on 8 December")),
    ("On 1 March 2020, residents protested", ("2020-03-01", "day", "On 1 March 2020")),
    ("On August 4, 2019 police raided", ("2019-08-04", "day", "On August 4, 2019")),
    ("On Aug 4th 2019, police raided", ("2019-08-04", "day", "On Aug 4th 2019")),
    ("reported on 2024-12-10 by", ("2024-12-10", "day", "on 2024-12-10")),
    ("in March the army withdrew", ("2024-03-01", "month", "in March")),
    ("in March 2020 the army withdrew", ("2020-03-01", "month", "in March 2020")),
])
def test_expressions_resolve_against_a_monday(text: str, expected: tuple[str, str, str]) -> None:
    assert resolve_date(text, MONDAY) == expected


def test_a_day_and_month_after_publication_is_last_years() -> None:
    # published 2 January: "on 28 December" is the December just gone
    assert resolve_date("clashes on 28 December", "2025-01-02") == (
        "2024-12-28", "day", "on 28 December")


def test_a_weekday_on_the_publication_day_is_that_day_for_every_weekday() -> None:
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    for offset, name in enumerate(days):
        published = f"2024-12-{16 + offset}"
        assert resolve_date(f"on {name}", published) == (published, "day", f"on {name}")


@pytest.mark.parametrize("text", [
    "a 49-year lease of the base",
    "she may attack the plan",
    "a protest march through the city",
    "a 4km March to the capital",
    "detained since 2019 without trial",
    "the 2020-2021 season",
    "no date at all",
    "supporters of the Movement of June 5 marched",
])
def test_things_that_are_not_event_dates(text: str) -> None:
    assert find_dates(text, MONDAY) == []


def test_the_night_of_a_date_is_that_date() -> None:
    assert resolve_date("on the night of 5 June", MONDAY) == ("2024-06-05", "day", "5 June")


def test_relative_dates_need_a_publication_date() -> None:
    assert resolve_date("on Monday", None) is None
    assert resolve_date("last week", None) is None
    assert resolve_date("on 1 March 2020", None) == ("2020-03-01", "day", "on 1 March 2020")
    assert resolve_date("in 2017", None) == ("2017-01-01", "year", "in 2017")


def test_offsets_point_into_the_text() -> None:
    text = "Gunmen attacked a convoy on Wednesday near Menaka."
    (found,) = find_dates(text, "2025-03-14", offset=100)
    assert (found.start - 100, found.end - 100) == (25, 37)
    assert text[found.start - 100:found.end - 100] == "on Wednesday"
    assert found.date == "2025-03-12"


def test_impossible_dates_are_dropped_and_bad_iso_is_none() -> None:
    assert find_dates("on 31 February 2020", MONDAY) == []
    assert parse_iso_date("2024-13-01") is None
    assert parse_iso_date("2024-12-16T10:00:00Z") is not None
