"""Hostile or careless inputs (issue 12): bounded reads, front-matter aliases and field
limits, other encodings, NULs, deep nesting, wrong JSON types, implausible dates, broken
links, and non-web URLs. Each gets one line naming the input and the problem, and the
good inputs beside it still go in."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest

from eventscope.ingest import (
    BadDate,
    BinaryInput,
    IngestError,
    MalformedRecord,
    TooLarge,
    UnsupportedInput,
    read_inputs,
)
from eventscope.ingest.html import article_from_html
from eventscope.ingest.jsonl import bounded_lines
from eventscope.ingest.text import MAX_ARTICLE_BYTES, check_published, is_web_url
from eventscope.record import Article

GOOD = "Police dispersed a protest outside the parliament in Accra on Friday."


def items(*paths: object, **kwargs) -> list[Article | IngestError]:
    return list(read_inputs(list(paths), **kwargs))  # type: ignore[arg-type]


def one_line(item: object) -> str:
    assert isinstance(item, IngestError), item
    message = str(item)
    assert "\n" not in message and "Traceback" not in message
    return message


# --- bounded reads --------------------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_read_only_to_the_limit() -> None:
    [item] = items("/dev/zero")
    assert one_line(item).startswith("/dev/zero: ")
    assert isinstance(item, TooLarge | BinaryInput)


class EndlessStdin(io.RawIOBase):
    """Standard input that never ends and counts what was read from it."""

    def __init__(self, byte: bytes) -> None:
        self.byte, self.served = byte, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # noqa: ANN001 - memoryview
        buffer[:] = self.byte * len(buffer)
        self.served += len(buffer)
        return len(buffer)


@pytest.mark.parametrize("byte", [b"a", b"\n"])
def test_endless_stdin_is_read_only_to_the_limit(byte: bytes) -> None:
    raw = EndlessStdin(byte)
    [item] = items("-", stdin=io.BufferedReader(raw))  # type: ignore[arg-type]
    assert isinstance(item, TooLarge)
    assert one_line(item) == "<stdin>: is too large (over 2 MB; the limit per article is 2 MB)"
    assert raw.served <= MAX_ARTICLE_BYTES + 2 * io.DEFAULT_BUFFER_SIZE


def test_a_file_over_the_article_limit_is_refused_by_its_size(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_bytes(b"word " * (MAX_ARTICLE_BYTES // 5 + 1))
    [item] = items(path)
    assert isinstance(item, TooLarge)
    assert one_line(item) == f"{path}: is too large (2.0 MB; the limit per article is 2 MB)"


def test_an_over_long_jsonl_line_is_skipped_and_the_next_lines_read(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    with path.open("wb") as out:
        out.write(b'{"text": "' + b"x" * (4 * MAX_ARTICLE_BYTES + 10) + b'"}\n')
        out.write(json.dumps({"text": GOOD}).encode() + b"\n")
    first, second = items(path)
    assert isinstance(first, TooLarge) and one_line(first).startswith(f"{path}:1: is too large")
    assert isinstance(second, Article) and second.text == GOOD


def test_bounded_lines_never_hold_more_than_the_limit() -> None:
    lines = list(bounded_lines(io.BytesIO(b"abc\n" + b"z" * 100 + b"\nlast"), limit=10))
    assert lines[0] == b"abc\n" and lines[2] == b"last"
    assert type(lines[1]).__name__ == "LineTooLong" and lines[1].size == 101  # type: ignore


# --- front matter -----------------------------------------------------------------------

BOMB = """---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
title: *b
---
Text.
"""


def test_front_matter_aliases_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.md"
    path.write_text(BOMB, encoding="utf-8")
    [item] = items(path)
    assert isinstance(item, MalformedRecord)
    assert "uses a YAML alias (*a), which is not allowed" in one_line(item)


@pytest.mark.parametrize(("field", "length"), [
    ("title", 1001), ("outlet", 201), ("id", 201), ("url", 2100),
])
def test_front_matter_fields_have_length_limits(tmp_path: Path, field: str, length: int) -> None:
    value = "https://example.org/" + "a" * length if field == "url" else "a" * length
    path = tmp_path / "long-field.txt"
    path.write_text(f"---\n{field}: {value}\n---\n{GOOD}\n", encoding="utf-8")
    [item] = items(path)
    assert isinstance(item, MalformedRecord)
    assert f"has a {field!r} of {len(value):,} characters (the limit is" in one_line(item)


def test_front_matter_fields_within_limits_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "fine.txt"
    path.write_text(f"---\ntitle: {'t' * 1000}\nid: 2024\n---\n{GOOD}\n", encoding="utf-8")
    [item] = items(path)
    assert isinstance(item, Article) and len(item.title or "") == 1000
    assert item.article_id == "2024"


def test_a_front_matter_list_is_not_stored_as_its_repr(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_text(f"---\noutlet: [a, b]\n---\n{GOOD}\n", encoding="utf-8")
    [item] = items(path)
    assert "has a 'outlet' that is a list (array), expected a string" in one_line(item)


# --- encodings and NUL bytes --------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_text_with_a_utf16_or_utf32_byte_order_mark_is_decoded(
    tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "wide.txt"
    data = GOOD.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    [item] = items(path)
    assert isinstance(item, Article) and item.text == GOOD


def test_a_utf16_jsonl_batch_is_read_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "wide.jsonl"
    lines = [json.dumps({"doc_id": "w1", "text": GOOD}), "{bad", json.dumps({"text": "Zwei."})]
    path.write_bytes("\n".join(lines).encode("utf-16"))
    got = items(path)
    assert [type(i).__name__ for i in got] == ["Article", "MalformedRecord", "Article"]
    assert got[0].article_id == "w1"  # type: ignore[union-attr]


def test_a_nul_early_in_a_jsonl_batch_spoils_only_its_line(tmp_path: Path) -> None:
    path = tmp_path / "nul.jsonl"
    path.write_bytes(json.dumps({"text": GOOD}).encode() + b"\n{\"te\x00xt\": 1}\n"
                     + json.dumps({"text": "Second article."}).encode() + b"\n")
    got = items(path)
    assert [type(i).__name__ for i in got] == ["Article", "BinaryInput", "Article"]
    assert one_line(got[1]).startswith(f"{path}:2: contains NUL bytes")


# --- JSON shapes and types --------------------------------------------------------------


def test_deeply_nested_json_is_that_lines_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text("[" * 3000 + "\n" + json.dumps({"text": GOOD}) + "\n", encoding="utf-8")
    first, second = items(path)
    assert one_line(first) == f"{path}:1: is JSON nested too deeply to read"
    assert isinstance(second, Article)


@pytest.mark.parametrize(("record", "message"), [
    ({"text": ["a", "b"]}, "has a 'text' that is a JSON array, expected a string"),
    ({"text": GOOD, "title": {"x": 1}},
     "has a 'title' that is a mapping (object), expected a string"),
    ({"text": GOOD, "url": 5}, "has a 'url' that is a number, expected a string"),
    ({"text": GOOD, "doc_id": True}, "has a 'id' that is a boolean, expected a string"),
    ({"text": GOOD, "published": [2024]}, "has a publication date that is a list (array)"),
    ({"text": GOOD, "outlet": "\ud800x"}, "has a 'outlet' with an unpaired surrogate"),
])
def test_values_of_the_wrong_type_are_refused_naming_line_and_field(
    tmp_path: Path, record: dict, message: str
) -> None:
    path = tmp_path / "typed.jsonl"
    path.write_text(json.dumps(record) + "\n" + json.dumps({"text": GOOD}) + "\n")
    first, second = items(path)
    assert one_line(first).startswith(f"{path}:1: {message}")
    assert isinstance(second, Article)


def test_a_numeric_doc_id_is_kept_as_text(tmp_path: Path) -> None:
    path = tmp_path / "ids.jsonl"
    path.write_text(json.dumps({"doc_id": 17, "text": GOOD}) + "\n")
    [item] = items(path)
    assert isinstance(item, Article) and item.article_id == "17"


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "message"), [
    ("1900-01-01", "has a publication date 1900-01-01 before 1950"),
    ("2999-12-31", "has a publication date 2999-12-31 more than a year in the future"),
])
def test_implausible_publication_dates_are_refused(
    tmp_path: Path, value: str, message: str
) -> None:
    path = tmp_path / "dated.jsonl"
    path.write_text(json.dumps({"text": GOOD, "published": value}) + "\n")
    [item] = items(path)
    assert isinstance(item, BadDate) and message in one_line(item)


def test_the_plausible_range_of_publication_dates() -> None:
    today = dt.date(2026, 6, 1)
    assert check_published("1950-01-01", "x", today) == "1950-01-01"
    assert check_published("2027-06-01", "x", today) == "2027-06-01"
    with pytest.raises(BadDate):
        check_published("2027-06-03", "x", today)


# --- the file system -------------------------------------------------------------------------


def test_broken_links_in_a_folder_are_reported_one_line_each(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    os.symlink(folder / "nowhere.txt", folder / "dangling.txt")
    os.symlink(folder / "loop.txt", folder / "loop.txt")
    got = items(folder)
    messages = {str(i) for i in got if isinstance(i, IngestError)}
    assert messages == {
        f"{folder / 'dangling.txt'}: is a dangling symbolic link (its target does not exist)",
        f"{folder / 'loop.txt'}: is a symbolic link loop (it never reaches a file)",
    }
    assert [i.text for i in got if isinstance(i, Article)] == [GOOD]


def test_an_over_long_file_name_is_one_line(tmp_path: Path) -> None:
    name = tmp_path / ("a" * 300 + ".txt")
    [item] = items(name)
    assert isinstance(item, UnsupportedInput)
    assert one_line(item).endswith("has a name too long for the file system")


# --- HTML and URLs -------------------------------------------------------------------------


def test_deeply_nested_html_falls_back_to_its_plain_text() -> None:
    html = ("<html><head><title>t</title><script>var x = 1;</script></head><body>"
            + "<div>" * 3000 + f"<p>{GOOD}</p>" + "</div>" * 3000 + "</body></html>")
    article = article_from_html(html, "deep.html")
    assert article.text == GOOD


def test_a_page_whose_canonical_url_is_not_http_keeps_no_url() -> None:
    html = ('<html><head><link rel="canonical" href="javascript:alert(1)"></head><body>'
            f"<article><p>{GOOD} {GOOD}</p><p>{GOOD}</p></article></body></html>")
    assert article_from_html(html, "page.html").url is None


@pytest.mark.parametrize("url", [
    "javascript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>",
    "JaVaScRiPt:alert(1)", "ftp://example.org/a", "//example.org/a", "https://", "http://a b",
    "http:///path", "http://[::1", "https://ex\x00ample.org",
])
def test_only_http_urls_are_accepted(tmp_path: Path, url: str) -> None:
    assert not is_web_url(url)
    path = tmp_path / "link.jsonl"
    path.write_text(json.dumps({"text": GOOD, "url": url}) + "\n")
    [item] = items(path)
    assert "has a 'url' that is not an http(s) address" in one_line(item)


@pytest.mark.parametrize("url", ["https://example.org/a?b=c", "HTTP://EXAMPLE.ORG",
                                 "http://[::1]:8000/x", "https://user@example.org"])
def test_web_urls_are_kept(url: str) -> None:
    assert is_web_url(url)
