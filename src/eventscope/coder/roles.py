"""Who did it and to whom: actor and target heads of a trigger from the dependency parse.

Verbs: the subject is the actor and the object the target; in the passive the "by"
phrase is the actor and the subject the target. The small parser's common misreadings
of report prose are undone where the pattern is clear: a subject hung on a fronted
place phrase or on a heading, a headline verb read as a noun, a participle list. A
verb without a subject borrows one from the clause it hangs on ("decided to evacuate",
"was spotted heading", "Despite granting asylum, Russia ..."), or from the noun it
modifies ("forces pulling out", "insurgents who attacked"). Nouns: "an attack by X on
Y", "X's withdrawal", "Russian withdrawal", "clashes between X and Y", and a light
verb's subject ("X launched an offensive", "X held talks"), but not a verb of force
done to it ("police dispersed the protest"). A clash has two sides: "X and Y clashed"
is X against Y, and so is "an exchange of fire took place between X and Y" or "killed
in a clash between X and Y" (places "between" are no sides). A passive act's party may
be in the clause that caused it ("killed when a Taliban mine exploded"). Headlines with
the verb read as a noun ("Students of X University protest fees") keep their subject.
:func:`is_act_noun` is the one test of "this word names an act, not who acted".
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from .actors import PRONOUNS, RELATIVES
from .lexicon import (
    ARMED_SECTORS,
    load_actor_dictionary,
    load_cues,
    load_event_nouns,
    load_triggers,
)
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
_FORCE = frozenset({"ASSAULT", "COERCE", "SANCTION"})
# Links by which a verb hangs on another clause rather than standing for a noun.
_CLAUSE_DEPS = frozenset({"advcl", "xcomp", "acl", "relcl", "conj", "ccomp"})
# Prepositions of what came after or during a fight ("retook the town following clashes").
_SEQUEL_PREPS = frozenset({"following", "after", "amid", "during"})
# Words that open a clause telling what brought a passive act about ("killed when ...").
_CAUSE_MARKS = frozenset({"when", "after", "as"})
# Entity types of names: a word inside one names a party, not an act ("the Alliance of
# Democratic Forces", "Operation Barkhane").
_NAME_TYPES = frozenset({"ORG", "PERSON", "NORP", "GPE", "FAC"})


@dataclass
class Roles:
    actor: Token | None = None
    target: Token | None = None
    governor: Token | None = None  # the verb a nominal trigger is the object of
    target_is_place: bool = False
    # the target is the actor's own conjunct ("X and Y clashed"): the actor is X alone
    split: bool = False


def _child(token: Token, deps: frozenset[str] | set[str]) -> Token | None:
    for c in token.children:
        if c.dep_ in deps:
            return c
    return None


def _agent_pobj(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            pobj = _child(c, {"pobj"})
            if pobj is None:
                # "held by doctors criticizing officials", read as a clause after "by"
                pcomp = _child(c, {"pcomp"})
                if pcomp is not None:
                    pobj = next((g for g in pcomp.children if g.i < pcomp.i
                                 and g.dep_ in ("nsubj", "npadvmod")), None)
            return pobj
    return None


def _subject(verb: Token) -> Token | None:
    """The verb's subject, passing over a heading the parser made a second subject
    ("Land seizure: On 2 May, Israeli forces seized")."""
    subjects = [c for c in verb.children if c.dep_ in _SUBJ and (
        c.i > verb.i or all(t.text != ":" for t in verb.doc[c.i:verb.i]))]
    # "pro-Hadi and affiliated snipers opened fire": the parser makes the hyphen of a
    # prefix a subject of its own beside the noun it belongs to
    words = [s for s in subjects if s.is_alpha] or subjects
    if not words:
        return None
    subj = words[0]
    if subj.dep_ == "csubj" and subj.pos_ in ("VERB", "AUX"):
        # "border police sailing the river fired", "PMF forces destroyed hideouts and
        # killed": the parser reads a participle or a first verb as a clausal subject;
        # the one who acts is that clause's own subject
        inner = _child(subj, {"nsubj"})
        if inner is not None and inner.pos_ in ("NOUN", "PROPN"):
            subj = inner
    return _subject_before_place(verb, subj)


def _subject_before_place(verb: Token, subj: Token) -> Token:
    """A place the parser made the subject after a clause of its own ("Youth employed to
    repair roads at Jomvu, Mombasa county held a march"): the clause's subject is the
    one who acts."""
    places = ("GPE", "LOC", "FAC")
    named_place = subj.ent_type_ in places or (
        any(c.dep_ == "compound" and c.ent_type_ in places for c in subj.children)
        and subj.lower_ not in load_actor_dictionary().by_first)  # not "Kabul police"
    if not named_place:
        return subj
    for c in verb.children:
        if c.dep_ in ("ccomp", "advcl") and c.i < subj.i:
            inner = _child(c, {"nsubj"})
            if inner is not None and inner.pos_ in ("NOUN", "PROPN") and not inner.ent_type_:
                return inner
    return subj


def _fronted_subject(verb: Token) -> Token | None:
    """The subject the parser hung on a fronted place phrase: in "On 9 May, in Sucre,
    Chuquisaca, health workers staged a demonstration" it reads "health workers" as an
    apposition or a conjunct of the place, or as the object of its preposition. A
    common noun there whose phrase runs up to the verb is the subject; an apposition
    or conjunct first ("for a second day Israeli forces razed": the forces, not the day)."""
    place_nouns = load_cues().anaphoric_place_nouns
    # what may stand between the subject and its verb: commas, adverbs and the verb's
    # own phrases ("Israeli forces, under the protection of soldiers, razed")
    between_ok = {t.i for c in verb.children if c.dep_ in ("prep", "advmod", "npadvmod")
                  and c.i < verb.i for t in c.subtree}

    def runs_to_verb(t: Token) -> bool:
        return (t.pos_ == "NOUN" and t.i < verb.i and t.ent_type_ not in ("DATE", "TIME")
                and t.lemma_.lower() not in place_nouns
                and all(x.is_punct or x.dep_ == "advmod"
                        or (x.i in between_ok and not t.is_ancestor(x))
                        for x in verb.doc[max(x.i for x in t.subtree) + 1:verb.i]))

    fronted = [t for c in verb.children if c.dep_ == "prep" and c.i < verb.i
               for t in c.subtree if runs_to_verb(t)]
    found = next((t for t in fronted if t.dep_ in ("appos", "conj")),
                 next((t for t in fronted if t.dep_ == "pobj"), None))
    while found is not None and found.dep_ == "conj" and found.head.pos_ == "NOUN":
        found = found.head  # "owners and workers of ...": the first of the conjuncts
    return found


def _passive_agent_elsewhere(verb: Token) -> Token | None:
    """The agent of a passive given once for coordinated verbs ("6 were killed and 4
    wounded by airstrikes"), or by the operation the act happened in ("killed during
    operations carried out by the gendarmerie")."""
    first = verb
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    # "killed, injured or captured during operations by X": the chain shares its phrases
    # (the parser hangs the middle participle as an adverbial clause)
    chain = [first]
    for link in chain:
        chain.extend(c for c in link.children if c.pos_ in ("VERB", "AUX") and (
            c.dep_ == "conj" or (c.dep_ == "advcl" and c.tag_ == "VBN"
                                 and _child(c, _SUBJ | {"nsubjpass"}) is None)))
        # "30 were killed and another 40 injured in strikes", read as "40 (who were) injured"
        chain.extend(g for c in link.children if c.dep_ == "conj" and c.pos_ != "VERB"
                     for g in c.children if g.dep_ == "acl" and g.tag_ == "VBN")
    for other in chain:
        agent = _agent_pobj(other) if other.i != verb.i else None
        if agent is not None:
            return agent
    for other in [verb] + [t for t in chain if t.i != verb.i]:
        for c in other.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "during", "following", "after", "amid"):
                pobj = _child(c, {"pobj"})
                if pobj is not None:
                    agent = agent_behind(pobj)
                    if agent.i != pobj.i:
                        return agent
                    if (cause := _misread_cause(pobj)) is not None:
                        return cause
            elif c.dep_ == "advcl" and any(g.lower_ in _CAUSE_MARKS and g.i < c.i
                                           for g in c.children):
                # "killed when a Taliban IED exploded": the party behind the weapon;
                # "killed as the military conducted aerial raids": who carried them out
                subj = _child(c, {"nsubj"})
                if subj is not None and (agent := agent_behind(subj)).i != subj.i:
                    return agent
                obj = _child(c, {"dobj"})
                if (subj is not None and obj is not None and is_act_noun(obj)
                        and not is_act_noun(subj) and subj.pos_ in ("NOUN", "PROPN")):
                    return subj
    return None


def _misread_cause(pobj: Token) -> Token | None:
    """"Killed after an Al Shabaab IED detonated", read as "after Al Shabaab" with "IED
    detonated" a relative clause on it: a party named right before a weapon or an act
    that is the clause's subject is that weapon's party."""
    for c in pobj.children:
        subj = _child(c, {"nsubj"}) if c.dep_ == "relcl" else None
        if (subj is not None and subj.i == pobj.i + 1 and is_act_noun(subj)
                and _names_party(pobj, roles=True)):
            return pobj
    return None


def is_act_noun(tok: Token) -> bool:
    """``tok`` names an act, a happening or the means of one, never who acted ("clashes",
    "the explosion", a stray "bullet", an "IED"): an event noun that is no part of a name.
    Acronyms of weapons are often tagged as names ("IED", "VBIED")."""
    return (tok.pos_ in ("NOUN", "PROPN") and tok.ent_type_ not in _NAME_TYPES
            and tok.lemma_.lower() in load_event_nouns())


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
    actor = _agent_pobj(verb) if passive else _subject(verb)
    if actor is None and verb.tag_ == "VBG" and verb.dep_ not in _CLAUSE_DEPS:
        # "shelling by government forces"; in "marched, protesting against neglect by
        # the government" the by-phrase belongs to the object, not to the protest
        actor = _agent_pobj(verb)
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
        if h_actor is None and verb.tag_ == "VBG":
            h_actor = _agent_pobj(verb)  # "Alleged shelling by the UPDF"
        return h_actor, patient
    if dep == "dep" and head.i < verb.i and head.tag_ == "VBN":
        # "syndicates affiliated to the CSTB staged a march": the parser hangs the verb
        # on the participle whose subject is the verb's own
        return _subject(head), patient
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
        if depth == 0 and verb.tag_ == "VBN" and not any(
                c.dep_ in ("aux", "nsubj") for c in verb.children):
            # a bare participle is passive ("after charges dropped against a rancher
            # accused of killing"): whoever acts in the clause above did not accuse
            return _agent_pobj(verb), patient
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


def _exchange_sides(tok: Token) -> tuple[Token | None, Token | None]:
    """The two sides of the exchange or clash an act is part of: "shelling exchange
    between X and Y", "an exchange of fire took place between X and Y", "machine gun
    targeting took place between X and Y", "killed in a clash between X and Y"."""
    acts = [tok]
    if tok.dep_ in ("acl", "compound", "amod") or (
            tok.dep_ == "pobj" and tok.head.lower_ == "of"):
        acts.append(tok.head if tok.dep_ != "pobj" else tok.head.head)
    acts.extend(c for c in tok.children if c.dep_ == "dobj")
    for i, act in enumerate(acts):
        if i > 0 and not is_act_noun(act):
            continue
        a, b = _between(_noun_prep_args(act))
        if a is None and act.dep_ == "nsubj" and act.head.pos_ in ("VERB", "AUX"):
            a, b = _between(_noun_prep_args(act.head))  # "... took place between"
        if a is not None and not _is_place(a):
            return a, b
    return None, None


def _is_place(tok: Token) -> bool:
    """A place named where a party could be ("between Gacanlaw and El Dhere area")."""
    return tok.ent_type_ in ("GPE", "LOC", "FAC") or (
        tok.lemma_.lower() in load_cues().anaphoric_place_nouns)


def _names_party(tok: Token, roles: bool) -> bool:
    """A word that names a party by itself: a nationality, place or organisation, or
    (with ``roles``) a dictionary role noun or armed adjective ("police" raid,
    "government" offensive, "military" patrol, not an "official" protest). Not the
    second half of a hyphenated word ("anti-government protests")."""
    doc = tok.doc
    if tok.i >= 2 and doc[tok.i - 1].text == "-" and not doc[tok.i - 1].whitespace_:
        # "pro-Houthi" names the Houthis; "anti-Israel", "anti-government" no one
        return (tok.ent_type_ in ("NORP", "GPE", "ORG") and tok.text[:1].isupper()
                and doc[tok.i - 2].lower_ not in ("anti", "non"))
    if not tok.is_alpha:
        return False
    if tok.ent_type_ in ("NORP", "GPE", "ORG"):
        return True
    if not roles:
        return False
    entries = [e for e in load_actor_dictionary().one_word(tok.lower_) if e.sector]
    if tok.pos_ == "ADJ":
        return any(e.sector in ARMED_SECTORS for e in entries)
    return bool(entries)


def _party_modifier(noun: Token, roles: bool = True) -> Token | None:
    """The modifier of an act that names who did it, nearest the noun: "Russian
    withdrawal", "a military patrol", "pro-Houthi reinforcements" (the name, not "pro")."""
    named = [c for c in noun.children if c.dep_ in ("amod", "compound", "nmod")
             and c.i < noun.i and _names_party(c, roles)]
    return named[-1] if named else None


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
        # "Russian withdrawal", "Israeli airstrike": a modifier naming a party; of
        # "pro-Houthi reinforcements" the name nearest the noun, not the prefix
        roles.actor = _party_modifier(noun, roles=False)
    if roles.actor is None:
        # a headline the parser reads with the verb as a noun: "Muslims protest against"
        roles.actor = _child(noun, _SUBJ)
    if roles.actor is None and etype == "PROTEST":
        # ... or as a noun phrase: "Youths riot in Nairobi", "Somali MPs riot"
        roles.actor = next((c for c in noun.children
                            if c.dep_ == "compound" and c.i < noun.i and c.pos_ != "VERB"
                            and (c.tag_ in ("NNS", "NNPS") or c.text.endswith("s")
                                 or c.lower_ in load_cues().protest_actor_nouns)), None)
    if roles.actor is None and etype == "PROTEST":
        roles.actor = _headline_subject(noun)
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
    if (phrase.dep_ == "pobj" and phrase.head.lower_ == "of"
            and phrase.head.head.lemma_.lower() in load_cues().measure_nouns):
        phrase = phrase.head.head  # "launched 10 days of war games": the days are launched
    if roles.actor is None and phrase.i != noun.i and etype == "ASSAULT":
        # "a shelling exchange between X and Y" ("a mediation effort between X and Y"
        # is the mediator's, whose parties are not its actors)
        a, b = _between(_noun_prep_args(phrase))
        if a is not None:
            roles.actor, roles.target = a, roles.target or b
    head = phrase.head
    if (phrase.dep_ in ("dobj", "nsubjpass", "attr", "oprd") and head.pos_ in ("VERB", "AUX")
            and head.lemma_.lower() not in attitude_verbs
            and not _acts_on_another(head, etype)):
        # "X launched an offensive": X's. ("X condemned the attack" is not X's attack,
        # nor is "police dispersed the protest" the police's protest.)
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
            if roles.actor is None and up.lemma_.lower() in load_cues().participation_verbs:
                roles.actor = _child(up, {"nsubjpass"})  # "were engaged in fighting"
        elif (etype == "ASSAULT" and head.lower_ in _SEQUEL_PREPS
              and up.pos_ in ("VERB", "AUX")
              and noun.lemma_.lower() in load_cues().mutual_fight_nouns):
            # "Rebels retook the town following clashes with regime forces": an armed
            # party that acts on after a fight fought in it
            subject = verb_roles(up)[0]
            if subject is not None and _armed(subject):
                roles.actor = subject
        elif etype == "PROTEST" and head.lower_ == "during" and up.pos_ in ("VERB", "AUX"):
            # "youths ransacked bars during a protest": they protested; the police who
            # act during one do not
            subject = verb_roles(up)[0]
            if subject is not None and not _armed(subject):
                roles.actor = subject
    if roles.actor is None and etype in _SYMMETRIC:
        roles.actor, second = _exchange_sides(noun)  # "an exchange of fire between"
        roles.target = roles.target or second
    if roles.actor is None:
        roles.actor = _party_modifier(noun)  # "a police raid", "a military patrol"
    if roles.actor is None:
        # "Egyptian jets carried out airstrikes ... The airstrikes came after": the act
        # named again is the one named before
        roles.actor = _earlier_party(noun)
    return roles


def _armed(tok: Token) -> bool:
    """``tok`` is a word of the actor dictionary for an armed party ("rebels", "forces",
    "Taliban")."""
    return any(e.sector in ARMED_SECTORS
               for e in load_actor_dictionary().one_word(tok.lower_, tok.lemma_.lower()))


def _headline_subject(noun: Token) -> Token | None:
    """The subject of a headline whose verb the parser read as a noun or a modifier: in
    "Students of Masinde Muliro University protest exam fees", "Hundreds of Maasai
    protest after ..." or "Thousands protest war" the words before the bare verb form,
    with no verb or article among them, are
    who protests. The first noun among them heads that phrase; it must name people
    (a plural or a protester word), not a thing ("Illegal protests", "Post election
    riots")."""
    if noun.tag_ not in ("NN", "VB", "VBP") or any(c.dep_ in ("det", "poss")
                                                    for c in noun.children):
        return None
    before = noun.doc[noun.sent.start:noun.i]
    if not len(before) or any(t.pos_ in ("VERB", "AUX", "DET", "PRON", "SCONJ")
                              for t in before):
        return None
    first = next((t for t in before if t.pos_ in ("NOUN", "PROPN")), None)
    if first is None or first.ent_type_ in ("DATE", "TIME"):
        return None
    if first.tag_ in ("NNS", "NNPS") or first.lower_ in load_cues().protest_actor_nouns:
        return first
    return None


def _acts_on_another(verb: Token, etype: str) -> bool:
    """``verb`` names a use of force or pressure done to the event its object names
    ("dispersed a protest", "banned the rally"), so its subject is not that event's
    party. Light verbs ("staged", "launched", "held", "opened") name no such act."""
    entries = load_triggers().plain.get((verb.lemma_.lower(), "V"), [])
    return bool(entries) and all(e.event_type in _FORCE and e.event_type != etype
                                 for e in entries)


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
    if roles.actor is None and etype == "PROTEST":
        roles.actor = _headline_subject(verb)  # "Thousands protest war", parsed as a noun
    a, b = _between(args)
    if a is None and etype in _SYMMETRIC and (roles.actor is None or (
            is_act_noun(roles.actor)
            and roles.actor.lower_ not in load_actor_dictionary().by_first)):
        # no subject, or the exchange itself as one ("an exchange of fire took place")
        a, b = _exchange_sides(verb)
        if a is not None:
            roles.actor = None
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
        # "Jordan and Britain agreed", "supporters and police clashed": the second
        # conjunct is the other party, and the actor the first alone
        roles.target = _child(roles.actor, {"conj"})
        of = next((c for c in roles.actor.children if c.dep_ == "prep" and c.lower_ == "of"),
                  None)
        if roles.target is None and of is not None and (pobj := _child(of, {"pobj"})):
            # "supporters of the opposition party and police clashed": the parser
            # joins the police to the party; a clash has two sides
            roles.target = _child(pobj, {"conj"})
    if roles.target is not None and (roles.target.i == match.token.i
                                     or roles.target.ent_type_ in ("DATE", "TIME")):
        roles.target = None
    roles.split = (roles.actor is not None and roles.target is not None
                   and roles.target.dep_ == "conj" and roles.actor.is_ancestor(roles.target))
    return roles


def agent_behind(actor: Token) -> Token:
    """The party behind an act or a weapon named as the subject: "shelling by Afghan
    forces hit a house" is the forces' act, "a bomb carried by militants exploded" the
    militants'."""
    if (actor.pos_ != "NOUN" and actor.tag_ != "VBG" and actor.dep_ != "pobj"
            and not is_act_noun(actor)):
        return actor  # "shelling" is often tagged a verb, and so is "strikes" after "in"
    agent = _agent_pobj(actor)
    if agent is None:
        for c in actor.children:
            if c.dep_ == "acl" and c.tag_ == "VBN":
                agent = _agent_pobj(c)
                break
    act = is_act_noun(actor) or (actor.lemma_.lower(), "N") in load_triggers().plain
    if agent is None and act:
        agent = _exchange_sides(actor)[0]  # "killed in a clash between X and Y"
    if agent is None and act:
        # "killed in Egyptian air strikes", "an al Shabaab ambush killed six", "a Taliban
        # mine exploded"
        agent = (_child(actor, {"poss"}) or _party_modifier(actor)
                 or _misattached_party(actor) or _earlier_party(actor))
    return agent if agent is not None else actor


def _misattached_party(act: Token) -> Token | None:
    """A name right before a weapon or an act that the parser hung elsewhere ("after a
    JNIM IED exploded", read with "JNIM" a subject of its own): the act's party."""
    if act.i == 0:
        return None
    prev = act.doc[act.i - 1]
    if (prev.pos_ == "PROPN" and prev.head.i != act.i and not prev.is_ancestor(act)
            and _names_party(prev, roles=True)):
        return prev
    return None


def _act_party(act: Token) -> Token | None:
    """Who an act noun says did it: "strikes by X", "X's strikes", "Kenyan strikes",
    "X carried out strikes"."""
    party = _agent_pobj(act) or _child(act, {"poss"}) or _party_modifier(act)
    if party is None and act.dep_ == "dobj" and act.head.pos_ in ("VERB", "AUX"):
        party = _subject(act.head)
    return party


def _earlier_party(act: Token) -> Token | None:
    """The party of the act a definite noun refers back to, in its own or the previous
    sentence: "Kenyan jets carried out strikes on Belet Xaawo. The strikes killed ...",
    "Rioters hurled a Molotov cocktail at a bank. The attack ..."."""
    if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "these", "those")
               for c in act.children):
        return None
    doc = act.doc
    start = act.sent.start - 1
    while start > 0 and not doc[start].is_sent_start:
        start -= 1
    lemma = act.lemma_.lower()
    for tok in reversed(doc[max(start, 0):act.i]):
        if tok.lemma_.lower() == lemma and tok.i != act.i:
            party = _act_party(tok)
            if party is not None and party.lemma_.lower() != lemma:
                return party
    # "Rioters hurled a Molotov cocktail at a bank. No one was hurt. The attack ...": the
    # act is the nearest one of the two sentences before that told who used a weapon
    start -= 1
    while start > 0 and not doc[start].is_sent_start:
        start -= 1
    for tok in reversed(doc[max(start, 0):act.sent.start]):
        obj = _child(tok, {"dobj"}) if tok.dep_ == "ROOT" and tok.pos_ == "VERB" else None
        subject = _subject(tok) if obj is not None and is_act_noun(obj) else None
        if subject is not None and subject.pos_ in ("NOUN", "PROPN") and not is_act_noun(
                subject):
            return subject
    return None


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
    before = doc[max(start, 0):sent.start]
    for tok in before:
        if tok.dep_ in _SUBJ and tok.pos_ in ("PROPN", "NOUN"):
            return tok
    # "400 farmers from X blocked vehicles. They were protesting": the parser made the
    # sentence one noun phrase; its head is the people a plural pronoun refers to
    return next((t for t in before if t.dep_ == "ROOT" and t.tag_ in ("NNS", "NNPS")
                 and pron.lower_ in ("they", "them", "their")), None)

