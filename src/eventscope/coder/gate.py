"""The learned event gate: does a coded trigger candidate report a political event?

The rules (``triggers`` -> ``roles`` -> ``draft``) propose candidates and stay the
readable first pass; the gate is a logistic regression over general features of each
candidate that keeps or drops it, keeping the lexicon's type (the training data
supports event vs no event far better than a choice among sixteen types):

- the trigger: lemma, lexicon type, strength, noun or verb, two-word entry;
- the dependency path: the trigger's own link, its head's part of speech, how the actor
  and target hang on it;
- the kind of agent and target: coded sector, NER label, pronoun, or a word class
  (natural force, vehicle, substance, device, illness, responder, animal;
  ``data/gate_words.yaml``);
- negation, hedging, intent, attribution; tense and aspect (tag, perfect, modal, "to");
  a date more than a year before publication;
- the sentence's place in the article, quotes, figures words;
- the article's subject: how much of it speaks of a disaster, an accident, sport,
  business, health, crime or politics, and whether the sentence itself does;
- the rules' own verdicts: raw score, subordinate, background, derived.

The weights are a data file (``data/gate.json``) written by
``scripts/train_event_gate.py``, which also says what it was trained on and the
held-out figures. ``EVENTSCOPE_GATE`` names another model file, or ``off`` to code
without the gate (for training and for before/after measures).
"""

from __future__ import annotations

import json
import math
import os
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from spacy.attrs import IS_ALPHA, IS_STOP, LEMMA
from spacy.tokens import Doc, Span, Token

from ..nlp import ModelNotInstalled
from .draft import Draft, features
from .score import EventFeatures, raw_score

REBUILD = "python scripts/train_event_gate.py"
GATE_ENV = "EVENTSCOPE_GATE"
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MODALS = frozenset({"will", "would", "could", "should", "may", "might", "can", "shall",
                     "must", "'ll", "wo", "ca"})
# double quotes only: a single one is as often an apostrophe ("the kingdom's")
_QUOTES = frozenset('"“”')


# the agent kinds of ``gate_words.yaml`` that name no party: pooled, so that what the
# data says of storms also speaks for trucks and boilers
_NONHUMAN = frozenset({"natural_force", "vehicle", "substance", "device", "illness", "animal"})


class GateModelError(ModelNotInstalled):
    """The gate's model file is missing or unreadable (a model the coder needs that is not
    there, so the commands report it as they report a missing spaCy model)."""


@dataclass(frozen=True)
class GateModel:
    weights: dict[str, float]
    bias: float
    threshold: float
    path: str

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * value
                            for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def keeps(self, features: dict[str, float]) -> bool:
        return self.probability(features) >= self.threshold


def default_model_path() -> Path:
    return Path(str(resources.files("eventscope.coder") / "data" / "gate.json"))


