"""Compile a rubric file: safe YAML with line numbers, ``extends``, validation.

Only run on a cache miss (see :mod:`vibbench.rubric.loader`), so PyYAML and pydantic stay
off the start-up path of commands that merely use a rubric. Every problem names its
``file:line``; all problems are collected and reported together.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml

from vibbench.errors import Problem, ProblemList, RubricError, UsageError, Where
from vibbench.rubric.loader import display_path, resolve
from vibbench.text import T, control_in

try:  # libyaml's C loader is ~10x faster on a large rubric
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_OVERLAY_KEYS = ("extends", "weights", "remove")
_CHILDREN = {"pillars": "dimensions", "dimensions": "indicators", "indicators": None}


class _LocKey:
    """Sentinel dictionary key under which a mapping keeps where it and its keys stand."""

    def __repr__(self) -> str:
        return "<loc>"


LOC: Any = _LocKey()


class Loc:
    __slots__ = ("file", "keys", "line")

    def __init__(self, file: str, line: int) -> None:
        self.file = file
        self.line = line
        self.keys: dict[Any, tuple[str, int]] = {}

    def where(self, key: Any = None) -> Where:
        file, line = self.keys.get(key, (self.file, self.line)) if key is not None else (self.file, self.line)
        return Where(file, line)


class LocList(list[Any]):
    """A YAML sequence that remembers the line of each item."""

    loc: Loc


# --------------------------------------------------------------------------- YAML with lines


MAX_NODES = 200_000
"""A rubric is a few thousand YAML nodes; aliases can make a tiny file expand exponentially."""


class _TooLargeError(Exception):
    pass


def _build_node(node: yaml.Node, loader: Any, file: str, problems: ProblemList, budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLargeError
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        if node.tag != _MAP:
            problems.add(
                Where(file, line),
                T(f"YAML tag '{node.tag}' is not allowed", f"不允许使用 YAML 标签 '{node.tag}'"),
                T("remove the tag; rubrics hold plain data only", "删除该标签；评估框架只能包含普通数据"),
            )
            return None
        explicit = sum(1 for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge")
        loader.flatten_mapping(node)
        first_explicit = len(node.value) - explicit  # keys merged in with `<<` may be overridden
        out: dict[Any, Any] = {}
        merged: set[Any] = set()
        loc = Loc(file, line)
        for index, (k_node, v_node) in enumerate(node.value):
            key = _build_node(k_node, loader, file, problems, budget)
            kline = k_node.start_mark.line + 1
            if isinstance(key, (dict, list)) or (key is None and not isinstance(k_node, yaml.ScalarNode)):
                problems.add(
                    Where(file, kline),
                    T("a key must be plain text", "键必须是普通文本"),
                    T("rewrite the key", "请改写该键"),
                )
                continue
            if index < first_explicit:
                merged.add(key)
            elif key in merged:
                merged.discard(key)
            elif key in out:
                problems.add(
                    Where(file, kline),
                    T(f"duplicate key '{key}'", f"重复的键 '{key}'"),
                    T(
                        f"keep only one '{key}' (the first is at line {loc.keys[key][1]})",
                        f"只保留一个 '{key}'（第一个在第 {loc.keys[key][1]} 行）",
                    ),
                )
            out[key] = _build_node(v_node, loader, file, problems, budget)
            loc.keys[key] = (file, kline)
        out[LOC] = loc
        return out
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ:
            problems.add(
                Where(file, line),
                T(f"YAML tag '{node.tag}' is not allowed", f"不允许使用 YAML 标签 '{node.tag}'"),
                T("remove the tag; rubrics hold plain data only", "删除该标签；评估框架只能包含普通数据"),
            )
            return None
        seq = LocList()
        seq.loc = Loc(file, line)
        for i, item in enumerate(node.value):
            seq.append(_build_node(item, loader, file, problems, budget))
            seq.loc.keys[i] = (file, item.start_mark.line + 1)
        return seq
    try:
        value = loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        problems.add(
            Where(file, line),
            T(f"cannot read this value ({_first_line(exc)})", f"无法读取该值（{_first_line(exc)}）"),
            T(
                "use plain YAML scalars only; tags such as !!python/... are refused",
                "只能使用普通 YAML 标量；!!python/... 等标签会被拒绝",
            ),
        )
        return None
    bad = control_in(value) if isinstance(value, str) else None
    if bad is not None:
        code = f"U+{ord(bad):04X}"
        problems.add(
            Where(file, line),
            T(f"the text holds the control character {code}", f"文本含控制字符 {code}"),
            T(
                "remove it: texts are printed on terminals, where such characters move the cursor, "
                "colour or reorder what follows",
                "请删除：文本会输出到终端，这类字符会移动光标、改变颜色或打乱后续文字的顺序",
            ),
        )
    return value


def _first_line(exc: Exception) -> str:
    text = str(getattr(exc, "problem", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def parse_yaml(text: str, file: str, problems: ProblemList) -> Any:
    """Safe-load YAML keeping each mapping's and key's line (under the ``LOC`` key)."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return _build_node(node, loader, file, problems, [MAX_NODES])
    except _TooLargeError:
        problems.add(
            Where(file, 1),
            T(
                f"the rubric expands to more than {MAX_NODES:,} YAML nodes (nested aliases?)",
                f"评估框架展开后超过 {MAX_NODES:,} 个 YAML 节点（嵌套别名？）",
            ),
            T(
                "write the rubric out without deeply nested `*alias` references",
                "请不要使用层层嵌套的 `*别名` 引用",
            ),
        )
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problems.add(
            Where(file, line),
            T(f"not valid YAML: {_first_line(exc)}", f"不是有效的 YAML：{_first_line(exc)}"),
            T(
                "fix the syntax at that line (indentation, quotes, colons)",
                "请修正该行的语法（缩进、引号、冒号）",
            ),
        )
        return None
    except yaml.YAMLError as exc:
        problems.add(
            Where(file, 1),
            T(f"not valid YAML: {_first_line(exc)}", f"不是有效的 YAML：{_first_line(exc)}"),
            T("fix the syntax", "请修正语法"),
        )
        return None
    finally:
        loader.dispose()


