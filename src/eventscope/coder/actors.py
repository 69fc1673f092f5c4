"""Actor coding: a noun phrase to (name, country, sector) with the actor dictionary.

Country and sector come from different words of one phrase: "Russian military
vehicles" is RUS (the demonym) and MIL (the role word); "opposition forces" is OPP
because a specific role word beats a generic one ("forces"). Named groups carry both.
People named with a title earlier in the article ("former Syrian President Bashar
Assad") are remembered for the article, so a later "Assad" or "Assad's government"
is coded from that title.

People who back a party or a politician ("BNP supporters", "members of the UDPS
party", "opposition protesters") are people (PPL) of the party's country, as ACLED
codes them when they march or riot; supporters of an armed group or members of a
state's forces stay that group ("members of Al Shabaab" is REB).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc, Token

from ..record import Actor
from .lexicon import ARMED_SECTORS, ActorDictionary, ActorEntry

# Dependents that belong to the actor's own phrase; relative clauses, participles and
# most prepositional phrases describe something else.
_PHRASE_DEPS = frozenset({
    "compound", "amod", "poss", "det", "nmod", "nummod", "quantmod", "case", "appos",
    "punct", "cc", "conj", "prep", "pobj", "npadvmod", "advmod",
})
PRONOUNS = frozenset({"he", "she", "they", "it", "him", "her", "them", "its", "his", "their"})
RELATIVES = frozenset({"who", "which", "that", "whom"})
# "people": an ethnic or regional people of one country (data/peoples.tsv)
_COUNTRY_KINDS = frozenset({"country", "demonym", "capital", "metonym", "people"})
# Entity types of names whose words are not role words ("General Amnesty Law").
_NAMED_THINGS = frozenset({"ORG", "LAW", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART"})
# Affiliations whose backers act as people, not as the organisation itself.
_POLITICAL = frozenset({"PTY", "OPP"})


@dataclass(frozen=True)
class Coding:
    name: str | None
    country: str | None
    sector: str | None
    country_from_name: bool  # the phrase's head is a country, capital or demonym


def phrase_tokens(head: Token, *, with_conj: bool = False) -> list[Token]:
    """The tokens of the noun phrase headed by ``head``, without clauses hanging on it."""
    keep: list[Token] = []
    stack = [head]
    while stack:
        tok = stack.pop()
        keep.append(tok)
        for child in tok.children:
            if child.dep_ not in _PHRASE_DEPS:
                continue
            if child.dep_ in ("conj", "cc") and not with_conj:
                continue
            if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"):
                continue  # "soldiers ... crossed and took over": a clause, not a party
            if child.dep_ == "prep" and child.lower_ not in ("of", "from"):
                continue  # "troops from Chad" is Chad's; "troops in Chad" may not be
            if child.dep_ == "punct" and child.i > head.i:
                continue
            if child.dep_ == "amod" and child.i > tok.i:
                continue  # "the population close to the king": the adjective heads a phrase
            if child.dep_ == "conj" and _opens_clause(child):
                continue  # "killed by colleagues and his body set on fire"
            stack.append(child)
    keep.sort(key=lambda t: t.i)
    colons = [t.i for t in keep if t.text == ":" and t.i < head.i]
    if colons:  # "Agreement: Rebel groups ...": a label, not part of the name
        keep = [t for t in keep if t.i > colons[-1]]
    dated = [t.i for t in keep if t.text == "," and t.i < head.i and any(
        d.ent_type_ in ("DATE", "TIME") for d in keep if d.i < t.i)]
    if dated:  # "Around 1 May 2020 (as reported), miners": when, not who
        keep = [t for t in keep if t.i > dated[-1]]
    # Trim punctuation at the edges ("Assad ,").
    while keep and (keep[-1].is_punct or keep[-1].dep_ in ("case", "cc")):
        keep.pop()
    while keep and keep[0].is_punct:
        keep.pop(0)
    span = head.doc[keep[0].i:keep[-1].i + 1] if keep else None
    if span is not None and sum(t.text == "(" for t in span) > sum(t.text == ")" for t in span):
        # "the Uganda Peoples Defence Force (UPDF)": the bracket opened is closed
        after = keep[-1].i + 1
        if after < len(head.doc) and head.doc[after].text == ")":
            keep.append(head.doc[after])
    return keep


def _opens_clause(conj: Token) -> bool:
    """A conjunct with a possessive and a participle right after it is a clause of its
    own ("killed by colleagues and his body set on fire"), not a second party."""
    after = conj.doc[conj.i + 1] if conj.i + 1 < len(conj.doc) else None
    return (any(c.dep_ == "poss" and c.lower_ in PRONOUNS for c in conj.children)
            and after is not None and after.tag_ in ("VBN", "VBD"))


def _inside_name(toks: list[Token]) -> bool:
    """The tokens are the first part of a longer organisation's name."""
    last = toks[-1]
    return last.ent_type_ == "ORG" and last.i + 1 < len(last.doc) and (
        last.doc[last.i + 1].ent_type_ == "ORG" and last.doc[last.i + 1].ent_iob_ == "I")


