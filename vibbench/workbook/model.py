"""What a workbook says, once read: answers with their cells, and the institution."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vibbench.text import Text


@dataclass(frozen=True, init=False)
class Answer:
    """One respondent's answer to one indicator. (Its ``__init__`` is written out: one dictionary
    update instead of a frozen dataclass's ``object.__setattr__`` per field — the reader makes one
    per answered row of every workbook; tests/scoring/test_results.py checks it matches the fields.)"""

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

    def __init__(
        self,
        indicator: str,
        value: float,
        cell: str,
        raw: str = "",
        respondent: str | None = None,
        evidence: str = "",
        comment: str = "",
    ) -> None:
        self.__dict__.update(
            indicator=indicator,
            value=value,
            cell=cell,
            raw=raw,
            respondent=respondent,
            evidence=evidence,
            comment=comment,
        )


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
    institution: dict[str, Any]
    """Known keys: name, country, type, contact, date (text); year (an integer or None); and, v2,
    profile (a profile id or None), research_staff (a number or None), currency (an ISO code or None)."""
    answers: tuple[Answer, ...]
    """Answered rows only; unanswered indicators simply have no Answer."""
    stamp: RubricStamp | None = None
    notices: tuple[Notice, ...] = ()
    profile: str | None = None
    """The rubric profile the institution declared (None: the rubric's default)."""
    research_staff: float | None = None
    """R&D staff, full-time equivalent (Institution sheet ``research_staff``), for ``per`` indicators."""
    not_applicable: frozenset[str] = frozenset()
    """Indicators answered "not applicable" (N/A, 不适用): left out when ``optional``, else unanswered
    with a ``not_applicable`` warning."""

    @property
    def name(self) -> str:
        return str(self.institution.get("name") or "")

    @property
    def year(self) -> int | None:
        """The assessed year as an integer (the reader accepts 2024, 2024年, FY2024, dates...)."""
        year = self.institution.get("year")
        if isinstance(year, int):
            return year
        if isinstance(year, str) and year.strip().isdigit():
            return int(year)
        return None
