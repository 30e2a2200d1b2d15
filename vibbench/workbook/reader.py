"""Read a filled-in self-assessment workbook (SPEC §2) into an :class:`Assessment`.

Values come from calamine (fast, Rust); what calamine does not say — which cells hold a
formula without a cached value, an error value or a percent number format — comes from a
streaming pass over the sheet's XML that :mod:`vibbench.workbook.sheetscan` makes anyway to
enforce the size limits before calamine allocates anything. openpyxl is never imported.

Every problem of a workbook is collected and raised together as one :class:`WorkbookError`;
no other exception escapes, whatever the bytes of the file.

Decisions where SPEC §2 is silent:

* A row whose id the rubric does not know is an error only when it holds an answer: an
  unanswered row (a section heading, a row from a newer template) changes nothing.
* A repeated (id, respondent) pair is an error only when both rows hold an answer;
  respondents are compared without regard to case.
* A level may also be typed as ``3.0``; a percentage typed as text (``"35%"``) is accepted
  only for percent indicators; full-width digits and signs (``３５％``) read as ASCII.
* An id typed once in cells merged down over several rows (a group assessment laid out
  with one row per respondent) counts for every row of the merge.
* A header cell may name its column in both languages (``Answer / 回答``); a yes/no answer
  may carry a label after a dash (``yes – 是``) like a level does.
* The stamp sheet ``_vibbench`` is read when it is present and well formed; otherwise the
  stamp is ``None``, never an error.
* Control characters (escape sequences, carriage returns, bidirectional overrides) are
  dropped from every text cell: nothing read may drive the terminal it is printed on.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from vibbench.errors import Problem, ProblemList, VibbenchError, Where, WorkbookError
from vibbench.rubric.model import Indicator, Money, Rubric, Scale
from vibbench.text import CONTROLS, T, Text
from vibbench.workbook import limits, natural
from vibbench.workbook.container import open_zip
from vibbench.workbook.model import Answer, Assessment, Notice, RubricStamp
from vibbench.workbook.parts import percent_styles, shared_strings, sheet_parts
from vibbench.workbook.sheetscan import SheetScan, scan_sheet
from vibbench.workbook.sniff import ZIP_MAGICS, identify_non_zip, read_file, sha256

__all__ = ["read_assessment", "safe_name"]

RESPONSES_SHEETS = ("responses", "回答", "答卷")
INSTITUTION_SHEETS = ("institution", "机构")
STAMP_SHEET = "_vibbench"
HEADER_ROWS = 20
"""The header row is looked for among this many rows at the top of the sheet."""
HEADER_SHEETS = 50
"""Without a sheet named Responses, the header is looked for in this many sheets at most."""

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "indicator_id", "indicator id", "指标编号", "编号"),
    "answer": ("answer", "value", "response", "回答", "答案", "得分", "数值"),
    "respondent": ("respondent", "答题人", "填报人"),
    "evidence": ("evidence", "证据", "佐证材料"),
    "comment": ("comment", "备注", "说明"),
}
NOT_ANSWERED = frozenset({"", "-", "–", "—", "未知", "unknown", "不知道"})
NOT_APPLICABLE = frozenset({"n/a", "na", "不适用"})
""""Not applicable": left out where the indicator is ``optional``, else unanswered with a warning."""
INSTITUTION_KEYS: dict[str, str] = {
    "name": "name",
    "机构名称": "name",
    "country": "country",
    "国家/地区": "country",
    "type": "type",
    "类型": "type",
    "year": "year",
    "年份": "year",
    "contact": "contact",
    "联系人": "contact",
    "date": "date",
    "日期": "date",
    "profile": "profile",
    "机构类别": "profile",
    "research_staff": "research_staff",
    "research staff": "research_staff",
    "科研人员数": "research_staff",
    "研发人员数": "research_staff",
    "currency": "currency",
    "币种": "currency",
}
INSTITUTION_FIELDS = ("name", "country", "type", "year", "contact", "date")
"""The text fields of the Institution sheet (v2 adds profile, research_staff and currency)."""

_SPACE = re.compile(r"\s+")
_HEADER_SPLIT = re.compile(r"[/|()（）\n]")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_DASHES = "-–—‐‑−"
_LABEL = re.compile(rf"([+-]?\d+(?:\.\d+)?)\s*(?:[{_DASHES}]\s*.*)?", re.DOTALL)
_TOKEN_LABEL = re.compile(rf"(\S+?)\s*[{_DASHES}]\s*\S.*", re.DOTALL)
_NO_SCALE = Scale(0, 4, {})
SMALL_FILE = 2 * 1024 * 1024
"""Files up to this size are handed to calamine as the bytes already read and checked."""
_PLAIN_SHEET = re.compile(r"[\w.]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_NAME_CONTROLS: dict[int, str | None] = {**CONTROLS, ord("\n"): " ", ord("\t"): " "}
"""For a file's path and name: :data:`CONTROLS`, and line breaks and tabs too (a name is one line)."""

_FIX_RESAVE = T(
    "open it in Excel, WPS or LibreOffice and save it again as an Excel workbook (.xlsx)",
    "请用 Excel、WPS 或 LibreOffice 打开并重新另存为 Excel 工作簿（.xlsx）",
)


def _norm(text: str) -> str:
    """Full-width forms to ASCII, invisible characters removed, outer whitespace trimmed."""
    if text.isascii():
        return text.strip()
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE).strip()


def _header_key(text: str) -> str:
    key = _SPACE.sub(" ", _norm(text).casefold().replace("_", " ")).rstrip(":*").strip()
    return key


_ALIAS_ROLE: dict[str, str] = {_header_key(a): role for role, names in COLUMN_ALIASES.items() for a in names}


# --------------------------------------------------------------------------- public


