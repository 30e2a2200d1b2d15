"""SPEC §4: from answers to scores, gaps, priorities, recommendations and warnings.

Pure functions over frozen models: no printing, no exiting, usable as a library.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

from vibbench.rubric.model import HORIZONS, Band, Indicator, Money, Rubric
from vibbench.scoring.normalise import normalise
from vibbench.scoring.result import (
    IndicatorResult,
    NodeResult,
    RecommendationResult,
    Result,
    ScoreOptions,
    ScoreWarning,
)
from vibbench.text import T, Text
from vibbench.workbook.model import Answer, Assessment

__all__ = ["ScoreOptions", "aggregate", "score", "score_file"]

LOW_COVERAGE = 0.8
"""SPEC §4 (v2): below this share of the rubric's weight answered, a ``low_coverage`` warning."""
DISAGREEMENT_SPREAD = 2
CLAIM_LEVEL = 3


def aggregate(pairs: Sequence[tuple[float, float]], method: str) -> float:
    """Weighted mean (``arithmetic``) or weighted geometric mean of (share, score) pairs.

    Shares are expected to add up to 1. The geometric mean lifts scores below 1 to 1, so
    that one zero does not wipe out the node (SPEC §4: ``Π max(s,1)^(W/ΣW)``).
    """
    if method == "geometric":
        total = sum(w for w, _ in pairs)
        return math.exp(sum(w * math.log(max(s, 1.0)) for w, s in pairs) / total) if total else 0.0
    return sum(w * s for w, s in pairs)


def _median(values: list[float]) -> float:
    return values[0] if len(values) == 1 else float(statistics.median(values))


_APPLYING: dict[tuple[int, str | None], frozenset[str]] = {}
"""Per rubric (by identity, while it lives) and profile: the indicators of that profile. A batch
scores thousands of workbooks against one rubric; most answer N/A nowhere."""


def applying(assessment: Assessment, rubric: Rubric) -> frozenset[str]:
    """Ids of the indicators that apply to the institution: those of its profile (``applies_to``),
    less the ``optional`` ones it answered "not applicable" (SPEC §4, v2)."""
    profile = assessment.profile or rubric.default_profile
    key = (id(rubric), profile)
    cached = _APPLYING.get(key)
    if cached is None or _APPLYING_OF.get(id(rubric)) is not rubric:
        cached = frozenset(i.id for i in rubric.indicators() if i.applies(profile))
        if len(_APPLYING) > 64:  # a long-lived process with many rubrics: start again
            _APPLYING.clear()
            _APPLYING_OF.clear()
        _APPLYING[key] = cached
        _APPLYING_OF[id(rubric)] = rubric
    na = assessment.not_applicable
    if not na:
        return cached
    optional = {i.id for i in rubric.indicators() if i.optional}
    return cached - (na & optional)


_APPLYING_OF: dict[int, Rubric] = {}
"""The rubric each cached id stands for (an id can be reused once a rubric is gone)."""


def scored_value(ind: Indicator, answer: float, staff: float | None) -> float:
    """The number scored for an answer: ``per: research_staff`` turns a raw total into a value per
    100 research staff (SPEC §4); every other answer is scored as given."""
    if ind.per == "research_staff" and staff:
        return 100.0 * answer / staff
    return answer


