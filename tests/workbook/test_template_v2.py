"""The template of a v2 rubric (SPEC §2): profile, research_staff and currency rows with input help
and validation, money and per-staff questions that say their unit and where the headcount goes."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from vibbench.rubric.loader import load_rubric
from vibbench.scoring.engine import score
from vibbench.workbook.reader import read_assessment
from vibbench.workbook.template import build_template, workbook_bytes

V2 = Path(__file__).resolve().parents[1] / "fixtures" / "rubrics" / "v2.yaml"
MINI = Path(__file__).resolve().parents[1] / "fixtures" / "rubrics" / "mini.yaml"


def test_institution_rows_with_validation(tmp_path: Path) -> None:
    rubric = load_rubric(V2, use_cache=False)
    path = tmp_path / "t.xlsx"
    path.write_bytes(workbook_bytes(build_template(rubric, "zh")))
    ws = load_workbook(path)["Institution"]
    labels = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
    assert labels[-3:] == ["机构类别", "研发人员数", "币种"]
    assert (
        ws["B8"].value is None
    )  # blank: the first profile is the default (a blank template holds no answers)
    kinds = {(dv.type, str(dv.sqref)) for dv in ws.data_validations.dataValidation}
    assert ("list", "B8") in kinds and ("decimal", "B9") in kinds and ("list", "B10") in kinds
    profile = next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref) == "B8")
    assert "高校技术转移机构" in profile.formula1
    responses = load_workbook(path)["Responses"]
    units = {
        responses.cell(row=r, column=1).value: responses.cell(row=r, column=7).value for r in range(2, 7)
    }
    assert "万元" in units["B.Z.1"] and "亿元" in units["B.Z.1"]
    assert "年度总数" in units["B.Z.1"] and "Institution!B9" in units["B.Z.1"]


def test_filled_v2_template_reads_and_scores(tmp_path: Path) -> None:
    rubric = load_rubric(V2, use_cache=False)
    wb = build_template(rubric, "en")
    ws = wb["Responses"]
    for r in range(2, ws.max_row + 1):
        ident = ws.cell(row=r, column=1).value
        ws.cell(
            row=r,
            column=6,
            value={"A.X.1": "3级", "A.X.2": 4, "A.X.3": "never reviewed", "B.Z.1": "1.2亿元", "B.Z.2": "N/A"}[
                ident
            ],
        )
    inst = wb["Institution"]
    inst["B9"] = 400
    path = tmp_path / "f.xlsx"
    path.write_bytes(workbook_bytes(wb))
    a = read_assessment(path, rubric)
    assert a.profile == "institute" and a.research_staff == 400 and a.institution["currency"] == "CNY"
    result = score(a, rubric)
    ind = {r.id: r for r in result.indicators}
    assert ind["B.Z.1"].answer == 12_000 and ind["B.Z.1"].value == 3_000
    assert not ind["B.Z.2"].applies


def test_rubric_without_v2_keys_keeps_the_six_rows(tmp_path: Path) -> None:
    path = tmp_path / "m.xlsx"
    path.write_bytes(workbook_bytes(build_template(load_rubric(MINI, use_cache=False), "en")))
    ws = load_workbook(path)["Institution"]
    assert ws.max_row == 7