def read_assessment(path: str | os.PathLike[str], rubric: Rubric) -> Assessment:
    """Read the workbook at ``path`` against ``rubric``.

    Raises :class:`WorkbookError` listing every problem found (never any other exception):
    each names the file and, when known, the sheet and cell (``a.xlsx:Responses!E14``).
    """
    real = os.fsdecode(path)
    shown = safe_name(real)
    try:
        return _Reader(real, shown, rubric).read()
    except limits.RefusedError as refused:
        where = Where(shown) if refused.sheet is None else Where(shown, sheet=_sheet_ref(refused.sheet))
        raise WorkbookError.one(where, refused.what, refused.fix) from None
    except MemoryError:
        raise WorkbookError.one(
            Where(shown),
            T("the workbook is too large to read in the memory available", "工作簿过大，可用内存不足以读取"),
            T("remove unrelated sheets and data, then save again", "请删除无关的工作表和数据后重新保存"),
        ) from None


def _from_calamine(exc: BaseException) -> bool:
    """True for what python-calamine raises on bytes it cannot read: its CalamineError family
    (XmlError, ZipError, ...), the zip, decoding and I/O errors it lets through, and a Rust panic, which
    pyo3 raises as ``PanicException`` (a BaseException subclass that cannot be imported by name).
    Anything else is a bug of vibbench and is left to surface as one."""
    from python_calamine import CalamineError

    if isinstance(exc, CalamineError | zipfile.BadZipFile | UnicodeError | EOFError | OSError):
        return True
    return type(exc).__name__ == "PanicException"


@dataclass(frozen=True)
class RawRow:
    """One Responses row as found, not checked against any rubric (``template --prefill``)."""

    indicator: str
    answer: Any
    respondent: Any
    evidence: Any
    comment: Any


@dataclass(frozen=True)
class RawWorkbook:
    """What a filled workbook holds, as found: the Institution sheet's known keys and the Responses rows."""

    institution: dict[str, Any]
    rows: tuple[RawRow, ...]


def read_raw(path: str | os.PathLike[str]) -> RawWorkbook:
    """The Institution values and Responses rows of a workbook made from any rubric version, with
    the same safety checks as :func:`read_assessment` but no answer checked (``template --prefill``)."""
    real = os.fsdecode(path)
    shown = safe_name(real)
    empty = Rubric(1, "-", "-", Text("-"), Text("-"), "", _NO_SCALE, (), {}, (), ())
    try:
        return _Reader(real, shown, empty).raw()
    except limits.RefusedError as refused:
        where = Where(shown) if refused.sheet is None else Where(shown, sheet=_sheet_ref(refused.sheet))
        raise WorkbookError.one(where, refused.what, refused.fix) from None


# --------------------------------------------------------------------------- helpers


def safe_name(text: str) -> str:
    """A path or file name fit to print on one line: no escape sequences, carriage returns,
    bidirectional overrides, line breaks or tabs (a file named ``\x1b]0;pwned\x07`` would set
    the terminal's title; one with a line break could forge a line of output)."""
    return text if text.isprintable() else text.translate(_NAME_CONTROLS)


def _sheet_ref(name: str) -> str:
    """A sheet name as Excel writes it in a reference: quoted when it has spaces or punctuation."""
    return name if _PLAIN_SHEET.fullmatch(name) else "'" + name.replace("'", "''") + "'"


def _col_letters(index: int) -> str:
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _cell_name(row: int, col: int) -> str:
    return f"{_col_letters(col)}{row + 1}"


