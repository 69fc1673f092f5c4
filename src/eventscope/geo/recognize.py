"""Recognition: which spans of a parsed Doc name places.

Two sources, merged: spaCy's entities (GPE, LOC, FAC; NORP too, since the small model
labels unfamiliar town names that way) and gazetteer matches of capitalised n-grams,
which catch places the model misses. Gazetteer-only matches must look like proper
nouns and must not be part of a person's name, a date or a number; small places need
more (not a dictionary word, not inside an organisation's name: "Red Cross", "Mayo
Clinic"). A one-word "person" after a locative preposition that names a sizeable place
is the place ("killed in Gao"), and a name taken as a place once in a document is taken
at its other mentions too. "X, Y" pairs record Y as X's qualifier ("Alexandria,
Louisiana"); Y, "X province" and "province of X" are marked as naming the region; "X (Y,
Z)" and "X town, Y" state that Y contains X (resolved jointly). A dictionary word that
ends a longer capitalised name ("City Hall", "Khowajak Baba") is that name's head noun,
not a town; a lower-case kind word after a name ("Kandahar city") is not part of it;
"Mogadishu-Karan district" lies in the city it starts with; an unknown place name one
typing slip from a city is that city.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from ..geodesy import haversine_km
from .fold import fold
from .gazetteer import DATA_DIR, KIND_DEMONYM, Gazetteer, Place


@lru_cache(maxsize=100_000)
def _fold_name(name: str) -> str:
    return fold(name)

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Entities that a gazetteer match must not overlap: a person's name, dates, numbers.
BLOCK_LABELS = {
    "PERSON", "DATE", "TIME", "MONEY", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY",
    "LANGUAGE", "LAW",
}
MAX_TOKENS = 6
# The possessive clitic as spaCy splits it off ("Peter's", typographic apostrophe too).
POSSESSIVE = {"'s", "\u2019s"}
# Units of currencies that take a country's name ("US dollars", "Egyptian pounds").
CURRENCY_WORDS = {"dollar", "dollars", "pound", "pounds", "peso", "pesos", "rupee",
                  "rupees", "franc", "francs", "dinar", "dinars", "shilling", "shillings",
                  "riyal", "riyals", "rand", "yuan", "yen", "euro", "euros"}
# Under this population a gazetteer-only match is a "small place": a capitalised word is
# then more often a common word or part of an organisation's name than the place.
SMALL_POP = 10_000
# A town at least this big is a city that names its districts ("Mogadishu-Karan").
CITY_POP = 100_000
# Typing slips are corrected only in names this long, and only to places this big.
TYPO_MIN_LEN, TYPO_MIN_POP = 6, 50_000
# A town after "X," qualifies X only this close to it ("Wentworth, Durban").
QUALIFIER_TOWN_KM = 50.0
# A dictionary word this long in a place's slot may be an English exonym of a city
# ("Calcutta"); shorter ones are too often plain words ("in Man town").
EXONYM_MIN_LEN = 6
# Unknown one-word names this long are also looked up split in two.
SPLIT_MIN_LEN = 8


@dataclass
class Mention:
    """A span that may name a place, with its gazetteer candidates."""

    start: int  # character offsets into doc.text
    end: int
    text: str
    key: str
    candidates: list[Place]
    label: str  # spaCy label, or "GAZ" for a gazetteer-only match
    qualifier: int | None = None  # index of the mention that qualifies this one ("X, Y")
    # The text states that the qualifier contains this place ("X (Y, Z)", "X town, Y"):
    # the two are resolved jointly to one consistent reading.
    contained: bool = False
    qualifier_states: set[str] = field(default_factory=set)  # admin1 names from "X, Tex."
    region_cue: bool = False  # "X province", "governorate of X": the text means the region
    # (the Y of "X, Y" is a region cue too; this is set only where a word says so)
    region_named: bool = False
    # The candidates are another spelling's or a typing slip's ("Hodeidah": Hudaydah), not
    # the name's own: a guess that the rest of the document must bear out.
    respelled: bool = False

    @property
    def is_demonym(self) -> bool:
        return bool(self.candidates) and all(c.kind == KIND_DEMONYM for c in self.candidates)


@lru_cache(maxsize=8)
def _word_list(name: str) -> frozenset[str]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return frozenset(ln.strip() for ln in lines[1:] if ln.strip() and not ln.startswith("#"))


def _tsv_rows(name: str) -> list[list[str]]:
    """Rows of a tab-separated data file, below its provenance header and column names."""
    text = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [ln.split("\t") for ln in text if ln.strip() and not ln.startswith("#")][1:]


@lru_cache(maxsize=1)
def _english_country_names() -> frozenset[str]:
    """Folded short names English writes for countries ("UK", "America", "Burma")."""
    return frozenset(fold(row[1]) for row in _tsv_rows("country_aliases.tsv"))


@lru_cache(maxsize=1)
def _region_words() -> frozenset[str]:
    return frozenset(row[0] for row in _tsv_rows("region_suffixes.tsv"))


@lru_cache(maxsize=1)
def _spelling_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    # "ah$": only at the end of a word.
    return tuple(
        (re.compile(re.escape(a.removesuffix("$")) + (r"\b" if a.endswith("$") else "")), b)
        for a, b in _tsv_rows("spelling_variants.tsv")
    )


def spelling_variants(key: str) -> set[str]:
    """Folded keys one or two romanisation choices away from ``key`` ("hodeidah" ->
    "hudaydah")."""
    rules = _spelling_rules()
    one = {p.sub(b, key) for p, b in rules}
    return ({p.sub(b, v) for v in one for p, b in rules} | one) - {key}


@lru_cache(maxsize=1)
def _extra_demonyms() -> dict[str, str]:
    """Folded demonym -> folded name of its place (data/extra_demonyms.tsv)."""
    return {fold(d): fold(p) for d, p in _tsv_rows("extra_demonyms.tsv")}


def _add_demonyms(found: dict[str, list[Place]], names: Iterable[str], gaz: Gazetteer,
                  ) -> None:
    """Demonym readings, added to ``found``, for the ``names`` that
    data/extra_demonyms.tsv lists and the gazetteer has none for ("Saudi", "Texan"):
    the place's widest area, else its most populous reading."""
    extra = _extra_demonyms()
    keys = {k: extra[k] for k in names if k in extra
            and not any(c.kind == KIND_DEMONYM for c in found.get(k, []))}
    if not keys:
        return
    places = gaz.lookup_many(set(keys.values()))
    for key, name in keys.items():
        own = [c for c in places.get(name, []) if _fold_name(c.name) == name]
        best = max(own, key=lambda c: (c.feature_code.startswith("PCL"),
                                       c.feature_code in {"ADM1", "CONT", "RGN"},
                                       c.population), default=None)
        if best is not None:
            found[key] = [*found.get(key, []), replace(best, kind=KIND_DEMONYM)]


