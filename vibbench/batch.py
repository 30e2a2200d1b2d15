"""Many workbooks at once: discovery, parallel reading, scoring, and the two batch commands.

One unreadable workbook never stops the others: each failure is listed on standard error with
its reason, results are made for the rest, and the exit code is 2.

Worker processes only read: each sends back the plain :class:`~vibbench.workbook.model.Assessment`
(a pickle of a few kilobytes, about 0.05 ms to load) and the parent scores it as it arrives,
while the workers read on; the parent then holds ordinary results. Results never travel
between processes, so nothing needs the former machinery (results pickled with their rubric
objects as references, a cut-down "standing", a one-step ``__init__`` built with ``exec``).

One exception, which ``benchmarks/run.py`` proves necessary: ``compare --format json`` (the
benchmarked case) has its workers also score and render each institution's JSON
(:class:`~vibbench.report.compare.Digest`), the parent only ranks and joins. With 2 CPUs,
scoring (0.25–0.4 ms a workbook) and rendering (0.09 ms) in the parent make it the slow stage
of the pipeline: 1,000 workbooks took 1.16 s instead of 0.82 s (floor 0.30 s: 3.9× instead of
2.7×, target 3×). The table, CSV and Markdown need whole results (ranks, progress, warnings)
and are not benchmarked; they take the simple path.

The workers are plain processes that the parent starts, feeds through one pipe each and, when
the run is stopped (Ctrl-C, SIGTERM, SIGHUP) or fails, kills and joins before re-raising:
``concurrent.futures`` could neither be stopped reliably (a cancelled ``map`` sometimes hung
with ``InvalidStateError``) nor kill its workers. Workers ignore SIGINT (the parent decides)
and die with the parent.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import stat
import sys
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from vibbench.errors import Problem, UsageError, VibbenchError, Where
from vibbench.report.compare import Digest
from vibbench.rubric.model import Rubric
from vibbench.scoring.result import Result, ScoreOptions
from vibbench.text import T, Text
from vibbench.workbook.model import Assessment

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from vibbench.scoring.sensitivity import Analysis

PROGRESS_MIN_FILES = 8
"""More files than this is 'long work' that gets a progress bar on a terminal."""

SAMPLES_MEMORY_BYTES = 2 * 2**30
"""Budget for what ``sensitivity`` keeps of every sample: 2 GiB."""


@dataclass(frozen=True)
class BatchOptions:
    """Everything ``compare`` and ``sensitivity`` are asked to do, besides which files."""

    rubric: str = "vib"
    """A bundled rubric's name or a YAML path."""
    score: ScoreOptions = field(default_factory=ScoreOptions)
    jobs: int | None = None
    """Parallel readers; None: one per CPU (never more than the CPUs or the files)."""
    lang: str = "en"
    format: str = "table"
    samples: int = 1000
    """``sensitivity``: weight draws."""
    spread: float = 0.25
    """``sensitivity``: each weight × U[1 − spread, 1 + spread]."""
    seed: int = 0
    """``sensitivity``: the random seed."""


@dataclass(frozen=True)
class Failure:
    path: str
    lines: tuple[str, ...]
    """``error: WHERE: WHAT — HOW TO FIX`` lines."""


@dataclass(frozen=True)
class Input:
    """A file to read, or the reason it cannot be (found while discovering it)."""

    path: Path
    problem: Text | None = None


NOT_A_FILE = T("this is not a regular file", "这不是普通文件")
DANGLING = T("the symbolic link points at nothing", "符号链接指向的文件不存在")
LOOP = T("the symbolic link loops back on itself", "符号链接构成循环")
CHECK_FILE = T("check the file", "请检查该文件")
FIX_INPUT = T("replace it with the workbook itself or remove it", "请换成自评表文件本身或将其删除")


def _check(path: Path) -> Text | None:
    """Why ``path`` found in a folder cannot be read as a workbook (None: it is a regular file).
    Only ``stat``: a FIFO is never opened, so it cannot block."""
    try:
        st = path.stat()
    except OSError as exc:
        import errno

        if exc.errno == errno.ELOOP:
            return LOOP
        return DANGLING if path.is_symlink() else T(str(exc.strerror), str(exc.strerror))
    return None if stat.S_ISREG(st.st_mode) else NOT_A_FILE


