"""What ``rubric validate`` checks of the keys v2 adds (SPEC §3): profiles, money, applies_to,
actor, optional, ``unit: money``, ``per``, ``plausible`` and ``named``, each problem at its line.

Runs on the YAML tree with line numbers (see :mod:`vibbench.rubric.compiler`), after the schema
has checked the types, so it only says what a schema cannot: references between keys, and ranges
that contradict each other.
"""

from __future__ import annotations

import math
from typing import Any

from vibbench.errors import ProblemList

LOC_KEY = "__loc__"


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def check_v2(data: dict[Any, Any], problems: ProblemList, where: Any, walk: Any) -> None:
    """Add a problem for every v2 key that contradicts another part of the rubric.

    ``where(node, key)`` gives a node's (or key's) location; ``walk(data)`` yields every indicator
    mapping of the tree. Both come from the compiler, which owns the line bookkeeping.
    """
    from vibbench.text import T

    profiles_raw = data.get("profiles")
    profiles: list[str] = []
    if isinstance(profiles_raw, list):
        for p in profiles_raw:
            ident = p.get("id") if isinstance(p, dict) else None
            if isinstance(ident, str):
                if ident in profiles:
                    problems.add(
                        where(p, "id"),
                        T(f"duplicate profile id '{ident}'", f"重复的机构类别编号 '{ident}'"),
                        T("give each profile its own id", "请为每个机构类别使用不同的编号"),
                    )
                profiles.append(ident)
        if not profiles_raw:
            problems.add(
                where(data, "profiles"),
                T("`profiles` is empty", "`profiles` 为空"),
                T("list at least one profile, or remove the key", "请至少列出一个机构类别，或删除该键"),
            )
    money = data.get("money")
    if isinstance(money, dict):
        currency = money.get("currency")
        rates = money.get("rates")
        for code, rate in rates.items() if isinstance(rates, dict) else ():
            if not isinstance(code, str):
                continue
            r = _num(rate)
            if r is None or not math.isfinite(r) or r <= 0:
                problems.add(
                    where(rates, code),
                    T(f"the rate of {code} must be a number above 0", f"{code} 的汇率必须是大于 0 的数"),
                    T(
                        f"write how many {currency} one {code} is worth, e.g. `{code}: 7.85`",
                        f"请填写 1 {code} 折合多少 {currency}，如 `{code}: 7.85`",
                    ),
                )
            elif len(code) != 3 or not code.isupper():
                problems.add(
                    where(rates, code),
                    T(f"'{code}' is not an ISO currency code", f"'{code}' 不是 ISO 币种代码"),
                    T("use three capital letters, e.g. EUR, USD", "请使用三个大写字母，如 EUR、USD"),
                )
        if not str(money.get("source") or "").strip():
            problems.add(
                where(data, "money"),
                T("`money` has rates but no `source`", "`money` 给出了汇率，但没有 `source`"),
                T(
                    'say where the rates come from and for which year, e.g. `source: "ECB annual average 2024"`',
                    '请注明汇率的来源与年份，如 `source: "欧洲央行 2024 年年均汇率"`',
                ),
            )
    for ind in walk(data):
        iid = ind.get("id", "?")
        applies = ind.get("applies_to")
        if isinstance(applies, list):
            for n, name in enumerate(applies):
                if isinstance(name, str) and name not in profiles:
                    known = ", ".join(profiles) or "-"
                    problems.add(
                        where(applies, n),
                        T(
                            f"{iid}: unknown profile '{name}' in `applies_to`",
                            f"{iid}：`applies_to` 中的机构类别 '{name}' 未定义",
                        ),
                        T(
                            f"use a profile of the rubric's `profiles` ({known})",
                            f"请使用 `profiles` 中已定义的机构类别（{known}）",
                        ),
                    )
            if not applies:
                problems.add(
                    where(ind, "applies_to"),
                    T(
                        f"{iid}: `applies_to` is empty (it would apply to nobody)",
                        f"{iid}：`applies_to` 为空（对任何机构都不适用）",
                    ),
                    T("name at least one profile, or remove the key", "请至少写一个机构类别，或删除该键"),
                )
        kind = ind.get("type")
        if ind.get("unit") == "money" and not isinstance(money, dict):
            problems.add(
                where(ind, "unit"),
                T(
                    f"{iid}: `unit: money` but the rubric has no `money`",
                    f"{iid}：使用了 `unit: money`，但评估框架没有 `money`",
                ),
                T(
                    "add a rubric-level `money:` (currency, factor, unit, rates, source)",
                    "请在框架顶层添加 `money:`（币种、倍数、单位、汇率与来源）",
                ),
            )
        for key in ("per", "plausible", "named"):
            if key in ind and kind in ("level", "boolean"):
                problems.add(
                    where(ind, key),
                    T(
                        f"`{key}` applies to number indicators only ({iid} is {kind})",
                        f"`{key}` 只适用于数值型指标（{iid} 为 {kind}）",
                    ),
                    T(f"remove `{key}` or set `type: number`", f"请删除 `{key}` 或设 `type: number`"),
                )
        if kind != "number":
            continue
        ref = _num(ind.get("reference"))
        plausible = ind.get("plausible")
        if isinstance(plausible, dict):
            lo, hi = _num(plausible.get("min")), _num(plausible.get("max"))
            if lo is not None and hi is not None and lo > hi:
                problems.add(
                    where(plausible, "min"),
                    T(
                        f"{iid}: plausible min {lo:g} is above max {hi:g}",
                        f"{iid}：合理范围下限 {lo:g} 高于上限 {hi:g}",
                    ),
                    T("swap them", "请交换"),
                )
            elif ref is not None and ((lo is not None and ref < lo) or (hi is not None and ref > hi)):
                problems.add(
                    where(ind, "plausible"),
                    T(
                        f"{iid}: the plausible range excludes the reference {ref:g}",
                        f"{iid}：合理范围不包含参照值 {ref:g}",
                    ),
                    T(
                        "widen `plausible` so that the reference institution's own answer is plausible",
                        "请放宽 `plausible`，使参照机构自身的回答处于合理范围内",
                    ),
                )
        named = ind.get("named")
        if isinstance(named, list):
            seen: set[float] = set()
            for n, item in enumerate(named):
                value = _num(item.get("value")) if isinstance(item, dict) else None
                if value is None:
                    continue
                if value in seen:
                    problems.add(
                        where(named, n),
                        T(
                            f"{iid}: two named answers have the value {value:g}",
                            f"{iid}：两个具名回答的取值均为 {value:g}",
                        ),
                        T("give each named answer its own value", "请为每个具名回答使用不同的取值"),
                    )
                seen.add(value)
                rng = ind.get("range")
                hi = _num(rng.get("max")) if isinstance(rng, dict) else None
                lo = _num(rng.get("min")) if isinstance(rng, dict) else 0.0
                if (hi is not None and value > hi) or (lo is not None and value < lo):
                    problems.add(
                        where(named, n),
                        T(
                            f"{iid}: the named value {value:g} is outside the accepted `range`",
                            f"{iid}：具名回答的取值 {value:g} 超出 `range`",
                        ),
                        T("widen `range` to include it", "请扩大 `range` 以包含该取值"),
                    )


ASCII_PUNCTUATION = ",?:;()"
"""ASCII punctuation that Chinese writes full-width (，？：；（）) when it stands by Chinese text."""
FULL_WIDTH = {",": "，", "?": "？", ":": "：", ";": "；", "(": "（", ")": "）"}


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x3000 <= o <= 0x303F  # CJK punctuation: 、。「」
        or 0xFF00 <= o <= 0xFFEF  # full-width forms: （），：
        or 0xF900 <= o <= 0xFAFF
    )


def ascii_punctuation(text: str) -> list[str]:
    """The ASCII punctuation marks of a Chinese text that stand next to Chinese characters (spaces
    skipped), in order: ``"科研人员(含博士后)"`` → ``["(", ")"]``; ``"1,700 名"`` → ``[]``."""
    found: list[str] = []
    for i, ch in enumerate(text):
        if ch not in ASCII_PUNCTUATION:
            continue
        before = text[:i].rstrip()
        after = text[i + 1 :].lstrip()
        if (before and _is_cjk(before[-1])) or (after and _is_cjk(after[0])):
            found.append(ch)
    return found
