"""The Phoenix/PETRARCH-2 actor and agent dictionaries as a lower layer of the actor
dictionary.

Two halves:

- Conversion (used by ``scripts/import_petrarch_dictionaries.py``): reads dictionaries in
  CAMEO's text format (actor blocks of a name, ``+`` synonyms and ``[CODE dates]`` lines;
  agent lines ``PHRASE {plural} [~CODE]``) and writes ``data/petrarch_actors.tsv`` and
  ``data/petrarch_agents.tsv``: one row per name pattern, CAMEO codes mapped to the
  record's country and sector, date restrictions kept as date ranges.
- Lookup (used by :class:`eventscope.coder.actors.ActorCoder`): those files read once
  per process into a dict keyed by a name's first word. The curated dictionary always
  decides first; this layer only fills a country or sector it left empty.

A CAMEO code is a run of three-letter parts: a country (``AFG``) or a kind of
organisation (``IGO``, ``NGO``, ``MNC``, ``IMG``), then role parts (``GOV``, ``MIL``,
``COP``...). A person's code may carry dates: ``[AFGGOV 011222-091231]``, ``>011222``
(from then on), ``<011222`` (until then); two-digit years 00-30 are 20YY, others 19YY
(the convention of KEDS, TABARI and PETRARCH). An undated code is the default.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..record import SECTORS

ACTORS_FILE = "petrarch_actors.tsv"
AGENTS_FILE = "petrarch_agents.tsv"
PETRARCH_ENV = "EVENTSCOPE_PETRARCH"  # "off": code with the curated dictionary alone

# CAMEO role part -> record sector. ELI (elites), RAD (radicals) and the like say nothing
# about who acts for whom: no sector.
ROLE_SECTORS: dict[str, str | None] = {
    "GOV": "GOV", "LEG": "GOV", "SPY": "GOV", "MIL": "MIL", "REB": "REB", "INS": "REB",
    "SEP": "REB", "UAF": "REB", "IMG": "REB", "OPP": "OPP", "PTY": "PTY", "COP": "POL",
    "JUD": "JUD", "MED": "MED", "BUS": "BUS", "MNC": "BUS", "CVL": "CVL", "EDU": "CVL",
    "HLH": "CVL", "AGR": "CVL", "REF": "CVL", "ENV": "CVL", "LAB": "PPL", "PPL": "PPL",
    "HRI": "NGO", "DEV": "NGO", "NGO": "NGO", "IGO": "IGO", "CRM": "UNK",
    "ELI": None, "RAD": None, "MOD": None, "CON": None,
}
# Religious parts: REL, unless an armed or state part follows ("BUDUAF": warriors).
RELIGIONS = frozenset({
    "REL", "CHR", "CTH", "PRO", "ORT", "MUS", "SHI", "SUN", "SFI", "ALE", "DRZ", "JEW",
    "BUD", "HIN", "JAN", "SIK", "ATH", "BAH", "CON", "DOX", "ZRO", "SHN", "TAO", "MOS",
})
# CAMEO country codes that are not ISO 3166-1 alpha-3.
COUNTRY_ALIASES = {"TMP": "TLS", "KSV": "XKX", "ROM": "ROU", "ZAR": "COD"}
# Regions and "international": no country, the role still counts.
REGIONS = frozenset({
    "INT", "AFR", "ASA", "BLK", "CAU", "CAS", "CFR", "CRB", "EAF", "EEU", "EIN", "EUR",
    "LAM", "MEA", "MDT", "NAF", "NMR", "PGS", "SAF", "SAM", "SAS", "SCN", "SEA", "WAF",
    "WEU", "WST", "NAM",
})
# IGO part sequences -> the IGO codes the record uses (as in the curated actors.tsv).
IGO_COUNTRIES: tuple[tuple[str, str], ...] = (
    ("UNO", "UNO"), ("WSTNAT", "NATO"), ("EUR", "EUR"), ("AFR", "AFR"), ("WAF", "WAF"),
    ("SEA", "SEA"), ("MEAARL", "ARB"), ("ARL", "ARB"),
)
_PLURAL_PERSON = ("MAN", "MEN", "WOMAN", "WOMEN", "PERSON")


class PetrarchWarning(UserWarning):
    """A dictionary line or row that could not be used; the message names file and line."""


@dataclass(frozen=True, slots=True)
class Role:
    """What a name stands for, maybe only between two dates (inclusive)."""

    country: str | None
    sector: str | None
    start: date | None = None
    end: date | None = None

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None

    def holds_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def as_cell(self) -> str:
        span = f"{self.start or ''}..{self.end or ''}"
        return f"{self.country or ''}/{self.sector or ''}@{span}"


@dataclass(frozen=True, slots=True)
class ImportedActor:
    tokens: tuple[str, ...]
    name: str
    kind: str  # country, person or group
    roles: tuple[Role, ...]  # the undated default (if any) first
    source: str
    cased: bool = False  # an acronym: matches text in capitals only

    def role_on(self, day: date | None) -> Role | None:
        """The role held on ``day``; without one, the undated default; else the most
        recent dated role."""
        dated = [r for r in self.roles if r.dated]
        if day is not None:
            held = [r for r in dated if r.holds_on(day)]
            if held:  # a narrower range is the more specific office
                return min(held, key=lambda r: (r.end or date.max) - (r.start or date.min))
        default = next((r for r in self.roles if not r.dated), None)
        if default is not None or not dated:
            return default
        return max(dated, key=lambda r: (r.end or date.max, r.start or date.min))


@dataclass(frozen=True, slots=True)
class ImportedAgent:
    tokens: tuple[str, ...]
    sector: str
    source: str


@dataclass
class PetrarchLayer:
    """The imported names, indexed by first word (longest first)."""

    actors: dict[str, list[ImportedActor]] = field(default_factory=dict)
    agents: dict[str, list[ImportedAgent]] = field(default_factory=dict)
    _seen: set[tuple[str, ...]] = field(default_factory=set, repr=False)
    _seen_agents: set[tuple[str, ...]] = field(default_factory=set, repr=False)

    def add_actor(self, actor: ImportedActor) -> None:
        if actor.tokens in self._seen:
            return  # the first row of a name wins
        self._seen.add(actor.tokens)
        self.actors.setdefault(actor.tokens[0], []).append(actor)

    def add_agent(self, agent: ImportedAgent) -> None:
        if agent.tokens not in self._seen_agents:
            self._seen_agents.add(agent.tokens)
            self.agents.setdefault(agent.tokens[0], []).append(agent)

    def sort(self) -> None:
        for first, actors in self.actors.items():
            actors.sort(key=lambda a: -len(a.tokens))
            # a one-word person's name that begins other people's names ("Hassan",
            # "Hussein") is a given name: alone it says nothing of who is meant
            if any(len(a.tokens) == 1 and a.kind == "person" for a in actors):
                names = {a.name for a in actors if a.kind == "person"}
                if len(names) > 1:
                    self.actors[first] = [a for a in actors
                                          if len(a.tokens) > 1 or a.kind != "person"]
        for agents in self.agents.values():
            agents.sort(key=lambda a: -len(a.tokens))

    def __len__(self) -> int:
        return sum(len(v) for v in self.actors.values()) + sum(
            len(v) for v in self.agents.values())

    def find_actors(self, words: Sequence[str], capitalised: Sequence[bool],
                    upper: Sequence[bool], proper: Sequence[bool],
                    ) -> list[tuple[int, ImportedActor]]:
        """(start, actor) of names in a run of lower-cased ``words``, longest first at
        each point; a name starts on a capitalised word, an acronym is all capitals, and a
        one-word name is a ``proper`` noun ("Youth" opening a sentence is no group)."""
        found: list[tuple[int, ImportedActor]] = []
        i = 0
        while i < len(words):
            hit = None
            if capitalised[i]:
                for actor in self.actors.get(words[i], ()):
                    n = len(actor.tokens)
                    if tuple(words[i:i + n]) == actor.tokens and (
                            not actor.cased or all(upper[i:i + n])) and (n > 1 or proper[i]):
                        hit = actor
                        break
            if hit is not None:
                found.append((i, hit))
                i += len(hit.tokens)
            else:
                i += 1
        return found

    def find_agent(self, words: Sequence[str], lemmas: Sequence[str]) -> ImportedAgent | None:
        """The agent noun of a run of words; the last (the phrase's head) wins."""
        best: tuple[int, ImportedAgent] | None = None
        for i in range(len(words)):
            for key in dict.fromkeys((words[i], lemmas[i])):
                for agent in self.agents.get(key, ()):
                    n = len(agent.tokens)
                    rest = tuple(words[i + 1:i + n])
                    if n == 1 or rest == agent.tokens[1:]:
                        end = i + n
                        if best is None or end >= best[0]:
                            best = (end, agent)
                        break
        return best[1] if best else None


# --- conversion -------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    where: str  # file:line
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def _parts(code: str) -> list[str]:
    return [code[i:i + 3] for i in range(0, len(code), 3)]


def _role_sector(parts: Sequence[str]) -> str | None:
    """The sector of a run of CAMEO role parts: the first that maps, a religion giving way
    to an armed or state part after it."""
    religious = False
    for part in parts:
        if part in RELIGIONS:
            religious = True
            continue
        sector = ROLE_SECTORS.get(part)
        if sector is not None:
            return sector
    return "REL" if religious else None


def map_code(code: str, countries: frozenset[str]) -> tuple[str | None, str | None] | None:
    """A CAMEO actor code as (country, sector); None when its first part is unknown (an
    old state such as USR or DDR, or a typo). ``countries``: the ISO codes we know."""
    code = re.sub(r"\d+", "", code.strip().upper())  # "NGOCHRPRO214": a numbered NGO
    if not re.fullmatch(r"(?:[A-Z]{3})+", code):
        return None
    parts = _parts(code)
    head, rest = parts[0], parts[1:]
    if head == "IGO":
        joined = "".join(rest)
        igo = next((c for prefix, c in IGO_COUNTRIES if joined.startswith(prefix)), "IGO")
        return igo, "IGO"
    if head == "MNC":
        # the firm's home country is not its workers' ("Lear Corporation employees" in
        # Port Elizabeth are South Africans)
        return None, "BUS"
    if head == "NGO":
        home = COUNTRY_ALIASES.get(rest[0], rest[0]) if rest else None
        return (home if home in countries else None), "NGO"
    if head == "IMG":
        return "IMG", "REB"
    iso = COUNTRY_ALIASES.get(head, head)
    if iso in countries:
        return iso, _role_sector(rest)
    if head in REGIONS:
        return None, _role_sector(rest)
    if head in ROLE_SECTORS or head in RELIGIONS:
        return None, _role_sector(parts)
    return None


def parse_date(text: str) -> date:
    """YYMMDD (00-30 are 20YY) or YYYYMMDD; ValueError otherwise."""
    if not text.isdigit() or len(text) not in (6, 8):
        raise ValueError(f"date {text!r} is neither YYMMDD nor YYYYMMDD")
    if len(text) == 6:
        yy = int(text[:2])
        year = 2000 + yy if yy <= 30 else 1900 + yy
        return date(year, int(text[2:4]), int(text[4:6]))
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def parse_code(cell: str) -> tuple[str, date | None, date | None]:
    """``CODE``, ``CODE start-end``, ``CODE >start``, ``CODE <end`` -> (code, start, end)."""
    bits = cell.split(None, 1)
    if not bits:
        raise ValueError("empty code")
    code, spec = bits[0], (bits[1].replace(" ", "") if len(bits) > 1 else "")
    if not spec:
        return code, None, None
    if spec.startswith(">"):
        return code, parse_date(spec[1:]), None
    if spec.startswith("<"):
        return code, None, parse_date(spec[1:])
    if "-" in spec:
        start, end = spec.split("-", 1)
        return code, parse_date(start), parse_date(end)
    raise ValueError(f"date restriction {spec!r} is not start-end, >start or <end")


_BRACKETS = re.compile(r"\[([^\]]*)\]")


def plain_words(pattern: str) -> str:
    """A CAMEO name pattern as plain lower-case words: underscores are spaces, a
    parenthesised acronym and a leading "the" are dropped ("THE_UNITED_NATIONS_",
    "ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_")."""
    words = re.sub(r"\([^)]*\)", " ", pattern.replace("_", " ")).lower().split()
    words = [w.strip(",;:") for w in words]
    words = [w for w in words if w]
    while words and words[0] == "the":
        words.pop(0)
    return " ".join(words)


def term_tokens(term: str) -> tuple[str, ...]:
    """Words and hyphens, as spaCy splits "Ban Ki-moon"."""
    return tuple(re.findall(r"[^\s-]+|-", term))


@dataclass
class _Block:
    names: list[tuple[str, int]]  # (pattern, line)
    codes: list[tuple[str, int]]  # (code cell, line)
    note: str
    closed: bool = False  # code lines came: a synonym after them belongs to no name


def _actor_blocks(lines: Sequence[str], label: str,
                  problems: list[Problem]) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    for n, raw in enumerate(lines, 1):
        text, _, note = raw.partition("#")
        if not text.strip():
            continue
        stripped = text.strip()
        if stripped.startswith("+"):
            if current is None or current.closed:
                problems.append(Problem(f"{label}:{n}", "synonym outside a name's block"))
                continue
            current.names.append((stripped[1:].strip(), n))
            continue
        cells = _BRACKETS.findall(stripped)
        before = _BRACKETS.sub(" ", stripped).strip()
        if text[:1] in (" ", "\t") or (not before and cells):
            if current is None:
                problems.append(Problem(f"{label}:{n}", "code line outside a name's block"))
                continue
            current.codes.extend((c, n) for c in cells)
            current.closed = True
            continue
        if "[" in before or "]" in before:
            problems.append(Problem(f"{label}:{n}", f"unbalanced brackets in {stripped!r}"))
            continue
        if current is not None and not current.codes and not cells:
            # names on lines of their own, then the codes: one block of synonyms
            current.names.append((before, n))
            continue
        current = _Block(names=[(before, n)], codes=[(c, n) for c in cells], note=note)
        blocks.append(current)
    return blocks


def _kind(block: _Block, roles: Sequence[Role], codes: Sequence[str]) -> str:
    """Codes with no role ("ARMENIA_ [ARM >911221]": from independence on) name a
    country or its places; dated roles or a CountryInfo note, a person."""
    if codes and all(r.sector is None for r in roles) and "countryinfo" not in block.note.lower():
        return "country"
    if any(r.dated for r in roles) or "countryinfo" in block.note.lower():
        return "person"
    return "group"


def _title(term: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in term.split())


@dataclass(frozen=True)
class ActorRow:
    term: str
    name: str
    kind: str
    roles: tuple[Role, ...]
    source: str


def convert_actors(lines: Sequence[str], label: str, countries: frozenset[str],
                   problems: list[Problem]) -> list[ActorRow]:
    """Rows of one actor dictionary; what does not parse goes to ``problems``."""
    rows: list[ActorRow] = []
    seen: set[str] = set()
    for block in _actor_blocks(lines, label, problems):
        first_line = block.names[0][1]
        if not block.codes:
            problems.append(Problem(f"{label}:{first_line}", "name without a code"))
            continue
        roles: list[Role] = []
        codes: list[str] = []
        for cell, n in block.codes:
            try:
                code, start, end = parse_code(cell)
            except ValueError as exc:
                problems.append(Problem(f"{label}:{n}", str(exc)))
                continue
            mapped = map_code(code, countries)
            if mapped is None:
                problems.append(Problem(f"{label}:{n}", f"unknown CAMEO code {code!r}"))
                continue
            if mapped == (None, None):
                continue  # e.g. ELI alone: nothing to say
            codes.append(code)
            roles.append(Role(mapped[0], mapped[1], start, end))
        if not roles:
            continue
        roles.sort(key=lambda r: r.dated)  # the undated default first
        kind = _kind(block, roles, codes)
        name = _title(plain_words(block.names[0][0]))
        for pattern, n in block.names:
            term = plain_words(pattern)
            if not term or term in seen or not re.search(r"[a-z]", term):
                continue
            seen.add(term)
            rows.append(ActorRow(term, name or _title(term), kind, tuple(roles),
                                 f"{label}:{n}"))
    return rows


@dataclass(frozen=True)
class AgentRow:
    term: str
    sector: str
    source: str


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "o", "u"):
        return word[:-1] + "ies"
    if word.endswith(("ss", "sh", "ch", "x")):
        return word + "es"
    if word.endswith("s"):
        return word
    return word + "s"