def _variant_candidates(keys: set[str], gaz: Gazetteer) -> dict[str, list[Place]]:
    """For place entities the gazetteer does not know: the sizeable places named by a
    spelling variant (a village one vowel away is more likely a different place)."""
    # One word the gazetteer writes as two ("Qansaxdheere": Qansax Dheere).
    splits = {k: {f"{k[:n]} {k[n:]}" for n in range(3, len(k) - 2)} for k in keys
              if " " not in k and len(k) >= SPLIT_MIN_LEN}
    halves = gaz.lookup_many({v for vs in splits.values() for v in vs})
    out: dict[str, list[Place]] = {}
    for key, vs in splits.items():
        if seen := {c.id: c for v in vs for c in halves.get(v, []) if c.kind != KIND_DEMONYM}:
            out[key] = list(seen.values())
    keys = keys - out.keys()
    variants = {k: spelling_variants(k) for k in keys}
    found = gaz.lookup_many({v for vs in variants.values() for v in vs})
    for key, vs in variants.items():
        seen = {c.id: c for v in vs for c in found.get(v, []) if c.kind != KIND_DEMONYM
                and not _small([c])}
        if seen:
            out[key] = list(seen.values())
    # Still unknown: a typing slip ("Timbutku") of a city or region, for names long
    # enough that one slip does not make another name (and slips after the first letters,
    # where typing slips fall).
    for key in keys - out.keys():
        if len(key) < TYPO_MIN_LEN:
            continue
        slips = _one_slip(key)
        seen = {c.id: c for name, cands in gaz.lookup_alike(key, 3, TYPO_MIN_POP).items()
                if name in slips for c in cands if c.kind != KIND_DEMONYM}
        if seen:
            out[key] = list(seen.values())
    return out


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _one_slip(key: str) -> set[str]:
    """Keys one typing slip from ``key``: two letters swapped, one letter dropped, added
    or replaced."""
    cuts = [(key[:i], key[i:]) for i in range(len(key) + 1)]
    return ({a + b[1:] for a, b in cuts if b}
            | {a + b[1] + b[0] + b[2:] for a, b in cuts if len(b) > 1}
            | {a + ch + b[1:] for a, b in cuts if b for ch in _LETTERS}
            | {a + ch + b for a, b in cuts for ch in _LETTERS}) - {key}


_WORDS_BY_MODEL: dict[str, frozenset[str]] = {}
# Pipelines seen, by their vocab (which their Docs share): (vocab, words) pairs, the
# vocab kept so that its id is not reused.
_WORDS_BY_VOCAB: dict[int, tuple[Vocab, frozenset[str]]] = {}


def dictionary_words(nlp: Language) -> frozenset[str]:
    """Lower-case English words: the WordNet lemma index that ``nlp``'s lemmatizer
    carries (empty when it has none). Cached per model name."""
    seen = _WORDS_BY_VOCAB.get(id(nlp.vocab))
    if seen is not None and seen[0] is nlp.vocab:
        return seen[1]
    name = f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"
    words = _WORDS_BY_MODEL.get(name)
    if words is None:
        words = frozenset()
        if "lemmatizer" in nlp.pipe_names:
            lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
            if lookups.has_table("lemma_index"):
                table = lookups.get_table("lemma_index")
                words = frozenset(w for pos in table for w in table[pos])
        _WORDS_BY_MODEL[name] = words
    _WORDS_BY_VOCAB[id(nlp.vocab)] = (nlp.vocab, words)
    return words


def doc_words(doc: Doc) -> frozenset[str]:
    """The dictionary words of the pipeline that parsed ``doc``: one seen before by
    :func:`dictionary_words`, else the configured shared pipeline (callers with another
    pipeline pass it to :func:`recognize`)."""
    seen = _WORDS_BY_VOCAB.get(id(doc.vocab))
    if seen is not None and seen[0] is doc.vocab:
        return seen[1]
    from ..nlp import load_nlp

    return dictionary_words(load_nlp())


def _small(cands: list[Place], counties: bool = True) -> bool:
    """No candidate is a sizeable town, an administrative area (a second-level one only
    when ``counties``) or a curated place."""
    return not any(
        c.population >= SMALL_POP or c.kind == KIND_DEMONYM
        or c.feature_class in {"L", "S", "H"}
        or c.feature_class == "A" and (counties or c.feature_code != "ADM2")
        for c in cands
    )


