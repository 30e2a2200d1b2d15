"""A worksheet, before calamine loads it: how many rows it uses and how large the rectangle is
that calamine would allocate, how many merged ranges and how much shared-string text it brings
in; and (only when asked, for the Responses columns) which cells hold formulas without a cached
value, error values, a percent number format or a reference to another workbook.

Calamine (Rust) allocates the whole used rectangle of a sheet at once and aborts the
process if that allocation fails, so the rectangle must be known to be small first. Two
ways to know it:

1. the fast path, byte searches over the stream when every ``<c>`` carries ``r="A1"`` first
   (what Excel, LibreOffice, WPS and openpyxl write): the rectangle of those references holds
   every cell calamine keeps; a ``<c r="A100001"><v>`` refuses the sheet at once. It gives up
   (None) whenever it cannot be sure. Kept because it halves the scan's cost per workbook
   (0.7 ms of 1.1 ms; compare reads hundreds); tests/workbook/test_scan_agrees.py checks on
   generated sheets that it never says less than the exact scan;
2. the exact scan, an expat pass that follows calamine's own placing of cells (and refuses
   layouts where the two could disagree, such as a cell inside a cell).
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from vibbench.text import T
from vibbench.workbook.container import Container
from vibbench.workbook.limits import (
    MAX_CELLS,
    MAX_MERGES,
    MAX_REFERENCED_TEXT,
    MAX_ROW_ELEMENTS,
    MAX_ROWS,
    RefusedError,
    mb,
    unreadable,
)
from vibbench.workbook.parts import SharedStrings, local_name, xml_parser

_CELL_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")


class _StopScanError(Exception):
    """Raised inside expat handlers once the part of the sheet that matters has been seen."""


def column_index(letters: str) -> int:
    """0-based column index of ``A``, ``AB``, ..."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


@dataclass
class SheetScan:
    """What a streaming pass over one worksheet learned, before calamine loads it."""

    rows: int = 0
    """Number of the last row that holds a value (1-based; for a small sheet an upper bound)."""
    width: int = 0
    """Columns of the used rectangle (an upper bound for a small sheet)."""
    height: int = 0
    """Rows of the used rectangle (an upper bound for a small sheet)."""
    has_formula: bool = False
    has_error: bool = False
    has_percent: bool = False
    uncached: set[tuple[int, int]] = field(default_factory=set)
    """(row, column), 0-based, of formula cells with no cached value (only in the columns asked)."""
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    """(row, column) → error value such as ``#DIV/0!`` (only in the columns asked)."""
    percent: set[tuple[int, int]] = field(default_factory=set)
    """(row, column) of cells with a percent number format (only in the columns asked)."""
    external: set[tuple[int, int]] = field(default_factory=set)
    """(row, column) of formula cells that refer to another workbook (only in the columns asked)."""


def _too_many_rows(max_rows: int, rows: int, sheet: str) -> RefusedError:
    return RefusedError(
        T(
            f"the sheet uses more than {max_rows:,} rows (found row {rows:,})",
            f"该工作表超过 {max_rows:,} 行（发现第 {rows:,} 行）",
        ),
        T(
            "keep one row per indicator (and respondent): delete the unused rows and save again",
            "每个指标（及填报人）一行即可：请删除多余的行后重新保存",
        ),
        sheet=sheet,
    )


_EXTERNAL_REF = re.compile(r"\[[^\]\[]+\][^!()\[\],;+*/=<>&^-]*!|\[[0-9]+\]")
"""A reference to another workbook in a formula: ``[1]Sheet1!A1`` (an external link by number),
``'[Budget.xlsx]Sheet1'!A1`` or ``[1]!Name``. Structured table references (``Table1[Column]``)
have no ``!`` after the bracket and no number inside it."""


