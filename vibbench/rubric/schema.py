"""The rubric format as pydantic models: validation of a rubric file and its JSON Schema.

pydantic costs ~0.1–0.2 s to import, so this module is only imported when a rubric is
validated for the first time (the loader caches validated rubrics by content hash) and by
``vibbench rubric schema``.
"""

from __future__ import annotations

import copy
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from vibbench.rubric.defaults import BANDS, SCALE_MAX, SCALE_MIN, THEMES

_STRICT = ConfigDict(extra="forbid", populate_by_name=True)


class LangText(BaseModel):
    """A text in English and Chinese; a missing language falls back to English."""

    model_config = _STRICT
    en: str = Field(min_length=1)
    zh: str | None = None


TextField = str | LangText


class Recommendation(BaseModel):
    model_config = _STRICT
    theme: str = Field(description="A key of the rubric's `themes`.")
    horizon: Literal["quick_win", "medium", "structural"]
    when_below: float | None = Field(
        default=None, description="Only recommended while the answer is below this value."
    )
    text: TextField


class Range(BaseModel):
    model_config = _STRICT
    min: float | None = 0
    max: float | None = None


class Named(BaseModel):
    model_config = _STRICT
    value: float
    label: TextField


class Plausible(BaseModel):
    model_config = _STRICT
    min: float | None = None
    max: float | None = None


class Indicator(BaseModel):
    model_config = _STRICT
    id: str = Field(min_length=1, description="Starts with its dimension's id and a dot.")
    name: TextField
    question: TextField | None = None
    description: TextField | None = None
    type: Literal["level", "number", "boolean"]
    weight: float = Field(default=1, ge=0)
    levels: dict[int, TextField] | None = Field(
        default=None, description="Level indicators: one descriptor per level of the scale."
    )
    reference: StrictBool | float = Field(description="The reference institution's answer.")
    source: str | None = Field(default=None, description="Where the reference value comes from.")
    recommendations: list[Recommendation] = Field(default_factory=list)
    unit: TextField | None = Field(
        default=None, description="Number indicators; the word `percent` marks a percentage."
    )
    direction: Literal["higher", "lower"] | None = None
    min: float | None = Field(default=None, description="Worst goalpost.")
    target: float | None = Field(default=None, description="Best goalpost; defaults to reference.")
    scale: Literal["linear", "log"] | None = None
    range: Range | None = None
    applies_to: list[str] | None = Field(
        default=None, description="The profiles the indicator applies to (default: all)."
    )
    actor: Literal["institution", "funder"] | None = Field(
        default=None, description="Who can act on it: institution (default) or funder."
    )
    optional: bool | None = Field(default=None, description='"Not applicable" is a legitimate answer.')
    per: Literal["research_staff"] | None = Field(
        default=None, description="The answer is a raw annual total, scored per 100 research staff."
    )
    plausible: Plausible | None = Field(
        default=None, description='Outside this range the answer gets an "implausible" warning.'
    )
    named: list[Named] | None = Field(default=None, description="Answers shown by name.")


class Dimension(BaseModel):
    model_config = _STRICT
    id: str = Field(min_length=1)
    name: TextField
    description: TextField | None = None
    weight: float = Field(default=1, ge=0)
    indicators: list[Indicator] = Field(min_length=1)


class Pillar(BaseModel):
    model_config = _STRICT
    id: str = Field(min_length=1)
    name: TextField
    description: TextField | None = None
    weight: float = Field(default=1, ge=0)
    dimensions: list[Dimension] = Field(min_length=1)


class Band(BaseModel):
    model_config = _STRICT
    min: float
    id: str
    name: TextField


class Scale(BaseModel):
    model_config = _STRICT
    min: int = SCALE_MIN
    max: int = SCALE_MAX
    labels: dict[int, TextField] = Field(default_factory=dict)


class Condition(BaseModel):
    model_config = _STRICT
    indicator: str
    at_least: float | None = None
    at_most: float | None = None


class Check(BaseModel):
    model_config = _STRICT
    id: str
    if_: Condition = Field(alias="if")
    then: Condition
    message: TextField


class Reference(BaseModel):
    model_config = _STRICT
    name: TextField
    source: str | None = None


def _default_bands() -> list[Band]:
    return [Band(min=m, id=i, name=LangText(en=en, zh=zh)) for m, i, en, zh in BANDS]


def _default_themes() -> dict[str, TextField]:
    return {k: LangText(en=en, zh=zh) for k, (en, zh) in THEMES.items()}


class Profile(BaseModel):
    model_config = _STRICT
    id: str = Field(min_length=1)
    name: TextField


class Money(BaseModel):
    model_config = _STRICT
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO code of the rubric's currency.")
    factor: float = Field(default=1, gt=0, description="Currency units in one money unit (10000: 万元).")
    unit: TextField
    rates: dict[str, float] = Field(
        default_factory=dict, description="Units of the rubric's currency per unit of another currency."
    )
    source: str | None = Field(default=None, description="Where and for which year the rates come from.")


class Rubric(BaseModel):
    """A complete rubric (after any `extends` has been applied)."""

    model_config = _STRICT
    schema_version: Literal[1]
    id: str = Field(min_length=1)
    version: str
    title: TextField
    description: TextField | None = None
    reference: Reference | None = None
    scale: Scale = Field(default_factory=Scale)
    bands: list[Band] = Field(default_factory=_default_bands, min_length=1)
    themes: dict[str, TextField] = Field(default_factory=_default_themes)
    pillars: list[Pillar] = Field(min_length=1)
    checks: list[Check] = Field(default_factory=list)
    profiles: list[Profile] | None = Field(
        default=None, description="Kinds of institution; the first is the default."
    )
    money: Money | None = None


OVERLAY_KEYS = {
    "extends": {"type": "string", "description": "A bundled rubric's name or a relative path."},
    "weights": {
        "type": "object",
        "additionalProperties": {"type": "number", "minimum": 0},
        "description": "New weights by pillar, dimension or indicator id.",
    },
    "remove": {
        "type": "array",
        "items": {"type": "string"},
        "description": "Ids of pillars, dimensions or indicators to drop.",
    },
}


def _partial(schema: Any) -> Any:
    """The same schema with nothing required: what a file that `extends` another may say."""
    if isinstance(schema, dict):
        out = {k: _partial(v) for k, v in schema.items() if k not in ("required", "minItems")}
        if isinstance(out.get("$ref"), str):
            out["$ref"] = out["$ref"].replace("#/$defs/", "#/$defs/Partial")
        return out
    if isinstance(schema, list):
        return [_partial(v) for v in schema]
    return schema


def json_schema() -> dict[str, Any]:
    """JSON Schema of a rubric file: complete, or a partial one when it has `extends`."""
    strict = Rubric.model_json_schema(by_alias=True)
    defs = strict.pop("$defs", {})
    partial_root = _partial(copy.deepcopy(strict))
    all_defs = dict(defs)
    for name, d in defs.items():
        all_defs["Partial" + name] = _partial(copy.deepcopy(d))
    for s in (strict, partial_root):
        s["properties"] = {**s["properties"], **OVERLAY_KEYS}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "vibbench rubric",
        "type": "object",
        "if": {"required": ["extends"]},
        "then": partial_root,
        "else": strict,
        "$defs": all_defs,
    }
