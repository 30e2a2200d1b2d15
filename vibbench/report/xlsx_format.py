"""``--format xlsx`` (SPEC §7): workbooks for people who live in Excel and WPS.

Pure functions from results to xlsx bytes. XlsxWriter is imported only inside them, so ``vibbench
--help`` and ``vibbench score`` never load it. Every sheet is a table: notes (if any) above a bold
header row that is frozen and filtered, numbers stored as numbers and shown to one decimal,
widths fitted to the text (a CJK character counts two), a colour scale on scores and gaps.

Text from a workbook or a rubric is never stored as a formula or a link: the workbook is made
with XlsxWriter's ``strings_to_formulas``, ``strings_to_urls`` and ``strings_to_numbers`` off,
and every string is written with ``write_string`` (a shared string, whatever it starts with).
XlsxWriter writes 1,000 institutions several times faster than openpyxl's per-cell objects
(issue 15: ``compare --format xlsx`` within 1.5× of ``--format json``), and the bytes depend on
the input only (a fixed creation date; in memory, XlsxWriter dates every zip entry 1980-01-01).
"""

from __future__ import annotations

import contextlib
import gc
import math
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from vibbench.report.common import DASH, answer_text, horizon, label
from vibbench.rubric.model import Rubric
from vibbench.scoring.cohort import (
    RankSpan,
    cohort_verdict,
    data_quality,
    dimension_matrix,
    rank_verdict,
    shared_gaps,
)
from vibbench.scoring.result import Result
from vibbench.text import T, Text

if TYPE_CHECKING:
    from vibbench.scoring.sensitivity import Analysis

ONE_DECIMAL = "0.0"
SIGNED = "+0.0;-0.0;0.0"
PERCENT = "0%"
WHOLE = "0"
MAX_WIDTH = 60
MIN_WIDTH = 6
MAX_CELL_TEXT = 32767
"""Excel's limit on the characters of one cell."""
PIXELS_PER_CHARACTER = 7
"""The width of a digit in Excel's default font (Calibri 11), in pixels: a column ``n`` characters
wide is ``7 n`` pixels, which XlsxWriter stores as ``<col width="n">``."""
FIXED_TIME = datetime(2026, 1, 1)
"""The workbooks' creation date (the same as the template's), so equal inputs give equal bytes."""
ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
"""Control characters XML 1.0 cannot hold (openpyxl's ``ILLEGAL_CHARACTERS_RE``): dropped."""

SHEETS: dict[str, Text] = {
    "summary": T("Summary", "概览"),
    "pillars": T("Pillars", "支柱"),
    "dimensions": T("Dimensions", "维度"),
    "indicators": T("Indicators", "指标"),
    "recommendations": T("Recommendations", "建议"),
    "warnings": T("Warnings", "提示"),
    "ranking": T("Ranking", "排名"),
    "matrix": T("Dimensions × institutions", "维度 × 机构"),
    "shared_gaps": T("Shared gaps", "共性差距"),
    "quality": T("Data quality", "数据质量"),
    "progress": T("Progress", "年度进展"),
    "sensitivity": T("Sensitivity", "敏感性"),
    "sens_priorities": T("Top priorities", "优先项稳定性"),
}
"""Sheet names in both languages (each within Excel's 31 characters)."""

