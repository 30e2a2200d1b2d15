"""SPEC §6 (v2): the report as a document — a one-page executive summary for a director, then
the detailed sections — built once from a scored result and written by
:mod:`vibbench.report.write_markdown`, :mod:`~vibbench.report.write_html` or
:mod:`~vibbench.report.write_docx`.

Everything here is plain text (the writers escape it), pure (the version, the date, the charts,
the projection and the peers are passed in) and in ``--lang``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from vibbench.report.common import DASH, answer_text, fmt, horizon, pct
from vibbench.report.docmodel import (
    Bullets,
    Column,
    Document,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Role,
    Table,
)
from vibbench.rubric.model import HORIZONS, Band
from vibbench.scoring.result import IndicatorResult, NodeResult, Result
from vibbench.text import CONTROLS, T, Text

EVIDENCE_CHARS = 100
"""Evidence is shortened to this many characters in the indicator tables."""
TOP_ACTIONS = 5
"""Actions on page 1."""

# Every fixed text of the report, in both languages.
TEXTS: dict[str, Text] = {
    "title": T("Benchmark report: {name}", "对标评估报告：{name}"),
    "unnamed": T("(institution not named)", "（未填写机构名称）"),
    "institution": T("Institution", "机构"),
    "country": T("Country", "国家/地区"),
    "type": T("Type", "类型"),
    "year": T("Year assessed", "评估年度"),
    "date": T("Assessment date", "自评日期"),
    "rubric": T("Rubric", "评估框架"),
    "generated": T("Report date", "报告日期"),
    # Executive summary
    "h_summary": T("Executive summary", "摘要"),
    "sum_none": T(
        "No indicator was answered, so there is no overall score.",
        "没有回答任何指标，因此没有总分。",
    ),
    # v2: page 1
    "verdict": T(
        "Overall {score} against VIB's {ref}: {band}. Gap {gap} points; {cov} of the rubric's weight answered.",
        "总分 {score}，VIB 为 {ref}，处于「{band}」阶段；差距 {gap} 分；已回答框架权重的 {cov}。",
    ),
    "verdict_peers": T(
        "Among {n} peers it stands at the {p} percentile.",
        "在 {n} 家同类机构中位于第 {p} 百分位。",
    ),
    "h_findings": T("Three findings", "三点结论"),
    "f_weakest": T(
        "Weakest pillar: {name} ({score}; VIB {ref}).", "最弱支柱：{name}（{score}；VIB {ref}）。"
    ),
    "f_strongest": T(
        "Strongest pillar: {name} ({score}; VIB {ref}).", "最强支柱：{name}（{score}；VIB {ref}）。"
    ),
    "f_largest": T(
        "Largest priority: {name}, {pts} points of the overall score.",
        "最大优先项：{name}，影响总分 {pts} 分。",
    ),
    "f_none": T("No indicator falls short of VIB.", "没有低于 VIB 的指标。"),
    "h_actions": T("Top five actions", "优先推进的五项措施"),
    "h_projection": T("Projection", "改革成效预测"),
    "projection_intro": T(
        "If the roadmap's steps are delivered phase by phase, each moving its indicator to the target "
        "printed in the roadmap, the institution is rescored as follows.",
        "若按路线图逐阶段落实各项措施，使相应指标达到路线图所列目标，重新计分的结果如下。",
    ),
    "phase": T("Phase", "推进节点"),
    "gain": T("Gain", "提升"),
    "ph_now": T("Now", "现状"),
    "ph_quick_win": T("After quick wins", "近期措施落实后"),
    "ph_medium": T("After 1–3 years", "1–3 年后"),
    "ph_structural": T("After structural reforms", "结构性改革后"),
    "percentile": T("Percentile among peers", "同类机构百分位"),
    "h_funder": T("For the funder", "致主管部门"),
    "funder_intro": T(
        "These steps are for the funder (the ministry, commission or sponsor that sets the institution's "
        "contract and core funding), not for the institution itself.",
        "以下措施需由主管部门（设定机构绩效合同与稳定支持经费的部委、科委或举办方）推动，而非机构自身可以完成。",
    ),
    "funder_none": T(
        "No step for the funder among the top priorities.", "优先事项中暂无需主管部门推动的措施。"
    ),
    # Tables
    "h_pillars": T("Pillars", "支柱概览"),
    "pillar": T("Pillar", "支柱"),
    "dimension": T("Dimension", "维度"),
    "indicator": T("Indicator", "指标"),
    "score": T("Score", "得分"),
    "vib": T("VIB", "VIB"),
    "gap": T("Gap", "差距"),
    "coverage": T("Coverage", "覆盖率"),
    "band": T("Band", "阶段"),
    "weight": T("Weight in pillar", "支柱内权重"),
    "answer": T("Answer", "回答"),
    "vib_answer": T("VIB answer", "VIB 回答"),
    "vib_score": T("VIB score", "VIB 得分"),
    "evidence": T("Evidence", "佐证材料"),
    "theme": T("Theme", "主题"),
    "horizon": T("Horizon", "周期"),
    "points": T("Points", "分值"),
    "action": T("Action", "措施"),
    "recommendation": T("Recommendation", "建议"),
    "now_next": T("Now → next target", "现状 → 下一目标"),
    "median": T("median of {n}; spread {s}", "{n} 人中位数；分歧 {s}"),
    # Charts
    "h_charts": T("Charts", "图表"),
    "no_charts": T("Charts were not drawn (--no-charts).", "未绘制图表（使用了 --no-charts）。"),
    # Pillar sections
    "h_pillar": T("Pillar {id}: {name}", "支柱 {id}：{name}"),
    "pillar_line": T(
        "Score {score} against VIB's {ref} (gap {gap}); coverage {cov}; band: {band}; "
        "{share} of the overall score.",
        "得分 {score}，VIB 为 {ref}（差距 {gap}）；覆盖率 {cov}；阶段：{band}；占总分 {share}。",
    ),
    "pillar_none": T(
        "No indicator of this pillar was answered; it is left out of the overall score.",
        "本支柱没有任何指标被回答，未计入总分。",
    ),
    "h_dims": T("{name}: dimensions", "{name}：维度"),
    "h_inds": T("{name}: indicators", "{name}：指标"),
    # Recommendations and roadmap
    "h_recs": T("Recommendations by reform theme", "按改革主题分列的建议"),
    "recs_intro": T(
        "Recommendations for the {top} indicators with the highest priority (--top). Points: the "
        "points of overall score the indicator costs against VIB (its priority).",
        "以下为优先度最高的 {top} 个指标（--top）的建议。分值：该指标相对 VIB 失去的总分分数（即优先度）。",
    ),
    "recs_none": T("No recommendation for this theme.", "本主题暂无建议。"),
    "h_roadmap": T("Roadmap", "改革路线图"),
    "roadmap_intro": T(
        "The recommendations laid out by horizon and reform theme. Each step names the indicator, its "
        "current answer and the step's target (for a level: the next level up to VIB's; for a number or "
        "yes/no: VIB's value), and the points of overall score that reaching that target alone adds "
        "(rescored).",
        "按周期与改革主题排列的建议。每一步列出指标、当前回答与本步目标（等级型：上一级，最高至 VIB 的等级；"
        "数值型或是否型：VIB 的数值），以及单独达到该目标可提高的总分分数（重新计分得出）。",
    ),
    "roadmap_empty": T("Nothing in this horizon.", "此周期暂无措施。"),
    "h_quick_win": T("Quick wins", "近期见效"),
    "h_medium": T("1–3 years", "1–3 年"),
    "h_structural": T("Structural", "结构性改革"),
    "not_answered": T("not answered", "未回答"),
    # Data quality
    "h_quality": T("Data quality", "数据质量"),
    "q_coverage": T("Coverage", "覆盖率"),
    "q_coverage_text": T(
        "{cov} of the rubric's weight was answered ({pillars}); {n} of {total} indicators answered.",
        "已回答框架权重的 {cov}（{pillars}）；{total} 个指标中回答了 {n} 个。",
    ),
    "q_disagreement": T("Respondents disagree", "答题人意见分歧"),
    "q_unsupported_claim": T("Claims without evidence", "缺少佐证的自评"),
    "q_inconsistent": T("Failed consistency checks", "未通过一致性检查"),
    "q_rubric_drift": T("Rubric drift", "框架版本变化"),
    "q_removed_indicator": T("Removed indicators", "已删除的指标"),
    "q_low_coverage": T("Low coverage", "覆盖率偏低"),
    "q_implausible": T("Implausible values", "数值可疑"),
    "q_not_applicable": T("N/A where not allowed", "不允许填“不适用”的指标"),
    "q_external_link": T("Answers from other workbooks", "引用其他工作簿的回答"),
    "none": T("none", "无"),
    # Appendix
    "h_appendix": T("Appendix: method and provenance", "附录：方法与来源"),
    "h_method": T("Method", "方法"),
    "method_norm": T(
        "Each answer becomes a score from 0 to 100: a level by its place on the {smin}–{smax} scale, "
        "yes/no as 100 or 0, and a number by where it stands between a worst and a best value (the "
        "goalposts; some on a logarithmic scale). VIB's own answers, scored the same way, give the "
        "reference. For a group of respondents the median answer is used.",
        "每个回答换算为 0–100 分：等级按其在 {smin}–{smax} 级中的位置，是否型为 100 或 0，数值型按其在最差值与"
        "最好值（目标值，部分按对数刻度）之间的位置。VIB 自身的回答按同一方法计分，作为参照。多人作答时取中位数。",
    ),
    "method_exclude": T(
        "Weights are relative among siblings; unanswered indicators are left out and their siblings' "
        "weights renormalised (--missing exclude).",
        "权重为同级之间的相对权重；未回答的指标被排除，同级权重重新归一化（--missing exclude）。",
    ),
    "method_zero": T(
        "Weights are relative among siblings; unanswered indicators score 0 and nothing is renormalised "
        "(--missing zero).",
        "权重为同级之间的相对权重；未回答的指标计 0 分，不重新归一化（--missing zero）。",
    ),
    "method_arithmetic": T(
        "Scores are combined level by level (indicator, dimension, pillar, overall) as weighted means.",
        "分数逐级（指标、维度、支柱、总分）按加权算术平均汇总。",
    ),
    "method_geometric": T(
        "Scores are combined level by level (indicator, dimension, pillar, overall) as weighted "
        "geometric means, scores below 1 counted as 1.",
        "分数逐级（指标、维度、支柱、总分）按加权几何平均汇总，低于 1 的分数按 1 计。",
    ),
    "method_rest": T(
        "The gap is VIB's score minus the institution's. Coverage is the share of the rubric's full "
        "weight that was answered. An indicator's priority is its effective weight times its gap to VIB: "
        "the points of overall score it costs. Bands: {bands}.",
        "差距为 VIB 得分减本机构得分。覆盖率为已回答部分占框架全部权重的比例。指标的优先度为其有效权重乘以与 VIB "
        "的差距，即它使总分损失的分数。阶段：{bands}。",
    ),
    "band_from": T("{name} from {min}", "{name}（{min} 分起）"),
    "h_weights": T("Weights", "权重"),
    "w_node": T("Pillar / dimension", "支柱 / 维度"),
    "w_rubric": T("Weight in rubric", "框架权重"),
    "w_siblings": T("Share among siblings", "同级占比"),
    "w_overall": T("Share of overall", "占总分比例"),
    "h_provenance": T("Provenance", "版本与来源"),
    "item": T("Item", "项目"),
    "value": T("Value", "值"),
    "p_rubric_id": T("Rubric id", "框架编号"),
    "p_rubric_version": T("Rubric version", "框架版本"),
    "p_rubric_hash": T("Rubric content hash (sha256)", "框架内容哈希（sha256）"),
    "p_input": T("Input file", "输入文件"),
    "p_input_hash": T("Input file sha256", "输入文件 sha256"),
    "p_version": T("vibbench version", "vibbench 版本"),
    "p_missing": T("Missing answers (--missing)", "缺失处理（--missing）"),
    "p_aggregation": T("Aggregation (--aggregation)", "汇总方式（--aggregation）"),
    "p_top": T("Recommendations for the top (--top)", "建议覆盖的优先项数（--top）"),
    "p_lang": T("Language (--lang)", "语言（--lang）"),
    "p_generated": T("Generated", "生成日期"),
}

QUALITY_ORDER = (
    "disagreement",
    "unsupported_claim",
    "inconsistent",
    "implausible",
    "not_applicable",
    "external_link",
    "rubric_drift",
    "removed_indicator",
    "low_coverage",
)


class Phase(Protocol):
    """A phase of the projection (see :mod:`vibbench.scoring.projection`)."""

    @property
    def phase(self) -> str: ...
    @property
    def score(self) -> float | None: ...
    @property
    def band(self) -> Band | None: ...
    @property
    def gain(self) -> float | None: ...


class Step(Protocol):
    """A roadmap step (see :mod:`vibbench.scoring.projection`): its target and what reaching it adds."""

    @property
    def indicator(self) -> str: ...
    @property
    def theme(self) -> str: ...
    @property
    def horizon(self) -> str: ...
    @property
    def actor(self) -> str: ...
    @property
    def now(self) -> float | None: ...
    @property
    def target(self) -> float | None: ...
    @property
    def points(self) -> float: ...
    @property
    def text(self) -> Text: ...


class Peer(Protocol):
    """A node among peers (see :mod:`vibbench.scoring.peers`)."""

    @property
    def id(self) -> str: ...
    @property
    def percentile(self) -> float | None: ...
    @property
    def peers(self) -> int: ...


@dataclass(frozen=True)
class Inputs:
    """What the report shows besides the result: computed by the caller, passed in."""

    version: str
    generated: str
    figures: Sequence[Figure] = ()
    """The charts, in order; the first is page 1's."""
    charts_drawn: bool = True
    phases: Sequence[Phase] = ()
    steps: Sequence[Step] = ()
    peers: Sequence[Peer] = ()


