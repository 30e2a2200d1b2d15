"""Valid OOXML packages as other producers write them (issue 11 §3, SPEC §2), crafted from the
samples: part names with backslashes, parts in other folders found through the relationships,
prefixed and Strict namespaces, stored parts. Each is first checked to open in python-calamine
with the same cells as the sample; vibbench must then score it exactly as the sample. A package
calamine cannot read gets a clear one-line error instead."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from vibbench.errors import WorkbookError
from vibbench.report.json_format import to_dict
from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import Rubric
from vibbench.scoring.engine import score
from vibbench.workbook.reader import read_assessment

SAMPLES = sorted((ROOT / "samples").glob("*.xlsx"))
MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"

Parts = dict[str, bytes]


def parts_of(data: bytes) -> Parts:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


def pack(parts: Parts, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def backslashes(parts: Parts) -> Parts:
    """Zip names written with backslashes, as some office and ERP exporters do."""
    return {name.replace("/", "\\"): data for name, data in parts.items()}


def prefixed(parts: Parts) -> Parts:
    """SpreadsheetML under a prefix (``<x:worksheet xmlns:x=...>``), the relationships namespace
    of the workbook under another one than ``r``."""
    out: Parts = {}
    for name, data in parts.items():
        if name.endswith(".xml") and MAIN in data:
            data = re.sub(rb"<(/?)(?=[A-Za-z])(?![\w.-]+:)", rb"<\1x:", data)
            data = data.replace(b'xmlns="' + MAIN + b'"', b'xmlns:x="' + MAIN + b'"')
            data = data.replace(b"xmlns:r=", b"xmlns:rel=").replace(b" r:id=", b" rel:id=")
        out[name] = data
    return out


def strict(parts: Parts) -> Parts:
    """The Strict OOXML namespaces."""
    return {
        name: data.replace(MAIN, b"http://purl.oclc.org/ooxml/spreadsheetml/main").replace(
            RELS, b"http://purl.oclc.org/ooxml/officeDocument/relationships"
        )
        for name, data in parts.items()
    }


def elsewhere(parts: Parts) -> Parts:
    """Worksheets under data/sheets/ and the styles under xl/look/, found through the workbook's
    relationships (absolute targets)."""
    out: Parts = {}
    for name, data in parts.items():
        if name == "xl/_rels/workbook.xml.rels":
            data = re.sub(rb'Target="/?(?:xl/)?worksheets/', b'Target="/data/sheets/', data)
            data = data.replace(b'Target="styles.xml"', b'Target="look/styles.xml"')
            data = data.replace(b'Target="sharedStrings.xml"', b'Target="/data/text.xml"')
        elif name == "[Content_Types].xml":
            data = data.replace(b"/xl/worksheets/", b"/data/sheets/").replace(
                b"/xl/styles.xml", b"/xl/look/styles.xml"
            )
        name = name.replace("xl/worksheets/", "data/sheets/").replace("xl/styles.xml", "xl/look/styles.xml")
        name = name.replace("xl/sharedStrings.xml", "data/text.xml")
        out[name] = data
    return out


def main_part_moved(parts: Parts) -> Parts:
    """The workbook part at book/main.xml, as OOXML allows (calamine finds no workbook there)."""
    out: Parts = {}
    for name, data in parts.items():
        if name == "_rels/.rels":
            data = data.replace(b'Target="xl/workbook.xml"', b'Target="book/main.xml"')
        elif name == "[Content_Types].xml":
            data = data.replace(b"/xl/workbook.xml", b"/book/main.xml")
        name = {
            "xl/workbook.xml": "book/main.xml",
            "xl/_rels/workbook.xml.rels": "book/_rels/main.xml.rels",
        }.get(name, name)
        out[name] = data
    return out


VARIANTS: dict[str, Callable[[Parts], bytes]] = {
    "backslashes": lambda p: pack(backslashes(p)),
    "stored": lambda p: pack(p, zipfile.ZIP_STORED),
    "prefixed": lambda p: pack(prefixed(p)),
    "strict": lambda p: pack(strict(p)),
    "elsewhere": lambda p: pack(elsewhere(p)),
    "all at once": lambda p: pack(backslashes(elsewhere(prefixed(strict(p)))), zipfile.ZIP_STORED),
    "main part moved": lambda p: pack(main_part_moved(p)),
}


def calamine_cells(data: bytes) -> dict[str, list[list[Any]]] | None:
    """Every sheet's cells as python-calamine reads them; None when it cannot read the package."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
    except CalamineError:
        return None


@pytest.fixture(scope="module")
def vib() -> Rubric:
    return load_rubric(ROOT / "rubrics" / "vib.yaml")


def scores(path: Path, rubric: Rubric) -> dict[str, Any]:
    out = to_dict(score(read_assessment(path, rubric), rubric))
    out.pop("source")  # the path and the file's hash differ, nothing else may
    return out


_INLINE = re.compile(rb't="inlineStr"><is><t(?: xml:space="preserve")?>([^<]*)</t></is>')


def shared(sample: Path, tmp_path: Path) -> Path:
    """The sample with its texts in a shared-strings table, as Excel and openpyxl write them."""
    parts = parts_of(sample.read_bytes())
    table: dict[bytes, int] = {}

    def to_shared(m: re.Match[bytes]) -> bytes:
        return b't="s"><v>%d</v>' % table.setdefault(m.group(1), len(table))

    for name in list(parts):
        if name.startswith("xl/worksheets/"):
            parts[name] = _INLINE.sub(to_shared, parts[name])
    items = b"".join(b"<si><t>%s</t></si>" % text for text in table)
    parts["xl/sharedStrings.xml"] = b'<sst xmlns="%s" uniqueCount="%d">%s</sst>' % (MAIN, len(table), items)
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="%s/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
        % RELS,
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>',
    )
    assert table
    path = tmp_path / f"{sample.stem}-shared.xlsx"
    path.write_bytes(pack(parts))
    return path


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("source", [*SAMPLES, "shared strings"], ids=lambda p: getattr(p, "stem", p))
def test_a_package_calamine_reads_scores_as_the_sample(
    tmp_path: Path, vib: Rubric, source: Path | str, variant: str
) -> None:
    sample = shared(SAMPLES[-1], tmp_path) if source == "shared strings" else Path(source)
    original = sample.read_bytes()
    data = VARIANTS[variant](parts_of(original))
    path = tmp_path / f"{variant}.xlsx"
    path.write_bytes(data)
    cells = calamine_cells(data)
    if cells is None:
        # Out of scope: calamine cannot read it, so neither can vibbench; the message says why.
        with pytest.raises(WorkbookError) as info:
            read_assessment(path, vib)
        (problem,) = info.value.problems
        assert str(problem.where) == str(path)
        assert "\n" not in problem.render()
        if variant == "main part moved":
            assert "main part is book/main.xml" in problem.what.en
        return
    assert cells == calamine_cells(original)
    assert scores(path, vib) == scores(sample, vib)


def test_every_variant_but_one_is_read_by_calamine() -> None:
    """Guards the corpus: the variants test the reader only as long as calamine reads them."""
    parts = parts_of(SAMPLES[0].read_bytes())
    readable = {name for name, make in VARIANTS.items() if calamine_cells(make(parts)) is not None}
    assert readable == set(VARIANTS) - {"main part moved"}