H: dict[str, Text] = {
    "item": T("Item", "项目"),
    "value": T("Value", "值"),
    "id": T("Id", "编号"),
    "name": T("Name", "名称"),
    "type": T("Type", "类型"),
    "share_siblings": T("Share among siblings", "同级占比"),
    "evidence": T("Evidence", "佐证材料"),
    "comment": T("Comment", "备注"),
    "code": T("Warning", "提示类型"),
    "message": T("Message", "内容"),
    "count": T("Institutions with it in their top priorities", "列入优先事项的机构数"),
    "share": T("Share of institutions", "机构占比"),
    "total_points": T("Points lost across the cohort", "全体机构合计失分"),
    "mean_points": T("Mean points per institution", "平均每家机构失分"),
    "recommendations": T("Recommendations", "建议"),
    "unsupported": T("Claims without evidence", "缺少佐证的自评"),
    "disagreements": T("Respondents disagree", "答题人意见分歧"),
    "implausible": T("Implausible values", "数值不合理"),
    "inconsistent": T("Failed consistency checks", "未通过一致性检查"),
    "not_applicable": T("Answered N/A", "填写“不适用”"),
    "low_coverage": T("Low coverage", "覆盖率偏低"),
    "from": T("From", "起始年份"),
    "to": T("To", "截止年份"),
    "delta_overall": T("Δ overall", "总分变化"),
    "movers": T("Moved most", "变化最大的指标"),
    "score_p5": T("Overall p5", "总分 p5"),
    "score_p50": T("Overall p50", "总分 p50"),
    "score_p95": T("Overall p95", "总分 p95"),
    "rank_p5": T("Rank p5", "排名 p5"),
    "rank_p50": T("Rank p50", "排名 p50"),
    "rank_p95": T("Rank p95", "排名 p95"),
    "verdict": T("Verdict", "结论"),
    "kept": T("Share of samples kept among the top priorities", "保持在优先事项中的样本占比"),
    "missing": T("Missing answers (--missing)", "缺失处理（--missing）"),
    "aggregation": T("Aggregation (--aggregation)", "汇总方式（--aggregation）"),
    "rubric_version": T("Rubric version", "框架版本"),
    "vib": T("VIB (reference)", "VIB（参照）"),
    "yes": T("yes", "是"),
    "no": T("no", "否"),
}

MISSING_RULE: dict[str, Text] = {
    "exclude": T(
        "Missing answers (--missing exclude): unanswered indicators are left out and their siblings' "
        "weights renormalised.",
        "缺失处理（--missing exclude）：未回答的指标被排除，同级权重重新归一化。",
    ),
    "zero": T(
        "Missing answers (--missing zero): unanswered indicators score 0 and nothing is renormalised.",
        "缺失处理（--missing zero）：未回答的指标计 0 分，不重新归一化。",
    ),
}

WARNING_NAMES: dict[str, Text] = {
    "disagreement": T("Respondents disagree", "答题人意见分歧"),
    "unsupported_claim": T("Claim without evidence", "缺少佐证的自评"),
    "inconsistent": T("Failed consistency check", "未通过一致性检查"),
    "implausible": T("Implausible value", "数值不合理"),
    "not_applicable": T("N/A not allowed", "不允许填写“不适用”"),
    "low_coverage": T("Low coverage", "覆盖率偏低"),
    "rubric_drift": T("Rubric drift", "框架版本变化"),
    "removed_indicator": T("Removed indicator", "已删除的指标"),
}


AGGREGATION: dict[str, Text] = {
    "arithmetic": T(
        "weighted arithmetic mean (--aggregation arithmetic)", "加权算术平均（--aggregation arithmetic）"
    ),
    "geometric": T(
        "weighted geometric mean (--aggregation geometric)", "加权几何平均（--aggregation geometric）"
    ),
}


def missing_rule(missing: str, lang: str) -> str:
    """The sentence stating the ``--missing`` rule."""
    return MISSING_RULE.get(missing, Text(f"--missing {missing}")).get(lang)


# --- Tables ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fmt:
    """A number shown with its own number format (overriding the column's)."""

    value: float | int | None
    number_format: str


@dataclass
class Table:
    """One sheet: optional notes above a header row, then data rows."""

    title: str
    header: list[str]
    rows: list[list[Any]]
    formats: dict[int, str] = field(default_factory=dict)
    """Column index (0-based) → number format for its numbers (default ``0.0``)."""
    scores: list[int] = field(default_factory=list)
    """Columns of 0–100 scores: red (0) – yellow (50) – green (100)."""
    gaps: list[int] = field(default_factory=list)
    """Columns where more is worse (gaps, points lost): white (least) – red (most)."""
    wrap: list[int] = field(default_factory=list)
    """Columns of long text, wrapped."""
    notes: list[str] = field(default_factory=list)


