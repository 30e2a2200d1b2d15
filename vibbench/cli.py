"""The command line: a thin Typer layer over the library.

Start-up speed matters (``vibbench --help`` should feel instant), so this module imports
only Typer and the standard library; everything else is imported inside the command that
needs it.
"""

from __future__ import annotations

import errno
import math
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from vibbench import __version__
from vibbench.formats import Format
from vibbench.io import check_output, folder_files, is_stdout, wrote
from vibbench.text import T, clean

app = typer.Typer(
    name="vibbench",
    help=(
        "Score a research institution's self-assessment against the VIB model "
        "(rule design · resource coupling · project incubation).\n\n"
        "对照比利时弗拉芒生物技术研究院（VIB）模式为科研机构的自评表打分（规则设计 · 资源耦合 · 项目孵化）。"
    ),
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    rich_markup_mode=None,
)
rubric_app = typer.Typer(
    help="List, show, validate and start rubrics. 查看、校验与新建评估框架。",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(rubric_app, name="rubric", short_help="List, show, validate, start rubrics. 评估框架。")

_state = {"debug": bool(os.environ.get("VIBBENCH_DEBUG"))}


class Lang(str, Enum):
    en = "en"
    zh = "zh"


class Missing(str, Enum):
    exclude = "exclude"
    zero = "zero"


class Aggregation(str, Enum):
    arithmetic = "arithmetic"
    geometric = "geometric"


RubricOpt = Annotated[
    str, typer.Option("--rubric", "-r", help="Bundled rubric name or YAML path. 内置框架名或 YAML 路径。")
]


def default_lang() -> Lang:
    """SPEC §1: ``VIBBENCH_LANG``, else zh when the first set of LC_ALL, LC_MESSAGES, LANG starts with zh."""
    from vibbench.usage import env_lang

    return Lang(env_lang())


LangOpt = Annotated[
    Lang,
    typer.Option(
        "--lang",
        default_factory=default_lang,
        show_default="VIBBENCH_LANG, else the locale",
        help="Output language (default: $VIBBENCH_LANG, else zh for a zh_* locale, else en). "
        "输出语言（默认取 VIBBENCH_LANG，其次为系统语言环境）。",
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write here (atomically; - is stdout) instead of stdout. 输出文件（- 为标准输出）。",
    ),
]
MissingOpt = Annotated[
    Missing, typer.Option("--missing", help="Unanswered: renormalise or score 0. 未答指标处理方式。")
]
AggregationOpt = Annotated[Aggregation, typer.Option("--aggregation", help="How scores combine. 汇总方式。")]

TopOpt = Annotated[int, typer.Option("--top", min=1, help="How many priorities to show. 显示的优先项数量。")]


def _finite(name: str, value: float | None, low: float | None = None, high: float | None = None) -> None:
    """Refuse a number option that is NaN, infinite or outside ``[low, high]``: a NaN compares
    false with everything, so it would pass every check it reached."""
    from vibbench.errors import UsageError

    if value is None:
        return
    if math.isfinite(value) and (low is None or value >= low) and (high is None or value <= high):
        return
    span_en = span_zh = ""
    if low is not None and high is not None:
        span_en, span_zh = f" from {low:g} to {high:g}", f"（{low:g} 至 {high:g}）"
    raise UsageError.one(
        name,
        T(f"{clean(value)} is not a usable number here", f"{clean(value)} 不是此处可用的数值"),
        T(f"give a finite number{span_en}", f"请填写有限的数值{span_zh}"),
    )


_STDOUT_ERRNOS = (errno.ENOSPC, errno.EFBIG, errno.EIO, errno.EDQUOT)
"""An OSError without a file name and one of these: standard output failed (``> /dev/full``)."""


def _silence_stdout() -> None:
    """Standard output is gone (a closed pipe, a full disk): send what is still buffered, and
    anything written later, to the null device, so the flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _encoding_line() -> str:
    encoding = clean(getattr(sys.stdout, "encoding", None) or "?")
    en = "error: standard output: cannot show this text in the {} encoding {} set PYTHONIOENCODING=utf-8 (or a UTF-8 locale) or use --output"
    zh = f"标准输出的编码 {encoding} 无法显示这些文字，请设置 PYTHONIOENCODING=utf-8（或 UTF-8 区域设置）或改用 --output"
    try:  # standard error may be as limited as standard output: then English alone, readable
        (zh + "—").encode(getattr(sys.stderr, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return en.format(encoding, "-")
    return f"{en.format(encoding, '—')} / {zh}"


def _fail(lines: list[str]) -> NoReturn:
    for line in lines:
        sys.stderr.write(line + "\n")
    raise typer.Exit(2)


@contextmanager
def _guard(lang: str = "en") -> Iterator[None]:
    """Turn vibbench's errors into ``error: WHERE: WHAT — HOW TO FIX`` lines and exit 2."""
    import signal

    from vibbench.errors import VibbenchError
    from vibbench.signals import Stopped

    try:
        yield
    except VibbenchError as exc:
        if _state["debug"]:
            raise
        _fail([p.render(lang) for p in exc.problems])
    except (typer.Exit, typer.Abort, Stopped):
        raise
    except KeyboardInterrupt:  # click would turn it into Abort (exit 1): keep it a signal
        raise Stopped(signal.SIGINT) from None
    except BrokenPipeError:  # the reader of standard output has gone: a quiet, successful end
        _silence_stdout()
        raise typer.Exit(0) from None
    except SystemExit as exc:  # rich ends with SystemExit(1) on a broken pipe: that is no failure
        if isinstance(exc.__context__, BrokenPipeError):
            _silence_stdout()
            raise typer.Exit(0) from None
        raise
    except UnicodeEncodeError:
        if _state["debug"]:
            raise
        _fail([_encoding_line()])
    except OSError as exc:
        if _state["debug"]:
            raise
        if exc.filename is None and exc.errno in _STDOUT_ERRNOS:  # standard output: said so in main()
            raise
        where = clean(exc.filename or "vibbench")
        reason = clean(exc.strerror or exc)
        _fail([f"error: {where}: {reason} — check the path and its permissions / 请检查路径与权限"])
    except Exception as exc:  # a bug: still one line, never a dump of an institution's answers
        if _state["debug"]:
            raise
        _fail(
            [
                f"error: vibbench: internal error ({type(exc).__name__}: {exc}) — rerun with --debug and "
                "report it / 内部错误，请加 --debug 重试并反馈"
            ]
        )


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"vibbench {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version. 显示版本。"),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks (also VIBBENCH_DEBUG=1). 显示调试信息。")
    ] = False,
) -> None:
    _state["debug"] = debug or bool(os.environ.get("VIBBENCH_DEBUG"))


