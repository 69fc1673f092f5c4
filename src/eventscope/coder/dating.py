"""When the event happened: which of a sentence's dates is the event's.

A date hanging on the trigger wins (the nearest in the tree first), then one on a
clause above it ("On 1 May, protesters gathered and demanded ..."), then any other in
the sentence, then the date the paragraph last stated. A date that sets the scene for
another happening is not the event's: one inside a relative clause or past participle
the trigger is not in ("a blogger arrested on 16 April"), or under a word that puts a
happening before or beside the event ("after", "following", "since", "over the death
... in February", "even though ... in March"), nor is one that names the time of a
thing ("discussed the 2010 census"). With none, the event is dated about its
publication (see :func:`event_date`), unless its own clause places it years back
("during the civil war", "since 2015", "a history of attacks"): such background is
undated (see :func:`dated_event`).
"""

from __future__ import annotations

import re
from datetime import date

from spacy.tokens import Doc, Span, Token

from ..dates import DAY, WEEK, ResolvedDate, reads_as_year
from .lexicon import load_triggers

# Prepositions whose object is a happening the event follows, answers or is set
# against: "arrested after the protest on Monday", "protested over the death of X in
# February", "demanding ... following a riot last month". Not "for": news hangs the
# event's own closing date on a purpose as often as on a cause ("set a youth on fire for
# allegedly smuggling fuel ... on Wednesday").
_BACKGROUND_PREPS = frozenset({"after", "following", "since", "before", "over", "until",
                               "till", "despite"})
# Of these, the ones that say the event was not on the day they introduce ("after 5
# May"); "over 24-26 June" is the date's own preposition and means during.
_NOT_ON_THE_DAY = frozenset({"after", "following", "since", "before", "until", "till"})
# Prepositions naming the happening an event took place in ("killed in an airstrike").
_OCCASION_PREPS = frozenset({"in", "during", "amid"})
# Subordinators of a clause that happened at another time than the main one ("After
# three tourists were killed in February, police arrested ..."), or that only concedes
# or explains ("even though the NTC assured in March that ...").
_BACKGROUND_MARKS = frozenset({"after", "since", "before", "until", "till", "once",
                               "though", "although", "because", "unless", "if"})


def steps_up(low: Token, high: Token, limit: int = 12) -> int | None:
    """How many heads up from ``low`` to reach ``high`` (None if it is not above)."""
    cur = low
    for n in range(limit):
        if cur.i == high.i:
            return n
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def pick_date(dates: list[ResolvedDate], trigger: Token, governor: Token | None,
               doc: Doc, sent: Span) -> ResolvedDate | None:
    """The date said of this event: one hanging on the trigger (nearest first), else
    one on a clause above it ("On 1 May, protesters gathered and demanded ..."), else
    the nearest in the sentence, else one from before the sentence (the paragraph's,
    which the caller passes last). A calendar date beats a relative one at the same
    place ("yesterday (24 July)"). Background dates are not the event's, except a
    day-precise one under a preposition when nothing else is said: "resorted to firing
    after detecting movements ... on 20 August" hangs the sentence's closing date on the
    nearest noun, while background is mostly dated coarsely ("over the death of X in
    February", "following a riot last month")."""
    if not dates:
        return None
    anchor = governor if governor is not None else trigger

    def rank(d: ResolvedDate) -> tuple[int, int, bool]:
        span = doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None or not sent.start <= span.start < sent.end:
            return 3, abs(d.start - trigger.idx), d.relative
        root = span.root
        if names_a_thing(root, (trigger, governor)):
            return 5, 0, d.relative
        why = background(root, trigger, span)
        if why == CLAUSE or (why == PREPOSITION and d.precision != DAY):
            return 5, 0, d.relative
        if why == PREPOSITION:
            return 4, 0, d.relative
        down = steps_up(root, trigger)
        if down is None and governor is not None:
            down = steps_up(root, governor)
        if down is not None and not _in_other_clause(root, anchor):
            return 0, down, d.relative
        up = steps_up(anchor, root.head)
        if up is not None:
            return 1, up, d.relative
        return 2, abs(d.start - trigger.idx), d.relative

    best = min(dates, key=rank)
    return None if rank(best)[0] == 5 else best