@lru_cache(maxsize=1)
def _place_words() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """Name articles ("el Mina"), generic words after a name ("Kandahar city"), words
    that name a part of a place before its name ("Northern Syria") and words that begin
    names ("Abu Salim")."""
    return (_word_list("name_articles.txt"), _word_list("generic_place_words.txt"),
            _word_list("direction_words.txt"), _word_list("name_heads.txt"))


@lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], frozenset[str], frozenset[str], dict[str, str]]:
    connectors = _word_list("name_connectors.txt")
    site_words = _word_list("site_words.txt")
    not_places = _word_list("not_places.txt")
    abbrev: dict[str, str] = {}
    for line in (DATA_DIR / "us_state_abbreviations.tsv").read_text("utf-8").splitlines():
        if line and not line.startswith("#") and not line.startswith("abbreviation\t"):
            short, state = line.split("\t")
            abbrev[short.rstrip(".")] = state
    return connectors, site_words, not_places, abbrev


def _capitalised(tok: Token) -> bool:
    return tok.text[:1].isupper() and any(ch.isalpha() for ch in tok.text)


def _can_start(tok: Token, connectors: frozenset[str]) -> bool:
    if _capitalised(tok):
        return True
    # Arabic article before a hyphen or a name: "al-Tanf", "el-Fasher", "el Mina".
    low = tok.lower_
    if low not in connectors or tok.i + 1 == len(tok.doc):
        return False
    nxt = tok.doc[tok.i + 1]
    return nxt.text == "-" or low in _place_words()[0] and _capitalised(nxt)


def _can_continue(tok: Token, connectors: frozenset[str], site_words: frozenset[str]) -> bool:
    return (
        _capitalised(tok)
        or tok.lower_ in connectors
        or tok.lower_ in site_words
        or tok.text in {"-", "'s"}
        or (tok.text == "." and tok.i > 0 and len(tok.doc[tok.i - 1]) <= 4)
    )


def _ngrams(doc: Doc, text: str) -> dict[tuple[int, int], str]:
    """Token ranges (start, end) of candidate names and their folded keys (``text``:
    doc.text, which spaCy builds afresh on each access)."""
    connectors, site_words, _, _ = _lexicon()
    out: dict[tuple[int, int], str] = {}
    for i, tok in enumerate(doc):
        if not _can_start(tok, connectors):
            continue
        for j in range(i + 1, min(i + MAX_TOKENS, len(doc)) + 1):
            last = doc[j - 1]
            if j > i + 1 and not _can_continue(last, connectors, site_words):
                break
            if last.text in {"-", "'s", "."} or last.lower_ in connectors:
                continue  # a name does not end on a connector or a full stop
            key = fold(text[tok.idx : last.idx + len(last.text)])
            if key:
                out[(i, j)] = key
    return out


def _looks_proper(
    span: Span, ent_label: str, not_places: frozenset[str], cands: list[Place],
    cue: bool = False, named_kind: bool = False,
) -> bool:
    """Whether a gazetteer-only match reads as a proper name rather than a common word
    (``cue``: the syntax around it introduces a place, so its tag does not matter;
    ``named_kind``: a locative preposition before and a word for its kind after, "in Man
    town", which make even a common word a name)."""
    # "Sana'a", "Dar'a": an apostrophe inside a transliterated name
    toks = [t for t in span if t.text.replace("'", "").replace("\u2019", "").isalpha()]
    if not toks:
        return False
    if len(toks) == 1:
        tok = toks[0]
        if ent_label in PLACE_LABELS:
            return True
        if (tok.lower_ in not_places or tok.is_stop) and not named_kind:
            return False  # but "in Man town" names the town
        article = span.start > 0 and span.doc[span.start - 1].lower_ in {"a", "an", "the"}
        if tok.is_upper and (len(tok) <= 3 or len(tok) == 4 and article) \
                and ent_label != "NORP":
            # An acronym is an organisation's more often than a town's, wherever it
            # stands ("to ABS"), and so is a longer one with an article ("a CASO"); "EU",
            # "UK" are the acronyms of countries and unions themselves.
            return any(c.feature_code.startswith("PCL") or c.feature_code in {"RGN", "CONT"}
                       for c in cands)
        if ent_label == "NORP" or cue and _capitalised(tok):
            return True
        if tok.pos_ not in {"PROPN"} and not tok.is_upper:
            return False
        prev = span.doc[span.start - 1] if span.start > 0 else None
        if prev is not None and prev.ent_type_ == "PERSON":
            return False
    return True


def _place_cue(doc: Doc, a: int, b: int, locative: frozenset[str]) -> bool:
    """Whether the words around tokens a..b introduce a place: a locative preposition
    ("in Didieni"), a place noun and "of" ("the town of Kersigane"), "capital" ("the
    capital Cotonou"), or a lower-case word for the kind of place ("Bnei Brak city")."""
    nouns = _word_list("place_nouns.txt")
    directions = _place_words()[2]
    while a > 1 and (doc[a - 1].lower_ in directions or doc[a - 1].text == "-"
                     and doc[a - 2].lower_ in directions):
        a -= 1  # "in north-east Menbij", "near southern Kidal"
    prev = doc[a - 1].lower_ if a > 0 else ""
    return (prev in locative or prev == "capital"
            or prev == "of" and a >= 2 and doc[a - 2].text in nouns
            or b < len(doc) and doc[b].text in _place_words()[1])


