"""SPEC §4 (v2) projection and roadmap, §5 ``projection``/``roadmap``: every number is a rescoring.

The hand-checked case (mini rubric, everything answered): pillar A weighs 2/3 and B 1/3; A.X and
A.Y share A; A.X.1 is 2/3 of A.X and A.X.2 1/3; B.Z.1 and B.Z.2 share B.Z.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.conftest import FIXTURES, MINI_RUBRIC, ROOT
from vibbench.cli import app
from vibbench.report import table
from vibbench.report.json_format import plan
from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import Rubric
from vibbench.scoring.engine import score, score_file
from vibbench.scoring.projection import projection, roadmap
from vibbench.scoring.result import Result, ScoreOptions
from vibbench.workbook.model import Answer, Assessment

MINI: Rubric = load_rubric(MINI_RUBRIC, use_cache=False)
V2: Rubric = load_rubric(FIXTURES / "rubrics" / "v2.yaml", use_cache=False)
SAMPLES = sorted((ROOT / "samples").glob("*.xlsx"))
runner = CliRunner()


def inst(*answers: tuple[str, float], **kw: object) -> Assessment:
    rows = tuple(
        Answer(i, float(v), f"Responses!F{n + 2}", str(v), None, "evidence")
        for n, (i, v) in enumerate(answers)
    )
    base = Assessment("t.xlsx", "0" * 64, {"name": "T", "year": 2025}, rows)
    return dataclasses.replace(base, **kw)  # type: ignore[arg-type]


def moved(a: Assessment, **targets: float) -> Assessment:
    """The same institution with the answers of ``targets`` (A_X_1 for A.X.1) replaced."""
    ids = {k.replace("_", "."): v for k, v in targets.items()}
    rows = [x for x in a.answers if x.indicator not in ids]
    rows += [Answer(i, v, "Responses!Z1") for i, v in ids.items()]
    return dataclasses.replace(a, answers=tuple(rows))


def overall(a: Assessment, rubric: Rubric, opts: ScoreOptions | None = None) -> float:
    s = score(a, rubric, opts).overall.score
    assert s is not None
    return s


LN = math.log(11) / math.log(101) * 100  # B.Z.2 = 10 on its log scale (goalposts 0 and 100)
HAND = inst(("A.X.1", 1), ("A.X.2", 20), ("A.Y.1", 10), ("B.Z.1", 0), ("B.Z.2", 10))
"""A.X.1 25, A.X.2 40 (20 of 50), A.Y.1 50 (10 years, goalposts 15 → 5), B.Z.1 0, B.Z.2 LN."""


def mini_overall(x1: float, x2: float, y1: float, z1: float, z2: float) -> float:
    return 2 / 3 * (1 / 2 * (2 / 3 * x1 + 1 / 3 * x2) + 1 / 2 * y1) + 1 / 3 * (1 / 2 * z1 + 1 / 2 * z2)


def test_projection_equals_rescoring_by_hand() -> None:
    result = score(HAND, MINI)
    now = mini_overall(25, 40, 50, 0, LN)
    assert result.overall.score == pytest.approx(now)
    # quick wins: A.X.1 1 → 2 ("Start small", while below 2) and B.Z.1 no → yes;
    # 1–3 years: A.X.2 → 50% and A.Y.1 → every 5 years; structural: B.Z.2 → 100 and A.X.1's
    # structural step, whose target (the next level up, 2) the quick win already reached
    want = [
        mini_overall(50, 40, 50, 100, LN),
        mini_overall(50, 100, 100, 100, LN),
        mini_overall(50, 100, 100, 100, 100),
    ]
    phases = projection(result)
    assert [p.phase for p in phases] == ["quick_win", "medium", "structural"]
    assert [p.score for p in phases] == pytest.approx(want)
    assert [p.gain for p in phases] == pytest.approx([w - now for w in want])
    assert [p.band for p in phases] == [MINI.band_for(w) for w in want]
    # and the same as rescoring an assessment moved by hand, exactly
    by_hand = [
        moved(HAND, A_X_1=2, B_Z_1=1),
        moved(HAND, A_X_1=2, B_Z_1=1, A_X_2=50, A_Y_1=5),
        moved(HAND, A_X_1=2, B_Z_1=1, A_X_2=50, A_Y_1=5, B_Z_2=100),
    ]
    assert [p.score for p in phases] == [overall(a, MINI) for a in by_hand]


def test_projection_is_not_the_sum_of_priorities() -> None:
    result = score(HAND, MINI)
    last = projection(result)[-1]
    assert last.gain is not None
    # every indicator reaches VIB except A.X.1, which moves one level only
    assert last.gain < sum(r.priority for r in result.indicators)


def test_level_step_two_to_three_is_worth_its_rescored_gain() -> None:
    """The issue's example: a level step 2 → 3 printed with the points for reaching VIB (4)."""
    a = inst(("A.X.1", 2), ("A.X.2", 50), ("A.Y.1", 5), ("B.Z.1", 1), ("B.Z.2", 100))
    result = score(a, MINI)
    [step] = roadmap(result)  # "Start small" applies only below 2
    w = 2 / 3 * 1 / 2 * 2 / 3  # A.X.1's effective weight, nothing renormalised
    assert (step.indicator, step.horizon, step.now, step.target) == ("A.X.1", "structural", 2.0, 3.0)
    assert step.points == pytest.approx(w * 25)  # one level of a 0–4 scale is 25 points
    assert step.points == pytest.approx(overall(moved(a, A_X_1=3), MINI) - overall(a, MINI))
    assert result.recommendations[0].priority == pytest.approx(w * 50)  # what the report used to print


