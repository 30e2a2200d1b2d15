"""Write the self-assessment workbook that people fill in Excel, WPS or LibreOffice.

The layout is a contract with :mod:`vibbench.workbook.reader`: sheet names stay English
in every language (only their contents are translated), the ``Responses`` header is row
1, and the hidden ``_vibbench`` sheet records the rubric the workbook was made from.

The same rubric and language always give the same bytes: workbook dates are fixed and
the zip entries carry a fixed timestamp, so committed samples can be checked by hash.
"""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from vibbench import __version__
from vibbench.io import write_atomic
from vibbench.rubric.model import Indicator, Rubric
from vibbench.text import LANGS, T, Text

SHEETS = ("Instructions", "Institution", "Responses", "Levels", "_vibbench")
"""Sheet names, in order; English in every language so the reader finds them."""

COLUMNS = (
    "id",
    "pillar",
    "dimension",
    "indicator",
    "question",
    "answer",
    "unit",
    "evidence",
    "comment",
    "respondent",
)
"""The Responses columns, by role, in order (column A is ``id``)."""

HEADERS: dict[str, tuple[str, ...]] = {
    "en": COLUMNS,
    "zh": ("指标编号", "支柱", "维度", "指标", "问题", "回答", "单位", "佐证材料", "备注", "填报人"),
}
INPUT_COLUMNS = ("answer", "evidence", "comment", "respondent")
"""The Responses columns a respondent may edit; every other cell is locked."""

INSTITUTION_KEYS = (
    "name",
    "country",
    "type",
    "year",
    "contact",
    "date",
    "profile",
    "research_staff",
    "currency",
)
"""The Institution sheet's rows, in order (row 2 onwards); the v2 keys only when the rubric uses them."""
INSTITUTION_LABELS: dict[str, tuple[str, ...]] = {
    "en": INSTITUTION_KEYS,
    "zh": ("机构名称", "国家/地区", "类型", "年份", "联系人", "日期", "机构类别", "研发人员数", "币种"),
}


def institution_keys(rubric: Rubric) -> tuple[str, ...]:
    """The Institution rows a template of ``rubric`` has: profile only with profiles, research_staff
    only with ``per`` indicators, currency only with money."""
    keys = list(INSTITUTION_KEYS[:6])
    if rubric.profiles:
        keys.append("profile")
    if any(i.per == "research_staff" for i in rubric.indicators()):
        keys.append("research_staff")
    if rubric.money is not None:
        keys.append("currency")
    return tuple(keys)


def staff_cell(rubric: Rubric) -> str | None:
    """Where the template asks for research_staff (``Institution!B9``), if it does."""
    keys = institution_keys(rubric)
    return f"Institution!B{keys.index('research_staff') + 2}" if "research_staff" in keys else None


INSTITUTION_HEADER: dict[str, tuple[str, str]] = {"en": ("key", "value"), "zh": ("项目", "内容")}

YES_NO: dict[str, tuple[str, str]] = {"en": ("yes", "no"), "zh": ("是", "否")}
DASH = "–"
"""En dash between a level and its label in the dropdown: ``3 – Established``."""

FIXED_TIME = datetime(2026, 1, 1)
"""Creation/modification date written into every workbook, for reproducible bytes."""

_ZIP_TIME = (2026, 1, 1, 0, 0, 0)
_LIST_LIMIT = 255
"""Excel refuses an inline list-validation formula longer than this."""
_LABEL_MAX = 40
_UNBOUNDED = 1e15
"""Stands for "no limit" in a decimal validation, which needs both bounds."""

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_UNLOCKED = Protection(locked=False)

_RESPONSE_WIDTHS = {
    "id": 12,
    "pillar": 18,
    "dimension": 24,
    "indicator": 34,
    "question": 60,
    "answer": 24,
    "unit": 16,
    "evidence": 48,
    "comment": 30,
    "respondent": 16,
}
_LEVEL_HEADERS: dict[str, tuple[str, ...]] = {
    "en": ("id", "indicator", "level", "label", "descriptor", "dropdown entry"),
    "zh": ("指标编号", "指标", "等级", "标签", "描述", "下拉选项"),
}
_LEVEL_WIDTHS = (12, 34, 8, 22, 80, 44)


# --------------------------------------------------------------------------- public


def write_template(rubric: Rubric, output: Path, *, lang: str = "en") -> None:
    """Write the blank self-assessment workbook for ``rubric`` to ``output`` (atomically)."""
    write_atomic(Path(output), workbook_bytes(build_template(rubric, lang)))


