"""One renderer per output format, chosen by name: ``render(result, lang, top) -> str``."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from vibbench.io import emit
from vibbench.scoring.result import Result

RENDERERS = {
    "table": "vibbench.report.table",
    "json": "vibbench.report.json_format",
    "csv": "vibbench.report.csv_format",
    "markdown": "vibbench.report.markdown_summary",
}


def render(result: Result, fmt: str, lang: str = "en") -> str:
    module = importlib.import_module(RENDERERS[fmt])
    text: str = module.render(result, lang, result.options.top)
    return text


def emit_result(result: Result, fmt: str, lang: str, output: Path | None) -> None:
    if fmt == "table" and output is None:
        _print_table(result, lang)
        return
    emit(render(result, fmt, lang), output)


def _print_table(result: Result, lang: str) -> None:
    """Straight to the terminal: colour when it is one (NO_COLOR respected), its real width."""
    from rich.console import Console

    from vibbench.report.table import build

    console = Console(highlight=False, soft_wrap=False, markup=False)  # workbook text is never markup
    console.print(build(result, lang, result.options.top, console.width))
    sys.stdout.flush()