# --------------------------------------------------------------------------- score


@app.command(short_help="Score a workbook and show the gap to VIB. 打分与差距。")
def score(
    assessment: Annotated[
        Path,
        typer.Argument(help="The filled-in workbook (.xlsx). 已填写的自评表。", metavar="ASSESSMENT.xlsx"),
    ],
    lang: LangOpt,
    rubric: RubricOpt = "vib",
    format: Annotated[
        Format, typer.Option("--format", "-f", help="Output format. 输出格式。")
    ] = Format.table,
    output: OutputOpt = None,
    top: TopOpt = 10,
    missing: MissingOpt = Missing.exclude,
    aggregation: AggregationOpt = Aggregation.arithmetic,
    fail_under: Annotated[
        float | None,
        typer.Option(
            "--fail-under", help="Exit 1 if the overall score is below this. 总分低于此值时返回 1。"
        ),
    ] = None,
) -> None:
    """Score a workbook against a rubric and show the gap to VIB. 为自评表打分并给出与 VIB 的差距。"""
    with _guard(lang.value):
        _finite("vibbench score --fail-under", fail_under)
        check_output(output, [assessment, Path(rubric)])
        from vibbench.formats import renderer
        from vibbench.io import emit
        from vibbench.scoring.engine import ScoreOptions, score_file

        write = renderer("score", format)
        _binary_needs_a_file(format, output)
        opts = ScoreOptions(missing=missing.value, aggregation=aggregation.value, top=top)
        result = score_file(assessment, rubric, opts)
        width, color = _terminal(format is Format.table and output is None)
        emit(write(result, lang.value, width, color), output)
    _exit_for(result.overall.score, fail_under)


def _terminal(table_to_stdout: bool) -> tuple[int | None, bool]:
    """The width and colour of standard output for a table printed there (else None, False)."""
    if not table_to_stdout:
        return None, False
    from rich.console import Console

    console = Console()
    return console.width, console.is_terminal and console.color_system is not None