def _in_other_clause(low: Token, high: Token) -> bool:
    """Between ``low`` and ``high`` (above it) lies a coordinated clause with a subject of
    its own: "protesters gathered and on Monday police dispersed them" dates the
    dispersal, not the gathering (which then takes such a date only if none of its own)."""
    cur = low
    while cur.i != high.i and cur.head.i != cur.i:
        if cur.dep_ == "conj" and cur.pos_ in ("VERB", "AUX") and any(
                c.dep_ in ("nsubj", "nsubjpass", "expl") for c in cur.children):
            return True
        cur = cur.head
    return False


def main_date(dates: list[ResolvedDate], doc: Doc, sent: Span,
              carried: ResolvedDate | None = None) -> ResolvedDate | None:
    """The date the sentence's main clause states, which a narrative carries on to its
    next sentences: the one nearest the sentence's root that is not background, a
    calendar date before a relative one. A sentence states none for the narrative when
    all its dates are background, when it looks back in the past perfect ("The blogger
    had covered a demonstration in December 2019."), or when its date is both earlier
    and coarser than the paragraph's (a narrative moves on at the same or a finer
    grain; "in December 2019" after "On 6 May 2020" is a look back): the paragraph then
    keeps its date. Only a day or a week is carried: a year or a month named in passing
    ("the 2010 budget", "in 2007") does not date the paragraph's next sentences."""
    root = sent.root
    if any(c.dep_ == "aux" and c.lower_ == "had" for c in root.children) and root.tag_ == "VBN":
        return None
    best: tuple[int, bool, int] | None = None
    chosen: ResolvedDate | None = None
    for d in dates:
        if d.precision not in (DAY, WEEK):
            continue  # a year or month named in passing does not date the next sentences
        span = doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None or not sent.start <= span.start < sent.end:
            continue
        if names_a_thing(span.root, (root,)) or background(span.root, root, span) is not None \
                or _looks_back(d, carried):
            continue
        steps = steps_up(span.root, root, limit=40)
        key = (40 if steps is None else steps, d.relative, d.start)
        if best is None or key < best:
            best, chosen = key, d
    return chosen


_GRAIN = {"day": 0, "week": 1, "month": 2, "year": 3}


def _looks_back(d: ResolvedDate, carried: ResolvedDate | None) -> bool:
    return carried is not None and d.date < carried.date \
        and _GRAIN.get(d.precision, 3) > _GRAIN.get(carried.precision, 3)


CLAUSE, PREPOSITION = "clause", "preposition"


def background(tok: Token, trigger: Token, own: Span) -> str | None:
    """Whether ``tok`` (the root of the date ``own``) dates a happening that sets the
    scene for the trigger's event rather than the event, and how: ``CLAUSE`` for a
    relative clause or past participle the trigger is not in ("the junta that took
    power in 1999 was ...", "a blogger arrested on 16 April") or a clause opened by
    "after", "though" and the like; ``PREPOSITION`` for a happening under "after",
    "over", "following" ("protested over the death of X in February"). A participle on
    a number or on a coordinated noun is a clipped clause of the event itself ("5
    killed, 8 wounded on June 20", "a man was killed and 20 animals driven away on
    Monday"), and a present participle is an act at the same time ("fired rounds
    targeting the camp on Monday")."""
    above = {a.i for a in trigger.ancestors} | {trigger.i}
    first = own.start
    skip = {t.i for t in own}
    cur = tok
    while cur.i not in above and cur.head.i != cur.i:
        own_preposition = cur.dep_ == "prep" and tok.head.i == cur.i \
            and cur.lower_ not in _NOT_ON_THE_DAY
        if cur.i not in skip and not own_preposition and not _occasion(cur, above):
            why = _sets_scene(cur, first)
            if why is not None:
                return why
        cur = cur.head
    return None


