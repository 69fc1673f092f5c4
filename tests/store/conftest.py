"""A small store of hand-built events in three countries, one undated and one negated."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from eventscope.record import Actor, Article, Event, Location
from eventscope.store import Store

KHARKIV = Location(text="Kharkiv", name="Kharkiv", geonameid=706483, country="UKR",
                   admin1="Kharkivska", lat=49.98, lon=36.25, feature_code="PPLA", precision=1)
NAIROBI = Location(text="Nairobi", name="Nairobi", geonameid=184745, country="KEN",
                   admin1="Nairobi Area", lat=-1.28, lon=36.82, feature_code="PPLC", precision=1)
KHARTOUM = Location(text="Khartoum", name="Khartoum", geonameid=379252, country="SDN",
                    admin1="Khartoum", lat=15.55, lon=32.53, feature_code="PPLC", precision=1)
RUS_MIL = Actor(text="Russian forces", name="Russia", country="RUS", sector="MIL")
UKR_CVL = Actor(text="residents", name="Ukraine", country="UKR", sector="CVL")


@pytest.fixture
def articles() -> dict[str, Article]:
    return {
        "kharkiv": Article(
            text="Russian forces shelled a market in Kharkiv on Saturday. Officials said the "
            "army did not attack the power plant. Residents fled the northern districts.",
            title="Shelling hits Kharkiv market", outlet="Example Wire",
            url="https://example.org/kharkiv", published="2024-03-02",
        ),
        "nairobi": Article(
            text="Thousands of protesters marched in Nairobi against the finance bill. Police "
            "reportedly fired tear gas near parliament.",
            title="Finance bill protests", outlet="Lakeside Daily", published="2024-06-25",
        ),
        "khartoum": Article(
            text="Paramilitary units massed on the outskirts of Khartoum. Envoys of the "
            "United Nations met army officers to discuss a truce.",
            title="Forces gather near the capital", published="2024-01-10",
        ),
    }


@pytest.fixture
def coded(articles: dict[str, Article], make_event) -> list[tuple[Article, list[Event]]]:
    k, n, s = articles["kharkiv"], articles["nairobi"], articles["khartoum"]
    return [
        (k, [
            make_event(k, "ASSAULT", 0, actor=RUS_MIL, target=UKR_CVL, location=KHARKIV,
                       confidence=0.9),
            make_event(k, "ASSAULT", 1, actor=RUS_MIL, location=KHARKIV, negated=True,
                       confidence=0.4, date="2024-03-03"),
        ]),
        (n, [
            make_event(n, "PROTEST", 0, actor=Actor(text="protesters", country="KEN",
                                                    sector="PPL"), location=NAIROBI,
                       confidence=0.7),
            make_event(n, "COERCE", 1, actor=Actor(text="Police", country="KEN", sector="POL"),
                       location=NAIROBI, hedged=True, confidence=0.55),
        ]),
        (s, [
            make_event(s, "MOBILIZE", 0, actor=Actor(text="Paramilitary units", name="RSF",
                                                     country="SDN", sector="REB"),
                       location=KHARTOUM.model_copy(update={"precision": 2}), confidence=0.6),
            make_event(s, "CONSULT", 1, actor=Actor(text="Envoys of the United Nations",
                                                    name="United Nations", country="UNO",
                                                    sector="IGO"),
                       target=Actor(text="army officers", country="SDN", sector="MIL"),
                       date=None, date_precision=None, confidence=0.65),
        ]),
    ]


@pytest.fixture
def store(db_target: str, coded: list[tuple[Article, list[Event]]]) -> Iterator[Store]:
    """The store of ``coded``, in SQLite (``tmp_path / "events.db"``) and in PostgreSQL."""
    db = Store(db_target)
    for article, events in coded:
        assert db.add(article, events)
    yield db
    db.close()


# For tests of SQLite's file alone.
sqlite_only = pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)
