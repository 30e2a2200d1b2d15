"""The sheet scan's fast path (byte searches) against its exact scan (expat, placing cells as
calamine does), on generated sheets cut into chunks anywhere: whenever the fast path answers,
it never says less than the exact scan — its rectangle holds the exact one, its flags are on
whenever the exact scan's are, and it refuses a sheet only when the exact scan refuses it too."""

from __future__ import annotations

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.workbook._build_workbooks import raw_book
from vibbench.workbook import sheetscan
from vibbench.workbook.container import open_zip
from vibbench.workbook.limits import RefusedError
from vibbench.workbook.sheetscan import SheetScan

MAX_ROWS = 60

letters = st.sampled_from(["A", "B", "C", "Z", "AA", "ab"])
row_numbers = st.integers(min_value=1, max_value=90)
contents = st.sampled_from(
    ["", "<v>1</v>", "<v></v>", "<is><t>x</t></is>", "<f>1+1</f><v>2</v>", "<f>1+1</f>", "<f/>"]
)
kinds = st.sampled_from(["", ' t="e"', ' t="s"', ' t="str"'])
spacing = st.sampled_from([" ", "\n", "  ", "\t"])


@st.composite
def cells(draw: st.DrawFn) -> str:
    # Mostly as producers write them (the reference first: the fast path's case), sometimes not.
    ref = ""
    if draw(st.integers(0, 9)) > 0:
        ref = f'{draw(spacing)}r="{draw(letters)}{draw(row_numbers)}"'
    attrs = ref + draw(kinds)
    if draw(st.integers(0, 9)) == 0:
        attrs = draw(kinds) + ref  # the reference not first
    body = draw(contents)
    if attrs == "":
        return f"<c>{body}</c>"
    return f"<c{attrs}>{body}</c>" if body else f"<c{attrs}/>"


@st.composite
def sheets(draw: st.DrawFn) -> str:
    rows = []
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        ref = f' r="{draw(row_numbers)}"' if draw(st.booleans()) else ""
        rows.append(f"<row{ref}>" + "".join(draw(st.lists(cells(), max_size=5))) + "</row>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + "".join(rows)
        + "</sheetData></worksheet>"
    )


def exact(xml: str) -> SheetScan | str:
    container = open_zip(raw_book([("S", xml)]))
    try:
        return sheetscan.scan_sheet(
            container, "xl/worksheets/sheet1.xml", "S", columns=frozenset(), max_rows=MAX_ROWS
        )
    except RefusedError as exc:
        return exc.what.en


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets(), st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=6))
def test_the_fast_path_never_says_less_than_the_exact_scan(xml: str, cuts: list[int]) -> None:
    data = xml.encode()
    chunks, pos = [], 0
    for size in cuts:
        chunks.append(data[pos : pos + size])
        pos += size
    chunks.append(data[pos:])
    try:
        fast = sheetscan._stream_scan(iter([c for c in chunks if c]), frozenset(), MAX_ROWS, "S")
    except RefusedError as exc:
        assert "more than 60 rows" in exc.what.en
        slow = exact(xml)
        assert isinstance(slow, str) and "more than 60 rows" in slow, slow
        return
    event("fast path: " + ("gave up" if fast is None else "answered"))
    if fast is None:
        return  # the exact scan decides alone
    slow = exact(xml)
    if isinstance(slow, str):
        # Refused by the exact scan for a layout calamine and the scan could disagree on; never
        # for a size the fast path let through.
        assert "rows" not in slow and "used area" not in slow, (slow, fast)
        return
    assert fast.rows >= slow.rows
    assert fast.width >= slow.width and fast.height >= slow.height
    assert fast.has_formula or not slow.has_formula
    assert fast.has_error or not slow.has_error