def _occasion(tok: Token, above: set[int]) -> bool:
    """``tok`` is a relative clause on the happening the event took place in: "killed in
    an airstrike that hit his house on 22 June" says when the airstrike, and so the
    killing, happened; "killed near Gao, which saw other clashes on June 8" does not."""
    noun = tok.head
    prep = noun.head
    return tok.dep_ == "relcl" and noun.dep_ == "pobj" and prep.head.i in above \
        and prep.lower_ in _OCCASION_PREPS and (noun.lemma_.lower(), "N") in load_triggers().plain


def _sets_scene(tok: Token, date_start: int) -> str | None:
    if tok.dep_ == "relcl":
        return CLAUSE
    if tok.dep_ == "acl":
        clipped = tok.head.like_num or tok.head.dep_ == "conj" or any(
            c.dep_ == "nummod" for c in tok.head.children)
        return None if tok.tag_ == "VBG" or clipped else CLAUSE
    if tok.dep_ == "prep" and tok.lower_ in _BACKGROUND_PREPS:
        return PREPOSITION
    if tok.dep_ in ("advcl", "ccomp", "conj", "pcomp") and any(
            c.dep_ == "mark" and c.lower_ in _BACKGROUND_MARKS and c.i < date_start
            for c in tok.children):
        # "On 4 August 2019, after a herder was killed, ...": a date before the
        # subordinator is not inside its clause, whatever the parse says
        return CLAUSE
    return None


# Modifier links by which a date names the time of a thing rather than of a clause: "the
# 2010 census", "the 1946 lynching", "the May 5 attack".
_MODIFIER_DEPS = frozenset({"compound", "nummod", "amod", "nmod", "poss"})


def names_a_thing(root: Token, own: tuple[Token | None, ...]) -> bool:
    """The date (its root ``root``) modifies a noun: it dates that thing ("discussed the
    2010 census", "the 2018 edition of the expo"), which is the event itself only when
    the noun is one of ``own`` (the trigger or its governor: "the 1991 agreement")."""
    head = root.head
    if root.dep_ not in _MODIFIER_DEPS or head.i == root.i or head.pos_ not in ("NOUN", "PROPN"):
        return False
    mine = {t.i for t in own if t is not None}
    return head.i not in mine and not (head.dep_ == "compound" and head.head.i in mine)


# What places an event years back when its clause says so and names no date of its own.
# "during/in/since/under/throughout" + a period over and done with ("the civil war",
# "the genocide", "the 1990s", "the past"); "for/over/in (recent) years/decades"; "years
# ago"; "once", "formerly", "previously"; "a history of attacks", "the anniversary of the
# massacre"; "the former blockade".
_PERIOD_PREPS = frozenset({"during", "in", "since", "under", "throughout", "before"})
_SPAN_PREPS = frozenset({"for", "over", "in", "during", "throughout", "since"})
_BYGONE_PERIODS = frozenset({"genocide", "dictatorship", "apartheid", "revolution", "era",
                             "colonialism", "reign", "past"})
_OLD_WARS = frozenset({"civil", "world", "cold", "independence", "liberation"})
_LONG_SPANS = frozenset({"years", "decades", "decade", "generations", "centuries"})
_ONCE = frozenset({"once", "formerly", "previously", "historically"})
_BACK_THEN = frozenset({"recent", "past", "previous", "earlier", "former", "those"})
_RECORD_OF = frozenset({"history", "anniversary", "legacy", "memory", "memorial",
                        "commemoration", "remembrance", "record"})
_DECADE = re.compile(r"^(?:19|20)?['\u2019]?\d0['\u2019]?s$")


def looks_back(trigger: Token, governor: Token | None, published: date | None) -> str | None:
    """The words of the event's own clause that place it years back, if any ("during the
    civil war", "since 2015", "years ago", "a history of attacks"), else None. Such an
    event is background: with no date of its own it is undated, never dated to the
    week of a report that only recalls it."""
    heads = [t for t in (trigger, governor) if t is not None]
    if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ in ("nsubj", "nsubjpass", "dobj", "attr"):
        heads.append(trigger.head)  # "attacks have been common since 2015"
    elif trigger.dep_ == "conj" and not any(c.dep_.startswith("nsubj") for c in trigger.children):
        heads.append(trigger.head)  # "once ruled the country and jailed dissidents"
    for head in heads:
        for c in head.children:
            cue = _clause_cue(c, published)
            if cue is not None:
                return cue
    if trigger.pos_ == "NOUN":
        if any(c.dep_ == "amod" and c.lower_ == "former" for c in trigger.children):
            return "former"
        of = trigger.head
        if trigger.dep_ == "pobj" and of.lower_ == "of" and of.head.lemma_.lower() in _RECORD_OF:
            return f"{of.head.text} of"
    return None


