"""The workbook reader against SPEC §2: every accepted answer form, header discovery, both
languages, group assessments, and every error reported with its exact cell."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MINI_RUBRIC
from tests.workbook._build_workbooks import (
    STYLES_PERCENT,
    book,
    cell,
    raw_book,
    responses_xml,
    row,
    sheet_xml,
)
from vibbench.errors import WorkbookError
from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import Rubric
from vibbench.workbook.model import Assessment
from vibbench.workbook.reader import read_assessment


def read(path: Path, rubric: Rubric) -> Assessment:
    return read_assessment(path, rubric)


def problems(path: Path, rubric: Rubric) -> dict[str, str]:
    """where → English message, for a workbook that must be refused."""
    with pytest.raises(WorkbookError) as info:
        read_assessment(path, rubric)
    return {str(p.where): f"{p.what.get('en')} — {p.fix.get('en')}" for p in info.value.problems}


def one_answer(tmp_path: Path, rubric: Rubric, indicator: str, value: Any, **kwargs: Any) -> Assessment:
    return read(book(tmp_path / "a.xlsx", [[indicator, value]], **kwargs), rubric)


# --------------------------------------------------------------------------- answer forms

ACCEPTED = [
    # level indicator, scale 0–4
    ("A.X.1", 3, 3.0),
    ("A.X.1", 0, 0.0),
    ("A.X.1", 4.0, 4.0),
    ("A.X.1", "3", 3.0),
    ("A.X.1", " 3 ", 3.0),
    ("A.X.1", "3.0", 3.0),
    ("A.X.1", "3 – Established", 3.0),
    ("A.X.1", "3 - 成熟", 3.0),
    ("A.X.1", "3 — Established", 3.0),
    ("A.X.1", "2–Defined", 2.0),
    ("A.X.1", "３", 3.0),
    # percent indicator
    ("A.X.2", 35, 35.0),
    ("A.X.2", 12.5, 12.5),
    ("A.X.2", "35%", 35.0),
    ("A.X.2", " 35 % ", 35.0),
    ("A.X.2", "12.5%", 12.5),
    ("A.X.2", "３５％", 35.0),
    ("A.X.2", "35", 35.0),
    ("A.X.2", 0.35, 0.35),  # a plain 0.35 in an unformatted cell stays 0.35
    ("A.X.2", 100, 100.0),
    # number indicator (years, min 0, no max)
    ("A.Y.1", 12, 12.0),
    ("A.Y.1", 2.5, 2.5),
    ("A.Y.1", "12", 12.0),
    ("A.Y.1", " 3 ", 3.0),
    ("A.Y.1", "1,200", 1200.0),
    ("A.Y.1", "1,200.5", 1200.5),
    ("A.Y.1", "0", 0.0),
    ("A.Y.1", "1e3", 1000.0),
    ("A.Y.1", "1，200", 1200.0),
    # boolean indicator
    ("B.Z.1", True, 1.0),
    ("B.Z.1", False, 0.0),
    ("B.Z.1", "yes", 1.0),
    ("B.Z.1", "Yes", 1.0),
    ("B.Z.1", "NO", 0.0),
    ("B.Z.1", "true", 1.0),
    ("B.Z.1", "FALSE", 0.0),
    ("B.Z.1", "是", 1.0),
    ("B.Z.1", "否", 0.0),
    ("B.Z.1", " 是 ", 1.0),
    ("B.Z.1", "yes – 是", 1.0),
    ("B.Z.1", "否 - no", 0.0),
    ("B.Z.1", 1, 1.0),
    ("B.Z.1", 0, 0.0),
    ("B.Z.1", "1", 1.0),
    ("B.Z.1", "0", 0.0),
]


@pytest.mark.parametrize(("indicator", "value", "expected"), ACCEPTED)
def test_every_accepted_answer_form(
    tmp_path: Path, mini_rubric: Rubric, indicator: str, value: Any, expected: float
) -> None:
    a = one_answer(tmp_path, mini_rubric, indicator, value)
    assert [(x.indicator, x.value, x.cell) for x in a.answers] == [(indicator, expected, "Responses!B2")]
    assert isinstance(a.answers[0].value, float)


@pytest.mark.parametrize("value", ["", "   ", "N/A", "n/a", "NA", "na", "-", "–", "不适用", "未知", "Ｎ/Ａ"])
@pytest.mark.parametrize("indicator", ["A.X.1", "A.X.2", "B.Z.1"])
def test_not_answered(tmp_path: Path, mini_rubric: Rubric, indicator: str, value: str) -> None:
    assert one_answer(tmp_path, mini_rubric, indicator, value).answers == ()


def test_blank_rows_and_blank_ids_are_skipped(tmp_path: Path, mini_rubric: Rubric) -> None:
    rows: list[list[Any]] = [["A.X.1", 2], [], [None, 3], ["  ", 4], ["B.Z.1", "no"], [None, None, "Ann"]]
    a = read(book(tmp_path / "a.xlsx", rows), mini_rubric)
    assert [(x.indicator, x.value, x.cell) for x in a.answers] == [
        ("A.X.1", 2.0, "Responses!B2"),
        ("B.Z.1", 0.0, "Responses!B6"),
    ]


def test_ids_are_trimmed(tmp_path: Path, mini_rubric: Rubric) -> None:
    a = one_answer(tmp_path, mini_rubric, "  A.X.1 \u200b", 1)
    assert [x.indicator for x in a.answers] == ["A.X.1"]


def test_percent_formatted_cells_read_as_percent(tmp_path: Path, mini_rubric: Rubric) -> None:
    rows = [["A.X.2", 0.35], ["A.X.2", 0.07, "Bob"], ["A.Y.1", 0.5], ["A.X.2", 0.2, "Cy"]]
    formats = {"B2": "0%", "B3": "0.0%", "B4": "0%"}
    a = read(book(tmp_path / "a.xlsx", rows, formats=formats), mini_rubric)
    got = [(x.indicator, x.value, x.raw, x.respondent) for x in a.answers]
    assert got == [
        ("A.X.2", 35.0, "35%", None),
        ("A.X.2", 7.0, "7%", "Bob"),
        ("A.Y.1", 0.5, "50%", None),  # not a percent indicator: the number itself
        ("A.X.2", 0.2, "0.2", "Cy"),  # unformatted
    ]


def test_percent_formats_written_part_by_part(tmp_path: Path, mini_rubric: Rubric) -> None:
    rows = [
        row(1, cell("A1", "id"), cell("B1", "answer"), cell("C1", "respondent")),
        row(2, cell("A2", "A.X.2"), cell("B2", 0.35, style=1), cell("C2", "a")),
        row(3, cell("A3", "A.X.2"), cell("B3", 0.125, style=2), cell("C3", "b")),
        row(4, cell("A4", "A.X.2"), cell("B4", 0.35, style=3), cell("C4", "c")),
        row(5, cell("A5", "A.X.2"), cell("B5", 1.5, style=1), cell("C5", "d")),
    ]
    path = tmp_path / "p.xlsx"
    path.write_bytes(raw_book([("Responses", sheet_xml(rows))], styles=STYLES_PERCENT))
    with pytest.raises(WorkbookError) as info:
        read(path, mini_rubric)
    (problem,) = info.value.problems
    assert str(problem.where) == f"{path}:Responses!B5"
    assert "150, above the maximum 100" in problem.what.en
    path.write_bytes(raw_book([("Responses", sheet_xml(rows[:4]))], styles=STYLES_PERCENT))
    assert [x.value for x in read(path, mini_rubric).answers] == [35.0, 12.5, 0.35]


# --------------------------------------------------------------------------- header discovery


def test_header_below_titles_and_right_of_column_a(tmp_path: Path, mini_rubric: Rubric) -> None:
    rows = [["A.X.1", "3 – Established", "Ann", "minutes", "ok"], ["B.Z.1", "yes", "Ann"]]
    path = book(
        tmp_path / "a.xlsx",
        rows,
        top=5,
        left=3,
        titles=["Self-assessment 2025", "Fill in the yellow cells", "", "note"],
        merge_titles=True,
    )
    a = read(path, mini_rubric)
    assert [(x.indicator, x.value, x.cell, x.respondent, x.evidence, x.comment) for x in a.answers] == [
        ("A.X.1", 3.0, "Responses!D6", "Ann", "minutes", "ok"),
        ("B.Z.1", 1.0, "Responses!D7", "Ann", "", ""),
    ]


def test_header_must_be_within_the_first_20_rows(tmp_path: Path, mini_rubric: Rubric) -> None:
    path = book(tmp_path / "a.xlsx", [["A.X.1", 3]], top=21)
    found = problems(path, mini_rubric)
    assert list(found) == [f"{path}:Responses"]
    assert "first 20 rows" in found[f"{path}:Responses"]
    assert (
        read(book(tmp_path / "b.xlsx", [["A.X.1", 3]], top=20), mini_rubric).answers[0].cell
        == "Responses!B21"
    )


def test_header_on_a_sheet_that_is_not_first_and_not_named_responses(
    tmp_path: Path, mini_rubric: Rubric
) -> None:
    path = book(tmp_path / "a.xlsx", [["A.X.1", 1]], sheet="My answers", before=["Read me", "Notes"], top=3)
    a = read(path, mini_rubric)
    assert [(x.indicator, x.cell) for x in a.answers] == [("A.X.1", "'My answers'!B4")]


def test_responses_found_by_name_whatever_its_case(tmp_path: Path, mini_rubric: Rubric) -> None:
    path = book(tmp_path / "a.xlsx", [["A.X.1", 1]], sheet="RESPONSES", before=["Levels"])
    assert read(path, mini_rubric).answers[0].cell == "RESPONSES!B2"


def test_header_aliases_in_english_and_chinese(tmp_path: Path, mini_rubric: Rubric) -> None:
    header = ("说明", "指标编号", "问题", "回答", "填报人", "佐证材料", "备注")
    rows = [["x", "A.X.1", "成熟度如何？", "3 - 成熟", "张三", "章程", "无"]]
    a = read(book(tmp_path / "a.xlsx", rows, header=header, sheet="回答"), mini_rubric)
    # 说明 is an alias of comment, but the first column of a role wins
    assert [(x.value, x.cell, x.respondent, x.evidence, x.comment) for x in a.answers] == [
        (3.0, "回答!D2", "张三", "章程", "x")
    ]
    header = ("Indicator ID", "Question", "VALUE ", "Respondent", "Evidence")
    a = read(
        book(tmp_path / "b.xlsx", [["A.X.1", "q", 2, "Ann", "doc"]], header=header, sheet="答卷"), mini_rubric
    )
    assert [(x.value, x.cell, x.respondent, x.evidence) for x in a.answers] == [
        (2.0, "答卷!C2", "Ann", "doc")
    ]
    header = ("编号", "Answer / 回答")
    a = read(book(tmp_path / "c.xlsx", [["B.Z.1", "是"]], header=header, sheet="Sheet1"), mini_rubric)
    assert [(x.value, x.cell) for x in a.answers] == [(1.0, "Sheet1!B2")]


def test_missing_answer_column_names_the_sheet(tmp_path: Path, mini_rubric: Rubric) -> None:
    path = book(tmp_path / "a.xlsx", [["A.X.1", 3]], header=("id", "score?"))
    found = problems(path, mini_rubric)
    assert list(found) == [f"{path}:Responses"]
    assert "no answer column" in found[f"{path}:Responses"]


def test_no_sheet_with_a_header(tmp_path: Path, mini_rubric: Rubric) -> None:
    path = book(tmp_path / "a.xlsx", [["A.X.1", 3]], header=("code", "answer"), sheet="Data")
    found = problems(path, mini_rubric)
    assert list(found) == [str(path)]
    assert "no sheet named Responses" in found[str(path)]


# --------------------------------------------------------------------------- institution


def test_institution_sheet_in_english(tmp_path: Path, mini_rubric: Rubric) -> None:
    inst = [
        ["key", "value"],
        ["name", "  Flanders Institute  "],
        ["Country", "BE"],
        ["type", "research institute"],
        ["year", 2025],
        ["contact", "a@b.example"],
        ["date", dt.datetime(2025, 6, 30)],
        ["unrelated", "ignored"],
    ]
    a = read(book(tmp_path / "a.xlsx", [["A.X.1", 1]], institution=inst), mini_rubric)
    assert a.institution == {
        "name": "Flanders Institute",
        "country": "BE",
        "type": "research institute",
        "year": 2025,
        "contact": "a@b.example",
        "date": "2025-06-30",
        "profile": None,
        "research_staff": None,
        "currency": None,
    }
    assert (a.name, a.year) == ("Flanders Institute", 2025)


def test_institution_sheet_in_chinese(tmp_path: Path, mini_rubric: Rubric) -> None:
    inst = [
        ["项目", "内容"],
        ["机构名称", "某某新型研发机构（深圳）"],
        ["国家/地区", "中国"],
        ["类型", "新型研发机构"],
        ["年份", 2024.0],
        ["联系人", "李四"],
        ["日期", dt.date(2024, 12, 1)],
    ]
    a = read(
        book(tmp_path / "a.xlsx", [["A.X.1", 1]], institution=inst, institution_sheet="机构"), mini_rubric
    )
    assert a.institution == {
        "name": "某某新型研发机构（深圳）",
        "country": "中国",
        "type": "新型研发机构",
        "year": 2024,
        "contact": "李四",
        "date": "2024-12-01",
        "profile": None,
        "research_staff": None,
        "currency": None,
    }


def test_without_institution_the_name_is_the_file_stem(tmp_path: Path, mini_rubric: Rubric) -> None:
    a = read(book(tmp_path / "Ghent 2025.xlsx", [["A.X.1", 1]]), mini_rubric)
    assert (a.name, a.year) == ("Ghent 2025", None)
    a = read(
        book(tmp_path / "b.xlsx", [["A.X.1", 1]], institution=[["key", "value"], ["name", ""]]), mini_rubric
    )
    assert a.name == "b"


def test_path_and_sha256(tmp_path: Path, mini_rubric: Rubric, monkeypatch: pytest.MonkeyPatch) -> None:
    path = book(tmp_path / "a.xlsx", [["A.X.1", 1]])
    before = path.read_bytes()
    monkeypatch.chdir(tmp_path)
    a = read_assessment("a.xlsx", mini_rubric)
    assert a.path == "a.xlsx"
    assert a.sha256 == hashlib.sha256(before).hexdigest()
    assert path.read_bytes() == before
    assert read_assessment(Path("a.xlsx"), mini_rubric).path == "a.xlsx"


# --------------------------------------------------------------------------- removed ids, groups


def test_removed_indicator_is_a_notice_not_an_error(tmp_path: Path) -> None:
    spec = tmp_path / "custom.yaml"
    spec.write_text(f"extends: {MINI_RUBRIC.resolve()}\nremove: [A.Y.1]\n", encoding="utf-8")
    rubric = load_rubric(spec)
    assert "A.Y.1" in rubric.removed
    rows: list[list[Any]] = [["A.X.1", 2], ["A.Y.1", 7], ["A.Y.1", 9, "Bob"], ["A.Y.1", None, "Cy"]]
    a = read(book(tmp_path / "a.xlsx", rows), rubric)
    assert [x.indicator for x in a.answers] == ["A.X.1"]
    assert [(n.code, n.indicator) for n in a.notices] == [("removed_indicator", "A.Y.1")]
    assert "Responses!B3" in a.notices[0].message.en and a.notices[0].message.zh
    # an unanswered row of a removed indicator is simply nothing
    assert read(book(tmp_path / "b.xlsx", [["A.Y.1", "N/A"]]), rubric).notices == ()


def test_number_ranges_from_the_rubric(tmp_path: Path) -> None:
    spec = tmp_path / "ranges.yaml"
    spec.write_text(
        f"extends: {MINI_RUBRIC.resolve()}\n"
        "pillars:\n"
        "  - id: A\n"
        "    dimensions:\n"
        "      - id: A.Y\n"
        "        indicators:\n"
        "          - {id: A.Y.2, name: growth, type: number, min: -5, reference: 5, range: {min: null}, source: t}\n"
        "          - {id: A.Y.3, name: capped, type: number, min: 0, reference: 5, range: {max: 7}, source: t}\n",
        encoding="utf-8",
    )
    rubric = load_rubric(spec)
    ok = read(book(tmp_path / "a.xlsx", [["A.Y.2", -12.5], ["A.Y.3", 7], ["A.Y.3", "0", "b"]]), rubric)
    assert [x.value for x in ok.answers] == [-12.5, 7.0, 0.0]
    path = book(tmp_path / "b.xlsx", [["A.Y.3", 8], ["A.Y.3", -1, "b"], ["A.Y.1", -1]])
    found = problems(path, rubric)
    assert "8, above the maximum 7" in found[f"{path}:Responses!B2"]
    assert "a number from 0 to 7" in found[f"{path}:Responses!B2"]
    assert "-1, below the minimum 0" in found[f"{path}:Responses!B3"]
    assert "-1, below the minimum 0" in found[f"{path}:Responses!B4"]  # no range: from 0


def test_group_assessment(tmp_path: Path, mini_rubric: Rubric) -> None:
    rows = [["A.X.1", 1, "Ann"], ["A.X.1", 3, "Bob"], ["A.X.1", "4 – Leading", "Cy"], ["B.Z.1", "yes", "Ann"]]
    a = read(book(tmp_path / "a.xlsx", rows), mini_rubric)
    assert [(x.indicator, x.value, x.respondent, x.cell) for x in a.answers] == [
        ("A.X.1", 1.0, "Ann", "Responses!B2"),
        ("A.X.1", 3.0, "Bob", "Responses!B3"),
        ("A.X.1", 4.0, "Cy", "Responses!B4"),
        ("B.Z.1", 1.0, "Ann", "Responses!B5"),
    ]


def test_group_rows_under_a_merged_id_cell(tmp_path: Path, mini_rubric: Rubric) -> None:
    from openpyxl import load_workbook

    rows = [
        ["A.X.1", 1, "Ann"],
        [None, 3, "Bob"],
        [None, "N/A", "Cy"],
        [None, 4, "Dee"],
        ["B.Z.1", "yes"],
        [None, 2],
    ]
    path = book(tmp_path / "a.xlsx", rows)
    wb = load_workbook(path)
    wb["Responses"].merge_cells("A2:A5")
    wb.save(path)
    a = read(path, mini_rubric)
    assert [(x.indicator, x.value, x.respondent, x.cell) for x in a.answers] == [
        ("A.X.1", 1.0, "Ann", "Responses!B2"),
        ("A.X.1", 3.0, "Bob", "Responses!B3"),
        ("A.X.1", 4.0, "Dee", "Responses!B5"),
        ("B.Z.1", 1.0, None, "Responses!B6"),
    ]  # B7 has no id: skipped


def test_repeated_id_and_respondent_names_both_cells(tmp_path: Path, mini_rubric: Rubric) -> None:
    rows = [["A.X.1", 1, "Ann"], ["A.X.1", 2, "Bob"], ["B.Z.1", "no"], ["A.X.1", 3, "ann "], ["B.Z.1", "yes"]]
    path = book(tmp_path / "a.xlsx", rows)
    found = problems(path, mini_rubric)
    assert set(found) == {f"{path}:Responses!B5", f"{path}:Responses!B6"}
    assert "Responses!B2 and Responses!B5" in found[f"{path}:Responses!B5"]
    assert "'ann'" in found[f"{path}:Responses!B5"]
    assert "Responses!B4 and Responses!B6" in found[f"{path}:Responses!B6"]
    assert "no respondent" in found[f"{path}:Responses!B6"]


# --------------------------------------------------------------------------- errors


def test_every_bad_cell_is_reported_with_its_cell(tmp_path: Path, mini_rubric: Rubric) -> None:
    rows: list[list[Any]] = [
        ["A.X.1", 7],  # B2 level outside the scale
        ["A.X.1", 2.5, "Bob"],  # B3 not a whole level
        ["A.X.1", "Establishd", "Cy"],  # B4 a label that is no level's (a level's label alone is fine)
        ["A.X.2", 120],  # B5 percent above 100
        ["A.X.2", "35 percent", "Bob"],  # B6 not a number
        ["A.Y.1", -1],  # B7 below the range
        ["A.Y.1", "35%", "Bob"],  # B8 a percentage for a non-percent indicator
        ["B.Z.1", "maybe"],  # B9 not yes/no
        ["B.Z.1", 2, "Bob"],  # B10 a number that is not 1/0
        ["B.Z.2", dt.date(2024, 1, 2)],  # B11 a date
        ["Z.9.9", 3],  # A12 unknown id (named at the id cell)
        ["A.X", 3],  # A13 a dimension
        ["Z.9.9", None],  # unanswered unknown id: nothing
        ["A.X.1", 4, "Dee"],  # fine
        ["B.Z.2", True, "Bob"],  # B16 a logical value
        ["A.Y.1", "nan", "Cy"],  # B17 not a finite number
    ]
    path = book(tmp_path / "a.xlsx", rows)
    found = problems(path, mini_rubric)
    cells = ["B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9", "B10", "B11", "A12", "A13", "B16", "B17"]
    assert sorted(found) == sorted(f"{path}:Responses!{c}" for c in cells)

    def msg(c: str) -> str:
        return found[f"{path}:Responses!{c}"]

    assert "A.X.1" in msg("B2") and "level 7" in msg("B2") and "0 to 4" in msg("B2")
    assert "2.5" in msg("B3") and "whole" in msg("B3")
    assert "'Establishd'" in msg("B4")
    assert "A.X.2" in msg("B5") and "120, above the maximum 100" in msg("B5") and "0 to 100" in msg("B5")
    assert "'35 percent'" in msg("B6")
    assert "-1, below the minimum 0" in msg("B7") and "≥ 0" in msg("B7")
    assert "'35%'" in msg("B8") and "percent" in msg("B8")
    assert "B.Z.1" in msg("B9") and "'maybe'" in msg("B9") and "yes or no" in msg("B9")
    assert "the number 2" in msg("B10")
    assert "a date (2024-01-02)" in msg("B11")
    assert "'Z.9.9'" in msg("A12") and "A.X.1" in msg("A12")
    assert "dimension" in msg("A13") and "A.X.1, A.X.2" in msg("A13")
    assert "logical value TRUE" in msg("B16")
    assert "'nan'" in msg("B17")


def test_messages_exist_in_both_languages(tmp_path: Path, mini_rubric: Rubric) -> None:
    path = book(
        tmp_path / "a.xlsx", [["A.X.1", 7], ["Q", 1], ["B.Z.1", "x"], ["B.Z.1", "yes"], ["B.Z.1", "no"]]
    )
    with pytest.raises(WorkbookError) as info:
        read(path, mini_rubric)
    for p in info.value.problems:
        assert p.what.zh and p.fix.zh and p.what.zh != p.what.en
        assert p.render("zh").startswith(f"error: {path}:Responses!")


def test_formula_with_cached_value_is_read(tmp_path: Path, mini_rubric: Rubric) -> None:
    rows = [
        row(1, cell("A1", "id"), cell("B1", "answer"), cell("C1", "respondent")),
        row(2, cell("A2", "A.X.1"), cell("B2", 3, formula="1+2")),
        row(3, cell("A3", "B.Z.1"), cell("B3", "yes", formula='IF(TRUE,"yes","no")')),
        row(4, cell("A4", "A.Y.1"), cell("B4", "", formula='""')),  # cached empty text: not answered
        row(5, cell("A5", "A.X.2", formula='"A.X."&"2"'), cell("B5", 40)),
        row(6, cell("A6", "B.Z.2"), cell("B6", 12), cell("C6", "Ann", formula='"Ann"')),
    ]
    path = tmp_path / "f.xlsx"
    path.write_bytes(raw_book([("Responses", sheet_xml(rows))]))
    a = read(path, mini_rubric)
    assert [(x.indicator, x.value, x.cell, x.respondent) for x in a.answers] == [
        ("A.X.1", 3.0, "Responses!B2", None),
        ("B.Z.1", 1.0, "Responses!B3", None),
        ("A.X.2", 40.0, "Responses!B5", None),
        ("B.Z.2", 12.0, "Responses!B6", "Ann"),
    ]


def test_formula_without_cached_value_is_an_error(tmp_path: Path, mini_rubric: Rubric) -> None:
    # openpyxl writes formulas without their results
    rows: list[list[Any]] = [["A.X.1", "=1+2"], ["B.Z.1", "yes"], ['="A"&".Y.1"', 3], ["A.X.2", 30, '="Ann"']]
    path = book(tmp_path / "a.xlsx", rows)
    found = problems(path, mini_rubric)
    assert sorted(found) == sorted(f"{path}:Responses!{c}" for c in ("B2", "A4", "C5"))
    assert "formula with no saved result" in found[f"{path}:Responses!B2"]
    # part by part: a <f> with no <v>, and one with an empty <v>
    sheet = sheet_xml(
        [
            row(1, cell("A1", "id"), cell("B1", "answer")),
            row(2, cell("A2", "A.X.1"), cell("B2", None, formula="1+2")),
            row(3, cell("A3", "A.X.2"), '<c r="B3"><f>SUM(1)</f><v></v></c>'),
            row(4, cell("A4", "A.Y.1"), cell("B4", 4, formula="2+2")),
        ]
    )
    raw = tmp_path / "raw.xlsx"
    raw.write_bytes(raw_book([("Responses", sheet)]))
    assert sorted(problems(raw, mini_rubric)) == [f"{raw}:Responses!B2", f"{raw}:Responses!B3"]


def test_error_values_are_errors(tmp_path: Path, mini_rubric: Rubric) -> None:
    sheet = sheet_xml(
        [
            row(1, cell("A1", "id"), cell("B1", "answer")),
            row(2, cell("A2", "A.X.1"), cell("B2", "#DIV/0!", formula="1/0", kind="e")),
            row(3, cell("A3", "A.X.2"), cell("B3", "#N/A", kind="e")),
            row(4, cell("A4", "A.Y.1"), cell("B4", 4)),
        ]
    )
    path = tmp_path / "e.xlsx"
    path.write_bytes(raw_book([("Responses", sheet)]))
    found = problems(path, mini_rubric)
    assert sorted(found) == [f"{path}:Responses!B2", f"{path}:Responses!B3"]
    assert "#DIV/0!" in found[f"{path}:Responses!B2"]
    assert "#N/A" in found[f"{path}:Responses!B3"]


def test_cells_without_references_are_placed_like_excel_does(tmp_path: Path, mini_rubric: Rubric) -> None:
    rows = [
        '<row><c t="inlineStr"><is><t>id</t></is></c><c t="inlineStr"><is><t>answer</t></is></c></row>',
        '<row><c t="inlineStr"><is><t>A.X.1</t></is></c><c><f>1+1</f></c></row>',
        '<row r="5"><c t="inlineStr"><is><t>A.Y.1</t></is></c><c><v>4</v></c></row>',
    ]
    path = tmp_path / "n.xlsx"
    path.write_bytes(raw_book([("Responses", sheet_xml(rows))]))
    assert list(problems(path, mini_rubric)) == [f"{path}:Responses!B2"]


# --------------------------------------------------------------------------- the stamp


def test_stamp_is_read(tmp_path: Path, mini_rubric: Rubric) -> None:
    stamp = [
        ["rubric_id", "mini"],
        ["rubric_version", 1],
        ["rubric_hash", "abc123"],
        ["lang", "en"],
        ["fingerprint:A.X.1", "f1"],
        ["fingerprint:B.Z.1", "f2"],
    ]
    a = read(book(tmp_path / "a.xlsx", [["A.X.1", 1]], stamp=stamp), mini_rubric)
    assert a.stamp is not None
    assert (a.stamp.id, a.stamp.version, a.stamp.hash) == ("mini", "1", "abc123")
    assert a.stamp.fingerprints == {"A.X.1": "f1", "B.Z.1": "f2"}


@pytest.mark.parametrize(
    "stamp",
    [
        [],
        [["rubric_id", "mini"]],
        [["junk", 1, 2, 3], [dt.date(2020, 1, 1), None]],
        [[None, None, "rubric_id", "mini"]],
    ],
)
def test_malformed_or_missing_stamp_is_none(
    tmp_path: Path, mini_rubric: Rubric, stamp: list[list[Any]]
) -> None:
    assert read(book(tmp_path / "a.xlsx", [["A.X.1", 1]], stamp=stamp), mini_rubric).stamp is None
    assert read(book(tmp_path / "b.xlsx", [["A.X.1", 1]]), mini_rubric).stamp is None


# --------------------------------------------------------------------------- the template


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_template_round_trip(tmp_path: Path, mini_rubric: Rubric, lang: str) -> None:
    from vibbench.workbook import template

    wb = template.build_template(mini_rubric, lang, copies={"A.X.1": 2})
    ws = wb["Responses"]
    header = [c.value for c in ws[1]]
    col = {role: header.index(name) + 1 for role, name in zip(template.COLUMNS, header, strict=True)}
    answers = {"A.X.1": template.level_entries(mini_rubric, mini_rubric.indicator_map()["A.X.1"], lang)[3]}
    answers |= {"A.X.2": "35%", "A.Y.1": 6, "B.Z.1": template.YES_NO[lang][0], "B.Z.2": "1,200"}
    seen: set[str] = set()
    for r in range(2, ws.max_row + 1):
        ident = ws.cell(row=r, column=col["id"]).value
        ws.cell(row=r, column=col["answer"], value=answers[ident])
        if ident == "A.X.1":
            ws.cell(row=r, column=col["respondent"], value="Ann" if ident not in seen else "Bob")
        seen.add(ident)
    inst = wb["Institution"]
    inst["B2"] = "Test institute"
    inst["B5"] = "2025"
    path = tmp_path / "filled.xlsx"
    path.write_bytes(template.workbook_bytes(wb))
    a = read(path, mini_rubric)
    assert sorted((x.indicator, x.value, x.respondent) for x in a.answers) == [
        ("A.X.1", 3.0, "Ann"),
        ("A.X.1", 3.0, "Bob"),
        ("A.X.2", 35.0, None),
        ("A.Y.1", 6.0, None),
        ("B.Z.1", 1.0, None),
        ("B.Z.2", 1200.0, None),
    ]
    assert (a.name, a.year) == ("Test institute", 2025)
    assert a.stamp is not None
    assert (a.stamp.id, a.stamp.version, a.stamp.hash) == (
        mini_rubric.id,
        mini_rubric.version,
        mini_rubric.content_hash,
    )
    assert a.stamp.fingerprints == {i.id: i.fingerprint for i in mini_rubric.indicators()}


# --------------------------------------------------------------------------- start-up cost


def test_import_does_not_pull_heavy_modules() -> None:
    code = (
        "import sys, vibbench.workbook.reader\n"
        "heavy = sorted(m for m in ('openpyxl', 'pandas', 'numpy') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_reading_does_not_import_openpyxl(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(raw_book([("Responses", responses_xml([["A.X.1", 2]]))], styles=STYLES_PERCENT))
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from vibbench.rubric.loader import load_rubric\n"
        "from vibbench.workbook.reader import read_assessment\n"
        f"a = read_assessment({str(path)!r}, load_rubric(Path({str(MINI_RUBRIC)!r})))\n"
        "assert [x.value for x in a.answers] == [2.0], a\n"
        "print(','.join(m for m in ('openpyxl', 'pandas', 'numpy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# --------------------------------------------------------------------------- bugs stay bugs


def test_a_programming_error_is_not_called_a_damaged_workbook(tmp_path: Path) -> None:
    path = book(tmp_path / "a.xlsx", [["A.X.1", 3]])
    with pytest.raises(AttributeError):
        read_assessment(path, "vib")  # type: ignore[arg-type]


def test_problem_locations_are_typed(tmp_path: Path, mini_rubric: Rubric) -> None:
    path = book(tmp_path / "a.xlsx", [["A.X.1", 9]])
    with pytest.raises(WorkbookError) as info:
        read(path, mini_rubric)
    (problem,) = info.value.problems
    assert (problem.where.file, problem.where.sheet, problem.where.cell) == (str(path), "Responses", "B2")


def test_a_file_name_cannot_drive_the_terminal(tmp_path: Path, mini_rubric: Rubric) -> None:
    name = "\x1b]0;pwned\x07Inst\rok: all 2 workbooks read\nX\tY"
    path = book(tmp_path / f"{name}.xlsx", [["A.X.1", 3]])
    assessment = read(path, mini_rubric)
    assert assessment.institution["name"] == "]0;pwnedInstok: all 2 workbooks read X Y"
    bad = book(tmp_path / f"{name}-bad.xlsx", [["A.X.1", 9]])
    with pytest.raises(WorkbookError) as info:
        read(bad, mini_rubric)
    shown = str(info.value.problems[0].where)
    assert shown.endswith("]0;pwnedInstok: all 2 workbooks read X Y-bad.xlsx:Responses!B2")
    assert not any(ch in shown for ch in "\x1b\x07\r\n\t")


def test_an_answer_from_another_workbook_is_warned_about(tmp_path: Path, mini_rubric: Rubric) -> None:
    rows = [
        row(1, cell("A1", "id"), cell("B1", "answer")),
        row(2, cell("A2", "A.X.1"), cell("B2", 3, formula="[1]Sheet1!A1")),
        row(3, cell("A3", "A.Y.1"), cell("B3", 6, formula="'[Budget.xlsx]Staff'!C4*2")),
        row(4, cell("A4", "B.Z.2"), cell("B4", 12, formula="SUM(Table1[Count])+A1")),
    ]
    path = tmp_path / "linked.xlsx"
    path.write_bytes(raw_book([("Responses", sheet_xml(rows))]))
    assessment = read(path, mini_rubric)
    assert [a.value for a in assessment.answers] == [3.0, 6.0, 12.0]  # a warning, not an error
    linked = [n for n in assessment.notices if n.code == "external_link"]
    assert [
        (n.indicator, "Responses!B2" in n.message.en or "Responses!B3" in n.message.en) for n in linked
    ] == [
        ("A.X.1", True),
        ("A.Y.1", True),
    ]
    assert all(n.message.zh for n in linked)


def test_a_file_changed_while_it_is_read_is_refused(
    tmp_path: Path, mini_rubric: Rubric, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Calamine reads a large file from its path, after the checks: it must be the file checked.
    (A small one is handed over as the bytes checked, so nothing can change under it.)"""
    import os

    from vibbench.workbook import reader

    monkeypatch.setattr(reader, "SMALL_FILE", 0)  # this small workbook read as a large one is
    path = book(tmp_path / "a.xlsx", [["A.X.1", 3]])
    checked = reader.shared_strings

    def then_saved_again(*args: Any) -> Any:
        out = checked(*args)
        path.write_bytes(path.read_bytes())  # saved again by another program
        os.utime(path, ns=(1, 1))
        return out

    monkeypatch.setattr(reader, "shared_strings", then_saved_again)
    assert "changed while it was being read" in " ".join(problems(path, mini_rubric).values())


def test_a_file_name_that_is_not_utf8_is_read(tmp_path: Path, mini_rubric: Rubric) -> None:
    import os

    path = book(tmp_path / "a.xlsx", [["A.X.1", 3]])
    odd = os.path.join(os.fsencode(tmp_path), b"\xff\xfe.xlsx")
    os.rename(path, odd)
    assessment = read_assessment(odd.decode("utf-8", "surrogateescape"), mini_rubric)
    assert [a.value for a in assessment.answers] == [3.0]
