"""Stand-ins for the NLP stages, so storage and CLI tests stay about storage and CLI."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from eventscope.record import Article, Event, Evidence, make_event_id


def one_protest_each(articles: Iterable[Article]) -> Iterator[tuple[Article, list[Event]]]:
    """A coder that finds exactly one PROTEST per article, its whole text as evidence."""
    for article in articles:
        end = len(article.text)
        yield article, [Event(
            event_id=make_event_id(article.article_id, 0, end, "PROTEST"),
            event_type="PROTEST", confidence=0.5, date=article.published,
            evidence=Evidence(sentence=article.text, start=0, end=end, trigger="protest"),
            article=article.ref(),
        )]