def _tail_of_name(doc: Doc, a: int, cands: list[Place]) -> bool:
    """Whether the word at ``a`` ends a longer name that runs on from the word before
    it (a capitalised word, or an article as in "el Mina"), so that alone it names no
    place: not when the word names a country or continent ("Northern Syria"), or a
    sizeable place after a word for a part of it ("Greater London")."""
    if a == 0:
        return False
    prev, tok = doc[a - 1], doc[a]
    articles, _generic, directions, _heads = _place_words()
    if tok.ent_iob_ == "B":
        return False  # a name of its own right after another one ("Syrian Aleppo")
    if prev.lower_ in articles and not _capitalised(prev):
        return True
    if not (_capitalised(prev) and any(ch.isalpha() for ch in prev.text)):
        return False
    if prev.is_sent_start and prev.pos_ != "PROPN":
        return False  # "In Paris", "Troops ..."
    # A country or continent (or its adjective), or a city of that very name ("Dublin",
    # not "The Valley"), is named by the word alone; a word that is also a small town or
    # a region ("Hall", "Plateau"), or another language's name of a country ("Island" of
    # "Manda Island" is Iceland's), is the longer name's head noun.
    key = fold(tok.text)
    own = key in _english_country_names()
    if any(c.kind == KIND_DEMONYM
           or (c.feature_code.startswith("PCL") or c.feature_code in ("CONT", "PPLC")
               or c.feature_class == "P" and c.population >= CITY_POP)
           and (own or fold(c.name) == key) for c in cands):
        return False
    return not (prev.lower_ in directions and not _small(cands))


def _district_compounds(doc: Doc, text: str) -> dict[tuple[int, int], str]:
    """'A-B district' token ranges (A-B) with the folded key of A (``text``: doc.text)."""
    generic = _place_words()[1]
    out: dict[tuple[int, int], str] = {}
    # Token objects are costly: visit the hyphen tokens only, found from their offsets.
    starts = doc.to_array("IDX")
    at = [hit.start() for hit in re.finditer("-", text)]
    for i in (int(i) for i in np.searchsorted(starts, at) if i < len(doc)):
        if doc[i].text != "-":
            continue
        if (0 < i < len(doc) - 2 and _capitalised(doc[i - 1]) and _capitalised(doc[i + 1])
                and doc[i + 2].text in generic and (key := fold(doc[i - 1].text))):
            out[(i - 1, i + 2)] = key
    return out


def _inside_org(a: int, b: int, org: Span) -> bool:
    """Whether tokens a..b (within ``org``) read as part of the organisation's own name:
    anywhere but at its start ("International Committee of the Red Cross"), or the whole
    of a name of several words ("the Red Cross"). A place that leads a longer name is
    the place the organisation is named after ("Grand Ledge Public Schools"); a lone
    word tagged ORG is too often an unfamiliar town."""
    return a > org.start or (b == org.end and b - a >= 2)


_DASHES = frozenset({"-", "\u2013", "\u2014"})


def _trim(ent: Span) -> Span | None:
    """The entity without a leading article, a trailing possessive or full stop or a
    lower-case word for the kind of place ("the Red River", "Boone County's", "Santa
    Ana.", "Kandahar city")."""
    a, b = ent.start, ent.end
    while a < b and ent.doc[a].lower_ in {"the", "a"}:
        a += 1
    # The small model runs one entity over a name and its qualifiers ("Yerevan (Yerevan,
    # Armenia", "Obrenovac, Serbia", "Deir-ez-Zor - Al-Joura"): the name ends there.
    b = next((t.i for t in ent.doc[a + 1:b] if t.text in {"(", ","} or t.text in _DASHES
              and t.whitespace_ and t.i > 0 and ent.doc[t.i - 1].whitespace_), b)
    generic = _place_words()[1]
    while b > a and (ent.doc[b - 1].lower_ in {"'s", "\u2019s", "'", "\u2019"}
                     or ent.doc[b - 1].is_punct
                     or b - 1 > a and ent.doc[b - 1].text in generic):  # "Kandahar city"
        b -= 1
    if a == b:
        return None
    return Span(ent.doc, a, b, label=ent.label_)


