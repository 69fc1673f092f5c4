"""Property-based tests of the API's parameters and cursors (issue 12): whatever a client
sends, the answer is 200 or a one-line 400, never a 500 or a database error."""

from __future__ import annotations

import base64
import json

from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from eventscope.api.security import normalise_host
from eventscope.store.query import decode_cursor, encode_cursor
from fuzzing import examples

NAMES = st.sampled_from(["type", "actor", "country", "sector", "since", "until", "bbox",
                         "near", "q", "min_confidence", "hedged", "negated", "limit",
                         "cursor", "format", "nonsense"])
# Values near what parsers expect, and anything at all.
VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["ASSAULT", "protest,AID", "RUS", "MIL", "2024-12", "2024-02-30",
                     "0,0,1,1", "-181,0,1,1", "34.9,35.9,25", "nan,1,2", "1e309", "0.5",
                     "true", "maybe", "0", "5001", "csv", "geojson", "\x00", "%", "*", '"']),
    st.lists(st.sampled_from("0123456789.,-e"), max_size=20).map("".join),
)


@examples(60, 3_000)
@given(params=st.lists(st.tuples(NAMES, VALUES), max_size=5))
def test_any_parameters_are_answered_or_refused_in_one_line(
    client: TestClient, params: list[tuple[str, str]]
) -> None:
    for path in ("/api/events", "/api/stats"):
        response = client.get(path, params=params)
        assert response.status_code in (200, 400), (params, response.text)
        if response.status_code == 400:
            assert "\n" not in response.json()["error"]


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                    lambda inner: st.lists(inner, max_size=3), max_leaves=6)


@examples(100, 5_000)
@given(cursor=st.one_of(
    st.text(max_size=40),
    JSON.map(lambda v: base64.urlsafe_b64encode(json.dumps(v).encode()).decode()),
    st.integers(1, 5000).map(lambda n: base64.urlsafe_b64encode(b"[" * n).decode()),
))
def test_any_cursor_is_a_page_or_a_400(client: TestClient, cursor: str) -> None:
    response = client.get("/api/events", params={"cursor": cursor})
    assert response.status_code in (200, 400), (cursor, response.text)


@examples(100, 40_000)
@given(date=st.none() | st.dates().map(str), event_id=st.text(max_size=40))
def test_a_cursor_decodes_to_what_it_encodes(date: str | None, event_id: str) -> None:
    assert decode_cursor(encode_cursor(date, event_id)) == (date, event_id)


@examples(60, 5_000)
@given(host=st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30)
       | st.sampled_from(["localhost", "LOCALHOST.", "127.0.0.1:1", "[::1]", "localhost:x"]))
def test_only_our_host_names_are_served(client: TestClient, host: str) -> None:
    ours = normalise_host(host) in ("localhost", "127.0.0.1", "::1")
    response = client.get("/api/stats", headers={"Host": host})
    assert response.status_code == (200 if ours else 400), (host, response.text)
