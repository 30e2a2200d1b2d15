"""Many workbooks at once: discovery, parallel reading and scoring, and the two batch commands.

One unreadable workbook never stops the others: each failure is listed on standard error with
its reason, results are printed for the rest, and the exit code is 2.
"""

from __future__ import annotations

import io
import os
import pickle
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from vibbench.errors import UsageError, VibbenchError
from vibbench.rubric.model import Indicator, Rubric
from vibbench.scoring.result import Result, ScoreOptions, Standing
from vibbench.text import T, Text

T_co = TypeVar("T_co")

PROGRESS_MIN_FILES = 8
"""More files than this is 'long work' that gets a progress bar on a terminal."""


@dataclass(frozen=True)
class Failure:
    path: str
    lines: tuple[str, ...]
    """``error: WHERE: WHAT — HOW TO FIX`` lines."""


def discover(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and every ``*.xlsx`` inside a folder (sorted by name, not recursive; the
    extension in any case; Office lock files ``~$*`` skipped)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            with os.scandir(p) as entries:  # no stat per file, unlike Path.glob + is_file
                names = sorted(
                    e.name
                    for e in entries
                    if e.name.lower().endswith(".xlsx") and not e.name.startswith("~$") and e.is_file()
                )
            out.extend(p / n for n in names)
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


def _shared(rubric: Rubric) -> list[object]:
    """The rubric's objects that results point at besides its indicators — pillar and dimension
    names, recommendation texts, bands — in an order both processes derive alike."""
    out: list[object] = list(rubric.bands)
    for p in rubric.pillars:
        out.append(p.name)
        for d in p.dimensions:
            out.append(d.name)
            out.extend(rec.text for i in d.indicators for rec in i.recommendations)
    return out


_SHARED: tuple[Rubric, dict[int, int]] | None = None


def _shared_index(rubric: Rubric) -> dict[int, int]:
    global _SHARED
    if _SHARED is None or _SHARED[0] is not rubric:
        _SHARED = (rubric, {id(obj): k for k, obj in enumerate(_shared(rubric))})
    return _SHARED[1]


_REFS: tuple[Rubric, dict[str, Indicator], list[object]] | None = None
"""In the process that unpickles results: the rubric, its indicators and its shared objects."""


def _ref(kind: str, key: Any) -> object:
    """Unpickling a reference made by :class:`_RefPickler`: the parent's own object."""
    assert _REFS is not None, "results are unpickled only inside score_many"
    rubric, indicators, shared = _REFS
    if kind == "rubric":
        return rubric
    return indicators[key] if kind == "indicator" else shared[key]


class _RefPickler(pickle.Pickler):
    """Pickles a result without its rubric: the rubric, its indicators and the other rubric
    objects a result points at (names, recommendation texts, bands) travel as references.

    Every result points at the same rubric, so sending it along with each result would cost
    most of the transfer time and, unpickled, one private copy of every indicator per result.
    ``reducer_override`` (unlike ``persistent_id``) is not consulted for strings, numbers and
    other plain values, which are most of a result.
    """

    def __init__(self, file: io.BytesIO, rubric: Rubric) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.rubric = rubric
        self.shared = _shared_index(rubric)

    def reducer_override(self, obj: object) -> Any:
        if isinstance(obj, Indicator):
            return _ref, ("indicator", obj.id)
        if obj is self.rubric:
            return _ref, ("rubric", None)
        k = self.shared.get(id(obj))  # ids of live objects are unique, and the rubric lives on
        return NotImplemented if k is None else (_ref, ("shared", k))


def _pack(obj: Result | Standing, rubric: Rubric) -> bytes:
    buf = io.BytesIO()
    _RefPickler(buf, rubric).dump(obj)
    return buf.getvalue()


def _unpack(data: bytes, rubric: Rubric, indicators: dict[str, Indicator], shared: list[object]) -> Any:
    global _REFS
    _REFS = (rubric, indicators, shared)
    return pickle.loads(data)


def _score_packed(path: str) -> bytes | Failure:
    outcome = _score_one(path)
    return outcome if isinstance(outcome, Failure) else _pack(outcome, outcome.rubric)


def _standing_packed(path: str) -> bytes | Failure:
    outcome = _score_one(path)
    return outcome if isinstance(outcome, Failure) else _pack(Standing.of(outcome), outcome.rubric)


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


def _map(
    names: list[str],
    worker: Callable[[str], T_co],
    rubric: Rubric,
    opts: ScoreOptions,
    jobs: int | None,
    lang: str,
) -> list[T_co]:
    """``worker`` over every file name, in parallel processes when there are enough of them."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(names)))
    _init(rubric, opts, lang)
    out: list[T_co] = []
    with _Progress(len(names), lang) as advance:
        if jobs == 1 or len(names) < 4:
            for name in names:
                out.append(worker(name))
                advance(1)
            return out
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
        chunk = max(1, min(32, len(names) // (jobs * 4)))
        with ProcessPoolExecutor(
            jobs, mp_context=ctx, initializer=_init, initargs=(rubric, opts, lang)
        ) as pool:
            for item in pool.map(worker, names, chunksize=chunk):
                out.append(item)
                advance(1)
    return out


def score_many(
    files: list[Path], rubric: Rubric, opts: ScoreOptions, jobs: int | None, lang: str
) -> tuple[list[Result], list[Failure]]:
    """Read and score every file; results come back from worker processes without their rubric."""
    return _collect(files, _score_packed, rubric, opts, jobs, lang)


def standings_many(
    files: list[Path], rubric: Rubric, opts: ScoreOptions, jobs: int | None, lang: str
) -> tuple[list[Standing], list[Failure]]:
    """Read and score every file; only each institution's standing comes back (compare's views)."""
    return _collect(files, _standing_packed, rubric, opts, jobs, lang)


def _collect(
    files: list[Path],
    worker: Callable[[str], bytes | Failure],
    rubric: Rubric,
    opts: ScoreOptions,
    jobs: int | None,
    lang: str,
) -> tuple[list[Any], list[Failure]]:
    indicators, shared = rubric.indicator_map(), _shared(rubric)
    results: list[Any] = []
    failures: list[Failure] = []
    for item in _map([str(f) for f in files], worker, rubric, opts, jobs, lang):
        if isinstance(item, Failure):
            failures.append(item)
        else:
            results.append(_unpack(item, rubric, indicators, shared))
    return results, failures


@dataclass(frozen=True)
class Digest:
    """What ``compare --format json`` needs of one institution: ranking keys and its JSON text."""

    name: str
    year: int | None
    overall: float | None
    json: bytes
    """The institution's SPEC §5 object, compact UTF-8, without its rank."""


