"""Workbooks made inside the tests: with openpyxl (what people's tools write) or part by part
with zipfile (what openpyxl cannot write: cached formula results, hostile layouts). No binary
fixture is committed."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

HEADER = ("id", "answer", "respondent", "evidence", "comment")


def book(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    header: Sequence[str] = HEADER,
    sheet: str = "Responses",
    top: int = 1,
    left: int = 1,
    titles: Sequence[str] = (),
    merge_titles: bool = False,
    formats: Mapping[str, str] | None = None,
    institution: Sequence[Sequence[Any]] | None = None,
    institution_sheet: str = "Institution",
    before: Sequence[str] = (),
    stamp: Sequence[Sequence[Any]] | None = None,
) -> Path:
    """Write an xlsx with openpyxl: optional sheets ``before``, then ``sheet`` with ``titles``
    above the header (which stands at row ``top``, column ``left``), then the data ``rows``.

    ``formats`` maps a cell (``"B2"``) to a number format. Returns ``path``.
    """
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    assert first is not None
    for i, name in enumerate(before):
        ws = first if i == 0 else wb.create_sheet()
        ws.title = name
        ws["A1"] = f"notes on {name}"
    ws = first if not before else wb.create_sheet()
    ws.title = sheet
    for i, title in enumerate(titles):
        ws.cell(row=1 + i, column=left, value=title)
        if merge_titles:
            ws.merge_cells(
                start_row=1 + i, start_column=left, end_row=1 + i, end_column=left + len(header) - 1
            )
    for j, name in enumerate(header):
        ws.cell(row=top, column=left + j, value=name)
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            if value is not None:
                ws.cell(row=top + i, column=left + j, value=value)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    if institution is not None:
        inst = wb.create_sheet(institution_sheet)
        for row in institution:
            inst.append(list(row))
    if stamp is not None:
        hidden = wb.create_sheet("_vibbench")
        for row in stamp:
            hidden.append(list(row))
        hidden.sheet_state = "hidden"
    wb.save(path)
    return path


# --------------------------------------------------------------------------- part by part


def cell(
    ref: str, value: Any = None, *, formula: str | None = None, style: int | None = None, kind: str = ""
) -> str:
    """One ``<c>`` element. ``value`` None with a formula: no cached result."""
    attrs = f' r="{ref}"'
    if style is not None:
        attrs += f' s="{style}"'
    inner = f"<f>{escape(formula)}</f>" if formula is not None else ""
    if isinstance(value, str) and not kind:
        if formula is not None:
            return f'<c{attrs} t="str">{inner}<v>{escape(value)}</v></c>'
        return f'<c{attrs} t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    if kind:
        attrs += f' t="{kind}"'
    if value is None:
        return f"<c{attrs}>{inner}</c>"
    if isinstance(value, bool):
        return f'<c{attrs} t="b">{inner}<v>{int(value)}</v></c>'
    return f"<c{attrs}>{inner}<v>{escape(str(value))}</v></c>"


def sheet_xml(rows: Iterable[str], *, extra: str = "") -> str:
    """A worksheet whose ``<sheetData>`` holds ``rows`` (each a ``<row>`` element)."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>" + "".join(rows) + "</sheetData>" + extra + "</worksheet>"
    )


def row(number: int, *cells: str) -> str:
    return f'<row r="{number}">' + "".join(cells) + "</row>"


STYLES_PERCENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>'
    '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="9"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs>'
    "</styleSheet>"
)
"""Cell formats: 0 general, 1 built-in ``0%``, 2 custom ``0.0%``, 3 unknown id (not percent)."""


def raw_book(
    sheets: Sequence[tuple[str, str]],
    *,
    styles: str | None = None,
    extra: Mapping[str, bytes] | None = None,
    hidden: Sequence[str] = (),
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """The bytes of a minimal xlsx: ``sheets`` as (name, worksheet XML), in order."""
    book_sheets = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"'
        + (' state="hidden"' if name in hidden else "")
        + "/>"
        for i, (name, _) in enumerate(sheets, start=1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    parts: dict[str, bytes] = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + overrides
            + "</Types>"
        ).encode(),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            "<sheets>" + book_sheets + "</sheets></workbook>"
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + rels
            + "</Relationships>"
        ).encode(),
    }
    for i, (_, xml) in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = xml.encode()
    if styles is not None:
        parts["xl/styles.xml"] = styles.encode()
    parts.update(extra or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def responses_xml(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER) -> str:
    """A Responses worksheet with the header on row 1 and plain values below, column A onwards."""
    letters = "ABCDEFGHIJ"
    out = [row(1, *(cell(f"{letters[j]}1", name) for j, name in enumerate(header)))]
    for i, values in enumerate(rows, start=2):
        out.append(row(i, *(cell(f"{letters[j]}{i}", v) for j, v in enumerate(values) if v is not None)))
    return sheet_xml(out)


def with_part(data: bytes, name: str, payload: bytes | Iterable[bytes]) -> bytes:
    """``data`` (an xlsx) with one more deflated part, written in chunks so that a large payload
    never sits in memory whole."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w") as fh:
            for chunk in [payload] if isinstance(payload, bytes) else payload:
                fh.write(chunk)
    return out.getvalue()


def understate_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite the zip directory so part ``name`` claims to inflate to only ``size`` bytes."""
    buf = bytearray(data)
    raw = name.encode()
    pos = 0
    while (pos := buf.find(b"PK\x01\x02", pos)) >= 0:
        (name_len,) = struct.unpack_from("<H", buf, pos + 28)
        if bytes(buf[pos + 46 : pos + 46 + name_len]) == raw:
            struct.pack_into("<I", buf, pos + 24, size)
            (offset,) = struct.unpack_from("<I", buf, pos + 42)
            struct.pack_into("<I", buf, offset + 22, size)
            return bytes(buf)
        pos += 4
    raise KeyError(name)
