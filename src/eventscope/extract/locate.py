"""Where the event happened: the place argument of the trigger, else the sentence's
place, else the article's main place.

The place argument is a place name under a locative preposition of the trigger (or of
the verb a nominal trigger is the object of): "heading towards the Syrian city of
Tartous", "clashes in Herat". A definite noun with no name ("an attack on the base")
refers back to the last place named with that noun ("Hmeimim air base"). Demonyms
("Syrian") and the names of armed groups and organisations ("Taliban") are never
locations. In a chain of names ("in Town (District, Province)", "in X area of Y
district, Z") the most specific place whose qualifiers put it in the same country is
taken; a town's name standing for its district or qualifying another name gives
precision 2 (3 for a province), as does "near X".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..record import Location, Toponym
from .lexicon import Cues

_WIDE = {"ADM1", "CONT", "RGN", "OCN", "SEA", "GULF", "MTS", "PCL", "PCLI", "PCLD", "PCLS",
         "PCLF", "PCLIX", "TERR"}
# A transliterated name goes on after a hyphen with a short lower-case particle
# ("Mazar-e Sharif", "Pul-e Khumri", "Chashmah-ye Duzakh", "Ras al-Ain").
_EZAFE = re.compile(r"-(?:e|i|ye|ul|al|el|ol|ud|ad|as|ash|ar|an|ez|es|ed)[\s-][A-Z]")
_DIRECTIONS = frozenset({
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
            if all(t.pos_ == "ADJ" or t.ent_type_ in ("NORP", "LANGUAGE") for t in span) and not (
                    span.root.pos_ == "PROPN" and self._after_place_word(span.root)):
                continue  # "Syrian"; but the small model tags "in Herat city" NORP too
            if is_demonym is not None and is_demonym(top):
                continue
            head = span.root
            noun = head.lemma_.lower()
            if head.dep_ == "compound":
                noun = head.head.lemma_.lower()
            elif head.dep_ == "pobj" and head.head.lower_ == "of":
                noun = head.head.head.lemma_.lower()  # "the city of Tartous"
            place = Place(top, head, precision_of(top), noun)
            self.places.append(place)
            for tok in span:
                self.by_token[tok.i] = place
        self.places.sort(key=lambda p: p.head.i)
        self.focus = self._focus(doc)
        self.country = self._country()

    def _country(self) -> str | None:
        """The country the article's places are in: the one most of them share (a place
        under a place preposition counts double), None if there is a tie."""
        counts: Counter[str] = Counter()
        for place in self.places:
            if place.toponym.country:
                counts[place.toponym.country] += 2 if self._after_place_word(place.head) else 1
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
            weight = 2 if self._after_place_word(place.head) else 1
            counts[gid] += weight
        if not counts:
            return None
        best = max(counts, key=lambda g: (counts[g], -first[g].head.i))
        return first[best]

    def _after_place_word(self, tok: Token) -> bool:
        cur = tok
        for _ in range(3):
            if cur.dep_ == "pobj" and cur.head.lower_ in self.cues.place_preps:
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


def _qualifiers(place: Place, places: list[Place]) -> list[Place]:
    """The places named after ``place`` within its own phrase, which say where it is:
    "Tamarou (N'dali, Borgou)", "the X area of Y district, Z"."""
    anchor = place.head
    while anchor.dep_ == "compound" and anchor.head.i != anchor.i:
        anchor = anchor.head  # "X area", "X district": the phrase is the noun's
    inside = {t.i for t in anchor.subtree}
    # Names inside the same name ("Nyaung Pin Zay ward", "Manda Island") are no qualifiers.
    return [q for q in places if q.head.i > anchor.i and q.head.i in inside]


def _consistent(place: Place, qualifiers: list[Place]) -> bool:
    """False when the qualifiers put the place in another country: a same-named town
    elsewhere. A place named again among its qualifiers ("Karimama (Karimama, Alibori)",
    "Sousse (Sousse Medina)") is the town and its district sharing a name."""
    top = place.toponym
    if top.geonameid is not None and any(q.toponym.geonameid == top.geonameid
                                         for q in qualifiers):
        return True
    countries = {q.toponym.country for q in qualifiers if q.toponym.country}
    return not (top.country and countries and top.country not in countries)


def _best(places: list[Place], index: PlaceIndex) -> Place | None:
    """The most specific place of a locative phrase whose qualifiers agree with it (the
    qualifiers are written to disambiguate the name, so they outrank its resolution)."""
    pool = list(places)
    for place in places:  # "in X area" may leave the qualifiers out of the phrase's subtree
        pool += [q for q in _qualifiers(place, index.places) if q not in pool]
    if not pool:
        return None
    fitting = [p for p in pool if _consistent(p, _qualifiers(p, index.places))]
    return min(fitting or pool, key=lambda p: (p.precision, p.head.i))


def _named(tok: Token) -> bool:
    """A proper name, or a noun with one ("Tarinkot city"); not "the port city"."""
    return tok.pos_ == "PROPN" or any(
        c.dep_ == "compound" and c.pos_ == "PROPN" for c in tok.children)


def _precision(place: Place, prep: Token | None, cues: Cues) -> int:
    precision = place.precision
    if prep is not None and prep.lower_ in cues.near_preps:
        precision = max(precision, 2)
    if any(c.lower_ in _DIRECTIONS for c in place.head.children):
        precision = max(precision, 2)
    if precision == 1:
        # A town's name used for its district or province ("Kandahar province") or as
        # the qualifier of another name ("Tarinkot city, Urozgan"): the area, not the town.
        codes = cues.anaphoric_place_nouns.get(place.noun) or ("",)
        if codes[0] == "ADM1":
            precision = 3
        elif codes[0].startswith("ADM"):
            precision = 2
        elif place.head.dep_ in ("appos", "npadvmod") and _named(place.head.head):
            precision = 2
    return precision


def location(top: Toponym, text: str, precision: int) -> Location:
    return Location(
        text=text, name=top.name, geonameid=top.geonameid, country=top.country,
        admin1=top.admin1, lat=top.lat, lon=top.lon, feature_code=top.feature_code,
        precision=precision,  # type: ignore[arg-type]
    )


def _doc_text(doc: Doc, top: Toponym) -> str:
    """The place as written (a Span's text: ``doc.text`` rebuilds the whole string)."""
    span = doc.char_span(top.start, top.end, alignment_mode="expand")
    return span.text if span is not None else top.name


def locate(
    doc: Doc,
    sent: Span,
    index: PlaceIndex,
    heads: list[Token],
    target: Token | None,
    target_is_place: bool,
    exclude: set[int],
) -> tuple[Location | None, str]:
    """The event's location and how it was found (argument, sentence, article)."""
    cues = index.cues
    removal = heads[0].lemma_.lower() in cues.removal_verbs
    for head in heads:
        for child in head.children:
            if child.dep_ != "prep" or child.lower_ not in cues.place_preps:
                continue
            if removal and child.lower_ in cues.destination_preps:
                continue  # "evacuated Assad to Russia": not where it happened
            for pobj in child.children:
                if pobj.dep_ != "pobj":
                    continue
                place = _best([p for p in index.in_tokens(pobj.subtree)
                               if p.head.i not in exclude], index)
                if place is None:
                    place = index.antecedent(pobj)
                if place is not None:
                    return location(place.toponym, _doc_text(doc, place.toponym),
                                    _precision(place, child, cues)), "argument"
    if target is not None:
        found = index.in_tokens([target]) if target_is_place else []
        place = found[0] if found else index.antecedent(target)
        if place is not None:
            return location(place.toponym, _doc_text(doc, place.toponym),
                            _precision(place, None, cues)), "argument"
    candidates = [p for p in index.in_tokens(sent) if p.head.i not in exclude]
    # A name that is not under a place preposition ("a lease of the base") is where
    # something else is, so only the ones that are count.
    place = _best([p for p in candidates if index.under_place_prep(p.head) is not None], index)
    if place is not None:
        return location(place.toponym, _doc_text(doc, place.toponym),
                        _precision(place, index.under_place_prep(place.head), cues)), "sentence"
    focus = _best([index.focus], index) if index.focus is not None else None
    if focus is not None:
        return location(focus.toponym, _doc_text(doc, focus.toponym),
                        max(focus.precision, 2)), "article"
    return None, "none"
