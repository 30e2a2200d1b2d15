"""Helpers shared by the rubric tests: a CLI runner that keeps stderr apart, the bundled rubric."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT

VIB_YAML = ROOT / "rubrics" / "vib.yaml"
CASES = ROOT / "tests" / "cases"

# `error: WHERE: WHAT — HOW TO FIX` where WHERE is `file:line` (or just `file` when no line is known)
ERROR_LINE = re.compile(r"^error: (?P<where>\S+?(?::\d+)?): (?P<what>.+) — (?P<fix>.+)$")


def make_runner() -> CliRunner:
    """stdout and stderr kept apart: click < 8.2 needs ``mix_stderr=False``, later ones always do."""
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # pragma: no cover - click < 8.2
    return CliRunner()


@pytest.fixture
def runner() -> CliRunner:
    return make_runner()


@pytest.fixture
def vib_path() -> Path:
    assert VIB_YAML.is_file(), "the bundled rubric rubrics/vib.yaml is missing"
    return VIB_YAML


def parse_error_lines(stderr: str) -> list[re.Match[str]]:
    """Every line of ``stderr`` as an ``error: WHERE: WHAT — HOW TO FIX`` match (fails otherwise)."""
    matches = []
    for line in stderr.splitlines():
        m = ERROR_LINE.match(line)
        assert m is not None, f"not an `error: WHERE: WHAT — HOW TO FIX` line: {line!r}"
        matches.append(m)
    return matches
