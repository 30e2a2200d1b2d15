"""SPEC §5: a scored result as the JSON object scripts read (plain dicts and lists; encoding is
the report layer's :mod:`vibbench.report.json_format`). Keys and meanings are a contract."""

from __future__ import annotations

from typing import Any

from vibbench.scoring.result import IndicatorResult, NodeResult, Result
from vibbench.text import CONTROLS, one_line

SCHEMA_VERSION = 1


def _node(n: NodeResult, lang: str, *, band: bool, pillar: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"id": n.id}
    if pillar:
        out["pillar"] = n.pillar
    out.update(
        name=n.name.get(lang),
        score=n.score,
        reference=n.reference,
        gap=n.gap,
        coverage=n.coverage,
    )
    if band:
        out["band"] = n.band.id if n.band else None
    return out


def indicator_object(r: IndicatorResult, lang: str) -> dict[str, Any]:
    """One indicator's object in the JSON (SPEC §5)."""
    ind = r.indicator
    return {
        "id": ind.id,
        "dimension": ind.dimension,
        "pillar": ind.pillar,
        "name": ind.name.get(lang),
        "type": ind.type,
        "answer": r.answer,
        "score": r.score,
        "reference": r.reference,
        "gap": r.gap,
        "weight": r.weight,
        "priority": r.priority,
        "respondents": [{"respondent": a.respondent, "answer": a.value, "cell": a.cell} for a in r.answers],
        "spread": r.spread,
        "value": r.value,
        "named": None if (label := ind.named_label(r.answer)) is None else label.get(lang),
        "actor": ind.actor,
        "applies": r.applies,
    }


def _institution(fields: dict[str, Any]) -> dict[str, Any]:
    """The institution's fields without control characters (texts; the year is an integer, the
    research staff a number); the name (perhaps a file's stem) on one line."""
    out = {
        k: v.translate(CONTROLS) if isinstance(v, str) and not v.isprintable() else v
        for k, v in fields.items()
    }
    if isinstance(out.get("name"), str):
        out["name"] = one_line(fields["name"])
    return out


def to_dict(result: Result, lang: str = "en") -> dict[str, Any]:
    """One institution's object (SPEC §5), as ``compare`` lists them.

    Without ``projection`` and ``roadmap``: those rescore the institution about 20 times, and
    1,000 institutions × 20 rescorings would break ``compare``'s speed target. ``score`` adds them
    (:func:`plan`, through :func:`render`).
    """
    a = result.assessment
    overall = {k: v for k, v in _node(result.overall, lang, band=True).items() if k not in ("id", "name")}
    return {
        "schema_version": SCHEMA_VERSION,
        "institution": _institution(a.institution),
        "source": {"path": one_line(a.path), "sha256": a.sha256},
        "rubric": {
            "id": result.rubric.id,
            "version": result.rubric.version,
            "title": result.rubric.title.get(lang),
        },
        "options": {
            "missing": result.options.missing,
            "aggregation": result.options.aggregation,
            "lang": lang,
            "profile": a.profile or result.rubric.default_profile,
        },
        "overall": overall,
        "pillars": [_node(p, lang, band=True) for p in result.pillars],
        "dimensions": [_node(d, lang, band=False, pillar=True) for d in result.dimensions],
        "indicators": [indicator_object(r, lang) for r in result.indicators],
        "recommendations": [
            {
                "indicator": rec.indicator,
                "theme": rec.theme,
                "horizon": rec.horizon,
                "priority": rec.priority,
                "text": rec.text.get(lang),
            }
            for rec in result.recommendations
        ],
        "warnings": [
            {"code": w.code, "message": w.message.get(lang), "indicator": w.indicator}
            for w in result.warnings
        ],
    }


def plan(result: Result, lang: str = "en") -> dict[str, Any]:
    """``projection`` and ``roadmap`` (SPEC §4, §5): the score after each cumulative roadmap phase,
    and each step with its target and the points reaching it alone adds (rescored; unrounded)."""
    from vibbench.scoring.projection import projection, roadmap

    return {
        "projection": [
            {"phase": p.phase, "score": p.score, "band": p.band.id if p.band else None, "gain": p.gain}
            for p in projection(result)
        ],
        "roadmap": [
            {
                "indicator": s.indicator,
                "theme": s.theme,
                "horizon": s.horizon,
                "actor": s.actor,
                "now": s.now,
                "target": s.target,
                "points": s.points,
                "text": s.text.get(lang),
            }
            for s in roadmap(result)
        ],
    }
