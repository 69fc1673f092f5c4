"""A raw confidence for each coded event, from what the coder found.

``raw_score(features)`` is a logistic function of hand-set weights: a clear trigger
with a coded actor, a target and a named place scores high; a weak trigger with
nothing around it, or a hedged one, scores low. ``eventscope.coder.calibrate`` (fit
on the development sets) maps it to a probability; :data:`FEATURE_NAMES` and
:meth:`EventFeatures.vector` give a calibrator the same features to fit on.
"""

from __future__ import annotations

import math
from dataclasses import astuple, dataclass, fields


@dataclass(frozen=True)
class EventFeatures:
    """What the coder found for one event (all in 0..1)."""

    strength: float  # the trigger's lexicon strength
    nominal: float  # the trigger is a bare noun ("an attack"), not a verb's object
    subordinate: float  # the trigger sits under another trigger ("marched to demand")
    background: float  # an actorless noun that dates or describes ("held since the clashes")
    has_actor: float
    actor_country: float
    actor_sector: float
    has_target: float
    place_argument: float  # the place is the trigger's own argument
    place_sentence: float  # ... or only named in the sentence
    has_date_text: float
    hedged: float
    negated: float
    attributed: float

    def vector(self) -> list[float]:
        return list(astuple(self))


FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in fields(EventFeatures))

_WEIGHTS = {
    "strength": 2.2, "nominal": -0.3, "subordinate": -0.9, "background": -1.5,
    "has_actor": 0.6, "actor_country": 0.5,
    "actor_sector": 0.3, "has_target": 0.3, "place_argument": 0.4, "place_sentence": 0.2,
    "has_date_text": 0.2, "hedged": -0.8, "negated": -0.4, "attributed": 0.1,
}
_BIAS = -1.9


def raw_score(features: EventFeatures) -> float:
    """A score in (0, 1) rising with the evidence found for the event."""
    z = _BIAS + sum(_WEIGHTS[name] * value
                    for name, value in zip(FEATURE_NAMES, features.vector(), strict=True))
    return 1.0 / (1.0 + math.exp(-z))
