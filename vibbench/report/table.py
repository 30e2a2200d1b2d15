"""The terminal view an analyst reads at a glance (rich, rendered through a captured Console)."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text as RichText

from vibbench.report.common import answer_text, capture, fmt, horizon, label, one_line, pct
from vibbench.scoring.result import NodeResult, Result
from vibbench.text import T


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

    pri = Table(title=label("priorities", lang), box=box.SIMPLE_HEAD, title_justify="left")
    pri.add_column("#", justify="right")
    pri.add_column(label("indicator", lang), overflow="fold", ratio=2)
    pri.add_column(label("answer", lang), overflow="fold", ratio=2)
    pri.add_column(label("priority", lang), justify="right", no_wrap=True)
    pri.add_column(label("recommendation", lang), overflow="fold", ratio=4)
    recs_by_ind: dict[str, list[str]] = {}
    for rec in result.recommendations:
        theme = r.themes[rec.theme].get(lang) if rec.theme in r.themes else rec.theme
        recs_by_ind.setdefault(rec.indicator, []).append(
            f"[{theme} · {horizon(rec.horizon, lang)}] {rec.text.get(lang)}"
        )
    top_items = result.top_priorities(top)
    if not top_items:  # nothing answered below VIB's level: say so rather than show an empty table
        pri.add_row("", label("none", lang), "", "", "")
    for n, ir in enumerate(top_items, 1):
        pri.add_row(
            str(n),
            f"{ir.id} {ir.indicator.name.get(lang)}",
            answer_text(r, ir.indicator, ir.answer, lang),
            fmt(ir.priority, 2),
            "\n".join(recs_by_ind.get(ir.id, [])),
        )

    parts: list[object] = [head, pillars, dims, pri]
    warn = Table(title=label("warnings", lang), box=box.SIMPLE_HEAD, title_justify="left", show_header=False)
    warn.add_column(no_wrap=True)
    warn.add_column(overflow="fold")
    for w in result.warnings:
        warn.add_row(RichText(w.code, style="yellow"), w.message.get(lang))
    if result.warnings:
        parts.append(warn)
    return Group(*parts)  # type: ignore[arg-type]


def render(result: Result, lang: str = "en", top: int = 10, *, width: int = 100, color: bool = False) -> str:
    return capture(build(result, lang, top, width), width, color)
