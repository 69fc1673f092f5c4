"""Each filter narrows the stored events the way its help text says."""

from __future__ import annotations

import pytest

from eventscope.store import Filter, Store


def types_of(store: Store, flt: Filter) -> list[str]:
    page, _ = store.events(flt, limit=100)
    assert store.count(flt) == len(page)
    return sorted(e.event_type for e in page)


@pytest.mark.parametrize(("flt", "expected"), [
    (Filter(), ["ASSAULT", "ASSAULT", "COERCE", "CONSULT", "MOBILIZE", "PROTEST"]),
    (Filter(types=("PROTEST", "COERCE")), ["COERCE", "PROTEST"]),
    # actor: a country code matches actor or target ...
    (Filter(actor="ukr"), ["ASSAULT"]),
    (Filter(actor="SDN"), ["CONSULT", "MOBILIZE"]),
    # ... and otherwise a case-insensitive part of a name or the text as written
    (Filter(actor="united nat"), ["CONSULT"]),
    (Filter(actor="police"), ["COERCE"]),
    (Filter(actor="50%_"), []),  # LIKE wildcards are taken literally
    (Filter(country="KEN"), ["COERCE", "PROTEST"]),
    (Filter(sector="MIL"), ["ASSAULT", "ASSAULT", "CONSULT"]),
    (Filter(since="2024-03-01", until="2024-03-02"), ["ASSAULT"]),
    (Filter(since="2024-03-03"), ["ASSAULT", "COERCE", "PROTEST"]),
    (Filter(min_confidence=0.6), ["ASSAULT", "CONSULT", "MOBILIZE", "PROTEST"]),
    (Filter(hedged=True), ["COERCE"]),
    (Filter(negated=True), ["ASSAULT"]),
    (Filter(negated=False, country="UKR"), ["ASSAULT"]),
    # text: every word, stemmed, in the evidence sentence or the article's title
    (Filter(text="marched Nairobi"), ["PROTEST"]),
    (Filter(text="march"), ["PROTEST"]),
    (Filter(text="finance bill"), ["COERCE", "PROTEST"]),
    (Filter(text='tear "gas" OR'), []),  # operators are plain words, not syntax
    (Filter(text="gath*"), ["CONSULT", "MOBILIZE"]),
])
def test_filters(store: Store, flt: Filter, expected: list[str]) -> None:
    assert types_of(store, flt) == expected


def test_bbox_keeps_events_inside_and_drops_those_without_coordinates(store: Store) -> None:
    east_africa = Filter(bbox=(30.0, -5.0, 40.0, 20.0))
    assert types_of(store, east_africa) == ["COERCE", "MOBILIZE", "PROTEST"]
    # a box whose edge passes exactly through Nairobi's stored longitude still holds it
    assert types_of(store, Filter(bbox=(36.82, -2.0, 37.0, 0.0))) == ["COERCE", "PROTEST"]


def test_near_is_a_circle_not_its_bounding_box(store: Store) -> None:
    # Kharkiv is ~ 111 km north of (48.98, 36.25): inside 120 km, outside 100 km
    assert types_of(store, Filter(near=(48.98, 36.25, 120))) == ["ASSAULT", "ASSAULT"]
    assert types_of(store, Filter(near=(48.98, 36.25, 100))) == []
    # Inside the 120 km bounding box of this point but ~ 149 km away on the diagonal.
    assert types_of(store, Filter(near=(49.98 - 0.95, 36.25 - 1.45, 120))) == []


def test_filters_combine_with_and(store: Store) -> None:
    flt = Filter(types=("ASSAULT", "PROTEST"), since="2024-03-01",
                 bbox=(20.0, -10.0, 50.0, 60.0), min_confidence=0.5)
    assert types_of(store, flt) == ["ASSAULT", "PROTEST"]
