"""The answers people naturally type (SPEC §2, v2): each form, and what is not of it."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vibbench.workbook import natural


def nfkc(text: str) -> str:
    """What the reader hands these functions: NFKC-normalised, trimmed text."""
    return unicodedata.normalize("NFKC", text).strip()


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("3级", 3),
        ("第3级", 3),
        ("第 3 级", 3),
        ("三级", 3),
        ("第四级", 4),
        ("零级", 0),
        ("L3", 3),
        ("l2", 2),
        ("Level 4", 4),
        ("等级1", 1),
        (nfkc("３级"), 3),
    ],
)
def test_levels(text: str, level: int) -> None:
    assert natural.level_number(text) == level


@pytest.mark.parametrize("text", ["3", "三", "级", "L", "3级以上", "成熟", "L3.5", "3 – Established"])
def test_not_levels(text: str) -> None:
    assert natural.level_number(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("有", 1.0), ("无", 0.0), ("√", 1.0), ("×", 0.0), ("✓", 1.0), ("✗", 0.0), ("Y", 1.0), ("n", 0.0)],
)
def test_booleans(text: str, value: float) -> None:
    assert natural.boolean_value(text) == value


@pytest.mark.parametrize("text", ["x", "maybe", "有时", "2"])
def test_not_booleans(text: str) -> None:
    assert natural.boolean_value(text) is None


@pytest.mark.parametrize(
    ("text", "units", "value"),
    [
        ("5年", (), 5.0),
        ("12 项", (), 12.0),
        ("35 %", ("%",), 35.0),
        ("1,200 家", (), 1200.0),
        ("7.5 spin-offs per year", ("spin-offs per year",), 7.5),
        (nfkc("１，２００项"), (), 1200.0),
    ],
)
def test_number_with_unit(text: str, units: tuple[str, ...], value: float) -> None:
    assert natural.number_with_unit(text, units) == value


@pytest.mark.parametrize(("text", "units"), [("5 apples", ()), ("5", ()), ("年5", ()), ("5年5", ())])
def test_not_number_with_unit(text: str, units: tuple[str, ...]) -> None:
    assert natural.number_with_unit(text, units) is None


@pytest.mark.parametrize(
    ("text", "amount", "yuan"),
    [
        ("1.2亿元", 120_000_000.0, True),
        ("500万", 5_000_000.0, False),
        ("500万元", 5_000_000.0, True),
        ("3,000,000元", 3_000_000.0, True),
        ("0.1875M", 187_500.0, False),
        ("250k", 250_000.0, False),
        ("2 千元", 2_000.0, True),
        ("1.5百万", 1_500_000.0, False),
        (nfkc("１．２亿元"), 120_000_000.0, True),
    ],
)
def test_money(text: str, amount: float, yuan: bool) -> None:
    got = natural.money_amount(text)
    assert got is not None
    assert got.amount == pytest.approx(amount)
    assert got.yuan is yuan


@pytest.mark.parametrize("text", ["500", "元", "万元500", "1.2 billion", "500美元"])
def test_not_money(text: str) -> None:
    assert natural.money_amount(text) is None


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2024", 2024),
        ("2024年", 2024),
        ("2024年度", 2024),
        ("FY2024", 2024),
        ("fy 2024", 2024),
        ("2024-12-31", 2024),
        ("2024/6", 2024),
        ("2024年12月", 2024),
        (nfkc("２０２４年"), 2024),
    ],
)
def test_years(text: str, year: int) -> None:
    assert natural.year_number(text) == year


@pytest.mark.parametrize("text", ["24", "二〇二四", "year", "20245", "1066", "2024 or 2025"])
def test_not_years(text: str) -> None:
    assert natural.year_number(text) is None


@given(st.integers(min_value=0, max_value=99))
def test_chinese_numerals_round_trip(n: int) -> None:
    digits = "零一二三四五六七八九"
    if n < 10:
        text = digits[n]
    else:
        tens, ones = divmod(n, 10)
        text = ("" if tens == 1 else digits[tens]) + "十" + ("" if ones == 0 else digits[ones])
    assert natural.chinese_numeral(text) == n


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["元", "万元", "亿元", "万", "k", "M"]))
def test_money_scales_by_its_suffix(n: int, suffix: str) -> None:
    got = natural.money_amount(f"{n:,}{suffix}")
    assert got is not None
    multiplier, _ = natural.MONEY_SUFFIXES[suffix.casefold()]
    assert got.amount == pytest.approx(n * multiplier)
