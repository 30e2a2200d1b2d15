"""SPEC §6: ``vibbench report``, the full Markdown report with charts and a reform roadmap.

:func:`render_report` is pure (the version and the date are passed in), so a report can be
compared byte for byte with a golden file. :func:`build_report` draws the charts and links them
relatively, and returns the Markdown and the chart files as data; the caller writes them
(:func:`save_report`: the charts, then the Markdown, atomically, removing what it wrote when
anything fails).

Every text that came from a workbook (institution, evidence, comments, respondents) and every
rubric text is passed through :func:`vibbench.report.escape.md`, so it cannot break a table or
inject HTML. The output is GitHub-flavoured Markdown that pandoc also reads: a blank line around
every heading, paragraph, list and table; every table row with the header's column count; no raw
HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from vibbench.io import write_atomic
from vibbench.report.charts import CHARTS, chart_files, chart_title
from vibbench.report.common import DASH, answer_text, fmt, horizon, pct
from vibbench.report.escape import md
from vibbench.rubric.model import HORIZONS, Indicator
from vibbench.scoring.result import IndicatorResult, NodeResult, RecommendationResult, Result
from vibbench.text import T, Text

__all__ = ["RenderedReport", "build_report", "render_report", "save_report", "write_report"]

EVIDENCE_CHARS = 100
"""Evidence is shortened to this many characters in the indicator tables."""

# Every fixed text of the report, in both languages.
_T: dict[str, Text] = {
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
    "sum_overall": T(
        "Overall {score} against VIB's {ref} — {band}. The gap is {gap} points; {cov} of the rubric's "
        "weight was answered.",
        "总分 {score}，VIB 为 {ref}，处于「{band}」阶段。差距 {gap} 分；已回答框架权重的 {cov}。",
    ),
    "sum_none": T(
        "No indicator was answered, so there is no overall score.",
        "没有回答任何指标，因此没有总分。",
    ),
    "sum_gaps": T(
        "{n}: {items}. Together they cost {sum} of the {gap} points.",
        "{n}：{items}。合计 {sum} 分（总差距 {gap} 分）。",
    ),
    "sum_gap_item": T("{ind} ({pts} points)", "{ind}（{pts} 分）"),
    "sum_no_gaps": T("No indicator falls short of VIB.", "没有低于 VIB 的指标。"),
    "sum_pillars": T(
        "Strongest pillar: {best} ({bs}); weakest: {worst} ({ws}).",
        "最强支柱：{best}（{bs}）；最弱支柱：{worst}（{ws}）。",
    ),
    "sum_plan": T(
        "The roadmap below lists {n} reform steps (quick wins: {q}); data-quality notes: {w}.",
        "下文路线图列出 {n} 项改革措施（近期见效：{q} 项）；数据质量提示：{w} 条。",
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
    "band": T("Band", "等级"),
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
    "no_answers": T("no answers", "无回答"),
    # Charts
    "h_charts": T("Charts", "图表"),
    "no_charts": T("Charts were not drawn (`--no-charts`).", "未绘制图表（使用了 `--no-charts`）。"),
    # Pillar sections
    "h_pillar": T("Pillar {id}: {name}", "支柱 {id}：{name}"),
    "pillar_line": T(
        "Score {score} against VIB's {ref} (gap {gap}); coverage {cov}; band: {band}; "
        "{share} of the overall score.",
        "得分 {score}，VIB 为 {ref}（差距 {gap}）；覆盖率 {cov}；等级：{band}；占总分 {share}。",
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
        "Recommendations for the {top} indicators with the highest priority (`--top`). Points: the "
        "points of overall score the indicator costs against VIB (its priority).",
        "以下为优先度最高的 {top} 个指标（`--top`）的建议。分值：该指标相对 VIB 失去的总分分数（即优先度）。",
    ),
    "recs_none": T("No recommendation for this theme.", "本主题暂无建议。"),
    "h_roadmap": T("Roadmap", "改革路线图"),
    "roadmap_intro": T(
        "The recommendations laid out by horizon and reform theme. Each step names the indicator, its "
        "current answer and the next target (for a level: the next level up to VIB's; for a number or "
        "yes/no: VIB's value), and the points of overall score that reaching VIB's answer recovers "
        "(the indicator's priority).",
        "按周期与改革主题排列的建议。每一步列出指标、当前回答与下一目标（等级型：上一级，最高至 VIB 的等级；"
        "数值型或是否型：VIB 的数值），以及达到 VIB 水平可收回的总分分数（即该指标的优先度）。",
    ),
    "roadmap_empty": T("Nothing in this horizon.", "此周期暂无措施。"),
    "h_quick_win": T("Quick wins", "近期见效"),
    "h_medium": T("1–3 years", "1–3 年"),
    "h_structural": T("Structural", "结构性改革"),
    "next_level": T("next level; VIB: {ref}", "下一级；VIB：{ref}"),
    "vib_level": T("VIB's level", "VIB 的等级"),
    "vib_value": T("VIB's value", "VIB 的数值"),
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
        "weights renormalised (`--missing exclude`).",
        "权重为同级之间的相对权重；未回答的指标被排除，同级权重重新归一化（`--missing exclude`）。",
    ),
    "method_zero": T(
        "Weights are relative among siblings; unanswered indicators score 0 and nothing is renormalised "
        "(`--missing zero`).",
        "权重为同级之间的相对权重；未回答的指标计 0 分，不重新归一化（`--missing zero`）。",
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
        "的差距，即它使总分损失的分数。等级：{bands}。",
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
    "p_missing": T("Missing answers (`--missing`)", "缺失处理（`--missing`）"),
    "p_aggregation": T("Aggregation (`--aggregation`)", "汇总方式（`--aggregation`）"),
    "p_top": T("Recommendations for the top (`--top`)", "建议覆盖的优先项数（`--top`）"),
    "p_lang": T("Language (`--lang`)", "语言（`--lang`）"),
    "p_generated": T("Generated", "生成日期"),
}

_LARGEST = {
    "en": {1: "The largest gap", 2: "The two largest gaps", 3: "The three largest gaps"},
    "zh": {1: "差距最大的一项", 2: "差距最大的两项", 3: "差距最大的三项"},
}

_QUALITY_ORDER = (
    "disagreement",
    "unsupported_claim",
    "inconsistent",
    "rubric_drift",
    "removed_indicator",
    "low_coverage",
)


class _Doc:
    """Markdown blocks, each separated from the next by one blank line."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.blocks: list[str] = []

    def t(self, key: str, **kwargs: object) -> str:
        text = _T[key].get(self.lang)
        return text.format(**kwargs) if kwargs else text

    def label(self, text: str) -> str:
        """A bold label before its value: ``**Label:**`` (a full-width colon in Chinese)."""
        return f"**{text}：**" if self.lang == "zh" else f"**{text}:**"

    def paren(self, text: str) -> str:
        """`` (text)`` in English, ``（text）`` in Chinese."""
        return f"（{text}）" if self.lang == "zh" else f" ({text})"

    def heading(self, level: int, text: str) -> None:
        self.blocks.append("#" * level + " " + text)

    def para(self, text: str) -> None:
        self.blocks.append(text)

    def bullets(self, items: Sequence[str]) -> None:
        self.blocks.append("\n".join(f"- {item}" for item in items))

    def table(self, header: Sequence[str], align: str, rows: Sequence[Sequence[str]]) -> None:
        """``align``: one letter per column, ``l`` or ``r``."""
        if len(align) != len(header) or any(len(row) != len(header) for row in rows):
            raise ValueError("every table row must have the header's column count")
        rule = ["---:" if a == "r" else "---" for a in align]
        lines = [_row(header), _row(rule)] + [_row(row) for row in rows]
        self.blocks.append("\n".join(lines))

    def text(self) -> str:
        return "\n\n".join(self.blocks) + "\n"


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(c if c.strip() else DASH for c in cells) + " |"


