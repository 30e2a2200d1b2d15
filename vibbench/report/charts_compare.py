"""The compare chart: grouped bars per pillar. matplotlib is imported here only (it costs ~0.9 s)."""

from __future__ import annotations

import io
from pathlib import Path

from vibbench.io import write_atomic


def grouped_bars(
    target: Path,
    groups: list[str],
    names: list[str],
    series: list[list[float]],
    ref_name: str,
    reference: list[float],
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.fonttype"] = "none"  # text stays text, so Chinese renders in any browser
    plt.rcParams["svg.hashsalt"] = "vibbench"
    all_series = [*series, reference]
    all_names = [*names, ref_name]
    n = len(all_series)
    width = 0.8 / n
    fig, ax = plt.subplots(figsize=(max(6.0, 1.5 * len(groups) + 0.3 * n), 4.0))
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
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    write_atomic(target, buf.getvalue())
