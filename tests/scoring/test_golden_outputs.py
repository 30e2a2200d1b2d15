"""Golden files of `vibbench score` in the table, CSV and Markdown-summary formats (the JSON one
is tests/scoring/test_snapshot.py; the report's, tests/report/test_document.py): any change
to what a reader sees is a deliberate one.

Regenerate, after checking that the change is meant, with::

    VIBBENCH_UPDATE_GOLDEN=1 python -m pytest tests/scoring/test_golden_outputs.py

and review the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import csv
import io
import os

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from vibbench.cli import app

GOLDEN = ROOT / "tests" / "golden"
SAMPLE = "samples/academy-institute-2025.xlsx"
WIDTH = 100


def run_score(fmt: str, lang: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(ROOT)  # paths in the outputs are as given on the command line
    monkeypatch.setenv("COLUMNS", str(WIDTH))  # the table's width when stdout is not a terminal
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    res = CliRunner().invoke(app, ["score", SAMPLE, "--format", fmt, "--lang", lang])
    assert res.exit_code == 0, res.output
    return res.stdout


def golden(name: str, text: str) -> str:
    path = GOLDEN / name
    if os.environ.get("VIBBENCH_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8", newline="\n")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("fmt", "ext"), [("table", "txt"), ("markdown", "md")])
def test_text_outputs_match_golden(fmt: str, ext: str, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    got = run_score(fmt, lang, monkeypatch)
    want = golden(f"score_academy-institute-2025_{fmt}_{lang}.{ext}", got)
    assert got.splitlines() == want.splitlines()
    assert got.endswith("\n")


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def same_cell(got: str, want: str) -> bool:
    """Equal, numbers to 1e-12 (a libm may differ in the last bit)."""
    if got == want:
        return True
    try:
        return float(got) == pytest.approx(float(want), rel=1e-12, abs=1e-12)
    except ValueError:
        return False


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_csv_matches_golden(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    got = run_score("csv", lang, monkeypatch)
    want = golden(f"score_academy-institute-2025_csv_{lang}.csv", got)
    got_rows, want_rows = rows(got), rows(want)
    assert len(got_rows) == len(want_rows)
    for n, (g, w) in enumerate(zip(got_rows, want_rows, strict=True)):
        assert len(g) == len(w), n
        assert all(same_cell(a, b) for a, b in zip(g, w, strict=True)), (n, g, w)


def test_golden_files_are_documented() -> None:
    readme = (GOLDEN / "README.md").read_text(encoding="utf-8")
    assert "VIBBENCH_UPDATE_GOLDEN=1" in readme
    for path in GOLDEN.iterdir():
        if path.name != "README.md":
            listed = path.name.replace("_en.", "_{en,zh}.").replace("_zh.", "_{en,zh}.")
            assert f"`{listed}`" in readme, f"tests/golden/README.md does not list {path.name}"
