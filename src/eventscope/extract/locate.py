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
precision 2 (3 for a province), as does "near X" or "eastern X countryside".

A name far (over 100 km) from a town that qualifies it is a homonym, so the chain falls
to the qualifier ("San Jeronimo suburb, Cusco city"); a region found as the argument
gives way to a town inside it that the sentence names ("in Ain al Arab in Aleppo
province"), a town abroad to the article's country's place in the sentence. The tail of
a longer name ("Baba" of "Khowajak Baba") and a country naming what belongs to it ("the
US dollar") are no places; "the capital" with no name is the country's capital.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from ..geodesy import haversine_km
from ..record import Location, Toponym
from .lexicon import Cues, load_actor_dictionary

_WIDE = {"ADM1", "CONT", "RGN", "OCN", "SEA", "GULF", "MTS", "PCL", "PCLI", "PCLD", "PCLS",
         "PCLF", "PCLIX", "TERR"}
# A transliterated name goes on after a hyphen with a short lower-case particle
# ("Mazar-e Sharif", "Pul-e Khumri", "Chashmah-ye Duzakh", "Ras al-Ain").
_EZAFE = re.compile(r"-(?:e|i|ye|ul|al|el|ol|ud|ad|as|ash|ar|an|ez|es|ed)[\s-][A-Z]")
# Arabic articles, which transliterations write or drop ("Ar Raqqa" is Raqqa), unlike
# the articles of Romance names ("La Pastora" is not Pastora).
_NAME_ARTICLES = frozenset({"al", "el", "ar", "as", "ad", "an", "at", "az", "ash"})
_DIRECTIONS = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western",
    "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
    "southeastern", "southwestern", "central", "outskirts",
})


# How far a place may lie from a town named as its qualifier ("San Jeronimo suburb, Cusco
# city"): qualifiers are districts and provinces, often resolved to their seat town
# ("Tulunan, Cotabato"), whose places lie within this of it. Further away, the name
# resolved to a homonym elsewhere in the country.
_TOWN_QUALIFIER_KM = 100.0


def _km(a: Toponym, b: Toponym) -> float:
    """Great-circle distance between two resolved places."""
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


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


@lru_cache(maxsize=1)
def _capital_names() -> dict[str, str]:
    """Each country's capital as the actor dictionary names it (GeoNames' country info)."""
    return {e.country: e.term for entries in load_actor_dictionary().by_first.values()
            for e in entries if e.kind == "capital" and e.country}


@lru_cache(maxsize=256)
def _capital_point(country: str) -> tuple[str, float, float, int | None, str | None,
                                          str] | None:
    """The gazetteer's entry for ``country``'s capital: name, lat, lon, geonameid,
    admin1, feature code (its PPLC entry when it has one)."""
    name = _capital_names().get(country)
    if name is None:
        return None
    try:
        from ..geo.gazetteer import GazetteerError, get_gazetteer
    except ImportError:  # the geoparser is optional for the coder
        return None
    try:
        found = [p for p in get_gazetteer(build_if_missing=False).lookup(name)
                 if p.country == country and p.feature_class == "P"]
    except GazetteerError:
        return None
    if not found:
        return None
    best = max(found, key=lambda p: (p.feature_code == "PPLC", p.population))
    return best.name, best.lat, best.lon, best.geonameid, best.admin1, best.feature_code


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
                    and (self._after_place_word(head) or noun in cues.anaphoric_place_nouns)):
                continue  # "Syrian"; but the small model tags "in Herat city" NORP too
            if is_demonym is not None and is_demonym(top):
                continue
            if self._attribute(head, top) or self._inside_name(span):
                continue
            place = Place(top, head, precision_of(top), noun)
            self.places.append(place)
            for tok in span:
                self.by_token[tok.i] = place
        self.places.sort(key=lambda p: p.head.i)
        self.focus = self._focus(doc)
        self.country = self._country()

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
                and tok.lower_ not in _NAME_ARTICLES and tok.lower_ not in _DIRECTIONS
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
            # where things happen or go ("in X", "to X"), not where they come from
            weight = 2 if self._after_place_word(place.head, origin=False) else 1
            counts[gid] += weight
        if not counts:
            return None
        best = max(counts, key=lambda g: (counts[g], -first[g].head.i))
        return first[best]

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


