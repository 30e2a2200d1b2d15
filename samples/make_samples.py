"""Write the sample self-assessment workbooks in this folder (fictional institutions).

Run from the repository root::

    python samples/make_samples.py            # rewrites samples/*.xlsx
    python samples/make_samples.py --out DIR  # writes them into DIR instead

The answers are derived from the bundled rubric, so the script keeps working when the
rubric changes: level answers come from a per-pillar maturity profile, number answers are
placed a profile-given fraction of the way from the indicator's worst goalpost to VIB's
reference value, booleans follow the profile. All variation comes from random generators
seeded by (institution, indicator id), so re-running gives byte-identical files.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from vibbench.io import write_atomic
from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import Check, Condition, Indicator, Rubric
from vibbench.workbook.template import (
    COLUMNS,
    YES_NO,
    answer_bounds,
    build_template,
    institution_keys,
    level_entries,
    workbook_bytes,
)

HERE = Path(__file__).resolve().parent
COL = {name: i for i, name in enumerate(COLUMNS, start=1)}

Value = float | None
"""An answer as a number (levels as the level, booleans 1/0); None = not answered."""


@dataclass(frozen=True)
class Profile:
    """How mature an institution is, pillar by pillar."""

    seed: str
    """Seeds the per-indicator variation; the same institution keeps it across years."""
    lang: str
    year: int
    institution: dict[str, str]
    level: dict[str, float]
    """Pillar id → typical level on the rubric's scale."""
    fraction: dict[str, float]
    """Pillar id → how far number answers go from the worst goalpost towards VIB's reference."""
    yes: dict[str, float]
    """Pillar id → chance of answering yes to a yes/no question."""
    not_answered: tuple[str, ...] = ()
    """Indicator ids left unanswered (ignored when the rubric does not have them)."""
    factor: dict[str, float] = field(default_factory=dict)
    """Indicator id → number answer as this multiple of VIB's reference (overrides ``fraction``)."""
    respondents: tuple[str, ...] = ()
    staff: int = 300
    """Research staff headcount, quoted where answers are per 100 research staff."""


# --------------------------------------------------------------------------- the institutions

SHANGHAI_NAME = "上海明湖生物医药创新研究院"
SHANGHAI_2025 = Profile(
    seed="shanghai-biomed",
    lang="zh",
    year=2025,
    institution={
        "name": SHANGHAI_NAME,
        "country": "中国",
        "type": "新型研发机构（生物医药）",
        "year": "2025",
        "contact": "科技发展部 王敏",
        "date": "2025-11-20",
    },
    level={"RD": 1.1, "RC": 2.0, "PI": 3.2},
    fraction={"RD": 0.3, "RC": 0.55, "PI": 0.9},
    yes={"RD": 0.2, "RC": 0.5, "PI": 0.9},
    not_answered=("RC.FUND.3", "PI.INC.3", "RD.EVAL.2"),
    factor={"PI.INC.1": 3.4},
    staff=260,  # a large incubator: space is where such institutes are strong
)
SHANGHAI_2026 = replace(
    SHANGHAI_2025,
    year=2026,
    institution={**SHANGHAI_2025.institution, "year": "2026", "date": "2026-11-18"},
    # The 2026 reform: a multi-year performance agreement, a board with industry seats,
    # an evaluation rulebook and a written IP framework with the partner universities.
    level={**SHANGHAI_2025.level, "RD": 2.7},
    fraction={**SHANGHAI_2025.fraction, "RD": 0.7},
    yes={**SHANGHAI_2025.yes, "RD": 0.8},
    not_answered=("PI.INC.3",),
)
TTO_2025 = Profile(
    seed="provincial-university-tto",
    lang="en",
    year=2025,
    institution={
        "name": "Lanshan Provincial University — Technology Transfer Office",
        "country": "China",
        "type": "University technology-transfer office",
        "year": "2025",
        "contact": "Liu Yang, deputy head of the TTO",
        "date": "2025-09-30",
    },
    level={"RD": 0.9, "RC": 1.2, "PI": 1.0},
    fraction={"RD": 0.15, "RC": 0.12, "PI": 0.06},
    yes={"RD": 0.1, "RC": 0.3, "PI": 0.15},
    not_answered=("PI.CAP.2", "PI.INC.3", "RC.FUND.3", "PI.VEN.2"),
    staff=540,
)
ACADEMY_2025 = Profile(
    seed="academy-institute",
    lang="zh",
    year=2025,
    institution={
        "name": "江南科学院分子与细胞研究所",
        "country": "中国",
        "type": "科学院研究所",
        "year": "2025",
        "contact": "所长办公室 周婷",
        "date": "2025-12-05",
    },
    level={"RD": 2.0, "RC": 2.6, "PI": 1.6},
    fraction={"RD": 0.45, "RC": 0.6, "PI": 0.3},
    yes={"RD": 0.5, "RC": 0.7, "PI": 0.4},
    not_answered=("PI.INC.3",),
    respondents=("张伟（科研处）", "李娜（成果转化处）", "陈明（所务委员会）"),
    staff=410,
)
REFERENCE_INSTITUTION = {
    "name": "VIB (reference values)",
    "country": "Belgium",
    "type": "Life-sciences research institute (reference)",
    "contact": "",
    "date": "",
}

