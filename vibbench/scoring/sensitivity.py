"""Weight sensitivity (SPEC §5), vectorised with numpy over samples × institutions × indicators.

Each sample multiplies every weight (pillar, dimension, indicator) by its own factor drawn
from U[1 − spread, 1 + spread] and rescores every institution with the same aggregation and
missing-answer rules as the engine. Work is done in blocks of samples so that memory stays
bounded whatever the number of samples.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from vibbench.rubric.model import Rubric
from vibbench.scoring.result import Result, ScoreOptions

BLOCK_BYTES = 8 * 2**20
"""Budget for one block's largest temporary (samples × institutions × indicators × 8 bytes)."""


def kept_bytes(samples: int, institutions: int, weights: int) -> int:
    """Memory that :func:`analyse` keeps for the whole run: every sample's factor for each of
    the rubric's ``weights`` (float64), and its overall score (float64) and rank (int32) of
    every institution."""
    return samples * (institutions * (8 + 4) + weights * 8)


@dataclass(frozen=True)
class Percentiles:
    p5: float | None
    p50: float | None
    p95: float | None


@dataclass(frozen=True)
class InstitutionSensitivity:
    score: Percentiles
    rank: Percentiles
    top_priorities: tuple[tuple[str, float], ...]
    """(indicator id, share of samples in which it stays among the top priorities)."""


@dataclass(frozen=True)
class Analysis:
    samples: int
    spread: float
    seed: int
    top: int
    institutions: tuple[InstitutionSensitivity, ...]
    """In the order of the results given."""


@dataclass(frozen=True)
class Structure:
    """The rubric as index arrays."""

    ids: list[str]
    ind_dim: Any  # (K,) dimension index of each indicator
    dim_pil: Any  # (D,) pillar index of each dimension
    wi: Any
    wd: Any
    wp: Any
    dim_cols: list[Any]
    """Column indices of each dimension's indicators."""
    dim_in_pil: Any  # (D, P) membership matrix

    @staticmethod
    def of(rubric: Rubric) -> Structure:
        ids: list[str] = []
        ind_dim: list[int] = []
        dim_pil: list[int] = []
        wi: list[float] = []
        wd: list[float] = []
        wp: list[float] = []
        for p_idx, p in enumerate(rubric.pillars):
            wp.append(p.weight)
            for d in p.dimensions:
                d_idx = len(wd)
                wd.append(d.weight)
                dim_pil.append(p_idx)
                for i in d.indicators:
                    ids.append(i.id)
                    ind_dim.append(d_idx)
                    wi.append(i.weight)
        ind_arr, pil_arr = np.array(ind_dim), np.array(dim_pil)
        member = np.zeros((len(wd), len(wp)))
        member[np.arange(len(wd)), pil_arr] = 1.0
        return Structure(
            ids,
            ind_arr,
            pil_arr,
            np.array(wi, float),
            np.array(wd, float),
            np.array(wp, float),
            [np.flatnonzero(ind_arr == d) for d in range(len(wd))],
            member,
        )


def matrices(results: Sequence[Result], st: Structure) -> tuple[Any, Any, Any]:
    """Scores S (institutions × K, 0 where not kept), reference scores R (K,), kept mask M."""
    n, k = len(results), len(st.ids)
    s = np.zeros((n, k))
    m = np.zeros((n, k))
    r = np.zeros(k)
    for row, res in enumerate(results):
        for col, ir in enumerate(res.indicators):
            r[col] = ir.reference
            if ir.score is not None and ir.indicator.weight > 0:
                s[row, col] = ir.score
                m[row, col] = 1.0
    return s, r, m


