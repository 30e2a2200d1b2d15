"""Renderers for ``vibbench compare``: the institutions × pillars matrix and progress over years.

Pure: :func:`render` returns what to write and the CLI writes it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vibbench.report.common import DASH, capture, fmt, label, pct
from vibbench.report.escape import md
from vibbench.rubric.model import Rubric
from vibbench.scoring.ranking import Step, progress
from vibbench.scoring.result import Result
from vibbench.text import T

if TYPE_CHECKING:
    from rich.text import Text

Ranked = Sequence[tuple[Result, int | None]]
"""Institutions with their rank, best first."""

SHOWN_WARNINGS = ("rubric_drift", "low_coverage")
"""The warnings about a whole institution, which every format shows (JSON shows all)."""
WARNINGS_TITLE = {"en": "Warnings", "zh": "提示"}


@dataclass(frozen=True)
class Rendered:
    """What a format produces: the output itself and, for Markdown written to a file, the
    files it links to (path relative to the output's folder → content)."""

    text: str | bytes
    files: dict[str, bytes] = field(default_factory=dict)


PROGRESS_TITLE = {"en": "Progress since the previous year", "zh": "较上一年度的进展"}
MOVERS = {"en": "Moved most", "zh": "变化最大的指标"}
CHANGE = {"en": "Δ overall", "zh": "总分变化"}


def _signed(v: float | None) -> str:
    return DASH if v is None else f"{v:+.1f}"


def to_dict(ranked: Sequence[tuple[Result, int | None]], rubric: Rubric, lang: str) -> dict[str, Any]:
    from vibbench.report.json_format import SCHEMA_VERSION
    from vibbench.report.json_format import to_dict as one

    return {
        "schema_version": SCHEMA_VERSION,
        "rubric": {"id": rubric.id, "version": rubric.version, "title": rubric.title.get(lang)},
        "institutions": [{**one(r, lang), "rank": rank} for r, rank in ranked],
    }


def _matrix_rows(ranked: Ranked, lang: str) -> list[list[str]]:
    rows = []
    for r, rank in ranked:
        o = r.overall
        rows.append(
            [
                DASH if rank is None else str(rank),
                r.assessment.name,
                str(r.assessment.year or DASH),
                *[fmt(p.score) for p in r.pillars],
                fmt(o.score),
                o.band.name.get(lang) if o.band else DASH,
                pct(o.coverage),
            ]
        )
    return rows


def _matrix_header(rubric: Rubric, lang: str, *, short: bool = False) -> list[str]:
    """Column names; ``short`` (the terminal) names pillars by id, so institution names keep the room."""
    return [
        "#" if short else label("rank", lang),
        label("institution", lang),
        label("year", lang),
        *[p.id if short else f"{p.id} {p.name.get(lang)}" for p in rubric.pillars],
        label("overall", lang),
        label("band", lang),
        label("coverage", lang),
    ]


def _reference_rows(ranked: Ranked, rubric: Rubric, lang: str) -> list[list[str]]:
    """VIB over the whole tree of each profile present (SPEC §4: the same whoever is compared)."""
    from vibbench.scoring.engine import reference_result

    results = [r for r, _ in ranked]
    method = results[0].options.aggregation if results else "arithmetic"
    profiles = sorted({r.assessment.profile or rubric.default_profile or "" for r in results}) or [""]
    rows = []
    for profile in profiles:
        ref = reference_result(rubric, profile or None, method)
        found = rubric.profile(profile)
        name = rubric.reference_name.get(lang)
        if found is not None and len(profiles) > 1:
            name += f" ({found.name.get(lang)})" if lang != "zh" else f"（{found.name.get(lang)}）"
        rows.append(
            ["", name, "", *[fmt(p.reference) for p in ref.pillars], fmt(ref.overall.reference), "", ""]
        )
    return rows


MISSING_RULE = {
    "zero": T(
        "--missing zero: an unanswered indicator scores 0, so a blank never raises a score or a rank",
        "--missing zero：未作答的指标计 0 分，留空不会提高得分或排名",
    ),
    "exclude": T(
        "--missing exclude: unanswered indicators are left out and weights renormalised; compare coverage first",
        "--missing exclude：未作答的指标不计入，权重重新归一化；比较前请先看覆盖率",
    ),
}


def _progress_rows(steps: list[Step], rubric: Rubric) -> list[list[str]]:
    return [
        [
            s.name,
            f"{s.year_from} → {s.year_to}",
            *[_signed(s.pillars.get(p.id)) for p in rubric.pillars],
            _signed(s.overall),
            ", ".join(f"{i} {d:+.0f}" for i, d in s.movers) or DASH,
        ]
        for s in steps
    ]


def _progress_header(rubric: Rubric, lang: str) -> list[str]:
    return [
        label("institution", lang),
        label("year", lang),
        *[p.id for p in rubric.pillars],
        CHANGE[lang],
        MOVERS[lang],
    ]


def render_table(ranked: Ranked, rubric: Rubric, lang: str, width: int | None = None) -> str:
    from rich import box
    from rich.table import Table

    width = width or 120
    out = _matrix_text(ranked, rubric, lang, width).plain
    prog = _progress_table(ranked, rubric, lang, Table, box)
    out += "\n" + capture(prog, width) if prog is not None else ""
    return out + _warnings_text(ranked, lang, width)


def fold(text: str, width: int) -> str:
    """Break ``text`` into lines of at most ``width`` terminal cells (CJK counts two), at spaces when possible."""
    import re

    from rich.cells import cell_len

    lines: list[str] = []
    line = ""
    for token in re.findall(r"\S+\s*", text):
        if cell_len(line + token.rstrip()) <= width:
            line += token
            continue
        if line:
            lines.append(line.rstrip())
            line = ""
        for ch in token:
            if cell_len(line + ch) > width and line.strip():
                lines.append(line.rstrip())
                line = ""
            line += ch
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


def _matrix_text(ranked: Ranked, rubric: Rubric, lang: str, width: int = 80) -> Text:
    """The institutions × pillars matrix as styled text, laid out as rich's SIMPLE_HEAD table
    would lay it out, but built directly: rich measures and renders every cell, which took
    about a second for 1,000 institutions."""
    from rich.cells import cell_len
    from rich.text import Text

    header = _matrix_header(rubric, lang, short=True)
    rows = _matrix_rows(ranked, lang)
    refs = _reference_rows(ranked, rubric, lang)
    band = 3 + len(rubric.pillars) + 1
    left = {1, 2, band}  # institution, year, band
    widths = [max(cell_len(h), *(cell_len(r[n]) for r in (*rows, *refs))) for n, h in enumerate(header)]
    keep = list(range(len(header)))
    # On a narrow terminal the band, then the coverage, give way before names get too thin to read.
    for optional in (band, len(header) - 1):
        need = sum(widths[n] + 2 for n in keep if n != 1) + max(cell_len(header[1]), 12) + 2
        if need > width:
            keep.remove(optional)
    others = sum(widths[n] + 2 for n in keep if n != 1)
    # What is left of the terminal: an edge on the left, two cells between columns, and one
    # cell spare so that no line fills the terminal's last column.
    widths[1] = max(cell_len(header[1]), min(widths[1], width - others - 2))

    def line(cells: list[str]) -> str:
        padded = []
        for n in keep:
            gap = " " * (widths[n] - cell_len(cells[n]))
            padded.append(cells[n] + gap if n in left else gap + cells[n])
        return (" " + "  ".join(padded)).rstrip()

    text = Text()
    text.append(f"{rubric.id} {rubric.version}\n", style="table.title")
    text.append("\n")
    text.append(line(header) + "\n", style="table.header")
    text.append(" " + "─" * (sum(widths[n] for n in keep) + 2 * len(keep) - 2) + "\n")
    for cells, style in [*((r, "") for r in rows), *((ref, "dim") for ref in refs)]:
        names = fold(cells[1], widths[1]).split("\n")
        for k, name in enumerate(names):
            shown = [name if n == 1 else (c if k == 0 else "") for n, c in enumerate(cells)]
            text.append(line(shown) + "\n", style=style)
    text.append("\n")
    text.append(
        " · ".join(f"{p.id} {p.name.get(lang)}" for p in rubric.pillars) + "\n", style="table.caption"
    )
    if ranked:
        text.append(MISSING_RULE[ranked[0][0].options.missing].get(lang) + "\n", style="table.caption")
    return text


def _progress_table(ranked: Ranked, rubric: Rubric, lang: str, Table: Any, box: Any) -> Any:  # noqa: N803
    """Progress since the previous year, for institutions that appear with several years (else None)."""
    steps = progress([r for r, _ in ranked])
    if not steps:
        return None
    prog = Table(title=PROGRESS_TITLE[lang], box=box.SIMPLE_HEAD, title_justify="left")
    last = len(rubric.pillars) + 3
    for n, h in enumerate(_progress_header(rubric, lang)):
        if n in (0, last):
            prog.add_column(h, overflow="fold", ratio=1, min_width=12)
        else:
            prog.add_column(h, justify="left" if n == 1 else "right", no_wrap=True)
    for row in _progress_rows(steps, rubric):
        prog.add_row(*row)
    return prog


def _warnings(r: Result) -> list[tuple[str, Any]]:
    return [(w.code, w.message) for w in r.warnings if w.code in SHOWN_WARNINGS]


def _warning_lines(ranked: Ranked, lang: str) -> list[tuple[str, str, str]]:
    """(institution and year, code, message) for every shown warning, in rank order."""
    return [
        (f"{r.assessment.name} {r.assessment.year or ''}".strip(), code, message.get(lang))
        for r, _ in ranked
        for code, message in _warnings(r)
    ]


def _warnings_text(ranked: Ranked, lang: str, width: int) -> str:
    lines = _warning_lines(ranked, lang)
    if not lines:
        return ""
    out = [WARNINGS_TITLE[lang]]
    for who, code, what in lines:
        out.append(fold(f" {who} — {code}: {what}", width))
    return "\n".join(out) + "\n"


def render_csv(ranked: Ranked, rubric: Rubric, lang: str) -> str:
    from vibbench.report.csv_format import write_rows

    header = [
        "rank",
        "name",
        "year",
        "path",
        *[p.id for p in rubric.pillars],
        "overall",
        "band",
        "coverage",
        "missing",
        "warnings",
    ]
    rows = [
        [
            rank,
            r.assessment.name,
            r.assessment.year,
            r.assessment.path,
            *[p.score for p in r.pillars],
            r.overall.score,
            r.overall.band.id if r.overall.band else None,
            r.overall.coverage,
            r.options.missing,
            "; ".join(f"{code}: {message.get(lang)}" for code, message in _warnings(r)),
        ]
        for r, rank in ranked
    ]
    return write_rows(header, rows)


def _md_table(header: list[str], rows: list[list[str]], right_from: int = 3) -> list[str]:
    lines = ["| " + " | ".join(md(h) for h in header) + " |"]
    lines.append("|" + "|".join("---:" if n >= right_from else "---" for n in range(len(header))) + "|")
    lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in rows]
    return lines


