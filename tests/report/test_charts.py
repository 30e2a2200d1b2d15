"""The report's charts (SVG beside the report, linked relatively) and ``write_report``."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from markdown_it import MarkdownIt

from tests.report.fixtures import HOSTILE, mini_result
from vibbench.errors import VibbenchError
from vibbench.report.document import build_report, write_report
from vibbench.report.figures import CHARTS, chart_files, dimensions_chart, pillars_chart
from vibbench.scoring.result import Result
from vibbench.workbook.model import Answer

SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(data: bytes) -> list[str]:
    root = ET.fromstring(data)
    assert root.tag == f"{SVG}svg"
    # a zero-width space keeps a leading "_" label in matplotlib's legend; it is not seen
    return ["".join(t.itertext()).replace("\u200b", "") for t in root.iter(f"{SVG}text")]


def image_links(text: str) -> list[str]:
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    return [c.attrs["src"] for t in tokens for c in t.children or [] if c.type == "image"]  # type: ignore[misc]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_write_report_draws_linked_svg_charts(lang: str, tmp_path: Path) -> None:
    out = tmp_path / "out.md"
    write_report(mini_result(), out, lang=lang)
    text = out.read_text(encoding="utf-8")
    links = image_links(text)
    assert links == ["out_charts/pillars.svg", "out_charts/dimensions.svg"]
    for link in links:
        assert not Path(link).is_absolute()
        path = out.parent / unquote(link)
        assert path.is_file()
        assert svg_texts(path.read_bytes())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.md", "out_charts"]


def test_link_is_url_encoded_and_resolves(tmp_path: Path) -> None:
    out = tmp_path / "my report (draft).md"
    write_report(mini_result(), out)
    links = image_links(out.read_text(encoding="utf-8"))
    assert links[0] == "my%20report%20%28draft%29_charts/pillars.svg"
    assert (tmp_path / unquote(links[0])).is_file()


def test_no_charts(tmp_path: Path) -> None:
    out = tmp_path / "out.md"
    write_report(mini_result(), out, charts=False)
    text = out.read_text(encoding="utf-8")
    assert "Charts were not drawn (--no-charts)." in text
    assert not (tmp_path / "out_charts").exists()
    assert image_links(text) == []


def test_report_date_and_version(tmp_path: Path) -> None:
    import datetime

    from vibbench import __version__

    out = tmp_path / "out.md"
    write_report(mini_result(), out, charts=False)
    text = out.read_text(encoding="utf-8")
    assert f"| Generated | {datetime.date.today().isoformat()} |" in text
    assert f"| vibbench version | {__version__} |" in text


def test_missing_output_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(VibbenchError):
        write_report(mini_result(), tmp_path / "nowhere" / "out.md")
    assert not (tmp_path / "nowhere").exists()


def test_charts_are_deterministic() -> None:
    result = mini_result()
    first = chart_files(result, "zh")
    second = chart_files(result, "zh")
    assert list(first) == list(CHARTS)
    for name in first:
        assert first[name] == second[name]
        assert b"<dc:date>" not in first[name]


def test_text_stays_text_so_chinese_renders() -> None:
    result = mini_result()
    texts = " ".join(svg_texts(dimensions_chart(result, "zh").svg))
    for chinese in ("乙", "丙", "戊", "本机构", "各维度"):
        assert chinese in texts, chinese
    data = pillars_chart(result, "zh").svg.decode("utf-8")
    assert "甲" in data and "丁" in data
    assert "DejaVuSans-" not in data  # no glyphs drawn as paths


def vib_result() -> Result:
    """Three pillars (a radar), one of them unanswered."""
    from vibbench.rubric.loader import load_rubric
    from vibbench.scoring.engine import score
    from vibbench.workbook.model import Assessment

    rubric = load_rubric("vib")
    answers = tuple(
        Answer(ind.id, 2.0 if ind.type == "level" else ind.reference / 2, f"Responses!F{n}", "x")
        for n, ind in enumerate(rubric.indicators())
        if ind.pillar != rubric.pillars[1].id
    )
    return score(Assessment("x.xlsx", "0" * 64, {"name": "X"}, answers), rubric)


def test_pillars_as_bars_with_a_pillar_without_score() -> None:
    """Three pillars are bars with VIB as a marker (a three-axis radar carried too little)."""
    result = vib_result()
    assert len(result.pillars) >= 3
    assert result.pillars[1].score is None
    for lang, note in (("en", "no answers"), ("zh", "无回答")):
        data = pillars_chart(result, lang).svg
        texts = " ".join(svg_texts(data))
        assert note in texts
        for p in result.pillars:
            assert p.id in texts
        assert b"polar" not in data.lower()


def test_bars_with_a_dimension_without_score() -> None:
    texts = " ".join(svg_texts(dimensions_chart(mini_result(), "en").svg))
    assert "A.Y Why" in texts and "no answers" in texts


def test_nothing_answered_still_draws() -> None:
    for data in chart_files(mini_result(answers=()), "en").values():
        assert svg_texts(data)


def test_hostile_name_in_charts_is_plain_xml(tmp_path: Path) -> None:
    out = tmp_path / "out.md"
    write_report(mini_result(HOSTILE, "<script>alert(1)</script>"), out)
    for name in ("pillars.svg", "dimensions.svg"):
        data = (tmp_path / "out_charts" / name).read_bytes()
        assert b"<script" not in data
        svg_texts(data)


# --------------------------------------------------------------------------- a failed run leaves nothing


def test_build_report_is_pure(tmp_path: Path) -> None:
    out = tmp_path / "out.md"
    built = build_report(mini_result(), out)
    assert list(tmp_path.iterdir()) == []
    assert sorted(built.files) == ["out_charts/dimensions.svg", "out_charts/pillars.svg"]
    assert image_links(str(built.text)) == ["out_charts/pillars.svg", "out_charts/dimensions.svg"]
    for data in built.files.values():
        assert svg_texts(data)


def test_a_failed_rendering_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import vibbench.report.document as document

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("rendering failed")

    monkeypatch.setattr(document, "build", broken)
    with pytest.raises(RuntimeError):
        write_report(mini_result(), tmp_path / "out.md")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_report_write_removes_the_charts_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vibbench.report.document as document

    real = document.write_atomic

    def failing(path: Path, data: str | bytes) -> None:
        if Path(path).suffix == ".md":
            raise OSError("disk full")
        real(path, data)

    monkeypatch.setattr(document, "write_atomic", failing)
    with pytest.raises(OSError, match="disk full"):
        write_report(mini_result(), tmp_path / "out.md")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_run_keeps_a_charts_folder_it_did_not_create(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vibbench.report.document as document

    (tmp_path / "out_charts").mkdir()
    (tmp_path / "out_charts" / "mine.txt").write_text("keep", encoding="utf-8")
    monkeypatch.setattr(document, "write_atomic", _fail_on_md(document.write_atomic))
    with pytest.raises(OSError):
        write_report(mini_result(), tmp_path / "out.md")
    assert sorted(p.name for p in (tmp_path / "out_charts").iterdir()) == ["mine.txt"]


def _fail_on_md(real: Any) -> Any:
    def failing(path: Path, data: str | bytes) -> None:
        if Path(path).suffix == ".md":
            raise OSError("disk full")
        real(path, data)

    return failing