def simulate(
    s: Any, r: Any, m: Any, st: Structure, fi: Any, fd: Any, fp: Any, method: str
) -> tuple[Any, Any, Any]:
    """Overall scores (c × n), overall reference (c × n) and priorities (c × n × K) for one block of factors.

    Dimensions are one matrix product each (answered weight, weighted score and weighted
    reference stacked side by side); pillars and the overall are products with a membership
    matrix; the effective weight of an indicator is expanded from its dimension only once.
    """
    geo = method == "geometric"
    sv = np.log(np.maximum(s, 1.0)) if geo else s
    rv = np.log(np.maximum(r, 1.0)) if geo else r
    wi = st.wi * fi  # (c, K)
    ndim = len(st.wd)
    c, n = fi.shape[0], s.shape[0]
    den = np.empty((c, n, ndim))
    ds = np.empty((c, n, ndim))
    dr = np.empty((c, n, ndim))
    for d in range(ndim):
        cols = st.dim_cols[d]
        stacked = np.concatenate([m[:, cols], m[:, cols] * sv[:, cols], m[:, cols] * rv[cols]], axis=0)
        out = wi[:, cols] @ stacked.T  # (c, 3n)
        den[:, :, d], ds[:, :, d], dr[:, :, d] = out[:, :n], out[:, n : 2 * n], out[:, 2 * n :]
    kept_d = den > 0
    safe = np.where(kept_d, den, 1.0)
    ds /= safe  # geometric: the weighted mean of logs, ln DS ≥ 0, which is also ln max(DS, 1)
    dr /= safe
    wd = (st.wd * fd)[:, None, :] * kept_d  # (c, n, D)
    pden = wd @ st.dim_in_pil  # (c, n, P)
    ps = (wd * ds) @ st.dim_in_pil
    pr = (wd * dr) @ st.dim_in_pil
    kept_p = pden > 0
    psafe = np.where(kept_p, pden, 1.0)
    ps /= psafe
    pr /= psafe
    wp = (st.wp * fp)[:, None, :] * kept_p  # (c, n, P)
    oden = wp.sum(axis=2)
    osafe = np.where(oden > 0, oden, 1.0)
    overall = (wp * ps).sum(axis=2) / osafe
    oref = (wp * pr).sum(axis=2) / osafe
    if geo:
        overall, oref = np.exp(overall), np.exp(oref)
    overall[oden <= 0] = np.nan
    # Effective weight W = pillar share × dimension share × indicator share; the first two and
    # the indicator share's denominator depend on the dimension only.
    per_dim = wd / safe  # dimension weight / its answered indicator weight
    per_dim /= psafe @ st.dim_in_pil.T  # ÷ answered dimension weight of its pillar
    per_dim *= (wp / osafe[:, :, None]) @ st.dim_in_pil.T  # × pillar share
    priority = np.take(per_dim, st.ind_dim, axis=2)
    priority *= wi[:, None, :]
    priority *= m * np.maximum(0.0, r - s)  # answered × max(0, r − s), per institution and indicator
    return overall, oref, priority


def ranks_of(scores: Any) -> Any:
    """Competition ranks along axis 1 (1 = highest; ties share the better rank; NaN last)."""
    x = np.where(np.isnan(scores), -np.inf, scores)
    order = np.argsort(-x, axis=1, kind="stable")
    xs = np.take_along_axis(x, order, axis=1)
    pos = np.broadcast_to(np.arange(x.shape[1]), x.shape)
    first = np.where(
        np.concatenate([np.ones((x.shape[0], 1), bool), xs[:, 1:] != xs[:, :-1]], axis=1), pos, 0
    )
    first = np.maximum.accumulate(first, axis=1)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, first + 1, axis=1)
    return ranks


