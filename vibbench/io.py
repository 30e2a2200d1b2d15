"""Writing outputs: atomically (temporary file in the same folder, then rename)."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from vibbench.errors import UsageError
from vibbench.text import T


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` so that an interrupted run leaves no half-written file."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError.one(
            str(path),
            T("the output folder does not exist", "输出文件夹不存在"),
            T(f"create '{folder}' first or choose another --output", f"请先创建 '{folder}' 或另选 --output"),
        )
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        # mkstemp makes the file private (0600); give it the permissions a plain open() would.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def wrote(path: Path) -> None:
    """Tell the user (on standard error) where the output went."""
    sys.stderr.write(f"wrote {path} / 已写入 {path}\n")


def emit(text: str | bytes, output: Path | None) -> None:
    """The result: to ``output`` when given, else to standard output (bytes as UTF-8 text)."""
    if output is not None:
        write_atomic(output, text)
        return
    if isinstance(text, bytes):
        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", None)
        if out is None:  # a text-only stream (a test's capture): decode for it
            sys.stdout.write(text.decode())
        else:
            out.write(text)
            out.flush()
        if text and not text.endswith(b"\n"):
            sys.stdout.write("\n")
        sys.stdout.flush()
        return
    sys.stdout.write(text)
    if text and not text.endswith("\n"):
        sys.stdout.write("\n")
    sys.stdout.flush()
