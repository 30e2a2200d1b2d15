"""Safety checks on a workbook file before anything heavy parses it.

Everything here runs on the standard library only, in bounded memory:

* the file itself: present, a regular file, not empty, at most :data:`MAX_FILE_BYTES`;
* what it is when it is not an xlsx (legacy .xls, an encrypted workbook, a CSV renamed,
  a truncated zip, an OpenDocument file, ...), so the message can say so;
* the zip: the central directory is small, the declared uncompressed total is at most
  :data:`MAX_RATIO` times the file, no part is over :data:`MAX_PART_BYTES` uncompressed
  (a house limit, for bounded memory), and every part inflates to exactly the size it
  declares (checked while streaming, so a part that lies about its size is caught after
  at most its declared size plus one chunk);
* a worksheet, before calamine loads it: how many rows it uses and how large the
  rectangle is that calamine would allocate; and (only when asked, for the Responses
  columns) which cells hold formulas without a cached value, error values or a percent
  number format.

Calamine (Rust) allocates the whole used rectangle of a sheet at once and aborts the
process if that allocation fails, so the rectangle must be known to be small first. Three
ways to know it, cheapest first, each falling back to the next when it cannot be sure:

1. byte searches over the stream when every ``<c>`` carries ``r="A1"`` first (what Excel,
   LibreOffice, WPS and openpyxl write): the rectangle of those references holds every
   cell calamine keeps; a ``<c r="A100001"><v>`` refuses the sheet at once;
2. for parts up to 1 MB, upper bounds from every ``r`` attribute plus one step per row or
   cell element (positions calamine would count);
3. an expat pass that follows calamine's own placing of cells (and refuses layouts where
   the two could disagree, such as a cell inside a cell).
"""

from __future__ import annotations

import hashlib
import io
import itertools
import os
import re
import stat
import struct
import zipfile
import zlib
from array import array
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

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

_CHUNK = 256 * 1024
_KEEP = 256 * 1024
"""Parts up to this size keep their inflated content for the rest of the read ..."""
_KEEP_TOTAL = 4 * 1024 * 1024
"""... as long as all those kept add up to no more than this."""
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_BUILTIN_PERCENT_FORMATS = frozenset({9, 10})
_CELL_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")
_FIX_RESAVE = T(
    "open it in Excel, WPS or LibreOffice and save it again as an Excel workbook (.xlsx)",
    "请用 Excel、WPS 或 LibreOffice 打开并重新另存为 Excel 工作簿（.xlsx）",
)


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


class RefusedError(Exception):
    """A limit was hit or the content is not what it claims; carries the message parts."""

    def __init__(self, what: Text, fix: Text, sheet: str | None = None) -> None:
        super().__init__(what.en)
        self.what = what
        self.fix = fix
        self.sheet = sheet


class _StopScanError(Exception):
    """Raised inside expat handlers once the part of the sheet that matters has been seen."""


