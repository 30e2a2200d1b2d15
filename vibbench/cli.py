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


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class Missing(str, Enum):
    exclude = "exclude"
    zero = "zero"


class Aggregation(str, Enum):
    arithmetic = "arithmetic"
    geometric = "geometric"


RubricOpt = Annotated[
    str, typer.Option("--rubric", "-r", help="Bundled rubric name or YAML path. 内置框架名或 YAML 路径。")
]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Output language. 输出语言。")]
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
MAX_SAMPLES = 100_000
"""More weight draws than this add nothing a report can show, and cost memory per institution."""

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
    rubric: RubricOpt = "vib",
    format: Annotated[
        Format, typer.Option("--format", "-f", help="Output format. 输出格式。")
    ] = Format.table,
    output: OutputOpt = None,
    lang: LangOpt = Lang.en,
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
        from vibbench.report import render
        from vibbench.scoring.engine import ScoreOptions, score_file

        opts = ScoreOptions(missing=missing.value, aggregation=aggregation.value, top=top)
        result = score_file(assessment, rubric, opts)
        render.emit_result(result, format.value, lang.value, output)
    _exit_for(result.overall.score, fail_under)


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
    rubric: RubricOpt = "vib",
    lang: LangOpt = Lang.en,
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


@app.command(short_help="A Markdown report with a reform roadmap. 报告与改革路线图。")
def report(
    assessment: Annotated[
        Path, typer.Argument(help="The filled-in workbook. 已填写的自评表。", metavar="ASSESSMENT.xlsx")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="The Markdown file to write. 报告文件。")],
    rubric: RubricOpt = "vib",
    lang: LangOpt = Lang.en,
    top: TopOpt = 10,
    charts: Annotated[bool, typer.Option("--charts/--no-charts", help="Draw SVG charts. 绘制图表。")] = True,
    missing: MissingOpt = Missing.exclude,
    aggregation: AggregationOpt = Aggregation.arithmetic,
) -> None:
    """Write a Markdown report with charts and a reform roadmap. 生成含图表与改革路线图的报告。"""
    with _guard(lang.value):
        check_output(output, [assessment, Path(rubric)])
        charts = charts and not is_stdout(output)  # no folder beside standard output for the charts
        from vibbench.report.document import write_report
        from vibbench.scoring.engine import ScoreOptions, score_file

        opts = ScoreOptions(missing=missing.value, aggregation=aggregation.value, top=top)
        result = score_file(assessment, rubric, opts)
        write_report(result, output, lang=lang.value, charts=charts)
        wrote(output)


# --------------------------------------------------------------------------- template


@app.command(short_help="A blank workbook to fill in. 空白自评表。")
def template(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The workbook to write (.xlsx). 输出的空白自评表。")
    ],
    rubric: RubricOpt = "vib",
    lang: LangOpt = Lang.en,
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
        check_output(output, [Path(rubric)])
        if not force:
            _keep_answers(output)
        from vibbench.rubric.loader import load_rubric
        from vibbench.workbook.template import write_template

        write_template(load_rubric(rubric), output, lang=lang.value)
        wrote(output)


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
    rubric: RubricOpt = "vib",
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    output: OutputOpt = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Parallel readers (default: CPUs). 并行数。")
    ] = None,
    lang: LangOpt = Lang.en,
    missing: MissingOpt = Missing.exclude,
    aggregation: AggregationOpt = Aggregation.arithmetic,
) -> None:
    """Rank many institutions and track progress over years. 多机构排名与逐年进展。"""
    with _guard(lang.value):
        check_output(output, [*folder_files(paths), Path(rubric)])
        from vibbench.batch import run_compare
        from vibbench.scoring.engine import ScoreOptions

        code = run_compare(
            paths,
            rubric,
            ScoreOptions(missing=missing.value, aggregation=aggregation.value),
            format.value,
            output,
            jobs,
            lang.value,
        )
    raise typer.Exit(code)


@app.command(short_help="Would other weights change the verdict? 权重敏感性。")
def sensitivity(
    paths: Annotated[
        list[Path], typer.Argument(help="Workbooks and/or folders. 自评表文件或文件夹。", metavar="PATH...")
    ],
    rubric: RubricOpt = "vib",
    samples: Annotated[
        int, typer.Option("--samples", min=1, max=MAX_SAMPLES, help="Weight draws. 抽样次数。")
    ] = 1000,
    spread: Annotated[
        float, typer.Option("--spread", min=0.0, max=1.0, help="Each weight × U[1-X, 1+X]. 权重扰动幅度。")
    ] = 0.25,
    seed: Annotated[int, typer.Option("--seed", help="Random seed. 随机种子。")] = 0,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    output: OutputOpt = None,
    top: TopOpt = 5,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1)] = None,
    lang: LangOpt = Lang.en,
    missing: MissingOpt = Missing.exclude,
    aggregation: AggregationOpt = Aggregation.arithmetic,
) -> None:
    """Would the verdict change under other reasonable weights? 权重敏感性分析。"""
    with _guard(lang.value):
        _finite("vibbench sensitivity --spread", spread, 0.0, 1.0)
        check_output(output, [*folder_files(paths), Path(rubric)])
        from vibbench.batch import run_sensitivity
        from vibbench.scoring.engine import ScoreOptions

        code = run_sensitivity(
            paths,
            rubric,
            ScoreOptions(missing=missing.value, aggregation=aggregation.value, top=top),
            samples,
            spread,
            seed,
            format.value,
            output,
            jobs,
            lang.value,
        )
    raise typer.Exit(code)


# --------------------------------------------------------------------------- rubric


@rubric_app.command("list", short_help="The bundled rubrics. 内置评估框架。")
def rubric_list() -> None:
    """List the bundled rubrics. 列出内置评估框架。"""
    with _guard():
        from vibbench.rubric.commands import list_text

        sys.stdout.write(list_text())


@rubric_app.command("show", short_help="A rubric's tree, weights and references. 框架结构与权重。")
def rubric_show(
    rubric: Annotated[
        str, typer.Argument(help="Bundled name or YAML path. 框架名或路径。", metavar="[NAME|PATH]")
    ] = "vib",
    lang: LangOpt = Lang.en,
) -> None:
    """Show a rubric's tree with effective weights and VIB references. 显示框架结构、有效权重与参照值。"""
    with _guard(lang.value):
        from vibbench.rubric.commands import show

        show(rubric, lang.value)


@rubric_app.command("validate", short_help="Check a rubric file. 校验框架文件。")
def rubric_validate(
    path: Annotated[Path, typer.Argument(help="The rubric file. 框架文件。", metavar="PATH")],
    lang: LangOpt = Lang.en,
) -> None:
    """Check a rubric file and list every problem. 校验框架文件并列出全部问题。"""
    with _guard(lang.value):
        from vibbench.rubric.commands import validate

        sys.stdout.write(validate(path, lang.value))


@rubric_app.command("init", short_help="A starter rubric that extends another. 新建继承式框架。")
def rubric_init(
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write. 输出文件。")],
    extends: Annotated[str, typer.Option("--extends", help="The rubric to start from. 继承的框架。")] = "vib",
) -> None:
    """Write a commented starter rubric that extends another. 生成带注释的继承式框架起始文件。"""
    with _guard():
        check_output(output, [Path(extends)])
        from vibbench.rubric.commands import init

        init(extends, output)
        wrote(output)


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
