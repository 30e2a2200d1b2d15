"""vibbench's sensitivity analysis alone, timed in process (no start-up, no workbook reading).

Reads and scores the workbooks once with vibbench (parallel, as the CLI does), ranks them,
writes the score matrix for ``floor_sensitivity.py`` (``--matrix``), then times only
``vibbench.scoring.sensitivity.analyse(...)``.

    python benchmarks/analyse_inproc.py RUBRIC FOLDER --samples 10000 --spread 0.25 --seed 1 \
        --top 5 --repeat 3 --matrix M.npz --out A.npz

Prints JSON: seconds of each repetition of ``analyse``, and of the initial read + score.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from vibbench.batch import BatchOptions, discover_inputs, score_many
from vibbench.rubric.loader import load_rubric
from vibbench.scoring.ranking import rank
from vibbench.scoring.result import Result, ScoreOptions
from vibbench.scoring.sensitivity import Analysis, Structure, analyse, matrices


def save_matrix(path: str, results: list[Result], rubric: Any, top: int) -> None:
    st = Structure.of(rubric)
    s, r, m = matrices(results, st)
    col = {ident: j for j, ident in enumerate(st.ids)}
    top_idx = np.full((len(results), top), -1)
    for row, res in enumerate(results):
        ids = [col[ir.id] for ir in res.top_priorities(top)]
        top_idx[row, : len(ids)] = ids
    np.savez(
        path,
        S=s,
        R=r,
        M=m,
        ind_dim=st.ind_dim,
        dim_pil=st.dim_pil,
        wi=st.wi,
        wd=st.wd,
        wp=st.wp,
        top_idx=top_idx,
    )


def save_analysis(path: str, analysis: Analysis, top: int) -> None:
    n = len(analysis.institutions)
    score, rnk, share = np.full((3, n), np.nan), np.full((3, n), np.nan), np.zeros((n, top))
    for row, inst in enumerate(analysis.institutions):
        score[:, row] = [np.nan if v is None else v for v in (inst.score.p5, inst.score.p50, inst.score.p95)]
        rnk[:, row] = [np.nan if v is None else v for v in (inst.rank.p5, inst.rank.p50, inst.rank.p95)]
        share[row, : len(inst.top_priorities)] = [v for _, v in inst.top_priorities]
    np.savez(path, score=score, rank=rnk, share=share)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rubric")
    ap.add_argument("folder")
    ap.add_argument("--samples", type=int, default=10_000)
    ap.add_argument("--spread", type=float, default=0.25)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--top", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--matrix", help="write the score matrix for floor_sensitivity.py here (.npz)")
    ap.add_argument("--out", help="save the percentiles and shares here (.npz), for a cross-check")
    ap.add_argument("--trace", action="store_true", help="one more run under tracemalloc: its peak")
    args = ap.parse_args()

    start = time.perf_counter()
    rubric = load_rubric(args.rubric)
    opts = ScoreOptions(top=args.top)
    results, failures = score_many(discover_inputs([Path(args.folder)]), rubric, BatchOptions(score=opts))
    if failures:
        sys.exit(f"{len(failures)} workbooks failed, e.g. {failures[0].lines[0]}")
    ranked = [res for res, _ in rank(results)]
    read_seconds = time.perf_counter() - start
    if args.matrix:
        save_matrix(args.matrix, ranked, rubric, args.top)

    seconds = []
    analysis = None
    for _ in range(args.repeat):
        analysis = None
        gc.collect()
        t0 = time.perf_counter()
        analysis = analyse(ranked, rubric, opts, samples=args.samples, spread=args.spread, seed=args.seed)
        seconds.append(time.perf_counter() - t0)
    report: dict[str, Any] = {"seconds": seconds, "read_seconds": read_seconds}
    if args.trace:
        import tracemalloc

        analysis = None
        gc.collect()
        tracemalloc.start()
        analysis = analyse(ranked, rubric, opts, samples=args.samples, spread=args.spread, seed=args.seed)
        report["trace_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    if args.out and analysis is not None:
        save_analysis(args.out, analysis, args.top)
    sys.stdout.write(json.dumps(report) + "\n")


if __name__ == "__main__":
    main()