class _Scanner:
    """Expat handlers that follow calamine's idea of cell positions (``r`` attributes, else counting)."""

    def __init__(
        self,
        parser: Any,
        percent_styles: frozenset[int],
        columns: frozenset[int] | None,
        max_rows: int,
        sheet: str,
    ) -> None:
        self.parser = parser
        self.percent_styles = percent_styles
        self.columns = columns
        self.max_rows = max_rows
        self.sheet = sheet
        self.out = SheetScan()
        self.in_data = False
        self.done = False
        self.row = 0
        self.col = 0
        self.row_elements = 0
        self.min_row = -1
        self.max_row = -1
        self.min_col = -1
        self.max_col = -1
        # the cell being read
        self.in_cell = False
        self.pos = (0, 0)
        self.valued = False
        self.formula = False
        self.kind: str | None = None
        self.style = -1
        self.watch = False
        self.text: list[str] = []
        self.watch_formula = False
        self.formula_text: list[str] = []

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if ":" in name:
            name = local_name(name)
        if not self.in_data:
            if name == "sheetData" and not self.done:
                self.in_data = True
            return
        if self.in_cell and name in ("c", "row", "sheetData"):
            # Calamine and this scan would disagree on where the cells stand: no real
            # worksheet nests these, so refuse rather than guess.
            raise unreadable(f"sheet {self.sheet}: a {name} element inside a cell")
        if name == "c":
            self.in_cell = True
            ref = attrs.get("r")
            if ref is not None:
                m = _CELL_REF.fullmatch(ref)
                if m is None or int(m.group(2)) == 0:
                    raise unreadable(f"sheet {self.sheet}: bad cell reference {ref[:20]!r}")
                self.col = column_index(m.group(1))
                self.pos = (int(m.group(2)) - 1, self.col)
            else:
                self.pos = (self.row, self.col)
            self.valued = False
            self.formula = False
            self.kind = attrs.get("t")
            s = attrs.get("s")
            self.style = int(s) if s is not None and s.isdigit() else -1
            self.watch = False
        elif name == "row":
            self.row_elements += 1
            if self.row_elements > MAX_ROW_ELEMENTS:
                raise self._too_many_rows(self.row_elements)
            ref = attrs.get("r")
            if ref is not None:
                if not ref.isdigit() or len(ref) > 7 or int(ref) == 0:
                    raise unreadable(f"sheet {self.sheet}: bad row number {ref[:20]!r}")
                self.row = int(ref) - 1
        elif name == "v" or name == "is":
            self.valued = True
            watched = self.columns is not None and self.pos[1] in self.columns
            if name == "v" and watched and (self.formula or self.kind == "e"):
                self.watch = True
                self.text = []
                self.parser.CharacterDataHandler = self.on_text
        elif name == "f":
            self.formula = True
            if self.columns is not None and self.pos[1] in self.columns:
                self.watch_formula = True
                self.formula_text = []
                self.parser.CharacterDataHandler = self.on_formula

    def on_formula(self, data: str) -> None:
        if sum(map(len, self.formula_text)) < 4096:
            self.formula_text.append(data)

    def on_text(self, data: str) -> None:
        if sum(map(len, self.text)) < 64:
            self.text.append(data)

    def end(self, name: str) -> None:
        if ":" in name:
            name = local_name(name)
        if not self.in_data:
            return
        if name == "c":
            self.in_cell = False
            self._cell_done()
            self.col += 1
        elif name == "row":
            self.row += 1
            self.col = 0
        elif name == "v":
            if self.watch:
                self.parser.CharacterDataHandler = None
        elif name == "f":
            if self.watch_formula:
                self.parser.CharacterDataHandler = None
        elif name == "sheetData":
            self.in_data = False
            self.done = True
            raise _StopScanError

    def _cell_done(self) -> None:
        out = self.out
        row, col = self.pos
        text = "".join(self.text).strip() if self.watch else ""
        self.watch = False
        if self.watch_formula:
            self.watch_formula = False
            if _EXTERNAL_REF.search("".join(self.formula_text)):
                self.out.external.add(self.pos)
        if self.formula:
            out.has_formula = True
        if self.kind == "e":
            out.has_error = True
        is_percent = self.style in self.percent_styles
        if self.valued:
            if row + 1 > self.max_rows:
                raise self._too_many_rows(row + 1)
            if self.min_row < 0 or row < self.min_row:
                self.min_row = row
            if row > self.max_row:
                self.max_row = row
            if self.min_col < 0 or col < self.min_col:
                self.min_col = col
            if col > self.max_col:
                self.max_col = col
            if is_percent:
                out.has_percent = True
        if self.columns is None or col not in self.columns:
            return
        # No <v> at all, or an empty one that is not a cached empty string (t="str")
        cached = self.valued and (bool(text) or self.kind in ("str", "inlineStr"))
        if self.formula and not cached:
            out.uncached.add((row, col))
        if self.kind == "e" and text:
            out.errors[(row, col)] = text
        if is_percent and self.valued:
            out.percent.add((row, col))

    def _too_many_rows(self, rows: int) -> RefusedError:
        return _too_many_rows(self.max_rows, rows, self.sheet)

    def finish(self) -> SheetScan:
        out = self.out
        if self.max_row >= 0:
            out.rows = self.max_row + 1
            out.height = self.max_row - self.min_row + 1
            out.width = self.max_col - self.min_col + 1
            if out.height * out.width > MAX_CELLS:
                raise RefusedError(
                    T(
                        f"the sheet's used area is {out.height:,} rows × {out.width:,} columns, more than "
                        f"{MAX_CELLS:,} cells",
                        f"该工作表的使用区域为 {out.height:,} 行 × {out.width:,} 列，超过 {MAX_CELLS:,} 个单元格",
                    ),
                    T(
                        "delete stray content far below or to the right of the answers and save again",
                        "请删除答案区域下方或右侧远处的零散内容后重新保存",
                    ),
                    sheet=self.sheet,
                )
        return out