def score(assessment: Assessment, rubric: Rubric, options: ScoreOptions | None = None) -> Result:
    """Score an assessment against a rubric."""
    opts = options or ScoreOptions()
    zero = opts.missing == "zero"
    by_id: dict[str, list[Answer]] = {}
    for a in assessment.answers:
        by_id.setdefault(a.indicator, []).append(a)
    applies = applying(assessment, rubric)
    staff = assessment.research_staff

    # Bottom-up, level by level: a node is kept when something below it is (with
    # --missing zero every applying indicator is), and its kept children's weights are
    # renormalised. Indicators that do not apply are left out as if the rubric lacked them
    # (not scored, not in coverage), and so are dimensions and pillars left with none.
    # Per indicator on the way: the answer (median of the respondents'), the value scored,
    # its score, the reference score and the spread.
    references = _references(rubric)
    scale = rubric.scale
    method = opts.aggregation
    raw: dict[str, tuple[float | None, float | None, float | None, float, float | None]] = {}
    dims: dict[str, _Level] = {}
    pils: dict[str, _Level] = {}
    for p in rubric.pillars:
        for d in p.dimensions:
            leaves: list[tuple[str, float, float | None, float | None, float]] = []
            for ind in d.indicators:
                ref = references[ind.id]
                s: float | None
                answers = by_id.get(ind.id)
                if ind.id not in applies:
                    raw[ind.id] = (None, None, None, ref, None)
                    continue
                if answers:
                    if len(answers) == 1:  # the common case, without a list or a median
                        ans, apart = answers[0].value, 0.0
                    else:
                        values = [a.value for a in answers]
                        ans, apart = _median(values), max(values) - min(values)
                    val = 100.0 * ans / staff if ind.per == "research_staff" and staff else ans
                    s = normalise(ind, val, scale)
                    raw[ind.id] = (ans, val, s, ref, apart)
                    leaves.append((ind.id, ind.weight, s, ref, 1.0))
                else:
                    s = 0.0 if zero else None
                    raw[ind.id] = (None, None, s, ref, None)
                    leaves.append((ind.id, ind.weight, s, ref, 0.0))
            if leaves:
                dims[d.id] = _level(leaves, method)
        pils[p.id] = _level(
            [(d.id, d.weight, *dims[d.id].triple) for d in p.dimensions if d.id in dims], method
        )
    top = _level(
        [(p.id, p.weight, *pils[p.id].triple) for p in rubric.pillars if pils[p.id].full > 0], method
    )

    dim_results: list[NodeResult] = []
    pil_results: list[NodeResult] = []
    ind_results: list[IndicatorResult] = []
    for p in rubric.pillars:
        pil = pils[p.id]
        p_share = top.shares.get(p.id, 0.0)
        pil_results.append(NodeResult(p.id, p.name, None, *pil.numbers, p_share, _band(rubric, pil.score)))
        for d in p.dimensions:
            dim = dims.get(d.id, _NOTHING)
            d_share = pil.shares.get(d.id, 0.0)
            dim_results.append(NodeResult(d.id, d.name, p.id, *dim.numbers, d_share))
            for ind in d.indicators:
                ans_i, val_i, s_i, r, spread = raw[ind.id]
                local = (p_share, d_share, dim.shares.get(ind.id, 0.0))
                w = local[0] * local[1] * local[2]
                applied = ind.id in applies
                given = by_id.get(ind.id)
                ind_results.append(
                    IndicatorResult(
                        ind,
                        ans_i,
                        s_i,
                        r,
                        None if s_i is None or (ans_i is None and not zero) else r - s_i,
                        w,
                        local if w > 0 else _NO_WEIGHTS,
                        w * max(0.0, r - s_i) if s_i is not None else 0.0,
                        tuple(given) if given and applied else (),
                        spread,
                        val_i,
                        applied,
                    )
                )
    overall = NodeResult("overall", T("Overall", "总分"), None, *top.numbers, 1.0, _band(rubric, top.score))

    recs = _recommendations(ind_results, opts.top)
    warnings = _warnings(assessment, rubric, ind_results, top.coverage)
    return Result(
        assessment=assessment,
        rubric=rubric,
        options=opts,
        overall=overall,
        pillars=tuple(pil_results),
        dimensions=tuple(dim_results),
        indicators=tuple(ind_results),
        recommendations=tuple(recs),
        warnings=tuple(warnings),
    )


@dataclass(frozen=True)
class _Level:
    """One node's aggregate: score and reference (None when nothing below is kept), coverage, and
    the shares of its kept children (renormalised weights)."""

    score: float | None
    reference: float | None
    coverage: float
    shares: dict[str, float]
    full: float = 0.0
    """The children's total weight (0: nothing below applies, so the node is left out)."""

    @property
    def triple(self) -> tuple[float | None, float | None, float]:
        return self.score, self.reference, self.coverage

    @property
    def numbers(self) -> tuple[float | None, float | None, float | None, float]:
        gap = None if self.score is None or self.reference is None else self.reference - self.score
        return self.score, self.reference, gap, self.coverage


_LAST: tuple[Rubric, dict[str, float]] | None = None


def _references(rubric: Rubric) -> dict[str, float]:
    """Every indicator's reference score, computed once per rubric (a batch scores thousands of
    workbooks against one)."""
    global _LAST
    last = _LAST
    if last is None or last[0] is not rubric:
        last = (rubric, {i.id: normalise(i, i.reference, rubric.scale) for i in rubric.indicators()})
        _LAST = last
    return last[1]


def _level(children: Sequence[tuple[str, float, float | None, float | None, float]], method: str) -> _Level:
    """Combine (id, weight, score, reference, coverage) children: SPEC §4, one level."""
    # One pass; each sum adds in the children's order, as sum() over them would.
    full = answered = total = 0.0
    kept: list[tuple[str, float, float, float]] = []
    for i, w, s, r, c in children:
        full += w
        answered += w * c
        if s is not None and r is not None and w > 0:
            kept.append((i, w, s, r))
            total += w
    coverage = answered / full if full else 0.0
    if total <= 0:
        return _Level(None, None, coverage, {}, full)
    shares = {i: w / total for i, w, _, _ in kept}
    if method == "geometric":
        score = aggregate([(shares[i], s) for i, _, s, _ in kept], method)
        reference = aggregate([(shares[i], r) for i, _, _, r in kept], method)
    else:  # aggregate()'s weighted mean, both sums in one pass
        score = reference = 0.0
        for i, _, s, r in kept:
            score += shares[i] * s
            reference += shares[i] * r
    return _Level(score, reference, coverage, shares, full)


