"""The document as one self-contained HTML file (SPEC §6, v2).

Inline CSS and inline SVG charts; no script, no external URL of any kind (not even a font or an
XML namespace a browser might resolve); ``<html lang>`` and ``<title>``; a print stylesheet for A4
(page breaks before major sections, table header rows repeated, no row split across pages), so
"Print → Save as PDF" gives a board document whose first page is the summary. Every text is
escaped with :func:`html.escape`; chart SVG is matplotlib's own output with its prolog, metadata
and namespace declarations removed.
"""

from __future__ import annotations

import html
import re

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

LANG_TAGS = {"zh": "zh-CN", "en": "en"}

FONTS = (
    '"Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC", '
    '"WenQuanYi Micro Hei", "Segoe UI", "Helvetica Neue", Arial, sans-serif'
)

CSS = f"""
:root {{ color-scheme: light; }}
body {{ font-family: {FONTS}; font-size: 10.5pt; line-height: 1.5; color: #1a1a1a; max-width: 180mm;
  margin: 12mm auto; padding: 0 6mm; }}
h1 {{ font-size: 18pt; margin: 0 0 4mm; }}
h2 {{ font-size: 14pt; margin: 8mm 0 3mm; border-bottom: 1px solid #ccc; padding-bottom: 1mm; }}
h3 {{ font-size: 11.5pt; margin: 5mm 0 2mm; }}
p, ul {{ margin: 0 0 3mm; }}
table {{ border-collapse: collapse; width: 100%; margin: 0 0 4mm; font-size: 9pt; }}
th, td {{ border: 1px solid #bbb; padding: 1mm 1.5mm; vertical-align: top; text-align: left; }}
th {{ background: #e8eef6; }}
td.number, th.number {{ text-align: right; white-space: nowrap; }}
td.id {{ white-space: nowrap; }}
td.long {{ width: 45%; }}
tr.bold td {{ font-weight: bold; }}
figure {{ margin: 0 0 4mm; }}
figure svg {{ max-width: 100%; height: auto; max-height: 120mm; }}
h1 + p + h2 ~ figure:first-of-type svg {{ max-height: 62mm; }}
figcaption {{ font-size: 9pt; color: #555; }}
.page-break {{ break-before: page; }}
@page {{ size: A4 portrait; margin: 16mm 14mm; }}
@media print {{
  body {{ margin: 0; padding: 0; max-width: none; font-size: 9.5pt; line-height: 1.4; }}
  h2 {{ margin: 5mm 0 2mm; }}
  h3 {{ margin: 3mm 0 1.5mm; }}
  table {{ font-size: 8.5pt; margin-bottom: 3mm; }}
  thead {{ display: table-header-group; }}
  tr, figure {{ break-inside: avoid; page-break-inside: avoid; }}
  h2, h3 {{ break-after: avoid; }}
  .page-break {{ break-before: page; page-break-before: always; }}
}}
"""

_PROLOG = re.compile(rb"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<metadata>.*?</metadata>", re.S)
_XMLNS = re.compile(rb'\s+xmlns(?::\w+)?="[^"]*"')


def inline_svg(svg: bytes) -> str:
    """matplotlib's SVG, ready to stand inside HTML: no prolog, metadata or namespace URLs."""
    cleaned = _XMLNS.sub(b"", _PROLOG.sub(b"", svg)).strip()
    return cleaned.decode("utf-8")


def _e(text: str) -> str:
    if not text.isprintable():  # no control characters into the page, whatever the source
        text = " ".join(text.translate(CONTROLS).split()) if "\n" not in text else text.translate(CONTROLS)
    return html.escape(text, quote=True)


def _inline(p: Paragraph, lang: str) -> str:
    out = []
    for n, s in enumerate(p.spans):
        if s.bold and n == 0 and len(p.spans) > 1:
            out.append(
                f"<strong>{_e(s.text)}{'：' if lang == 'zh' else ':'}</strong>"
                + ("" if lang == "zh" else " ")
            )
        elif s.bold:
            out.append(f"<strong>{_e(s.text)}</strong>")
        else:
            out.append(_e(s.text))
    return "".join(out)


def _td(table: Table, k: int, role: str, value: str) -> str:
    style = ""
    if k in table.heat and (colour := heat_colour(value)) is not None:
        style = f' style="background:{colour}"'
    return f'<td class="{role}"{style}>{_e(value) if value.strip() else "—"}</td>'


def render(doc: Document) -> str:
    lang = LANG_TAGS.get(doc.lang, doc.lang)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(doc.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
    ]
    for b in doc.blocks:
        if isinstance(b, Heading):
            anchor = f' id="{_e(b.anchor)}"' if b.anchor else ""
            parts.append(f"<h{b.level}{anchor}>{_e(b.text)}</h{b.level}>")
        elif isinstance(b, Paragraph):
            parts.append(f"<p>{_inline(b, doc.lang)}</p>")
        elif isinstance(b, Bullets):
            items = "".join(f"<li>{_inline(i, doc.lang)}</li>" for i in b.items)
            parts.append(f"<ul>{items}</ul>")
        elif isinstance(b, Table):
            head = "".join(f'<th class="{c.role}">{_e(c.header)}</th>' for c in b.columns)
            rows = []
            for n, row in enumerate(b.rows):
                cells = "".join(
                    _td(b, k, c.role, v) for k, (c, v) in enumerate(zip(b.columns, row, strict=True))
                )
                cls = ' class="bold"' if n in b.bold_rows else ""
                rows.append(f"<tr{cls}>{cells}</tr>")
            caption = f"<caption>{_e(b.caption)}</caption>" if b.caption else ""
            parts.append(
                f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            )
        elif isinstance(b, Figure):
            if b.svg:
                parts.append(
                    f'<figure role="img" aria-label="{_e(b.title)}">{inline_svg(b.svg)}'
                    f"<figcaption>{_e(b.title)}</figcaption></figure>"
                )
        elif isinstance(b, PageBreak):
            parts.append('<div class="page-break"></div>')
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"
