"""Percentiles among peers (``report --peers``)."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import MINI_RUBRIC
from vibbench.rubric.loader import load_rubric
from vibbench.scoring.engine import score
from vibbench.scoring.peers import percentile, standings
from vibbench.workbook.model import Answer, Assessment


@pytest.mark.parametrize(
    ("score", "peers", "expected"),
    [
        (50, [10, 20, 30], 100.0),
        (5, [10, 20], 0.0),
        (20, [10, 20, 30], 50.0),
        (20, [20, 20], 50.0),
        (None, [1], None),
        (3, [], None),
    ],
)
def test_percentile(score: float | None, peers: list[float], expected: float | None) -> None:
    assert percentile(score, peers) == expected


@given(st.floats(0, 100), st.lists(st.floats(0, 100), min_size=1, max_size=30))
def test_percentile_bounds_and_monotone(score: float, peers: list[float]) -> None:
    p = percentile(score, peers)
    assert p is not None and 0 <= p <= 100
    higher = percentile(score + 1, peers)
    assert higher is not None and higher >= p


def _inst(name: str, level: float) -> Assessment:
    return Assessment(
        f"{name}.xlsx",
        name,
        {"name": name},
        (Answer("A.X.1", level, "Responses!F2"), Answer("B.Z.1", 1.0, "Responses!F3")),
    )


def test_standings_per_node() -> None:
    rubric = load_rubric(MINI_RUBRIC, use_cache=False)
    me = score(_inst("me", 3), rubric)
    peers = [score(_inst(f"p{k}", k), rubric) for k in range(5)]  # levels 0..4
    by = {s.id: s for s in standings(me, [me, *peers])}
    assert by["A.X"].peers == 5  # itself is not its own peer
    assert by["A.X"].percentile == pytest.approx(100 * (3 + 0.5) / 5)
    assert by["overall"].percentile is not None and by["A"].reference == me.pillars[0].reference
    assert by["A.Y"].percentile is None  # nobody answered it
    assert dataclasses.asdict(by["B"])["median"] == pytest.approx(100.0)
