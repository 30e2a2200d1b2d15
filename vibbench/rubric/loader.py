"""Find, load and cache rubrics.

A validated rubric is cached by content hash (``$VIBBENCH_CACHE_DIR``, else the user's
cache folder), so commands that only *use* a rubric import neither PyYAML nor pydantic:
reading, merging and validating a rubric file lives in :mod:`vibbench.rubric.compiler`.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from vibbench import __version__
from vibbench.errors import UsageError
from vibbench.rubric.model import Rubric, build
from vibbench.text import T

CACHE_FORMAT = 2
"""Bump when the canonical form or validation changes, so older cache entries are not read
(2: texts with control characters are refused)."""


def display_path(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


# --------------------------------------------------------------------------- bundled rubrics


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
            display_path(path) if relative_to is None else f"{display_path(relative_to)}",
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


def _cache_key(path: Path, raw: bytes) -> str:
    h = hashlib.sha256(f"{CACHE_FORMAT}\0{__version__}\0{path.resolve()}\0".encode())
    h.update(raw)
    return h.hexdigest()


def _cache_get(path: Path) -> tuple[dict[str, Any], str] | None:
    cdir = _cache_dir()
    if cdir is None:
        return None
    try:
        entry = json.loads((cdir / f"rubric-{_cache_key(path, path.read_bytes())}.json").read_text("utf-8"))
        for dep, sha in entry["deps"]:
            if hashlib.sha256(Path(dep).read_bytes()).hexdigest() != sha:
                return None
        return entry["data"], entry["hash"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _cache_put(path: Path, data: dict[str, Any], digest: str, deps: list[tuple[str, str]]) -> None:
    cdir = _cache_dir()
    if cdir is None:
        return
    try:
        cdir.mkdir(parents=True, exist_ok=True)
        target = cdir / f"rubric-{_cache_key(path, path.read_bytes())}.json"
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"deps": deps, "hash": digest, "data": data}, ensure_ascii=False), "utf-8")
        os.replace(tmp, target)
    except OSError:
        pass  # a cache that cannot be written only costs time


# --------------------------------------------------------------------------- entry points


def load_canonical(path: Path, *, use_cache: bool = True) -> tuple[dict[str, Any], str]:
    """The validated, canonical rubric dictionary and its content hash."""
    if use_cache:
        hit = _cache_get(path)
        if hit is not None:
            return hit
    from vibbench.rubric.compiler import compile_rubric

    canonical, deps = compile_rubric(path)
    digest = content_hash(canonical)
    if use_cache:
        _cache_put(path, canonical, digest, deps)
    return canonical, digest


def load_rubric(spec: str | Path = "vib", *, use_cache: bool = True) -> Rubric:
    """Load a bundled rubric by name or a rubric file by path. Raises :class:`RubricError`."""
    path = spec if isinstance(spec, Path) else resolve(spec)
    if not path.is_file():
        raise UsageError.one(
            display_path(path),
            T("a folder, not a rubric file", "这是文件夹，不是评估框架文件")
            if path.is_dir()
            else T("no such rubric file", "评估框架文件不存在"),
            T("check the path", "请检查路径"),
        )
    canonical, digest = load_canonical(path, use_cache=use_cache)
    return build(canonical, content_hash=digest, path=display_path(path))
