"""Every default of the rubric format, written once.

Used by the schema (:mod:`vibbench.rubric.schema`, which fills them into the canonical form),
by validation (which must know them before the schema has run) and by the model.
"""

from __future__ import annotations

from typing import Any, Final, Literal

SCALE_MIN = 0
SCALE_MAX = 4
"""The level scale when a rubric does not say: 0–4."""

DIRECTION: Final[Literal["higher"]] = "higher"
"""A number indicator's direction when it does not say: more is better."""

THEMES: dict[str, tuple[str, str]] = {
    "institutional_supply": ("Strengthen institutional supply", "强化制度性供给"),
    "research_organisation": ("Innovate the research organisation model", "创新科研组织模式"),
    "capital_linkage": ("Broaden capital-linkage channels", "拓宽资本链接通道"),
}
"""The three reform themes (id → English, Chinese) when a rubric does not list its own."""

BANDS: tuple[tuple[float, str, str, str], ...] = (
    (0, "nascent", "Nascent", "起步"),
    (25, "developing", "Developing", "发展"),
    (50, "established", "Established", "成熟"),
    (75, "leading", "Leading", "领先"),
)
"""The bands (min, id, English, Chinese) when a rubric does not list its own."""

MAX_SCALE_SPAN = 100
"""A level scale spans at most this (101 levels): each level needs a descriptor, and the
template lists every level in a dropdown."""

MAX_WEIGHT = 1e9
"""Weights above this are refused: sums of a few such weights stay exact in a float."""

MAX_MAGNITUDE = 1e15
"""No number in a rubric may lie beyond ±this (goalposts, references, ranges, bounds):
differences and logarithms of such numbers stay finite and meaningful."""


def target_of(target: Any, reference: Any) -> Any:
    """A number indicator's best goalpost: ``target``, else the reference."""
    return target if target is not None else reference