def _capital(index: PlaceIndex, noun: Token) -> Place | None:
    """"the capital", "Benin's capital", "the capital of Mali" with no name of its own:
    the capital of the country named with it, else of the article's country."""
    if noun.lemma_.lower() != "capital" or noun.dep_ in ("compound", "amod") or any(
            c.dep_ in ("compound", "appos") and c.pos_ == "PROPN" for c in noun.children):
        return None  # "the capital city of X", "the capital Cotonou": named there
    country = index.country
    for c in noun.children:
        owner = c if c.dep_ == "poss" else next(
            (g for g in c.children if g.dep_ == "pobj"), None) if c.lower_ == "of" else None
        named = index.by_token.get(owner.i) if owner is not None else None
        if named is not None:
            if not (named.toponym.feature_code or "").startswith("PCL"):
                return None  # a province's capital: the gazetteer does not say which
            country = named.toponym.country
    point = _capital_point(country) if country else None
    if point is None:
        return None
    name, lat, lon, geonameid, admin1, code = point
    top = Toponym(start=noun.idx, end=noun.idx + len(noun), name=name, lat=lat, lon=lon,
                  geonameid=geonameid, country=country, admin1=admin1, feature_code=code,
                  score=1.0)
    return Place(top, noun, 1, "capital")


def _qualifiers(place: Place, places: list[Place]) -> list[Place]:
    """The places named after ``place`` within its own phrase, which say where it is:
    "Tamarou (N'dali, Borgou)", "the X area of Y district, Z"."""
    anchor = place.head
    while anchor.dep_ == "compound" and anchor.head.i != anchor.i:
        anchor = anchor.head  # "X area", "X district": the phrase is the noun's
    inside = {t.i for t in anchor.subtree}
    # Names inside the same name ("Nyaung Pin Zay ward", "Manda Island") are no qualifiers.
    return [q for q in places if q.head.i > anchor.i and q.head.i in inside]


# Links along a chain of qualifying names: "X, Y (Z)", "the X area of Y district"
_CHAIN_DEPS = frozenset({"conj", "appos", "compound", "npadvmod", "nmod", "pobj", "prep",
                         "punct"})
_CHAIN_PREPS = frozenset({"of", "in"})
# Feature codes by how much a name can be trusted to be the well-known place (capital,
# seat of a region, seat of a district, other): a capital qualifying a hamlet says where
# the hamlet is, a hamlet qualifying a capital ("the Pretoria area (Mamelodi)") does not.
_RANK = {"PPLC": 3, "PPLG": 3, "PPLA": 2}


def _rank(top: Toponym) -> int:
    code = top.feature_code or ""
    return _RANK.get(code, 1 if code.startswith("PPLA") else 0)


def _chained(q: Place, anchor: Token, place_nouns: Iterable[str]) -> bool:
    """``q`` qualifies the name at ``anchor`` directly, through commas, brackets, "of" and
    place nouns ("Marbel, Matalam", "Jati sub-district, Pulogadung District"), not through
    a list ("Sidon, Tripoli and Zahle") or a noun of its own ("workers of X hospital")."""
    if any(t.dep_ == "cc" and (t.head.i == anchor.i or t.head.dep_ == "conj")
           for t in anchor.subtree):
        return False
    cur, steps = q.head, 0
    while cur.i != anchor.i:
        if cur.dep_ not in _CHAIN_DEPS or steps > 6 or cur.head.i == cur.i:
            return False
        if cur.dep_ == "prep" and cur.lower_ not in _CHAIN_PREPS:
            return False
        if cur.pos_ == "NOUN" and cur.lemma_.lower() not in place_nouns and cur.i != q.head.i:
            return False
        cur, steps = cur.head, steps + 1
    return True


def _consistent(place: Place, qualifiers: list[Place], index: PlaceIndex) -> bool:
    """False when the qualifiers put the place in another country, or far from a town
    they name (a same-named place elsewhere: "San Jeronimo suburb, Cusco city"). A place
    named again among its qualifiers ("Karimama (Karimama, Alibori)", "Sousse (Sousse
    Medina)") is the town and its district sharing a name."""
    top = place.toponym
    if top.geonameid is not None and any(q.toponym.geonameid == top.geonameid
                                         for q in qualifiers):
        return True
    countries = {q.toponym.country for q in qualifiers if q.toponym.country}
    if top.country and countries and top.country not in countries:
        return False
    anchor = place.head
    while anchor.dep_ == "compound" and anchor.head.i != anchor.i:
        anchor = anchor.head
    nouns = index.cues.anaphoric_place_nouns.keys()
    return all(_km(top, q.toponym) <= _TOWN_QUALIFIER_KM for q in qualifiers
               if q.precision == 1 and q.toponym.country == top.country
               and _rank(q.toponym) >= _rank(top) and _chained(q, anchor, nouns))


def _best(places: list[Place], index: PlaceIndex) -> Place | None:
    """The most specific place of a locative phrase whose qualifiers agree with it (the
    qualifiers are written to disambiguate the name, so they outrank its resolution)."""
    pool = list(places)
    for place in places:  # "in X area" may leave the qualifiers out of the phrase's subtree
        pool += [q for q in _qualifiers(place, index.places) if q not in pool]
    if not pool:
        return None
    fitting = [p for p in pool if _consistent(p, _qualifiers(p, index.places), index)]
    return min(fitting or pool, key=lambda p: (p.precision, p.head.i))


