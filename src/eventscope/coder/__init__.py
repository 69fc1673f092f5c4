"""The event coder: a parsed article and its places to PLOVER event records.

For each sentence: trigger words from the PLOVER lexicon (``triggers``), their actor
and target from the dependency parse (``roles``) coded with the actor dictionary
(``actors``), negation, hedging and attribution (``modality``), the place
(``locate``), the date (``eventscope.dates``) and a confidence (``score``, then
``calibrate`` when that module is installed).

Public API:

- :func:`code_events` ``(doc, toponyms, article) -> list[Event]``: called by the pipeline.
- :func:`code_events_with_features`: the same events, each with the
  :class:`~eventscope.coder.score.EventFeatures` its confidence was computed from
  (for fitting the calibration).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from ..dates import ResolvedDate, anchored, find_dates, parse_iso_date
from ..record import Article, ArticleRef, Event, Evidence, Toponym, make_event_id
from .actors import PRONOUNS, ActorCoder, Coding, phrase_tokens
from .dating import dated_event, main_date, pick_date
from .draft import Draft, dedupe, derive, drop_accused_content, fill_actor, mark_subordinate
from .draft import features as event_features
from .gate import article_subject, gate_features, load_gate
from .implied import implied_actor
from .lexicon import (
    ARMED_SECTORS,
    ActorDictionary,
    Cues,
    TriggerEntry,
    load_actor_dictionary,
    load_cues,
    load_triggers,
)
from .locate import locate
from .modality import modality
from .places import PlaceIndex
from .roles import Roles, agent_behind, is_act_noun, resolve_pronoun, trigger_roles
from .score import EventFeatures, raw_score
from .triggers import TriggerMatch, find_triggers

__all__ = ["code_events", "code_events_with_features", "EventFeatures"]

_ATTITUDE = frozenset({"ACCUSE", "REJECT", "SUPPORT", "REQUEST", "THREATEN", "PROTEST"})
# stances and help a noun can name as given "from" someone ("support from Moscow")
_GIVEN = frozenset({"SUPPORT", "AID", "REQUEST", "THREATEN", "ACCUSE", "REJECT"})
# stances and dealings: only someone can hold or make them, never an act or a thing
_STANCES = frozenset({"SUPPORT", "REJECT", "ACCUSE", "REQUEST", "THREATEN", "AGREE",
                      "COOPERATE"})


@lru_cache(maxsize=1)
def _calibrator() -> Callable[[float], float] | None:
    try:
        module = importlib.import_module("eventscope.coder.calibrate")
    except ImportError:
        return None
    calibrate: Callable[[float], float] = module.calibrate
    return calibrate


@lru_cache(maxsize=1)
def _attitude_verbs() -> frozenset[str]:
    """Trigger verbs of stance (ACCUSE, REJECT, SUPPORT, ...): their object is another's act."""
    return frozenset(lemma for (lemma, pos), entries in load_triggers().plain.items()
                     if pos == "V" and entries[0].event_type in _ATTITUDE)


@lru_cache(maxsize=8)
def _not_places(dictionary: ActorDictionary) -> frozenset[str]:
    return dictionary.not_places()


def _sentence_bounds(sent: Span) -> tuple[int, int]:
    tokens = [t for t in sent if not t.is_space]
    if not tokens:
        return sent.start_char, sent.start_char
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _mode(match: TriggerMatch, governor: Token | None, cues: Cues) -> str:
    if match.entry.event_type != "ASSAULT":
        return match.entry.mode
    for tok in (match.token, governor):
        if tok is None:
            continue
        for c in tok.children:
            words = [c] + ([g for g in c.children if g.dep_ == "pobj"] if c.dep_ == "prep" else [])
            for w in words:
                mode = cues.assault_modes.get(w.lemma_.lower())
                if mode:
                    return mode
    return match.entry.mode


def _contexts(match: TriggerMatch, tokens: list[Token], cues: Cues) -> list[str]:
    found = [match.entry.context] if match.entry.context else []
    for tok in tokens:
        ctx = cues.contexts.get(tok.lemma_.lower())
        if ctx and ctx not in found:
            found.append(ctx)
    return found


