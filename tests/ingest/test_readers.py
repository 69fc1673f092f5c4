"""Reading sources into Articles, and one clear line for each input that cannot be read."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from eventscope.ingest import (
    BadDate,
    BinaryInput,
    EmptyInput,
    IngestError,
    MalformedRecord,
    NotUtf8,
    TooLarge,
    normalise_published,
    read_inputs,
)
from eventscope.record import Article

FRONT_MATTER = """---
title: Ceasefire talks resume in Doha
published: 2024-11-04
outlet: Example Wire
url: https://example.org/doha-talks
---
Negotiators from both sides met in Doha on Monday to discuss a ceasefire.
"""

PAGE = """<!doctype html><html><head><title>Port workers strike | Harbour Times</title>
<meta property="og:title" content="Port workers strike over unpaid wages">
<meta property="article:published_time" content="2024-10-08T09:30:00Z">
<meta property="og:site_name" content="Harbour Times">
<link rel="canonical" href="https://harbour.example/strike"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a> | Subscribe now</nav>
<article><h1>Port workers strike over unpaid wages</h1>
<p>Hundreds of dock workers walked off the job in Mombasa on Tuesday, demanding three
months of unpaid wages from the port authority.</p>
<p>Union leaders said the strike would continue until the authority agreed to talks.</p>
</article><footer>Copyright 2024 Harbour Times. All rights reserved.</footer></body></html>
"""


def read_one(path: Path, **kwargs) -> Article | IngestError:
    items = list(read_inputs([path], **kwargs))
    assert len(items) == 1
    return items[0]


def test_front_matter_gives_metadata_and_the_body_is_the_text(tmp_path: Path) -> None:
    path = tmp_path / "doha.txt"
    path.write_text(FRONT_MATTER, encoding="utf-8")
    article = read_one(path)
    assert isinstance(article, Article)
    assert article.title == "Ceasefire talks resume in Doha"
    assert article.published == "2024-11-04"
    assert (article.outlet, article.url) == ("Example Wire", "https://example.org/doha-talks")
    assert article.text.startswith("Negotiators from both sides")


def test_published_option_overrides_the_file(tmp_path: Path) -> None:
    path = tmp_path / "doha.txt"
    path.write_text(FRONT_MATTER, encoding="utf-8")
    article = read_one(path, published="2024-11-05")
    assert isinstance(article, Article) and article.published == "2024-11-05"


def test_plain_text_without_front_matter_is_kept_as_written(tmp_path: Path) -> None:
    text = "\nTroops withdrew from the village on Friday.\n"
    path = tmp_path / "village.txt"
    path.write_text(text, encoding="utf-8")
    article = read_one(path)
    assert isinstance(article, Article)
    assert article.text == text and article.published is None


def test_html_loses_its_boilerplate_and_keeps_its_metadata(tmp_path: Path) -> None:
    path = tmp_path / "strike.html"
    path.write_text(PAGE, encoding="utf-8")
    article = read_one(path)
    assert isinstance(article, Article)
    assert "dock workers walked off the job in Mombasa" in article.text
    assert "Subscribe" not in article.text and "Copyright" not in article.text
    assert article.published == "2024-10-08"
    assert article.url == "https://harbour.example/strike"
    assert article.outlet == "Harbour Times"


def test_a_jsonl_batch_keeps_going_past_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"doc_id": "a1", "text": "Rebels seized the airport.", "published":
                    "5 March 2024", "outlet": "Wire", "corpus": "ignored"}),
        '{"text": "unterminated',
        "",
        json.dumps({"doc_id": "a3", "title": "no text here"}),
        json.dumps({"doc_id": "a4", "text": "Talks opened in Geneva.", "published": "soonish"}),
        json.dumps({"text": "Police arrested ten protesters.", "url": "https://x.example/p"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_inputs([path]))
    assert [type(i).__name__ for i in items] == [
        "Article", "MalformedRecord", "MalformedRecord", "BadDate", "Article",
    ]
    first, last = items[0], items[-1]
    assert isinstance(first, Article) and isinstance(last, Article)
    assert (first.article_id, first.published, first.outlet) == ("a1", "2024-03-05", "Wire")
    assert last.url == "https://x.example/p" and len(last.article_id) == 16
    assert str(items[1]).startswith(f"{path}:2: is not valid JSON")
    assert str(items[2]) == f"{path}:4: has no 'text' string"
    assert str(items[3]).startswith(f"{path}:5: has an unparseable publication date")


def test_a_folder_is_read_recursively_by_extension(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text("Militants attacked a convoy.", encoding="utf-8")
    (tmp_path / "a" / "b" / "two.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "a" / "b" / "three.jsonl").write_text(
        '{"text": "Ministers signed a trade pact."}\n', encoding="utf-8")
    (tmp_path / "a" / "picture.png").write_bytes(b"\x89PNG\x00\x00")
    (tmp_path / "a" / ".hidden.txt").write_text("Not me.", encoding="utf-8")
    items = list(read_inputs([tmp_path / "a"]))
    assert all(isinstance(i, Article) for i in items)
    assert [i.text.split()[0] for i in items if isinstance(i, Article)] == [
        "Ministers", "Port", "Militants",
    ]


def test_stdin_is_an_article_or_a_batch() -> None:
    one = list(read_inputs(["-"], stdin=io.BytesIO(b"Soldiers crossed the river.")))
    assert isinstance(one[0], Article) and one[0].text == "Soldiers crossed the river."
    batch = list(read_inputs(["-"], stdin=io.BytesIO(b'{"text": "A"}\n{"text": "B"}\n')))
    assert [i.text for i in batch if isinstance(i, Article)] == ["A", "B"]


@pytest.mark.parametrize(("content", "error", "message"), [
    (b"", EmptyInput, "is empty"),
    (b"  \n\t\n", EmptyInput, "is empty"),
    (b"---\ntitle: Only metadata\n---\n\n", EmptyInput, "has front matter but no article text"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", BinaryInput, "looks binary"),
    ("Caf\xe9 bombing in the capital".encode("latin-1"), NotUtf8,
     "is not valid UTF-8 (byte 0xe9 at offset 3)"),
    (b"---\npublished: next Tuesday-ish\n---\nTalks began.", BadDate,
     "has an unparseable publication date"),
    (b"---\ntitle: [unclosed\n---\nTalks began.", MalformedRecord, "has unreadable front matter"),
])
def test_bad_files_get_one_line_naming_them(
    tmp_path: Path, content: bytes, error: type[IngestError], message: str
) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    item = read_one(path)
    assert isinstance(item, error)
    assert str(item).startswith(f"{path}: {message}")
    assert "\n" not in str(item)


def test_a_binary_file_named_jsonl_is_one_error_not_one_per_line(tmp_path: Path) -> None:
    path = tmp_path / "archive.jsonl"
    path.write_bytes(b"PK\x03\x04\x00\x00\n" * 50)
    assert [str(i) for i in read_inputs([path])] == [
        f"{path}: looks binary (contains NUL bytes), not text or HTML"]


def test_an_oversized_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(10 * 1024 * 1024 + 1)
    item = read_one(path)
    assert isinstance(item, TooLarge)
    assert str(item) == f"{path}: is too large (10.0 MB; the limit per article is 2 MB)"


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    item = read_one(tmp_path / "nowhere.txt")
    assert str(item) == f"{tmp_path / 'nowhere.txt'}: does not exist"


@pytest.mark.parametrize(("value", "iso"), [
    ("2024-12-16", "2024-12-16"),
    ("2009-03-24 08:41:54.262556-05", "2009-03-24"),
    ("2024-12-16T23:30:00+02:00", "2024-12-16"),
    ("16 December 2024", "2024-12-16"),
    ("Dec 16, 2024", "2024-12-16"),
])
def test_publication_dates_become_iso(value: str, iso: str) -> None:
    assert normalise_published(value) == iso


@pytest.mark.parametrize("value", ["yesterday", "Monday", "2024-02-30", "soon", ""])
def test_relative_or_impossible_publication_dates_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="unparseable date"):
        normalise_published(value)
