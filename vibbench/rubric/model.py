"""The rubric as the scoring engine sees it: frozen, validated, with every default filled in.

Built from the canonical dictionary that :mod:`vibbench.rubric.loader` produces after
validation, so these classes never need to check anything themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from vibbench.rubric.defaults import DIRECTION, target_of
from vibbench.text import Text

IndicatorType = Literal["level", "number", "boolean"]
Horizon = Literal["quick_win", "medium", "structural"]
HORIZONS: tuple[Horizon, ...] = ("quick_win", "medium", "structural")


@dataclass(frozen=True)
class Recommendation:
    """A reform step suggested while an indicator falls short."""

    theme: str
    """One of the rubric's ``themes`` keys."""
    horizon: Horizon
    """How long the reform takes: quick_win, medium (1–3 years) or structural."""
    text: Text
    when_below: float | None = None
    """Only recommended while the answer is below this value (absent: always)."""


@dataclass(frozen=True)
class NamedAnswer:
    """An answer shown by name (``named:``): typed as the label or the value, scored as the value."""

    value: float
    label: Text


@dataclass(frozen=True)
class Indicator:
    """A question the institution answers, scored 0–100."""

    id: str
    pillar: str
    """Id of the pillar above."""
    dimension: str
    """Id of the dimension above."""
    name: Text
    question: Text
    type: IndicatorType
    weight: float
    """Weight relative to the sibling indicators."""
    reference: float
    """The reference institution's (VIB's) answer; booleans as 1.0 / 0.0."""
    source: str
    recommendations: tuple[Recommendation, ...]
    description: Text | None = None
    levels: dict[int, Text] = field(default_factory=dict)
    """Level indicators: one descriptor per level of the rubric's scale."""
    unit: Text | None = None
    percent: bool = False
    """``unit: percent``: answers are 0–100 and ``"35%"`` reads as 35."""
    direction: Literal["higher", "lower"] = "higher"
    min: float = 0.0
    """Worst goalpost (number indicators)."""
    target: float = 0.0
    """Best goalpost (number indicators); defaults to the reference."""
    log: bool = False
    """``scale: log``: goalposts and answers are compared as ln(1 + value)."""
    range_min: float | None = None
    """Smallest accepted answer (number indicators); None = unbounded."""
    range_max: float | None = None
    """Largest accepted answer (number indicators); None = unbounded."""
    fingerprint: str = ""
    """Hash of the indicator's definition, to tell which indicators changed between versions."""
    applies_to: frozenset[str] | None = None
    """``applies_to``: the profiles the indicator applies to (None: every profile). For other
    profiles it is left out of the tree: not scored, not in coverage."""
    actor: Literal["institution", "funder"] = "institution"
    """Who can act on it; reports address the recommendations of funder items to the funder."""
    optional: bool = False
    """``optional: true``: "not applicable" is a legitimate answer (then left out like ``applies_to``)."""
    money: bool = False
    """``unit: money``: amounts in the rubric's money unit (:attr:`Rubric.money`)."""
    per: str | None = None
    """``per: research_staff``: the answer is a raw annual total, scored per 100 research staff."""
    plausible_min: float | None = None
    """Below this the answer gets an ``implausible`` warning (None: no lower bound)."""
    plausible_max: float | None = None
    """Above this the answer gets an ``implausible`` warning ("check the unit"; None: no upper bound)."""
    named: tuple[NamedAnswer, ...] = ()
    """Answers shown by name (``从未开展``, ``never``) instead of a magic number."""

    def applies(self, profile: str | None) -> bool:
        """Whether the indicator applies to an institution of ``profile`` (None: the default)."""
        return self.applies_to is None or profile is None or profile in self.applies_to

    def named_label(self, value: float | None) -> Text | None:
        """The name of a named answer, if ``value`` is one."""
        if value is None or not self.named:
            return None
        return next((n.label for n in self.named if n.value == value), None)


@dataclass(frozen=True)
class Dimension:
    id: str
    pillar: str
    name: Text
    weight: float
    indicators: tuple[Indicator, ...]
    description: Text | None = None


@dataclass(frozen=True)
class Pillar:
    id: str
    name: Text
    weight: float
    dimensions: tuple[Dimension, ...]
    description: Text | None = None


@dataclass(frozen=True)
class Band:
    min: float
    id: str
    name: Text


@dataclass(frozen=True)
class Scale:
    min: int
    max: int
    labels: dict[int, Text]


