"""The report's charts (SPEC §6, v2), drawn once and kept as SVG (HTML, Markdown) and PNG (Word).

* dimensions, grouped by pillar: the institution's score as a bar, VIB's as a diamond, the peers'
  median as a tick when there are peers — the one chart of page 1;
* pillars: the same for the three pillars (a three-axis radar carried too little to be a chart).

Text is drawn as text, never as mathematics (a ``$`` in a name is a dollar sign), and a name that
starts with ``_`` keeps its legend entry. Nothing overlaps: the layout is computed by matplotlib's
constrained layout, and :func:`overlaps` lets a test check the drawn boxes. CJK fonts are looked
for on Windows, macOS and Linux; when none is found, :func:`cjk_note` says so in one line (SVG keeps
text as text, so the viewer's fonts still draw it; only the PNG in a Word file would show boxes).
matplotlib is imported only here, and only when a chart is drawn.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from vibbench.scoring.result import NodeResult, Result
from vibbench.text import CONTROLS, T, Text

INSTITUTION = "#1f5fa8"
REFERENCE = "#c0392b"
PEERS = "#555555"
PNG_DPI = 200
"""Word's charts: ≥ 150 dpi at print size."""

CJK_FONTS = (
    "Microsoft YaHei",  # Windows
    "DengXian",
    "SimHei",
    "PingFang SC",  # macOS
    "Hiragino Sans GB",
    "Heiti SC",
    "Noto Sans CJK SC",  # Linux
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
)
SANS = ("DejaVu Sans", *CJK_FONTS, "Arial", "Helvetica")

_TEXT: dict[str, Text] = {
    "pillars": T("Pillars against VIB", "各支柱：本机构与 VIB 对比"),
    "dimensions": T("Dimensions against VIB, by pillar", "各维度与 VIB 对比（按支柱分组）"),
    "institution": T("Institution", "本机构"),
    "reference": T("VIB", "VIB"),
    "peers": T("Peers' median", "同类机构中位数"),
    "score": T("Score (0–100)", "得分（0–100）"),
    "no_score": T("no answers", "无回答"),
}


def title(name: str, lang: str) -> str:
    return _TEXT[name].get(lang)


def plain(text: str) -> str:
    """A label as plain text: no control characters, on one line (for labels given explicitly,
    which matplotlib never hides; see :func:`_safe` for labels it collects itself)."""
    return text.translate(CONTROLS).replace("\n", " ")


def chart_files(result: Result, lang: str = "en") -> dict[str, bytes]:
    """Every chart of the report as SVG, by name, in the report's order."""
    return {c.name: c.svg for c in (pillars_chart(result, lang), dimensions_chart(result, lang))}


CHARTS = ("pillars", "dimensions")


def _safe(text: str) -> str:
    """A label as plain text: no control characters; a leading ``_`` kept (matplotlib hides such
    legend entries) by a zero-width space."""
    s = text.translate(CONTROLS).replace("\n", " ")
    return "\u200b" + s if s.startswith("_") else s


LABEL_CHARS = 60
"""Axis labels (pillar and dimension names) are shortened to this many characters, so that a very
long name cannot squeeze the bars out of the chart."""


def _label(text: str) -> str:
    s = _safe(text)
    return s if len(s) <= LABEL_CHARS else s[: LABEL_CHARS - 1].rstrip() + "…"


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    svg: bytes
    png: bytes


def cjk_fonts_found() -> list[str]:
    """The CJK fonts of :data:`CJK_FONTS` that matplotlib can use on this machine."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return [f for f in CJK_FONTS if f in names]


def cjk_note(lang: str) -> str | None:
    """One line when Chinese labels would be drawn without a CJK font (None when one is there)."""
    if lang != "zh" or cjk_fonts_found():
        return None
    return (
        "note: no CJK font found (tried Microsoft YaHei, PingFang SC, Noto Sans CJK SC, …): Chinese labels "
        "in the Word file's charts may show as boxes — install one, e.g. Noto Sans CJK / 未找到中文字体，"
        "Word 报告图表中的中文可能显示为方框，请安装 Noto Sans CJK 等字体"
    )


def render(draw: Callable[[Any], None], size: tuple[float, float]) -> tuple[bytes, bytes, Any]:
    """Draw a figure once; its SVG (text kept as text), its PNG, and the figure (for tests)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with (
        matplotlib.rc_context(
            {
                "svg.fonttype": "none",
                "svg.hashsalt": "vibbench",
                # a list of families: matplotlib falls back glyph by glyph (Latin from DejaVu Sans,
                # Chinese from the first CJK font found)
                "font.family": ["DejaVu Sans", *cjk_fonts_found()],
                "font.sans-serif": list(SANS),
                "font.size": 9,
                "axes.unicode_minus": False,
                "text.usetex": False,
                "text.parse_math": False,
            }
        ),
        warnings.catch_warnings(),
    ):
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from font")
        warnings.filterwarnings("ignore", message=r"findfont")
        # a label longer than the figure (a hostile name) leaves no room for the axes: the chart is
        # then drawn without the layout engine, which is better than a warning on standard error
        warnings.filterwarnings("ignore", message=r"constrained_layout not applied")
        fig = Figure(figsize=size, layout="constrained")
        FigureCanvasAgg(fig)
        draw(fig)
        svg = io.BytesIO()
        fig.savefig(svg, format="svg", metadata={"Date": None})
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return svg.getvalue(), png.getvalue(), fig


def _value(v: float | None) -> float:
    return 0.0 if v is None else max(0.0, min(100.0, v))