def test_roadmap_steps_say_who_where_and_how_far() -> None:
    result = score(HAND, MINI)
    steps = roadmap(result)
    assert [(s.indicator, s.horizon) for s in steps] == [
        (r.indicator, r.horizon) for r in result.recommendations
    ]
    now = overall(HAND, MINI)
    targets = {"A.X.1": 2.0, "A.X.2": 50.0, "A.Y.1": 5.0, "B.Z.1": 1.0, "B.Z.2": 100.0}
    for s in steps:
        assert s.target == targets[s.indicator]
        assert s.now == {a.indicator: a.value for a in HAND.answers}[s.indicator]
        assert s.actor == "institution"
        one = moved(HAND, **{s.indicator.replace(".", "_"): s.target})
        assert s.points == pytest.approx(overall(one, MINI) - now)
        assert s.points > 0
    # both of A.X.1's steps aim at the next level and are worth the same
    assert [s.points for s in steps if s.indicator == "A.X.1"] == pytest.approx(
        [2 / 3 * 1 / 2 * 2 / 3 * 25] * 2
    )


def test_a_median_between_levels_goes_to_the_next_whole_level() -> None:
    a = inst(("A.X.1", 1), ("A.X.1", 2), ("A.X.2", 50), ("A.Y.1", 5), ("B.Z.1", 1), ("B.Z.2", 100))
    result = score(a, MINI)
    assert {(s.now, s.target) for s in roadmap(result)} == {(1.5, 2.0)}
    assert projection(result)[-1].score == overall(moved(a, A_X_1=2), MINI)


def test_unanswered_level_aims_at_the_scale_minimum_plus_one() -> None:
    a = inst(("A.X.2", 50), ("A.Y.1", 5), ("B.Z.1", 1), ("B.Z.2", 100))
    opts = ScoreOptions(missing="zero")
    result = score(a, MINI, opts)
    steps = roadmap(result)
    assert {(s.indicator, s.now, s.target) for s in steps} == {("A.X.1", None, 1.0)}
    after = overall(moved(a, A_X_1=1), MINI, opts)
    assert steps[0].points == pytest.approx(after - overall(a, MINI, opts))
    assert [p.score for p in projection(result)] == [after, after, after]  # quick win, then nothing new