def _display_width(text: str) -> int:
    if text.isascii():
        return max((len(line) for line in text.split("\n")), default=0)
    return max(
        (
            sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in line)
            for line in text.split("\n")
        ),
        default=0,
    )


def _shown(value: Any, number_format: str) -> str:
    """Roughly what Excel shows, for fitting widths."""
    if isinstance(value, Fmt):
        return _shown(value.value, value.number_format)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if number_format == PERCENT:
        return f"{value:.0%}"
    if number_format == WHOLE:
        return f"{value:.0f}"
    return f"{value:+.1f}" if number_format == SIGNED else f"{value:.1f}"


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS.sub("", text)[:MAX_CELL_TEXT]


def _number(v: Any) -> Any:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _column_width(table: Table, col: int) -> int:
    """The column's width in characters: its widest text as shown, plus a margin, within bounds."""
    number_format = table.formats.get(col, ONE_DECIMAL)
    widest = _display_width(table.header[col])
    numbers: list[float | int] = []
    for row in table.rows:
        if col >= len(row):
            continue
        value = row[col]
        if isinstance(value, str):
            widest = max(widest, _display_width(value))
        elif isinstance(value, Fmt):
            widest = max(widest, len(_shown(value, number_format)))
        elif value is not None and math.isfinite(value):
            numbers.append(value)
    if numbers:
        # a number shown in a fixed format is no narrower than a smaller one of the same sign: the
        # widest is the largest or the smallest (formatting 1,000 numbers to find it costs 30 ms)
        widest = max(widest, *(len(_shown(v, number_format)) for v in (max(numbers), min(numbers))))
    return min(MAX_WIDTH, max(MIN_WIDTH, widest + 2))


SCORE_SCALE: dict[str, Any] = {
    "type": "3_color_scale",
    "min_type": "num",
    "min_value": 0,
    "min_color": "#F8696B",
    "mid_type": "num",
    "mid_value": 50,
    "mid_color": "#FFEB84",
    "max_type": "num",
    "max_value": 100,
    "max_color": "#63BE7B",
}
"""0–100 scores: red (0) – yellow (50) – green (100)."""
GAP_SCALE: dict[str, Any] = {
    "type": "2_color_scale",
    "min_type": "min",
    "min_color": "#FFFFFF",
    "max_type": "max",
    "max_color": "#F8696B",
}
"""More is worse: white (the column's least) – red (its most)."""


class _Formats:
    """The workbook's cell formats, each made once (XlsxWriter keeps one record per object)."""

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.bold = wb.add_format({"bold": True})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self._numbers: dict[str, Any] = {}

    def number(self, number_format: str) -> Any:
        fmt = self._numbers.get(number_format)
        if fmt is None:
            fmt = self._numbers[number_format] = self.wb.add_format({"num_format": number_format})
        return fmt