def strip(data: Any) -> Any:
    """A plain copy without the location bookkeeping."""
    if isinstance(data, dict):
        return {k: strip(v) for k, v in data.items() if k is not LOC}
    if isinstance(data, list):
        return [strip(v) for v in data]
    return data


def where(node: Any, key: Any = None, default: str = "?") -> Where:
    if isinstance(node, dict) and isinstance(node.get(LOC), Loc):
        loc: Loc = node[LOC]
        return loc.where(key)
    if isinstance(node, LocList):
        return node.loc.where(key)
    return Where(default)


# --------------------------------------------------------------------------- extends


def _read_file(path: Path, stack: list[Path], problems: ProblemList, deps: list[tuple[str, str]]) -> Any:
    file = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RubricError.one(
            file,
            T(f"cannot read the rubric ({exc.strerror})", f"无法读取评估框架（{exc.strerror}）"),
            T("check the path and its permissions", "请检查路径与权限"),
        ) from None
    deps.append((str(path.resolve()), hashlib.sha256(raw).hexdigest()))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RubricError.one(
            file,
            T("the rubric is not UTF-8 text", "评估框架不是 UTF-8 文本"),
            T("save it as UTF-8", "请另存为 UTF-8 编码"),
        ) from None
    data = parse_yaml(text, file, problems)
    if data is None:
        if not problems:
            problems.add(
                Where(file, 1),
                T("the rubric is empty", "评估框架为空"),
                T(
                    "start from `vibbench rubric init --extends vib`",
                    "可用 `vibbench rubric init --extends vib` 生成起始文件",
                ),
            )
        return None
    if not isinstance(data, dict):
        problems.add(
            Where(file, 1),
            T("a rubric must be a YAML mapping", "评估框架必须是 YAML 映射"),
            T(
                "start from `vibbench rubric init --extends vib`",
                "可用 `vibbench rubric init --extends vib` 生成起始文件",
            ),
        )
        return None
    base_spec = data.get("extends")
    if base_spec is None:
        return data
    if not isinstance(base_spec, str):
        problems.add(
            where(data, "extends"),
            T("`extends` must be a rubric name or path", "`extends` 必须是评估框架名称或路径"),
            T("write e.g. `extends: vib`", "例如写 `extends: vib`"),
        )
        return data
    try:
        base_path = resolve(base_spec, relative_to=path).resolve()
    except UsageError as exc:
        p = exc.problems[0]
        problems.add(where(data, "extends"), p.what, p.fix)
        return None
    if base_path in stack:
        chain = " → ".join(display_path(p) for p in [*stack[stack.index(base_path) :], base_path])
        problems.add(
            where(data, "extends"),
            T(f"`extends` cycle: {chain}", f"`extends` 形成循环：{chain}"),
            T("make one of these rubrics stop extending the other", "请让其中一个框架不再继承另一个"),
        )
        return None
    base = _read_file(base_path, [*stack, base_path], problems, deps)
    if base is None:
        return None
    return apply_overlay(base, data, problems)


