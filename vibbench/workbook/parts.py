"""The small XML parts of a workbook, found through its relationships as calamine finds them:
which part holds each sheet, which cell formats show a percentage, and how large the
shared-strings table is (measured before calamine loads it)."""

from __future__ import annotations

import itertools
import re
from array import array
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from vibbench.text import T, Text
from vibbench.workbook.container import Container
from vibbench.workbook.limits import (
    MAX_SHARED_STRING,
    MAX_SHARED_STRINGS,
    MAX_SHARED_TEXT,
    MAX_SHEETS,
    RefusedError,
    crafted,
    mb,
    unreadable,
)

_BUILTIN_PERCENT_FORMATS = frozenset({9, 10})


def xml_parser() -> Any:
    parser = expat.ParserCreate()

    def no_dtd(*_: Any) -> None:
        raise crafted("an XML part declares a document type")

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    return parser


def local_name(name: str) -> str:
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
        raise unreadable("xl/_rels/workbook.xml.rels is missing")
    targets: dict[str, str] = {}
    sheets: list[tuple[str, str]] = []

    def on_rel(name: str, attrs: dict[str, str]) -> None:
        if local_name(name) == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")
            kind = attrs.get("Type", "").rpartition("/")[2]
            if kind == "sharedStrings":
                container.shared_targets.append(_xl_path(attrs.get("Target", "")))
            elif kind == "styles":
                container.styles_targets.append(_xl_path(attrs.get("Target", "")))

    def on_sheet(name: str, attrs: dict[str, str]) -> None:
        if local_name(name) == "sheet":
            # r:id, whatever the prefix the relationships namespace is given
            rid = next((v for k, v in attrs.items() if k.endswith(":id")), None)
            sheets.append((attrs.get("name", ""), "" if rid is None else targets.get(rid, "")))

    for info, handler in ((rels_info, on_rel), (book_info, on_sheet)):
        raw = container.read(info)
        if info is rels_info and b"&" in raw:
            # Calamine takes relationship targets as written, without decoding references:
            # the scan must look at the very part calamine will load.
            raise unreadable(f"{info.filename} names its parts with escaped characters")
        parser = xml_parser()
        parser.StartElementHandler = handler
        try:
            parser.Parse(raw, True)
        except expat.ExpatError as exc:
            raise unreadable(f"{info.filename}: {exc}") from None
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
            raise crafted(f"sheets {owner[path.lower()][:40]!r} and {name[:40]!r} share the part {path}")
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
        local = local_name(name)
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
        if local_name(name) in ("numFmts", "cellXfs"):
            where = ""

    parser = xml_parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(raw, True)
    except expat.ExpatError as exc:
        raise unreadable(f"{info.filename}: {exc}") from None
    return frozenset(found)


_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def _is_percent_code(code: str) -> bool:
    """True when a number format multiplies by 100 (a ``%`` outside quotes, escapes and brackets)."""
    return "%" in _QUOTED.sub("", code)


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
                    f"shared strings of more than {mb(MAX_SHARED_TEXT)}",
                    f"超过 {mb(MAX_SHARED_TEXT)} 的共享字符串",
                )
            )
    out.longest = max(out.lengths, default=0)
    if out.longest > MAX_SHARED_STRING:
        raise _too_much_shared(
            T(
                f"a shared string of {mb(out.longest)} (a cell holds at most 32,767 characters)",
                f"大小为 {mb(out.longest)} 的共享字符串（单元格最多容纳 32,767 个字符）",
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
