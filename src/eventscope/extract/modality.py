"""Did it happen, is it hedged, and who says so.

Negation and hedging are read off the trigger's own dependents ("did not attack",
"potential withdrawal", "could attack") and off the words above it, each with the
link that must lead to it: "refrained *from* involvement", "the absence *of* clashes",
"signs *of* withdrawal", "plans *to* attack". Climbing stops at clause boundaries, so
"Despite granting asylum, Russia refrained from ..." does not negate the asylum.
Attribution is the subject of a speech verb the event is reported under ("X said",
"reports indicate") or the object of "according to".
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from .actors import phrase_tokens, span_text
from .lexicon import Cues

_STOP = frozenset({"advcl", "relcl", "conj", "parataxis", "ROOT", "acl", "csubj"})
_NEG_LINKS = frozenset({"xcomp", "dobj", "nsubjpass", "attr", "pcomp"})
_HEDGE_DEPS = frozenset({"aux", "advmod", "amod", "det", "npadvmod", "auxpass"})
_NEG_DEPS = frozenset({"neg", "det", "advmod", "preconj"})


@dataclass(frozen=True)
class Modality:
    negated: bool
    hedged: bool
    attribution: str | None
    hedge_cue: str | None = None  # the word that hedges ("will", "potential", "plan")
    negation_cue: str | None = None
    intent: bool = False  # the hedge states the actor's own intent ("will", "plans to")


def _governed(token: Token, governors: dict[str, frozenset[str]], steps: int = 5) -> str | None:
    """The governing cue word above ``token`` reached through its required link."""
    cur = token
    for _ in range(steps):
        head = cur.head
        if head.i == cur.i:
            return None
        lemma = head.lemma_.lower()
        allowed = governors.get(lemma) or governors.get(head.lower_)
        if allowed is not None:
            link = cur.lower_ if cur.dep_ in ("prep", "prt", "aux") else cur.dep_
            if link in allowed or cur.dep_ in allowed:
                return lemma
        if cur.dep_ in _STOP:
            return None
        cur = head
    return None


def _neg_child(token: Token, cues: Cues) -> str | None:
    for c in token.children:
        if c.dep_ in _NEG_DEPS and c.lower_ in cues.neg_modifiers:
            return c.lower_
    return None


def negation_cue(trigger: Token, governor: Token | None, cues: Cues) -> str | None:
    """The word that says the event did not happen, if any."""
    for tok in (trigger, governor):
        if tok is not None and (cue := _neg_child(tok, cues)):
            return cue
    if cue := _governed(trigger, cues.neg_governors):
        return cue
    # "did not decide to attack", "did not launch attacks"
    cur = trigger
    for _ in range(3):
        if cur.dep_ not in _NEG_LINKS or cur.head.i == cur.i:
            break
        cur = cur.head
        if cue := _neg_child(cur, cues):
            return cue
    return None


def hedge_cue(sent: Span, trigger: Token, governor: Token | None, cues: Cues) -> str | None:
    """The word that makes the event uncertain, planned or merely possible, if any."""
    for tok in (trigger, governor):
        if tok is None:
            continue
        for c in tok.children:
            if c.dep_ in _HEDGE_DEPS and c.lower_ in cues.hedge_modifiers:
                return c.lower_
    if cue := _governed(trigger, cues.hedge_governors):
        return cue
    return "?" if sent.text.rstrip().endswith("?") else None


def _speaker(doc: Doc, verb: Token) -> str | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            tokens = phrase_tokens(c, with_conj=True)
            text = span_text(doc, tokens)
            if tokens and tokens[0].pos_ != "PROPN" and not text[:1].isdigit():
                text = text[:1].lower() + text[1:]
            return text
    return None


def attribution(doc: Doc, sent: Span, trigger: Token, cues: Cues) -> str | None:
    """Who the text says reported the event, as written."""
    cur = trigger
    for _ in range(6):
        head = cur.head
        if head.i == cur.i:
            break
        if (head.lemma_.lower() in cues.speech_verbs and head.pos_ in ("VERB", "AUX")
                and cur.dep_ in ("ccomp", "dobj", "xcomp", "parataxis", "advcl", "conj")):
            speaker = _speaker(doc, head)
            if speaker:
                return speaker
        if cur.dep_ in ("relcl",):
            break
        cur = head
    root = cur
    for c in root.children:
        if c.dep_ in ("parataxis", "advcl", "ccomp") and c.lemma_.lower() in cues.speech_verbs:
            if not any(g.dep_ == "ccomp" for g in c.children):
                speaker = _speaker(doc, c)
                if speaker:
                    return speaker
    for tok in sent:
        if tok.lower_ in cues.according:
            for to in tok.children:
                pobj = next((g for g in to.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    return span_text(doc, phrase_tokens(pobj, with_conj=True))
            nxt = tok.nbor(1) if tok.i + 1 < sent.end else None
            if nxt is not None and nxt.lower_ == "to":
                pobj = next((g for g in nxt.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    return span_text(doc, phrase_tokens(pobj, with_conj=True))
    return None


def modality(doc: Doc, sent: Span, trigger: Token, governor: Token | None,
             cues: Cues) -> Modality:
    neg = negation_cue(trigger, governor, cues)
    hedge = hedge_cue(sent, trigger, governor, cues)
    return Modality(
        negated=neg is not None, hedged=hedge is not None,
        attribution=attribution(doc, sent, trigger, cues), hedge_cue=hedge, negation_cue=neg,
        intent=hedge is not None and hedge in cues.intent,
    )
