"""Writing outputs: atomically (temporary file in the same folder, then rename).

An ``--output`` is never one of the inputs (:func:`check_output`); ``-`` is standard output;
an existing target that is not a regular file (a FIFO, ``/dev/null``) is written into, not
replaced; an existing regular file keeps its mode; messages name the path the user typed.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from vibbench.errors import UsageError, Where
from vibbench.text import T, clean

STDOUT = "-"
"""``--output -``: standard output."""


def is_stdout(path: Path | str | None) -> bool:
    return path is not None and str(path) == STDOUT


def folder_files(paths: Iterable[Path]) -> list[Path]:
    """The files given and the ``*.xlsx`` inside the folders given (as ``compare`` reads them),
    without importing anything heavy: for :func:`check_output`."""
    out: list[Path] = []
    for p in paths:
        try:
            is_dir = os.path.isdir(p)
        except (OSError, ValueError):
            is_dir = False
        if not is_dir:
            out.append(Path(p))
            continue
        with contextlib.suppress(OSError), os.scandir(p) as entries:
            out.extend(Path(p) / e.name for e in entries if e.name.lower().endswith(".xlsx"))
    return out


def check_output(output: Path | str | None, inputs: Iterable[Path | str]) -> None:
    """Refuse an ``output`` that is the same file as one of ``inputs`` (by device and inode, so
    also through symlinks, hard links and other spellings): writing it would destroy the input."""
    if output is None or is_stdout(output):
        return
    try:
        target = os.stat(output)
    except (OSError, ValueError):  # does not exist yet (or cannot be looked at): not an input
        return
    for item in inputs:
        try:
            st = os.stat(item)
        except (OSError, ValueError):
            continue
        if (st.st_dev, st.st_ino) == (target.st_dev, target.st_ino):
            shown = clean(output)
            raise UsageError.one(
                Where(shown),
                T(
                    f"the output is the same file as the input '{clean(item)}'; writing it would destroy the input",
                    f"输出文件与输入文件“{clean(item)}”是同一个文件，写入会毁掉输入",
                ),
                T("choose another --output", "请另选 --output"),
            )


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` so that an interrupted run leaves no half-written file.

    ``-`` is standard output; an existing FIFO or device is written into directly; an existing
    regular file keeps its permissions. Any error names ``path``, never the temporary file, and
    the temporary file is removed on any exception (also :class:`vibbench.signals.Stopped`)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if is_stdout(path):
        _to_stdout(payload)
        return
    path = Path(path)
    try:
        st: os.stat_result | None = os.stat(path)
    except (OSError, ValueError):
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
        _write_into(path, payload)
        return
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError.one(
            Where(clean(path)),
            T("the output folder does not exist", "输出文件夹不存在"),
            T(
                f"create '{clean(folder)}' first or choose another --output",
                f"请先创建“{clean(folder)}”或另选 --output",
            ),
        )
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        # mkstemp makes the file private (0600): give it the old file's mode, or a plain open()'s.
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _write_into(path: Path, payload: bytes) -> None:
    """A FIFO or a device: open it and write, as a shell's ``>`` would (no rename)."""
    try:
        with open(path, "wb") as fh:
            fh.write(payload)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None


def _to_stdout(payload: bytes) -> None:
    sys.stdout.flush()
    out = getattr(sys.stdout, "buffer", None)
    if out is None:  # a text-only stream (a test's capture): decode for it
        sys.stdout.write(payload.decode())
    else:
        out.write(payload)
        out.flush()
    sys.stdout.flush()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def wrote(path: Path) -> None:
    """Tell the user (on standard error) where the output went (nothing for standard output)."""
    if is_stdout(path):
        return
    shown = clean(path)
    sys.stderr.write(f"wrote {shown} / 已写入 {shown}\n")


def emit(text: str | bytes, output: Path | None) -> None:
    """The result: to ``output`` when given, else to standard output (bytes as UTF-8 text)."""
    if output is not None and not is_stdout(output):
        write_atomic(output, text)
        return
    if isinstance(text, bytes):
        _to_stdout(text)
        if text and not text.endswith(b"\n"):
            sys.stdout.write("\n")
        sys.stdout.flush()
        return
    sys.stdout.write(text)
    if text and not text.endswith("\n"):
        sys.stdout.write("\n")
    sys.stdout.flush()
