"""`vibbench report` end to end on the sample workbooks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from tests.conftest import ROOT
from tests.report.fixtures import HOSTILE
from tests.report.test_document import SUBSECTIONS, body, check_tables, headings, roadmap_points

SAMPLES = sorted((ROOT / "samples").glob("*.xlsx"))
# No skip when the reader or the samples are missing: that is a failure, not a reason to skip.
assert SAMPLES, "no sample workbooks in samples/"

runner = CliRunner()

H2 = {
    "en": [
        "Executive summary",
        "Pillars",
        "Charts",
        "Recommendations by reform theme",
        "Roadmap",
        "For the funder",
        "Data quality",
    ],
    "zh": ["摘要", "支柱概览", "图表", "按改革主题分列的建议", "改革路线图", "致主管部门", "数据质量"],
}


def run(*args: str) -> str:
    from vibbench.cli import app

    res = runner.invoke(app, list(args))
    assert res.exit_code == 0, res.output
    return res.stdout


def images(text: str) -> list[str]:
    tokens = MarkdownIt("commonmark").enable("table").parse(body(text))
    return [str(c.attrs["src"]) for t in tokens for c in t.children or [] if c.type == "image"]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("book", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_report_every_sample(book: Path, lang: str, tmp_path: Path) -> None:
    out = tmp_path / f"{book.stem}.md"
    run("report", str(book), "--output", str(out), "--lang", lang)
    text = out.read_text(encoding="utf-8")
    h2 = headings(text, 2)
    for section in H2[lang]:
        assert section in h2, section
    assert h2[-1] == ("Appendix: method and provenance" if lang == "en" else "附录：方法与来源")
    for sub in SUBSECTIONS[lang]:
        assert sub in headings(text, 3)
    check_tables(text)
    links = images(text)
    assert links == [f"{book.stem}_charts/pillars.svg", f"{book.stem}_charts/dimensions.svg"]
    for link in links:
        ET.parse(out.parent / unquote(link))


def test_roadmap_matches_score_json(tmp_path: Path) -> None:
    """The roadmap's points are the JSON roadmap's: the rescored gain of the printed target."""
    book = SAMPLES[0]
    out = tmp_path / "r.md"
    run("report", str(book), "--output", str(out), "--no-charts")
    doc = json.loads(run("score", str(book), "--format", "json"))
    expected: dict[str, list[str]] = {}
    for step in doc["roadmap"]:
        if step["actor"] != "funder":
            expected.setdefault(step["indicator"], []).append(f"{step['points']:.2f}")
    points = roadmap_points(out.read_text(encoding="utf-8"))
    assert points
    assert {k: sorted(v) for k, v in points.items()} == {k: sorted(v) for k, v in expected.items()}
    assert not (tmp_path / "r_charts").exists()


def _sample_with(book: Path, name: str, evidence: str) -> tuple[Any, dict[Any, int]]:
    """The first sample, with institution name ``name`` and ``evidence`` on its first answer,
    saved as ``book``; its workbook (openpyxl) and Responses header → column, for more edits."""
    import openpyxl

    shutil.copy(SAMPLES[0], book)
    wb = openpyxl.load_workbook(book)
    wb["Institution"]["B2"] = name
    responses = wb["Responses"]
    header = {c.value: c.column for c in responses[1]}
    evidence_col = next(col for key, col in header.items() if key in ("evidence", "Evidence", "佐证材料"))
    responses.cell(row=2, column=evidence_col, value=evidence)
    wb.save(book)
    return wb, header


def test_hostile_workbook_renders_as_plain_text(tmp_path: Path) -> None:
    book = tmp_path / "hostile.xlsx"
    _sample_with(book, HOSTILE, "one\ntwo | three <script>alert(2)</script>")
    out = tmp_path / "hostile.md"
    run("report", str(book), "--output", str(out))
    text = out.read_text(encoding="utf-8")
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    check_tables(text)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_terminal_table_keeps_names_whole_when_narrow(lang: str) -> None:
    """On a narrow terminal the pillar bars shrink, then go; pillar names are never cut to '…'."""
    from vibbench.report import table
    from vibbench.scoring.engine import score_file

    result = score_file(SAMPLES[0], "vib")
    for width, bars in ((60, False), (72, True), (100, True)):
        text = table.render(result, lang, width=width)
        pillars = text.partition(table.label("pillars", lang))[2].partition(table.label("dimensions", lang))[
            0
        ]
        for p in result.pillars:
            assert f"{p.id} {p.name.get(lang)}" in pillars, (width, pillars)
        assert ("█" in pillars or "·" in pillars) is bars, (width, pillars)
        assert max(map(len, text.splitlines())) <= width


def test_terminal_table_says_none_when_nothing_to_prioritise(tmp_path: Path) -> None:
    from vibbench.report import markdown_summary, table
    from vibbench.rubric.loader import load_rubric
    from vibbench.scoring.engine import score_file
    from vibbench.workbook.template import write_template

    blank = tmp_path / "blank.xlsx"
    write_template(load_rubric("vib"), blank, lang="zh")
    result = score_file(blank, "vib")
    text = table.render(result, "zh")
    block = text.partition(table.label("priorities", "zh"))[2].partition(table.label("warnings", "zh"))[0]
    assert table.label("none", "zh") in block
    summary = markdown_summary.render(result, "en")
    block = summary.partition("## Top priorities")[2].partition("## Warnings")[0]
    assert block.strip() == "None"


TERMINAL_TRICKS = "Evil_x001B_[31mRED_x001B_[0m_x000D_Good \u202eSpoof [bold]B[/bold]"
"""Excel's ``_xHHHH_`` escapes (which calamine decodes) for an escape sequence and a carriage
return, a right-to-left override, and rich markup: none may reach a terminal as such."""


def test_workbook_text_cannot_drive_the_terminal(tmp_path: Path) -> None:
    book = tmp_path / "tricks.xlsx"
    wb, header = _sample_with(book, TERMINAL_TRICKS, TERMINAL_TRICKS)
    responses = wb["Responses"]
    # the same with an unknown id, which an error line quotes
    answer_col = next(col for name, col in header.items() if name in ("answer", "Answer", "回答"))
    row = responses.max_row + 1
    responses.cell(row=row, column=1, value="NO.SUCH_x001B_[2J.ID")
    responses.cell(row=row, column=answer_col, value=3)
    wrong = tmp_path / "tricks-unknown-id.xlsx"
    wb.save(wrong)
    outputs = []
    for args in (
        ["score", str(book)],
        ["score", str(book), "--format", "csv"],
        ["score", str(book), "--format", "markdown"],
        ["compare", str(book), str(SAMPLES[0])],
        ["compare", str(book), "--format", "csv"],
        ["score", str(wrong)],
    ):
        res = subprocess.run([sys.executable, "-m", "vibbench", *args], capture_output=True)
        outputs.append((res.stdout + res.stderr).decode("utf-8"))  # bytes: a text pipe would turn \r into \n
    assert "NO.SUCH[2J.ID" in outputs[-1]  # the error names the id, without its escape
    for text in outputs:
        assert not {"\x1b", "\r", "\u202e"} & set(text), text[:400]
    assert "[bold]B[/bold]" in outputs[0] and "[bold]B[/bold]" in outputs[3]  # shown, not obeyed


def test_a_failed_report_run_leaves_no_file_and_no_charts_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vibbench.report.document as document
    from vibbench.cli import app

    real = document.write_atomic

    def failing(path: Path, data: str | bytes) -> None:
        if Path(path).suffix == ".md":
            raise PermissionError(13, "Permission denied", str(path))
        real(path, data)

    monkeypatch.setattr(document, "write_atomic", failing)
    res = runner.invoke(app, ["report", str(SAMPLES[0]), "--output", str(tmp_path / "r.md")])
    assert res.exit_code != 0
    assert "Traceback" not in res.output
    assert list(tmp_path.iterdir()) == []
