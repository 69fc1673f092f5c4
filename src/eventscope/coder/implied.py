"""The actor a type implies when the text names none, as ACLED codes it.

ACLED never leaves actor1 empty: a demonstration nobody is named for is held by
"Protesters (X)", a riot by "Rioters (X)", an attack by an unnamed perpetrator by an
"Unidentified Armed Group (X)", X being the country it happened in. The record
contract follows it for these three cases only (``implied: true``, ``text`` null): no
other type implies who acted, and a party the words name is never replaced.

The implied actor is added after the confidence is computed: it says nothing of how
sure the coding is, since no words back it.
"""

from __future__ import annotations

from ..record import Actor, Location, Sector

PROTESTERS, RIOTERS, UNIDENTIFIED = "Protesters", "Rioters", "Unidentified armed group"


def implied_actor(event_type: str, mode: str, location: Location | None,
                  negated: bool = False) -> Actor | None:
    """The actor ACLED would code for an event of ``event_type``/``mode`` that names none,
    in the country of its ``location``; None for any other type, and for an event the
    text says did not happen ("no one was hurt"), which implies no one."""
    if negated:
        return None
    sector: Sector
    if event_type == "PROTEST":
        # PLOVER's riot mode is ACLED's riot: a crowd that burns, loots or throws stones
        name = RIOTERS if mode == "riot" else PROTESTERS
        sector = "PPL"
    elif event_type == "ASSAULT":
        name, sector = UNIDENTIFIED, "UNK"
    else:
        return None
    country = location.country if location is not None else None
    return Actor(text=None, name=name, country=country, sector=sector, implied=True)