def read_model(path: Path) -> GateModel:
    """The gate model in ``path``; a one-line :class:`GateModelError` naming the file and
    how to rebuild it when it is missing or corrupt."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        weights = {str(k): float(v) for k, v in raw["weights"].items()}
        return GateModel(weights=weights, bias=float(raw["bias"]),
                         threshold=float(raw["threshold"]), path=str(path))
    except FileNotFoundError:
        problem = "missing"
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        problem = f"corrupt ({type(exc).__name__}: {exc})"
    raise GateModelError(f"event gate model {path} is {problem}; rebuild it with {REBUILD}")


@lru_cache(maxsize=4)
def _load(setting: str) -> GateModel | None:
    if setting.casefold() == "off":
        return None
    return read_model(Path(setting) if setting else default_model_path())


def load_gate() -> GateModel | None:
    """The gate in use: ``EVENTSCOPE_GATE`` (a model file, or ``off``: None), else the
    shipped ``data/gate.json``. Loaded once per setting."""
    return _load(os.environ.get(GATE_ENV, ""))


@dataclass(frozen=True)
class GateWords:
    agents: dict[str, str]  # lemma -> class
    subjects: dict[str, frozenset[str]]  # subject -> lemmas
    figures: frozenset[str]


@lru_cache(maxsize=1)
def load_gate_words() -> GateWords:
    path = resources.files("eventscope.coder") / "data" / "gate_words.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    agents: dict[str, str] = {}
    for cls, words in raw["agents"].items():
        for word in words:
            agents.setdefault(str(word), cls)
    subjects = {name: frozenset(map(str, words)) for name, words in raw["subjects"].items()}
    return GateWords(agents=agents, subjects=subjects, figures=frozenset(raw["figures"]))


@dataclass(frozen=True)
class ArticleSubject:
    """How much of an article speaks of each subject: the share of its content words in
    each class, and the subject that leads."""

    shares: dict[str, float]
    leading: str | None
    published: date | None
    n_sentences: int


@lru_cache(maxsize=1)
def _subjects_by_lemma() -> dict[str, tuple[str, ...]]:
    """Each subject lemma and the article subjects (disaster, sport, ...) it counts for."""
    out: dict[str, list[str]] = {}
    for name, lemmas in load_gate_words().subjects.items():
        for lemma in lemmas:
            out.setdefault(lemma, []).append(name)
    return {lemma: tuple(names) for lemma, names in out.items()}


def article_subject(doc: Doc, published: date | None) -> ArticleSubject:
    words = load_gate_words()
    subjects_of = _subjects_by_lemma()
    # One pass over the token array (not Token objects): this runs on every article.
    rows = doc.to_array([LEMMA, IS_ALPHA, IS_STOP]).reshape(-1, 3)
    content_rows = rows[(rows[:, 1] == 1) & (rows[:, 2] == 0)]
    content = len(content_rows)
    counts: Counter[str] = Counter()
    for lemma_id, n in Counter(content_rows[:, 0].tolist()).items():
        for name in subjects_of.get(str(doc.vocab.strings[lemma_id]).lower(), ()):
            counts[name] += n
    shares = {name: counts[name] / content if content else 0.0 for name in words.subjects}
    leading = max(shares, key=lambda n: shares[n]) if counts else None
    return ArticleSubject(shares=shares, leading=leading, published=published,
                          n_sentences=sum(1 for _ in doc.sents))


def _kind(tok: Token | None, sector: str | None, words: GateWords) -> str:
    """What kind of party or thing ``tok`` names."""
    if tok is None:
        return "none"
    lemma = tok.lemma_.lower()
    cls = words.agents.get(lemma)
    if cls is not None and not sector:
        return cls
    if sector:
        return "sector"
    if tok.pos_ == "PRON":
        return "pronoun"
    if tok.ent_type_:
        return "ent"
    if tok.pos_ == "PROPN":
        return "propn"
    return "noun" if tok.pos_ == "NOUN" else "other"


def _modifier_classes(tok: Token | None, words: GateWords) -> set[str]:
    """Word classes of the phrase's modifiers ("gas explosion", "the fire's heat")."""
    if tok is None:
        return set()
    return {cls for c in tok.children if c.dep_ in ("compound", "amod", "poss", "nmod")
            and (cls := words.agents.get(c.lemma_.lower())) is not None}


def _bucket(value: float, edges: tuple[float, ...]) -> int:
    return sum(value >= e for e in edges)


