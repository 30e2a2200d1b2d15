"""The document as GitHub-flavoured Markdown that pandoc also reads (SPEC §6).

A metadata block first (title, lang, date), so pandoc gives a titled document in the right
language; then one block per paragraph, list, table or figure, each separated by a blank line; every
text escaped by :func:`vibbench.report.escape.md`, so no text can become markup, a link or HTML.
"""

from __future__ import annotations

from vibbench.report.docmodel import (
    Bullets,
    Document,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Table,
)
from vibbench.report.escape import md

DASH = "—"
LANG_TAGS = {"zh": "zh-CN", "en": "en"}


def _inline(p: Paragraph, lang: str) -> str:
    out = []
    for n, s in enumerate(p.spans):
        if s.bold and n == 0 and len(p.spans) > 1:  # a label before its value
            out.append(f"**{md(s.text)}{'：' if lang == 'zh' else ':'}**" + ("" if lang == "zh" else " "))
        elif s.bold:
            out.append(f"**{md(s.text)}**")
        else:
            out.append(md(s.text))
    return "".join(out)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c if c.strip() else DASH for c in cells) + " |"


def _yaml(value: str) -> str:
    """A metadata value as a single-quoted YAML scalar holding Markdown-escaped text: pandoc reads
    metadata as Markdown, and a reader that does not know metadata blocks shows the lines as a
    paragraph; in both, the escaped text stays text (no HTML, no link, no emphasis)."""
    return "'" + md(value).replace("'", "''") + "'"


def render(doc: Document) -> str:
    meta = {"title": doc.title, "lang": LANG_TAGS.get(doc.lang, doc.lang), "date": doc.date}
    blocks = ["---\n" + "\n".join(f"{k}: {_yaml(v)}" for k, v in meta.items()) + "\n---"]
    for b in doc.blocks:
        if isinstance(b, Heading):
            blocks.append("#" * b.level + " " + md(b.text))
        elif isinstance(b, Paragraph):
            blocks.append(_inline(b, doc.lang))
        elif isinstance(b, Bullets):
            blocks.append("\n".join(f"- {_inline(item, doc.lang)}" for item in b.items))
        elif isinstance(b, Table):
            header = [md(c.header) for c in b.columns]
            rule = ["---:" if c.role == "number" else "---" for c in b.columns]
            lines = [_row(header), _row(rule)]
            for n, row in enumerate(b.rows):
                cells = [md(c) for c in row]
                if n in b.bold_rows:
                    cells = [f"**{c}**" if c.strip() else c for c in cells]
                lines.append(_row(cells))
            blocks.append("\n".join(lines))
        elif isinstance(b, Figure):
            if b.file:
                from urllib.parse import quote

                blocks.append(f"![{md(b.title)}]({quote(b.file, safe='/')})")
        elif isinstance(b, PageBreak):
            continue
    return "\n\n".join(blocks) + "\n"
