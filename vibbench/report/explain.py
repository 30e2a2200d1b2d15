"""``vibbench explain``: how one number was made, step by step, in the order the engine made it."""

from __future__ import annotations

import math

from vibbench.errors import UsageError
from vibbench.report.common import answer_text, fmt, horizon, type_name
from vibbench.rubric.model import Indicator
from vibbench.scoring.result import IndicatorResult, NodeResult, Result
from vibbench.text import CONTROLS, T


def _g(v: float) -> str:
    return f"{v:.6g}"


def _all_ids(result: Result) -> list[str]:
    return [
        *(i.id for i in result.indicators),
        *(d.id for d in result.dimensions),
        *(p.id for p in result.pillars),
    ]


def explain(result: Result, ident: str, lang: str = "en") -> str:
    """How one number was made. Ids are matched without regard to case (``rd.gov.1``); an unknown id
    is an error that suggests the nearest ones."""
    ids = _all_ids(result)
    exact = {i.casefold(): i for i in ids}
    item = result.find(exact.get(ident.strip().casefold(), ident.strip()))
    if item is None:
        import difflib

        upper = {i.upper(): i for i in ids}
        near = [
            upper[m] for m in difflib.get_close_matches(ident.strip().upper(), list(upper), n=3, cutoff=0.6)
        ]
        pillars = ", ".join(p.id for p in result.pillars)
        if near:
            fix = T(f"did you mean {' or '.join(near)}?", f"是否要查看 {' 或 '.join(near)}？")
        else:
            fix = T(
                f"use an id shown by `vibbench rubric show` (pillars: {pillars})",
                f"请使用 `vibbench rubric show` 中的编号（支柱：{pillars}）",
            )
        raise UsageError.one(
            ident,
            T(
                f"no indicator, dimension or pillar '{ident}' in rubric {result.rubric.id}",
                f"框架 {result.rubric.id} 中没有编号为 '{ident}' 的指标、维度或支柱",
            ),
            fix,
        )
    zh = lang == "zh"
    lines = (
        _indicator(result, item, zh, lang)
        if isinstance(item, IndicatorResult)
        else _node(result, item, zh, lang)
    )
    return "\n".join(lines).translate(CONTROLS) + "\n"  # names reach a terminal: nothing it would obey


def _indicator(result: Result, r: IndicatorResult, zh: bool, lang: str) -> list[str]:
    ind, rubric = r.indicator, result.rubric
    kind = type_name(ind.type, lang)
    out = [f"{ind.id} — {ind.name.get(lang)}" + (f"（{kind}）" if zh else f" ({kind})"), ""]
    out.append("1. " + ("回答" if zh else "Answers"))
    if not r.answers:
        out.append("   " + ("未回答" if zh else "not answered"))
    for a in r.answers:
        who = f" [{a.respondent}]" if a.respondent else ""
        out.append(f"   {a.cell}{who}: {a.raw!r} → {_g(a.value)}")
    if len(r.answers) > 1:
        out.append(
            f"   {'中位数' if zh else 'median'} = {_g(r.answer or 0)}, {'极差' if zh else 'spread'} = max − min = {_g(r.spread or 0)}"
        )
    if not r.applies:
        out.append(
            "   "
            + (
                "不适用于本机构（机构类别或合规的“不适用”），不计分、不计入覆盖率"
                if zh
                else "does not apply to this institution (its profile, or a legitimate N/A): not scored, not in coverage"
            )
        )
    if ind.per == "research_staff" and r.answer is not None and r.value is not None:
        staff = result.assessment.research_staff
        out.append(
            f"   {'按每百名研发人员折算' if zh else 'per 100 research staff'}: 100 × {_g(r.answer)} / {_g(staff or 0)} = {_g(r.value)}"
        )
    if ind.type == "level":
        for level, label in (
            (r.answer, "回答的等级" if zh else "answered level"),
            (ind.reference, "参照等级" if zh else "reference level"),
        ):
            if level is None or not float(level).is_integer():
                continue
            text = ind.levels.get(int(level))
            if text is not None:
                out.append(f"   {label} {int(level)}: {text.get(lang)}")
    out.append("")
    out.append("2. " + ("归一化" if zh else "Normalisation"))
    x = r.value if r.value is not None else r.answer
    out.append("   " + _formula(result, ind, x, r.score, zh))
    out.append(
        "   "
        + ("参照（VIB）：" if zh else "Reference (VIB): ")
        + answer_text(rubric, ind, ind.reference, lang)
        + " → "
        + _formula(result, ind, ind.reference, r.reference, zh)
    )
    if ind.source:
        out.append("   " + ("参照值来源：" if zh else "Source of the reference: ") + ind.source)
    out.append("")
    out.append("3. " + ("权重（在保留的同级中的占比）" if zh else "Weights (share among kept siblings)"))
    p_share, d_share, i_share = r.local_weights
    pillar = next(p for p in rubric.pillars if p.id == ind.pillar)
    dim = next(d for d in pillar.dimensions if d.id == ind.dimension)
    out.append(f"   {'支柱' if zh else 'pillar'} {pillar.id}: w = {_g(pillar.weight)} → {_g(p_share)}")
    out.append(f"   {'维度' if zh else 'dimension'} {dim.id}: w = {_g(dim.weight)} → {_g(d_share)}")
    out.append(f"   {'指标' if zh else 'indicator'} {ind.id}: w = {_g(ind.weight)} → {_g(i_share)}")
    out.append(f"   W = {_g(p_share)} × {_g(d_share)} × {_g(i_share)} = {_g(r.weight)}")
    out.append("")
    out.append("4. " + ("对总分的贡献与差距" if zh else "Contribution and gap"))
    s = r.score if r.score is not None else 0.0
    if r.score is None:
        out.append("   " + ("未回答，已排除（权重 0）" if zh else "unanswered and left out (weight 0)"))
    else:
        out.append(
            f"   {'得分贡献' if zh else 'contribution to overall'} W × s = {_g(r.weight)} × {_g(s)} = {_g(r.weight * s)}"
        )
        out.append(
            f"   {'差距' if zh else 'gap'} = r − s = {_g(r.reference)} − {_g(s)} = {_g(r.reference - s)}"
        )
    out.append(
        f"   {'优先度' if zh else 'priority'} = W × max(0, r − s) = {_g(r.priority)} "
        + ("（总分分数）" if zh else "points of overall score")
    )
    gap = result.overall.gap
    if gap and r.priority and not math.isclose(gap, 0.0):
        out.append(
            f"   = {r.priority / gap:.1%} " + ("的总差距" if zh else "of the overall gap") + f" ({fmt(gap)})"
        )
    out.append("")
    out.append("5. " + ("建议" if zh else "Recommendations"))
    recs = [rec for rec in result.recommendations if rec.indicator == ind.id]
    if not recs:
        why = (
            ("不在前 " if zh else "not among the top ")
            + str(result.options.top)
            + (" 优先项，或无需改进" if zh else " priorities, or nothing to improve")
        )
        out.append("   " + why)
    for rec in recs:
        theme = rubric.themes.get(rec.theme)
        out.append(
            f"   [{theme.get(lang) if theme else rec.theme} · {horizon(rec.horizon, lang)}] {rec.text.get(lang)}"
        )
    return out


