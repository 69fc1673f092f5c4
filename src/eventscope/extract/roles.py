"""Who did it and to whom: actor and target heads of a trigger from the dependency parse.

Verbs: the subject is the actor and the object the target; in the passive the "by"
phrase is the actor and the subject the target. A verb without a subject borrows one
from the clause it hangs on ("decided to evacuate", "was spotted heading", "Despite
granting asylum, Russia ..."), or from the noun it modifies ("forces pulling out",
"insurgents who attacked"). Nouns: "an attack by X on Y", "X's withdrawal", "Russian
withdrawal", "clashes between X and Y", and a light verb's subject ("X launched an
offensive", "X held talks").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from .actors import PRONOUNS, RELATIVES
from .lexicon import load_cues
from .triggers import TriggerMatch

_SUBJ = frozenset({"nsubj", "csubj"})
_OBJ = frozenset({"dobj", "dative", "attr", "oprd"})
# Types whose "of" argument is the one doing it ("the withdrawal of troops").
_OF_IS_ACTOR = frozenset({"RETREAT", "MOBILIZE", "PROTEST", "CONSULT", "AGREE"})
# Prepositions whose object is the target, by event type (None: any type).
_TARGET_PREPS: dict[str, frozenset[str] | None] = {
    "against": None, "on": frozenset({"ASSAULT", "SANCTION", "COERCE", "THREATEN", "ACCUSE",
                                      "REQUEST", "CONSULT", "AGREE"}),
    "with": frozenset({"CONSULT", "AGREE", "COOPERATE", "ASSAULT"}),
    "at": frozenset({"ASSAULT"}),
    "to": frozenset({"AID", "REQUEST", "SUPPORT", "CONCEDE", "THREATEN"}),
    "of": None,
}
# Types whose direct object can be the place itself ("shelled Aleppo").
_PLACE_OBJECT = frozenset({"ASSAULT", "COERCE", "MOBILIZE", "PROTEST"})
_SYMMETRIC = frozenset({"AGREE", "CONSULT", "COOPERATE", "ASSAULT"})


@dataclass
class Roles:
    actor: Token | None = None
    target: Token | None = None
    governor: Token | None = None  # the verb a nominal trigger is the object of
    target_is_place: bool = False


def _child(token: Token, deps: frozenset[str] | set[str]) -> Token | None:
    for c in token.children:
        if c.dep_ in deps:
            return c
    return None


def _agent_pobj(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            return _child(c, {"pobj"})
    return None


def _fronted_subject(verb: Token) -> Token | None:
    """The subject the parser hung on a fronted place phrase: in "On 9 May, in Sucre,
    Chuquisaca, health workers staged a demonstration" it reads "health workers" as an
    apposition of the place. A common noun in apposition there is the subject."""
    for c in verb.children:
        if c.dep_ != "prep" or c.i > verb.i:
            continue
        for t in c.subtree:
            if t.dep_ == "appos" and t.pos_ == "NOUN" and t.i < verb.i:
                return t
    return None


def _passive_agent_elsewhere(verb: Token) -> Token | None:
    """The agent of a passive given once for coordinated verbs ("6 were killed and 4
    wounded by airstrikes"), or by the operation the act happened in ("killed during
    operations carried out by the gendarmerie")."""
    for other in [c for c in verb.children if c.dep_ == "conj"] + (
            [verb.head] if verb.dep_ == "conj" else []):
        agent = _agent_pobj(other)
        if agent is not None:
            return agent
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "during", "following", "after", "amid"):
            pobj = _child(c, {"pobj"})
            if pobj is not None:
                agent = agent_behind(pobj)
                if agent.i != pobj.i:
                    return agent
    return None


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
        verb.dep_ == "acl" and verb.tag_ == "VBN"
    )