def recognize(doc: Doc, gaz: Gazetteer, nlp: Language | None = None) -> list[Mention]:
    """Place-name mentions in ``doc``, in text order, with their candidates. ``nlp`` is
    the pipeline that parsed ``doc`` (its word list tells common words from names)."""
    connectors, _, not_places, abbrev = _lexicon()
    articles, name_heads = _place_words()[0], _place_words()[3]
    text = doc.text
    words = dictionary_words(nlp) if nlp is not None else doc_words(doc)
    grams = _ngrams(doc, text)
    ents = [span for e in doc.ents if e.label_ in PLACE_LABELS or e.label_ == "NORP"
            if (span := _trim(e)) is not None]
    ent_keys = {(e.start, e.end): fold(e.text) for e in ents}
    districts = _district_compounds(doc, text)
    # Two-word names the gazetteer writes as one ("Ceel Buur": Ceelbuur), under the
    # place's own name only.
    joined = {k: k.replace(" ", "") for (a, b), k in grams.items()
              if b - a == 2 and all(t.is_alpha and not t.is_stop for t in doc[a:b])}
    found = gaz.lookup_many([*grams.values(), *ent_keys.values(), *districts.values(),
                             *joined.values()])
    _add_demonyms(found, grams.values(), gaz)
    for key, one in joined.items():
        if not found.get(key) and (own := [c for c in found.get(one, [])
                                           if _fold_name(c.name) == one]):
            found[key] = own
    for (a, b), key in districts.items():
        # "Mogadishu-Karan district": a district of the city its name starts with, when
        # the whole name is unknown.
        if not found.get(grams.get((a, b), "")) and any(
                c.feature_class == "P" and c.population >= CITY_POP for c in found[key]):
            grams[(a, b)] = key
    # Spelling variants only for unknown names that spaCy calls places or that stand in a
    # place's slot, long enough to say more than their vowels, and not words ("Ave",
    # acronyms, "Ebola").
    locative = _word_list("locative_prepositions.txt")
    # A lone unknown name after "in", "near" is a place too, whatever spaCy calls it
    # ("a camp in Timbutku" tagged ORG).
    named = [e for e in ents if e.label_ in PLACE_LABELS] + [
        e for e in doc.ents if len(e) == 1 and e.label_ in {"ORG", "PERSON", "NORP"}
        and e.start > 0 and doc[e.start - 1].lower_ in locative] + [
        # and a lone untagged name in a place's slot ("off the coast of Hodeidah"; not
        # "Mashru" of "in Mashru Al Hadba")
        doc[i:i + 1] for i, t in enumerate(doc) if not t.ent_type_ and t.pos_ == "PROPN"
        and not t.is_sent_start and _capitalised(t) and _place_cue(doc, i, i + 1, locative)
        and not (i + 1 < len(doc) and (_capitalised(doc[i + 1]) or doc[i + 1].text == "-"))]
    unknown = {key for e in named if not e.text.isupper()
               if len(key := fold(e.text)) >= 5 and not found.get(key) and key not in words}
    respelled = _variant_candidates(unknown, gaz)
    found |= respelled

    blocked = [False] * len(doc)
    ent_label = [""] * len(doc)
    for e in doc.ents:
        for t in range(e.start, e.end):
            blocked[t] = e.label_ in BLOCK_LABELS
            ent_label[t] = e.label_
        if e.label_ == "MONEY":
            # The country that names a currency is a place name too ("6.5 billion US
            # dollars", "Hong Kong dollars"): the capitalised words before the unit.
            for t in range(e.start, e.end - 1):
                if doc[t + 1].lower_ in CURRENCY_WORDS:
                    at = t
                    while at >= e.start and _capitalised(doc[at]):
                        blocked[at] = False
                        at -= 1

    orgs = [span for e in doc.ents if e.label_ == "ORG" if (span := _trim(e)) is not None]
    org_of = [-1] * len(doc)  # which ORG entity a token is in
    for n, e in enumerate(orgs):
        for t in range(e.start, e.end):
            org_of[t] = n

    taken = [False] * len(doc)
    spent = [False] * len(doc)  # inside a longer name turned down as an organisation's
    spans: list[tuple[int, int, str, list[Place]]] = []
    # Matches turned down for how they read (a person's name, a common word): taken
    # after all if the same name is a place elsewhere in the document.
    declined: list[tuple[int, int, str]] = []

    def take(a: int, b: int, label: str, cands: list[Place]) -> None:
        for t in range(a, b):
            taken[t] = True
        spans.append((a, b, label, cands))

    def lone_entity(a: int, b: int) -> bool:
        """Whether no entity runs on past a..b (not "George" of "George Bush")."""
        return doc[a].ent_iob_ != "I" and (b == len(doc) or doc[b].ent_iob_ != "I")

    # Longest gazetteer matches first; an entity wins when it is at least as long.
    by_length = sorted(grams.items(), key=lambda kv: (kv[0][0] - kv[0][1], kv[0][0]))
    ent_at = {(e.start, e.end): e for e in ents}
    ent_of: list[Span | None] = [None] * len(doc)  # the (trimmed) entity holding a token
    for e in ents:
        for t in range(e.start, e.end):
            ent_of[t] = e
    for (a, b), key in by_length:
        cands = found.get(key) or []
        if not cands or any(taken[a:b]) or any(spent[a:b]):
            continue
        span = doc[a:b]
        cue = _place_cue(doc, a, b, locative)
        if any(blocked[a:b]) and not (cue and _misread(span, ent_label, cands, words)
                                      and lone_entity(a, b)):
            declined.append((a, b, key))
            continue
        host = ent_of[a]
        if host is not None and b > host.end:
            host = None
        if host is not None and (a, b) != (host.start, host.end) and b != host.end:
            continue  # "South" of "South Ossetia": a part must include the name's head
        if b - a == 1 and span[0].lower_ in words and _tail_of_name(doc, a, cands):
            continue  # "Hall" of "City Hall", "Hood" of "Fort Hood", "Baba" of "Khowajak Baba"
        bare = [t for t in span if t.lower_ not in articles]  # "Al Dar" is "Dar"
        if len(bare) == 1 and bare[0].lower_ in name_heads and b < len(doc) and (
                _capitalised(doc[b]) or doc[b].text == "-" or doc[b].lower_ in connectors):
            continue  # "Abu" of "Abu Salim", "Wadi" of "Wadi al-Rabi", "Al Dar Al Hamra"
        labels = {ent_label[t] for t in range(a, b)}
        label = next((lb for lb in ("GPE", "LOC", "FAC", "NORP") if lb in labels), "GAZ")
        # An adjective with a demonym reading is the demonym ("Canadian officials"),
        # not the Texan town called Canadian; and it needs no proper-noun test.
        demonyms = [c for c in cands if c.kind == KIND_DEMONYM]
        if demonyms and (b - a == 1 and span[0].pos_ == "ADJ" or label == "NORP"):
            cands = demonyms
        currency = ent_label[a] == "MONEY" and b < len(doc) and doc[b].lower_ in CURRENCY_WORDS
        if (a, b) not in ent_at and not _looks_proper(
            span, "NORP" if cands == demonyms else label, not_places, cands,
            cue, currency or b < len(doc) and doc[b].text in _place_words()[1] and a > 0
            and doc[a - 1].lower_ in locative,
        ):
            declined.append((a, b, key))
            continue
        if label == "NORP" and all(c.kind != KIND_DEMONYM for c in cands):
            # NORP words that name a place only as a town homonym ("Democrats").
            if span.text.endswith("s") and not _capitalised(span[-1]):
                continue
        if label == "GAZ" and b - a == 1 and span[0].lower_ in words:
            # A dictionary word names a town only under the town's own name, not as a
            # foreign or alternate form ("Grenade" is French for Granada), unless it is
            # capitalised in a place's slot and the other form's town is a city ("in
            # Calcutta": English exonyms such as "Calcutta", "Bombay" are in the word list).
            exonym = (cue and _capitalised(span[0]) and not span[0].is_sent_start
                      and len(key) >= EXONYM_MIN_LEN)
            cands = [c for c in cands if c.feature_class != "P" or fold(c.name) == key
                     or exonym and c.population >= CITY_POP]
            # Nor does one between "the" and a common noun, "the Mile mall", unless a
            # region or city that size is named so ("the Texas board", "the Glasgow area").
            if not cands or a > 0 and doc[a - 1].lower_ == "the" and b < len(doc) \
                    and doc[b].pos_ == "NOUN" and doc[b].is_lower and not any(
                    c.feature_code.startswith(("PCL", "ADM1")) or c.population >= CITY_POP
                    for c in cands):
                declined.append((a, b, key))
                continue
        in_org = org_of[a] >= 0 and org_of[b - 1] == org_of[a]
        # A dictionary word leading an organisation's name is the word, even when a
        # county has it as its name ("Mayo" of "Mayo Clinic").
        # A whole organisation "name" in a place's slot is the place ("from Tell Abiad
        # town").
        whole_org = in_org and cue and (a, b) == (orgs[org_of[a]].start, orgs[org_of[a]].end)
        if label == "GAZ" and (
            _small(cands) and in_org and not whole_org and _inside_org(a, b, orgs[org_of[a]])
            or b - a == 1 and span[0].lower_ in words and _small(cands, counties=not in_org)
        ):
            declined.append((a, b, key))
            for t in range(a, b):
                spent[t] = True  # nor is a part of it a place ("Red" of "Red Cross")
            continue
        # The curated sites file is the authority for the names it lists: "White House"
        # is the building, not the towns that have the name as an alternate.
        curated = [c for c in cands if c.feature_class == "S" and c.source.startswith("curated")]
        take(a, b, label if (a, b) in ent_at else "GAZ", curated or cands)
    # Place entities the gazetteer does not know are still place names; one that starts
    # with a sizeable place is named after it and lies there ("London International
    # Airport", "Athens Regional Park").
    # "Oaxaca State", "Akita Prefecture", "Manchester City": a known name and a word for
    # its kind, which the gazetteer may not hold together.
    directions, kind_words = _place_words()[2], _region_words() | _place_words()[1]
    heads = {(e.start, e.end): fold(doc[e.start : e.end - 1].text) for e in ents
             if len(e) > 1 and doc[e.end - 1].lower_ in kind_words}
    found |= gaz.lookup_many(heads.values())
    for e in ents:
        if e.label_ not in PLACE_LABELS or any(taken[e.start : e.end]):
            continue
        own = [c for c in found.get(ent_keys[(e.start, e.end)], []) if c.kind != KIND_DEMONYM]
        head = [c for c in found.get(heads.get((e.start, e.end), ""), [])
                if c.kind != KIND_DEMONYM]
        lead = next(((e.start, j) for j in range(e.end - 1, e.start, -1)
                     if (gram := grams.get((e.start, j))) and found.get(gram)), None)
        cands = [c for c in found[grams[lead]] if c.kind != KIND_DEMONYM] if lead else []
        if own or head:  # a name the n-grams could not spell ("Côte d'Ivoire")
            take(e.start, e.end, e.label_, own or head)
        elif (lead and cands and not _small(cands) and doc[e.start].lower_ not in directions
              # "St. Peter's Basilica": named after a person, not lying in a town
              and doc[lead[1]].lower_ not in POSSESSIVE
              and not (lead[1] - lead[0] == 1 and doc[e.start].lower_ in not_places)
              and not (lead[1] - lead[0] == 1 and doc[e.start].lower_ in name_heads)):
            take(*lead, "GAZ", cands)
        else:
            take(e.start, e.end, e.label_, [])
    _take_qualifiers(doc, declined, found, spans, taken, take, lone_entity)
    _take_person_tagged(doc, declined, found, spans, taken, take, lone_entity)
    # A name taken as a place once is the same place at its other mentions ("Menaka"
    # tagged a place, later a person), unless there it is part of a longer name; and it
    # wins over shorter names taken inside it ("Trinidad" of "Trinidad and Tobago" where
    # "Tobago" was tagged a person), longest first.
    placed = {grams.get((a, b)) or fold(doc[a:b].text): cands for a, b, _l, cands in spans
              if cands}
    # Which taken span holds each token (spans never overlap), to find those inside a
    # declined name without scanning them all.
    owner: dict[int, int] = {t: n for n, sp in enumerate(spans) for t in range(sp[0], sp[1])}
    dropped: set[int] = set()
    for a, b, key in sorted(declined, key=lambda d: (d[0] - d[1], d[0])):
        if key not in placed or not lone_entity(a, b):
            continue
        inner = {owner[t] for t in range(a, b) if t in owner}
        if any(spans[n][0] < a or b < spans[n][1] for n in inner):
            continue
        dropped |= inner
        take(a, b, "GAZ", placed[key])
        for t in range(a, b):
            owner[t] = len(spans) - 1
    spans[:] = sorted(sp for n, sp in enumerate(spans) if n not in dropped)
    mentions = [
        Mention(
            start=doc[a].idx, end=doc[b - 1].idx + len(doc[b - 1].text),
            text=doc[a:b].text, key=(key := grams.get((a, b)) or fold(doc[a:b].text)),
            candidates=cands, label=label, respelled=key in respelled,
        )
        for a, b, label, cands in spans
    ]
    _link_qualifiers(doc, spans, mentions, abbrev)
    regions = _region_words()
    qualifiers = {m.qualifier for m in mentions}  # Y of "X, Y" is X's region
    for n, ((a, b, *_rest), m) in enumerate(zip(spans, mentions, strict=True)):
        m.region_named = (b < len(doc) and doc[b].lower_ in regions) or (
            a >= 2 and doc[a - 1].lower_ == "of" and doc[a - 2].lower_ in regions)
        m.region_cue = n in qualifiers or m.region_named
    return mentions