def render_markdown(ranked: Ranked, rubric: Rubric, lang: str, chart: str | None = None) -> str:
    title = {"en": "Comparison against VIB", "zh": "与 VIB 的对标比较"}[lang]
    lines = [f"# {title}", "", f"{label('rubric', lang)}: {md(rubric.id)} {md(rubric.version)}", ""]
    lines += _md_table(
        _matrix_header(rubric, lang), [*_matrix_rows(ranked, lang), *_reference_rows(ranked, rubric, lang)]
    )
    if chart:
        alt = {"en": "Pillar scores against VIB", "zh": "各支柱得分与 VIB 对比"}[lang]
        lines += ["", f"![{alt}]({chart})"]
    steps = progress([r for r, _ in ranked])
    if steps:
        lines += ["", f"## {PROGRESS_TITLE[lang]}", ""]
        lines += _md_table(_progress_header(rubric, lang), _progress_rows(steps, rubric), right_from=2)
    warnings = _warning_lines(ranked, lang)
    if warnings:
        lines += ["", f"## {WARNINGS_TITLE[lang]}", ""]
        lines += [f"- {md(who)}: `{code}` {md(what)}" for who, code, what in warnings]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Digest:
    """One institution as ``compare --format json`` needs it: ranking keys and its JSON text,
    rendered where it was scored (in a batch worker)."""

    name: str
    year: int | None
    overall: float | None
    json: bytes
    """The institution's SPEC §5 object, compact UTF-8, without its rank."""