def convert_agents(lines: Sequence[str], label: str,
                   problems: list[Problem]) -> list[AgentRow]:
    """Rows of an agent dictionary: each phrase, its plural (regular, given in ``{}``,
    none for ``{}``) and the ``!PERSON!``-style substitutions expanded."""
    subs: dict[str, list[str]] = {}
    rows: list[AgentRow] = []
    seen: set[str] = set()
    for n, raw in enumerate(lines, 1):
        text = raw.partition("#")[0].strip()
        if not text:
            continue
        sub = re.fullmatch(r"(![A-Z]+!)\s*=\s*(.+)", text)
        if sub:
            subs[sub.group(1)] = [w.strip() for w in sub.group(2).split(",") if w.strip()]
            continue
        found = re.fullmatch(r"(.+?)\s*(?:\{([^}]*)\})?\s*\[([^\]]*)\]", text)
        if not found:
            problems.append(Problem(f"{label}:{n}", f"not PHRASE {{plural}} [~CODE]: {text!r}"))
            continue
        phrase, plural, cell = found.group(1), found.group(2), found.group(3).strip()
        code = cell.replace("~", "")
        sector = _role_sector(_parts(code)) if re.fullmatch(r"(?:[A-Z]{3})+", code) else None
        if not sector:
            if not re.fullmatch(r"~?(?:[A-Z]{3})+~?", cell):
                problems.append(Problem(f"{label}:{n}", f"bad agent code {cell!r}"))
            continue  # e.g. ~ELI: no sector
        forms = _expand(phrase, subs)
        if forms is None:
            problems.append(Problem(f"{label}:{n}", f"undefined substitution in {phrase!r}"))
            continue
        singulars = [plain_words(f) for f in forms]
        if plural is not None:
            plurals = [plain_words(p) for p in _expand(plural, subs) or []] if plural.strip() \
                else []
        else:
            plurals = [" ".join([*s.split()[:-1], _plural(s.split()[-1])])
                       for s in singulars if s and not phrase.rstrip().endswith("_")]
        for term in [*singulars, *plurals]:
            if term and term not in seen:
                seen.add(term)
                rows.append(AgentRow(term, sector, f"{label}:{n}"))
    return rows


