"""The geoparser's entry points: Doc or text in, resolved :class:`Toponym` list out."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..nlp import load_nlp
from ..record import Toponym
from .fold import fold
from .gazetteer import KIND_DEMONYM, get_gazetteer
from .recognize import recognize
from .resolve import COUNTRY_CODES, resolve

# ACLED precision 3: first-level regions and anything larger.
_WIDE_CODES = {"ADM1", "CONT", "RGN", "OCN", "SEA", "GULF", "MTS", *COUNTRY_CODES}


def geoparse_doc(doc: Doc, nlp: Language | None = None) -> list[Toponym]:
    """Place names in ``doc`` (offsets into ``doc.text``), resolved. ``nlp``: the pipeline
    that parsed ``doc``, when it is not the shared one that :func:`load_nlp` gives."""
    if not doc.text.strip():
        return []
    mentions = recognize(doc, get_gazetteer(), nlp)
    out = []
    for m, (place, prob) in zip(mentions, resolve(mentions), strict=True):
        if place is None:
            out.append(Toponym(start=m.start, end=m.end, name=m.text, country=None))
            continue
        out.append(
            Toponym(
                start=m.start, end=m.end, name=m.text, lat=round(place.lat, 5),
                lon=round(place.lon, 5), geonameid=place.geonameid, country=place.country,
                admin1=place.admin1, feature_code=place.feature_code, score=round(prob, 3),
            )
        )
    return out


def geoparse(text: str, model: str | None = None) -> list[Toponym]:
    """Place names in ``text``, resolved (parses with the shared spaCy pipeline)."""
    if not text.strip():
        return []
    nlp = load_nlp(model)
    return geoparse_doc(nlp(text), nlp)


def precision_of(toponym: Toponym) -> int:
    """ACLED geo-precision: 1 the town or site itself, 2 a second-level or other area,
    3 a first-level region or larger."""
    code = toponym.feature_code or ""
    if code in _WIDE_CODES or code.startswith("PCL"):
        return 3
    if toponym.feature_code is None or code.startswith("ADM"):
        return 2  # unresolved, or a second-level area
    if code in {"AREA", "RGNE", "PRK", "ISL", "VAL", "PLN"}:
        return 2
    return 1  # curated sites (AIRB, NVB, ...) and other spots


def is_demonym(toponym: Toponym) -> bool:
    """True when the mention is a demonym or adjective for its place ("Syrian")."""
    if toponym.geonameid is None:
        return False
    cands = get_gazetteer().lookup_many([fold(toponym.name)]).get(fold(toponym.name), [])
    return any(c.kind == KIND_DEMONYM and c.geonameid == toponym.geonameid for c in cands)