def _pct1(v: float) -> str:
    return f"{v * 100:.1f}%"


def _name(node: NodeResult | IndicatorResult, lang: str) -> str:
    text = node.indicator.name if isinstance(node, IndicatorResult) else node.name
    return f"{md(node.id)} {md(text.get(lang))}"


def _band(node: NodeResult, lang: str) -> str:
    return md(node.band.name.get(lang)) if node.band else DASH


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
    return md(_shorten("; ".join(parts))) if parts else DASH


def render_report(
    result: Result,
    lang: str = "en",
    charts: dict[str, str] | None = None,
    *,
    version: str,
    generated: str,
) -> str:
    """The whole report as Markdown.

    ``charts``: chart name (``pillars``, ``dimensions``) → the image's path relative to the report,
    with ``/`` between folders and not URL-encoded (it is encoded here); None when not drawn.
    """
    doc = _Doc(lang)
    _title(doc, result, generated)
    _summary(doc, result)
    _pillars(doc, result)
    _charts(doc, charts)
    for pillar in result.pillars:
        _pillar(doc, result, pillar)
    _recommendations(doc, result)
    _roadmap(doc, result)
    _quality(doc, result)
    _appendix(doc, result, version, generated)
    return doc.text()


@dataclass(frozen=True)
class RenderedReport:
    """A report ready to write: the Markdown and its chart files, nothing written yet."""

    text: str
    files: dict[str, bytes]
    """Path relative to the report's folder (``<stem>_charts/pillars.svg``) → the file's bytes."""