def _binary_needs_a_file(fmt: Format, output: Path | None) -> None:
    """A workbook or a Word file is a file: never written to a terminal."""
    from vibbench.formats import BINARY

    if fmt in BINARY and output is None and sys.stdout.isatty():
        from vibbench.errors import UsageError, Where
        from vibbench.text import T

        raise UsageError.one(
            Where("--output"),
            T(f"{fmt.value} is a file, not text for the terminal", f"{fmt.value} 是文件，不能输出到终端"),
            T(
                f"give --output FILE.{fmt.value} (or redirect to a file)",
                f"请指定 --output 文件.{fmt.value}（或重定向到文件）",
            ),
        )


def _exit_for(overall: float | None, fail_under: float | None) -> None:
    if fail_under is not None and (overall is None or overall < fail_under):
        raise typer.Exit(1)


# --------------------------------------------------------------------------- explain


@app.command(short_help="How one number was made, step by step. 分数计算过程。")
def explain(
    assessment: Annotated[
        Path, typer.Argument(help="The filled-in workbook. 已填写的自评表。", metavar="ASSESSMENT.xlsx")
    ],
    id: Annotated[
        str, typer.Argument(help="Indicator, dimension or pillar id. 指标、维度或支柱编号。", metavar="ID")
    ],
    lang: LangOpt,
    rubric: RubricOpt = "vib",
    missing: MissingOpt = Missing.exclude,
    aggregation: AggregationOpt = Aggregation.arithmetic,
) -> None:
    """Show step by step how one number was made. 逐步说明某个分数的计算过程。"""
    with _guard(lang.value):
        from vibbench.report.explain import explain as do_explain
        from vibbench.scoring.engine import ScoreOptions, score_file

        result = score_file(
            assessment, rubric, ScoreOptions(missing=missing.value, aggregation=aggregation.value)
        )
        sys.stdout.write(do_explain(result, id, lang.value))


# --------------------------------------------------------------------------- report


class ReportFormat(str, Enum):
    markdown = "markdown"
    html = "html"
    docx = "docx"


@app.command(short_help="A report for a board: Markdown, HTML or Word. 报告（Markdown、HTML 或 Word）。")
def report(
    assessment: Annotated[
        Path, typer.Argument(help="The filled-in workbook. 已填写的自评表。", metavar="ASSESSMENT.xlsx")
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The report to write (.md, .html or .docx). 报告文件（.md、.html 或 .docx）。",
        ),
    ],
    lang: LangOpt,
    format: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="markdown, html or docx (default: from the extension). 报告格式（默认按扩展名）。",
        ),
    ] = None,
    rubric: RubricOpt = "vib",
    top: TopOpt = 10,
    charts: Annotated[bool, typer.Option("--charts/--no-charts", help="Draw the charts. 绘制图表。")] = True,
    peers: Annotated[
        list[Path] | None,
        typer.Option(
            "--peers",
            help="Workbooks or folders of peers, for percentiles (repeat the option for several). "
            "同类机构的自评表或文件夹，用于计算百分位（可重复）。",
        ),
    ] = None,
    missing: MissingOpt = Missing.exclude,
    aggregation: AggregationOpt = Aggregation.arithmetic,
) -> None:
    """Write a report with a one-page summary, charts and a reform roadmap, as Markdown, HTML or Word.
    生成含一页摘要、图表与改革路线图的报告（Markdown、HTML 或 Word）。"""
    failed = False
    with _guard(lang.value):
        check_output(output, [assessment, Path(rubric), *(peers or [])])
        from vibbench.report.document import build_report, format_for, save_report
        from vibbench.rubric.loader import load_rubric
        from vibbench.scoring.engine import ScoreOptions, score_file

        kind = format_for(output, format.value if format is not None else None)
        if is_stdout(output) and kind == "markdown":
            charts = False  # no folder beside standard output for the chart files
        opts = ScoreOptions(missing=missing.value, aggregation=aggregation.value, top=top)
        loaded = load_rubric(rubric)
        result = score_file(assessment, loaded, opts)
        peer_results, failed = _peers(peers or [], loaded, opts, lang.value)
        # Everything is drawn and rendered before anything is written; then the charts and the
        # report are written atomically, and a failure removes what this run wrote.
        built = build_report(result, output, lang=lang.value, charts=charts, fmt=kind, peers=peer_results)
        for note in built.notes:
            sys.stderr.write(note + "\n")
        save_report(built, output)
        wrote(output)
    if failed:
        raise typer.Exit(2)