def _named(tok: Token) -> bool:
    """A proper name, or a noun with one ("Tarinkot city"); not "the port city"."""
    return tok.pos_ == "PROPN" or any(
        c.dep_ == "compound" and c.pos_ == "PROPN" for c in tok.children)


def _precision(place: Place, prep: Token | None, cues: Cues) -> int:
    precision = place.precision
    if prep is not None and prep.lower_ in cues.near_preps:
        precision = max(precision, 2)
    head = place.head
    phrase = [head, head.head] if head.dep_ == "compound" else [head]
    if any(c.lower_ in _DIRECTIONS for t in phrase for c in t.children):
        precision = max(precision, 2)  # "eastern Homs countryside", "north of X"
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


def _within(tok: Token, top: Token, cues: Cues) -> bool:
    """``tok`` (inside ``top``'s subtree) says where ``top`` is: it hangs from it by
    "of" or a locative preposition ("in the X area of Y city", "at a checkpoint in Z",
    "an agreement with the regime in Z"), not by another circumstance ("in the cemetery
    upon the body's arrival from Istanbul", "a bus bound for Mandera")."""
    cur = tok
    while cur.i != top.i:
        if cur.dep_ == "prep" and cur.lower_ not in ("of", "with") and \
                cur.lower_ not in cues.sentence_place_preps:
            return False
        if cur.head.i == cur.i:
            return False  # reached the root: ``tok`` was not under ``top`` after all
        cur = cur.head
    return True


def _fold(name: str) -> str:
    return " ".join(name.casefold().replace("-", " ").split())


def _inside(small: Toponym, wide: Toponym) -> bool:
    """``small`` lies in ``wide`` as far as the gazetteer says: same country, and for a
    region the same first-level region."""
    if not small.country or small.country != wide.country:
        return False
    code = wide.feature_code or ""
    if code.startswith("PCL"):
        return True
    return bool(small.admin1 and wide.admin1) and \
        _fold(small.admin1 or "") == _fold(wide.admin1 or "")


def _inner(place: Place, sent: Span, index: PlaceIndex, exclude: set[int],
           target: Token | None) -> Place | None:
    """For a region or country found as the argument ("attacked a headquarters in X in
    Aleppo province", "shelled Bulbul town in Aleppo province"), the town inside it that
    the sentence puts the event in or that the event struck: ACLED codes the most
    specific place named."""
    if place.precision < 2:
        return None
    struck = {t.i for t in target.subtree} if target is not None else set()
    towns = [p for p in index.in_tokens(sent)
             if p.precision == 1 and p.head.i not in exclude and p is not place
             and (index.under_place_prep(p.head) is not None or p.head.i in struck)
             and _inside(p.toponym, place.toponym)]
    return _best(towns, index) if towns else None


def _at_home(place: Place, sent: Span, index: PlaceIndex, exclude: set[int]) -> Place | None:
    """For a town abroad found as the argument while the sentence also puts the event in
    the country the article's places agree on ("in Juliaca, Puno, students staged a
    demonstration in Armas square", Armas read as a town in Armenia): the place at home,
    since a stray homonym abroad is likelier than a second country in one sentence."""
    home = index.country
    if place.precision != 1 or not home or place.toponym.country in (None, home):
        return None
    local = [p for p in index.in_tokens(sent)
             if p.toponym.country == home and p.head.i not in exclude
             and index.under_place_prep(p.head) is not None]
    return _best(local, index) if local else None


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
                place = _capital(index, pobj) or _best(
                    [p for p in index.in_tokens(pobj.subtree)
                     if p.head.i not in exclude and _within(p.head, pobj, cues)], index)
                if place is None:
                    place = index.antecedent(pobj)
                if place is not None:
                    prep: Token | None = child
                    other = _inner(place, sent, index, exclude, target) or _at_home(
                        place, sent, index, exclude)
                    if other is not None:
                        place, prep = other, index.under_place_prep(other.head)
                    return location(place.toponym, _doc_text(doc, place.toponym),
                                    _precision(place, prep, cues)), "argument"
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
    if place is None:
        place = next((c for t in sent if t.i not in exclude
                      and index.under_place_prep(t) is not None
                      and (c := _capital(index, t)) is not None), None)
    if place is not None:
        return location(place.toponym, _doc_text(doc, place.toponym),
                        _precision(place, index.under_place_prep(place.head), cues)), "sentence"
    focus = _best([index.focus], index) if index.focus is not None else None
    if focus is not None:
        return location(focus.toponym, _doc_text(doc, focus.toponym),
                        max(focus.precision, 2)), "article"
    return None, "none"
