"""vibbench's benchmark: each case's median time and its ratio to a floor, measured side by side.

    python benchmarks/run.py            # full: 5 runs, 1,000 workbooks, 10,000 samples
    python benchmarks/run.py --quick    # smoke run: 3 runs, 200 workbooks, 1,000 samples

Inputs are built deterministically in a temporary folder (removed at the end unless
``--keep``). Every measurement is a fresh process (``sys.executable``) started through
``_peak.py``, which times it with ``time.perf_counter`` and reports its peak memory. Cases
and their floors run interleaved, round after round, so that a noisy machine slows both
alike; the table shows medians and their ratios. Heavy cases (sensitivity) run
``min(--runs, 3)`` rounds.

Bytecode: this environment sets ``PYTHONDONTWRITEBYTECODE``, which would make every run
recompile vibbench from source; the benchmark instead keeps bytecode under the temporary
folder (``PYTHONPYCACHEPREFIX``), written by the untimed warm-up runs, as an installed
package would have it. The rubric cache (``VIBBENCH_CACHE_DIR``) also lives there and is
warmed the same way.

It measures and never gates: the exit code is 0 whatever the ratios, and 1 only when a
command fails unexpectedly (its standard error is printed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import _inputs

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable


class CommandFailedError(Exception):
    pass


@dataclass(frozen=True)
class Cmd:
    name: str
    argv: tuple[str, ...]
    expect: int = 0


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_mb: float
    stdout: str
    stderr: str


@dataclass(frozen=True)
class Target:
    ratio: float | None = None
    seconds: float | None = None
    mb: float | None = None

    def text(self) -> str:
        parts = []
        if self.ratio is not None:
            parts.append(f"≤ {self.ratio:g}×")
        if self.seconds is not None:
            parts.append(f"≤ {self.seconds:g} s")
        if self.mb is not None:
            parts.append(f"≤ {self.mb:g} MB")
        return ", ".join(parts) or "info"

    def met(self, ratio: float | None, seconds: float, mb: float | None) -> bool | None:
        checks = []
        if self.ratio is not None:
            checks.append(ratio is not None and ratio <= self.ratio)
        if self.seconds is not None:
            checks.append(seconds <= self.seconds)
        if self.mb is not None:
            checks.append(mb is not None and mb <= self.mb)
        return all(checks) if checks else None


@dataclass(frozen=True)
class Row:
    case: str
    runs: int
    seconds: float
    floor_name: str
    floor_seconds: float | None
    peak_mb: float | None
    target: Target

    @staticmethod
    def of(
        case: str, samples: Sequence[Sample], floor_name: str, floor_seconds: float, target: Target
    ) -> Row:
        """A row from a command's samples: its median time and its largest peak memory."""
        return Row(case, len(samples), median(samples), floor_name, floor_seconds, peak(samples), target)

    @property
    def ratio(self) -> float | None:
        return self.seconds / self.floor_seconds if self.floor_seconds else None


# --------------------------------------------------------------------------- running


class Runner:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def once(self, cmd: Cmd) -> Sample:
        proc = subprocess.run(
            [PY, str(HERE / "_peak.py"), *cmd.argv],
            capture_output=True,
            env=self.env,
            cwd=ROOT,
            check=False,
        )
        stderr = proc.stderr.decode("utf-8", "replace")
        body, _, last = stderr.rstrip("\n").rpartition("\n")
        fields = dict(part.split("=", 1) for part in last.split())
        if proc.returncode != cmd.expect:
            raise CommandFailedError(
                f"{cmd.name}: exit code {proc.returncode}, expected {cmd.expect}\n"
                f"command: {' '.join(cmd.argv)}\n--- stderr ---\n{body.strip()}"
            )
        return Sample(
            float(fields["WALL_S"]),
            int(fields["PEAK_KB"]) / 1024,
            proc.stdout.decode("utf-8", "replace"),
            body,
        )

    def rounds(self, cmds: Sequence[Cmd], runs: int, warmup: bool = True) -> dict[str, list[Sample]]:
        """Each command ``runs`` times, interleaved round by round (after one untimed warm-up each)."""
        if warmup:
            for cmd in cmds:
                self.once(cmd)
        out: dict[str, list[Sample]] = {c.name: [] for c in cmds}
        for _ in range(runs):
            for cmd in cmds:
                out[cmd.name].append(self.once(cmd))
        return out


def median(samples: Sequence[Sample]) -> float:
    return statistics.median(s.seconds for s in samples)


def peak(samples: Sequence[Sample]) -> float:
    return max(s.peak_mb for s in samples)


