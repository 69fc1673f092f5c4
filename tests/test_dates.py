"""Date expressions resolved against the publication date.

Weekdays name the most recent such day on or before publication (dateparser gets this
wrong around the base date, which is why the resolution is ours); periods resolve to
their first day with a precision saying how much to believe.
"""

from __future__ import annotations

from datetime import date

import pytest

from eventscope.dates import anchored, find_dates, numeric_date, parse_iso_date, resolve_date

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


# --- numeric dates: day/month or month/day ------------------------------------------

@pytest.mark.parametrize(("text", "published", "expected"), [
    # only one reading is a calendar date
    ("a bomb went off at 9:30pm (13/02)", "2015-02-15", ("2015-02-13", "day", "13/02")),
    ("riots on 20/6/97 in the capital", "1997-06-25", ("1997-06-20", "day", "on 20/6/97")),
    # both are: the reading nearest before publication wins
    ("a bomb went off at 9:30pm (12/02)", "2015-02-15", ("2015-02-12", "day", "12/02")),
    ("police fired on 5/12/00 at rioters", "2000-12-09", ("2000-12-05", "day", "on 5/12/00")),
    ("gunmen attacked on the morning of 01/04", "2015-04-04",
     ("2015-04-01", "day", "01/04")),
    ("clashes on 08/06", "2024-06-10", ("2024-06-08", "day", "on 08/06")),
    ("clashes on 08/06", "2024-08-10", ("2024-08-06", "day", "on 08/06")),
])
def test_numeric_dates(text: str, published: str, expected: tuple[str, str, str]) -> None:
    assert resolve_date(text, published) == expected


def test_the_writers_convention_decides_when_it_is_known() -> None:
    (us,) = find_dates("clashes on 08/06", "2024-08-10", day_first=False)
    (uk,) = find_dates("clashes on 08/06", "2024-08-10", day_first=True)
    assert (us.date, uk.date) == ("2024-08-06", "2024-06-08")


def test_without_publication_a_two_way_numeric_date_is_day_first() -> None:
    assert numeric_date(5, 6, 2020, None) == date(2020, 6, 5)
    assert numeric_date(5, 13, 2020, None) == date(2020, 5, 13)  # 13 cannot be a month
    assert numeric_date(13, 14, 2020, None) is None


@pytest.mark.parametrize("text", [
    "the team won 3/4 of its games",  # a yearless numeric date needs "on", "of" or "("
    "open 24/7",
])
def test_numbers_with_a_slash_that_are_not_dates(text: str) -> None:
    assert find_dates(text, MONDAY) == []


# --- other written forms --------------------------------------------------------------

@pytest.mark.parametrize(("text", "published", "expected"), [
    ("Zongo was killed on 13-December-1998.", "1999-12-16",
     ("1998-12-13", "day", "on 13-December-1998")),
    ("the army attacked on Mar.28", "2014-04-02", ("2014-03-28", "day", "on Mar.28")),
    ("On February 6th, the group claimed it", "2016-02-09",
     ("2016-02-06", "day", "On February 6th")),
    ("vehicles were vandalised in the morning (15 january)", "2015-01-17",
     ("2015-01-15", "day", "15 january")),
    # spans: the first day, believed to the week or the month
    ("militias fought between June.27-28 over a mine", "2016-06-30",
     ("2016-06-27", "week", "between June.27-28")),
    ("fighting in the region 5-10 July.", "2017-07-13", ("2017-07-05", "week", "5-10 July")),
    ("operations between Mar.28 and Apr.7 led to arrests", "2014-04-02",
     ("2014-03-28", "month", "between Mar.28 and Apr.7")),
    # a report's date or an approximate day: the event is within some days of it
    ("As reported on 1 March 2020, soldiers switched sides", "2020-03-04",
     ("2020-03-01", "week", "on 1 March 2020")),
    ("Around 5 May 2020 (as reported), a man was shot", "2020-05-08",
     ("2020-05-05", "week", "Around 5 May 2020")),
])
def test_written_forms(text: str, published: str, expected: tuple[str, str, str]) -> None:
    assert resolve_date(text, published) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("the station was attacked overnight", ("2024-12-15", "day", "overnight")),
    ("shots were fired last morning", ("2024-12-15", "day", "last morning")),
    ("eight were killed in the weekend", ("2024-12-14", "week", "in the weekend")),
    ("strikers marched at the weekend", ("2024-12-14", "week", "at the weekend")),
    ("a journalist killed earlier in the month", ("2024-12-01", "month",
                                                  "earlier in the month")),
    ("arrests earlier this week", ("2024-12-16", "week", "earlier this week")),
])
def test_relative_forms_against_a_monday(text: str, expected: tuple[str, str, str]) -> None:
    assert resolve_date(text, MONDAY) == expected


