"""Work per workbook, counted in machine instructions rather than timed.

Timings on shared machines move by ±10% from one run to the next; instruction counts under
valgrind's callgrind do not. This runs each stage twice under callgrind — once on no workbooks,
once on ``--workbooks`` of them — and prints the difference per workbook, for vibbench's
stages and for the floor of ``floor_compare.py`` (calamine + SPEC §4 arithmetic):

    python benchmarks/instructions.py [--workbooks 40]

Needs ``valgrind`` on the PATH (slow: about a minute).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
STAGES = {
    "read": "read_assessment",
    "read + score": "read_assessment, then score",
    "read + score + JSON": "read_assessment, score, to_dict and orjson (what a compare worker does)",
    "floor": "floor_score.score_workbook: calamine on Responses + SPEC §4 arithmetic",
}


def work(stage: str, rubric: str, folder: str, count: int) -> None:
    """The stage's work on the first ``count`` workbooks of ``folder`` (imports happen either way)."""
    files = sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".xlsx"))[:count]
    if stage == "floor":
        sys.path.insert(0, str(HERE))
        from floor_score import load_rubric as floor_rubric
        from floor_score import score_workbook

        plain = floor_rubric(rubric)
        for f in files:
            score_workbook(f, plain)
        return
    from vibbench.report.json_format import compact, to_dict
    from vibbench.rubric.loader import load_rubric
    from vibbench.scoring.engine import score
    from vibbench.workbook.reader import read_assessment

    r = load_rubric(rubric)
    for f in files:
        a = read_assessment(f, r)
        if stage != "read":
            result = score(a, r)
            if stage == "read + score + JSON":
                compact(to_dict(result, "en"))


def counted(stage: str, rubric: Path, folder: Path, count: int) -> int:
    """Instructions callgrind counts for the whole process of :func:`work`."""
    cmd = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--work",
        stage,
        str(rubric),
        str(folder),
        str(count),
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stderr
    m = re.search(r"Collected : (\d+)", out)
    if m is None:
        raise RuntimeError(f"callgrind printed no total for {stage}:\n{out[-2000:]}")
    return int(m.group(1))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--work"]:
        work(args[1], args[2], args[3], int(args[4]))
        return 0
    ap = argparse.ArgumentParser(description="Instructions per workbook, vibbench's stages and the floor.")
    ap.add_argument("--workbooks", type=int, default=40, help="workbooks per count (default 40)")
    opts = ap.parse_args(args)
    if shutil.which("valgrind") is None:
        sys.stderr.write("instructions: valgrind is not installed — install it (apt-get install valgrind)\n")
        return 2
    sys.path.insert(0, str(HERE))
    import _inputs

    with tempfile.TemporaryDirectory(prefix="vibbench-instr-") as tmp:
        work_dir = Path(tmp)
        data = _inputs.rubric_data()
        rubric = work_dir / "bench40.yaml"
        _inputs.write_rubric(rubric, data)
        folder = work_dir / "workbooks"
        _inputs.make_workbooks(folder, data, opts.workbooks)
        os.environ["VIBBENCH_CACHE_DIR"] = str(work_dir / "cache")
        os.environ.pop("VIBBENCH_NO_CACHE", None)
        # Every count runs with the rubric already compiled and cached, as a batch's workers do.
        subprocess.run(
            [sys.executable, __file__, "--work", "read", str(rubric), str(folder), "1"], check=True
        )
        per: dict[str, float] = {}
        for stage in STAGES:
            base = counted(stage, rubric, folder, 0)
            full = counted(stage, rubric, folder, opts.workbooks)
            per[stage] = (full - base) / opts.workbooks
    print(f"instructions per workbook ({opts.workbooks} generated workbooks of 40 indicators; callgrind)")
    for stage, what in STAGES.items():
        print(f"  {stage:<20} {per[stage] / 1e6:6.2f} M   {what}")
    print(f"  ratio to the floor: {per['read + score + JSON'] / per['floor']:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