def inner_median(samples: Sequence[Sample]) -> float:
    """Median of the in-process ``seconds`` that a script prints as JSON."""
    return statistics.median(t for s in samples for t in json.loads(s.stdout)["seconds"])


def vibbench_argv() -> tuple[str, ...]:
    """The installed console script run by this interpreter (no shell shim), else ``-m vibbench``."""
    script = Path(PY).parent / "vibbench"
    if script.is_file() and script.read_bytes()[:2] == b"#!":
        return (PY, str(script))
    return (PY, "-m", "vibbench")


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


# --------------------------------------------------------------------------- cases


def find_sample() -> Path:
    preferred = ROOT / "samples" / "shanghai-biomed-2025.xlsx"
    if preferred.is_file():
        return preferred
    found = sorted((ROOT / "samples").glob("*.xlsx"))
    if not found:
        raise CommandFailedError("no samples/*.xlsx: run `python samples/make_samples.py` first")
    return found[0]


def overall_of(doc: dict[str, Any]) -> float | None:
    value = doc["overall"]
    return value["score"] if isinstance(value, dict) else value


def max_delta(a: dict[str, float | None], b: dict[str, float | None]) -> float:
    if a.keys() != b.keys():
        return float("inf")
    return max((abs(a[k] - b[k]) for k in a if a[k] is not None and b[k] is not None), default=0.0)


def case_start(run: Runner, vb: tuple[str, ...], runs: int) -> tuple[list[Row], float]:
    floor = Cmd("python -c pass", (PY, "-c", "pass"))
    cmds = [Cmd("vibbench --help", (*vb, "--help")), Cmd("vibbench --version", (*vb, "--version"))]
    res = run.rounds([floor, *cmds], runs)
    f = median(res[floor.name])
    return [Row.of(c.name, res[c.name], floor.name, f, Target(ratio=4)) for c in cmds], f


def case_score(run: Runner, vb: tuple[str, ...], sample: Path, runs: int, notes: list[str]) -> list[Row]:
    rubric = ROOT / "rubrics" / "vib.yaml"
    floor = Cmd("floor_score.py", (PY, str(HERE / "floor_score.py"), str(rubric), str(sample)))
    as_json = Cmd("vibbench score --format json", (*vb, "score", str(sample), "--format", "json"))
    table = Cmd("vibbench score (table to a pipe)", (*vb, "score", str(sample)))
    res = run.rounds([floor, as_json, table], runs)
    mine = overall_of(json.loads(res[floor.name][-1].stdout))
    theirs = overall_of(json.loads(res[as_json.name][-1].stdout))
    notes.append(
        f"score: {sample.relative_to(ROOT)}: overall {theirs!r} (vibbench), {mine!r} (floor_score.py)"
    )
    f = median(res[floor.name])
    # SPEC §6 (v2): a report without charts within 2× score --format markdown
    md = Cmd("vibbench score --format markdown", (*vb, "score", str(sample), "--format", "markdown"))
    report = Cmd(
        "vibbench report --no-charts (md)",
        (*vb, "report", str(sample), "--no-charts", "-o", "-", "-f", "markdown"),
    )
    more = run.rounds([md, report], runs)
    return [
        Row.of(as_json.name, res[as_json.name], floor.name, f, Target(ratio=2.5)),
        Row.of(table.name, res[table.name], floor.name, f, Target(ratio=3.5)),
        Row.of(report.name, more[report.name], md.name, median(more[md.name]), Target(ratio=2)),
    ]


