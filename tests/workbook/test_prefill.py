"""``template --prefill`` (SPEC §1, v2): a workbook filled for an older rubric version moves forward."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from vibbench.cli import app
from vibbench.rubric.loader import load_rubric
from vibbench.scoring.engine import score
from vibbench.workbook.prefill import prefilled_template
from vibbench.workbook.reader import read_assessment
from vibbench.workbook.template import build_template, workbook_bytes

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "rubrics" / "mini.yaml"

NEWER = f"""
schema_version: 1
id: mini
version: "2"
title: {{en: Mini rubric v2, zh: 迷你框架第二版}}
extends: {MINI}
remove: [A.Y.1]
pillars:
  - id: B
    dimensions:
      - id: B.Z
        indicators:
          - id: B.Z.3
            name: {{en: New question, zh: 新问题}}
            type: boolean
            reference: true
            source: test 2026
"""


def filled_old(tmp_path: Path) -> Path:
    """A workbook of the old rubric, filled: a group answer, evidence, a comment, institution values."""
    old = load_rubric(MINI, use_cache=False)
    wb = build_template(old, "en", copies={"A.X.1": 2})
    ws = wb["Responses"]
    values = {
        2: ("A.X.1", 3, "Ann", "charter 2024", "=not a formula"),
        3: ("A.X.1", 2, "Bob", "", ""),
        4: ("A.X.2", 35, None, "", ""),
        5: ("A.Y.1", 7, None, "review report", ""),
        6: ("B.Z.1", "yes", None, "", ""),
    }
    cols = {"answer": 6, "evidence": 8, "comment": 9, "respondent": 10}
    for r, (ident, answer, who, evidence, comment) in values.items():
        assert ws.cell(row=r, column=1).value == ident
        ws.cell(row=r, column=cols["answer"], value=answer)
        if who:
            ws.cell(row=r, column=cols["respondent"], value=who)
        if evidence:
            ws.cell(row=r, column=cols["evidence"], value=evidence)
        if comment:
            ws.cell(row=r, column=cols["comment"], value=comment).data_type = "s"
    inst = wb["Institution"]
    inst.cell(row=2, column=2, value="Old Institute")
    inst.cell(row=5, column=2, value="2025")
    path = tmp_path / "old.xlsx"
    path.write_bytes(workbook_bytes(wb))
    return path


def test_prefill_carries_answers_into_a_newer_rubric(tmp_path: Path) -> None:
    old_path = filled_old(tmp_path)
    newer = tmp_path / "newer.yaml"
    newer.write_text(NEWER, encoding="utf-8")
    rubric = load_rubric(newer, use_cache=False)
    carried = prefilled_template(rubric, old_path, "en")
    assert carried.dropped == ("A.Y.1",)
    assert set(carried.new) == {"B.Z.2", "B.Z.3"}
    out = tmp_path / "new.xlsx"
    out.write_bytes(carried.data)
    a = read_assessment(out, rubric)
    got = sorted((x.indicator, x.value, x.respondent, x.evidence, x.comment) for x in a.answers)
    assert got == [
        ("A.X.1", 2.0, "Bob", "", ""),
        ("A.X.1", 3.0, "Ann", "charter 2024", "=not a formula"),
        ("A.X.2", 35.0, None, "", ""),
        ("B.Z.1", 1.0, None, "", ""),
    ]
    assert a.name == "Old Institute" and a.year == 2025
    assert score(a, rubric).overall.score is not None


def test_prefill_on_the_command_line(tmp_path: Path) -> None:
    old_path = filled_old(tmp_path)
    out = tmp_path / "again.xlsx"
    result = CliRunner().invoke(
        app, ["template", "--rubric", str(MINI), "--prefill", str(old_path), "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "carried 5 answer rows" in result.stderr and "B.Z.2" in result.stderr
    again = read_assessment(out, load_rubric(MINI, use_cache=False))
    assert len(again.answers) == 5