def _write(wb: Any, formats: _Formats, table: Table) -> None:
    ws = wb.add_worksheet(table.title[:31])
    ncols = len(table.header)
    for col in range(ncols):
        ws.set_column_pixels(col, col, _column_width(table, col) * PIXELS_PER_CHARACTER)

    # printed: landscape, every column on one page wide, the header repeated on each page
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    head = len(table.notes)  # the header's row (0-based, as XlsxWriter counts)
    ws.repeat_rows(head)
    last = head + len(table.rows)
    if table.rows:
        ws.freeze_panes(head + 1, 0)
    ws.autofilter(head, 0, last, ncols - 1)
    if table.rows:
        for col in table.scores:
            ws.conditional_format(head + 1, col, last, col, SCORE_SCALE)
        for col in table.gaps:
            ws.conditional_format(head + 1, col, last, col, GAP_SCALE)

    # write_string, never write(): a text is a text, whatever it starts with ("=", "+", "http:")
    write_string, write_number = ws.write_string, ws.write_number
    for r, note in enumerate(table.notes):
        text = _clean(note)
        if text:
            write_string(r, 0, text)
    for col, h in enumerate(table.header):
        text = _clean(h)
        if text:
            write_string(head, col, text, formats.bold)
    column_formats = [formats.number(table.formats.get(col, ONE_DECIMAL)) for col in range(ncols)]
    wrapped = set(table.wrap)
    for r, row in enumerate(table.rows, start=head + 1):
        for col, value in enumerate(row):
            if isinstance(value, str):
                text = _clean(value)
                if text:
                    write_string(r, col, text, formats.wrap if col in wrapped else None)
                elif col in wrapped:  # an empty text is an empty cell, still wrapped for what is typed
                    ws.write_blank(r, col, None, formats.wrap)
                continue
            if isinstance(value, Fmt):
                v = _number(value.value)
                fmt = formats.number(value.number_format)
            else:
                v = _number(value)
                fmt = column_formats[col] if col < ncols else formats.number(ONE_DECIMAL)
            if v is not None:
                write_number(r, col, v, fmt)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a workbook is made: its ~100,000 small objects
    (cells, rows) set off collections, each walking every result still alive and nothing to free —
    a third of ``compare --format xlsx``'s writing time for 1,000 institutions."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _book(tables: Sequence[Table]) -> bytes:
    import io

    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
            # text stays text: no formulas, links or numbers made from it
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    wb.set_properties({"author": "vibbench", "created": FIXED_TIME})
    formats = _Formats(wb)
    for table in tables:
        _write(wb, formats, table)
    wb.close()
    return out.getvalue()


def _t(key: str, lang: str) -> str:
    return H[key].get(lang)


def _sheet(key: str, lang: str) -> str:
    return SHEETS[key].get(lang)


def _band(result: Result, lang: str) -> str:
    band = result.overall.band
    return band.name.get(lang) if band else DASH


def _paren(text: str, inner: str, lang: str) -> str:
    """``text (inner)``; full-width brackets in Chinese."""
    return f"{text}（{inner}）" if lang == "zh" else f"{text} ({inner})"


def _who(result: Result) -> str:
    a = result.assessment
    return f"{a.name} {a.year}" if a.year is not None else a.name


def _yes_no(flag: bool, lang: str) -> str:
    return _t("yes" if flag else "no", lang)


# --- score ----------------------------------------------------------------------------------------


def score_xlsx(result: Result, lang: str) -> bytes:
    """``vibbench score --format xlsx``: Summary, Pillars, Dimensions, Indicators, Recommendations, Warnings."""
    with _gc_paused():
        return _book(score_tables(result, lang))


