"""Many workbooks at once: discovery, parallel reading and scoring, and the two batch commands.

One unreadable workbook never stops the others: each failure is listed on standard error with
its reason, results are printed for the rest, and the exit code is 2.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from vibbench.errors import UsageError, VibbenchError
from vibbench.rubric.model import Rubric
from vibbench.scoring.result import Result, ScoreOptions
from vibbench.text import T

PROGRESS_MIN_FILES = 8
"""More files than this is 'long work' that gets a progress bar on a terminal."""


@dataclass(frozen=True)
class Failure:
    path: str
    lines: tuple[str, ...]
    """``error: WHERE: WHAT — HOW TO FIX`` lines."""


def discover(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and every ``*.xlsx`` inside a folder (sorted, not recursive; Office lock files skipped)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.glob("*.xlsx") if f.is_file() and not f.name.startswith("~$")))
        else:
            out.append(p)
    if not out:
        raise UsageError.one(
            ", ".join(map(str, paths)) or ".",
            T("no .xlsx workbooks found", "没有找到 .xlsx 自评表"),
            T("give workbook files or folders that contain them", "请给出自评表文件或包含它们的文件夹"),
        )
    return out


# Worker state: set once per process (inherited on fork, or by the initializer).
_RUBRIC: Rubric | None = None
_OPTS: ScoreOptions | None = None
_LANG = "en"


def _init(rubric: Rubric, opts: ScoreOptions, lang: str) -> None:
    global _RUBRIC, _OPTS, _LANG
    _RUBRIC, _OPTS, _LANG = rubric, opts, lang


def _score_one(path: str) -> Result | Failure:
    from vibbench.scoring.engine import score
    from vibbench.workbook.reader import read_assessment

    assert _RUBRIC is not None
    try:
        return score(read_assessment(path, _RUBRIC), _RUBRIC, _OPTS)
    except VibbenchError as exc:
        return Failure(path, tuple(p.render(_LANG) for p in exc.problems))
    except Exception as exc:  # one bad file must not stop the batch
        return Failure(path, (f"error: {path}: cannot read ({type(exc).__name__}: {exc}) — check the file",))


def score_many(
    files: list[Path], rubric: Rubric, opts: ScoreOptions, jobs: int | None, lang: str
) -> tuple[list[Result], list[Failure]]:
    """Read and score every file, in parallel processes when there are enough of them."""
    names = [str(f) for f in files]
    jobs = jobs or os.cpu_count() or 1
    jobs = max(1, min(jobs, len(names)))
    _init(rubric, opts, lang)
    outcomes: list[Result | Failure] = []
    with _Progress(len(names), lang) as advance:
        if jobs == 1 or len(names) < 4:
            for name in names:
                outcomes.append(_score_one(name))
                advance(1)
        else:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            methods = mp.get_all_start_methods()
            ctx = mp.get_context("fork" if "fork" in methods else "spawn")
            chunk = max(1, min(32, len(names) // (jobs * 4)))
            with ProcessPoolExecutor(
                jobs, mp_context=ctx, initializer=_init, initargs=(rubric, opts, lang)
            ) as pool:
                for outcome in pool.map(_score_one, names, chunksize=chunk):
                    outcomes.append(outcome)
                    advance(1)
    results = [o for o in outcomes if isinstance(o, Result)]
    failures = [o for o in outcomes if isinstance(o, Failure)]
    return results, failures


class _Progress:
    """A rich progress bar on standard error for long runs, when it is a terminal; otherwise nothing."""

    def __init__(self, total: int, lang: str) -> None:
        self.total = total
        self.lang = lang
        self.bar: object | None = None

    def __enter__(self) -> Callable[[int], None]:
        if self.total <= PROGRESS_MIN_FILES or not sys.stderr.isatty():
            return lambda n: None
        from rich.console import Console
        from rich.progress import Progress

        bar = Progress(console=Console(stderr=True), transient=True)
        bar.start()
        task = bar.add_task("读取自评表" if self.lang == "zh" else "reading workbooks", total=self.total)
        self.bar = bar
        return lambda n: bar.advance(task, n)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()  # type: ignore[attr-defined]


def report_failures(failures: list[Failure]) -> None:
    for f in failures:
        for line in f.lines:
            sys.stderr.write(line + "\n")


def _load(rubric_spec: str) -> Rubric:
    from vibbench.rubric.loader import load_rubric

    return load_rubric(rubric_spec)


def run_compare(
    paths: list[Path],
    rubric_spec: str,
    opts: ScoreOptions,
    fmt: str,
    output: Path | None,
    jobs: int | None,
    lang: str,
) -> int:
    from vibbench.report import compare as render_compare
    from vibbench.scoring.ranking import rank

    rubric = _load(rubric_spec)
    results, failures = score_many(discover(paths), rubric, opts, jobs, lang)
    report_failures(failures)
    if results:
        ranked = rank(results)
        render_compare.emit(ranked, rubric, fmt, lang, output)
    return 2 if failures else 0


def run_sensitivity(
    paths: list[Path],
    rubric_spec: str,
    opts: ScoreOptions,
    samples: int,
    spread: float,
    seed: int,
    fmt: str,
    output: Path | None,
    jobs: int | None,
    lang: str,
) -> int:
    from vibbench.report import sensitivity_format
    from vibbench.scoring.ranking import rank
    from vibbench.scoring.sensitivity import analyse

    rubric = _load(rubric_spec)
    results, failures = score_many(discover(paths), rubric, opts, jobs, lang)
    report_failures(failures)
    if results:
        ranked = rank(results)
        analysis = analyse([r for r, _ in ranked], rubric, opts, samples=samples, spread=spread, seed=seed)
        sensitivity_format.emit(ranked, analysis, rubric, fmt, lang, output)
    return 2 if failures else 0
