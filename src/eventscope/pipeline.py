"""Composes the stages for one text or a batch: the only place that knows their order.

    text -> spaCy Doc (nlp) -> place names (geo) -> events (extract) -> Event records
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from .extract import code_events
from .geo import geoparse_doc
from .nlp import load_nlp
from .record import Article, Event


def events_from_doc(doc: Doc, article: Article) -> list[Event]:
    """The stages after parsing, for a Doc of ``article.text``."""
    toponyms = geoparse_doc(doc)
    return code_events(doc, toponyms, article)


def process(article: Article, model: str | None = None) -> list[Event]:
    """All events of one article."""
    nlp = load_nlp(model)
    return events_from_doc(nlp(article.text), article)


def extract(
    text: str,
    published: str | None = None,
    *,
    url: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    article_id: str | None = None,
    model: str | None = None,
) -> list[Event]:
    """Events in ``text``, with dates resolved against ``published`` (ISO date).

    >>> events = extract("Protesters marched in Nairobi on Monday.", published="2024-12-16")
    """
    article = Article(
        text=text, published=published, url=url, title=title, outlet=outlet,
        article_id=article_id or "",
    )
    return process(article, model)


_worker_model: str | None = None


def _init_worker(model: str | None) -> None:
    global _worker_model
    _worker_model = model
    load_nlp(model)


def _work(article: Article) -> tuple[Article, list[Event]]:
    return article, process(article, _worker_model)


def process_many(
    articles: Iterable[Article],
    *,
    n_process: int = 1,
    model: str | None = None,
    batch_size: int = 16,
) -> Iterator[tuple[Article, list[Event]]]:
    """(article, events) for each article, in input order.

    With ``n_process > 1`` each worker process runs the whole pipeline on whole
    articles; the model and gazetteer are loaded in the parent first so that forked
    workers share their memory pages.
    """
    nlp = load_nlp(model)
    if n_process <= 1:
        stream = iter(articles)
        while True:
            chunk = [a for _, a in zip(range(batch_size), stream, strict=False)]
            if not chunk:
                return
            for article, doc in zip(chunk, nlp.pipe(a.text for a in chunk), strict=True):
                yield article, events_from_doc(doc, article)
        return
    geoparse_doc(nlp("Paris"))  # warm the gazetteer before forking
    ctx = mp.get_context("fork")
    with ctx.Pool(n_process, initializer=_init_worker, initargs=(model,)) as pool:
        yield from pool.imap(_work, articles, chunksize=4)
