"""The answers people naturally type (SPEC §2, v2), read as numbers.

Pure functions over text that the reader has already normalised (NFKC: full-width digits,
letters and separators become ASCII, ``１，２００`` reads ``1,200``; invisible characters gone;
outer spaces trimmed). Each returns None when the text is not of its form, so the reader can
try the next form and, when none fits, say which forms are accepted.

* levels: ``3级``, ``第3级``, ``三级``, ``L3``, ``Level 3``, ``等级3`` (a level label alone is
  matched by the reader, which knows the scale's labels);
* booleans: ``有/无``, ``√/×``, ``✓/✗``, ``Y/N`` besides ``yes/no/true/false/是/否/1/0``;
* a number followed by its unit or a plain unit word: ``5年``, ``12 项``, ``35 %``;
* money: a number with ``元``, ``万元``, ``亿元``, ``千元``, ``百万元``, ``万``, ``亿``, ``千``,
  ``百万``, ``k``, ``M`` (``1.2亿元`` = 120,000,000; ``500万`` = 5,000,000; ``3,000,000元``);
* years: ``2024``, ``2024年``, ``2024年度``, ``FY2024``, ``2024-12-31`` (and date cells, in the
  reader).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

NUMBER = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+"
"""A decimal number, with thousands separators or without."""

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def chinese_numeral(text: str) -> int | None:
    """``三`` → 3, ``十`` → 10, ``十二`` → 12, ``二十`` → 20 (0–99); None for anything else."""
    if not text:
        return None
    if len(text) == 1 and text in _CN_DIGITS:
        return _CN_DIGITS[text]
    if "十" in text and text.count("十") == 1:
        tens, _, ones = text.partition("十")
        t = 1 if tens == "" else _CN_DIGITS.get(tens)
        o = 0 if ones == "" else _CN_DIGITS.get(ones)
        if t is None or o is None or len(tens) > 1 or len(ones) > 1:
            return None
        return t * 10 + o
    return None


_LEVEL_FORMS = (
    re.compile(r"第?\s*(\d+)\s*级", re.IGNORECASE),
    re.compile(r"(?:l|lv|lvl|level|等级)\s*[.:：]?\s*(\d+)", re.IGNORECASE),
)
_CN_LEVEL = re.compile(r"第?([零〇一二两三四五六七八九十]{1,3})级")


def level_number(text: str) -> int | None:
    """A level written as ``3级``, ``第3级``, ``三级``, ``L3``, ``Level 3``, ``等级3``."""
    for form in _LEVEL_FORMS:
        m = form.fullmatch(text)
        if m:
            return int(m.group(1))
    m = _CN_LEVEL.fullmatch(text)
    if m:
        return chinese_numeral(m.group(1))
    return None


BOOLEANS: dict[str, float] = {
    "yes": 1.0,
    "y": 1.0,
    "true": 1.0,
    "是": 1.0,
    "有": 1.0,
    "√": 1.0,
    "✓": 1.0,
    "✔": 1.0,
    "1": 1.0,
    "no": 0.0,
    "n": 0.0,
    "false": 0.0,
    "否": 0.0,
    "无": 0.0,
    "没有": 0.0,
    "×": 0.0,
    "✗": 0.0,
    "✘": 0.0,
    "0": 0.0,
}
"""Yes/no answers, case-folded. ``x`` is not among them: a cross may mean "ticked" or "no"."""


def boolean_value(text: str) -> float | None:
    """1.0 for yes, 0.0 for no (any of :data:`BOOLEANS`, case-insensitive); None otherwise."""
    return BOOLEANS.get(text.casefold())


PLAIN_UNITS = (
    "年",
    "个月",
    "月",
    "项",
    "个",
    "家",
    "人",
    "名",
    "位",
    "次",
    "件",
    "份",
    "所",
    "座",
    "台",
    "套",
    "篇",
    "倍",
    "平方米",
    "平米",
    "m2",
    "m²",
    "years",
    "year",
    "yrs",
    "months",
    "times",
)
"""Unit words a number may be followed by whatever the indicator's unit (``5年``, ``12 项``)."""

_NUMBER_THEN_WORD = re.compile(rf"({NUMBER})\s*(\S.*?)")


def to_float(number: str) -> float | None:
    """``"1,200"`` → 1200.0; None when not finite."""
    value = float(number.replace(",", ""))
    return value if math.isfinite(value) else None


def number_with_unit(text: str, units: tuple[str, ...] = ()) -> float | None:
    """A number followed by one of ``units`` (the indicator's own, en or zh) or a plain unit word."""
    m = _NUMBER_THEN_WORD.fullmatch(text)
    if m is None:
        return None
    word = m.group(2).strip().casefold()
    allowed = {u.strip().casefold() for u in (*units, *PLAIN_UNITS) if u and u.strip()}
    if word not in allowed:
        return None
    return to_float(m.group(1))


MONEY_SUFFIXES: dict[str, tuple[float, bool]] = {
    "元": (1.0, True),
    "千元": (1e3, True),
    "万元": (1e4, True),
    "百万元": (1e6, True),
    "亿元": (1e8, True),
    "千": (1e3, False),
    "万": (1e4, False),
    "百万": (1e6, False),
    "亿": (1e8, False),
    "k": (1e3, False),
    "m": (1e6, False),
    "mn": (1e6, False),
    "b": (1e9, False),
    "bn": (1e9, False),
}
"""Suffix (case-folded) → (multiplier, whether it names the yuan)."""

_MONEY = re.compile(rf"({NUMBER})\s*(千元|万元|百万元|亿元|元|千|万|百万|亿|k|m|mn|bn|b)", re.IGNORECASE)


@dataclass(frozen=True)
class Amount:
    """A money answer with a suffix: the amount in whole currency units."""

    amount: float
    yuan: bool
    """The suffix said 元 (the amount is in CNY whatever the workbook's currency)."""


def money_amount(text: str) -> Amount | None:
    """``1.2亿元`` → 120,000,000 (yuan); ``500万`` → 5,000,000; ``0.1875M`` → 187,500; else None."""
    m = _MONEY.fullmatch(text)
    if m is None:
        return None
    value = to_float(m.group(1))
    if value is None:
        return None
    multiplier, yuan = MONEY_SUFFIXES[m.group(2).casefold()]
    return Amount(value * multiplier, yuan)


_YEAR_FORMS = (
    re.compile(r"(\d{4})"),
    re.compile(r"(\d{4})\s*年度?"),
    re.compile(r"(?:fy|财年|年度)\s*(\d{4})", re.IGNORECASE),
    re.compile(r"(\d{4})\s*(?:fy|财年)", re.IGNORECASE),
    re.compile(r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?"),
    re.compile(r"(\d{4})年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?"),
    re.compile(r"(\d{4})\.0+"),
)
MIN_YEAR, MAX_YEAR = 1900, 2200


def year_number(text: str) -> int | None:
    """``2024``, ``2024年``, ``2024年度``, ``FY2024``, ``2024-12-31``, ``2024年12月`` → 2024; else None."""
    for form in _YEAR_FORMS:
        m = form.fullmatch(text)
        if m:
            year = int(m.group(1))
            return year if MIN_YEAR <= year <= MAX_YEAR else None
    return None
