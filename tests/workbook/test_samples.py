"""The bundled sample workbooks: reproducible from samples/make_samples.py, readable, and showing
what each is meant to show (progress, disagreement, a gap of 0 for VIB itself)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest

from tests.conftest import ROOT
from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import Rubric
from vibbench.workbook.template import COLUMNS

SAMPLES = ROOT / "samples"
NAMES = (
    "shanghai-biomed-2025.xlsx",
    "shanghai-biomed-2026.xlsx",
    "provincial-university-tto-2025.xlsx",
    "academy-institute-2025.xlsx",
    "vib-reference.xlsx",
)
REGENERATE = "the committed samples are stale: run `python samples/make_samples.py` and commit the result"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    assert _script().main(["--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric("vib")


def _cells(path: Path) -> dict[str, list[Any]]:
    """Every sheet's values and data validations: what the bytes say, minus serialisation."""
    wb = openpyxl.load_workbook(path)
    return {
        ws.title: [
            *ws.iter_rows(values_only=True),
            *(
                (str(dv.sqref), dv.type, dv.formula1, dv.formula2, dv.prompt)
                for dv in ws.data_validations.dataValidation
            ),
        ]
        for ws in wb
    }


def test_the_committed_samples_are_the_ones_the_script_writes(regenerated: Path) -> None:
    assert sorted(p.name for p in SAMPLES.glob("*.xlsx")) == sorted(NAMES)
    assert sorted(p.name for p in regenerated.glob("*.xlsx")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_regenerating_gives_the_same_cells(regenerated: Path, name: str) -> None:
    assert _cells(regenerated / name) == _cells(SAMPLES / name), REGENERATE


@pytest.fixture(scope="module")
def regenerated_by_the_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples as ``python samples/make_samples.py`` writes them: in a process of its own, where
    the script chooses openpyxl's serialiser (without lxml) before openpyxl is imported — whatever
    this test process imported first (python-docx brings lxml along)."""
    out = tmp_path_factory.mktemp("samples-script")
    env = {k: v for k, v in os.environ.items() if k != "OPENPYXL_LXML"}
    subprocess.run(
        [sys.executable, str(SAMPLES / "make_samples.py"), "--out", str(out)],
        check=True,
        capture_output=True,
        env={**env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        timeout=300,
    )
    return out


@pytest.mark.parametrize("name", NAMES)
def test_regenerating_gives_the_same_bytes(regenerated_by_the_script: Path, name: str) -> None:
    assert (regenerated_by_the_script / name).read_bytes() == (SAMPLES / name).read_bytes(), REGENERATE


def test_every_sample_is_readme_documented() -> None:
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    for name in NAMES:
        assert name in readme


# --------------------------------------------------------------------------- reading and scoring


def _reader() -> Any:
    from vibbench.workbook import reader

    return reader


@pytest.fixture(scope="module")
def results(rubric: Rubric) -> dict[str, Any]:
    reader = _reader()
    from vibbench.scoring.engine import score

    return {name: score(reader.read_assessment(SAMPLES / name, rubric), rubric) for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_every_sample_reads_with_the_bundled_rubric(rubric: Rubric, name: str) -> None:
    assessment = _reader().read_assessment(SAMPLES / name, rubric)
    assert assessment.name
    assert assessment.answers
    assert assessment.stamp is not None and assessment.stamp.hash == rubric.content_hash


def _codes(result: Any) -> set[str]:
    return {w.code for w in result.warnings}


def test_vib_reference_scores_a_gap_of_zero(results: dict[str, Any], rubric: Rubric) -> None:
    result = results["vib-reference.xlsx"]
    assert result.assessment.name == "VIB (Flanders)"
    assert result.assessment.profile == rubric.default_profile
    assert all(r.answered for r in result.indicators)
    assert [r.score for r in result.indicators] == pytest.approx([r.reference for r in result.indicators])
    assert result.overall.gap == pytest.approx(0, abs=1e-9)
    assert all(p.gap == pytest.approx(0, abs=1e-9) for p in result.pillars)
    assert not _codes(result)
    for r in result.indicators:  # per-staff items answered as VIB's raw totals, money in 万元
        if r.indicator.per == "research_staff":
            assert r.value == pytest.approx(100 * r.answer / 1700)
            assert r.value >= r.indicator.reference * 0.999, r.id


def test_shanghai_improves_its_rule_design(results: dict[str, Any]) -> None:
    before, after = results["shanghai-biomed-2025.xlsx"], results["shanghai-biomed-2026.xlsx"]
    assert before.assessment.name == after.assessment.name
    assert (before.assessment.year, after.assessment.year) == (2025, 2026)  # "2026年" typed
    pillars = {p.id: p for p in before.pillars}
    assert min(pillars.values(), key=lambda p: p.score).id == "RD"  # weak rules in 2025
    rd_after = next(p for p in after.pillars if p.id == "RD")
    assert rd_after.score >= pillars["RD"].score + 15
    assert after.overall.score > before.overall.score
    old = {r.id: r.answer for r in before.indicators}
    changed = [
        r.id
        for r in after.indicators
        if r.indicator.pillar == "RD" and r.answer is not None and r.answer != old[r.id]
    ]
    assert len(changed) >= 5
    na = [r for r in before.indicators if not r.answered]
    assert na and all(r.indicator.optional and not r.applies for r in na)  # 不适用 where it is allowed


def test_the_university_tto_answers_what_applies_to_it(results: dict[str, Any]) -> None:
    result = results["provincial-university-tto-2025.xlsx"]
    assert result.assessment.profile == "university_tto"
    assert result.assessment.research_staff == 3800  # typed "3,800"
    for r in result.indicators:
        fits = r.indicator.applies_to is None or "university_tto" in r.indicator.applies_to
        assert r.applies == fits, r.id
        assert r.answered == fits, r.id  # the others are left blank and out of the score
    assert result.overall.coverage == pytest.approx(1.0)
    assert result.overall.reference < 100  # renormalised over what applies, VIB's level-3 items included


def test_money_is_typed_with_suffixes_and_per_staff_items_as_raw_totals(results: dict[str, Any]) -> None:
    col = COLUMNS.index("answer")
    typed = {
        name: {
            row[0]: row[col]
            for row in openpyxl.load_workbook(SAMPLES / name)["Responses"].iter_rows(values_only=True)
        }
        for name in NAMES
    }
    cells = [str(v) for answers in typed.values() for v in answers.values() if v is not None]
    assert any(c.endswith("亿元") for c in cells) and any(c.endswith("万") for c in cells)
    academy = {r.id: r for r in results["academy-institute-2025.xlsx"].indicators}
    assert typed["academy-institute-2025.xlsx"]["RC.FUND.4"] == "1.2亿元"
    assert academy["RC.FUND.4"].answer == pytest.approx(12_000)  # 万元
    assert academy["RC.FUND.4"].value == pytest.approx(100 * 12_000 / 1150)  # per 100 R&D staff
    staffed = [r for res in results.values() for r in res.indicators if r.indicator.per and r.answered]
    assert staffed and all(r.value != r.answer for r in staffed)


def test_the_academy_shows_a_group_assessment_with_data_quality_warnings(results: dict[str, Any]) -> None:
    result = results["academy-institute-2025.xlsx"]
    groups = [r for r in result.indicators if len(r.answers) == 3]
    assert len(groups) >= 8
    assert all(len({a.respondent for a in r.answers}) == 3 for r in groups)
    assert sum((r.spread or 0) >= 2 for r in groups if r.indicator.type == "level") >= 2
    assert {"disagreement", "unsupported_claim"} <= _codes(result)


@pytest.mark.parametrize(
    "name", ["shanghai-biomed-2025.xlsx", "shanghai-biomed-2026.xlsx", "provincial-university-tto-2025.xlsx"]
)
def test_single_respondent_samples_are_consistent(results: dict[str, Any], name: str) -> None:
    assert not _codes(results[name]) & {"inconsistent", "unsupported_claim", "disagreement", "rubric_drift"}
