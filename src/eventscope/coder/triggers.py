"""Step 1 of coding: words in a sentence that announce a PLOVER event type."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from .lexicon import TriggerEntry, TriggerLexicon

# Dependents whose lemma can complete a two-word trigger ("call for", "open fire",
# "air strike", "take ... hostage"); a preposition's object counts too ("went on strike").
_CHILD_DEPS = frozenset({
    "prt", "prep", "dobj", "compound", "amod", "nsubjpass", "oprd", "dative", "attr", "acomp",
    "npadvmod", "advmod", "nmod",
})


@dataclass(frozen=True)
class TriggerMatch:
    token: Token
    entry: TriggerEntry
    # further readings of the same word, tried in order when the actor does not meet
    # ``entry.requires``
    alternatives: tuple[TriggerEntry, ...] = ()

    @property
    def nominal(self) -> bool:
        return self.entry.pos == "N"

    @property
    def modal(self) -> bool:
        """A demand carried by a modal ("must") rather than by the verb's meaning."""
        return self.entry.pos == "M"


def _pos(token: Token) -> str | None:
    tag = token.tag_
    if tag.startswith("VB"):
        return "V"
    if tag in ("NN", "NNS") and token.pos_ == "NOUN":
        deps = {c.dep_ for c in token.children}
        if "nsubj" in deps and "dobj" in deps:
            return "V"  # the small model's "members ... beat[NN] to death a worker"
        return "N"
    return None


def _stems(word: str) -> list[str]:
    """Base forms to try when the model's lemma is not in the lexicon ("raped" is
    lemmatised "rap"): the word less its inflection."""
    out = []
    for suffix, add in (("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""), ("es", ""),
                        ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            out.append(stem + add)
            if add == "" and len(stem) > 2 and stem[-1] == stem[-2]:
                out.append(stem[:-1])  # "stabbed" -> "stab"
    return out


def _child_lemmas(token: Token) -> set[str]:
    lemmas: set[str] = set()
    for child in token.children:
        if child.dep_ not in _CHILD_DEPS:
            continue
        lemmas.add(child.lemma_.lower())
        if child.dep_ == "prep":
            lemmas.update(g.lemma_.lower() for g in child.children if g.dep_ == "pobj")
    return lemmas


def find_triggers(sent: Span, lexicon: TriggerLexicon) -> list[TriggerMatch]:
    """Trigger words of ``sent`` in order, the two-word entry winning over the bare one."""
    found: list[TriggerMatch] = []
    for token in sent:
        pos = _pos(token)
        if pos is None:
            if token.dep_ == "aux":
                _modal_demand(token, lexicon, found)
            continue
        key = (token.lemma_.lower(), pos)
        if key not in lexicon.plain and key not in lexicon.with_child:
            key = next(((stem, pos) for stem in _stems(token.lower_)
                        if (stem, pos) in lexicon.plain or (stem, pos) in lexicon.with_child),
                       key)
        entries: list[TriggerEntry] | None = None
        by_child = lexicon.with_child.get(key)
        if by_child:
            lemmas = _child_lemmas(token)
            for child, candidates in by_child.items():
                if child in lemmas:
                    entries = candidates
                    break
        if entries is None:
            entries = lexicon.plain.get(key)
        if entries:
            found.append(TriggerMatch(token, entries[0], tuple(entries[1:])))
    return found


def _modal_demand(aux: Token, lexicon: TriggerLexicon, found: list[TriggerMatch]) -> None:
    """"X said Y must withdraw": a modal of obligation in a reported clause is X's
    demand, whatever the verb."""
    modals = lexicon.plain.get((aux.lemma_.lower(), "M"))
    verb = aux.head
    if modals and verb.dep_ in ("ccomp", "acl") and not any(
        m.token.i == verb.i for m in found
    ):
        found.append(TriggerMatch(verb, modals[0]))
