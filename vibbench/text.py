"""Bilingual text. Every user-facing text exists in English and Chinese."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LANGS = ("en", "zh")

CONTROLS = dict.fromkeys(
    [c for c in range(0x20) if c not in (0x09, 0x0A)]
    + [0x7F, *range(0x80, 0xA0)]
    + [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
"""Characters no text here needs and a terminal obeys (a ``str.translate`` table that drops
them): escape sequences, carriage returns that overwrite a line, bidirectional overrides that
reorder it. Tabs and line breaks are not among them."""


def clean(text: object) -> str:
    """``text`` (a path, a name) without the characters of :data:`CONTROLS`: safe to print."""
    return str(text).translate(CONTROLS)


def control_in(text: str) -> str | None:
    """The first character of :data:`CONTROLS` in ``text``, if any."""
    if text.isprintable():
        return None
    return next((ch for ch in text if ord(ch) in CONTROLS), None)


@dataclass(frozen=True, slots=True)
class Text:
    """A text in English and, when given, Chinese; a missing language falls back to English."""

    en: str
    zh: str | None = None

    def get(self, lang: str = "en") -> str:
        if lang == "zh" and self.zh:
            return self.zh
        return self.en

    def format(self, **kwargs: Any) -> Text:
        return Text(self.en.format(**kwargs), self.zh.format(**kwargs) if self.zh else None)

    @staticmethod
    def of(raw: Any) -> Text:
        """From a rubric value: a plain string or a mapping ``{en, zh}``."""
        if isinstance(raw, Text):
            return raw
        if isinstance(raw, dict):
            return Text(str(raw.get("en") or raw.get("zh") or ""), raw.get("zh"))
        return Text("" if raw is None else str(raw))


def T(en: str, zh: str) -> Text:  # noqa: N802 - short constructor used throughout
    return Text(en, zh)


def one_line(text: str) -> str:
    """A name or a path as a single-line place shows it: without the control characters a
    terminal obeys (ESC, BEL, CR, bidi overrides; :data:`vibbench.text.CONTROLS`) and with its
    line breaks folded into spaces. Workbook cells are filtered when read; a name taken from a
    file's stem and a path are not, so every renderer passes them through here."""
    if text.isprintable():
        return text
    return " ".join(part for part in text.translate(CONTROLS).replace("\t", " ").split("\n"))
