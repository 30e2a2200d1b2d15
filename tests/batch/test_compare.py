"""compare: ranks with ties, progress over years, bad files mixed with good ones, COINr's ASEM ranks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.asem import ASEM, build_rubric, build_workbooks, read
from tests.conftest import ROOT
from vibbench.cli import app
from vibbench.rubric.loader import load_rubric
from vibbench.scoring.engine import score_file
from vibbench.scoring.ranking import competition_ranks, progress

SAMPLES = ROOT / "samples"
runner = CliRunner()


def test_competition_ranks_share_the_better_rank() -> None:
    assert competition_ranks([70.0, 90.0, 80.0, 80.0, None]) == [4, 1, 2, 2, None]
    assert competition_ranks([]) == []
    assert competition_ranks([None, None]) == [None, None]


@given(st.lists(st.one_of(st.none(), st.sampled_from([0.0, 12.5, 50.0, 99.9, 100.0]), st.floats(0, 100))))
def test_competition_ranks_is_one_plus_the_number_above(scores: list[float | None]) -> None:
    present = [s for s in scores if s is not None]
    expected = [None if s is None else 1 + sum(o > s for o in present) for s in scores]
    assert competition_ranks(scores) == expected


def test_compare_samples_json_and_progress() -> None:
    res = runner.invoke(app, ["compare", str(SAMPLES), "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["schema_version"] == 1 and doc["rubric"]["id"] == "vib"
    insts = doc["institutions"]
    assert len(insts) == len(list(SAMPLES.glob("*.xlsx")))
    ranks = [i["rank"] for i in insts]
    scores = [i["overall"]["score"] for i in insts]
    assert ranks == competition_ranks(scores)
    assert ranks == sorted(ranks)
    for key in ("institution", "source", "overall", "pillars", "dimensions", "indicators", "recommendations"):
        assert key in insts[0]


def test_progress_deltas_across_two_years() -> None:
    books = sorted(SAMPLES.glob("shanghai-biomed-*.xlsx"))
    assert len(books) == 2
    first, second = (score_file(b, "vib") for b in books)
    assert first.assessment.name == second.assessment.name
    steps = progress([second, first])
    assert len(steps) == 1
    step = steps[0]
    assert (step.year_from, step.year_to) == (first.assessment.year, second.assessment.year)
    assert step.overall == pytest.approx(second.overall.score - first.overall.score)
    for p1, p2 in zip(first.pillars, second.pillars, strict=True):
        assert step.pillars[p1.id] == pytest.approx(p2.score - p1.score)
    assert step.movers, "the later year changed some answers"
    biggest = step.movers[0]
    s1 = {i.id: i.score for i in first.indicators}
    s2 = {i.id: i.score for i in second.indicators}
    assert biggest[1] == pytest.approx(s2[biggest[0]] - s1[biggest[0]])
    table = runner.invoke(app, ["compare", str(SAMPLES)])
    assert table.exit_code == 0
    assert "→" in table.stdout and str(first.assessment.year) in table.stdout


def test_bad_file_mixed_with_good_ones(tmp_path: Path) -> None:
    for b in sorted(SAMPLES.glob("*.xlsx"))[:2]:
        shutil.copy(b, tmp_path / b.name)
    (tmp_path / "broken.xlsx").write_text("id,answer\nRD.GOV.1,3\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "vibbench", "compare", str(tmp_path), "--format", "json", "--jobs", "2"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert "broken.xlsx" in out.stderr and "Traceback" not in out.stderr
    assert len(json.loads(out.stdout)["institutions"]) == 2


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_compare_formats(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"c.{fmt}"
    res = runner.invoke(
        app, ["compare", str(SAMPLES), "--format", fmt, "--output", str(target), "--lang", "zh"]
    )
    assert res.exit_code == 0, res.output
    text = target.read_text(encoding="utf-8")
    assert "RD" in text
    if fmt == "markdown":
        assert (tmp_path / "c_charts" / "heat.svg").is_file() and "c_charts/heat.svg" in text


@pytest.mark.skipif(not ASEM.is_dir(), reason="shared/data/coinr-asem not present")
def test_asem_ranks_equal_coinr(tmp_path: Path) -> None:
    rubric = build_rubric(tmp_path)
    build_workbooks(tmp_path)
    res = runner.invoke(
        app, ["compare", str(tmp_path), "--rubric", str(rubric), "--format", "json", "--jobs", "2"]
    )
    assert res.exit_code == 0, res.output
    got = {i["institution"]["name"]: i["rank"] for i in json.loads(res.stdout)["institutions"]}
    expected = {r["UnitCode"]: int(float(r["IndexRank"])) for r in read("coinr_results.csv")}
    assert len(got) == 51
    assert got == expected


def test_sensitivity_cli_reproducible_and_collapses() -> None:
    args = ["sensitivity", str(SAMPLES), "--samples", "300", "--seed", "1", "--format", "json"]
    a = runner.invoke(app, args)
    b = runner.invoke(app, args)
    assert a.exit_code == 0, a.output
    assert a.stdout == b.stdout
    doc = json.loads(a.stdout)
    for inst in doc["institutions"]:
        sens = inst["sensitivity"]
        assert sens["score"]["p5"] <= inst["overall"]["score"] + 1e-9 <= sens["score"]["p95"] + 2e-9
        assert {"p5", "p50", "p95"} == set(sens["rank"])
    zero = json.loads(runner.invoke(app, [*args[:-2], "--spread", "0", "--format", "json"]).stdout)
    for inst in zero["institutions"]:
        s = inst["sensitivity"]["score"]
        assert s["p5"] == s["p50"] == s["p95"] == inst["overall"]["score"]
        r = inst["sensitivity"]["rank"]
        assert r["p5"] == r["p50"] == r["p95"] == inst["rank"]


def test_compare_json_ranks_ties_and_unanswered(tmp_path: Path) -> None:
    """Through the parallel path: ties share the better rank; nothing answered ranks last under the
    default --missing zero and null under --missing exclude; the bytes printed are one valid UTF-8
    JSON document (Chinese names intact)."""
    from tests.conftest import MINI_RUBRIC
    from tests.workbook._build_workbooks import raw_book, responses_xml

    answers = {"a": 4, "b": 2, "c": 4, "d": None, "e": 1}
    for name, level in answers.items():
        rows = [] if level is None else [["A.X.1", level]]
        (tmp_path / f"{name}.xlsx").write_bytes(raw_book([("Responses", responses_xml(rows))]))
    args = ["compare", str(tmp_path), "--rubric", str(MINI_RUBRIC), "--format", "json", "--jobs", "2"]
    res = subprocess.run([sys.executable, "-m", "vibbench", *args, "--lang", "zh"], capture_output=True)
    assert res.returncode == 0, res.stderr.decode()
    doc = json.loads(res.stdout.decode("utf-8"))
    got = [(i["institution"]["name"], i["rank"]) for i in doc["institutions"]]
    assert got == [("a", 1), ("c", 1), ("b", 3), ("e", 4), ("d", 5)]
    assert doc["institutions"][0]["options"]["missing"] == "zero"
    excl = subprocess.run(
        [sys.executable, "-m", "vibbench", *args, "--missing", "exclude"], capture_output=True
    )
    got = [(i["institution"]["name"], i["rank"]) for i in json.loads(excl.stdout.decode())["institutions"]]
    assert got == [("a", 1), ("c", 1), ("b", 3), ("e", 4), ("d", None)]
    assert doc["rubric"]["title"] == "迷你框架" and doc["institutions"][0]["pillars"][0]["name"] == "甲"


def test_discover_folder_and_files(tmp_path: Path) -> None:
    from vibbench.batch import discover
    from vibbench.errors import UsageError

    for name in ("b.xlsx", "A.XLSX", "~$b.xlsx", "notes.txt", "c.xlsm"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "d.xlsx").mkdir()  # a folder named like a workbook is not one
    given = tmp_path / "notes.txt"
    found = discover([tmp_path, given])
    assert found == [tmp_path / "A.XLSX", tmp_path / "b.xlsx", given]
    with pytest.raises(UsageError):
        discover([tmp_path / "d.xlsx"])


def test_parallel_results_equal_serial_ones() -> None:
    """Workers only read and send back the plain assessment; the parent scores it: the results
    equal scoring each file in this process, in the order given."""
    from vibbench.batch import BatchOptions, discover_inputs, score_many

    rubric = load_rubric("vib")
    books = sorted(SAMPLES.glob("*.xlsx"))
    results, failures = score_many(discover_inputs(books), rubric, BatchOptions(jobs=2))
    assert not failures
    assert results == [score_file(b, rubric) for b in books]
    assert all(r.rubric is rubric for r in results)


@pytest.mark.parametrize(("lang", "width"), [("en", 80), ("zh", 80), ("en", 60), ("zh", 120)])
def test_compare_matrix_fits_and_lines_up(lang: str, width: int) -> None:
    """The matrix fits the terminal, names fold rather than vanish, and every number column ends
    at the same place on every row (CJK names count two cells)."""
    from rich.cells import cell_len

    from vibbench.report.compare import render_table
    from vibbench.scoring.ranking import rank

    results = [score_file(b, "vib") for b in sorted(SAMPLES.glob("*.xlsx"))]
    ranked = rank(results)
    rank_of = {id(r): n for r, n in ranked}
    text = render_table(ranked, results[0].rubric, lang, width)
    lines = text.split("\n")
    header = next(i for i, line in enumerate(lines) if line.lstrip().startswith("#"))
    assert set(lines[header + 1].strip()) == {"─"}
    matrix = lines[header : lines.index("", header)]
    assert all(cell_len(line) <= width for line in matrix), matrix
    folded = "".join(line[4:22] for line in matrix)
    for r in results:
        assert r.assessment.name.split()[0] in folded or r.assessment.name[:4] in folded
    ends = set()
    for r in results:
        row = next(line for line in matrix if line.startswith(f" {rank_of[id(r)]} "))
        overall = f"{r.overall.score:.1f}"
        ends.add(cell_len(row[: row.rindex(overall) + len(overall)]))
    assert len(ends) == 1, matrix
