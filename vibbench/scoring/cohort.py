"""The commission's view of a cohort (SPEC §7): shared gaps, data quality, dimensions × institutions,
and plain verdicts on weight sensitivity.

Pure functions over scored results and plain numbers; no openpyxl, no numpy, so every renderer
(terminal, Markdown, HTML, xlsx) can call them cheaply.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from vibbench.scoring.engine import LOW_COVERAGE
from vibbench.scoring.result import Result
from vibbench.text import T, Text


@dataclass(frozen=True)
class SharedGap:
    """One indicator many institutions have among their top priorities."""

    indicator: str
    name: Text
    count: int
    """Institutions that have it among their top ``top`` priorities."""
    share: float
    """``count`` over the number of institutions (0–1)."""
    total_points: float
    """Overall points it costs across the cohort: the sum of every institution's priority on it."""
    mean_points: float
    """``total_points`` over the number of institutions."""
    recommendations: tuple[Text, ...]
    """The rubric's recommendation texts for the indicator, in rubric order."""


def shared_gaps(results: Sequence[Result], top: int) -> list[SharedGap]:
    """Indicators by how many institutions have them among their top ``top`` priorities, then by the
    points they cost across the cohort: where one provincial policy acts on many institutes at once.

    Only indicators in at least one institution's top priorities are listed.
    """
    if not results or top <= 0:
        return []
    counts: dict[str, int] = {}
    points: dict[str, float] = {}
    for res in results:
        for ir in res.top_priorities(top):
            counts[ir.id] = counts.get(ir.id, 0) + 1
        for ir in res.indicators:
            points[ir.id] = points.get(ir.id, 0.0) + ir.priority
    indicators = {i.id: i for r in results for i in (r.rubric.indicators()) if i.id in counts}
    n = len(results)
    gaps = [
        SharedGap(
            indicator=ident,
            name=indicators[ident].name,
            count=count,
            share=count / n,
            total_points=points.get(ident, 0.0),
            mean_points=points.get(ident, 0.0) / n,
            recommendations=tuple(rec.text for rec in indicators[ident].recommendations),
        )
        for ident, count in counts.items()
    ]
    gaps.sort(key=lambda g: (-g.count, -g.total_points, g.indicator))
    return gaps


@dataclass(frozen=True)
class DataQuality:
    """How far one institution's scores can be trusted."""

    name: str
    year: int | None
    coverage: float
    """Share of the rubric's weight answered (0–1)."""
    unsupported_claims: int
    """Indicators claimed at a high level without evidence (``unsupported_claim`` warnings)."""
    disagreements: int
    """Indicators whose respondents disagree (``disagreement`` warnings)."""
    implausible: int
    """Numbers outside their plausible range (``implausible`` warnings)."""
    inconsistent: int
    """Failed consistency checks (``inconsistent`` warnings)."""
    not_applicable: int
    """Indicators answered "not applicable"."""
    low_coverage: bool
    """Coverage below the threshold at which scores rest on few answers."""


def data_quality(result: Result) -> DataQuality:
    """The data-quality line of one institution."""
    codes: dict[str, int] = {}
    for w in result.warnings:
        codes[w.code] = codes.get(w.code, 0) + 1
    a = result.assessment
    return DataQuality(
        name=a.name,
        year=a.year,
        coverage=result.overall.coverage,
        unsupported_claims=codes.get("unsupported_claim", 0),
        disagreements=codes.get("disagreement", 0),
        implausible=codes.get("implausible", 0),
        inconsistent=codes.get("inconsistent", 0),
        not_applicable=len(a.not_applicable),
        low_coverage=result.overall.coverage < LOW_COVERAGE,
    )


@dataclass(frozen=True)
class DimensionColumn:
    id: str
    name: Text
    pillar: str | None
    reference: float | None
    """VIB's score on the dimension."""


@dataclass(frozen=True)
class DimensionRow:
    name: str
    year: int | None
    scores: tuple[float | None, ...]
    """One per column; None when nothing in the dimension was answered."""


@dataclass(frozen=True)
class DimensionMatrix:
    columns: tuple[DimensionColumn, ...]
    rows: tuple[DimensionRow, ...]