def _bars(
    fig: Any,
    rows: Sequence[tuple[str, NodeResult | None]],
    peers: dict[str, float],
    chart_title: str,
    lang: str,
) -> None:
    """Horizontal bars, one per node (a None node is a group heading), VIB as a diamond."""
    ax = fig.add_subplot()
    ys, labels = [], []
    y = 0.0
    heading_rows = []
    for label, node in rows:
        if node is None:
            heading_rows.append((y, label))
            y += 0.9
            continue
        ys.append((y, node))
        labels.append(label)
        y += 1.0
    pos = [p for p, _ in ys]
    nodes = [n for _, n in ys]
    ax.barh(
        pos,
        [_value(n.score) for n in nodes],
        0.62,
        color=INSTITUTION,
        label=_safe(title("institution", lang)),
    )
    ax.scatter(
        [_value(n.reference) for n in nodes],
        pos,
        marker="D",
        s=28,
        color=REFERENCE,
        zorder=3,
        label=_safe(title("reference", lang)),
    )
    if peers:
        px = [(peers[n.id], p) for p, n in ys if n.id in peers]
        if px:
            ax.scatter(
                [x for x, _ in px],
                [p for _, p in px],
                marker="|",
                s=160,
                color=PEERS,
                zorder=3,
                label=_safe(title("peers", lang)),
            )
    for p, n in ys:
        shown = title("no_score", lang) if n.score is None else f"{n.score:.1f}"
        ax.text(min(_value(n.score) + 1.5, 101), p, shown, va="center", fontsize=7, color="#222222")
    ax.set_yticks(pos, [_label(s) for s in labels])
    for hy, text in heading_rows:
        ax.text(
            -0.01,
            hy,
            _label(text),
            transform=ax.get_yaxis_transform(),
            ha="right",
            va="center",
            fontsize=8.5,
            fontweight="bold",
        )
    ax.invert_yaxis()
    ax.set_xlim(0, 112)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel(_safe(title("score", lang)))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(_safe(chart_title), loc="left", fontsize=10)
    fig.legend(loc="outside lower center", ncols=3, frameon=False, fontsize=8)


def dimensions_chart(result: Result, lang: str, peers: dict[str, float] | None = None) -> Chart:
    """Every dimension, grouped under its pillar, against VIB (and the peers' median)."""
    rows: list[tuple[str, NodeResult | None]] = []
    for p in result.pillars:
        rows.append((f"{p.id} {p.name.get(lang)}", None))
        rows += [(f"{d.id} {d.name.get(lang)}", d) for d in result.dimensions if d.pillar == p.id]
    height = 1.3 + 0.28 * len(rows)
    svg, png, _ = render(
        lambda fig: _bars(fig, rows, peers or {}, title("dimensions", lang), lang), (7.0, height)
    )
    return Chart("dimensions", title("dimensions", lang), svg, png)


def pillars_chart(result: Result, lang: str, peers: dict[str, float] | None = None) -> Chart:
    rows: list[tuple[str, NodeResult | None]] = [(f"{p.id} {p.name.get(lang)}", p) for p in result.pillars]
    svg, png, _ = render(
        lambda fig: _bars(fig, rows, peers or {}, title("pillars", lang), lang),
        (7.0, 1.0 + 0.28 * len(rows)),
    )
    return Chart("pillars", title("pillars", lang), svg, png)


def overlaps(fig: Any) -> list[tuple[str, str]]:
    """Pairs of drawn texts (title, legend, tick labels, value labels) whose boxes intersect."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from font")
        return _overlaps(fig)


def _overlaps(fig: Any) -> list[tuple[str, str]]:
    renderer = fig.canvas.get_renderer()
    boxes: list[tuple[str, Any]] = []
    for ax in fig.axes:
        boxes.append(("title", ax.title.get_window_extent(renderer)))
        for t in ax.get_yticklabels():
            if t.get_text():
                boxes.append((f"y:{t.get_text()}", t.get_window_extent(renderer)))
        for t in ax.texts:
            boxes.append((f"text:{t.get_text()}", t.get_window_extent(renderer)))
        boxes.append(("xlabel", ax.xaxis.label.get_window_extent(renderer)))
    for legend in fig.legends:
        boxes.append(("legend", legend.get_window_extent(renderer)))
    found = []
    for i, (na, a) in enumerate(boxes):
        for nb, b in boxes[i + 1 :]:
            if a.width and b.width and a.overlaps(b):
                found.append((na, nb))
    return found


def heat_map(
    rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float | None]], chart_title: str
) -> Chart:
    """Dimension scores × institutions as a heat map (red → yellow → green), each cell labelled —
    the cohort report's figure for Markdown, where a table cannot be coloured."""
    from matplotlib.colors import LinearSegmentedColormap

    cmap = LinearSegmentedColormap.from_list("vib", ["#f8696b", "#ffeb84", "#63be7b"]).with_extremes(
        bad="#eeeeee"
    )

    def draw(fig: Any) -> None:
        import numpy as np

        ax = fig.add_subplot()
        data = np.array([[np.nan if v is None else v for v in row] for row in values], dtype=float)
        ax.imshow(np.ma.masked_invalid(data), cmap=cmap, vmin=0, vmax=100, aspect="auto")
        ax.set_xticks(range(len(columns)), [_safe(c) for c in columns], rotation=45, ha="right", fontsize=7)
        ax.set_yticks(range(len(rows)), [_safe(r) for r in rows], fontsize=7)
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                ax.text(j, i, "—" if v is None else f"{v:.0f}", ha="center", va="center", fontsize=6)
        ax.set_title(_safe(chart_title), loc="left", fontsize=10)

    size = (max(6.0, 0.45 * len(columns) + 2.5), max(2.5, 0.28 * len(rows) + 1.8))
    svg, png, _ = render(draw, size)
    return Chart("heat", chart_title, svg, png)