def build_report(result: Result, output: Path, *, lang: str = "en", charts: bool = True) -> RenderedReport:
    """The report to be written at ``output`` and its charts (in ``<report stem>_charts/``,
    linked relatively), as data: this writes nothing, so a run that fails leaves nothing behind."""
    import datetime

    from vibbench import __version__

    output = Path(output)
    files: dict[str, bytes] = {}
    links: dict[str, str] | None = None
    if charts:
        folder = f"{output.stem}_charts"
        for name, data in chart_files(result, lang).items():
            files[f"{folder}/{name}.svg"] = data
        links = {name: f"{folder}/{name}.svg" for name in CHARTS}
    text = render_report(
        result,
        lang,
        links,
        version=__version__,
        generated=datetime.date.today().isoformat(),
    )
    return RenderedReport(text, files)


def write_report(result: Result, output: Path, *, lang: str = "en", charts: bool = True) -> None:
    """For library use: :func:`build_report`, then :func:`save_report`."""
    save_report(build_report(result, output, lang=lang, charts=charts), Path(output))


def save_report(report: RenderedReport, output: Path) -> None:
    """Write the chart files, then the report, each atomically. When anything fails, the chart
    files written and a charts folder this created are removed again."""
    import shutil

    made: list[Path] = []
    written: list[Path] = []
    try:
        if report.files and not output.parent.is_dir():
            write_atomic(output, report.text)  # says, in one line, that the folder does not exist
        for rel, data in report.files.items():
            target = output.parent / rel
            if not target.parent.is_dir():
                target.parent.mkdir()
                made.append(target.parent)
            write_atomic(target, data)
            written.append(target)
        write_atomic(output, report.text)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        for folder in made:
            shutil.rmtree(folder, ignore_errors=True)
        raise


# --------------------------------------------------------------------------- sections


def _title(doc: _Doc, result: Result, generated: str) -> None:
    a, rubric, lang = result.assessment, result.rubric, doc.lang
    name = md(a.name) if a.name.strip() else doc.t("unnamed")
    doc.heading(1, doc.t("title", name=name))
    items = [f"{doc.label(doc.t('institution'))} {name}"]
    for key in ("country", "type", "year", "date"):
        raw = a.institution.get(key)
        value = "" if raw is None else str(raw)
        if value.strip():
            items.append(f"{doc.label(doc.t(key))} {md(value)}")
    items.append(
        f"{doc.label(doc.t('rubric'))} {md(rubric.title.get(lang))}"
        + doc.paren(f"{md(rubric.id)} {md(rubric.version)}")
    )
    items.append(f"{doc.label(doc.t('generated'))} {md(generated)}")
    doc.bullets(items)


