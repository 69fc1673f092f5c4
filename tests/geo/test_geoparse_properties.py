"""Property-based test of the geoparser on random text (issue 12): whatever the text,
every place found is a span of it, with coordinates on the globe."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from eventscope.geo import geoparse
from fuzzing import examples

WORDS = st.sampled_from([
    "Kharkiv", "Paris", "Texas", "Georgia", "Jordan", "Springfield", "Lagos", "Nile",
    "near", "in", "and", "the", "city", "of", ",", ".", "\n", "shelling", "hit", "U.S.",
    "São", "Paulo", "Île-de-France", "東京", "🙂", "(", ")", "—", "Mr.", "Washington",
])
TEXT = st.one_of(st.lists(WORDS, max_size=40).map(" ".join), st.text(max_size=200))


@examples(25, 1_000)
@given(text=TEXT)
def test_places_are_spans_of_the_text_with_valid_points(use_default_index, text: str) -> None:
    for place in geoparse(text):
        assert 0 <= place.start < place.end <= len(text)
        assert text[place.start:place.end].strip()
        if place.lat is not None and place.lon is not None:
            assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180
        assert 0.0 <= place.score <= 1.0
