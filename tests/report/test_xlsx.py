"""``--format xlsx`` (issue 15 item 1, SPEC §7): the workbooks score, compare and sensitivity write."""

from __future__ import annotations

import csv
import gc
import io
import math
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vibbench.report import xlsx_format as xf
from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import Rubric
from vibbench.scoring.cohort import data_quality, shared_gaps
from vibbench.scoring.engine import score, score_file
from vibbench.scoring.ranking import progress, rank
from vibbench.scoring.result import Result, ScoreOptions
from vibbench.scoring.sensitivity import Analysis, InstitutionSensitivity, Percentiles
from vibbench.workbook.model import Answer, Assessment

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").glob("*.xlsx"))
MINI = ROOT / "tests" / "fixtures" / "rubrics" / "mini.yaml"

HOSTILE = [
    '=HYPERLINK("http://evil.example","x")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "@SUM(1)",
    "http://evil.example/login",
    "007",
]
"""Formulas, a link and a number with a leading zero: each must come back as the same text."""


@pytest.fixture(scope="module")
def vib() -> Rubric:
    return load_rubric("vib")


@pytest.fixture(scope="module")
def samples(vib: Rubric) -> list[Result]:
    return [score_file(p, vib) for p in SAMPLES]


@pytest.fixture(scope="module")
def hostile() -> list[Result]:
    """Institutions named like formulas, with formula-like evidence and comments."""
    rubric = load_rubric(MINI, use_cache=False)
    out = []
    for n, text in enumerate(HOSTILE):
        answers = (
            Answer("A.xf.1", float(n % 4), "Responses!F2", str(n % 4), None, text, text),
            Answer("A.xf.2", 10.0 * n, "Responses!F3", str(10 * n), None, text),
            Answer("B.Z.1", 0.0, "Responses!F5", "no", None, text),
        )
        a = Assessment(f"h{n}.xlsx", "0" * 64, {"name": text, "year": 2024 + n % 2}, answers)
        out.append(score(a, rubric, ScoreOptions(top=3)))
    return out


def _name(rubric: Rubric, ident: str) -> Any:
    return next(i.name for i in rubric.indicators() if i.id == ident)


