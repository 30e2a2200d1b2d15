"""SPEC §4 (v2), ranking: leaving an answer blank never raises an institution's score or rank under
``--missing zero`` (the default of compare and sensitivity), for any answers and aggregation."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import Indicator, Rubric
from vibbench.scoring.engine import ScoreOptions, score
from vibbench.scoring.ranking import competition_ranks
from vibbench.workbook.model import Answer, Assessment

V2 = Path(__file__).resolve().parents[1] / "fixtures" / "rubrics" / "v2.yaml"
RUBRIC: Rubric = load_rubric(V2, use_cache=False)
INDICATORS = list(RUBRIC.indicators())
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def value_for(ind: Indicator) -> st.SearchStrategy[float]:
    if ind.type == "level":
        return st.integers(RUBRIC.scale.min, RUBRIC.scale.max).map(float)
    if ind.type == "boolean":
        return st.sampled_from([0.0, 1.0])
    return st.floats(0, 99 if ind.range_max else 1e5, allow_nan=False)


answers_st = st.fixed_dictionaries({}, optional={i.id: value_for(i) for i in INDICATORS})


def make(
    name: str, answers: dict[str, float], profile: str | None, na: frozenset[str] = frozenset()
) -> Assessment:
    rows = tuple(
        Answer(i, v, f"Responses!F{n + 2}", "", None, "e") for n, (i, v) in enumerate(answers.items())
    )
    return Assessment(
        "p.xlsx", "0", {"name": name}, rows, profile=profile, research_staff=100.0, not_applicable=na
    )


@SETTINGS
@given(
    answers_st,
    st.lists(answers_st, max_size=4),
    st.sampled_from(["arithmetic", "geometric"]),
    st.sampled_from([None, "institute", "university_tto"]),
    st.data(),
)
def test_blanking_an_answer_never_raises_score_or_rank(
    mine: dict[str, float],
    others: list[dict[str, float]],
    method: str,
    profile: str | None,
    data: st.DataObject,
) -> None:
    assume(mine)
    blank = data.draw(st.sampled_from(sorted(mine)))
    opts = ScoreOptions(missing="zero", aggregation=method)
    # blanked, or marked N/A where the rubric does not allow it: both count as unanswered
    na = frozenset() if RUBRIC.indicator_map()[blank].optional else frozenset({blank})
    honest = score(make("me", mine, profile), RUBRIC, opts)
    blanked = score(make("me", {k: v for k, v in mine.items() if k != blank}, profile, na), RUBRIC, opts)
    assert honest.overall.score is not None and blanked.overall.score is not None
    assert blanked.overall.score <= honest.overall.score + 1e-9
    rest = [score(make(f"o{n}", o, None), RUBRIC, opts).overall.score for n, o in enumerate(others)]
    rank_honest = competition_ranks([honest.overall.score, *rest])[0]
    rank_blanked = competition_ranks([blanked.overall.score, *rest])[0]
    assert rank_honest is not None and rank_blanked is not None
    assert rank_blanked >= rank_honest
