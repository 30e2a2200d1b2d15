"""Properties the scoring must keep for any answers (hypothesis)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.conftest import MINI_RUBRIC
from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import Indicator, Rubric
from vibbench.scoring.engine import ScoreOptions, score
from vibbench.workbook.model import Answer, Assessment

RUBRIC: Rubric = load_rubric(MINI_RUBRIC, use_cache=False)
INDICATORS = list(RUBRIC.indicators())
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def value_for(ind: Indicator) -> st.SearchStrategy[float]:
    if ind.type == "level":
        return st.integers(RUBRIC.scale.min, RUBRIC.scale.max).map(float)
    if ind.type == "boolean":
        return st.sampled_from([0.0, 1.0])
    hi = 100.0 if ind.percent else 1e6
    return st.floats(0, hi, allow_nan=False)


answers_st = st.fixed_dictionaries({}, optional={i.id: value_for(i) for i in INDICATORS})
options_st = st.builds(
    ScoreOptions,
    missing=st.sampled_from(["exclude", "zero"]),
    aggregation=st.sampled_from(["arithmetic", "geometric"]),
)


def make(answers: dict[str, float], order: list[str] | None = None) -> Assessment:
    ids = order if order is not None else list(answers)
    return Assessment(
        "p.xlsx",
        "0",
        {"name": "p"},
        tuple(Answer(i, answers[i], f"Responses!F{n + 2}", "", None, "e") for n, i in enumerate(ids)),
    )


def all_scores(res) -> list[float]:  # type: ignore[no-untyped-def]
    nodes = [res.overall, *res.pillars, *res.dimensions]
    return [n.score for n in nodes if n.score is not None] + [
        r.score for r in res.indicators if r.score is not None
    ]


@SETTINGS
@given(answers_st, options_st)
def test_every_score_within_0_and_100(answers: dict[str, float], opts: ScoreOptions) -> None:
    for s in all_scores(score(make(answers), RUBRIC, opts)):
        assert -1e-9 <= s <= 100 + 1e-9


BY_ID = {i.id: i for i in INDICATORS}


@SETTINGS
@given(answers_st, options_st, st.data(), st.floats(0, 1))
def test_monotone_in_each_answer(
    answers: dict[str, float], opts: ScoreOptions, data: st.DataObject, bump: float
) -> None:
    # Every example asserts: the indicator improved is drawn from those answered (an `if ...:
    # return` here once let a third of the examples pass without checking anything).
    assume(answers)
    ind = BY_ID[data.draw(st.sampled_from(sorted(answers)), label="indicator")]
    before = score(make(answers), RUBRIC, opts).overall.score
    better = dict(answers)
    x = answers[ind.id]
    if ind.type == "level":
        better[ind.id] = min(float(RUBRIC.scale.max), x + 1)
    elif ind.type == "boolean":
        better[ind.id] = 1.0
    elif ind.direction == "higher":
        better[ind.id] = min(100.0, x + bump * 10) if ind.percent else x + bump * 10
    else:
        better[ind.id] = max(0.0, x - bump * 10)
    after = score(make(better), RUBRIC, opts).overall.score
    assert before is not None and after is not None
    assert after >= before - 1e-9


@SETTINGS
@given(answers_st, options_st, st.randoms(use_true_random=False))
def test_independent_of_row_order(answers: dict[str, float], opts: ScoreOptions, rnd) -> None:  # type: ignore[no-untyped-def]
    order = list(answers)
    shuffled = order[:]
    rnd.shuffle(shuffled)
    a = score(make(answers, order), RUBRIC, opts)
    b = score(make(answers, shuffled), RUBRIC, opts)
    assert a.overall.score == b.overall.score or (
        a.overall.score is not None
        and b.overall.score is not None
        and math.isclose(a.overall.score, b.overall.score)
    )
    assert [r.priority for r in a.indicators] == pytest.approx([r.priority for r in b.indicators])


@SETTINGS
@given(answers_st, st.sampled_from(["exclude", "zero"]))
def test_priorities_add_up_to_gap_when_nothing_beats_reference(
    answers: dict[str, float], missing: str
) -> None:
    res = score(make(answers), RUBRIC, ScoreOptions(missing=missing))
    assume(res.overall.gap is not None)
    assume(not any(r.score is not None and r.score > r.reference for r in res.indicators))
    assert sum(r.priority for r in res.indicators) == pytest.approx(res.overall.gap, abs=1e-9)


@SETTINGS
@given(answers_st, options_st)
def test_weights_of_kept_indicators_sum_to_one(answers: dict[str, float], opts: ScoreOptions) -> None:
    res = score(make(answers), RUBRIC, opts)
    if res.overall.score is None:
        assert all(r.weight == 0 for r in res.indicators)
    else:
        assert sum(r.weight for r in res.indicators) == pytest.approx(1.0)


def test_reference_values_score_zero_gap(tmp_path: Path) -> None:
    answers = {i.id: i.reference for i in INDICATORS}
    res = score(make(answers), RUBRIC)
    assert all(r.gap == 0 for r in res.indicators)
    assert res.overall.gap == 0
