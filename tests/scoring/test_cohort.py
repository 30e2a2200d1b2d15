"""The cohort analysis behind compare's commission report and sensitivity's verdicts (issue 15)."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import Rubric
from vibbench.scoring.cohort import (
    RankSpan,
    cohort_verdict,
    data_quality,
    dimension_matrix,
    rank_verdict,
    shared_gaps,
)
from vibbench.scoring.engine import score
from vibbench.scoring.result import Result, ScoreOptions, ScoreWarning
from vibbench.text import T
from vibbench.workbook.model import Answer, Assessment

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rubrics"

# Every mini-rubric indicator at VIB's answer: no gap anywhere.
AT_REFERENCE = {"A.X.1": 4.0, "A.X.2": 50.0, "A.Y.1": 5.0, "B.Z.1": 1.0, "B.Z.2": 100.0}


@pytest.fixture(scope="module")
def mini() -> Rubric:
    return load_rubric(FIXTURES / "mini.yaml", use_cache=False)


def _answers(values: dict[str, float], evidence: str = "board minutes 2024") -> tuple[Answer, ...]:
    return tuple(
        Answer(ident, v, f"Responses!F{n + 2}", f"{v:g}", None, evidence)
        for n, (ident, v) in enumerate(values.items())
    )


def _result(rubric: Rubric, name: str, year: int = 2025, top: int = 10, **changes: float) -> Result:
    values = {**AT_REFERENCE, **{k.replace("_", "."): v for k, v in changes.items()}}
    a = Assessment(f"{name}.xlsx", "0" * 64, {"name": name, "year": year}, _answers(values))
    return score(a, rubric, ScoreOptions(top=top))


# --- shared gaps ----------------------------------------------------------------------------------


def test_shared_gaps_rank_by_how_many_institutions_share_them(mini: Rubric) -> None:
    # B.Z.1 is missing at all three institutes, A.X.1 at two of them: with top 2, B.Z.1 is shared by 3.
    results = [
        _result(mini, "North", A_X_1=0, B_Z_1=0),
        _result(mini, "South", A_X_1=1, B_Z_1=0),
        _result(mini, "East", B_Z_1=0),
    ]
    gaps = shared_gaps(results, top=2)
    assert [g.indicator for g in gaps] == ["B.Z.1", "A.X.1"]
    first, second = gaps
    assert (first.count, second.count) == (3, 2)
    assert first.share == pytest.approx(1.0)
    assert second.share == pytest.approx(2 / 3)
    # points are the priorities summed over the cohort, their mean over all institutions
    expected = sum(next(i.priority for i in r.indicators if i.id == "A.X.1") for r in results)
    assert second.total_points == pytest.approx(expected)
    assert second.mean_points == pytest.approx(expected / 3)
    assert expected > 0
    # names and the rubric's recommendation texts travel with the indicator
    assert second.name.get("zh") == "等级"
    assert [t.get("en") for t in second.recommendations] == ["Do the big thing", "Start small"]


def test_equal_counts_are_ordered_by_points_lost(mini: Rubric) -> None:
    # A.X.1 at level 0 costs more than A.Y.1 slightly off; both are in one top-2 list.
    results = [_result(mini, "Only", A_X_1=0, A_Y_1=6)]
    gaps = shared_gaps(results, top=2)
    assert [g.count for g in gaps] == [1, 1]
    assert gaps[0].total_points > gaps[1].total_points
    assert gaps[0].indicator == "A.X.1"


def test_shared_gaps_only_list_top_priorities(mini: Rubric) -> None:
    results = [_result(mini, "One", A_X_1=0, B_Z_1=0, A_Y_1=6)]
    tops = {i.id for i in results[0].top_priorities(1)}
    assert {g.indicator for g in shared_gaps(results, top=1)} == tops
    assert shared_gaps([], top=3) == []
    assert shared_gaps(results, top=0) == []
    # an institution at VIB's answers everywhere has no priorities at all
    assert shared_gaps([_result(mini, "Perfect")], top=5) == []


# --- data quality ---------------------------------------------------------------------------------


def test_data_quality_counts_claims_disagreements_and_not_applicable(mini: Rubric) -> None:
    answers = (
        # two respondents four levels apart, both claiming level >= 3 without evidence on one
        Answer("A.X.1", 4.0, "Responses!F2", "4", "dean", ""),
        Answer("A.X.1", 0.0, "Responses!G2", "0", "finance", ""),
        Answer("A.X.2", 50.0, "Responses!F3", "50", None, "report"),
    )
    a = Assessment(
        "q.xlsx", "0" * 64, {"name": "Q", "year": 2024}, answers, not_applicable=frozenset({"B.Z.1"})
    )
    q = data_quality(score(a, mini))
    assert (q.name, q.year) == ("Q", 2024)
    assert q.unsupported_claims == 1
    assert q.disagreements == 1
    assert q.not_applicable == 1
    assert q.implausible == 0
    assert q.low_coverage  # two of five indicators answered
    assert 0 < q.coverage < 0.8


def test_data_quality_of_a_complete_well_evidenced_workbook_is_clean(mini: Rubric) -> None:
    q = data_quality(_result(mini, "Clean"))
    assert q.coverage == pytest.approx(1.0)
    assert not q.low_coverage
    assert (q.unsupported_claims, q.disagreements, q.implausible, q.inconsistent, q.not_applicable) == (
        0,
        0,
        0,
        0,
        0,
    )


def test_data_quality_counts_implausible_values() -> None:
    rubric = load_rubric(FIXTURES / "v2.yaml", use_cache=False)
    # 1,000 (10k CNY) with 10 research staff is 10,000 per 100 staff: outside plausible 0–2,000
    a = Assessment(
        "v.xlsx",
        "0" * 64,
        {"name": "V", "year": 2025},
        (Answer("B.Z.1", 1000.0, "Responses!F5", "1000", None, "audit"),),
        research_staff=10.0,
    )
    result = score(a, rubric)
    assert any(w.code == "implausible" for w in result.warnings)
    assert data_quality(result).implausible == 1


def test_data_quality_counts_each_warning_of_a_kind(mini: Rubric) -> None:
    result = _result(mini, "W")
    extra = (
        ScoreWarning("unsupported_claim", T("x", "x"), "A.X.1"),
        ScoreWarning("unsupported_claim", T("y", "y"), "A.X.2"),
        ScoreWarning("inconsistent", T("z", "z"), "B.Z.2"),
        ScoreWarning("rubric_drift", T("d", "d")),
    )
    q = data_quality(dataclasses.replace(result, warnings=extra))
    assert (q.unsupported_claims, q.inconsistent, q.disagreements) == (2, 1, 0)


# --- dimensions × institutions --------------------------------------------------------------------


def test_dimension_matrix_has_one_row_per_institution_in_order(mini: Rubric) -> None:
    results = [_result(mini, "B", A_X_1=0), _result(mini, "A", year=2026)]
    m = dimension_matrix(results)
    assert [c.id for c in m.columns] == [d.id for p in mini.pillars for d in p.dimensions]
    assert [c.reference for c in m.columns] == [d.reference for d in results[0].dimensions]
    assert [(r.name, r.year) for r in m.rows] == [("B", 2025), ("A", 2026)]
    for row, res in zip(m.rows, results, strict=True):
        assert row.scores == tuple(d.score for d in res.dimensions)
    assert m.rows[0].scores[0] is not None and m.rows[0].scores[0] < m.rows[1].scores[0]  # type: ignore[operator]
    empty = dimension_matrix([])
    assert (empty.columns, empty.rows) == ((), ())


# --- verdicts -------------------------------------------------------------------------------------


def test_rank_verdict_says_the_median_rank_and_its_range() -> None:
    v = rank_verdict(1.6, 3.0, 5.4)
    assert v.en == "rank 3 (5–95%: 2–5)"
    assert v.zh == "第 3 名（5–95% 区间：第 2–5 名）"
    # halves go to the worse rank, not to the even one (2.5 is rank 3, 4.5 is rank 5)
    assert rank_verdict(2.5, 2.5, 4.5).en == "rank 3 (5–95%: 3–5)"
    steady = rank_verdict(1.0, 1.0, 1.0)
    assert (steady.en, steady.zh) == ("rank 1 (5–95%: 1)", "第 1 名（5–95% 区间：第 1 名）")
    assert rank_verdict(None, None, None).en.startswith("no rank")


def test_cohort_verdict_names_the_ranks_that_cannot_be_told_apart() -> None:
    spans = [
        RankSpan("A", 1, 1, 1),
        RankSpan("B", 2, 2, 2),
        RankSpan("C", 3, 3.2, 4.4),
        RankSpan("D", 3.6, 4.8, 5),
        RankSpan("E", 5, 5.3, 5.6),
        RankSpan("F", 6.8, 7, 7),
        RankSpan("G", 7, 7.6, 8),
        RankSpan("H", 9, 9, 9),
    ]
    v = cohort_verdict(spans, spread=0.2)
    assert [(t.first, t.last, t.names) for t in v.ties] == [(3, 5, ("C", "D", "E")), (6, 7, ("F", "G"))]
    assert "ranks 3–5 cannot be told apart (C, D, E)" in v.text.en
    assert "±20%" in v.text.en
    assert (
        v.text.zh == "在当前权重扰动幅度（±20%）下，第 3–5 名无法区分（C、D、E）；第 6–7 名无法区分（F、G）。"
    )
    # the order the institutions come in does not matter
    shuffled = spans[:]
    random.Random(4).shuffle(shuffled)
    assert cohort_verdict(shuffled, spread=0.2) == v


def test_cohort_verdict_when_every_rank_holds() -> None:
    v = cohort_verdict([RankSpan("A", 1, 1, 1), RankSpan("B", 2, 2, 2), RankSpan("C", None, None, None)])
    assert v.ties == ()
    assert "Every rank holds" in v.text.en
    assert (v.text.zh or "").endswith("都不重叠。")
    assert cohort_verdict([]).text.en == "No institution has a rank."


def test_cohort_verdict_groups_are_exactly_the_overlapping_ranges() -> None:
    """Generated cohorts: two institutions share a group if and only if a chain of overlapping 5–95%
    ranges joins them, and groups hold consecutive places by median rank."""
    rng = random.Random(15)
    for _ in range(200):
        n = rng.randint(1, 12)
        spans = []
        for k in range(n):
            lo = rng.uniform(1, n)
            hi = min(n, lo + rng.choice([0, 0, 0.4, 1, 2.5]))
            spans.append(RankSpan(f"I{k}", lo, rng.uniform(lo, hi), hi))
        v = cohort_verdict(spans)
        group_of = {name: g for g, t in enumerate(v.ties) for name in t.names}

        def whole(x: float) -> int:
            return int(x + 0.5)

        by_name = {s.name: s for s in spans}

        def overlap(sa: RankSpan, sb: RankSpan) -> bool:
            return whole(sa.p5 or 0) <= whole(sb.p95 or 0) and whole(sb.p5 or 0) <= whole(sa.p95 or 0)

        for a in by_name:
            for b in by_name:
                if a != b and overlap(by_name[a], by_name[b]):
                    assert a in group_of and group_of.get(a) == group_of.get(b)
        order = sorted(spans, key=lambda s: (s.p50 or 0, s.name))
        for t in v.ties:
            places = sorted(order.index(by_name[name]) + 1 for name in t.names)
            assert places == list(range(t.first, t.last + 1))
