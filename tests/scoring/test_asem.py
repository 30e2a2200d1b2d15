"""A published index reproduced: COINr's ASEM example, to 1e-9."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.asem import ASEM, build_rubric, build_workbooks, indicator_ids, read
from vibbench.rubric.loader import load_rubric
from vibbench.scoring.engine import score_file


def test_the_data_is_vendored() -> None:
    """The data live in the repository: a fresh clone runs the reproduction, never skips it."""
    names = {"aggregates.csv", "indicators.csv", "treated.csv", "coinr_normalised.csv", "coinr_results.csv"}
    assert names <= {p.name for p in ASEM.iterdir()}
    assert "MIT" in (ASEM / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def asem(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    folder = tmp_path_factory.mktemp("asem")
    return build_rubric(folder), build_workbooks(folder)


def test_scores_equal_coinr(asem: tuple[Path, list[Path]]) -> None:
    rubric_path, books = asem
    rubric = load_rubric(rubric_path, use_cache=False)
    normalised = {r["UnitCode"]: r for r in read("coinr_normalised.csv")}
    results = {r["UnitCode"]: r for r in read("coinr_results.csv")}
    ids = indicator_ids()
    assert len(books) == 51
    for book in books:
        res = score_file(book, rubric)
        unit = res.assessment.name
        by_id = {r.id: r for r in res.indicators}
        for code, ident in ids.items():
            assert by_id[ident].score == pytest.approx(float(normalised[unit][code]), abs=1e-9), (unit, code)
        for d in res.dimensions:
            assert d.score == pytest.approx(float(results[unit][d.id.split(".")[1]]), abs=1e-9), (unit, d.id)
        for p in res.pillars:
            assert p.score == pytest.approx(float(results[unit][p.id]), abs=1e-9), (unit, p.id)
        assert res.overall.score == pytest.approx(float(results[unit]["Index"]), abs=1e-9), unit