def _find(items: Any, ident: Any) -> dict[Any, Any] | None:
    if isinstance(items, list):
        for item in items:
            if isinstance(item, dict) and item.get("id") == ident:
                return item
    return None


def _merge_list(base: Any, over: Any, child: str | None) -> Any:
    if not isinstance(base, list) or not isinstance(over, list):
        return over
    for item in over:
        target = _find(base, item.get("id")) if isinstance(item, dict) else None
        if target is None:
            base.append(item)
        else:
            _merge_item(target, item, child)
    return base


def _merge_item(base: dict[Any, Any], over: dict[Any, Any], child: str | None) -> None:
    for key, value in over.items():
        if key is LOC:
            continue
        if child is not None and key == child:
            base[key] = _merge_list(base.get(key), value, _CHILDREN.get(child))
        elif key == "levels" and isinstance(base.get(key), dict) and isinstance(value, dict):
            base[key].update(value)
        else:
            base[key] = value
        base[LOC].keys[key] = over[LOC].keys[key]


def _indicator_nodes(data: dict[Any, Any]) -> list[dict[Any, Any]]:
    """Every indicator mapping of the tree (pillars → dimensions → indicators)."""
    out: list[dict[Any, Any]] = []
    for p in _as_list(data.get("pillars")):
        for d in _as_list(p.get("dimensions")) if isinstance(p, dict) else ():
            out.extend(
                i for i in _as_list(d.get("indicators")) if isinstance(d, dict) and isinstance(i, dict)
            )
    return out


def _walk_nodes(data: dict[Any, Any]) -> list[tuple[dict[Any, Any], list[Any]]]:
    """Every pillar, dimension and indicator with the list that holds it."""
    found: list[tuple[dict[Any, Any], list[Any]]] = []

    def visit(items: Any, child: str | None) -> None:
        if not isinstance(items, list):
            return
        for item in items:
            if isinstance(item, dict):
                found.append((item, items))
                if child:
                    visit(item.get(child), _CHILDREN.get(child))

    visit(data.get("pillars"), "dimensions")
    return found


def _indicator_ids(node: dict[Any, Any]) -> list[str]:
    if "type" in node or ("indicators" not in node and "dimensions" not in node):
        ident = node.get("id")
        return [ident] if isinstance(ident, str) else []
    out: list[str] = []
    for key in ("dimensions", "indicators"):
        for child in node.get(key) or []:
            if isinstance(child, dict):
                out.extend(_indicator_ids(child))
    return out


def apply_overlay(base: dict[Any, Any], over: dict[Any, Any], problems: ProblemList) -> dict[Any, Any]:
    """Apply what an extending rubric says (texts, additions, ``weights``, ``remove``) to its base."""
    for key, value in over.items():
        if key is LOC or key in _OVERLAY_KEYS:
            continue
        if key in ("pillars", "checks"):
            base[key] = _merge_list(base.get(key), value, "dimensions" if key == "pillars" else None)
        elif key == "themes" and isinstance(base.get(key), dict) and isinstance(value, dict):
            base[key].update(value)
        else:
            base[key] = value
        base[LOC].keys[key] = over[LOC].keys[key]
    _apply_weights_and_removals(base, over, problems)
    return base


