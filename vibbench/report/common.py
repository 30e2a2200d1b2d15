"""Formatting shared by the renderers: numbers, answers, labels in both languages."""

from __future__ import annotations

from vibbench.rubric.model import Indicator, Rubric
from vibbench.text import (
    T,
    Text,
)

DASH = "—"


def fmt(v: float | None, digits: int = 1) -> str:
    """Tables and reports round to one decimal (JSON never rounds)."""
    return DASH if v is None else f"{v:.{digits}f}"


def pct(v: float) -> str:
    return f"{v:.0%}"


def answer_text(rubric: Rubric, ind: Indicator, value: float | None, lang: str) -> str:
    if value is None:
        return DASH
    zh = lang == "zh"
    if ind.type == "boolean":
        if value in (0.0, 1.0):
            return ("是" if value else "否") if zh else ("yes" if value else "no")
        return f"{value:g}"
    if ind.type == "level":
        level = int(value) if float(value).is_integer() else None
        # the scale's label (e.g. "Established"), else the indicator's own descriptor
        label = None if level is None else rubric.scale.labels.get(level) or ind.levels.get(level)
        text = label.get(lang) if label else ""
        return f"{value:g}" + (f" – {text[:40]}…" if len(text) > 41 else f" – {text}" if text else "")
    named = ind.named_label(value)
    if named is not None:  # "never reviewed", not "99 years"
        return named.get(lang)
    unit = "%" if ind.percent else (f" {ind.unit.get(lang)}" if ind.unit else "")
    return f"{value:,.4g}{unit}" if abs(value) < 1e4 else f"{value:,.0f}{unit}"


L = {
    "institution": T("Institution", "机构"),
    "year": T("Year", "年份"),
    "rubric": T("Rubric", "评估框架"),
    "coverage": T("Coverage", "覆盖率"),
    "overall": T("Overall", "总分"),
    "band": T("Band", "等级"),
    "gap": T("Gap to VIB", "与 VIB 的差距"),
    "gap_short": T("Gap", "差距"),
    "score": T("Score", "得分"),
    "reference": T("VIB", "VIB"),
    "pillar": T("Pillar", "支柱"),
    "pillars": T("Pillars", "支柱"),
    "dimension": T("Dimension", "维度"),
    "dimensions": T("Dimensions", "维度"),
    "indicator": T("Indicator", "指标"),
    "answer": T("Answer", "回答"),
    "priority": T("Priority", "优先度"),
    "priorities": T("Top priorities", "优先改革事项"),
    "recommendation": T("Recommendation", "建议"),
    "theme": T("Theme", "主题"),
    "horizon": T("Horizon", "周期"),
    "warnings": T("Warnings", "提示"),
    "none": T("none", "无"),
    "rank": T("Rank", "排名"),
    "name": T("Name", "名称"),
}

TYPES = {
    "level": T("level", "等级"),
    "number": T("number", "数值"),
    "boolean": T("yes/no", "是/否"),
}

HORIZON = {
    "quick_win": T("Quick win", "近期见效"),
    "medium": T("1–3 years", "1–3 年"),
    "structural": T("Structural", "结构性改革"),
}


def label(key: str, lang: str) -> str:
    return L[key].get(lang)


def horizon(key: str, lang: str) -> str:
    return HORIZON.get(key, Text(key)).get(lang)


def type_name(kind: str, lang: str) -> str:
    """An indicator type (``level``, ``number``, ``boolean``) as said in ``lang``."""
    return TYPES.get(kind, Text(kind)).get(lang)


def capture(renderable: object, width: int = 100, color: bool = False) -> str:
    """Render a rich object to a string, as a terminal of ``width`` columns would show it."""
    import io

    from rich.console import Console

    console = Console(
        width=width,
        record=True,
        file=io.StringIO(),
        force_terminal=color,
        no_color=not color,
        highlight=False,
        markup=False,  # text from workbooks and rubrics is printed as it is, never as markup
    )
    console.print(renderable)
    return console.export_text(styles=color)
