"""What a file is: present, a regular file, not too large, and, when it is not a zip, what it
is instead (legacy .xls, an encrypted workbook, a CSV renamed, a PDF, ...), so the message can
say so."""

from __future__ import annotations

import hashlib
import os
import stat

from vibbench.text import T, Text
from vibbench.workbook.limits import MAX_FILE_BYTES, RefusedError, mb

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
"""How a zip archive (an xlsx) starts: a part, an empty archive's end, a spanned archive's marker."""


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


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
            f"the file is {mb(size)}; workbooks over {mb(MAX_FILE_BYTES)} are refused",
            f"文件大小为 {mb(size)}；超过 {mb(MAX_FILE_BYTES)} 的自评表不予读取",
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