# --------------------------------------------------------------------------- the file


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def read_file(path: str) -> bytes:
    """The file's bytes, after checking it exists, is a regular file and is not too large."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise RefusedError(
            T("no such file", "文件不存在"), T("check the path and the file name", "请检查路径与文件名")
        ) from None
    except OSError as exc:
        raise RefusedError(
            T(f"cannot open the file ({exc.strerror or exc})", f"无法打开文件（{exc.strerror or exc}）"),
            T("check the path and its permissions", "请检查路径与权限"),
        ) from None
    if stat.S_ISDIR(st.st_mode):
        raise RefusedError(
            T("this is a folder, not a workbook", "这是文件夹，不是自评表"),
            T(
                "give the path of an .xlsx file (compare and sensitivity accept folders)",
                "请给出 .xlsx 文件的路径（compare 与 sensitivity 命令可接受文件夹）",
            ),
        )
    if not stat.S_ISREG(st.st_mode):
        raise RefusedError(
            T("this is not a regular file", "这不是普通文件"),
            T("give the path of an .xlsx file", "请给出 .xlsx 文件的路径"),
        )
    if st.st_size > MAX_FILE_BYTES:
        raise RefusedError(*_too_big(st.st_size))
    try:
        with open(path, "rb") as fh:
            # Sized to the file, not the limit: read(n) allocates n bytes up front.
            want = min(st.st_size, MAX_FILE_BYTES) + 1
            data = fh.read(want)
            if len(data) == want:  # it grew while we looked: read on, still within the limit
                data += fh.read(MAX_FILE_BYTES + 1 - len(data))
    except OSError as exc:
        raise RefusedError(
            T(f"cannot read the file ({exc.strerror or exc})", f"无法读取文件（{exc.strerror or exc}）"),
            T("check the file's permissions", "请检查文件权限"),
        ) from None
    if len(data) > MAX_FILE_BYTES:  # it grew while we looked
        raise RefusedError(*_too_big(len(data)))
    return data


def _too_big(size: int) -> tuple[Text, Text]:
    return (
        T(
            f"the file is {_mb(size)}; workbooks over {_mb(MAX_FILE_BYTES)} are refused",
            f"文件大小为 {_mb(size)}；超过 {_mb(MAX_FILE_BYTES)} 的自评表不予读取",
        ),
        T(
            "a self-assessment is far smaller: remove unrelated sheets, pictures and data, then save again",
            "自评表通常很小：请删除无关的工作表、图片和数据后重新保存",
        ),
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def identify_non_zip(data: bytes, path: str) -> RefusedError:
    """Why bytes that are not a zip archive cannot be a workbook, in words a user understands."""
    if not data:
        return RefusedError(
            T("the file is empty (0 bytes)", "文件为空（0 字节）"),
            T(
                "fill in the workbook made by `vibbench template` and save it as .xlsx",
                "请填写由 `vibbench template` 生成的自评表并保存为 .xlsx",
            ),
        )
    if data.startswith(_OLE_MAGIC):
        if _utf16("EncryptionInfo") in data or _utf16("EncryptedPackage") in data:
            return RefusedError(
                T(
                    "the workbook is encrypted (protected by a password to open)",
                    "该工作簿已加密（打开需要密码）",
                ),
                T(
                    "open it in Excel, remove the password (File › Info › Protect Workbook › Encrypt with "
                    "Password, leave it empty), save it and try again",
                    "请在 Excel 中打开，删除打开密码（文件 › 信息 › 保护工作簿 › 用密码进行加密，清空密码）后保存再试",
                ),
            )
        if _utf16("Workbook") in data or _utf16("Book") in data:
            return RefusedError(
                T(
                    "this is a legacy Excel 97–2003 workbook (.xls), not an .xlsx workbook",
                    "这是旧版 Excel 97–2003 工作簿（.xls），不是 .xlsx 工作簿",
                ),
                T(
                    "open it in Excel, WPS or LibreOffice and save it as Excel Workbook (.xlsx)",
                    "请用 Excel、WPS 或 LibreOffice 打开并另存为 Excel 工作簿（.xlsx）",
                ),
            )
        return RefusedError(
            T(
                "this is an old-format Microsoft Office file (OLE2), not an .xlsx workbook",
                "这是旧格式的 Microsoft Office 文件（OLE2），不是 .xlsx 工作簿",
            ),
            T(
                "start from `vibbench template`, or save the workbook as Excel Workbook (.xlsx)",
                "请从 `vibbench template` 生成的模板开始，或将工作簿另存为 Excel 工作簿（.xlsx）",
            ),
        )
    if data.startswith(b"%PDF"):
        return RefusedError(
            T("this is a PDF document, not an .xlsx workbook", "这是 PDF 文档，不是 .xlsx 工作簿"),
            T(
                "fill in the workbook made by `vibbench template` instead",
                "请改为填写由 `vibbench template` 生成的自评表",
            ),
        )
    text = _as_text(data[:65536])
    renamed = path.lower().endswith((".xlsx", ".xlsm"))
    named = T(", although its name ends in .xlsx", "，尽管文件名以 .xlsx 结尾") if renamed else T("", "")
    if text is not None:
        head = text.lstrip("\ufeff \t\r\n").lower()
        if head.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in head:
            kind = T("an Excel 2003 XML spreadsheet", "Excel 2003 XML 电子表格")
        elif "<html" in head[:4096] or "<table" in head[:4096] or head.startswith("<!doctype html"):
            kind = T("an HTML page (such as a web export)", "HTML 网页（例如网页导出文件）")
        else:
            kind = T("a text (CSV) file", "文本（CSV）文件")
        return RefusedError(
            T(
                f"this is {kind.en}, not an .xlsx workbook{named.en}",
                f"这是{kind.zh}，不是 .xlsx 工作簿{named.zh}",
            ),
            T(
                "open it in Excel, WPS or LibreOffice and save it as Excel Workbook (.xlsx), or start from "
                "`vibbench template`",
                "请用 Excel、WPS 或 LibreOffice 打开并另存为 Excel 工作簿（.xlsx），或从 `vibbench template` 生成的模板开始",
            ),
        )
    return RefusedError(
        T(
            f"this is not an .xlsx workbook (unrecognised binary content){named.en}",
            f"这不是 .xlsx 工作簿（无法识别的二进制内容）{named.zh}",
        ),
        T(
            "check that you chose the right file; save the workbook as Excel Workbook (.xlsx)",
            "请确认文件选择正确，并将工作簿保存为 Excel 工作簿（.xlsx）",
        ),
    )


def _as_text(head: bytes) -> str | None:
    """The start of the file as text, when it looks like text (UTF-8/16 or a legacy code page)."""
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="replace")
    if b"\x00" in head:
        return None
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:  # cut in the middle of a character
            return head[: exc.start].decode("utf-8")
    # GBK/Latin-1 CSVs: mostly printable bytes and no control characters but tab/CR/LF
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    return head.decode("latin-1") if controls == 0 else None


# --------------------------------------------------------------------------- the zip


def _damaged(detail: str = "") -> RefusedError:
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


def _unreadable(detail: str) -> RefusedError:
    """The zip is sound but a part of the workbook inside it is not."""
    return RefusedError(
        T(f"the workbook is damaged and cannot be read ({detail})", f"工作簿已损坏，无法读取（{detail}）"),
        _FIX_RESAVE,
    )


def _crafted(detail: str) -> RefusedError:
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


def _central_directory_size(data: bytes) -> int | None:
    """Declared size of the zip's central directory, read from its end record (None: not found)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65557))
    if end < 0 or end + 22 > len(data):
        return None
    (size,) = struct.unpack_from("<I", data, end + 12)
    if size == 0xFFFFFFFF and end >= 20 and data[end - 20 : end - 16] == b"PK\x06\x07":
        (offset,) = struct.unpack_from("<Q", data, end - 20 + 8)
        if offset + 56 <= len(data) and data[offset : offset + 4] == b"PK\x06\x06":
            (size,) = struct.unpack_from("<Q", data, offset + 40)
    return int(size)


