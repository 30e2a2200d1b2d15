"""YAML with line numbers: safe-load a rubric file keeping where each mapping and key stands.

Every mapping keeps its :class:`Loc` under the sentinel key :data:`LOC`; every sequence is a
:class:`LocList`. Numbers are checked as they are read: a non-finite number, a number beyond
±1e15 or an integer of more than a few dozen digits is a problem at its line.
"""

from __future__ import annotations

import math
from typing import Any

import yaml

from vibbench.errors import ProblemList, Where
from vibbench.rubric.defaults import MAX_MAGNITUDE
from vibbench.text import T, control_in

try:  # libyaml's C loader is ~10x faster on a large rubric
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


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


_INT = "tag:yaml.org,2002:int"
_MAX_INT_DIGITS = 30
"""An integer with more digits than this is refused before Python converts it (a 5,000-digit
integer exceeds Python's own limit and would otherwise be an internal error)."""
_NUMBER_FIX_EN = f"use a finite number between -{MAX_MAGNITUDE:.0e} and {MAX_MAGNITUDE:.0e}"
_NUMBER_FIX_ZH = f"请使用 -{MAX_MAGNITUDE:.0e} 到 {MAX_MAGNITUDE:.0e} 之间的有限数值"


def _sane(value: float) -> bool:
    try:
        return math.isfinite(value) and abs(value) <= MAX_MAGNITUDE
    except OverflowError:  # an int too large for a float
        return False


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
    if node.tag == _INT and sum(ch.isdigit() for ch in str(node.value)) > _MAX_INT_DIGITS:
        problems.add(
            Where(file, line),
            T(
                f"the number has {len(str(node.value)):,} characters, far beyond any value a rubric needs",
                f"该数字长达 {len(str(node.value)):,} 个字符，远超评估框架所需的任何数值",
            ),
            T(_NUMBER_FIX_EN, _NUMBER_FIX_ZH),
        )
        return None
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, OverflowError) as exc:  # e.g. Python's limit on int digits
        problems.add(
            Where(file, line),
            T(f"cannot read this number ({exc})", f"无法读取该数字（{exc}）"),
            T(_NUMBER_FIX_EN, _NUMBER_FIX_ZH),
        )
        return None
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
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not _sane(value):
        problems.add(
            Where(file, line),
            T(f"the number {value!r} is not finite or too large", f"数字 {value!r} 不是有限值或过大"),
            T(_NUMBER_FIX_EN, _NUMBER_FIX_ZH),
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


MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences read (a rubric needs about 8). Deeper input would
exhaust the stack of the (recursive) YAML composer: a crash, not an error message."""


def _too_deep(text: str) -> int | None:
    """The line where nesting first goes beyond :data:`MAX_DEPTH`, if it does (events only: flat)."""
    loader = _SafeLoader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1 if event.start_mark else 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None  # reported with its line when the document is composed
    finally:
        loader.dispose()
    return None


def parse_yaml(text: str, file: str, problems: ProblemList) -> Any:
    """Safe-load YAML keeping each mapping's and key's line (under the ``LOC`` key)."""
    deep = _too_deep(text)
    if deep is not None:
        problems.add(
            Where(file, deep),
            T(
                f"the YAML nests more than {MAX_DEPTH} levels deep",
                f"YAML 嵌套超过 {MAX_DEPTH} 层",
            ),
            T("a rubric nests a few levels only: check the brackets", "评估框架只需几层嵌套：请检查括号"),
        )
        return None
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
