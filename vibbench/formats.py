"""Output formats: one enum, one registry (issue 11 §1; SPEC §1, §6, §7).

:class:`Format` is both the Typer option type and the registry key. :data:`OFFERED` says which
formats each command offers; :data:`RENDERERS` names, for every (command, format) pair offered,
the pure function that renders it (imported only when used, so ``--help`` stays cheap). Renderers
return ``str`` or ``bytes`` (or, for compare, a ``Rendered`` with the files beside the output);
only the CLI writes. ``tests/test_formats.py`` checks that every format a command offers has a
renderer that exists.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from enum import Enum
from typing import Any

from vibbench.errors import UsageError, Where
from vibbench.text import T


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"
    docx = "docx"
    xlsx = "xlsx"


BINARY = frozenset({Format.docx, Format.xlsx})
"""Formats that are files, not text: written to ``--output`` or a pipe, never to a terminal."""

OFFERED: dict[str, tuple[Format, ...]] = {
    "score": (Format.table, Format.json, Format.csv, Format.markdown, Format.xlsx),
    "report": (Format.markdown, Format.html, Format.docx),
    "compare": (Format.table, Format.json, Format.csv, Format.markdown, Format.html, Format.xlsx),
    "sensitivity": (Format.table, Format.json, Format.csv, Format.markdown, Format.html, Format.xlsx),
}

RENDERERS: dict[tuple[str, Format], str] = {
    # score: f(result, lang, width, color) -> str | bytes
    ("score", Format.table): "vibbench.report.render:score_table",
    ("score", Format.json): "vibbench.report.render:score_json",
    ("score", Format.csv): "vibbench.report.render:score_csv",
    ("score", Format.markdown): "vibbench.report.render:score_markdown",
    ("score", Format.xlsx): "vibbench.report.render:score_xlsx",
    # report: f(document) -> str | bytes
    ("report", Format.markdown): "vibbench.report.write_markdown:render",
    ("report", Format.html): "vibbench.report.write_html:render",
    ("report", Format.docx): "vibbench.report.write_docx:render",
    # compare: f(ranked, rubric, lang, *, charts, width, color) -> Rendered
    ("compare", Format.table): "vibbench.report.compare:as_table",
    ("compare", Format.json): "vibbench.report.compare:as_json",
    ("compare", Format.csv): "vibbench.report.compare:as_csv",
    ("compare", Format.markdown): "vibbench.report.compare:as_markdown",
    ("compare", Format.html): "vibbench.report.compare:as_html",
    ("compare", Format.xlsx): "vibbench.report.compare:as_xlsx",
    # sensitivity: f(ranked, analysis, rubric, lang, *, width, color) -> str | bytes
    ("sensitivity", Format.table): "vibbench.report.sensitivity_format:as_table",
    ("sensitivity", Format.json): "vibbench.report.sensitivity_format:as_json",
    ("sensitivity", Format.csv): "vibbench.report.sensitivity_format:as_csv",
    ("sensitivity", Format.markdown): "vibbench.report.sensitivity_format:as_markdown",
    ("sensitivity", Format.html): "vibbench.report.sensitivity_format:as_html",
    ("sensitivity", Format.xlsx): "vibbench.report.sensitivity_format:as_xlsx",
}


def check(command: str, fmt: Format) -> None:
    """A usage error when ``command`` does not offer ``fmt`` (one enum serves every command)."""
    offered = OFFERED[command]
    if fmt not in offered:
        names = ", ".join(f.value for f in offered)
        raise UsageError.one(
            Where(f"vibbench {command} --format"),
            T(f"{command} does not write {fmt.value}", f"{command} 不支持 {fmt.value} 格式"),
            T(f"use one of {names}", f"可选格式：{'、'.join(f.value for f in offered)}"),
        )


def renderer(command: str, fmt: Format) -> Callable[..., Any]:
    """The function that renders ``fmt`` for ``command`` (after :func:`check`)."""
    check(command, fmt)
    module, _, name = RENDERERS[(command, fmt)].partition(":")
    found: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return found
