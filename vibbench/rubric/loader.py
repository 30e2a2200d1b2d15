"""Load and cache rubrics.

A validated rubric is cached by content hash (``$VIBBENCH_CACHE_DIR``, else the user's
cache folder), so commands that only *use* a rubric import neither PyYAML nor pydantic:
reading, merging and validating a rubric file lives in :mod:`vibbench.rubric.compiler`.

A cache entry is trusted only as far as it can be checked: the files it was made from must
still have the bytes it records, and its data must still have the content hash it records.
Anything else wrong with an entry (unreadable, malformed, not a regular file) makes it absent,
and the rubric is compiled again.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from vibbench import __version__
from vibbench.errors import Problem, UsageError, Where
from vibbench.rubric.model import Rubric, build
from vibbench.rubric.paths import MAX_RUBRIC_BYTES, display_path, read_bounded, resolve
from vibbench.text import T

CACHE_FORMAT = 3
"""Bump when the canonical form or validation changes, so older cache entries are not read
(2: texts with control characters are refused; 3: entries carry their content hash, numbers
are bounded)."""

_MAX_ENTRY_BYTES = 16 * MAX_RUBRIC_BYTES
"""A cache entry is larger than its rubric (JSON, every default filled in), but bounded too."""


def content_hash(canonical: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(canonical, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# --------------------------------------------------------------------------- cache


def _cache_dir() -> Path | None:
    if os.environ.get("VIBBENCH_NO_CACHE"):
        return None
    explicit = os.environ.get("VIBBENCH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "vibbench"


def _cache_file(cdir: Path, path: Path) -> Path | None:
    raw = read_bounded(path)
    if raw is None:
        return None
    h = hashlib.sha256(f"{CACHE_FORMAT}\0{__version__}\0{path.resolve()}\0".encode())
    h.update(raw)
    return cdir / f"rubric-{h.hexdigest()}.json"


def _cache_get(path: Path) -> Rubric | None:
    """The cached rubric, if an entry exists and checks out; None means compile it."""
    cdir = _cache_dir()
    target = _cache_file(cdir, path) if cdir is not None else None
    if target is None:
        return None
    raw = read_bounded(target, _MAX_ENTRY_BYTES)
    if raw is None:
        return None
    try:
        entry = json.loads(raw)
        deps, data, digest = entry["deps"], entry["data"], entry["hash"]
        if not isinstance(deps, list) or not isinstance(data, dict) or not isinstance(digest, str):
            return None
        for dep, sha in deps:
            dep_raw = read_bounded(Path(dep))
            if dep_raw is None or hashlib.sha256(dep_raw).hexdigest() != sha:
                return None
        if content_hash(data) != digest:
            return None  # edited by hand: the data no longer is what was validated
        return build(data, content_hash=digest, path=display_path(path))
    except Exception:
        return None


def _cache_put(path: Path, data: dict[str, Any], digest: str, deps: list[tuple[str, str]]) -> None:
    cdir = _cache_dir()
    if cdir is None:
        return
    try:
        cdir.mkdir(parents=True, exist_ok=True)
        target = _cache_file(cdir, path)
        if target is None:
            return
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"deps": deps, "hash": digest, "data": data}, ensure_ascii=False), "utf-8")
        os.replace(tmp, target)
    except OSError:
        pass  # a cache that cannot be written only costs time


# --------------------------------------------------------------------------- entry points


def _existing(spec: str | Path) -> Path:
    path = spec if isinstance(spec, Path) else resolve(spec)
    if not path.is_file():
        raise UsageError.one(
            Where(display_path(path)),
            T("a folder, not a rubric file", "这是文件夹，不是评估框架文件")
            if path.is_dir()
            else T("no such rubric file", "评估框架文件不存在"),
            T("check the path", "请检查路径"),
        )
    return path


def load_rubric(spec: str | Path = "vib", *, use_cache: bool = True) -> Rubric:
    """Load a bundled rubric by name or a rubric file by path. Raises :class:`RubricError`."""
    path = _existing(spec)
    if use_cache:
        hit = _cache_get(path)
        if hit is not None:
            return hit
    from vibbench.rubric import compiler

    compiled = compiler.compile_rubric(path)
    digest = content_hash(compiled.canonical)
    if use_cache:
        _cache_put(path, compiled.canonical, digest, compiled.deps)
    return build(compiled.canonical, content_hash=digest, path=display_path(path))


def check_rubric(spec: str | Path) -> tuple[Rubric, list[Problem]]:
    """Compile a rubric without the cache: the rubric and its warnings. Raises :class:`RubricError`."""
    from vibbench.rubric import compiler

    path = _existing(spec)
    compiled = compiler.compile_rubric(path)
    digest = content_hash(compiled.canonical)
    return build(compiled.canonical, content_hash=digest, path=display_path(path)), compiled.warnings
