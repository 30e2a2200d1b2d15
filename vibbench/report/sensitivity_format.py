"""Renderers for ``vibbench sensitivity``. Pure: :func:`render` returns the output and the CLI writes it."""

from __future__ import annotations

from typing import Any

from vibbench.report.common import DASH, capture, fmt, label
from vibbench.report.escape import md
from vibbench.rubric.model import Rubric
from vibbench.scoring.result import Result
from vibbench.scoring.sensitivity import Analysis, InstitutionSensitivity, Percentiles

Ranked = list[tuple[Result, int | None]]

H = {
    "score": {"en": "Overall p5 · p50 · p95", "zh": "总分 p5 · p50 · p95"},
    "rank": {"en": "Rank p5 · p50 · p95", "zh": "排名 p5 · p50 · p95"},
    "tops": {"en": "Top priorities kept (share of samples)", "zh": "优先项保持率（样本占比）"},
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


def _rows(ranked: Ranked, analysis: Analysis) -> list[list[str]]:
    rows = []
    for (res, rank), sens in zip(ranked, analysis.institutions, strict=True):
        rows.append(
            [
                DASH if rank is None else str(rank),
                res.assessment.name,
                str(res.assessment.year or DASH),
                fmt(res.overall.score),
                _triple(sens.score),
                _triple(sens.rank, 0) if sens.rank.p50 is not None else DASH,
                ", ".join(f"{i} {share:.0%}" for i, share in sens.top_priorities) or DASH,
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


def render_markdown(ranked: Ranked, analysis: Analysis, rubric: Rubric, lang: str) -> str:
    header = _header(lang)
    lines = [
        f"# {_title(analysis, lang)}",
        "",
        f"{label('rubric', lang)}: {md(rubric.id)} {md(rubric.version)}",
        "",
    ]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join("---:" if n in (0, 3) else "---" for n in range(len(header))) + "|")
    lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in _rows(ranked, analysis)]
    return "\n".join(lines) + "\n"


def _table(ranked: Ranked, analysis: Analysis, lang: str) -> Any:
    from rich import box
    from rich.table import Table

    t = Table(title=_title(analysis, lang), box=box.SIMPLE_HEAD, title_justify="left")
    for n, h in enumerate(_header(lang)):
        t.add_column(h, justify="right" if n in (0, 3) else "left")
    for row in _rows(ranked, analysis):
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
    if fmt_name == "csv":
        return render_csv(ranked, analysis)
    return capture(_table(ranked, analysis, lang), width or 140, color)
