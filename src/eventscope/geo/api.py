"""The geoparser's entry points: Doc or text in, resolved :class:`Toponym` list out."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from functools import partial

from spacy.language import Language
from spacy.tokens import Doc

from ..budget import Skipped, default_budget, per_text
from ..nlp import load_nlp, pipe_pieces
from ..parallel import chunks, forked_map, worker_model
from ..record import Toponym
from .fold import fold
from .gazetteer import KIND_DEMONYM, Place, get_gazetteer
from .recognize import Mention, dictionary_words, doc_words, recognize
from .resolve import COUNTRY_CODES, default_country_bias, resolve
from .spanfilter import keep

# ACLED precision 3: first-level regions and anything larger.
_WIDE_CODES = {"ADM1", "CONT", "RGN", "OCN", "SEA", "GULF", "MTS", *COUNTRY_CODES}


def geoparse_doc(doc: Doc, nlp: Language | None = None,
                 country_bias: Collection[str] | None = None) -> list[Toponym]:
    """Place names in ``doc`` (offsets into ``doc.text``), resolved. ``nlp``: the pipeline
    that parsed ``doc``, when it is not the shared one that :func:`load_nlp` gives.
    ``country_bias``: ISO3 codes whose places win close calls (default:
    EVENTSCOPE_COUNTRY_BIAS)."""
    if not doc.text.strip():
        return []
    mentions = recognize(doc, get_gazetteer(), nlp)
    return resolve_doc(doc, mentions, nlp, country_bias)


def resolve_doc(doc: Doc, mentions: list[Mention], nlp: Language | None = None,
                country_bias: Collection[str] | None = None) -> list[Toponym]:
    """The toponyms of ``doc`` from its recognised ``mentions``: resolved, then only those
    the span filter takes for places in this text (:mod:`~eventscope.geo.spanfilter`).
    Split from :func:`geoparse_doc` so that a benchmark can resolve one recognition under
    several country biases."""
    bias = default_country_bias() if country_bias is None else country_bias
    resolved = resolve(mentions, country_bias=bias)
    words = dictionary_words(nlp) if nlp is not None else doc_words(doc)
    kept = keep(doc, mentions, resolved, words)
    return toponyms([m for m, k in zip(mentions, kept, strict=True) if k],
                    [r for r, k in zip(resolved, kept, strict=True) if k])


def toponyms(mentions: list[Mention],
             resolved: list[tuple[Place | None, float]]) -> list[Toponym]:
    """The records of recognised ``mentions`` and what :func:`resolve` chose for them."""
    out = []
    for m, (place, prob) in zip(mentions, resolved, strict=True):
        if place is None:
            out.append(Toponym(start=m.start, end=m.end, name=m.text, country=None))
            continue
        out.append(
            Toponym(
                start=m.start, end=m.end, name=m.text, lat=round(place.lat, 5),
                lon=round(place.lon, 5), geonameid=place.geonameid, country=place.country,
                admin1=place.admin1, feature_code=place.feature_code, score=round(prob, 3),
            )
        )
    return out


def geo_components(nlp: Language) -> list[str]:
    """Names of the components of ``nlp`` that the geoparser needs, in pipeline order.

    The geoparser reads tokens, part of speech, entities and sentence starts, never
    lemmas or dependency arcs: the lemmatizer is left out, and the parser too when the
    model ships a sentence recognizer (``senter``, disabled by default in spaCy's English
    models), which gives the sentence starts at about a tenth of the parser's cost. Sentence
    starts must be set before ``ner``, which does not let an entity cross one. (The
    attribute ruler's few rules that read dependency labels set only function words' part
    of speech, never the PROPN and ADJ that recognition reads.)"""
    senter = "senter" in nlp.component_names and "parser" in nlp.pipe_names
    skipped = {"lemmatizer", "parser"} if senter else {"lemmatizer"}
    return [name for name in nlp.component_names
            if name == "senter" and senter or name in nlp.pipe_names and name not in skipped]


def parse_for_geo(
    texts: Iterable[str], nlp: Language, batch_size: int = 16
) -> Iterator[Doc]:
    """``nlp.pipe`` with only :func:`geo_components` run. The pipeline object itself is
    not changed (no enable/disable), so it stays safe to share with other stages and
    threads, and :func:`geoparse_doc` still finds its lemmatizer's word list."""
    docs: Iterable[Doc] = (nlp.make_doc(text) for text in texts)
    for name in geo_components(nlp):
        proc = nlp.get_pipe(name)
        if hasattr(proc, "pipe"):
            docs = proc.pipe(docs, batch_size=batch_size)
        else:
            docs = map(proc, docs)
    return iter(docs)