# --------------------------------------------------------------------------- wording

EVIDENCE: dict[tuple[str, str], tuple[str, ...]] = {
    ("zh", "level"): (
        "{year}年度工作总结第{n}页",
        "理事会会议纪要（{year}年第{n}次会议）",
        "内部管理制度汇编（{year}版）第{n}章",
        "与主管部门签订的协议文本（{year}）",
        "机构章程（{year}年修订）第{n}条",
    ),
    ("zh", "money"): ("财务处{year}年度决算报表", "{year}年度审计报告附注{n}"),
    ("zh", "number"): (
        "{year}年度统计年报",
        "科研管理系统导出数据（截至{year}年12月31日）",
        "成果转化年度报告（{year}）第{n}页",
    ),
    ("zh", "boolean"): ("官网公开信息（{year}年）", "{year}年度成果转化报告"),
    ("en", "level"): (
        "University regulations handbook {year}, ch. {n}",
        "Minutes of the university council, {year}, item {n}",
        "TTO annual work summary {year}, p. {n}",
        "Agreement with the provincial department of education ({year})",
    ),
    ("en", "money"): ("Finance office figures FY{year}", "Audited accounts {year}, note {n}"),
    ("en", "number"): ("TTO database export, 31 Dec {year}", "Annual statistics report {year}, p. {n}"),
    ("en", "boolean"): ("University website, accessed {year}", "TTO annual report {year}"),
}
NORMALISED = {
    "zh": "已按每百名科研人员折算（科研人员 {staff} 人）",
    "en": "Normalised per 100 research staff ({staff} staff)",
}
NOT_APPLICABLE = {"zh": "不适用", "en": "N/A"}
NO_DATA = {"zh": "暂无统计数据", "en": "Not tracked yet"}


# --------------------------------------------------------------------------- answers


def _rng(profile: Profile, ind: Indicator, salt: str = "") -> random.Random:
    return random.Random(f"{profile.seed}:{ind.id}:{salt}")


def _round(ind: Indicator, x: float) -> float:
    if ind.percent or (ind.unit is not None and ind.unit.en.startswith("year")):
        return float(round(x))
    if abs(x) >= 10:
        return float(round(x))
    if abs(x) >= 1:
        return round(x, 1)
    return float(f"{x:.2g}")


def _clip(ind: Indicator, rubric: Rubric, x: float) -> float:
    if ind.type == "level":
        return float(min(max(x, rubric.scale.min), rubric.scale.max))
    if ind.type == "boolean":
        return 1.0 if x >= 0.5 else 0.0
    low, high = answer_bounds(ind)
    return min(max(x, low if low is not None else x), high if high is not None else x)


