"""Where the event happened: the place argument of the trigger, else the sentence's place,
else the article's main place.

The place argument is a place name under a locative preposition of the trigger (or of
the verb a nominal trigger is the object of): "heading towards the Syrian city of
Tartous", "clashes in Herat". A definite noun with no name ("an attack on the base")
refers back to the last place named with that noun ("Hmeimim air base"). Which names
count as places at all, and the article's focus, are decided in :mod:`.places`. In a
chain of names ("in Town (District, Province)", "in X area of Y district, Z") the most
specific place whose qualifiers put it in the same country is taken; a town's name
standing for its district or qualifying another name gives precision 2 (3 for a
province), as does "near X" or "eastern X countryside".

A name far (over 100 km) from a town that qualifies it is a homonym, so the chain falls
to the qualifier ("San Jeronimo suburb, Cusco city"); a region found as the argument
gives way to a town inside it that the sentence names ("in Ain al Arab in Aleppo
province"), a town abroad to the article's country's place in the sentence. "The
capital" with no name is the country's capital; a country that is the event's other
party ("a deal between the government and Russia") is not where it happened.

Chains are also read along the text, since the small model's parse of "X sub-district, Y
District, Z City" or "X in Y (Z)" often loses them: a qualifier is the place only when
the name it qualifies does not fit, and a region qualifying a town in the sentence gives
way to that town ("from Tell Abiad town in Raqqa countryside", precision 2). The two
ends of a road ("on the Webuye-Malaba road") are precision 2 at best; names in a phrase
about an earlier event ("following protests in X") and the qualifiers of the actor's own
place are not the sentence's place. With no place under a preposition, where the
sentence's people are ("residents of X", "the X police") comes before the article's
focus, at precision 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from ..geodesy import haversine_km
from ..record import Location, Toponym
from .lexicon import Cues, load_actor_dictionary
from .places import DIRECTIONS, NAME_ARTICLES, Place, PlaceIndex

# How far a place may lie from a town named as its qualifier ("San Jeronimo suburb, Cusco
# city"): qualifiers are districts and provinces, often resolved to their seat town
# ("Tulunan, Cotabato"), whose places lie within this of it. Further away, the name
# resolved to a homonym elsewhere in the country.
_TOWN_QUALIFIER_KM = 100.0


def _km(a: Toponym, b: Toponym) -> float:
    """Great-circle distance between two resolved places."""
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


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


def _qualifiers(place: Place, index: PlaceIndex) -> list[Place]:
    """The places named after ``place`` within its own phrase, which say where it is:
    "Tamarou (N'dali, Borgou)", "the X area of Y district, Z"."""
    anchor = place.head
    while anchor.dep_ == "compound" and anchor.head.i != anchor.i:
        anchor = anchor.head  # "X area", "X district": the phrase is the noun's
    inside = {t.i for t in anchor.subtree}
    # Names inside the same name ("Nyaung Pin Zay ward", "Manda Island") are no qualifiers.
    parsed = [q for q in index.places if q.head.i > anchor.i and q.head.i in inside]
    return parsed + [q for q in _chain(place, index) if q not in parsed]


# Words that join a place to the places that say where it is, read along the text ("X
# (Y, Z)", "X sub-district, Y District", "X in Y", "the X area of Y").
_CHAIN_WORDS = frozenset({",", "(", ")", "in", "of", "the", "sub"})
_LIST_WORDS = frozenset({"and", "or", "&"})


def _links(tok: Token, nouns: dict[str, tuple[str, ...]]) -> bool:
    """``tok`` may stand between a place and its qualifiers: a comma, a bracket, "in",
    "of", a word for a kind of place, or part of a name the gazetteer lacks ("Bir
    al-Ghanam"); a hyphen only in "sub-district" and "al-", not between the two ends of
    a road ("Jessore-Dhaka highway")."""
    low = tok.lower_
    if tok.text == "-":
        return tok.i > 0 and tok.doc[tok.i - 1].lower_ in NAME_ARTICLES | {"sub"}
    return low in _CHAIN_WORDS or low in nouns or low in NAME_ARTICLES or (
        tok.pos_ == "PROPN" and tok.is_title)


def _chain(place: Place, index: PlaceIndex) -> list[Place]:
    """The places written right after ``place`` as its qualifiers, linked only by commas,
    brackets, "in", "of" and words for kinds of place ("Jati sub-district, Pulogadung
    District, East Jakarta City"): the text's own statement of containment, which the
    small model's parse of such chains often loses. The rest of an unknown longer name
    may come first ("Nyaung Pin Zay ward, Mrauk-U town"). Names that end in "and" are a
    list ("Diffa, Arlit, Zinder, and Agadez"), not a chain."""
    doc, nouns = place.head.doc, index.cues.anaphoric_place_nouns
    sent_end = place.head.sent.end
    i = place.head.i
    while i < sent_end and index.by_token.get(i) is place:
        i += 1
    while i < sent_end and i not in index.by_token and doc[i].pos_ == "PROPN" \
            and doc[i].is_title:
        i += 1  # "Zay" of "Nyaung Pin Zay": the name runs on
    chain: list[Place] = []
    while i < sent_end and len(chain) < 6:
        found = index.by_token.get(i)
        if found is not None and found is not place:
            if found not in chain:
                chain.append(found)
        elif not _links(doc[i], nouns):
            break
        i += 1
    while i < sent_end and (doc[i].text == "," or doc[i].is_title):
        i += 1  # names the gazetteer lacks may stand between ("Sidon, Tripoli, Matn and")
    if i < sent_end and doc[i].lower_ in _LIST_WORDS:
        return []
    return chain


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


def _consistent(place: Place, index: PlaceIndex) -> bool:
    """False when the qualifiers put the place in another country, or far from a town
    they name (a same-named place elsewhere: "San Jeronimo suburb, Cusco city"). A place
    named again among its qualifiers ("Karimama (Karimama, Alibori)", "Sousse (Sousse
    Medina)") is the town and its district sharing a name."""
    top = place.toponym
    qualifiers = _qualifiers(place, index)
    chain = _chain(place, index)
    if top.geonameid is not None and any(q.toponym.geonameid == top.geonameid
                                         and _fold(q.toponym.name).startswith(_fold(top.name))
                                         for q in qualifiers):
        return True
    nouns = index.cues.anaphoric_place_nouns
    anchor = place.head
    while anchor.dep_ == "compound" and anchor.head.i != anchor.i:
        anchor = anchor.head
    # Only the names chained to the place qualify it ("Tamarou (N'dali, Borgou)"), not
    # those of a phrase hung on it ("Santa Cruz, a group of workers of Pampa Hospital").
    # One named like the place's own first-level region is that region, whatever it was
    # resolved to ("Kagara (Rafi, Niger)": Niger State, not the country).
    countries = {top.country if _fold(q.toponym.name) == _fold(top.admin1 or "")
                 else q.toponym.country for q in qualifiers
                 if q.toponym.country and not _misresolved(q, nouns)
                 and (q in chain or _chained(q, anchor, nouns))}
    if top.country and countries and top.country not in countries:
        return False
    if place.precision > 1:
        return True  # a district's centroid lies far from the towns that name it
    # Along the text, only a name written as a town is a town ("X in Aleppo" names the
    # governorate after its capital).
    return all(_km(top, q.toponym) <= _TOWN_QUALIFIER_KM for q in qualifiers
               if q.precision == 1 and q.toponym.country == top.country
               and _rank(q.toponym) >= _rank(top) and not _misresolved(q, nouns)
               and (q in chain and q.noun in _TOWN_NOUNS or _chained(q, anchor, nouns)))


_TOWN_NOUNS = frozenset({"city", "town", "village"})


def _misresolved(place: Place, nouns: dict[str, tuple[str, ...]]) -> bool:
    """The text calls the place a region ("Bam Province", "Homs countryside") but it was
    resolved to a town: a reading that cannot say which country or how far away the
    places it qualifies are."""
    codes = nouns.get(place.noun) or ()
    code = place.toponym.feature_code or ""
    return bool(codes) and all(c.startswith("ADM") for c in codes) \
        and not code.startswith(("ADM", "PCL"))


def _best(places: list[Place], index: PlaceIndex) -> Place | None:
    """The most specific place of a locative phrase whose qualifiers agree with it (the
    qualifiers are written to disambiguate the name, so they outrank its resolution)."""
    pool = list(places)
    for place in places:  # "in X area" may leave the qualifiers out of the phrase's subtree
        pool += [q for q in _qualifiers(place, index) if q not in pool]
    if not pool:
        return None
    fitting = [p for p in pool if _consistent(p, index)]
    # A qualifier says where the place before it lies: it is the place only when that
    # one does not fit ("in Chuadanga city (Chuadanga Sadar, Khulna)" is Chuadanga, even
    # as the district's point), or is a province or country that the town lies in.
    told = {id(q) for p in fitting if p.precision < 3 for q in _chain(p, index)}
    heads = [p for p in fitting if id(p) not in told]
    return min(heads or fitting or pool, key=lambda p: (p.precision, p.head.i))


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
    if any(c.lower_ in DIRECTIONS for t in phrase for c in t.children):
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
    wider = _chain(place, index)  # "Chuadanga city (…, Khulna)": Khulna is not inside
    towns = [p for p in index.in_tokens(sent)
             if p.precision == 1 and p.head.i not in exclude and p is not place
             and p not in wider
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


# Words that open a phrase about another, earlier event ("Following demonstrations in
# Tchaourou, residents of Save barricaded a road").
_EARLIER = frozenset({"following", "after", "since", "before"})


def _earlier(tok: Token) -> bool:
    """``tok`` is in a phrase about an earlier event ("after clashes in X")."""
    cur = tok
    while cur.head.i != cur.i:
        cur = cur.head
        if cur.lower_ in _EARLIER and cur.dep_ in ("prep", "mark", "advmod"):
            return True
        if cur.pos_ in ("VERB", "AUX") and cur.dep_ != "pcomp":
            return False  # reached the clause the phrase belongs to
    return False


def _qualified(place: Place, sent: Span, index: PlaceIndex, exclude: set[int]) -> Place | None:
    """The place that ``place``, found under a locative preposition, only qualifies ("to
    cross from Tell Abiad town in Raqqa countryside"): the event is there, or near it,
    rather than anywhere in the region."""
    precision = _precision(place, index.under_place_prep(place.head), index.cues)
    if precision < 2:
        return None
    hosts = [p for p in index.in_tokens(sent) if p.head.i < place.head.i
             and p.head.i not in exclude and p.precision < precision
             and place in _chain(p, index) and _consistent(p, index)]
    return hosts[-1] if hosts else None


def _of_thing(place: Place, nouns: dict[str, tuple[str, ...]]) -> bool:
    """``place`` names where the people of the sentence are ("residents of Save", "the
    Warangal police", "Mombasa demonstrators") or is a kind of place ("the district of
    Ganfuda"), not a thing's ("a lease of the base"), nor where one came from ("fighters
    from Helmand"), nor part of a longer name ("workers of Pampa Hospital", "the Minister
    of Justice")."""
    head = place.head
    while head.dep_ == "compound" and head.head.i != head.i and head.head.pos_ == "PROPN":
        if head.head.lemma_.lower() not in nouns:
            return False
        head = head.head  # "Nyala Town" in "Nyala Town residents"
    if head.dep_ == "compound":
        return head.head.pos_ == "NOUN" and head.head.is_lower and _people(head.head)
    owner = head.head.head
    return head.dep_ == "pobj" and head.head.lower_ == "of" and owner.pos_ == "NOUN" \
        and owner.is_lower and (_people(owner) or owner.lemma_.lower() in nouns)


def _people(noun: Token) -> bool:
    """A noun the actor dictionary knows as a kind of people ("residents", "police"), not
    a thing ("a lease of the Hmeimim air base" is no one's place)."""
    return bool(load_actor_dictionary().one_word(noun.lower_, noun.lemma_.lower()))


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
    if target is not None and not target_is_place:
        party = index.by_token.get(target.i)
        if party is not None and (party.toponym.feature_code or "").startswith("PCL"):
            # "a deal was struck between the government and Russia": a country that is
            # the other party is not where it was struck
            exclude = exclude | {i for i, p in index.by_token.items() if p is party}
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
        # "shelled Lozova, Kharkiv region": the struck place and its qualifiers
        struck_place = target_is_place or target.i in index.by_token or (
            target.lemma_.lower() in cues.anaphoric_place_nouns and _named(target))
        place = _best([p for p in index.in_tokens(target.subtree) if p.head.i not in exclude
                       and _within(p.head, target, cues)], index) if struck_place else None
        place = place or index.antecedent(target)
        if place is not None:
            return location(place.toponym, _doc_text(doc, place.toponym),
                            _precision(place, None, cues)), "argument"
    # The qualifiers of an actor's own place ("residents of Daret Azza in Aleppo") say
    # where the actor is from, as that place does.
    told = {id(q) for p in index.in_tokens(sent) if p.head.i in exclude
            for q in _chain(p, index)}
    candidates = [p for p in index.in_tokens(sent) if p.head.i not in exclude
                  and id(p) not in told and not _earlier(p.head)]
    # A name that is not under a place preposition ("a lease of the base") is where
    # something else is, so only the ones that are count.
    place = _best([p for p in candidates if index.under_place_prep(p.head) is not None], index)
    if place is None:
        place = next((c for t in sent if t.i not in exclude
                      and index.under_place_prep(t) is not None
                      and (c := _capital(index, t)) is not None), None)
    if place is not None:
        qualified = _qualified(place, sent, index, exclude)
        if qualified is not None:
            return location(qualified.toponym, _doc_text(doc, qualified.toponym),
                            max(_precision(qualified, None, cues), 2)), "sentence"
        return location(place.toponym, _doc_text(doc, place.toponym),
                        _precision(place, index.under_place_prep(place.head), cues)), "sentence"
    place = _best([p for p in index.in_tokens(sent) if id(p) not in told
                   and p.precision < 3 and _of_thing(p, cues.anaphoric_place_nouns)], index)
    if place is not None:
        # Where the people or things of the sentence are ("residents of Save", "the
        # Warangal police"): near where they acted.
        return location(place.toponym, _doc_text(doc, place.toponym),
                        max(_precision(place, None, cues), 2)), "participant"
    focus = _best([index.focus], index) if index.focus is not None else None
    if focus is not None:
        return location(focus.toponym, _doc_text(doc, focus.toponym),
                        max(focus.precision, 2)), "article"
    return None, "none"
