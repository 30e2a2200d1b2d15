"""A report as a document (SPEC §6, v2): built once, written as Markdown, HTML or Word.

The report's sections are built as plain data — headings, paragraphs, bullet lists, tables whose
columns say what role they play, figures and page breaks — holding plain text, never markup. Each
writer (:mod:`vibbench.report.write_markdown`, :mod:`~vibbench.report.write_html`,
:mod:`~vibbench.report.write_docx`) escapes text its own way, so text from a workbook can break
none of them, and the three hold the same sections and figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

Role = Literal["id", "name", "number", "text", "long"]
"""What a table column holds, so writers can size it: ``id`` (short codes never broken mid-token),
``name`` (an indicator's name), ``number`` (right-aligned figures), ``text`` (short text) and ``long``
(an action or recommendation: the widest column)."""


@dataclass(frozen=True)
class Span:
    """A run of text, bold or not."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Paragraph:
    spans: tuple[Span, ...]

    @classmethod
    def of(cls, text: str, *, label: str | None = None) -> Paragraph:
        """``text``, after a bold ``label`` when given (the writer adds the colon)."""
        return cls((Span(label, bold=True), Span(text))) if label else cls((Span(text),))

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True)
class Heading:
    level: int
    """1 for the title, 2 for a section, 3 for a subsection."""
    text: str
    anchor: str = ""
    """A stable identifier (``summary``, ``pillar-RD``) for links and for tests."""


@dataclass(frozen=True)
class Bullets:
    items: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Column:
    header: str
    role: Role = "text"


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    bold_rows: frozenset[int] = frozenset()
    """Indices of rows shown in bold (a total)."""
    caption: str = ""
    heat: frozenset[int] = frozenset()
    """Indices of columns whose scores (0–100) are shown on a colour scale (a heat map) where the
    format allows it: HTML and Word shade the cells; Markdown cannot, and shows a heat-map figure."""

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError("every table row must have one cell per column")


@dataclass(frozen=True)
class Figure:
    """A chart: SVG for HTML and Markdown, PNG for Word; ``file`` is its name beside a Markdown report."""

    name: str
    title: str
    svg: bytes | None = None
    png: bytes | None = None
    file: str = ""


@dataclass(frozen=True)
class PageBreak:
    """Before a major section in print (HTML's print stylesheet, Word); nothing in Markdown."""


def heat_colour(text: str) -> str | None:
    """The background of a score cell on a red → yellow → green scale (``#rrggbb``); None when the
    cell holds no number."""
    try:
        value = float(text.replace(",", "").rstrip("%"))
    except ValueError:
        return None
    x = max(0.0, min(100.0, value)) / 100.0
    low, mid, high = (248, 105, 107), (255, 235, 132), (99, 190, 123)  # Excel's three-colour scale
    a, b, t = (low, mid, x * 2) if x < 0.5 else (mid, high, (x - 0.5) * 2)
    r, g, bl = (round(a[k] + (b[k] - a[k]) * t) for k in range(3))
    return f"#{r:02x}{g:02x}{bl:02x}"


Block = Heading | Paragraph | Bullets | Table | Figure | PageBreak


@dataclass
class Document:
    title: str
    lang: str
    date: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def headings(self, level: int | None = None) -> Iterator[Heading]:
        for b in self.blocks:
            if isinstance(b, Heading) and (level is None or b.level == level):
                yield b

    def tables(self) -> Iterator[Table]:
        for b in self.blocks:
            if isinstance(b, Table):
                yield b

    def figures(self) -> Iterator[Figure]:
        for b in self.blocks:
            if isinstance(b, Figure):
                yield b
