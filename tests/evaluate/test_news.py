"""Scoring ordinary news sentence by sentence (eventscope.evaluate.news) on a handmade gold
file: where a record lands, what counts once, what doubtful sentences hide."""

from __future__ import annotations

import json
from pathlib import Path

from eventscope import evaluate
from eventscope.record import ArticleRef, Event, Evidence

# Three sentences: an arrest, a doubtful police appeal, a storm (no event).
TEXT = ("Police arrested a man in Dayton on Friday after a stabbing. "
        "Anyone with information is asked to call.  "
        "A storm knocked out power to 3,000 homes.")
S1 = (0, TEXT.index(" Anyone"))
S2 = (TEXT.index("Anyone"), TEXT.index("  A storm"))
S3 = (TEXT.index("A storm"), len(TEXT))


def gold_line(doc_id: str = "lgl-1") -> str:
    stab = TEXT.index("stabbing")
    return json.dumps({
        "doc_id": doc_id, "text": TEXT, "published": "2011-03-05", "corpus": "lgl",
        "split": "dev", "sentences": [
            {"start": S1[0], "end": S1[1], "doubtful": False, "events": [
                {"type": "COERCE", "trigger_start": 7, "trigger_end": 15, "actor": "Police",
                 "target": "a man"},
                {"type": "ASSAULT", "trigger_start": stab, "trigger_end": stab + 8,
                 "actor": None, "target": None}]},
            {"start": S2[0], "end": S2[1], "doubtful": True, "events": []},
            {"start": S3[0], "end": S3[1], "doubtful": False, "events": []},
        ]})


def record(event_type: str, trigger: str, span: tuple[int, int], *,
           negated: bool = False) -> Event:
    start, end = span
    return Event(
        event_id=f"{event_type}-{trigger}-{start}", event_type=event_type,
        evidence=Evidence(sentence=TEXT[start:end], start=start, end=end, trigger=trigger),
        negated=negated, confidence=0.5, article=ArticleRef(article_id="lgl-1"))


def load(tmp_path: Path, *lines: str) -> evaluate.GoldSet[evaluate.NewsArticle]:
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return evaluate.load_news(path)


def test_pairs_are_counted_once_and_doubtful_sentences_are_ignored(tmp_path: Path) -> None:
    (article,) = load(tmp_path, gold_line()).items
    events = [
        record("COERCE", "arrested", S1),
        record("COERCE", "arrested", S1),  # a second record of one type: one pair
        record("REQUEST", "asked", S2),  # doubtful: not counted either way
        record("ASSAULT", "knocked", S3),  # a storm: a false event
        record("ASSAULT", "stabbing", S1, negated=True),  # negated: no prediction
    ]
    report = evaluate.score_news([(article, events)])
    assert (report.predicted, report.right, report.gold, report.found) == (2, 1, 2, 1)
    assert report.precision == 0.5 and report.recall == 0.5
    assert report.events_per_article == 4.0  # non-negated records, doubtful ones too
    assert report.line() == ("news: precision=0.500 recall=0.500 f1=0.500 predicted=2 "
                             "gold=2 events_per_article=4.000")
    codes = sorted(r.code for d in report.disagreements for r in d.why)
    assert codes == ["false-event", "missed"]


def test_a_record_goes_to_the_sentence_holding_its_trigger(tmp_path: Path) -> None:
    (article,) = load(tmp_path, gold_line()).items
    # evidence spanning two sentences: the trigger, found ignoring case, decides
    wide = record("ASSAULT", "STABBING", (0, len(TEXT)))
    assert article.sentence_at(evaluate.trigger_position(TEXT, wide)) == 0
    storm = record("ASSAULT", "knocked   out", (S2[0], len(TEXT)))  # whitespace runs differ
    assert article.sentence_at(evaluate.trigger_position(TEXT, storm)) == 2
    # a trigger not in the span: the evidence start; the blank between sentences goes on
    assert article.sentence_at(evaluate.trigger_position(TEXT, record("AID", "zz", (S2[1], 10)))
                               ) == 2
    report = evaluate.score_news([(article, [wide])])
    assert (report.right, report.predicted) == (1, 1)


def test_bad_gold_lines_are_reported_and_the_rest_load(tmp_path: Path) -> None:
    bad_type = json.loads(gold_line("lgl-2"))
    bad_type["sentences"][0]["events"][0]["type"] = "FIGHT"
    outside = json.loads(gold_line("lgl-3"))
    outside["sentences"][2]["end"] = len(TEXT) + 5
    gold = load(tmp_path, gold_line(), json.dumps(bad_type), "{oops", json.dumps(outside))
    assert [a.doc_id for a in gold.items] == ["lgl-1"]
    assert [str(i) for i in gold.issues] == [
        "line 2: sentences[0].events[0]: unknown event type 'FIGHT'",
        "line 3: not valid JSON (Expecting property name enclosed in double quotes)",
        "line 4: sentences[2]: start/end missing or outside the text",
    ]


def test_the_development_half_loads_whole(shared_dir: Path) -> None:
    gold = evaluate.load_news(shared_dir / "data" / "newsgold" / "news.dev.jsonl")
    assert gold.issues == [] and len(gold.items) == 30
    pairs = sum(len(s.types) for a in gold.items for s in a.sentences)
    assert pairs == 93  # the README's count of (sentence, type) pairs