def base_answer(profile: Profile, rubric: Rubric, ind: Indicator) -> Value:
    """The institution's answer before respondents differ: follows the profile, varies by indicator."""
    if ind.id in profile.not_answered:
        return None
    rng = _rng(profile, ind)
    if ind.type == "level":
        return _clip(ind, rubric, round(profile.level[ind.pillar] + rng.uniform(-0.9, 0.9)))
    if ind.type == "boolean":
        return 1.0 if rng.random() < profile.yes[ind.pillar] else 0.0
    if ind.id in profile.factor:
        return _clip(ind, rubric, _round(ind, ind.reference * profile.factor[ind.id]))
    f = max(0.0, profile.fraction[ind.pillar] * rng.uniform(0.7, 1.3))
    return _clip(ind, rubric, _round(ind, ind.min + f * (ind.reference - ind.min)))


def _holds(cond: Condition, answers: dict[str, Value]) -> bool | None:
    value = answers.get(cond.indicator)
    return None if value is None else cond.holds(value)


def _satisfying(cond: Condition, ind: Indicator, rubric: Rubric, current: float) -> float:
    """The answer nearest ``current`` that meets ``cond``, in the indicator's own steps."""
    x = current
    if cond.at_least is not None and x < cond.at_least:
        x = cond.at_least if ind.type != "number" else max(cond.at_least, _round(ind, 0.1 * ind.reference))
    if cond.at_most is not None and x > cond.at_most:
        x = cond.at_most
    if ind.type == "level":
        x = float(int(x) + (0 if x.is_integer() else 1))
    return _clip(ind, rubric, x)


def _failing(cond: Condition, ind: Indicator, rubric: Rubric) -> float | None:
    """An answer in range that fails ``cond``, or None when there is none."""
    low, high = (
        (float(rubric.scale.min), float(rubric.scale.max)) if ind.type == "level" else answer_bounds(ind)
    )
    if ind.type == "boolean":
        low, high = 0.0, 1.0
    if cond.at_least is not None and (low is None or low < cond.at_least):
        return low if low is not None else cond.at_least - max(1.0, abs(cond.at_least) * 0.5)
    if cond.at_most is not None and (high is None or high > cond.at_most):
        bump = 1.0 if ind.type != "number" else max(1.0, abs(cond.at_most) * 0.5)
        return cond.at_most + bump if high is None else min(high, cond.at_most + bump)
    return None


def make_consistent(
    checks: Iterable[Check], answers: dict[str, Value], rubric: Rubric, keep: set[str]
) -> None:
    """Mend answers so that no check fails: lower the claim, or (if the claim is kept) raise the fact."""
    inds = rubric.indicator_map()
    for _ in range(3):  # one mend can break another check; settle in a few rounds
        for check in checks:
            if _holds(check.when, answers) and _holds(check.then, answers) is False:
                claim, fact = check.when.indicator, check.then.indicator
                if claim in keep:
                    answers[fact] = _satisfying(check.then, inds[fact], rubric, answers[fact] or 0.0)
                else:
                    failing = _failing(check.when, inds[claim], rubric)
                    answers[claim] = failing if failing is not None else None


# --------------------------------------------------------------------------- workbook cells


@dataclass
class Row:
    answer: Any = None
    evidence: str = ""
    comment: str = ""
    respondent: str = ""


def _cell(profile: Profile, rubric: Rubric, ind: Indicator, value: Value, *, plain: bool = False) -> Any:
    """The answer as someone would put it in the cell (dropdown label, 是/否, a number)."""
    if value is None:
        return None
    if ind.type == "level":
        return (
            int(value) if plain else level_entries(rubric, ind, profile.lang)[int(value) - rubric.scale.min]
        )
    if ind.type == "boolean":
        yes, no = YES_NO[profile.lang]
        return yes if value else no
    return int(value) if float(value).is_integer() else value