@dataclass(frozen=True)
class Condition:
    indicator: str
    at_least: float | None = None
    at_most: float | None = None

    def holds(self, value: float) -> bool:
        if self.at_least is not None and value < self.at_least:
            return False
        return not (self.at_most is not None and value > self.at_most)


@dataclass(frozen=True)
class Check:
    """If ``when`` holds and ``then`` fails, the answers contradict each other."""

    id: str
    when: Condition
    then: Condition
    message: Text


@dataclass(frozen=True)
class Profile:
    """A kind of institution (``profiles:``); indicators say which kinds they apply to."""

    id: str
    name: Text


@dataclass(frozen=True)
class Money:
    """The unit of every ``unit: money`` indicator (``money:``)."""

    currency: str
    """ISO code of the rubric's currency, e.g. ``CNY``."""
    factor: float
    """Currency units in one money unit: 10000 for 万元."""
    unit: Text
    """The unit's name, e.g. ``{en: 10k CNY, zh: 万元}``."""
    rates: dict[str, float]
    """Units of the rubric's currency per unit of another currency (``EUR: 7.85``)."""
    source: str = ""

    def rate(self, currency: str) -> float | None:
        """How many units of the rubric's currency one unit of ``currency`` is worth (None: unknown)."""
        if currency == self.currency:
            return 1.0
        return self.rates.get(currency)


@dataclass(frozen=True)
class Rubric:
    schema_version: int
    id: str
    version: str
    title: Text
    reference_name: Text
    reference_source: str
    scale: Scale
    bands: tuple[Band, ...]
    themes: dict[str, Text]
    pillars: tuple[Pillar, ...]
    checks: tuple[Check, ...]
    description: Text | None = None
    removed: frozenset[str] = frozenset()
    """Indicator ids dropped by ``remove`` in an extending rubric: answers to them are ignored."""
    content_hash: str = ""
    """sha256 of the canonical validated rubric."""
    path: str = ""
    profiles: tuple[Profile, ...] = ()
    """Kinds of institution; the first is the default. Empty: the rubric has no profiles."""
    money: Money | None = None

    @property
    def default_profile(self) -> str | None:
        return self.profiles[0].id if self.profiles else None

    def profile(self, ident: str | None) -> Profile | None:
        return next((p for p in self.profiles if p.id == ident), None)

    def indicators(self) -> Iterator[Indicator]:
        for p in self.pillars:
            for d in p.dimensions:
                yield from d.indicators

    def dimensions(self) -> Iterator[Dimension]:
        for p in self.pillars:
            yield from p.dimensions

    def indicator_map(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators()}

    def band_for(self, score: float) -> Band:
        chosen = self.bands[0]
        for band in self.bands:
            if band.min <= score:
                chosen = band
        return chosen


def _text(raw: Any) -> Text:
    return Text.of(raw)


def _opt_text(raw: Any) -> Text | None:
    return None if raw is None else Text.of(raw)


def _bounds(i: dict[str, Any]) -> tuple[float | None, float | None]:
    """Accepted answers of a number indicator; None = unbounded.

    Without ``range``: min 0, and max 100 for percentages. With ``range``, what it says (a
    null bound is dropped from the canonical form, so absent there means unbounded).
    """
    rng = i.get("range")
    if rng is None:
        return 0.0, (100.0 if i.get("unit") == "percent" else None)
    return rng.get("min"), rng.get("max")


def _plausible(i: dict[str, Any], ref: float) -> tuple[float | None, float | None]:
    """``plausible`` as written, else SPEC §3's default for a number: from ``range.min`` up to 10 ×
    the larger of reference and target (never below the worst goalpost); booleans and levels: none."""
    if i.get("type") != "number":
        return None, None
    given = i.get("plausible")
    if given is not None:
        return given.get("min"), given.get("max")
    target = float(i["target"]) if i.get("target") is not None else ref
    top = max(ref, target)
    high = None if top <= 0 else max(10 * top, float(i.get("min") or 0.0))
    return _bounds(i)[0], high


