"""Recognition: which spans of a parsed Doc name places.

Two sources, merged: spaCy's entities (GPE, LOC, FAC; NORP too, since the small model
labels unfamiliar town names that way) and gazetteer matches of capitalised n-grams,
which catch places the model misses. Gazetteer-only matches must look like proper
nouns and must not be part of a person's name, a date or a number; small places need
more (not a dictionary word, not inside an organisation's name: "Red Cross", "Mayo
Clinic"). A one-word "person" after a locative preposition that names a sizeable place
is the place ("killed in Gao"), and a name taken as a place once in a document is taken
at its other mentions too. "X, Y" pairs record Y as X's qualifier ("Alexandria,
Louisiana"); Y, "X province" and "province of X" are marked as naming the region.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from .fold import fold
from .gazetteer import DATA_DIR, KIND_DEMONYM, Gazetteer, Place

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Entities that a gazetteer match must not overlap: a person's name, dates, numbers.
BLOCK_LABELS = {
    "PERSON", "DATE", "TIME", "MONEY", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY",
    "LANGUAGE", "LAW",
}
MAX_TOKENS = 6
# Under this population a gazetteer-only match is a "small place": a capitalised word is
# then more often a common word or part of an organisation's name than the place.
SMALL_POP = 10_000


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
    qualifier_states: set[str] = field(default_factory=set)  # admin1 names from "X, Tex."
    region_cue: bool = False  # "X province", "governorate of X": the text means the region

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


def _variant_candidates(keys: set[str], gaz: Gazetteer) -> dict[str, list[Place]]:
    """For place entities the gazetteer does not know: the sizeable places named by a
    spelling variant (a village one vowel away is more likely a different place)."""
    variants = {k: spelling_variants(k) for k in keys}
    found = gaz.lookup_many({v for vs in variants.values() for v in vs})
    out: dict[str, list[Place]] = {}
    for key, vs in variants.items():
        seen = {c.id: c for v in vs for c in found.get(v, []) if c.kind != KIND_DEMONYM
                and not _small([c])}
        if seen:
            out[key] = list(seen.values())
    return out


@lru_cache(maxsize=1)
def _dictionary_words() -> frozenset[str]:
    """Lower-case English words: the WordNet lemma index that the shared spaCy model's
    lemmatizer carries (empty when the model has none)."""
    from ..nlp import load_nlp

    nlp = load_nlp()
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
    if not lookups.has_table("lemma_index"):
        return frozenset()
    table = lookups.get_table("lemma_index")
    return frozenset(w for pos in table for w in table[pos])


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
    # Arabic article before a hyphen: "al-Tanf", "el-Fasher".
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return tok.lower_ in connectors and nxt is not None and nxt.text == "-"


def _can_continue(tok: Token, connectors: frozenset[str], site_words: frozenset[str]) -> bool:
    return (
        _capitalised(tok)
        or tok.lower_ in connectors
        or tok.lower_ in site_words
        or tok.text in {"-", "'s"}
        or (tok.text == "." and tok.i > 0 and len(tok.doc[tok.i - 1]) <= 4)
    )


def _ngrams(doc: Doc) -> dict[tuple[int, int], str]:
    """Token ranges (start, end) of candidate names and their folded keys."""
    connectors, site_words, _, _ = _lexicon()
    out: dict[tuple[int, int], str] = {}
    text = doc.text  # built afresh on each access: read once
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
    span: Span, ent_label: str, not_places: frozenset[str], cands: list[Place]
) -> bool:
    """Whether a gazetteer-only match reads as a proper name rather than a common word."""
    toks = [t for t in span if t.is_alpha]
    if not toks:
        return False
    if len(toks) == 1:
        tok = toks[0]
        if ent_label in PLACE_LABELS:
            return True
        if tok.lower_ in not_places or tok.is_stop:
            return False
        if ent_label == "NORP":
            return True
        if tok.pos_ not in {"PROPN"} and not tok.is_upper:
            return False
        if tok.is_upper and len(tok) <= 3:
            # An acronym is an organisation's more often than a town's; "EU", "UK" are
            # the acronyms of countries and unions themselves.
            return any(c.feature_code.startswith("PCL") or c.feature_code in {"RGN", "CONT"}
                       for c in cands)
        prev = span.doc[span.start - 1] if span.start > 0 else None
        if prev is not None and prev.ent_type_ == "PERSON":
            return False
    return True


def _inside_org(a: int, b: int, org: Span) -> bool:
    """Whether tokens a..b (within ``org``) read as part of the organisation's own name:
    anywhere but at its start ("International Committee of the Red Cross"), or the whole
    of a name of several words ("the Red Cross"). A place that leads a longer name is
    the place the organisation is named after ("Grand Ledge Public Schools"); a lone
    word tagged ORG is too often an unfamiliar town."""
    return a > org.start or (b == org.end and b - a >= 2)


def _trim(ent: Span) -> Span | None:
    """The entity without a leading article or a trailing possessive or full stop
    ("the Red River", "Boone County's", "Santa Ana.")."""
    a, b = ent.start, ent.end
    while a < b and ent.doc[a].lower_ in {"the", "a"}:
        a += 1
    while b > a and (ent.doc[b - 1].lower_ in {"'s", "\u2019s", "'", "\u2019"}
                     or ent.doc[b - 1].is_punct):
        b -= 1
    if a == b:
        return None
    return Span(ent.doc, a, b, label=ent.label_)


def recognize(doc: Doc, gaz: Gazetteer) -> list[Mention]:
    """Place-name mentions in ``doc``, in text order, with their candidates."""
    _, _, not_places, abbrev = _lexicon()
    grams = _ngrams(doc)
    ents = [span for e in doc.ents if e.label_ in PLACE_LABELS or e.label_ == "NORP"
            if (span := _trim(e)) is not None]
    ent_keys = {(e.start, e.end): fold(e.text) for e in ents}
    found = gaz.lookup_many([*grams.values(), *ent_keys.values()])
    # Spelling variants only for unknown names that spaCy calls places, long enough to
    # say more than their vowels, and not words ("Ave", acronyms, "Ebola").
    words = _dictionary_words()
    unknown = {key for e in ents if e.label_ in PLACE_LABELS and not e.text.isupper()
               if len(key := ent_keys[(e.start, e.end)]) >= 5 and not found.get(key)
               and key not in words}
    found |= _variant_candidates(unknown, gaz)

    blocked = [False] * len(doc)
    ent_label = [""] * len(doc)
    for e in doc.ents:
        for t in range(e.start, e.end):
            blocked[t] = e.label_ in BLOCK_LABELS
            ent_label[t] = e.label_

    orgs = [span for e in doc.ents if e.label_ == "ORG" if (span := _trim(e)) is not None]
    org_of = [-1] * len(doc)  # which ORG entity a token is in
    for n, e in enumerate(orgs):
        for t in range(e.start, e.end):
            org_of[t] = n
    locative = _word_list("locative_prepositions.txt")

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
    for (a, b), key in by_length:
        cands = found.get(key) or []
        if not cands or any(taken[a:b]) or any(spent[a:b]):
            continue
        span = doc[a:b]
        if any(blocked[a:b]):
            after_locative = a > 0 and doc[a - 1].lower_ in locative
            if not (b - a == 1 and after_locative and ent_label[a] == "PERSON"
                    and lone_entity(a, b) and not _small(cands)):
                declined.append((a, b, key))
                continue
        host = next((e for e in ents if e.start <= a and b <= e.end), None)
        if host is not None and (a, b) != (host.start, host.end) and b != host.end:
            continue  # "South" of "South Ossetia": a part must include the name's head
        labels = {ent_label[t] for t in range(a, b)}
        label = next((lb for lb in ("GPE", "LOC", "FAC", "NORP") if lb in labels), "GAZ")
        # An adjective with a demonym reading is the demonym ("Canadian officials"),
        # not the Texan town called Canadian; and it needs no proper-noun test.
        demonyms = [c for c in cands if c.kind == KIND_DEMONYM]
        if demonyms and (b - a == 1 and span[0].pos_ == "ADJ" or label == "NORP"):
            cands = demonyms
        if (a, b) not in ent_at and not _looks_proper(
            span, "NORP" if cands == demonyms else label, not_places, cands
        ):
            declined.append((a, b, key))
            continue
        if label == "NORP" and all(c.kind != KIND_DEMONYM for c in cands):
            # NORP words that name a place only as a town homonym ("Democrats").
            if span.text.endswith("s") and not _capitalised(span[-1]):
                continue
        if label == "GAZ" and b - a == 1 and span[0].lower_ in words:
            # A dictionary word names a town only under the town's own name, not as a
            # foreign or alternate form ("Grenade" is French for Granada).
            cands = [c for c in cands if c.feature_class != "P" or fold(c.name) == key]
            if not cands:
                declined.append((a, b, key))
                continue
        in_org = org_of[a] >= 0 and org_of[b - 1] == org_of[a]
        # A dictionary word leading an organisation's name is the word, even when a
        # county has it as its name ("Mayo" of "Mayo Clinic").
        if label == "GAZ" and (
            _small(cands) and in_org and _inside_org(a, b, orgs[org_of[a]])
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
    # Place entities the gazetteer does not know are still place names.
    for e in ents:
        if e.label_ in PLACE_LABELS and not any(taken[e.start : e.end]):
            take(e.start, e.end, e.label_, [])
    # A name taken as a place once is the same place at its other mentions ("Menaka"
    # tagged a place, later a person), unless there it is part of a longer name.
    placed = {grams.get((a, b)) or fold(doc[a:b].text): cands for a, b, _l, cands in spans
              if cands}
    for a, b, key in declined:
        if key in placed and not any(taken[a:b]) and lone_entity(a, b):
            take(a, b, "GAZ", placed[key])

    spans.sort()
    mentions = [
        Mention(
            start=doc[a].idx, end=doc[b - 1].idx + len(doc[b - 1].text),
            text=doc[a:b].text, key=grams.get((a, b)) or fold(doc[a:b].text),
            candidates=cands, label=label,
        )
        for a, b, label, cands in spans
    ]
    _link_qualifiers(doc, spans, mentions, abbrev)
    regions = _region_words()
    qualifiers = {m.qualifier for m in mentions}  # Y of "X, Y" is X's region
    for n, ((a, b, *_rest), m) in enumerate(zip(spans, mentions, strict=True)):
        m.region_cue = n in qualifiers or (b < len(doc) and doc[b].lower_ in regions) or (
            a >= 2 and doc[a - 1].lower_ == "of" and doc[a - 2].lower_ in regions)
    return mentions


def _link_qualifiers(
    doc: Doc, spans: list[tuple[int, int, str, list[Place]]], mentions: list[Mention],
    abbrev: dict[str, str],
) -> None:
    """'X, Y': Y (a region, country or state abbreviation) qualifies X."""
    starts = {a: i for i, (a, *_rest) in enumerate(spans)}
    for i, (_a, b, *_rest) in enumerate(spans):
        if b + 1 >= len(doc) or doc[b].text != ",":
            continue
        j = starts.get(b + 1)
        if j is not None and any(
            c.feature_code.startswith(("ADM", "PCL")) for c in mentions[j].candidates
        ):
            mentions[i].qualifier = j
        state = abbrev.get(doc[b + 1].text.rstrip("."))
        if state is not None:
            mentions[i].qualifier_states.add(state)
