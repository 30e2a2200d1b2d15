"""One error hierarchy. Only ``cli.py`` turns these into ``error: WHERE: WHAT — HOW TO FIX`` and exit 2."""

from __future__ import annotations

from dataclasses import dataclass, field

from vibbench.text import Text

EXIT_OK = 0
EXIT_BELOW_THRESHOLD = 1
EXIT_BAD_INPUT = 2


@dataclass(frozen=True, order=True)
class Where:
    """Where a problem is: a file and, when known, a line (rubrics) or a sheet and cell (workbooks).

    Shown as ``my.yaml:42``, ``a.xlsx:Responses!D14`` or ``a.xlsx:Responses``; sorted by file,
    then line. A command-line mistake has only a "file": the command (``vibbench score --format``).
    """

    file: str
    line: int | None = None
    sheet: str | None = None
    """The sheet's name as Excel writes it in a reference (quoted when it needs quotes)."""
    cell: str | None = None
    """``D14``."""

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.file}:{self.line}"
        if self.sheet is not None:
            return f"{self.file}:{self.sheet}" + (f"!{self.cell}" if self.cell else "")
        return self.file

    @property
    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.file, self.line or 0, self.sheet or "", self.cell or "")


def where_of(where: Where | str) -> Where:
    """A :class:`Where` from a value that may still be a plain string (the file alone)."""
    return where if isinstance(where, Where) else Where(where)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with where it is and how to fix it."""

    where: Where
    """File, and when known the sheet and cell (``a.xlsx:Responses!D14``) or line (``my.yaml:42``)."""
    what: Text
    """What is wrong."""
    fix: Text
    """How to fix it."""

    def __post_init__(self) -> None:
        if not isinstance(self.where, Where):  # a plain string names the file (or the command)
            object.__setattr__(self, "where", Where(str(self.where)))

    def render(self, lang: str = "en") -> str:
        return f"error: {self.where}: {self.what.get(lang)} — {self.fix.get(lang)}"


class VibbenchError(Exception):
    """Bad usage or bad input. Carries every problem found, so all are reported together."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.render() for p in problems))

    @classmethod
    def one(cls, where: Where | str, what: Text, fix: Text) -> VibbenchError:
        return cls([Problem(where_of(where), what, fix)])


class RubricError(VibbenchError):
    """A rubric file cannot be used."""


class WorkbookError(VibbenchError):
    """A workbook cannot be read or contains answers that cannot be trusted."""


class UsageError(VibbenchError):
    """Options that do not fit together, or a path that does not exist."""


@dataclass
class ProblemList:
    """Collects problems while reading an input, raises them together at the end."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, where: Where | str, what: Text, fix: Text) -> None:
        self.problems.append(Problem(where_of(where), what, fix))

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self, kind: type[VibbenchError]) -> None:
        if self.problems:
            raise kind(self.problems)