def build(data: dict[str, Any], *, content_hash: str, path: str) -> Rubric:
    """Make the frozen rubric from the canonical (validated, defaults filled) dictionary."""
    pillars = []
    for p in data["pillars"]:
        dims = []
        for d in p["dimensions"]:
            inds = []
            for i in d["indicators"]:
                ref = i["reference"]
                inds.append(
                    Indicator(
                        id=i["id"],
                        pillar=p["id"],
                        dimension=d["id"],
                        name=_text(i["name"]),
                        question=_text(i.get("question") or i["name"]),
                        type=i["type"],
                        weight=float(i["weight"]),
                        reference=float(ref),
                        source=str(i.get("source") or ""),
                        recommendations=tuple(
                            Recommendation(
                                theme=r["theme"],
                                horizon=r["horizon"],
                                text=_text(r["text"]),
                                when_below=r.get("when_below"),
                            )
                            for r in i.get("recommendations") or ()
                        ),
                        description=_opt_text(i.get("description")),
                        levels={int(k): _text(v) for k, v in (i.get("levels") or {}).items()},
                        unit=_unit(i, data),
                        percent=i.get("unit") == "percent",
                        direction=i.get("direction") or DIRECTION,
                        min=float(i.get("min") or 0.0),
                        target=float(target_of(i.get("target"), ref)),
                        log=i.get("scale") == "log",
                        range_min=_bounds(i)[0],
                        range_max=_bounds(i)[1],
                        fingerprint=i.get("_fingerprint", ""),
                        applies_to=None if i.get("applies_to") is None else frozenset(i["applies_to"]),
                        actor=i.get("actor") or "institution",
                        optional=bool(i.get("optional")),
                        money=i.get("unit") == "money",
                        per=i.get("per"),
                        plausible_min=_plausible(i, float(ref))[0],
                        plausible_max=_plausible(i, float(ref))[1],
                        named=tuple(
                            NamedAnswer(float(n["value"]), _text(n["label"])) for n in i.get("named") or ()
                        ),
                    )
                )
            dims.append(
                Dimension(
                    id=d["id"],
                    pillar=p["id"],
                    name=_text(d["name"]),
                    weight=float(d["weight"]),
                    indicators=tuple(inds),
                    description=_opt_text(d.get("description")),
                )
            )
        pillars.append(
            Pillar(
                id=p["id"],
                name=_text(p["name"]),
                weight=float(p["weight"]),
                dimensions=tuple(dims),
                description=_opt_text(p.get("description")),
            )
        )
    scale = data["scale"]
    ref = data.get("reference") or {}
    return Rubric(
        schema_version=int(data["schema_version"]),
        id=data["id"],
        version=str(data["version"]),
        title=_text(data["title"]),
        description=_opt_text(data.get("description")),
        reference_name=_text(ref.get("name") or "reference"),
        reference_source=str(ref.get("source") or ""),
        scale=Scale(
            min=int(scale["min"]),
            max=int(scale["max"]),
            labels={int(k): _text(v) for k, v in (scale.get("labels") or {}).items()},
        ),
        bands=tuple(Band(float(b["min"]), b["id"], _text(b["name"])) for b in data["bands"]),
        themes={k: _text(v) for k, v in data["themes"].items()},
        pillars=tuple(pillars),
        checks=tuple(
            Check(
                id=c["id"],
                when=Condition(**c["if"]),
                then=Condition(**c["then"]),
                message=_text(c["message"]),
            )
            for c in data.get("checks") or ()
        ),
        removed=frozenset(data.get("_removed") or ()),
        content_hash=content_hash,
        path=path,
        profiles=tuple(Profile(p["id"], _text(p["name"])) for p in data.get("profiles") or ()),
        money=_money(data.get("money")),
    )


def _unit(i: dict[str, Any], data: dict[str, Any]) -> Text | None:
    """The unit's text: none for percentages (``%`` is shown), the rubric's money unit for money."""
    unit = i.get("unit")
    if unit is None or unit == "percent":
        return None
    if unit == "money":
        money = data.get("money")
        return _text(money["unit"]) if money else None
    return _text(unit)


def _money(raw: dict[str, Any] | None) -> Money | None:
    if raw is None:
        return None
    return Money(
        currency=str(raw["currency"]),
        factor=float(raw.get("factor", 1)),
        unit=_text(raw["unit"]),
        rates={str(k): float(v) for k, v in (raw.get("rates") or {}).items()},
        source=str(raw.get("source") or ""),
    )


def effective_weights(rubric: Rubric) -> dict[str, float]:
    """Each node's share of the overall score when every indicator is answered."""
    out: dict[str, float] = {}
    ptotal = sum(p.weight for p in rubric.pillars) or 1.0
    for p in rubric.pillars:
        pw = p.weight / ptotal
        out[p.id] = pw
        dtotal = sum(d.weight for d in p.dimensions) or 1.0
        for d in p.dimensions:
            dw = pw * d.weight / dtotal
            out[d.id] = dw
            itotal = sum(i.weight for i in d.indicators) or 1.0
            for i in d.indicators:
                out[i.id] = dw * i.weight / itotal
    return out