def _expand(phrase: str, subs: dict[str, list[str]]) -> list[str] | None:
    """``DAIRY!PERSON!`` -> DAIRYMAN, DAIRYMEN, ...; None if a marker is undefined."""
    marker = re.search(r"![A-Z]+!", phrase)
    if marker is None:
        return [phrase]
    if marker.group(0) not in subs:
        return None
    out: list[str] = []
    for word in subs[marker.group(0)]:
        rest = _expand(phrase[:marker.start()] + word + phrase[marker.end():], subs)
        if rest is None:
            return None
        out.extend(rest)
    return out


def _provenance(sources: Iterable[str], what: str, today: date, columns: str) -> list[str]:
    return [
        f"# {what} converted from the Phoenix/PETRARCH-2 dictionaries by",
        "# scripts/import_petrarch_dictionaries.py.",
        "# Source: https://github.com/openeventdata/petrarch2 (petrarch2/data/dictionaries),",
        "# Copyright (c) 2014 Open Event Data Alliance, MIT licence.",
        f"# Files: {', '.join(sources)}. Converted {today.isoformat()}.",
        *[f"# {line}" for line in columns.splitlines()],
    ]


_ACTOR_COLUMNS = """\
term: the name pattern in plain lower-case words; name: the entry's main name; kind:
country, person or group; country (ISO 3166-1 alpha-3 or IGO code) and sector: the
undated code, when there is one; roles: every code as COUNTRY/SECTOR@START..END (ISO
dates, open ends empty), ';'-separated; a person is coded by the role held on the
article's date. source: dictionary file and line of the name. Read beneath the curated
dictionary: curated rows win."""