def _apply_weights_and_removals(data: dict[Any, Any], spec: dict[Any, Any], problems: ProblemList) -> None:
    nodes = {n.get("id"): (n, holder) for n, holder in _walk_nodes(data) if isinstance(n.get("id"), str)}
    weights = spec.get("weights")
    if weights is not None and not isinstance(weights, dict):
        problems.add(
            where(spec, "weights"),
            T("`weights` must map ids to numbers", "`weights` 必须是 编号: 数值 的映射"),
            T("write e.g. `weights: {RD: 2}`", "例如 `weights: {RD: 2}`"),
        )
    for ident, w in _as_dict(weights).items():
        if ident is LOC:
            continue
        if ident not in nodes:
            problems.add(
                where(weights, ident),
                T(f"`weights` names unknown id '{ident}'", f"`weights` 中的编号 '{ident}' 不存在"),
                T(
                    "use a pillar, dimension or indicator id of the rubric (see `vibbench rubric show`)",
                    "请使用框架中已有的支柱、维度或指标编号（见 `vibbench rubric show`）",
                ),
            )
            continue
        node = nodes[ident][0]
        node["weight"] = w
        node[LOC].keys["weight"] = _as_dict(weights)[LOC].keys[ident]
    remove = spec.get("remove")
    if remove is not None and not isinstance(remove, list):
        problems.add(
            where(spec, "remove"),
            T("`remove` must be a list of ids", "`remove` 必须是编号列表"),
            T("write e.g. `remove: [RC.FUND.3]`", "例如 `remove: [RC.FUND.3]`"),
        )
        return
    removed: set[str] = set(data.get("_removed") or ())
    emptied: set[int] = set()
    for i, ident in enumerate(remove or []):
        if ident not in nodes:
            problems.add(
                where(remove, i),
                T(f"`remove` names unknown id '{ident}'", f"`remove` 中的编号 '{ident}' 不存在"),
                T(
                    "use an id of the base rubric (see `vibbench rubric show`)",
                    "请使用基础框架中的编号（见 `vibbench rubric show`）",
                ),
            )
            continue
        node, holder = nodes[ident]
        removed.update(_indicator_ids(node))
        if node in holder:
            holder.remove(node)
            if not holder:
                emptied.add(id(holder))
    if emptied:
        _drop_emptied(data, emptied)
    if removed:
        checks = data.get("checks")
        if isinstance(checks, list):
            kept = LocList(c for c in checks if not _check_mentions(c, removed))
            kept.loc = checks.loc if isinstance(checks, LocList) else Loc("?", 0)
            data["checks"] = kept
        data["_removed"] = sorted(removed)


def _drop_emptied(data: dict[Any, Any], emptied: set[int]) -> None:
    """A dimension whose every indicator was removed goes too, and so does a pillar emptied so."""
    pillars = data.get("pillars")
    if not isinstance(pillars, list):
        return
    for p in list(pillars):
        dims = p.get("dimensions") if isinstance(p, dict) else None
        if not isinstance(dims, list):
            continue
        for d in list(dims):
            if isinstance(d, dict) and id(d.get("indicators")) in emptied:
                dims.remove(d)
                if not dims:
                    emptied.add(id(dims))
        if id(dims) in emptied:
            pillars.remove(p)


def _check_mentions(check: Any, ids: set[str]) -> bool:
    if not isinstance(check, dict):
        return False
    return any(isinstance(check.get(k), dict) and check[k].get("indicator") in ids for k in ("if", "then"))


# --------------------------------------------------------------------------- validation


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
    smin = scale.get("min", 0) if isinstance(scale.get("min", 0), int) else 0
    smax = scale.get("max", 4) if isinstance(scale.get("max", 4), int) else 4
    if smin >= smax:
        problems.add(
            where(scale, "max"),
            T(f"scale max {smax} must be above min {smin}", f"量表最大值 {smax} 必须大于最小值 {smin}"),
            T("fix the scale", "请修正量表"),
        )
    themes = data.get("themes")
    theme_ids = (
        {k for k in themes if k is not LOC}
        if isinstance(themes, dict)
        else {
            "institutional_supply",
            "research_organisation",
            "capital_linkage",
        }
    )

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


_LEVEL_ONLY = ("levels",)
_NUMBER_ONLY = ("unit", "direction", "min", "target", "scale", "range")


