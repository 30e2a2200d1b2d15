"""The vectorised sensitivity analysis agrees with the engine, brackets the nominal score, is reproducible."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest

from tests.conftest import MINI_RUBRIC
from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import Rubric
from vibbench.scoring.engine import ScoreOptions, score
from vibbench.scoring.sensitivity import Structure, analyse, matrices, ranks_of, simulate
from vibbench.workbook.model import Answer, Assessment

RUBRIC = load_rubric(MINI_RUBRIC, use_cache=False)


def random_assessments(n: int, seed: int = 3) -> list[Assessment]:
    rnd = random.Random(seed)
    out = []
    for k in range(n):
        answers = []
        for ind in RUBRIC.indicators():
            if rnd.random() < 0.2:
                continue  # unanswered
            if ind.type == "level":
                v = float(rnd.randint(0, 4))
            elif ind.type == "boolean":
                v = float(rnd.randint(0, 1))
            else:
                v = rnd.uniform(0, 100 if ind.percent else 200)
            answers.append(Answer(ind.id, v, "Responses!F2", "", None, "e"))
        out.append(Assessment(f"{k}.xlsx", "0", {"name": f"I{k}", "year": "2025"}, tuple(answers)))
    return out


def reweighted(rubric: Rubric, fi: np.ndarray, fd: np.ndarray, fp: np.ndarray) -> Rubric:
    ki = kd = 0
    pillars = []
    for pn, p in enumerate(rubric.pillars):
        dims = []
        for d in p.dimensions:
            inds = []
            for i in d.indicators:
                inds.append(dataclasses.replace(i, weight=i.weight * float(fi[ki])))
                ki += 1
            dims.append(dataclasses.replace(d, weight=d.weight * float(fd[kd]), indicators=tuple(inds)))
            kd += 1
        pillars.append(dataclasses.replace(p, weight=p.weight * float(fp[pn]), dimensions=tuple(dims)))
    return dataclasses.replace(rubric, pillars=tuple(pillars))


@pytest.mark.parametrize("aggregation", ["arithmetic", "geometric"])
@pytest.mark.parametrize("missing", ["exclude", "zero"])
def test_one_sample_equals_engine_with_those_weights(aggregation: str, missing: str) -> None:
    opts = ScoreOptions(missing=missing, aggregation=aggregation)
    assessments = random_assessments(12)
    results = [score(a, RUBRIC, opts) for a in assessments]
    st = Structure.of(RUBRIC)
    s, r, m = matrices(results, st)
    rng = np.random.default_rng(7)
    fi, fd, fp = (
        rng.uniform(0.5, 1.5, (3, len(st.wi))),
        rng.uniform(0.5, 1.5, (3, len(st.wd))),
        rng.uniform(0.5, 1.5, (3, len(st.wp))),
    )
    overall, oref, priority = simulate(s, r, m, st, fi, fd, fp, aggregation)
    for n in range(3):
        rw = reweighted(RUBRIC, fi[n], fd[n], fp[n])
        for k, a in enumerate(assessments):
            res = score(a, rw, opts)
            expected = res.overall.score
            assert (np.isnan(overall[n, k]) and expected is None) or overall[n, k] == pytest.approx(expected)
            if expected is not None:
                assert oref[n, k] == pytest.approx(res.overall.reference)
                assert priority[n, k] == pytest.approx([ir.priority for ir in res.indicators])


def test_ranks_share_the_better_rank() -> None:
    assert ranks_of(np.array([[90.0, 80.0, 80.0, 70.0, np.nan]])).tolist() == [[1, 2, 2, 4, 5]]


def results(n: int = 15) -> list:  # type: ignore[type-arg]
    return [score(a, RUBRIC) for a in random_assessments(n)]


def test_spread_zero_collapses_to_nominal() -> None:
    res = results()
    an = analyse(res, RUBRIC, ScoreOptions(top=3), samples=50, spread=0.0, seed=1)
    for r, s in zip(res, an.institutions, strict=True):
        assert s.score.p5 == s.score.p50 == s.score.p95 == r.overall.score
        assert all(share == 1.0 for _, share in s.top_priorities)


def test_brackets_nominal_and_is_reproducible() -> None:
    res = results()
    a1 = analyse(res, RUBRIC, ScoreOptions(top=3), samples=400, spread=0.25, seed=5)
    a2 = analyse(res, RUBRIC, ScoreOptions(top=3), samples=400, spread=0.25, seed=5)
    assert a1 == a2
    a3 = analyse(res, RUBRIC, ScoreOptions(top=3), samples=400, spread=0.25, seed=6)
    assert a1 != a3
    for r, s in zip(res, a1.institutions, strict=True):
        assert s.score.p5 is not None and s.score.p95 is not None
        assert s.score.p5 - 1e-9 <= r.overall.score <= s.score.p95 + 1e-9
        assert s.score.p5 <= s.score.p50 <= s.score.p95
        assert all(0.0 <= share <= 1.0 for _, share in s.top_priorities)
