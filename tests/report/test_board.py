"""Issue 14: the board report — one document, three writers; HTML in a real browser, Word reopened
and converted by LibreOffice; escaping in every format; peers; the funder's section; the command."""

from __future__ import annotations

import dataclasses
import html
import io
import json
import re
import shutil
import struct
import subprocess
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from tests.conftest import ROOT
from tests.report.fixtures import GENERATED, VERSION, mini_result
from tests.report.test_charts import svg_texts
from tests.report.test_document import body, section
from vibbench.report.board import Inputs, build
from vibbench.report.document import build_report
from vibbench.rubric.loader import load_rubric
from vibbench.scoring.engine import score, score_file
from vibbench.scoring.peers import standings
from vibbench.scoring.projection import projection, roadmap
from vibbench.scoring.result import Result
from vibbench.workbook.model import Answer, Assessment

SAMPLES = sorted((ROOT / "samples").glob("*.xlsx"))
assert SAMPLES, "no sample workbooks in samples/"
SAMPLE = ROOT / "samples" / "academy-institute-2025.xlsx"
V2 = ROOT / "tests" / "fixtures" / "rubrics" / "v2.yaml"
HOSTILE = "A | B <script>alert(1)</script> ![x](http://evil.example/p.png) [x](javascript:alert(1))"

runner = CliRunner()


@pytest.fixture(scope="module")
def sample() -> Result:
    return score_file(SAMPLE, "vib")


def rendered(result: Result, tmp: Path, fmt: str, lang: str = "en", charts: bool = True) -> Path:
    """The report written as ``tmp/r.<ext>`` (and its charts beside a Markdown one)."""
    ext = {"markdown": "md", "html": "html", "docx": "docx"}[fmt]
    out = tmp / f"r.{ext}"
    report = build_report(result, out, lang=lang, charts=charts, fmt=fmt, generated=GENERATED)
    from vibbench.report.document import save_report

    save_report(report, out)
    return out


# --------------------------------------------------------------------------- readers


def md_parts(text: str) -> tuple[list[str], list[list[str]]]:
    """A Markdown report's section titles (h2) and its tables' cells, as text."""
    tokens = MarkdownIt("commonmark").enable("table").parse(body(text))
    h2 = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]
    tables: list[list[str]] = []
    for i, t in enumerate(tokens):
        if t.type == "table_open":
            tables.append([])
        elif t.type in ("th_open", "td_open"):
            inline = tokens[i + 1]
            tables[-1].append("".join(c.content for c in inline.children or [] if c.type == "text"))
    return h2, tables


def html_parts(page: str) -> tuple[list[str], list[list[str]]]:
    h2 = [html.unescape(m) for m in re.findall(r"<h2[^>]*>(.*?)</h2>", page, re.S)]
    tables = [
        [html.unescape(c) for c in re.findall(r"<t[hd](?:\s[^>]*)?>(.*?)</t[hd]>", t, re.S)]
        for t in re.findall(r"<table>(.*?)</table>", page, re.S)
    ]
    return h2, tables


