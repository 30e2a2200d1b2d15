"""Floor for ``vibbench sensitivity``: the same computation in plain numpy, on a prepared score matrix.

Input (``.npz``, written by ``analyse_inproc.py`` from vibbench's own scoring of the same
workbooks): S (institutions × indicators, 0 where not kept), M (kept mask), R (reference
scores), the rubric's structure (indicator → dimension, dimension → pillar, weights) and
each institution's nominal top priorities. For every sample, each pillar, dimension and
indicator weight is multiplied by its own factor from U[1 − spread, 1 + spread], drawn in
the same order as vibbench (so both give the same numbers); every institution is rescored
with hierarchical renormalised weighted means; then the p5/p50/p95 of score and rank and the
share of samples in which each nominal top priority stays among the top ``--top``.
Samples are processed in blocks, so memory stays bounded.

    python benchmarks/floor_sensitivity.py MATRIX.npz --samples 10000 --spread 0.25 --seed 1 --top 5

Prints JSON: the seconds of each repetition (computation only, after loading the matrix).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import numpy as np

BLOCK_BYTES = 8 * 2**20
"""Budget for the largest temporary of one block (samples × institutions × indicators × 8 bytes)."""


def _ranks(x: Any) -> Any:
    """Competition ranks along axis 1 (1 = highest; ties share the better rank)."""
    c, n = x.shape
    order = np.argsort(-x, axis=1)
    xs = np.take_along_axis(x, order, axis=1)
    new = np.ones((c, n), bool)
    new[:, 1:] = xs[:, 1:] != xs[:, :-1]
    first = np.where(new, np.arange(n, dtype=np.int32), np.int32(0))
    np.maximum.accumulate(first, axis=1, out=first)
    ranks = np.empty((c, n), np.int32)
    np.put_along_axis(ranks, order, first + 1, axis=1)
    return ranks


def _runs(owner: Any, count: int) -> list[slice]:
    """The slice of positions that each of ``count`` owners holds (owners' items are contiguous)."""
    out = []
    for j in range(count):
        pos = np.flatnonzero(owner == j)
        assert len(pos) and pos[-1] - pos[0] + 1 == len(pos), "children must be contiguous"
        out.append(slice(int(pos[0]), int(pos[-1]) + 1))
    return out


def compute(
    z: Any, samples: int, spread: float, seed: int, top: int, priorities: bool = True
) -> dict[str, Any]:
    s, m, r = z["S"], z["M"], z["R"]
    ind_dim, dim_pil = z["ind_dim"], z["dim_pil"]
    wi, wd, wp = z["wi"], z["wd"], z["wp"]
    top_idx = z["top_idx"]
    n, k = s.shape
    nd, npil = len(wd), len(wp)
    rng = np.random.default_rng(seed)
    lo, hi = 1.0 - spread, 1.0 + spread
    fi_all = rng.uniform(lo, hi, (samples, k))
    fd_all = rng.uniform(lo, hi, (samples, nd))
    fp_all = rng.uniform(lo, hi, (samples, npil))

    # Indicators of a dimension and dimensions of a pillar are contiguous in rubric order.
    dcols = _runs(ind_dim, nd)
    pcols = _runs(dim_pil, npil)
    ms = m * s
    mgap = m * np.maximum(0.0, r[None, :] - s)  # (n, K)
    answered = m.any(axis=1)  # an institution with nothing kept has no score in any sample
    valid = top_idx >= 0
    safe_idx = np.maximum(top_idx, 0)
    rows = np.arange(n)[:, None]
    kth_pos = max(0, k - top)

    overall_all = np.empty((samples, n))
    ranks_all = np.empty((samples, n), np.int32)
    hits = np.zeros(top_idx.shape)
    block = max(1, BLOCK_BYTES // (n * k * 8))
    for start in range(0, samples, block):
        stop = min(samples, start + block)
        c = stop - start
        a = wi * fi_all[start:stop]  # (c, K) indicator weights
        num = np.empty((nd, c, n))
        den = np.empty((nd, c, n))
        for d, cols in enumerate(dcols):
            num[d] = a[:, cols] @ ms[:, cols].T
            den[d] = a[:, cols] @ m[:, cols].T
        kept_d = den > 0
        den_safe = np.where(kept_d, den, 1.0)
        ds = num / den_safe  # dimension scores
        bd = (wd * fd_all[start:stop]).T[:, :, None] * kept_d  # (D, c, n) dimension weights
        pnum = np.empty((npil, c, n))
        pden = np.empty((npil, c, n))
        for p, cols in enumerate(pcols):
            pnum[p] = np.einsum("dcn,dcn->cn", bd[cols], ds[cols])
            pden[p] = bd[cols].sum(axis=0)
        kept_p = pden > 0
        pden_safe = np.where(kept_p, pden, 1.0)
        bp = (wp * fp_all[start:stop]).T[:, :, None] * kept_p  # (P, c, n) pillar weights
        oden = bp.sum(axis=0)
        oden_safe = np.where(oden > 0, oden, 1.0)
        overall = np.einsum("pcn,pcn->cn", bp, pnum / pden_safe) / oden_safe
        overall_all[start:stop] = overall
        ranks_all[start:stop] = _ranks(np.where(answered, overall, -np.inf))
        if not priorities:
            continue
        # Priority = effective weight × gap; the effective weight is the product of the three shares.
        dshare = (bp[dim_pil] / oden_safe) * (bd / pden_safe[dim_pil]) / den_safe  # (D, c, n)
        prio = np.take(np.ascontiguousarray(dshare.transpose(1, 2, 0)), ind_dim, axis=2)  # (c, n, K)
        prio *= a[:, None, :]
        prio *= mgap[None]
        chosen = prio[:, rows, safe_idx]  # (c, n, top)
        prio.sort(axis=2)  # in place; the top-th largest is then at kth_pos
        hits += ((chosen >= prio[:, :, kth_pos, None]) & (chosen > 0) & valid[None]).sum(axis=0)
    # Percentiles over the samples, a slice of institutions at a time (bounded temporaries).
    score_pct = np.full((3, n), np.nan)
    rank_pct = np.empty((3, n))
    step = max(1, BLOCK_BYTES // (samples * 8))
    for lo_col in range(0, n, step):
        sl = slice(lo_col, min(n, lo_col + step))
        sub = overall_all[:, sl]
        ok = answered[sl]
        score_pct[:, lo_col + np.flatnonzero(ok)] = np.percentile(sub[:, ok], [5, 50, 95], axis=0)
        rank_pct[:, sl] = np.percentile(ranks_all[:, sl], [5, 50, 95], axis=0)
    return {"score": score_pct, "rank": rank_pct, "share": hits / samples}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("matrix")
    ap.add_argument("--samples", type=int, default=10_000)
    ap.add_argument("--spread", type=float, default=0.25)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--top", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--scores-only", action="store_true", help="skip the top-priority shares")
    ap.add_argument("--out", help="save the percentiles and shares here (.npz), for a cross-check")
    ap.add_argument("--trace", action="store_true", help="one more run under tracemalloc: its peak")
    args = ap.parse_args()
    with np.load(args.matrix) as f:
        z = {name: f[name] for name in f.files}
    seconds = []
    out = None
    for _ in range(args.repeat):
        start = time.perf_counter()
        out = compute(z, args.samples, args.spread, args.seed, args.top, not args.scores_only)
        seconds.append(time.perf_counter() - start)
    report: dict[str, Any] = {"seconds": seconds}
    if args.trace:
        import tracemalloc

        tracemalloc.start()
        out = compute(z, args.samples, args.spread, args.seed, args.top, not args.scores_only)
        report["trace_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    if args.out and out is not None:
        np.savez(args.out, **out)
    sys.stdout.write(json.dumps(report) + "\n")


if __name__ == "__main__":
    main()
