"""Recognition: which spans of a parsed Doc name places.

Two sources, merged: spaCy's entities (GPE, LOC, FAC; NORP too, since the small model
labels unfamiliar town names that way) and gazetteer matches of capitalised n-grams,
which catch places the model misses. Gazetteer-only matches must look like proper
nouns and must not be part of a person's name, a date or a number. "X, Y" pairs record
Y as X's qualifier ("Alexandria, Louisiana").
"""

from __future__ import annotations

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

    @property
    def is_demonym(self) -> bool:
        return bool(self.candidates) and all(c.kind == KIND_DEMONYM for c in self.candidates)


@lru_cache(maxsize=8)
def _word_list(name: str) -> frozenset[str]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return frozenset(ln.strip() for ln in lines[1:] if ln.strip() and not ln.startswith("#"))


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

    blocked = [False] * len(doc)
    ent_label = [""] * len(doc)
    for e in doc.ents:
        for t in range(e.start, e.end):
            blocked[t] = e.label_ in BLOCK_LABELS
            ent_label[t] = e.label_

    taken = [False] * len(doc)
    spans: list[tuple[int, int, str, list[Place]]] = []

    def take(a: int, b: int, label: str, cands: list[Place]) -> None:
        for t in range(a, b):
            taken[t] = True
        spans.append((a, b, label, cands))

    # Longest gazetteer matches first; an entity wins when it is at least as long.
    by_length = sorted(grams.items(), key=lambda kv: (kv[0][0] - kv[0][1], kv[0][0]))
    ent_at = {(e.start, e.end): e for e in ents}
    for (a, b), key in by_length:
        cands = found.get(key) or []
        if not cands or any(taken[a:b]):
            continue
        span = doc[a:b]
        if any(blocked[a:b]):
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
            continue
        if label == "NORP" and all(c.kind != KIND_DEMONYM for c in cands):
            # NORP words that name a place only as a town homonym ("Democrats").
            if span.text.endswith("s") and not _capitalised(span[-1]):
                continue
        # The curated sites file is the authority for the names it lists: "White House"
        # is the building, not the towns that have the name as an alternate.
        curated = [c for c in cands if c.feature_class == "S" and c.source.startswith("curated")]
        take(a, b, label if (a, b) in ent_at else "GAZ", curated or cands)
    # Place entities the gazetteer does not know are still place names.
    for e in ents:
        if e.label_ in PLACE_LABELS and not any(taken[e.start : e.end]):
            take(e.start, e.end, e.label_, [])

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