def _special(path: Path) -> Text | None:
    """A file given by name that exists but is not a regular file (a FIFO would block the
    reader). A missing file is left to the reader, which says so."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) else NOT_A_FILE


def discover(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and every ``*.xlsx`` inside a folder (sorted by name, not recursive; the
    extension in any case; Office lock files ``~$*`` skipped)."""
    return [i.path for i in discover_inputs(paths)]


def discover_inputs(paths: Iterable[Path]) -> list[Input]:
    """:func:`discover`, keeping the entries of a folder that cannot be read — symbolic links
    that loop or point at nothing, FIFOs, devices — as failed inputs instead of skipping them."""
    paths = list(paths)
    out: list[Input] = []
    for p in paths:
        if p.is_dir():
            with os.scandir(p) as entries:  # no stat per regular file, unlike Path.glob + is_file
                found = sorted(
                    (e.name, _is_dir(e))
                    for e in entries
                    if e.name.lower().endswith(".xlsx") and not e.name.startswith("~$")
                )
            for name, is_dir in found:
                if is_dir:
                    continue  # a folder named like a workbook is not one
                path = p / name
                out.append(Input(path, _check(path)))
        else:
            out.append(Input(p, _special(p)))
    if not out:
        raise UsageError.one(
            ", ".join(map(str, paths)) or ".",
            T("no .xlsx workbooks found", "没有找到 .xlsx 自评表"),
            T("give workbook files or folders that contain them", "请给出自评表文件或包含它们的文件夹"),
        )
    return _once(out)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """A folder, or a link to one (a link that loops or points at nothing is not)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _once(inputs: list[Input]) -> list[Input]:
    """The same file given twice (same device and inode: ``a.xlsx a.xlsx``, a file and its
    folder, a link and its target) is read once, with a note on standard error."""
    seen: dict[tuple[int, int], Path] = {}
    out: list[Input] = []
    for i in inputs:
        if i.problem is None:
            try:
                st = i.path.stat()
            except OSError:
                out.append(i)  # the reader reports it
                continue
            key = (st.st_dev, st.st_ino)
            if key in seen:
                first = seen[key]
                sys.stderr.write(
                    f"note: {i.path}: the same file as {first}, read once"
                    f" / 与 {first} 是同一文件，只读取一次\n"
                )
                continue
            seen[key] = i.path
        out.append(i)
    return out


# ----------------------------------------------------------------------------- workers


def _read_one(path: str, rubric: Rubric, lang: str) -> Assessment | Failure:
    from vibbench.workbook.reader import read_assessment

    try:
        return read_assessment(path, rubric)
    except VibbenchError as exc:
        return Failure(path, tuple(p.render(lang) for p in exc.problems))
    except Exception as exc:  # one bad file must not stop the batch
        what = f"{type(exc).__name__}: {exc}"
        return Failure(
            path,
            (
                Problem(Where(path), T(f"cannot read ({what})", f"无法读取（{what}）"), CHECK_FILE).render(
                    lang
                ),
            ),
        )


def _digest_one(path: str, rubric: Rubric, lang: str, options: ScoreOptions) -> Digest | Failure:
    """Read, score and render one institution's JSON (``compare --format json``, in a worker)."""
    from vibbench.report.json_format import compact, to_dict
    from vibbench.scoring.engine import score

    item = _read_one(path, rubric, lang)
    if isinstance(item, Failure):
        return item
    try:
        result = score(item, rubric, options)
    except VibbenchError as exc:
        return Failure(path, tuple(p.render(lang) for p in exc.problems))
    a = result.assessment
    return Digest(a.name, a.year, result.overall.score, compact(to_dict(result, lang)))


def _one(path: str, rubric: Rubric, lang: str, digest: ScoreOptions | None) -> Assessment | Digest | Failure:
    return _read_one(path, rubric, lang) if digest is None else _digest_one(path, rubric, lang, digest)