def _clause_cue(c: Token, published: date | None) -> str | None:
    if c.dep_ == "advmod" and c.lower_ in _ONCE and c.i < c.head.i:
        return c.text  # "once ruled", not "once the talks ended" (a mark)
    if c.dep_ == "advmod" and c.lower_ == "ago" and any(
            g.lower_ in _LONG_SPANS and not any(n.like_num for n in g.children)
            for g in c.children):
        return "years ago"  # "many years ago"; "ten years ago" is a date of its own
    if c.dep_ != "prep":
        return None
    word = c.lower_
    for p in (g for g in c.children if g.dep_ == "pobj"):
        lemma, mods = p.lemma_.lower(), {g.lower_ for g in p.children}
        if _DECADE.match(p.text) and word in _PERIOD_PREPS | _SPAN_PREPS:
            return f"{c.text} the {p.text}"
        if word in _PERIOD_PREPS and (lemma in _BYGONE_PERIODS or (
                lemma == "war" and mods & _OLD_WARS)):
            return " ".join(t.text for t in c.subtree)
        if word in _SPAN_PREPS and p.lower_ in _LONG_SPANS and not any(
                n.like_num for n in p.children) and (word != "in" or mods & _BACK_THEN):
            # "for years", "over the years", "in recent years"; not "the fiercest
            # fighting in years", which is this week's news
            return " ".join(t.text for t in c.subtree)
        if word == "since":
            for t in p.subtree:
                if t.like_num and len(t.text) == 4 and t.text[:2] in ("19", "20") \
                        and reads_as_year(t.doc.text, t.idx, t.idx + 4) \
                        and (published is None or int(t.text) < published.year - 1):
                    return f"since {t.text}"
    return None


def dated_event(found: ResolvedDate | None, trigger: Token, governor: Token | None,
                sent: Span, published: date | None,
                ) -> tuple[str | None, str | None, str | None]:
    """:func:`event_date` for the event of ``trigger``, unless its own clause places it
    years back (:func:`looks_back`) and its own sentence gives no date: then it is
    undated, neither the paragraph's date nor the publication's week."""
    if looks_back(trigger, governor, published) is not None and not _on_clause(
            found, trigger, governor, sent):
        return None, None, None
    return event_date(found, published)


def _on_clause(found: ResolvedDate | None, trigger: Token, governor: Token | None,
               sent: Span) -> bool:
    """``found`` hangs on the event's own words (the trigger or its governor), not on
    another clause of the sentence or another sentence."""
    if found is None or not sent.start_char <= found.start < sent.end_char:
        return False
    span = sent.doc.char_span(found.start, found.end, alignment_mode="expand")
    return span is not None and any(
        steps_up(span.root, head) is not None for head in (trigger, governor) if head is not None)


def event_date(found: ResolvedDate | None,
               published: date | None) -> tuple[str | None, str | None, str | None]:
    """(date, precision, date_text): the date the text gives, else the publication date
    at week precision with no date text, else unknown.

    Why a week: news reports what happened in the days up to publication, so the
    publication date bounds the event from above and is rarely more than a few days
    off; "day" would claim what no words say, and "month" would throw away what the
    report's timeliness does say. It is ACLED's time precision 2 ("within a week"). The
    date is the publication day itself, not the Monday of its week as for "last week",
    because the window ends at publication and may straddle two calendar weeks. The
    null ``date_text`` tells a user that no words dated the event.
    """
    if found is not None:
        return found.date, found.precision, found.text
    if published is not None:
        return published.isoformat(), "week", None
    return None, None, None
