"""vibbench: score a research institution's self-assessment against the VIB model.

Library use::

    from vibbench import load_rubric, read_assessment, score
    rubric = load_rubric("vib")
    assessment = read_assessment("samples/x.xlsx", rubric)
    result = score(assessment, rubric)
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "load_rubric", "read_assessment", "score"]


def __getattr__(name: str) -> Any:
    # Lazy, so that `import vibbench` (and the CLI's start-up) stays cheap.
    if name == "load_rubric":
        from vibbench.rubric.loader import load_rubric

        return load_rubric
    if name == "read_assessment":
        from vibbench.workbook.reader import read_assessment

        return read_assessment
    if name == "score":
        from vibbench.scoring.engine import score

        return score
    raise AttributeError(name)
