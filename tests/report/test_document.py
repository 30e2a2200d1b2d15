"""SPEC §6: the Markdown report (golden files, structure, escaping, roadmap, pandoc)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from tests.conftest import ROOT
from tests.report.fixtures import GENERATED, HOSTILE, VERSION, mini_result
from vibbench.report.document import render_report
from vibbench.report.json_format import to_dict
from vibbench.scoring.engine import ScoreOptions
from vibbench.scoring.result import Result
from vibbench.workbook.model import Answer

GOLDEN = ROOT / "tests" / "golden"

SECTIONS = {
    "en": [
        "Executive summary",
        "Pillars",
        "Charts",
        "Pillar A: Alpha",
        "Pillar B: Beta",
        "Recommendations by reform theme",
        "Roadmap",
        "Data quality",
        "Appendix: method and provenance",
    ],
    "zh": [
        "摘要",
        "支柱概览",
        "图表",
        "支柱 A：甲",
        "支柱 B：丁",
        "按改革主题分列的建议",
        "改革路线图",
        "数据质量",
        "附录：方法与来源",
    ],
}
SUBSECTIONS = {
    "en": ["Quick wins", "1–3 years", "Structural", "Method", "Weights", "Provenance"],
    "zh": ["近期见效", "1–3 年", "结构性改革", "方法", "权重", "版本与来源"],
}


def charts_for(stem: str) -> dict[str, str]:
    return {"pillars": f"{stem}_charts/pillars.svg", "dimensions": f"{stem}_charts/dimensions.svg"}


def render(result: Result, lang: str = "en", charts: dict[str, str] | None = None) -> str:
    return render_report(result, lang, charts, version=VERSION, generated=GENERATED)


def parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def headings(text: str, level: int) -> list[str]:
    tokens = parser().parse(text)
    return [
        tokens[i + 1].content
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == f"h{level}"
    ]


_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def raw_cells(line: str) -> int:
    """Cells of a source table row: unescaped pipes, less the outer ones."""
    return len(_CELL_SPLIT.split(line.strip().strip("|")))


def check_tables(text: str) -> int:
    """Every table row has the header's column count, in the parsed tokens and in the source."""
    tokens = parser().parse(text)
    lines = text.splitlines()
    tables = 0
    i = 0
    while i < len(tokens):
        if tokens[i].type != "table_open":
            i += 1
            continue
        tables += 1
        start, end = tokens[i].map or (0, 0)
        source = lines[start:end]
        width = raw_cells(source[0])
        assert all(raw_cells(line) == width for line in source), source
        counts: list[int] = []
        cells = 0
        while tokens[i].type != "table_close":
            if tokens[i].type == "tr_open":
                cells = 0
            elif tokens[i].type in ("th_open", "td_open"):
                cells += 1
            elif tokens[i].type == "tr_close":
                counts.append(cells)
            i += 1
        assert counts and all(c == width for c in counts), (source[0], counts)
        assert len(counts) == len(source) - 1  # the delimiter row is no row
    return tables


# --------------------------------------------------------------------------- golden


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_golden(lang: str) -> None:
    text = render(mini_result(), lang, charts_for(f"report_mini_{lang}"))
    path = GOLDEN / f"report_mini_{lang}.md"
    if os.environ.get("VIBBENCH_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.exists(), f"no golden file {path}: run with VIBBENCH_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), (
        f"{path.name} differs; if the change is intended, run VIBBENCH_UPDATE_GOLDEN=1 pytest tests/report"
    )


# --------------------------------------------------------------------------- structure


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_section_present(lang: str) -> None:
    text = render(mini_result(), lang, charts_for("r"))
    assert len(headings(text, 1)) == 1
    h2 = headings(text, 2)
    assert h2 == SECTIONS[lang]
    h3 = headings(text, 3)
    for sub in SUBSECTIONS[lang]:
        assert sub in h3, sub
    assert len(set(h2 + h3)) == len(h2 + h3), "headings must be unique (anchors)"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("charts", [True, False])
def test_tables_are_rectangular(lang: str, charts: bool) -> None:
    text = render(mini_result(), lang, charts_for("r") if charts else None)
    # pillars, 2 × (dimensions, indicators), 3 themes, 3 horizons, weights, provenance
    assert check_tables(text) == 1 + 4 + 3 + 3 + 2


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_blank_line_around_blocks_and_no_raw_html(lang: str) -> None:
    text = render(mini_result(HOSTILE, "x <b>bold</b>\nline | two"), lang, charts_for("r"))
    lines = text.splitlines()
    for n, line in enumerate(lines):
        if line.startswith("#"):
            assert n == 0 or lines[n - 1] == "", line
            assert lines[n + 1] == "", line
        if line.startswith("|") and (n == 0 or not lines[n - 1].startswith("|")):
            assert lines[n - 1] == "", line
    tokens = parser().parse(text)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    assert "html_block" not in kinds
    assert "html_inline" not in kinds
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_summary_in_plain_words() -> None:
    result = mini_result()
    text = render(result)
    o = result.overall
    assert f"Overall {o.score:.1f} against VIB's {o.reference:.1f} — developing." in text
    top = result.top_priorities(3)
    assert len(top) == 3
    summary = text.split("## Executive summary")[1].split("##")[0]
    assert "The three largest gaps:" in summary
    for r in top:
        assert f"{r.id} " in summary and f"({r.priority:.2f} points)" in summary


