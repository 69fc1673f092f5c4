"""The span filter: is a recognised, resolved name a place in this text, or a person's
name, part of an organisation's name, a word?

Recognition takes a capitalised word that the gazetteer knows as a place unless a rule
says otherwise; in local news that admits surnames ("Grant said"), the heads of
organisations' names ("Trinity Episcopal Church") and foreign namesakes that put events
in the wrong country. Rather than one more rule per case, each mention gets a vector of
general features of its words, its neighbours, the rest of the document and its
resolution, and gradient-boosted trees trained on the development corpora
(``scripts/train_geo_filter.py``, document-grouped cross-validation, written to
``data/span_filter.json``) give the odds that it is a place. Mentions under the
threshold stored with the model are dropped. Without a model file nothing is dropped.
"""

from __future__ import annotations

import json
import math
import os
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from .gazetteer import DATA_DIR, KIND_DEMONYM, Place
from .recognize import POSSESSIVE, Mention, _word_list
from .resolve import COUNTRY_CODES, TreeRanker, _proximity

FILTER_ENV = "EVENTSCOPE_GEO_FILTER"

FEATURES = (
    "label_gpe", "label_loc", "label_fac", "label_norp", "label_gaz", "ent_person",
    "ent_org", "n_tokens", "cap_before", "cap_after", "org_head_after", "title_before",
    "locative_before", "the_before", "said_near", "possessive_after", "sent_start",
    "all_caps", "dictionary_word", "surname_elsewhere", "place_label_elsewhere",
    "log_repeats", "resolved", "prob", "log_pop", "feature_p", "feature_a", "feature_s",
    "country_or_adm1", "demonym", "log_candidates", "borrowed", "foreign", "log_nearest_km",
)

_SPEECH = frozenset({"said", "says", "told", "added", "asked", "explained", "noted",
                     "stated", "wrote", "according"})


class FilterError(RuntimeError):
    """The span filter's model file cannot be used."""


class SpanFilter:
    """Trees over :data:`FEATURES`; ``threshold`` on the probability of a place."""

    def __init__(self, trees: TreeRanker, threshold: float) -> None:
        self.trees, self.threshold = trees, threshold

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        if not len(rows):
            return np.zeros(0)
        return np.asarray(1.0 / (1.0 + np.exp(-self.trees.scores(rows))))


def load_filter() -> SpanFilter | None:
    """The trained filter (data/span_filter.json, or the file EVENTSCOPE_GEO_FILTER names;
    "none" to turn it off), or None when there is none."""
    name = os.environ.get(FILTER_ENV) or str(DATA_DIR / "span_filter.json")
    return None if name == "none" else _load(name)


@lru_cache(maxsize=4)
def _load(file: str) -> SpanFilter | None:
    path = Path(file)
    if not path.exists():
        return None
    rebuild = "rebuild it with: python scripts/train_geo_filter.py"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise FilterError(f"{path}: made for other features than this version's; {rebuild}")
        return SpanFilter(TreeRanker(data["baseline"], data["trees"]), float(data["threshold"]))
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise FilterError(f"{path}: not a span-filter model ({exc}); {rebuild}") from None


@lru_cache(maxsize=1)
def _words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    return (_word_list("organisation_heads.txt"), _word_list("person_titles.txt"),
            _word_list("locative_prepositions.txt"))


def _capitalised(text: str) -> bool:
    return text[:1].isupper()


