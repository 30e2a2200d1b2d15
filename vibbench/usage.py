"""Command-line mistakes (an unknown option, a bad ``--format``) as one bilingual line.

Click prints them in English over three lines (usage, a hint, the error). vibbench reports
them like every other bad input: ``error: WHERE: WHAT — HOW TO FIX`` in ``--lang``, exit 2.
Imported only when such a mistake happens.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

from vibbench.errors import Problem, Where
from vibbench.text import T, Text


def env_lang(environ: Mapping[str, str] | None = None) -> str:
    """The language when ``--lang`` is not given (SPEC §1): ``VIBBENCH_LANG`` (en or zh); else zh when
    the first of LC_ALL, LC_MESSAGES, LANG that is set starts with zh; else en."""
    env = os.environ if environ is None else environ
    chosen = env.get("VIBBENCH_LANG", "").strip().lower()
    if chosen in ("en", "zh"):
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def lang_of(argv: Sequence[str]) -> str:
    """The ``--lang`` of a command line that could not be parsed; without one, :func:`env_lang`."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            return "zh" if argv[i + 1] == "zh" else "en"
        if arg.startswith("--lang="):
            return "zh" if arg.partition("=")[2] == "zh" else "en"
    return env_lang()


def _kinds(exc: BaseException) -> set[str]:
    # typer vendors click in some releases and not in others: go by class names.
    return {c.__name__ for c in type(exc).__mro__}


def _hint(param: Any) -> str | None:
    """How the user writes the parameter: ``--format`` for an option, ``ASSESSMENT.xlsx`` for an argument."""
    if param is None:
        return None
    opts = [o for o in getattr(param, "opts", ()) if o.startswith("--")] or list(getattr(param, "opts", ()))
    if getattr(param, "param_type_name", "") == "option" and opts:
        return str(opts[0])
    return str(getattr(param, "metavar", None) or getattr(param, "human_readable_name", None) or "")


def _allowed(param: Any) -> Text | None:
    """What the parameter accepts, when its type says (choices, an integer range)."""
    kind = getattr(param, "type", None)
    choices = getattr(kind, "choices", None)
    if choices:
        names = [str(getattr(c, "value", c)) for c in choices]
        return T(f"use one of {', '.join(names)}", f"可选值：{'、'.join(names)}")
    low, high = getattr(kind, "min", None), getattr(kind, "max", None)
    if low is not None or high is not None:
        if high is None:
            return T(f"use a whole number ≥ {low}", f"请填写不小于 {low} 的整数")
        if low is None:
            return T(f"use a whole number ≤ {high}", f"请填写不大于 {high} 的整数")
        return T(f"use a whole number from {low} to {high}", f"请填写 {low} 至 {high} 的整数")
    return None


def _one_line(text: object) -> str:
    """Click's message on one line, without its closing full stop."""
    return re.sub(r"\s+", " ", str(text)).strip().rstrip(".")


def _command(exc: Any, argv: Sequence[str]) -> str:
    """``vibbench score``: from the error's context, else the words that start the command line."""
    ctx = getattr(exc, "ctx", None)
    path = str(getattr(ctx, "command_path", "") or "")
    if path:
        return path
    words = []
    for arg in argv[:2]:
        if not re.fullmatch(r"[a-z][a-z-]*", arg):
            break
        words.append(arg)
    return " ".join(["vibbench", *words])


def problem(exc: Any, argv: Sequence[str] = ()) -> Problem:
    """The click usage error ``exc`` (raised for the command line ``argv``) as a vibbench problem."""
    command = _command(exc, argv)
    kinds = _kinds(exc)
    detail = _one_line(exc.format_message())
    param = getattr(exc, "param", None)
    hint = _hint(param)
    where = f"{command} {hint}" if hint else command
    help_fix = T(f"see `{command} --help`", f"请查看 `{command} --help`")
    if "NoSuchOption" in kinds:
        name = str(getattr(exc, "option_name", "") or "")
        close = sorted(getattr(exc, "possibilities", None) or ())
        what = T(f"no option {name}", f"没有选项 {name}")
        if close:
            fix = T(f"did you mean {' or '.join(close)}?", f"是否想用 {' 或 '.join(close)}？")
        else:
            fix = help_fix
        return Problem(Where(command), what, fix)
    if "MissingParameter" in kinds:
        is_option = getattr(exc, "param_type", None) == "option" or (
            getattr(param, "param_type_name", "") == "option"
        )
        what = T(
            f"{hint or 'a value'} is missing", f"缺少{'选项' if is_option else '参数'} {hint or ''}".rstrip()
        )
        return Problem(Where(command), what, help_fix)
    if "BadParameter" in kinds:
        allowed = _allowed(param)
        detail = _one_line(getattr(exc, "message", "") or detail)
        what = T(detail, f"取值无效（{detail}）")
        return Problem(Where(where), what, allowed or help_fix)
    if "BadOptionUsage" in kinds and detail.endswith("requires an argument"):
        name = str(getattr(exc, "option_name", "") or "")
        return Problem(Where(command), T(f"{name} needs a value", f"选项 {name} 需要一个值"), help_fix)
    if detail.startswith("No such command"):
        name = detail.partition("'")[2].partition("'")[0]
        what = T(detail, f"没有命令 {name}（{detail}）" if name else f"没有这个命令（{detail}）")
        return Problem(Where(command), what, help_fix)
    if detail.startswith("Got unexpected extra argument"):
        return Problem(Where(command), T(detail, f"多余的参数（{detail}）"), help_fix)
    return Problem(Where(where), T(detail, f"命令行有误（{detail}）"), help_fix)
