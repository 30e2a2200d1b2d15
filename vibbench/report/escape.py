"""Text from a workbook must not break a Markdown table or inject HTML."""

from __future__ import annotations

import re

from vibbench.text import CONTROLS

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md(text: object) -> str:
    """Escape Markdown/HTML-significant characters, drop control characters and fold newlines,
    so text stays inert in a table cell."""
    s = str(text).replace("\r\n", "\n").replace("\r", "\n")
    if not s.isprintable():
        s = s.translate(CONTROLS)  # ESC, BEL, bidi overrides: never into a document
    s = " ".join(part.strip() for part in s.split("\n"))
    s = s.replace("&", "&amp;")
    s = _SPECIAL.sub(
        lambda m: "&lt;" if m.group(1) == "<" else "&gt;" if m.group(1) == ">" else "\\" + m.group(1), s
    )
    return s
