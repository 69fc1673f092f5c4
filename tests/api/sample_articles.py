"""Three short articles and their hand-coded events, so the API tests do not depend on the
extractor: each event is what a careful coder would record from the sentence."""

from __future__ import annotations

from typing import Any

from eventscope.record import Actor, Article, Event, Evidence, Location, make_event_id

TARTUS = Location(text="Tartous", name="Tartus", geonameid=163345, country="SYR",
                  admin1="Tartus Governorate", lat=34.889, lon=35.886, feature_code="PPLA",
                  precision=1)
NAIROBI = Location(text="Nairobi", name="Nairobi", geonameid=184745, country="KEN",
                   admin1="Nairobi Area", lat=-1.283, lon=36.817, feature_code="PPLC",
                   precision=1)

CONVOY = Article(
    title="Convoys seen on the coast road",
    outlet="Example Wire",
    published="2024-12-16",
    text=(
        "Russian military vehicles were seen heading towards Tartous on Monday, "
        "witnesses said.\n\n"
        "Satellite images showed signs of a potential withdrawal from the airbase.\n\n"
        "The Syrian transitional government did not comment."
    ),
)
MARCH = Article(
    title="Thousands march in Nairobi against finance bill",
    outlet="Example Daily",
    published="2024-06-25",
    text=(
        "Thousands of protesters marched through Nairobi on Tuesday against the finance "
        "bill. Police fired tear gas to disperse the crowd near parliament. "
        "Officers did not open fire on the marchers, a police spokesman said."
    ),
)
STATEMENT = Article(
    title="Ministry accuses neighbour",
    published="2023-03-01",
    text="The foreign ministry accused the neighbouring government of arming rebels.",
)


def coded(article: Article, sentence: str, event_type: str, trigger: str,
          **fields: Any) -> Event:
    """An event whose evidence is ``sentence``, located in the article's text."""
    start = article.text.index(sentence)
    end = start + len(sentence)
    return Event(
        event_id=make_event_id(article.article_id, start, end, event_type, trigger),
        event_type=event_type,
        evidence=Evidence(sentence=sentence, start=start, end=end, trigger=trigger),
        article=article.ref(),
        **fields,
    )


def sample() -> list[tuple[Article, list[Event]]]:
    russia = Actor(text="Russian military vehicles", name="Russia", country="RUS", sector="MIL")
    protesters = Actor(text="Thousands of protesters", name="protesters", country="KEN",
                       sector="PPL")
    police = Actor(text="Police", name="Kenya Police", country="KEN", sector="POL")
    return [
        (CONVOY, [
            coded(CONVOY, "Russian military vehicles were seen heading towards Tartous on "
                  "Monday, witnesses said.", "MOBILIZE", "heading", actor=russia,
                  location=TARTUS, date="2024-12-16", date_precision="day",
                  date_text="on Monday", attribution="witnesses", confidence=0.82,
                  context=["military"]),
            coded(CONVOY, "Satellite images showed signs of a potential withdrawal from the "
                  "airbase.", "RETREAT", "withdrawal", location=TARTUS.model_copy(
                      update={"precision": 2}), date="2024-12-16", date_precision="day",
                  hedged=True, confidence=0.41),
        ]),
        (MARCH, [
            coded(MARCH, "Thousands of protesters marched through Nairobi on Tuesday against "
                  "the finance bill.", "PROTEST", "marched", actor=protesters,
                  location=NAIROBI, date="2024-06-25", date_precision="day",
                  date_text="on Tuesday", confidence=0.9),
            coded(MARCH, "Police fired tear gas to disperse the crowd near parliament.",
                  "COERCE", "fired", actor=police, target=protesters,
                  location=NAIROBI.model_copy(update={"precision": 2}), date="2024-06-25",
                  date_precision="day", confidence=0.74),
            coded(MARCH, "Officers did not open fire on the marchers, a police spokesman "
                  "said.", "ASSAULT", "open fire", actor=police, target=protesters,
                  location=NAIROBI, date="2024-06-25", date_precision="day", negated=True,
                  attribution="a police spokesman", confidence=0.55),
        ]),
        (STATEMENT, [
            coded(STATEMENT, STATEMENT.text, "ACCUSE", "accused",
                  actor=Actor(text="The foreign ministry", sector="GOV"),
                  target=Actor(text="the neighbouring government", sector="GOV"),
                  date=None, confidence=0.63),
        ]),
    ]


def all_events() -> list[Event]:
    return [event for _, events in sample() for event in events]