@dataclass
class Container:
    """A workbook's zip, checked: every part's sizes are plausible and its name is unique."""

    data: bytes
    infos: dict[str, zipfile.ZipInfo]
    """Lower-cased part name → its entry (calamine looks parts up case-insensitively)."""
    verified: set[str] = field(default_factory=set)
    """Parts already inflated and found to match their declared size and checksum."""
    contents: dict[str, bytes] = field(default_factory=dict)
    """Content of the small parts inflated so far: each is checked at open and read again later."""
    kept: int = 0
    """Bytes held in :attr:`contents` (at most ``_KEEP_TOTAL``, whatever the zip declares)."""
    archive: zipfile.ZipFile | None = None
    """The zip, opened once for streaming parts."""
    shared_targets: list[str] = field(default_factory=list)
    """Shared-strings parts the workbook's relationships name (filled by :func:`sheet_parts`)."""
    styles_targets: list[str] = field(default_factory=list)
    """Styles parts the workbook's relationships name (filled by :func:`sheet_parts`)."""

    def info(self, name: str) -> zipfile.ZipInfo | None:
        return self.infos.get(part_key(name))

    def chunks(self, info: zipfile.ZipInfo) -> Generator[bytes, None, None]:
        """The part's content in chunks; raises :class:`RefusedError` if it is not what it declares.

        :meth:`zipfile.ZipFile.open` does the checking: it reads no more than the declared
        compressed size, inflates no more than the declared size, and compares the checksum at
        the end (a part that inflates to more than it declares fails it)."""
        if self.archive is None:
            self.archive = zipfile.ZipFile(io.BytesIO(self.data))
        total = 0
        try:
            with self.archive.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    total += len(chunk)
                    yield chunk
                # ZipExtFile stops at the declared size: a part that inflates to more fails its
                # checksum only if its first bytes differ, so look for a byte more.
                if stream._decompressor is not None and not getattr(stream._decompressor, "eof", True):  # type: ignore[attr-defined]
                    raise _crafted(
                        f"part {info.filename} holds more than the {info.file_size} bytes it declares"
                    )
        except zipfile.BadZipFile as exc:
            if "CRC" in str(exc):
                raise _crafted(f"part {info.filename} fails its checksum") from None
            raise _damaged(f"part {info.filename}: {exc}") from None
        except (zlib.error, EOFError) as exc:
            raise _damaged(f"part {info.filename}: {exc or 'cut short'}") from None
        except NotImplementedError as exc:
            raise _unreadable(f"part {info.filename}: {exc}") from None
        if total != info.file_size:
            raise _damaged(f"part {info.filename} is cut short")
        self.verified.add(info.filename)

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """A small part's whole content (workbook.xml, relationships, styles)."""
        if info.file_size > MAX_SMALL_PART:
            raise RefusedError(
                T(
                    f"part {info.filename} of the workbook is {_mb(info.file_size)}, far larger than a real one",
                    f"工作簿的组成部分 {info.filename} 大小为 {_mb(info.file_size)}，远超正常范围",
                ),
                _FIX_RESAVE,
            )
        content = self.contents.get(info.filename)
        if content is None:
            content = b"".join(self.chunks(info))
            if info.file_size <= _KEEP and self.kept + len(content) <= _KEEP_TOTAL:
                self.contents[info.filename] = content
                self.kept += len(content)
        return content

    def verify(self, info: zipfile.ZipInfo) -> None:
        if info.filename in self.verified:
            return
        if info.file_size <= _KEEP and self.kept + info.file_size <= _KEEP_TOTAL:
            self.read(info)  # kept: workbook.xml, its relationships and the styles are read again
        else:
            for _ in self.chunks(info):
                pass


