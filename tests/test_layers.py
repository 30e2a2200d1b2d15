"""The layers run one way (issue 11): text/errors → rubric → workbook → scoring → report → the
command line, batch and API. A module imports only from its own layer or the ones below it,
whether at the top of the file or inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "vibbench"
ORDER = ["base", "rubric", "workbook", "scoring", "report", "top"]
BASE = {"vibbench", "vibbench.text", "vibbench.errors", "vibbench.signals", "vibbench.io", "vibbench.formats"}


def layer(module: str) -> str:
    if module in BASE:
        return "base"
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in ("rubric", "workbook", "scoring", "report"):
        return parts[1]
    return "top"  # cli, cli_rubric, batch, api, usage, __main__


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("vibbench"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("vibbench"))
    return found


def module_of(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def test_no_module_imports_from_a_layer_above_its_own() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        mine = module_of(path)
        if mine == "vibbench":  # the package's lazy API names what it exports, by design
            continue
        for target in imports(path):
            if ORDER.index(layer(target)) > ORDER.index(layer(mine)):
                wrong.append(f"{mine} imports {target}")
    assert wrong == []
