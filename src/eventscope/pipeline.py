"""Composes the stages for one text or a batch: the only place that knows their order.

    text -> spaCy Doc (nlp) -> place names (geo) -> events (extract) -> Event records
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from functools import partial

from spacy.language import Language
from spacy.tokens import Doc

from .budget import Skipped, default_budget, per_text
from .coder import code_events
from .coder.lexicon import load_actor_dictionary
from .geo import geoparse_doc
from .nlp import load_nlp, pipe_pieces
from .parallel import chunks, forked_map, worker_model
from .record import Article, Event, distinct_event_ids, make_event_id


def events_from_doc(doc: Doc, article: Article, nlp: Language | None = None,
                    country_bias: Collection[str] | None = None) -> list[Event]:
    """The stages after parsing, for a Doc of ``article.text`` (parsed by ``nlp``, when it
    is not the shared default pipeline). ``country_bias``: ISO3 codes whose places win
    close calls (default: EVENTSCOPE_COUNTRY_BIAS; see :func:`eventscope.geo.geoparse_doc`)."""
    toponyms = geoparse_doc(doc, nlp, country_bias)
    return distinct_event_ids(code_events(doc, toponyms, article))


def process(article: Article, model: str | None = None,
            country_bias: Collection[str] | None = None) -> list[Event]:
    """All events of one article (a long one parsed a window at a time)."""
    nlp = load_nlp(model)
    ((_, found),) = _coded([article], nlp, country_bias, None)
    assert not isinstance(found, Skipped)  # no budget here
    return found


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


def _shifted(events: list[Event], article_id: str, offset: int) -> list[Event]:
    """Events of a window of an article, with offsets into the whole text (and ids made
    from those, so that they stay unique and stable)."""
    if not offset:
        return events
    out = []
    for event in events:
        start, end = event.evidence.start + offset, event.evidence.end + offset
        evidence = event.evidence.model_copy(update={"start": start, "end": end})
        out.append(event.model_copy(update={
            "evidence": evidence,
            "event_id": make_event_id(article_id, start, end, event.event_type,
                                      event.event_id)}))
    return out


PIPE_BATCH = 8


def _coded(articles: list[Article], nlp: Language, country_bias: Collection[str] | None,
           budget: float | None) -> Iterator[tuple[Article, list[Event] | Skipped]]:
    """(article, events) for each article, or (article, Skipped) when geoparsing and
    coding it ran past ``budget`` seconds. Articles longer than a window are parsed and
    coded a window at a time (:func:`eventscope.nlp.windows`), so memory stays flat."""

    def code(n: int, offset: int, doc: Doc) -> list[Event]:
        article = articles[n]
        window = article if len(doc.text) == len(article.text) else article.model_copy(
            update={"text": doc.text})
        return _shifted(events_from_doc(doc, window, nlp, country_bias), article.article_id,
                        offset)

    # A few pieces in flight at a time: spaCy holds a whole batch's parses at once.
    pieces = pipe_pieces((a.text for a in articles),
                         lambda part: nlp.pipe(part, batch_size=PIPE_BATCH))
    for n, found in per_text(pieces, code, budget):
        yield articles[n], found if isinstance(found, Skipped) else distinct_event_ids(found)


def _pipe(chunk: list[Article], model: str | None, country_bias: Collection[str] | None,
          budget: float | None) -> list[tuple[Article, list[Event] | Skipped]]:
    return list(_coded(chunk, load_nlp(model), country_bias, budget))


def _work(chunk: list[Article], *, country_bias: Collection[str] | None,
          budget: float | None) -> list[tuple[Article, list[Event] | Skipped]]:
    return _pipe(chunk, worker_model(), country_bias, budget)


def process_many(
    articles: Iterable[Article],
    *,
    n_process: int = 1,
    model: str | None = None,
    batch_size: int = 8,
    country_bias: Collection[str] | None = None,
    budget: float | None = None,
) -> Iterator[tuple[Article, list[Event] | Skipped]]:
    """(article, events) for each article, in input order; ``country_bias`` as for
    :func:`events_from_doc`. An article whose geoparsing and coding run past ``budget``
    seconds (default: EVENTSCOPE_TIME_BUDGET, see :mod:`eventscope.budget`; 0 for none)
    comes back as (article, :class:`~eventscope.budget.Skipped`) and the rest go on.

    Articles go through ``nlp.pipe`` in chunks of ``batch_size`` (spaCy batches its
    matrix work, about a fifth faster than one call per text). With ``n_process > 1``
    each worker process runs the whole pipeline on whole chunks; the model and gazetteer
    are loaded in the parent first so that forked workers share their memory pages.
    """
    nlp = load_nlp(model)
    seconds = default_budget() if budget is None else budget
    if n_process <= 1:
        for chunk in chunks(articles, batch_size):
            yield from _pipe(chunk, model, country_bias, seconds)
        return
    geoparse_doc(nlp("Paris"), nlp)  # warm the gazetteer before forking
    load_actor_dictionary()  # and the actor dictionary (tens of thousands of names)
    work = partial(_work, country_bias=country_bias, budget=seconds)
    for done in forked_map(work, chunks(articles, batch_size), n_process=n_process,
                           model=model):
        yield from done
