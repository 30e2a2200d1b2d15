"""Small builders for scoring tests: rubrics from YAML text and assessments from tuples."""

from __future__ import annotations

from pathlib import Path

from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import Rubric
from vibbench.workbook.model import Answer, Assessment


def rubric_from(tmp_path: Path, text: str, name: str = "r.yaml") -> Rubric:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_rubric(path, use_cache=False)


def assessment(
    *answers: tuple[str, float] | tuple[str, float, str] | Answer, name: str = "Inst"
) -> Assessment:
    out = []
    for n, a in enumerate(answers):
        if isinstance(a, Answer):
            out.append(a)
        else:
            ident, value = a[0], a[1]
            who = a[2] if len(a) > 2 else None  # type: ignore[misc]
            out.append(Answer(ident, float(value), f"Responses!F{n + 2}", str(value), who, "evidence"))
    return Assessment("test.xlsx", "0" * 64, {"name": name, "year": "2025"}, tuple(out))


ONE_DIM = """
schema_version: 1
id: t
version: "1"
title: t
scale: {{min: {smin}, max: {smax}}}
pillars:
  - id: P
    name: P
    dimensions:
      - id: P.D
        name: D
        indicators:
{indicators}
"""


def one_dim(tmp_path: Path, indicators: str, smin: int = 0, smax: int = 4) -> Rubric:
    return rubric_from(tmp_path, ONE_DIM.format(smin=smin, smax=smax, indicators=indicators))