# Types whose target may be a thing as well as a party: an attack on a convoy or a
# tanker, the seizure of a vehicle.
_THING_TARGETS = frozenset({"ASSAULT", "COERCE"})


def _party_like(tok: Token, coding: Coding | None) -> bool:
    """``tok`` names a party: the actor dictionary codes it, or it is a name or a
    pronoun."""
    return bool(coding and (coding.country or coding.sector)) or tok.pos_ in (
        "PROPN", "PRON") or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC")


def _requirement_met(entry: TriggerEntry, trigger: Token, coding: Coding | None,
                     target: Token | None, target_coding: Coding | None) -> bool:
    requires = entry.requires
    sector = coding.sector if coding else None
    if requires == "object":  # "seek asylum", "seek talks", not "seek to deepen ties"
        return not any(c.dep_ in ("xcomp", "ccomp") for c in trigger.children) and any(
            c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ == "for")
            for c in trigger.children)
    if requires == "recipient":  # "gave Ukraine aid", "gave arms to rebels", not "gave a speech"
        return any(c.dep_ == "dative" or (c.dep_ == "prep" and c.lower_ == "to")
                   for c in trigger.children)
    if requires == "target":
        return target is not None and (
            target.ent_type_ in ("PERSON", "NORP")
            or (target_coding is not None
                and bool(target_coding.sector or target_coding.country)))
    if requires == "people":
        return sector is not None and sector not in ARMED_SECTORS
    if requires == "armed":  # a state named as actor counts: it acts through its forces
        return sector in ARMED_SECTORS or bool(coding and coding.country_from_name)
    if requires == "civil":
        return sector not in ARMED_SECTORS
    return True


_CAUSE_PREPS = frozenset({"in", "after", "from", "by", "during"})
# links by which a participle or clause hangs from the clause that says what happened:
# "a bus plunged into a ravine, killing 12" (advcl), "a landslide that buried" (relcl)
_CLAUSE_LINKS = frozenset({"advcl", "xcomp", "conj", "acl", "amod", "appos", "relcl"})


def _is_cause_word(word: Token, cues: Cues) -> bool:
    lemma = word.lemma_.lower()
    return (lemma in cues.non_agents or word.lower_ in cues.non_agents
            or (word.pos_ == "NOUN" and lemma.endswith(cues.non_agent_endings)))


def _is_cause(word: Token, cues: Cues) -> bool:
    """``word`` names a natural or accidental cause, itself or by a modifier ("gas leak")."""
    return _is_cause_word(word, cues) or any(
        g.dep_ in ("compound", "amod") and _is_cause_word(g, cues) for g in word.children)


def _cause_slots(tok: Token, objects: bool = False) -> list[Token]:
    """The words that can say what brought ``tok`` about: its subject and modifiers, and
    the object of "in"/"after"/"from"/"by"/"during" ("killed in a flood"); with
    ``objects``, its direct object too ("killed battling a blaze")."""
    deps = ("compound", "amod", "nsubj", "dobj") if objects else ("compound", "amod", "nsubj")
    words = []
    for c in tok.children:
        if c.dep_ in deps:
            words.append(c)
        elif c.dep_ == "prep" and c.lower_ in _CAUSE_PREPS:
            words.extend(g for g in c.children if g.dep_ == "pobj")
    return words


def _accident_clause(verb: Token, cues: Cues) -> bool:
    """``verb``'s clause tells an accident: a verb of accident, a cause word, or a vehicle
    as its subject ("a minibus hit a tree")."""
    return (verb.lemma_.lower() in cues.accident_verbs or _is_cause(verb, cues)
            or any(_is_cause(w, cues) for w in _cause_slots(verb, objects=verb.pos_ == "VERB"))
            or any(c.dep_ == "nsubj" and c.lemma_.lower() in cues.vehicles
                   for c in verb.children))


