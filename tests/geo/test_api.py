"""The geoparser's own parse (fewer spaCy components than the event pipeline) and its
batch entry point, which must give what one-text calls give."""

from __future__ import annotations

from pathlib import Path

from eventscope.geo import geoparse, geoparse_doc
from eventscope.geo.api import geo_components, geoparse_many, parse_for_geo
from eventscope.nlp import load_nlp

REPORT = (
    "Shelling hit Kharkiv overnight, officials in Kyiv said. Residents of Izium fled "
    "toward Poltava on Monday. Aid convoys left Lviv for Dnipro, Ukraine."
)
OTHERS = [
    "Floods cut roads between Nairobi and Mombasa.",
    "",
    "The mayor of Alexandria, Louisiana, met officials from Baton Rouge.",
]


def test_the_geoparser_runs_ner_and_tags_with_sentence_starts_but_no_parser() -> None:
    nlp = load_nlp()
    names = geo_components(nlp)
    assert {"tagger", "attribute_ruler", "ner", "senter"} <= set(names)
    assert "parser" not in names and "lemmatizer" not in names
    # Sentence starts must exist before ner runs: ner keeps entities within a sentence.
    assert names.index("senter") < names.index("ner")


def test_parsing_for_the_geoparser_leaves_the_shared_pipeline_as_it_was() -> None:
    nlp = load_nlp()
    before = (list(nlp.pipe_names), list(nlp.disabled))
    [doc] = parse_for_geo([REPORT], nlp)
    assert (list(nlp.pipe_names), list(nlp.disabled)) == before
    assert [s.text.split()[0] for s in doc.sents] == ["Shelling", "Residents", "Aid"]
    assert all(doc.has_annotation(attr) for attr in ("TAG", "POS", "ENT_IOB"))
    assert not doc.has_annotation("DEP") and not doc.has_annotation("LEMMA")


def test_the_short_parse_finds_the_places_the_full_pipeline_finds(
    use_default_index: Path,
) -> None:
    nlp = load_nlp()
    assert geoparse(REPORT) == geoparse_doc(nlp(REPORT), nlp)
    assert {t.name for t in geoparse(REPORT)} >= {"Kharkiv", "Kyiv", "Izium", "Lviv"}


def test_a_batch_gives_each_text_what_geoparse_gives_in_input_order(
    use_default_index: Path,
) -> None:
    texts = [REPORT, *OTHERS]
    one_by_one = [geoparse(text) for text in texts]
    assert one_by_one[2] == []
    assert list(geoparse_many(texts)) == one_by_one
    # Two forked workers and chunks of one: every text still comes back in its place.
    assert list(geoparse_many(texts, n_process=2, batch_size=1)) == one_by_one