def verb_roles(verb: Token, depth: int = 0) -> tuple[Token | None, Token | None]:
    """(actor, patient) heads for a verb, borrowing a subject from above when missing."""
    passive = _is_passive(verb)
    if (passive and verb.dep_ == "acl" and _agent_pobj(verb) is None
            and verb.lemma_.lower() in load_cues().intransitive_participles):
        return verb.head, _child(verb, _OBJ)  # "youths protested in X": the youths did
    actor = _agent_pobj(verb) if passive else _child(verb, _SUBJ)
    if actor is None and verb.tag_ == "VBG":
        actor = _agent_pobj(verb)  # "shelling by government forces"
    if actor is None and not passive:
        actor = _fronted_subject(verb)
    if actor is None and passive:
        actor = _passive_agent_elsewhere(verb)
    patient = _child(verb, {"nsubjpass"}) if passive else _child(verb, _OBJ)
    if passive and patient is None and verb.dep_ == "acl":
        patient = verb.head
    if actor is not None and actor.lower_ in RELATIVES and verb.dep_ == "relcl":
        actor = verb.head
    if patient is not None and patient.lower_ in RELATIVES and verb.dep_ == "relcl":
        patient = verb.head
    if actor is not None or depth > 3 or verb.head.i == verb.i:
        return actor, patient
    head, dep = verb.head, verb.dep_
    if dep == "xcomp":
        h_actor, h_patient = verb_roles(head, depth + 1)
        if _is_passive(head) or (
            h_patient is not None and h_patient.i < verb.i
            and head.lemma_.lower() in load_cues().object_control
        ):
            # "was spotted heading": the one spotted heads; "ordered troops to withdraw"
            return h_patient, patient
        return h_actor, patient
    if dep == "acomp":  # "is willing to withdraw"
        return verb_roles(head, depth + 1)[0], patient
    if dep == "conj":
        if head.pos_ in ("NOUN", "PROPN") and head.dep_ == "ROOT":
            # the small model's noun-rooted parse of "soldiers ... crossed and took over"
            return head, patient
        return verb_roles(head, depth + 1)[0], patient
    if dep == "acl" and not passive:
        return head, patient
    if dep == "pcomp" and head.dep_ == "prep":
        # "accused JNIM of planning", "arrested them for looting": the object does it
        h_actor, h_patient = verb_roles(head.head, depth + 1)
        if h_patient is not None and h_patient.i < verb.i:
            return h_patient, patient
    if dep in ("advcl", "pcomp", "prep", "pobj"):
        anc = head
        while anc.pos_ not in ("VERB", "AUX") and anc.head.i != anc.i:
            anc = anc.head
        if anc.pos_ in ("VERB", "AUX"):
            return verb_roles(anc, depth + 1)[0], patient
    return None, patient


def _noun_prep_args(noun: Token) -> dict[str, Token]:
    """Prepositional arguments of a noun, first by preposition word."""
    args: dict[str, Token] = {}
    for c in noun.children:
        if c.dep_ in ("prep", "agent"):
            pobj = _child(c, {"pobj", "pcomp"})
            if pobj is not None:
                args.setdefault(c.lower_, pobj)
    return args


def _between(args: dict[str, Token]) -> tuple[Token | None, Token | None]:
    first = args.get("between") or args.get("among")
    if first is None:
        return None, None
    second = _child(first, {"conj"})
    return first, second


def noun_roles(match: TriggerMatch, attitude_verbs: frozenset[str] = frozenset()) -> Roles:
    noun = match.token
    etype = match.entry.event_type
    roles = Roles()
    args = _noun_prep_args(noun)
    roles.actor = args.get("by")
    a, b = _between(args)
    if roles.actor is None and a is not None:
        roles.actor, roles.target = a, b
    if roles.actor is None:
        roles.actor = _child(noun, {"poss"})
    if roles.actor is None:
        # "Russian withdrawal", "Israeli airstrike": a modifier naming a party
        for c in noun.children:
            if c.dep_ in ("amod", "compound") and (c.ent_type_ in ("NORP", "GPE", "ORG")):
                roles.actor = c
                break
    if "of" in args:
        if etype in _OF_IS_ACTOR and roles.actor is None:
            roles.actor = args["of"]
        elif roles.target is None:
            roles.target = args["of"]
    for prep, pobj in args.items():
        allowed = _TARGET_PREPS.get(prep, frozenset())
        if prep != "of" and roles.target is None and (allowed is None or etype in allowed):
            roles.target = pobj
    phrase = noun
    while phrase.dep_ == "compound" and phrase.head.i != phrase.i:
        phrase = phrase.head  # "launched a mediation effort": the effort is launched
    if roles.actor is None and phrase.i != noun.i and etype == "ASSAULT":
        # "a shelling exchange between X and Y" ("a mediation effort between X and Y"
        # is the mediator's, whose parties are not its actors)
        a, b = _between(_noun_prep_args(phrase))
        if a is not None:
            roles.actor, roles.target = a, roles.target or b
    head = phrase.head
    if (phrase.dep_ in ("dobj", "nsubjpass", "attr", "oprd") and head.pos_ in ("VERB", "AUX")
            and head.lemma_.lower() not in attitude_verbs):
        # "X launched an offensive": X's. ("X condemned the attack" is not X's attack.)
        roles.governor = head
        h_args = _noun_prep_args(head)
        a, b = _between(h_args)
        if roles.actor is None and a is not None:
            roles.actor, roles.target = a, roles.target or b
        if roles.actor is None:
            roles.actor = verb_roles(head)[0]
        if roles.target is None:
            for prep, pobj in h_args.items():
                allowed = _TARGET_PREPS.get(prep, frozenset())
                if prep not in ("of", "by") and (allowed is None or etype in allowed):
                    roles.target = pobj
                    break
    elif phrase.dep_ == "nsubj" and head.pos_ in ("VERB", "AUX") and roles.actor is None:
        # "clashes took place between X and Y", "fighting erupted between X and Y"
        roles.actor, second = _between(_noun_prep_args(head))
        roles.target = roles.target or second
    elif noun.dep_ == "pobj" and roles.actor is None:
        up = head.head
        if up.pos_ == "NOUN":
            # "Russia's intervention in support of Assad": the governing noun's party
            roles.actor = _child(up, {"poss"})
        elif head.lower_ in ("in", "for") and up.pos_ in ("VERB", "AUX"):
            # "forces engaged in fighting", "gathered for a rally": whoever is in it
            roles.actor = verb_roles(up)[0]
    return roles


