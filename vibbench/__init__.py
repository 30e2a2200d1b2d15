"""vibbench: score a research institution's self-assessment against the VIB model.

Library use (see README, "Python API")::

    import vibbench
    rubric = vibbench.load_rubric("vib")
    result = vibbench.score_file("samples/x.xlsx", rubric, vibbench.ScoreOptions(missing="zero"))
    result.to_dict()                      # the JSON object of `vibbench score --format json`
    result.to_frame("pillars")            # a pandas DataFrame (pip install 'vibbench[pandas]')
    cohort = vibbench.compare(["samples/"], rubric)
    cohort.to_frame()                     # one row per institution × indicator

Every name is imported on first use, so that ``import vibbench`` (and the CLI's start-up) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "load_rubric": "vibbench.rubric.loader",
    "read_assessment": "vibbench.workbook.reader",
    "score": "vibbench.scoring.engine",
    "score_file": "vibbench.scoring.engine",
    "ScoreOptions": "vibbench.scoring.result",
    "Result": "vibbench.scoring.result",
    "compare": "vibbench.api",
    "Cohort": "vibbench.api",
    "VibbenchError": "vibbench.errors",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'vibbench' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once imported, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(["__version__", *_LAZY])