_F_TAG = re.compile(rb"<f[\s/>]")
_ERROR_TYPE = re.compile(rb"""t\s*=\s*["']e["']""")


_MERGE_TAG = re.compile(rb"mergeCell[\s/>]")
_SHARED_TYPE = re.compile(rb"""t\s*=\s*["']s["']""")
_SHARED_CELL = re.compile(rb"""<c\s[^>]*?\bt\s*=\s*["']s["'][^>]*>\s*<v>\s*([0-9]{1,10})\s*</v>""")
_CARRY_LIMIT = 64 * 1024


class _Tally:
    """What a sheet makes calamine allocate beyond its cells, counted chunk by chunk as the part
    streams past: its merged ranges (at most :data:`MAX_MERGES`) and the shared-string text its
    cells copy (at most :data:`MAX_REFERENCED_TEXT`: calamine gives every cell its own copy, so
    one long string referenced by many cells multiplies)."""

    def __init__(self, sheet: str, shared: SharedStrings | None) -> None:
        self.sheet = sheet
        self.merges = 0
        self.tail = b""
        self.shared = shared if shared is not None and shared.lengths else None
        self.text = 0
        self.carry = b""

    def feed(self, chunk: bytes) -> None:
        # A merge tag is 10 bytes: one cut between chunks starts in the previous chunk's last 9
        # bytes, and none lies wholly within them, so nothing is counted twice or missed.
        buf = self.tail + chunk
        if b"mergeCell" in buf:
            self.merges += len(_MERGE_TAG.findall(buf))
            if self.merges > MAX_MERGES:
                raise self._too_many_merges()
        self.tail = buf[-9:]
        if self.shared is not None:
            buf = self.carry + chunk
            cut = buf.rfind(b"<c")
            if cut < 0 or len(buf) - cut > _CARRY_LIMIT:
                cut = buf.rfind(b"<")  # a cut at a "<" never splits a tag
            if cut < 0 or len(buf) - cut > _CARRY_LIMIT:
                # Long text (or a giant tag): carry a little, so a t="s" cut in two is still seen
                # (at worst counted twice, which only makes the bound larger).
                self._references(buf)
                self.carry = buf[-64:]
                return
            self._references(buf[:cut])
            self.carry = buf[cut:]

    def finish(self) -> None:
        if self.shared is not None:
            self._references(self.carry)
            self.carry = b""

    def _references(self, segment: bytes) -> None:
        shared = self.shared
        if shared is None or not (b"s'" in segment or b's"' in segment):
            return
        typed = len(_SHARED_TYPE.findall(segment))
        if not typed:
            return
        lengths = shared.lengths
        count = len(lengths)
        found = 0
        text = 0
        for index in _SHARED_CELL.findall(segment):
            i = int(index)
            text += lengths[i] if i < count else shared.longest
            found += 1
        # A t="s" this search could not pair with its index (another prefix, another layout) may
        # still be a shared-string cell: it counts as the longest string.
        self.text += text + max(0, typed - found) * shared.longest
        if self.text > MAX_REFERENCED_TEXT:
            raise RefusedError(
                T(
                    f"the sheet's cells repeat more than {mb(MAX_REFERENCED_TEXT)} of shared text",
                    f"该工作表的单元格重复引用的共享文本超过 {mb(MAX_REFERENCED_TEXT)}",
                ),
                T(
                    "keep long texts (evidence, comments) short or in separate documents, and save again",
                    "请精简较长的文字（佐证材料、备注），或将其放入单独的文件后重新保存",
                ),
                sheet=self.sheet,
            )

    def _too_many_merges(self) -> RefusedError:
        return RefusedError(
            T(
                f"the sheet has more than {MAX_MERGES:,} merged cell ranges",
                f"该工作表的合并单元格区域超过 {MAX_MERGES:,} 个",
            ),
            T(
                "unmerge the cells that need no merging (Home › Merge & Center) and save again",
                "请取消不必要的合并单元格（开始 › 合并后居中）后重新保存",
            ),
            sheet=self.sheet,
        )


