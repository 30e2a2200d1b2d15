"""SPEC §7 (v2): the commission's cohort report (``compare --format markdown|html``) as a document.

The ranking with coverage and the ``--missing`` rule stated, and VIB's row for each profile present;
dimension scores × institutions as a heat map (shaded cells in HTML, the table plus a heat-map
figure in Markdown); the shared gaps — indicators by how many institutions have them among their top
priorities and the points they cost across the cohort, with the recommendation texts — where one
provincial policy acts on many institutes at once; data quality per institution; progress over years.
Written by the same writers as the report (:mod:`vibbench.report.write_markdown`, ``write_html``).
"""

from __future__ import annotations

from collections.abc import Sequence

from vibbench.report.board import clean
from vibbench.report.common import DASH, fmt, pct
from vibbench.report.docmodel import Bullets, Column, Document, Figure, Heading, PageBreak, Paragraph, Table
from vibbench.rubric.model import Rubric
from vibbench.scoring.cohort import data_quality, dimension_matrix, shared_gaps
from vibbench.scoring.engine import reference_result
from vibbench.scoring.ranking import progress
from vibbench.scoring.result import Result
from vibbench.text import T, Text

SHARED_TOP = 5
"""An indicator counts for an institution when it is among its five highest priorities."""

TEXTS: dict[str, Text] = {
    "title": T("Cohort report: {title}", "对标比较报告：{title}"),
    "intro": T(
        "{n} institutions scored against rubric {rubric}. {missing}",
        "共 {n} 家机构按评估框架 {rubric} 计分。{missing}",
    ),
    "missing_zero": T(
        "Unanswered indicators score 0 (`--missing zero`), so leaving an answer blank never raises a "
        "score or a rank; indicators that do not apply to an institution's profile, or are legitimately "
        "N/A, are left out.",
        "未作答的指标计 0 分（`--missing zero`），留空不会提高得分或排名；不适用于该机构类别或合规填写"
        "“不适用”的指标不计入。",
    ),
    "missing_exclude": T(
        "Unanswered indicators are left out and the weights of the answered ones renormalised "
        "(`--missing exclude`): compare the coverage column before the ranks.",
        "未作答的指标不计入，已答指标的权重重新归一化（`--missing exclude`）：比较排名前请先看覆盖率一列。",
    ),
    "h_ranking": T("Ranking", "排名"),
    "rank": T("Rank", "排名"),
    "institution": T("Institution", "机构"),
    "year": T("Year", "年份"),
    "overall": T("Overall", "总分"),
    "band": T("Band", "阶段"),
    "coverage": T("Coverage", "覆盖率"),
    "reference_row": T("{name} (reference, {profile})", "{name}（参照，{profile}）"),
    "h_heat": T("Dimension scores × institutions", "各维度得分 × 机构"),
    "heat_intro": T(
        "Each cell is the institution's score on the dimension (0–100); the last row is VIB's.",
        "每格为该机构在该维度上的得分（0–100）；最后一行为 VIB。",
    ),
    "h_shared": T("Shared gaps", "共性短板"),
    "shared_intro": T(
        "Indicators by how many institutions have them among their {top} highest priorities, then by the "
        "points of overall score they cost across the cohort: where one provincial policy acts on many "
        "institutes at once.",
        "按有多少家机构将其列入前 {top} 位优先事项、再按其在全体机构中造成的总分损失排序：一项省级政策可同时惠及多家机构之处。",
    ),
    "indicator": T("Indicator", "指标"),
    "institutions": T("Institutions", "机构数"),
    "points": T("Points across the cohort", "全体总分损失"),
    "recommendations": T("Recommendations", "建议"),
    "none": T("No indicator falls short of VIB in any institution.", "所有机构均无低于 VIB 的指标。"),
    "h_quality": T("Data quality", "数据质量"),
    "claims": T("Claims without evidence", "缺少佐证"),
    "disagreements": T("Disagreements", "意见分歧"),
    "implausible": T("Implausible values", "数值可疑"),
    "inconsistent": T("Failed checks", "未通过校验"),
    "na": T("N/A", "不适用"),
    "h_progress": T("Progress over years", "逐年进展"),
    "h_warnings": T("Warnings", "提示"),
    "from_to": T("Years", "年份"),
    "change": T("Δ overall", "总分变化"),
    "movers": T("Moved most", "变化最大的指标"),
    "no_progress": T("No institution appears with two years.", "没有机构提供两个年度的自评。"),
}


def _t(key: str, lang: str, **kw: object) -> str:
    text = TEXTS[key].get(lang)
    return text.format(**kw) if kw else text


def _signed(v: float | None) -> str:
    return DASH if v is None else f"{v:+.1f}"


