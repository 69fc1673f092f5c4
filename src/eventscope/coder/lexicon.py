"""The coder's data files, read once per process into lookup tables.

- ``data/triggers.tsv``: PLOVER trigger lexicon (lemma or lemma+dependent -> type, mode).
- ``data/countries.tsv``, ``data/peoples.tsv``, ``data/actors.tsv``, ``data/persons.tsv``:
  the actor dictionary; beneath it ``data/petrarch_actors.tsv`` and
  ``data/petrarch_agents.tsv``, the imported PETRARCH-2 names (:mod:`.petrarch`), which
  only fill a country or sector it leaves empty (``EVENTSCOPE_PETRARCH=off`` leaves
  them out).
- ``data/cues.yaml``: negation, hedge, attribution, mode and place cues.
- ``data/event_nouns.tsv`` with the lexicon's trigger nouns: nouns that never name an actor.

Users add actor entries from their own TSV/CSV/YAML files, named in the
``EVENTSCOPE_ACTORS`` environment variable (paths separated by the OS path separator)
or passed to :func:`load_actor_dictionary`.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..record import EVENT_TYPES, SECTORS
from .petrarch import PETRARCH_ENV, PetrarchLayer, load_petrarch

ACTORS_ENV = "EVENTSCOPE_ACTORS"
ARMED_SECTORS = frozenset({"MIL", "REB", "POL"})


class LexiconError(ValueError):
    """A data file that cannot be used; the message names the file and the line."""


@dataclass(frozen=True)
class TriggerEntry:
    """One lexicon row: a word (and maybe a required dependent) naming an event type."""

    lemma: str
    child: str | None
    pos: str
    event_type: str
    mode: str
    context: str
    strength: float
    requires: str


@dataclass(frozen=True)
class ActorEntry:
    """One actor dictionary row; ``tokens`` is the lower-cased term split into words
    and hyphens; ``term`` gives it back as written. A term written all in capitals in
    its file (``US``, ``CAR``, ``BIR``) is an acronym that matches only text written in
    capitals: "us" and "a car" are no countries, the "Bir" of a place name no battalion."""

    tokens: tuple[str, ...]
    name: str
    country: str | None
    sector: str | None
    kind: str
    source: str
    cased: bool = False

    @property
    def term(self) -> str:
        return " ".join(self.tokens).replace(" - ", "-")


@dataclass
class TriggerLexicon:
    # (lemma, pos) -> entries in file order; (lemma, pos) -> {child lemma: entries}
    plain: dict[tuple[str, str], list[TriggerEntry]] = field(default_factory=dict)
    with_child: dict[tuple[str, str], dict[str, list[TriggerEntry]]] = field(
        default_factory=dict)

    def __len__(self) -> int:
        return sum(len(v) for v in self.plain.values()) + sum(
            len(e) for v in self.with_child.values() for e in v.values())


@dataclass(eq=False)
class ActorDictionary:
    # first token -> entries starting with it, longest first
    by_first: dict[str, list[ActorEntry]] = field(default_factory=dict)
    # the imported PETRARCH-2 names beneath: they only fill what these entries leave empty
    imported: PetrarchLayer | None = None

    def demonyms(self) -> frozenset[str]:
        return frozenset(e.term for entries in self.by_first.values()
                         for e in entries if e.kind == "demonym")

    def not_places(self) -> frozenset[str]:
        """Terms that name actors, never places: demonyms and named groups ("Taliban"
        is in gazetteers as a village, but in a report it is the movement). Acronyms
        written in capitals are left out: the town of Bla is no BLA."""
        return frozenset(e.term for entries in self.by_first.values()
                         for e in entries if e.kind in ("demonym", "group") and not e.cased)

    def one_word(self, *forms: str) -> list[ActorEntry]:
        """The one-word entries for any of a word's ``forms`` (its text, its lemma):
        what the dictionary says the word alone names ("police", "rebels")."""
        return [e for form in dict.fromkeys(forms) for e in self.by_first.get(form, ())
                if len(e.tokens) == 1]

    def add(self, entry: ActorEntry) -> None:
        bucket = self.by_first.setdefault(entry.tokens[0], [])
        bucket[:] = [e for e in bucket if e.tokens != entry.tokens]  # later files override
        bucket.append(entry)
        bucket.sort(key=lambda e: -len(e.tokens))

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_first.values())


@dataclass(frozen=True)
class Cues:
    neg_modifiers: frozenset[str]
    neg_governors: dict[str, frozenset[str]]
    hedge_modifiers: frozenset[str]
    hedge_governors: dict[str, frozenset[str]]
    intent: frozenset[str]
    speech_verbs: frozenset[str]
    according: frozenset[str]
    assault_modes: dict[str, str]  # cue word -> mode
    contexts: dict[str, str]  # cue word -> context
    place_preps: frozenset[str]
    sentence_place_preps: frozenset[str]
    near_preps: frozenset[str]
    destination_preps: frozenset[str]
    removal_verbs: frozenset[str]
    anaphoric_place_nouns: dict[str, tuple[str, ...]]  # noun -> feature code prefixes
    object_control: frozenset[str]
    protest_actor_nouns: frozenset[str]
    intransitive_participles: frozenset[str]
    participation_verbs: frozenset[str]
    measure_nouns: frozenset[str]
    mutual_fight_nouns: frozenset[str]
    non_agents: frozenset[str]
    non_human: frozenset[str]
    accident_verbs: frozenset[str]
    non_agent_endings: tuple[str, ...]
    vehicles: frozenset[str]
    attack_cues: frozenset[str]


def _data_path(name: str) -> Path:
    return Path(str(resources.files("eventscope.coder") / "data" / name))


def _tsv_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Rows of a TSV with '#' comment lines before its header, with their line numbers."""
    lines = path.read_text(encoding="utf-8").splitlines()
    body = [(n, line) for n, line in enumerate(lines, 1) if line and not line.startswith("#")]
    if not body:
        raise LexiconError(f"{path}: no header line")
    header = body[0][1].split("\t")
    rows = []
    for n, line in body[1:]:
        cells = line.split("\t")
        if len(cells) != len(header):
            raise LexiconError(f"{path}:{n}: expected {len(header)} tab-separated fields")
        rows.append((n, dict(zip(header, cells, strict=True))))
    return rows