def _evidence(profile: Profile, ind: Indicator, value: Value, rng: random.Random) -> str:
    if value is None:
        return ""
    if ind.type == "level" and value == 0:
        return ""  # nothing to cite
    # Most answers cite something; a few weak ones do not (a claimed level of 3+ always does).
    if (ind.type != "level" or value < 3) and rng.random() < 0.2:
        return ""
    unit = ind.unit.en if ind.unit else ""
    kind = "money" if ind.type == "number" and ("EUR" in unit or "ratio" in unit) else ind.type
    return rng.choice(EVIDENCE[(profile.lang, kind)]).format(year=profile.year, n=rng.randint(2, 12))


def _comment(profile: Profile, ind: Indicator, value: Value, rng: random.Random) -> str:
    if value is None:
        return NO_DATA[profile.lang]
    unit = ind.unit.en if ind.unit else ""
    if "per 100 research staff" in unit and rng.random() < 0.5:
        return NORMALISED[profile.lang].format(staff=profile.staff)
    return ""


def single_rows(profile: Profile, rubric: Rubric, answers: dict[str, Value]) -> dict[str, list[Row]]:
    """One row per indicator, filled the way people really fill a workbook."""
    rows: dict[str, list[Row]] = {}
    done: set[str] = set()  # each hand-typed form once per workbook

    def once(form: str) -> bool:
        first = form not in done
        done.add(form)
        return first

    for ind in rubric.indicators():
        value = answers.get(ind.id)
        rng = _rng(profile, ind, "text")
        cell = _cell(profile, rubric, ind, value)
        if value is None and once("n/a"):
            cell = NOT_APPLICABLE[profile.lang]
        elif value is not None and ind.type == "number":
            if value >= 1000 and once("thousands"):
                cell = f"{value:,.0f}"  # typed with a thousands separator
            elif ind.percent and once("percent"):
                cell = f"{value:g}%"
            elif not ind.percent and once("text"):
                cell = f"{value:g}"  # a number stored as text
        elif value is not None and ind.type == "level" and value < 3 and once("typed level"):
            cell = _cell(profile, rubric, ind, value, plain=True)  # typed, not picked from the list
        rows[ind.id] = [Row(cell, _evidence(profile, ind, value, rng), _comment(profile, ind, value, rng))]
    return rows


def fill(profile: Profile, rubric: Rubric, rows: dict[str, list[Row]]) -> bytes:
    wb = build_template(rubric, profile.lang, copies={k: len(v) for k, v in rows.items() if len(v) > 1})
    inst = wb["Institution"]
    for r, key in enumerate(institution_keys(rubric), start=2):
        inst.cell(row=r, column=2, value=profile.institution.get(key) or None)
    ws = wb["Responses"]
    seen: dict[str, int] = {}
    for r in range(2, ws.max_row + 1):
        ind_id = ws.cell(row=r, column=COL["id"]).value
        row = rows[ind_id][seen.get(ind_id, 0)]
        seen[ind_id] = seen.get(ind_id, 0) + 1
        for name in ("answer", "evidence", "comment", "respondent"):
            value = getattr(row, name)
            ws.cell(row=r, column=COL[name], value=value if value not in ("", None) else None)
    return workbook_bytes(wb)


# --------------------------------------------------------------------------- the samples


def profile_answers(profile: Profile, rubric: Rubric, keep: set[str] | None = None) -> dict[str, Value]:
    answers = {ind.id: base_answer(profile, rubric, ind) for ind in rubric.indicators()}
    make_consistent(rubric.checks, answers, rubric, keep or set())
    return answers


def simple_sample(profile: Profile, rubric: Rubric) -> bytes:
    return fill(profile, rubric, single_rows(profile, rubric, profile_answers(profile, rubric)))


