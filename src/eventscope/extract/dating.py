"""When the event happened: which of a sentence's dates is the event's.

A date hanging on the trigger wins (the nearest in the tree first), then one on a
clause above it ("On 1 May, protesters gathered and demanded ..."), then any other in
the sentence; a date inside a relative clause or participle the trigger is not in
("a blogger arrested on 16 April") is not the event's. With none, the event is dated
about its publication: news reports recent events.
"""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc, Span, Token

from ..dates import ResolvedDate


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
    the nearest in the sentence. Dates inside other clauses ("arrested on 16 April")
    lose to those."""
    if not dates:
        return None
    anchor = governor if governor is not None else trigger

    def rank(d: ResolvedDate) -> tuple[int, int]:
        span = doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None or not sent.start <= span.start < sent.end:
            return 3, abs(d.start - trigger.idx)
        root = span.root
        if in_other_clause(root, trigger):
            return 4, 0
        down = steps_up(root, trigger)
        if down is None and governor is not None:
            down = steps_up(root, governor)
        if down is not None:
            return 0, down
        up = steps_up(anchor, root.head)
        if up is not None:
            return 1, up
        return 2, abs(d.start - trigger.idx)

    best = min(dates, key=rank)
    return None if rank(best)[0] == 4 else best


def in_other_clause(tok: Token, trigger: Token) -> bool:
    """``tok`` sits in a relative clause or participle that the trigger is not in
    ("the junta that took power in 1999 was ...", "a blogger arrested on 16 April")."""
    above = {a.i for a in trigger.ancestors} | {trigger.i}
    cur = tok
    while cur.i not in above and cur.head.i != cur.i:
        if cur.dep_ in ("relcl", "acl"):
            return True
        cur = cur.head
    return False


def event_date(found: ResolvedDate | None,
                published: date | None) -> tuple[str | None, str | None, str | None]:
    """(date, precision, date_text): the date the text gives, else the publication date
    at week precision, since news reports recent events; else unknown."""
    if found is not None:
        return found.date, found.precision, found.text
    if published is not None:
        return published.isoformat(), "week", None
    return None, None, None
