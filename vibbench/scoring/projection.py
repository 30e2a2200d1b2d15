"""SPEC §4 (v2): where the roadmap leads — each step's target, its points, and the score after each phase.

A roadmap step is a recommendation of :attr:`Result.recommendations`. It moves its indicator to a
target answer: for a level, the next level up from the current answer (unanswered: the scale's
minimum + 1), capped at the reference's level; for a number or a boolean, the reference's value.

Everything here is computed by rescoring the institution with :func:`vibbench.scoring.engine.score`
on an assessment whose answers are moved to their targets — never by adding priorities, which
measure the distance to the reference rather than to the target, and which do not add up under
renormalisation or geometric aggregation.

Each call rescores the institution a few times (one per phase and one per indicator with a step,
about 20 for the bundled rubric, well under a millisecond each): ``score`` computes this for its
JSON and terminal views only. ``compare`` does not — 1,000 institutions × 20 rescorings would
break its speed target.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from vibbench.rubric.model import HORIZONS, Band, Horizon, Rubric
from vibbench.scoring.normalise import normalise
from vibbench.scoring.result import IndicatorResult, Result
from vibbench.text import T, Text
from vibbench.workbook.model import Answer

__all__ = ["PHASE_NAMES", "Phase", "Step", "projection", "roadmap", "target_answer"]

PHASE_NAMES: dict[str, Text] = {
    "now": T("now", "当前"),
    "quick_win": T("quick wins", "近期举措后"),
    "medium": T("1–3 years", "1–3 年后"),
    "structural": T("structural", "结构性改革后"),
}
"""How the terminal line and the reports name the current score and each phase."""


@dataclass(frozen=True)
class Phase:
    """The institution rescored once every roadmap step of this phase and the earlier ones is done."""

    phase: Horizon
    """``quick_win``, ``medium`` (1–3 years) or ``structural``; cumulative in that order."""
    score: float | None
    """The overall score after the phase (None only when nothing is scored at all)."""
    band: Band | None
    gain: float | None
    """``score`` − the current overall score (0 when the phase has no step)."""


@dataclass(frozen=True)
class Step:
    """One roadmap step: a recommendation, the answer it aims at and what reaching that answer is worth."""

    indicator: str
    theme: str
    horizon: str
    """``quick_win``, ``medium`` or ``structural``."""
    actor: str
    """Who can act on it (the indicator's ``actor``): ``institution`` or ``funder``."""
    now: float | None
    """The current answer as given (a raw total for ``per`` indicators); None when unanswered."""
    target: float
    """The answer the step aims at, in the same terms as ``now``."""
    points: float
    """What reaching ``target`` alone adds to the overall score (rescored)."""
    text: Text


def target_answer(r: IndicatorResult, rubric: Rubric, research_staff: float | None) -> float:
    """The answer a roadmap step on ``r`` aims at (SPEC §4).

    A level: the next level up from the current answer (a median of 2.5 goes to 3; unanswered:
    the scale's minimum + 1), capped at the reference's level. A number or a boolean: the
    reference's value; for a ``per: research_staff`` indicator the reference is per 100 research
    staff, so the answer (a raw total) is reference × research staff / 100 — the inverse of
    :func:`vibbench.scoring.engine.scored_value`.
    """
    ind = r.indicator
    if ind.type == "level":
        up = rubric.scale.min + 1 if r.answer is None else math.floor(r.answer) + 1
        return float(min(up, ind.reference))
    if ind.per == "research_staff" and research_staff:
        return ind.reference * research_staff / 100.0
    return ind.reference


def _targets(result: Result) -> dict[str, float]:
    """Indicator id → the target of its roadmap steps.

    The target depends on the indicator alone, so every step on one indicator shares it; were
    they ever to differ, the furthest (the one scoring highest) would win.
    """
    by_id = {r.indicator.id: r for r in result.indicators}
    staff = result.assessment.research_staff
    scale = result.rubric.scale
    out: dict[str, float] = {}
    for rec in result.recommendations:
        r = by_id[rec.indicator]
        t = target_answer(r, result.rubric, staff)
        old = out.get(rec.indicator)
        if old is None or normalise(r.indicator, t, scale) > normalise(r.indicator, old, scale):
            out[rec.indicator] = t
    return out


def _rescore(result: Result, moves: dict[str, float]) -> float | None:
    """The overall score of ``result``'s institution with the answers of ``moves``' indicators
    replaced by one answer at their target each; every other answer, the profile, the research
    staff and the N/A answers kept, and the same options."""
    from vibbench.scoring.engine import score

    a = result.assessment
    cells: dict[str, str] = {}
    kept: list[Answer] = []
    for ans in a.answers:
        if ans.indicator in moves:
            cells.setdefault(ans.indicator, ans.cell)
        else:
            kept.append(ans)
    kept.extend(Answer(i, v, cells.get(i, ""), f"{v:g}") for i, v in moves.items())
    moved = dataclasses.replace(a, answers=tuple(kept))
    # top=0: only the scores are read, not the rescored institution's recommendations
    return score(moved, result.rubric, dataclasses.replace(result.options, top=0)).overall.score


def _gain(after: float | None, now: float | None) -> float | None:
    return None if after is None or now is None else after - now


def projection(result: Result) -> list[Phase]:
    """The overall score after quick wins, then 1–3 years, then structural reforms: cumulative
    phases, each the institution rescored with the targets of every step of that phase and the
    earlier ones. A phase without a step of its own keeps the previous phase's score; with no
    roadmap step at all every phase equals the current score, gain 0.
    """
    now = result.overall.score
    targets = _targets(result)
    moves: dict[str, float] = {}
    after = now
    out: list[Phase] = []
    for phase in HORIZONS:
        steps = {rec.indicator for rec in result.recommendations if rec.horizon == phase}
        if steps - moves.keys():
            moves.update((i, targets[i]) for i in steps)
            after = _rescore(result, moves)
        band = None if after is None else result.rubric.band_for(after)
        out.append(Phase(phase, after, band, _gain(after, now)))
    return out


def roadmap(result: Result) -> list[Step]:
    """The roadmap steps in the recommendations' order, each with the points that reaching its own
    target alone adds to the overall score (so the points match the target printed beside them)."""
    targets = _targets(result)
    now = result.overall.score
    by_id = {r.indicator.id: r for r in result.indicators}
    points = {i: _gain(_rescore(result, {i: t}), now) or 0.0 for i, t in targets.items()}
    return [
        Step(
            indicator=rec.indicator,
            theme=rec.theme,
            horizon=rec.horizon,
            actor=by_id[rec.indicator].indicator.actor,
            now=by_id[rec.indicator].answer,
            target=targets[rec.indicator],
            points=points[rec.indicator],
            text=rec.text,
        )
        for rec in result.recommendations
    ]