def _no_agent(match: TriggerMatch, roles: Roles, coding: Coding | None, cues: Cues) -> bool:
    """A killing or blast caused by nature or accident ("floods killed", "in a crash",
    "a bus plunged into a ravine, killing 12"), done to animals ("slaughtered chickens"),
    or an inquiry into an outbreak. Force needs a human agent: a word of attack in the
    sentence ("bomb", "gunmen") or, for the clause-level checks, a coded actor keeps it."""
    if match.entry.event_type not in ("ASSAULT", "COERCE", "ACCUSE"):
        return False
    target = roles.target
    if target is not None and (target.lemma_.lower() in cues.non_human
                               or target.lemma_.lower() in cues.non_agents):
        return True
    if match.entry.event_type == "ACCUSE":
        return False
    tok = match.token
    if any(t.lemma_.lower() in cues.attack_cues for t in tok.sent):
        return False
    if tok.lemma_.lower() in cues.non_agents and tok.dep_ == "pobj" \
            and tok.head.lower_ in _CAUSE_PREPS:
        return True  # the trigger noun is itself the cause: "died in a fire"
    words = ([roles.actor] if roles.actor is not None else []) + _cause_slots(tok)
    if any(_is_cause(w, cues) for w in words):
        return True
    if coding is not None and (coding.sector or coding.country):
        return False
    head = tok
    for _ in range(3):  # up the clauses the trigger depends on
        if head.dep_ not in _CLAUSE_LINKS or head.head is head:
            break
        head = head.head
        if _accident_clause(head, cues):
            return True
    # "killed when their minibus overturned", "killed battling a blaze"
    return any(c.dep_ in ("advcl", "xcomp") and _accident_clause(c, cues)
               for c in tok.children)


def _given_from(match: TriggerMatch) -> Token | None:
    """Who gives a stance or a help named by a noun with "from": "enjoyed support from
    Moscow", "faces pressure from Congress", "received weapons from the government". The
    subject of "enjoy" or "face" is who the act is aimed at, not who acts."""
    if not match.nominal or match.entry.event_type not in _GIVEN or any(
            c.dep_ == "poss" for c in match.token.children):
        return None  # "their demands from the government": theirs, made of it
    for c in match.token.children:
        if c.dep_ == "prep" and c.lower_ == "from":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def _thing_as_actor(match: TriggerMatch, roles: Roles) -> bool:
    """A stance or an exchange whose subject is itself an act or a stance ("such a step
    enjoyed support", "support from Moscow, which has resisted", "a trip aimed at pushing
    for"): the word predicates of a thing, no one took a stand or dealt with anyone. Other
    acts keep such subjects ("the shelling killed", "the protest blocked"): someone did
    them, and the draft stage leaves the actor empty."""
    actor = roles.actor
    if actor is None or actor.i == match.token.i or match.entry.event_type not in _STANCES:
        return False
    lemma = actor.lemma_.lower()
    if any(e.event_type in ("CONSULT", "PROTEST")
           for e in load_triggers().plain.get((lemma, "N"), ())):
        return False  # "the summit called for", "a protest demanding": a gathering
        # speaks for those who gathered
    return is_act_noun(actor) and not any(
        c.dep_ in ("poss", "agent") or (c.dep_ == "prep" and c.lower_ == "by")
        for c in actor.children)


def _attributive_participle(match: TriggerMatch) -> bool:
    """A participle used as an adjective before the act it qualifies, which the parser
    made a verb with the act as its complement ("Alleged shelling by the UPDF", "the
    alleged killing of"): it says how sure the report is, no one alleged anything."""
    tok = match.token
    if match.nominal or tok.tag_ != "VBN" or tok.i + 1 >= len(tok.doc):
        return False
    nxt = tok.doc[tok.i + 1]
    return (nxt.head.i == tok.i and nxt.dep_ in ("xcomp", "dobj", "oprd")
            and (nxt.pos_ == "NOUN" or nxt.tag_ == "VBG")
            and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "agent")
                        for c in tok.children)
            and (tok.i == tok.sent.start or tok.doc[tok.i - 1].pos_ in ("DET", "PUNCT")))


def _can_intend(actor: Token, coding: Coding | None) -> bool:
    """Someone who can mean to do something: a coded actor, a name or a pronoun."""
    return bool(coding and (coding.country or coding.sector)) or actor.pos_ in (
        "PROPN", "PRON") or actor.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")