def _digest_one(path: str) -> Digest | Failure:
    from vibbench.report.json_format import compact, to_dict

    outcome = _score_one(path)
    if isinstance(outcome, Failure):
        return outcome
    a = outcome.assessment
    return Digest(a.name, a.year, outcome.overall.score, compact(to_dict(outcome, _LANG)))


def digest_many(
    files: list[Path], rubric: Rubric, opts: ScoreOptions, jobs: int | None, lang: str
) -> tuple[list[Digest], list[Failure]]:
    """Score every file and render its JSON in the workers: the parent only ranks and joins."""
    digests: list[Digest] = []
    failures: list[Failure] = []
    for item in _map([str(f) for f in files], _digest_one, rubric, opts, jobs, lang):
        (failures if isinstance(item, Failure) else digests).append(item)  # type: ignore[arg-type]
    return digests, failures


READING = T("reading workbooks", "读取自评表")
SAMPLING = T("sampling weights", "权重抽样")


class _Progress:
    """A rich progress bar on standard error for long runs, when it is a terminal; otherwise nothing."""

    def __init__(self, total: int, lang: str, what: Text = READING, show: bool | None = None) -> None:
        self.total = total
        self.lang = lang
        self.what = what
        self.show = self.total > PROGRESS_MIN_FILES if show is None else show
        self.bar: object | None = None

    def __enter__(self) -> Callable[[int], None]:
        if not self.show or not sys.stderr.isatty():
            return lambda n: None
        from rich.console import Console
        from rich.progress import Progress

        bar = Progress(console=Console(stderr=True), transient=True)
        bar.start()
        task = bar.add_task(self.what.get(self.lang), total=self.total)
        self.bar = bar
        return lambda n: bar.advance(task, n)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()  # type: ignore[attr-defined]


def report_failures(failures: list[Failure]) -> None:
    for f in failures:
        for line in f.lines:
            sys.stderr.write(line + "\n")


def _exit_code(failures: list[Failure]) -> int:
    """2 when any workbook could not be read (the others were still reported), else 0."""
    return 2 if failures else 0


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
    files = discover(paths)
    if fmt == "json":
        digests, failures = digest_many(files, rubric, opts, jobs, lang)
        report_failures(failures)
        if digests:
            render_compare.emit_json_digests(digests, rubric, lang, output)
        return _exit_code(failures)
    standings, failures = standings_many(files, rubric, opts, jobs, lang)
    report_failures(failures)
    if standings:
        render_compare.emit(rank(standings), rubric, fmt, lang, output)
    return _exit_code(failures)


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
        # about a second's work or more: samples × institutions × indicators beyond ~10⁸
        long_work = samples * len(results) * sum(1 for _ in rubric.indicators()) > 10**8
        with _Progress(samples, lang, SAMPLING, show=long_work) as advance:
            analysis = analyse(
                [r for r, _ in ranked],
                rubric,
                opts,
                samples=samples,
                spread=spread,
                seed=seed,
                progress=advance,
            )
        sensitivity_format.emit(ranked, analysis, rubric, fmt, lang, output)
    return _exit_code(failures)
