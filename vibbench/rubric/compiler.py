"""Compile a rubric file: read it and what it extends, merge, validate.

Only run on a cache miss (see :mod:`vibbench.rubric.loader`), so PyYAML and pydantic stay
off the start-up path of commands that merely use a rubric. Every problem names its
``file:line``; all problems are collected and reported together. The steps live in their own
modules: :mod:`~vibbench.rubric.yaml_lines` (YAML with line numbers),
:mod:`~vibbench.rubric.extends` (``extends`` merging), :mod:`~vibbench.rubric.validation`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vibbench.errors import Problem, ProblemList, RubricError
from vibbench.rubric.extends import apply_weights_and_removals, read_file
from vibbench.rubric.validation import validate


@dataclass(frozen=True)
class Compiled:
    canonical: dict[str, Any]
    """The validated rubric with every default filled in."""
    deps: list[tuple[str, str]]
    """Each file it was made from: (absolute path, sha256 of its bytes)."""
    warnings: list[Problem]
    """What is allowed but probably unintended (e.g. a text that looks like a formula)."""


def compile_rubric(path: Path) -> Compiled:
    """Compile ``path``; raises :class:`RubricError` with every problem found."""
    problems = ProblemList()
    warnings = ProblemList()
    deps: list[tuple[str, str]] = []
    resolved = path.resolve()
    data = read_file(resolved, [resolved], problems, deps)
    canonical = None
    if data is not None:
        if "extends" not in data:
            apply_weights_and_removals(data, data, problems)
        canonical = validate(data, problems, warnings)
    if problems or canonical is None:
        raise RubricError(_sorted(problems.problems))
    return Compiled(canonical, deps, _sorted(warnings.problems))


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p.where.sort_key)