def render_digests(digests: Sequence[Digest], rubric: Rubric, lang: str) -> bytes:
    """``compare --format json`` from institutions already rendered, plus their rank."""
    from vibbench.report.json_format import SCHEMA_VERSION, join_many
    from vibbench.scoring.ranking import competition_ranks

    ranks = competition_ranks([d.overall for d in digests])
    order = sorted(
        range(len(digests)),
        key=lambda i: (ranks[i] is None, ranks[i] or 0, digests[i].name, digests[i].year or 0),
    )
    head = {
        "schema_version": SCHEMA_VERSION,
        "rubric": {"id": rubric.id, "version": rubric.version, "title": rubric.title.get(lang)},
    }
    encoded = [b"null" if r is None else str(r).encode() for r in ranks]
    items = ((memoryview(digests[i].json)[:-1], b',"rank":', encoded[i], b"}") for i in order)
    return join_many(head, items)


def render_json(ranked: Ranked, rubric: Rubric, lang: str) -> bytes:
    """SPEC §5's document: each institution encoded once, joined into one output without copies."""
    from vibbench.report.json_format import SCHEMA_VERSION, compact, join_many
    from vibbench.report.json_format import to_dict as one

    head = {
        "schema_version": SCHEMA_VERSION,
        "rubric": {"id": rubric.id, "version": rubric.version, "title": rubric.title.get(lang)},
    }
    items = (
        (memoryview(compact(one(r, lang)))[:-1], b',"rank":', b"null" if n is None else str(n).encode(), b"}")
        for r, n in ranked
    )
    return join_many(head, items)