def _summary(doc: _Doc, result: Result) -> None:
    o, lang = result.overall, doc.lang
    doc.heading(2, doc.t("h_summary"))
    if o.score is None:
        doc.para(doc.t("sum_none"))
        return
    band = o.band.name.get(lang) if o.band else DASH
    if lang == "en":
        band = band.lower()
    sentences = [
        doc.t(
            "sum_overall",
            score=fmt(o.score),
            ref=fmt(o.reference),
            band=md(band),
            gap=fmt(o.gap),
            cov=pct(o.coverage),
        )
    ]
    top = result.top_priorities(3)
    if top:
        items = ", " if lang == "en" else "、"
        listed = items.join(doc.t("sum_gap_item", ind=_name(r, lang), pts=fmt(r.priority, 2)) for r in top)
        sentences.append(
            doc.t(
                "sum_gaps",
                n=_LARGEST["zh" if lang == "zh" else "en"][len(top)],
                items=listed,
                sum=fmt(sum(r.priority for r in top), 2),
                gap=fmt(o.gap),
            )
        )
    else:
        sentences.append(doc.t("sum_no_gaps"))
    scored = [p for p in result.pillars if p.score is not None]
    if len(scored) > 1:
        best = max(scored, key=lambda p: p.score or 0.0)
        worst = min(scored, key=lambda p: p.score or 0.0)
        if best is not worst:
            sentences.append(
                doc.t(
                    "sum_pillars",
                    best=_name(best, lang),
                    bs=fmt(best.score),
                    worst=_name(worst, lang),
                    ws=fmt(worst.score),
                )
            )
    quick = sum(1 for rec in result.recommendations if rec.horizon == "quick_win")
    sentences.append(doc.t("sum_plan", n=len(result.recommendations), q=quick, w=len(result.warnings)))
    doc.para(" ".join(sentences) if lang == "en" else "".join(sentences))


def _pillars(doc: _Doc, result: Result) -> None:
    lang = doc.lang
    doc.heading(2, doc.t("h_pillars"))
    rows = [
        [_name(p, lang), fmt(p.score), fmt(p.reference), fmt(p.gap), pct(p.coverage), _band(p, lang)]
        for p in result.pillars
    ]
    o = result.overall
    rows.append(
        [
            f"**{md(o.name.get(lang))}**",
            fmt(o.score),
            fmt(o.reference),
            fmt(o.gap),
            pct(o.coverage),
            _band(o, lang),
        ]
    )
    header = [doc.t(k) for k in ("pillar", "score", "vib", "gap", "coverage", "band")]
    doc.table(header, "lrrrrl", rows)


def _charts(doc: _Doc, charts: dict[str, str] | None) -> None:
    doc.heading(2, doc.t("h_charts"))
    if charts is None:
        doc.para(doc.t("no_charts"))
        return
    for name in CHARTS:
        if name in charts:
            doc.para(f"![{md(chart_title(name, doc.lang))}]({quote(charts[name], safe='/')})")


def _pillar(doc: _Doc, result: Result, p: NodeResult) -> None:
    lang, rubric = doc.lang, result.rubric
    pname = md(p.name.get(lang))
    doc.heading(2, doc.t("h_pillar", id=md(p.id), name=pname))
    if p.score is None:
        doc.para(doc.t("pillar_none"))
    else:
        doc.para(
            doc.t(
                "pillar_line",
                score=fmt(p.score),
                ref=fmt(p.reference),
                gap=fmt(p.gap),
                cov=pct(p.coverage),
                band=_band(p, lang),
                share=_pct1(p.weight),
            )
        )
    doc.heading(3, doc.t("h_dims", name=pname))
    dims = [d for d in result.dimensions if d.pillar == p.id]
    doc.table(
        [doc.t(k) for k in ("dimension", "score", "vib", "gap", "coverage", "weight")],
        "lrrrrr",
        [
            [_name(d, lang), fmt(d.score), fmt(d.reference), fmt(d.gap), pct(d.coverage), _pct1(d.weight)]
            for d in dims
        ],
    )
    doc.heading(3, doc.t("h_inds", name=pname))
    rows = []
    for r in result.indicators:
        ind = r.indicator
        if ind.pillar != p.id:
            continue
        rows.append(
            [
                _name(r, lang),
                _answer(doc, result, r),
                fmt(r.score),
                md(answer_text(rubric, ind, ind.reference, lang)),
                fmt(r.reference),
                fmt(r.gap),
                _evidence(r),
            ]
        )
    doc.table(
        [doc.t(k) for k in ("indicator", "answer", "score", "vib_answer", "vib_score", "gap", "evidence")],
        "llrlrrl",
        rows,
    )