def span_features(doc: Doc, mentions: list[Mention],
                  resolved: list[tuple[Place | None, float]],
                  words: frozenset[str]) -> np.ndarray:
    """One row of :data:`FEATURES` per mention (``resolved``: what
    :func:`~eventscope.geo.resolve.resolve` chose; ``words``: the dictionary words)."""
    org_heads, titles, locative = _words()
    # Surnames: the last word of a person's name of two or more words.
    surnames = {e[-1].lower_ for e in doc.ents if e.label_ == "PERSON" and len(e) > 1}
    place_keys = Counter(e.text.lower() for e in doc.ents if e.label_ in {"GPE", "LOC"})
    repeats = Counter(m.key for m in mentions)
    countries = Counter(p.country for p, _ in resolved
                        if p is not None and p.country and p.kind != KIND_DEMONYM)
    main = countries.most_common(1)[0][0] if countries else None
    # How far each reading lies from the nearest town or site that another name gives.
    anchors: dict[str, Place] = {}
    for m, (p, _) in zip(mentions, resolved, strict=True):
        if p is not None and p.feature_class in {"P", "S"}:
            anchors.setdefault(m.key, p)
    queries = {(m.key, p.id): p for m, (p, _) in zip(mentions, resolved, strict=True)
               if p is not None}
    proximity = _proximity(list(queries.items()), list(anchors.items()))
    rows = []
    for m, (place, prob) in zip(mentions, resolved, strict=True):
        span = doc.char_span(m.start, m.end)
        if span is None:  # not on token boundaries: neutral context
            span = doc[0:0]
        a, b = span.start, span.end - 1
        before = doc[a - 1] if a > 0 else None
        after = doc[b + 1] if b + 1 < len(doc) else None
        # The capitalised run after the name, and whether it ends in an organisation word.
        run_end = b + 1
        while run_end < len(doc) and run_end - b <= 5 and _capitalised(doc[run_end].text):
            run_end += 1
        org_after = run_end > b + 1 and doc[run_end - 1].lower_.rstrip(".") in org_heads
        near = [t.lower_ for t in doc[max(0, a - 3) : a]] + [
            t.lower_ for t in doc[b + 1 : b + 4]]
        ent_types = {t.ent_type_ for t in span}
        nearest = proximity[(m.key, place.id)][2] if place is not None else 20_000.0
        code = place.feature_code if place is not None else ""
        rows.append([
            float(m.label == "GPE"), float(m.label == "LOC"), float(m.label == "FAC"),
            float(m.label == "NORP"), float(m.label == "GAZ"), float("PERSON" in ent_types),
            float("ORG" in ent_types), float(len(span)),
            float(before is not None and _capitalised(before.text) and not before.is_sent_start),
            float(after is not None and _capitalised(after.text)),
            float(org_after),
            float(before is not None and before.lower_.rstrip(".") in titles),
            float(before is not None and before.lower_ in locative),
            float(before is not None and before.lower_ == "the"),
            float(any(w in _SPEECH for w in near)),
            float(after is not None and after.lower_ in POSSESSIVE),
            float(len(span) > 0 and bool(span[0].is_sent_start)),
            float(m.text.isupper() and len(m.text) > 1),
            float(m.key in words),
            float(len(span) == 1 and span[0].lower_ in surnames and "PERSON" not in ent_types),
            float(place_keys.get(m.text.lower(), 0) > 0),
            math.log1p(repeats[m.key]),
            float(place is not None),
            prob,
            math.log10(1 + place.population) / 7.0 if place is not None else 0.0,
            float(place is not None and place.feature_class == "P"),
            float(place is not None and place.feature_class == "A"),
            float(place is not None and place.feature_class == "S"),
            float(code in COUNTRY_CODES or code == "ADM1"),
            float(place is not None and place.kind == KIND_DEMONYM),
            math.log1p(len(m.candidates)),
            float(place is not None and place.geonameid is None and prob <= 0.05),
            float(place is not None and main is not None and place.country != main),
            math.log10(1 + nearest) / math.log10(20_001),
        ])
    return np.asarray(rows, dtype=float).reshape(len(rows), len(FEATURES))


def keep(doc: Doc, mentions: list[Mention], resolved: list[tuple[Place | None, float]],
         words: frozenset[str], span_filter: SpanFilter | None = None) -> list[bool]:
    """Which mentions are places in this text, by the filter's threshold (all of them
    when no filter is trained)."""
    span_filter = span_filter or load_filter()
    if span_filter is None or not mentions:
        return [True] * len(mentions)
    probs = span_filter.probabilities(span_features(doc, mentions, resolved, words))
    return [bool(p >= span_filter.threshold) for p in probs]