_AGENT_COLUMNS = """\
term: an agent noun phrase (singular and plural forms) in plain lower-case words; sector:
its CAMEO agent code mapped to the record's sector; source: dictionary file and line.
Gives a sector to an actor phrase that has a country ("Russian soldiers": RUS MIL)."""


def write_actors(path: Path, rows: Sequence[ActorRow], sources: Sequence[str],
                 today: date) -> None:
    lines = _provenance(sources, "Actor names", today, _ACTOR_COLUMNS)
    lines.append("term\tname\tkind\tcountry\tsector\troles\tsource")
    for row in rows:
        default = next((r for r in row.roles if not r.dated), None)
        lines.append("\t".join((
            row.term, row.name, row.kind, (default.country or "") if default else "",
            (default.sector or "") if default else "",
            ";".join(r.as_cell() for r in row.roles), row.source)))
    _write_atomic(path, lines)


def write_agents(path: Path, rows: Sequence[AgentRow], sources: Sequence[str],
                 today: date) -> None:
    lines = _provenance(sources, "Agent nouns", today, _AGENT_COLUMNS)
    lines.append("term\tsector\tsource")
    lines.extend(f"{r.term}\t{r.sector}\t{r.source}" for r in rows)
    _write_atomic(path, lines)


def _write_atomic(path: Path, lines: Sequence[str]) -> None:
    """Written beside and renamed: a failed run leaves the old file whole."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)


# --- loading ----------------------------------------------------------------------------

def _parse_roles(cell: str) -> tuple[Role, ...]:
    roles = []
    for item in filter(None, cell.split(";")):
        who, at, span = item.partition("@")
        country, slash, sector = who.partition("/")
        start, dots, end = span.partition("..")
        if not (at and slash and dots) or not (sector or country):
            raise ValueError(f"role {item!r} is not COUNTRY/SECTOR@START..END")
        roles.append(Role(country or None, sector or None,
                          date.fromisoformat(start) if start else None,
                          date.fromisoformat(end) if end else None))
    return tuple(roles)


def _rows(path: Path) -> Iterable[tuple[int, list[str], list[str]]]:
    header: list[str] | None = None
    with path.open(encoding="utf-8") as handle:
        for n, raw in enumerate(handle, 1):
            line = raw.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                continue
            yield n, header, cells


def read_layer(actors_path: Path | None, agents_path: Path | None,
               sectors: frozenset[str]) -> PetrarchLayer:
    """The layer from its two files; a row that does not parse is skipped with a
    :class:`PetrarchWarning` naming its file and line, the rest still load."""
    layer = PetrarchLayer()
    parsed: dict[str, tuple[Role, ...]] = {}  # synonyms share their roles cell
    if actors_path is not None:
        for n, header, cells in _rows(actors_path):
            try:
                if len(cells) != len(header):
                    raise ValueError(f"expected {len(header)} tab-separated fields")
                row = dict(zip(header, cells, strict=True))
                roles = parsed.get(row["roles"]) or parsed.setdefault(
                    row["roles"], _parse_roles(row["roles"]))
                if not roles or not row["term"].strip():
                    raise ValueError("no term or no role")
                bad = [r.sector for r in roles if r.sector and r.sector not in sectors]
                if bad:
                    raise ValueError(f"unknown sector {bad[0]!r}")
                tokens = term_tokens(row["term"].lower())
                cased = len(tokens) == 1 and len(tokens[0]) <= 4
                layer.add_actor(ImportedActor(tokens, row["name"], row["kind"], roles,
                                              row["source"], cased))
            except (ValueError, KeyError) as exc:
                warnings.warn(f"{actors_path}:{n}: {exc}", PetrarchWarning, stacklevel=2)
    if agents_path is not None:
        for n, header, cells in _rows(agents_path):
            row = dict(zip(header, cells, strict=False))
            sector = row.get("sector", "")
            if len(cells) != len(header) or sector not in sectors or not row.get("term"):
                warnings.warn(f"{agents_path}:{n}: expected term, a known sector and source",
                              PetrarchWarning, stacklevel=2)
                continue
            layer.add_agent(ImportedAgent(term_tokens(row["term"].lower()), sector,
                                          row["source"]))
    layer.sort()
    return layer


@lru_cache(maxsize=1)
def load_petrarch() -> PetrarchLayer:
    """The packaged layer (an empty one when its files are absent)."""
    folder = Path(str(resources.files("eventscope.coder") / "data"))
    actors, agents = folder / ACTORS_FILE, folder / AGENTS_FILE
    return read_layer(actors if actors.is_file() else None,
                      agents if agents.is_file() else None, frozenset(SECTORS))