def test_the_weekend_of_a_saturday_report_is_that_day() -> None:
    assert resolve_date("clashes at the weekend", "2024-12-14")[:2] == ("2024-12-14", "week")


def test_overnight_yields_to_a_named_day() -> None:
    found = find_dates("On 5 May, overnight shelling hit the town", MONDAY)
    assert [d.text for d in found] == ["On 5 May"]


def test_relative_expressions_are_marked_as_such() -> None:
    relative, absolute = find_dates("yesterday (24 July)", "2024-07-26")
    assert (relative.relative, absolute.relative) == (True, False)
    assert absolute.date == "2024-07-24"


# --- days counted from the narrative's last named day ---------------------------------

def test_days_counted_from_the_narratives_date() -> None:
    (anchor,) = find_dates("On 5 May 2020 police raided the camp.", MONDAY)
    for text, expected in [("The next day, residents protested.", "2020-05-06"),
                           ("Residents protested the same day.", "2020-05-05"),
                           ("It followed clashes the day before.", "2020-05-04"),
                           ("Overnight, gunmen attacked a checkpoint.", "2020-05-05")]:
        (found,) = anchored(find_dates(text, MONDAY), text, anchor)
        assert (found.date, found.precision) == (expected, "day"), text


def test_without_a_day_to_count_from_nothing_is_added() -> None:
    (month,) = find_dates("In May 2020 police raided the camp.", MONDAY)
    assert anchored([], "The next day, residents protested.", month) == []
    assert anchored([], "The next day, residents protested.", None) == []
    # with no narrative day, "overnight" is the night before publication
    (night,) = anchored(find_dates("gunmen attacked overnight", MONDAY), "", None)
    assert night.date == "2024-12-15"


# --- a number is a year only where it reads as one -------------------------------------

@pytest.mark.parametrize("text", [
    "Officers were called to the 2000 block of Harrison Street",
    "a fire at a home of 1915 Birch St. left two homeless",
    "the store at 2010 North Main Street was robbed",
    "a crash on Route 1995 closed the road",
    "Flight 2012 was diverted",
    "he was fined $2000 for the damage",
    "About 2000 people marched through the town",
    "2000 people marched through the town",
    "the convoy travelled 1990 km to the border",
    "Room 2001 of the hotel",
])
def test_an_address_a_numbered_thing_money_or_a_count_is_no_year(text: str) -> None:
    assert find_dates(text, MONDAY) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("In 2011 protests spread across the country", "In 2011"),
    ("the 2014 elections were disputed", "2014"),
    ("a deal signed in 2009 was", "in 2009"),
    ("the 1998 bombing of the embassy", "1998"),
    ("2016 was a hard year for farmers", "2016"),
])
def test_a_year_still_reads_as_one(text: str, expected: str) -> None:
    (found,) = find_dates(text, MONDAY)
    assert (found.text, found.precision) == (expected, "year")


def test_a_month_of_a_year() -> None:
    assert resolve_date("unrest in March of 2011", MONDAY) == (
        "2011-03-01", "month", "in March of 2011")


def test_a_decade_is_no_year() -> None:
    assert find_dates("reforms in the 1990's and the 1980s", MONDAY) == []
