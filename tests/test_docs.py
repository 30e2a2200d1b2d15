"""Docs cannot drift: every command is in the README and has help text in both languages."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer

from tests.conftest import ROOT
from vibbench.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands() -> list[tuple[str, Any]]:
    # typer vendors its own click, so go by the presence of sub-commands, not by class
    root: Any = typer.main.get_command(app)
    out = []
    for name, cmd in root.commands.items():
        if getattr(cmd, "commands", None):
            out += [(f"{name} {sub}", c) for sub, c in cmd.commands.items()]
        else:
            out.append((name, cmd))
    return out


@pytest.mark.parametrize(("name", "cmd"), commands(), ids=[n for n, _ in commands()])
def test_command_documented_with_help(name: str, cmd: Any) -> None:
    assert f"vibbench {name}" in README, f"`vibbench {name}` is not in README.md"
    help_text = cmd.help or ""
    assert help_text.strip(), f"{name} has no help"
    assert re.search(r"[\u4e00-\u9fff]", help_text), f"{name}'s help has no Chinese"


def test_quick_start_has_the_two_commands() -> None:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)\n```", section, re.S)
    assert len(blocks) == 2
    assert "vibbench score samples/" in blocks[0]
    sample = blocks[0].split("vibbench score ", 1)[1].split()[0]
    assert (ROOT / sample).is_file()
    assert "python -m pytest" in blocks[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_cmd = blocks[1].split("&&")[-1].strip()
    assert test_cmd in ci, "CI must run the README's test command"


def test_exit_codes_documented() -> None:
    for code in ("| 0 |", "| 1 |", "| 2 |"):
        assert code in README


def test_readme_python_api_example_runs() -> None:
    """The README's "Python API" example is run as written (from the checkout's root) and
    prints what its comment says."""
    import os
    import subprocess
    import sys

    section = README.split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    (code,) = re.findall(r"```python\n(.*?)\n```", section, re.S)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env
    )
    assert out.returncode == 0, out.stderr
    said = re.search(r"^print\(result\)\s+# (.*)$", code, re.M)
    assert said is not None
    lines = out.stdout.splitlines()
    assert lines[0] == said.group(1)
    assert len(lines) == 1 + len(list((ROOT / "samples").glob("*.xlsx")))