def test_per_staff_step_targets_the_raw_total() -> None:
    """B.Z.1's reference is 100 per 100 research staff: with 50 staff the target is a total of 50."""
    a = inst(("A.X.1", 4), ("A.X.2", 5), ("A.X.3", 5), ("B.Z.1", 20), ("B.Z.2", 1), research_staff=50.0)
    result = score(a, V2)
    [step] = roadmap(result)
    assert (step.indicator, step.now, step.target) == ("B.Z.1", 20.0, 50.0)
    # 20 of 50 staff is 40 per 100 (score 40); at 50 it is VIB's 100; B.Z.1 is 1/2 · 1/2 of the total
    assert step.points == pytest.approx(1 / 4 * 60)
    assert [p.score for p in projection(result)] == pytest.approx(
        [result.overall.score, result.overall.score, 100]
    )


def test_profile_and_legitimate_na_stay_out_of_the_rescoring() -> None:
    a = inst(
        ("A.X.2", 1),
        ("A.X.3", 99),
        ("B.Z.1", 30),
        profile="university_tto",
        research_staff=200.0,
        not_applicable=frozenset({"B.Z.2"}),
    )
    result = score(a, V2)
    steps = roadmap(result)
    assert {s.indicator for s in steps} == {"A.X.2", "A.X.3", "B.Z.1"}  # A.X.1 is not for TTOs
    assert {s.indicator: s.actor for s in steps}["A.X.2"] == "funder"
    assert {s.indicator: s.target for s in steps}["B.Z.1"] == 200.0
    assert projection(result)[-1].score == overall(moved(a, A_X_2=5, A_X_3=5, B_Z_1=200), V2) == 100


def test_geometric_aggregation_is_rescored_too() -> None:
    opts = ScoreOptions(aggregation="geometric")
    result = score(HAND, MINI, opts)
    phases = projection(result)
    by_hand = [
        moved(HAND, A_X_1=2, B_Z_1=1),
        moved(HAND, A_X_1=2, B_Z_1=1, A_X_2=50, A_Y_1=5),
        moved(HAND, A_X_1=2, B_Z_1=1, A_X_2=50, A_Y_1=5, B_Z_2=100),
    ]
    assert [p.score for p in phases] == [overall(a, MINI, opts) for a in by_hand]
    now = overall(HAND, MINI, opts)
    for s in roadmap(result):
        one = moved(HAND, **{s.indicator.replace(".", "_"): s.target})
        assert s.points == pytest.approx(overall(one, MINI, opts) - now)
    # not the arithmetic projection under another name
    assert phases[0].score != pytest.approx(projection(score(HAND, MINI))[0].score)


def test_institution_at_vib_has_no_steps_and_projects_to_now() -> None:
    a = inst(("A.X.1", 4), ("A.X.2", 50), ("A.Y.1", 5), ("B.Z.1", 1), ("B.Z.2", 100))
    result = score(a, MINI)
    assert roadmap(result) == []
    now = result.overall
    assert [(p.score, p.band, p.gain) for p in projection(result)] == [(now.score, now.band, 0.0)] * 3
    text = table.render(result, "en", width=200)
    assert "Projection" in text and "no roadmap step changes it" in text and "quick wins" not in text


ANSWER = {
    "A.X.1": st.integers(0, 4).map(float),
    "A.X.2": st.floats(0, 100),
    "A.Y.1": st.floats(0, 30),
    "B.Z.1": st.sampled_from([0.0, 1.0]),
    "B.Z.2": st.floats(0, 1000),
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    answers=st.fixed_dictionaries({}, optional=ANSWER),
    missing=st.sampled_from(["exclude", "zero"]),
    aggregation=st.sampled_from(["arithmetic", "geometric"]),
    top=st.integers(1, 10),
)
def test_projection_is_monotone(answers: dict[str, float], missing: str, aggregation: str, top: int) -> None:
    result = score(inst(*answers.items()), MINI, ScoreOptions(missing, aggregation, top))
    phases = projection(result)
    now = result.overall.score
    if now is None:  # nothing to score, nothing to recommend
        assert [p.score for p in phases] == [None] * 3 and roadmap(result) == []
        return
    scores = [now] + [p.score for p in phases]
    assert all(a is not None and b is not None and b >= a - 1e-9 for a, b in itertools.pairwise(scores))
    assert all(s.points >= -1e-9 for s in roadmap(result))