def _book(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def _header(ws: Any, row: int = 1) -> list[Any]:
    return [c.value for c in ws[row]]


def _column(ws: Any, title: str, header_row: int = 1) -> list[Any]:
    col = _header(ws, header_row).index(title) + 1
    return [ws.cell(row=r, column=col) for r in range(header_row + 1, ws.max_row + 1)]


def _analysis(ranked: list[tuple[Result, int | None]]) -> Analysis:
    """A hand-made analysis: institution k ranks k+1 give or take one, and keeps its top priorities
    with shares given in ascending order (the sheet must sort them)."""
    blocks = []
    for k, (res, _) in enumerate(ranked):
        tops = [i.id for i in res.top_priorities(3)]
        shares = tuple((ident, 0.5 + 0.2 * j) for j, ident in enumerate(tops))
        blocks.append(
            InstitutionSensitivity(
                score=Percentiles(
                    (res.overall.score or 0) - 2, res.overall.score, (res.overall.score or 0) + 2
                ),
                rank=Percentiles(max(1.0, k + 0.6), k + 1.0, k + 1.4 + (1 if k == 1 else 0)),
                top_priorities=shares,
            )
        )
    return Analysis(samples=200, spread=0.2, seed=7, top=3, institutions=tuple(blocks))


# --- score ----------------------------------------------------------------------------------------


def test_score_workbook_has_the_sheets_and_numbers_as_numbers(samples: list[Result]) -> None:
    result = samples[0]
    wb = _book(xf.score_xlsx(result, "en"))
    assert wb.sheetnames == ["Summary", "Pillars", "Dimensions", "Indicators", "Recommendations", "Warnings"]
    summary = {row[0]: row[1] for row in wb["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Institution"] == result.assessment.name
    assert summary["Overall"] == pytest.approx(result.overall.score)
    assert summary["Coverage"] == pytest.approx(result.overall.coverage)
    assert "--aggregation arithmetic" in summary["Aggregation (--aggregation)"]
    assert (
        summary["Rubric"] == f"{result.rubric.title.get('en')} ({result.rubric.id} {result.rubric.version})"
    )
    pillars = wb["Pillars"]
    scores = _column(pillars, "Score")
    assert [c.value for c in scores] == pytest.approx([p.score for p in result.pillars])
    assert all(c.data_type == "n" and c.number_format == "0.0" for c in scores)
    ind = wb["Indicators"]
    assert [c.value for c in _column(ind, "Id")] == [i.id for i in result.indicators]
    priorities = _column(ind, "Priority")
    assert [c.value for c in priorities] == pytest.approx([i.priority for i in result.indicators])
    assert [c.value for c in _column(wb["Recommendations"], "Recommendation")] == [
        r.text.get("en") for r in result.recommendations
    ]
    assert len(_column(wb["Warnings"], "Message")) == len(result.warnings)


def test_every_sheet_is_a_frozen_filtered_table_with_colour_scales(samples: list[Result]) -> None:
    wb = _book(xf.score_xlsx(samples[0], "en"))
    for ws in wb:
        assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert all(c.font.b for c in ws[1] if c.value is not None), ws.title
    for title, columns in (("Pillars", "CDE"), ("Dimensions", "DEF"), ("Indicators", "GHIJ")):
        ranges = {
            str(cf.sqref).split(":")[0].rstrip("0123456789"): [r.type for r in cf.rules]
            for cf in wb[title].conditional_formatting
        }
        for col in columns:
            assert ranges.get(col) == ["colorScale"], (title, col, ranges)


def test_long_text_columns_wrap_even_where_empty(samples: list[Result]) -> None:
    ind = _book(xf.score_xlsx(samples[0], "en"))["Indicators"]
    comments = _column(ind, "Comment")
    assert any(c.value is None for c in comments) and any(c.value for c in comments)
    assert all(c.alignment.wrap_text and c.alignment.vertical == "top" for c in comments)
    assert not any(c.alignment.wrap_text for c in _column(ind, "Id"))


def test_headers_and_names_follow_the_language(samples: list[Result]) -> None:
    result = samples[0]
    wb = _book(xf.score_xlsx(result, "zh"))
    assert wb.sheetnames == ["概览", "支柱", "维度", "指标", "建议", "提示"]
    assert _header(wb["指标"])[:2] == ["编号", "指标"]
    names = [c.value for c in _column(wb["指标"], "指标")]
    assert names == [i.indicator.name.get("zh") for i in result.indicators]
    summary = {row[0]: row[1] for row in wb["概览"].iter_rows(min_row=2, values_only=True)}
    assert result.overall.band is not None
    assert summary["等级"] == result.overall.band.name.get("zh")
    rubric = result.rubric
    assert summary["评估框架"] == f"{rubric.title.get('zh')}（{rubric.id} {rubric.version}）"
    warn_names = {c.value for c in _column(wb["提示"], "提示类型")}
    assert warn_names and all(any("\u4e00" <= ch <= "\u9fff" for ch in str(n)) for n in warn_names)


def test_column_widths_fit_the_text_and_count_chinese_double(
    hostile: list[Result], samples: list[Result]
) -> None:
    ranked = rank(samples)
    ws = _book(xf.compare_xlsx(ranked, samples[0].rubric, "zh", "exclude"))["排名"]
    names = [r.assessment.name for r, _ in ranked]
    cjk = max((n for n in names if any("\u4e00" <= ch <= "\u9fff" for ch in n)), key=len)
    width = ws.column_dimensions["B"].width
    assert width >= min(xf.MAX_WIDTH, 2 * len(cjk))
    assert width <= xf.MAX_WIDTH
    # a column of short numbers stays narrow
    assert ws.column_dimensions["A"].width <= 12


CELLS = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True, min_value=None, max_value=None, width=64),
    st.integers(-(10**12), 10**12),
    st.booleans(),
    st.text(max_size=80),
    st.builds(xf.Fmt, st.one_of(st.none(), st.floats(-1e6, 1e6)), st.sampled_from([xf.WHOLE, xf.PERCENT])),
)


@given(
    st.lists(st.lists(CELLS, min_size=0, max_size=2), max_size=30),
    st.sampled_from([xf.ONE_DECIMAL, xf.SIGNED, xf.PERCENT, xf.WHOLE]),
)
def test_a_column_is_as_wide_as_its_widest_cell_as_shown(rows: list[list[Any]], number_format: str) -> None:
    """The width found from the largest and smallest numbers is the width of every cell shown."""
    table = xf.Table("T", ["", "Value"], rows, formats={1: number_format})
    for col in (0, 1):
        fmt = table.formats.get(col, xf.ONE_DECIMAL)
        shown = [
            xf._display_width(xf._shown(row[col], fmt))
            for row in rows
            if col < len(row)
            and not (isinstance(row[col], float) and not math.isfinite(row[col]))  # written empty
        ]
        widest = max([xf._display_width(table.header[col]), *shown])
        assert xf._column_width(table, col) == min(xf.MAX_WIDTH, max(xf.MIN_WIDTH, widest + 2))


