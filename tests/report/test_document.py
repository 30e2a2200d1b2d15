"""SPEC §6 (v2): the Markdown report (golden files, structure, escaping, roadmap, pandoc)."""

from __future__ import annotations

import dataclasses
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
from vibbench.report import write_markdown
from vibbench.report.board import Inputs, build
from vibbench.report.docmodel import Document, Figure, PageBreak, Table
from vibbench.report.document import render_report
from vibbench.scoring.engine import ScoreOptions, score
from vibbench.scoring.projection import projection, roadmap
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
        "For the funder",
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
        "致主管部门",
        "数据质量",
        "附录：方法与来源",
    ],
}
SUBSECTIONS = {
    "en": [
        "Three findings",
        "Projection",
        "Quick wins",
        "1–3 years",
        "Structural",
        "Method",
        "Weights",
        "Provenance",
    ],
    "zh": ["三点结论", "改革成效预测", "近期见效", "1–3 年", "结构性改革", "方法", "权重", "版本与来源"],
}
TABLES = 2 + 1 + 2 * 2 + 3 + 3 + 2
"""Projection and top actions, pillars, 2 × (dimensions, indicators), 3 themes, 3 horizons,
weights and provenance (no step for the funder in the mini rubric)."""


def document(result: Result, lang: str = "en", charts: str | None = None) -> Document:
    """The report as a document; with ``charts`` (a report's stem) two figures linked beside it, as
    :func:`vibbench.report.document.build_report` makes them, without drawing them."""
    figures = (
        [Figure(name, name.title(), file=f"{charts}_charts/{name}.svg") for name in ("pillars", "dimensions")]
        if charts
        else []
    )
    inputs = Inputs(
        version=VERSION,
        generated=GENERATED,
        figures=figures,
        charts_drawn=charts is not None,
        phases=projection(result),
        steps=roadmap(result),
    )
    return build(result, lang, inputs)


def render(result: Result, lang: str = "en", charts: str | None = None) -> str:
    return write_markdown.render(document(result, lang, charts))


def parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


_FRONT = re.compile(r"\A---\n(?:.*\n)*?---\n\n")


def body(text: str) -> str:
    """The Markdown after its metadata block (which a CommonMark parser does not know)."""
    m = _FRONT.match(text)
    assert m, "the report starts with a metadata block"
    return text[m.end() :]


def headings(text: str, level: int) -> list[str]:
    tokens = parser().parse(body(text))
    return [
        tokens[i + 1].content
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == f"h{level}"
    ]


def section(text: str, title: str) -> str:
    return text.split(f"\n## {title}\n")[1].split("\n## ")[0]


_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def raw_cells(line: str) -> int:
    """Cells of a source table row: unescaped pipes, less the outer ones."""
    return len(_CELL_SPLIT.split(line.strip().strip("|")))


def check_tables(text: str) -> int:
    """Every table row has the header's column count, in the parsed tokens and in the source."""
    text = body(text)
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
    text = render_report(mini_result(), lang, version=VERSION, generated=GENERATED)
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
def test_metadata_block_first(lang: str) -> None:
    text = render(mini_result(), lang)
    title = "Benchmark report: Mini Institute" if lang == "en" else "对标评估报告：Mini Institute"
    tag = "en" if lang == "en" else "zh-CN"
    assert text.startswith(f"---\ntitle: '{title}'\nlang: '{tag}'\ndate: '{GENERATED}'\n---\n\n# {title}\n")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_section_present(lang: str) -> None:
    text = render(mini_result(), lang, "r")
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
    text = render(mini_result(), lang, "r" if charts else None)
    assert check_tables(text) == TABLES


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_blank_line_around_blocks_and_no_raw_html(lang: str) -> None:
    text = render(mini_result(HOSTILE, "x <b>bold</b>\nline | two"), lang, "r")
    lines = text.splitlines()
    for n, line in enumerate(lines):
        if line.startswith("#"):
            assert n == 0 or lines[n - 1] == "", line
            assert lines[n + 1] == "", line
        if line.startswith("|") and (n == 0 or not lines[n - 1].startswith("|")):
            assert lines[n - 1] == "", line
    # the whole text, metadata block included: a reader that does not know metadata blocks sees
    # its lines as text, and they must stay text too
    tokens = parser().parse(text)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    assert not kinds & {"html_block", "html_inline", "link_open", "em_open", "code_inline"}
    images = [c.attrs["src"] for t in tokens for c in t.children or [] if c.type == "image"]
    assert images == ["r_charts/pillars.svg", "r_charts/dimensions.svg"]  # the charts, nothing else
    assert text.endswith("\n") and not text.endswith("\n\n")


