"""The Python API for analysts in notebooks: compare many workbooks in-process.

``import vibbench`` exposes :func:`compare` (and ``load_rubric``, ``read_assessment``, ``score``,
``score_file``, ``ScoreOptions``) lazily; see :mod:`vibbench`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, overload

from vibbench.errors import UsageError, Where
from vibbench.rubric.model import Rubric
from vibbench.scoring.result import Result, ScoreOptions
from vibbench.text import T

if TYPE_CHECKING:
    import pandas

__all__ = ["Cohort", "compare"]


@dataclass(frozen=True, repr=False)
class Cohort:
    """Scored institutions with their ranks (1 = highest overall; ties share the better rank;
    None when nothing was answered), best first. Iterating gives ``(result, rank)`` pairs."""

    ranked: tuple[tuple[Result, int | None], ...]

    @property
    def results(self) -> tuple[Result, ...]:
        return tuple(r for r, _ in self.ranked)

    @property
    def ranks(self) -> tuple[int | None, ...]:
        return tuple(n for _, n in self.ranked)

    def __iter__(self) -> Iterator[tuple[Result, int | None]]:
        return iter(self.ranked)

    def __len__(self) -> int:
        return len(self.ranked)

    @overload
    def __getitem__(self, index: int) -> tuple[Result, int | None]: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[tuple[Result, int | None], ...]: ...
    def __getitem__(
        self, index: int | slice
    ) -> tuple[Result, int | None] | tuple[tuple[Result, int | None], ...]:
        return self.ranked[index]

    def __repr__(self) -> str:
        shown = [
            f"{'-' if n is None else n}. {r.assessment.name!r}"
            + (f" {r.assessment.year}" if r.assessment.year else "")
            + ("" if r.overall.score is None else f" {r.overall.score:.1f}")
            for r, n in self.ranked[:5]
        ]
        more = f", … {len(self) - 5} more" if len(self) > 5 else ""
        return f"<Cohort of {len(self)}: {', '.join(shown)}{more}>"

    def to_frame(self, kind: str = "indicators", lang: str = "en") -> pandas.DataFrame:
        """One row per institution × indicator (or ``dimensions``, ``pillars``), with each
        institution's name, year, source path and rank (needs ``pip install 'vibbench[pandas]'``)."""
        from vibbench.scoring.frame import cohort_frame

        return cohort_frame(self.ranked, kind, lang)


def _workbooks(paths: Iterable[str | PathLike[str]]) -> list[Path]:
    """Files as given, and every ``*.xlsx`` in a folder (sorted by name; Office lock files ``~$*`` skipped)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(
                sorted(
                    (
                        f
                        for f in p.iterdir()
                        if f.name.lower().endswith(".xlsx") and not f.name.startswith("~$")
                    ),
                    key=lambda f: f.name,
                )
            )
        else:
            out.append(p)
    return out


def compare(
    paths: str | PathLike[str] | Iterable[str | PathLike[str]],
    rubric: str | Path | Rubric = "vib",
    options: ScoreOptions | None = None,
) -> Cohort:
    """Score every workbook (files, or folders of ``*.xlsx``) against ``rubric`` and rank them.

    In-process and one by one: for thousands of workbooks, ``vibbench compare`` reads in
    parallel. A workbook that cannot be read raises its :class:`~vibbench.errors.VibbenchError`.
    """
    from vibbench.rubric.loader import load_rubric
    from vibbench.scoring.engine import score_file
    from vibbench.scoring.ranking import rank

    given = [paths] if isinstance(paths, str | PathLike) else list(paths)
    files = _workbooks(given)
    if not files:
        raise UsageError.one(
            Where(", ".join(map(str, given)) or "compare"),
            T("no .xlsx workbooks found", "没有找到 .xlsx 自评表"),
            T("give workbook files or folders that contain them", "请给出自评表文件或包含它们的文件夹"),
        )
    r = rubric if isinstance(rubric, Rubric) else load_rubric(rubric)
    return Cohort(tuple(rank([score_file(f, r, options) for f in files])))
