"""``extends``: read a rubric file and the chain of files it extends, and merge them.

An extending file says only what differs: texts and additions by id, ``weights`` by id and
``remove`` of ids. The chain is at most :data:`MAX_EXTENDS_DEPTH` files long.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from vibbench.errors import ProblemList, RubricError, UsageError, Where
from vibbench.rubric.paths import display_path, read_rubric_bytes, resolve
from vibbench.rubric.yaml_lines import LOC, Loc, LocList, parse_yaml, where
from vibbench.text import T

OVERLAY_KEYS = ("extends", "weights", "remove")
"""Keys only an extending file says; they are gone once the files are merged."""
CHILDREN = {"pillars": "dimensions", "dimensions": "indicators", "indicators": None}
MAX_EXTENDS_DEPTH = 32
"""The longest chain of files extending one another (a real one is two or three long)."""


def read_file(path: Path, stack: list[Path], problems: ProblemList, deps: list[tuple[str, str]]) -> Any:
    file = display_path(path)
    raw = read_rubric_bytes(path)
    deps.append((str(path.resolve()), hashlib.sha256(raw).hexdigest()))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RubricError.one(
            Where(file),
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
    if len(stack) >= MAX_EXTENDS_DEPTH:
        problems.add(
            where(data, "extends"),
            T(
                f"`extends` chain longer than {MAX_EXTENDS_DEPTH} files",
                f"`extends` 继承链超过 {MAX_EXTENDS_DEPTH} 个文件",
            ),
            T(
                "extend the rubric you need directly instead of through a long chain",
                "请直接继承所需的框架，不要层层转继承",
            ),
        )
        return None
    base = read_file(base_path, [*stack, base_path], problems, deps)
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
            base[key] = _merge_list(base.get(key), value, CHILDREN.get(child))
        elif key == "levels" and isinstance(base.get(key), dict) and isinstance(value, dict):
            base[key].update(value)
        else:
            base[key] = value
        base[LOC].keys[key] = over[LOC].keys[key]


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
                    visit(item.get(child), CHILDREN.get(child))

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
        if key is LOC or key in OVERLAY_KEYS:
            continue
        if key in ("pillars", "checks"):
            base[key] = _merge_list(base.get(key), value, "dimensions" if key == "pillars" else None)
        elif key == "themes" and isinstance(base.get(key), dict) and isinstance(value, dict):
            base[key].update(value)
        else:
            base[key] = value
        base[LOC].keys[key] = over[LOC].keys[key]
    apply_weights_and_removals(base, over, problems)
    return base


def apply_weights_and_removals(data: dict[Any, Any], spec: dict[Any, Any], problems: ProblemList) -> None:
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


def _as_dict(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}