def _peers(paths: list[Path], rubric: Any, opts: Any, lang: str) -> tuple[list[Any], bool]:
    """The peers' results; a peer that cannot be read is reported on standard error (the report is
    still written, and the exit code is 2, as compare does)."""
    if not paths:
        return [], False
    from vibbench.batch import discover
    from vibbench.errors import VibbenchError
    from vibbench.scoring.engine import score_file

    results, failed = [], False
    for path in discover(paths):
        try:
            results.append(score_file(path, rubric, opts))
        except VibbenchError as exc:
            failed = True
            for p in exc.problems:
                sys.stderr.write(p.render(lang) + "\n")
    return results, failed


# --------------------------------------------------------------------------- template


@app.command(short_help="A blank workbook to fill in. 空白自评表。")
def template(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The workbook to write (.xlsx). 输出的空白自评表。")
    ],
    lang: LangOpt,
    rubric: RubricOpt = "vib",
    prefill: Annotated[
        Path | None,
        typer.Option(
            "--prefill",
            help="Carry the answers of an earlier workbook (any rubric version) into the new one. "
            "沿用旧自评表（任意框架版本）中的回答。",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Overwrite an existing workbook even if it holds answers. 即使已有填写内容也覆盖现有自评表。",
        ),
    ] = False,
) -> None:
    """Write a blank self-assessment workbook to fill in. 生成待填写的空白自评表。"""
    with _guard(lang.value):
        check_output(output, [Path(rubric), *([prefill] if prefill is not None else [])])
        if not force:
            _keep_answers(output)
        from vibbench.rubric.loader import load_rubric

        loaded = load_rubric(rubric)
        if prefill is None:
            from vibbench.workbook.template import write_template

            write_template(loaded, output, lang=lang.value)
        else:
            from vibbench.io import write_atomic
            from vibbench.workbook.prefill import prefilled_template

            carried = prefilled_template(loaded, prefill, lang.value)
            write_atomic(output, carried.data)
            _say_carried(carried.carried, carried.new, carried.dropped)
        wrote(output)


def _say_carried(carried: int, new: tuple[str, ...], dropped: tuple[str, ...]) -> None:
    """What ``--prefill`` carried, what is new to answer and what was dropped, on standard error."""
    sys.stderr.write(f"carried {carried} answer rows / 已沿用 {carried} 行回答\n")
    if new:
        ids = ", ".join(new)
        sys.stderr.write(f"new, to answer: {ids} / 新增指标，请作答：{ids}\n")
    if dropped:
        ids = ", ".join(dropped)
        sys.stderr.write(f"dropped (not in this rubric): {ids} / 已删除（本框架不含）：{ids}\n")


def _keep_answers(output: Path) -> None:
    """Refuse to replace an existing workbook that holds answers (``--force`` overrides)."""
    import stat

    from vibbench.errors import UsageError

    try:
        if not stat.S_ISREG(os.stat(output).st_mode):
            return
    except (OSError, ValueError):
        return
    from vibbench.workbook.answered import holds_answers

    if holds_answers(output):
        raise UsageError.one(
            clean(output),
            T(
                "this workbook already holds answers; writing a blank template over it would lose them",
                "该自评表已有填写内容，用空白模板覆盖会丢失这些内容",
            ),
            T(
                "choose another --output, or add --force to overwrite it",
                "请另选 --output，或加 --force 强制覆盖",
            ),
        )


# --------------------------------------------------------------------------- compare / sensitivity


@app.command(short_help="Rank institutions; progress over years. 排名与逐年进展。")
def compare(
    paths: Annotated[
        list[Path], typer.Argument(help="Workbooks and/or folders. 自评表文件或文件夹。", metavar="PATH...")
    ],
    lang: LangOpt,
    rubric: RubricOpt = "vib",
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    output: OutputOpt = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Parallel readers (default: CPUs). 并行数。")
    ] = None,
    missing: Annotated[
        Missing,
        typer.Option(
            "--missing",
            help="Unanswered: score 0 (the default here, so a blank never helps a rank) or renormalise. "
            "未答指标处理方式（此处默认计 0 分，留空不会提高排名）。",
        ),
    ] = Missing.zero,
    aggregation: AggregationOpt = Aggregation.arithmetic,
) -> None:
    """Rank many institutions and track progress over years. 多机构排名与逐年进展。"""
    from vibbench import signals

    signals.install()  # idempotent; SIGTERM/SIGHUP stop the workers like Ctrl-C does
    try:
        with _guard(lang.value):
            from vibbench.batch import BatchOptions, emit_rendered, run_compare
            from vibbench.formats import renderer
            from vibbench.report.compare import render_digests
            from vibbench.scoring.engine import ScoreOptions

            check_output(output, [*folder_files(paths), Path(rubric)])
            write = renderer("compare", format)
            _binary_needs_a_file(format, output)

            score = ScoreOptions(missing=missing.value, aggregation=aggregation.value)
            done = run_compare(paths, BatchOptions(rubric, score, jobs, lang.value, format.value))
            if done.digests:
                emit_rendered(render_digests(done.digests, done.rubric, lang.value), {}, output)
            elif done.ranked:
                charts = f"{output.stem}_charts" if output is not None and not is_stdout(output) else None
                width, color = _terminal(format is Format.table and output is None)
                shown = write(done.ranked, done.rubric, lang.value, charts=charts, width=width, color=color)
                emit_rendered(shown.text, shown.files, output)
    except (KeyboardInterrupt, signals.Stopped) as exc:
        sys.stderr.write("stopped / 已中止\n")
        raise typer.Exit(signals.exit_code(exc)) from None
    raise typer.Exit(done.exit_code)


