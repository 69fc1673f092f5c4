"""POST /api/articles with hostile bodies (issue 12): refused with 400 or 413 and one
line, before anything is extracted or stored."""

from __future__ import annotations

import json
import sys
import time
import types
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from eventscope.api import create_app
from eventscope.ingest.text import MAX_ARTICLE_BYTES
from eventscope.record import Article, Event

TOKEN = "correct horse battery staple"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSONL = {**AUTH, "Content-Type": "application/x-ndjson"}
extracted: list[str] = []


def remembers(articles: Iterable[Article]) -> Iterator[tuple[Article, list[Event]]]:
    for article in articles:
        extracted.append(article.article_id)
        yield article, []


@pytest.fixture()
def writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    stand_in = types.ModuleType("eventscope.pipeline")
    stand_in.process_many = remembers  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "eventscope.pipeline", stand_in)
    extracted.clear()
    with TestClient(create_app(str(tmp_path / "w.db"), token=TOKEN),
                    base_url="http://localhost") as client:
        yield client


def refused(response, status: int) -> str:  # noqa: ANN001 - httpx.Response
    assert response.status_code == status, response.text
    message = response.json()["error"]
    assert "\n" not in message
    assert extracted == []
    return message


def test_a_doc_id_given_two_texts_in_one_batch_is_400_before_extraction(
    writer: TestClient
) -> None:
    body = "\n".join(json.dumps({"doc_id": "x", "text": t})
                     for t in ("Crowds marched in Lima.", "Troops left Kidal."))
    message = refused(writer.post("/api/articles", content=body, headers=JSONL), 400)
    assert message == ("request body: article id 'x' is given to records 1 and 2 with "
                       "different texts; nothing was stored")


@pytest.mark.parametrize("content_type", ["application/json", "application/x-ndjson"])
def test_deeply_nested_json_is_400(writer: TestClient, content_type: str) -> None:
    response = writer.post("/api/articles", content="[" * 3000,
                           headers={**AUTH, "Content-Type": content_type})
    assert "nested too deeply" in refused(response, 400)


def test_an_article_over_the_limit_is_413(writer: TestClient) -> None:
    text = "word " * (MAX_ARTICLE_BYTES // 5 + 1)
    response = writer.post("/api/articles", content=json.dumps({"text": text}),
                           headers={**AUTH, "Content-Type": "application/json"})
    assert "over the 2 MB limit per article" in refused(response, 413)
    plain = writer.post("/api/articles", content=text, headers=AUTH)
    assert refused(plain, 413) == ("request body: is too large (2.0 MB; the limit per "
                                   "article is 2 MB)")


def test_a_batch_may_be_larger_than_one_article(writer: TestClient) -> None:
    half = "word " * (MAX_ARTICLE_BYTES // 10)
    body = json.dumps([{"text": half + "one"}, {"text": half + "two"}, {"text": half + "3"}])
    assert len(body) > MAX_ARTICLE_BYTES
    response = writer.post("/api/articles", content=body,
                           headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 202, response.text  # a large batch is a job
    for _ in range(200):
        if writer.get(response.json()["url"]).json()["status"] == "done":
            break
        time.sleep(0.05)
    assert len(extracted) == 3


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x"])
def test_a_url_that_is_not_http_is_400(writer: TestClient, url: str) -> None:
    response = writer.post("/api/articles", params={"url": url},
                           content="Crowds marched in Lima.", headers=AUTH)
    assert "not an http(s) address" in refused(response, 400)


def test_a_wrongly_typed_field_is_400_naming_it(writer: TestClient) -> None:
    response = writer.post("/api/articles", content=json.dumps(
        {"text": "Crowds marched in Lima.", "title": ["a"]}),
        headers={**AUTH, "Content-Type": "application/json"})
    assert refused(response, 400).startswith("request body: has a 'title' that is a list")
