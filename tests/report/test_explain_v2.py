"""``explain`` (SPEC §1, v2): ids in any case, the nearest ids for an unknown one, the descriptors of
the answered and reference levels, the reference's source, and the per-staff conversion."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from vibbench.errors import UsageError
from vibbench.report.explain import explain
from vibbench.rubric.loader import load_rubric
from vibbench.scoring.engine import score
from vibbench.workbook.model import Answer, Assessment

V2 = Path(__file__).resolve().parents[1] / "fixtures" / "rubrics" / "v2.yaml"


def result() -> object:
    rubric = load_rubric(V2, use_cache=False)
    answers = (
        Answer("A.X.1", 2.0, "Responses!F2", "2", None, "charter"),
        Answer("B.Z.1", 20.0, "Responses!F5", "20", None, ""),
        Answer("A.X.3", 99.0, "Responses!F4", "从未开展", None, ""),
    )
    a = Assessment("t.xlsx", "0" * 64, {"name": "T"}, answers)
    return score(dataclasses.replace(a, research_staff=400.0), rubric)


def test_ids_in_any_case() -> None:
    assert explain(result(), "a.x.1") == explain(result(), "A.X.1")  # type: ignore[arg-type]


def test_unknown_id_suggests_the_nearest() -> None:
    with pytest.raises(UsageError) as info:
        explain(result(), "A.X.9")  # type: ignore[arg-type]
    fix = info.value.problems[0].fix
    assert "did you mean" in fix.get("en") and "A.X.1" in fix.get("en")
    assert "是否要查看" in (fix.zh or "")


def test_descriptors_source_and_conversion() -> None:
    level = explain(result(), "A.X.1", "en")  # type: ignore[arg-type]
    assert "answered level 2: half" in level and "reference level 4: all" in level
    assert "Source of the reference: test" in level
    per = explain(result(), "B.Z.1", "zh")  # type: ignore[arg-type]
    assert "100 × 20 / 400 = 5" in per
    named = explain(result(), "A.X.3", "zh")  # type: ignore[arg-type]
    assert "从未开展" in named
