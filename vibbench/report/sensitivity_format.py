"""Renderers for ``vibbench sensitivity``. Pure: :func:`render` returns the output and the CLI writes it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vibbench.report.common import DASH, capture, fmt, label
from vibbench.rubric.model import Rubric
from vibbench.scoring.result import Result
from vibbench.scoring.sensitivity import Analysis, InstitutionSensitivity, Percentiles

Ranked = list[tuple[Result, int | None]]

H = {
    "score": {"en": "Overall p5 · p50 · p95", "zh": "总分 p5 · p50 · p95"},
    "rank": {"en": "Rank under other weights", "zh": "不同权重下的排名"},
    "tops": {"en": "Top priorities kept (share of samples)", "zh": "优先项保持率（样本占比）"},
    "cohort": {"en": "Verdict", "zh": "结论"},
    "title": {
        "en": "Weight sensitivity: {samples} samples, each weight × U[{lo:g}, {hi:g}], seed {seed}",
        "zh": "权重敏感性：{samples} 次抽样，每个权重 × U[{lo:g}, {hi:g}]，随机种子 {seed}",
    },
}


def _pct(p: Percentiles) -> dict[str, float | None]:
    return {"p5": p.p5, "p50": p.p50, "p95": p.p95}


def _block(s: InstitutionSensitivity) -> dict[str, Any]:
    return {
        "score": _pct(s.score),
        "rank": _pct(s.rank),
        "top_priorities": [{"indicator": i, "share": share} for i, share in s.top_priorities],
    }


def to_dict(ranked: Ranked, analysis: Analysis, rubric: Rubric, lang: str) -> dict[str, Any]:
    from vibbench.report.compare import to_dict as compare_dict

    out = compare_dict(ranked, rubric, lang)
    for inst, sens in zip(out["institutions"], analysis.institutions, strict=True):
        inst["sensitivity"] = _block(sens)
    return out


def _triple(p: Percentiles, digits: int = 1) -> str:
    if p.p50 is None:
        return DASH
    return f"{fmt(p.p5, digits)} · {fmt(p.p50, digits)} · {fmt(p.p95, digits)}"


def _tops(res: Result, sens: InstitutionSensitivity, lang: str) -> str:
    """The top priorities by name, most stable first: ``RC.FUND.1 Core funding share 98%``."""
    names = {i.id: i.name.get(lang) for i in res.rubric.indicators()}
    ordered = sorted(sens.top_priorities, key=lambda t: (-t[1], t[0]))
    sep = "；" if lang == "zh" else "; "
    return sep.join(f"{i} {names.get(i, '')} {share:.0%}".replace("  ", " ") for i, share in ordered) or DASH


def _verdict(sens: InstitutionSensitivity, lang: str) -> str:
    from vibbench.scoring.cohort import rank_verdict

    return rank_verdict(sens.rank.p5, sens.rank.p50, sens.rank.p95).get(lang)


def cohort_line(ranked: Ranked, analysis: Analysis, lang: str) -> str:
    """Which ranks cannot be told apart at this spread (one sentence for the whole cohort)."""
    from vibbench.scoring.cohort import RankSpan, cohort_verdict

    spans = [
        RankSpan(
            f"{res.assessment.name} {res.assessment.year or ''}".strip(), s.rank.p5, s.rank.p50, s.rank.p95
        )
        for (res, _), s in zip(ranked, analysis.institutions, strict=True)
    ]
    return cohort_verdict(spans, analysis.spread).text.get(lang)


def _rows(ranked: Ranked, analysis: Analysis, lang: str = "en") -> list[list[str]]:
    rows = []
    for (res, rank), sens in zip(ranked, analysis.institutions, strict=True):
        rows.append(
            [
                DASH if rank is None else str(rank),
                res.assessment.name,
                str(res.assessment.year or DASH),
                fmt(res.overall.score),
                _triple(sens.score),
                _verdict(sens, lang),
                _tops(res, sens, lang),
            ]
        )
    return rows


def _header(lang: str) -> list[str]:
    return [
        label("rank", lang),
        label("institution", lang),
        label("year", lang),
        label("overall", lang),
        H["score"][lang],
        H["rank"][lang],
        H["tops"][lang],
    ]


def _title(analysis: Analysis, lang: str) -> str:
    return H["title"][lang].format(
        samples=analysis.samples, lo=1 - analysis.spread, hi=1 + analysis.spread, seed=analysis.seed
    )


def document(ranked: Ranked, analysis: Analysis, rubric: Rubric, lang: str) -> Any:
    """The analysis as a document (Markdown and HTML): the cohort's verdict, then one row per
    institution with its rank range in words and its top priorities by name, most stable first."""
    import datetime

    from vibbench.report.docmodel import Column, Document, Heading, Paragraph, Table

    title = _title(analysis, lang)
    doc = Document(title, lang, datetime.date.today().isoformat())
    header = _header(lang)
    roles = ("number", "name", "number", "number", "text", "text", "long")
    doc.add(
        Heading(1, title, "title"),
        Paragraph.of(f"{rubric.id} {rubric.version}", label=label("rubric", lang)),
        Paragraph.of(cohort_line(ranked, analysis, lang), label=H["cohort"][lang]),
        Table(
            tuple(Column(h, r) for h, r in zip(header, roles, strict=True)),  # type: ignore[arg-type]
            tuple(tuple(row) for row in _rows(ranked, analysis, lang)),
        ),
    )
    return doc


def render_markdown(ranked: Ranked, analysis: Analysis, rubric: Rubric, lang: str) -> str:
    from vibbench.report import write_markdown

    return write_markdown.render(document(ranked, analysis, rubric, lang))


def _table(ranked: Ranked, analysis: Analysis, lang: str) -> Any:
    from rich import box
    from rich.table import Table

    t = Table(
        title=_title(analysis, lang),
        caption=cohort_line(ranked, analysis, lang),
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption_justify="left",
    )
    for n, h in enumerate(_header(lang)):
        t.add_column(
            h, justify="right" if n in (0, 3) else "left", overflow="fold", ratio=3 if n == 6 else None
        )
    for row in _rows(ranked, analysis, lang):
        t.add_row(*row)
    return t


def render_csv(ranked: Ranked, analysis: Analysis) -> str:
    from vibbench.report.csv_format import write_rows

    header = [
        "rank",
        "name",
        "year",
        "overall",
        "score_p5",
        "score_p50",
        "score_p95",
        "rank_p5",
        "rank_p50",
        "rank_p95",
    ]
    rows = [
        [
            rank,
            res.assessment.name,
            res.assessment.year,
            res.overall.score,
            s.score.p5,
            s.score.p50,
            s.score.p95,
            s.rank.p5,
            s.rank.p50,
            s.rank.p95,
        ]
        for (res, rank), s in zip(ranked, analysis.institutions, strict=True)
    ]
    return write_rows(header, rows)


def render(
    ranked: Ranked,
    analysis: Analysis,
    rubric: Rubric,
    fmt_name: str,
    lang: str,
    *,
    width: int | None = None,
    color: bool = False,
) -> str | bytes:
    """The analysis in format ``fmt_name``; ``width``: a terminal's width for the table (else 140)."""
    if fmt_name == "json":
        from vibbench.report.json_format import dumps_many

        return dumps_many(to_dict(ranked, analysis, rubric, lang))
    if fmt_name == "markdown":
        return render_markdown(ranked, analysis, rubric, lang)
    if fmt_name == "html":
        from vibbench.report import write_html

        return write_html.render(document(ranked, analysis, rubric, lang))
    if fmt_name == "xlsx":
        from vibbench.report.xlsx_format import sensitivity_xlsx

        return sensitivity_xlsx(list(ranked), analysis, rubric, lang)
    if fmt_name == "csv":
        return render_csv(ranked, analysis)
    return capture(_table(ranked, analysis, lang), width or 140, color)


# --------------------------------------------------------------------------- the registry's entries
# One function per format (vibbench.formats.RENDERERS), all with one signature.


def _as(fmt_name: str) -> Callable[..., str | bytes]:
    def render_as(
        ranked: Ranked,
        analysis: Analysis,
        rubric: Rubric,
        lang: str,
        *,
        width: int | None = None,
        color: bool = False,
    ) -> str | bytes:
        return render(ranked, analysis, rubric, fmt_name, lang, width=width, color=color)

    render_as.__name__ = f"as_{fmt_name}"
    return render_as


as_table = _as("table")
as_json = _as("json")
as_csv = _as("csv")
as_markdown = _as("markdown")
as_html = _as("html")
as_xlsx = _as("xlsx")
