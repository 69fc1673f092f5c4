"""Which of a sentence's dates is the event's, and what a paragraph carries forward.

A date in a clause that sets the scene (a relative clause, "after ...", "over the
death of ...") belongs to that other happening; the main clause's date is the event's
and the one the narrative carries to its next sentences. An event no words date keeps
its article's publication date at week precision, with no date text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from eventscope.coder.dating import dated_event, event_date, pick_date
from eventscope.dates import find_dates
from eventscope.nlp import load_nlp
from eventscope.record import Event

Code = Callable[[str, str], list[Event]]


def by_trigger(events: list[Event], trigger: str) -> Event:
    (found,) = [e for e in events if e.evidence.trigger == trigger]
    return found


def when(event: Event) -> tuple[str | None, str | None, str | None]:
    return event.date, event.date_precision, event.date_text


def test_a_relative_clause_dates_its_own_happening_not_the_main_one(code: Code) -> None:
    events = code("On 29 April 2020, an activist, who was arrested on 16 April 2020 for "
                  "breaking quarantine, said that police beat him in Baku.", "2020-05-02")
    assert by_trigger(events, "arrested").date == "2020-04-16"
    assert by_trigger(events, "beat").date == "2020-04-29"


def test_the_site_of_other_clashes_does_not_date_this_one(code: Code) -> None:
    events = code("Twelve militants were killed at the weekend near Gao, which was the site "
                  "of other clashes on June 8.", "2016-06-21")
    assert when(by_trigger(events, "killed")) == ("2016-06-18", "week", "at the weekend")


def test_a_look_back_does_not_replace_the_paragraphs_date(code: Code) -> None:
    for backstory in ("The blogger covered a demonstration against the government in "
                      "December 2019.",
                      "In 2018 the blogger had covered a demonstration in Minsk."):
        events = code(f"On 6 May 2020, police arrested a blogger in Minsk. {backstory} "
                      "Police later detained 14 protesters.", "2020-05-09")
        assert by_trigger(events, "demonstration").date < "2020-01-01"
        assert by_trigger(events, "detained").date == "2020-05-06"


def test_a_narrative_moves_on_to_its_next_date(code: Code) -> None:
    events = code("On 6 May 2020, police arrested a blogger in Minsk. On 8 May 2020, "
                  "supporters marched in the city. Police detained 14 of them.", "2020-05-09")
    assert by_trigger(events, "detained").date == "2020-05-08"


def test_a_concession_in_another_month_does_not_date_the_next_sentence(code: Code) -> None:
    events = code("On 5 May 2020, the regulator ordered the broadcaster off the air, even "
                  "though it had promised in March to let it run. Staff protested outside "
                  "its offices.", "2020-05-08")
    assert by_trigger(events, "protested").date == "2020-05-05"


def test_the_main_clause_date_wins_over_one_after_a_reason(code: Code) -> None:
    events = code("On 4 May 2020, relatives of inmates protested in Angarsk, demanding news "
                  "of them following a riot at the colony last month.", "2020-05-07")
    assert by_trigger(events, "protested").date == "2020-05-04"


def test_what_happened_before_the_event_does_not_date_it(code: Code) -> None:
    events = code("After three tourists were killed near Gao in February, police arrested "
                  "nine people.", "2000-03-04")
    assert when(by_trigger(events, "arrested")) == ("2000-03-04", "week", None)
    events = code("Students marched in Nairobi over the killing of a student leader in "
                  "February.", "2011-03-20")
    assert when(by_trigger(events, "marched")) == ("2011-03-20", "week", None)


def test_a_date_before_the_subordinator_is_the_main_clauses(code: Code) -> None:
    events = code("On 4 August 2019, after a herder was killed, hunters organized a reprisal "
                  "attack on a Fulani camp near Menaka.", "2019-08-07")
    assert by_trigger(events, "attack").date == "2019-08-04"


def test_a_clipped_casualty_clause_is_dated_with_its_event(code: Code) -> None:
    events = code("Gunmen raided a village near Menaka. Five killed, eight wounded on June 20.",
                  "2016-06-23")
    assert by_trigger(events, "killed").date == "2016-06-20"


def test_the_first_of_two_coordinated_days(code: Code) -> None:
    events = code("Herders attacked villagers in two raids, on Monday and on Saturday.",
                  "2017-05-23")
    assert when(by_trigger(events, "attacked")) == ("2017-05-22", "day", "on Monday")


def test_a_fronted_date_dates_the_whole_sentence(code: Code) -> None:
    events = code("On January 22, students in Gao took to the streets demanding the "
                  "resumption of exams.", "2019-01-25")
    protest = next(e for e in events if e.event_type == "PROTEST")
    assert when(protest) == ("2019-01-22", "day", "On January 22")


def test_a_calendar_date_beats_a_relative_one_beside_it(code: Code) -> None:
    events = code("Pirates boarded a tanker yesterday (24 July) off Cotonou. The attack "
                  "lasted an hour.", "2011-07-27")
    assert by_trigger(events, "attack").date == "2011-07-24"


def test_undated_events_keep_the_publication_date_at_week_precision() -> None:
    assert event_date(None, date(2024, 12, 16)) == ("2024-12-16", "week", None)
    assert event_date(None, None) == (None, None, None)


def test_the_next_day_counts_from_the_paragraphs_date(code: Code) -> None:
    events = code("On 5 May 2020, police raided a camp near Gao. The next day, residents "
                  "protested in the town.", "2020-05-09")
    assert when(by_trigger(events, "protested")) == ("2020-05-06", "day", "The next day")


def test_a_relative_clause_on_the_attack_the_event_happened_in_dates_it(code: Code) -> None:
    events = code("A commander was killed in an airstrike that hit his house in Gao on "
                  "22 June.", "2016-06-25")
    assert by_trigger(events, "killed").date == "2016-06-22"
    events = code("Twelve militants were killed near Gao, which saw other clashes on June 8.",
                  "2016-06-25")
    assert when(by_trigger(events, "killed")) == ("2016-06-25", "week", None)


# --- news, not background ---------------------------------------------------------------

def test_a_house_number_or_a_block_does_not_date_the_event(code: Code) -> None:
    for text in ("A man was stabbed in the 2000 block of Harrison Street.",
                 "A man was shot outside his home of 1915 Birch St."):
        event = next(e for e in code(text, "2016-06-15") if e.event_type == "ASSAULT")
        assert when(event) == ("2016-06-15", "week", None), text


def test_the_year_of_a_thing_is_not_the_year_of_the_event(code: Code) -> None:
    events = code("Officials discussed the 2010 census with residents.", "2009-03-23")
    assert when(by_trigger(events, "discussed")) == ("2009-03-23", "week", None)


def test_a_year_named_in_passing_does_not_date_the_next_sentences(code: Code) -> None:
    events = code("In 2007, the government arrested opposition leaders. Protesters marched "
                  "in the capital.", "2016-06-15")
    assert when(by_trigger(events, "arrested")) == ("2007-01-01", "year", "In 2007")
    assert when(by_trigger(events, "marched")) == ("2016-06-15", "week", None)


def _dated(text: str, trigger: str, published: str) -> tuple[str | None, ...]:
    """How the event of ``trigger`` in ``text`` is dated, whether or not the event gate
    would keep it (background is what a gate drops; what survives must not be news)."""
    doc = load_nlp()(text)
    tok = next(t for t in doc if t.text == trigger)
    sent = tok.sent
    pub = date.fromisoformat(published)
    found = pick_date(find_dates(sent.text, pub, offset=sent.start_char), tok, None, doc, sent)
    return dated_event(found, tok, None, sent, pub)


def test_an_event_placed_in_a_given_year_is_dated_there() -> None:
    assert _dated("In 2011, rebels attacked the town.", "attacked", "2016-06-15") == (
        "2011-01-01", "year", "In 2011")


@pytest.mark.parametrize(("text", "trigger"), [
    ("Rebels attacked the town during the civil war.", "attacked"),
    ("Soldiers killed hundreds of protesters in the 1990s.", "killed"),
    ("The city has a long history of protests.", "protests"),
    ("Years ago, rebels attacked the village.", "attacked"),
    ("The group has carried out attacks in the region since 2015.", "attacks"),
    ("Militias have attacked convoys on this road for years.", "attacked"),
    ("Militias have attacked convoys on this road in recent years.", "attacked"),
])
def test_background_years_back_is_undated_not_this_weeks_news(text: str, trigger: str) -> None:
    assert _dated(text, trigger, "2024-12-16") == (None, None, None)


def test_background_in_a_dated_sentence_does_not_take_the_news_date() -> None:
    text = "Hundreds marched on Friday to mark the anniversary of the massacre."
    assert _dated(text, "marched", "2024-12-16") == ("2024-12-13", "day", "on Friday")
    assert _dated(text, "massacre", "2024-12-16") == (None, None, None)


@pytest.mark.parametrize("text, trigger", [
    ("Gunmen attacked a checkpoint near the border.", "attacked"),
    ("The group has held rallies since Monday.", "rallies"),
    ("Police have arrested 40 people since 2023.", "arrested"),
    ("Six died in the fiercest fighting in years near the border.", "fighting"),
])
def test_news_without_a_date_keeps_the_publication_week(text: str, trigger: str) -> None:
    assert _dated(text, trigger, "2024-12-18") == ("2024-12-18", "week", None)


def test_recent_or_ordinary_news_keeps_the_publication_week(code: Code) -> None:
    events = code("Protesters marched in Nairobi. The group has held rallies since Monday.",
                  "2024-12-18")
    assert when(by_trigger(events, "marched")) == ("2024-12-18", "week", None)
    assert when(by_trigger(events, "rallies"))[0] is not None


def test_a_coordinated_clause_with_its_own_subject_keeps_its_date(code: Code) -> None:
    events = code("Protesters gathered outside the court on Sunday and on Tuesday police "
                  "arrested their leaders.", "2024-12-18")
    assert when(by_trigger(events, "gathered"))[:2] == ("2024-12-15", "day")
    assert when(by_trigger(events, "arrested"))[:2] == ("2024-12-17", "day")
