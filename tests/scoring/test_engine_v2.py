"""SPEC §4 (v2): profiles and legitimate N/A leave indicators out; per-staff values; plausibility;
N/A where not allowed; low coverage at 80%."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import Rubric
from vibbench.scoring.engine import score
from vibbench.scoring.result import ScoreOptions
from vibbench.workbook.model import Answer, Assessment

V2 = Path(__file__).resolve().parents[1] / "fixtures" / "rubrics" / "v2.yaml"


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric(V2, use_cache=False)


def inst(*answers: tuple[str, float], **kw: object) -> Assessment:
    rows = tuple(
        Answer(i, float(v), f"Responses!F{n + 2}", str(v), None, "evidence")
        for n, (i, v) in enumerate(answers)
    )
    base = Assessment("t.xlsx", "0" * 64, {"name": "T", "year": "2025"}, rows)
    return dataclasses.replace(base, **kw)  # type: ignore[arg-type]


FULL = (("A.X.1", 2), ("A.X.2", 3), ("A.X.3", 5), ("B.Z.1", 20), ("B.Z.2", 1))


def by_id(result: object) -> dict[str, object]:
    return {r.id: r for r in result.indicators}  # type: ignore[attr-defined]


def test_profile_leaves_indicators_out(rubric: Rubric) -> None:
    """A university TTO is not scored, nor covered, on an institute-only indicator."""
    tto = score(inst(*FULL, profile="university_tto", research_staff=100.0), rubric)
    r = by_id(tto)["A.X.1"]
    assert not r.applies and r.score is None and r.weight == 0 and r.answer is None  # type: ignore[attr-defined]
    assert tto.overall.coverage == pytest.approx(1.0)
    # the same answers without A.X.1 for an institute: the same score as the TTO gets
    without = score(inst(*FULL[1:], research_staff=100.0), rubric, ScoreOptions())
    assert without.overall.coverage < 1.0
    a_tto = next(p for p in tto.pillars if p.id == "A")
    assert a_tto.score is not None
    assert sum(r.weight for r in tto.indicators) == pytest.approx(1.0)  # type: ignore[attr-defined]


def test_default_profile_is_the_first(rubric: Rubric) -> None:
    default = score(inst(*FULL, research_staff=100.0), rubric)
    assert by_id(default)["A.X.1"].applies  # type: ignore[attr-defined]


def test_optional_na_is_left_out_and_other_na_warns(rubric: Rubric) -> None:
    na = score(inst(*FULL[:4], research_staff=100.0, not_applicable=frozenset({"B.Z.2", "A.X.2"})), rubric)
    b = by_id(na)["B.Z.2"]
    assert not b.applies and b.weight == 0  # type: ignore[attr-defined]
    a = by_id(na)["A.X.2"]
    assert a.applies  # type: ignore[attr-defined]
    codes = [(w.code, w.indicator) for w in na.warnings]
    assert ("not_applicable", "B.Z.2") not in codes
    # A.X.2 is not optional: N/A counts as not answered, with a warning (it was answered above too:
    # the answer stands; here drop it)
    na2 = score(
        inst(*FULL[:1], *FULL[2:4], research_staff=100.0, not_applicable=frozenset({"A.X.2"})), rubric
    )
    assert ("not_applicable", "A.X.2") in [(w.code, w.indicator) for w in na2.warnings]
    assert by_id(na2)["A.X.2"].answer is None  # type: ignore[attr-defined]


def test_na_with_missing_zero_never_beats_honest_zero(rubric: Rubric) -> None:
    """Blanking a non-optional item or marking it N/A scores it 0 under --missing zero."""
    zero = ScoreOptions(missing="zero")
    honest = score(inst(*FULL, research_staff=100.0), rubric, zero)
    blanked = score(
        inst(*FULL[:2], *FULL[3:], research_staff=100.0, not_applicable=frozenset({"A.X.3"})), rubric, zero
    )
    assert blanked.overall.score is not None and honest.overall.score is not None
    assert blanked.overall.score <= honest.overall.score


def test_per_research_staff(rubric: Rubric) -> None:
    """A raw total of 20 (万元) with 400 research staff is 5 per 100 staff."""
    result = score(inst(*FULL, research_staff=400.0), rubric)
    r = by_id(result)["B.Z.1"]
    assert r.answer == 20.0 and r.value == pytest.approx(5.0)  # type: ignore[attr-defined]
    # goalposts 0 → 100 per 100 staff
    assert r.score == pytest.approx(5.0)  # type: ignore[attr-defined]


def test_implausible_names_cell_value_range_and_unit(rubric: Rubric) -> None:
    # 1,000,000 (meant as 元) with 100 staff: 1,000,000 per 100 staff, far above 2,000
    result = score(inst(("B.Z.1", 1_000_000), research_staff=100.0), rubric)
    found = [w for w in result.warnings if w.code == "implausible"]
    assert len(found) == 1
    en, zh = found[0].message.get("en"), found[0].message.get("zh")
    assert "Responses!F2" in en and "1,000,000" in en and "0–2,000" in en and "10k CNY" in en
    assert "万元" in zh and "而不是元" in zh and "not CNY" in en
    fine = score(inst(("B.Z.1", 50), research_staff=100.0), rubric)
    assert not [w for w in fine.warnings if w.code == "implausible"]


def test_low_coverage_below_80_percent(rubric: Rubric) -> None:
    partial = score(inst(*FULL[:3], research_staff=100.0), rubric)
    assert partial.overall.coverage < 0.8
    assert "low_coverage" in [w.code for w in partial.warnings]
    full = score(inst(*FULL, research_staff=100.0), rubric)
    assert "low_coverage" not in [w.code for w in full.warnings]


def test_reference_row_is_the_whole_tree_of_the_profile(rubric: Rubric) -> None:
    """The same whoever is compared: not the reference over one institution's answered indicators."""
    from vibbench.scoring.engine import reference_result

    ref = reference_result(rubric)
    assert ref.overall.reference == pytest.approx(100.0)  # VIB at its own level everywhere
    partial = score(inst(("A.X.1", 1), research_staff=100.0), rubric)  # --missing exclude: one indicator
    assert partial.overall.reference == pytest.approx(100.0)
    tto = reference_result(rubric, "university_tto")
    assert {r.id for r in tto.indicators if not r.applies} == {"A.X.1"}
    assert tto.overall.reference is not None
