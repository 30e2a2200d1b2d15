"""Crafted workbooks, small on disk, that once cost minutes or gigabytes (issue 16, items 7–9;
issue 11 §3): each is read in a fresh process, whose time and peak memory are measured.

The bounds asserted are generous (machines are shared and noisy); measured on the
development machine (peak resident memory of the whole process, VmHWM): the 10,000 merges
0.12 s, 69 MB; 200 sheets on one part 0.002 s, 23 MB; the shared-string fan-out 0.005 s,
26 MB; the largest file accepted (48 MB) 0.09 s, 84 MB; a million shared strings 0.8 s, 85 MB.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from array import array
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

from tests.conftest import MINI_RUBRIC, ROOT
from tests.workbook._build_workbooks import cell, raw_book, responses_xml, row, sheet_xml
from vibbench.workbook import limits, sheetscan
from vibbench.workbook.container import open_zip
from vibbench.workbook.parts import SharedStrings

SECONDS = 10.0
MEGABYTES = 150.0

_MEASURE = """
import json, sys, time
from vibbench.errors import WorkbookError
from vibbench.rubric.loader import load_rubric
from vibbench.workbook.reader import read_assessment
rubric = load_rubric(sys.argv[2])
start = time.perf_counter()
try:
    assessment = read_assessment(sys.argv[1], rubric)
    outcome = {"answers": len(assessment.answers)}
except WorkbookError as exc:
    outcome = {"error": str(exc)}
outcome["seconds"] = time.perf_counter() - start
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the forking process (pytest).
with open("/proc/self/status") as fh:
    hwm = next(line for line in fh if line.startswith("VmHWM:"))
outcome["mb"] = int(hwm.split()[1]) / 1024
print(json.dumps(outcome))
"""


def measure(path: Path) -> dict[str, object]:
    """Read ``path`` in a fresh interpreter: its outcome, the seconds the read took and the
    process's peak resident memory in MB."""
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path), str(MINI_RUBRIC)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    out: dict[str, object] = json.loads(result.stdout)
    print(path.name, out["seconds"], out["mb"])  # shown with -s: the measured numbers
    return out


def within_bounds(out: dict[str, object]) -> None:
    assert isinstance(out["seconds"], float) and out["seconds"] < SECONDS, out
    assert isinstance(out["mb"], float) and out["mb"] < MEGABYTES, out


def answers_xml(extra: str = "", more_rows: str = "") -> str:
    xml = responses_xml([["A.X.1", 3]])
    return xml.replace("</sheetData>", more_rows + "</sheetData>").replace(
        "</worksheet>", extra + "</worksheet>"
    )