def score_tables(result: Result, lang: str) -> list[Table]:
    rubric, a, o = result.rubric, result.assessment, result.overall
    summary = Table(
        _sheet("summary", lang),
        [_t("item", lang), _t("value", lang)],
        [
            [label("institution", lang), a.name],
            [label("year", lang), Fmt(a.year, WHOLE) if a.year is not None else DASH],
            [label("rubric", lang), _paren(rubric.title.get(lang), f"{rubric.id} {rubric.version}", lang)],
            [label("overall", lang), o.score],
            [_t("vib", lang), o.reference],
            [label("gap", lang), o.gap],
            [label("band", lang), _band(result, lang)],
            [label("coverage", lang), Fmt(o.coverage, PERCENT)],
            [_t("missing", lang), missing_rule(result.options.missing, lang)],
            [
                _t("aggregation", lang),
                AGGREGATION.get(result.options.aggregation, Text(result.options.aggregation)).get(lang),
            ],
        ],
        wrap=[1],
    )
    node_head = [label("score", lang), _t("vib", lang), label("gap", lang), label("coverage", lang)]
    pillars = Table(
        _sheet("pillars", lang),
        [_t("id", lang), label("pillar", lang), *node_head, _t("share_siblings", lang)],
        [[p.id, p.name.get(lang), p.score, p.reference, p.gap, p.coverage, p.weight] for p in result.pillars],
        formats={5: PERCENT, 6: PERCENT},
        scores=[2, 3],
        gaps=[4],
    )
    pillar_names = {p.id: p.name.get(lang) for p in rubric.pillars}
    dimensions = Table(
        _sheet("dimensions", lang),
        [
            label("pillar", lang),
            _t("id", lang),
            label("dimension", lang),
            *node_head,
            _t("share_siblings", lang),
        ],
        [
            [
                pillar_names.get(d.pillar or "", d.pillar or ""),
                d.id,
                d.name.get(lang),
                d.score,
                d.reference,
                d.gap,
                d.coverage,
                d.weight,
            ]
            for d in result.dimensions
        ],
        formats={6: PERCENT, 7: PERCENT},
        scores=[3, 4],
        gaps=[5],
    )
    indicators = Table(
        _sheet("indicators", lang),
        [
            _t("id", lang),
            label("indicator", lang),
            label("pillar", lang),
            label("dimension", lang),
            _t("type", lang),
            label("answer", lang),
            label("score", lang),
            _t("vib", lang),
            label("gap", lang),
            label("priority", lang),
            _t("evidence", lang),
            _t("comment", lang),
        ],
        [
            [
                i.id,
                i.indicator.name.get(lang),
                i.indicator.pillar,
                i.indicator.dimension,
                _type_name(i.indicator.type, lang),
                answer_text(rubric, i.indicator, i.answer, lang),
                i.score,
                i.reference,
                i.gap,
                i.priority,
                "\n".join(dict.fromkeys(x.evidence for x in i.answers if x.evidence.strip())),
                "\n".join(dict.fromkeys(x.comment for x in i.answers if x.comment.strip())),
            ]
            for i in result.indicators
        ],
        scores=[6, 7],
        gaps=[8, 9],
        wrap=[10, 11],
    )
    names = {i.id: i.indicator.name.get(lang) for i in result.indicators}
    recommendations = Table(
        _sheet("recommendations", lang),
        [
            label("rank", lang),
            _t("id", lang),
            label("indicator", lang),
            label("theme", lang),
            label("horizon", lang),
            label("priority", lang),
            label("recommendation", lang),
        ],
        [
            [
                Fmt(n, WHOLE),
                rec.indicator,
                names.get(rec.indicator, rec.indicator),
                rubric.themes.get(rec.theme, Text(rec.theme)).get(lang),
                horizon(rec.horizon, lang),
                rec.priority,
                rec.text.get(lang),
            ]
            for n, rec in enumerate(result.recommendations, start=1)
        ],
        gaps=[5],
        wrap=[6],
    )
    warnings = Table(
        _sheet("warnings", lang),
        [_t("code", lang), _t("id", lang), _t("message", lang)],
        [
            [WARNING_NAMES.get(w.code, Text(w.code)).get(lang), w.indicator or "", w.message.get(lang)]
            for w in result.warnings
        ],
        wrap=[2],
    )
    return [summary, pillars, dimensions, indicators, recommendations, warnings]


def _type_name(kind: str, lang: str) -> str:
    return {"level": T("level", "等级"), "number": T("number", "数值"), "boolean": T("yes/no", "是/否")}.get(
        kind, Text(kind)
    ).get(lang)


# --- compare --------------------------------------------------------------------------------------


def compare_xlsx(
    ranked: Sequence[tuple[Result, int | None]],
    rubric: Rubric,
    lang: str,
    missing: str,
    *,
    top: int | None = None,
) -> bytes:
    """``vibbench compare --format xlsx``: the commission's cohort workbook — Ranking, Dimensions ×
    institutions, Shared gaps, Data quality, Progress."""
    with _gc_paused():
        return _book(compare_tables(ranked, rubric, lang, missing, top=top))


