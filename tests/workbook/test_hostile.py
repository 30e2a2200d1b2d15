"""Files that are not what they claim, or are built to hurt: each is refused with exit 2, one
``error:`` line that names the file and says what it is — quickly, and without a traceback."""

from __future__ import annotations

import hashlib
import io
import random
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import MINI_RUBRIC, ROOT
from tests.workbook._build_workbooks import (
    cell,
    raw_book,
    responses_xml,
    row,
    sheet_xml,
    understate_size,
    with_part,
)
from vibbench.errors import WorkbookError
from vibbench.rubric.model import Rubric
from vibbench.workbook import limits
from vibbench.workbook.container import open_zip
from vibbench.workbook.reader import read_assessment


def valid() -> bytes:
    return raw_book([("Responses", responses_xml([["A.X.1", 3], ["B.Z.1", "yes"]]))])


def zeros(total: int, chunk: int = 1 << 20) -> Iterator[bytes]:
    block = bytes(chunk)
    for _ in range(total // chunk):
        yield block


def many_rows(n: int) -> bytes:
    """A Responses sheet with ``n`` answer rows below its header, written straight as XML."""
    rows = [row(1, cell("A1", "id"), cell("B1", "answer"))]
    rows += [
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>A.X.1</t></is></c><c r="B{i}"><v>1</v></c></row>'
        for i in range(2, n + 2)
    ]
    return raw_book([("Responses", sheet_xml(rows))])


def encrypted() -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(valid())).encrypt("secret", out)
    return out.getvalue()


def legacy_xls() -> bytes:
    # The start of an OLE2 compound file whose directory holds a "Workbook" stream (BIFF8).
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "Workbook".encode("utf-16-le") + bytes(2000)


def not_a_workbook(name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(name, content)
    return out.getvalue()


def billion_laughs() -> bytes:
    dtd = '<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)
    )
    xml = sheet_xml([row(1, cell("A1", "id"), cell("B1", "answer")), row(2, cell("A2", "&lol9;"))])
    xml = xml.replace("<worksheet", dtd + "]><worksheet", 1).replace("&amp;lol9;", "&lol9;")
    return raw_book([("Responses", xml)])


def far_corners() -> bytes:
    """Two values in opposite corners: calamine would allocate 90,000 × 16,384 cells."""
    xml = sheet_xml(
        [
            row(1, cell("A1", "id"), cell("B1", "answer")),
            row(90000, cell("A90000", "A.X.1"), cell("XFD90000", 1)),
        ]
    )
    return raw_book([("Responses", xml)])


def far_corners_utf16() -> bytes:
    """The same, in UTF-16, where byte searches for ``r="..."`` find nothing."""
    xml = sheet_xml(
        [row(1, cell("A1", "id"), cell("B1", "answer")), row(90000, cell("A90000", "x"), cell("XFD90000", 1))]
    )
    xml = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    data = raw_book([("Responses", "")])
    return rewrite(data, "xl/worksheets/sheet1.xml", xml.encode("utf-16"))


def random_text(n: int) -> str:
    """Text that does not compress much (a zip made only of padding would look like a bomb)."""
    rng = random.Random(7)
    return "".join(rng.choices("abcdefghijklmnopqrstuvwxyz ", k=n))


def nested_cells() -> bytes:
    """A cell inside a cell: calamine and a scan could place what follows differently."""
    xml = sheet_xml(
        [
            row(1, cell("A1", "id"), cell("B1", "answer")),
            '<row r="2"><c r="A2"><c><v>1</v></c></c></row>',
        ],
        extra="<!--" + random_text(1_200_000) + "-->",  # over 1 MB: the exact scan, not the byte searches
    )
    return raw_book([("Responses", xml)])


def escaped_target() -> bytes:
    """A relationship target with a character reference: calamine reads it undecoded."""
    data = raw_book([("Responses", responses_xml([["A.X.1", 1]]))])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        rels = zf.read("xl/_rels/workbook.xml.rels").replace(b"sheet1.xml", b"&#115;heet1.xml")
    return rewrite(data, "xl/_rels/workbook.xml.rels", rels)