def geoparse(text: str, model: str | None = None,
             country_bias: Collection[str] | None = None) -> list[Toponym]:
    """Place names in ``text``, resolved (parsed by :func:`parse_for_geo` with the shared
    spaCy pipeline; a long text in :func:`~eventscope.nlp.windows`). ``country_bias``: as
    for :func:`geoparse_doc`."""
    if not text.strip():
        return []
    found = next(_geoparse_texts([text], load_nlp(model), 1, country_bias, None))
    assert not isinstance(found, Skipped)  # no budget here
    return found


def _shifted(toponyms: list[Toponym], offset: int) -> list[Toponym]:
    if not offset:
        return toponyms
    return [t.model_copy(update={"start": t.start + offset, "end": t.end + offset})
            for t in toponyms]


def _geoparse_texts(texts: Iterable[str], nlp: Language, batch_size: int,
                    country_bias: Collection[str] | None, budget: float | None,
                    ) -> Iterator[list[Toponym] | Skipped]:
    """Each text's toponyms, or :class:`Skipped` when geoparsing it ran past ``budget``
    seconds. Long texts are parsed and resolved a window at a time."""
    pieces = pipe_pieces(texts, lambda part: parse_for_geo(part, nlp, batch_size))
    for _, found in per_text(pieces, lambda _n, offset, doc: _shifted(
            geoparse_doc(doc, nlp, country_bias), offset), budget):
        yield found


def _geoparse_chunk(texts: list[str], *, country_bias: Collection[str] | None,
                    budget: float | None) -> list[list[Toponym] | Skipped]:
    nlp = load_nlp(worker_model())  # inherited from the parent through fork(): no reload
    return list(_geoparse_texts(texts, nlp, len(texts), country_bias, budget))


def geoparse_many(
    texts: Iterable[str], *, model: str | None = None, n_process: int = 1, batch_size: int = 16,
    country_bias: Collection[str] | None = None, budget: float | None = None,
) -> Iterator[list[Toponym] | Skipped]:
    """The toponyms of each text, in input order, the same as :func:`geoparse` gives; a
    text whose geoparsing runs past ``budget`` seconds (default: EVENTSCOPE_TIME_BUDGET,
    see :mod:`eventscope.budget`; 0 for none) gives :class:`~eventscope.budget.Skipped`
    with the reason instead, and the rest go on.

    Texts are parsed ``batch_size`` at a time, long ones a window at a time. With
    ``n_process > 1``, forked worker processes each parse and geoparse whole chunks and
    send back only the toponyms (not the Docs, as ``nlp.pipe(n_process=...)`` would,
    leaving the geoparsing to the parent); the model, gazetteer and word lists are loaded
    in the parent first, so the workers share those memory pages instead of loading their
    own. The input is read only a few chunks ahead of the output."""
    nlp = load_nlp(model)
    seconds = default_budget() if budget is None else budget
    if n_process <= 1:
        yield from _geoparse_texts(texts, nlp, batch_size, country_bias, seconds)
        return
    geoparse_doc(next(parse_for_geo(["Warm up in Paris."], nlp)), nlp)
    work = partial(_geoparse_chunk, country_bias=country_bias, budget=seconds)
    for done in forked_map(work, chunks(texts, batch_size), n_process=n_process, model=model):
        yield from done


def precision_of(toponym: Toponym) -> int:
    """ACLED geo-precision: 1 the town or site itself, 2 a second-level or other area,
    3 a first-level region or larger."""
    code = toponym.feature_code or ""
    if code in _WIDE_CODES or code.startswith("PCL"):
        return 3
    if toponym.feature_code is None or code.startswith("ADM"):
        return 2  # unresolved, or a second-level area
    if code in {"AREA", "RGNE", "PRK", "ISL", "VAL", "PLN"}:
        return 2
    return 1  # curated sites (AIRB, NVB, ...) and other spots


def is_demonym(toponym: Toponym) -> bool:
    """True when the mention is a demonym or adjective for its place ("Syrian")."""
    if toponym.geonameid is None:
        return False
    cands = get_gazetteer().lookup_many([fold(toponym.name)]).get(fold(toponym.name), [])
    return any(c.kind == KIND_DEMONYM and c.geonameid == toponym.geonameid for c in cands)
