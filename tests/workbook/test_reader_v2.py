"""SPEC §2 (v2): the answers people naturally type, money and its currency, per-staff raw totals,
the Institution sheet's profile, research_staff, currency and year, and N/A only where allowed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.workbook._build_workbooks import book
from vibbench.errors import WorkbookError
from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import Rubric
from vibbench.scoring.engine import score
from vibbench.workbook.model import Assessment
from vibbench.workbook.reader import read_assessment

V2 = Path(__file__).resolve().parents[1] / "fixtures" / "rubrics" / "v2.yaml"
MINI = Path(__file__).resolve().parents[1] / "fixtures" / "rubrics" / "mini.yaml"
STAFF = [["research_staff", 400]]


@pytest.fixture(scope="module")
def v2() -> Rubric:
    return load_rubric(V2, use_cache=False)


@pytest.fixture(scope="module")
def mini() -> Rubric:
    return load_rubric(MINI, use_cache=False)


def read(
    tmp_path: Path, rubric: Rubric, rows: list[list[Any]], institution: list[list[Any]] | None = None
) -> Assessment:
    return read_assessment(book(tmp_path / "a.xlsx", rows, institution=institution), rubric)


def refused(
    tmp_path: Path, rubric: Rubric, rows: list[list[Any]], institution: list[list[Any]] | None = None
) -> dict[str, str]:
    with pytest.raises(WorkbookError) as info:
        read(tmp_path, rubric, rows, institution)
    return {
        str(p.where): f"{p.what.get('en')} — {p.fix.get('en')} | {p.what.get('zh')} — {p.fix.get('zh')}"
        for p in info.value.problems
    }


@pytest.mark.parametrize(
    ("ident", "typed", "value"),
    [
        ("A.X.1", "成熟", 3.0),  # a scale label alone, zh
        ("A.X.1", "established", 3.0),  # ... en, any case
        ("A.X.1", "3级", 3.0),
        ("A.X.1", "第2级", 2.0),
        ("A.X.1", "三级", 3.0),
        ("A.X.1", "L4", 4.0),
        ("A.X.1", "３级", 3.0),  # full-width digit
        ("B.Z.1", "有", 1.0),
        ("B.Z.1", "无", 0.0),
        ("B.Z.1", "√", 1.0),
        ("B.Z.1", "×", 0.0),
        ("B.Z.1", "✓", 1.0),
        ("B.Z.1", "Y", 1.0),
        ("B.Z.1", "N", 0.0),
        ("A.Y.1", "5年", 5.0),  # a number with its unit (years / 年)
        ("A.Y.1", "5 years", 5.0),
        ("A.X.2", "35 %", 35.0),
        ("B.Z.2", "１，２００", 1200.0),  # full-width digits and separator
    ],
)
def test_natural_answers(tmp_path: Path, mini: Rubric, ident: str, typed: str, value: float) -> None:
    got = read(tmp_path, mini, [[ident, typed]])
    assert [a.value for a in got.answers] == [value]


@pytest.mark.parametrize(
    ("typed", "institution", "value"),
    [
        ("1.2亿元", [], 12_000.0),  # 1.2 × 10⁸ 元 = 12,000 万元
        ("500万", [], 500.0),
        ("500万元", [], 500.0),
        ("3,000,000元", [], 300.0),
        (500, [], 500.0),  # a bare number is in the rubric's unit (万元)
        ("500 万元", [], 500.0),
        # EUR: a bare number keeps the factor (18.75 → 187,500 EUR); a suffix states it outright
        (18.75, [["currency", "EUR"]], 187_500 * 7.85 / 10_000),
        ("0.1875M", [["currency", "EUR"]], 187_500 * 7.85 / 10_000),
        # 元 names the yuan whatever the workbook's currency
        ("500万元", [["currency", "EUR"]], 500.0),
    ],
)
def test_money(tmp_path: Path, v2: Rubric, typed: Any, institution: list[list[Any]], value: float) -> None:
    got = read(tmp_path, v2, [["B.Z.1", typed]], STAFF + institution)
    assert [a.value for a in got.answers] == [pytest.approx(value)]


def test_named_answer_by_label_or_value(tmp_path: Path, v2: Rubric) -> None:
    for typed in ("从未开展", "Never reviewed", 99):
        got = read(tmp_path, v2, [["A.X.3", typed]])
        assert [a.value for a in got.answers] == [99.0]


def test_institution_keys(tmp_path: Path, v2: Rubric) -> None:
    got = read(
        tmp_path,
        v2,
        [["B.Z.1", 40]],
        [
            ["name", "某研究所"],
            ["year", "2024年度"],
            ["机构类别", "高校技术转移机构"],
            ["研发人员数", "350"],
            ["币种", "CNY"],
        ],
    )
    assert got.institution["year"] == 2024 and got.year == 2024
    assert got.profile == "university_tto" and got.institution["profile"] == "university_tto"
    assert got.research_staff == 350.0 and got.institution["currency"] == "CNY"


@pytest.mark.parametrize(
    "typed", [2024, "2024", "2024年", "2024年度", "FY2024", "2024-12-31", dt.date(2024, 12, 31)]
)
def test_every_year_form(tmp_path: Path, v2: Rubric, typed: Any) -> None:
    assert read(tmp_path, v2, [["A.X.1", 3]], [["year", typed]]).year == 2024


def test_institution_errors_name_their_cell(tmp_path: Path, v2: Rubric) -> None:
    found = refused(
        tmp_path,
        v2,
        [["A.X.1", 3]],
        [["year", "last year"], ["profile", "hospital"], ["research_staff", -3], ["currency", "GBP"]],
    )
    assert set(found) == {f"{tmp_path / 'a.xlsx'}:Institution!B{n}" for n in (1, 2, 3, 4)}
    joined = " ".join(found.values())
    assert "institute" in joined and "university_tto" in joined  # the choices
    assert "2024年" in joined and "EUR" in joined


def test_research_staff_required_for_per_answers(tmp_path: Path, v2: Rubric) -> None:
    found = refused(tmp_path, v2, [["B.Z.1", 40]])
    assert list(found) == [f"{tmp_path / 'a.xlsx'}:Institution"]
    assert "research_staff" in next(iter(found.values()))


def test_na_only_where_optional(tmp_path: Path, v2: Rubric) -> None:
    got = read(tmp_path, v2, [["B.Z.2", "不适用"], ["A.X.2", "N/A"], ["A.X.1", 3]])
    assert got.not_applicable == {"B.Z.2", "A.X.2"}
    result = score(got, v2)
    ind = {r.id: r for r in result.indicators}
    assert not ind["B.Z.2"].applies
    assert ind["A.X.2"].applies and ind["A.X.2"].answer is None
    assert [w.indicator for w in result.warnings if w.code == "not_applicable"] == ["A.X.2"]


def test_unreadable_answers_show_the_accepted_forms_and_unit(tmp_path: Path, v2: Rubric) -> None:
    found = refused(tmp_path, v2, [["B.Z.1", "a lot"], ["A.X.1", "very"], ["A.X.3", "often"]], STAFF)
    messages = " ".join(found.values())
    assert "万元" in messages and "1.2亿元" in messages  # money: its unit and the suffixes
    assert "3级" in messages or "4级" in messages  # level: the natural forms
    assert "never reviewed" in messages and "从未开展" in messages  # named answers


def test_ten_million_yuan_typed_as_wan_is_implausible(tmp_path: Path, v2: Rubric) -> None:
    """1,000 meant as 1,000 万元 per year is fine; 10,000,000 meant as 元 in a 万元 field is not."""
    ok = score(read(tmp_path, v2, [["B.Z.1", 1_000]], [["research_staff", 100]]), v2)
    assert "implausible" not in [w.code for w in ok.warnings]
    wrong = score(read(tmp_path, v2, [["B.Z.1", 10_000_000]], [["research_staff", 100]]), v2)
    assert "implausible" in [w.code for w in wrong.warnings]


@pytest.mark.skipif(
    __import__("shutil").which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_every_natural_form_survives_a_libreoffice_resave(tmp_path: Path, v2: Rubric) -> None:
    """The answers people type, in a workbook re-saved by LibreOffice Calc, read as in the original."""
    import subprocess

    rows = [["A.X.1", "三级"], ["A.X.2", "5年"], ["A.X.3", "从未开展"], ["B.Z.1", "1.2亿元"], ["B.Z.2", "√"]]
    institution = [["year", "2024年度"], ["机构类别", "科研院所"], ["研发人员数", "１２０"], ["币种", "CNY"]]
    src = tmp_path / "in" / "natural.xlsx"
    src.parent.mkdir()
    book(src, rows, institution=institution)
    original = read_assessment(src, v2)
    out = tmp_path / "out"
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'lo'}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    resaved = read_assessment(out / "natural.xlsx", v2)
    assert {a.indicator: a.value for a in resaved.answers} == {a.indicator: a.value for a in original.answers}
    assert {a.indicator: a.value for a in original.answers} == {
        "A.X.1": 3.0,
        "A.X.2": 5.0,
        "A.X.3": 99.0,
        "B.Z.1": 12_000.0,
        "B.Z.2": 1.0,
    }
    assert (resaved.year, resaved.profile, resaved.research_staff) == (2024, "institute", 120.0)
