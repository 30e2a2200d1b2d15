"""The report's charts: the institution against the reference per pillar and per dimension, as SVG.

matplotlib costs about a second to import, so it is imported inside the drawing functions only:
importing this module (or :mod:`vibbench.report.document`) stays cheap. The figures are drawn on
an Agg canvas attached to each figure (pyplot and the global backend are never touched) and saved
as SVG with the text kept as text, so Chinese labels render in any browser with a CJK font, and
with a fixed hash salt and no date, so the same result always gives the same bytes. Nothing here
writes a file: the charts are returned as bytes, and the caller writes them. Every text is drawn
as text, never as mathematics (``text.parse_math`` off): a ``$`` in a name is just a dollar sign.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

from vibbench.scoring.result import NodeResult, Result
from vibbench.text import CONTROLS, T

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.projections.polar import PolarAxes

__all__ = ["CHARTS", "chart_files", "chart_title", "draw_dimensions", "draw_pillars", "plain"]

CHARTS = ("pillars", "dimensions")
"""The charts the report shows, in order; each is saved as ``<name>.svg``."""

INSTITUTION = "#1f77b4"
REFERENCE = "#7f7f7f"

# Listed after DejaVu Sans: an SVG viewer picks the first one it has that holds the glyph.
_SANS = [
    "DejaVu Sans",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "PingFang SC",
    "Microsoft YaHei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Arial",
    "Helvetica",
]

_TEXT = {
    "pillars": T("Institution against VIB per pillar", "各支柱：本机构与 VIB 对比"),
    "dimensions": T("Institution against VIB per dimension", "各维度：本机构与 VIB 对比"),
    "institution": T("Institution", "本机构"),
    "reference": T("VIB", "VIB"),
    "no_score": T("no answers, drawn as 0", "无回答，按 0 绘制"),
    "score": T("Score (0–100)", "得分（0–100）"),
}


def _t(key: str, lang: str) -> str:
    return _TEXT[key].get(lang)


def chart_title(name: str, lang: str = "en") -> str:
    """The chart's title, also used as the image's alternative text in the report."""
    return _t(name, lang)


def chart_files(result: Result, lang: str = "en") -> dict[str, bytes]:
    """Every chart, drawn but not written: chart name → SVG bytes, in :data:`CHARTS` order."""
    return {"pillars": draw_pillars(result, lang), "dimensions": draw_dimensions(result, lang)}


def plain(text: str) -> str:
    """A name as a chart shows it: on one line, without the control characters a terminal obeys."""
    return " ".join(text.translate(CONTROLS).split("\n"))


def _label(node: NodeResult, lang: str) -> str:
    text = plain(f"{node.id} {node.name.get(lang)}")
    if node.score is None:
        text += f"\n({_t('no_score', lang)})"
    return text


def _value(v: float | None) -> float:
    return 0.0 if v is None else max(0.0, min(100.0, v))


def draw_pillars(result: Result, lang: str = "en") -> bytes:
    """Radar of the institution against VIB per pillar (bars when there are fewer than three pillars)."""
    nodes = list(result.pillars)
    if len(nodes) < 3:
        return _bars(nodes, _t("pillars", lang), lang)

    def draw(fig: Figure) -> None:
        n = len(nodes)
        angles = [2 * math.pi * k / n for k in range(n)]
        ax = cast("PolarAxes", fig.add_subplot(projection="polar"))
        ax.set_theta_offset(math.pi / 2)  # the first pillar at the top, then clockwise
        ax.set_theta_direction(-1)
        ax.set_thetalim(0, 2 * math.pi)
        closed = [*angles, angles[0]]
        handles, labels = [], []
        for values, colour, who, style in (
            ([_value(p.reference) for p in nodes], REFERENCE, "reference", "--"),
            ([_value(p.score) for p in nodes], INSTITUTION, "institution", "-"),
        ):
            ring = [*values, values[0]]
            (line,) = ax.plot(closed, ring, style, color=colour, linewidth=1.8)
            handles.append(line)
            labels.append(_t(who, lang))
            ax.fill(closed, ring, color=colour, alpha=0.15)
        ax.set_ylim(0, 100)
        ax.set_yticks([25, 50, 75, 100])
        ax.set_yticklabels(["25", "50", "75", "100"], fontsize=7, color="#555555")
        ax.set_xticks(angles)
        ax.set_xticklabels([_label(p, lang) for p in nodes])
        ax.tick_params(axis="x", pad=12)
        ax.set_title(_t("pillars", lang), pad=24)
        # handles and labels given, not collected: matplotlib drops collected labels that start with "_"
        ax.legend(handles, labels, loc="upper right", bbox_to_anchor=(1.25, 1.12), frameon=False)

    return _render(draw, (6.4, 5.6))


def draw_dimensions(result: Result, lang: str = "en") -> bytes:
    """Horizontal bars of the institution against VIB per dimension."""
    return _bars(list(result.dimensions), _t("dimensions", lang), lang)


def _bars(nodes: Sequence[NodeResult], title: str, lang: str) -> bytes:
    def draw(fig: Figure) -> None:
        ax: Axes = fig.add_subplot()
        n = len(nodes)
        height = 0.38
        ys = list(range(n))
        ref = ax.barh(
            [y - height / 2 for y in ys], [_value(d.reference) for d in nodes], height, color=REFERENCE
        )
        own = ax.barh(
            [y + height / 2 for y in ys], [_value(d.score) for d in nodes], height, color=INSTITUTION
        )
        for y, d in zip(ys, nodes, strict=True):
            shown = "—" if d.score is None else f"{d.score:.1f}"
            ax.text(_value(d.score) + 1, y + height / 2, shown, va="center", fontsize=7)
        ax.set_yticks(ys)
        ax.set_yticklabels([_label(d, lang) for d in nodes])
        ax.invert_yaxis()
        ax.set_xlim(0, 108)
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.set_xlabel(_t("score", lang))
        ax.set_title(title, loc="left")
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.legend(
            [ref, own],
            [_t("reference", lang), _t("institution", lang)],
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            ncol=2,
            frameon=False,
            fontsize=8,
        )

    return _render(draw, (7.0, 1.2 + 0.55 * max(len(nodes), 1)))


def _render(draw: Callable[[Figure], None], size: tuple[float, float]) -> bytes:
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with (
        matplotlib.rc_context(
            {
                "svg.fonttype": "none",  # text stays text
                "svg.hashsalt": "vibbench",  # stable ids
                "font.family": "sans-serif",
                "font.sans-serif": _SANS,
                "font.size": 9,
                "axes.unicode_minus": False,
                # Names are text, never mathematics: `$\\invalidcmd$` in an institution's name
                # must not stop the drawing, nor 300 nested `\\sqrt` recurse without end.
                "text.parse_math": False,
            }
        ),
        warnings.catch_warnings(),
    ):
        # With svg.fonttype none the SVG keeps the text and the viewer's fonts draw it; matplotlib
        # only measures it, and says so for every CJK glyph its default font lacks.
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from font")
        warnings.filterwarnings("ignore", message=r".*tight_layout.*")
        # A very long name leaves no room for the margins; the chart is still drawn, squeezed.
        warnings.filterwarnings("ignore", message=r"Tight layout not applied")
        fig = Figure(figsize=size)
        FigureCanvasAgg(fig)
        draw(fig)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()