def build_template(rubric: Rubric, lang: str = "en", *, copies: Mapping[str, int] | None = None) -> Workbook:
    """The blank workbook, still open, so a script can fill it in before saving.

    ``copies`` gives some indicators several rows (indicator id → rows), one per respondent
    of a group assessment; every other indicator has one row.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "vibbench"
    wb.properties.title = rubric.title.get(lang)
    instructions, institution, responses, levels, stamp = (wb.create_sheet(name) for name in SHEETS)
    _instructions(instructions, rubric, lang)
    _institution(institution, rubric, lang)
    entry_ranges = _levels(levels, rubric, lang)
    _responses(responses, rubric, lang, entry_ranges, copies or {})
    _stamp(stamp, rubric, lang)
    wb.active = SHEETS.index("Responses")
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """The workbook as xlsx bytes that depend on its contents only (no clock, no host)."""
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    # openpyxl's save_workbook() stamps the current time; its writer does not.
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def level_entries(rubric: Rubric, indicator: Indicator, lang: str) -> list[str]:
    """The dropdown entries of a level indicator: ``"n – label"`` for each level of the scale."""
    entries = []
    for level in range(rubric.scale.min, rubric.scale.max + 1):
        label = rubric.scale.labels.get(level) or indicator.levels.get(level) or Text(str(level))
        entries.append(f"{level} {DASH} {_shorten(label.get(lang))}")
    return entries


def unit_text(rubric: Rubric, indicator: Indicator, lang: str) -> str:
    """What the unit column says: the unit of a number, the scale of a level, yes/no."""
    if indicator.type == "level":
        return T(
            f"level {rubric.scale.min}–{rubric.scale.max}", f"等级 {rubric.scale.min}–{rubric.scale.max}"
        ).get(lang)
    if indicator.type == "boolean":
        return "/".join(YES_NO[lang])
    if indicator.percent:
        return "%"
    unit = indicator.unit.get(lang) if indicator.unit else ""
    if indicator.money:
        unit = T(
            f"{unit} (or with 元, 万元, 亿元, k, M: 500万元, 1.2亿元)",
            f"{unit}（也可带单位：500万元、1.2亿元、3,000,000元）",
        ).get(lang)
    if indicator.per == "research_staff":
        cell = staff_cell(rubric) or "Institution"
        unit = T(
            f"{unit}, annual total (scored per 100 R&D staff, {cell})",
            f"{unit}，年度总数（按每百名研发人员折算，见 {cell}）",
        ).get(lang)
    return unit


def answer_bounds(indicator: Indicator) -> tuple[float | None, float | None]:
    """The accepted answers of a number indicator (None: unbounded on that side).

    The rubric model already applies the defaults (``range`` absent: from 0, and up to 100
    for percentages), so this only reads them.
    """
    return indicator.range_min, indicator.range_max


def set_text(cell: Any, text: str) -> Any:
    """Store ``text`` in an existing ``cell`` as a string, never as a formula (see :func:`_put`)."""
    cell.value = text
    cell.data_type = "s"
    return cell


# --------------------------------------------------------------------------- sheets


def _put(ws: Worksheet, row: int, column: int, value: str | float | None) -> Cell:
    """Write a value; a text is always stored as text, never as a formula.

    openpyxl makes every string that starts with ``=`` a formula, so a rubric text such as
    ``=WEBSERVICE(...)`` or a DDE ``=cmd|...`` would run in the respondent's spreadsheet. Every
    cell this module writes goes through here.
    """
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        return set_text(cell, value)
    cell.value = value
    return cell


def _header(ws: Worksheet, names: tuple[str, ...] | list[str], widths: tuple[int, ...] | list[int]) -> None:
    for col, (name, width) in enumerate(zip(names, widths, strict=True), start=1):
        cell = _put(ws, 1, col, name)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"


def _protect(ws: Worksheet) -> None:
    # No password: the point is to stop accidental edits of ids and keys, not to lock
    # anyone out. Resizing columns and rows stays allowed.
    ws.protection = SheetProtection(sheet=True, formatColumns=False, formatRows=False, formatCells=False)


def _validation(
    kind: str, *, formula1: str, formula2: str | None = None, title: str, prompt: str, error: str
) -> Any:
    return DataValidation(
        type=kind,
        operator="between" if kind == "decimal" else None,
        formula1=formula1,
        formula2=formula2,
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        # A warning, not a stop: "N/A", "不适用", "1,200" or "35%" typed by hand are
        # answers the reader accepts, so Excel must let them through after asking.
        errorStyle="warning",
        promptTitle=title[:32],
        prompt=prompt[:255],
        errorTitle=title[:32],
        error=error[:255],
    )


_INSTRUCTIONS: tuple[tuple[Text, Text], ...] = (
    (
        T("Purpose", "用途"),
        T(
            "This workbook is a self-assessment of how far your institution is from the VIB model of "
            "industry–academia–research integration: rule design, resource coupling and project incubation. "
            "vibbench scores it (0–100 per indicator, dimension, pillar and overall), shows the gap to the "
            "reference institution and suggests what to reform first.",
            "本表用于自我评估贵机构与比利时弗拉芒生物技术研究院（VIB）产学研融合模式的差距，涵盖规则设计、资源耦合与项目孵化三大能力。"
            "vibbench 会为其打分（每个指标、维度、支柱及总体均为 0–100 分），给出与参照机构的差距，并建议优先推进的改革。",
        ),
    ),
    (
        T("How to answer", "如何填写"),
        T(
            "1. Fill in the Institution sheet (name, country, type, year assessed, contact, date).\n"
            "2. On the Responses sheet, answer each indicator in the yellow 'answer' column. Read the 'question' "
            "and the 'unit' columns first. Only the yellow columns (answer, evidence, comment, respondent) can "
            "be edited; do not change the ids.\n"
            "3. Level questions: pick an entry from the dropdown. The Levels sheet says what each level means "
            "for each indicator; choose the highest level whose description is fully true today.\n"
            "4. Save as .xlsx and run: vibbench score <this file>.xlsx",
            "1. 填写“Institution”工作表（机构名称、国家/地区、类型、评估年份、联系人、日期）。\n"
            "2. 在“Responses”工作表的黄色“回答”列中逐项作答。请先阅读“问题”与“单位”两列。只有黄色列（回答、佐证材料、备注、填报人）"
            "可以编辑，请勿修改指标编号。\n"
            "3. 等级型问题：从下拉列表中选择。“Levels”工作表列出了每个指标各等级的含义；请选择当前完全符合描述的最高等级。\n"
            "4. 保存为 .xlsx 后运行：vibbench score <本文件>.xlsx",
        ),
    ),
    (
        T("Not applicable or unknown", "不适用或不知道"),
        T(
            "Leave the answer blank, or write N/A (also n/a, NA, -, 不适用, 未知). Such an indicator counts as "
            "not answered: it is left out of the score and the weights of the answered ones are rescaled. "
            "Do not write 0 for 'unknown' — 0 is an answer and scores 0. When Excel warns that N/A is not in the "
            "list, keep it.",
            "不适用或不知道时请留空，或填写“不适用”（也可填 N/A、n/a、NA、-、未知）。该指标视为未作答：不计入得分，其余已答指标的权重将按比例重新分配。"
            "“不知道”时请不要填 0——0 是一个有效回答，得 0 分。若 Excel 提示该值不在列表中，请选择保留。",
        ),
    ),
    (
        T("Evidence", "佐证材料"),
        T(
            "In the 'evidence' column, name the document, web page, contract or figure that supports the "
            "answer (e.g. 'Board charter 2024, art. 5' or a link). A level of 3 or more without evidence is "
            "flagged as an unsupported claim in the report. Use 'comment' for anything else worth knowing.",
            "请在“佐证材料”列注明支撑该回答的文件、网页、合同或数据（例如“2024 年理事会章程第 5 条”或链接）。"
            "等级为 3 及以上却未填佐证材料的回答，会在报告中被标记为“缺少佐证”。其他需要说明的情况请写在“备注”列。",
        ),
    ),
    (
        T("Numbers, percentages, yes/no", "数值、百分比与是/否"),
        T(
            "Numbers: type the number in the unit shown (e.g. per 100 research staff, per year); '1,200' and "
            "'12' typed as text are read as numbers. Percentages (unit %): type 35 or 35% for 35 percent. "
            "Yes/no questions: pick yes or no (是/否 and true/false are also read). Answers outside the allowed "
            "range (e.g. a negative count, a percentage above 100) are refused when scoring.",
            "数值：按“单位”列所示口径填写（如每百名科研人员、每年）；以文本形式输入的“1,200”“12”也会按数字读取。"
            "百分比（单位 %）：35% 请填 35 或 35%。是/否题：选择“是”或“否”（yes/no、true/false 也可识别）。"
            "超出允许范围的回答（如负数计数、超过 100 的百分比）在打分时会被拒绝。",
        ),
    ),
    (
        T("Several respondents", "多人填报"),
        T(
            "For a group assessment, each person writes their name in 'respondent'. To give several answers to "
            "one indicator, unprotect the sheet (Review → Unprotect Sheet; there is no password), copy the "
            "indicator's row, and give each copy its own respondent. vibbench scores the median and reports "
            "disagreements of 2 levels or more.",
            "集体评估时，每位填报人在“填报人”列写上自己的姓名。若同一指标需要多人作答，请撤销工作表保护（审阅 → 撤销工作表保护；无密码），"
            "复制该指标所在行，并为每一行填写不同的填报人。vibbench 取各人回答的中位数计分，并提示相差 2 级及以上的分歧。",
        ),
    ),
    (
        T("Please do not", "请勿"),
        T(
            "rename the sheets, change the ids, or edit the hidden sheet _vibbench: it records the rubric "
            "version the workbook was made from, so vibbench can tell you when the rubric has changed since.",
            "重命名工作表、修改指标编号或编辑隐藏工作表 _vibbench：该表记录了生成本表时的评估框架版本，以便 vibbench 在框架更新后提示变化。",
        ),
    ),
)


def _instructions(ws: Worksheet, rubric: Rubric, lang: str) -> None:
    ws.column_dimensions["A"].width = 110
    title = T(" — self-assessment workbook", " — 自评表").get(lang)
    rows: list[tuple[str, Font | None]] = [
        (rubric.title.get(lang) + title, Font(bold=True, size=14)),
        (
            T(
                f"Rubric: {rubric.id}, version {rubric.version}. Reference institution: "
                f"{rubric.reference_name.get(lang)}.",
                f"评估框架：{rubric.id}，版本 {rubric.version}。参照机构：{rubric.reference_name.get(lang)}。",
            ).get(lang),
            None,
        ),
        ("", None),
    ]
    for heading, body in _INSTRUCTIONS[:2]:
        rows += [(heading.get(lang), _HEADER_FONT), (body.get(lang), None), ("", None)]
    rows.append((T("The level scale", "等级量表").get(lang), _HEADER_FONT))
    for level in range(rubric.scale.min, rubric.scale.max + 1):
        label = rubric.scale.labels.get(level)
        rows.append((f"{level} {DASH} {label.get(lang)}" if label else str(level), None))
    rows.append(
        (
            T(
                "Each level indicator describes its own levels on the Levels sheet.",
                "各等级型指标在“Levels”工作表中有各自的等级描述。",
            ).get(lang),
            None,
        )
    )
    rows.append(("", None))
    for heading, body in _INSTRUCTIONS[2:]:
        rows += [(heading.get(lang), _HEADER_FONT), (body.get(lang), None), ("", None)]
    for r, (text, font) in enumerate(rows, start=1):
        cell = _put(ws, r, 1, text or None)
        cell.alignment = _WRAP
        if font is not None:
            cell.font = font


_INSTITUTION_PROMPTS: dict[str, Text] = {
    "name": T("The institution's full name. Keep it the same every year.", "机构全称。各年度请保持一致。"),
    "country": T("Country or region, e.g. China, Belgium.", "国家或地区，如：中国、比利时。"),
    "type": T(
        "E.g. university TTO, new-type R&D institution, academy institute.",
        "如：高校技术转移机构、新型研发机构、科研院所。",
    ),
    "year": T("The year the answers describe, e.g. 2025.", "回答所反映的年份，如 2025。"),
    "contact": T("Who to ask about this assessment.", "本次评估的联系人。"),
    "date": T("When the workbook was filled in, e.g. 2025-06-30.", "填写日期，如 2025-06-30。"),
    "profile": T(
        "Pick the kind of institution: it decides which indicators apply.",
        "请选择机构类别：它决定哪些指标适用。",
    ),
    "research_staff": T(
        "R&D staff, full-time equivalent, of the assessed year, from your annual S&T statistics return. "
        "Raw totals in Responses are scored per 100 of them.",
        "评估年度的 R&D 人员全时当量，取自科技统计年报。回答表中的年度总数将按每百名研发人员折算。",
    ),
    "currency": T(
        "ISO code of the currency of money answers (default {cur}), e.g. CNY, EUR, USD.",
        "金额所用币种的代码（默认 {cur}），如 CNY、EUR、USD。",
    ),
}


def _institution(ws: Worksheet, rubric: Rubric, lang: str) -> None:
    _header(ws, INSTITUTION_HEADER[lang], (18, 60))
    labels = dict(zip(INSTITUTION_KEYS, INSTITUTION_LABELS[lang], strict=True))
    currency = rubric.money.currency if rubric.money else ""
    for r, key in enumerate(institution_keys(rubric), start=2):
        label = labels[key]
        _put(ws, r, 1, label).font = _HEADER_FONT
        value = ws.cell(row=r, column=2)
        value.protection = _UNLOCKED
        value.fill = _INPUT_FILL
        prompt = _INSTITUTION_PROMPTS[key].format(cur=currency).get(lang)
        if key == "profile":
            names = [p.name.get(lang) for p in rubric.profiles]
            dv = _choice(names, label, prompt)
        elif key == "currency":
            codes = [currency, *(rubric.money.rates if rubric.money else {})]
            dv = _choice(codes, label, prompt)
        elif key == "research_staff":
            error = T("A number above 0.", "请填写大于 0 的数。").get(lang)
            dv = _validation("decimal", formula1="0", title=label, prompt=prompt, error=error)
            dv.operator = "greaterThan"
        else:
            value.number_format = "@"  # text: a year stays "2025", a date stays as typed
            dv = DataValidation(type=None, showInputMessage=True, promptTitle=label[:32], prompt=prompt[:255])
        dv.add(value.coordinate)
        ws.add_data_validation(dv)
    _protect(ws)


def _choice(options: list[str], title: str, prompt: str) -> Any:
    """A dropdown of ``options`` (a warning, not a stop, for anything else typed)."""
    inline = '"' + ",".join(o.replace('"', "") for o in options) + '"'
    return _validation("list", formula1=inline[:_LIST_LIMIT], title=title, prompt=prompt, error=prompt)


def _levels(ws: Worksheet, rubric: Rubric, lang: str) -> dict[str, str]:
    """Every level descriptor; returns indicator id → absolute range of its dropdown entries."""
    _header(ws, _LEVEL_HEADERS[lang], _LEVEL_WIDTHS)
    ranges: dict[str, str] = {}
    row = 2
    for ind in rubric.indicators():
        if ind.type != "level":
            continue
        first = row
        for level, entry in enumerate(level_entries(rubric, ind, lang), start=rubric.scale.min):
            label = rubric.scale.labels.get(level)
            descriptor = ind.levels.get(level)
            values: tuple[str | int, ...] = (
                ind.id,
                ind.name.get(lang),
                level,
                label.get(lang) if label else "",
                descriptor.get(lang) if descriptor else "",
                entry,
            )
            for col, value in enumerate(values, start=1):
                _put(ws, row, col, value).alignment = _WRAP
            row += 1
        ranges[ind.id] = f"{ws.title}!$F${first}:$F${row - 1}"
    _protect(ws)
    return ranges


def _responses(
    ws: Worksheet, rubric: Rubric, lang: str, entry_ranges: dict[str, str], copies: Mapping[str, int]
) -> None:
    _header(ws, HEADERS[lang], tuple(_RESPONSE_WIDTHS[c] for c in COLUMNS))
    col = {name: i for i, name in enumerate(COLUMNS, start=1)}
    pillars = {p.id: p for p in rubric.pillars}
    dimensions = {d.id: d for d in rubric.dimensions()}
    # Cells that share a validation share one <dataValidation> element: a smaller file.
    groups: dict[tuple[str, str, str | None, str, str, str], list[str]] = defaultdict(list)
    rows = (ind for ind in rubric.indicators() for _ in range(max(1, copies.get(ind.id, 1))))
    for row, ind in enumerate(rows, start=2):
        values = {
            "id": ind.id,
            "pillar": pillars[ind.pillar].name.get(lang),
            "dimension": dimensions[ind.dimension].name.get(lang),
            "indicator": ind.name.get(lang),
            "question": ind.question.get(lang),
            "unit": unit_text(rubric, ind, lang),
        }
        for name, value in values.items():
            _put(ws, row, col[name], value).alignment = _WRAP if name != "id" else _TOP
        for name in INPUT_COLUMNS:
            cell = ws.cell(row=row, column=col[name])
            cell.protection = _UNLOCKED
            cell.alignment = _WRAP
            if name == "answer":
                cell.fill = _INPUT_FILL
        groups[_answer_validation(rubric, ind, lang, entry_ranges)].append(
            f"{get_column_letter(col['answer'])}{row}"
        )
    for (kind, formula1, formula2, title, prompt, error), cells in groups.items():
        dv = _validation(kind, formula1=formula1, formula2=formula2, title=title, prompt=prompt, error=error)
        for cell_ref in cells:
            dv.add(cell_ref)
        ws.add_data_validation(dv)
    _protect(ws)


def _answer_validation(
    rubric: Rubric, ind: Indicator, lang: str, entry_ranges: dict[str, str]
) -> tuple[str, str, str | None, str, str, str]:
    """(kind, formula1, formula2, title, prompt, error) of an indicator's answer cell."""
    if ind.type == "level":
        entries = level_entries(rubric, ind, lang)
        inline = '"' + ",".join(entries) + '"'
        # An entry with a comma or a quote cannot stand in an inline list; a long list does not fit.
        fits = len(inline) <= _LIST_LIMIT and not any("," in e or '"' in e for e in entries)
        formula = inline if fits else entry_ranges[ind.id]
        lo, hi = rubric.scale.min, rubric.scale.max
        return (
            "list",
            formula,
            None,
            T(f"Level {lo}–{hi}", f"等级 {lo}–{hi}").get(lang),
            T(
                "Pick a level from the list; the Levels sheet says what each level means for this indicator. "
                "Blank or N/A = not answered.",
                "请从列表中选择等级；各等级对本指标的含义见“Levels”工作表。留空或填“不适用”表示未作答。",
            ).get(lang),
            T(
                f"Choose an entry of the list (a level from {lo} to {hi}), or N/A.",
                f"请从列表中选择（{lo} 至 {hi} 级），或填“不适用”。",
            ).get(lang),
        )
    if ind.type == "boolean":
        yes, no = YES_NO[lang]
        return (
            "list",
            f'"{yes},{no}"',
            None,
            T("Yes or no", "是或否").get(lang),
            T(
                f"Pick {yes} or {no}. Blank or N/A = not answered.",
                f"请选择“{yes}”或“{no}”。留空或填“不适用”表示未作答。",
            ).get(lang),
            T(f"Answer {yes} or {no}, or N/A.", f"请回答“{yes}”或“{no}”，或填“不适用”。").get(lang),
        )
    low, high = answer_bounds(ind)
    unit = unit_text(rubric, ind, lang)
    if low is not None and high is not None:
        allowed = T(f"a number from {low:g} to {high:g}", f"{low:g} 至 {high:g} 之间的数").get(lang)
    elif low is not None:
        allowed = T(f"a number ≥ {low:g}", f"不小于 {low:g} 的数").get(lang)
    elif high is not None:
        allowed = T(f"a number ≤ {high:g}", f"不大于 {high:g} 的数").get(lang)
    else:
        allowed = T("a number", "数值").get(lang)
    in_unit = T(f" in {unit}", f"，单位：{unit}").get(lang) if unit else ""
    extra = (
        T(" Type 35 or 35% for 35 percent.", "35% 请填 35 或 35%。").get(lang)
        if ind.percent
        else T(" Blank or N/A = not answered.", "留空或填“不适用”表示未作答。").get(lang)
    )
    return (
        "decimal",
        # A decimal validation needs both bounds: a huge one stands for "none".
        _number(low if low is not None else -_UNBOUNDED),
        _number(high if high is not None else _UNBOUNDED),
        T("Number", "数值").get(lang) + (f" ({unit})" if unit else ""),
        T(f"Enter {allowed}{in_unit}.", f"请填写{allowed}{in_unit}。").get(lang) + extra,
        T(f"Expected {allowed}{in_unit}, or N/A.", f"应为{allowed}{in_unit}，或填“不适用”。").get(lang),
    )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e16 else repr(float(value))


def _stamp(ws: Worksheet, rubric: Rubric, lang: str) -> None:
    rows: list[tuple[str, str]] = [
        ("rubric_id", rubric.id),
        ("rubric_version", rubric.version),
        ("rubric_hash", rubric.content_hash),
        ("lang", lang),
        ("vibbench_version", __version__),
    ]
    rows += [(f"fingerprint:{ind.id}", ind.fingerprint) for ind in rubric.indicators()]
    for r, (key, value) in enumerate(rows, start=1):
        _put(ws, r, 1, key)
        _put(ws, r, 2, value).number_format = "@"
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 70
    ws.sheet_state = "hidden"
    _protect(ws)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _LABEL_MAX else text[: _LABEL_MAX - 1].rstrip() + "…"