@app.command(short_help="Would other weights change the verdict? 权重敏感性。")
def sensitivity(
    paths: Annotated[
        list[Path], typer.Argument(help="Workbooks and/or folders. 自评表文件或文件夹。", metavar="PATH...")
    ],
    lang: LangOpt,
    rubric: RubricOpt = "vib",
    samples: Annotated[
        int,
        typer.Option(
            "--samples",
            min=1,
            help="Weight draws (bounded by the memory they need). 抽样次数（受内存所需限制）。",
        ),
    ] = 1000,
    spread: Annotated[
        float, typer.Option("--spread", min=0.0, max=1.0, help="Each weight × U[1-X, 1+X]. 权重扰动幅度。")
    ] = 0.25,
    seed: Annotated[int, typer.Option("--seed", help="Random seed. 随机种子。")] = 0,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    output: OutputOpt = None,
    top: TopOpt = 5,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1)] = None,
    missing: Annotated[
        Missing,
        typer.Option(
            "--missing",
            help="Unanswered: score 0 (the default here, so a blank never helps a rank) or renormalise. "
            "未答指标处理方式（此处默认计 0 分，留空不会提高排名）。",
        ),
    ] = Missing.zero,
    aggregation: AggregationOpt = Aggregation.arithmetic,
) -> None:
    """Would the verdict change under other reasonable weights? 权重敏感性分析。"""
    from vibbench import signals

    signals.install()  # idempotent; SIGTERM/SIGHUP stop the workers like Ctrl-C does
    try:
        with _guard(lang.value):
            from vibbench.batch import BatchOptions, emit_rendered, run_sensitivity
            from vibbench.formats import renderer
            from vibbench.scoring.engine import ScoreOptions

            _finite("vibbench sensitivity --spread", spread, 0.0, 1.0)
            check_output(output, [*folder_files(paths), Path(rubric)])
            write = renderer("sensitivity", format)
            _binary_needs_a_file(format, output)

            score = ScoreOptions(missing=missing.value, aggregation=aggregation.value, top=top)
            options = BatchOptions(rubric, score, jobs, lang.value, format.value, samples, spread, seed)
            done = run_sensitivity(paths, options)
            if done.analysis is not None:
                width, color = _terminal(format is Format.table and output is None)
                text = write(done.ranked, done.analysis, done.rubric, lang.value, width=width, color=color)
                emit_rendered(text, {}, output)
    except (KeyboardInterrupt, signals.Stopped) as exc:
        sys.stderr.write("stopped / 已中止\n")
        raise typer.Exit(signals.exit_code(exc)) from None
    raise typer.Exit(done.exit_code)


# --------------------------------------------------------------------------- rubric


@rubric_app.command("list", short_help="The bundled rubrics. 内置评估框架。")
def rubric_list() -> None:
    """List the bundled rubrics. 列出内置评估框架。"""
    with _guard():
        from vibbench.cli_rubric import list_text

        sys.stdout.write(list_text())


@rubric_app.command("show", short_help="A rubric's tree, weights and references. 框架结构与权重。")
def rubric_show(
    lang: LangOpt,
    rubric: Annotated[
        str, typer.Argument(help="Bundled name or YAML path. 框架名或路径。", metavar="[NAME|PATH]")
    ] = "vib",
) -> None:
    """Show a rubric's tree with effective weights and VIB references. 显示框架结构、有效权重与参照值。"""
    with _guard(lang.value):
        import shutil

        from vibbench.cli_rubric import show_text

        tty = sys.stdout.isatty()
        width = shutil.get_terminal_size().columns if tty and not os.environ.get("COLUMNS") else None
        sys.stdout.write(show_text(rubric, lang.value, color=tty, width=width))