def _has_error_type(xml: bytes) -> bool:
    """An error cell (``t="e"``) anywhere. The regular expression tries every ``t``; an ``e``
    followed by a quote, which any match contains, is looked for first by a plain byte search
    (four times faster, and rarely found in a sheet without errors)."""
    return (b'e"' in xml or b"e'" in xml) and _ERROR_TYPE.search(xml) is not None


FAST_SCAN_BYTES = 1024 * 1024
"""Sheets up to this size are read whole for the fast scan (one search per pattern)."""


_C_TAG = re.compile(rb'<c(?:[ \t\r\n]+r="([A-Za-z]{1,3})([0-9]{1,7})"|[ \t\r\n>/])')
"""Every ``c`` start tag (XML whitespace is space, tab, CR and LF), with the column letters and
row of its reference when a plain ``r="A1"`` is its first attribute, else two empty groups."""
_PREFIXED_TAG = re.compile(rb"<[\w.-]+:(?:c|row|sheetData)[\s/>]")
_PREFIXED_HINT = re.compile(rb":(?:c|row|sheetData)[\s/>]")
"""What every match of :data:`_PREFIXED_TAG` contains; a fast search rules most sheets out."""
_FAR_VALUE = re.compile(
    rb'<c[ \t\r\n]+r="[A-Za-z]{1,3}([0-9]{6,7})"[^>]*>\s*(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?\s*<(?:v>[^<]|is>)'
)
_MAX_CARRY = 1024 * 1024


