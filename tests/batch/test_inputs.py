"""compare's inputs and outputs at the edges: links that loop or point at nothing, FIFOs, the same
file twice, warnings in every format, --jobs and --samples bounds, pure renderers (issue 16)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINI_RUBRIC, ROOT
from tests.workbook._build_workbooks import raw_book, responses_xml

SAMPLES = ROOT / "samples"


def vibbench(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vibbench", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def two_samples(folder: Path) -> list[Path]:
    out = []
    for b in sorted(SAMPLES.glob("*.xlsx"))[:2]:
        shutil.copy(b, folder / b.name)
        out.append(folder / b.name)
    return out


def names(stdout: str) -> list[str]:
    return [Path(i["source"]["path"]).name for i in json.loads(stdout)["institutions"]]


def test_a_symlink_loop_is_one_failed_input(tmp_path: Path) -> None:
    good = two_samples(tmp_path)
    (tmp_path / "loop.xlsx").symlink_to(tmp_path / "loop.xlsx")
    res = vibbench("compare", str(tmp_path), "--format", "json")
    assert res.returncode == 2, res.stderr
    assert sorted(names(res.stdout)) == sorted(p.name for p in good)
    lines = [line for line in res.stderr.splitlines() if "loop.xlsx" in line]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "loops" in lines[0]
    assert "Traceback" not in res.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_dangling_links_and_fifos_are_reported_not_skipped(tmp_path: Path) -> None:
    good = two_samples(tmp_path)
    (tmp_path / "gone.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    os.mkfifo(tmp_path / "pipe.xlsx")  # opening it for reading would block forever
    res = vibbench("compare", str(tmp_path), "--format", "json", "--lang", "zh", timeout=60)
    assert res.returncode == 2, res.stderr
    assert sorted(names(res.stdout)) == sorted(p.name for p in good)
    gone = [line for line in res.stderr.splitlines() if "gone.xlsx" in line]
    pipe = [line for line in res.stderr.splitlines() if "pipe.xlsx" in line]
    assert len(gone) == 1 and "符号链接指向的文件不存在" in gone[0]
    assert len(pipe) == 1 and "这不是普通文件" in pipe[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_given_by_name_is_not_opened(tmp_path: Path) -> None:
    a, _ = two_samples(tmp_path)
    os.mkfifo(tmp_path / "named.xlsx")
    res = vibbench("compare", str(a), str(tmp_path / "named.xlsx"), "--format", "json", timeout=60)
    assert res.returncode == 2
    assert names(res.stdout) == [a.name]
    assert "named.xlsx: this is not a regular file" in res.stderr


def test_the_same_file_twice_is_scored_once_with_a_note(tmp_path: Path) -> None:
    a, b = two_samples(tmp_path)
    res = vibbench("compare", str(a), str(a), "--format", "json")
    assert res.returncode == 0, res.stderr
    assert names(res.stdout) == [a.name]
    assert res.stderr.count("note: ") == 1 and "read once" in res.stderr
    link = tmp_path / "link.xlsx"
    link.symlink_to(b)
    both = vibbench("compare", str(tmp_path), str(a), "--format", "json")  # a file plus its folder
    assert both.returncode == 0, both.stderr
    assert len(names(both.stdout)) == 2 and a.name in names(both.stdout)  # b.xlsx or the link to it
    assert both.stderr.count("note: ") == 2  # a.xlsx again, and the link to b.xlsx


def _low_coverage_books(folder: Path) -> None:
    """Institutions that answer one indicator of the mini rubric: low coverage for each."""
    for name, level in {"a": 4, "b": 2}.items():
        (folder / f"{name}.xlsx").write_bytes(raw_book([("Responses", responses_xml([["A.X.1", level]]))]))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_compare_views_show_the_warnings_json_has(lang: str, tmp_path: Path) -> None:
    _low_coverage_books(tmp_path)
    base = ["compare", str(tmp_path), "--rubric", str(MINI_RUBRIC), "--lang", lang]
    doc = json.loads(vibbench(*base, "--format", "json").stdout)
    expected = {
        i["institution"]["name"]: [w for w in i["warnings"] if w["code"] == "low_coverage"]
        for i in doc["institutions"]
    }
    assert all(len(w) == 1 for w in expected.values())
    message = next(iter(expected.values()))[0]["message"]
    table = vibbench(*base).stdout
    markdown = vibbench(*base, "--format", "markdown").stdout
    rows = list(csv.DictReader(io.StringIO(vibbench(*base, "--format", "csv").stdout)))
    assert {r["name"]: r["warnings"] for r in rows} == {
        name: f"low_coverage: {w[0]['message']}" for name, w in expected.items()
    }
    assert table.count("low_coverage") == 2 and message[:20] in table
    plain = markdown.replace("\\_", "_")  # Markdown escapes the underscore
    assert plain.count("low_coverage") == 2 and message[:20] in plain
    assert ("## Warnings" if lang == "en" else "## 提示") in markdown


def test_jobs_is_capped_at_the_cpus_and_the_files(monkeypatch: pytest.MonkeyPatch) -> None:
    from vibbench import batch

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert batch.jobs_for(64, 1000) == 2
    assert batch.jobs_for(None, 1000) == 2
    assert batch.jobs_for(64, 1) == 1
    assert batch.jobs_for(1, 1000) == 1


def test_samples_beyond_the_memory_budget_are_refused() -> None:
    res = vibbench("sensitivity", str(SAMPLES), "--samples", str(10**9))
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("error: --samples: ")
    assert "2 GiB" in res.stderr and "MemoryError" not in res.stderr
    zh = vibbench("sensitivity", str(SAMPLES), "--samples", str(10**9), "--lang", "zh")
    assert zh.returncode == 2 and "超过 2 GiB 的上限" in zh.stderr


def test_renderers_write_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Markdown chart comes back as data beside the text; the CLI writes both."""
    from vibbench.report.compare import render
    from vibbench.rubric.loader import load_rubric
    from vibbench.scoring.engine import score_file
    from vibbench.scoring.ranking import rank

    monkeypatch.chdir(tmp_path)
    rubric = load_rubric("vib")
    ranked = rank([score_file(b, rubric) for b in sorted(SAMPLES.glob("*.xlsx"))[:2]])
    shown = render(ranked, rubric, "markdown", "en", charts="c_charts")
    assert isinstance(shown.text, str) and "(c_charts/heat.svg)" in shown.text
    assert list(shown.files) == ["c_charts/heat.svg"] and b"<svg" in shown.files["c_charts/heat.svg"]
    assert list(tmp_path.iterdir()) == []


def test_a_failed_markdown_output_leaves_no_charts_folder(tmp_path: Path) -> None:
    target = tmp_path / "c.md"
    target.mkdir()  # cannot be replaced by a file
    res = vibbench("compare", str(SAMPLES), "--format", "markdown", "--output", str(target))
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.md"]
