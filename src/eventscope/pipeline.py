"""Composes the stages for one text or a batch: the only place that knows their order.

    text -> spaCy Doc (nlp) -> place names (geo) -> events (extract) -> Event records
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from .extract import code_events
from .geo import geoparse_doc
from .nlp import load_nlp
from .parallel import chunks, forked_map, worker_model
from .record import Article, Event, distinct_event_ids


def events_from_doc(doc: Doc, article: Article, nlp: Language | None = None,
                    country_bias: Collection[str] | None = None) -> list[Event]:
    """The stages after parsing, for a Doc of ``article.text`` (parsed by ``nlp``, when it
    is not the shared default pipeline). ``country_bias``: ISO3 codes whose places win
    close calls (default: EVENTSCOPE_COUNTRY_BIAS; see :func:`eventscope.geo.geoparse_doc`)."""
    toponyms = geoparse_doc(doc, nlp, country_bias)
    return distinct_event_ids(code_events(doc, toponyms, article))


def process(article: Article, model: str | None = None,
            country_bias: Collection[str] | None = None) -> list[Event]:
    """All events of one article."""
    nlp = load_nlp(model)
    return events_from_doc(nlp(article.text), article, nlp, country_bias)


def extract(
    text: str,
    published: str | None = None,
    *,
    url: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    article_id: str | None = None,
    model: str | None = None,
    country_bias: Collection[str] | None = None,
) -> list[Event]:
    """Events in ``text``, with dates resolved against ``published`` (ISO date), places
    in the ``country_bias`` countries (ISO3) preferred where the text leaves a choice.

    >>> events = extract("Protesters marched in Nairobi on Monday.", published="2024-12-16")
    """
    article = Article(
        text=text, published=published, url=url, title=title, outlet=outlet,
        article_id=article_id or "",
    )
    return process(article, model, country_bias)


def _pipe(chunk: list[Article], model: str | None,
          country_bias: Collection[str] | None) -> list[tuple[Article, list[Event]]]:
    nlp = load_nlp(model)
    docs = nlp.pipe(a.text for a in chunk)
    return [(article, events_from_doc(doc, article, nlp, country_bias))
            for article, doc in zip(chunk, docs, strict=True)]


_bias: Collection[str] | None = None  # set in the parent before the workers fork


def _work(chunk: list[Article]) -> list[tuple[Article, list[Event]]]:
    return _pipe(chunk, worker_model(), _bias)


def process_many(
    articles: Iterable[Article],
    *,
    n_process: int = 1,
    model: str | None = None,
    batch_size: int = 8,
    country_bias: Collection[str] | None = None,
) -> Iterator[tuple[Article, list[Event]]]:
    """(article, events) for each article, in input order; ``country_bias`` as for
    :func:`events_from_doc`.

    Articles go through ``nlp.pipe`` in chunks of ``batch_size`` (spaCy batches its
    matrix work, about a fifth faster than one call per text). With ``n_process > 1``
    each worker process runs the whole pipeline on whole chunks; the model and gazetteer
    are loaded in the parent first so that forked workers share their memory pages.
    """
    nlp = load_nlp(model)
    if n_process <= 1:
        for chunk in chunks(articles, batch_size):
            yield from _pipe(chunk, model, country_bias)
        return
    global _bias
    _bias = country_bias
    geoparse_doc(nlp("Paris"), nlp)  # warm the gazetteer before forking
    for done in forked_map(_work, chunks(articles, batch_size), n_process=n_process,
                           model=model):
        yield from done
