"""A compact Markdown summary (``score --format markdown``); the full report is ``vibbench report``."""

from __future__ import annotations

from vibbench.report.common import answer_text, fmt, horizon, label, pct
from vibbench.report.escape import md
from vibbench.scoring.result import Result


def render(result: Result, lang: str = "en", top: int = 10) -> str:
    a, r, o = result.assessment, result.rubric, result.overall
    band = o.band.name.get(lang) if o.band else "—"
    lines = [
        f"# {md(a.name)}" + (f" ({md(a.year)})" if a.year else ""),
        "",
        f"**{label('overall', lang)}:** {fmt(o.score)} / VIB {fmt(o.reference)} · "
        f"**{label('band', lang)}:** {band} · **{label('gap', lang)}:** {fmt(o.gap)} · "
        f"**{label('coverage', lang)}:** {pct(o.coverage)} · **{label('rubric', lang)}:** {md(r.id)} {md(r.version)}",
        "",
        f"| {label('pillar', lang)} | {label('score', lang)} | VIB | {label('gap_short', lang)} | {label('coverage', lang)} |",
        "|---|---:|---:|---:|---:|",
    ]
    for p in result.pillars:
        lines.append(
            f"| {p.id} {md(p.name.get(lang))} | {fmt(p.score)} | {fmt(p.reference)} | {fmt(p.gap)} | {pct(p.coverage)} |"
        )
    top_items = result.top_priorities(top)
    lines += ["", f"## {label('priorities', lang)}", ""]
    if top_items:
        lines += [
            f"| # | {label('indicator', lang)} | {label('answer', lang)} | {label('priority', lang)} | {label('recommendation', lang)} |",
            "|---:|---|---|---:|---|",
        ]
    else:  # a table of no rows reads as broken: say so instead
        lines.append(label("none", lang).capitalize())
    recs: dict[str, list[str]] = {}
    for rec in result.recommendations:
        recs.setdefault(rec.indicator, []).append(f"{horizon(rec.horizon, lang)}: {rec.text.get(lang)}")
    for n, ir in enumerate(top_items, 1):
        lines.append(
            f"| {n} | {ir.id} {md(ir.indicator.name.get(lang))} | {md(answer_text(r, ir.indicator, ir.answer, lang))} "
            f"| {fmt(ir.priority, 2)} | {md('; '.join(recs.get(ir.id, [])))} |"
        )
    if result.warnings:
        lines += ["", f"## {label('warnings', lang)}", ""]
        lines += [f"- `{w.code}` {md(w.message.get(lang))}" for w in result.warnings]
    return "\n".join(lines) + "\n"