def gate_features(d: Draft, sent: Span, sent_index: int, subject: ArticleSubject,
                  scored: EventFeatures | None = None) -> dict[str, float]:
    """The gate's features of one candidate (names -> values; absent means 0)."""
    words = load_gate_words()
    tok = d.match.token
    entry = d.match.entry
    etype = entry.event_type
    lemma = tok.lemma_.lower()
    f: dict[str, float] = {"bias_term": 0.0}

    def on(name: str, value: float = 1.0) -> None:
        f[name] = f.get(name, 0.0) + value

    # the trigger and its lexicon entry
    on(f"type={etype}")
    on(f"lemma={lemma}")
    on(f"lemma_type={lemma}|{etype}")
    on("strength", entry.strength)
    on(f"pos={entry.pos}")
    on(f"pos_type={entry.pos}|{etype}")
    if entry.child:
        on("two_word")
    if entry.requires:
        on(f"requires={entry.requires}")
    if d.derived:
        on("derived")
        on(f"derived_type={etype}")
    # the rules' verdicts
    scored = scored or features(d)
    on("raw_score", raw_score(scored))
    # A derived event (an AGREE or THREATEN read from "will help", "would blockade") is
    # what its modal says: the modal, tense and hedge that make a plain event unreal are
    # its substance, so they get features of their own.
    how = "derived_" if d.derived else ""
    for name in ("subordinate", "background", "has_date_text", "hedged", "negated",
                 "attributed", "place_argument", "place_sentence", "nominal"):
        value = getattr(scored, name)
        if value:
            on(f"{how if name in ('hedged', 'negated') else ''}rule_{name}", value)
    if d.modality.intent:
        on(f"{how}intent")
    # dependency path
    on(f"dep={tok.dep_}")
    on(f"head_pos={tok.head.pos_}" if tok.head.i != tok.i else "head_pos=ROOT")
    if tok.dep_ == "ROOT":
        on("is_root")
    if tok.dep_ == "pobj":
        on(f"prep={tok.head.lower_}")
    if d.roles.governor is not None:
        on(f"governor={d.roles.governor.lemma_.lower()}")
    actor_tok = d.roles.actor
    if actor_tok is not None:
        on(f"actor_dep={actor_tok.dep_}")
    if d.roles.target is not None:
        on(f"target_dep={d.roles.target.dep_}")
    # tense, aspect, modals
    on(f"{how}tag={tok.tag_}")
    for c in tok.children:
        low = c.lower_
        if c.dep_ in ("aux", "auxpass"):
            if low in _MODALS:
                on(f"{how}modal_aux")
                on(f"{how}modal={low}")
            elif c.lemma_.lower() == "have":
                on("perfect")
            elif low == "to":
                on(f"{how}to_infinitive")
        if c.dep_ == "auxpass":
            on("passive")
        if c.dep_ == "neg":
            on("neg_child")
    if tok.dep_ in ("xcomp", "ccomp", "advcl", "relcl", "acl", "pcomp"):
        on(f"clause={tok.dep_}")
    # the agent and the target
    actor = d.actor
    sector = actor.sector if actor is not None else None
    akind = _kind(actor_tok, sector, words)
    on(f"actor_kind={akind}")
    on(f"actor_kind_type={akind}|{etype}")
    if sector:
        on(f"actor_sector={sector}")
    if actor is not None and actor.country:
        on("actor_country")
    if actor_tok is not None and actor_tok.ent_type_:
        on(f"actor_ent={actor_tok.ent_type_}")
    if akind in _NONHUMAN:
        on("actor_nonhuman")
    for cls in _modifier_classes(actor_tok, words):
        on(f"actor_mod={cls}")
        if cls in _NONHUMAN:
            on("actor_nonhuman_modifier")
    target_sector = d.target.sector if d.target is not None else None
    tkind = _kind(d.roles.target, target_sector, words)
    on(f"target_kind={tkind}")
    if tkind in _NONHUMAN:
        on("target_nonhuman")
    if d.roles.target is not None and d.roles.target.ent_type_:
        on(f"target_ent={d.roles.target.ent_type_}")
    for cls in _modifier_classes(tok, words):
        on(f"trigger_mod={cls}")
    # the sentence
    sent_lemmas = {t.lemma_.lower() for t in sent if t.is_alpha}
    for name, lemmas in words.subjects.items():
        if sent_lemmas & lemmas:
            on(f"sent_subject={name}")
    if any(words.agents.get(lem) == "natural_force" for lem in sent_lemmas):
        on("sent_natural_force")
        on(f"sent_natural_force_type={etype}")
    if sent_lemmas & words.figures:
        on("sent_figures")
    text = sent.text
    if any(q in text for q in _QUOTES):
        on("quote")
    if text.rstrip().endswith("?"):
        on("question")
    on(f"sent_len={_bucket(len(sent), (8, 16, 30, 50))}")
    if subject.n_sentences < 3:
        # a snippet, not an article: no headline, lead or background to place it in
        on("snippet")
    else:
        on(f"sent_pos={_bucket(sent_index, (1, 3, 6, 12))}")
        on("sent_rel", sent_index / subject.n_sentences)
    if any(t.ent_type_ == "PERSON" for t in sent):
        on("sent_has_person")
    # dates: background years back
    published = subject.published
    if published is not None:
        years = [int(y) for y in _YEAR.findall(text)]
        if any(y < published.year - 1 for y in years):
            on("old_year_in_sentence")
        if d.date is not None:
            try:
                age = (published - date.fromisoformat(d.date.date[:10])).days
            except ValueError:
                age = 0
            if age > 365:
                on("date_old")
            elif age < -2:
                on("date_future")
    # the article's subject
    for name, share in subject.shares.items():
        on(f"article_{name}", min(share * 10.0, 1.0))
    if subject.leading:
        on(f"article_leading={subject.leading}")
        on(f"article_leading_type={subject.leading}|{etype}")
    f.pop("bias_term")
    return f


__all__ = [
    "ArticleSubject", "GateModel", "GateModelError", "GATE_ENV", "REBUILD", "article_subject",
    "default_model_path", "gate_features", "load_gate", "load_gate_words",
    "read_model",
]
