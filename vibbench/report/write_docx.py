"""The document as a Word file (SPEC §6, v2), with python-docx (imported only here).

A4 portrait; Word's own Heading styles (so the navigation pane shows the outline) and the Title
property; an East Asian font set on every style (Microsoft YaHei, with 等线 and SimSun behind it
in Word's font substitution) so that Chinese renders in Word, WPS and LibreOffice; tables with
column widths fitted to their content — ids never broken mid-token, the long action texts given the
widest column — header rows repeated on every page and rows never split; charts as PNG.
"""

from __future__ import annotations

import io
import unicodedata
from typing import Any

from vibbench.report.docmodel import (
    Bullets,
    Document,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Table,
    heat_colour,
)
from vibbench.text import CONTROLS

EAST_ASIAN_FONT = "Microsoft YaHei"
LATIN_FONT = "Calibri"
LANG_TAGS = {"zh": "zh-CN", "en": "en-GB"}
TEXT_WIDTH_MM = 180.0
"""A4 (210 mm) less 15 mm margins on each side."""


def _cells(text: str) -> int:
    """Width of ``text`` in Latin character widths (CJK and full-width forms count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_widths(table: Table, total_mm: float = TEXT_WIDTH_MM) -> list[float]:
    """Each column's width in mm: ids and numbers as wide as their longest token (never broken),
    the rest shared in proportion to their content, the ``long`` columns first in line."""
    mm_per_char = 1.9  # 9-point text
    need: list[float] = []
    fixed: list[bool] = []
    for k, col in enumerate(table.columns):
        texts = [col.header, *(row[k] for row in table.rows)]
        longest_token = max((_cells(tok) for t in texts for tok in t.split()), default=1)
        longest = max((_cells(t) for t in texts), default=1)
        if col.role in ("id", "number"):
            need.append(max(longest_token, min(longest, 14)) * mm_per_char + 4)
            fixed.append(True)
        else:
            weight = 3.0 if col.role == "long" else 1.6 if col.role == "name" else 1.0
            need.append(max(longest_token * mm_per_char + 4, min(longest, 60) * mm_per_char * weight))
            fixed.append(False)
    fixed_total = sum(w for w, f in zip(need, fixed, strict=True) if f)
    flexible = [w for w, f in zip(need, fixed, strict=True) if not f]
    room = max(total_mm - fixed_total, 20.0 * max(1, len(flexible)))
    scale = room / sum(flexible) if flexible and sum(flexible) > room else 1.0
    widths = [w if f else w * scale for w, f in zip(need, fixed, strict=True)]
    if sum(widths) > total_mm:  # too many fixed columns: shrink everything alike
        widths = [w * total_mm / sum(widths) for w in widths]
    return widths


def _east_asian(style_or_run: Any, lang: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr, font in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:eastAsia", EAST_ASIAN_FONT)):
        fonts.set(qn(attr), font)
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        rpr.append(lang_el)
    lang_el.set(qn("w:val"), "en-GB")  # Latin text (ids, figures) stays English
    lang_el.set(qn("w:eastAsia"), "zh-CN")


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        trpr.append(el)


def _no_split(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _clean(text: str) -> str:
    """XML cannot hold control characters: drop them (and fold line breaks)."""
    return " ".join(text.translate(CONTROLS).split()) if not text.isprintable() else text


def _shade(cell: Any, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.lstrip("#"))
    cell._tc.get_or_add_tcPr().append(shading)


def _add_inline(par: Any, p: Paragraph, lang: str) -> None:
    for n, s in enumerate(p.spans):
        text = _clean(s.text)
        if s.bold and n == 0 and len(p.spans) > 1:
            text += "：" if lang == "zh" else ": "
        run = par.add_run(text)
        run.bold = s.bold or None


def render(doc: Document) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    word = docx.Document()
    props = word.core_properties
    props.title = _clean(doc.title)
    props.language = LANG_TAGS.get(doc.lang, doc.lang)
    props.author = "vibbench"
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(15))
    section.top_margin = section.bottom_margin = Mm(18)
    styles = word.styles
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "Caption"):
        try:
            _east_asian(styles[name], doc.lang)
        except KeyError:
            continue
    styles["Normal"].font.size = Pt(10)
    for b in doc.blocks:
        if isinstance(b, Heading):
            word.add_heading(_clean(b.text), level=0 if b.level == 1 else min(b.level - 1, 3))
        elif isinstance(b, Paragraph):
            _add_inline(word.add_paragraph(), b, doc.lang)
        elif isinstance(b, Bullets):
            for item in b.items:
                _add_inline(word.add_paragraph(style="List Bullet"), item, doc.lang)
        elif isinstance(b, Table):
            table = word.add_table(rows=1 + len(b.rows), cols=len(b.columns))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            table.autofit = False
            widths = [Mm(w) for w in column_widths(b)]
            for r, values in enumerate([tuple(c.header for c in b.columns), *b.rows]):
                row = table.rows[r]
                if r == 0:
                    _repeat_header(row)
                else:
                    _no_split(row)
                for k, value in enumerate(values):
                    cell = row.cells[k]
                    cell.width = widths[k]
                    par = cell.paragraphs[0]
                    if r and k in b.heat and (colour := heat_colour(value)) is not None:
                        _shade(cell, colour)
                    run = par.add_run(_clean(value) if value.strip() else "—")
                    run.font.size = Pt(8.5)
                    if r == 0 or (r - 1) in b.bold_rows:
                        run.bold = True
                    if b.columns[k].role == "number":
                        par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for k, col in enumerate(table.columns):
                col.width = widths[k]
            word.add_paragraph()
        elif isinstance(b, Figure):
            if b.png:
                word.add_picture(io.BytesIO(b.png), width=Mm(min(170, TEXT_WIDTH_MM)))
                cap = word.add_paragraph(_clean(b.title))
                cap.style = styles["Caption"]
        elif isinstance(b, PageBreak):
            word.add_page_break()  # type: ignore[no-untyped-call]
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