_NO_WEIGHTS = (0.0, 0.0, 0.0)

_CURRENCY_ZH = {"CNY": "元", "EUR": "欧元", "USD": "美元"}

_NOTHING = _Level(None, None, 0.0, {})
"""A dimension none of whose indicators applies."""


def _band(rubric: Rubric, score: float | None) -> Band | None:
    return None if score is None else rubric.band_for(score)


def _recommendations(results: list[IndicatorResult], top: int) -> list[RecommendationResult]:
    # highest priority first; equal priorities keep the rubric's order (sorting is stable)
    ranked = sorted((r for r in results if r.priority > 0), key=attrgetter("priority"), reverse=True)[:top]
    out: list[tuple[float, int, int, RecommendationResult]] = []
    for order, r in enumerate(ranked):
        for rec in r.indicator.recommendations:
            if rec.when_below is not None and r.answer is not None and r.answer >= rec.when_below:
                continue
            item = RecommendationResult(r.id, rec.theme, rec.horizon, r.priority, rec.text)
            out.append((-r.priority, order, HORIZONS.index(rec.horizon), item))
    out.sort(key=lambda t: (t[0], t[1], t[2]))
    return [t[3] for t in out]


def _fmt(v: float) -> str:
    """``3``, ``2.5``, ``12,500`` — a figure as people write it (no exponent)."""
    if abs(v) >= 1e3:
        return f"{v:,.2f}".rstrip("0").rstrip(".")
    return f"{v:g}"


def _warnings(
    assessment: Assessment, rubric: Rubric, results: list[IndicatorResult], coverage: float
) -> list[ScoreWarning]:
    out: list[ScoreWarning] = [ScoreWarning(n.code, n.message, n.indicator) for n in assessment.notices]
    for r in results:
        ind = r.indicator
        if ind.type == "level" and len(r.answers) > 1 and (r.spread or 0) >= DISAGREEMENT_SPREAD:
            detail = ", ".join(f"{a.respondent or '?'}={_fmt(a.value)}" for a in r.answers)
            out.append(
                ScoreWarning(
                    "disagreement",
                    T(
                        f"{ind.id}: respondents disagree by {_fmt(r.spread or 0)} levels ({detail}); the median is used",
                        f"{ind.id}：答题人意见相差 {_fmt(r.spread or 0)} 级（{detail}），取中位数",
                    ),
                    ind.id,
                )
            )
        if ind.type == "level":
            bare = [a for a in r.answers if a.value >= CLAIM_LEVEL and not a.evidence.strip()]
            if bare:
                cells = ", ".join(a.cell for a in bare)
                out.append(
                    ScoreWarning(
                        "unsupported_claim",
                        T(
                            f"{ind.id}: level {CLAIM_LEVEL} or higher claimed without evidence ({cells})",
                            f"{ind.id}：自评 {CLAIM_LEVEL} 级及以上但未提供佐证材料（{cells}）",
                        ),
                        ind.id,
                    )
                )
    out.extend(_implausible(results, rubric.money))
    na = assessment.not_applicable
    for r in results if na else ():
        ind = r.indicator
        if ind.id in na and r.applies and not ind.optional:
            out.append(
                ScoreWarning(
                    "not_applicable",
                    T(
                        f"{ind.id} was answered N/A, but the rubric does not allow it for this indicator: it "
                        "counts as not answered",
                        f"{ind.id} 填写了“不适用”，但评估框架不允许该指标不适用：按未作答处理",
                    ),
                    ind.id,
                )
            )
    by_id = {r.indicator.id: r for r in results} if rubric.checks else {}
    for check in rubric.checks:
        a, b = by_id.get(check.when.indicator), by_id.get(check.then.indicator)
        if a is None or b is None or a.answer is None or b.answer is None:
            continue
        if check.when.holds(a.answer) and not check.then.holds(b.answer):
            msg = check.message
            out.append(
                ScoreWarning(
                    "inconsistent",
                    Text(
                        f"{msg.get('en')} ({a.id} = {_fmt(a.answer)}, {b.id} = {_fmt(b.answer)})",
                        f"{msg.get('zh')}（{a.id} = {_fmt(a.answer)}，{b.id} = {_fmt(b.answer)}）",
                    ),
                    b.id,
                )
            )
    if coverage < LOW_COVERAGE:
        out.append(
            ScoreWarning(
                "low_coverage",
                T(
                    f"only {coverage:.0%} of the rubric's weight was answered; scores rest on few answers",
                    f"仅回答了框架权重的 {coverage:.0%}，分数依据不足",
                ),
            )
        )
    out.extend(_drift(assessment, rubric))
    return out


