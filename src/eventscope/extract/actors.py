"""Actor coding: a noun phrase to (name, country, sector) with the actor dictionary.

Country and sector come from different words of one phrase: "Russian military
vehicles" is RUS (the demonym) and MIL (the role word); "opposition forces" is OPP
because a specific role word beats a generic one ("forces"). Named groups carry both.
People named with a title earlier in the article ("former Syrian President Bashar
Assad") are remembered for the article, so a later "Assad" or "Assad's government"
is coded from that title.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from ..record import Actor
from .lexicon import ARMED_SECTORS, ActorDictionary, ActorEntry

# Dependents that belong to the actor's own phrase; relative clauses, participles and
# most prepositional phrases describe something else.
_PHRASE_DEPS = frozenset({
    "compound", "amod", "poss", "det", "nmod", "nummod", "quantmod", "case", "appos",
    "punct", "cc", "conj", "prep", "pobj", "npadvmod", "advmod",
})
PRONOUNS = frozenset({"he", "she", "they", "it", "him", "her", "them", "its", "his", "their"})
RELATIVES = frozenset({"who", "which", "that", "whom"})
_COUNTRY_KINDS = frozenset({"country", "demonym", "capital", "metonym"})


@dataclass(frozen=True)
class Coding:
    name: str | None
    country: str | None
    sector: str | None
    country_from_name: bool  # the phrase's head is a country, capital or demonym


def phrase_tokens(head: Token, *, with_conj: bool = False) -> list[Token]:
    """The tokens of the noun phrase headed by ``head``, without clauses hanging on it."""
    keep: list[Token] = []
    stack = [head]
    while stack:
        tok = stack.pop()
        keep.append(tok)
        for child in tok.children:
            if child.dep_ not in _PHRASE_DEPS:
                continue
            if child.dep_ in ("conj", "cc") and not with_conj:
                continue
            if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"):
                continue  # "soldiers ... crossed and took over": a clause, not a party
            if child.dep_ == "prep" and child.lower_ not in ("of", "from"):
                continue  # "troops from Chad" is Chad's; "troops in Chad" may not be
            if child.dep_ == "punct" and child.i > head.i:
                continue
            stack.append(child)
    keep.sort(key=lambda t: t.i)
    colons = [t.i for t in keep if t.text == ":" and t.i < head.i]
    if colons:  # "Agreement: Rebel groups ...": a label, not part of the name
        keep = [t for t in keep if t.i > colons[-1]]
    # Trim punctuation at the edges ("Assad ,").
    while keep and (keep[-1].is_punct or keep[-1].dep_ in ("case", "cc")):
        keep.pop()
    while keep and keep[0].is_punct:
        keep.pop(0)
    return keep


def span_text(doc: Doc, tokens: list[Token]) -> str:
    """The text from the first to the last token (``doc.text`` would rebuild the whole
    document's string on every call)."""
    if not tokens:
        return ""
    return doc[tokens[0].i: tokens[-1].i + 1].text


class ActorCoder:
    """Codes noun phrases of one document; holds that document's people."""

    def __init__(self, dictionary: ActorDictionary, doc: Doc) -> None:
        self.dictionary = dictionary
        self.people: dict[str, Coding] = {}
        self._learn_people(doc)

    def _matches(self, tokens: list[Token]) -> list[tuple[ActorEntry, list[Token]]]:
        """Dictionary entries found in a token run, longest match first at each point."""
        found: list[tuple[ActorEntry, list[Token]]] = []
        words = [t.lower_ for t in tokens]
        i = 0
        while i < len(tokens):
            matched = None
            for key in (words[i], tokens[i].lemma_.lower()):
                for entry in self.dictionary.by_first.get(key, ()):
                    if entry.kind == "person" and not tokens[i].text[:1].isupper():
                        continue  # "Bush" the president, not a bush
                    n = len(entry.tokens)
                    if n == 1 or tuple(words[i:i + n]) == entry.tokens:
                        matched = (entry, tokens[i:i + n])
                        break
                if matched:
                    break
            if matched:
                found.append(matched)
                i += len(matched[1])
            else:
                i += 1
        return found

    def _learn_people(self, doc: Doc) -> None:
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            root = ent.root
            titles = [t for t in phrase_tokens(root) if t.i < ent.start or t.i >= ent.end]
            for child in root.children:
                if child.dep_ == "appos":
                    titles.extend(phrase_tokens(child))
            if not titles:
                continue
            coding = self._code_tokens(titles, head=None)
            if coding.country or coding.sector:
                self.people[ent.text.lower()] = coding
                self.people.setdefault(ent[-1].lower_, coding)

    def _code_tokens(self, tokens: list[Token], head: Token | None) -> Coding:
        country = name = sector = None
        country_from_name = False
        specific_sector: str | None = None
        generic_sector: str | None = None
        generic_armed_head = False
        group: ActorEntry | None = None
        head_set = {head.i} if head is not None else set()
        if head is not None:
            head_set.update(c.i for c in head.children if c.dep_ == "compound")
        for entry, toks in self._matches(tokens):
            is_head = any(t.i in head_set for t in toks)
            if entry.kind == "group":
                group = group or entry
            elif entry.kind in _COUNTRY_KINDS or entry.kind == "person":
                if country is None or is_head:
                    country, name = entry.country, entry.name
                    country_from_name = is_head
                if (is_head or entry.kind == "person") and entry.sector:
                    specific_sector = specific_sector or entry.sector
            elif entry.kind == "generic":
                generic_sector = generic_sector or entry.sector
                generic_armed_head = generic_armed_head or (
                    is_head and entry.sector in ARMED_SECTORS)
            elif entry.sector:
                specific_sector = specific_sector or entry.sector
        if group is not None and not country_from_name:
            # a named group decides, unless the phrase's head is a country
            # ("NATO-member Norway" is Norway)
            country = group.country or country
            name = group.name
            sector = group.sector or specific_sector
            country_from_name = False
        else:
            sector = specific_sector or generic_sector
            if sector == "GOV" and generic_armed_head:
                sector = "MIL"  # "government forces", "regime fighters": the state's army
        if country is None or sector is None:
            for tok in tokens:
                if tok.ent_type_ == "PERSON" or tok.pos_ == "PROPN":
                    person = self.people.get(tok.lower_)
                    if person:
                        country = country or person.country
                        sector = sector or person.sector
                        break
        return Coding(name=name, country=country, sector=sector,
                      country_from_name=country_from_name and specific_sector is None)

    def code(self, doc: Doc, head: Token, *, with_conj: bool = True) -> tuple[Actor, Coding]:
        """The actor record for the phrase headed by ``head``."""
        shown = phrase_tokens(head, with_conj=with_conj)
        coded = phrase_tokens(head) if with_conj else shown
        coding = self._code_tokens(coded, head)
        if coding.country is None:
            # "rebels in the Ivory Coast", "opposition groups in Zimbabwe": where a group
            # is says whose it is when nothing else does
            for child in head.children:
                if child.dep_ == "prep" and child.lower_ in ("in", "inside"):
                    place = self._code_tokens(list(child.subtree), None)
                    if place.country is not None:
                        coding = replace(coding, country=place.country)
                        break
        actor = Actor(text=span_text(doc, shown), name=coding.name, country=coding.country,
                      sector=coding.sector)  # type: ignore[arg-type]
        return actor, coding
