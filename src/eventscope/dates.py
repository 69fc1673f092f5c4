"""Date expressions resolved against an article's publication date.

News text dates events relative to the day it was written: "on Monday", "last week",
"yesterday", "in 2017", "on 8 December". This module finds such expressions in a
piece of text and turns each into an ISO date with a precision (day, week, month,
year). Periods resolve to their first day, so a week is its Monday, a month its 1st,
a year its 1 January; the precision says how much of the date to believe.

Weekdays name the most recent such day on or before publication: an article
published on Monday 2024-12-16 that says "on Monday" means 2024-12-16, and "on
Thursday" means 2024-12-12. A day and month without a year ("on 8 December") is the
most recent such date on or before publication. (``dateparser`` resolves weekdays
forwards or backwards depending on settings and the base date, so the relative forms
are handled here, by rule.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

DAY, WEEK, MONTH, YEAR = "day", "week", "month", "year"

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "a": 1, "an": 1,
}

_MONTH = r"(?P<{name}>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<wd>" + "|".join(_WEEKDAYS) + r")"
_ORD = r"(?:st|nd|rd|th)?"
_PREP = r"(?:(?:on|in|since|during|by|from|around|about)\s+(?:the\s+)?)?"

# One alternation, tried in order; longer, more specific forms first.
_PATTERN = re.compile(
    r"\b" + _PREP + r"(?:"
    r"(?P<iso>(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))"
    r"|(?P<dmy>(?P<d1>\d{1,2})" + _ORD + r"\s+(?:of\s+)?" + _MONTH.format(name="m1")
    + r"(?:,?\s+(?P<y1>\d{4}))?)"
    r"|(?P<num>(?P<nd>\d{1,2})/(?P<nm>\d{1,2})(?:/(?P<ny>\d{4}))?(?![/\d]))"
    r"|(?P<mdy>" + _MONTH.format(name="m2") + r",?\s+(?P<d2>\d{1,2})" + _ORD
    + r"(?!\d)(?:,?\s+(?P<y2>\d{4}))?)"
    r"|(?P<my>(?:(?:early|mid|late)[-\s])?" + _MONTH.format(name="m3")
    + r"(?:,?\s+(?P<y3>\d{4}))?)"
    r"|(?P<rel>yesterday|today|tonight|last\s+night|this\s+(?:morning|afternoon|evening))"
    r"|(?P<wdx>(?:(?P<wmod>last|this|past|previous)\s+)?" + _WEEKDAY
    + r"(?:\s+(?:morning|afternoon|evening|night))?)"
    r"|(?P<per>(?P<pmod>last|this|past|previous)\s+(?P<unit>week|month|year|weekend))"
    r"|(?P<ago>(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|an)\s+"
    r"(?P<aunit>day|days|week|weeks|month|months|year|years)\s+ago)"
    r"|(?P<year>(?<![\d-])(?P<yy>(?:19|20)\d{2})(?![\d-]))"
    r")\b",
    re.IGNORECASE,
)

# "May" alone is mostly the modal verb; only trust it with a day or a year.
_AMBIGUOUS_MONTHS = {"may", "mar", "jan", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
                     "feb", "apr", "sept"}


@dataclass(frozen=True)
class ResolvedDate:
    """A date expression found in text and resolved to a calendar date."""

    date: str
    precision: str
    text: str
    start: int
    end: int


def _latest_on_or_before(month: int, day: int, published: date) -> date | None:
    for year in (published.year, published.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= published:
            return candidate
    return None


def _latest_month(month: int, published: date) -> date:
    year = published.year if month <= published.month else published.year - 1
    return date(year, month, 1)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _numeric(m: re.Match[str], published: date | None) -> tuple[date, str] | None:
    """"06/05/2017", "on 29/06": day first, as in most of the world's press, unless the
    second number cannot be a month. Without a year only after "on", so that "1/2"
    stays a fraction."""
    first, second = int(m.group("nd")), int(m.group("nm"))
    day, month = (second, first) if second > 12 >= first else (first, second)
    if m.group("ny"):
        try:
            return date(int(m.group("ny")), month, day), DAY
        except ValueError:
            return None
    if published is None or not m.group(0).lower().startswith("on"):
        return None
    found = _latest_on_or_before(month, day, published)
    return (found, DAY) if found else None


def _resolve(m: re.Match[str], published: date | None) -> tuple[date, str] | None:
    g = m.groupdict()
    if g["iso"]:
        try:
            return date(int(g["iy"]), int(g["im"]), int(g["id"])), DAY
        except ValueError:
            return None
    month_word = g["m1"] or g["m2"] or g["m3"]
    if month_word and month_word[0].islower():
        return None  # "a protest march", "may": month names are capitalised
    if g["num"]:
        return _numeric(m, published)
    if g["dmy"] or g["mdy"]:
        month = _MONTHS[(g["m1"] or g["m2"]).lower()]
        day = int(g["d1"] or g["d2"])
        year = g["y1"] or g["y2"]
        if year:
            try:
                return date(int(year), month, day), DAY
            except ValueError:
                return None
        if published is None:
            return None
        found = _latest_on_or_before(month, day, published)
        return (found, DAY) if found else None
    if g["my"]:
        word = g["m3"].lower()
        year = g["y3"]
        if year:
            return date(int(year), _MONTHS[word], 1), MONTH
        bare = m.group(0).lower().startswith(word)
        if word in _AMBIGUOUS_MONTHS or published is None or bare:
            return None  # a bare month needs "in"/"early" before it: "a 4km March"
        return _latest_month(_MONTHS[word], published), MONTH
    if published is None:
        if g["year"]:
            return date(int(g["yy"]), 1, 1), YEAR
        return None
    if g["rel"]:
        word = " ".join(g["rel"].lower().split())
        back = 1 if word in ("yesterday", "last night") else 0
        return published - timedelta(days=back), DAY
    if g["wdx"]:
        wanted = _WEEKDAYS[g["wd"].lower()]
        back = (published.weekday() - wanted) % 7
        if back == 0 and (g["wmod"] or "").lower() in ("last", "past", "previous"):
            back = 7
        return published - timedelta(days=back), DAY
    if g["per"]:
        mod, unit = g["pmod"].lower(), g["unit"].lower()
        this = mod == "this"
        if unit in ("week", "weekend"):
            start = _monday(published) - timedelta(days=0 if this else 7)
            if unit == "weekend":
                return start + timedelta(days=5), WEEK
            return start, WEEK
        if unit == "month":
            first = published.replace(day=1)
            if not this:
                first = (first - timedelta(days=1)).replace(day=1)
            return first, MONTH
        return date(published.year - (0 if this else 1), 1, 1), YEAR
    if g["ago"]:
        raw = g["n"].lower()
        n = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        unit = g["aunit"].lower().rstrip("s")
        if unit == "day":
            return published - timedelta(days=n), DAY
        if unit == "week":
            return _monday(published - timedelta(days=7 * n)), WEEK
        if unit == "month":
            month_index = published.year * 12 + published.month - 1 - n
            return date(month_index // 12, month_index % 12 + 1, 1), MONTH
        return date(published.year - n, 1, 1), YEAR
    if g["year"]:
        return date(int(g["yy"]), 1, 1), YEAR
    return None


def find_dates(text: str, published: date | str | None, offset: int = 0) -> list[ResolvedDate]:
    """Every date expression in ``text`` that resolves, in order of appearance.

    ``offset`` is added to the returned character positions (for a sentence taken out
    of a longer text). Durations ("a 49-year lease", "for two days") are not dates and
    are not returned.
    """
    pub = parse_iso_date(published) if isinstance(published, str) else published
    found: list[ResolvedDate] = []
    for m in _PATTERN.finditer(text):
        if m.group(0).lower().startswith("since"):
            continue  # "detained since 2019" dates a state, not the event
        if m.group("wdx") and m.group(0)[:1].isupper() and _named_before(text, m.start()):
            continue  # "the Red Wednesday movement" is a name
        if (m.group("dmy") or m.group("mdy")) and _name_of(text, m.start()):
            continue  # "the Movement of June 5" is a name
        resolved = _resolve(m, pub)
        if resolved is None:
            continue
        day, precision = resolved
        if pub is not None and precision == DAY and day > pub + timedelta(days=1):
            continue  # a future day is a plan or a forecast, not the event's date
        found.append(ResolvedDate(
            date=day.isoformat(), precision=precision, text=m.group(0),
            start=offset + m.start(), end=offset + m.end(),
        ))
    return found


def resolve_date(text: str, published: date | str | None) -> tuple[str, str, str] | None:
    """The first date expression in ``text`` as (iso_date, precision, date_text)."""
    found = find_dates(text, published)
    if not found:
        return None
    first = found[0]
    return first.date, first.precision, first.text


def _named_before(text: str, start: int) -> bool:
    """The word before ``start`` is capitalised mid-sentence (part of a name)."""
    before = text[:start].rstrip()
    if not before or before[-1] in ".!?:;\"'(":
        return False
    word = before.split()[-1]
    return word[:1].isupper() and len(before) > len(word)


def _name_of(text: str, start: int) -> bool:
    """A date that ends a name: "the Movement of June 5" (a capitalised word mid-sentence,
    then "of"); "the night of 5 June" is a date."""
    before = text[:start].rstrip()
    return before.endswith(" of") and _named_before(text, len(before) - 2)


def parse_iso_date(value: str) -> date | None:
    """``YYYY-MM-DD`` (a longer ISO timestamp is cut to its date), else None."""
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
