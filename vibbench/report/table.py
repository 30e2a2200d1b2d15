"""The terminal view an analyst reads at a glance (rich, rendered through a captured Console)."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text as RichText

from vibbench.report.common import answer_text, capture, fmt, horizon, label, pct
from vibbench.scoring.result import NodeResult, Result
from vibbench.text import T, Text, one_line


def _bar(score: float | None, ref: float | None, width: int = 20) -> RichText:
    if score is None:
        return RichText("")
    filled = round(max(0.0, min(100.0, score)) / 100 * width)
    mark = round(max(0.0, min(100.0, ref or 0)) / 100 * width)
    cells = ["█" if i < filled else "·" for i in range(width)]
    if ref is not None and 0 <= mark - 1 < width and mark > filled:
        cells[mark - 1] = "│"
    return RichText("".join(cells), style="cyan")


BAR_WIDTH = 20
ROOM_WITHOUT_BAR = 62
"""Columns the pillar table needs without its bar; on a narrower terminal the bar shrinks,
then goes, so that names and numbers keep their room."""


PROJECTION = T("Projection", "得分预测")
NO_STEPS = T("; no roadmap step changes it", "；路线图中没有可提升得分的举措")


def _projection(result: Result, lang: str) -> str:
    """``now 48.6 (Developing) → quick wins 52.1 → 1–3 years 60.3 (Established) → structural 71.0``:
    the score after each cumulative roadmap phase, rescored (SPEC §4); a band is named where it
    changes."""
    from vibbench.scoring.projection import PHASE_NAMES, projection

    o = result.overall
    phases = projection(result)
    sep = "（{}）" if lang == "zh" else " ({})"
    parts = [
        f"{PHASE_NAMES['now'].get(lang)} {fmt(o.score)}"
        + (sep.format(o.band.name.get(lang)) if o.band else "")
    ]
    if all(p.gain == 0 for p in phases):
        return parts[0] + NO_STEPS.get(lang)
    band = o.band
    for p in phases:
        changed = p.band is not None and p.band != band
        parts.append(
            f"{PHASE_NAMES[p.phase].get(lang)} {fmt(p.score)}"
            + (sep.format(p.band.name.get(lang)) if changed and p.band else "")
        )
        band = p.band
    return " → ".join(parts)


def _nodes(nodes: Sequence[NodeResult], title: str, name: str, lang: str, bar: int = 0) -> Table:
    """Pillars or dimensions: score, VIB, gap and coverage, and a bar ``bar`` cells wide (none at 0)."""
    table = Table(title=label(title, lang), box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column(label(name, lang))
    for key in ("score", "reference", "gap_short", "coverage"):
        table.add_column(label(key, lang), justify="right")
    if bar:
        table.add_column("", no_wrap=True)
    for n in nodes:
        cells = [f"{n.id} {n.name.get(lang)}", fmt(n.score), fmt(n.reference), fmt(n.gap), pct(n.coverage)]
        table.add_row(*cells, *([_bar(n.score, n.reference, bar)] if bar else []))
    return table


def build(result: Result, lang: str = "en", top: int = 10, width: int = 100) -> Group:
    a, r = result.assessment, result.rubric
    bar = min(BAR_WIDTH, width - ROOM_WITHOUT_BAR)
    o = result.overall
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    head.add_row(label("institution", lang), one_line(a.name) + (f" ({a.year})" if a.year else ""))
    head.add_row(label("rubric", lang), f"{r.id} {r.version}")
    head.add_row(label("coverage", lang), pct(o.coverage))
    band = o.band.name.get(lang) if o.band else "—"
    colon = "：" if lang == "zh" else ": "  # Chinese writes the full-width colon, without a space
    head.add_row(
        label("overall", lang),
        f"{fmt(o.score)} / VIB {fmt(o.reference)}  ·  {label('band', lang)}{colon}{band}  ·  "
        f"{label('gap', lang)}{colon}{fmt(o.gap)}",
    )
    if o.score is not None:
        head.add_row(PROJECTION.get(lang), _projection(result, lang))

    pillars = _nodes(result.pillars, "pillars", "pillar", lang, bar if bar >= 8 else 0)
    dims = _nodes(result.dimensions, "dimensions", "dimension", lang)

    # The priorities: indicator, answer, the target of its first roadmap step, and the points that
    # step adds (rescored). The recommendations follow at full width, grouped by reform theme, so
    # no text is squeezed into a narrow column.
    from vibbench.scoring.projection import Step, roadmap

    steps: dict[str, Step] = {}
    for step in roadmap(result):
        steps.setdefault(step.indicator, step)
    pri = Table(
        title=label("priorities", lang), box=box.SIMPLE_HEAD, title_justify="left", expand=width >= 100
    )
    pri.add_column("#", justify="right")
    pri.add_column(label("indicator", lang), overflow="fold", ratio=3)
    pri.add_column(label("answer", lang), overflow="fold", ratio=2)
    pri.add_column(TARGET.get(lang), overflow="fold", ratio=2)
    pri.add_column(POINTS.get(lang), justify="right", no_wrap=True)
    top_items = result.top_priorities(top)
    if not top_items:  # nothing answered below VIB's level: say so rather than show an empty table
        pri.add_row("", label("none", lang), "", "", "")
    for n, ir in enumerate(top_items, 1):
        found = steps.get(ir.id)
        pri.add_row(
            str(n),
            f"{ir.id} {ir.indicator.name.get(lang)}",
            answer_text(r, ir.indicator, ir.answer, lang),
            "—" if found is None else answer_text(r, ir.indicator, found.target, lang),
            fmt(found.points if found is not None else ir.priority, 2),
        )

    parts: list[object] = [head, pillars, dims, pri]
    if result.recommendations:
        parts.append(_recommendations(result, lang, width))
    if result.warnings:
        parts.append(_warnings(result, lang, width))
    return Group(*parts)  # type: ignore[arg-type]


TARGET = T("Target", "目标")
POINTS = T("Points", "分值")
RECOMMENDATIONS = T("Recommendations, by reform theme", "按改革主题分列的建议")
WARNING_NAMES: dict[str, Text] = {
    "disagreement": T("respondents disagree", "答题人意见分歧"),
    "unsupported_claim": T("claim without evidence", "缺少佐证"),
    "inconsistent": T("answers contradict", "回答相互矛盾"),
    "low_coverage": T("low coverage", "覆盖率偏低"),
    "implausible": T("implausible value", "数值可疑"),
    "not_applicable": T("N/A not allowed", "不允许填“不适用”"),
    "rubric_drift": T("rubric changed", "评估框架已更新"),
    "removed_indicator": T("removed indicator", "已删除的指标"),
    "external_link": T("answer from another workbook", "引用其他工作簿"),
}
"""Warning names as the terminal shows them in ``--lang`` (the JSON ``code`` stays as it is)."""


def _recommendations(result: Result, lang: str, width: int) -> RichText:
    """Each reform theme, then its recommendations as full-width bullets, wrapped so that a Chinese
    line never starts with closing punctuation nor ends with opening punctuation."""
    from vibbench.report.linebreak import fill

    text = RichText()
    text.append(RECOMMENDATIONS.get(lang) + "\n", style="bold")
    themes = list(result.rubric.themes) + sorted(
        {rec.theme for rec in result.recommendations} - set(result.rubric.themes)
    )
    room = max(20, width - 4)
    for theme in themes:
        recs = [rec for rec in result.recommendations if rec.theme == theme]
        if not recs:
            continue
        name = result.rubric.themes.get(theme)
        text.append("\n" + (name.get(lang) if name else theme) + "\n", style="cyan")
        for rec in recs:
            line = f"{rec.indicator} · {horizon(rec.horizon, lang)} · {rec.text.get(lang)}"
            text.append("  • " + fill(line, room - 4, "    ") + "\n")
    return text


def _warnings(result: Result, lang: str, width: int) -> RichText:
    from vibbench.report.linebreak import fill

    text = RichText()
    text.append(label("warnings", lang) + "\n", style="bold")
    for w in result.warnings:
        name = WARNING_NAMES.get(w.code, Text(w.code)).get(lang)
        line = f"{name}: {w.message.get(lang)}" if lang == "en" else f"{name}：{w.message.get(lang)}"
        text.append("  • ", style="yellow")
        text.append(fill(line, max(20, width - 4) - 4, "    ") + "\n")
    return text


def render(result: Result, lang: str = "en", top: int = 10, *, width: int = 100, color: bool = False) -> str:
    return capture(build(result, lang, top, width), width, color)