def test_indicator_rows() -> None:
    text = render(mini_result())
    # the group: median of three with the spread; evidence with respondents, shortened, escaped
    assert (
        "| A.X.1 A level | 3 – Established (median of 3; spread 3) | 75.0 | 4 – Leading | 100.0 | 25.0 |"
        in text
    )
    assert "Carol: Minutes of the \\| council" in text
    # unanswered
    assert "| A.Y.1 Review cycle | — | — | 5 years | 100.0 | — | — |" in text


def test_evidence_is_shortened() -> None:
    text = render(mini_result(evidence="word " * 100))
    row = next(line for line in text.splitlines() if line.startswith("| A.X.1 "))
    evidence = row.rstrip(" |").rsplit(" | ", 1)[1]
    assert evidence.endswith("…")
    assert len(evidence) <= 100


def test_data_quality_notes() -> None:
    text = render(mini_result())
    quality = text.split("## Data quality")[1].split("\n## ")[0]
    assert "**Respondents disagree:** A.X.1: respondents disagree by 3 levels" in quality
    assert "**Claims without evidence:** A.X.1: level 3 or higher claimed without evidence" in quality
    assert "**Failed consistency checks:** Claims maturity but no money" in quality
    assert "**Rubric drift:** none" in quality
    assert "**Low coverage:** only 67% of the rubric's weight was answered" in quality  # v2: below 80%
    assert "4 of 5 indicators answered" in quality


def test_appendix() -> None:
    result = mini_result()
    text = render(result)
    appendix = text.split("## Appendix: method and provenance")[1]
    assert "`" + "cd" * 32 + "`" in appendix  # rubric content hash
    assert "`" + "ab" * 32 + "`" in appendix  # input sha256
    assert "| vibbench version | 0.0.0-test |" in appendix
    assert "| Generated | 2026-01-15 |" in appendix
    assert "| Missing answers (--missing) | exclude |" in appendix
    assert "| **A Alpha** | 2 | 66.7% | 66.7% |" in appendix
    assert "weighted means" in appendix


def test_options_change_the_method_text() -> None:
    text = render(mini_result(options=ScoreOptions(missing="zero", aggregation="geometric", top=2)))
    assert "unanswered indicators score 0" in text
    assert "geometric means" in text
    assert "| Recommendations for the top (--top) | 2 |" in text
    assert "not answered →" not in text or "A.Y.1" in text
    check_tables(text)


def test_charts_section_without_charts() -> None:
    text = render(mini_result())
    charts = text.split("## Charts")[1].split("\n## ")[0]
    assert "Charts were not drawn (--no-charts)." in charts
    assert "![" not in text


def test_charts_are_linked_relatively() -> None:
    text = render(mini_result(), "en", charts_for("out"))
    tokens = parser().parse(text)
    images = [c for t in tokens for c in t.children or [] if c.type == "image"]
    assert [i.attrs["src"] for i in images] == ["out_charts/pillars.svg", "out_charts/dimensions.svg"]


# --------------------------------------------------------------------------- zh


def test_zh_carries_the_chinese_texts() -> None:
    result = mini_result()
    text = render(result, "zh", charts_for("r"))
    for chinese in (
        "甲",
        "丁",
        "强化制度性供给",
        "创新科研组织模式",
        "拓宽资本链接通道",
        "做大事",
        "近期见效",
    ):
        assert chinese in text, chinese
    assert f"总分 {result.overall.score:.1f}，VIB 为 {result.overall.reference:.1f}，处于「发展」阶段" in text
    assert "差距最大的三项" in text
    for english in (
        "Executive summary",
        "Roadmap",
        "Data quality",
        "Strengthen institutional supply",
        "median",
    ):
        assert english not in text, english


# --------------------------------------------------------------------------- escaping