def _die_with_parent() -> None:
    """Ask Linux to send SIGKILL to this process when its parent dies (elsewhere: nothing)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return


def _worker(conn: Connection, rubric: Rubric, lang: str, digest: ScoreOptions | None, parent: int) -> None:
    """A worker's life: read (or digest) the chunks of file names it is sent until told to stop."""

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent decides
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)  # a fork inherits the parent's handlers; a worker just ends
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)  # blocked by the parent while it forked us
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before we could ask to follow it
        return
    # What the worker inherited (the rubric, the imported modules) lives as long as it does: keep it
    # out of the collector's walks, and collect young objects less often. A workbook's reading makes
    # thousands of short-lived objects and almost no cycles; the collector's walks over the rubric
    # were a measured share of compare's time (benchmarks/run.py, compare of 1,000 workbooks).
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)
    try:
        while True:
            job = conn.recv()
            if job is None:
                return
            index, names = job
            conn.send((index, [_one(n, rubric, lang, digest) for n in names]))
    except (EOFError, OSError):  # the parent is gone
        return


_STOPPING = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


class _Pool:
    """Worker processes fed chunks of file names; :meth:`stop` kills and joins them all."""

    def __init__(self, jobs: int, rubric: Rubric, lang: str, digest: ScoreOptions | None) -> None:
        self.lang = lang
        import multiprocessing as mp

        ctx: Any = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
        self.workers: list[tuple[Any, Connection]] = []
        try:
            for _ in range(jobs):
                mine, theirs = ctx.Pipe()
                proc = ctx.Process(
                    target=_worker, args=(theirs, rubric, lang, digest, os.getpid()), daemon=True
                )
                # A signal between the fork and the worker's own handlers would run the parent's
                # handler in the worker: block them across the start (the worker unblocks them).
                blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
                try:
                    proc.start()
                finally:
                    signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
                theirs.close()
                self.workers.append((proc, mine))
        except BaseException:
            self.stop()
            raise

    def run(self, chunks: list[list[str]]) -> Iterator[tuple[int, list[Assessment | Digest | Failure]]]:
        """(chunk index, what each of its files became), in the order they are done."""
        from multiprocessing.connection import wait

        todo = iter(enumerate(chunks))
        busy: dict[Connection, tuple[int, list[str]]] = {}

        def feed(conn: Connection) -> None:
            job = next(todo, None)
            if job is not None:
                conn.send(job)
                busy[conn] = job

        for _, conn in self.workers:
            feed(conn)
        while busy:
            for ready in wait(list(busy)):
                conn = cast("Connection", ready)
                index, names = busy.pop(conn)
                try:
                    got, items = conn.recv()
                except (EOFError, OSError):  # the worker died (killed, out of memory): its files failed
                    yield index, [_died(n, self.lang) for n in names]
                    continue
                yield got, items
                feed(conn)
        for index, names in todo:  # every worker died: nobody is left to read the rest
            yield index, [_died(n, self.lang) for n in names]

    def close(self) -> None:
        """After a complete run: tell every worker to end and wait for it."""
        for proc, conn in self.workers:
            try:
                conn.send(None)
            except OSError:
                proc.kill()
            conn.close()
            proc.join()
        self.workers = []

    def stop(self) -> None:
        """Kill every worker and wait for it to be gone (a stopped or failed run)."""
        for proc, _ in self.workers:
            if proc.is_alive():
                proc.kill()
        for proc, conn in self.workers:
            proc.join()
            conn.close()
        self.workers = []


def _died(path: str, lang: str) -> Failure:
    what = T("the process reading it ended unexpectedly", "读取该文件的进程意外终止")
    fix = T("try again, or with --jobs 1", "请重试，或使用 --jobs 1")
    return Failure(path, (Problem(Where(path), what, fix).render(lang),))


def jobs_for(jobs: int | None, files: int) -> int:
    """Worker processes: as asked (default: one per CPU), never more than the CPUs or the files."""
    cpus = os.cpu_count() or 1
    return max(1, min(jobs or cpus, cpus, files))


