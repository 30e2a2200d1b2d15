"""The command line as a user meets it: version, help, start-up imports, error lines."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.conftest import MINI_RUBRIC, ROOT
from vibbench import __version__
from vibbench.cli import app
from vibbench.usage import lang_of, problem

runner = CliRunner()


def test_version() -> None:
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.stdout.strip() == f"vibbench {__version__}"


def test_module_entry_point() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "vibbench", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"vibbench {__version__}"


def test_help_lists_commands() -> None:
    res = runner.invoke(app, ["--help"])
    assert res.exit_code == 0
    for name in ("score", "report", "template", "rubric", "compare", "sensitivity", "explain"):
        assert name in res.stdout


def test_start_up_path_imports_nothing_heavy() -> None:
    code = (
        "import sys, vibbench.cli\n"
        "heavy = [m for m in ('pandas', 'openpyxl', 'matplotlib', 'numpy', 'pydantic') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_missing_file_is_one_error_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "vibbench",
            "score",
            str(tmp_path / "nope.xlsx"),
            "--rubric",
            str(MINI_RUBRIC),
        ],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "nope.xlsx" in lines[0]
    assert res.stdout == ""


def test_unknown_rubric_is_exit_2() -> None:
    res = subprocess.run(
        [sys.executable, "-m", "vibbench", "rubric", "show", "no-such-rubric"], capture_output=True, text=True
    )
    assert res.returncode == 2 and res.stderr.startswith("error: ") and "Traceback" not in res.stderr


def _vibbench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vibbench", *args], capture_output=True, text=True)


def _usage_error(args: list[str]) -> Exception:
    """The click exception ``vibbench ARGS`` raises before any command runs."""
    command = typer.main.get_command(app)
    with pytest.raises(Exception) as info:
        command.main(args, prog_name="vibbench", standalone_mode=False)
    return info.value


SAMPLE = str(ROOT / "samples" / "shanghai-biomed-2025.xlsx")


@pytest.mark.parametrize(
    ("args", "where", "en", "zh"),
    [
        (
            ["score", SAMPLE, "--format", "xml"],
            "vibbench score --format",
            "'xml' is not one of",
            "可选值：table、json",
        ),
        (
            ["score", SAMPLE, "--top", "0"],
            "vibbench score --top",
            "not in the range",
            "请填写不小于 1 的整数",
        ),
        (["score"], "vibbench score", "ASSESSMENT.xlsx is missing", "缺少参数 ASSESSMENT.xlsx"),
        (["score", SAMPLE, "--formt", "json"], "vibbench score", "no option --formt", "是否想用 --format"),
        (["score", SAMPLE, "--top"], "vibbench score", "--top needs a value", "选项 --top 需要一个值"),
        (["rubric", "show", "--bogus"], "vibbench rubric show", "no option --bogus", "没有选项 --bogus"),
        (["scor", "x.xlsx"], "vibbench", "No such command 'scor'", "没有命令 scor"),
        (["score", SAMPLE, "extra"], "vibbench score", "unexpected extra argument", "多余的参数"),
    ],
)
def test_usage_errors_are_one_bilingual_line(args: list[str], where: str, en: str, zh: str) -> None:
    exc = _usage_error(args)
    for lang, words in (("en", en), ("zh", zh)):
        line = problem(exc, args).render(lang)
        assert line.startswith(f"error: {where}: ") and words in line and " — " in line, line
        assert "\n" not in line


def test_usage_error_through_the_entry_point() -> None:
    res = _vibbench("score", SAMPLE, "--format", "xml", "--lang", "zh")
    assert res.returncode == 2 and res.stdout == ""
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: vibbench score --format: 取值无效"), res.stderr
    assert lang_of(["score", "x", "--lang=zh"]) == "zh" and lang_of(["--", "--lang", "zh"]) == "en"


def test_entry_point_exit_codes() -> None:
    bare = _vibbench()
    assert bare.returncode == 2 and "Usage: vibbench" in bare.stdout + bare.stderr
    ok = _vibbench("score", SAMPLE, "--format", "json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["overall"]["score"] > 0
    below = _vibbench("score", SAMPLE, "--fail-under", "99")
    assert below.returncode == 1


def test_help_is_bilingual_everywhere() -> None:
    """Every command listed, and --help itself, in English and Chinese (through the entry point)."""
    for args in ([], ["rubric"], ["score"], ["rubric", "show"]):
        res = _vibbench(*args, "--help")
        assert res.returncode == 0, res.stderr
        assert "Show this help and exit. 显示帮助并退出。" in res.stdout
        listed = res.stdout.partition("Commands:")[2]
        for line in filter(str.strip, listed.splitlines()):
            assert any("\u4e00" <= ch <= "\u9fff" for ch in line), f"{args}: {line}"


_WORDS = [
    "score",
    "explain",
    "compare",
    "sensitivity",
    "report",
    "template",
    "rubric",
    "show",
    "list",
    "validate",
    "--format",
    "json",
    "csv",
    "markdown",
    "table",
    "xml",
    "--lang",
    "zh",
    "en",
    "fr",
    "--top",
    "0",
    "3",
    "-1",
    "abc",
    "--missing",
    "zero",
    "--aggregation",
    "geometric",
    "--rubric",
    "vib",
    "nope",
    "--fail-under",
    "50",
    "--samples",
    "2",
    "--spread",
    "--seed",
    "--jobs",
    "--",
    "--output",
    "RD.GOV.1",
    "RD",
    "--bogus",
    "-x",
    "",
    "指标",
    SAMPLE,
    str(MINI_RUBRIC),
]


_COMMANDS = [
    ["score", SAMPLE],
    ["explain", SAMPLE],
    ["rubric", "show"],
    ["rubric", "validate"],
    ["template"],
    [],
]


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(_COMMANDS), st.lists(st.sampled_from(_WORDS), max_size=6))
def test_any_command_line_ends_in_a_known_exit_code_without_a_traceback(
    command: list[str], rest: list[str]
) -> None:
    """Whatever is typed: exit 0, 1 or 2, and never a Python traceback (run in-process)."""
    import contextlib
    import io
    import os
    import tempfile

    from vibbench.cli import main

    words = command + rest
    with tempfile.TemporaryDirectory() as tmp:
        err, out = io.StringIO(), io.StringIO()
        old_argv, old_cwd = sys.argv, os.getcwd()
        sys.argv = ["vibbench", *words]
        os.chdir(tmp)  # anything written lands in the temporary folder
        try:
            with (
                contextlib.redirect_stderr(err),
                contextlib.redirect_stdout(out),
                pytest.raises(SystemExit) as done,
            ):
                main()
        finally:
            sys.argv = old_argv
            os.chdir(old_cwd)
    assert done.value.code in (0, 1, 2), (words, done.value.code, err.getvalue())
    assert "Traceback" not in err.getvalue(), (words, err.getvalue())
    if done.value.code == 2 and err.getvalue().strip():
        assert err.getvalue().startswith(("error: ", "Usage: ")), (words, err.getvalue())
