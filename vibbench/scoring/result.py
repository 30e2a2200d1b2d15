"""What scoring produces: frozen results that every renderer reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vibbench.errors import Problem, UsageError, Where
from vibbench.rubric.model import Band, Indicator, Rubric
from vibbench.text import T, Text
from vibbench.workbook.model import Answer, Assessment

if TYPE_CHECKING:
    import pandas

MISSING = ("exclude", "zero")
AGGREGATION = ("arithmetic", "geometric")


def _check_options(opts: ScoreOptions) -> None:
    """Typed, validated options: a misspelt value raises instead of silently meaning the default."""
    problems = []
    for name, allowed in (("missing", MISSING), ("aggregation", AGGREGATION)):
        value = getattr(opts, name)
        if value not in allowed:
            problems.append(
                Problem(
                    Where(f"ScoreOptions.{name}"),
                    T(f"{value!r} is not a choice", f"{value!r} 不是可选值"),
                    T(f"use one of: {', '.join(allowed)}", f"请使用以下之一：{'、'.join(allowed)}"),
                )
            )
    if isinstance(opts.top, bool) or not isinstance(opts.top, int) or opts.top < 0:
        problems.append(
            Problem(
                Where("ScoreOptions.top"),
                T(f"{opts.top!r} is not a whole number of at least 0", f"{opts.top!r} 不是不小于 0 的整数"),
                T("give how many priorities to recommend, e.g. 10", "请给出建议的优先事项数，例如 10"),
            )
        )
    if problems:
        raise UsageError(problems)


@dataclass(frozen=True)
class ScoreOptions:
    missing: str = "exclude"
    """``exclude``: leave unanswered indicators out and renormalise; ``zero``: score them 0."""
    aggregation: str = "arithmetic"
    """``arithmetic`` (weighted mean) or ``geometric`` (weighted geometric mean)."""
    top: int = 10
    """How many of the highest-priority indicators get recommendations."""

    def __post_init__(self) -> None:
        _check_options(self)


@dataclass(frozen=True, init=False)
class IndicatorResult:
    """One indicator, scored. (Its ``__init__`` is written out, for speed: see there.)"""

    indicator: Indicator
    answer: float | None
    """The answer (the median of the respondents' answers); None when unanswered."""
    score: float | None
    """0–100; None when unanswered and left out."""
    reference: float
    """The reference answer's score, 0–100."""
    gap: float | None
    weight: float
    """Effective weight W in the overall score (0 when left out)."""
    local_weights: tuple[float, float, float]
    """The pillar's, dimension's and indicator's shares among their kept siblings."""
    priority: float
    """W · max(0, reference − score): overall points this indicator costs against the reference."""
    answers: tuple[Answer, ...]
    spread: float | None
    """max − min of the respondents' answers (0 for one answer; None when unanswered)."""
    value: float | None = None
    """The number scored: the answer after ``per`` (100 · answer / research staff); None when unanswered."""
    applies: bool = True
    """False when left out by the institution's profile (``applies_to``) or a legitimate N/A (``optional``)."""

    def __init__(
        self,
        indicator: Indicator,
        answer: float | None,
        score: float | None,
        reference: float,
        gap: float | None,
        weight: float,
        local_weights: tuple[float, float, float],
        priority: float,
        answers: tuple[Answer, ...],
        spread: float | None,
        value: float | None = None,
        applies: bool = True,
    ) -> None:
        # One dictionary update instead of a frozen dataclass's object.__setattr__ per field:
        # 0.6 µs instead of 1.4 µs, and scoring makes one of these per indicator of every
        # workbook (compare of 1,000 workbooks in benchmarks/run.py is at the edge of its target).
        # tests/scoring/test_results.py checks that the parameters are exactly the fields.
        self.__dict__.update(
            indicator=indicator,
            answer=answer,
            score=score,
            reference=reference,
            gap=gap,
            weight=weight,
            local_weights=local_weights,
            priority=priority,
            answers=answers,
            spread=spread,
            value=value,
            applies=applies,
        )

    @property
    def id(self) -> str:
        return self.indicator.id

    @property
    def answered(self) -> bool:
        return self.answer is not None


@dataclass(frozen=True, init=False)
class NodeResult:
    """A dimension, a pillar or the overall score (``__init__`` written out, as for
    :class:`IndicatorResult`)."""

    id: str
    name: Text
    pillar: str | None
    score: float | None
    reference: float | None
    gap: float | None
    coverage: float
    """Share of the node's full rubric weight that was answered (0–1)."""
    weight: float
    """Share among its kept siblings (1 for overall; 0 when left out)."""
    band: Band | None = None

    def __init__(
        self,
        id: str,
        name: Text,
        pillar: str | None,
        score: float | None,
        reference: float | None,
        gap: float | None,
        coverage: float,
        weight: float,
        band: Band | None = None,
    ) -> None:
        self.__dict__.update(
            id=id,
            name=name,
            pillar=pillar,
            score=score,
            reference=reference,
            gap=gap,
            coverage=coverage,
            weight=weight,
            band=band,
        )


@dataclass(frozen=True)
class RecommendationResult:
    indicator: str
    theme: str
    horizon: str
    priority: float
    text: Text


@dataclass(frozen=True)
class ScoreWarning:
    """Something a reader should know about a score (never an error). Not named ``Warning``: that
    would shadow Python's built-in."""

    code: str
    """``disagreement``, ``unsupported_claim``, ``inconsistent``, ``low_coverage``, ``implausible``,
    ``not_applicable``, ``rubric_drift``, ``removed_indicator``, ``external_link``."""
    message: Text
    indicator: str | None = None


@dataclass(frozen=True)
class Result:
    assessment: Assessment
    rubric: Rubric
    options: ScoreOptions
    overall: NodeResult
    pillars: tuple[NodeResult, ...]
    dimensions: tuple[NodeResult, ...]
    indicators: tuple[IndicatorResult, ...]
    recommendations: tuple[RecommendationResult, ...]
    warnings: tuple[ScoreWarning, ...]

    def find(self, ident: str) -> IndicatorResult | NodeResult | None:
        for group in (self.indicators, self.dimensions, self.pillars):
            for item in group:
                if item.id == ident:
                    return item
        return self.overall if ident in ("overall", "total") else None

    def top_priorities(self, n: int) -> list[IndicatorResult]:
        ranked = sorted(
            (r for r in self.indicators if r.priority > 0),
            key=lambda r: -r.priority,
        )
        return ranked[:n]

    def __repr__(self) -> str:
        # Short: the default repr holds the whole rubric (166 KB for the bundled one).
        a, o = self.assessment, self.overall
        year = f" {a.year}" if a.year else ""
        overall = "no score" if o.score is None else f"{o.score:.1f}"
        band = f" {o.band.id}" if o.band else ""
        answered = sum(1 for i in self.indicators if i.answered)
        return f"<Result {a.name!r}{year}: {overall}{band}, {answered} of {len(self.indicators)} indicators answered>"

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The JSON object of SPEC §5 (what ``vibbench score --format json`` prints, projection and
        roadmap included), texts in ``lang``."""
        from vibbench.scoring.export import plan, to_dict

        return to_dict(self, lang) | plan(self, lang)

    def to_frame(self, kind: str = "indicators", lang: str = "en") -> pandas.DataFrame:
        """A pandas DataFrame of the ``indicators``, ``dimensions`` or ``pillars``, one row each
        (needs pandas: ``pip install 'vibbench[pandas]'``)."""
        from vibbench.scoring.frame import result_frame

        return result_frame(self, kind, lang)
