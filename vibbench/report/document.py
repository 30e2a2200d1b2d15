"""SPEC §6 (v2): ``vibbench report`` — the report as Markdown, HTML or Word.

The report is built once as a document (:mod:`vibbench.report.board`) and written by the writer of
the format asked for (``--format``, else the output's extension). :func:`build_report` draws the
charts once for every format, computes the projection and roadmap (:mod:`vibbench.scoring.projection`)
and the peers' percentiles, and returns the report and any files beside it as data: nothing is
written until :func:`save_report` writes the charts, then the report, each atomically, removing what
it wrote when anything fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vibbench.errors import UsageError, Where
from vibbench.io import write_atomic
from vibbench.report.board import Inputs, build
from vibbench.report.docmodel import Figure
from vibbench.scoring.result import Result
from vibbench.text import T

__all__ = [
    "FORMATS",
    "RenderedReport",
    "build_report",
    "format_for",
    "render_report",
    "save_report",
    "write_report",
]

FORMATS = ("markdown", "html", "docx")
EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".docx": "docx"}


def format_for(output: Path, asked: str | None) -> str:
    """The report's format: ``--format`` when given, else from the output's extension."""
    if asked is not None:
        return asked
    found = EXTENSIONS.get(output.suffix.lower())
    if found is None:
        raise UsageError.one(
            Where(str(output)),
            T(
                f"cannot tell the report's format from the extension '{output.suffix or '(none)'}'",
                f"无法从扩展名“{output.suffix or '（无）'}”判断报告格式",
            ),
            T(
                "name the file .md, .html or .docx, or give --format markdown|html|docx",
                "请将文件命名为 .md、.html 或 .docx，或指定 --format markdown|html|docx",
            ),
        )
    return found


@dataclass(frozen=True)
class RenderedReport:
    """A report ready to write: its bytes or text and the files beside it (Markdown's charts)."""

    text: str | bytes
    files: dict[str, bytes]
    """Path relative to the report's folder (``<stem>_charts/dimensions.svg``) → the file's bytes."""
    notes: tuple[str, ...] = ()
    """One-line notes for standard error (e.g. no CJK font for the Word charts)."""


def _figures(
    result: Result, lang: str, fmt: str, folder: str, peers: dict[str, float]
) -> tuple[list[Figure], dict[str, bytes]]:
    from vibbench.report.figures import dimensions_chart, pillars_chart

    figures: list[Figure] = []
    files: dict[str, bytes] = {}
    # the pillars first: the small chart that fits on page 1; the dimensions in the Charts section
    for chart in (pillars_chart(result, lang, peers), dimensions_chart(result, lang, peers)):
        rel = f"{folder}/{chart.name}.svg"
        if fmt == "markdown":
            files[rel] = chart.svg
        figures.append(Figure(chart.name, chart.title, svg=chart.svg, png=chart.png, file=rel))
    return figures, files


def build_report(
    result: Result,
    output: Path,
    *,
    lang: str = "en",
    charts: bool = True,
    fmt: str | None = None,
    peers: Sequence[Result] = (),
    generated: str | None = None,
) -> RenderedReport:
    """The report to be written at ``output`` and its files, as data (nothing is written)."""
    import datetime

    from vibbench import __version__
    from vibbench.scoring.peers import standings
    from vibbench.scoring.projection import projection, roadmap

    output = Path(output)
    kind = format_for(output, fmt)
    standing = standings(result, peers) if peers else []
    medians = {s.id: s.median for s in standing if s.median is not None}
    figures: list[Figure] = []
    files: dict[str, bytes] = {}
    notes: list[str] = []
    if charts:
        figures, files = _figures(result, lang, kind, f"{output.stem}_charts", medians)
        if kind == "docx":
            from vibbench.report.figures import cjk_note

            note = cjk_note(lang)
            if note:
                notes.append(note)
    inputs = Inputs(
        version=__version__,
        generated=generated or datetime.date.today().isoformat(),
        figures=figures,
        charts_drawn=charts,
        phases=projection(result),
        steps=roadmap(result),
        peers=standing,
    )
    doc = build(result, lang, inputs)
    from vibbench.formats import Format, renderer

    text: str | bytes = renderer("report", Format(kind))(doc)
    return RenderedReport(text, files, tuple(notes))


def render_report(
    result: Result,
    lang: str = "en",
    *,
    version: str,
    generated: str,
    charts: bool = False,
) -> str:
    """The report as Markdown, with the version and date passed in (golden tests), without charts
    unless asked (drawing them needs matplotlib)."""
    from vibbench.report import write_markdown
    from vibbench.scoring.projection import projection, roadmap

    figures: list[Figure] = []
    if charts:
        figures, _ = _figures(result, lang, "markdown", "report_charts", {})
    inputs = Inputs(
        version=version,
        generated=generated,
        figures=figures,
        charts_drawn=charts,
        phases=projection(result),
        steps=roadmap(result),
    )
    return write_markdown.render(build(result, lang, inputs))


def write_report(
    result: Result, output: Path, *, lang: str = "en", charts: bool = True, fmt: str | None = None
) -> None:
    """For library use: :func:`build_report`, then :func:`save_report`."""
    save_report(build_report(result, output, lang=lang, charts=charts, fmt=fmt), Path(output))


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