def _formula(result: Result, ind: Indicator, x: float | None, s: float | None, zh: bool) -> str:
    if x is None or s is None:
        return "s = —" if s is None else f"s = {_g(s)} (--missing zero)"
    scale = result.rubric.scale
    if ind.type == "level":
        return f"s = 100 × ({_g(x)} − {scale.min}) / ({scale.max} − {scale.min}) = {_g(s)}"
    if ind.type == "boolean":
        return f"s = 100 × {_g(x)} = {_g(s)}"
    m, t = ind.min, ind.target
    goal = (
        "目标值" if zh else "goalposts"
    ) + f" m = {_g(m)} ({'最差' if zh else 'worst'}), t = {_g(t)} ({'最好' if zh else 'best'})"
    if ind.log:
        return (
            f"{goal}, log: s = 100 × clip((ln(1+{_g(x)}) − ln(1+{_g(m)})) / (ln(1+{_g(t)}) − ln(1+{_g(m)})), 0, 1)"
            f" = {_g(s)}"
        )
    return f"{goal}: s = 100 × clip(({_g(x)} − {_g(m)}) / ({_g(t)} − {_g(m)}), 0, 1) = {_g(s)}"


def _node(result: Result, n: NodeResult, zh: bool, lang: str) -> list[str]:
    method = result.options.aggregation
    if n.id == "overall":
        children = [(c.id, c.name.get(lang), c.weight, c.score, c.reference) for c in result.pillars]
        title = "overall"
    elif n.pillar is None:
        children = [
            (c.id, c.name.get(lang), c.weight, c.score, c.reference)
            for c in result.dimensions
            if c.pillar == n.id
        ]
        title = f"{n.id} — {n.name.get(lang)} ({'支柱' if zh else 'pillar'})"
    else:
        children = [
            (c.id, c.indicator.name.get(lang), c.local_weights[2], c.score, c.reference)
            for c in result.indicators
            if c.indicator.dimension == n.id
        ]
        title = f"{n.id} — {n.name.get(lang)} ({'维度' if zh else 'dimension'})"
    out = [
        title,
        "",
        (
            "下级（在保留同级中的占比、得分、参照）"
            if zh
            else "Parts (share among kept siblings, score, reference)"
        ),
    ]
    for cid, name, share, s, r in children:
        out.append(f"   {cid} {name}: {'占比' if zh else 'share'} {_g(share)}, s = {fmt(s)}, r = {fmt(r)}")
    kept = [(w, s, r) for _, _, w, s, r in children if s is not None and w > 0]
    if method == "geometric":
        formula = "S = Π max(s,1)^share"
    else:
        formula = "S = Σ share × s = " + " + ".join(f"{_g(w)} × {_g(s)}" for w, s, _ in kept)
    out += ["", f"{'汇总' if zh else 'Aggregation'} ({method}): {formula} = {fmt(n.score)}"]
    out.append(
        f"{'参照' if zh else 'Reference'}: {fmt(n.reference)}; {'差距' if zh else 'gap'} = {fmt(n.gap)}; "
        f"{'覆盖率' if zh else 'coverage'} = {n.coverage:.1%}"
    )
    if n.id != "overall":
        pw = 1.0
        if n.pillar is not None:
            pw = next(p.weight for p in result.pillars if p.id == n.pillar)
        out.append(
            ("在总分中的占比" if zh else "Share of the overall score")
            + f": {_g(n.weight * pw if n.pillar else n.weight)}"
        )
        prios = sum(
            r.priority for r in result.indicators if n.id in (r.indicator.dimension, r.indicator.pillar)
        )
        out.append(("下属指标优先度合计" if zh else "Priorities below it add up to") + f": {_g(prios)}")
    return out