def analyse(
    results: Sequence[Result],
    rubric: Rubric,
    opts: ScoreOptions,
    *,
    samples: int,
    spread: float,
    seed: int,
    progress: Callable[[int], None] | None = None,
) -> Analysis:
    """Percentiles of every institution's score and rank, and how often its top priorities stay on top.

    ``progress``, when given, is called with the number of samples done after each block.
    """
    st = Structure.of(rubric)
    top = opts.top
    nominal_top = [[ir.id for ir in res.top_priorities(top)] for res in results]
    if spread == 0:  # every sample equals the nominal weights: the percentiles are the nominal values
        return _nominal(results, samples, seed, top, nominal_top)
    s, r, m = matrices(results, st)
    n, k = s.shape
    rng = np.random.default_rng(seed)
    lo, hi = 1.0 - spread, 1.0 + spread
    fi_all = rng.uniform(lo, hi, (samples, k))
    fd_all = rng.uniform(lo, hi, (samples, len(st.wd)))
    fp_all = rng.uniform(lo, hi, (samples, len(st.wp)))
    col = {ident: j for j, ident in enumerate(st.ids)}
    tn = max(1, max((len(t) for t in nominal_top), default=1))
    idx = np.full((n, tn), -1)
    for row, ids in enumerate(nominal_top):
        idx[row, : len(ids)] = [col[i] for i in ids]
    overall_all = np.empty((samples, n))
    ranks_all = np.empty((samples, n), dtype=np.int32)
    hits = np.zeros((n, tn))
    block = max(1, int(BLOCK_BYTES // max(1, n * k * 8)))
    kth_pos = max(0, k - top)
    rows = np.arange(n)[:, None]
    for start in range(0, samples, block):
        stop = min(samples, start + block)
        overall, _, priority = simulate(
            s, r, m, st, fi_all[start:stop], fd_all[start:stop], fp_all[start:stop], opts.aggregation
        )
        overall_all[start:stop] = overall
        ranks_all[start:stop] = ranks_of(overall)
        kth = np.sort(priority, axis=2)[:, :, kth_pos]  # the top-th largest (sort beats partition on ~40)
        chosen = priority[:, rows, np.maximum(idx, 0)]  # (c, n, tn)
        inside = (chosen >= kth[:, :, None]) & (chosen > 0) & (idx >= 0)[None, :, :]
        hits += inside.sum(axis=0)
        if progress is not None:
            progress(stop - start)
    out = []
    # An institution with anything answered has a score in every sample; percentiles are taken a
    # slice of institutions at a time so that no full-size temporary copy is made.
    answered: Any = ~np.isnan(overall_all[0])
    score_pct = np.full((3, n), np.nan)
    rank_pct = np.full((3, n), np.nan)
    step = max(1, int(BLOCK_BYTES // (8 * samples)))
    for j in range(0, n, step):
        score_pct[:, j : j + step] = np.percentile(overall_all[:, j : j + step], [5, 50, 95], axis=0)
        rank_pct[:, j : j + step] = np.percentile(ranks_all[:, j : j + step], [5, 50, 95], axis=0)
    for row in range(n):
        if not answered[row]:
            none = Percentiles(None, None, None)
            out.append(InstitutionSensitivity(none, none, ()))
            continue
        tops = tuple((ident, float(hits[row, j] / samples)) for j, ident in enumerate(nominal_top[row]))
        out.append(
            InstitutionSensitivity(
                Percentiles(*(float(v) for v in score_pct[:, row])),
                Percentiles(*(float(v) for v in rank_pct[:, row])),
                tops,
            )
        )
    return Analysis(samples, spread, seed, top, tuple(out))


def _nominal(
    results: Sequence[Result], samples: int, seed: int, top: int, nominal_top: list[list[str]]
) -> Analysis:
    from vibbench.scoring.ranking import competition_ranks

    ranks = competition_ranks([r.overall.score for r in results])
    out = []
    for res, rank, tops in zip(results, ranks, nominal_top, strict=True):
        s = res.overall.score
        rk = None if rank is None else float(rank)
        out.append(
            InstitutionSensitivity(
                Percentiles(s, s, s),
                Percentiles(rk, rk, rk),
                tuple((i, 1.0) for i in tops) if s is not None else (),
            )
        )
    return Analysis(samples, 0.0, seed, top, tuple(out))
