"""The bundled sample workbooks: reproducible from samples/make_samples.py, readable, and showing
what each is meant to show (progress, disagreement, a gap of 0 for VIB itself)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest

from tests.conftest import ROOT
from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import Rubric

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


@pytest.mark.skipif(
    bool(openpyxl.LXML),
    reason="with lxml installed openpyxl serialises XML differently from the committed files",
)
@pytest.mark.parametrize("name", NAMES)
def test_regenerating_gives_the_same_bytes(regenerated: Path, name: str) -> None:
    assert (regenerated / name).read_bytes() == (SAMPLES / name).read_bytes(), REGENERATE


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
    assert result.assessment.name == "VIB (reference values)"
    assert all(r.answered for r in result.indicators)
    assert [r.answer for r in result.indicators] == pytest.approx([i.reference for i in rubric.indicators()])
    assert result.overall.gap == pytest.approx(0, abs=1e-9)
    assert all(p.gap == pytest.approx(0, abs=1e-9) for p in result.pillars)
    assert not _codes(result) & {"inconsistent", "unsupported_claim", "low_coverage"}


def test_shanghai_improves_its_rule_design(results: dict[str, Any]) -> None:
    before, after = results["shanghai-biomed-2025.xlsx"], results["shanghai-biomed-2026.xlsx"]
    assert before.assessment.name == after.assessment.name
    assert (before.assessment.year, after.assessment.year) == (2025, 2026)
    pillars = {p.id: p for p in before.pillars}
    assert pillars["PI"].score > pillars["RC"].score > pillars["RD"].score  # strong incubation, weak rules
    rd_after = next(p for p in after.pillars if p.id == "RD")
    assert rd_after.score >= pillars["RD"].score + 15
    old = {r.id: r.answer for r in before.indicators}
    better = [
        r.id
        for r in after.indicators
        if r.indicator.pillar == "RD" and r.answer is not None and r.answer != old[r.id]
    ]
    assert len(better) >= 5
    assert sum(not r.answered for r in before.indicators) >= 2  # a few items N/A


def test_the_university_tto_is_early_stage(results: dict[str, Any]) -> None:
    result = results["provincial-university-tto-2025.xlsx"]
    levels = [r.answer for r in result.indicators if r.indicator.type == "level" and r.answered]
    assert sum(a <= 2 for a in levels) >= 0.9 * len(levels)
    assert result.overall.score < 30


def test_the_academy_shows_a_group_assessment_with_data_quality_warnings(results: dict[str, Any]) -> None:
    result = results["academy-institute-2025.xlsx"]
    groups = [r for r in result.indicators if len(r.answers) == 3]
    assert len(groups) >= 8
    assert all(len({a.respondent for a in r.answers}) == 3 for r in groups)
    assert sum((r.spread or 0) >= 2 for r in groups if r.indicator.type == "level") >= 2
    assert {"disagreement", "unsupported_claim", "inconsistent"} <= _codes(result)


@pytest.mark.parametrize(
    "name", ["shanghai-biomed-2025.xlsx", "shanghai-biomed-2026.xlsx", "provincial-university-tto-2025.xlsx"]
)
def test_single_respondent_samples_are_consistent(results: dict[str, Any], name: str) -> None:
    assert not _codes(results[name]) & {"inconsistent", "unsupported_claim", "disagreement", "rubric_drift"}