def _modifies_name(toks: list[Token], dictionary: ActorDictionary, kind: str) -> bool:
    """The tokens are a modifier inside the name of an organisation, law or place, not
    its head word ("Police Wives Association", "General Amnesty Law"; not "Ministry of
    Defence"). Where the head word is a role word too, a specific modifier still says
    who they are ("Nigeria Police Force" is police), a vague one does not (the "Uganda
    People's Defence Force" are no people)."""
    tok = toks[0]
    if tok.ent_type_ not in _NAMED_THINGS:
        return False
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    return ent is not None and all(t.i != ent.root.i for t in toks) and (
        ent.root.lower_ not in dictionary.by_first or kind == "generic")


def _names_part(toks: list[Token], *, whole: bool = False) -> bool:
    """The tokens are a part of a longer name of an organisation or thing, not its head
    ("Paris Confectionery", "the Communist Youth party"); with ``whole``, a part of any
    longer name ("Residencial Los Lagos" is no Lagos)."""
    ent = next((e for e in toks[0].doc.ents if e.start <= toks[0].i < e.end), None)
    if ent is None:
        return False
    if whole:
        words = [t for t in ent if t.lower_ != "the"]
        return bool(words) and (words[0].i < toks[0].i or words[-1].i > toks[-1].i)
    return ent.label_ in _NAMED_THINGS and not any(t.i == ent.root.i for t in toks)


def _former(tok: Token) -> bool:
    """``tok`` follows "ex-" or "former"."""
    doc = tok.doc
    return (tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ == "ex") or (
        tok.i >= 1 and doc[tok.i - 1].lower_ == "former")


def _prefixed(tok: Token, prefixes: tuple[str, ...]) -> bool:
    """``tok`` is the second half of a hyphenated word with one of ``prefixes``."""
    doc = tok.doc
    return tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ in prefixes


def _where_a_people_lives(head: tuple[ActorEntry, int] | None,
                         named: list[tuple[ActorEntry, bool, int]]) -> ActorEntry | None:
    """The country word that locates a people named by a demonym at the phrase's head:
    one before it ("Bosnian Serbs") or outside the head ("Albanians of Serbia")."""
    if head is None or head[0].kind != "demonym":
        return None
    return next((e for e, is_head, i in named if e is not head[0]
                 and e.country != head[0].country and (not is_head or i < head[1])), None)


def span_text(doc: Doc, tokens: list[Token]) -> str:
    """The text from the first to the last token (``doc.text`` would rebuild the whole
    document's string on every call)."""
    if not tokens:
        return ""
    return doc[tokens[0].i: tokens[-1].i + 1].text