def _misread(span: Span, ent_label: list[str], cands: list[Place],
             words: frozenset[str]) -> bool:
    """Whether an entity spaCy tags as a person (or a date) in a place's slot is a place
    name it does not know: capitalised words, not a possessive, and (for a small place or
    a date) not a dictionary word ("in Boussouma", "in Chilas", "in Ben Gardane")."""
    labels = {ent_label[t] for t in range(span.start, span.end)}
    doc, key = span.doc, fold(span.text)
    if not labels <= {"PERSON", "DATE", ""} or not _capitalised(span[0]):
        return False
    if span.end < len(doc) and doc[span.end].lower_ in POSSESSIVE:
        return False
    return not ((_small(cands) or "DATE" in labels) and key in words)


def _take_qualifiers(
    doc: Doc, declined: list[tuple[int, int, str]], found: dict[str, list[Place]],
    spans: list[tuple[int, int, str, list[Place]]], taken: list[bool],
    take: Callable[[int, int, str, list[Place]], None],
    lone_entity: Callable[[int, int], bool],
) -> None:
    """Names turned down for their tag that qualify the name before them, in text order:
    inside "(...)" after a place, or after a capitalised name that follows a locative
    preposition, any known place but an acronym ("Pede (Kandi, Alibori)", not "Kurdistan
    Workers Party (PKK)");
    after ",", a place that can contain the place before ("Mankwi village, Bafut"), that
    follows a name the gazetteer lacks after a locative preposition ("in Hulu Rening,
    Batang Kali, Selangor") or a sizeable town after an organisation's name ("the Ministry
    of Finance, Abuja"), and is no sentence's subject ("in London, Smith said")."""
    generic = _place_words()[1]
    ends = {b: cands for _a, b, _l, cands in spans}
    for a, b, key in sorted(declined):
        if a < 2 or any(taken[a:b]) or not lone_entity(a, b) or not _capitalised(doc[a]):
            continue
        cands = [c for c in found.get(key, []) if c.kind != KIND_DEMONYM]
        if not cands or doc[a - 1].text not in {"(", ","}:
            continue
        if b < len(doc) and _capitalised(doc[b]):
            continue  # the first word of a longer name: "(Sector Autonomo de Bissau"
        subject = b < len(doc) and doc[b].pos_ in {"VERB", "AUX"}
        if not doc[a].is_upper and _in_brackets(doc, a, ends) or doc[a - 1].text == "," \
                and not subject and (_contains_host(doc, a - 1, ends, cands, generic)
                                     or _qualifies_unknown(doc, a - 1, ends, taken, cands)
                                     or _address(doc, a - 1, cands)):
            take(a, b, "GAZ", cands)
            ends[b] = cands