def case_compare(
    run: Runner, vb: tuple[str, ...], rubric: Path, folder: Path, count: int, runs: int, notes: list[str]
) -> list[Row]:
    floor = Cmd(
        "floor_compare.py (1 process)", (PY, str(HERE / "floor_compare.py"), str(rubric), str(folder))
    )
    cmp = Cmd(
        f"vibbench compare ({count:,} workbooks)",
        (*vb, "compare", str(folder), "--rubric", str(rubric), "--format", "json"),
    )
    serial = Cmd(f"  (info) {cmp.name} --jobs 1", (*cmp.argv, "--jobs", "1"))
    as_csv = Cmd(f"  (info) {cmp.name} --format csv", (*cmp.argv[:-1], "csv"))
    # SPEC §7: the Excel workbook within 1.5× of the JSON; the cohort report "in a few seconds"
    as_xlsx = Cmd(f"  {cmp.name} --format xlsx", (*cmp.argv[:-1], "xlsx", "--output", os.devnull))
    as_html = Cmd(f"  {cmp.name} cohort report (html)", (*cmp.argv[:-1], "html"))
    res = run.rounds([floor, cmp, serial, as_csv, as_xlsx, as_html], runs)
    theirs_out, mine_out = res[cmp.name][-1].stdout, res[floor.name][-1].stdout
    theirs = {Path(i["source"]["path"]).name: overall_of(i) for i in json.loads(theirs_out)["institutions"]}
    mine = {Path(i["path"]).name: overall_of(i) for i in json.loads(mine_out)["institutions"]}
    notes.append(
        f"compare: {len(theirs)} institutions ranked by vibbench, {len(mine)} by the floor; largest "
        f"difference of overall scores {max_delta(theirs, mine):.3g}; JSON printed: vibbench "
        f"{len(theirs_out) / 2**20:.1f} MB, floor {len(mine_out) / 2**20:.2f} MB"
    )
    f = median(res[floor.name])
    json_s = median(res[cmp.name])
    return [
        Row.of(cmp.name, res[cmp.name], floor.name, f, Target(ratio=3)),
        Row.of(serial.name, res[serial.name], floor.name, f, Target()),
        Row.of(as_csv.name, res[as_csv.name], floor.name, f, Target()),
        Row.of(as_xlsx.name, res[as_xlsx.name], "compare --format json", json_s, Target(ratio=1.5)),
        Row.of(as_html.name, res[as_html.name], "compare --format json", json_s, Target(seconds=5)),
    ]


def case_sensitivity(
    run: Runner,
    vb: tuple[str, ...],
    paths: dict[str, Path],
    count: int,
    samples: int,
    runs: int,
    compare_floor: float,
    notes: list[str],
) -> list[Row]:
    rubric, folder, work = paths["rubric"], paths["folder"], paths["work"]
    matrix, mine, theirs = work / "matrix.npz", work / "floor-out.npz", work / "vibbench-out.npz"
    opts = ("--samples", str(samples), "--spread", "0.25", "--seed", "1")
    script = (PY, str(HERE / "analyse_inproc.py"), str(rubric), str(folder), *opts, "--top", "5")
    inproc = Cmd("analyse_inproc.py", (*script, "--matrix", str(matrix), "--out", str(theirs)))
    floor_script = (PY, str(HERE / "floor_sensitivity.py"), str(matrix), *opts, "--top", "5")
    floor = Cmd("floor_sensitivity.py (compute only)", (*floor_script, "--out", str(mine)))
    scores_only = Cmd("  (info) floor without top-priority shares", (*floor_script, "--scores-only"))
    cli = Cmd(
        f"sensitivity CLI end-to-end ({samples:,} samples × {count:,})",
        (*vb, "sensitivity", str(folder), "--rubric", str(rubric), *opts, "--format", "json"),
    )
    # Untimed warm-up (few samples): writes the matrix that the floors read and compiles bytecode.
    run.once(Cmd("warm-up", (*inproc.argv, "--samples", "10")))
    res = run.rounds([inproc, floor, scores_only, cli], runs, warmup=False)
    traced = {
        c.name: json.loads(run.once(Cmd(c.name, (*c.argv, "--repeat", "0", "--trace"))).stdout)
        for c in (inproc, floor)
    }

    import numpy as np

    with np.load(mine) as a, np.load(theirs) as b:
        delta = {k: float(np.nanmax(np.abs(a[k] - b[k]))) for k in ("score", "rank", "share")}
    n_out = len(json.loads(res[cli.name][-1].stdout)["institutions"])
    read = statistics.median(json.loads(s.stdout)["read_seconds"] for s in res[inproc.name])
    notes += [
        "sensitivity: floor_sensitivity.py reproduces vibbench's analyse() on the same matrix: largest "
        f"difference of score percentiles {delta['score']:.3g}, rank percentiles {delta['rank']:.3g}, "
        f"top-priority shares {delta['share']:.3g}; the CLI printed {n_out} institutions",
        "sensitivity: peak memory of the computation alone (tracemalloc): vibbench analyse() "
        f"{traced[inproc.name]['trace_peak_mb']:.0f} MB, floor {traced[floor.name]['trace_peak_mb']:.0f} MB; "
        f"whole processes: analyse_inproc.py {peak(res[inproc.name]):.0f} MB (holds {count} results), "
        f"floor_sensitivity.py {peak(res[floor.name]):.0f} MB",
        f"sensitivity: analyse_inproc.py read and scored the {count} workbooks in {read:.2f} s (median)",
    ]
    f = inner_median(res[floor.name])
    case = f"sensitivity analyse() in-process ({samples:,} samples × {count:,})"
    return [
        Row(case, runs, inner_median(res[inproc.name]), floor.name, f, None, Target(ratio=2)),
        Row.of(
            cli.name, res[cli.name], "compare floor + sensitivity floor", compare_floor + f, Target(mb=300)
        ),
        Row(scores_only.name, runs, inner_median(res[scores_only.name]), floor.name, f, None, Target()),
    ]


