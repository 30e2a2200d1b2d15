"""Where rubrics are: bundled names, paths as the user sees them, bounded reads of rubric files.

Shared by :mod:`vibbench.rubric.loader` (the cache) and :mod:`vibbench.rubric.extends` (reading
and merging files), so neither imports the other.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from vibbench.errors import RubricError, UsageError, Where
from vibbench.text import T

MAX_RUBRIC_BYTES = 4 * 1024 * 1024
"""The largest rubric file read: the bundled rubric is ~60 KB; a 20 MB YAML list takes
30 s and 3 GB to parse, so a file over this is refused before it is parsed."""


def display_path(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def bundled_dir() -> Path:
    here = Path(__file__).resolve().parent.parent
    inside = here / "rubrics"  # installed wheel: hatchling force-includes rubrics/ here
    if inside.is_dir():
        return inside
    return here.parent / "rubrics"  # a source checkout (editable install)


def bundled_names() -> list[str]:
    d = bundled_dir()
    return sorted(p.stem for p in d.glob("*.yaml")) if d.is_dir() else []


def resolve(spec: str, relative_to: Path | None = None) -> Path:
    """A bundled rubric's name (``vib``) or a path (relative to ``relative_to``'s folder)."""
    if "/" not in spec and "\\" not in spec and not spec.endswith((".yaml", ".yml")):
        candidate = bundled_dir() / f"{spec}.yaml"
        if candidate.is_file():
            return candidate
    path = Path(spec)
    if relative_to is not None and not path.is_absolute():
        path = relative_to.parent / path
    if not path.is_file():
        names = ", ".join(bundled_names()) or "-"
        raise UsageError.one(
            Where(display_path(path if relative_to is None else relative_to)),
            T(f"'{spec}' is a folder, not a rubric file", f"'{spec}' 是文件夹，不是评估框架文件")
            if path.is_dir()
            else T(
                f"no rubric file or bundled rubric named '{spec}'",
                f"找不到名为 '{spec}' 的评估框架文件或内置框架",
            ),
            T(
                f"give a path to a YAML file or one of the bundled names: {names}",
                f"请给出 YAML 文件路径，或使用内置框架名称：{names}",
            ),
        )
    return path


def read_bounded(path: Path, limit: int = MAX_RUBRIC_BYTES) -> bytes | None:
    """The bytes of a regular file of at most ``limit`` bytes; None for anything else.

    Never opens a FIFO or a device (``/dev/zero`` would be read forever) and never reads more
    than ``limit + 1`` bytes, even from a file that grows while it is read.
    """
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        with open(path, "rb") as fh:
            raw = fh.read(limit + 1)
    except OSError:
        return None
    return raw if len(raw) <= limit else None


def read_rubric_bytes(path: Path) -> bytes:
    """A rubric file's bytes, or a one-line :class:`RubricError` saying why it cannot be read."""
    file = display_path(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise RubricError.one(
            Where(file),
            T(f"cannot read the rubric ({exc.strerror})", f"无法读取评估框架（{exc.strerror}）"),
            T("check the path and its permissions", "请检查路径与权限"),
        ) from None
    if not stat.S_ISREG(st.st_mode):
        raise RubricError.one(
            Where(file),
            T("not a regular file", "不是普通文件"),
            T("give the path of a YAML file", "请给出 YAML 文件的路径"),
        )
    limit_mb = MAX_RUBRIC_BYTES // (1024 * 1024)
    too_large = RubricError.one(
        Where(file),
        T(
            f"the rubric file is {st.st_size:,} bytes, over the limit of {limit_mb} MB",
            f"评估框架文件大小为 {st.st_size:,} 字节，超过 {limit_mb} MB 的上限",
        ),
        T(
            "a rubric is a few hundred KB at most: check that this is the right file",
            "评估框架通常不超过几百 KB：请确认文件是否正确",
        ),
    )
    if st.st_size > MAX_RUBRIC_BYTES:
        raise too_large
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_RUBRIC_BYTES + 1)
    except OSError as exc:
        raise RubricError.one(
            Where(file),
            T(f"cannot read the rubric ({exc.strerror})", f"无法读取评估框架（{exc.strerror}）"),
            T("check the path and its permissions", "请检查路径与权限"),
        ) from None
    if len(raw) > MAX_RUBRIC_BYTES:
        raise too_large
    return raw
