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
    write_atomic(target, grouped_bars_svg(groups, names, series, ref_name, reference))


def grouped_bars_svg(
    groups: list[str],
    names: list[str],
    series: list[list[float]],
    ref_name: str,
    reference: list[float],
) -> bytes:
    """The chart as SVG bytes (``compare``'s renderer returns it; the CLI writes it)."""
    from vibbench.report.charts import _render

    all_series = [*series, reference]
    all_names = [*names, ref_name]
    n = len(all_series)
    width = 0.8 / n

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        for k, (name, values) in enumerate(zip(all_names, all_series, strict=True)):
            xs = [g + (k - (n - 1) / 2) * width for g in range(len(groups))]
            ax.bar(
                xs,
                values,
                width,
                label=name,
                hatch="//" if k == n - 1 else None,
                edgecolor="black",
                linewidth=0.3,
            )
        ax.set_xticks(range(len(groups)), groups)
        ax.set_ylim(0, 100)
        ax.set_ylabel("score / 得分")
        ax.legend(fontsize="small", ncols=2, frameon=False)

    return _render(draw, (max(6.0, 1.5 * len(groups) + 0.3 * n), 4.0))
