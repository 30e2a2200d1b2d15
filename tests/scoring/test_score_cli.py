"""`vibbench score` and `vibbench explain` on the samples: every format, both languages, every exit code."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from vibbench.cli import app

SAMPLES = sorted((ROOT / "samples").glob("*.xlsx"))
runner = CliRunner()


def sample(name: str) -> Path:
    return next(p for p in SAMPLES if p.name.startswith(name))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
@pytest.mark.parametrize("book", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_every_sample_every_format(book: Path, fmt: str, lang: str) -> None:
    res = runner.invoke(app, ["score", str(book), "--format", fmt, "--lang", lang])
    assert res.exit_code == 0, res.output
    assert res.stdout.strip()
    if fmt == "json":
        doc = json.loads(res.stdout)
        assert doc["schema_version"] == 1 and doc["options"]["lang"] == lang
    if lang == "zh" and fmt in ("table", "markdown"):
        assert "总分" in res.stdout


def test_json_matches_spec_keys() -> None:
    doc = json.loads(runner.invoke(app, ["score", str(sample("academy")), "--format", "json"]).stdout)
    assert set(doc) == {
        "schema_version", "institution", "source", "rubric", "options", "overall", "pillars",
        "dimensions", "indicators", "recommendations", "warnings",
        "projection", "roadmap",  # v2 (SPEC §5), score only
    }  # fmt: skip
    assert set(doc["overall"]) == {"score", "reference", "gap", "coverage", "band"}
    assert set(doc["pillars"][0]) == {"id", "name", "score", "reference", "gap", "coverage", "band"}
    assert set(doc["dimensions"][0]) == {"id", "pillar", "name", "score", "reference", "gap", "coverage"}
    assert set(doc["indicators"][0]) == {
        "id", "dimension", "pillar", "name", "type", "answer", "score", "reference", "gap", "weight",
        "priority", "respondents", "spread",
        # v2 (SPEC §5): added, no key changes meaning
        "value", "named", "actor", "applies",
    }  # fmt: skip
    assert set(doc["recommendations"][0]) == {"indicator", "theme", "horizon", "priority", "text"}
    assert {w["code"] for w in doc["warnings"]} >= {"disagreement", "unsupported_claim"}
    for ind in doc["indicators"]:
        if ind["answer"] is None:
            assert ind["score"] is None and ind["gap"] is None and ind["weight"] == 0


def test_vib_against_itself_scores_no_gap() -> None:
    doc = json.loads(runner.invoke(app, ["score", str(sample("vib-reference")), "--format", "json"]).stdout)
    assert doc["overall"]["coverage"] == 1.0
    assert doc["overall"]["gap"] == 0
    assert all(p["gap"] == 0 for p in doc["pillars"])
    assert all(d["gap"] == 0 for d in doc["dimensions"])
    assert all(i["gap"] == 0 for i in doc["indicators"])
    assert doc["recommendations"] == []


def test_fail_under_exits_1() -> None:
    res = runner.invoke(app, ["score", str(sample("provincial")), "--fail-under", "99"])
    assert res.exit_code == 1
    assert runner.invoke(app, ["score", str(sample("provincial")), "--fail-under", "0"]).exit_code == 0


def _first_level_id() -> str:
    """A level indicator of the bundled rubric (whatever its version calls it)."""
    from vibbench.rubric.loader import load_rubric

    return next(i.id for i in load_rubric("vib").indicators() if i.type == "level")


def test_broken_workbook_exits_2_naming_the_cell(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Responses"
    ws.append(["id", "answer"])
    ws.append([_first_level_id(), 9])
    path = tmp_path / "broken.xlsx"
    wb.save(path)
    res = runner.invoke(app, ["score", str(path)])
    assert res.exit_code == 2
    assert "Responses!B2" in res.output and "Traceback" not in res.output


def test_output_is_written_atomically_and_stdout_stays_empty(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    res = runner.invoke(app, ["score", str(sample("shanghai")), "--format", "json", "--output", str(target)])
    assert res.exit_code == 0 and res.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["schema_version"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_csv_is_one_row_per_indicator_and_injection_safe() -> None:
    res = runner.invoke(app, ["score", str(sample("shanghai")), "--format", "csv"])
    assert res.stdout.startswith("\ufeff")  # Excel reads UTF-8 only after a byte-order mark
    rows = list(csv.reader(io.StringIO(res.stdout.removeprefix("\ufeff"))))
    from vibbench.report.csv_format import HEADER

    assert rows[0] == HEADER and rows[0][:2] == ["institution", "year"]
    from vibbench.rubric.loader import load_rubric

    assert len(rows) == 1 + len(list(load_rubric("vib").indicators()))
    from vibbench.report.csv_format import safe_cell

    assert safe_cell("=1+1") == "'=1+1" and safe_cell("-x") == "'-x" and safe_cell(-3.5) == -3.5


def _numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", text)]


def test_explain_reproduces_score_and_priority() -> None:
    book = str(sample("shanghai-biomed-2025"))
    doc = json.loads(runner.invoke(app, ["score", book, "--format", "json"]).stdout)
    ind = max(doc["indicators"], key=lambda i: i["priority"])
    res = runner.invoke(app, ["explain", book, ind["id"]])
    assert res.exit_code == 0, res.output
    text = res.stdout
    norm = next(
        line
        for line in text.splitlines()
        if line.strip().startswith(("s = ", "goalposts")) or "s = 100" in line
    )
    assert _numbers(norm)[-1] == pytest.approx(ind["score"], rel=1e-5)
    prio = next(line for line in text.splitlines() if "priority = W" in line)
    assert _numbers(prio.split("=")[-1])[0] == pytest.approx(ind["priority"], rel=1e-5)
    weight = next(line for line in text.splitlines() if line.strip().startswith("W = "))
    assert _numbers(weight)[-1] == pytest.approx(ind["weight"], rel=1e-5)
    for ident in (ind["dimension"], ind["pillar"]):
        node = runner.invoke(app, ["explain", book, ident, "--lang", "zh"])
        assert node.exit_code == 0 and ident in node.stdout


@pytest.mark.parametrize(("lang", "heading"), [("en", "{} — {} (level)"), ("zh", "{} — {}（等级）")])
def test_explain_names_the_indicator_type_in_its_language(lang: str, heading: str) -> None:
    from vibbench.rubric.loader import load_rubric

    ind_id = _first_level_id()
    name = load_rubric("vib").indicator_map()[ind_id].name.get(lang)
    res = runner.invoke(app, ["explain", str(sample("shanghai")), ind_id, "--lang", lang])
    assert res.exit_code == 0 and res.stdout.splitlines()[0] == heading.format(ind_id, name)


def test_explain_unknown_id_is_exit_2() -> None:
    res = runner.invoke(app, ["explain", str(sample("shanghai")), "NOPE.1"])
    assert res.exit_code == 2 and "NOPE.1" in res.output