def page_one(doc: Document) -> list[object]:
    return doc.blocks[: next(i for i, b in enumerate(doc.blocks) if isinstance(b, PageBreak))]


def test_summary_in_plain_words() -> None:
    result = mini_result()
    text = render(result)
    o = result.overall
    summary = section(text, "Executive summary")
    assert (
        f"Overall {o.score:.1f} against VIB's {o.reference:.1f}: Developing. Gap {o.gap:.1f} points; "
        "67% of the rubric's weight answered." in summary
    )
    worst = min(result.pillars, key=lambda p: p.score or 0.0)
    best = max(result.pillars, key=lambda p: p.score or 0.0)
    top = result.top_priorities(1)[0]
    assert (
        f"- Weakest pillar: {worst.id} {worst.name.en} ({worst.score:.1f}; VIB {worst.reference:.1f})."
        in summary
    )
    assert f"- Strongest pillar: {best.id} {best.name.en} ({best.score:.1f}" in summary
    assert f"- Largest priority: {top.id} {top.indicator.name.en}, {top.priority:.2f} points" in summary
    # the projection: a row per phase, rescored, and the top actions by their points
    for phase, label in zip(
        projection(result), ["After quick wins", "After 1–3 years", "After structural reforms"], strict=True
    ):
        assert phase.score is not None and phase.band is not None
        assert f"| {label} | {phase.score:.1f} | {phase.band.name.en} |" in summary
    steps = sorted(roadmap(result), key=lambda s: -s.points)[:5]
    actions = summary.split("### Top five actions")[1]
    shown = [line.split(" | ")[-1].rstrip(" |") for line in actions.splitlines() if line.startswith("| ")][2:]
    assert shown == [f"{s.points:.2f}" for s in steps]


def test_page_one_holds_verdict_projection_and_actions() -> None:
    doc = document(mini_result(), "en", "r")
    first = page_one(doc)
    anchors = [getattr(b, "anchor", None) for b in first]
    for anchor in ("title", "summary", "findings", "projection", "actions"):
        assert anchor in anchors, anchor
    assert sum(isinstance(b, Figure) for b in first) == 1  # one chart on page 1
    assert sum(isinstance(b, Table) for b in first) == 2


def test_indicator_rows() -> None:
    text = render(mini_result())
    # the group: median of three with the spread; evidence with respondents, shortened, escaped
    assert (
        "| A.X.1 | A level | 3 – Established (median of 3; spread 3) | 75.0 | 4 – Leading | 100.0 | 25.0 |"
        in text
    )
    assert "Carol: Minutes of the \\| council" in text
    # unanswered
    assert "| A.Y.1 | Review cycle | — | — | 5 years | 100.0 | — | — |" in text


def test_evidence_is_shortened() -> None:
    text = render(mini_result(evidence="word " * 100))
    row = next(line for line in text.splitlines() if line.startswith("| A.X.1 | "))
    evidence = row.rstrip(" |").rsplit(" | ", 1)[1]
    assert evidence.endswith("…")
    assert len(evidence) <= 100


def test_data_quality_notes() -> None:
    text = render(mini_result())
    quality = section(text, "Data quality")
    assert "**Respondents disagree:** A.X.1: respondents disagree by 3 levels" in quality
    assert "**Claims without evidence:** A.X.1: level 3 or higher claimed without evidence" in quality
    assert "**Failed consistency checks:** Claims maturity but no money" in quality
    assert "**Rubric drift:** none" in quality
    assert "**Low coverage:** only 67% of the rubric's weight was answered" in quality  # v2: below 80%
    assert "4 of 5 indicators answered" in quality


def test_appendix() -> None:
    text = render(mini_result())
    appendix = text.split("## Appendix: method and provenance")[1]
    assert "| Rubric content hash (sha256) | " + "cd" * 32 + " |" in appendix
    assert "| Input file sha256 | " + "ab" * 32 + " |" in appendix
    assert "| vibbench version | 0.0.0-test |" in appendix
    assert "| Generated | 2026-01-15 |" in appendix
    assert "| Missing answers (--missing) | exclude |" in appendix
    assert "| **A Alpha** | **2** | **66.7%** | **66.7%** |" in appendix
    assert "weighted means" in appendix


