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
    pytest.importorskip("hatchling")
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