def _heading(sent: Span) -> set[int]:
    """The tokens of a label before a colon that opens the sentence ("Property
    destruction: On 6 May, ..."): it names the kind of report, it is no one's act."""
    for tok in sent[:6]:
        if tok.text == ":":
            before = sent[:tok.i - sent.start]
            if before and all(t.pos_ not in ("VERB", "AUX") for t in before):
                return {t.i for t in before} | {tok.i}
            break
    return set()


def _code_one(doc: Doc, sent: Span, match: TriggerMatch, coder: ActorCoder,
              places: PlaceIndex, dates: list[ResolvedDate], cues: Cues,
              heading: set[int]) -> Draft | None:
    if _attributive_participle(match):
        return None
    roles = trigger_roles(match, sent, _attitude_verbs())
    if roles.actor is not None and roles.actor.i in heading:
        roles = replace(roles, actor=None)
    if (source := _given_from(match)) is not None:
        roles = replace(roles, actor=source)
    actor = target = None
    actor_coding: Coding | None = None
    exclude: set[int] = set()
    if roles.actor is not None and roles.actor.i != match.token.i:
        # the party behind a weapon or act named as subject; roles.actor stays the
        # subject so that dedupe still sees "the shelling killed" as one act
        agent = agent_behind(roles.actor)
        actor, actor_coding = coder.code(doc, agent, with_conj=not roles.split,
                                         trigger=match.token)
        exclude = {t.i for t in phrase_tokens(roles.actor)} | {t.i for t in phrase_tokens(agent)}
        owner = next((c for c in agent.children
                      if c.dep_ == "poss" and c.lower_ in PRONOUNS), None)
        if owner is not None and not actor_coding.country:
            # "its members", "their forces": of the group the pronoun names
            antecedent = resolve_pronoun(owner, sent)
            if antecedent is not None:
                coded, group = coder.code(doc, antecedent, with_conj=False)
                actor_coding = replace(group, sector=actor_coding.sector or group.sector)
                actor = actor.model_copy(update={
                    "name": coded.name, "country": coded.country,
                    "sector": actor_coding.sector})
    target_coding: Coding | None = None
    if roles.target is not None and roles.target.like_num is False:
        target, target_coding = coder.code(doc, roles.target)
    entry = next((e for e in (match.entry, *match.alternatives)
                  if _requirement_met(e, match.token, actor_coding, roles.target,
                                      target_coding)), None)
    if entry is None:
        return None
    match = TriggerMatch(match.token, entry)
    if target is not None and roles.target is not None and (
            is_act_noun(roles.target) or entry.event_type not in _THING_TARGETS
            and not _party_like(roles.target, target_coding)):
        # "condemned the attack", "rejected a proposal", "sought refuge": an act or a
        # thing is what the event is about, not a party it is done to
        target = None
    if _no_agent(match, roles, actor_coding, cues) or _thing_as_actor(match, roles):
        return None
    if match.entry.strength < 0.5 and not (
        actor_coding and (actor_coding.country or actor_coding.sector)
    ):
        return None
    heads = [match.token] + ([roles.governor] if roles.governor is not None else [])
    loc, how = locate(doc, sent, places, heads, roles.target, roles.target_is_place, exclude)
    mod = modality(doc, sent, match.token, roles.governor, cues)
    if mod.attribution and actor is not None and mod.attribution == actor.text \
            and match.entry.event_type in ("ACCUSE", "REQUEST", "REJECT", "THREATEN"):
        mod = replace(mod, attribution=None)  # the speech act is the event itself
    if mod.intent and roles.actor is not None and not _can_intend(roles.actor, actor_coding):
        mod = replace(mod, intent=False)  # "a trip aimed at a ceasefire" intends nothing
    when = pick_date(dates, match.token, roles.governor, doc, sent)
    tokens = list(match.token.subtree)[:40]
    return Draft(
        match=match, roles=roles, actor=actor, actor_coding=actor_coding, target=target,
        location=loc, place_how=how, date=when, modality=mod,
        mode=_mode(match, roles.governor, cues), context=_contexts(match, tokens, cues),
    )


