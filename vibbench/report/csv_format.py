"""One row per indicator, safe to open in a spreadsheet (no formula injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from vibbench.scoring.result import Result
from vibbench.text import CONTROLS

_FORMULA = ("=", "+", "-", "@")
_DANGEROUS = (*_FORMULA, "\t", "\r", "|", *(";" + c for c in _FORMULA))
"""Starts a spreadsheet reads as a formula: the formula characters, a tab or carriage return
before one, a pipe (DDE, ``|cmd``), and, for the locales whose list separator is ``;``, a ``;``
followed by a formula character."""

HEADER = ["pillar", "dimension", "id", "name", "answer", "score", "reference", "gap", "weight", "priority"]


def safe_cell(value: Any) -> Any:
    """Text loses the control characters a terminal obeys (ESC, BEL, CR, bidi overrides), and
    text that a spreadsheet would run as a formula gets a leading quote; numbers stay numbers."""
    if not isinstance(value, str):
        return value
    if not value.isprintable():
        value = value.translate(CONTROLS)
    if value.startswith(_DANGEROUS):
        return "'" + value
    return value


def write_rows(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return buf.getvalue()


def render(result: Result, lang: str = "en", top: int = 10) -> str:
    return write_rows(
        HEADER,
        (
            [
                r.indicator.pillar,
                r.indicator.dimension,
                r.id,
                r.indicator.name.get(lang),
                r.answer,
                r.score,
                r.reference,
                r.gap,
                r.weight,
                r.priority,
            ]
            for r in result.indicators
        ),
    )