def build_cohort(
    ranked: Sequence[tuple[Result, int | None]],
    rubric: Rubric,
    lang: str,
    missing: str,
    *,
    generated: str,
    heat_figure: Figure | None = None,
    warnings: Sequence[tuple[str, str, str]] = (),
) -> Document:
    """The cohort report. ``warnings``: (institution, code, message) lines shown in their own
    section — the ``low_coverage`` and ``rubric_drift`` warnings that compare's JSON carries."""
    results = [r for r, _ in ranked]
    doc = Document(_t("title", lang, title=rubric.title.get(lang)), lang, generated)
    doc.add(
        Heading(1, doc.title, "title"),
        Paragraph.of(
            _t(
                "intro",
                lang,
                n=len(results),
                rubric=f"{rubric.id} {rubric.version}",
                missing=_t("missing_zero" if missing == "zero" else "missing_exclude", lang),
            )
        ),
    )
    # ranking, with VIB over the whole tree of each profile present
    cols = (
        Column(_t("rank", lang), "number"),
        Column(_t("institution", lang), "name"),
        Column(_t("year", lang), "number"),
        *(Column(f"{p.id} {p.name.get(lang)}", "number") for p in rubric.pillars),
        Column(_t("overall", lang), "number"),
        Column(_t("band", lang), "text"),
        Column(_t("coverage", lang), "number"),
    )
    rows = [
        (
            DASH if rank is None else str(rank),
            clean(r.assessment.name),
            str(r.assessment.year or DASH),
            *(fmt(p.score) for p in r.pillars),
            fmt(r.overall.score),
            r.overall.band.name.get(lang) if r.overall.band else DASH,
            pct(r.overall.coverage),
        )
        for r, rank in ranked
    ]
    profiles = sorted({r.assessment.profile or rubric.default_profile or "" for r in results}) or [""]
    for profile in profiles:
        ref = reference_result(
            rubric, profile or None, results[0].options.aggregation if results else "arithmetic"
        )
        pname = rubric.profile(profile).name.get(lang) if rubric.profile(profile) else rubric.id  # type: ignore[union-attr]
        rows.append(
            (
                "",
                _t("reference_row", lang, name=rubric.reference_name.get(lang), profile=pname),
                "",
                *(fmt(p.reference) for p in ref.pillars),
                fmt(ref.overall.reference),
                "",
                "",
            )
        )
    doc.add(Heading(2, _t("h_ranking", lang), "ranking"), Table(cols, tuple(rows)))
    # dimensions × institutions
    matrix = dimension_matrix(results)
    heat_cols = (Column(_t("institution", lang), "name"), *(Column(c.id, "number") for c in matrix.columns))
    heat_rows = [
        (clean(row.name) + (f" {row.year}" if row.year else ""), *(fmt(s) for s in row.scores))
        for row in matrix.rows
    ]
    heat_rows.append((rubric.reference_name.get(lang), *(fmt(c.reference) for c in matrix.columns)))
    doc.add(
        PageBreak(),
        Heading(2, _t("h_heat", lang), "heat"),
        Paragraph.of(
            _t("heat_intro", lang) + " " + " · ".join(f"{c.id} {c.name.get(lang)}" for c in matrix.columns)
        ),
        Table(heat_cols, tuple(heat_rows), heat=frozenset(range(1, len(heat_cols)))),
    )
    if heat_figure is not None:
        doc.add(heat_figure)
    # shared gaps
    gaps = shared_gaps(results, SHARED_TOP)
    doc.add(
        PageBreak(),
        Heading(2, _t("h_shared", lang), "shared"),
        Paragraph.of(_t("shared_intro", lang, top=SHARED_TOP)),
    )
    if gaps:
        n = len(results)
        doc.add(
            Table(
                (
                    Column(_t("indicator", lang), "name"),
                    Column(_t("institutions", lang), "number"),
                    Column(_t("points", lang), "number"),
                    Column(_t("recommendations", lang), "long"),
                ),
                tuple(
                    (
                        f"{g.indicator} {g.name.get(lang)}",
                        f"{g.count}/{n}",
                        fmt(g.total_points, 1),
                        " ".join(t.get(lang) for t in g.recommendations),
                    )
                    for g in gaps
                ),
            )
        )
    else:
        doc.add(Paragraph.of(_t("none", lang)))
    # data quality
    dq_rows = []
    for r in results:
        q = data_quality(r)
        dq_rows.append(
            (
                clean(q.name) + (f" {q.year}" if q.year else ""),
                pct(q.coverage) + (" ⚠" if q.low_coverage else ""),
                str(q.unsupported_claims),
                str(q.disagreements),
                str(q.implausible),
                str(q.inconsistent),
                str(q.not_applicable),
            )
        )
    doc.add(
        Heading(2, _t("h_quality", lang), "quality"),
        Table(
            (
                Column(_t("institution", lang), "name"),
                *(
                    Column(_t(k, lang), "number")
                    for k in ("coverage", "claims", "disagreements", "implausible", "inconsistent", "na")
                ),
            ),
            tuple(dq_rows),
        ),
    )
    if warnings:
        doc.add(
            Heading(2, _t("h_warnings", lang), "warnings"),
            Bullets(
                tuple(Paragraph.of(f"{code} {message}", label=clean(who)) for who, code, message in warnings)
            ),
        )
    # progress
    steps = progress(results)
    doc.add(Heading(2, _t("h_progress", lang), "progress"))
    if not steps:
        doc.add(Paragraph.of(_t("no_progress", lang)))
    else:
        doc.add(
            Table(
                (
                    Column(_t("institution", lang), "name"),
                    Column(_t("from_to", lang), "text"),
                    *(Column(p.id, "number") for p in rubric.pillars),
                    Column(_t("change", lang), "number"),
                    Column(_t("movers", lang), "long"),
                ),
                tuple(
                    (
                        clean(s.name),
                        f"{s.year_from} → {s.year_to}",
                        *(_signed(s.pillars.get(p.id)) for p in rubric.pillars),
                        _signed(s.overall),
                        ", ".join(f"{i} {d:+.0f}" for i, d in s.movers) or DASH,
                    )
                    for s in steps
                ),
            )
        )
    return doc