# Words that join the members of a list of names ("Gloucester and Cheltenham").
LIST_JOINERS = {"and", "or", ",", "&"}


def _take_person_tagged(
    doc: Doc, declined: list[tuple[int, int, str]], found: dict[str, list[Place]],
    spans: list[tuple[int, int, str, list[Place]]], taken: list[bool],
    take: Callable[[int, int, str, list[Place]], None],
    lone_entity: Callable[[int, int], bool],
) -> None:
    """Whole "person" entities that are place names, in text order: one listed next to a
    place ("Gloucester and Cheltenham", "Hilversum and Almelo"; a list holds names of
    one kind) that names a sizeable place, and one of several words that is the very
    name of a country or first-level region ("Tamil Nadu": people are rarely called
    so)."""
    starts = {a: cands for a, _b, _l, cands in spans if cands}
    ends = {b: cands for _a, b, _l, cands in spans if cands}
    for a, b, key in sorted(declined):
        span = doc[a:b]
        if any(taken[a:b]) or not lone_entity(a, b) or doc[a].ent_iob_ != "B" \
                or any(t.ent_type_ != "PERSON" for t in span) or not _capitalised(doc[a]):
            continue
        cands = [c for c in found.get(key, []) if c.kind != KIND_DEMONYM]
        if not cands or b < len(doc) and doc[b].lower_ in POSSESSIVE:
            continue
        listed = not _small(cands) and (
            a >= 2 and doc[a - 1].lower_ in LIST_JOINERS and a - 1 in ends
            or b + 1 < len(doc) and doc[b].lower_ in LIST_JOINERS and b + 1 in starts)
        region = b - a >= 2 and any(
            _fold_name(c.name) == key and (c.feature_code == "ADM1"
                                           or c.feature_code.startswith("PCL"))
            for c in cands)
        if listed or region:
            take(a, b, "GAZ", cands)
            starts[a], ends[b] = cands, cands


def _qualifies_unknown(doc: Doc, comma: int, ends: dict[int, list[Place]],
                       taken: list[bool], cands: list[Place]) -> bool:
    """Whether the name before ``comma`` is one the gazetteer lacks, right after a
    locative preposition, so that a town or region after the comma says where it is
    ("in Hulu Rening, Batang Kali")."""
    unknown = not ends.get(comma) if taken[comma - 1] else comma not in ends
    return comma >= 2 and unknown and _after_locative(doc, comma - 1) \
        and any(c.feature_class in {"P", "A"} for c in cands)