def test_options_change_the_method_text() -> None:
    text = render(mini_result(options=ScoreOptions(missing="zero", aggregation="geometric", top=2)))
    assert "unanswered indicators score 0" in text
    assert "geometric means" in text
    assert "| Recommendations for the top (--top) | 2 |" in text
    assert "Recommendations for the 2 indicators" in text
    check_tables(text)


def test_charts_section_without_charts() -> None:
    text = render(mini_result())
    assert "Charts were not drawn (--no-charts)." in section(text, "Charts")
    assert "![" not in text


def test_charts_are_linked_relatively() -> None:
    text = render(mini_result(), "en", "out")
    tokens = parser().parse(body(text))
    images = [c for t in tokens for c in t.children or [] if c.type == "image"]
    # the pillars on page 1, the dimensions in the Charts section
    assert [i.attrs["src"] for i in images] == ["out_charts/pillars.svg", "out_charts/dimensions.svg"]
    assert "](out_charts/dimensions.svg)" in section(text, "Charts")


# --------------------------------------------------------------------------- zh


def test_zh_carries_the_chinese_texts() -> None:
    result = mini_result()
    text = render(result, "zh", "r")
    for chinese in (
        "甲",
        "丁",
        "强化制度性供给",
        "创新科研组织模式",
        "拓宽资本链接通道",
        "做大事",
        "近期见效",
        "近期措施落实后",
        "三点结论",
    ):
        assert chinese in text, chinese
    assert f"总分 {result.overall.score:.1f}，VIB 为 {result.overall.reference:.1f}，处于「发展」阶段" in text
    for english in (
        "Executive summary",
        "Roadmap",
        "Data quality",
        "Strengthen institutional supply",
        "median",
        "Projection",
        "funder",
    ):
        assert english not in text, english


# --------------------------------------------------------------------------- escaping


def inline_text(token: Token) -> str:
    return "".join(c.content for c in token.children or [])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hostile_workbook_text_stays_inert(lang: str) -> None:
    evidence = "first line\nsecond | line <img src=x onerror=alert(1)> *b* `c`\r\n# not a heading"
    result = mini_result(HOSTILE, evidence)
    text = render(result, lang, "r")
    html = parser().render(text)  # metadata block included
    assert "<script" not in html
    assert "<img src=x" not in html
    assert "<em>" not in html and "<code>z" not in html
    # the title renders as exactly the name, as plain text
    tokens = parser().parse(body(text))
    h1 = tokens[[t.type for t in tokens].index("heading_open") + 1]
    assert {c.type for c in h1.children or []} == {"text"}
    assert inline_text(h1).endswith(HOSTILE)
    # the evidence stays in its cell, on one line
    assert check_tables(text) == TABLES
    assert not any(line.startswith("# not a heading") for line in text.splitlines())
    clean = render(mini_result(), lang, "r")
    assert headings(text, 2) == headings(clean, 2)
    assert len(headings(text, 3)) == len(headings(clean, 3))


# --------------------------------------------------------------------------- roadmap


