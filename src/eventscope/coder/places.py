"""The places of one document as the event coder sees them: which toponyms stand for a
place at all, where each sits in the parse, and what the article is about.

Demonyms ("Syrian"), the tail of a longer name ("Baba" of "Khowajak Baba"), a country
naming what belongs to it ("the US dollar") and the first part of a transliterated name
("Pul" of "Pul-e Khumri") are no places. The article's focus is its most named place,
counting a name under a place preposition ("in X") double and one that stands for a
party ("Russia's intervention", "a deal between the government and Russia") not at all.
Its country, which fills in the country of actors named without one, is the one most of
its names share, parties included: "Russia's foreign minister" is Russia's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..record import Toponym
from .lexicon import Cues

_WIDE = {"ADM1", "CONT", "RGN", "OCN", "SEA", "GULF", "MTS", "PCL", "PCLI", "PCLD", "PCLS",
         "PCLF", "PCLIX", "TERR"}
# A transliterated name goes on after a hyphen with a short lower-case particle
# ("Mazar-e Sharif", "Pul-e Khumri", "Chashmah-ye Duzakh", "Ras al-Ain").
_EZAFE = re.compile(r"-(?:e|i|ye|ul|al|el|ol|ud|ad|as|ash|ar|an|ez|es|ed)[\s-][A-Z]")
# Arabic articles, which transliterations write or drop ("Ar Raqqa" is Raqqa), unlike
# the articles of Romance names ("La Pastora" is not Pastora).
NAME_ARTICLES = frozenset({"al", "el", "ar", "as", "ad", "an", "at", "az", "ash"})
DIRECTIONS = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western",
    "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
    "southeastern", "southwestern", "central", "outskirts",
})


def _fallback_precision(top: Toponym) -> int:
    code = top.feature_code or ""
    if code in _WIDE or code.startswith("PCL"):
        return 3
    if not code or code.startswith("ADM") or code in {"AREA", "RGNE", "PRK", "ISL", "VAL"}:
        return 2
    return 1


def _geo_functions() -> tuple[Callable[[Toponym], int], Callable[[Toponym], bool] | None]:
    try:
        from ..geo import is_demonym, precision_of
    except ImportError:  # the geoparser is optional for the coder
        return _fallback_precision, None
    return precision_of, is_demonym


# Links by which a name stands for a party rather than a place: the subject or possessor
# of an act, or a side "between"/"with"/"by"/"against" which it is done.
_PARTY_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "agent"})
_PARTY_PREPS = frozenset({"between", "with", "by", "against"})


@dataclass
class Place:
    toponym: Toponym
    head: Token  # the place name's syntactic head
    precision: int
    noun: str  # the common noun the name goes with ("base" in "Hmeimim air base")


class PlaceIndex:
    """The toponyms of one document, indexed by token, with the article's focus place."""

    def __init__(self, doc: Doc, toponyms: Iterable[Toponym], cues: Cues,
                 not_places: frozenset[str]) -> None:
        precision_of, is_demonym = _geo_functions()
        self.cues = cues
        self.by_token: dict[int, Place] = {}
        self.places: list[Place] = []
        text = doc.text  # built once: each access joins all tokens again
        for top in toponyms:
            if top.lat is None or top.lon is None:
                continue
            span = doc.char_span(top.start, top.end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            if _EZAFE.match(text, top.end):
                continue  # "Pul" of "Pul-e Khumri": only the first part of a longer name
            if span.text.lower() in not_places or top.name.lower() in not_places:
                continue
            head = span.root
            noun = head.lemma_.lower()
            if head.dep_ == "compound":
                noun = head.head.lemma_.lower()
            elif head.dep_ == "pobj" and head.head.lower_ == "of":
                noun = head.head.head.lemma_.lower()  # "the city of Tartous"
            if all(t.pos_ == "ADJ" or t.ent_type_ in ("NORP", "LANGUAGE") for t in span) and not (
                    (head.pos_ == "PROPN" or head.ent_type_ in ("GPE", "LOC", "FAC"))
                    and (self._after_place_word(head) or noun in cues.anaphoric_place_nouns
                         or (top.feature_code or "").startswith("PPL"))):
                # "Syrian"; but the small model tags "in Herat city" and "Mombasa
                # demonstrators" NORP too
                continue
            if is_demonym is not None and is_demonym(top):
                continue
            if self._attribute(head, top) or self._inside_name(span):
                continue
            precision = precision_of(top)
            if self._road_end(span):
                precision = max(precision, 2)
            place = Place(top, head, precision, noun)
            self.places.append(place)
            for tok in span:
                self.by_token[tok.i] = place
        self.places.sort(key=lambda p: p.head.i)
        self.focus = self._focus(doc)
        self.country = self._country()

    def _road_end(self, span: Span) -> bool:
        """The name is one end of a road or line named after both ("on the Webuye-Malaba
        road", "the Kabul-Kandahar highway"): the event is somewhere along it, near the
        place at best. "Mogadishu-Karan district" names a place, not two ends."""
        doc = span.doc
        if span.end + 1 < len(doc) and doc[span.end].text == "-" \
                and doc[span.end + 1].is_title:
            other = doc[span.end + 1]
        elif span.start >= 2 and doc[span.start - 1].text == "-" \
                and doc[span.start - 2].is_title:
            other = doc[span.start - 2]
        else:
            return False
        noun = max(other, span.root, key=lambda t: t.i)
        while noun.dep_ == "compound" and noun.head.i != noun.i and noun.pos_ == "PROPN":
            noun = noun.head
        return noun.pos_ == "NOUN" and not self.cues.anaphoric_place_nouns.get(
            noun.lemma_.lower())

    def _attribute(self, head: Token, top: Toponym) -> bool:
        """A country's name modifying a noun that is no place names what belongs to the
        country ("the US dollar", "the Ivory Coast embassy"), not where anything is."""
        code = top.feature_code or ""
        return (code.startswith("PCL") and head.dep_ == "compound"
                and head.head.pos_ == "NOUN"
                and head.head.lemma_.lower() not in self.cues.anaphoric_place_nouns)

    def _inside_name(self, span: Span) -> bool:
        """The name is only the tail of a longer proper name ("Baba" of "Khowajak Baba",
        "Naha" of "Kafr Naha", "Nana" of "Thibault Nana"): a proper noun that is no place
        word ("Herat City"), article ("Ar Raqqa") or direction ("South Darfur") comes
        right before it. A name before another ("Benghazi Medical Centre") says where that
        one is, so it stays."""
        if span.start == 0:
            return False
        tok = span.doc[span.start - 1]
        return (tok.pos_ == "PROPN" and tok.is_title and not tok.is_sent_start
                and tok.ent_type_ not in ("DATE", "TIME")
                and tok.lower_ not in NAME_ARTICLES and tok.lower_ not in DIRECTIONS
                and tok.lower_ not in self.cues.anaphoric_place_nouns)

    def _country(self) -> str | None:
        """The country the article's places are in: the one most of them share (a place
        under a place preposition counts double), None if there is a tie."""
        counts: Counter[str] = Counter()
        for place in self.places:
            if place.toponym.country:
                counts[place.toponym.country] += (
                    2 if self._after_place_word(place.head, origin=False) else 1)
        ranked = counts.most_common(2)
        if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
            return None
        return ranked[0][0]

    def _focus(self, doc: Doc) -> Place | None:
        """The place the article is about: the most named one under a place preposition."""
        counts: Counter[int] = Counter()
        first: dict[int, Place] = {}
        for place in self.places:
            gid = place.toponym.geonameid or hash(place.toponym.name)
            first.setdefault(gid, place)
            counts[gid] += self._weight(place)
        if not counts or max(counts.values()) == 0:
            return None
        best = max(counts, key=lambda g: (counts[g], -first[g].head.i))
        return first[best]

    def _weight(self, place: Place) -> int:
        """How much a mention says the article is about the place: 2 where things happen
        or go ("in X", "to X"), none where the name stands for a party ("Russia's
        intervention", "a deal between the government and Russia", "Russia refrained"),
        1 otherwise."""
        if self._party(place):
            return 0
        return 2 if self._after_place_word(place.head, origin=False) else 1

    @staticmethod
    def _party(place: Place) -> bool:
        """The name is a party to something: a subject or possessor, one of the sides
        "between" or "with" which something is done, or a country as an object ("granting
        Russia a lease"; a town as one, "shelled Balakliia", is where it happened)."""
        tok = place.head
        while tok.dep_ == "conj" and tok.head.i != tok.i:
            tok = tok.head
        if tok.dep_ in _PARTY_DEPS:
            return True
        if tok.dep_ in ("dobj", "dative"):
            return (place.toponym.feature_code or "").startswith("PCL")
        return tok.dep_ == "pobj" and tok.head.lower_ in _PARTY_PREPS

    def _after_place_word(self, tok: Token, origin: bool = True) -> bool:
        """``tok`` is under a place preposition; with ``origin`` False, not "from"."""
        cur = tok
        for _ in range(3):
            if cur.dep_ == "pobj" and cur.head.lower_ in self.cues.place_preps and (
                    origin or cur.head.lower_ != "from"):
                return True
            if cur.head.i == cur.i:
                return False
            cur = cur.head
        return False

    def under_place_prep(self, tok: Token) -> Token | None:
        """The locative preposition a place name sits under ("near" in "near X"), if any."""
        cur = tok
        for _ in range(3):
            if cur.dep_ == "pobj" and cur.head.lower_ in self.cues.sentence_place_preps:
                return cur.head
            if cur.head.i == cur.i:
                return None
            cur = cur.head
        return None

    def in_tokens(self, tokens: Iterable[Token]) -> list[Place]:
        seen: list[Place] = []
        for tok in tokens:
            place = self.by_token.get(tok.i)
            if place is not None and place not in seen:
                seen.append(place)
        return seen

    def antecedent(self, noun: Token) -> Place | None:
        """The last place named before ``noun`` that the definite noun can refer to: one
        named with the same noun ("Hmeimim air base" ... "the base"), else one of the
        noun's kind ("El Fasher" ... "the city")."""
        lemma = noun.lemma_.lower()
        codes = self.cues.anaphoric_place_nouns.get(lemma)
        if codes is None:
            return None
        if not any(c.lower_ in ("the", "this", "that") for c in noun.children):
            return None
        same_noun = same_kind = None
        for place in self.places:
            if place.head.i >= noun.i:
                break
            if place.noun == lemma:
                same_noun = place
            elif codes and (place.toponym.feature_code or "").startswith(codes):
                same_kind = place
        return same_noun or same_kind
