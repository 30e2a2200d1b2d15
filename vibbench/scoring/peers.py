"""Where an institution stands among peers (SPEC §6, ``report --peers``): its percentile per pillar,
dimension and overall, beside VIB's score.

The percentile of a score among the peers' scores is the share of peers below it, counting ties
as half (the "mid-rank" definition): 0 below everyone, 100 above everyone, 50 in the middle or
level with all. Peers with no score at a node are left out there; with none, there is no percentile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vibbench.scoring.result import NodeResult, Result


def percentile(score: float | None, peers: Sequence[float]) -> float | None:
    """Mid-rank percentile (0–100) of ``score`` among ``peers``; None without a score or peers."""
    if score is None or not peers:
        return None
    below = sum(1 for p in peers if p < score)
    level = sum(1 for p in peers if p == score)
    return 100.0 * (below + 0.5 * level) / len(peers)


@dataclass(frozen=True)
class PeerStanding:
    """One node (overall, a pillar or a dimension) among the peers."""

    id: str
    score: float | None
    reference: float | None
    percentile: float | None
    peers: int
    """How many peers have a score here."""
    median: float | None
    """The peers' median score here."""


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    v = sorted(values)
    mid = len(v) // 2
    return v[mid] if len(v) % 2 else (v[mid - 1] + v[mid]) / 2


def standings(result: Result, peers: Sequence[Result]) -> list[PeerStanding]:
    """Overall, then every pillar and dimension of ``result``, each with its percentile among ``peers``
    (the institution itself is not counted among its peers: pass it or not, it is dropped by path)."""
    others = [p for p in peers if p.assessment.sha256 != result.assessment.sha256 or not p.assessment.sha256]
    out: list[PeerStanding] = []
    nodes: list[tuple[str, NodeResult, str]] = [("overall", result.overall, "overall")]
    nodes += [(p.id, p, "pillars") for p in result.pillars]
    nodes += [(d.id, d, "dimensions") for d in result.dimensions]
    for ident, node, group in nodes:
        scores: list[float] = []
        for r in others:
            found = (
                r.overall
                if group == "overall"
                else next((x for x in getattr(r, group) if x.id == ident), None)
            )
            if found is not None and found.score is not None:
                scores.append(found.score)
        out.append(
            PeerStanding(
                ident,
                node.score,
                node.reference,
                percentile(node.score, scores),
                len(scores),
                _median(scores),
            )
        )
    return out