class _B:
    """The document being built, and the language."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.lang = doc.lang

    def t(self, key: str, **kwargs: object) -> str:
        text = TEXTS[key].get(self.lang)
        return text.format(**kwargs) if kwargs else text

    def paren(self, text: str) -> str:
        return f"（{text}）" if self.lang == "zh" else f" ({text})"

    def join(self, parts: Sequence[str]) -> str:
        return ("" if self.lang == "zh" else " ").join(parts)


def clean(text: object) -> str:
    """Text from a workbook or a file name: no control characters, no line breaks."""
    s = str(text)
    if not s.isprintable():
        s = " ".join(s.translate(CONTROLS).split())
    return s


def _pct1(v: float) -> str:
    return f"{v * 100:.1f}%"


def _name(node: NodeResult | IndicatorResult, lang: str) -> str:
    text = node.indicator.name if isinstance(node, IndicatorResult) else node.name
    return f"{node.id} {text.get(lang)}"


def _band(node: NodeResult | None, lang: str) -> str:
    return node.band.name.get(lang) if node is not None and node.band else DASH


def _shorten(text: str, limit: int = EVIDENCE_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _evidence(r: IndicatorResult) -> str:
    parts = []
    for a in r.answers:
        said = " ".join(a.evidence.split())
        if a.comment.strip():
            said = f"{said} ({' '.join(a.comment.split())})" if said else " ".join(a.comment.split())
        if not said:
            continue
        parts.append(f"{a.respondent}: {said}" if a.respondent else said)
    return clean(_shorten("; ".join(parts))) if parts else DASH


def build(result: Result, lang: str, inputs: Inputs) -> Document:
    """The whole report as a document."""
    a = result.assessment
    name = clean(a.name) if a.name.strip() else TEXTS["unnamed"].get(lang)
    doc = Document(TEXTS["title"].get(lang).format(name=name), lang, inputs.generated)
    b = _B(doc)
    _title(b, result, name, inputs)
    _summary(b, result, inputs)
    doc.add(PageBreak())
    _pillars(b, result, inputs)
    _charts(b, inputs)
    for pillar in result.pillars:
        _pillar(b, result, pillar, inputs)
    _recommendations(b, result)
    _roadmap(b, result, inputs)
    _funder(b, result, inputs)
    _quality(b, result)
    _appendix(b, result, inputs)
    return doc


# --------------------------------------------------------------------------- page 1


def _title(b: _B, result: Result, name: str, inputs: Inputs) -> None:
    a, rubric, lang = result.assessment, result.rubric, b.lang
    b.doc.add(Heading(1, b.t("title", name=name), "title"))
    facts = [b.t("institution") + ": " + name if lang == "en" else b.t("institution") + "：" + name]
    for key in ("country", "type", "year", "date"):
        raw = a.institution.get(key)
        if raw not in (None, ""):
            facts.append((b.t(key) + (": " if lang == "en" else "：")) + clean(raw))
    facts.append(
        (b.t("rubric") + (": " if lang == "en" else "："))
        + f"{rubric.title.get(lang)}{b.paren(f'{rubric.id} {rubric.version}')}"
    )
    facts.append((b.t("generated") + (": " if lang == "en" else "：")) + inputs.generated)
    b.doc.add(Paragraph.of(" · ".join(facts) if lang == "en" else "　".join(facts)))


def _ordinal(value: float, lang: str) -> str:
    """A percentile as it is read: "45th", "1st", "22nd" (Chinese says 第 45 百分位 around it)."""
    n = round(value)
    if lang == "zh":
        return str(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _overall_peer(inputs: Inputs) -> Peer | None:
    return next((p for p in inputs.peers if p.id == "overall"), None)


def _summary(b: _B, result: Result, inputs: Inputs) -> None:
    o, lang = result.overall, b.lang
    b.doc.add(Heading(2, b.t("h_summary"), "summary"))
    if o.score is None:
        b.doc.add(Paragraph.of(b.t("sum_none")))
        return
    band = _band(o, lang)
    verdict = [
        b.t(
            "verdict",
            score=fmt(o.score),
            ref=fmt(o.reference),
            band=band,
            gap=fmt(o.gap),
            cov=pct(o.coverage),
        )
    ]
    peer = _overall_peer(inputs)
    if peer is not None and peer.percentile is not None:
        verdict.append(b.t("verdict_peers", n=peer.peers, p=_ordinal(peer.percentile, lang)))
    b.doc.add(Paragraph((*Paragraph.of(b.join(verdict)).spans,)))
    # three findings
    findings: list[Paragraph] = []
    scored = [p for p in result.pillars if p.score is not None]
    if scored:
        worst = min(scored, key=lambda p: p.score or 0.0)
        best = max(scored, key=lambda p: p.score or 0.0)
        findings.append(
            Paragraph.of(
                b.t("f_weakest", name=_name(worst, lang), score=fmt(worst.score), ref=fmt(worst.reference))
            )
        )
        if best is not worst:
            findings.append(
                Paragraph.of(
                    b.t("f_strongest", name=_name(best, lang), score=fmt(best.score), ref=fmt(best.reference))
                )
            )
    top = result.top_priorities(1)
    if top:
        findings.append(Paragraph.of(b.t("f_largest", name=_name(top[0], lang), pts=fmt(top[0].priority, 2))))
    else:
        findings.append(Paragraph.of(b.t("f_none")))
    b.doc.add(Heading(3, b.t("h_findings"), "findings"), Bullets(tuple(findings)))
    if inputs.phases:
        rows = [(b.t("ph_now"), fmt(o.score), _band(o, lang), "")]
        for ph in inputs.phases:
            key = f"ph_{ph.phase}"
            label = b.t(key) if key in TEXTS else ph.phase
            rows.append(
                (
                    label,
                    fmt(ph.score),
                    ph.band.name.get(lang) if ph.band else DASH,
                    "" if ph.gain is None else f"{ph.gain:+.1f}",
                )
            )
        b.doc.add(
            Heading(3, b.t("h_projection"), "projection"),
            Paragraph.of(b.t("projection_intro")),
            Table(
                (
                    Column(b.t("phase"), "text"),
                    Column(b.t("score"), "number"),
                    Column(b.t("band"), "text"),
                    Column(b.t("gain"), "number"),
                ),
                tuple(rows),
            ),
        )
    if inputs.figures:
        b.doc.add(inputs.figures[0])
    # top five actions, by their points: the institution's own (the funder's have their section)
    steps = sorted((s for s in inputs.steps if s.actor != "funder"), key=lambda s: -s.points)[:TOP_ACTIONS]
    if steps:
        indicators = {r.id: r for r in result.indicators}
        b.doc.add(
            Heading(3, b.t("h_actions"), "actions"),
            Table(
                (
                    Column(b.t("indicator"), "name"),
                    Column(b.t("action"), "long"),
                    Column(b.t("horizon"), "text"),
                    Column(b.t("points"), "number"),
                ),
                tuple(
                    (
                        _name(indicators[s.indicator], lang),
                        s.text.get(lang),
                        horizon(s.horizon, lang),
                        fmt(s.points, 2),
                    )
                    for s in steps
                ),
            ),
        )


# --------------------------------------------------------------------------- detail


def _peer_map(inputs: Inputs) -> dict[str, Peer]:
    return {p.id: p for p in inputs.peers}


def _pctl(peers: dict[str, Peer], ident: str) -> str:
    p = peers.get(ident)
    return DASH if p is None or p.percentile is None else f"{p.percentile:.0f}"


def _pillars(b: _B, result: Result, inputs: Inputs) -> None:
    lang = b.lang
    peers = _peer_map(inputs)
    b.doc.add(Heading(2, b.t("h_pillars"), "pillars"))
    cols = [
        Column(b.t("pillar"), "name"),
        *(Column(b.t(k), "number") for k in ("score", "vib", "gap")),
        Column(b.t("coverage"), "number"),
        Column(b.t("band"), "text"),
    ]
    if peers:
        cols.append(Column(b.t("percentile"), "number"))
    rows = []
    for p in [*result.pillars, result.overall]:
        row = [
            _name(p, lang) if p is not result.overall else p.name.get(lang),
            fmt(p.score),
            fmt(p.reference),
            fmt(p.gap),
            pct(p.coverage),
            _band(p, lang),
        ]
        if peers:
            row.append(_pctl(peers, p.id))
        rows.append(tuple(row))
    b.doc.add(Table(tuple(cols), tuple(rows), bold_rows=frozenset({len(rows) - 1})))


def _charts(b: _B, inputs: Inputs) -> None:
    b.doc.add(Heading(2, b.t("h_charts"), "charts"))
    if not inputs.charts_drawn:
        b.doc.add(Paragraph.of(b.t("no_charts")))
        return
    b.doc.add(*inputs.figures[1:])


def _pillar(b: _B, result: Result, p: NodeResult, inputs: Inputs) -> None:
    lang, rubric = b.lang, result.rubric
    peers = _peer_map(inputs)
    pname = p.name.get(lang)
    b.doc.add(PageBreak(), Heading(2, b.t("h_pillar", id=p.id, name=pname), f"pillar-{p.id}"))
    if p.score is None:
        b.doc.add(Paragraph.of(b.t("pillar_none")))
    else:
        b.doc.add(
            Paragraph.of(
                b.t(
                    "pillar_line",
                    score=fmt(p.score),
                    ref=fmt(p.reference),
                    gap=fmt(p.gap),
                    cov=pct(p.coverage),
                    band=_band(p, lang),
                    share=_pct1(p.weight),
                )
            )
        )
    cols = [
        Column(b.t("dimension"), "name"),
        *(Column(b.t(k), "number") for k in ("score", "vib", "gap", "coverage", "weight")),
    ]
    if peers:
        cols.append(Column(b.t("percentile"), "number"))
    rows = []
    for d in result.dimensions:
        if d.pillar != p.id:
            continue
        row = [_name(d, lang), fmt(d.score), fmt(d.reference), fmt(d.gap), pct(d.coverage), _pct1(d.weight)]
        if peers:
            row.append(_pctl(peers, d.id))
        rows.append(tuple(row))
    b.doc.add(Heading(3, b.t("h_dims", name=pname), f"dims-{p.id}"), Table(tuple(cols), tuple(rows)))
    irows = []
    for r in result.indicators:
        ind = r.indicator
        if ind.pillar != p.id or not r.applies:
            continue
        irows.append(
            (
                ind.id,
                ind.name.get(lang),
                _answer(b, result, r),
                fmt(r.score),
                answer_text(rubric, ind, ind.reference, lang),
                fmt(r.reference),
                fmt(r.gap),
                _evidence(r),
            )
        )
    b.doc.add(
        Heading(3, b.t("h_inds", name=pname), f"inds-{p.id}"),
        Table(
            (
                Column("ID", "id"),
                Column(b.t("indicator"), "name"),
                Column(b.t("answer"), "text"),
                Column(b.t("score"), "number"),
                Column(b.t("vib_answer"), "text"),
                Column(b.t("vib_score"), "number"),
                Column(b.t("gap"), "number"),
                Column(b.t("evidence"), "long"),
            ),
            tuple(irows),
        ),
    )


def _answer(b: _B, result: Result, r: IndicatorResult) -> str:
    text = answer_text(result.rubric, r.indicator, r.answer, b.lang)
    if len(r.answers) > 1:
        text += b.paren(b.t("median", n=len(r.answers), s=f"{r.spread or 0:g}"))
    return text


def _themes(result: Result) -> list[str]:
    out = list(result.rubric.themes)
    out += [rec.theme for rec in result.recommendations if rec.theme not in out]
    return list(dict.fromkeys(out))


def _theme_name(result: Result, theme: str, lang: str) -> str:
    text = result.rubric.themes.get(theme)
    return text.get(lang) if text else theme


def _is_funder(result: Result, indicator: str) -> bool:
    ind = result.rubric.indicator_map().get(indicator)
    return ind is not None and ind.actor == "funder"


def _recommendations(b: _B, result: Result) -> None:
    lang = b.lang
    indicators = {r.id: r for r in result.indicators}
    b.doc.add(
        Heading(2, b.t("h_recs"), "recommendations"), Paragraph.of(b.t("recs_intro", top=result.options.top))
    )
    own = [rec for rec in result.recommendations if not _is_funder(result, rec.indicator)]
    for theme in _themes(result):
        b.doc.add(Heading(3, _theme_name(result, theme, lang), f"theme-{theme}"))
        recs = [rec for rec in own if rec.theme == theme]
        if not recs:
            b.doc.add(Paragraph.of(b.t("recs_none")))
            continue
        b.doc.add(
            Table(
                (
                    Column(b.t("indicator"), "name"),
                    Column(b.t("horizon"), "text"),
                    Column(b.t("points"), "number"),
                    Column(b.t("recommendation"), "long"),
                ),
                tuple(
                    (
                        _name(indicators[rec.indicator], lang),
                        horizon(rec.horizon, lang),
                        fmt(rec.priority, 2),
                        rec.text.get(lang),
                    )
                    for rec in recs
                ),
            )
        )


def _step_rows(b: _B, result: Result, steps: Sequence[Step]) -> tuple[tuple[str, ...], ...]:
    lang = b.lang
    indicators = {r.id: r for r in result.indicators}
    rows = []
    for s in steps:
        r = indicators[s.indicator]
        now = (
            answer_text(result.rubric, r.indicator, s.now, lang) if s.now is not None else b.t("not_answered")
        )
        target = answer_text(result.rubric, r.indicator, s.target, lang) if s.target is not None else DASH
        rows.append(
            (
                _theme_name(result, s.theme, lang),
                _name(r, lang),
                f"{now} → {target}",
                fmt(s.points, 2),
                s.text.get(lang),
            )
        )
    return tuple(rows)


_STEP_COLUMNS = ("theme", "indicator", "now_next", "points", "action")


def _step_table(b: _B, result: Result, steps: Sequence[Step]) -> Table:
    roles: tuple[Role, ...] = ("text", "name", "text", "number", "long")
    return Table(
        tuple(Column(b.t(k), role) for k, role in zip(_STEP_COLUMNS, roles, strict=True)),
        _step_rows(b, result, steps),
    )


def _roadmap(b: _B, result: Result, inputs: Inputs) -> None:
    b.doc.add(Heading(2, b.t("h_roadmap"), "roadmap"), Paragraph.of(b.t("roadmap_intro")))
    themes = _themes(result)
    own = [s for s in inputs.steps if s.actor != "funder"]
    horizons = list(HORIZONS) + sorted({s.horizon for s in own} - set(HORIZONS))
    for hz in horizons:
        key = f"h_{hz}"
        b.doc.add(Heading(3, b.t(key) if key in TEXTS else hz, f"horizon-{hz}"))
        steps = sorted(
            (s for s in own if s.horizon == hz),
            key=lambda s: (themes.index(s.theme) if s.theme in themes else 99, -s.points),
        )
        if not steps:
            b.doc.add(Paragraph.of(b.t("roadmap_empty")))
            continue
        b.doc.add(_step_table(b, result, steps))


def _funder(b: _B, result: Result, inputs: Inputs) -> None:
    b.doc.add(Heading(2, b.t("h_funder"), "funder"), Paragraph.of(b.t("funder_intro")))
    steps = [s for s in inputs.steps if s.actor == "funder"]
    if not steps:
        b.doc.add(Paragraph.of(b.t("funder_none")))
        return
    b.doc.add(
        _step_table(
            b,
            result,
            sorted(
                steps, key=lambda s: (HORIZONS.index(s.horizon) if s.horizon in HORIZONS else 9, -s.points)
            ),
        )
    )


def _quality(b: _B, result: Result) -> None:
    lang, o = b.lang, result.overall
    b.doc.add(Heading(2, b.t("h_quality"), "quality"))
    sep = ", " if lang == "en" else "，"
    per_pillar = sep.join(f"{_name(p, lang)} {pct(p.coverage)}" for p in result.pillars)
    applying = [r for r in result.indicators if r.applies]
    answered = sum(1 for r in applying if r.answered)
    items = [
        Paragraph.of(
            b.t("q_coverage_text", cov=pct(o.coverage), pillars=per_pillar, n=answered, total=len(applying)),
            label=b.t("q_coverage"),
        )
    ]
    codes = list(QUALITY_ORDER) + sorted({w.code for w in result.warnings} - set(QUALITY_ORDER))
    for code in codes:
        key = f"q_{code}"
        label = b.t(key) if key in TEXTS else code
        found = [w for w in result.warnings if w.code == code]
        if not found:
            items.append(Paragraph.of(b.t("none"), label=label))
        items += [Paragraph.of(clean(w.message.get(lang)), label=label) for w in found]
    b.doc.add(Bullets(tuple(items)))


def _appendix(b: _B, result: Result, inputs: Inputs) -> None:
    lang, rubric, opts, a = b.lang, result.rubric, result.options, result.assessment
    b.doc.add(PageBreak(), Heading(2, b.t("h_appendix"), "appendix"), Heading(3, b.t("h_method"), "method"))
    sep = "; " if lang == "en" else "；"
    bands = sep.join(b.t("band_from", name=band.name.get(lang), min=f"{band.min:g}") for band in rubric.bands)
    b.doc.add(
        Paragraph.of(
            b.join(
                [
                    b.t("method_norm", smin=rubric.scale.min, smax=rubric.scale.max),
                    b.t("method_zero" if opts.missing == "zero" else "method_exclude"),
                    b.t("method_geometric" if opts.aggregation == "geometric" else "method_arithmetic"),
                    b.t("method_rest", bands=bands),
                ]
            )
        )
    )
    raw = {p.id: p.weight for p in rubric.pillars}
    raw.update({d.id: d.weight for d in rubric.dimensions()})
    rows: list[tuple[str, ...]] = []
    bold: set[int] = set()
    for p in result.pillars:
        bold.add(len(rows))
        rows.append((_name(p, lang), f"{raw.get(p.id, 0.0):g}", _pct1(p.weight), _pct1(p.weight)))
        for d in result.dimensions:
            if d.pillar == p.id:
                rows.append(
                    (_name(d, lang), f"{raw.get(d.id, 0.0):g}", _pct1(d.weight), _pct1(d.weight * p.weight))
                )
    b.doc.add(
        Heading(3, b.t("h_weights"), "weights"),
        Table(
            (
                Column(b.t("w_node"), "name"),
                *(Column(b.t(k), "number") for k in ("w_rubric", "w_siblings", "w_overall")),
            ),
            tuple(rows),
            bold_rows=frozenset(bold),
        ),
    )
    b.doc.add(
        Heading(3, b.t("h_provenance"), "provenance"),
        Table(
            (Column(b.t("item"), "text"), Column(b.t("value"), "id")),
            (
                (b.t("p_rubric_id"), rubric.id),
                (b.t("p_rubric_version"), rubric.version),
                (b.t("p_rubric_hash"), rubric.content_hash or DASH),
                (b.t("p_input"), clean(Path(a.path).name) if a.path else DASH),
                (b.t("p_input_hash"), a.sha256 or DASH),
                (b.t("p_version"), inputs.version),
                (b.t("p_missing"), opts.missing),
                (b.t("p_aggregation"), opts.aggregation),
                (b.t("p_top"), str(opts.top)),
                (b.t("p_lang"), lang),
                (b.t("p_generated"), inputs.generated),
            ),
        ),
    )