@pytest.mark.parametrize("book", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_samples_projection_is_monotone_and_steps_match_their_target(book: Path) -> None:
    result = score_file(book, "vib")
    scores = [result.overall.score] + [p.score for p in projection(result)]
    assert all(b is not None and a is not None and b >= a - 1e-9 for a, b in itertools.pairwise(scores))
    for s in roadmap(result):
        ind = next(r for r in result.indicators if r.id == s.indicator).indicator
        if ind.type == "level":
            assert s.now is not None and s.target == min(math.floor(s.now) + 1, ind.reference)
        assert s.points > 0


# ---- §5 JSON and the terminal line ----


def academy() -> Result:
    return score_file(next(p for p in SAMPLES if p.name.startswith("academy")), "vib")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_score_json_has_projection_and_roadmap(lang: str) -> None:
    book = next(p for p in SAMPLES if p.name.startswith("academy"))
    res = runner.invoke(app, ["score", str(book), "--format", "json", "--lang", lang])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    result = academy()
    assert doc["projection"] == [
        {"phase": p.phase, "score": p.score, "band": p.band.id if p.band else None, "gain": p.gain}
        for p in projection(result)
    ]  # unrounded
    assert [set(p) for p in doc["projection"]] == [{"phase", "score", "band", "gain"}] * 3
    steps = roadmap(result)
    assert doc["roadmap"] and len(doc["roadmap"]) == len(steps) == len(doc["recommendations"])
    for got, s in zip(doc["roadmap"], steps, strict=True):
        assert set(got) == {"indicator", "theme", "horizon", "actor", "now", "target", "points", "text"}
        assert (got["indicator"], got["now"], got["target"], got["points"]) == (
            s.indicator,
            s.now,
            s.target,
            s.points,
        )
        assert got["text"] == s.text.get(lang)
    assert plan(result, lang)["roadmap"] == doc["roadmap"]


def test_compare_json_has_neither() -> None:
    res = runner.invoke(app, ["compare", *map(str, SAMPLES[:2]), "--format", "json"])
    assert res.exit_code == 0, res.output
    for item in json.loads(res.stdout)["institutions"]:
        assert "projection" not in item and "roadmap" not in item and "recommendations" in item


def test_terminal_line_in_english() -> None:
    result = score(HAND, MINI)
    p = projection(result)
    # 35.3 developing → 57.5 established → 80.9 leading → 88.9 leading: a band is named where it changes
    assert [b.id if b else None for b in [result.overall.band, *(x.band for x in p)]] == [
        "developing",
        "established",
        "leading",
        "leading",
    ]
    text = table.render(result, "en", width=200)
    line = next(x for x in text.splitlines() if x.startswith("Projection"))
    assert line.split(None, 1)[1].rstrip() == (
        f"now {result.overall.score:.1f} (Developing) → quick wins {p[0].score:.1f} (Established) → "
        f"1–3 years {p[1].score:.1f} (Leading) → structural {p[2].score:.1f}"
    )
    overall_line = next(n for n, x in enumerate(text.splitlines()) if x.startswith("Overall"))
    assert text.splitlines()[overall_line + 1] == line  # right under the overall line


def test_terminal_line_in_chinese() -> None:
    result = score(HAND, MINI)
    p = projection(result)
    text = table.render(result, "zh", width=200)
    line = next(x for x in text.splitlines() if x.startswith("得分预测"))
    assert line.split(None, 1)[1].rstrip() == (
        f"当前 {result.overall.score:.1f}（发展） → 近期举措后 {p[0].score:.1f}（成熟） → "
        f"1–3 年后 {p[1].score:.1f}（领先） → 结构性改革后 {p[2].score:.1f}"
    )
    at_vib = score(inst(("A.X.1", 4), ("A.X.2", 50), ("A.Y.1", 5), ("B.Z.1", 1), ("B.Z.2", 100)), MINI)
    assert "路线图中没有可提升得分的举措" in table.render(at_vib, "zh", width=200)