def test_the_same_input_gives_the_same_bytes(samples: list[Result]) -> None:
    assert xf.score_xlsx(samples[1], "zh") == xf.score_xlsx(samples[1], "zh")
    ranked = rank(samples)
    rubric = samples[0].rubric
    assert xf.compare_xlsx(ranked, rubric, "en", "zero") == xf.compare_xlsx(ranked, rubric, "en", "zero")
    analysis = _analysis(ranked)
    assert xf.sensitivity_xlsx(ranked, analysis, rubric, "en") == xf.sensitivity_xlsx(
        ranked, analysis, rubric, "en"
    )


FIXED_ZIP_DATE_LIMIT = (2026, 1, 1, 0, 0, 0)


def test_the_bytes_hold_no_clock(samples: list[Result]) -> None:
    """Two runs within one second agree even with a clock in the file: the dates must be fixed."""
    data = xf.score_xlsx(samples[0], "en")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        (date,) = {i.date_time for i in z.infolist()}  # one date for every part, not the clock's
        assert date <= FIXED_ZIP_DATE_LIMIT
        core = z.read("docProps/core.xml").decode()
    assert core.count(xf.FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")) == 2, core  # created, modified
    wb = _book(data)
    assert wb.properties.created == xf.FIXED_TIME and wb.properties.creator == "vibbench"


def test_column_widths_are_the_text_plus_a_margin(samples: list[Result]) -> None:
    wb = _book(xf.score_xlsx(samples[0], "en"))
    ws = wb["Pillars"]
    # "Id" and ids like "RD" are narrow: the minimum; "Share among siblings" is the widest text of F
    assert ws.column_dimensions["A"].width == xf.MIN_WIDTH
    assert ws.column_dimensions["G"].width == len("Share among siblings") + 2
    names = [p.name.get("en") for p in samples[0].pillars]
    assert ws.column_dimensions["B"].width == max(len("Pillar"), *map(len, names)) + 2


# --- compare --------------------------------------------------------------------------------------


def test_compare_workbook_is_the_cohort_report(samples: list[Result]) -> None:
    ranked = rank(samples)
    rubric = samples[0].rubric
    wb = _book(xf.compare_xlsx(ranked, rubric, "zh", "zero"))
    assert wb.sheetnames == ["排名", "维度 × 机构", "共性差距", "数据质量", "年度进展"]

    ranking = wb["排名"]
    assert "--missing zero" in str(ranking["A1"].value)
    assert ranking.freeze_panes == "A3"
    assert [c.value for c in _column(ranking, "机构", 2)] == [r.assessment.name for r, _ in ranked]
    assert [c.value for c in _column(ranking, "排名", 2)] == [k for _, k in ranked]
    assert [c.value for c in _column(ranking, "等级", 2)] == [
        r.overall.band.name.get("zh") if r.overall.band else xf.DASH for r, _ in ranked
    ]
    overall = _column(ranking, "总分", 2)
    assert [c.value for c in overall] == pytest.approx([r.overall.score for r, _ in ranked])
    assert {c.number_format for c in overall} == {"0.0"}
    assert {c.number_format for c in _column(ranking, "覆盖率", 2)} == {"0%"}

    matrix = wb["维度 × 机构"]
    head = _header(matrix)
    assert head[3:] == [f"{d.id} {d.name.get('zh')}" for d in samples[0].dimensions]
    vib_row = [c.value for c in matrix[2]]
    assert vib_row[3:] == pytest.approx([d.reference for d in samples[0].dimensions])
    first = ranked[0][0]
    assert [c.value for c in matrix[3]][3:] == pytest.approx([d.score for d in first.dimensions])
    assert any(r.type == "colorScale" for cf in matrix.conditional_formatting for r in cf.rules)

    gaps = shared_gaps([r for r, _ in ranked], first.options.top)
    shared = wb["共性差距"]
    ids = [c.value for c in _column(shared, "编号", 2)]
    assert ids == [g.indicator for g in gaps]
    recs = [c.value for c in _column(shared, "建议", 2)]
    assert recs[0] == "\n".join(t.get("zh") for t in gaps[0].recommendations)
    assert [c.value for c in _column(shared, "列入优先事项的机构数", 2)] == [g.count for g in gaps]

    quality = wb["数据质量"]
    expected = [data_quality(r) for r, _ in ranked]
    assert [c.value for c in _column(quality, "缺少佐证的自评")] == [q.unsupported_claims for q in expected]
    assert [c.value for c in _column(quality, "覆盖率")] == pytest.approx([q.coverage for q in expected])

    steps = progress([r for r, _ in ranked])
    assert steps, "the samples hold one institution in two years"
    prog = wb["年度进展"]
    assert [c.value for c in _column(prog, "机构")] == [s.name for s in steps]
    assert [c.value for c in _column(prog, "总分变化")] == pytest.approx([s.overall for s in steps])
    movers = str(_column(prog, "变化最大的指标")[0].value)
    ident = steps[0].movers[0][0]
    assert f"{ident} {_name(rubric, ident).get('zh')}" in movers


def test_shared_gaps_sheet_follows_the_top_it_is_given(samples: list[Result]) -> None:
    ranked = rank(samples)
    results = [r for r, _ in ranked]
    for top in (1, 3):
        wb = _book(xf.compare_xlsx(ranked, samples[0].rubric, "en", "exclude", top=top))
        ids = [c.value for c in _column(wb["Shared gaps"], "Id", 2)]
        assert ids == [g.indicator for g in shared_gaps(results, top)]
        assert f"top {top} priorities" in str(wb["Shared gaps"]["A1"].value)


def test_compare_states_the_exclude_rule_in_english(samples: list[Result]) -> None:
    wb = _book(xf.compare_xlsx(rank(samples), samples[0].rubric, "en", "exclude"))
    note = str(wb["Ranking"]["A1"].value)
    assert "--missing exclude" in note and "renormalised" in note


def test_an_empty_progress_sheet_is_still_a_table(hostile: list[Result]) -> None:
    ranked = rank(hostile[:1])
    wb = _book(xf.compare_xlsx(ranked, hostile[0].rubric, "en", "exclude"))
    prog = wb["Progress"]
    assert prog.max_row == 1 and _header(prog)[0] == "Institution"


# --- sensitivity ----------------------------------------------------------------------------------


def test_sensitivity_workbook_names_priorities_sorts_shares_and_gives_verdicts(samples: list[Result]) -> None:
    ranked = rank(samples)
    rubric = samples[0].rubric
    analysis = _analysis(ranked)
    wb = _book(xf.sensitivity_xlsx(ranked, analysis, rubric, "en"))
    assert wb.sheetnames == ["Sensitivity", "Top priorities"]
    ws = wb["Sensitivity"]
    assert "200 samples" in str(ws["A1"].value)
    # the second institution's 5–95% range (2–3) overlaps the third's (3)
    assert "ranks 2–3 cannot be told apart" in str(ws["A2"].value)
    verdicts = [c.value for c in _column(ws, "Verdict", 3)]
    assert verdicts[0] == "rank 1 (5–95%: 1)"
    assert verdicts[1] == "rank 2 (5–95%: 2–3)"
    assert [c.value for c in _column(ws, "Rank p50", 3)] == [float(k + 1) for k in range(len(ranked))]

    tops = wb["Top priorities"]
    rows = list(tops.iter_rows(min_row=2, values_only=True))
    for (res, _), sens in zip(ranked, analysis.institutions, strict=True):
        mine = [r for r in rows if r[0] == res.assessment.name and r[1] == res.assessment.year]
        shares = [r[4] for r in mine]
        assert shares == sorted(shares, reverse=True)
        assert sorted(r[2] for r in mine) == sorted(i for i, _ in sens.top_priorities)
        for row in mine:
            assert row[3] == _name(rubric, row[2]).get("en")


# --- formulas -------------------------------------------------------------------------------------


def _all_workbooks(results: list[Result], lang: str) -> Iterator[tuple[str, bytes, set[str]]]:
    """score's workbook of every hostile institution, then compare's and sensitivity's of them all,
    each with the hostile texts it must hold."""
    for k, res in enumerate(results):
        yield f"score{k}", xf.score_xlsx(res, lang), {res.assessment.name}
    ranked = rank(results)
    everyone = {r.assessment.name for r in results}
    yield "compare", xf.compare_xlsx(ranked, results[0].rubric, lang, "exclude"), everyone
    yield "sensitivity", xf.sensitivity_xlsx(ranked, _analysis(ranked), results[0].rubric, lang), everyone


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_text_is_never_stored_as_a_formula(hostile: list[Result], lang: str) -> None:
    for kind, data, expected in _all_workbooks(hostile, lang):
        wb = _book(data)
        found: set[str] = set()
        for ws in wb:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", (kind, ws.title, c.coordinate, c.value)
                    assert c.hyperlink is None, (kind, ws.title, c.coordinate, c.value)
                    if isinstance(c.value, str) and c.value in HOSTILE:
                        assert c.data_type == "s"
                        found.add(c.value)
        assert found == expected, kind
    # the evidence itself (score's Indicators sheet)
    ind = _book(xf.score_xlsx(hostile[0], "en"))["Indicators"]
    assert {c.value for c in _column(ind, "Evidence")} - {None} == {HOSTILE[0]}


def test_calamine_reads_the_text_back(hostile: list[Result]) -> None:
    from python_calamine import CalamineWorkbook

    for kind, data, expected in _all_workbooks(hostile, "en"):
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        values = {
            v
            for name in book.sheet_names
            for row in book.get_sheet_by_name(name).to_python()
            for v in row
            if isinstance(v, str)
        }
        assert expected <= values, kind


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_shows_the_text_literally(hostile: list[Result], tmp_path: Path) -> None:
    paths = {}
    for kind, data, expected in _all_workbooks(hostile, "en"):
        path = tmp_path / f"{kind}.xlsx"
        path.write_bytes(data)
        paths[path] = expected
    out = tmp_path / "csv"
    # every sheet to its own csv (token 12 = -1), UTF-8 (76), values not formulas (token 10 = false)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(out),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for path, expected in paths.items():
        cells: set[str] = set()
        sheets = sorted(out.glob(f"{path.stem}-*.csv"))
        assert sheets, path.name
        for sheet in sheets:
            with sheet.open(encoding="utf-8", newline="") as f:
                cells.update(v for row in csv.reader(f) for v in row)
        assert expected <= cells, (path.name, sorted(cells & set(HOSTILE)))


def test_control_characters_are_dropped_not_fatal() -> None:
    rubric = load_rubric(MINI, use_cache=False)
    answers = (Answer("A.X.1", 2.0, "Responses!F2", "2", None, "minutes\x07 2024\x1b[31m"),)
    a = Assessment("c.xlsx", "0" * 64, {"name": "Bell\x07 Institute", "year": 2025}, answers)
    result = score(a, rubric)
    wb = _book(xf.score_xlsx(result, "en"))
    summary = {row[0]: row[1] for row in wb["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Institution"] == "Bell Institute"
    assert {c.value for c in _column(wb["Indicators"], "Evidence")} - {None} == {"minutes 2024[31m"}


def test_a_large_cohort_has_every_institution_once(samples: list[Result]) -> None:
    cohort = samples * 60
    ranked = rank(cohort)
    wb = _book(xf.compare_xlsx(ranked, samples[0].rubric, "en", "exclude"))
    assert wb["Ranking"].max_row == 2 + len(cohort)
    assert wb["Dimensions × institutions"].max_row == 2 + len(cohort)  # header, VIB, institutions
    assert wb["Data quality"].max_row == 1 + len(cohort)
    overall = [c.value for c in _column(wb["Ranking"], "Overall", 2)]
    assert overall == sorted(overall, reverse=True)


def test_writing_a_workbook_sets_off_no_garbage_collection(samples: list[Result]) -> None:
    """Each collection would walk every result alive (the whole cohort) to free nothing."""
    ranked = rank(samples * 60)
    collections: list[str] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(phase)

    gc.callbacks.append(count)
    try:
        data = xf.compare_xlsx(ranked, samples[0].rubric, "en", "exclude")
    finally:
        gc.callbacks.remove(count)
    # at most the one the collector, resumed, may run at once on what was allocated meanwhile
    assert len(collections) <= 1, len(collections)
    assert _book(data).sheetnames[0] == "Ranking"
    assert gc.isenabled()


# --- light on the score path ----------------------------------------------------------------------


def test_importing_the_writer_loads_no_heavy_library() -> None:
    code = (
        "import sys, vibbench.report.xlsx_format, vibbench.scoring.cohort;"
        "heavy = [m for m in ('openpyxl', 'xlsxwriter', 'numpy', 'pandas', 'matplotlib', 'pydantic', 'docx')"
        " if m in sys.modules];"
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
