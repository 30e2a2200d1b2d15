"""A JSON snapshot of one sample: any change to what scripts see is a deliberate one.

Regenerate with ``VIBBENCH_UPDATE_GOLDEN=1 python -m pytest tests/scoring/test_snapshot.py``.
"""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from vibbench.cli import app

GOLDEN = ROOT / "tests" / "golden" / "score_academy-institute-2025.json"


@pytest.mark.parametrize("lang", ["en"])
def test_json_snapshot_of_a_sample(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the source path in the JSON is as given on the command line
    res = CliRunner().invoke(
        app, ["score", "samples/academy-institute-2025.xlsx", "--format", "json", "--lang", lang]
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    if os.environ.get("VIBBENCH_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert_same(doc, expected, "$")


def assert_same(got: object, want: object, where: str) -> None:
    """Equal, with floats to 1e-12 (a libm may differ in the last bit)."""
    if isinstance(want, float) and isinstance(got, (int, float)):
        assert got == pytest.approx(want, rel=1e-12, abs=1e-12), where
    elif isinstance(want, dict):
        assert isinstance(got, dict) and set(got) == set(want), where
        for k in want:
            assert_same(got[k], want[k], f"{where}.{k}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), where
        for n, (g, w) in enumerate(zip(got, want, strict=True)):
            assert_same(g, w, f"{where}[{n}]")
    else:
        assert got == want, where