def open_zip(data: bytes) -> Container:
    """Check the zip container of an xlsx; raises :class:`RefusedError` with what the file really is."""
    cd_size = _central_directory_size(data)
    if cd_size is not None and cd_size > MAX_CENTRAL_DIRECTORY:
        raise RefusedError(
            T(
                f"the zip's directory is {_mb(cd_size)}, far larger than a workbook's",
                f"zip 目录大小为 {_mb(cd_size)}，远超正常工作簿",
            ),
            T("check that you chose the right file", "请确认文件选择正确"),
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:  # zipfile raises many kinds on broken input
        if data.startswith(b"PK\x03\x04") and cd_size is None:
            raise _damaged("its end is missing") from None
        raise _damaged(type(exc).__name__ if not str(exc) else str(exc)) from None
    if len(infos) > MAX_MEMBERS:
        raise RefusedError(
            T(
                f"the zip holds {len(infos)} parts (a workbook has tens; the limit is {MAX_MEMBERS})",
                f"zip 包含 {len(infos)} 个组成部分（正常工作簿只有几十个；上限为 {MAX_MEMBERS}）",
            ),
            T("check that you chose the right file", "请确认文件选择正确"),
        )
    declared = sum(i.file_size for i in infos)
    if declared > MAX_RATIO * max(len(data), 1):
        raise RefusedError(
            T(
                f"the workbook would expand to {_mb(declared)}, {declared / max(len(data), 1):.0f}× its size of "
                f"{_mb(len(data))} (the limit is {MAX_RATIO}×); refused as a possible zip bomb",
                f"该工作簿解压后将达 {_mb(declared)}，是其大小 {_mb(len(data))} 的 "
                f"{declared / max(len(data), 1):.0f} 倍（上限 {MAX_RATIO} 倍）；疑似“压缩炸弹”，拒绝读取",
            ),
            T(
                "if the file is genuine, open it in Excel and save it again; otherwise do not open it",
                "若文件可信，请用 Excel 打开后重新保存；否则请勿打开",
            ),
        )
    largest = max(infos, key=lambda i: i.file_size, default=None)
    if largest is not None and largest.file_size > MAX_PART_BYTES:
        raise RefusedError(
            T(
                f"part {largest.filename} of the workbook would expand to {_mb(largest.file_size)} (the limit is "
                f"{_mb(MAX_PART_BYTES)})",
                f"工作簿的组成部分 {largest.filename} 解压后将达 {_mb(largest.file_size)}（上限为 {_mb(MAX_PART_BYTES)}）",
            ),
            T(
                "a self-assessment is far smaller: remove unrelated sheets, pictures and data, then save again",
                "自评表通常很小：请删除无关的工作表、图片和数据后重新保存",
            ),
        )
    by_name: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        key = part_key(info.filename)
        if key in by_name:
            raise _crafted(f"two parts are named {info.filename}")
        by_name[key] = info
    container = Container(data, by_name)
    if container.info("xl/workbook.xml") is None:
        raise _main_part_elsewhere(container) or _not_a_workbook(container)
    for info in infos:
        if info.flag_bits & 0x1:
            raise RefusedError(
                T("the zip archive is password-protected", "该 zip 压缩包设有密码"),
                T("save the workbook again without a password", "请去掉密码后重新保存工作簿"),
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise RefusedError(
                T(
                    f"part {info.filename} uses a compression method Excel does not write",
                    f"组成部分 {info.filename} 使用了 Excel 不会使用的压缩方式",
                ),
                _FIX_RESAVE,
            )
    # Every part that calamine reads when it opens the workbook is inflated and checked now;
    # worksheets are checked one by one, when they are scanned. Parts that nothing reads
    # (UNREAD_PARTS) are left alone: their declared sizes passed the checks above.
    for info in infos:
        name = part_key(info.filename)
        if not name.startswith(("xl/worksheets/", *UNREAD_PARTS)):
            container.verify(info)
    return container


def part_key(name: str) -> str:
    """How a part is looked up, as calamine looks it up: case aside, and with the backslashes some
    exporters write (``xl\\workbook.xml``) read as slashes."""
    return name.replace("\\", "/").lower()


_OFFICE_DOCUMENT = re.compile(
    rb"""<(?:[\w.-]+:)?Relationship\b(?=[^>]*\bType\s*=\s*["'][^"']*/officeDocument["'])[^>]*"""
    rb"""\bTarget\s*=\s*["']([^"']*)["']"""
)


def _main_part_elsewhere(container: Container) -> RefusedError | None:
    """A valid package whose workbook part is not ``xl/workbook.xml`` (found through
    ``_rels/.rels``): OOXML allows it, but calamine finds a workbook only there."""
    rels = container.info("_rels/.rels")
    if rels is None or rels.file_size > 64 * 1024:
        return None
    m = _OFFICE_DOCUMENT.search(container.read(rels))
    if m is None:
        return None
    target = m.group(1).decode("utf-8", "replace").lstrip("/")
    info = container.info(target)
    if info is None or not target.lower().endswith(".xml"):
        return None
    return RefusedError(
        T(
            f"the workbook's main part is {target[:80]}, not xl/workbook.xml where the spreadsheet reader "
            "(calamine) looks for it",
            f"工作簿的主体部分位于 {target[:80]}，而非表格读取组件（calamine）所查找的 xl/workbook.xml",
        ),
        _FIX_RESAVE,
    )


def _not_a_workbook(container: Container) -> RefusedError:
    has = container.info
    mimetype = container.info("mimetype")
    mime = b""
    if mimetype is not None and mimetype.file_size < 200:
        mime = container.read(mimetype)
    if b"opendocument.spreadsheet" in mime:
        kind = T("an OpenDocument spreadsheet (.ods)", "OpenDocument 电子表格（.ods）")
    elif mime.startswith(b"application/vnd.oasis.opendocument"):
        kind = T("an OpenDocument file", "OpenDocument 文件")
    elif has("xl/workbook.bin"):
        kind = T("an Excel binary workbook (.xlsb)", "Excel 二进制工作簿（.xlsb）")
    elif has("word/document.xml"):
        kind = T("a Word document (.docx)", "Word 文档（.docx）")
    elif has("ppt/presentation.xml"):
        kind = T("a PowerPoint presentation (.pptx)", "PowerPoint 演示文稿（.pptx）")
    else:
        kind = T("a zip archive", "zip 压缩包")
    return RefusedError(
        T(
            f"this is {kind.en}, not an Excel workbook (it has no xl/workbook.xml)",
            f"这是{kind.zh}，不是 Excel 工作簿（缺少 xl/workbook.xml）",
        ),
        T(
            "open it in Excel, WPS or LibreOffice and save it as Excel Workbook (.xlsx)",
            "请用 Excel、WPS 或 LibreOffice 打开并另存为 Excel 工作簿（.xlsx）",
        ),
    )


# --------------------------------------------------------------------------- small XML parts


def _parser() -> Any:
    parser = expat.ParserCreate()

    def no_dtd(*_: Any) -> None:
        raise _crafted("an XML part declares a document type")

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    return parser


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _xl_path(target: str) -> str:
    """The part a relationship of xl/workbook.xml names, resolved as calamine resolves it: an
    absolute target from the package's root, any other under ``xl/`` (calamine does not resolve
    ``..``: such a sheet is missing for it, and so for this scan)."""
    target = target.replace("\\", "/")
    return target[1:] if target.startswith("/") else "xl/" + target


def sheet_parts(container: Container) -> dict[str, str]:
    """Sheet name → zip part name, resolved the way calamine resolves it."""
    rels_info = container.info("xl/_rels/workbook.xml.rels")
    book_info = container.info("xl/workbook.xml")
    if rels_info is None or book_info is None:
        raise _unreadable("xl/_rels/workbook.xml.rels is missing")
    targets: dict[str, str] = {}
    sheets: list[tuple[str, str]] = []

    def on_rel(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")
            kind = attrs.get("Type", "").rpartition("/")[2]
            if kind == "sharedStrings":
                container.shared_targets.append(_xl_path(attrs.get("Target", "")))
            elif kind == "styles":
                container.styles_targets.append(_xl_path(attrs.get("Target", "")))

    def on_sheet(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "sheet":
            # r:id, whatever the prefix the relationships namespace is given
            rid = next((v for k, v in attrs.items() if k.endswith(":id")), None)
            sheets.append((attrs.get("name", ""), "" if rid is None else targets.get(rid, "")))

    for info, handler in ((rels_info, on_rel), (book_info, on_sheet)):
        raw = container.read(info)
        if info is rels_info and b"&" in raw:
            # Calamine takes relationship targets as written, without decoding references:
            # the scan must look at the very part calamine will load.
            raise _unreadable(f"{info.filename} names its parts with escaped characters")
        parser = _parser()
        parser.StartElementHandler = handler
        try:
            parser.Parse(raw, True)
        except expat.ExpatError as exc:
            raise _unreadable(f"{info.filename}: {exc}") from None
    if len(sheets) > MAX_SHEETS:
        raise RefusedError(
            T(
                f"the workbook has {len(sheets):,} sheets (the limit is {MAX_SHEETS:,})",
                f"该工作簿有 {len(sheets):,} 个工作表（上限为 {MAX_SHEETS:,} 个）",
            ),
            T(
                "keep the sheets of the self-assessment (Responses, Institution) and save again",
                "请只保留自评所需的工作表（回答、机构）后重新保存",
            ),
        )
    parts: dict[str, str] = {}
    owner: dict[str, str] = {}
    for name, target in sheets:
        path = _xl_path(target)
        if path.lower() in owner and owner[path.lower()] != name:
            # Excel gives every sheet its own part; many sheets on one large part would each
            # be scanned and loaded again.
            raise _crafted(f"sheets {owner[path.lower()][:40]!r} and {name[:40]!r} share the part {path}")
        owner[path.lower()] = name
        parts.setdefault(name, path)
    return parts


def percent_styles(container: Container) -> frozenset[int]:
    """Indices of the cell formats (``s`` attribute) whose number format shows a percentage."""
    info = next(
        (i for i in map(container.info, [*container.styles_targets, "xl/styles.xml"]) if i is not None), None
    )
    if info is None:
        return frozenset()
    raw = container.read(info)
    if b"%" not in raw and not re.search(rb"""numFmtId\s*=\s*["']0*(?:9|10)["']""", raw):
        return frozenset()  # no percent format defined, built-in or custom
    custom: dict[int, str] = {}
    found: set[int] = set()
    where = ""
    xf = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal where, xf
        local = _local(name)
        if local in ("numFmts", "cellXfs"):
            where = local
        elif local == "numFmt" and where == "numFmts":
            ident = attrs.get("numFmtId", "")
            if ident.isdigit():
                custom[int(ident)] = attrs.get("formatCode", "")
        elif local == "xf" and where == "cellXfs":
            ident = attrs.get("numFmtId", "0")
            fmt = int(ident) if ident.isdigit() else 0
            code = custom.get(fmt)
            if _is_percent_code(code) if code is not None else fmt in _BUILTIN_PERCENT_FORMATS:
                found.add(xf)
            xf += 1

    def end(name: str) -> None:
        nonlocal where
        if _local(name) in ("numFmts", "cellXfs"):
            where = ""

    parser = _parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(raw, True)
    except expat.ExpatError as exc:
        raise _unreadable(f"{info.filename}: {exc}") from None
    return frozenset(found)


_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def _is_percent_code(code: str) -> bool:
    """True when a number format multiplies by 100 (a ``%`` outside quotes, escapes and brackets)."""
    return "%" in _QUOTED.sub("", code)


# --------------------------------------------------------------------------- worksheets


def column_index(letters: str) -> int:
    """0-based column index of ``A``, ``AB``, ..."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


@dataclass
class SheetScan:
    """What a streaming pass over one worksheet learned, before calamine loads it."""

    rows: int = 0
    """Number of the last row that holds a value (1-based; for a small sheet an upper bound)."""
    width: int = 0
    """Columns of the used rectangle (an upper bound for a small sheet)."""
    height: int = 0
    """Rows of the used rectangle (an upper bound for a small sheet)."""
    has_formula: bool = False
    has_error: bool = False
    has_percent: bool = False
    uncached: set[tuple[int, int]] = field(default_factory=set)
    """(row, column), 0-based, of formula cells with no cached value (only in the columns asked)."""
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    """(row, column) → error value such as ``#DIV/0!`` (only in the columns asked)."""
    percent: set[tuple[int, int]] = field(default_factory=set)
    """(row, column) of cells with a percent number format (only in the columns asked)."""
    external: set[tuple[int, int]] = field(default_factory=set)
    """(row, column) of formula cells that refer to another workbook (only in the columns asked)."""


def _too_many_rows(max_rows: int, rows: int, sheet: str) -> RefusedError:
    return RefusedError(
        T(
            f"the sheet uses more than {max_rows:,} rows (found row {rows:,})",
            f"该工作表超过 {max_rows:,} 行（发现第 {rows:,} 行）",
        ),
        T(
            "keep one row per indicator (and respondent): delete the unused rows and save again",
            "每个指标（及填报人）一行即可：请删除多余的行后重新保存",
        ),
        sheet=sheet,
    )


_EXTERNAL_REF = re.compile(r"\[[^\]\[]+\][^!()\[\],;+*/=<>&^-]*!|\[[0-9]+\]")
"""A reference to another workbook in a formula: ``[1]Sheet1!A1`` (an external link by number),
``'[Budget.xlsx]Sheet1'!A1`` or ``[1]!Name``. Structured table references (``Table1[Column]``)
have no ``!`` after the bracket and no number inside it."""


class _Scanner:
    """Expat handlers that follow calamine's idea of cell positions (``r`` attributes, else counting)."""

    def __init__(
        self,
        parser: Any,
        percent_styles: frozenset[int],
        columns: frozenset[int] | None,
        max_rows: int,
        sheet: str,
    ) -> None:
        self.parser = parser
        self.percent_styles = percent_styles
        self.columns = columns
        self.max_rows = max_rows
        self.sheet = sheet
        self.out = SheetScan()
        self.in_data = False
        self.done = False
        self.row = 0
        self.col = 0
        self.row_elements = 0
        self.min_row = -1
        self.max_row = -1
        self.min_col = -1
        self.max_col = -1
        # the cell being read
        self.in_cell = False
        self.pos = (0, 0)
        self.valued = False
        self.formula = False
        self.kind: str | None = None
        self.style = -1
        self.watch = False
        self.text: list[str] = []
        self.watch_formula = False
        self.formula_text: list[str] = []

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if ":" in name:
            name = _local(name)
        if not self.in_data:
            if name == "sheetData" and not self.done:
                self.in_data = True
            return
        if self.in_cell and name in ("c", "row", "sheetData"):
            # Calamine and this scan would disagree on where the cells stand: no real
            # worksheet nests these, so refuse rather than guess.
            raise _unreadable(f"sheet {self.sheet}: a {name} element inside a cell")
        if name == "c":
            self.in_cell = True
            ref = attrs.get("r")
            if ref is not None:
                m = _CELL_REF.fullmatch(ref)
                if m is None or int(m.group(2)) == 0:
                    raise _unreadable(f"sheet {self.sheet}: bad cell reference {ref[:20]!r}")
                self.col = column_index(m.group(1))
                self.pos = (int(m.group(2)) - 1, self.col)
            else:
                self.pos = (self.row, self.col)
            self.valued = False
            self.formula = False
            self.kind = attrs.get("t")
            s = attrs.get("s")
            self.style = int(s) if s is not None and s.isdigit() else -1
            self.watch = False
        elif name == "row":
            self.row_elements += 1
            if self.row_elements > MAX_ROW_ELEMENTS:
                raise self._too_many_rows(self.row_elements)
            ref = attrs.get("r")
            if ref is not None:
                if not ref.isdigit() or len(ref) > 7 or int(ref) == 0:
                    raise _unreadable(f"sheet {self.sheet}: bad row number {ref[:20]!r}")
                self.row = int(ref) - 1
        elif name == "v" or name == "is":
            self.valued = True
            watched = self.columns is not None and self.pos[1] in self.columns
            if name == "v" and watched and (self.formula or self.kind == "e"):
                self.watch = True
                self.text = []
                self.parser.CharacterDataHandler = self.on_text
        elif name == "f":
            self.formula = True
            if self.columns is not None and self.pos[1] in self.columns:
                self.watch_formula = True
                self.formula_text = []
                self.parser.CharacterDataHandler = self.on_formula

    def on_formula(self, data: str) -> None:
        if sum(map(len, self.formula_text)) < 4096:
            self.formula_text.append(data)

    def on_text(self, data: str) -> None:
        if sum(map(len, self.text)) < 64:
            self.text.append(data)

    def end(self, name: str) -> None:
        if ":" in name:
            name = _local(name)
        if not self.in_data:
            return
        if name == "c":
            self.in_cell = False
            self._cell_done()
            self.col += 1
        elif name == "row":
            self.row += 1
            self.col = 0
        elif name == "v":
            if self.watch:
                self.parser.CharacterDataHandler = None
        elif name == "f":
            if self.watch_formula:
                self.parser.CharacterDataHandler = None
        elif name == "sheetData":
            self.in_data = False
            self.done = True
            raise _StopScanError

    def _cell_done(self) -> None:
        out = self.out
        row, col = self.pos
        text = "".join(self.text).strip() if self.watch else ""
        self.watch = False
        if self.watch_formula:
            self.watch_formula = False
            if _EXTERNAL_REF.search("".join(self.formula_text)):
                self.out.external.add(self.pos)
        if self.formula:
            out.has_formula = True
        if self.kind == "e":
            out.has_error = True
        is_percent = self.style in self.percent_styles
        if self.valued:
            if row + 1 > self.max_rows:
                raise self._too_many_rows(row + 1)
            if self.min_row < 0 or row < self.min_row:
                self.min_row = row
            if row > self.max_row:
                self.max_row = row
            if self.min_col < 0 or col < self.min_col:
                self.min_col = col
            if col > self.max_col:
                self.max_col = col
            if is_percent:
                out.has_percent = True
        if self.columns is None or col not in self.columns:
            return
        # No <v> at all, or an empty one that is not a cached empty string (t="str")
        cached = self.valued and (bool(text) or self.kind in ("str", "inlineStr"))
        if self.formula and not cached:
            out.uncached.add((row, col))
        if self.kind == "e" and text:
            out.errors[(row, col)] = text
        if is_percent and self.valued:
            out.percent.add((row, col))

    def _too_many_rows(self, rows: int) -> RefusedError:
        return _too_many_rows(self.max_rows, rows, self.sheet)

    def finish(self) -> SheetScan:
        out = self.out
        if self.max_row >= 0:
            out.rows = self.max_row + 1
            out.height = self.max_row - self.min_row + 1
            out.width = self.max_col - self.min_col + 1
            if out.height * out.width > MAX_CELLS:
                raise RefusedError(
                    T(
                        f"the sheet's used area is {out.height:,} rows × {out.width:,} columns, more than "
                        f"{MAX_CELLS:,} cells",
                        f"该工作表的使用区域为 {out.height:,} 行 × {out.width:,} 列，超过 {MAX_CELLS:,} 个单元格",
                    ),
                    T(
                        "delete stray content far below or to the right of the answers and save again",
                        "请删除答案区域下方或右侧远处的零散内容后重新保存",
                    ),
                    sheet=self.sheet,
                )
        return out


_R_ATTRS = re.compile(rb"""\sr\s*=\s*["']([^"']*)""")
_R_VALUES = re.compile(rb"[A-Za-z]{0,3}[0-9]{1,7}(?:,[A-Za-z]{0,3}[0-9]{1,7})*")
_DIGITS = re.compile(rb"[0-9]+")
_LETTERS = re.compile(rb"[A-Za-z]+")
_F_TAG = re.compile(rb"<f[\s/>]")
_F_PREFIXED = re.compile(rb":f[\s/>]")
_ERROR_TYPE = re.compile(rb"""t\s*=\s*["']e["']""")


@dataclass
class SharedStrings:
    """Upper bounds of the byte length of each shared string (the span of its ``<si>`` element)."""

    lengths: array[int]
    longest: int = 0


_SI_TAG = re.compile(rb"<(?:[\w.-]+:)?si[\s>/]")


def shared_strings(container: Container, targets: list[str]) -> SharedStrings:
    """Measure the shared-strings table before calamine loads it: at most :data:`MAX_SHARED_STRINGS`
    entries, :data:`MAX_SHARED_TEXT` bytes, none over :data:`MAX_SHARED_STRING`. ``targets`` are
    the parts the workbook's relationships name (calamine also looks at xl/sharedStrings.xml)."""
    out = SharedStrings(array("L"))
    seen: set[str] = set()
    for name in [*targets, "xl/sharedStrings.xml"]:
        info = container.info(name)
        if info is None or info.filename in seen:
            continue
        seen.add(info.filename)
        lengths = out.lengths
        last = -1  # offset of the <si> being measured
        offset = 0  # offset of buf[0] in the part
        total = 0
        carry = b""
        for chunk in itertools.chain(container.chunks(info), (b"",)):
            buf = carry + chunk
            cut = buf.rfind(b"<") if chunk else len(buf)
            if len(buf) - cut > 256:  # text, not the start of a tag: nothing to carry
                cut = len(buf)
            for m in _SI_TAG.finditer(buf, 0, max(cut, 0)):
                pos = offset + m.start()
                if last >= 0:
                    lengths.append(pos - last)
                last = pos
            if len(lengths) >= MAX_SHARED_STRINGS:  # with the one being measured, over the limit
                raise _too_much_shared(
                    T(
                        f"more than {MAX_SHARED_STRINGS:,} shared strings",
                        f"超过 {MAX_SHARED_STRINGS:,} 个共享字符串",
                    )
                )
            offset += max(cut, 0)
            carry = buf[max(cut, 0) :]
            total += len(chunk)
        if last >= 0:
            lengths.append(total - last)
        if sum(lengths) > MAX_SHARED_TEXT:
            raise _too_much_shared(
                T(
                    f"shared strings of more than {_mb(MAX_SHARED_TEXT)}",
                    f"超过 {_mb(MAX_SHARED_TEXT)} 的共享字符串",
                )
            )
    out.longest = max(out.lengths, default=0)
    if out.longest > MAX_SHARED_STRING:
        raise _too_much_shared(
            T(
                f"a shared string of {_mb(out.longest)} (a cell holds at most 32,767 characters)",
                f"大小为 {_mb(out.longest)} 的共享字符串（单元格最多容纳 32,767 个字符）",
            )
        )
    return out


def _too_much_shared(what: Text) -> RefusedError:
    return RefusedError(
        T(
            f"the workbook holds {what.en}, far more than a self-assessment",
            f"该工作簿包含{what.zh}，远超自评表所需",
        ),
        T(
            "copy the self-assessment's sheets into a new workbook, or delete unrelated data, and save again",
            "请将自评所需的工作表复制到新工作簿，或删除无关数据后重新保存",
        ),
    )


_MERGE_TAG = re.compile(rb"mergeCell[\s/>]")
_SHARED_TYPE = re.compile(rb"""t\s*=\s*["']s["']""")
_SHARED_CELL = re.compile(rb"""<c\s[^>]*?\bt\s*=\s*["']s["'][^>]*>\s*<v>\s*([0-9]{1,10})\s*</v>""")
_CARRY_LIMIT = 64 * 1024


class _Tally:
    """What a sheet makes calamine allocate beyond its cells, counted chunk by chunk as the part
    streams past: its merged ranges (at most :data:`MAX_MERGES`) and the shared-string text its
    cells copy (at most :data:`MAX_REFERENCED_TEXT`: calamine gives every cell its own copy, so
    one long string referenced by many cells multiplies)."""

    def __init__(self, sheet: str, shared: SharedStrings | None) -> None:
        self.sheet = sheet
        self.merges = 0
        self.tail = b""
        self.shared = shared if shared is not None and shared.lengths else None
        self.text = 0
        self.carry = b""

    def feed(self, chunk: bytes) -> None:
        # A merge tag is 10 bytes: one cut between chunks starts in the previous chunk's last 9
        # bytes, and none lies wholly within them, so nothing is counted twice or missed.
        buf = self.tail + chunk
        if b"mergeCell" in buf:
            self.merges += len(_MERGE_TAG.findall(buf))
            if self.merges > MAX_MERGES:
                raise self._too_many_merges()
        self.tail = buf[-9:]
        if self.shared is not None:
            buf = self.carry + chunk
            cut = buf.rfind(b"<c")
            if cut < 0 or len(buf) - cut > _CARRY_LIMIT:
                cut = buf.rfind(b"<")  # a cut at a "<" never splits a tag
            if cut < 0 or len(buf) - cut > _CARRY_LIMIT:
                # Long text (or a giant tag): carry a little, so a t="s" cut in two is still seen
                # (at worst counted twice, which only makes the bound larger).
                self._references(buf)
                self.carry = buf[-64:]
                return
            self._references(buf[:cut])
            self.carry = buf[cut:]

    def finish(self) -> None:
        if self.shared is not None:
            self._references(self.carry)
            self.carry = b""

    def _references(self, segment: bytes) -> None:
        shared = self.shared
        if shared is None or not (b"s'" in segment or b's"' in segment):
            return
        typed = len(_SHARED_TYPE.findall(segment))
        if not typed:
            return
        lengths = shared.lengths
        count = len(lengths)
        found = 0
        text = 0
        for index in _SHARED_CELL.findall(segment):
            i = int(index)
            text += lengths[i] if i < count else shared.longest
            found += 1
        # A t="s" this search could not pair with its index (another prefix, another layout) may
        # still be a shared-string cell: it counts as the longest string.
        self.text += text + max(0, typed - found) * shared.longest
        if self.text > MAX_REFERENCED_TEXT:
            raise RefusedError(
                T(
                    f"the sheet's cells repeat more than {_mb(MAX_REFERENCED_TEXT)} of shared text",
                    f"该工作表的单元格重复引用的共享文本超过 {_mb(MAX_REFERENCED_TEXT)}",
                ),
                T(
                    "keep long texts (evidence, comments) short or in separate documents, and save again",
                    "请精简较长的文字（佐证材料、备注），或将其放入单独的文件后重新保存",
                ),
                sheet=self.sheet,
            )

    def _too_many_merges(self) -> RefusedError:
        return RefusedError(
            T(
                f"the sheet has more than {MAX_MERGES:,} merged cell ranges",
                f"该工作表的合并单元格区域超过 {MAX_MERGES:,} 个",
            ),
            T(
                "unmerge the cells that need no merging (Home › Merge & Center) and save again",
                "请取消不必要的合并单元格（开始 › 合并后居中）后重新保存",
            ),
            sheet=self.sheet,
        )


def _has_error_type(xml: bytes) -> bool:
    """An error cell (``t="e"``) anywhere. The regular expression tries every ``t``; an ``e``
    followed by a quote, which any match contains, is looked for first by a plain byte search
    (four times faster, and rarely found in a sheet without errors)."""
    return (b'e"' in xml or b"e'" in xml) and _ERROR_TYPE.search(xml) is not None


FAST_SCAN_BYTES = 1024 * 1024
"""Sheets up to this size are bounded with a few byte searches instead of a full parse."""


def _quick_scan(xml: bytes, percent_styles: frozenset[int], max_rows: int) -> SheetScan | None:
    """Upper bounds of a small sheet's used rows and rectangle, from its raw bytes.

    Every ``r`` attribute anywhere counts as a position, and every row or cell element may
    advance the position by one, so the bounds hold whatever calamine makes of the XML.
    None when an ``r`` attribute is not a plain cell or row reference, or a bound is over a
    limit: the exact, slower scan then decides. The flags are on whenever they might be.
    """
    if b"\x00" in xml:  # UTF-16 or worse: the byte searches below would not see the markup
        return None
    refs = b",".join(_R_ATTRS.findall(xml))
    max_row = max_col = 0
    if refs:
        if _R_VALUES.fullmatch(refs) is None:
            return None
        max_row = max(map(int, _DIGITS.findall(refs)))
        letters = {x.upper() for x in _LETTERS.findall(refs)}
        if letters:
            max_col = column_index(max(letters, key=lambda x: (len(x), x)).decode("ascii")) + 1
    rows = max_row + xml.count(b"row")
    cols = max_col + xml.count(b"<c") + xml.count(b":c")
    if rows > max_rows or rows * cols > MAX_CELLS:
        return None
    return SheetScan(
        rows=rows,
        width=cols,
        height=rows,
        has_formula=(b"<f" in xml and _F_TAG.search(xml) is not None)
        or (b":f" in xml and _F_PREFIXED.search(xml) is not None),
        has_error=_has_error_type(xml),
        has_percent=bool(percent_styles),
    )


_C_TAG = re.compile(rb'<c(?:[ \t\r\n]+r="([A-Za-z]{1,3})([0-9]{1,7})"|[ \t\r\n>/])')
"""Every ``c`` start tag (XML whitespace is space, tab, CR and LF), with the column letters and
row of its reference when a plain ``r="A1"`` is its first attribute, else two empty groups."""
_PREFIXED_TAG = re.compile(rb"<[\w.-]+:(?:c|row|sheetData)[\s/>]")
_PREFIXED_HINT = re.compile(rb":(?:c|row|sheetData)[\s/>]")
"""What every match of :data:`_PREFIXED_TAG` contains; a fast search rules most sheets out."""
_FAR_VALUE = re.compile(
    rb'<c[ \t\r\n]+r="[A-Za-z]{1,3}([0-9]{6,7})"[^>]*>\s*(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?\s*<(?:v>[^<]|is>)'
)
_MAX_CARRY = 1024 * 1024


def _stream_scan(
    chunks: Iterator[bytes], percent_styles: frozenset[int], max_rows: int, sheet: str
) -> SheetScan | None:
    """Bounds of a large sheet from byte searches over its stream, when every cell carries its
    ``r`` reference (as Excel, LibreOffice and openpyxl write them): calamine then places each
    cell exactly there, so the rectangle of all references holds every value it will keep.

    Refuses at once a value that certainly stands beyond ``max_rows`` (a ``<c r="A100001">``
    with a ``<v>``). None when the sheet is written otherwise: the exact scan then decides.
    """
    max_row = 0
    letters: set[bytes] = set()
    formula = error = False
    carry = b""
    for chunk in _with_end(chunks):
        if chunk is None:
            segment, carry = carry, b""
        else:
            if b"\x00" in chunk:  # UTF-16 or worse: the byte searches would not see the markup
                return None
            buf = carry + chunk
            cut = buf.rfind(b"<")
            if cut < 0:
                cut = len(buf)
            segment, carry = buf[:cut], buf[cut:]
            if len(carry) > _MAX_CARRY:
                return None
        refs = _C_TAG.findall(segment)
        if _PREFIXED_HINT.search(segment) and _PREFIXED_TAG.search(segment):
            return None
        if refs:
            cols, rows = zip(*refs, strict=True)
            if b"" in cols:
                return None  # a cell without a plain r="A1" first: its position would need counting
            max_row = max(max_row, max(map(int, set(rows))))
            letters.update(cols)
            if max_row > max_rows:
                for m in _FAR_VALUE.finditer(segment):
                    if int(m.group(1)) > max_rows:
                        raise _too_many_rows(max_rows, int(m.group(1)), sheet)
        formula = formula or _F_TAG.search(segment) is not None
        error = error or _has_error_type(segment)
    max_col = 0
    if letters:
        widest = max({x.upper() for x in letters}, key=lambda x: (len(x), x))
        max_col = column_index(widest.decode("ascii")) + 1
    if max_row > max_rows or max_row * max_col > MAX_CELLS:
        return None
    return SheetScan(
        rows=max_row,
        width=max_col,
        height=max_row,
        has_formula=formula,
        has_error=error,
        has_percent=bool(percent_styles),
    )


def _with_end(chunks: Iterator[bytes]) -> Iterator[bytes | None]:
    yield from chunks
    yield None


def _counted(chunks: Generator[bytes, None, None], tally: _Tally) -> Generator[bytes, None, None]:
    """The chunks, each fed to ``tally`` first; ``tally`` is finished once the last has passed."""
    try:
        for chunk in chunks:
            tally.feed(chunk)
            yield chunk
        tally.finish()
    finally:
        chunks.close()


def scan_sheet(
    container: Container,
    part: str,
    sheet: str,
    *,
    percent_styles: frozenset[int] = frozenset(),
    columns: frozenset[int] | None = None,
    max_rows: int = MAX_ROWS,
    shared: SharedStrings | None = None,
) -> SheetScan:
    """Stream one worksheet part: enforce the row and area limits and, for ``columns``, collect
    formula cells without a cached value, error values and percent-formatted cells."""
    info = container.info(part)
    if info is None:
        raise _unreadable(f"the part {part} of sheet {sheet} is missing")
    if columns is None:
        if info.file_size <= FAST_SCAN_BYTES:
            xml = container.read(info)
            tally = _Tally(sheet, shared)
            tally.feed(xml)
            tally.finish()
            quick = _stream_scan(iter((xml,)), percent_styles, max_rows, sheet) or _quick_scan(
                xml, percent_styles, max_rows
            )
        else:
            stream = _counted(container.chunks(info), _Tally(sheet, shared))
            try:
                quick = _stream_scan(stream, percent_styles, max_rows, sheet)
            finally:
                stream.close()
        if quick is not None:
            return quick
    parser = _parser()
    scanner = _Scanner(parser, percent_styles, columns, max_rows, sheet)
    parser.StartElementHandler = scanner.start
    parser.EndElementHandler = scanner.end
    parser.buffer_text = True
    chunks = _counted(container.chunks(info), _Tally(sheet, shared))
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _StopScanError:
        if columns is None:
            # Calamine reads the rest of the part too: the whole of it must be sound.
            for _ in chunks:
                pass
    except expat.ExpatError as exc:
        raise _unreadable(f"sheet {sheet}: {exc}") from None
    finally:
        chunks.close()
    return scanner.finish()
