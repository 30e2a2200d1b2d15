"""``vibbench template --prefill OLD.xlsx`` (SPEC §1, v2): a filled workbook moves forward.

The answers, respondents, evidence and comments of a workbook made from any rubric version are
carried into the current rubric's template, row by row (a group assessment keeps one row per
respondent); the Institution sheet's values come along too. What the current rubric no longer
has is dropped, and what it has that the old workbook did not is left to answer: both are listed,
so that nobody retypes an answer or misses a new question.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vibbench.rubric.model import Rubric
from vibbench.workbook.reader import RawRow, RawWorkbook, read_raw


@dataclass(frozen=True)
class Carried:
    """What ``--prefill`` did: the template's bytes and the ids new or dropped since the old workbook."""

    data: bytes
    new: tuple[str, ...]
    """Indicators of the current rubric the old workbook did not answer (to answer now)."""
    dropped: tuple[str, ...]
    """Ids answered in the old workbook that the current rubric does not have (their answers dropped)."""
    carried: int
    """Rows whose answer, respondent, evidence or comment was carried over."""


def _filled(row: RawRow) -> bool:
    return any(_present(v) for v in (row.answer, row.respondent, row.evidence, row.comment))


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def prefilled_template(rubric: Rubric, old: Path, lang: str = "en") -> Carried:
    """The current template for ``rubric`` with the answers of the workbook at ``old``."""
    raw = read_raw(old)
    return carry(rubric, raw, lang)


def carry(rubric: Rubric, raw: RawWorkbook, lang: str = "en") -> Carried:
    from vibbench.workbook.template import (
        COLUMNS,
        build_template,
        institution_keys,
        set_text,
        workbook_bytes,
    )

    known = {i.id for i in rubric.indicators()}
    by_id: dict[str, list[RawRow]] = {}
    for row in raw.rows:
        if _filled(row):
            by_id.setdefault(row.indicator, []).append(row)
    copies = {ident: len(rows) for ident, rows in by_id.items() if ident in known and len(rows) > 1}
    wb = build_template(rubric, lang, copies=copies)
    ws = wb["Responses"]
    col = {name: i for i, name in enumerate(COLUMNS, start=1)}
    taken: dict[str, int] = {}
    carried = 0
    for r in range(2, ws.max_row + 1):
        ident = ws.cell(row=r, column=col["id"]).value
        rows = by_id.get(str(ident)) if ident is not None else None
        if not rows:
            continue
        n = taken.get(str(ident), 0)
        if n >= len(rows):
            continue
        taken[str(ident)] = n + 1
        found = rows[n]
        for name, value in (
            ("answer", found.answer),
            ("respondent", found.respondent),
            ("evidence", found.evidence),
            ("comment", found.comment),
        ):
            if _present(value):
                _put(ws.cell(row=r, column=col[name]), value, set_text)
        carried += 1
    inst = wb["Institution"]
    for r, key in enumerate(institution_keys(rubric), start=2):
        if _present(raw.institution.get(key)):
            _put(inst.cell(row=r, column=2), raw.institution[key], set_text)
    answered = {ident for ident in by_id if ident in known}
    return Carried(
        data=workbook_bytes(wb),
        new=tuple(i.id for i in rubric.indicators() if i.id not in answered),
        dropped=tuple(sorted(ident for ident in by_id if ident not in known)),
        carried=carried,
    )


def _put(cell: Any, value: Any, set_text: Any) -> None:
    """Numbers, dates and booleans as they were; text always as text (never a formula)."""
    if isinstance(value, str):
        set_text(cell, value)
    elif isinstance(value, bool | int | float | dt.date | dt.datetime):
        cell.value = value
    else:
        set_text(cell, str(value))