def _answer(doc: _Doc, result: Result, r: IndicatorResult) -> str:
    text = md(answer_text(result.rubric, r.indicator, r.answer, doc.lang))
    if len(r.answers) > 1:
        text += doc.paren(doc.t("median", n=len(r.answers), s=f"{r.spread or 0:g}"))
    return text


def _themes(result: Result) -> list[str]:
    """The rubric's themes in order, then any other theme a recommendation names."""
    out = list(result.rubric.themes)
    out += [rec.theme for rec in result.recommendations if rec.theme not in out]
    return list(dict.fromkeys(out))


def _theme_name(result: Result, theme: str, lang: str) -> str:
    text = result.rubric.themes.get(theme)
    return md(text.get(lang) if text else theme)


def _horizon_name(doc: _Doc, hz: str) -> str:
    """The plural heading of a horizon ("Quick wins")."""
    key = f"h_{hz}"
    return doc.t(key) if key in _T else md(hz)


def _recommendations(doc: _Doc, result: Result) -> None:
    lang = doc.lang
    indicators = {r.id: r for r in result.indicators}
    doc.heading(2, doc.t("h_recs"))
    doc.para(doc.t("recs_intro", top=result.options.top))
    for theme in _themes(result):
        doc.heading(3, _theme_name(result, theme, lang))
        recs = [rec for rec in result.recommendations if rec.theme == theme]
        if not recs:
            doc.para(doc.t("recs_none"))
            continue
        doc.table(
            [doc.t(k) for k in ("indicator", "horizon", "points", "recommendation")],
            "llrl",
            [
                [
                    _name(indicators[rec.indicator], lang),
                    md(horizon(rec.horizon, lang)),
                    fmt(rec.priority, 2),
                    md(rec.text.get(lang)),
                ]
                for rec in recs
            ],
        )


def _roadmap(doc: _Doc, result: Result) -> None:
    lang = doc.lang
    indicators = {r.id: r for r in result.indicators}
    themes = _themes(result)
    doc.heading(2, doc.t("h_roadmap"))
    doc.para(doc.t("roadmap_intro"))
    horizons = list(HORIZONS) + sorted({rec.horizon for rec in result.recommendations} - set(HORIZONS))
    for hz in horizons:
        doc.heading(3, _horizon_name(doc, hz))
        recs: list[tuple[int, int, RecommendationResult]] = [
            (themes.index(rec.theme), n, rec)
            for n, rec in enumerate(result.recommendations)
            if rec.horizon == hz
        ]
        if not recs:
            doc.para(doc.t("roadmap_empty"))
            continue
        recs.sort(key=lambda t: (t[0], t[1]))
        doc.table(
            [doc.t(k) for k in ("theme", "indicator", "now_next", "points", "action")],
            "lllrl",
            [
                [
                    _theme_name(result, rec.theme, lang),
                    _name(indicators[rec.indicator], lang),
                    _next_target(doc, result, indicators[rec.indicator]),
                    fmt(rec.priority, 2),
                    md(rec.text.get(lang)),
                ]
                for _, _, rec in recs
            ],
        )


def _next_target(doc: _Doc, result: Result, r: IndicatorResult) -> str:
    """The current answer → the next target: the next level up to VIB's, or VIB's value."""
    rubric, ind, lang = result.rubric, r.indicator, doc.lang
    now = md(answer_text(rubric, ind, r.answer, lang)) if r.answer is not None else doc.t("not_answered")
    ref_text = md(answer_text(rubric, ind, ind.reference, lang))
    if ind.type == "level":
        target = _next_level(ind, r.answer, rubric.scale.min)
        if target < ind.reference:
            nxt = md(answer_text(rubric, ind, target, lang))
            return f"{now} → {nxt}" + doc.paren(doc.t("next_level", ref=ref_text))
        return f"{now} → {ref_text}" + doc.paren(doc.t("vib_level"))
    return f"{now} → {ref_text}" + doc.paren(doc.t("vib_value"))


