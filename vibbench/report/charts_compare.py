"""The compare chart: grouped bars per pillar, drawn through the report's chart renderer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vibbench.io import write_atomic


def grouped_bars(
    target: Path,
    groups: list[str],
    names: list[str],
    series: list[list[float]],
    ref_name: str,
    reference: list[float],
) -> None:
    write_atomic(target, draw_grouped_bars(groups, names, series, ref_name, reference))


def draw_grouped_bars(
    groups: list[str],
    names: list[str],
    series: list[list[float]],
    ref_name: str,
    reference: list[float],
) -> bytes:
    """The chart as SVG bytes. Names are drawn as plain text (never as mathematics), and a name
    that starts with ``_`` keeps its legend entry."""
    from vibbench.report.figures import plain, render

    all_series = [*series, reference]
    all_names = [plain(n) for n in (*names, ref_name)]
    groups = [plain(g) for g in groups]
    n = len(all_series)
    width = 0.8 / n

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        handles = []
        for k, values in enumerate(all_series):
            xs = [g + (k - (n - 1) / 2) * width for g in range(len(groups))]
            bars = ax.bar(
                xs,
                values,
                width,
                hatch="//" if k == n - 1 else None,
                edgecolor="black",
                linewidth=0.3,
            )
            handles.append(bars)
        ax.set_xticks(range(len(groups)), groups)
        ax.set_ylim(0, 100)
        ax.set_ylabel("score / 得分")
        # handles and labels given, not collected: matplotlib drops collected labels that start with "_"
        ax.legend(handles, all_names, fontsize="small", ncols=2, frameon=False)

    svg, _, _ = render(draw, (max(6.0, 1.5 * len(groups) + 0.3 * n), 4.0))
    return svg


def grouped_bars_svg(
    groups: list[str],
    names: list[str],
    series: list[list[float]],
    ref_name: str,
    reference: list[float],
) -> bytes:
    """The chart as SVG bytes (``compare``'s renderer returns it; the CLI writes it)."""
    return draw_grouped_bars(groups, names, series, ref_name, reference)
