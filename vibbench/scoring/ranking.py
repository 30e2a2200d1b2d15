"""Ranks (1 = highest overall; ties share the better rank) and progress over years."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from vibbench.scoring.result import Result

S = TypeVar("S", bound=Result)


def competition_ranks(scores: Sequence[float | None]) -> list[int | None]:
    """``[90, 80, 80, 70]`` → ``[1, 2, 2, 4]``; None (nothing answered) gets no rank."""
    # Sort once (n log n): an institution's rank is 1 + the number of scores above it, which
    # is the position where its score first appears in the list sorted best first.
    first: dict[float, int] = {}
    for pos, s in enumerate(sorted((s for s in scores if s is not None), reverse=True), start=1):
        first.setdefault(s, pos)
    return [None if s is None else first[s] for s in scores]


def rank(results: Sequence[S]) -> list[tuple[S, int | None]]:
    """Results with their rank, best first (then by name and year, for a stable order)."""
    ranks = competition_ranks([r.overall.score for r in results])
    pairs = list(zip(results, ranks, strict=True))
    pairs.sort(key=lambda p: (p[1] is None, p[1] or 0, p[0].assessment.name, p[0].assessment.year or 0))
    return pairs


@dataclass(frozen=True)
class Step:
    """One institution from one year to the next."""

    name: str
    year_from: int
    year_to: int
    overall: float | None
    """Change of the overall score."""
    pillars: dict[str, float | None]
    movers: tuple[tuple[str, float], ...]
    """Indicators whose score moved most: (id, change), largest first."""


def _delta(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else b - a


def progress(results: Sequence[Result], movers: int = 5) -> list[Step]:
    """For every institution (by name) that appears with several years: the change since its previous year."""
    by_name: dict[str, list[Result]] = {}
    for r in results:
        by_name.setdefault(r.assessment.name, []).append(r)
    steps: list[Step] = []
    for name in sorted(by_name):
        # by the year as an integer (the reader reads 2024年, FY2024 ... as 2024), never as text
        years = sorted(
            (r for r in by_name[name] if r.assessment.year is not None), key=lambda r: r.assessment.year or 0
        )
        for prev, cur in itertools.pairwise(years):
            if prev.assessment.year == cur.assessment.year:
                continue
            before = {i.id: i.score for i in prev.indicators}
            changes = [
                (i.id, d)
                for i in cur.indicators
                if (d := _delta(before.get(i.id), i.score)) is not None and d != 0
            ]
            changes.sort(key=lambda t: (-abs(t[1]), t[0]))
            pillars_before = {p.id: p.score for p in prev.pillars}
            steps.append(
                Step(
                    name=name,
                    year_from=prev.assessment.year or 0,
                    year_to=cur.assessment.year or 0,
                    overall=_delta(prev.overall.score, cur.overall.score),
                    pillars={p.id: _delta(pillars_before.get(p.id), p.score) for p in cur.pillars},
                    movers=tuple(changes[:movers]),
                )
            )
    return steps