def _next_level(ind: Indicator, answer: float | None, smin: int) -> float:
    if answer is None:
        return float(min(smin + 1, ind.reference))
    return float(min(int(answer) + 1, ind.reference))


def _quality(doc: _Doc, result: Result) -> None:
    lang, o = doc.lang, result.overall
    doc.heading(2, doc.t("h_quality"))
    sep = ", " if lang == "en" else "，"
    per_pillar = sep.join(f"{_name(p, lang)} {pct(p.coverage)}" for p in result.pillars)
    answered = sum(1 for r in result.indicators if r.answered)
    items = [
        doc.label(doc.t("q_coverage"))
        + " "
        + doc.t(
            "q_coverage_text",
            cov=pct(o.coverage),
            pillars=per_pillar,
            n=answered,
            total=len(result.indicators),
        )
    ]
    codes = list(_QUALITY_ORDER) + sorted({w.code for w in result.warnings} - set(_QUALITY_ORDER))
    for code in codes:
        key = f"q_{code}"
        label = doc.t(key) if key in _T else md(code)
        found = [w for w in result.warnings if w.code == code]
        if not found:
            items.append(f"{doc.label(label)} {doc.t('none')}")
        items += [f"{doc.label(label)} {md(w.message.get(lang))}" for w in found]
    doc.bullets(items)


def _appendix(doc: _Doc, result: Result, version: str, generated: str) -> None:
    lang, rubric, opts, a = doc.lang, result.rubric, result.options, result.assessment
    doc.heading(2, doc.t("h_appendix"))
    doc.heading(3, doc.t("h_method"))
    sep = "; " if lang == "en" else "；"
    bands = sep.join(doc.t("band_from", name=md(b.name.get(lang)), min=f"{b.min:g}") for b in rubric.bands)
    sentences = [
        doc.t("method_norm", smin=rubric.scale.min, smax=rubric.scale.max),
        doc.t("method_zero" if opts.missing == "zero" else "method_exclude"),
        doc.t("method_geometric" if opts.aggregation == "geometric" else "method_arithmetic"),
        doc.t("method_rest", bands=bands),
    ]
    doc.para((" " if lang == "en" else "").join(sentences))

    doc.heading(3, doc.t("h_weights"))
    raw = {p.id: p.weight for p in rubric.pillars}
    raw.update({d.id: d.weight for d in rubric.dimensions()})
    rows = []
    for p in result.pillars:
        rows.append([f"**{_name(p, lang)}**", f"{raw.get(p.id, 0.0):g}", _pct1(p.weight), _pct1(p.weight)])
        for d in result.dimensions:
            if d.pillar == p.id:
                rows.append(
                    [_name(d, lang), f"{raw.get(d.id, 0.0):g}", _pct1(d.weight), _pct1(d.weight * p.weight)]
                )
    doc.table([doc.t(k) for k in ("w_node", "w_rubric", "w_siblings", "w_overall")], "lrrr", rows)

    doc.heading(3, doc.t("h_provenance"))
    doc.table(
        [doc.t("item"), doc.t("value")],
        "ll",
        [
            [doc.t("p_rubric_id"), md(rubric.id)],
            [doc.t("p_rubric_version"), md(rubric.version)],
            [doc.t("p_rubric_hash"), _code(rubric.content_hash)],
            [doc.t("p_input"), md(Path(a.path).name) if a.path else DASH],
            [doc.t("p_input_hash"), _code(a.sha256)],
            [doc.t("p_version"), md(version)],
            [doc.t("p_missing"), md(opts.missing)],
            [doc.t("p_aggregation"), md(opts.aggregation)],
            [doc.t("p_top"), str(opts.top)],
            [doc.t("p_lang"), md(lang)],
            [doc.t("p_generated"), md(generated)],
        ],
    )


def _code(text: str) -> str:
    """A hash as a code span (hex only; anything else is escaped as text)."""
    if text and all(c in "0123456789abcdefABCDEF" for c in text):
        return f"`{text}`"
    return md(text) if text else DASH
