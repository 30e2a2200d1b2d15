"""What scoring produces: frozen results that every renderer reads."""

from __future__ import annotations

from dataclasses import dataclass

from vibbench.rubric.model import Band, Indicator, Rubric
from vibbench.text import Text
from vibbench.workbook.model import Answer, Assessment


@dataclass(frozen=True)
class ScoreOptions:
    missing: str = "exclude"
    """``exclude``: leave unanswered indicators out and renormalise; ``zero``: score them 0."""
    aggregation: str = "arithmetic"
    """``arithmetic`` (weighted mean) or ``geometric`` (weighted geometric mean)."""
    top: int = 10
    """How many of the highest-priority indicators get recommendations."""


@dataclass(frozen=True)
class IndicatorResult:
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

    @property
    def id(self) -> str:
        return self.indicator.id

    @property
    def answered(self) -> bool:
        return self.answer is not None


@dataclass(frozen=True)
class NodeResult:
    """A dimension, a pillar or the overall score."""

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


@dataclass(frozen=True)
class RecommendationResult:
    indicator: str
    theme: str
    horizon: str
    priority: float
    text: Text


@dataclass(frozen=True)
class Warning:
    code: str
    """``disagreement``, ``unsupported_claim``, ``inconsistent``, ``low_coverage``, ``rubric_drift``,
    ``removed_indicator``."""
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
    warnings: tuple[Warning, ...]

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
