"""Did it happen, is it hedged, and who says so.

Negation and hedging are read off the trigger's own dependents ("did not attack",
"potential withdrawal", "could attack") and off the words above it, each with the
link that must lead to it: "refrained *from* involvement", "the absence *of* clashes",
"signs *of* withdrawal", "plans *to* attack". Climbing stops at clause boundaries, so
"Despite granting asylum, Russia refrained from ..." does not negate the asylum. A clause
that completes another takes that one's modal or negation ("will send a team to help",
"did not send troops to attack"); an infinitive completing a noun ("a threat to boycott"),
a condition ("if rebels attack") and a question are hedged too.
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
# "mark" for the conditional "if"/"unless"/"whether" that opens the trigger's clause
_HEDGE_DEPS = frozenset({"aux", "advmod", "amod", "det", "npadvmod", "auxpass", "acomp",
                         "mark"})
_NEG_DEPS = frozenset({"neg", "det", "advmod", "preconj"})


@dataclass(frozen=True)
class Modality:
    negated: bool
    hedged: bool
    attribution: str | None
    hedge_cue: str | None = None  # the word that hedges ("will", "potential", "plan")
    negation_cue: str | None = None
    intent: bool = False  # the hedge states the actor's own intent ("will", "plans to")


def _governed(token: Token, governors: dict[str, frozenset[str]],
              steps: int = 5) -> tuple[str, str] | None:
    """The governing cue word above ``token`` reached through its required link, with
    that link ("xcomp", "ccomp", "of", ...)."""
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
                return lemma, link
        if cur.dep_ in _STOP:
            return None
        cur = head
    return None


def _unrealised_infinitive(trigger: Token) -> bool:
    """"a threat to boycott", "pressure to help", "permission to strike": an infinitive
    that completes a noun names an act in prospect, not one that took place."""
    cur = trigger
    for _ in range(3):
        if cur.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children):
            noun = cur.head
            in_order = noun.lower_ == "order" and noun.head.lower_ == "in"  # purpose
            return cur.dep_ == "acl" and noun.pos_ in ("NOUN", "PROPN") and not in_order
        if cur.dep_ not in ("dobj", "pobj", "prep", "compound") or cur.head.i == cur.i:
            return False
        cur = cur.head  # "a plan to launch attacks": up from the noun to its verb
    return False


def _hedge_word(tok: Token, cues: Cues) -> bool:
    """``tok`` is a hedge modifier, and not a name spelled like one: "Around 2 May" is the
    month the parser may read as the modal."""
    return tok.lower_ in cues.hedge_modifiers and not (tok.text[:1].isupper()
                                                        and not tok.is_sent_start)


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
    if found := _governed(trigger, cues.neg_governors):
        return found[0]
    # "did not send troops to attack": what a clause that did not happen was for did not
    # happen either ("did not attack but shelled" is no such link: conjuncts stand alone)
    for verb in _enclosing_clauses(trigger, conj=False):
        if cue := _neg_child(verb, cues):
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


def _enclosing_clauses(trigger: Token, conj: bool = True) -> list[Token]:
    """The verbs whose clause the trigger's clause completes or continues, nearest first:
    "will send a team *to help*", "will fly to Cairo *and meet*" (with ``conj``). A clause
    with its own subject, or one opened by "when" or "after", stands on its own."""
    out: list[Token] = []
    cur = trigger
    links = ("xcomp", "advcl", "conj", "aux") if conj else ("xcomp", "advcl", "aux")
    for _ in range(3):
        link = cur.dep_  # aux: the parser's "to [help] identify"
        if link not in links or cur.head.i == cur.i:
            break
        if link == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in cur.children):
            break
        if link == "advcl" and not any(c.dep_ == "aux" and c.lower_ == "to"
                                       for c in cur.children):
            break
        cur = cur.head
        out.append(cur)
    return out


def _inherited_modal(trigger: Token, cues: Cues) -> str | None:
    """A modal of an enclosing clause: "will send a team to help"."""
    for verb in _enclosing_clauses(trigger):
        for c in verb.children:
            if c.dep_ == "aux" and c.tag_ == "MD" and _hedge_word(c, cues):
                return c.lower_
    return None


def hedge_cue(sent: Span, trigger: Token, governor: Token | None,
              cues: Cues) -> tuple[str, bool] | None:
    """The word that makes the event uncertain, planned or merely possible, if any, and
    whether it states the actor's own intent ("will attack", "plans to attack"; not
    "wants Putin to attack", where the intent is another's)."""
    # a bare noun trigger that is the subject takes its predicate's hedge: "talks are
    # likely to resume", "new attacks could follow"; a definite one names a known act
    # whose existence the hedge does not touch ("the attack is likely linked to ...")
    predicate = trigger.head if trigger.dep_ in ("nsubj", "nsubjpass") and not any(
        c.dep_ in ("det", "poss") and c.lower_ not in ("a", "an", "no")
        for c in trigger.children) else None
    found = _governed(trigger, cues.hedge_governors)
    # a clause someone else expects, fears or wants ("analysts predict the army will
    # retake Gao") states no intent of its own actor
    anothers = found is not None and found[1] == "ccomp"
    for tok in (trigger, governor, predicate):
        if tok is None:
            continue
        for c in tok.children:
            if c.dep_ in _HEDGE_DEPS and _hedge_word(c, cues):
                return c.lower_, (c.lower_ in cues.intent and tok is not predicate
                                  and not anothers)
    if found:
        lemma, link = found
        return lemma, lemma in cues.intent and link != "ccomp"
    if cue := _inherited_modal(trigger, cues):
        return cue, cue in cues.intent
    if _unrealised_infinitive(trigger):
        return "to", False
    return ("?", False) if sent.text.rstrip().endswith("?") else None


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
        attribution=attribution(doc, sent, trigger, cues),
        hedge_cue=hedge[0] if hedge else None, negation_cue=neg,
        intent=hedge is not None and hedge[1],
    )
