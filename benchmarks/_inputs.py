"""Deterministic inputs for the benchmark: a 40-indicator rubric, many small workbooks, hostile files.

Workbooks are made fast: openpyxl writes one base workbook (styles, relationships, content
types, as a spreadsheet program would), then every other workbook is that zip with its two
sheet parts replaced by XML written here (inline strings, no shared-string table).
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import yaml

RESPONSES_PART = "xl/worksheets/sheet1.xml"
INSTITUTION_PART = "xl/worksheets/sheet2.xml"
RESPONSES_HEADER = ("id", "indicator", "answer", "evidence", "respondent")
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_NS}"><sheetData>'
_TAIL = "</sheetData></worksheet>"
_LEVEL_NAMES = ("Absent", "Initial", "Developing", "Established", "Leading")

Cell = str | float | int | None


# --------------------------------------------------------------------------- rubric


def rubric_data(n_indicators: int = 40, per_dimension: int = 4) -> dict[str, Any]:
    """A valid rubric of number, level and boolean indicators in 3 pillars."""
    n_dims = n_indicators // per_dimension
    pillar_of = [min(2, d * 3 // n_dims) for d in range(n_dims)]
    pillars: list[dict[str, Any]] = []
    k = 0
    for p in range(3):
        pid = f"P{p + 1}"
        dims = []
        for d in (d for d in range(n_dims) if pillar_of[d] == p):
            did = f"{pid}.D{d + 1}"
            inds = []
            for j in range(per_dimension):
                inds.append(_indicator(f"{did}.{j + 1}", k))
                k += 1
            dims.append({"id": did, "name": f"Dimension {d + 1}", "weight": 1 + d % 2, "indicators": inds})
        pillars.append({"id": pid, "name": f"Pillar {p + 1}", "weight": 1 + p % 2, "dimensions": dims})
    return {
        "schema_version": 1,
        "id": "bench40",
        "version": "1",
        "title": {"en": "Benchmark rubric (40 indicators)", "zh": "基准测试框架"},
        "scale": {"min": 0, "max": 4, "labels": dict(enumerate(_LEVEL_NAMES))},
        "pillars": pillars,
    }


def _indicator(ident: str, k: int) -> dict[str, Any]:
    base: dict[str, Any] = {"id": ident, "name": f"Indicator {k + 1}", "weight": 1 + k % 3}
    rec = {
        "theme": "institutional_supply",
        "horizon": "medium",
        "text": {"en": "Improve it.", "zh": "改进。"},
    }
    kind = ("level", "number", "boolean", "number")[k % 4]
    if kind == "level":
        levels = {lv: f"Level {lv} of {ident}" for lv in range(5)}
        return {**base, "type": "level", "levels": levels, "reference": 4, "recommendations": [rec]}
    if kind == "boolean":
        return {**base, "type": "boolean", "reference": True, "recommendations": [rec]}
    if k % 8 == 3:  # lower is better
        return {
            **base,
            "type": "number",
            "unit": "percent",
            "direction": "lower",
            "min": 100,
            "reference": 10,
        }
    scale = "log" if k % 16 == 1 else "linear"
    return {**base, "type": "number", "min": 0, "reference": 50, "scale": scale, "recommendations": [rec]}


def write_rubric(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def indicator_types(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(i["id"], i) for p in data["pillars"] for d in p["dimensions"] for i in d["indicators"]]


# --------------------------------------------------------------------------- sheet XML


def _col(n: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[n]


def _cell(ref: str, value: Cell) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    return f'<c r="{ref}"><v>{value!r}</v></c>'


def _row(r: int, values: Sequence[Cell]) -> str:
    cells = "".join(_cell(f"{_col(c)}{r}", v) for c, v in enumerate(values))
    return f'<row r="{r}">{cells}</row>'


def sheet_xml(rows: Iterable[Sequence[Cell]]) -> str:
    return _HEAD + "".join(_row(r, values) for r, values in enumerate(rows, start=1)) + _TAIL


# --------------------------------------------------------------------------- workbooks


def base_workbook() -> dict[str, bytes]:
    """The parts of a two-sheet workbook written by openpyxl (Responses first, then Institution)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Responses"
    ws.append(list(RESPONSES_HEADER))
    wb.create_sheet("Institution").append(["key", "value"])
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    assert RESPONSES_PART in parts and INSTITUTION_PART in parts, sorted(parts)
    return parts


