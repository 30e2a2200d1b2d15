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
import re

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from vibbench.cli import app

GOLDEN = ROOT / "tests" / "golden"
SAMPLE = "samples/academy-institute-2025.xlsx"
WIDTH = 100


def run_score(fmt: str, lang: str, monkeypatch: pytest.MonkeyPatch, width: int = WIDTH) -> str:
    monkeypatch.chdir(ROOT)  # paths in the outputs are as given on the command line
    monkeypatch.setenv("COLUMNS", str(width))  # the table's width when stdout is not a terminal
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


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [60, 80, 140])
def test_terminal_at_60_80_140_columns(width: int, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """SPEC §7: the table at the widths people's terminals have, against golden captures; no line
    wider than the terminal; recommendations at full width, grouped by theme, after the table."""
    from vibbench.report.linebreak import NO_END, NO_START, cells

    got = run_score("table", lang, monkeypatch, width)
    want = golden(f"score_academy-institute-2025_table_{lang}_{width}.txt", got)
    assert got.splitlines() == want.splitlines()
    lines = got.splitlines()
    assert max(cells(ln) for ln in lines) <= width
    recs = lines.index(next(ln for ln in lines if ln.startswith(("Recommendations", "按改革主题"))))
    body = [ln.strip() for ln in lines[recs:] if ln.startswith("    ")]  # continuation lines
    assert all(ln[:1] not in NO_START for ln in body)
    bullets = [ln for ln in lines[recs:] if ln.startswith("  • ")]
    assert bullets and all(ln.rstrip()[-1:] not in NO_END for ln in bullets)
    if width == 140:  # the width is used: the recommendation lines reach well past half of it
        assert max(cells(ln) for ln in bullets) > 100


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
            listed = re.sub(r"_(?:en|zh)_(?:60|80|140)\.", "_{en,zh}_{60,80,140}.", listed)
            assert f"`{listed}`" in readme, f"tests/golden/README.md does not list {path.name}"