def _check_indicator(
    i: dict[Any, Any], smin: int, smax: int, themes: set[Any], problems: ProblemList
) -> None:
    kind = i.get("type")
    iid = i.get("id", "?")
    ref = i.get("reference")
    known = kind in ("level", "number", "boolean")
    for key in _LEVEL_ONLY if known and kind != "level" else ():
        if key in i:
            problems.add(
                where(i, key),
                T(
                    f"`{key}` applies to level indicators only ({iid} is {kind})",
                    f"`{key}` 只适用于等级型指标（{iid} 为 {kind}）",
                ),
                T(f"remove `{key}` or set `type: level`", f"请删除 `{key}` 或设 `type: level`"),
            )
    for key in _NUMBER_ONLY if known and kind != "number" else ():
        if key in i:
            problems.add(
                where(i, key),
                T(
                    f"`{key}` applies to number indicators only ({iid} is {kind})",
                    f"`{key}` 只适用于数值型指标（{iid} 为 {kind}）",
                ),
                T(f"remove `{key}` or set `type: number`", f"请删除 `{key}` 或设 `type: number`"),
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
            missing = [n for n in range(smin, smax + 1) if n not in keys]
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


def _in_scale(k: Any, smin: int, smax: int) -> bool:
    return isinstance(k, int) and not isinstance(k, bool) and smin <= k <= smax


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
    t = _num(i.get("target")) if i.get("target") is not None else r
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
    direction = i.get("direction") or "higher"
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


_PYDANTIC_TYPES = {"str", "LangText", "float", "bool", "int", "none", "dict", "list"}


def _pydantic_problems(data: dict[Any, Any], errors: list[dict[str, Any]], problems: ProblemList) -> None:
    seen: set[tuple[Where, tuple[Any, ...]]] = set()
    raw_locs = [tuple(e["loc"]) for e in errors]
    for err in errors:
        loc_raw = tuple(err["loc"])
        if (
            loc_raw
            and loc_raw[-1] == "str"
            and any(
                other[: len(loc_raw) - 1] == loc_raw[:-1]
                and len(other) >= len(loc_raw)
                and other[len(loc_raw) - 1] == "LangText"
                for other in raw_locs
            )
        ):
            continue  # a mapping was meant: its own error says what is wrong with it
        loc = tuple(
            p
            for p in err["loc"]
            if not (isinstance(p, str) and (p in _PYDANTIC_TYPES or "[" in p or p.startswith("function")))
        )
        node: Any = data
        holder: Any = data
        key: Any = None
        for part in loc:
            if isinstance(node, dict):
                match = next((k for k in node if k is not LOC and (k == part or str(k) == str(part))), None)
                if match is None:
                    key = part if err["type"] == "extra_forbidden" else None
                    break
                holder, key, node = node, match, node[match]
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                holder, key, node = node, part, node[part]
            else:
                break
        place = where(holder, key) if key is not None else where(holder)
        if isinstance(node, dict) and err["type"] == "missing":
            place = where(node)
        ident = (place, loc)
        if ident in seen:
            continue
        seen.add(ident)
        name = str(loc[-1]) if loc else "rubric"
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


def _validate(data: dict[Any, Any], problems: ProblemList) -> dict[str, Any] | None:
    from pydantic import ValidationError

    from vibbench.rubric.schema import Rubric as RubricModel

    plain = strip(data)
    removed = plain.pop("_removed", [])
    for key in _OVERLAY_KEYS:
        plain.pop(key, None)
    canonical: dict[str, Any] | None = None
    try:
        model = RubricModel.model_validate(plain)
        canonical = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    except ValidationError as exc:
        _pydantic_problems(data, [dict(e) for e in exc.errors(include_url=False)], problems)
    check_semantics(data, problems)
    from vibbench.rubric.v2checks import check_v2

    check_v2(data, problems, where, _indicator_nodes)
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


def compile_rubric(path: Path) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The validated, canonical rubric dictionary and the files it was made from (path, sha256)."""
    problems = ProblemList()
    deps: list[tuple[str, str]] = []
    resolved = path.resolve()
    data = _read_file(resolved, [resolved], problems, deps)
    canonical = None
    if data is not None:
        if "extends" not in data:
            _apply_weights_and_removals(data, data, problems)
        canonical = _validate(data, problems)
    if problems or canonical is None:
        raise RubricError(_sorted(problems.problems))
    return canonical, deps


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p.where.sort_key)
