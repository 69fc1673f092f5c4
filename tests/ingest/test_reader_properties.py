"""Property-based tests of the readers (issue 12): whatever the bytes, a reader gives
Articles or one-line IngestErrors naming the input, never an exception, and what it
accepts keeps every limit (http(s) URLs, field lengths, plausible dates)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st

from eventscope.ingest import IngestError, read_inputs
from eventscope.ingest.jsonl import read_jsonl
from eventscope.ingest.text import (
    EARLIEST_YEAR,
    FIELD_LIMITS,
    article_from_text,
    is_web_url,
    published_or_error,
)
from eventscope.record import Article
from fuzzing import examples

SUFFIXES = (".txt", ".md", ".html", ".jsonl")
# Bytes with the shapes readers branch on: BOMs, NULs, front-matter fences, tags, braces.
PIECES = st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00", b"---\n",
                          b"<html><body>", b"<div>", b"</div>", b"{", b"}", b'"text": ',
                          b"\n", b"\r\n", b"\xe9", b"&amp;", b"title: *a\n", b"a: &a x\n"])
RAW = st.lists(st.one_of(st.binary(max_size=40), PIECES), max_size=30).map(b"".join)


def check(item: Article | IngestError, source: str) -> None:
    if isinstance(item, IngestError):
        message = str(item)
        assert message.startswith(source) and "\n" not in message
        return
    assert isinstance(item, Article) and item.text.strip()
    assert item.url is None or is_web_url(item.url)
    for name, limit in FIELD_LIMITS.items():
        value = item.article_id if name == "id" else getattr(item, name)
        assert value is None or len(value) <= limit or name == "id" and len(value) == 16
    if item.published:
        assert dt.date.fromisoformat(item.published).year >= EARLIEST_YEAR


@examples(100, 5_000)
@given(data=RAW, suffix=st.sampled_from(SUFFIXES))
def test_any_file_gives_articles_or_one_line_errors(tmp_path: Path, data: bytes,
                                                    suffix: str) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    items = list(read_inputs([path]))
    assert items
    for item in items:
        check(item, str(path))


@examples(100, 20_000)
@given(data=RAW)
def test_any_standard_input_gives_articles_or_one_line_errors(data: bytes) -> None:
    for item in read_inputs(["-"], stdin=io.BytesIO(data)):
        check(item, "<stdin>")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12)
FIELDS = st.sampled_from(["text", "doc_id", "title", "url", "outlet", "published"])
RECORD = st.dictionaries(FIELDS, JSON | st.text(max_size=60), max_size=6)


@examples(40, 3_000)
@given(lines=st.lists(RECORD | JSON, min_size=1, max_size=6))
def test_a_jsonl_batch_gives_one_item_per_line(lines: list) -> None:
    raw = [json.dumps(line).encode() + b"\n" for line in lines]
    items = list(read_jsonl(raw, "batch.jsonl"))
    assert len(items) == len(lines)
    for number, (line, item) in enumerate(zip(lines, items, strict=True), start=1):
        check(item, f"batch.jsonl:{number}")
        if isinstance(item, Article):
            assert isinstance(line, dict) and item.text == line["text"]


@examples(100, 10_000)
@given(meta=st.dictionaries(st.sampled_from(["title", "id", "url", "outlet", "published",
                                             "other"]), st.text(max_size=40), max_size=5),
       body=st.text(min_size=1, max_size=80))
def test_front_matter_either_reads_or_is_one_line(meta: dict[str, str], body: str) -> None:
    assume(body.strip() and "---" not in body)
    header = "".join(f"{key}: {json.dumps(value)}\n" for key, value in meta.items())
    try:
        article = article_from_text(f"---\n{header}---\n{body}", "a.md")
    except IngestError as exc:
        assert str(exc).startswith("a.md: ") and "\n" not in str(exc)
        return
    check(article, "a.md")
    assert article.text == body


@examples(200, 20_000)
@given(value=st.one_of(st.text(max_size=30), st.dates(), st.integers(),
                       st.from_regex(r"\A\d{4}-\d{2}-\d{2}\Z"),
                       st.from_regex(r"\A\d{1,2} [A-Z][a-z]+ \d{4}\Z")))
def test_a_publication_date_is_plausible_iso_or_refused(value: object) -> None:
    try:
        iso = published_or_error(value, "x")
    except IngestError as exc:
        assert str(exc).startswith("x: ") and "\n" not in str(exc)
        return
    if iso is not None:
        date = dt.date.fromisoformat(iso)
        assert EARLIEST_YEAR <= date.year and date <= dt.date.today() + dt.timedelta(days=366)
