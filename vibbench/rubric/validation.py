"""Validation of a merged rubric: the schema (pydantic), what a schema cannot say, and warnings.

pydantic's errors are placed from their structured ``loc``: each element that names a key or
an index of the data is followed; any other element (the branch of a union pydantic tried) is
stepped over. So nothing here depends on how pydantic spells those branches.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from vibbench.errors import ProblemList, Where
from vibbench.rubric.defaults import (
    DIRECTION,
    MAX_SCALE_SPAN,
    MAX_WEIGHT,
    SCALE_MAX,
    SCALE_MIN,
    THEMES,
    target_of,
)
from vibbench.rubric.extends import OVERLAY_KEYS
from vibbench.rubric.yaml_lines import LOC, strip, where
from vibbench.text import T


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _as_dict(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def check_semantics(data: dict[Any, Any], problems: ProblemList) -> None:
    """What a schema cannot say: ids, prefixes, weights, scales, goalposts, references."""
    seen: dict[str, Where] = {}
    scale = _as_dict(data.get("scale"))
    smin = scale.get("min", SCALE_MIN) if isinstance(scale.get("min", SCALE_MIN), int) else SCALE_MIN
    smax = scale.get("max", SCALE_MAX) if isinstance(scale.get("max", SCALE_MAX), int) else SCALE_MAX
    if smin >= smax:
        problems.add(
            where(scale, "max"),
            T(f"scale max {smax} must be above min {smin}", f"量表最大值 {smax} 必须大于最小值 {smin}"),
            T("fix the scale", "请修正量表"),
        )
    elif smax - smin > MAX_SCALE_SPAN:
        problems.add(
            where(scale, "max"),
            T(
                f"the scale {smin}..{smax} has more than {MAX_SCALE_SPAN + 1} levels",
                f"量表 {smin}..{smax} 超过 {MAX_SCALE_SPAN + 1} 级",
            ),
            T(
                f"use a scale of at most {MAX_SCALE_SPAN + 1} levels (each needs a descriptor), e.g. 0..4",
                f"量表最多 {MAX_SCALE_SPAN + 1} 级（每级都需要描述），如 0..4",
            ),
        )
    themes = data.get("themes")
    theme_ids = {k for k in themes if k is not LOC} if isinstance(themes, dict) else set(THEMES)

    def unique(node: dict[Any, Any]) -> str | None:
        ident = node.get("id")
        if not isinstance(ident, str):
            return None
        if ident in seen:
            problems.add(
                where(node, "id"),
                T(f"duplicate id '{ident}'", f"重复的编号 '{ident}'"),
                T(
                    f"give it another id (the first is at {seen[ident]})",
                    f"请改用其他编号（首次出现在 {seen[ident]}）",
                ),
            )
        else:
            seen[ident] = where(node, "id")
        return ident

    def weights_not_all_zero(items: list[Any], holder: Any, key: str, what: str) -> None:
        for item in items:
            w = _num(item.get("weight")) if isinstance(item, dict) else None
            if w is not None and w > MAX_WEIGHT:
                problems.add(
                    where(item, "weight"),
                    T(f"weight {w:g} is absurdly large", f"权重 {w:g} 过大，不合常理"),
                    T(
                        f"weights are relative among siblings: use numbers up to {MAX_WEIGHT:.0e}",
                        f"权重只在同级之间相对比较：请使用不超过 {MAX_WEIGHT:.0e} 的数值",
                    ),
                )
        ws = [_num(i.get("weight", 1)) for i in items if isinstance(i, dict)]
        if ws and all(w is not None and w == 0 for w in ws):
            place = where(holder, key)
            # Weights zeroed by an extending rubric's `weights` are reported where that file set them.
            set_at = [where(i, "weight") for i in items if isinstance(i, dict) and "weight" in i]
            foreign = [w for w in set_at if w.file != place.file]
            problems.add(
                foreign[0] if foreign else place,
                T(f"every {what} weight here is 0", f"此处所有{what}权重均为 0"),
                T("give at least one a positive weight, or remove them", "请至少给一个正权重，或删除它们"),
            )

    pillars = _as_list(data.get("pillars"))
    weights_not_all_zero(pillars, data, "pillars", "pillar")
    indicator_ids: set[str] = set()
    for p in pillars:
        if not isinstance(p, dict):
            continue
        pid = unique(p)
        dims = _as_list(p.get("dimensions"))
        weights_not_all_zero(dims, p, "dimensions", "dimension")
        for d in dims:
            if not isinstance(d, dict):
                continue
            did = unique(d)
            _check_prefix(d, did, pid, problems)
            inds = _as_list(d.get("indicators"))
            weights_not_all_zero(inds, d, "indicators", "indicator")
            for i in inds:
                if not isinstance(i, dict):
                    continue
                iid = unique(i)
                if iid:
                    indicator_ids.add(iid)
                _check_prefix(i, iid, did, problems)
                _check_indicator(i, smin, smax, theme_ids, problems)
    checks = _as_list(data.get("checks"))
    check_ids: set[str] = set()
    for c in checks:
        if not isinstance(c, dict):
            continue
        cid = c.get("id")
        if isinstance(cid, str):
            if cid in check_ids:
                problems.add(
                    where(c, "id"),
                    T(f"duplicate check id '{cid}'", f"重复的校验编号 '{cid}'"),
                    T("give it another id", "请改用其他编号"),
                )
            check_ids.add(cid)
        for part in ("if", "then"):
            cond = c.get(part)
            if not isinstance(cond, dict):
                continue
            ref = cond.get("indicator")
            if isinstance(ref, str) and ref not in indicator_ids:
                problems.add(
                    where(cond, "indicator"),
                    T(f"check names unknown indicator '{ref}'", f"校验引用了不存在的指标 '{ref}'"),
                    T("use an indicator id of this rubric", "请使用本框架中的指标编号"),
                )
            if "at_least" not in cond and "at_most" not in cond:
                problems.add(
                    where(c, part),
                    T(
                        f"check condition `{part}` has neither at_least nor at_most",
                        f"校验条件 `{part}` 缺少 at_least 或 at_most",
                    ),
                    T("add `at_least: N` or `at_most: N`", "请添加 `at_least: N` 或 `at_most: N`"),
                )
    bands = _as_list(data.get("bands"))
    mins = [m for b in bands if isinstance(b, dict) and (m := _num(b.get("min"))) is not None]
    if mins != sorted(mins):
        problems.add(
            where(data, "bands"),
            T("bands must be listed lowest `min` first", "分级须按 `min` 从低到高排列"),
            T("reorder the bands", "请调整分级顺序"),
        )


def _check_prefix(node: dict[Any, Any], ident: str | None, parent: str | None, problems: ProblemList) -> None:
    if ident and parent and not ident.startswith(parent + "."):
        problems.add(
            where(node, "id"),
            T(
                f"id '{ident}' does not start with its parent's id '{parent}.'",
                f"编号 '{ident}' 未以上级编号 '{parent}.' 开头",
            ),
            T(f"rename it to '{parent}.<something>'", f"请改名为 '{parent}.<后缀>'"),
        )


# keys that belong to one indicator type only: (type, its name in Chinese, keys)
_TYPE_ONLY = (
    ("level", "等级型", ("levels",)),
    ("number", "数值型", ("unit", "direction", "min", "target", "scale", "range")),
)


def _check_indicator(
    i: dict[Any, Any], smin: int, smax: int, themes: set[Any], problems: ProblemList
) -> None:
    kind = i.get("type")
    iid = i.get("id", "?")
    ref = i.get("reference")
    known = kind in ("level", "number", "boolean")
    for owner, owner_zh, only in _TYPE_ONLY if known else ():
        for key in only if kind != owner else ():
            if key in i:
                problems.add(
                    where(i, key),
                    T(
                        f"`{key}` applies to {owner} indicators only ({iid} is {kind})",
                        f"`{key}` 只适用于{owner_zh}指标（{iid} 为 {kind}）",
                    ),
                    T(f"remove `{key}` or set `type: {owner}`", f"请删除 `{key}` 或设 `type: {owner}`"),
                )
    for r in i.get("recommendations") or []:
        if isinstance(r, dict) and isinstance(r.get("theme"), str) and r["theme"] not in themes:
            problems.add(
                where(r, "theme"),
                T(f"unknown theme '{r['theme']}'", f"未知的改革主题 '{r['theme']}'"),
                T(
                    f"use one of: {', '.join(sorted(map(str, themes)))}",
                    f"请使用：{', '.join(sorted(map(str, themes)))}",
                ),
            )
    if kind == "level":
        levels = i.get("levels")
        if not isinstance(levels, dict):
            problems.add(
                where(i, "id"),
                T(
                    f"level indicator {iid} has no `levels` descriptors",
                    f"等级型指标 {iid} 缺少 `levels` 描述",
                ),
                T(
                    f"add `levels:` with one descriptor for each level {smin}..{smax}",
                    f"请为 {smin}..{smax} 每一级添加描述",
                ),
            )
        else:
            keys = {_level_key(k) for k in levels if k is not LOC}
            span = range(smin, smax + 1) if smax - smin <= MAX_SCALE_SPAN else range(0)  # else reported
            missing = [n for n in span if n not in keys]
            if missing:
                problems.add(
                    where(i, "levels"),
                    T(
                        f"{iid} has no descriptor for level(s) {', '.join(map(str, missing))}",
                        f"{iid} 缺少第 {', '.join(map(str, missing))} 级的描述",
                    ),
                    T("add one descriptor per level of the scale", "请为量表的每一级添加描述"),
                )
            extra = [k for k in keys if not (isinstance(k, int) and smin <= k <= smax)]
            for k in extra:
                problems.add(
                    where(levels, k),
                    T(f"level {k} is outside the scale {smin}..{smax}", f"等级 {k} 超出量表 {smin}..{smax}"),
                    T("remove it or widen the scale", "请删除或扩大量表"),
                )
        r = _num(ref)
        if ref is not None and (r is None or not r.is_integer() or not smin <= r <= smax):
            problems.add(
                where(i, "reference"),
                T(
                    f"level reference {ref!r} is outside the scale {smin}..{smax}",
                    f"等级参照值 {ref!r} 超出量表 {smin}..{smax}",
                ),
                T(f"use a whole level from {smin} to {smax}", f"请使用 {smin} 到 {smax} 的整数等级"),
            )
    elif kind == "boolean":
        if ref is not None and not isinstance(ref, bool):
            problems.add(
                where(i, "reference"),
                T(
                    f"boolean reference must be true or false, not {ref!r}",
                    f"是/否型参照值必须为 true 或 false，而不是 {ref!r}",
                ),
                T(
                    "write `reference: true` or `reference: false`",
                    "请写 `reference: true` 或 `reference: false`",
                ),
            )
    elif kind == "number":
        _check_number(i, iid, ref, problems)


def _level_key(k: Any) -> Any:
    if isinstance(k, str) and k.strip().lstrip("-").isdigit():
        return int(k)
    return k


def _check_number(i: dict[Any, Any], iid: str, ref: Any, problems: ProblemList) -> None:
    r = _num(ref)
    if ref is not None and r is None:
        problems.add(
            where(i, "reference"),
            T(f"number reference must be a number, not {ref!r}", f"数值型参照值必须是数字，而不是 {ref!r}"),
            T("write a number", "请填写数字"),
        )
        return
    if "min" not in i:
        problems.add(
            where(i, "id"),
            T(
                f"number indicator {iid} has no `min` (worst goalpost)",
                f"数值型指标 {iid} 缺少 `min`（最差目标值）",
            ),
            T("add `min:`", "请添加 `min:`"),
        )
        return
    m = _num(i.get("min"))
    t = _num(target_of(i.get("target"), r))
    if m is None or t is None:
        return
    if m == t:
        problems.add(
            where(i, "min"),
            T(
                f"goalposts of {iid} are equal (min = target = {m:g})",
                f"{iid} 的两个目标值相等（min = target = {m:g}）",
            ),
            T(
                "make `min` (worst) differ from `target` (best, defaults to reference)",
                "请使 `min`（最差）与 `target`（最好，默认等于参照值）不同",
            ),
        )
        return
    direction = i.get("direction") or DIRECTION
    if direction == "higher" and t < m:
        problems.add(
            where(i, "direction"),
            T(
                f"{iid}: best goalpost {t:g} is below worst {m:g} but direction is higher",
                f"{iid}：最好目标值 {t:g} 低于最差值 {m:g}，但方向为 higher",
            ),
            T(
                "set `direction: lower`, or swap min and target",
                "请设 `direction: lower`，或交换 min 与 target",
            ),
        )
    if direction == "lower" and t > m:
        problems.add(
            where(i, "direction"),
            T(
                f"{iid}: best goalpost {t:g} is above worst {m:g} but direction is lower",
                f"{iid}：最好目标值 {t:g} 高于最差值 {m:g}，但方向为 lower",
            ),
            T(
                "set `direction: higher`, or swap min and target",
                "请设 `direction: higher`，或交换 min 与 target",
            ),
        )
    if i.get("scale") == "log" and min(m, t) <= -1:
        problems.add(
            where(i, "scale"),
            T(f"{iid}: log scale needs goalposts above -1", f"{iid}：对数刻度要求目标值大于 -1"),
            T("use `scale: linear` or change the goalposts", "请改用 `scale: linear` 或调整目标值"),
        )
    rng = i.get("range")
    if isinstance(rng, dict):
        lo, hi = _num(rng.get("min")), _num(rng.get("max"))
        if lo is not None and hi is not None and lo > hi:
            problems.add(
                where(rng, "min"),
                T(f"range min {lo:g} is above max {hi:g}", f"取值范围下限 {lo:g} 高于上限 {hi:g}"),
                T("swap them", "请交换"),
            )


def _follow(data: Any, loc: tuple[Any, ...]) -> tuple[Any, Any, Any, tuple[Any, ...], Any]:
    """Follow pydantic's ``loc`` through the data: (holder, key, node, path followed, what is left).

    An element that is a key of the mapping at hand (or an index of the list at hand) is
    followed; any other element before the last is a union branch pydantic tried, and is
    stepped over. The last element, when not in the data, is the key that is missing or unknown.
    """
    node: Any = data
    holder: Any = data
    key: Any = None
    path: list[Any] = []
    for n, part in enumerate(loc):
        if isinstance(node, dict):
            match = next(
                (k for k in node if k is not LOC and (k == part or str(k) == str(part))),
                _ABSENT,
            )
            if match is not _ABSENT:
                holder, key, node = node, match, node[match]
                path.append(match)
                continue
        elif isinstance(node, list) and type(part) is int and 0 <= part < len(node):
            holder, key, node = node, part, node[part]
            path.append(part)
            continue
        if n == len(loc) - 1:
            return holder, key, node, tuple(path), part
    return holder, key, node, tuple(path), _ABSENT


_ABSENT: Any = object()


def _pydantic_problems(
    data: dict[Any, Any], errors: list[dict[str, Any]], problems: ProblemList, refused: set[Where]
) -> None:
    followed = [_follow(data, tuple(e["loc"])) for e in errors]
    seen: set[tuple[Where, tuple[Any, ...], str]] = set()
    for err, (holder, key, node, path, rest) in zip(errors, followed, strict=True):
        # A mapping where a text is expected: {en, zh} was meant, and the errors of that branch
        # (on the same mapping or deeper) say what is wrong with it.
        if (
            err["type"] == "string_type"
            and isinstance(node, dict)
            and any(o is not err and f[3][: len(path)] == path for o, f in zip(errors, followed, strict=True))
        ):
            continue
        # A missing or unknown key is named by what is left of the loc; any other error by the
        # last key followed (what is left then is only the name of a union branch).
        keyed = err["type"] in ("missing", "extra_forbidden") and rest is not _ABSENT
        name_part = rest if keyed else (path[-1] if path else None)
        if err["type"] == "extra_forbidden":
            place = where(holder, key) if key is not None else where(holder)
            if rest is not _ABSENT:
                place = where(node)
        elif err["type"] == "missing":
            place = where(node) if isinstance(node, dict) else where(holder, key)
        else:
            place = where(holder, key) if key is not None else where(holder)
        name = "rubric" if name_part is None else str(name_part)
        ident = (place, path, name)
        if ident in seen or place in refused:
            continue
        seen.add(ident)
        if err["type"] == "extra_forbidden":
            what = T(f"unknown key '{name}'", f"未知的键 '{name}'")
            fix = T(
                "remove it or correct its spelling (see `vibbench rubric schema`)",
                "请删除或修正拼写（见 `vibbench rubric schema`）",
            )
        elif err["type"] == "missing":
            what = T(f"required key '{name}' is missing", f"缺少必需的键 '{name}'")
            fix = T(f"add `{name}:`", f"请添加 `{name}:`")
        else:
            msg = str(err.get("msg", "invalid value"))
            what = T(f"'{name}': {msg}", f"'{name}' 取值无效：{msg}")
            fix = T(
                "correct the value (see `vibbench rubric schema`)",
                "请修正该值（见 `vibbench rubric schema`）",
            )
        problems.add(place, what, fix)


_FORMULA_STARTS = ("=", "+", "-", "@")


def text_warnings(data: Any, warnings: ProblemList) -> None:
    """Texts a spreadsheet would take for a formula (they begin with ``=``, ``+``, ``-``, ``@``).

    vibbench writes them into workbooks as text, but a respondent who copies one into another
    sheet, or a tool that re-saves the template, may turn it live.
    """

    def visit(node: Any) -> None:
        items = (
            [(k, v) for k, v in node.items() if k is not LOC]
            if isinstance(node, dict)
            else list(enumerate(node))
            if isinstance(node, list)
            else []
        )
        for k, v in items:
            if isinstance(v, str) and v.lstrip().startswith(_FORMULA_STARTS):
                shown = v.strip()[:40]
                warnings.add(
                    where(node, k),
                    T(
                        f"the text '{shown}' begins with '{v.lstrip()[0]}': a spreadsheet may read it as a formula",
                        f"文本“{shown}”以“{v.lstrip()[0]}”开头，电子表格可能将其视为公式",
                    ),
                    T(
                        "begin the text with a word, or drop the sign if it is not needed",
                        "请以文字开头，或删去不必要的符号",
                    ),
                )
            elif isinstance(v, (dict, list)):
                visit(v)

    visit(data)


def _indicator_nodes(data: dict[Any, Any]) -> list[dict[Any, Any]]:
    """Every indicator mapping of the tree (pillars → dimensions → indicators)."""
    out: list[dict[Any, Any]] = []
    for p in data.get("pillars") or []:
        for d in (p.get("dimensions") or []) if isinstance(p, dict) else ():
            if isinstance(d, dict):
                out.extend(i for i in d.get("indicators") or [] if isinstance(i, dict))
    return out


def zh_punctuation_warnings(data: Any, warnings: ProblemList) -> None:
    """Chinese texts (the ``zh`` of a ``{en, zh}`` text) that use ASCII ``, ? : ; ( )`` beside
    Chinese characters, where Chinese writes the full-width forms (SPEC §3: a warning)."""
    from vibbench.rubric.v2checks import FULL_WIDTH, ascii_punctuation

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            zh = node.get("zh")
            if isinstance(zh, str) and "en" in node:
                found = ascii_punctuation(zh)
                if found:
                    marks = " ".join(dict.fromkeys(found))
                    full = " ".join(FULL_WIDTH[m] for m in dict.fromkeys(found))
                    warnings.add(
                        where(node, "zh"),
                        T(
                            f"the Chinese text uses ASCII punctuation ({marks}) beside Chinese characters",
                            f"中文文本在汉字旁使用了半角标点（{marks}）",
                        ),
                        T(
                            f"write the full-width forms ({full}); digits such as 1,700 keep their comma",
                            f"请改用全角标点（{full}）；1,700 等数字中的逗号保持不变",
                        ),
                    )
            for k, v in node.items():
                if k is not LOC:
                    visit(v)
        elif isinstance(node, list):
            for v in node:
                visit(v)

    visit(data)


def validate(data: dict[Any, Any], problems: ProblemList, warnings: ProblemList) -> dict[str, Any] | None:
    """The canonical rubric dictionary, or None with ``problems`` saying why; texts that look
    like formulas are added to ``warnings``."""
    from pydantic import ValidationError

    from vibbench.rubric.schema import Rubric as RubricModel

    plain = strip(data)
    removed = plain.pop("_removed", [])
    for key in OVERLAY_KEYS:
        plain.pop(key, None)
    canonical: dict[str, Any] | None = None
    try:
        model = RubricModel.model_validate(plain)
        canonical = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    except ValidationError as exc:
        # A value the YAML stage refused (a non-finite number, a tag) is not reported again.
        refused = {p.where for p in problems.problems}
        _pydantic_problems(data, [dict(e) for e in exc.errors(include_url=False)], problems, refused)
    check_semantics(data, problems)
    from vibbench.rubric.v2checks import check_v2

    check_v2(data, problems, where, _indicator_nodes)
    text_warnings(data, warnings)
    zh_punctuation_warnings(data, warnings)
    if problems or canonical is None:
        return None
    for p in canonical["pillars"]:
        for d in p["dimensions"]:
            for i in d["indicators"]:
                blob = json.dumps(i, sort_keys=True, ensure_ascii=False).encode()
                i["_fingerprint"] = hashlib.sha256(blob).hexdigest()[:16]
    if removed:
        canonical["_removed"] = removed
    return canonical