def rewrite(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == name else src.read(info.filename))
    return out.getvalue()


def lying_sizes() -> bytes:
    """A shared-strings part that declares 1 kB but inflates to 20 MB."""
    return understate_size(
        with_part(valid(), "xl/sharedStrings.xml", zeros(20 << 20)), "xl/sharedStrings.xml", 1000
    )


def huge_part() -> bytes:
    """A part that declares 300 MB, in a file large enough (4 MB of noise) to pass the ratio check."""
    noise = random.Random(3).randbytes(4 << 20)
    data = with_part(with_part(valid(), "xl/media/noise.bin", noise), "xl/sharedStrings.xml", b"<sst/>")
    return understate_size(data, "xl/sharedStrings.xml", 300 << 20)


def html() -> bytes:
    return b"<html><body><table><tr><td>id</td><td>answer</td></tr></table></body></html>"


# name → (bytes, words the message must hold)
CASES: dict[str, tuple[Callable[[], bytes], str]] = {
    "truncated zip": (lambda: valid()[: len(valid()) // 2], "damaged or truncated zip"),
    "renamed csv": (lambda: b"id,answer\nA.X.1,3\nB.Z.1,yes\n", "text (CSV) file"),
    "renamed gbk csv": (lambda: "编号,回答\nA.X.1,3\n".encode("gbk"), "text (CSV) file"),
    "html page": (html, "HTML page"),
    "pdf": (lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
    "random binary": (lambda: bytes(range(256)) * 4, "unrecognised binary content"),
    "empty file": (lambda: b"", "empty"),
    "encrypted workbook": (encrypted, "encrypted"),
    "legacy xls": (legacy_xls, "legacy Excel 97–2003 workbook (.xls)"),
    "zip bomb": (lambda: with_part(valid(), "xl/media/zeros.bin", zeros(60 << 20)), "possible zip bomb"),
    "lying sizes": (lying_sizes, "inconsistent"),
    "part over 256 MB": (huge_part, "would expand to 300.0 MB (the limit is 256.0 MB)"),
    "too many rows": (lambda: many_rows(100_001), "more than 100,000 rows"),
    "far corners": (far_corners, "used area"),
    "far corners in utf-16": (far_corners_utf16, "used area"),
    "nested cells": (nested_cells, "inside a cell"),
    "escaped part name": (escaped_target, "escaped characters"),
    "billion laughs": (billion_laughs, "damaged"),
    "plain zip": (lambda: not_a_workbook("hello.txt", b"hello"), "zip archive, not an Excel workbook"),
    "word document": (lambda: not_a_workbook("word/document.xml", b"<w/>"), "Word document"),
    "ods": (
        lambda: not_a_workbook("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        "OpenDocument spreadsheet",
    ),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    out: dict[str, Path] = {}
    for name, (make, _) in CASES.items():
        path = folder / (name.replace(" ", "_") + ".xlsx")
        path.write_bytes(make())
        out[name] = path
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_refused_with_what_it_is(hostile: dict[str, Path], mini_rubric: Rubric, name: str) -> None:
    path = hostile[name]
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    started = time.monotonic()
    with pytest.raises(WorkbookError) as info:
        read_assessment(path, mini_rubric)
    assert time.monotonic() - started < 5
    (problem,) = info.value.problems
    assert str(problem.where).startswith(str(path))
    assert CASES[name][1] in problem.what.en, problem.what.en
    assert problem.what.zh and problem.fix.zh
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_sheet_limits_name_the_sheet(hostile: dict[str, Path], mini_rubric: Rubric) -> None:
    for name in ("too many rows", "far corners"):
        with pytest.raises(WorkbookError) as info:
            read_assessment(hostile[name], mini_rubric)
        assert str(info.value.problems[0].where) == f"{hostile[name]}:Responses"


def test_exactly_100000_rows_is_accepted(tmp_path: Path, mini_rubric: Rubric) -> None:
    path = tmp_path / "full.xlsx"
    rows = [row(1, cell("A1", "id"), cell("B1", "answer"), cell("C1", "respondent"))]
    rows += [
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>A.X.1</t></is></c><c r="B{i}"><v>1</v></c><c r="C{i}"><v>{i}</v></c></row>'
        for i in range(2, 100_001)
    ]
    path.write_bytes(raw_book([("Responses", sheet_xml(rows))]))
    assert len(read_assessment(path, mini_rubric).answers) == 99_999


def big_sheet(rows: list[str]) -> bytes:
    """A Responses sheet over 1 MB (streamed, not searched whole), header on row 1."""
    header = row(1, cell("A1", "id"), cell("B1", "answer"), cell("C1", "respondent"))
    return raw_book([("Responses", sheet_xml([header, *rows]))])


def test_large_sheet_without_cell_references_is_scanned_exactly(tmp_path: Path, mini_rubric: Rubric) -> None:
    rows = [
        f'<row r="{i}"><c t="inlineStr"><is><t>A.X.1</t></is></c><c><v>2</v></c><c><v>{i}</v></c></row>'
        for i in range(2, 30_002)
    ]
    path = tmp_path / "norefs.xlsx"
    path.write_bytes(big_sheet(rows))
    a = read_assessment(path, mini_rubric)
    assert len(a.answers) == 30_000 and a.answers[-1].cell == "Responses!B30001"
    far = [
        *rows,
        '<row r="100002"><c t="inlineStr"><is><t>A.X.1</t></is></c><c><v>2</v></c><c><v>0</v></c></row>',
    ]
    path.write_bytes(big_sheet(far))
    with pytest.raises(WorkbookError) as info:
        read_assessment(path, mini_rubric)
    assert "found row 100,002" in info.value.problems[0].what.en


def test_large_sheet_with_empty_styled_rows_far_below(tmp_path: Path, mini_rubric: Rubric) -> None:
    rows = [
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>A.X.1</t></is></c><c r="B{i}"><v>1</v></c>'
        f'<c r="C{i}"><v>{i}</v></c></row>'
        for i in range(2, 20_002)
    ]
    rows += [f'<row r="{i}"><c r="A{i}" s="1"/></row>' for i in range(200_000, 200_100)]
    path = tmp_path / "styled.xlsx"
    path.write_bytes(big_sheet(rows))
    assert len(read_assessment(path, mini_rubric).answers) == 20_000


def test_cells_without_references_cannot_hide_behind_lookalikes(tmp_path: Path, mini_rubric: Rubric) -> None:
    """Cells placed by counting (no r) in a far row, with decoys that look like referenced cells
    to a careless byte search: calamine would span 90,000 × 16,384 cells."""
    cells = "".join("<c><v>1</v></c>" for _ in range(16_384))
    decoys = "".join('<!-- <c\x0cr="A1"/> -->' for _ in range(16_384))
    xml = sheet_xml(
        [row(1, cell("A1", "id"), cell("B1", "answer")), f'<row r="90000">{cells}</row>'], extra=decoys
    )
    path = tmp_path / "decoys.xlsx"
    noise = {"xl/media/noise.bin": random.Random(5).randbytes(100_000)}  # keeps the ratio check quiet
    path.write_bytes(raw_book([("Responses", xml)], extra=noise))
    with pytest.raises(WorkbookError) as info:
        read_assessment(path, mini_rubric)
    assert "used area" in info.value.problems[0].what.en or "damaged" in info.value.problems[0].what.en


def test_missing_file_and_folder(tmp_path: Path, mini_rubric: Rubric) -> None:
    for path, words in ((tmp_path / "nope.xlsx", "no such file"), (tmp_path, "folder")):
        with pytest.raises(WorkbookError) as info:
            read_assessment(path, mini_rubric)
        (problem,) = info.value.problems
        assert str(problem.where) == str(path)
        assert words in problem.what.en


def test_file_over_50_mb_is_refused_unread(tmp_path: Path, mini_rubric: Rubric) -> None:
    path = tmp_path / "big.xlsx"
    with path.open("wb") as fh:
        fh.write(valid())
        fh.truncate(limits.MAX_FILE_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(WorkbookError) as info:
        read_assessment(path, mini_rubric)
    assert "over 50.0 MB" in info.value.problems[0].what.en


def test_member_that_is_not_a_worksheet_is_damaged(tmp_path: Path, mini_rubric: Rubric) -> None:
    data = raw_book([("Responses", "<worksheet><sheetData><row r='x'/></sheetData></worksheet>")])
    path = tmp_path / "odd.xlsx"
    path.write_bytes(data)
    with pytest.raises(WorkbookError) as info:
        read_assessment(path, mini_rubric)
    assert "damaged" in info.value.problems[0].what.en


# --------------------------------------------------------------------------- through the CLI


def _cli(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vibbench", "score", str(path), "--rubric", str(MINI_RUBRIC)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


@pytest.mark.parametrize(
    "name",
    [
        "truncated zip",
        "renamed csv",
        "zip bomb",
        "too many rows",
        "encrypted workbook",
        "legacy xls",
        "empty file",
        "far corners",
        "lying sizes",
    ],
)
def test_cli_exit_2_one_line(hostile: dict[str, Path], name: str) -> None:
    result = _cli(hostile[name])
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {hostile[name]}")
    assert result.stdout == ""


def test_cli_folder_and_missing_file(tmp_path: Path) -> None:
    for path in (tmp_path, tmp_path / "missing.xlsx"):
        result = _cli(path)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith(f"error: {path}")


def test_small_parts_kept_for_rereading_are_bounded() -> None:
    """Each small part is inflated once and kept for the later reads, up to a total that no
    zip can raise: 40 parts of 200 kB (8 MB, within the 100× ratio) keep at most 4 MB."""
    data = valid()
    blob = random.Random(5).randbytes(1000) * 200  # compresses 200×
    for k in range(40):
        data = with_part(data, f"xl/media/filler{k}.bin", blob)
    container = open_zip(data)
    assert container.kept <= limits.KEEP_TOTAL < 40 * len(blob)
    assert container.kept == sum(map(len, container.contents.values()))
    book = container.info("xl/workbook.xml")
    assert book is not None and book.filename in container.contents
    assert container.read(book) is container.read(book)  # inflated once
    skipped = ("xl/worksheets/", *limits.UNREAD_PARTS)
    checked = [i for i in container.infos.values() if not i.filename.lower().startswith(skipped)]
    assert len(container.verified) == len(checked)


def corrupt_part(data: bytes, name: str) -> bytes:
    """``data`` with the compressed bytes of part ``name`` scrambled (sizes and checksum kept)."""
    buf = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(name)
    (name_len, extra_len) = struct.unpack_from("<HH", buf, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    for k in range(start, start + min(info.compress_size, 64)):
        buf[k] ^= 0x5A
    return bytes(buf)


def test_parts_nobody_reads_are_not_checked(tmp_path: Path, mini_rubric: Rubric) -> None:
    """limits.UNREAD_PARTS are skipped because calamine never inflates them: if a calamine
    release starts to, the first assertion fails and the list must shrink."""
    from python_calamine import CalamineWorkbook

    data = with_part(valid(), "docProps/app.xml", b"<Properties>" + b"x" * 2000 + b"</Properties>")
    data = with_part(data, "xl/theme/theme1.xml", b"<a:theme>" + b"y" * 4000 + b"</a:theme>")
    for name in ("docProps/app.xml", "xl/theme/theme1.xml", "[Content_Types].xml"):
        assert name.lower().startswith(limits.UNREAD_PARTS)
        data = corrupt_part(data, name)
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert [book.get_sheet_by_name(s).to_python() for s in book.sheet_names]
    path = tmp_path / "unread-parts-damaged.xlsx"
    path.write_bytes(data)
    assert [a.indicator for a in read_assessment(path, mini_rubric).answers] == ["A.X.1", "B.Z.1"]
    # a part calamine does read is still checked
    (tmp_path / "rels-damaged.xlsx").write_bytes(corrupt_part(valid(), "_rels/.rels"))
    with pytest.raises(WorkbookError, match=r"_rels/\.rels"):
        read_assessment(tmp_path / "rels-damaged.xlsx", mini_rubric)
