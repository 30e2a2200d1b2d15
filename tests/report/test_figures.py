"""The report's charts (SPEC §6, v2): dimensions grouped by pillar with VIB as a marker, pillars as
bars (no radar), no overlapping text, names drawn as text, PNG for Word at ≥ 150 dpi, CJK fonts."""

from __future__ import annotations

import dataclasses
import struct

import pytest

from tests.conftest import MINI_RUBRIC
from vibbench.report import figures
from vibbench.rubric.loader import load_rubric
from vibbench.scoring.engine import score, score_file
from vibbench.text import Text
from vibbench.workbook.model import Answer, Assessment


def _png_size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_dimension_chart_of_a_sample_has_no_overlapping_text(lang: str) -> None:
    result = score_file("samples/shanghai-biomed-2025.xlsx", "vib")
    rows: list[tuple[str, object]] = []
    for p in result.pillars:
        rows.append((f"{p.id} {p.name.get(lang)}", None))
        rows += [(f"{d.id} {d.name.get(lang)}", d) for d in result.dimensions if d.pillar == p.id]
    _, _, fig = figures.render(lambda f: figures._bars(f, rows, {"RD.GOV": 40.0}, "title", lang), (7.0, 6.0))  # type: ignore[arg-type]
    assert figures.overlaps(fig) == []
    chart = figures.dimensions_chart(result, lang)
    svg = chart.svg.decode()
    for d in result.dimensions:
        assert d.name.get(lang) in svg
    width, _ = _png_size(chart.png)
    assert width >= 7.0 * 150  # ≥ 150 dpi at its print width


def test_names_are_text_never_mathematics() -> None:
    rubric = load_rubric(MINI_RUBRIC, use_cache=False)
    result = score(Assessment("a.xlsx", "0", {"name": "x"}, (Answer("A.X.1", 2.0, "Responses!F2"),)), rubric)
    odd = dataclasses.replace(
        result,
        pillars=tuple(
            dataclasses.replace(p, name=Text(n))
            for p, n in zip(result.pillars, ["ACME $\\invalidcmd$", "_hidden"], strict=True)
        ),
    )
    chart = figures.pillars_chart(odd, "en")
    svg = chart.svg.decode()
    assert "ACME $\\invalidcmd$" in svg and "_hidden" in svg


def test_cjk_note_only_without_a_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    assert figures.cjk_note("en") is None
    monkeypatch.setattr(figures, "cjk_fonts_found", lambda: [])
    note = figures.cjk_note("zh")
    assert note is not None and "\n" not in note and "Noto Sans CJK" in note
    monkeypatch.setattr(figures, "cjk_fonts_found", lambda: ["Noto Sans CJK SC"])
    assert figures.cjk_note("zh") is None
