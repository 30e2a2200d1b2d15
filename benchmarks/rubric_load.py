"""Rubric loading: cold compile against a cached load, and how fast hostile rubrics are refused.

    python benchmarks/rubric_load.py [--runs N] [--json]

Replaces the wall-clock assertion that tests/rubric/test_loader.py used to make about the
YAML alias bomb (refused in under 3 s): the test now checks only that it is refused, and the
time is measured here, with the other cases that must stay bounded. Each case runs in this
process, ``--runs`` times, in a temporary cache folder; the medians are printed with their
targets. It measures and never gates: the exit code is 0 unless a case gave a wrong answer.

Cases
    cold compile (vib)        load_rubric("vib", use_cache=False): YAML, merge, pydantic
    cached load (vib)         load_rubric("vib") from a warm cache; ratio to cold: target ≤ 0.25
    alias bomb refused        10**8 nodes once expanded from 1.5 KB: target < 3 s
    5 MB rubric refused       over the 4 MB limit, before parsing: target < 0.1 s
    extends chain of 1,000    refused at the depth limit: target < 3 s
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vibbench.errors import RubricError  # noqa: E402
from vibbench.rubric.loader import load_rubric  # noqa: E402

MINI = ROOT / "tests" / "fixtures" / "rubrics" / "mini.yaml"


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def refused(path: Path) -> Callable[[], object]:
    def run() -> object:
        try:
            load_rubric(path, use_cache=False)
        except RubricError as exc:
            return exc
        raise SystemExit(f"{path.name}: was not refused")

    return run


def build(work: Path) -> dict[str, Path]:
    lines = ["laughs:", "  l0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, 8):
        lines.append(f"  l{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]")
    bomb = work / "bomb.yaml"
    bomb.write_text(MINI.read_text("utf-8") + "\n".join(lines) + "\n", "utf-8")
    big = work / "big.yaml"
    big.write_text("schema_version: 1\nx:\n" + "  - 1\n" * (5 * 1024 * 1024 // 6), "utf-8")
    chain = work / "chain"
    chain.mkdir()
    (chain / "f0.yaml").write_text(MINI.read_text("utf-8"), "utf-8")
    for n in range(1, 1000):
        (chain / f"f{n}.yaml").write_text(f"extends: f{n - 1}.yaml\n", "utf-8")
    return {"bomb": bomb, "big": big, "chain": chain / "f999.yaml"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", action="store_true", help="print the results as one JSON object")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="vibbench-rubric-bench-") as tmp:
        work = Path(tmp)
        os.environ["VIBBENCH_CACHE_DIR"] = str(work / "cache")
        os.environ.pop("VIBBENCH_NO_CACHE", None)
        paths = build(work)
        cold = median_seconds(lambda: load_rubric("vib", use_cache=False), args.runs)
        load_rubric("vib")  # warm the cache
        warm = median_seconds(lambda: load_rubric("vib"), args.runs)
        rows = [
            ("cold compile (vib)", cold, ""),
            ("cached load (vib)", warm, f"ratio {warm / cold:.3f} (target ≤ 0.25)"),
            ("alias bomb refused", median_seconds(refused(paths["bomb"]), args.runs), "target < 3 s"),
            ("5 MB rubric refused", median_seconds(refused(paths["big"]), args.runs), "target < 0.1 s"),
            ("extends chain of 1,000", median_seconds(refused(paths["chain"]), args.runs), "target < 3 s"),
        ]
    if args.json:
        out = {name: seconds for name, seconds, _ in rows}
        out["cached/cold"] = warm / cold
        print(json.dumps(out))
        return 0
    for name, seconds, note in rows:
        print(f"{name:<26} {seconds * 1000:10.2f} ms  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