@rubric_app.command("validate", short_help="Check a rubric file. 校验框架文件。")
def rubric_validate(
    path: Annotated[Path, typer.Argument(help="The rubric file. 框架文件。", metavar="PATH")],
    lang: LangOpt,
) -> None:
    """Check a rubric file and list every problem. 校验框架文件并列出全部问题。"""
    with _guard(lang.value):
        from vibbench.cli_rubric import validate

        checked = validate(path, lang.value)
        for line in checked.warnings:
            sys.stderr.write(line + "\n")
        sys.stdout.write(checked.summary)


@rubric_app.command("init", short_help="A starter rubric that extends another. 新建继承式框架。")
def rubric_init(
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write. 输出文件。")],
    extends: Annotated[str, typer.Option("--extends", help="The rubric to start from. 继承的框架。")] = "vib",
) -> None:
    """Write a commented starter rubric that extends another. 生成带注释的继承式框架起始文件。"""
    with _guard():
        check_output(output, [Path(extends)])
        from vibbench.cli_rubric import init

        schema_path = init(extends, output)
        wrote(output)
        wrote(schema_path)


@rubric_app.command("schema", short_help="The JSON Schema of the rubric format. 框架 JSON Schema。")
def rubric_schema() -> None:
    """Print the JSON Schema of the rubric format. 输出框架格式的 JSON Schema。"""
    with _guard():
        import json

        from vibbench.rubric.schema import json_schema

        sys.stdout.write(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")


# Click's base exception, whichever click this typer release uses (it vendors one in some).
_CLICK_ERROR: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


HELP_OPTION = "Show this help and exit. 显示帮助并退出。"


def _bilingual_help(command: Any) -> Any:
    """Click's ``--help`` says "Show this message and exit." in English only: say it in both,
    on ``command`` and every command below it."""
    original = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = original(ctx)
        if option is not None:
            option.help = HELP_OPTION
        return option

    command.get_help_option = get_help_option
    for sub in getattr(command, "commands", {}).values():
        _bilingual_help(sub)
    return command


def main() -> None:
    """The ``vibbench`` command: click's usage errors reported like every other bad input; a
    signal, a closed pipe or an unusable standard output end the run with one line (or none)."""
    from vibbench import signals

    signals.install()
    try:
        code = _run()
        sys.stdout.flush()
    except BrokenPipeError:  # `vibbench rubric show | head -1`: the reader has what it wanted
        _silence_stdout()
        code = 0
    except (KeyboardInterrupt, signals.Stopped) as exc:
        code = stopped(exc)
    except UnicodeEncodeError:
        if _state["debug"]:
            raise
        sys.stderr.write(_encoding_line() + "\n")
        code = 2
    except OSError as exc:  # standard output itself failed (a full disk, /dev/full)
        if _state["debug"]:
            raise
        _silence_stdout()
        reason = clean(exc.strerror or exc)
        sys.stderr.write(
            f"error: standard output: {reason} — write to another place or use --output / "
            f"无法写入标准输出（{reason}），请改写到别处或使用 --output\n"
        )
        code = 2
    sys.exit(code)


def stopped(exc: BaseException) -> int:
    """One line for a run stopped by a signal; its exit code (130, 143, 129)."""
    from vibbench import signals

    code = signals.exit_code(exc)
    name = signals.name(exc)
    try:
        sys.stderr.write(f"stopped by {name} / 已因 {name} 中止运行\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    return code


def _run() -> int:
    from vibbench.errors import VibbenchError

    try:
        code = _bilingual_help(typer.main.get_command(app)).main(prog_name="vibbench", standalone_mode=False)
    except _CLICK_ERROR as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `vibbench`: the help, as click shows it
            exc.show()  # type: ignore[attr-defined]
            return 2
        from vibbench.usage import lang_of, problem

        sys.stderr.write(problem(exc, sys.argv[1:]).render(lang_of(sys.argv[1:])) + "\n")
        return 2
    except VibbenchError as exc:  # raised while the command line was read
        from vibbench.usage import lang_of

        sys.stderr.write("".join(p.render(lang_of(sys.argv[1:])) + "\n" for p in exc.problems))
        return 2
    except typer.Abort as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):  # Ctrl-C while click was at work
            raise exc.__context__ from None
        sys.stderr.write("aborted / 已中止\n")
        return 1
    return code if isinstance(code, int) else 0


if __name__ == "__main__":  # pragma: no cover
    main()
