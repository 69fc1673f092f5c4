"""Coded events before they become records: what their modality and their sentence
add to them, and which of them name the same act.

- :func:`derive`: a stated intent to cooperate is also an AGREE, to use force a
  THREATEN; a refusal to cooperate a REJECT; what protesters demand is said by
  protesting; a government "protesting" is disapproving (ACCUSE); a crowd that burns
  or loots is rioting (PROTEST riot); a party that fights or burns is its members in
  the street (PPL), so its burning is rioting too.
- :func:`drop_accused_content`: what an accusation says another did is not an event.
- :func:`fill_actor`: a half-coded actor completed from its sentence; an act named
  where the actor would be ("the explosion killed") is no actor.
- :func:`mark_subordinate`: an event inside another's clause is not the main one.
- :func:`dedupe`: "protest march", "struck a deal", "the attack killed" name one act.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.tokens import Token

from ..dates import ResolvedDate
from ..record import Actor, Location
from .actors import Coding
from .lexicon import Cues
from .modality import Modality
from .places import PlaceIndex
from .roles import Roles, is_act_noun
from .score import EventFeatures, raw_score
from .triggers import TriggerMatch

# With only a country as actor, a use of force is the military's, diplomacy the state's.
_FORCE_TYPES = frozenset({"ASSAULT", "MOBILIZE", "RETREAT"})
_NO_COUNTRY_FILL = frozenset({"IGO", "NGO"})
_LOCAL_SECTORS = frozenset({"PPL", "CVL", "POL"})
# Armed forces and armed groups with no country named ("soldiers", "the army", "unknown
# gunmen", "militiamen") are the country's own, as ACLED codes them (Military Forces of
# X, Unidentified Armed Group (X)) and CAMEO too (rebels in X are XREB), like
# protesters, civilians and police. Named groups carry their own country.
_DOMESTIC_SECTORS = _LOCAL_SECTORS | {"MIL", "REB"}
# Civilians (CVL) are the victims of violence (ACLED never codes them as its actor1);
# residents or villagers who protest, riot, attack or make demands act as a crowd (PPL).
_CROWD_ACTS = frozenset({"PROTEST", "ASSAULT", "COERCE", "REQUEST", "ACCUSE", "REJECT"})
_PROTESTING = frozenset({None, "CVL", "PTY", "OPP", "BUS", "UNK", "MED", "REL"})
# PLOVER codes a stated intent to cooperate as AGREE and an intent to use force or
# pressure as THREATEN; a refusal or failure to cooperate as REJECT.
_COOPERATIVE = frozenset({"SUPPORT", "AID", "COOPERATE", "RETREAT", "CONCEDE", "CONSULT"})
_HOSTILE = frozenset({"ASSAULT", "COERCE", "SANCTION", "PROTEST", "MOBILIZE"})
# What protesters say: their demands and denunciations are made by protesting.
_SPOKEN = frozenset({"REQUEST", "ACCUSE", "REJECT", "SUPPORT"})
# Who "protests" in words rather than in the street: a statement of disapproval.
_INSTITUTIONS = frozenset({"GOV", "IGO", "NGO", "JUD", "MED", "PTY"})
# A party fighting, burning or looting ("CNL and CNDD-FDD fought", "Jubo Dal vandalized
# two buses") is its members in the street: PLOVER's PTY is the party as an
# organisation, and ACLED codes such a fight as Rioters. Arrests or bans stay the party's.
_STREET_FORCE = {"ASSAULT": None, "COERCE": frozenset({"", "destroy", "seize"})}


@dataclass
class Draft:
    """One coded event before it becomes an :class:`~eventscope.record.Event`."""

    match: TriggerMatch
    roles: Roles
    actor: Actor | None
    actor_coding: Coding | None
    target: Actor | None
    location: Location | None
    place_how: str
    date: ResolvedDate | None
    modality: Modality
    mode: str
    context: list[str] = field(default_factory=list)
    derived: bool = False  # coded from another event's modality, not from a lexicon word
    subordinate: bool = False
    # the actor's country is only where the event happened (an unnamed crowd's), which
    # says nothing of how sure the coding is
    country_from_place: bool = False

    @property
    def event_type(self) -> str:
        return self.match.entry.event_type


def as_type(d: Draft, event_type: str, mod: Modality) -> Draft:
    entry = replace(d.match.entry, event_type=event_type, mode="", requires="",
                    strength=d.match.entry.strength * 0.8)
    return replace(d, match=TriggerMatch(d.match.token, entry), modality=mod, mode="",
                   derived=True)


def derive(d: Draft, cues: Cues) -> list[Draft]:
    """The event itself plus what its modality makes of it (see _COOPERATIVE); a party
    using force in the street is its members (see _STREET_FORCE)."""
    mod = d.modality
    if d.actor is not None and d.actor.sector == "PTY" and _street_force(d):
        d.actor = d.actor.model_copy(update={"sector": "PPL"})
    out = [d]
    if (d.event_type == "PROTEST" and d.actor is not None and not d.match.nominal
            and d.match.token.lemma_.lower() == "protest"
            and (d.actor.sector in _INSTITUTIONS
                 or (d.actor_coding is not None and d.actor_coding.country_from_name))):
        out = [as_type(d, "ACCUSE", mod)]
        out[0].mode = "disapprove"
    if d.event_type == "COERCE" and d.actor is not None and d.actor.sector == "PPL":
        # a crowd burning or looting is rioting (PLOVER PROTEST, mode riot)
        out = [as_type(d, "PROTEST", mod)]
        out[0].mode = "riot"
    if (d.event_type in _SPOKEN and d.roles.actor is not None
            and d.roles.actor.lemma_.lower() in cues.protest_actor_nouns):
        out.append(as_type(d, "PROTEST", mod))
        out[-1].mode = "demo"
    plain = replace(mod, hedged=False, negated=False, hedge_cue=None, negation_cue=None,
                    intent=False)
    if mod.intent and not mod.negated:
        if d.event_type in _COOPERATIVE:
            out.append(as_type(d, "AGREE", plain))
        elif d.event_type in _HOSTILE:
            out.append(as_type(d, "THREATEN", plain))
    if mod.negated and d.event_type in _COOPERATIVE | {"AGREE"} and d.actor is not None:
        out.append(as_type(d, "REJECT", plain))
    return out


def _street_force(d: Draft) -> bool:
    if d.event_type not in _STREET_FORCE:
        return False
    modes = _STREET_FORCE[d.event_type]
    return modes is None or d.mode in modes


def names_an_act(d: Draft) -> bool:
    """The actor phrase names an act or its means and no one who acted ("Clashes resulted
    in", "the explosion killed", "a stray bullet killed"): no word of the actor dictionary
    codes it, and its head is an event noun."""
    head, coding = d.roles.actor, d.actor_coding
    return (head is not None and coding is not None and coding.country is None
            and coding.sector is None and is_act_noun(head))


def fill_actor(drafts: list[Draft], places: PlaceIndex, named: str | None = None) -> None:
    """Complete a half-coded actor from the sentence: a bare country acting gets the
    sector its act implies; people protesting are protesters (PPL, as ACLED codes
    them); a sector without country takes the country of another actor of that sector
    in the sentence, else of the place the event happened. Protesters, civilians,
    police and unnamed armed forces and groups are the country's own: for them the
    country most of the article's places are in comes first (one misread place name
    does not move them abroad), then the event's place. People named by a common noun
    and nothing else ("two groups") take the article's country too, without counting it
    as coded (``country_from_place``). ``named`` (the country the words of an article
    with no resolved place name most often) stands in for the article's country. An act
    or its means named where the actor would be ("the clashes killed", "a stray bullet
    killed") is no actor: the event has none."""
    home = places.country or named
    for d in drafts:
        if d.actor is None or d.actor_coding is None:
            continue
        if names_an_act(d):
            d.actor, d.actor_coding = None, None
            continue
        coding = d.actor_coding
        if coding.country and not d.actor.sector and coding.country_from_name:
            force = d.event_type in _FORCE_TYPES and d.mode in ("", "withdraw", "troops")
            d.actor = d.actor.model_copy(update={"sector": "MIL" if force else "GOV"})
        if d.event_type == "PROTEST" and d.actor.sector in _PROTESTING:
            # residents, party members, traders: in the street they are protesters
            d.actor = d.actor.model_copy(update={"sector": "PPL"})
        elif d.event_type in _CROWD_ACTS and d.actor.sector == "CVL":
            d.actor = d.actor.model_copy(update={"sector": "PPL"})
        elif d.event_type == "ASSAULT" and d.actor.sector == "GOV":
            # "the regime shelled", "government forces attacked": the state's force
            d.actor = d.actor.model_copy(update={"sector": "MIL"})
        sector = d.actor.sector
        if d.actor.country or sector in _NO_COUNTRY_FILL:
            continue
        if not sector:
            # people named by no group, role or name ("two groups", "angry depositors")
            # are local, as ACLED codes them; a name we do not know stays unplaced
            head = d.roles.actor
            if home and head is not None and head.pos_ in ("NOUN", "NUM"):
                d.actor = d.actor.model_copy(update={"country": home})
                d.country_from_place = True
            continue
        country = next((o.actor.country for o in drafts if o.actor is not None
                        and o.actor.sector == sector and o.actor.country), None)
        if country is None and sector in _DOMESTIC_SECTORS:
            country = home
        if country is None and d.location is not None and (
                d.place_how != "article" or sector in _LOCAL_SECTORS):
            country = d.location.country
        if country:
            d.actor = d.actor.model_copy(update={"country": country})


def drop_accused_content(drafts: list[Draft]) -> list[Draft]:
    """What an accusation says another did ("accused JNIM of planning the attack") is
    the accusation's content, not an event of its own: the ACCUSE is the event."""
    accusations = {d.match.token.i for d in drafts  # allegations, not "condemned the attack"
                   if d.event_type == "ACCUSE" and d.mode == "allege" and not d.derived}
    if not accusations:
        return drafts

    def inside(tok: Token) -> bool:
        cur = tok
        while cur.head.i != cur.i:
            if cur.dep_ in ("relcl", "acl", "appos", "conj"):
                return False  # a clause that describes someone, or a coordinated act
            cur = cur.head
            if cur.i in accusations:
                return True
        return False

    return [d for d in drafts if d.match.token.i in accusations or not inside(d.match.token)]


def mark_subordinate(drafts: list[Draft]) -> None:
    """An event inside another's clause is its content or purpose ("marched to demand
    pay", "agreed to exchange detainees"), not the sentence's main event."""
    owner: dict[int, int] = {}  # token -> the trigger it stands for ("held" a protest)
    for d in drafts:
        owner[d.match.token.i] = d.match.token.i
        if d.roles.governor is not None:
            owner.setdefault(d.roles.governor.i, d.match.token.i)
    for d in drafts:
        tok = d.match.token
        own = {t.i for t in tok.subtree}  # "staged a protest demonstration": one act
        d.subordinate = not d.derived and any(
            a.i in owner and owner[a.i] != tok.i and owner[a.i] not in own
            for a in tok.ancestors)


# Prepositions that place a named event in time as the background of another
# ("held since the clashes", "after the attack"), rather than report it.
_TEMPORAL_PREPS = frozenset({"since", "after", "before", "following", "during", "until"})


def background(d: Draft) -> bool:
    """A bare noun event with no actor that only dates or describes something else:
    under a temporal preposition, or inside a clause that modifies a noun ("detainees
    held since the clashes of last year")."""
    tok = d.match.token
    if not d.match.nominal or d.roles.governor is not None or d.actor is not None:
        return False
    if tok.dep_ == "pobj" and tok.head.lower_ in _TEMPORAL_PREPS:
        return True
    return any(a.dep_ in ("relcl", "acl") for a in tok.ancestors)


def features(d: Draft) -> EventFeatures:
    actor = d.actor
    return EventFeatures(
        strength=d.match.entry.strength,
        nominal=float(d.match.nominal and d.roles.governor is None),
        subordinate=float(d.subordinate),
        background=float(background(d)),
        has_actor=float(actor is not None),
        actor_country=float(bool(actor and actor.country) and not d.country_from_place),
        actor_sector=float(bool(actor and actor.sector)),
        has_target=float(d.roles.target is not None),  # an object named, party or thing
        place_argument=float(d.place_how == "argument"),
        place_sentence=float(d.place_how == "sentence"),
        has_date_text=float(d.date is not None),
        hedged=float(d.modality.hedged),
        negated=float(d.modality.negated),
        attributed=float(d.modality.attribution is not None),
    )


def _through_prep(a: Token, b: Token) -> bool:
    """One names the other's circumstance: "killed following an attack", "died in clashes"."""
    return ((a.dep_ == "pobj" and a.head.head.i == b.i)
            or (b.dep_ == "pobj" and b.head.head.i == a.i))


def _same_actor(a: Draft, b: Draft) -> bool:
    return (a.actor is not None and b.actor is not None
            and (a.actor.text, a.actor.country) == (b.actor.text, b.actor.country))


def dedupe(drafts: list[Draft]) -> list[Draft]:
    """One event per act: "protest march", "struck a deal", "the attack killed" name one."""
    keep: list[Draft] = []
    for d in sorted(drafts, key=lambda d: -raw_score(features(d))):
        tok = d.match.token
        same = False
        for k in keep:
            if k.event_type != d.event_type:
                continue
            other = k.match.token
            if k.roles.actor is not None and k.roles.actor.i == tok.i and d.actor is not None:
                # "an attack by X killed six": the killing is X's
                k.actor, k.actor_coding = d.actor, d.actor_coding
            if d.derived and other in tok.ancestors:
                same = True  # "promised to send aid": the AGREE is the promise
                break
            if (tok.head.i == other.i or other.head.i == tok.i
                    or (k.roles.actor is not None and k.roles.actor.i == tok.i)
                    or (d.roles.actor is not None and d.roles.actor.i == other.i)
                    or (_through_prep(tok, other) and _same_actor(k, d))):
                same = True
                break
        if not same:
            keep.append(d)
    return sorted(keep, key=lambda d: d.match.token.i)
