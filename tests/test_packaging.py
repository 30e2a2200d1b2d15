"""The wheel carries the bundled rubrics, so an installed vibbench finds `vib` from any folder."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.skipif(not (ROOT / "pyproject.toml").is_file(), reason="not a source checkout")
def test_wheel_contains_the_bundled_rubrics(tmp_path: Path) -> None:
    import hatchling  # noqa: F401 - in the test extra: a missing one fails, never skips

    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    (wheel,) = tmp_path.glob("vibbench-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "vibbench/rubrics/vib.yaml" in names
    assert "vibbench/cli.py" in names
    assert not any(n.startswith(("tests/", "samples/")) for n in names)


HEAVY = ("pandas", "numpy", "openpyxl", "xlsxwriter", "matplotlib", "docx")
"""pydantic is left out: it validates a rubric the first time it is compiled (a cache miss)."""


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["score", "samples/academy-institute-2025.xlsx"],
        ["score", "samples/academy-institute-2025.xlsx", "--format", "json"],
        ["score", "samples/academy-institute-2025.xlsx", "--format", "csv"],
        ["score", "samples/academy-institute-2025.xlsx", "--format", "markdown"],
    ],
    ids=lambda a: " ".join(a[:1] + a[2:]),
)
def test_cli_path_imports_nothing_heavy(args: list[str]) -> None:
    """pandas (the optional extra behind ``to_frame``) and the other heavy libraries stay off
    the command line's path: ``--help`` and ``score`` in every format."""
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['vibbench', *{args!r}]\n"
        "try:\n"
        "    runpy.run_module('vibbench', run_name='__main__')\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "sys.stderr.write('HEAVY:' + ','.join(heavy) + '\\n')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "HEAVY:\n" in out.stderr, out.stderr


def test_library_scoring_imports_no_pandas() -> None:
    code = (
        "import sys, vibbench\n"
        "r = vibbench.score_file('samples/academy-institute-2025.xlsx', 'vib')\n"
        "r.to_dict(); repr(r); vibbench.compare(['samples'])\n"
        "print(','.join(m for m in ('pandas', 'numpy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == ""