def case_hostile(
    run: Runner, vb: tuple[str, ...], paths: dict[str, Path], runs: int, start_floor: float, notes: list[str]
) -> list[Row]:
    cmds = [
        Cmd("vibbench score: refuse zip bomb", (*vb, "score", str(paths["bomb"])), expect=2),
        Cmd("vibbench score: refuse 100,001-row workbook", (*vb, "score", str(paths["rows"])), expect=2),
    ]
    res = run.rounds(cmds, runs)
    for cmd in cmds:
        first = res[cmd.name][-1].stderr.strip().splitlines()[:1]
        notes.append(f"{cmd.name.split(': ')[1]}: {first[0] if first else '(no message)'}")
    return [
        Row.of(c.name, res[c.name], "python -c pass", start_floor, Target(seconds=1, mb=100)) for c in cmds
    ]


# --------------------------------------------------------------------------- table


def case_rubric(run: Runner, notes: list[str]) -> list[Row]:
    """Loading a rubric (benchmarks/rubric_load.py): from the cache against a cold compile, and the
    hostile rubrics refused in bounded time (replaces a wall-clock assertion that was in the tests)."""
    out = run.once(Cmd("rubric_load.py", (PY, str(HERE / "rubric_load.py"), "--json"))).stdout
    doc = json.loads(out)
    notes.append("rubric: " + ", ".join(f"{k} {v:.3g} s" for k, v in doc.items() if k != "cached/cold"))
    rows = [
        Row(
            "rubric load (cached vs cold compile)",
            1,
            doc["cached load (vib)"],
            "cold compile",
            doc["cold compile (vib)"],
            None,
            Target(ratio=0.25),
        )
    ]
    for key, limit in (
        ("alias bomb refused", 3.0),
        ("5 MB rubric refused", 0.5),
        ("extends chain of 1,000", 3.0),
    ):
        rows.append(Row(f"rubric: {key}", 1, doc[key], "-", None, None, Target(seconds=limit)))
    return rows


def table(rows: Sequence[Row]) -> str:
    head = ("case", "runs", "median s", "floor", "floor s", "ratio", "peak MB", "target", "result")
    body = []
    for r in rows:
        ratio = r.ratio
        met = r.target.met(ratio, r.seconds, r.peak_mb)
        body.append(
            (
                r.case,
                str(r.runs),
                f"{r.seconds:.3f}",
                r.floor_name,
                "-" if r.floor_seconds is None else f"{r.floor_seconds:.3f}",
                "-" if ratio is None else f"{ratio:.2f}×",
                "-" if r.peak_mb is None else f"{r.peak_mb:.0f}",
                r.target.text(),
                "-" if met is None else ("ok" if met else "MISSED"),
            )
        )
    widths = [max(len(x[i]) for x in (head, *body)) for i in range(len(head))]
    right = {1, 2, 4, 5, 6}

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(head), rule, *(line(b) for b in body)])


# --------------------------------------------------------------------------- main


def environment(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "VIBBENCH_DEBUG")}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    env["VIBBENCH_CACHE_DIR"] = str(work / "cache")
    env.pop("VIBBENCH_NO_CACHE", None)
    env["NO_COLOR"] = "1"
    return env


def build_inputs(work: Path, count: int) -> dict[str, Path]:
    t0 = time.perf_counter()
    data = _inputs.rubric_data()
    rubric = work / "bench40.yaml"
    _inputs.write_rubric(rubric, data)
    folder = work / "workbooks"
    _inputs.make_workbooks(folder, data, count)
    t1 = time.perf_counter()
    ids = _inputs.level_ids(ROOT / "rubrics" / "vib.yaml")
    bomb, rows = work / "zip-bomb.xlsx", work / "rows-100001.xlsx"
    _inputs.make_zip_bomb(bomb, ids)
    _inputs.make_many_rows(rows, ids)
    with zipfile.ZipFile(bomb) as zf:
        inflated = sum(i.file_size for i in zf.infolist())
    say(
        f"inputs: {count} workbooks of 40 indicators in {t1 - t0:.2f} s; zip bomb {bomb.stat().st_size / 1024:.0f} KB "
        f"→ {inflated / 2**20:.0f} MB inflated ({inflated / bomb.stat().st_size:.0f}×); 100,001-row workbook "
        f"{rows.stat().st_size / 2**20:.1f} MB ({time.perf_counter() - t1:.2f} s)"
    )
    return {"work": work, "rubric": rubric, "folder": folder, "bomb": bomb, "rows": rows}


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in ("vibbench", "typer", "click", "rich", "numpy", "python-calamine", "PyYAML"):
        try:
            out.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            out.append(f"{name} -")
    return ", ".join(out)


