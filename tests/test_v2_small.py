"""Small v2 promises that cross modules: the starter rubric shows the v2 keys, years typed as
2024年 order as integers in compare's progress, and sensitivity output people can read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import MINI_RUBRIC, ROOT
from tests.workbook._build_workbooks import book


def vibbench(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vibbench", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "VIBBENCH_LANG": "en"},
    )


def test_rubric_init_shows_the_v2_keys(tmp_path: Path) -> None:
    res = vibbench("rubric", "init", "--extends", "vib", "--output", "my.yaml", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    text = (tmp_path / "my.yaml").read_text(encoding="utf-8")
    for key in (
        "applies_to:",
        "actor: funder",
        "optional: true",
        "unit: money",
        "per: research_staff",
        "plausible:",
        "named:",
        "profiles:",
        "money:",
    ):
        assert key in text, key
    assert "vibbench-rubric.schema.json" in res.stderr  # it says it wrote the schema too
    ok = vibbench("rubric", "validate", "my.yaml", cwd=tmp_path)
    assert ok.returncode == 0 and not ok.stderr.strip()


def test_progress_orders_years_typed_in_chinese(tmp_path: Path) -> None:
    for name, year, level in (("a", "2025", 3), ("b", "2024年", 1), ("c", "FY2023", 0)):
        book(
            tmp_path / f"{name}.xlsx",
            [["A.X.1", level]],
            institution=[["name", "Same Institute"], ["year", year]],
        )
    res = vibbench("compare", str(tmp_path), "--rubric", str(MINI_RUBRIC), "--format", "json")
    assert res.returncode == 0, res.stderr
    years = sorted(i["institution"]["year"] for i in json.loads(res.stdout)["institutions"])
    assert years == [2023, 2024, 2025]  # integers, whatever was typed
    table = vibbench("compare", str(tmp_path), "--rubric", str(MINI_RUBRIC)).stdout
    assert "2023 → 2024" in table and "2024 → 2025" in table and "2025 → 2024" not in table


def test_sensitivity_names_priorities_sorts_shares_and_says_a_verdict() -> None:
    res = vibbench("sensitivity", str(ROOT / "samples"), "--samples", "200", "--format", "markdown")
    assert res.returncode == 0, res.stderr
    text = res.stdout
    assert "Verdict" in text and ("cannot be told apart" in text or "Every rank holds" in text)
    assert "(5–95%" in text  # each institution's rank range in words
    rows = [ln for ln in text.splitlines() if ln.startswith("| ") and "%" in ln.split("|")[-2]]
    assert rows
    for row in rows:
        tops = row.split("|")[-2]
        shares = [
            int(part.strip().rsplit(" ", 1)[-1].rstrip("%"))
            for part in tops.split(";")
            if part.strip().endswith("%")
        ]
        assert shares == sorted(shares, reverse=True)
        assert any(
            ch.isalpha() for ch in tops.replace("RD", "").replace("RC", "").replace("PI", "")
        )  # names, not bare ids
