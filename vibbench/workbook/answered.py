"""Does an existing workbook hold answers? ``template --output`` must not overwrite one that does."""

from __future__ import annotations

from pathlib import Path

from vibbench.workbook.template import COLUMNS, HEADERS, INPUT_COLUMNS


def holds_answers(path: Path) -> bool:
    """True when ``path`` is a workbook with any non-blank answer, evidence, comment or
    respondent on its ``Responses`` sheet, or any value on its ``Institution`` sheet. A file
    that is not a readable workbook counts as holding answers: it is not ours to overwrite."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # not a workbook (or a damaged one): never overwrite it silently
        return True
    try:
        names = set(wb.sheetnames)
        if "Institution" in names:
            for row in wb["Institution"].iter_rows(min_row=2, min_col=2, max_col=2, values_only=True):
                if _filled(row[0] if row else None):
                    return True
        if "Responses" in names:
            rows = wb["Responses"].iter_rows(values_only=True)
            header = next(rows, ())
            columns = _input_columns(header)
            for row in rows:
                if any(i < len(row) and _filled(row[i]) for i in columns):
                    return True
        return False
    finally:
        wb.close()


def _input_columns(header: tuple[object, ...]) -> list[int]:
    """Positions of the editable columns, found by their header in any language."""
    names = {str(h).strip().lower() if h is not None else "" for h in header}
    wanted = set()
    for lang_headers in HEADERS.values():
        for role, title in zip(COLUMNS, lang_headers, strict=True):
            if role in INPUT_COLUMNS:
                wanted.add(title.lower())
    found = [i for i, h in enumerate(header) if h is not None and str(h).strip().lower() in wanted]
    if found or not names - {""}:
        return found
    return [COLUMNS.index(role) for role in INPUT_COLUMNS]  # no known header: the template's positions


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() != ""
