"""pandas DataFrames of results and cohorts, for analysts in notebooks.

pandas is an optional extra (``pip install 'vibbench[pandas]'``): it is imported inside these
functions only, never on the command line's path.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from vibbench.errors import UsageError, Where
from vibbench.scoring.result import IndicatorResult, NodeResult, Result
from vibbench.text import T, one_line

if TYPE_CHECKING:
    import pandas

KINDS = ("indicators", "dimensions", "pillars")


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise UsageError.one(
            Where("to_frame"),
            T("pandas is not installed", "未安装 pandas"),
            T("install it with: pip install 'vibbench[pandas]'", "请安装：pip install 'vibbench[pandas]'"),
        ) from None
    return pandas


def _check(kind: str) -> None:
    if kind not in KINDS:
        raise UsageError.one(
            Where("to_frame"),
            T(f"{kind!r} is not a table of a result", f"{kind!r} 不是结果中的表"),
            T(f"use one of: {', '.join(KINDS)}", f"请使用以下之一：{'、'.join(KINDS)}"),
        )


def _indicator(r: IndicatorResult, lang: str) -> dict[str, Any]:
    """The indicator's JSON object (SPEC §5) as a row: the respondents counted, not listed."""
    from vibbench.scoring.export import indicator_object

    row = indicator_object(r, lang)
    row["respondents"] = len(r.answers)
    return row


def _node(n: NodeResult, lang: str) -> dict[str, Any]:
    return {
        "pillar": n.pillar if n.pillar is not None else n.id,
        "id": n.id,
        "name": n.name.get(lang),
        "score": n.score,
        "reference": n.reference,
        "gap": n.gap,
        "coverage": n.coverage,
        "weight": n.weight,
        "band": n.band.id if n.band else None,
    }


def _rows(result: Result, kind: str, lang: str) -> list[dict[str, Any]]:
    if kind == "indicators":
        return [_indicator(r, lang) for r in result.indicators]
    nodes = result.dimensions if kind == "dimensions" else result.pillars
    rows = [_node(n, lang) for n in nodes]
    if kind == "pillars":
        for row in rows:
            del row["pillar"]
    return rows


def result_frame(result: Result, kind: str = "indicators", lang: str = "en") -> pandas.DataFrame:
    """One row per indicator, dimension or pillar of ``result``."""
    _check(kind)
    pd = _pandas()
    return pd.DataFrame.from_records(_rows(result, kind, lang))


def cohort_frame(
    ranked: Iterable[tuple[Result, int | None]], kind: str = "indicators", lang: str = "en"
) -> pandas.DataFrame:
    """One row per institution × indicator (or dimension, pillar), led by the institution's
    name, year, source path and rank."""
    _check(kind)
    pd = _pandas()
    rows: list[dict[str, Any]] = []
    for result, rank in ranked:
        a = result.assessment
        head = {"institution": one_line(a.name), "year": a.year, "path": one_line(a.path), "rank": rank}
        rows.extend({**head, **row} for row in _rows(result, kind, lang))
    frame = pd.DataFrame.from_records(rows)
    if not rows:
        frame = pd.DataFrame(columns=["institution", "year", "path", "rank"])
    frame["rank"] = frame["rank"].astype("Int64")
    return frame