def dimension_matrix(results: Sequence[Result]) -> DimensionMatrix:
    """Institutions (in the order given) × dimensions (in rubric order), with VIB's reference per dimension."""
    if not results:
        return DimensionMatrix((), ())
    first = results[0]
    columns = tuple(DimensionColumn(d.id, d.name, d.pillar, d.reference) for d in first.dimensions)
    order = [c.id for c in columns]
    rows = []
    for res in results:
        by_id = {d.id: d.score for d in res.dimensions}
        rows.append(
            DimensionRow(res.assessment.name, res.assessment.year, tuple(by_id.get(i) for i in order))
        )
    return DimensionMatrix(columns, tuple(rows))


# --- Sensitivity verdicts -------------------------------------------------------------------------


def _whole(x: float) -> int:
    """A rank percentile as a whole rank (halves round up to the worse rank, never to banker's even)."""
    return math.floor(x + 0.5)


def rank_verdict(p5: float | None, p50: float | None, p95: float | None) -> Text:
    """``rank 3 (5–95%: 2–5)``: the median rank under perturbed weights and its 5–95% range."""
    if p5 is None or p50 is None or p95 is None:
        return T("no rank (nothing answered)", "无排名（未作答）")
    lo, mid, hi = _whole(p5), _whole(p50), _whole(p95)
    if lo == hi:  # the same rank in nine samples out of ten
        return T(f"rank {mid} (5–95%: {lo})", f"第 {mid} 名（5–95% 区间：第 {lo} 名）")
    return T(f"rank {mid} (5–95%: {lo}–{hi})", f"第 {mid} 名（5–95% 区间：第 {lo}–{hi} 名）")


@dataclass(frozen=True)
class RankSpan:
    """One institution's rank percentiles, as :func:`cohort_verdict` reads them."""

    name: str
    p5: float | None
    p50: float | None
    p95: float | None


@dataclass(frozen=True)
class Tie:
    """Ranks ``first``–``last`` (positions by median rank) cannot be told apart."""

    first: int
    last: int
    names: tuple[str, ...]


@dataclass(frozen=True)
class CohortVerdict:
    ties: tuple[Tie, ...]
    text: Text


def cohort_verdict(spans: Sequence[RankSpan], spread: float | None = None) -> CohortVerdict:
    """Which ranks cannot be told apart at this spread (``spread``, e.g. 0.2, is named in the text).

    Institutions whose 5–95% rank ranges (in whole ranks) overlap, directly or through others, form
    one group. The groups' ranges are disjoint, so each group holds consecutive places when the
    institutions are ordered by median rank: "ranks 4–6 cannot be told apart".
    """
    known = [s for s in spans if s.p5 is not None and s.p50 is not None and s.p95 is not None]
    groups: list[list[RankSpan]] = []
    reach = -math.inf
    for s in sorted(known, key=lambda s: (_whole(s.p5 or 0.0), s.p50 or 0.0, s.name)):
        lo, hi = _whole(s.p5 or 0.0), _whole(s.p95 or 0.0)
        if groups and lo <= reach:
            groups[-1].append(s)
            reach = max(reach, hi)
        else:
            groups.append([s])
            reach = hi
    ties: list[Tie] = []
    pos = 1
    for g in sorted(groups, key=lambda g: min(s.p50 or 0.0 for s in g)):
        g.sort(key=lambda s: (s.p50 or 0.0, s.name))
        if len(g) > 1:
            ties.append(Tie(pos, pos + len(g) - 1, tuple(s.name for s in g)))
        pos += len(g)
    at_en = f" at this spread (±{spread:.0%})" if spread is not None else " at this spread"
    at_zh = f"在当前权重扰动幅度（±{spread:.0%}）下" if spread is not None else "在当前权重扰动幅度下"
    if not known:
        return CohortVerdict((), T("No institution has a rank.", "没有机构获得排名。"))
    if not ties:
        return CohortVerdict(
            (),
            T(
                f"Every rank holds{at_en}: no two institutions' 5–95% rank ranges overlap.",
                f"{at_zh}，各机构排名均可区分：任意两家机构的 5–95% 排名区间都不重叠。",
            ),
        )
    en = "; ".join(f"ranks {t.first}–{t.last} cannot be told apart ({', '.join(t.names)})" for t in ties)
    zh = "；".join(f"第 {t.first}–{t.last} 名无法区分（{'、'.join(t.names)}）" for t in ties)
    return CohortVerdict(tuple(ties), T(f"{at_en.strip().capitalize()}, {en}.", f"{at_zh}，{zh}。"))
