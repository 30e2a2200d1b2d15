"""CSV for machines and for Excel (SPEC §7): one row per indicator, headers that are the JSON's
key names, numbers unrounded, UTF-8 with a byte-order mark (without it, Excel on Chinese Windows
reads the file as GBK and every Chinese name turns to mojibake), and no text a spreadsheet would
run as a formula."""

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

HEADER = [
    "institution",
    "year",
    "pillar",
    "dimension",
    "id",
    "name",
    "type",
    "answer",
    "value",
    "score",
    "reference",
    "gap",
    "weight",
    "priority",
    "applies",
]
"""The JSON's key names (``institution`` and ``year``: the institution's, on every row)."""
BOM = "\ufeff"
"""Excel opens a CSV as UTF-8 only when it starts with the byte-order mark."""


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
    """The CSV text, starting with the byte-order mark."""
    buf = io.StringIO()
    buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return buf.getvalue()


def render(result: Result, lang: str = "en", top: int = 10) -> str:
    a = result.assessment
    return write_rows(
        HEADER,
        (
            [
                a.name,
                a.year,
                r.indicator.pillar,
                r.indicator.dimension,
                r.id,
                r.indicator.name.get(lang),
                r.indicator.type,
                r.answer,
                r.value,
                r.score,
                r.reference,
                r.gap,
                r.weight,
                r.priority,
                r.applies,
            ]
            for r in result.indicators
        ),
    )
