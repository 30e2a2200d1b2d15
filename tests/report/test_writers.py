"""One document model, three writers (SPEC §6, v2): the same sections, tables and figures in
Markdown, HTML and Word, and no text that becomes markup, a link or a request in any of them."""

from __future__ import annotations

import io
import re

import pytest

from vibbench.report import write_docx, write_html, write_markdown
from vibbench.report.docmodel import (
    Bullets,
    Column,
    Document,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Table,
)

HOSTILE = ["A | B <script>alert(1)</script>", "![x](http://evil.example/p.png)", "[x](javascript:alert(1))"]


def sample_doc(lang: str = "zh") -> Document:
    doc = Document("对标评估报告：" + HOSTILE[0], lang, "2026-11-30")
    doc.add(
        Heading(1, "对标评估报告：" + HOSTILE[0], "title"),
        Paragraph.of(HOSTILE[1], label="机构"),
        Heading(2, "摘要", "summary"),
        Bullets((Paragraph.of(HOSTILE[2]),)),
        Table(
            (Column("指标", "id"), Column("名称", "name"), Column("分值", "number"), Column("措施", "long")),
            (
                (
                    "RD.GOV.1",
                    "独立法人与多元理事会",
                    "1.00",
                    "将机构登记为独立的非营利法人，理事会由共建高校、产业界和出资方共同组成。" * 3,
                ),
                ("PI.VEN.12", HOSTILE[0], "12.50", HOSTILE[2]),
            ),
            bold_rows=frozenset({1}),
        ),
        PageBreak(),
        Heading(2, "支柱 RD：规则设计", "pillar-RD"),
        Figure(
            "pillars",
            "各支柱得分",
            svg=b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><text>RD</text></svg>',
            png=_png(),
            file="r_charts/pillars.svg",
        ),
    )
    return doc


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"\x00\xff\xff\xff"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_markdown_has_metadata_and_escapes() -> None:
    text = write_markdown.render(sample_doc())
    # single-quoted YAML holding escaped Markdown: inert as metadata (pandoc reads it as Markdown)
    # and as text (a reader that knows no metadata block)
    assert text.startswith(
        "---\ntitle: '对标评估报告：A \\| B &lt;script&gt;alert(1)&lt;/script&gt;'\nlang: 'zh-CN'\n"
        "date: '2026-11-30'\n---\n"
    )
    assert "<script" not in text
    body = text.split("---\n", 2)[2]
    assert not re.search(r"(?<!\\)\]\((?:http|javascript)", body), "a link would be made"
    assert "A \\| B &lt;script&gt;" in body
    assert "![各支柱得分](r_charts/pillars.svg)" in body


def test_html_is_self_contained_and_inert() -> None:
    page = write_html.render(sample_doc())
    assert page.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    assert "<title>对标评估报告：A | B &lt;script&gt;" in page
    assert "<script" not in page
    assert not re.search(r"(?:src|href)\s*=", page)
    # no URL of any kind, not even an XML namespace; the hostile texts stand as text
    visible = page.replace("![x](http://evil.example/p.png)", "").replace("[x](javascript:alert(1))", "")
    assert "http://" not in visible and "https://" not in visible and "javascript:" not in visible
    assert "@page { size: A4 portrait" in page and "display: table-header-group" in page
    assert "<svg><text>RD</text></svg>" in page


def test_docx_is_a4_with_headings_widths_and_repeated_headers() -> None:
    import docx
    from docx.oxml.ns import qn

    word = docx.Document(io.BytesIO(write_docx.render(sample_doc())))
    section = word.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    styles = [p.style.name for p in word.paragraphs if p.text]
    assert "Title" in styles and "Heading 1" in styles
    assert word.core_properties.title.startswith("对标评估报告")
    table = word.tables[0]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    widths = [c.width.mm for c in table.columns]
    assert widths[3] == max(widths)  # the action text gets the widest column
    assert widths[0] >= len("PI.VEN.12") * 1.9  # an id is never broken mid-token
    assert len(word.inline_shapes) == 1
    fonts = word.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == write_docx.EAST_ASIAN_FONT


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_three_writers_hold_the_same_sections_and_numbers(lang: str) -> None:
    import docx

    doc = sample_doc(lang)
    md_text = write_markdown.render(doc)
    page = write_html.render(doc)
    word = docx.Document(io.BytesIO(write_docx.render(doc)))
    headings = [h.text for h in doc.headings(2)]
    md_heads = re.findall(r"^## (.*)$", md_text, re.M)
    html_heads = re.findall(r"<h2[^>]*>(.*?)</h2>", page)
    docx_heads = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert md_heads == html_heads == docx_heads == headings
    numbers = {"1.00", "12.50"}
    assert numbers <= set(re.findall(r"\d+\.\d\d", md_text))
    assert numbers <= set(re.findall(r"\d+\.\d\d", page))
    assert numbers <= {c.text for row in word.tables[0].rows for c in row.cells}