def work_many(
    inputs: list[Input], rubric: Rubric, jobs: int | None, lang: str, digest: ScoreOptions | None = None
) -> Generator[Assessment | Digest | Failure, None, None]:
    """Every input read — an :class:`Assessment`, or with ``digest`` a :class:`Digest` scored
    with those options — or a :class:`Failure`, in the order given, in parallel processes when
    there are enough files. The next chunks are read while the caller works on what it got."""
    names = [str(i.path) for i in inputs]
    problems = {
        n: Failure(n, (Problem(Where(n), i.problem, FIX_INPUT).render(lang),))
        for n, i in zip(names, inputs, strict=True)
        if i.problem is not None
    }
    readable = [n for n in names if n not in problems]
    jobs = jobs_for(jobs, len(readable))
    if jobs == 1 or len(readable) < 4:
        for n in names:
            yield problems[n] if n in problems else _one(n, rubric, lang, digest)
        return
    chunk = max(1, min(32, len(readable) // (jobs * 4)))
    chunks = [readable[k : k + chunk] for k in range(0, len(readable), chunk)]
    done: dict[str, Assessment | Digest | Failure] = dict(problems)
    pool = _Pool(jobs, rubric, lang, digest)
    try:
        position = 0
        for index, items in pool.run(chunks):
            done.update(zip(chunks[index], items, strict=True))
            while position < len(names) and names[position] in done:
                yield done.pop(names[position])
                position += 1
        pool.close()
    except BaseException:  # KeyboardInterrupt, signals.Stopped, an error: no worker outlives us
        pool.stop()
        raise


def score_many(
    inputs: list[Input], rubric: Rubric, options: BatchOptions
) -> tuple[list[Result], list[Failure]]:
    """Read every input (in workers) and score it (here, as each arrives)."""
    from vibbench.scoring.engine import score

    results: list[Result] = []
    failures: list[Failure] = []
    items = work_many(inputs, rubric, options.jobs, options.lang)
    # closing: a stop while scoring here stops the workers now, not when the generator is collected
    with _Progress(len(inputs), options.lang) as advance, _no_gc(), contextlib.closing(items):
        for item in items:
            if isinstance(item, Failure):
                failures.append(item)
            elif isinstance(item, Assessment):
                try:
                    results.append(score(item, rubric, options.score))
                except VibbenchError as exc:
                    failures.append(Failure(item.path, tuple(p.render(options.lang) for p in exc.problems)))
            advance(1)
    return results, failures


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused: results are many small objects that all stay alive
    (nothing to collect), yet each collection walks every one made so far — a third of the
    parent's scoring time for 1,000 workbooks (``benchmarks/run.py``)."""
    import gc

    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def digest_many(
    inputs: list[Input], rubric: Rubric, options: BatchOptions
) -> tuple[list[Digest], list[Failure]]:
    """Read, score and render each institution's JSON in the workers: the parent only ranks
    and joins (``compare --format json``)."""
    digests: list[Digest] = []
    failures: list[Failure] = []
    items = work_many(inputs, rubric, options.jobs, options.lang, options.score)
    with _Progress(len(inputs), options.lang) as advance, contextlib.closing(items):
        for item in items:
            if isinstance(item, Failure):
                failures.append(item)
            elif isinstance(item, Digest):
                digests.append(item)
            advance(1)
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


@dataclass(frozen=True)
class CompareRun:
    """What ``compare`` made: the ranked results or, for JSON, the institutions already
    rendered (both empty when every file failed), and the failures."""

    rubric: Rubric
    ranked: list[tuple[Result, int | None]]
    digests: list[Digest]
    failures: list[Failure]

    @property
    def exit_code(self) -> int:
        return _exit_code(self.failures)


@dataclass(frozen=True)
class SensitivityRun:
    rubric: Rubric
    ranked: list[tuple[Result, int | None]]
    analysis: Analysis | None
    failures: list[Failure]

    @property
    def exit_code(self) -> int:
        return _exit_code(self.failures)


def run_compare(paths: list[Path], options: BatchOptions) -> CompareRun:
    """Read, score and rank every workbook; failures are reported on standard error."""
    from vibbench.scoring.ranking import rank

    rubric = _load(options.rubric)
    inputs = discover_inputs(paths)
    if options.format == "json":
        digests, failures = digest_many(inputs, rubric, options)
        report_failures(failures)
        return CompareRun(rubric, [], digests, failures)
    results, failures = score_many(inputs, rubric, options)
    report_failures(failures)
    return CompareRun(rubric, rank(results), [], failures)


def check_samples(samples: int, institutions: int, rubric: Rubric) -> None:
    """Refuse a number of samples whose kept factors, scores and ranks would not fit
    :data:`SAMPLES_MEMORY_BYTES` (a clear line instead of a MemoryError, or of swapping)."""
    from vibbench.scoring.sensitivity import kept_bytes

    weights = len(rubric.pillars)
    for p in rubric.pillars:
        weights += len(p.dimensions) + sum(len(d.indicators) for d in p.dimensions)
    need = kept_bytes(samples, institutions, weights)
    if need <= SAMPLES_MEMORY_BYTES:
        return
    most = max(1, SAMPLES_MEMORY_BYTES // kept_bytes(1, institutions, weights))
    gib = need / 2**30
    raise UsageError.one(
        "--samples",
        T(
            f"{samples:,} samples × {institutions:,} institutions would keep {gib:.1f} GiB of scores"
            f" and ranks, over the 2 GiB budget",
            f"{samples:,} 次抽样 × {institutions:,} 家机构需保存 {gib:.1f} GiB 的得分与排名，"
            f"超过 2 GiB 的上限",
        ),
        T(f"use --samples {most:,} or fewer", f"请将 --samples 设为 {most:,} 或更少"),
    )


def run_sensitivity(paths: list[Path], options: BatchOptions) -> SensitivityRun:
    """Read, score and rank every workbook, then redraw the weights ``options.samples`` times."""
    from vibbench.scoring.ranking import rank
    from vibbench.scoring.sensitivity import analyse

    rubric = _load(options.rubric)
    inputs = discover_inputs(paths)
    check_samples(options.samples, len(inputs), rubric)  # before reading: the files bound the institutions
    results, failures = score_many(inputs, rubric, options)
    report_failures(failures)
    if not results:
        return SensitivityRun(rubric, [], None, failures)
    ranked = rank(results)
    # about a second's work or more: samples × institutions × indicators beyond ~10⁸
    long_work = options.samples * len(results) * sum(1 for _ in rubric.indicators()) > 10**8
    with _Progress(options.samples, options.lang, SAMPLING, show=long_work) as advance:
        analysis = analyse(
            [r for r, _ in ranked],
            rubric,
            options.score,
            samples=options.samples,
            spread=options.spread,
            seed=options.seed,
            progress=advance,
        )
    return SensitivityRun(rubric, ranked, analysis, failures)


def terminal(table_to_stdout: bool) -> tuple[int | None, bool]:
    """The width and colour of standard output for a table printed there (else None, False)."""
    if not table_to_stdout:
        return None, False
    from rich.console import Console

    console = Console()
    return console.width, console.is_terminal and console.color_system is not None


def emit_rendered(text: str | bytes, files: dict[str, bytes], output: Path | None) -> None:
    """Write a rendered output and the files it links to (relative to ``output``'s folder); a
    folder made for them is removed again when writing fails."""
    from vibbench.io import emit, write_atomic

    made: list[Path] = []
    try:
        for rel, data in files.items():
            assert output is not None, "linked files are rendered only for an output file"
            target = output.parent / rel
            for folder in reversed(target.relative_to(output.parent).parents[:-1]):
                folder = output.parent / folder
                if not folder.is_dir():
                    folder.mkdir()
                    made.append(folder)
            write_atomic(target, data)
        emit(text, output)
    except BaseException:
        for folder in reversed(made):
            try:
                for child in folder.iterdir():
                    child.unlink()
                folder.rmdir()
            except OSError:
                pass
        raise
