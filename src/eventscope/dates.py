"""Date expressions resolved against an article's publication date.

News text dates events relative to the day it was written: "on Monday", "last week",
"yesterday", "in 2017", "on 8 December". This module finds such expressions in a
piece of text and turns each into an ISO date with a precision (day, week, month,
year). Periods resolve to their first day, so a week is its Monday, a month its 1st,
a year its 1 January; the precision says how much of the date to believe. A span of
days ("June.27-28", "between Mar.28 and Apr.7") is its first day, at week precision if
it fits in a week and month precision if longer; a report's date ("As reported on 1
March 2020") or an approximate one ("Around 5 May") is held to the week.

Weekdays name the most recent such day on or before publication: an article
published on Monday 2024-12-16 that says "on Monday" means 2024-12-16, and "on
Thursday" means 2024-12-12. A day and month without a year ("on 8 December") is the
most recent such date on or before publication. (``dateparser`` resolves weekdays
forwards or backwards depending on settings and the base date, so the relative forms
are handled here, by rule.) Numeric dates ("12/02", "on 5/12/00") are read by the rule
in :func:`numeric_date`. Days counted from a date the narrative named ("the next day")
are resolved by :func:`anchored`. A bare four-digit number is a year only where it
reads as one (:func:`reads_as_year`): not "the 2000 block of", "Route 1995" or "2000
people".
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

_MONTH_WORD = r"(?P<{name}>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")"
_MONTH = _MONTH_WORD + r"\.?"
_WEEKDAY = r"(?P<wd>" + "|".join(_WEEKDAYS) + r")"
_ORD = r"(?:st|nd|rd|th)?"
_PREP = r"(?:(?:on|in|since|during|by|from|around|about|between)\s+(?:the\s+)?)?"
_DASH = r"\s*[-\u2013]\s*"

# One alternation, tried in order; longer, more specific forms first.
_PATTERN = re.compile(
    r"\b" + _PREP + r"(?:"
    r"(?P<iso>(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))"
    # "13-December-1998", "13-Dec-98"
    r"|(?P<dmyh>(?P<d4>\d{1,2})-" + _MONTH_WORD.format(name="m4") + r"-(?P<y4>\d{4}|\d{2}))(?!\d)"
    # "5 June", "5-10 July 2016", "the 11 of January"
    r"|(?P<dmy>(?P<d1>\d{1,2})" + _ORD + r"(?:" + _DASH + r"(?P<d1b>\d{1,2})" + _ORD + r")?"
    r"\s+(?:of\s+)?" + _MONTH.format(name="m1") + r"(?:,?\s+(?P<y1>\d{4}))?)"
    # "12/02", "5/12/00", "20/6/97", "06/05/2017"
    r"|(?P<num>(?<![\d/])(?P<nd>\d{1,2})/(?P<nm>\d{1,2})(?:/(?P<ny>\d{4}|\d{2}))?(?![/\d]))"
    # "August 4, 2019", "Mar.28", "June.27-28", "October, 17th"
    r"|(?P<mdy>" + _MONTH_WORD.format(name="m2") + r"(?:\.\s*|\.?,?\s+)(?P<d2>\d{1,2})" + _ORD
    + r"(?:" + _DASH + r"(?P<d2b>\d{1,2})" + _ORD + r")?"
    r"(?!\d)(?:,?\s+(?P<y2>\d{4}))?)"
    r"|(?P<my>(?:(?:early|mid|late)[-\s])?" + _MONTH.format(name="m3")
    + r"(?:,?\s+(?:of\s+)?(?P<y3>\d{4}))?)"
    r"|(?P<rel>yesterday|today|tonight|overnight|last\s+(?:night|morning|evening)"
    r"|this\s+(?:morning|afternoon|evening))"
    r"|(?P<wkd>(?:in|at|during|over|on|throughout)\s+the\s+weekend)"
    r"|(?P<ear>earlier\s+(?:in\s+the|this)\s+(?P<eunit>week|month|year))"
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
# Month names that are also common lower-case words ("3 may attack", "2 march"): a
# lower-case month counts only when it is none of these ("(15 january)").
_WORD_MONTHS = {"may", "march", "mar"}
# A yearless "12/02" is a date only where dates stand: "on 12/02", "the morning of
# 01/04", "(12/02)"; elsewhere it may be a score, a ratio or a fraction.
_NUMERIC_BEFORE = re.compile(r"(?:\b(?:on|of)\s+|\()$", re.IGNORECASE)
# "As reported on 1 March 2020", "Around 5 May 2020": the day the report came out, or
# a day given as approximate; the event falls within some days of it (ACLED's time
# precision 2), so the precision is a week.
_REPORTED_BEFORE = re.compile(r"\bas\s+reported\s*$", re.IGNORECASE)
_REPORTED_AFTER = re.compile(r"^\s*\(?as\s+reported\b", re.IGNORECASE)
# Two dates joined as a span: "between Mar.28 and Apr.7", "from 3 May to 5 May".
_SPAN_JOIN = re.compile(r"^\s*(?:and|to|until|till|-|\u2013)\s*$", re.IGNORECASE)

# A bare four-digit number is a year only where it reads as one. Not a house number or
# a block ("the 2000 block of Harrison Street", "of 1915 Birch St."), a route or a
# numbered thing ("Route 1995", "Flight 2012", "No. 2001"), money ("$2000") or a count
# ("2000 people", "some 1990 troops", "2000 km").
_ADDRESS_AFTER = re.compile(
    r"\s+(?:(?:[A-Z][\w'\u2019-]*\.?|[NSEW]\.)\s+){0,3}"
    r"(?i:block|street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|way|court|ct"
    r"|place|pl|highway|hwy|terrace|circle|cir|parkway|pkwy|trail|square|sq|pike|alley)\b"
)
_NUMBERED_BEFORE = frozenset({
    "route", "rte", "rt", "highway", "hwy", "interstate", "road", "no", "nos", "number",
    "room", "suite", "ste", "flight", "unit", "box", "apt", "apartment", "exit", "lot",
    "bus", "line", "platform", "gate", "pier", "channel", "ward", "precinct", "bill", "code",
    "section", "resolution", "case", "model", "version", "pin", "cell", "locker", "mile",
    "marker", "km", "sr", "cr", "us", "hb", "sb", "form", "plot", "house", "door", "bay",
    "berth", "terminal", "train", "vol", "volume", "page", "pp", "chapter", "item", "ref",
    "reference", "account", "serial", "policy", "file", "block", "county", "state",
})
_COUNTED_AFTER = frozenset({
    "people", "persons", "men", "women", "children", "police", "personnel", "staff",
    "cattle", "livestock", "head", "km", "kilometres", "kilometers", "miles", "metres",
    "meters", "feet", "ft", "yards", "acres", "hectares", "ha", "tonnes", "tons", "kg",
    "kilograms", "pounds", "lbs", "litres", "liters", "gallons", "barrels", "dollars",
    "euros", "rupees", "naira", "shillings", "rand", "pesos", "francs", "hours", "hrs",
})
# Words before a number that make it a year even before a plural noun ("in 2011 protests
# spread", "the 2014 elections"); a count keeps no article ("2000 protesters marched").
_YEAR_BEFORE = frozenset({
    "in", "since", "during", "until", "till", "by", "before", "after", "from", "through",
    "the", "its", "their", "his", "her", "this", "that", "early", "late", "mid",
})
# Lower-case words ending in "s" that are no plural noun ("2017 was", "2019 has").
_NOT_PLURALS = frozenset({
    "was", "is", "has", "does", "as", "its", "this", "his", "thus", "plus", "across",
    "unless", "less", "us", "yes", "whereas", "perhaps", "always", "towards", "besides",
    "afterwards", "sometimes", "nevertheless",
})


@dataclass(frozen=True)
class ResolvedDate:
    """A date expression found in text and resolved to a calendar date."""

    date: str
    precision: str
    text: str
    start: int
    end: int
    relative: bool = False  # reckoned from the publication date ("on Monday", "last week")


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


def _full_year(text: str, published: date | None) -> int:
    """A two-digit year in the century that puts it on or before publication ("00" in
    2000 is 2000, "97" is 1997); without a publication date, 00-49 are 20xx."""
    short = int(text)
    if len(text) == 4:
        return short
    if published is None:
        return 2000 + short if short < 50 else 1900 + short
    century = published.year - published.year % 100
    return century + short if century + short <= published.year else century - 100 + short


def numeric_date(first: int, second: int, year: int | None, published: date | None,
                 day_first: bool | None = None) -> date | None:
    """The day "first/second[/year]" names.

    Day/month or month/day: a reading that is not a calendar date loses ("13/02" can
    only be 13 February). When both are dates, ``day_first`` decides if the writer's
    convention is known (the outlet's locale); else the reading nearest on or before
    publication wins, since news reports what has happened ("12/02" published on
    15 February is 12 February, not 2 December); with neither, day first, as most of
    the world's press writes. Without a year the date is the latest such day on or
    before publication, so it needs a publication date.
    """
    readings: list[date] = []
    for day, month in ((first, second), (second, first)):
        if not 1 <= month <= 12:
            continue
        if year is not None:
            try:
                readings.append(date(year, month, day))
            except ValueError:
                continue
        elif published is not None:
            found = _latest_on_or_before(month, day, published)
            if found is not None:
                readings.append(found)
    if not readings:
        return None
    if len(readings) == 1 or readings[0] == readings[1]:
        return readings[0]
    if day_first is not None:
        return readings[0] if day_first else readings[1]
    if published is not None:
        past = [r for r in readings if r <= published]
        if past:
            return max(past)
    return readings[0]


def _span_precision(first: date, last: date) -> str:
    """A span of days is believed to the week if it fits in one, else to the month."""
    days = (last - first).days
    if days <= 0:
        return DAY
    return WEEK if days < 7 else MONTH if days < 31 else YEAR


def _day_month(day: int, last_day: int | None, month: int, year: str | None,
               published: date | None) -> tuple[date, str] | None:
    """A day (or a span of days "27-28") in a month, with or without a year."""
    if year:
        try:
            first = date(int(year), month, day)
        except ValueError:
            return None
    elif published is None:
        return None
    else:
        found = _latest_on_or_before(month, day, published)
        if found is None:
            return None
        first = found
    if last_day is None:
        return first, DAY
    try:
        last = first.replace(day=last_day)
    except ValueError:
        return None
    return (first, _span_precision(first, last)) if last >= first else None


def _capitalised_or_safe(word: str) -> bool:
    """Month names are capitalised; a lower-case one counts when it is no other word."""
    return word[0].isupper() or word.lower() not in _WORD_MONTHS


def _resolve(m: re.Match[str], published: date | None,
             day_first: bool | None) -> tuple[date, str] | None:
    g = m.groupdict()
    if g["iso"]:
        try:
            return date(int(g["iy"]), int(g["im"]), int(g["id"])), DAY
        except ValueError:
            return None
    if g["dmyh"]:
        try:
            return date(_full_year(g["y4"], published), _MONTHS[g["m4"].lower()],
                        int(g["d4"])), DAY
        except ValueError:
            return None
    if g["num"]:
        if not (g["ny"] and len(g["ny"]) == 4) and not (
                _NUMERIC_BEFORE.search(m.string, 0, m.start("num"))
                or m.string[m.end():m.end() + 1] == ")"):
            return None
        given = _full_year(g["ny"], published) if g["ny"] else None
        found = numeric_date(int(g["nd"]), int(g["nm"]), given, published, day_first)
        return (found, DAY) if found else None
    if g["dmy"] or g["mdy"]:
        word = g["m1"] or g["m2"]
        if not _capitalised_or_safe(word):
            return None  # "a protest march", "3 may attack"
        last = g["d1b"] or g["d2b"]
        return _day_month(int(g["d1"] or g["d2"]), int(last) if last else None,
                          _MONTHS[word.lower()], g["y1"] or g["y2"], published)
    if g["my"]:
        word = g["m3"]
        if word[0].islower():
            return None  # "a protest march", "may": month names are capitalised
        if g["y3"]:
            return date(int(g["y3"]), _MONTHS[word.lower()], 1), MONTH
        bare = m.group(0).lower().startswith(word.lower())
        if word.lower() in _AMBIGUOUS_MONTHS or published is None or bare:
            return None  # a bare month needs "in"/"early" before it: "a 4km March"
        return _latest_month(_MONTHS[word.lower()], published), MONTH
    if published is None:
        if g["year"]:
            return date(int(g["yy"]), 1, 1), YEAR
        return None
    return _relative(g, published)


def _relative(g: dict[str, str | None], published: date) -> tuple[date, str] | None:
    """Expressions that only mean something against the publication date."""
    if g["rel"]:
        word = " ".join(g["rel"].lower().split())
        # "overnight" in a report is the night before it; "last morning" is Indian
        # and Sri Lankan English for yesterday morning
        back = 1 if word in ("yesterday", "overnight") or word.startswith("last") else 0
        return published - timedelta(days=back), DAY
    if g["wkd"]:
        # "at the weekend": the latest Saturday on or before publication
        return published - timedelta(days=(published.weekday() - 5) % 7), WEEK
    if g["ear"]:
        unit = (g["eunit"] or "").lower()
        if unit == "week":
            return _monday(published), WEEK
        if unit == "month":
            return published.replace(day=1), MONTH
        return date(published.year, 1, 1), YEAR
    if g["wdx"]:
        wanted = _WEEKDAYS[(g["wd"] or "").lower()]
        back = (published.weekday() - wanted) % 7
        if back == 0 and (g["wmod"] or "").lower() in ("last", "past", "previous"):
            back = 7
        return published - timedelta(days=back), DAY
    if g["per"]:
        mod, unit = (g["pmod"] or "").lower(), (g["unit"] or "").lower()
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
        raw = (g["n"] or "").lower()
        n = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        unit = (g["aunit"] or "").lower().rstrip("s")
        if unit == "day":
            return published - timedelta(days=n), DAY
        if unit == "week":
            return _monday(published - timedelta(days=7 * n)), WEEK
        if unit == "month":
            month_index = published.year * 12 + published.month - 1 - n
            return date(month_index // 12, month_index % 12 + 1, 1), MONTH
        return date(published.year - n, 1, 1), YEAR
    if g["yy"]:
        return date(int(g["yy"]), 1, 1), YEAR
    return None


def find_dates(text: str, published: date | str | None, offset: int = 0,
               day_first: bool | None = None) -> list[ResolvedDate]:
    """Every date expression in ``text`` that resolves, in order of appearance.

    ``offset`` is added to the returned character positions (for a sentence taken out
    of a longer text). Durations ("a 49-year lease", "for two days") are not dates and
    are not returned. ``day_first`` is the writer's numeric-date convention when known
    (see :func:`numeric_date`). "Overnight" names the night before publication only
    when the text names no other day ("On 5 May, overnight shelling ..." is 5 May).
    """
    pub = parse_iso_date(published) if isinstance(published, str) else published
    found: list[ResolvedDate] = []
    last_end = -1
    for m in _PATTERN.finditer(text):
        if m.group(0).lower().startswith("since"):
            continue  # "detained since 2019" dates a state, not the event
        if m.group("wdx") and m.group(0)[:1].isupper() and _named_before(text, m.start()):
            continue  # "the Red Wednesday movement" is a name
        if (m.group("dmy") or m.group("mdy")) and _name_of(text, m.start()):
            continue  # "the Movement of June 5" is a name
        if m.group("year") and not reads_as_year(text, m.start("yy"), m.end("yy")):
            continue  # "the 2000 block of", "Route 1995", "2000 people"
        resolved = _resolve(m, pub, day_first)
        if resolved is None:
            continue
        day, precision = resolved
        if found and found[-1].text.lower().startswith(("between", "from")) \
                and _SPAN_JOIN.match(text[last_end:m.start()]):
            # the span's end may lie past publication: the span began before it
            found[-1] = _joined(found[-1], day, text, offset, m.end())
            last_end = m.end()
            continue
        if pub is not None and precision == DAY and day > pub + timedelta(days=1):
            continue  # a future day is a plan or a forecast, not the event's date
        if precision == DAY and (m.group(0).lower().startswith(("around", "about"))
                                 or _REPORTED_BEFORE.search(text, 0, m.start())
                                 or _REPORTED_AFTER.match(text[m.end():])):
            precision = WEEK
        last_end = m.end()
        found.append(ResolvedDate(
            date=day.isoformat(), precision=precision, text=m.group(0),
            start=offset + m.start(), end=offset + m.end(), relative=_is_relative(m),
        ))
    if len(found) > 1:
        found = [d for d in found if d.text.lower() != "overnight"]
    return found


def reads_as_year(text: str, start: int, end: int) -> bool:
    """Whether the four digits ``text[start:end]`` read as a year where they stand: not
    an address, a numbered thing, money or a count (see ``_ADDRESS_AFTER`` and the word
    lists above it)."""
    before = text[:start].rstrip()
    if before.endswith(("$", "\u00a3", "\u20ac", "#", "\u2116")) or text[end:end + 2] in (
            ".0", ".1", ".2", ".3", ".4", ".5", ".6", ".7", ".8", ".9") or text[end:end + 1] == "%":
        return False
    if text[end:end + 2] in ("'s", "\u2019s"):
        return False  # a decade, "the 1990's": no one year of it
    words = before.split()
    prev = words[-1].lower().strip(".,;:(\"'") if words else ""
    if prev in _NUMBERED_BEFORE:
        return False
    after = text[end:]
    if _ADDRESS_AFTER.match(after):
        return False
    nxt = re.match(r"\s+([a-z]+)\b", after)
    if nxt is None:
        return True
    word = nxt.group(1)
    if word in _COUNTED_AFTER:
        return prev in _YEAR_BEFORE and prev != "the" and word not in ("km", "ft", "kg")
    plural = word.endswith("s") and not word.endswith("ss") and len(word) > 3 \
        and word not in _NOT_PLURALS
    return not plural or prev in _YEAR_BEFORE


def _is_relative(m: re.Match[str]) -> bool:
    return any(m.group(k) for k in ("rel", "wkd", "ear", "wdx", "per", "ago"))


def _joined(first: ResolvedDate, last: date, text: str, offset: int,
            end: int) -> ResolvedDate:
    """"between Mar.28 and Apr.7": the span's first day, believed as far as it is long."""
    begin = date.fromisoformat(first.date)
    if last < begin:  # a yearless end was put before publication: it follows the start
        try:
            last = last.replace(year=begin.year if (last.month, last.day) >= (
                begin.month, begin.day) else begin.year + 1)
        except ValueError:
            return first
    precision = _span_precision(begin, last)
    return ResolvedDate(date=first.date, precision=precision,
                        text=text[first.start - offset:end], start=first.start,
                        end=offset + end, relative=first.relative)


# Days counted from the date a narrative last stated: "the same day", "the next
# morning", "the day before", and "overnight" once a day has been named.
_ANAPHORA = re.compile(
    r"\b(?:(?:on|during|in|by)\s+)?(?:"
    r"(?P<same>(?:the\s+)?same\s+(?:day|night|evening)|that\s+(?:day|night|evening)"
    r"|(?:later|earlier)\s+(?:that|in\s+the|the\s+same)\s+day|overnight)"
    r"|(?P<next>the\s+(?:next|following)\s+(?:day|morning|night)|the\s+day\s+after)"
    r"|(?P<prev>the\s+(?:previous|preceding)\s+(?:day|night|evening)"
    r"|the\s+(?:day|night)\s+before)"
    r")\b",
    re.IGNORECASE,
)


def anchored(found: list[ResolvedDate], text: str, anchor: ResolvedDate | None,
             offset: int = 0) -> list[ResolvedDate]:
    """``found`` (the dates of ``text``) with the days it counts from ``anchor``, the
    day a narrative last named: "On 5 May police raided the camp. The next day ..." is
    6 May, and "overnight" is the night of the named day rather than the night before
    publication. Without a day-precise anchor, ``found`` is returned unchanged."""
    if anchor is None or anchor.precision != DAY:
        return found
    day = date.fromisoformat(anchor.date)
    kept = [d for d in found if d.text.lower() != "overnight"]
    names_a_day = any(d.precision == DAY for d in kept)
    for m in _ANAPHORA.finditer(text):
        if names_a_day and m.group(0).lower() == "overnight":
            continue  # "On 5 May, overnight shelling ...": the night of the day it names
        shift = 1 if m.group("next") else -1 if m.group("prev") else 0
        kept.append(ResolvedDate(
            date=(day + timedelta(days=shift)).isoformat(), precision=DAY, text=m.group(0),
            start=offset + m.start(), end=offset + m.end(), relative=True,
        ))
    return sorted(kept, key=lambda d: d.start)


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
