"""The command line as a user meets it: version, help, start-up imports, error lines."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from tests.conftest import MINI_RUBRIC
from vibbench import __version__
from vibbench.cli import app

runner = CliRunner()


def test_version() -> None:
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.stdout.strip() == f"vibbench {__version__}"


def test_module_entry_point() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "vibbench", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"vibbench {__version__}"


def test_help_lists_commands() -> None:
    res = runner.invoke(app, ["--help"])
    assert res.exit_code == 0
    for name in ("score", "report", "template", "rubric", "compare", "sensitivity", "explain"):
        assert name in res.stdout


def test_start_up_path_imports_nothing_heavy() -> None:
    code = (
        "import sys, vibbench.cli\n"
        "heavy = [m for m in ('pandas', 'openpyxl', 'matplotlib', 'numpy', 'pydantic') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_missing_file_is_one_error_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "vibbench",
            "score",
            str(tmp_path / "nope.xlsx"),
            "--rubric",
            str(MINI_RUBRIC),
        ],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "nope.xlsx" in lines[0]
    assert res.stdout == ""


def test_unknown_rubric_is_exit_2() -> None:
    res = subprocess.run(
        [sys.executable, "-m", "vibbench", "rubric", "show", "no-such-rubric"], capture_output=True, text=True
    )
    assert res.returncode == 2 and res.stderr.startswith("error: ") and "Traceback" not in res.stderr