def inline_text(token: Token) -> str:
    return "".join(c.content for c in token.children or [])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hostile_workbook_text_stays_inert(lang: str) -> None:
    evidence = "first line\nsecond | line <img src=x onerror=alert(1)> *b* `c`\r\n# not a heading"
    result = mini_result(HOSTILE, evidence)
    text = render(result, lang, charts_for("r"))
    html = parser().render(text)
    assert "<script" not in html
    assert "<img src=x" not in html
    assert "<em>" not in html and "<code>z" not in html
    # the title renders as exactly the name, as plain text
    tokens = parser().parse(text)
    h1 = tokens[[t.type for t in tokens].index("heading_open") + 1]
    assert {c.type for c in h1.children or []} == {"text"}
    assert inline_text(h1).endswith(HOSTILE)
    # the evidence stays in its cell, on one line
    assert check_tables(text) == 13
    assert not any(line.startswith("# not a heading") for line in text.splitlines())
    clean = render(mini_result(), lang, charts_for("r"))
    assert len(headings(text, 2)) == len(headings(clean, 2))
    assert len(headings(text, 3)) == len(headings(clean, 3))


# --------------------------------------------------------------------------- roadmap


def roadmap_points(text: str) -> dict[str, list[str]]:
    roadmap = text.split("## Roadmap")[1].split("\n## ")[0]
    out: dict[str, list[str]] = {}
    for line in roadmap.splitlines():
        if line.startswith("| ") and not line.startswith("| Theme") and not line.startswith("| ---"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            out.setdefault(cells[1].split()[0], []).append(cells[3])
    return out


@pytest.mark.parametrize("options", [ScoreOptions(), ScoreOptions(missing="zero"), ScoreOptions(top=2)])
def test_roadmap_points_equal_json_priorities(options: ScoreOptions) -> None:
    result = mini_result(options=options)
    priorities = {i["id"]: i["priority"] for i in to_dict(result)["indicators"]}
    points = roadmap_points(render(result))
    top = [r.id for r in result.top_priorities(options.top)]
    assert set(points) == {rec.indicator for rec in result.recommendations}
    assert set(points) <= set(top)
    for ident, shown in points.items():
        assert all(p == f"{priorities[ident]:.2f}" for p in shown), (ident, shown)


def test_roadmap_next_targets() -> None:
    text = render(mini_result())
    assert "| no → yes (VIB's value) | 16.67 |" in text
    assert "| 20% → 50% (VIB's value) |" in text
    assert "3 – Established → 4 – Leading (VIB's level)" in text
    low = mini_result(
        answers=(
            Answer("A.X.1", 1.0, "Responses!F2", "1", None, "minutes"),
            Answer("B.Z.1", 1.0, "R!F5", "yes"),
        )
    )
    text = render(low)
    assert "1 – Ad hoc → 2 – Defined (next level; VIB: 4 – Leading)" in text
    assert "Start small" in text  # when_below 2
    zh = render(low, "zh")
    assert "1 – 零散 → 2 – 成文（下一级；VIB：4 – 领先）" in zh


def test_roadmap_orders_horizons_then_themes() -> None:
    text = render(mini_result())
    roadmap = text.split("## Roadmap")[1].split("\n## ")[0]
    assert roadmap.index("### Quick wins") < roadmap.index("### 1–3 years") < roadmap.index("### Structural")
    structural = roadmap.split("### Structural")[1]
    assert structural.index("Strengthen institutional supply") < structural.index("Broaden capital-linkage")


# --------------------------------------------------------------------------- edge cases


def test_nothing_answered() -> None:
    result = mini_result(answers=())
    text = render(result, "en", charts_for("r"))
    assert "No indicator was answered, so there is no overall score." in text
    assert "No indicator of this pillar was answered" in text
    assert "**Low coverage:** only 0%" in text
    check_tables(text)
    assert "Nothing in this horizon." in text


def test_pillar_without_answers() -> None:
    result = mini_result(answers=(Answer("A.X.1", 2.0, "R!F2", "2", None, "ok"),))
    text = render(result, "zh")
    assert "本支柱没有任何指标被回答，未计入总分。" in text
    check_tables(text)


# --------------------------------------------------------------------------- pandoc


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
@pytest.mark.parametrize("reader", ["gfm", "markdown"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pandoc_converts_without_warnings(reader: str, lang: str, tmp_path: Path) -> None:
    text = render(mini_result(HOSTILE, "a\nb | c <script>x</script>"), lang, charts_for("r"))
    src = tmp_path / "r.md"
    src.write_text(text, encoding="utf-8")
    proc = subprocess.run(
        ["pandoc", "--fail-if-warnings", "-f", reader, "-t", "html", str(src)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "<script" not in proc.stdout
    assert proc.stdout.count("<table") == 13
    assert 'src="r_charts/pillars.svg"' in proc.stdout


# --------------------------------------------------------------------------- import cost


def test_importing_the_report_does_not_import_matplotlib() -> None:
    code = "import sys, vibbench.report.document; sys.exit('matplotlib' in sys.modules)"
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, timeout=60, check=False
    )
    assert proc.returncode == 0, "vibbench.report.document imported matplotlib"