def write_workbook(path: Path, base: dict[str, bytes], responses: str, institution: str) -> None:
    replaced = {RESPONSES_PART: responses.encode(), INSTITUTION_PART: institution.encode()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in base.items():
            zf.writestr(name, replaced.get(name, data))


def institution_xml(name: str, year: int) -> str:
    return sheet_xml([("key", "value"), ("name", name), ("country", "CN"), ("year", year)])


def random_answers(rubric: dict[str, Any], rnd: random.Random) -> list[Sequence[Cell]]:
    """One row per indicator: random answers of the right kind; about 5% left blank."""
    rows: list[Sequence[Cell]] = [RESPONSES_HEADER]
    for ident, ind in indicator_types(rubric):
        answer: Cell
        if rnd.random() < 0.05:
            answer = None
        elif ind["type"] == "level":
            answer = rnd.randint(0, 4)
        elif ind["type"] == "boolean":
            answer = rnd.choice(("yes", "no"))
        elif ind.get("unit") == "percent":
            answer = round(rnd.uniform(0, 100), 1)
        else:
            answer = round(rnd.uniform(0, 80), 2)
        evidence = "annual report" if rnd.random() < 0.7 else None
        rows.append((ident, ind["name"], answer, evidence, None))
    return rows


def make_workbooks(folder: Path, rubric: dict[str, Any], count: int, seed: int = 7) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    base = base_workbook()
    paths = []
    for n in range(count):
        rnd = random.Random(seed * 1_000_003 + n)
        path = folder / f"inst-{n:04d}.xlsx"
        responses = sheet_xml(random_answers(rubric, rnd))
        write_workbook(path, base, responses, institution_xml(f"Institution {n:04d}", 2025))
        paths.append(path)
    return paths


# --------------------------------------------------------------------------- hostile files


def level_ids(rubric_path: Path) -> list[str]:
    data = yaml.load(rubric_path.read_text("utf-8"), Loader=yaml.CSafeLoader)
    return [i for i, ind in indicator_types(data) if ind["type"] == "level"]


def make_zip_bomb(path: Path, ids: Sequence[str], inflated_mb: int = 256) -> None:
    """A valid workbook whose Responses part is padded with whitespace to ``inflated_mb`` MB.

    The padding sits between rows (ignorable whitespace), so the XML stays well formed; it
    deflates about 1000:1, so the uncompressed size is far more than 100× the file.
    """
    base = base_workbook()
    rows = sheet_xml([RESPONSES_HEADER, *((i, "", 2, "report", None) for i in ids)])
    head, tail = rows[: -len(_TAIL)], _TAIL
    chunk = b" " * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in base.items():
            if name == RESPONSES_PART:
                with zf.open(name, "w", force_zip64=True) as fh:
                    fh.write(head.encode())
                    for _ in range(inflated_mb):
                        fh.write(chunk)
                    fh.write(tail.encode())
            elif name == INSTITUTION_PART:
                zf.writestr(name, institution_xml("Zip bomb", 2025))
            else:
                zf.writestr(name, data)


def make_many_rows(path: Path, ids: Sequence[str], rows: int = 100_001) -> None:
    """A workbook whose Responses sheet has ``rows`` answer rows (a group of ``rows`` respondents)."""
    body = (RESPONSES_HEADER, *((ids[r % len(ids)], "", 1 + r % 3, "", f"r{r}") for r in range(rows)))
    write_workbook(path, base_workbook(), sheet_xml(body), institution_xml("Many rows", 2025))
