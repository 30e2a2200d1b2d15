"""What a workbook says, once read: answers with their cells, and the institution."""

from __future__ import annotations

from dataclasses import dataclass, field

from vibbench.text import Text


@dataclass(frozen=True)
class Answer:
    """One respondent's answer to one indicator."""

    indicator: str
    value: float
    """The answer as a number: levels as the level, booleans 1.0/0.0, percentages 0–100."""
    cell: str
    """Where the answer stands, e.g. ``Responses!E14``."""
    raw: str = ""
    """The cell's content as found, for messages and reports."""
    respondent: str | None = None
    evidence: str = ""
    comment: str = ""


@dataclass(frozen=True)
class Notice:
    """Something the reader noticed that is not an error (e.g. ``removed_indicator``)."""

    code: str
    message: Text
    indicator: str | None = None


@dataclass(frozen=True)
class RubricStamp:
    """The rubric a template was made from, as recorded in the workbook."""

    id: str
    version: str
    hash: str
    fingerprints: dict[str, str] = field(default_factory=dict)
    """Indicator id → fingerprint of its definition when the template was made."""


@dataclass(frozen=True)
class Assessment:
    """A read workbook: the institution and every answer, ready to score."""

    path: str
    """The path as given (for messages)."""
    sha256: str
    """sha256 of the file's bytes."""
    institution: dict[str, str]
    """Known keys: name, country, type, year, contact, date (values as text)."""
    answers: tuple[Answer, ...]
    """Answered rows only; unanswered indicators simply have no Answer."""
    stamp: RubricStamp | None = None
    notices: tuple[Notice, ...] = ()

    @property
    def name(self) -> str:
        return self.institution.get("name", "")

    @property
    def year(self) -> str:
        return self.institution.get("year", "")