def _fmt_number(value: float) -> str:
    if math.isfinite(value) and value == int(value) and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _display(value: Any) -> str:
    """A cell's content as text, the way a person would read it."""
    if isinstance(value, str):
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return _fmt_number(float(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value).strip()


def _is_blank(value: Any) -> bool:
    if value is None or value == "":
        return True
    return isinstance(value, str) and not (value.strip() if value.isascii() else _norm(value))


def _at(values: list[Any], i: int) -> Any:
    """The i-th value of a row, None beyond its ends (a column left of the used area is -1 or less)."""
    return values[i] if 0 <= i < len(values) else None


def _without_controls(values: list[Any]) -> list[Any]:
    """The row with :data:`vibbench.text.CONTROLS` removed from its texts: whatever a workbook
    holds, nothing read from it can move the cursor or colour the terminal it is printed on."""
    for v in values:
        if type(v) is str and not v.isprintable():
            return [x.translate(CONTROLS) if type(x) is str else x for x in values]
    return values


def _text_at(values: list[Any], i: int) -> str:
    """The i-th value of a row as text; empty beyond its ends."""
    if not 0 <= i < len(values):
        return ""
    value = values[i]
    return value.strip() if type(value) is str else _display(value)


def _quote(value: Any) -> str:
    text = _display(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"'{text}'" if isinstance(value, str) else text


@dataclass(frozen=True)
class _Bad:
    """Why an answer cannot be accepted: what was found (what is allowed comes from the indicator)."""

    found: Text


# --------------------------------------------------------------------------- answers


def _allowed(ind: Indicator, rubric: Rubric) -> Text:
    """What the reader accepts for ``ind``, with its unit (SPEC §2: errors show the accepted forms)."""
    if ind.type == "level":
        lo, hi = rubric.scale.min, rubric.scale.max
        label = rubric.scale.labels.get(hi)
        en_label = f", its label alone ({label.get('en')})" if label else ""
        zh_label = f"、等级名称（如“{label.get('zh')}”）" if label else ""
        return T(
            f"enter a whole number from {lo} to {hi} ({hi}, {hi}级, L{hi}{en_label}), or pick a label such as "
            f"'{hi} – …' from the dropdown",
            f"请填写 {lo} 至 {hi} 的整数（如 {hi}、{hi}级、L{hi}{zh_label}），或从下拉列表中选择如“{hi} – …”的选项",
        )
    if ind.type == "boolean":
        return T(
            "enter yes or no (also true/false, 是/否, 有/无, √/×, Y/N, 1/0)",
            "请填写“是”或“否”（也可填 有/无、√/×、yes/no、Y/N、1/0）",
        )
    low, high = ind.range_min, ind.range_max
    if low is None and high is None:
        span_en, span_zh = "a number", "数值"
    elif high is None:
        span_en, span_zh = f"a number ≥ {_fmt_number(low or 0.0)}", f"不小于 {_fmt_number(low or 0.0)} 的数"
    elif low is None:
        span_en, span_zh = f"a number ≤ {_fmt_number(high)}", f"不大于 {_fmt_number(high)} 的数"
    else:
        span_en = f"a number from {_fmt_number(low)} to {_fmt_number(high)}"
        span_zh = f"介于 {_fmt_number(low)} 至 {_fmt_number(high)} 之间的数"
    named_en = named_zh = ""
    if ind.named:
        named_en = "; or one of: " + ", ".join(n.label.get("en") for n in ind.named)
        named_zh = "；或填写：" + "、".join(n.label.get("zh") for n in ind.named)
    if ind.percent:
        return T(
            f"enter {span_en} (a percentage: 35 or 35% for 35 percent){named_en}",
            f"请填写{span_zh}（百分比：35% 填 35 或 35%）{named_zh}",
        )
    if ind.money and rubric.money is not None:
        unit = rubric.money.unit
        return T(
            f"enter {span_en} in {unit.get('en')}, e.g. 500, or with its unit: 500万元, 1.2亿元, 3,000,000元, 250k, "
            f"1.5M{named_en}",
            f"请填写{span_zh}，单位为{unit.get('zh')}，如 500；也可带单位填写：500万元、1.2亿元、3,000,000元{named_zh}",
        )
    unit_en = f" in {ind.unit.get('en')}" if ind.unit else ""
    unit_zh = f"，单位为{ind.unit.get('zh')}" if ind.unit else ""
    what = T("a raw annual total, ", "年度总数，") if ind.per else T("", "")
    return T(
        f"enter {what.en}{span_en}{unit_en}, e.g. 12 or 1,200{named_en}",
        f"请填写{what.zh}{span_zh}{unit_zh}，例如 12 或 1,200{named_zh}",
    )


def _number_text(text: str) -> float | None:
    """``"12"``, ``"1,200"``, ``"-3.5"``, ``"1e3"`` as a finite number; anything else None."""
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    elif not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def _kind_of(value: Any) -> Text:
    """What a non-text, non-number cell holds, for messages."""
    if isinstance(value, bool):
        return T(f"the logical value {_display(value)}", f"逻辑值 {_display(value)}")
    if isinstance(value, dt.datetime | dt.date):
        return T(f"a date ({_display(value)})", f"日期（{_display(value)}）")
    if isinstance(value, dt.time | dt.timedelta):
        return T(f"a time ({_display(value)})", f"时间（{_display(value)}）")
    return T(f"{_quote(value)}", f"{_quote(value)}")


def _parse_answer(
    value: Any, ind: Indicator, rubric: Rubric, percent_cell: bool, currency: str | None = None
) -> float | _Bad:
    """The answer as a number, or why it cannot be one. ``value`` is not blank/N/A.

    ``currency``: the workbook's currency for money answers (None: the rubric's)."""
    if ind.type == "boolean":
        return _parse_boolean(value)
    if ind.type == "level":
        return _parse_level(value, rubric)
    if ind.money and rubric.money is not None:
        return _parse_money(value, ind, rubric.money, currency or rubric.money.currency)
    return _parse_number(value, ind, percent_cell)


def _level_labels(rubric: Rubric) -> dict[str, int | None]:
    """Each scale label (en and zh, case-folded) → its level; None where a label names two levels."""
    out: dict[str, int | None] = {}
    for level, text in rubric.scale.labels.items():
        for lang in ("en", "zh"):
            key = _norm(text.get(lang)).casefold()
            if key:
                out[key] = level if out.get(key, level) == level else None
    return out


def _parse_money(value: Any, ind: Indicator, money: Money, currency: str) -> float | _Bad:
    """A money answer in the rubric's money unit (SPEC §2): a bare number is in the rubric's unit of
    the workbook's currency; a suffix (元, 万元, 亿元, k, M …) states the amount outright; then the
    rate converts it to the rubric's currency."""
    amount: natural.Amount | None = None
    if isinstance(value, str) and not isinstance(value, bool):
        text = _norm(value)
        amount = natural.money_amount(text)
        if amount is None and text.endswith(tuple(money.unit.get(lang) for lang in ("en", "zh"))):
            for lang in ("zh", "en"):
                unit = money.unit.get(lang)
                if text.endswith(unit) and (n := _number_text(text[: -len(unit)].strip())) is not None:
                    amount = natural.Amount(n * money.factor, money.currency == "CNY" and lang == "zh")
                    break
    if amount is None:
        number = _parse_number(value, ind, False)
        if isinstance(number, _Bad) or ind.named_label(number) is not None:
            return number
        amount = natural.Amount(number * money.factor, False)
    source = "CNY" if amount.yuan else currency
    rate = money.rate(source)
    if rate is None:
        return _Bad(
            T(
                f"{_quote(value)}, an amount in {source}, which rubric has no rate for",
                f"{_quote(value)}，是以 {source} 计的金额，评估框架没有其汇率",
            )
        )
    converted = amount.amount * rate / money.factor
    return _in_range(converted, ind, value)


def _parse_boolean(value: Any) -> float | _Bad:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        if value in (0, 1):
            return float(value)
        return _Bad(T(f"the number {_display(value)}", f"数字 {_display(value)}"))
    if isinstance(value, str):
        text = _norm(value).casefold()
        found = natural.boolean_value(text)
        if found is not None:
            return found
        m = _TOKEN_LABEL.fullmatch(text)
        if m and (found := natural.boolean_value(m.group(1))) is not None:
            return found
    return _Bad(_kind_of(value))


def _parse_level(value: Any, rubric: Rubric) -> float | _Bad:
    lo, hi = rubric.scale.min, rubric.scale.max
    number: float | None = None
    if isinstance(value, bool):
        return _Bad(_kind_of(value))
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = _norm(value)
        m = _LABEL.fullmatch(text)
        number = float(m.group(1)) if m else _number_text(text)
        if number is None:
            level = natural.level_number(text)
            if level is None:
                level = _level_labels(rubric).get(text.casefold())
            number = None if level is None else float(level)
    if number is None or not math.isfinite(number):
        return _Bad(_kind_of(value))
    if number != int(number):
        return _Bad(
            T(f"{_quote(value)}, which is not a whole level", f"{_quote(value)}，不是整数等级"),
        )
    if not lo <= number <= hi:
        return _Bad(
            T(
                f"level {_fmt_number(number)}, outside the scale {lo}–{hi}",
                f"等级 {_fmt_number(number)}，超出量表 {lo}–{hi}",
            ),
        )
    return number


def _parse_number(value: Any, ind: Indicator, percent_cell: bool) -> float | _Bad:
    number: float | None = None
    if isinstance(value, bool):
        return _Bad(_kind_of(value))
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            return _Bad(_kind_of(value))
        if percent_cell and ind.percent:
            number = round(number * 100, 10)
    elif isinstance(value, str):
        text = _norm(value)
        if text.endswith("%") and _number_text(text[:-1].rstrip()) is not None:
            number = _number_text(text[:-1].rstrip())
            if not ind.percent:
                return _Bad(
                    T(
                        f"{_quote(value)}, a percentage, but {ind.id} is not measured in percent",
                        f"{_quote(value)}，是百分比，但 {ind.id} 不以百分比计量",
                    )
                )
        else:
            number = _number_text(text)
        if number is None:
            number = _named(text, ind)
        if number is None:
            units = tuple(ind.unit.get(lang) for lang in ("en", "zh")) if ind.unit else ()
            number = natural.number_with_unit(text, units)
    if number is None:
        return _Bad(_kind_of(value))
    return _in_range(number, ind, value)


def _named(text: str, ind: Indicator) -> float | None:
    """The value of a ``named`` answer typed by its label (en or zh, any case)."""
    key = text.casefold()
    for n in ind.named:
        if key in (_norm(n.label.get("en")).casefold(), _norm(n.label.get("zh")).casefold()):
            return n.value
    return None


def _in_range(number: float, ind: Indicator, value: Any) -> float | _Bad:
    """The rubric's ``range``, defaults filled by the loader (from 0; up to 100 for percentages);
    None = unbounded. Named answers are accepted whatever the range."""
    if ind.named_label(number) is not None:
        return number
    lo, hi = ind.range_min, ind.range_max
    if lo is not None and number < lo:
        return _Bad(
            T(
                f"{_fmt_number(number)}, below the minimum {_fmt_number(lo)}",
                f"{_fmt_number(number)}，低于下限 {_fmt_number(lo)}",
            )
        )
    if hi is not None and number > hi:
        return _Bad(
            T(
                f"{_fmt_number(number)}, above the maximum {_fmt_number(hi)}",
                f"{_fmt_number(number)}，高于上限 {_fmt_number(hi)}",
            )
        )
    return number


def _kind_name(ind: Indicator) -> Text:
    if ind.type == "level":
        return T("a level indicator", "等级型指标")
    if ind.type == "boolean":
        return T("a yes/no indicator", "是/否型指标")
    if ind.percent:
        return T("a percentage indicator", "百分比指标")
    return T("a number indicator", "数值型指标")


# --------------------------------------------------------------------------- the reader


class _Reader:
    def __init__(self, real: str, shown: str, rubric: Rubric) -> None:
        self.real = real
        """The path as given, to open the file."""
        self.shown = shown
        """The path as printed and written (:func:`safe_name`)."""
        self.rubric = rubric
        self.problems = ProblemList()
        self.notices: list[Notice] = []
        self.not_applicable: set[str] = set()
        self.currency: str | None = None
        self.cells = 0
        """Cells of the used rectangles of the sheets scanned so far (bounded by MAX_TOTAL_CELLS)."""
        self.from_bytes = True
        """Calamine was handed the very bytes checked (else it read the file from its path)."""
        self.before: Any = None
        """The file's identity when the checks began (calamine must read that very file)."""
        self.merged: list[tuple[tuple[int, int], tuple[int, int]]] = []
        """Merged ranges, ((top, left), (bottom, right)) 0-based, of the sheet read last."""

    # ----------------------------------------------------------------- the whole file

    def _open(self) -> str:
        """Check the file and open it in calamine; returns the file's sha256."""
        self.before = _identity(self.real)
        data = read_file(self.real)
        digest = sha256(data)
        if not data.startswith(ZIP_MAGICS):
            raise identify_non_zip(data, self.real)
        self.container = open_zip(data)
        self.parts = sheet_parts(self.container)
        self.percent_styles = percent_styles(self.container)
        self.shared = shared_strings(self.container, self.container.shared_targets)

        from python_calamine import CalamineWorkbook

        # A large file: calamine reads it itself, since handed the bytes (from_filelike) it keeps
        # two more copies of them (a 45 MB workbook peaked at 190 MB; from the path, at 60 MB).
        # The file must then be the one checked above: same inode, size and modification time
        # before the checks and after calamine is done. A small one (every real self-assessment):
        # the bytes checked are the bytes read, and the file is neither opened nor read again.
        self.from_bytes = len(data) <= SMALL_FILE or not _utf8_path(self.real)
        try:
            if not self.from_bytes:
                self.book = CalamineWorkbook.from_path(self.real)
            else:  # small, or a name calamine cannot take (bytes that are not UTF-8): the bytes read
                self.book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        except BaseException as exc:
            if not _from_calamine(exc):
                raise
            raise self._damaged(exc) from exc
        self.sheet_names: list[str] = list(self.book.sheet_names)
        return digest

    def raw(self) -> RawWorkbook:
        self._open()
        try:
            institution: dict[str, Any] = {}
            sheet = self._find(INSTITUTION_SHEETS)
            if sheet is not None and sheet in self.parts:
                self._scan(sheet)
                for _, _, values in self._rows(sheet):
                    k = next((i for i, v in enumerate(values) if not _is_blank(v)), None)
                    if k is None or not isinstance(values[k], str):
                        continue
                    key = INSTITUTION_KEYS.get(_header_key(values[k]).rstrip(":：").strip())
                    value = values[k + 1] if k + 1 < len(values) else None
                    if key is not None and key not in institution and not _is_blank(value):
                        institution[key] = value
            _, _, _, roles, rows = self._sheet_with_header()
            out: list[RawRow] = []
            for _, first_col, values in rows:
                ident = _at(values, roles["id"] - first_col)
                if _is_blank(ident):
                    continue
                out.append(
                    RawRow(
                        _norm(_display(ident)),
                        *(
                            _at(values, roles[k] - first_col) if k in roles else None
                            for k in ("answer", "respondent", "evidence", "comment")
                        ),
                    )
                )
        finally:
            self.book.close()
        self._unchanged()
        return RawWorkbook(institution, tuple(out))

    def _unchanged(self) -> None:
        """Calamine read the file that was checked: same inode, size and modification time."""
        if not self.from_bytes and _identity(self.real) != self.before:
            raise WorkbookError.one(
                Where(self.shown),
                T("the file changed while it was being read", "读取过程中文件发生了变化"),
                T(
                    "wait until the file is saved, then run the command again",
                    "请待文件保存完毕后重新运行命令",
                ),
            )

    def read(self) -> Assessment:
        digest = self._open()
        try:
            institution = self._institution()
            answers = self._responses()
            stamp = self._stamp()
        finally:
            self.book.close()
        self._unchanged()
        self._check_staff(answers, institution)
        self.problems.raise_if_any(WorkbookError)
        staff = institution.get("research_staff")
        return Assessment(
            path=self.shown,
            sha256=digest,
            institution=institution,
            answers=tuple(answers),
            stamp=stamp,
            notices=tuple(self.notices),
            profile=institution.get("profile"),
            research_staff=float(staff) if isinstance(staff, int | float) else None,
            not_applicable=frozenset(self.not_applicable),
        )

    def _check_staff(self, answers: list[Answer], institution: dict[str, Any]) -> None:
        """``research_staff`` is required as soon as a ``per: research_staff`` indicator is answered."""
        if institution.get("research_staff") is not None:
            return
        indicators = self.rubric.indicator_map()
        per = sorted({a.indicator for a in answers if indicators[a.indicator].per == "research_staff"})
        if per:
            shown = ", ".join(per[:5]) + (", …" if len(per) > 5 else "")
            self.problems.add(
                Where(self.shown, sheet="Institution"),
                T(
                    f"research_staff (R&D staff, full-time equivalent) is missing, but {shown} are raw totals "
                    "scored per 100 research staff",
                    f"缺少研发人员数（research_staff，R&D 人员全时当量），而 {shown} 填写的是年度总数，需按每百名研发人员折算",
                ),
                T(
                    "add the row research_staff (研发人员数) to the Institution sheet with the figure of your annual "
                    "S&T statistics return (科技统计年报)",
                    "请在 Institution 工作表中添加“研发人员数”一行，填写科技统计年报中的 R&D 人员全时当量",
                ),
            )

    def _damaged(self, exc: BaseException) -> WorkbookError:
        detail = str(exc)[:200] or type(exc).__name__
        what = T(
            f"the workbook is damaged and cannot be read ({detail})", f"工作簿已损坏，无法读取（{detail}）"
        )
        return WorkbookError([Problem(Where(self.shown), what, _FIX_RESAVE)])

    def _where(self, sheet: str, row: int | None = None, col: int | None = None) -> Where:
        cell = None if row is None or col is None else _cell_name(row, col)
        return Where(self.shown, sheet=_sheet_ref(sheet), cell=cell)

    # ----------------------------------------------------------------- sheets

    def _find(self, names: tuple[str, ...]) -> str | None:
        for name in self.sheet_names:
            if _norm(name).casefold() in names:
                return name
        return None

    def _scan(self, sheet: str, **kwargs: Any) -> SheetScan:
        part = self.parts.get(sheet)
        if part is None:
            raise self._damaged(ValueError(f"sheet {sheet} has no part in the workbook"))
        scan = scan_sheet(
            self.container, part, sheet, percent_styles=self.percent_styles, shared=self.shared, **kwargs
        )
        if "columns" not in kwargs:
            # Every sheet looked at is loaded whole by calamine: one budget for all of them.
            self.cells += scan.height * scan.width
            if self.cells > limits.MAX_TOTAL_CELLS:
                raise limits.RefusedError(
                    T(
                        f"the sheets read so far span more than {limits.MAX_TOTAL_CELLS:,} cells together",
                        f"已读取的工作表合计超过 {limits.MAX_TOTAL_CELLS:,} 个单元格",
                    ),
                    T(
                        "name the answers' sheet Responses (回答), and delete unrelated sheets and data",
                        "请将答案所在工作表命名为 Responses（回答），并删除无关的工作表和数据",
                    ),
                    sheet=sheet,
                )
        return scan

    def _rows(self, sheet: str) -> Iterator[tuple[int, int, list[Any]]]:
        """(0-based row, 0-based column of the list's first item, values) for each row of the sheet.

        Calamine keeps the sheet's used rectangle only; rows above it come back empty and
        columns left of it are cut off, so every position is turned back into a real one.
        """
        try:
            loaded = self.book.get_sheet_by_name(sheet)
            self.merged = list(getattr(loaded, "merged_cell_ranges", None) or ())
            start = loaded.start
            if start is None:
                return
            first_col = int(start[1])
            rows = loaded.iter_rows()
            for r, values in enumerate(rows):
                yield r, first_col, _without_controls(values)
        except BaseException as exc:
            if not _from_calamine(exc):
                raise
            raise self._damaged(exc) from exc

    def _sheet_with_header(
        self,
    ) -> tuple[str, SheetScan, int, dict[str, int], Iterator[tuple[int, int, list[Any]]]]:
        """The Responses sheet (by name, else the first sheet with a header row), its scan, its
        header row, the column of each role, and the rows below the header still to be read."""
        named = self._find(RESPONSES_SHEETS)
        if named is not None:
            candidates = [named]
        else:
            skip = (*INSTITUTION_SHEETS, STAMP_SHEET)
            candidates = [n for n in self.sheet_names if _norm(n).casefold() not in skip and n in self.parts]
            candidates = candidates[:HEADER_SHEETS]
        for sheet in candidates:
            scan = self._scan(sheet)
            rows = self._rows(sheet)
            for r, first_col, values in rows:
                if r >= HEADER_ROWS:
                    break
                roles = _header_roles(values, first_col)
                if "id" in roles:
                    return sheet, scan, r, roles, rows
            if named is not None:
                raise WorkbookError.one(
                    self._where(sheet),
                    T(
                        f"no header row with an id column in the first {HEADER_ROWS} rows of sheet {sheet}",
                        f"工作表 {sheet} 的前 {HEADER_ROWS} 行中没有含“编号”列的表头行",
                    ),
                    T(
                        "add a header row with the columns id and answer (指标编号, 回答), as in `vibbench template`",
                        "请添加包含 id 与 answer（指标编号、回答）列的表头行，格式同 `vibbench template`",
                    ),
                )
        raise WorkbookError.one(
            Where(self.shown),
            T(
                f"no sheet named Responses (回答, 答卷) and no sheet with an id column in its first {HEADER_ROWS} rows"
                f" (the first {HEADER_SHEETS} sheets are looked at)",
                f"没有名为 Responses（回答、答卷）的工作表，也没有前 {HEADER_ROWS} 行含“编号”列的工作表"
                f"（只查看前 {HEADER_SHEETS} 个工作表）",
            ),
            T(
                "fill in the workbook made by `vibbench template`, or add a sheet Responses with the columns "
                "id and answer",
                "请填写由 `vibbench template` 生成的自评表，或添加含 id 与 answer 列的 Responses 工作表",
            ),
        )

    # ----------------------------------------------------------------- Responses

    def _responses(self) -> list[Answer]:
        sheet, first, header_row, roles, rows = self._sheet_with_header()
        if "answer" not in roles:
            raise WorkbookError.one(
                self._where(sheet),
                T(
                    f"the header (row {header_row + 1}) has an id column but no answer column",
                    f"表头（第 {header_row + 1} 行）有“编号”列，但没有“回答”列",
                ),
                T(
                    "name the column that holds the answers answer (or 回答, value, 答案)",
                    "请将存放答案的列命名为 answer（或 回答、value、答案）",
                ),
            )
        id_col, answer_col = roles["id"], roles["answer"]
        evidence_col, comment_col = roles.get("evidence", -1), roles.get("comment", -1)
        respondent_col = roles.get("respondent")
        watched = {id_col, answer_col} | ({respondent_col} if respondent_col is not None else set())
        detail = SheetScan()
        if first.has_formula or first.has_error or first.has_percent:
            detail = self._scan(sheet, columns=frozenset(watched))

        indicators = self.rubric.indicator_map()
        ref = _sheet_ref(sheet)
        answer_at = f"{ref}!{_col_letters(answer_col)}"
        # The scan's findings are looked up per cell only when it found something.
        flagged = bool(detail.uncached or detail.errors or detail.percent or detail.external)
        answers: list[Answer] = []
        seen: dict[tuple[str, str | None], str] = {}
        removed_seen: set[str] = set()
        # An id typed once in cells merged down over several rows (one row per respondent)
        # belongs to every row of the merge: calamine gives it to the first row only.
        merged_ids = _merged_down(self.merged, id_col, first.rows)
        tops = set(merged_ids.values())
        top_ids: dict[int, Any] = {}
        for r, first_col, values in rows:
            width = len(values)
            i = id_col - first_col
            raw_id = values[i] if 0 <= i < width else None
            i = answer_col - first_col
            value = values[i] if 0 <= i < width else None
            if r in merged_ids and _is_blank(raw_id):
                raw_id = top_ids.get(merged_ids[r])
            elif r in tops:
                top_ids[r] = raw_id
            if flagged and (r, id_col) in detail.uncached:
                self._uncached(sheet, r, id_col)
                continue
            if raw_id is None or _is_blank(raw_id):
                continue
            ident = (
                _norm(_display(raw_id))
                if not isinstance(raw_id, str)
                else raw_id.translate(_INVISIBLE).strip()
            )
            if flagged and respondent_col is not None and (r, respondent_col) in detail.uncached:
                self._uncached(sheet, r, respondent_col)
                continue
            uncached = flagged and (r, answer_col) in detail.uncached
            error_value = detail.errors.get((r, answer_col)) if flagged else None
            said = _norm(value).casefold() if isinstance(value, str) else None
            if said in NOT_APPLICABLE and not uncached and error_value is None:
                if ident in self.rubric.indicator_map():
                    self.not_applicable.add(ident)
                continue
            answered = uncached or error_value is not None or not (_is_blank(value) or said in NOT_ANSWERED)
            if not answered:
                continue
            cell = f"{answer_at}{r + 1}"
            if ident in self.rubric.removed:
                if ident not in removed_seen:
                    removed_seen.add(ident)
                    self.notices.append(
                        Notice(
                            "removed_indicator",
                            T(
                                f"{ident} was removed from rubric {self.rubric.id}; its answer in {cell} is ignored",
                                f"{ident} 已从评估框架 {self.rubric.id} 中删除；{cell} 中的回答不计入",
                            ),
                            ident,
                        )
                    )
                continue
            ind = indicators.get(ident)
            if ind is None:
                self._unknown_id(sheet, r, id_col, ident, value)
                continue
            if uncached:
                self._uncached(sheet, r, answer_col)
                continue
            if error_value is not None:
                self.problems.add(
                    self._where(sheet, r, answer_col),
                    T(
                        f"{ident}: the cell shows the spreadsheet error {error_value}",
                        f"{ident}：该单元格显示错误值 {error_value}",
                    ),
                    T("correct the formula or type the answer", "请修正公式或直接填写答案"),
                )
                continue
            percent_cell = flagged and (r, answer_col) in detail.percent
            parsed = _parse_answer(value, ind, self.rubric, percent_cell, self.currency)
            if isinstance(parsed, _Bad):
                kind = _kind_name(ind)
                self.problems.add(
                    self._where(sheet, r, answer_col),
                    T(
                        f"{ident} is {kind.en}; found {parsed.found.en}",
                        f"{ident} 为{kind.zh}；填写的是 {parsed.found.zh or parsed.found.en}",
                    ),
                    _allowed(ind, self.rubric),
                )
                continue
            respondent_raw = None if respondent_col is None else _at(values, respondent_col - first_col)
            respondent = None if _is_blank(respondent_raw) else _display(respondent_raw)
            key = (ident, _norm(respondent).casefold() if respondent is not None else None)
            if key in seen:
                who_en = (
                    f"by respondent {respondent!r}" if respondent is not None else "with no respondent given"
                )
                who_zh = f"填报人 {respondent!r} " if respondent is not None else "未填写填报人且"
                self.problems.add(
                    self._where(sheet, r, answer_col),
                    T(
                        f"{ident} is answered twice {who_en} ({seen[key]} and {cell})",
                        f"{who_zh}对 {ident} 作答了两次（{seen[key]} 与 {cell}）",
                    ),
                    T(
                        "keep one answer per indicator and respondent, or fill in the respondent column for a "
                        "group assessment",
                        "每位填报人对每个指标只保留一个回答；如为集体评估，请填写“填报人”列",
                    ),
                )
                continue
            seen[key] = cell
            if flagged and (r, answer_col) in detail.external:
                self.notices.append(
                    Notice(
                        "external_link",
                        T(
                            f"{ident}: the answer in {cell} is a formula that refers to another workbook; the "
                            "value read is the one saved with this file, which may be out of date",
                            f"{ident}：{cell} 中的回答是引用其他工作簿的公式；读取的是本文件保存时的值，可能已过时",
                        ),
                        ident,
                    )
                )
            answers.append(
                Answer(
                    indicator=ident,
                    value=float(parsed),
                    cell=cell,
                    raw=_raw(value, percent_cell),
                    respondent=respondent,
                    evidence=_text_at(values, evidence_col - first_col),
                    comment=_text_at(values, comment_col - first_col),
                )
            )
        return answers

    def _uncached(self, sheet: str, row: int, col: int) -> None:
        self.problems.add(
            self._where(sheet, row, col),
            T(
                "the cell holds a formula with no saved result (the program that wrote the file did not "
                "calculate it)",
                "该单元格的公式没有保存计算结果（写入文件的程序未进行计算）",
            ),
            T(
                "open the workbook in Excel, WPS or LibreOffice and save it, so the results are stored; or "
                "type the value instead of the formula",
                "请用 Excel、WPS 或 LibreOffice 打开并保存工作簿以保存计算结果，或直接填写数值代替公式",
            ),
        )

    def _unknown_id(self, sheet: str, row: int, col: int, ident: str, value: Any) -> None:
        rubric = self.rubric
        groups = {p.id: "pillar" for p in rubric.pillars} | {d.id: "dimension" for d in rubric.dimensions()}
        if ident in groups:
            below = [i.id for i in rubric.indicators() if i.id.startswith(ident + ".")]
            shown = ", ".join(below[:6]) + (", …" if len(below) > 6 else "")
            what = T(
                f"{ident} is a {groups[ident]}, not an indicator (answer {_quote(value)})",
                f"{ident} 是{'支柱' if groups[ident] == 'pillar' else '维度'}，不是指标（回答为 {_quote(value)}）",
            )
            fix = T(f"answer its indicators instead: {shown}", f"请改为回答其下的指标：{shown}")
        else:
            ids = [i.id for i in rubric.indicators()]
            shown = ", ".join(ids[:8]) + (", …" if len(ids) > 8 else "")
            what = T(
                f"unknown indicator id {ident!r} (answer {_quote(value)})",
                f"未知的指标编号 {ident!r}（回答为 {_quote(value)}）",
            )
            fix = T(
                f"use an id of rubric {rubric.id} ({shown}; see `vibbench rubric show`)",
                f"请使用评估框架 {rubric.id} 中的编号（{shown}；见 `vibbench rubric show`）",
            )
        self.problems.add(self._where(sheet, row, col), what, fix)

    # ----------------------------------------------------------------- Institution

    def _institution(self) -> dict[str, Any]:
        """The Institution sheet: text fields as text, ``year`` an integer, ``profile`` a profile id,
        ``research_staff`` a number > 0, ``currency`` an ISO code the rubric has a rate for (SPEC §2)."""
        out: dict[str, Any] = dict.fromkeys(INSTITUTION_FIELDS, "")
        out["year"] = None
        typed: dict[str, tuple[Any, Where]] = {}
        sheet = self._find(INSTITUTION_SHEETS)
        if sheet is not None and sheet in self.parts:
            self._scan(sheet)
            for r, first_col, values in self._rows(sheet):
                cells = values
                k = next((i for i, v in enumerate(cells) if not _is_blank(v)), None)
                if k is None or not isinstance(cells[k], str):
                    continue
                key = INSTITUTION_KEYS.get(_header_key(cells[k]).rstrip(":：").strip())
                if key is None or key in typed or (key in INSTITUTION_FIELDS and key != "year" and out[key]):
                    continue
                value = cells[k + 1] if k + 1 < len(cells) else None
                where = self._where(sheet, r, first_col + k + 1)
                if key in ("year", "profile", "research_staff", "currency"):
                    if not _is_blank(value):
                        typed[key] = (value, where)
                else:
                    out[key] = _display(value)
            out["year"] = self._year(*typed["year"]) if "year" in typed else None
        out["profile"] = (
            self._profile(*typed["profile"]) if "profile" in typed else self.rubric.default_profile
        )
        staff = self._staff(*typed["research_staff"]) if "research_staff" in typed else None
        out["research_staff"] = staff
        money = self.rubric.money
        out["currency"] = (
            self._currency(*typed["currency"]) if "currency" in typed else (money.currency if money else None)
        )
        self.currency = out["currency"]
        if not out["name"]:
            out["name"] = _stem(self.shown)
        return {key: safe_name(value) if isinstance(value, str) else value for key, value in out.items()}

    def _year(self, value: Any, where: Where | str) -> int | None:
        if isinstance(value, dt.date | dt.datetime):
            return value.year
        if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
            year = natural.year_number(str(int(value)))
        else:
            year = natural.year_number(_norm(_display(value)))
        if year is None:
            self.problems.add(
                where,
                T(f"the year {_quote(value)} cannot be read", f"无法识别年份 {_quote(value)}"),
                T(
                    "write the year the answers describe, e.g. 2024 (also 2024年, 2024年度, FY2024, 2024-12-31)",
                    "请填写回答所反映的年份，如 2024（也可写 2024年、2024年度、FY2024、2024-12-31）",
                ),
            )
        return year

    def _profile(self, value: Any, where: Where | str) -> str | None:
        profiles = self.rubric.profiles
        text = _norm(_display(value)).casefold()
        for p in profiles:
            names = {p.id.casefold(), _norm(p.name.get("en")).casefold(), _norm(p.name.get("zh")).casefold()}
            if text in names:
                return p.id
        choices_en = (
            ", ".join(f"{p.id} ({p.name.get('en')})" for p in profiles) or "none: the rubric has no profiles"
        )
        choices_zh = (
            "、".join(f"{p.id}（{p.name.get('zh')}）" for p in profiles) or "无：评估框架未定义机构类别"
        )
        self.problems.add(
            where,
            T(f"unknown profile {_quote(value)}", f"未知的机构类别 {_quote(value)}"),
            T(f"choose one of: {choices_en}", f"请从以下类别中选择：{choices_zh}"),
        )
        return None

    def _staff(self, value: Any, where: Where | str) -> float | None:
        number: float | None = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value) if math.isfinite(value) else None
        elif isinstance(value, str):
            text = _norm(value)
            number = _number_text(text)
            if number is None:
                number = natural.number_with_unit(text, ("FTE", "人年"))
        if number is None or number <= 0:
            self.problems.add(
                where,
                T(
                    f"research_staff must be a number above 0, not {_quote(value)}",
                    f"研发人员数须为大于 0 的数，而不是 {_quote(value)}",
                ),
                T(
                    "enter R&D staff, full-time equivalent, of the assessed year (科技统计年报: R&D人员全时当量), e.g. 350",
                    "请填写评估年度的 R&D 人员全时当量（见科技统计年报），如 350",
                ),
            )
            return None
        return number

    def _currency(self, value: Any, where: Where | str) -> str | None:
        code = _norm(_display(value)).upper()
        aliases = {"RMB": "CNY", "人民币": "CNY", "元": "CNY", "欧元": "EUR", "美元": "USD"}
        code = aliases.get(code, code)
        money = self.rubric.money
        if money is not None and money.rate(code) is not None:
            return code
        known = [] if money is None else [money.currency, *money.rates]
        self.problems.add(
            where,
            T(
                f"the currency {_quote(value)} has no exchange rate in rubric {self.rubric.id}",
                f"评估框架 {self.rubric.id} 中没有币种 {_quote(value)} 的汇率",
            ),
            T(
                f"use one of: {', '.join(known) or '-'} (ISO codes)",
                f"请使用以下币种代码之一：{'、'.join(known) or '-'}",
            ),
        )
        return None

    # ----------------------------------------------------------------- _vibbench

    def _stamp(self) -> RubricStamp | None:
        sheet = self._find((STAMP_SHEET,))
        if sheet is None or sheet not in self.parts:
            return None
        try:
            self._scan(sheet)
            pairs: dict[str, str] = {}
            for _, first_col, values in self._rows(sheet):
                if first_col != 0 or len(values) < 2 or not isinstance(values[0], str):
                    continue
                pairs.setdefault(values[0].strip(), _display(values[1]))
        except (VibbenchError, limits.RefusedError):
            return None
        ident, version, digest = (pairs.get(k, "") for k in ("rubric_id", "rubric_version", "rubric_hash"))
        if not (ident and version and digest):
            return None
        prefix = "fingerprint:"
        fingerprints = {k[len(prefix) :].strip(): v for k, v in pairs.items() if k.startswith(prefix) and v}
        return RubricStamp(id=ident, version=version, hash=digest, fingerprints=fingerprints)


def _merged_down(
    merged: list[tuple[tuple[int, int], tuple[int, int]]], col: int, rows: int
) -> dict[int, int]:
    """Row → top row of the merge over column ``col`` that covers it, for rows below a merge's top.

    Bounded by the rows read, whatever the sheet declares: ranges are de-duplicated, clipped to
    the ``rows`` used, and a range that overlaps one kept before it (Excel never writes such) is
    ignored, so the kept ranges are disjoint and the map holds at most ``rows`` entries.
    10,000 copies of ``A40:A100000`` cost one range, not a billion rows.
    """
    spans = sorted(
        {(top, min(bottom, rows - 1)) for (top, left), (bottom, right) in merged if left <= col <= right}
    )
    out: dict[int, int] = {}
    reach = -1
    for top, bottom in spans:
        if top <= reach or top >= bottom:
            continue  # overlaps a kept range, or covers no row below its top
        out.update(dict.fromkeys(range(top + 1, bottom + 1), top))
        reach = bottom
    return out


def _header_roles(values: list[Any], first_col: int) -> dict[str, int]:
    """Role (id, answer, ...) → 0-based column, for the cells of a row that name a known column."""
    roles: dict[str, int] = {}
    for j, value in enumerate(values):
        if not isinstance(value, str) or not value:
            continue
        key = _header_key(value)
        role = _ALIAS_ROLE.get(key)
        if role is None and _HEADER_SPLIT.search(key):  # "Answer / 回答", "Indicator ID (编号)"
            for part in _HEADER_SPLIT.split(key):
                role = _ALIAS_ROLE.get(part.strip())
                if role is not None:
                    break
        if role is not None and role not in roles:
            roles[role] = first_col + j
    return roles


def _utf8_path(path: str) -> bool:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _identity(path: str) -> tuple[int, ...] | None:
    """What tells one version of a file from another: device, inode, size, modification time."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0] or path


def _raw(value: Any, percent_cell: bool) -> str:
    """The answer cell as shown: a percent-formatted 0.35 reads ``35%``."""
    if percent_cell and isinstance(value, int | float) and not isinstance(value, bool):
        return _fmt_number(round(float(value) * 100, 10)) + "%"
    return _display(value)