def code_events_with_features(
    doc: Doc, toponyms: list[Toponym], article: Article,
    gate_rows: list[dict[str, float]] | None = None, *, gated: bool = True,
) -> list[tuple[Event, EventFeatures]]:
    """Every event in ``doc`` (a parse of ``article.text``) with its score features.

    Candidates the learned event gate (``gate``) judges no political event are dropped;
    ``gated=False`` keeps what the rules alone find. With ``gate_rows`` (for training the
    gate) every candidate is kept and its gate features are appended there, one per
    returned event."""
    lexicon = load_triggers()
    cues = load_cues()
    dictionary = load_actor_dictionary()
    published = parse_iso_date(article.published) if article.published else None
    coder = ActorCoder(dictionary, doc, published)
    places = PlaceIndex(doc, toponyms, cues, _not_places(dictionary))
    # an article with no resolved place at all: the country its words name stands in
    named_country = (None if any(p.toponym.country for p in places.places)
                     else coder.named_country(doc))
    ref: ArticleRef = article.ref()
    calibrate = _calibrator()
    gate = load_gate() if gated and gate_rows is None else None
    subject = article_subject(doc, published) if gate or gate_rows is not None else None
    out: list[tuple[Event, EventFeatures]] = []
    carried: ResolvedDate | None = None  # the last date named in this paragraph
    text = doc.text  # built once: each access joins all tokens again
    for sent_index, sent in enumerate(doc.sents):
        start, end = _sentence_bounds(sent)
        sentence = text[start:end]
        if "\n" in text[sent.start_char:start] or (
                sent.start > 0 and "\n" in doc[sent.start - 1].text):
            carried = None
        dates = anchored(find_dates(sentence, published, offset=start), sentence, carried,
                         start) if sentence else []
        heading = _heading(sent)
        matches = [m for m in find_triggers(sent, lexicon) if m.token.i not in heading]
        stated = main_date(dates, doc, sent, carried)
        if carried is not None:
            dates = [*dates, carried]  # a narrative goes on at the date it last named
        if stated is not None:
            carried = stated
        if not matches:
            continue
        drafts = [derived for m in matches
                  if (d := _code_one(doc, sent, m, coder, places, dates, cues, heading))
                  is not None
                  for derived in derive(d, cues)]
        drafts = drop_accused_content(drafts)
        fill_actor(drafts, places, named_country)
        mark_subordinate(drafts)
        for d in dedupe(drafts):
            features = event_features(d)
            raw = raw_score(features)
            if subject is not None:
                gate_row = gate_features(d, sent, sent_index, subject, features)
                if gate_rows is not None:
                    gate_rows.append(gate_row)
                elif gate is not None:
                    p_event = gate.probability(gate_row)
                    if not d.modality.negated and p_event < gate.threshold:
                        continue  # a negated record says what did not happen: the gate keeps it
                    # The gate's odds that this is a real event, learned over general
                    # features, separate events far better than the rules' score alone:
                    # confidence is calibrated on their mean.
                    raw = (raw + p_event) / 2
            confidence = calibrate(raw) if calibrate is not None else raw
            when, precision, date_text = dated_event(d.date, d.match.token, d.roles.governor,
                                                     sent, published)
            trigger = d.match.token.text
            out.append((Event(
                event_id=make_event_id(article.article_id, start, end, d.event_type, trigger
                                       + str(d.match.token.i)),
                event_type=d.event_type,  # type: ignore[arg-type]
                mode=d.mode, context=d.context,
                actor=d.actor or implied_actor(d.event_type, d.mode, d.location,
                                               d.modality.negated),
                target=d.target, location=d.location, date=when,
                date_precision=precision,  # type: ignore[arg-type]
                date_text=date_text,
                evidence=Evidence(sentence=sentence, start=start, end=end, trigger=trigger),
                attribution=d.modality.attribution, hedged=d.modality.hedged,
                negated=d.modality.negated, confidence=round(min(max(confidence, 0.0), 1.0), 4),
                article=ref,
            ), features))
    return out


def code_events(doc: Doc, toponyms: list[Toponym], article: Article, *,
                gated: bool = True) -> list[Event]:
    """PLOVER events of ``article`` from its parse ``doc`` and geoparsed ``toponyms``
    (``gated=False``: the rules alone, without the learned event gate)."""
    return [event for event, _ in code_events_with_features(doc, toponyms, article,
                                                            gated=gated)]