def verb_trigger_roles(match: TriggerMatch) -> Roles:
    verb = match.token
    etype = match.entry.event_type
    actor, patient = verb_roles(verb)
    if patient is not None and patient.lemma_.lower() == match.entry.child:
        patient = None  # "grant asylum to X": the phrase's own word is not the target
    roles = Roles(actor=actor, target=patient)
    args = _noun_prep_args(verb)
    if match.entry.child:
        for c in verb.children:
            if c.lemma_.lower() == match.entry.child:
                for prep, pobj in _noun_prep_args(c).items():
                    args.setdefault(prep, pobj)  # "granted asylum to X"
    a, b = _between(args)
    if roles.actor is None and a is not None:
        roles.actor, roles.target = a, b
    if roles.target is None:
        for prep, pobj in args.items():
            allowed = _TARGET_PREPS.get(prep, frozenset())
            if prep not in ("of", "by") and (allowed is None or etype in allowed):
                roles.target = pobj
                break
    if (roles.target is not None and patient is not None and roles.target.i == patient.i
            and roles.target.ent_type_ in ("GPE", "LOC", "FAC") and etype in _PLACE_OBJECT):
        roles.target_is_place = True  # "insurgents attacked Damascus"
    return roles


def modal_roles(match: TriggerMatch) -> Roles:
    """"X said Y must go": X demands, of Y."""
    verb = match.token
    target = _child(verb, _SUBJ | {"nsubjpass"})
    anc = verb.head
    actor = None
    for _ in range(3):
        if anc.pos_ in ("VERB", "AUX"):
            actor = verb_roles(anc)[0]
        elif anc.dep_ in ("dobj", "nsubjpass") and anc.head.pos_ in ("VERB", "AUX"):
            actor = verb_roles(anc.head)[0]  # "issued a reminder that ..."
        if actor is not None or anc.head.i == anc.i:
            break
        anc = anc.head
    return Roles(actor=actor, target=target)


def trigger_roles(match: TriggerMatch, sent: Span,
                  attitude_verbs: frozenset[str] = frozenset()) -> Roles:
    """Roles of a trigger; ``attitude_verbs`` are verbs whose object is someone else's
    act (condemn, deny, welcome): a nominal trigger under them keeps no actor of theirs."""
    if match.modal:
        roles = modal_roles(match)
    else:
        roles = (noun_roles(match, attitude_verbs) if match.nominal
                 else verb_trigger_roles(match))
    etype = match.entry.event_type
    if roles.actor is not None and roles.actor.lower_ in PRONOUNS:
        roles.actor = resolve_pronoun(roles.actor, sent)
    if roles.actor is not None and roles.target is None and etype in _SYMMETRIC:
        # "Jordan and Britain agreed": the second conjunct is the other party
        roles.target = _child(roles.actor, {"conj"})
    if roles.target is not None and (roles.target.i == match.token.i
                                     or roles.target.ent_type_ in ("DATE", "TIME")):
        roles.target = None
    return roles


def agent_behind(actor: Token) -> Token:
    """The party behind an act or a weapon named as the subject: "shelling by Afghan
    forces hit a house" is the forces' act, "a bomb carried by militants exploded" the
    militants'."""
    if actor.pos_ != "NOUN" and actor.tag_ != "VBG":  # "shelling" is often tagged a verb
        return actor
    agent = _agent_pobj(actor)
    if agent is None:
        for c in actor.children:
            if c.dep_ == "acl" and c.tag_ == "VBN":
                agent = _agent_pobj(c)
                break
    return agent if agent is not None else actor


def resolve_pronoun(pron: Token, sent: Span) -> Token | None:
    """A personal pronoun's antecedent: the nearest subject above it that is a noun,
    else the first subject of the previous sentence."""
    anc = pron.head
    while anc.head.i != anc.i:
        anc = anc.head
        subj = _child(anc, _SUBJ)
        if subj is not None and subj.lower_ not in PRONOUNS and subj.i < pron.i:
            return subj
    doc = pron.doc
    start = sent.start - 1
    while start > 0 and not doc[start].is_sent_start:
        start -= 1
    for tok in doc[max(start, 0):sent.start]:
        if tok.dep_ in _SUBJ and tok.pos_ in ("PROPN", "NOUN"):
            return tok
    return None