def academy_sample(profile: Profile, rubric: Rubric) -> bytes:
    """Three respondents who disagree on some levels; one unsupported claim; one failed check."""
    inds = rubric.indicator_map()
    # The contradiction: the first check that an in-range pair of answers can fail.
    broken = next(
        c
        for c in rubric.checks
        if _failing(c.then, inds[c.then.indicator], rubric) is not None
        and inds[c.when.indicator].type != "boolean"
    )
    in_checks = {c.when.indicator for c in rubric.checks} | {c.then.indicator for c in rubric.checks}
    levels = [i.id for i in rubric.indicators() if i.type == "level" and i.id not in in_checks]
    numbers = [i.id for i in rubric.indicators() if i.type == "number" and i.id not in in_checks]
    group = levels[:8] + numbers[:2]
    pair = {broken.when.indicator, broken.then.indicator}
    unsupported = next(
        i.id for i in rubric.indicators() if i.type == "level" and i.id not in group and i.id not in pair
    )

    answers = {ind.id: base_answer(profile, rubric, ind) for ind in rubric.indicators()}
    answers[unsupported] = max(3.0, answers[unsupported] or 0.0)
    claim = inds[broken.when.indicator]
    answers[claim.id] = _satisfying(broken.when, claim, rubric, answers[claim.id] or 0.0)
    make_consistent([c for c in rubric.checks if c is not broken], answers, rubric, {unsupported, claim.id})
    answers[broken.then.indicator] = _failing(broken.then, inds[broken.then.indicator], rubric)

    rows = single_rows(profile, rubric, answers)
    rows[unsupported][0].evidence = ""
    rows[unsupported][0].comment = "所里普遍认为已达到，但尚未整理成文件"
    rows[claim.id][0].comment = "理事会章程已修订"
    # Levels the three respondents see differently: mostly one level apart, now and then two.
    spreads = ((0, 1, 0), (0, 2, 0), (1, 0, 0), (0, 0, -1), (-1, 1, 1), (0, -2, 0), (0, 1, 0), (1, 0, 1))
    for k, ind_id in enumerate(group):
        ind = inds[ind_id]
        base = answers[ind_id]
        group_rows = []
        for j, who in enumerate(profile.respondents):
            rng = _rng(profile, ind, who)
            value: Value
            if base is None:
                value = None
            elif ind.type == "level":
                value = _clip(ind, rubric, base + spreads[k % len(spreads)][j])
            else:
                value = _clip(ind, rubric, _round(ind, base * rng.uniform(0.8, 1.2)))
            evidence = _evidence(profile, ind, value, rng)
            group_rows.append(Row(_cell(profile, rubric, ind, value), evidence, "", who))
        rows[ind_id] = group_rows
    return fill(profile, rubric, rows)


def reference_sample(rubric: Rubric) -> bytes:
    """VIB's own reference values: scores exactly the reference, a gap of 0."""
    year = rubric.version.split(".")[0]
    profile = Profile(
        seed="vib",
        lang="en",
        year=int(year) if year.isdigit() else 0,
        institution={**REFERENCE_INSTITUTION, "year": year if year.isdigit() else ""},
        level={},
        fraction={},
        yes={},
    )
    rows = {
        ind.id: [Row(_cell(profile, rubric, ind, ind.reference), ind.source, "VIB reference value")]
        for ind in rubric.indicators()
    }
    return fill(profile, rubric, rows)


def build_all(rubric: Rubric) -> dict[str, bytes]:
    return {
        "shanghai-biomed-2025.xlsx": simple_sample(SHANGHAI_2025, rubric),
        "shanghai-biomed-2026.xlsx": simple_sample(SHANGHAI_2026, rubric),
        "provincial-university-tto-2025.xlsx": simple_sample(TTO_2025, rubric),
        "academy-institute-2025.xlsx": academy_sample(ACADEMY_2025, rubric),
        "vib-reference.xlsx": reference_sample(rubric),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into (default: samples/)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in build_all(load_rubric("vib")).items():
        write_atomic(args.out / name, data)
        sys.stderr.write(f"wrote {args.out / name}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
