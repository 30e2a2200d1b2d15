"""The rubric package's shape: layers run one way, and pydantic's errors are placed by structure."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from tests.rubric.conftest import CASES
from vibbench.errors import ProblemList
from vibbench.rubric import validation
from vibbench.rubric.yaml_lines import parse_yaml

RUBRIC_PKG = Path(validation.__file__).resolve().parent


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def test_nothing_in_the_rubric_package_imports_the_cli_the_reports_or_rich() -> None:
    modules = sorted(RUBRIC_PKG.glob("*.py"))
    assert len(modules) >= 8  # the package is there: the test means something
    for path in modules:
        upward = {
            name for name in _imports(path) if name.startswith(("vibbench.report", "vibbench.cli", "rich"))
        }
        assert not upward, (path.name, upward)


def test_the_rubric_modules_import_each_other_without_a_cycle() -> None:
    graph: dict[str, set[str]] = {}
    for path in RUBRIC_PKG.glob("*.py"):
        name = f"vibbench.rubric.{path.stem}"
        graph[name] = {
            m
            for i in _imports(path)
            if i.startswith("vibbench.rubric.")
            for m in [".".join(i.split(".")[:3])]
            if m != name and (RUBRIC_PKG / f"{m.rsplit('.', 1)[1]}.py").is_file()
        }
    assert graph["vibbench.rubric.compiler"] and graph["vibbench.rubric.loader"]

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cyclic = [m for m in graph if reaches(m, m, set())]
    assert cyclic == []


def _data(text: str) -> Any:
    problems = ProblemList()
    data = parse_yaml(text, "r.yaml", problems)
    assert not problems
    return data


def test_pydantic_errors_are_placed_whatever_pydantic_calls_its_union_branches() -> None:
    """A future pydantic may name the branches it tried differently; placement must not care."""
    data = _data((CASES / "valid" / "minimal-plain-text" / "rubric.yaml").read_text("utf-8"))
    name_line = data["pillars"][0][validation.LOC].keys["name"][1]
    weight_holder = data["pillars"][0]
    errors: list[dict[str, Any]] = [
        {"type": "string_too_short", "loc": ("pillars", 0, "name", "branch-of-the-future[x]", "en"),
         "msg": "too short"},
        {"type": "extra_forbidden", "loc": ("pillars", 0, "zzz-made-up-branch", "dimensions"), "msg": "extra"},
        {"type": "missing", "loc": ("pillars", 0, "str", "LangText", "needed"), "msg": "missing"},
    ]  # fmt: skip
    problems = ProblemList()

    validation._pydantic_problems(data, errors, problems, set())

    places = [(p.where.file, p.where.line) for p in problems.problems]
    assert len(places) == 3
    assert places[0] == ("r.yaml", name_line)
    dims_line = data["pillars"][0][validation.LOC].keys["dimensions"][1]
    assert places[1] == ("r.yaml", dims_line)  # a key in the data: the extra key's own line
    assert places[2] == ("r.yaml", weight_holder[validation.LOC].line)
    assert "needed" in problems.problems[2].what.en