def roadmap_points(text: str) -> dict[str, list[str]]:
    """Indicator id → the points column of its roadmap rows (an English report)."""
    out: dict[str, list[str]] = {}
    for line in section(text, "Roadmap").splitlines():
        if line.startswith("| ") and not line.startswith("| Theme") and not line.startswith("| ---"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            out.setdefault(cells[1].split()[0], []).append(cells[3])
    return out


def rescored_gain(result: Result, indicator: str, target: float) -> float:
    """The overall score gained when ``indicator``'s answers are replaced by one at ``target``:
    rescored here from the assessment, independently of the projection module."""
    a = result.assessment
    kept = tuple(x for x in a.answers if x.indicator != indicator)
    moved = dataclasses.replace(a, answers=(*kept, Answer(indicator, target, "Responses!Z1", f"{target:g}")))
    after = score(moved, result.rubric, result.options).overall.score
    assert after is not None and result.overall.score is not None
    return after - result.overall.score


LOW = (
    Answer("A.X.1", 1.0, "Responses!F2", "1", None, "minutes"),
    Answer("B.Z.1", 1.0, "R!F5", "yes"),
)


@pytest.mark.parametrize(
    ("answers", "options"),
    [(None, ScoreOptions()), (None, ScoreOptions(missing="zero")), (None, ScoreOptions(top=2)), (LOW, None)],
)
def test_roadmap_points_are_the_rescored_gain_of_the_printed_target(
    answers: tuple[Answer, ...] | None, options: ScoreOptions | None
) -> None:
    result = mini_result(answers=answers, options=options)
    points = roadmap_points(render(result))
    steps = roadmap(result)
    assert set(points) == {rec.indicator for rec in result.recommendations if rec.indicator in points}
    assert set(points) == {s.indicator for s in steps if s.actor != "funder"}
    for s in steps:
        gain = rescored_gain(result, s.indicator, s.target)
        count = sum(1 for t in steps if t.indicator == s.indicator)  # one row per recommendation
        assert points[s.indicator] == [f"{gain:.2f}"] * count, (s.indicator, points[s.indicator], gain)
        priority = next(r.priority for r in result.indicators if r.id == s.indicator)
        assert gain <= priority + 1e-9  # reaching a step's target never adds more than the whole gap


def test_roadmap_next_targets() -> None:
    text = render(mini_result())
    assert "| B.Z.1 A yes/no | no → yes | 16.67 |" in text
    assert "| A.X.2 A percent | 20% → 50% |" in text
    assert "| A.X.1 A level | 3 – Established → 4 – Leading | 11.11 |" in text
    low = mini_result(answers=LOW)
    text = render(low)
    # a level moves one step: 1 → 2, worth less than the indicator's whole gap to VIB's 4
    row = next(line for line in section(text, "Roadmap").splitlines() if "A.X.1 A level" in line)
    assert "| 1 – Ad hoc → 2 – Defined |" in row
    ind = next(r for r in low.indicators if r.id == "A.X.1")
    shown = float(row.split(" | ")[3])
    assert 0 < shown < ind.priority
    assert "Start small" in text  # when_below 2
    zh = render(low, "zh")
    assert "1 – 零散 → 2 – 成文" in zh


def test_roadmap_orders_horizons_then_themes() -> None:
    text = render(mini_result())
    plan = section(text, "Roadmap")
    assert plan.index("### Quick wins") < plan.index("### 1–3 years") < plan.index("### Structural")
    structural = plan.split("### Structural")[1]
    assert structural.index("Strengthen institutional supply") < structural.index("Broaden capital-linkage")


# --------------------------------------------------------------------------- edge cases


def test_nothing_answered() -> None:
    result = mini_result(answers=())
    text = render(result, "en", "r")
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
@pytest.mark.parametrize("reader", ["gfm+yaml_metadata_block", "markdown"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pandoc_converts_without_warnings(reader: str, lang: str, tmp_path: Path) -> None:
    text = render(mini_result(HOSTILE, "a\nb | c <script>x</script>"), lang, "r")
    src = tmp_path / "r.md"
    src.write_text(text, encoding="utf-8")
    proc = subprocess.run(
        ["pandoc", "--fail-if-warnings", "-s", "-f", reader, "-t", "html", str(src)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "<script" not in proc.stdout
    assert proc.stdout.count("<table") == TABLES
    assert 'src="r_charts/pillars.svg"' in proc.stdout
    # the metadata block gives the document its title and language
    title = re.search(r"<title>(.*?)</title>", proc.stdout, re.S)
    assert title is not None and "Mini" not in title.group(1)
    assert "A | B &lt;script&gt;alert(1)&lt;/script&gt; *x* _y_ `z`" in " ".join(title.group(1).split())
    assert f'lang="{"en" if lang == "en" else "zh-CN"}"' in proc.stdout


# --------------------------------------------------------------------------- import cost


def test_importing_the_report_does_not_import_matplotlib() -> None:
    code = (
        "import sys, vibbench.report.document; sys.exit('matplotlib' in sys.modules or 'docx' in sys.modules)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, timeout=60, check=False
    )
    assert proc.returncode == 0, "vibbench.report.document imported matplotlib or python-docx"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_title_block_names_the_institution_country_and_type(lang: str) -> None:
    text = render(mini_result(), lang)
    facts = body(text).split("\n\n")[1]
    for fact in ("Mini Institute", "Belgium", "institute", "2025", "mini 1", GENERATED):
        assert fact in facts, fact
