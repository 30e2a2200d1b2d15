"""Issue 16 (output side): no formula from a CSV cell, no mathematics from a chart label, no
control character from a name or a path, in any output."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest

from tests.conftest import MINI_RUBRIC
from tests.report.fixtures import mini_result
from tests.report.test_charts import svg_texts
from vibbench.report import csv_format, json_format, markdown_summary, table
from vibbench.report.charts_compare import draw_grouped_bars
from vibbench.report.csv_format import safe_cell
from vibbench.report.figures import LABEL_CHARS, chart_files
from vibbench.rubric.loader import load_rubric
from vibbench.scoring.engine import score
from vibbench.scoring.result import Result
from vibbench.text import CONTROLS

# --------------------------------------------------------------------------- CSV (16.5)


@pytest.mark.parametrize(
    "text",
    [";=1+1", ";+1", ";-1", ";@SUM(A1)", "|cmd", "| calc", "=1+1", "+1", "-x", "@x", "\t=1", "\r=1"],
)
def test_csv_neutralises_every_formula_start(text: str) -> None:
    assert safe_cell(text).startswith("'")


@pytest.mark.parametrize("text", ["a;b", "; plain", "x|y", "Mini Institute", "5 years"])
def test_csv_leaves_plain_text_alone(text: str) -> None:
    assert safe_cell(text) == text


@pytest.mark.parametrize("value", [-3.5, 0.0, 12, None])
def test_csv_numbers_stay_numbers(value: object) -> None:
    assert safe_cell(value) == value


def test_csv_control_characters_are_dropped_before_the_formula_check() -> None:
    assert safe_cell("\x1b[2J=HYPERLINK(1)") == "[2J=HYPERLINK(1)"
    assert safe_cell("\x1b=cmd") == "'=cmd"


# --------------------------------------------------------------------------- charts (16.6)

MATH = "ACME $\\invalidcmd$"
DEEP = "$" + "\\sqrt{" * 300 + "x" + "}" * 300 + "$"


def test_compare_chart_draws_mathematics_and_underscores_as_text() -> None:
    names = [MATH, "_Hidden Lab 2025", DEEP]
    data = draw_grouped_bars(["Alpha", "$x_1$"], names, [[50.0, 60.0]] * 3, "VIB", [80.0, 90.0])
    texts = svg_texts(data)
    for name in (*names, "VIB", "$x_1$"):
        assert name in texts, name  # each is a text element of its own: the legend entry or the tick


@pytest.fixture
def math_rubric_result(tmp_path: Path) -> Result:
    text = MINI_RUBRIC.read_text(encoding="utf-8")
    text = text.replace("{en: Alpha, zh: 甲}", "{en: '_Alpha $\\invalidcmd$', zh: 甲}")
    text = text.replace("{en: Ex, zh: 乙}", f"{{en: '{DEEP}', zh: 乙}}")
    path = tmp_path / "math.yaml"
    path.write_text(text, encoding="utf-8")
    rubric = load_rubric(path)
    assert rubric.pillars[0].name.en.startswith("_Alpha")
    base = mini_result()
    return score(base.assessment, rubric)


def test_report_charts_draw_rubric_names_as_text(math_rubric_result: Result) -> None:
    files = chart_files(math_rubric_result, "en")
    pillars = svg_texts(files["pillars"])
    dims = svg_texts(files["dimensions"])
    assert "A _Alpha $\\invalidcmd$" in pillars
    # a very long name is shortened on the axis, and still drawn as text, not as mathematics
    long = next(t for t in dims if t.startswith("A.X $\\sqrt{"))
    assert long.endswith("…") and len(long) == LABEL_CHARS
    assert "VIB" in pillars and "Institution" in pillars  # the legend


# --------------------------------------------------------------------------- names and paths (16.4)

NASTY = "Evil\x1b]0;pwned\x07 Lab\r\nok: all 2 workbooks read\x1b[2J\u202e"


def nasty_result() -> Result:
    base = mini_result()
    a = dataclasses.replace(
        base.assessment,
        path="in\x1b[31m/evil\r\nname\x07.xlsx",
        institution={**base.assessment.institution, "name": NASTY},
    )
    return dataclasses.replace(base, assessment=a)


def no_controls(text: str) -> None:
    bad = [hex(ord(c)) for c in text if ord(c) in CONTROLS]
    assert not bad, bad


def test_markdown_summary_drops_controls_and_keeps_the_title_on_one_line() -> None:
    text = markdown_summary.render(nasty_result())
    no_controls(text)
    assert text.splitlines()[0].startswith("# Evil") and "workbooks read" in text.splitlines()[0]


def test_table_drops_controls() -> None:
    text = table.render(nasty_result(), width=200)
    no_controls(text)
    line = next(ln for ln in text.splitlines() if "Evil" in ln)
    assert "workbooks read" in line  # the forged line stays inside the institution's row


def test_csv_drops_controls() -> None:
    r = nasty_result()
    r = dataclasses.replace(
        r,
        indicators=(
            dataclasses.replace(
                r.indicators[0],
                indicator=dataclasses.replace(
                    r.indicators[0].indicator,
                    name=dataclasses.replace(r.indicators[0].indicator.name, en="bad\x1b[2J\rname"),
                ),
            ),
            *r.indicators[1:],
        ),
    )
    text = csv_format.render(r)
    no_controls(text)
    assert list(csv.reader(io.StringIO(text)))[1][5] == "bad[2Jname"  # the name column


def test_json_drops_controls_from_name_and_path() -> None:
    doc = json_format.to_dict(nasty_result())
    assert doc["source"]["path"] == "in[31m/evil name.xlsx"
    assert "\x1b" not in doc["institution"]["name"] and "\x07" not in doc["institution"]["name"]
    no_controls(json.dumps(doc, ensure_ascii=False))
    assert "\n" not in doc["source"]["path"]


def test_report_drops_controls_from_name_and_path() -> None:
    from vibbench.report.document import render_report

    text = render_report(nasty_result(), "en", version="0", generated="2026-01-01")
    no_controls(text)
    title = next(ln for ln in text.splitlines() if ln.startswith("# "))
    assert "Evil" in title and "workbooks read" in title  # one line: nothing forged below it
    assert "evil name.xlsx" in text


def test_explain_drops_controls() -> None:
    from vibbench.report.explain import explain

    r = nasty_result()
    ind = r.indicators[0]
    bad = dataclasses.replace(ind.indicator, name=dataclasses.replace(ind.indicator.name, en="x\x1b[2Jy\x07"))
    r = dataclasses.replace(r, indicators=(dataclasses.replace(ind, indicator=bad), *r.indicators[1:]))
    text = explain(r, ind.id)
    no_controls(text)
    assert "x[2Jy" in text
