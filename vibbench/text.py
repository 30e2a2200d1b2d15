"""Bilingual text. Every user-facing text exists in English and Chinese."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LANGS = ("en", "zh")


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

    def to_json(self) -> dict[str, str]:
        return {"en": self.en, "zh": self.zh} if self.zh else {"en": self.en}

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
