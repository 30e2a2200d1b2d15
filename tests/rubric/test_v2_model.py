"""The rubric keys v2 adds (SPEC §3) reach the frozen model with their defaults filled in."""

from __future__ import annotations

from pathlib import Path

import pytest

from vibbench.rubric.loader import load_rubric

V2 = Path(__file__).resolve().parents[1] / "fixtures" / "rubrics" / "v2.yaml"
MINI = Path(__file__).resolve().parents[1] / "fixtures" / "rubrics" / "mini.yaml"


def test_profiles_and_money() -> None:
    r = load_rubric(V2, use_cache=False)
    assert [p.id for p in r.profiles] == ["institute", "university_tto"]
    assert r.default_profile == "institute"
    assert r.money is not None
    assert (r.money.currency, r.money.factor, r.money.unit.get("zh")) == ("CNY", 10000.0, "万元")
    assert r.money.rate("EUR") == pytest.approx(7.85)
    assert r.money.rate("CNY") == 1.0
    assert r.money.rate("GBP") is None


def test_indicator_keys() -> None:
    ind = load_rubric(V2, use_cache=False).indicator_map()
    assert ind["A.X.1"].applies_to == frozenset({"institute"})
    assert ind["A.X.1"].applies("institute") and not ind["A.X.1"].applies("university_tto")
    assert ind["A.X.2"].applies("university_tto") and ind["A.X.2"].actor == "funder"
    assert ind["A.X.1"].actor == "institution"
    assert ind["B.Z.2"].optional and not ind["B.Z.1"].optional
    money = ind["B.Z.1"]
    assert money.money and money.per == "research_staff"
    assert money.unit is not None and money.unit.get("zh") == "万元"
    assert (money.plausible_min, money.plausible_max) == (0.0, 2000.0)
    named = ind["A.X.3"]
    assert named.named_label(99.0) is not None and named.named_label(99.0).get("zh") == "从未开展"  # type: ignore[union-attr]
    assert named.named_label(5.0) is None


def test_default_plausible_range() -> None:
    """SPEC §3: max = 10 × the larger of reference and target; min = range.min."""
    ind = load_rubric(V2, use_cache=False).indicator_map()
    assert (ind["A.X.2"].plausible_min, ind["A.X.2"].plausible_max) == (0.0, 50.0)
    # direction lower: never below the worst goalpost (15)
    assert ind["A.X.3"].plausible_max == 50.0
    assert ind["A.X.1"].plausible_max is None  # levels have none


def test_rubrics_without_v2_keys_are_unchanged() -> None:
    r = load_rubric(MINI, use_cache=False)
    assert r.profiles == () and r.money is None and r.default_profile is None
    for i in r.indicators():
        assert i.applies_to is None and i.actor == "institution" and not i.optional
        assert not i.money and i.per is None and i.named == ()