CASES = ("start", "score", "compare", "sensitivity", "hostile", "rubric")
"""The cases, in the order they run (``--only`` picks some)."""


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="vibbench benchmark: medians and ratios to floors.")
    ap.add_argument("--quick", action="store_true", help="smoke run: 3 runs, 200 workbooks, 1,000 samples")
    ap.add_argument("--runs", type=int, help="runs per case (default 5; 3 with --quick)")
    ap.add_argument("--workbooks", type=int, help="workbooks for compare/sensitivity (default 1,000)")
    ap.add_argument("--samples", type=int, help="sensitivity samples (default 10,000)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder with the inputs")
    ap.add_argument(
        "--only",
        action="append",
        choices=CASES,
        help="run only this case (repeatable; sensitivity also measures the compare floor it needs)",
    )
    args = ap.parse_args(argv)
    only = set(args.only or CASES)
    runs = args.runs or (3 if args.quick else 5)
    heavy = min(runs, 3)
    count = args.workbooks or (200 if args.quick else 1000)
    samples = args.samples or (1000 if args.quick else 10_000)

    say(f"vibbench benchmark — {'quick' if args.quick else 'full'}: {runs} runs ({heavy} for sensitivity)")
    say(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, load {_load()}")
    say(versions())
    work = Path(tempfile.mkdtemp(prefix="vibbench-bench-"))
    try:
        env = environment(work)
        run = Runner(env)
        vb = vibbench_argv()
        sample = find_sample()
        inputs = build_inputs(work, count)
        # The reader must accept a generated workbook before anything is timed.
        first = str(next(inputs["folder"].glob("*.xlsx")))
        check = (*vb, "score", first, "--rubric", str(inputs["rubric"]), "--format", "json")
        json.loads(run.once(Cmd("check a generated workbook", check)).stdout)
        notes: list[str] = []
        t0 = time.perf_counter()
        rows: list[Row] = []
        start_floor = 0.0
        if only & {"start", "hostile"}:
            start_rows, start_floor = case_start(run, vb, runs)
            rows += start_rows if "start" in only else []
        if "score" in only:
            rows += case_score(run, vb, sample, runs, notes)
        if only & {"compare", "sensitivity"}:
            compare_rows = case_compare(run, vb, inputs["rubric"], inputs["folder"], count, runs, notes)
            rows += compare_rows if "compare" in only else []
            compare_floor = compare_rows[0].floor_seconds or 0.0  # the same floor on every row
        if "sensitivity" in only:
            rows += case_sensitivity(run, vb, inputs, count, samples, heavy, compare_floor, notes)
        if "hostile" in only:
            rows += case_hostile(run, vb, inputs, runs, start_floor, notes)
        if "rubric" in only:
            rows += case_rubric(run, notes)
        say(f"measured in {time.perf_counter() - t0:.0f} s; load now {_load()}")
        say()
        say(table(rows))
        say()
        for n in notes:
            say(f"- {n.replace(str(work), '<tmp>')}")
        say(
            "- floors: python -c pass = bare interpreter start; floor_score.py = start + yaml CSafeLoader "
            "+ calamine + SPEC §4 arithmetic + JSON; floor_compare.py = the same for every workbook in one "
            "process; floor_sensitivity.py = the same sensitivity computation in plain numpy on the score "
            "matrix (compute time only, matrix prepared by analyse_inproc.py)"
        )
        say(
            "- the in-process ratio compares analyse() alone with the floor's computation alone; the "
            "end-to-end row adds start-up, reading and scoring the workbooks, and JSON output"
        )
        missed = [r.case.strip() for r in rows if r.target.met(r.ratio, r.seconds, r.peak_mb) is False]
        say(f"- missed: {', '.join(missed)}" if missed else "- every target met")
    except CommandFailedError as exc:
        sys.stderr.write(f"benchmark: a command failed unexpectedly\n{exc}\n")
        return 1
    finally:
        if args.keep:
            say(f"inputs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not available on this platform
        return "?"


if __name__ == "__main__":
    sys.exit(main())
