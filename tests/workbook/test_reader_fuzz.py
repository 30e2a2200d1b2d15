"""Whatever the bytes, ``read_assessment`` returns an Assessment or raises a VibbenchError —
never another exception, never a crash of the process (calamine aborts on a failed
allocation, so the limits must hold for every layout)."""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.conftest import MINI_RUBRIC
from tests.workbook._build_workbooks import STYLES_PERCENT, book, cell, raw_book, row, sheet_xml
from vibbench.errors import VibbenchError
from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import Rubric
from vibbench.workbook.model import Assessment
from vibbench.workbook.reader import COLUMN_ALIASES, read_assessment

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

RUBRIC: Rubric = load_rubric(MINI_RUBRIC)
IDS = [i.id for i in RUBRIC.indicators()]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def check(path: Path) -> Assessment | None:
    before = path.read_bytes()
    try:
        result = read_assessment(path, RUBRIC)
    except VibbenchError as exc:
        assert exc.problems
        for p in exc.problems:
            assert str(p.where).startswith(str(path))
            assert p.what.en and p.fix.en
        result = None
    else:
        assert isinstance(result, Assessment)
        for answer in result.answers:
            assert answer.indicator in IDS
            assert math.isfinite(answer.value)
            assert answer.cell
    assert path.read_bytes() == before
    return result


# --------------------------------------------------------------------------- generated workbooks

