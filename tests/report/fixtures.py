"""A fixed result for the report tests: the mini rubric and a hand-made group assessment."""

from __future__ import annotations

import dataclasses

from tests.conftest import MINI_RUBRIC
from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import Rubric
from vibbench.scoring.engine import ScoreOptions, score
from vibbench.scoring.result import Result
from vibbench.workbook.model import Answer, Assessment

VERSION = "0.0.0-test"
GENERATED = "2026-01-15"
HOSTILE = "A | B <script>alert(1)</script> *x* _y_ `z`"


def mini_assessment(name: str = "Mini Institute", evidence: str = "Strategy 2024, p. 3") -> Assessment:
    answers = (
        # A group of three on the level indicator: they disagree (1 to 4); Bob claims 4 with no evidence.
        Answer("A.X.1", 3.0, "Responses!F2", "3", "Alice", evidence, "board approved"),
        Answer("A.X.1", 4.0, "Responses!G2", "4", "Bob", ""),
        Answer("A.X.1", 1.0, "Responses!H2", "1", "Carol", "Minutes of the | council"),
        Answer("A.X.2", 20.0, "Responses!F3", "20%", "Alice", "HR report"),
        # A.Y.1 is left unanswered.
        Answer("B.Z.1", 0.0, "Responses!F5", "no", "Alice", ""),
        # Claims maturity (A.X.1 = 3) but almost no money: the rubric's check fails.
        Answer("B.Z.2", 0.5, "Responses!F6", "0.5", "Alice", "Annual accounts"),
    )
    return Assessment(
        path="samples/mini.xlsx",
        sha256="ab" * 32,
        institution={"name": name, "country": "Belgium", "type": "institute", "year": "2025"},
        answers=answers,
    )


def mini_rubric() -> Rubric:
    # A fixed content hash, so that a change in how the loader canonicalises rubrics does not
    # change the golden reports.
    return dataclasses.replace(load_rubric(MINI_RUBRIC), content_hash="cd" * 32)


def mini_result(
    name: str = "Mini Institute",
    evidence: str = "Strategy 2024, p. 3",
    *,
    answers: tuple[Answer, ...] | None = None,
    options: ScoreOptions | None = None,
) -> Result:
    a = mini_assessment(name, evidence)
    if answers is not None:
        a = dataclasses.replace(a, answers=answers)
    return score(a, mini_rubric(), options)
