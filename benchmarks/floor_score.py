"""Floor for ``vibbench score``: the least work that scoring one workbook needs.

Python start, PyYAML's C loader on the rubric, python-calamine reading the ``Responses``
sheet, the arithmetic of SPEC §4 (normalised scores, renormalised weighted means level by
level) and printing JSON. No validation, no messages, no reference scores, no report.

    python benchmarks/floor_score.py RUBRIC.yaml WORKBOOK.xlsx

``floor_compare.py`` reuses :func:`load_rubric` and :func:`score_workbook`.
"""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Any

import yaml
from python_calamine import CalamineWorkbook

_YES = {"yes", "true", "是", "y"}
_NO = {"no", "false", "否", "n"}
_SHEETS = {"responses", "回答", "答卷"}
_ID = {"id", "indicator_id", "indicator id", "指标编号", "编号"}
_ANSWER = {"answer", "value", "response", "回答", "答案", "得分", "数值"}
_NUMBER = re.compile(r"\s*([-+]?\d[\d,]*(?:\.\d+)?)\s*(%?)")

Rubric = dict[str, Any]


def load_rubric(path: str) -> Rubric:
    """The rubric as plain lists: indicators with their goalposts, dimensions and pillars with weights."""
    with open(path, encoding="utf-8") as fh:
        data = yaml.load(fh.read(), Loader=yaml.CSafeLoader)
    scale = data.get("scale") or {}
    lo, hi = float(scale.get("min", 0)), float(scale.get("max", 4))
    pillars = []
    indicators = {}
    for p in data["pillars"]:
        dims = []
        for d in p["dimensions"]:
            ids = []
            for i in d["indicators"]:
                ref = float(i["reference"])
                indicators[i["id"]] = (
                    i["type"],
                    float(i.get("weight", 1)),
                    float(i.get("min") or 0.0),
                    float(i["target"] if i.get("target") is not None else ref),
                    i.get("scale") == "log",
                )
                ids.append(i["id"])
            dims.append((float(d.get("weight", 1)), ids))
        pillars.append((p["id"], float(p.get("weight", 1)), dims))
    return {"scale": (lo, hi), "indicators": indicators, "pillars": pillars}


def _value(cell: Any) -> float | None:
    if isinstance(cell, bool):
        return 1.0 if cell else 0.0
    if isinstance(cell, (int, float)):
        return float(cell)
    text = str(cell).strip().lower()
    if text in _YES:
        return 1.0
    if text in _NO:
        return 0.0
    m = _NUMBER.match(text)
    return float(m.group(1).replace(",", "")) if m else None


def _normalise(ind: tuple[str, float, float, float, bool], x: float, scale: tuple[float, float]) -> float:
    kind, _, m, t, log = ind
    if kind == "level":
        return 100.0 * (x - scale[0]) / (scale[1] - scale[0])
    if kind == "boolean":
        return 100.0 * x
    if log:
        m, t, x = math.log1p(m), math.log1p(t), math.log1p(x)
    return 100.0 * min(1.0, max(0.0, (x - m) / (t - m)))


def read_answers(path: str) -> dict[str, float]:
    """Indicator id → answer (the median when several respondents answered)."""
    wb = CalamineWorkbook.from_path(path)
    name = next(n for n in wb.sheet_names if n.strip().lower() in _SHEETS)
    rows = wb.get_sheet_by_name(name).to_python()
    header = [str(c).strip().lower() for c in rows[0]]
    ic = next(n for n, h in enumerate(header) if h in _ID)
    ac = next(n for n, h in enumerate(header) if h in _ANSWER)
    found: dict[str, list[float]] = {}
    for row in rows[1:]:
        ident = row[ic]
        if not ident or row[ac] == "":
            continue
        v = _value(row[ac])
        if v is not None:
            found.setdefault(str(ident).strip(), []).append(v)
    return {k: _median(v) for k, v in found.items()}


def _median(values: list[float]) -> float:
    v = sorted(values)
    h = len(v) // 2
    return v[h] if len(v) % 2 else (v[h - 1] + v[h]) / 2


def score_answers(answers: dict[str, float], rubric: Rubric) -> dict[str, Any]:
    """Overall and pillar scores: weighted means over what was answered, renormalised level by level."""
    inds, scale = rubric["indicators"], rubric["scale"]
    pillar_scores: dict[str, float | None] = {}
    top_num = top_den = 0.0
    for pid, pw, dims in rubric["pillars"]:
        p_num = p_den = 0.0
        for dw, ids in dims:
            d_num = d_den = 0.0
            for ident in ids:
                x = answers.get(ident)
                if x is not None:
                    ind = inds[ident]
                    d_num += ind[1] * _normalise(ind, x, scale)
                    d_den += ind[1]
            if d_den > 0:
                p_num += dw * d_num / d_den
                p_den += dw
        ps = p_num / p_den if p_den > 0 else None
        pillar_scores[pid] = ps
        if ps is not None:
            top_num += pw * ps
            top_den += pw
    return {"overall": top_num / top_den if top_den > 0 else None, "pillars": pillar_scores}


def score_workbook(path: str, rubric: Rubric) -> dict[str, Any]:
    return {"path": path, **score_answers(read_answers(path), rubric)}


def main() -> None:
    rubric = load_rubric(sys.argv[1])
    sys.stdout.write(json.dumps(score_workbook(sys.argv[2], rubric)) + "\n")


if __name__ == "__main__":
    main()
