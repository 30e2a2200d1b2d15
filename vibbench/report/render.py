"""``score``'s renderers, one per format of :data:`vibbench.formats.OFFERED` ``["score"]``: each is
pure, ``f(result, lang, width, color) -> str | bytes``; the CLI picks one through the registry
(:mod:`vibbench.formats`) and writes what it returns."""

from __future__ import annotations

from vibbench.scoring.result import Result


def score_table(result: Result, lang: str, width: int | None = None, color: bool = False) -> str:
    from vibbench.report import table

    return table.render(result, lang, result.options.top, width=width or 100, color=color)


def score_json(result: Result, lang: str, width: int | None = None, color: bool = False) -> str:
    from vibbench.report import json_format

    return json_format.render(result, lang, result.options.top)


def score_csv(result: Result, lang: str, width: int | None = None, color: bool = False) -> str:
    from vibbench.report import csv_format

    return csv_format.render(result, lang, result.options.top)


def score_markdown(result: Result, lang: str, width: int | None = None, color: bool = False) -> str:
    from vibbench.report import markdown_summary

    return markdown_summary.render(result, lang, result.options.top)


def score_xlsx(result: Result, lang: str, width: int | None = None, color: bool = False) -> bytes:
    from vibbench.report.xlsx_format import score_xlsx as workbook

    return workbook(result, lang)