@lru_cache(maxsize=1)
def load_triggers() -> TriggerLexicon:
    path = _data_path("triggers.tsv")
    lex = TriggerLexicon()
    for n, row in _tsv_rows(path):
        if row["event_type"] not in EVENT_TYPES:
            raise LexiconError(f"{path}:{n}: unknown event type {row['event_type']!r}")
        words = row["term"].lower().split()
        entry = TriggerEntry(
            lemma=words[0], child=words[1] if len(words) > 1 else None, pos=row["pos"],
            event_type=row["event_type"], mode=row["mode"], context=row["context"],
            strength=float(row["strength"]), requires=row["requires"],
        )
        key = (entry.lemma, entry.pos)
        if entry.child:
            lex.with_child.setdefault(key, {}).setdefault(entry.child, []).append(entry)
        else:
            lex.plain.setdefault(key, []).append(entry)
    return lex


@lru_cache(maxsize=1)
def load_event_nouns() -> frozenset[str]:
    """Lemmas of nouns that name an act or its means, never who acted ("the clashes", "a
    stray bullet"): the trigger lexicon's nouns plus the acts and means of
    ``data/event_nouns.tsv``, less the nouns it lists as bodies ("the alliance")."""
    path = _data_path("event_nouns.tsv")
    rows = [row for _, row in _tsv_rows(path)]
    bodies = {row["term"].lower() for row in rows if row["kind"] == "body"}
    listed = {row["term"].lower() for row in rows if row["kind"] != "body"}
    nouns = listed | {lemma for lemma, pos in load_triggers().plain if pos == "N"}
    return frozenset(nouns - bodies)


def _term_tokens(term: str) -> tuple[str, ...]:
    """A term as spaCy tokenises it: a hyphen between words is a token of its own
    ("Anti-Balaka" is anti, -, balaka)."""
    return tuple(re.findall(r"[^\s-]+|-", term))


def _actor_entry(row: dict[str, Any], where: str) -> ActorEntry:
    written = str(row.get("term") or "").strip()
    term = written.lower()
    if not term:
        raise LexiconError(f"{where}: missing 'term'")
    sector = str(row.get("sector") or "").strip().upper() or None
    if sector is not None and sector not in SECTORS:
        raise LexiconError(f"{where}: unknown sector {sector!r}")
    country = str(row.get("country") or "").strip().upper() or None
    return ActorEntry(
        tokens=_term_tokens(term), name=str(row.get("name") or term),
        country=country, sector=sector, kind=str(row.get("kind") or "group"),
        source=str(row.get("source") or "user"), cased=written.isupper(),
    )