def compare_tables(
    ranked: Sequence[tuple[Result, int | None]],
    rubric: Rubric,
    lang: str,
    missing: str,
    *,
    top: int | None = None,
) -> list[Table]:
    """The cohort sheets; shared gaps count each institution's ``top`` priorities (default: the
    results' ``--top``)."""
    from vibbench.scoring.ranking import progress

    results = [r for r, _ in ranked]
    npil = len(rubric.pillars)
    ranking = Table(
        _sheet("ranking", lang),
        [
            label("rank", lang),
            label("institution", lang),
            label("year", lang),
            *[f"{p.id} {p.name.get(lang)}" for p in rubric.pillars],
            label("overall", lang),
            label("band", lang),
            label("coverage", lang),
        ],
        [
            [
                Fmt(rank, WHOLE) if rank is not None else DASH,
                r.assessment.name,
                Fmt(r.assessment.year, WHOLE) if r.assessment.year is not None else DASH,
                *[_pillar_score(r, p.id) for p in rubric.pillars],
                r.overall.score,
                _band(r, lang),
                r.overall.coverage,
            ]
            for r, rank in ranked
        ],
        formats={0: WHOLE, 2: WHOLE, 5 + npil: PERCENT},
        scores=[*range(3, 4 + npil)],
        notes=[missing_rule(missing, lang)],
    )

    m = dimension_matrix(results)
    matrix_rows: list[list[Any]] = [
        ["", _t("vib", lang), "", *[c.reference for c in m.columns]],
        *[
            [
                Fmt(rank, WHOLE) if rank is not None else DASH,
                row.name,
                Fmt(row.year, WHOLE) if row.year is not None else DASH,
                *row.scores,
            ]
            for (_, rank), row in zip(ranked, m.rows, strict=True)
        ],
    ]
    matrix = Table(
        _sheet("matrix", lang),
        [
            label("rank", lang),
            label("institution", lang),
            label("year", lang),
            *[f"{c.id} {c.name.get(lang)}" for c in m.columns],
        ],
        matrix_rows,
        formats={0: WHOLE, 2: WHOLE},
        scores=[*range(3, 3 + len(m.columns))],
    )

    if top is None:
        top = results[0].options.top if results else 10
    gaps = shared_gaps(results, top)
    shared = Table(
        _sheet("shared_gaps", lang),
        [
            label("rank", lang),
            _t("id", lang),
            label("indicator", lang),
            _t("count", lang),
            _t("share", lang),
            _t("total_points", lang),
            _t("mean_points", lang),
            _t("recommendations", lang),
        ],
        [
            [
                Fmt(n, WHOLE),
                g.indicator,
                g.name.get(lang),
                g.count,
                g.share,
                g.total_points,
                g.mean_points,
                "\n".join(t.get(lang) for t in g.recommendations),
            ]
            for n, g in enumerate(gaps, start=1)
        ],
        formats={3: WHOLE, 4: PERCENT},
        gaps=[3, 5, 6],
        wrap=[7],
        notes=[
            T(
                f"Indicators by how many institutions have them among their top {top} priorities, then by "
                "the overall points they cost across the cohort: where one policy acts on many institutes at once.",
                f"按列入各机构前 {top} 项优先事项的机构数排序，其次按全体机构合计失分排序：一项政策可同时惠及多家机构之处。",
            ).get(lang)
        ],
    )

    quality = Table(
        _sheet("quality", lang),
        [
            label("institution", lang),
            label("year", lang),
            label("coverage", lang),
            _t("unsupported", lang),
            _t("disagreements", lang),
            _t("implausible", lang),
            _t("inconsistent", lang),
            _t("not_applicable", lang),
            _t("low_coverage", lang),
        ],
        [
            [
                q.name,
                Fmt(q.year, WHOLE) if q.year is not None else DASH,
                q.coverage,
                q.unsupported_claims,
                q.disagreements,
                q.implausible,
                q.inconsistent,
                q.not_applicable,
                _yes_no(q.low_coverage, lang),
            ]
            for q in (data_quality(r) for r in results)
        ],
        formats={1: WHOLE, 2: PERCENT, 3: WHOLE, 4: WHOLE, 5: WHOLE, 6: WHOLE, 7: WHOLE},
        scores=[],
        gaps=[3, 4, 5, 6],
    )

    names = {i.id: i.name.get(lang) for i in rubric.indicators()}
    steps = progress(results)
    prog = Table(
        _sheet("progress", lang),
        [
            label("institution", lang),
            _t("from", lang),
            _t("to", lang),
            *[f"Δ {p.id} {p.name.get(lang)}" for p in rubric.pillars],
            _t("delta_overall", lang),
            _t("movers", lang),
        ],
        [
            [
                s.name,
                Fmt(s.year_from, WHOLE),
                Fmt(s.year_to, WHOLE),
                *[s.pillars.get(p.id) for p in rubric.pillars],
                s.overall,
                ("；" if lang == "zh" else "; ").join(f"{i} {names.get(i, '')} {d:+.1f}" for i, d in s.movers)
                or DASH,
            ]
            for s in steps
        ],
        formats={i: SIGNED for i in range(3, 4 + npil)},
        wrap=[4 + npil],
    )
    return [ranking, matrix, shared, quality, prog]