def docx_parts(data: bytes) -> tuple[list[str], list[list[str]]]:
    import docx

    word = docx.Document(io.BytesIO(data))
    h2 = [p.text for p in word.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    tables = [[c.text for row in t.rows for c in row.cells] for t in word.tables]
    return h2, tables


NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?%?")


def numbers(tables: list[list[str]]) -> list[list[str]]:
    return [[n for cell in t for n in NUMBER.findall(cell)] for t in tables]


# --------------------------------------------------------------------------- one document, three writers


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_three_writers_hold_the_same_sections_and_numbers(sample: Result, lang: str, tmp_path: Path) -> None:
    md = md_parts(rendered(sample, tmp_path, "markdown", lang, charts=False).read_text(encoding="utf-8"))
    page = html_parts(rendered(sample, tmp_path, "html", lang, charts=False).read_text(encoding="utf-8"))
    word = docx_parts(rendered(sample, tmp_path, "docx", lang, charts=False).read_bytes())
    assert md[0] == page[0] == word[0]
    assert len(md[0]) >= 8
    assert len(md[1]) == len(page[1]) == len(word[1]) >= 10
    assert numbers(md[1]) == numbers(page[1]) == numbers(word[1])
    assert sum(map(len, numbers(md[1]))) > 100  # the comparison compares something
    # and the very cells, text included
    assert md[1] == page[1] == word[1]


def test_three_writers_hold_the_same_figures(sample: Result, tmp_path: Path) -> None:
    import docx

    md = rendered(sample, tmp_path, "markdown").read_text(encoding="utf-8")
    page = rendered(sample, tmp_path, "html").read_text(encoding="utf-8")
    word = docx.Document(rendered(sample, tmp_path, "docx"))
    assert md.count("](r_charts/") == 2
    assert page.count("<figure") == page.count("<svg") == 2
    assert len(word.inline_shapes) == 2


# --------------------------------------------------------------------------- HTML in a real browser


def browser() -> str | None:
    return next(
        (
            found
            for name in ("chromium", "chromium-browser", "google-chrome")
            if (found := shutil.which(name))
        ),
        None,
    )


needs_browser = pytest.mark.skipif(
    browser() is None or shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None,
    reason="needs chromium (or chromium-browser/google-chrome) and poppler-utils",
)


def print_to_pdf(page: Path, tmp: Path) -> tuple[Path, list[str]]:
    """``page`` printed to PDF by a headless browser with networking off; the PDF and the URLs the
    page asked for (the browser's own background requests, which have no initiator, left out)."""
    exe = browser()
    assert exe is not None
    pdf, net = tmp / f"{page.stem}.pdf", tmp / f"{page.stem}-net.json"
    proc = subprocess.run(
        [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp / 'profile'}",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--log-net-log={net}",
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert proc.returncode == 0 and pdf.exists(), proc.stderr.decode("utf-8", "replace")[-2000:]
    return pdf, page_requests(json.loads(net.read_text(encoding="utf-8")))


def page_requests(log: dict[str, Any]) -> list[str]:
    """URLs of the requests a page started, from a Chromium net log."""
    kinds = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    return [
        e["params"]["url"]
        for e in log["events"]
        if kinds.get(e["type"]) == "URL_REQUEST_START_JOB"
        and "url" in e.get("params", {})
        and e["params"].get("initiator") != "not an origin"
    ]


def pdf_pages(pdf: Path) -> tuple[int, float, float]:
    info = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    assert size is not None, info
    return pages, float(size.group(1)), float(size.group(2))


def first_page(pdf: Path) -> str:
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    return " ".join(text.split())


def assert_a4(pdf: Path) -> int:
    pages, width, height = pdf_pages(pdf)
    assert abs(width - 595) <= 1 and abs(height - 842) <= 1, (width, height)
    return pages


@needs_browser
def test_net_log_check_sees_a_page_that_asks_for_urls(tmp_path: Path) -> None:
    """The check below is real: a page with an image and a stylesheet from elsewhere is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<html><body><img src="http://evil.example/p.png">'
        '<link rel="stylesheet" href="https://fonts.example/x.css"></body></html>',
        encoding="utf-8",
    )
    _, requests = print_to_pdf(bad, tmp_path)
    assert set(requests) == {"http://evil.example/p.png", "https://fonts.example/x.css"}


@needs_browser
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_html_prints_to_a4_with_the_summary_on_page_one(sample: Result, lang: str, tmp_path: Path) -> None:
    hostile = dataclasses.replace(
        sample.assessment, institution={**sample.assessment.institution, "name": HOSTILE}
    )
    result = dataclasses.replace(sample, assessment=hostile)
    page = rendered(result, tmp_path, "html", lang)
    source = page.read_text(encoding="utf-8")
    assert not re.search(r"https?://(?!evil\.example/p\.png\))", source), "no URL but the name's text"
    assert not re.search(r"\s(?:src|href)\s*=", source)
    pdf, requests = print_to_pdf(page, tmp_path)
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert assert_a4(pdf) > 1
    text = first_page(pdf)
    o = result.overall
    assert o.score is not None and o.band is not None
    if lang == "en":
        assert f"Overall {o.score:.1f} against VIB's {o.reference:.1f}: {o.band.name.en}." in text
        labels = ["After quick wins", "After 1–3 years", "After structural reforms"]
    else:
        assert f"总分 {o.score:.1f}，VIB 为 {o.reference:.1f}，处于「{o.band.name.zh}」阶段" in text
        labels = ["近期措施落实后", "1–3 年后", "结构性改革后"]
    for label, phase in zip(labels, projection(result), strict=True):
        assert phase.score is not None and phase.band is not None
        assert re.search(
            rf"{re.escape(label)} {phase.score:.1f} {re.escape(phase.band.name.get(lang))}", text
        ), (label, text)
    assert "<script>" in text  # the name, printed as text


# --------------------------------------------------------------------------- Word


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_docx_reopens_as_a_board_document(sample: Result, tmp_path: Path) -> None:
    import docx
    from docx.oxml.ns import qn

    word = docx.Document(rendered(sample, tmp_path, "docx"))
    for s in word.sections:
        assert round(s.page_width.mm) == 210 and round(s.page_height.mm) == 297  # A4 portrait
    styles = [p.style.name for p in word.paragraphs if p.style is not None and p.text.strip()]
    assert styles.count("Title") == 1
    assert "Heading 1" in styles and "Heading 2" in styles
    assert word.core_properties.title == "Benchmark report: " + sample.assessment.name
    assert word.tables
    for table in word.tables:
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows[1:])
    # the action / recommendation column is the widest wherever there is one
    long_tables = 0
    for table in word.tables:
        head = [c.text for c in table.rows[0].cells]
        for name in ("Action", "Recommendation", "Evidence"):
            if name in head:
                widths = [c.width for c in table.columns]
                assert widths[head.index(name)] == max(widths), (head, widths)
                long_tables += 1
    assert long_tables >= 3
    # the ids stand whole: the id column is as wide as its longest id
    ids = next(t for t in word.tables if t.rows[0].cells[0].text == "ID")
    longest = max(len(r.cells[0].text) for r in ids.rows)
    assert ids.columns[0].width.mm >= longest * 1.9
    # the charts: PNG at 150 dpi or more at their printed width
    shapes = list(word.inline_shapes)
    assert len(shapes) == 2
    for shape in shapes:
        rid = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        blob = word.part.related_parts[rid].blob
        pixels, _ = png_size(blob)
        assert pixels / shape.width.inches >= 150, pixels / shape.width.inches


def test_docx_east_asian_font_and_language(sample: Result, tmp_path: Path) -> None:
    import docx
    from docx.oxml.ns import qn

    from vibbench.report import write_docx

    word = docx.Document(rendered(sample, tmp_path, "docx", "zh", charts=False))
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        fonts = word.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == write_docx.EAST_ASIAN_FONT, name
    assert word.core_properties.language == "zh-CN"


def soffice_pdf(docx_path: Path, tmp: Path) -> Path:
    exe = shutil.which("soffice")
    assert exe is not None
    out = tmp / "pdf"
    proc = subprocess.run(
        [
            exe,
            "--headless",
            f"-env:UserInstallation={(tmp / 'lo-profile').resolve().as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(docx_path),
        ],
        capture_output=True,
        timeout=300,
        check=False,
    )
    pdf = out / (docx_path.stem + ".pdf")
    assert proc.returncode == 0 and pdf.exists(), proc.stderr.decode("utf-8", "replace")[-2000:]
    return pdf


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None,
    reason="needs LibreOffice (soffice) and poppler-utils",
)
def test_docx_converts_to_a4_with_the_summary_on_page_one(sample: Result, tmp_path: Path) -> None:
    pdf = soffice_pdf(rendered(sample, tmp_path, "docx"), tmp_path)
    assert assert_a4(pdf) > 1
    text = first_page(pdf)
    o = sample.overall
    assert o.band is not None
    assert "Executive summary" in text
    assert f"Overall {o.score:.1f} against VIB's {o.reference:.1f}: {o.band.name.en}." in text
    assert "Three findings" in text and "Projection" in text
    assert "Appendix" not in text and "Data quality" not in text  # the detail starts on a later page


# --------------------------------------------------------------------------- escaping in every format


def hostile_result() -> Result:
    return mini_result(HOSTILE, "evidence ![y](https://evil.example/q.png) <img src=x onerror=alert(1)>")


def test_hostile_names_make_no_markup_link_or_request_in_markdown(tmp_path: Path) -> None:
    text = rendered(hostile_result(), tmp_path, "markdown", charts=False).read_text(encoding="utf-8")
    tokens = MarkdownIt("commonmark").enable("table").parse(text)  # the metadata block too
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    assert not kinds & {"html_block", "html_inline", "link_open", "image", "em_open", "code_inline"}
    rendered_html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script" not in rendered_html and "<img" not in rendered_html and "<a " not in rendered_html


def test_hostile_names_make_no_markup_link_or_request_in_html(tmp_path: Path) -> None:
    page = rendered(hostile_result(), tmp_path, "html", charts=False).read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page and "<a " not in page
    assert not re.search(r"\s(?:src|href|srcset|action|formaction|style)\s*=\s*[\"']?[a-z]+:", page, re.I)
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title is not None and html.unescape(title.group(1)) == "Benchmark report: " + HOSTILE
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert h1 is not None and html.unescape(h1.group(1)) == "Benchmark report: " + HOSTILE


def test_hostile_names_make_no_markup_link_or_request_in_docx(tmp_path: Path) -> None:
    import zipfile

    import docx

    path = rendered(hostile_result(), tmp_path, "docx", charts=False)
    word = docx.Document(path)
    assert word.paragraphs[0].text == "Benchmark report: " + HOSTILE
    assert all("hyperlink" not in rel.reltype for rel in word.part.rels.values())
    assert all(not rel.is_external for rel in word.part.rels.values())
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
        assert "<w:hyperlink" not in xml and "HYPERLINK" not in xml and "<script" not in xml
        assert not any(n.startswith("word/media/") for n in z.namelist())  # no picture but the charts


# --------------------------------------------------------------------------- peers


def test_peers_percentiles_in_tables_chart_and_verdict(tmp_path: Path) -> None:
    from vibbench.cli import app

    others = [p for p in SAMPLES if p != SAMPLE]
    out = tmp_path / "r.md"
    args = ["report", str(SAMPLE), "--output", str(out)]
    for p in others:
        args += ["--peers", str(p)]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    result = score_file(SAMPLE, "vib")
    peers = [score_file(p, "vib") for p in others]
    standing = {s.id: s for s in standings(result, peers)}
    overall = standing["overall"]
    assert overall.percentile is not None
    p = round(overall.percentile)
    ordinal = f"{p}{'th' if 10 <= p % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(p % 10, 'th')}"
    summary = section(text, "Executive summary")
    assert f"Among {overall.peers} peers it stands at the {ordinal} percentile." in summary
    # the pillars' and dimensions' tables carry a percentile column
    pillars = section(text, "Pillars")
    header = next(line for line in pillars.splitlines() if line.startswith("| "))
    assert header.endswith("| Percentile among peers |"), header
    for pillar in result.pillars:
        s = standing[pillar.id]
        assert s.percentile is not None
        row = next(line for line in pillars.splitlines() if line.startswith(f"| {pillar.id} "))
        assert row.endswith(f" | {s.percentile:.0f} |"), row
    assert text.count("| Percentile among peers |") == 1 + len(result.pillars)
    # the charts mark the peers' median
    for name in ("pillars", "dimensions"):
        texts = svg_texts((tmp_path / "r_charts" / f"{name}.svg").read_bytes())
        assert "Peers' median" in texts, name


def test_no_peers_no_percentiles(sample: Result) -> None:
    doc = build(sample, "en", Inputs(VERSION, GENERATED, phases=projection(sample), steps=roadmap(sample)))
    assert all("Percentile among peers" not in [c.header for c in t.columns] for t in doc.tables())


# --------------------------------------------------------------------------- for the funder


def funder_result() -> Result:
    rubric = load_rubric(V2, use_cache=False)
    answers = (
        Answer("A.X.1", 2.0, "Responses!F2", "2", None, "charter"),
        Answer("A.X.2", 1.0, "Responses!F3", "1", None, "contract"),
        Answer("A.X.3", 12.0, "Responses!F4", "12", None, ""),
        Answer("B.Z.1", 20.0, "Responses!F5", "20", None, ""),
    )
    a = Assessment("t.xlsx", "0" * 64, {"name": "T", "profile": "institute"}, answers)
    return score(dataclasses.replace(a, research_staff=400.0, profile="institute"), rubric)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_funder_steps_stand_apart(lang: str) -> None:
    from vibbench.report import write_markdown

    result = funder_result()
    steps = roadmap(result)
    assert {s.indicator for s in steps if s.actor == "funder"} == {"A.X.2"}
    assert {s.indicator for s in steps if s.actor != "funder"}, "the institution has steps of its own"
    text = write_markdown.render(
        build(result, lang, Inputs(VERSION, GENERATED, phases=projection(result), steps=steps))
    )
    titles = {
        "en": ("For the funder", "Recommendations by reform theme", "Roadmap", "Sign a five-year contract"),
        "zh": ("致主管部门", "按改革主题分列的建议", "改革路线图", "签订五年期合同"),
    }[lang]
    funder, recs, plan = (section(text, t) for t in titles[:3])
    action = titles[3]
    assert "| A.X.2 " in funder and action in funder
    page_one = text.split("\n## ")[1]  # the summary, up to the first detail section
    assert page_one.startswith(("Executive summary", "摘要"))
    for own in (recs, plan, page_one):
        assert "A.X.2" not in own and action not in own
    others = [s.indicator for s in steps if s.actor != "funder"]
    assert any(f"| {i} " in plan for i in others)
    assert not any(f"| {i} " in funder for i in others)


# --------------------------------------------------------------------------- the command


def invoke(*args: str) -> Any:
    from vibbench.cli import app

    return runner.invoke(app, list(args))


@pytest.mark.parametrize(
    ("name", "fmt", "magic"), [("r.txt", "html", b"<!DOCTYPE html>"), ("r.md", "docx", b"PK")]
)
def test_format_overrides_the_extension(tmp_path: Path, name: str, fmt: str, magic: bytes) -> None:
    out = tmp_path / name
    res = invoke("report", str(SAMPLE), "--output", str(out), "--format", fmt, "--no-charts")
    assert res.exit_code == 0, res.output
    assert out.read_bytes().startswith(magic)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_unknown_extension_is_a_one_line_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    res = invoke("report", str(SAMPLE), "--output", str(out))
    assert res.exit_code == 2
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    assert "'.pdf'" in lines[0] and "--format" in lines[0]
    assert "Traceback" not in res.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("ext", ["md", "html", "docx"])
def test_no_charts(tmp_path: Path, ext: str) -> None:
    out = tmp_path / f"r.{ext}"
    res = invoke("report", str(SAMPLE), "--output", str(out), "--no-charts")
    assert res.exit_code == 0, res.output
    assert [p.name for p in tmp_path.iterdir()] == [out.name]
    if ext == "docx":
        import docx

        word = docx.Document(out)
        assert len(word.inline_shapes) == 0
        assert any(p.text == "Charts were not drawn (--no-charts)." for p in word.paragraphs)
    else:
        text = out.read_text(encoding="utf-8")
        assert "Charts were not drawn (--no-charts)." in text
        assert "<svg" not in text and "![" not in text


def failing_writes(monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
    """Writing the report itself fails (after its charts were written)."""
    import vibbench.report.document as document

    real = document.write_atomic

    def failing(path: Path, data: str | bytes) -> None:
        if Path(path).suffix == suffix:
            raise PermissionError(13, "Permission denied", str(path))
        real(path, data)

    monkeypatch.setattr(document, "write_atomic", failing)


@pytest.mark.parametrize("ext", ["md", "html", "docx"])
def test_a_failed_run_leaves_no_file_and_no_charts_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ext: str
) -> None:
    failing_writes(monkeypatch, f".{ext}")
    res = invoke("report", str(SAMPLE), "--output", str(tmp_path / f"r.{ext}"))
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    assert list(tmp_path.iterdir()) == []