def _user_rows(path: Path) -> list[tuple[str, dict[str, Any]]]:
    if not path.is_file():
        raise LexiconError(f"{path}: actor file not found")
    if path.suffix.lower() in (".yaml", ".yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, list):
            raise LexiconError(f"{path}: expected a list of entries with term/country/sector")
        return [(f"{path}: entry {i}", dict(d)) for i, d in enumerate(data, 1)]
    text = path.read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.DictReader(lines, delimiter=delimiter)
    return [(f"{path}: row {i}", dict(r)) for i, r in enumerate(reader, 1)]


def load_actor_dictionary(extra: tuple[Path, ...] = ()) -> ActorDictionary:
    """The packaged dictionary plus user files (``EVENTSCOPE_ACTORS`` and ``extra``);
    user entries override packaged ones with the same term. Cached per argument."""
    env = os.environ.get(ACTORS_ENV, "")
    env_paths = tuple(Path(p) for p in env.split(os.pathsep) if p)
    return _load_actor_dictionary(env_paths + tuple(extra))


@lru_cache(maxsize=8)
def _load_actor_dictionary(extra: tuple[Path, ...]) -> ActorDictionary:
    dictionary = ActorDictionary()
    for name in ("countries.tsv", "peoples.tsv", "actors.tsv", "persons.tsv"):
        path = _data_path(name)
        for n, row in _tsv_rows(path):
            dictionary.add(_actor_entry(row, f"{path}:{n}"))
    for path in extra:
        for where, row in _user_rows(path):
            dictionary.add(_actor_entry(row, where))
    if os.environ.get(PETRARCH_ENV, "").lower() not in ("off", "0", "no"):
        dictionary.imported = load_petrarch()
    return dictionary


def _invert(groups: dict[str, list[str]]) -> dict[str, str]:
    return {word.lower(): label for label, words in groups.items() for word in words}


def _check_words(node: Any, where: str) -> None:
    """Every leaf a string: YAML reads a bare no/on/off as a boolean."""
    if isinstance(node, dict):
        for key, value in node.items():
            _check_words(key, where)
            _check_words(value, f"{where}.{key}")
    elif isinstance(node, list):
        for item in node:
            _check_words(item, where)
    elif not isinstance(node, str):
        raise LexiconError(f"cues.yaml: {where}: {node!r} is not a word (quote it)")


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    raw = yaml.safe_load(_data_path("cues.yaml").read_text(encoding="utf-8"))
    _check_words(raw, "cues")
    neg, hedge = raw["negation"], raw["hedge"]
    return Cues(
        neg_modifiers=frozenset(neg["modifiers"]),
        neg_governors={k: frozenset(v) for k, v in neg["governors"].items()},
        hedge_modifiers=frozenset(hedge["modifiers"]),
        hedge_governors={k: frozenset(v) for k, v in hedge["governors"].items()},
        intent=frozenset(hedge["intent"]),
        speech_verbs=frozenset(raw["attribution"]["speech_verbs"]),
        according=frozenset(raw["attribution"]["according"]),
        assault_modes=_invert(raw["assault_modes"]),
        contexts=_invert(raw["contexts"]),
        place_preps=frozenset(raw["place_preps"]),
        sentence_place_preps=frozenset(raw["sentence_place_preps"]),
        near_preps=frozenset(raw["near_preps"]),
        destination_preps=frozenset(raw["destination_preps"]),
        removal_verbs=frozenset(raw["removal_verbs"]),
        anaphoric_place_nouns={k: tuple(v) for k, v in raw["anaphoric_place_nouns"].items()},
        object_control=frozenset(raw["object_control"]),
        protest_actor_nouns=frozenset(raw["protest_actor_nouns"]),
        intransitive_participles=frozenset(raw["intransitive_participles"]),
        participation_verbs=frozenset(raw["participation_verbs"]),
        measure_nouns=frozenset(raw["measure_nouns"]),
        mutual_fight_nouns=frozenset(raw["mutual_fight_nouns"]),
        non_agents=frozenset(raw["non_agents"]),
        non_human=frozenset(raw["non_human"]),
        accident_verbs=frozenset(raw["accident_verbs"]),
        non_agent_endings=tuple(raw["non_agent_endings"]),
        vehicles=frozenset(raw["vehicles"]),
        attack_cues=frozenset(raw["attack_cues"]),
    )