printable = st.characters(blacklist_categories=("Cs", "Cc", "Co"))
sheet_names = st.text(alphabet="abcXYZ 回答答卷机构Responses_.-0123", min_size=1, max_size=31).filter(
    lambda s: s.strip() == s and s.strip() and s.lower() != "history"
)
answers = st.one_of(
    st.none(),
    st.integers(-5, 150),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.datetimes(min_value=dt.datetime(1901, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.text(printable, max_size=12),
    st.sampled_from(
        ["3 – Established", "3 - 成熟", "35%", "N/A", "yes", "是", "否", "1,200", "=1+1", "#N/A", "-", "４"]
    ),
)
ids = st.one_of(st.sampled_from([*IDS, "A.X", "A", "Z.9", " A.X.1 ", ""]), st.none(), st.integers(0, 9))
rows = st.lists(
    st.one_of(
        st.tuples(ids, answers, st.sampled_from([None, "Ann", "Bob", "ann"])),
        st.just((None, None, None)),  # a blank row
    ),
    max_size=12,
)
headers = st.tuples(
    st.sampled_from(COLUMN_ALIASES["id"] + ("ID", " Id ", "code")),
    st.sampled_from(COLUMN_ALIASES["answer"] + ("Answer", "ANSWER", "score")),
    st.sampled_from(COLUMN_ALIASES["respondent"] + ("Respondent", "who")),
)


@FUZZ
@given(
    sheet=sheet_names,
    before=st.lists(sheet_names, max_size=2, unique=True),
    header=headers,
    data=rows,
    top=st.integers(1, 23),
    left=st.integers(1, 5),
    titles=st.lists(st.text(printable, max_size=20), max_size=3),
    merge=st.booleans(),
    percent=st.booleans(),
)
def test_generated_workbooks(
    folder: Path,
    sheet: str,
    before: list[str],
    header: tuple[str, str, str],
    data: list[tuple[Any, Any, Any]],
    top: int,
    left: int,
    titles: list[str],
    merge: bool,
    percent: bool,
) -> None:
    assume(sheet not in before)
    titles = titles[: max(0, top - 1)]
    letter = "ABCDEFGH"[left]
    formats = {f"{letter}{top + i}": "0%" for i in range(1, len(data) + 1)} if percent else None
    path = folder / "generated.xlsx"
    try:
        book(
            path,
            [list(r) for r in data],
            header=header,
            sheet=sheet,
            top=top,
            left=left,
            titles=titles,
            merge_titles=merge,
            formats=formats,
            before=before,
        )
    except (ValueError, TypeError):  # openpyxl refuses some titles and values: nothing to read
        assume(False)
    result = check(path)
    if result is not None:
        assert {a.cell.rpartition("!")[2][0] for a in result.answers} <= {letter}


# --------------------------------------------------------------------------- corrupted bytes


def base_book() -> bytes:
    rows = [
        row(1, cell("A1", "id"), cell("B1", "answer"), cell("C1", "respondent")),
        row(2, cell("A2", "A.X.1"), cell("B2", "3 – Established"), cell("C2", "Ann")),
        row(3, cell("A3", "A.X.2"), cell("B3", 0.35, style=1)),
        row(4, cell("A4", "A.Y.1"), cell("B4", 3, formula="1+2")),
        row(5, cell("A5", "B.Z.1"), cell("B5", "yes")),
    ]
    inst = sheet_xml(
        [row(1, cell("A1", "name"), cell("B1", "Inst")), row(2, cell("A2", "year"), cell("B2", 2025))]
    )
    stamp = sheet_xml([row(1, cell("A1", "rubric_id"), cell("B1", "mini"))])
    return raw_book(
        [("Responses", sheet_xml(rows)), ("Institution", inst), ("_vibbench", stamp)],
        styles=STYLES_PERCENT,
        hidden=["_vibbench"],
    )


BASE = base_book()


def test_base_book_reads(folder: Path) -> None:
    path = folder / "base.xlsx"
    path.write_bytes(BASE)
    result = check(path)
    assert result is not None
    assert [a.value for a in result.answers] == [3.0, 35.0, 3.0, 1.0]


@FUZZ
@given(
    edits=st.lists(st.tuples(st.integers(0, len(BASE) - 1), st.integers(0, 255)), min_size=1, max_size=8),
    cut=st.one_of(st.none(), st.integers(0, len(BASE))),
)
def test_corrupted_bytes(folder: Path, edits: list[tuple[int, int]], cut: int | None) -> None:
    data = bytearray(BASE)
    for pos, value in edits:
        data[pos] = value
    path = folder / "corrupt.xlsx"
    path.write_bytes(bytes(data[:cut]))
    check(path)


TOKENS = [
    b"<",
    b">",
    b'"',
    b"/>",
    b"</c>",
    b"<row>",
    b"</row>",
    b'<row r="1048576">',
    b'<row r="0">',
    b'<c r="XFD1048576"><v>1</v></c>',
    b'<c r="A1"><v>1</v></c>',
    b"<c><v>2</v></c>",
    b'<c r="A99999999999"><v>1</v></c>',
    b'<c r="ZZZZ1"><v>1</v></c>',
    b' t="e"',
    b' t="s"',
    b' t="b"',
    b' s="1"',
    b' s="99"',
    b"<f>1</f>",
    b"<v>NaN</v>",
    b"<v>1e999</v>",
    b"&lol;",
    b"<!DOCTYPE x>",
    b"</sheetData><sheetData>",
    b'<dimension ref="A1:XFD1048576"/>',
    b"\x00",
    b"\xff\xfe",
    "回答".encode(),
]


@FUZZ
@given(
    part=st.sampled_from(
        [
            "xl/worksheets/sheet1.xml",
            "xl/worksheets/sheet2.xml",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "xl/styles.xml",
        ]
    ),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 12), st.sampled_from(TOKENS)),
        min_size=1,
        max_size=6,
    ),
)
def test_corrupted_xml(folder: Path, part: str, edits: list[tuple[float, int, bytes]]) -> None:
    """Parts that are well zipped (checksums right) but hold broken or hostile XML."""
    with zipfile.ZipFile(io.BytesIO(BASE)) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    xml = bytearray(parts[part])
    for where, drop, token in edits:
        pos = int(where * len(xml))
        xml[pos : pos + drop] = token
    parts[part] = bytes(xml)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in parts.items():
            zf.writestr(name, content)
    path = folder / "xml.xlsx"
    path.write_bytes(out.getvalue())
    check(path)