def semi_random(size: int, seed: int = 1) -> str:
    """``size`` letters that deflate about 40 times (a random block repeated): long text that
    stays small on disk and within the zip's expansion limit."""
    rng = random.Random(seed)
    block = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(20_000))
    return (block * (size // len(block) + 1))[:size]


def shared_table(strings: list[str]) -> bytes:
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()


def shared_cells(count: int, index: int = 0) -> str:
    return "".join(row(i, f'<c r="D{i}" t="s"><v>{index}</v></c>') for i in range(3, 3 + count))


# --------------------------------------------------------------------------- merged cells (16.7)


def test_ten_thousand_merges_down_to_row_100000(tmp_path: Path) -> None:
    merges = "".join(f'<mergeCell ref="A{40 + i}:A100000"/>' for i in range(10_000))
    far = row(100_000, cell("E100000", "x"))
    path = tmp_path / "merges.xlsx"
    path.write_bytes(raw_book([("Responses", answers_xml(f"<mergeCells>{merges}</mergeCells>", far))]))
    out = measure(path)
    assert out.get("answers") == 1, out
    within_bounds(out)


def test_too_many_merges_are_refused(tmp_path: Path) -> None:
    merges = "".join(f'<mergeCell ref="A{40 + i}:B{40 + i}"/>' for i in range(limits.MAX_MERGES + 1))
    path = tmp_path / "merges.xlsx"
    path.write_bytes(raw_book([("Responses", answers_xml(f"<mergeCells>{merges}</mergeCells>"))]))
    out = measure(path)
    assert f"more than {limits.MAX_MERGES:,} merged cell ranges" in str(out.get("error")), out
    within_bounds(out)


def test_merges_cut_between_chunks_are_counted() -> None:
    tally = sheetscan._Tally("S", None)
    text = b'<mergeCell ref="A1:A2"/>' * 7
    for i in range(len(text)):  # every way to cut the part in two
        tally = sheetscan._Tally("S", None)
        tally.feed(text[:i])
        tally.feed(text[i:])
        tally.finish()
        assert tally.merges == 7, i


# --------------------------------------------------------------------------- sheets on one part (16.8)


def _sheets_on_one_part(count: int, rows: int) -> bytes:
    data = raw_book([("Data", sheet_xml(row(r, cell(f"A{r}", r)) for r in range(1, rows + 1)))])
    entries = "".join(f'<sheet name="S{i}" sheetId="{i}" r:id="rId1"/>' for i in range(1, count + 1))
    return _replace_part(data, "xl/workbook.xml", _workbook_xml(entries))


def _workbook_xml(entries: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{entries}</sheets></workbook>"
    ).encode()


def _replace_part(data: bytes, name: str, content: bytes) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == name else src.read(info.filename))
    return out.getvalue()


def test_many_sheets_sharing_one_part_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "shared.xlsx"
    path.write_bytes(_sheets_on_one_part(200, 100_000))
    out = measure(path)
    assert "share the part xl/worksheets/sheet1.xml" in str(out.get("error")), out
    within_bounds(out)


def test_sheets_looked_at_share_one_cell_budget(tmp_path: Path) -> None:
    # Each sheet spans 100,000 rows × 5 columns with two cells; none has a header, so every
    # one is looked at until the budget for all of them is spent.
    sheet = sheet_xml([row(1, cell("A1", "x")), row(100_000, cell("E100000", "y"))])
    count = limits.MAX_TOTAL_CELLS // 500_000 + 1
    path = tmp_path / "budget.xlsx"
    path.write_bytes(raw_book([(f"S{i}", sheet) for i in range(count)]))
    out = measure(path)
    assert f"span more than {limits.MAX_TOTAL_CELLS:,} cells together" in str(out.get("error")), out
    within_bounds(out)


def test_too_many_sheets_are_refused(tmp_path: Path) -> None:
    entries = "".join(
        f'<sheet name={quoteattr(f"S{i}")} sheetId="{i}" r:id="rId1"/>' for i in range(limits.MAX_SHEETS + 1)
    )
    path = tmp_path / "sheets.xlsx"
    path.write_bytes(
        _replace_part(raw_book([("Responses", answers_xml())]), "xl/workbook.xml", _workbook_xml(entries))
    )
    out = measure(path)
    assert f"(the limit is {limits.MAX_SHEETS:,})" in str(out.get("error")), out


# --------------------------------------------------------------------------- shared strings (16.9, 11 §3)


def test_shared_string_fan_out_is_refused_before_calamine_loads_the_sheet(tmp_path: Path) -> None:
    size = 900_000  # under the limit for one string; 50 copies are over the limit for a sheet
    path = tmp_path / "fan-out.xlsx"
    extra = {"xl/sharedStrings.xml": shared_table([semi_random(size)])}
    path.write_bytes(raw_book([("Responses", answers_xml(more_rows=shared_cells(50)))], extra=extra))
    assert path.stat().st_size < 200_000
    out = measure(path)
    assert "repeat more than 32.0 MB of shared text" in str(out.get("error")), out
    within_bounds(out)


def test_shared_strings_referenced_a_few_times_are_read(tmp_path: Path) -> None:
    path = tmp_path / "few.xlsx"
    extra = {"xl/sharedStrings.xml": shared_table([semi_random(900_000)])}
    path.write_bytes(raw_book([("Responses", answers_xml(more_rows=shared_cells(5)))], extra=extra))
    out = measure(path)
    assert out.get("answers") == 1, out
    within_bounds(out)


def test_one_huge_shared_string_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.xlsx"
    extra = {"xl/sharedStrings.xml": shared_table([semi_random(limits.MAX_SHARED_STRING + 100)])}
    path.write_bytes(raw_book([("Responses", answers_xml(more_rows=shared_cells(1)))], extra=extra))
    out = measure(path)
    assert "a shared string of 1.0 MB" in str(out.get("error")), out
    within_bounds(out)


def test_too_many_shared_strings_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    strings = [format(i, "x") for i in range(limits.MAX_SHARED_STRINGS + 1)]
    path.write_bytes(
        raw_book([("Responses", answers_xml())], extra={"xl/sharedStrings.xml": shared_table(strings)})
    )
    out = measure(path)
    assert f"more than {limits.MAX_SHARED_STRINGS:,} shared strings" in str(out.get("error")), out
    within_bounds(out)


@pytest.mark.parametrize("cut", [1, 7, 100, 4096])
def test_shared_string_references_are_counted_across_chunks(cut: int) -> None:
    shared = SharedStrings(array("L", [10, 1000]), longest=1000)
    part = b"".join(b'<c r="D%d" t="s"><v>%d</v></c>' % (i, i % 2) for i in range(1, 41))
    tally = sheetscan._Tally("S", shared)
    for pos in range(0, len(part), cut):
        tally.feed(part[pos : pos + cut])
    tally.finish()
    assert 20 * 10 + 20 * 1000 <= tally.text <= 40 * 1000


# --------------------------------------------------------------------------- parts streamed by zipfile


def test_a_part_longer_than_declared_is_caught_even_with_a_matching_checksum() -> None:
    """zipfile stops a part at its declared size; a crafted part whose checksum matches those
    first bytes would pass unnoticed, so the stream is checked for more."""
    import struct
    import zlib

    from tests.workbook._build_workbooks import understate_size

    big = b"<sst xmlns='x'>" + b"<si><t>aaaaaaaaaa</t></si>" * 100_000 + b"</sst>"
    data = raw_book([("Responses", answers_xml())], extra={"xl/sharedStrings.xml": big})
    buf = bytearray(understate_size(data, "xl/sharedStrings.xml", 1000))
    crc = zlib.crc32(big[:1000])
    pos = 0
    while (pos := buf.find(b"PK\x01\x02", pos)) >= 0:
        (name_len,) = struct.unpack_from("<H", buf, pos + 28)
        if bytes(buf[pos + 46 : pos + 46 + name_len]) == b"xl/sharedStrings.xml":
            struct.pack_into("<I", buf, pos + 16, crc)
            (offset,) = struct.unpack_from("<I", buf, pos + 42)
            struct.pack_into("<I", buf, offset + 14, crc)
        pos += 4
    with pytest.raises(limits.RefusedError) as info:
        open_zip(bytes(buf))
    assert "holds more than the 1000 bytes it declares" in info.value.what.en


# --------------------------------------------------------------------------- the largest accepted


def test_the_largest_file_accepted_reads_under_150_mb(tmp_path: Path) -> None:
    """Calamine reads from the path: handed the bytes, it kept two more copies (190 MB)."""
    import zipfile

    noise = random.Random(3).randbytes(limits.MAX_FILE_BYTES - 2 * 1024 * 1024)
    data = raw_book(
        [("Responses", answers_xml())], extra={"xl/media/photo.bin": noise}, compression=zipfile.ZIP_STORED
    )
    path = tmp_path / "large.xlsx"
    path.write_bytes(data)
    del data, noise
    out = measure(path)
    assert out.get("answers") == 1, out
    within_bounds(out)


def test_the_largest_shared_strings_table_accepted_reads_under_150_mb(tmp_path: Path) -> None:
    path = tmp_path / "strings.xlsx"
    strings = [format(i, "08x") for i in range(limits.MAX_SHARED_STRINGS)]
    path.write_bytes(
        raw_book([("Responses", answers_xml())], extra={"xl/sharedStrings.xml": shared_table(strings)})
    )
    out = measure(path)
    assert out.get("answers") == 1, out
    within_bounds(out)
