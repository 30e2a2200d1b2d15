"""The limits a workbook is read within, and the refusal that reports one hit.

The checks live by topic: :mod:`~vibbench.workbook.sniff` (the file: present, not too large,
and what it is when it is not an xlsx), :mod:`~vibbench.workbook.container` (the zip),
:mod:`~vibbench.workbook.parts` (the workbook's relationships, styles and shared strings) and
:mod:`~vibbench.workbook.sheetscan` (a worksheet, before calamine loads it). Everything there
runs on the standard library only, in bounded memory, before anything heavy parses the file.
"""

from __future__ import annotations

from vibbench.text import T, Text

MAX_FILE_BYTES = 50 * 1024 * 1024
"""Files larger than this (50 MB) are refused without being read."""
MAX_RATIO = 100
"""The parts of an xlsx may declare at most this many times the file's size in total."""
MAX_ROWS = 100_000
"""A Responses sheet whose values reach beyond this row is refused."""
MAX_CELLS = 5_000_000
"""Largest rectangle (first to last used row × first to last used column) a sheet may span."""
MAX_ROW_ELEMENTS = 1_048_576
"""Excel's own row limit: a sheet with more ``<row>`` elements is not a real worksheet."""
MAX_MERGES = 50_000
"""Merged ranges in one sheet (an upper bound: every ``mergeCell`` tag counts). Calamine lists them
all when it loads the sheet; 200,000 cost it about 90 MB, a real self-assessment has a few."""
MAX_SHEETS = 1_000
"""Sheets a workbook may list; a self-assessment has two or three."""
MAX_TOTAL_CELLS = 2 * 5_000_000
"""Cells (used rectangles) of all the sheets a read looks at, together."""
MAX_SHARED_STRINGS = 1_000_000
"""Entries of the shared-strings table: calamine holds each as its own string (about 60 bytes
apiece before its text; 4 million took 300 MB)."""
MAX_SHARED_TEXT = 32 * 1024 * 1024
"""Bytes of the shared-strings part's entries (an upper bound of their text)."""
MAX_SHARED_STRING = 1024 * 1024
"""One shared string (Excel's cells hold at most 32,767 characters, about 128 KB)."""
MAX_REFERENCED_TEXT = 32 * 1024 * 1024
"""Shared-string text the cells of one sheet copy, counting each reference."""
MAX_MEMBERS = 10_000
"""Parts in the zip; real workbooks have tens."""
MAX_CENTRAL_DIRECTORY = 4 * 1024 * 1024
"""Bytes of zip directory read before the parts are known."""
MAX_PART_BYTES = 256 * 1024 * 1024
"""Largest uncompressed part. Not in SPEC §2's list: a house limit that keeps memory bounded
(an XML token — a comment, an attribute — can only be parsed whole), far above any real
Responses sheet (100,000 rows of ten cells are about 60 MB)."""
MAX_SMALL_PART = 64 * 1024 * 1024
"""Largest workbook.xml, relationships or styles part read into memory for parsing."""

UNREAD_PARTS = ("docprops/", "xl/theme/", "[content_types].xml")
"""Parts (lower-cased name prefixes) that neither calamine nor vibbench ever inflates, so they
are not checked. tests/workbook/test_hostile.py corrupts them and checks that calamine still
reads the workbook: if a calamine release starts reading one, that test fails."""

CHUNK = 256 * 1024
KEEP = 256 * 1024
"""Parts up to this size keep their inflated content for the rest of the read ..."""
KEEP_TOTAL = 4 * 1024 * 1024

FIX_RESAVE = T(
    "open it in Excel, WPS or LibreOffice and save it again as an Excel workbook (.xlsx)",
    "请用 Excel、WPS 或 LibreOffice 打开并重新另存为 Excel 工作簿（.xlsx）",
)


class RefusedError(Exception):
    """A limit was hit or the content is not what it claims; carries the message parts."""

    def __init__(self, what: Text, fix: Text, sheet: str | None = None) -> None:
        super().__init__(what.en)
        self.what = what
        self.fix = fix
        self.sheet = sheet


def mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def damaged(detail: str = "") -> RefusedError:
    more_en = f" ({detail})" if detail else ""
    more_zh = f"（{detail}）" if detail else ""
    return RefusedError(
        T(
            f"the file is a damaged or truncated zip archive{more_en}; it may not have been fully downloaded "
            "or copied",
            f"文件是损坏或不完整的 zip 压缩包{more_zh}；可能未完整下载或复制",
        ),
        T(
            "download or copy it again, or open it in Excel, WPS or LibreOffice and save it again",
            "请重新下载或复制，或用 Excel、WPS 或 LibreOffice 打开后重新保存",
        ),
    )


def unreadable(detail: str) -> RefusedError:
    """The zip is sound but a part of the workbook inside it is not."""
    return RefusedError(
        T(f"the workbook is damaged and cannot be read ({detail})", f"工作簿已损坏，无法读取（{detail}）"),
        FIX_RESAVE,
    )


def crafted(detail: str) -> RefusedError:
    return RefusedError(
        T(
            f"the zip archive is inconsistent ({detail}); it is damaged or was crafted to harm",
            f"zip 压缩包内部不一致（{detail}）；文件已损坏或被恶意构造",
        ),
        T(
            "if the file is genuine, open it in Excel and save it again; otherwise do not open it",
            "若文件可信，请用 Excel 打开后重新保存；否则请勿打开",
        ),
    )