def _pillar_score(result: Result, pillar: str) -> float | None:
    return next((p.score for p in result.pillars if p.id == pillar), None)


# --- sensitivity ----------------------------------------------------------------------------------


def sensitivity_xlsx(
    ranked: Sequence[tuple[Result, int | None]], analysis: Analysis, rubric: Rubric, lang: str
) -> bytes:
    """``vibbench sensitivity --format xlsx``: per institution its score and rank percentiles and a
    verdict, the cohort's verdict; then the top priorities by name, the most stable first."""
    with _gc_paused():
        return _book(sensitivity_tables(ranked, analysis, rubric, lang))


def sensitivity_tables(
    ranked: Sequence[tuple[Result, int | None]], analysis: Analysis, rubric: Rubric, lang: str
) -> list[Table]:
    pairs = list(zip(ranked, analysis.institutions, strict=True))
    # an institution assessed in several years is named with its year, so the verdict says which
    spans = [RankSpan(_who(r), s.rank.p5, s.rank.p50, s.rank.p95) for (r, _), s in pairs]
    cohort = cohort_verdict(spans, analysis.spread)
    lo, hi = 1 - analysis.spread, 1 + analysis.spread
    params = T(
        f"{analysis.samples} samples, each weight × U[{lo:g}, {hi:g}], seed {analysis.seed}",
        f"{analysis.samples} 次抽样，每个权重 × U[{lo:g}, {hi:g}]，随机种子 {analysis.seed}",
    ).get(lang)
    overview = Table(
        _sheet("sensitivity", lang),
        [
            label("rank", lang),
            label("institution", lang),
            label("year", lang),
            label("overall", lang),
            _t("score_p5", lang),
            _t("score_p50", lang),
            _t("score_p95", lang),
            _t("rank_p5", lang),
            _t("rank_p50", lang),
            _t("rank_p95", lang),
            _t("verdict", lang),
        ],
        [
            [
                Fmt(rank, WHOLE) if rank is not None else DASH,
                r.assessment.name,
                Fmt(r.assessment.year, WHOLE) if r.assessment.year is not None else DASH,
                r.overall.score,
                s.score.p5,
                s.score.p50,
                s.score.p95,
                s.rank.p5,
                s.rank.p50,
                s.rank.p95,
                rank_verdict(s.rank.p5, s.rank.p50, s.rank.p95).get(lang),
            ]
            for (r, rank), s in pairs
        ],
        formats={0: WHOLE, 2: WHOLE},
        scores=[3, 4, 5, 6],
        notes=[params, cohort.text.get(lang)],
    )
    names = {i.id: i.name.get(lang) for i in rubric.indicators()}
    priority_rows: list[list[Any]] = []
    for (r, _), s in pairs:
        for ident, share in sorted(s.top_priorities, key=lambda t: (-t[1], t[0])):
            priority_rows.append(
                [r.assessment.name, r.assessment.year or DASH, ident, names.get(ident, ident), share]
            )
    priorities = Table(
        _sheet("sens_priorities", lang),
        [
            label("institution", lang),
            label("year", lang),
            _t("id", lang),
            label("indicator", lang),
            _t("kept", lang),
        ],
        priority_rows,
        formats={1: WHOLE, 4: PERCENT},
    )
    return [overview, priorities]