def _address(doc: Doc, comma: int, cands: list[Place]) -> bool:
    """Whether the name after ``comma`` is the town of the organisation named before it
    ("the Federal Ministry of Finance, Abuja"): a sizeable town or a region."""
    prev = doc[comma - 1]
    return prev.ent_type_ == "ORG" and prev.ent_iob_ != "O" and not _small(cands)


# How far back a bracket may open for the names in it to qualify the place before it
# (a few names: "(Nyamurenza, Ngozi)"); a longer walk is a list, and would make a long
# list cost its length squared.
BRACKET_REACH = 40


def _in_brackets(doc: Doc, a: int, ends: dict[int, list[Place]]) -> bool:
    """Whether token ``a`` is in a list of names in brackets right after a place, or
    after a capitalised word that follows a locative preposition: "in Kinyovu
    (Nyamurenza, Ngozi)"."""
    p = a - 1
    while p > 0 and a - p < BRACKET_REACH and doc[p].text != "(" and (
            doc[p].text == "," or _capitalised(doc[p])):
        p -= 1
    if p < 2 or doc[p].text != "(":
        return False
    if p in ends:
        return True
    # "in Buurane village (Jowhar, ...", "on Mugerera hill (Kiremba, ...", "in Nyaung
    # Pin Zay ward (...": a name after a locative preposition, perhaps with a word for
    # its kind.
    return _after_locative(doc, p - 1)


def _after_locative(doc: Doc, q: int) -> bool:
    """Whether the token at ``q`` ends a capitalised name, perhaps with a lower-case word
    for its kind ("Mugerera hill"), right after a locative preposition."""
    if doc[q].is_lower and doc[q].is_alpha and not doc[q].is_stop:
        q -= 1
    start = q
    while q > 0 and start - q < MAX_TOKENS and _capitalised(doc[q]):
        q -= 1
    return q < start and doc[q].lower_ in _word_list("locative_prepositions.txt")


def _contains_host(doc: Doc, comma: int, ends: dict[int, list[Place]], cands: list[Place],
                   generic: frozenset[str]) -> bool:
    """Whether a reading of ``cands`` can contain a reading of the place that ends just
    before ``comma`` ("Mankwi village,"): an area of its country, or a town near it."""
    before = comma - 1 if comma >= 2 and doc[comma - 1].text in generic else comma
    return any(
        c.cc == h.cc and (c.feature_class == "A" or c.feature_class == "P" and haversine_km(
            c.lat, c.lon, h.lat, h.lon) <= QUALIFIER_TOWN_KM)
        for c in cands for h in ends.get(before) or [])


def _link_qualifiers(
    doc: Doc, spans: list[tuple[int, int, str, list[Place]]], mentions: list[Mention],
    abbrev: dict[str, str],
) -> None:
    """'X, Y': Y (a region, country or state abbreviation) qualifies X. 'X (Y', 'X town,
    Y' and 'X town (Y': Y, whatever it is, contains X."""
    generic = _place_words()[1]
    starts = {a: i for i, (a, *_rest) in enumerate(spans)}
    listed = _plain_lists(doc, spans, generic)
    for i, (_a, b, *_rest) in enumerate(spans):
        named_kind = b < len(doc) and doc[b].lower_ in generic  # "Bamenda town"
        c = b + 1 if named_kind else b
        if c + 1 >= len(doc) or doc[c].text not in {",", "("}:
            continue
        j = starts.get(c + 1)
        if doc[c].text == "," and listed[i] and j is not None and listed[j]:
            continue  # "Aleppo, Idlib, Hama and Homs": siblings, not a chain
        if j is not None and (named_kind or doc[c].text == "("):
            mentions[i].qualifier, mentions[i].contained = j, True
        elif j is not None and doc[c].text == "," and any(
            p.feature_code.startswith(("ADM", "PCL")) for p in mentions[j].candidates
        ):
            mentions[i].qualifier = j
        state = abbrev.get(doc[c + 1].text.rstrip("."))
        if state is not None and doc[c].text == ",":
            mentions[i].qualifier_states.add(state)


# A comma-separated run of this many place names is a list of places side by side, not
# a chain of containment, even without a closing "and" (real chains run village,
# district, region, country).
LIST_RUN = 5
_LIST_CONJUNCTIONS = frozenset({"and", "or", "&"})


def _plain_lists(doc: Doc, spans: list[tuple[int, int, str, list[Place]]],
                 generic: frozenset[str]) -> list[bool]:
    """For each span, whether it is a member of a plain list: "A, B, C and D" (three or
    more names, the last joined by a conjunction) or a comma run of :data:`LIST_RUN` or
    more names. One pass over the spans."""
    out = [False] * len(spans)
    run: list[int] = []
    joined = False  # the run's last member came after a conjunction

    def close() -> None:
        if len(run) >= LIST_RUN or len(run) >= 3 and joined:
            for n in run:
                out[n] = True

    for n, (a, _b, *_rest) in enumerate(spans):
        if run:
            gap = [t.lower_ for t in doc[spans[run[-1]][1]:a]]
            if gap and gap[0] in generic:  # "Bamenda town, Bafut"
                gap = gap[1:]
            if gap in ([","], [",", "and"], [",", "or"], ["and"], ["or"], ["&"]):
                run.append(n)
                joined = gap[-1] in _LIST_CONJUNCTIONS
                continue
            close()
        run, joined = [n], False
    if run:
        close()
    return out
