"""SPEC §4: every answer becomes a score from 0 to 100."""

from __future__ import annotations

import math

from vibbench.rubric.model import Indicator, Scale


def _log(v: float) -> float:
    return math.log1p(v) if v > -1 else -math.inf


def normalise(ind: Indicator, value: float, scale: Scale) -> float:
    """The 0–100 score of ``value`` as an answer to ``ind``."""
    if ind.type == "level":
        return 100.0 * (value - scale.min) / (scale.max - scale.min)
    if ind.type == "boolean":
        return 100.0 * value
    m, t, x = ind.min, ind.target, value
    if ind.log:
        m, t, x = _log(m), _log(t), _log(x)
    ratio = (x - m) / (t - m)
    if math.isnan(ratio):
        ratio = 0.0
    return 100.0 * min(1.0, max(0.0, ratio))
