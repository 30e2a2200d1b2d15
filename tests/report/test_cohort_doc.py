"""The commission's cohort report (SPEC §7): ranking with the --missing rule stated and VIB's row,
the heat map, the shared gaps with recommendation texts, data quality and progress — in Markdown
and HTML from one document."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT
from vibbench.api import compare
from vibbench.report import write_html, write_markdown
from vibbench.report.cohort_doc import build_cohort
from vibbench.rubric.loader import load_rubric
from vibbench.scoring.engine import ScoreOptions


@pytest.fixture(scope="module")
def cohort():  # type: ignore[no-untyped-def]
    return compare([ROOT / "samples"], "vib", ScoreOptions(missing="zero"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_cohort_sections(cohort, lang: str) -> None:  # type: ignore[no-untyped-def]
    rubric = load_rubric("vib")
    doc = build_cohort(cohort.ranked, rubric, lang, "zero", generated="2026-11-30")
    anchors = [h.anchor for h in doc.headings(2)]
    assert anchors == ["ranking", "heat", "shared", "quality", "progress"]
    md = write_markdown.render(doc)
    page = write_html.render(doc)
    assert ("--missing zero" in md) and ("never raises" in md or "不会提高" in md)
    names = [r.assessment.name for r in cohort.results]
    for name in names:
        assert name in md and name in page
    assert "background:#" in page  # heat-map cells shaded
    shared = next(t for t in doc.tables() if t.columns[1].header in ("Institutions", "机构数"))
    counts = [int(row[1].split("/")[0]) for row in shared.rows]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 2
    assert all(row[3].strip() for row in shared.rows)  # recommendation texts
    assert re.search(r"→", md)  # progress 2025 → 2026 of the Shanghai sample


def test_reference_row_does_not_depend_on_who_is_compared(cohort) -> None:  # type: ignore[no-untyped-def]
    rubric = load_rubric("vib")
    one = build_cohort(cohort.ranked[:1], rubric, "en", "zero", generated="x")
    all_ = build_cohort(cohort.ranked, rubric, "en", "zero", generated="x")
    ref_one = [row for row in next(one.tables()).rows if "reference" in row[1]]
    ref_all = [row for row in next(all_.tables()).rows if "reference" in row[1]]
    assert ref_one[0] == ref_all[0]