def _stream_scan(
    chunks: Iterator[bytes], percent_styles: frozenset[int], max_rows: int, sheet: str
) -> SheetScan | None:
    """Bounds of a large sheet from byte searches over its stream, when every cell carries its
    ``r`` reference (as Excel, LibreOffice and openpyxl write them): calamine then places each
    cell exactly there, so the rectangle of all references holds every value it will keep.

    Refuses at once a value that certainly stands beyond ``max_rows`` (a ``<c r="A100001">``
    with a ``<v>``). None when the sheet is written otherwise: the exact scan then decides.
    """
    max_row = 0
    letters: set[bytes] = set()
    formula = error = False
    carry = b""
    for chunk in _with_end(chunks):
        if chunk is None:
            segment, carry = carry, b""
        else:
            if b"\x00" in chunk:  # UTF-16 or worse: the byte searches would not see the markup
                return None
            buf = carry + chunk
            cut = buf.rfind(b"<")
            if cut < 0:
                cut = len(buf)
            segment, carry = buf[:cut], buf[cut:]
            if len(carry) > _MAX_CARRY:
                return None
        refs = _C_TAG.findall(segment)
        if _PREFIXED_HINT.search(segment) and _PREFIXED_TAG.search(segment):
            return None
        if refs:
            cols, rows = zip(*refs, strict=True)
            if b"" in cols:
                return None  # a cell without a plain r="A1" first: its position would need counting
            max_row = max(max_row, max(map(int, set(rows))))
            letters.update(cols)
            if max_row > max_rows:
                for m in _FAR_VALUE.finditer(segment):
                    if int(m.group(1)) > max_rows:
                        raise _too_many_rows(max_rows, int(m.group(1)), sheet)
        formula = formula or _F_TAG.search(segment) is not None
        error = error or _has_error_type(segment)
    max_col = 0
    if letters:
        widest = max({x.upper() for x in letters}, key=lambda x: (len(x), x))
        max_col = column_index(widest.decode("ascii")) + 1
    if max_row > max_rows or max_row * max_col > MAX_CELLS:
        return None
    return SheetScan(
        rows=max_row,
        width=max_col,
        height=max_row,
        has_formula=formula,
        has_error=error,
        has_percent=bool(percent_styles),
    )


def _with_end(chunks: Iterator[bytes]) -> Iterator[bytes | None]:
    yield from chunks
    yield None


def _counted(chunks: Generator[bytes, None, None], tally: _Tally) -> Generator[bytes, None, None]:
    """The chunks, each fed to ``tally`` first; ``tally`` is finished once the last has passed."""
    try:
        for chunk in chunks:
            tally.feed(chunk)
            yield chunk
        tally.finish()
    finally:
        chunks.close()


def scan_sheet(
    container: Container,
    part: str,
    sheet: str,
    *,
    percent_styles: frozenset[int] = frozenset(),
    columns: frozenset[int] | None = None,
    max_rows: int = MAX_ROWS,
    shared: SharedStrings | None = None,
) -> SheetScan:
    """Stream one worksheet part: enforce the row and area limits and, for ``columns``, collect
    formula cells without a cached value, error values and percent-formatted cells."""
    info = container.info(part)
    if info is None:
        raise unreadable(f"the part {part} of sheet {sheet} is missing")
    if columns is None:
        if info.file_size <= FAST_SCAN_BYTES:
            xml = container.read(info)
            tally = _Tally(sheet, shared)
            tally.feed(xml)
            tally.finish()
            quick = _stream_scan(iter((xml,)), percent_styles, max_rows, sheet)
        else:
            stream = _counted(container.chunks(info), _Tally(sheet, shared))
            try:
                quick = _stream_scan(stream, percent_styles, max_rows, sheet)
            finally:
                stream.close()
        if quick is not None:
            return quick
    parser = xml_parser()
    scanner = _Scanner(parser, percent_styles, columns, max_rows, sheet)
    parser.StartElementHandler = scanner.start
    parser.EndElementHandler = scanner.end
    parser.buffer_text = True
    chunks = _counted(container.chunks(info), _Tally(sheet, shared))
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _StopScanError:
        if columns is None:
            # Calamine reads the rest of the part too: the whole of it must be sound.
            for _ in chunks:
                pass
    except expat.ExpatError as exc:
        raise unreadable(f"sheet {sheet}: {exc}") from None
    finally:
        chunks.close()
    return scanner.finish()