def _implausible(results: list[IndicatorResult], money: Money | None) -> list[ScoreWarning]:
    """Numbers outside their ``plausible`` range (SPEC §4): most often an answer in the wrong unit."""
    out: list[ScoreWarning] = []
    for r in results:
        ind, v = r.indicator, r.value
        if v is None or ind.type != "number":
            continue
        lo, hi = ind.plausible_min, ind.plausible_max
        if (lo is None or v >= lo) and (hi is None or v <= hi):
            continue
        cells = ", ".join(a.cell for a in r.answers)
        unit_en = "%" if ind.percent else f" {ind.unit.get('en')}" if ind.unit else ""
        unit_zh = "%" if ind.percent else f" {ind.unit.get('zh')}" if ind.unit else ""
        span = f"{_fmt(lo) if lo is not None else '−∞'}–{_fmt(hi) if hi is not None else '∞'}"
        per_en = " per 100 research staff" if ind.per else ""
        per_zh = "（每百名研发人员）" if ind.per else ""
        if ind.money and money is not None:
            hint = T(
                f"check the unit — {money.unit.get('en')}, not {money.currency}?",
                f"请检查单位——应为{money.unit.get('zh')}，而不是{_CURRENCY_ZH.get(money.currency, money.currency)}？",
            )
        else:
            hint = T("check the unit and the figure", "请检查单位与数值")
        out.append(
            ScoreWarning(
                "implausible",
                T(
                    f"{ind.id} ({cells}): {_fmt(v)}{unit_en}{per_en} is outside the plausible range {span}{unit_en}; "
                    + hint.en,
                    f"{ind.id}（{cells}）：{_fmt(v)}{unit_zh}{per_zh}超出合理范围 {span}{unit_zh}；"
                    + (hint.zh or ""),
                ),
                ind.id,
            )
        )
    return out


def _drift(assessment: Assessment, rubric: Rubric) -> list[ScoreWarning]:
    stamp = assessment.stamp
    if stamp is None or stamp.hash == rubric.content_hash:
        return []
    now = {i.id: i.fingerprint for i in rubric.indicators()}
    then = stamp.fingerprints
    added = sorted(set(now) - set(then))
    removed = sorted(set(then) - set(now))
    changed = sorted(i for i in set(now) & set(then) if now[i] != then[i])
    parts_en, parts_zh = [], []
    if added:
        parts_en.append("added " + ", ".join(added))
        parts_zh.append("新增 " + ", ".join(added))
    if removed:
        parts_en.append("removed " + ", ".join(removed))
        parts_zh.append("删除 " + ", ".join(removed))
    if changed:
        parts_en.append("changed " + ", ".join(changed))
        parts_zh.append("修改 " + ", ".join(changed))
    detail_en = "; ".join(parts_en) or "texts or settings changed"
    detail_zh = "；".join(parts_zh) or "文字或设置有改动"
    return [
        ScoreWarning(
            "rubric_drift",
            T(
                f"the workbook was made from rubric {stamp.id} {stamp.version}, scored with {rubric.id} "
                f"{rubric.version}: {detail_en}",
                f"自评表基于框架 {stamp.id} {stamp.version} 生成，现按 {rubric.id} {rubric.version} 评分：{detail_zh}",
            ),
        )
    ]


def score_file(path: Path | str, rubric: str | Path | Rubric, options: ScoreOptions | None = None) -> Result:
    """Load the rubric, read the workbook and score it."""
    from vibbench.rubric.loader import load_rubric
    from vibbench.workbook.reader import read_assessment

    r = rubric if isinstance(rubric, Rubric) else load_rubric(rubric)
    return score(read_assessment(path, r), r, options)


def reference_result(rubric: Rubric, profile: str | None = None, aggregation: str = "arithmetic") -> Result:
    """The reference institution (VIB) over the whole tree of ``profile`` (None: the rubric's default).

    SPEC §4, ranking: the reference row of ``compare`` and ``sensitivity`` is this, the same whoever is
    compared — not the reference over the indicators one institution happened to answer. Scored with
    nothing answered and ``--missing zero``, so every indicator of the profile is kept; its
    ``reference`` numbers are the reference's scores.
    """
    nobody = Assessment("", "", {"name": rubric.reference_name.get("en")}, (), profile=profile)
    return score(nobody, rubric, ScoreOptions(missing="zero", aggregation=aggregation, top=1))