def render_terminal(ranked: Ranked, rubric: Rubric, lang: str, width: int, color: bool) -> str:
    """The table as a terminal of ``width`` columns shows it (styled when ``color``)."""
    from rich import box
    from rich.table import Table

    out = capture(_matrix_text(ranked, rubric, lang, width), width, color).rstrip("\n") + "\n"
    prog = _progress_table(ranked, rubric, lang, Table, box)
    if prog is not None:
        out += capture(prog, width, color)
    return out + _warnings_text(ranked, lang, width)


def render(
    ranked: Ranked,
    rubric: Rubric,
    fmt_name: str,
    lang: str,
    *,
    charts: str | None = None,
    width: int | None = None,
    color: bool = False,
) -> Rendered:
    """``ranked`` in format ``fmt_name``. ``charts``: the folder (relative to the output's) to put
    the Markdown's chart in — None draws no chart; ``width``: a terminal's width for the table."""
    if fmt_name == "json":
        return Rendered(render_json(ranked, rubric, lang))
    if fmt_name == "csv":
        return Rendered(render_csv(ranked, rubric, lang))
    if fmt_name in ("markdown", "html"):
        return _cohort(ranked, rubric, fmt_name, lang, charts)
    if fmt_name == "xlsx":
        from vibbench.report.xlsx_format import compare_xlsx

        missing = ranked[0][0].options.missing if ranked else "zero"
        return Rendered(compare_xlsx(list(ranked), rubric, lang, missing))
    if width is not None:
        return Rendered(render_terminal(ranked, rubric, lang, width, color))
    return Rendered(render_table(ranked, rubric, lang))


def _cohort(ranked: Ranked, rubric: Rubric, fmt_name: str, lang: str, charts: str | None) -> Rendered:
    """The commission's cohort report (SPEC §7): HTML with shaded cells; Markdown with the heat map
    as an SVG beside it (when there is a folder to put it in)."""
    import datetime

    from vibbench.report import write_html, write_markdown
    from vibbench.report.cohort_doc import build_cohort
    from vibbench.report.docmodel import Figure
    from vibbench.scoring.cohort import dimension_matrix

    results = [r for r, _ in ranked]
    missing = results[0].options.missing if results else "zero"
    files: dict[str, bytes] = {}
    figure = None
    if fmt_name == "markdown" and charts is not None and results:
        from vibbench.report.figures import heat_map

        matrix = dimension_matrix(results)
        names = [f"{r.name} {r.year}".strip() if r.year else r.name for r in matrix.rows][:40]
        title = T("Dimension scores × institutions", "各维度得分 × 机构").get(lang)
        chart = heat_map(
            names, [c.id for c in matrix.columns], [row.scores for row in matrix.rows][:40], title
        )
        link = f"{charts}/heat.svg"
        files[link] = chart.svg
        figure = Figure("heat", title, svg=chart.svg, file=link)
    doc = build_cohort(
        list(ranked),
        rubric,
        lang,
        missing,
        generated=datetime.date.today().isoformat(),
        heat_figure=figure,
        warnings=_warning_lines(ranked, lang),
    )
    if fmt_name == "html":
        return Rendered(write_html.render(doc))
    return Rendered(write_markdown.render(doc), files)


def _chart(ranked: Ranked, rubric: Rubric, lang: str) -> bytes:
    """Grouped bars per pillar (the first 20 institutions and VIB), as SVG."""
    from vibbench.report.charts_compare import grouped_bars_svg

    names = [f"{r.assessment.name} {r.assessment.year or ''}".strip() for r, _ in ranked][:20]
    series = [[p.score or 0.0 for p in r.pillars] for r, _ in ranked][:20]
    reference = [p.reference or 0.0 for p in ranked[0][0].pillars]
    return grouped_bars_svg(
        [p.name.get(lang) for p in rubric.pillars],
        names,
        series,
        rubric.reference_name.get(lang),
        reference,
    )


# --------------------------------------------------------------------------- the registry's entries
# One function per format (vibbench.formats.RENDERERS), all with one signature.


def _as(fmt_name: str) -> Callable[..., Rendered]:
    def render_as(
        ranked: Ranked,
        rubric: Rubric,
        lang: str,
        *,
        charts: str | None = None,
        width: int | None = None,
        color: bool = False,
    ) -> Rendered:
        return render(ranked, rubric, fmt_name, lang, charts=charts, width=width, color=color)

    render_as.__name__ = f"as_{fmt_name}"
    return render_as


as_table = _as("table")
as_json = _as("json")
as_csv = _as("csv")
as_markdown = _as("markdown")
as_html = _as("html")
as_xlsx = _as("xlsx")
