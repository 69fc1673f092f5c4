"""The geoparser: place names in a text, resolved to coordinates.

Public API:

- :func:`geoparse` ``(text, model=None) -> list[Toponym]``: parse ``text`` with the shared
  spaCy pipeline, then :func:`geoparse_doc`.
- :func:`geoparse_many` ``(texts, *, model=None, n_process=1, batch_size=16)``: toponyms
  of many texts, in input order; parses with only the components the geoparser reads
  (:func:`parse_for_geo`: no lemmatizer, and the sentence recogniser instead of the
  dependency parser when the model has one), in forked workers when ``n_process > 1``.
- :func:`geoparse_doc` ``(doc, nlp=None) -> list[Toponym]``: place names in an already
  parsed Doc (``nlp``: the pipeline that parsed it, when it is not the shared one),
  character offsets into ``doc.text``, each resolved against the gazetteer (``score`` in
  0..1 says how sure the ranking is). Called once per article by the pipeline.
- :func:`precision_of` ``(toponym) -> 1 | 2 | 3``: ACLED geo-precision of a resolved
  place: 1 a town or site itself, 2 a second-level or other area, 3 a first-level region
  or larger (ADM1, countries, continents, regions).
- :func:`is_demonym` ``(toponym) -> bool``: True when the mention is an adjective or
  demonym standing for its country ("Syrian" -> Syria); event locations should prefer
  real place names.

The gazetteer (``gazetteer.py``) is an on-disk SQLite index at EVENTSCOPE_GAZETTEER, else
``$XDG_DATA_HOME/eventscope/gazetteer-v<N>.sqlite`` (``~/.local/share`` by default), built
on first use or by ``eventscope gazetteer build``. ``recognize.py`` finds candidate spans
(spaCy entities + gazetteer n-grams), ``resolve.py`` ranks their gazetteer entries with
the trees in ``data/ranker.json`` (``scripts/train_geo_ranker.py``; another file can be
named by EVENTSCOPE_GEO_RANKER).
"""

from __future__ import annotations

from .api import (
    geoparse,
    geoparse_doc,
    geoparse_many,
    is_demonym,
    parse_for_geo,
    precision_of,
)

__all__ = ["geoparse", "geoparse_doc", "geoparse_many", "is_demonym", "parse_for_geo",
           "precision_of"]