class ActorCoder:
    """Codes noun phrases of one document; holds that document's people. ``published``
    (the article's date) picks the office a person held then from the imported
    PETRARCH-2 names."""

    def __init__(self, dictionary: ActorDictionary, doc: Doc,
                 published: date | None = None) -> None:
        self.dictionary = dictionary
        self.published = published
        self.people: dict[str, Coding] = {}
        # a title word -> (where, coding) of the people it was given to, in text order
        self.titled: dict[str, list[tuple[int, Coding]]] = {}
        self._learn_people(doc)

    def _matches(self, tokens: list[Token]) -> list[tuple[ActorEntry, list[Token]]]:
        """Dictionary entries found in a token run, longest match first at each point."""
        found: list[tuple[ActorEntry, list[Token]]] = []
        words = [t.lower_ for t in tokens]
        i = 0
        while i < len(tokens):
            matched = None
            for key in (words[i], tokens[i].lemma_.lower()):
                for entry in self.dictionary.by_first.get(key, ()):
                    if entry.kind == "person" and not tokens[i].text[:1].isupper():
                        continue  # "Bush" the president, not a bush
                    n = len(entry.tokens)
                    if entry.cased and not all(t.text.isupper() or not t.is_alpha
                                               for t in tokens[i:i + n]):
                        continue  # "US" the country, not "us"; "CAR", not a car
                    if n == 1 or tuple(words[i:i + n]) == entry.tokens:
                        matched = (entry, tokens[i:i + n])
                        break
                if matched:
                    break
            if matched:
                found.append(matched)
                i += len(matched[1])
            else:
                i += 1
        return found

    def _learn_people(self, doc: Doc) -> None:
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            root = ent.root
            titles = [t for t in phrase_tokens(root) if t.i < ent.start or t.i >= ent.end]
            for child in root.children:
                if child.dep_ == "appos":
                    titles.extend(phrase_tokens(child))
            coding = (self._code_tokens(titles, head=None) if titles
                      else Coding(None, None, None, False))
            if not (coding.country and coding.sector):
                # "Hamid Karzai" untitled, or titled "Mr": the office he held that day
                coding = self._imported(list(ent), ent.root, coding)
            if coding.country or coding.sector:
                self.people[ent.text.lower()] = coding
                self.people.setdefault(ent[-1].lower_, coding)
            if coding.country:
                for tok in titles:
                    if tok.pos_ in ("NOUN", "PROPN") and not tok.ent_type_ and tok.is_alpha:
                        self.titled.setdefault(tok.lemma_.lower(), []).append((ent.start, coding))

    def _code_tokens(self, tokens: list[Token], head: Token | None) -> Coding:
        country = name = sector = None
        country_from_name = False
        country_is_head = False  # the head word itself, not a modifier compounded to it
        # every country word with its place: before the head's, or outside the head, it
        # says where a people named at the head lives ("Bosnian Serbs")
        named: list[tuple[ActorEntry, bool, int]] = []
        head_entry: tuple[ActorEntry, int] | None = None
        specific_sector: str | None = None
        generic_sector: str | None = None
        generic_armed_head = False
        group: ActorEntry | None = None
        people_head: ActorEntry | None = None  # "supporters", "members", "protesters"
        backs_party = backs_politician = False
        party_sector: str | None = None  # "opposition" leader, "party" officials
        head_set = {head.i} if head is not None else set()
        if head is not None:
            head_set.update(c.i for c in head.children if c.dep_ == "compound")
        for entry, toks in self._matches(tokens):
            if _former(toks[0]) and entry.kind in ("role", "generic", "follower"):
                continue  # "ex-soldiers", "former rebels" are no longer what the word says
            if _prefixed(toks[0], ("anti", "non")):
                continue  # "anti-government protesters" are no government
            if entry.kind in _COUNTRY_KINDS and _prefixed(toks[0], ("pro",)):
                continue  # "pro-Russian separatists" back Russia; they are not Russia's
            if entry.kind in ("capital", "metonym") and _inside_name(toks):
                continue  # "workers of Paris Confectionery" are not the French government
            if (entry.kind in ("role", "generic", "follower")
                    and _modifies_name(toks, self.dictionary, entry.kind)):
                continue  # the "General Amnesty Committee" is no general
            is_head = any(t.i in head_set for t in toks)
            if (head is not None and any(t.i == head.i for t in toks) and (
                    entry.kind == "follower"
                    or (entry.sector == "PPL" and entry.kind in ("role", "generic")))):
                people_head = entry
            elif entry.sector in _POLITICAL:
                backs_party = True
                party_sector = party_sector or entry.sector
            elif entry.kind == "person" or entry.sector == "GOV":
                backs_politician = True
            if entry.kind == "group":
                group = group or entry
            elif entry.kind in _COUNTRY_KINDS or entry.kind == "person":
                if entry.country:
                    named.append((entry, is_head, toks[0].i))
                if country is None or is_head:
                    country, name = entry.country, entry.name
                    country_from_name = is_head
                    country_is_head = head is not None and any(t.i == head.i for t in toks)
                    head_entry = (entry, toks[0].i) if is_head else None
                if (is_head or entry.kind == "person") and entry.sector:
                    specific_sector = specific_sector or entry.sector
            elif entry.kind == "generic":
                generic_sector = generic_sector or entry.sector
                generic_armed_head = generic_armed_head or (
                    is_head and entry.sector in ARMED_SECTORS)
            elif entry.sector:
                specific_sector = specific_sector or entry.sector
        where = _where_a_people_lives(head_entry, named)
        if where is not None:
            # a people named with the country they live in ("Bosnian Serbs", "the
            # Albanians of southern Serbia", "Syrian Turkmen fighters") are that country's
            country, name = where.country, where.name
            country_from_name = country_is_head = False
        if group is not None and not country_is_head:
            # a named group decides, unless the phrase's head is a country ("NATO-member
            # Norway" is Norway); a demonym compounded to the head names the group's
            # people ("the PMF's Turkmen Brigades" are Iraq's)
            country = group.country or country
            name = group.name
            sector = group.sector or specific_sector
            country_from_name = False
        else:
            sector = specific_sector or generic_sector
            if sector == "GOV" and generic_armed_head:
                sector = "MIL"  # "government forces", "regime fighters": the state's army
        if sector == "GOV" and party_sector is not None and (group is None or country_from_name):
            sector = party_sector  # "an opposition leader" leads no government
        if people_head is not None and (
                backs_party or (people_head.kind == "follower" and backs_politician)):
            sector = "PPL"  # a party's or a politician's backers, not the party itself
        if country is None or sector is None:
            for tok in tokens:
                if tok.ent_type_ == "PERSON" or tok.pos_ == "PROPN":
                    person = self.people.get(tok.lower_)
                    if person:
                        country = country or person.country
                        sector = sector or person.sector
                        break
        coding = Coding(name=name, country=country, sector=sector,
                        country_from_name=country_from_name and specific_sector is None)
        if country is None or sector is None:
            coding = self._imported(tokens, head, coding)
        return coding

    def _imported(self, tokens: list[Token], head: Token | None, coding: Coding) -> Coding:
        """Fill what the curated dictionary left empty from the imported PETRARCH-2
        names: a name in the phrase (the one at its head first; a person by the office
        held on the article's date) gives a country and sector, unless it names another
        country than the phrase already has; then an agent noun gives the sector of a
        phrase with a country ("Russian conscripts": RUS MIL)."""
        layer = self.dictionary.imported
        if layer is None or not tokens:
            return coding
        country, sector, name = coding.country, coding.sector, coding.name
        words = [t.lower_ for t in tokens]
        found = [(i, a) for i, a in layer.find_actors(
            words, [t.text[:1].isupper() for t in tokens],
            [t.text.isupper() or not t.is_alpha for t in tokens],
            [t.pos_ == "PROPN" for t in tokens])
            if not self._shadowed(a.tokens)
            and not _names_part(tokens[i:i + len(a.tokens)], whole=a.kind == "country")]
        if found:
            at_head = [(i, a) for i, a in found if head is not None
                       and any(t.i == head.i for t in tokens[i:i + len(a.tokens)])]
            actor = (at_head or found)[0][1]
            role = actor.role_on(self.published)
            if role is not None and (country is None or role.country in (None, country)):
                if country is None and role.country is not None:
                    country, name = role.country, name or actor.name
                sector = sector or role.sector
        if sector is None and country is not None:
            agent = layer.find_agent(words, [t.lemma_.lower() for t in tokens])
            if agent is not None:
                sector = agent.sector
        if (country, sector) == (coding.country, coding.sector):
            return coding
        return replace(coding, country=country, sector=sector, name=name)

    def _shadowed(self, tokens: tuple[str, ...]) -> bool:
        """The curated dictionary has the term: its meaning wins ("Senate" is any
        country's legislature, not the US Congress)."""
        return any(e.tokens == tokens for e in self.dictionary.by_first.get(tokens[0], ()))

    def named_country(self, doc: Doc) -> str | None:
        """The country the article's words name most often by its name, a demonym or a
        people of that country ("in Burkina Fasos capital" names no place the gazetteer
        resolves, but "Kenyan human rights activists" says whose country the story is
        in); the first named wins a tie. None when no country is named."""
        counts: dict[str, int] = {}
        for entry, _ in self._matches(list(doc)):
            if entry.kind in ("country", "demonym", "people") and entry.country:
                counts[entry.country] = counts.get(entry.country, 0) + 1
        return max(counts, key=lambda c: counts[c]) if counts else None

    def _earlier_group(self, head: Token) -> Coding | None:
        """"The group" codes as the group named before it in the article: "a group of
        merchants gathered ... The group demanded"."""
        if head.lemma_.lower() != "group" or not any(
                c.dep_ == "det" and c.lower_ in ("the", "this") for c in head.children):
            return None
        for tok in reversed(head.doc[:head.i]):
            if tok.lemma_.lower() == "group":
                earlier = self._code_tokens(phrase_tokens(tok), tok)
                if earlier.country is not None or earlier.sector is not None:
                    return earlier
        return None

    def _earlier_title(self, head: Token) -> Coding | None:
        """"The spokesman" is the person last given that title before it in the article
        ("Kremlin spokesman Dmitry Peskov ... the spokesman said")."""
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that")
                   for c in head.children) or any(c.dep_ in ("amod", "compound")
                                                   for c in head.children):
            return None
        earlier = [c for i, c in self.titled.get(head.lemma_.lower(), ()) if i < head.i]
        return earlier[-1] if earlier else None

    def _misread_acronym(self, tokens: list[Token]) -> Token | None:
        """A group's acronym right before the phrase that the parser took for a verb
        ("IS militants attacked": "IS" read as "is"), which belongs to the phrase."""
        if not tokens or tokens[0].i == 0:
            return None
        prev = tokens[0].doc[tokens[0].i - 1]
        if prev.pos_ not in ("AUX", "VERB") or not (prev.is_alpha and prev.text.isupper()):
            return None
        entries = self.dictionary.by_first.get(prev.lower_, ())
        return prev if any(e.cased and len(e.tokens) == 1 for e in entries) else None

    @staticmethod
    def _cut_prefix(tokens: list[Token]) -> list[Token]:
        """The first half of a hyphenated word the parser left outside the phrase ("pro-"
        of "pro-Hadi and allied snipers"): a word written as one belongs to one phrase."""
        if not tokens or tokens[0].i < 2:
            return []
        doc = tokens[0].doc
        hyphen, prefix = doc[tokens[0].i - 1], doc[tokens[0].i - 2]
        if (hyphen.text == "-" and not hyphen.whitespace_ and not prefix.whitespace_
                and prefix.is_alpha):
            return [prefix, hyphen]
        return []

    def code(self, doc: Doc, head: Token, *, with_conj: bool = True,
             trigger: Token | None = None) -> tuple[Actor, Coding]:
        """The actor record for the phrase headed by ``head``; a phrase the parser runs
        on into the ``trigger`` that names the act ends before it ("Students of X
        University protest exam fees", a headline read as one noun phrase)."""
        shown = phrase_tokens(head, with_conj=with_conj)
        coded = phrase_tokens(head) if with_conj else shown
        if trigger is not None and head.i < trigger.i and any(t.i == trigger.i for t in shown):
            shown = [t for t in shown if t.i < trigger.i]
            coded = [t for t in coded if t.i < trigger.i]
        acronym = self._misread_acronym(shown)
        if acronym is not None:
            shown, coded = [acronym, *shown], [acronym, *coded]
        prefix = self._cut_prefix(shown)
        if prefix:
            shown, coded = [*prefix, *shown], [*prefix, *coded]
        coding = self._code_tokens(coded, head)
        if coding.country is None and coding.sector is None:
            coding = self._earlier_group(head) or coding
        if coding.country is None:
            coding = self._earlier_title(head) or coding
        if with_conj and coding.country is None:
            # "the DKBA and military forces": an unknown first party, a known second one;
            # "the military and the PMF": allies named together are of one country
            for conj in (c for c in head.children if c.dep_ == "conj"):
                other = self._code_tokens(phrase_tokens(conj), conj)
                if coding.sector is None and (other.country or other.sector):
                    coding = other
                    break
                if other.country is not None:
                    coding = replace(coding, country=other.country)
                    break
        if coding.country is None:
            # "rebels in the Ivory Coast", "opposition groups in Zimbabwe": where a group
            # is says whose it is when nothing else does
            for child in head.children:
                if child.dep_ == "prep" and child.lower_ in ("in", "inside"):
                    place = self._code_tokens(list(child.subtree), None)
                    if place.country is not None:
                        coding = replace(coding, country=place.country)
                        break
        actor = Actor(text=span_text(doc, shown), name=coding.name, country=coding.country,
                      sector=coding.sector)  # type: ignore[arg-type]
        return actor, coding
