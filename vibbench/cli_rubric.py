"""What ``vibbench rubric ...`` does: list, show, validate, init. The CLI prints what these return."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from vibbench.errors import Problem
from vibbench.io import write_atomic
from vibbench.rubric.loader import check_rubric, load_rubric
from vibbench.rubric.paths import bundled_dir, bundled_names, display_path, resolve
from vibbench.text import T

SCHEMA_FILE = "vibbench-rubric.schema.json"


def list_text() -> str:
    lines = [f"{'id':<12} {'version':<10} {'indicators':>10}  title"]
    for name in bundled_names():
        r = load_rubric(bundled_dir() / f"{name}.yaml")
        n = sum(1 for _ in r.indicators())
        lines.append(f"{r.id:<12} {r.version:<10} {n:>10}  {r.title.get('en')} / {r.title.get('zh')}")
    return "\n".join(lines) + "\n"


def show_text(spec: str, lang: str, *, color: bool, width: int | None) -> str:
    from vibbench.report.rubric_tree import rubric_tree

    return rubric_tree(load_rubric(spec), lang, color=color, width=width)


def render_warning(warning: Problem, lang: str) -> str:
    """``warning: FILE:LINE: WHAT — HOW TO FIX``, as errors are rendered but not fatal."""
    return f"warning: {warning.where}: {warning.what.get(lang)} — {warning.fix.get(lang)}"


@dataclass(frozen=True)
class Validated:
    summary: str
    """The ``ok: ...`` line for standard output."""
    warnings: list[str]
    """``warning: ...`` lines for standard error."""


def validate(path: Path, lang: str) -> Validated:
    rubric, warnings = check_rubric(path)
    n_dim = sum(1 for _ in rubric.dimensions())
    n_ind = sum(1 for _ in rubric.indicators())
    summary = T(
        f"ok: {display_path(path)} — rubric {rubric.id} {rubric.version}: {len(rubric.pillars)} pillars, "
        f"{n_dim} dimensions, {n_ind} indicators, {len(rubric.checks)} checks",
        f"通过：{display_path(path)} — 框架 {rubric.id} {rubric.version}：{len(rubric.pillars)} 个支柱、"
        f"{n_dim} 个维度、{n_ind} 个指标、{len(rubric.checks)} 条校验",
    )
    return Validated(summary.get(lang) + "\n", [render_warning(w, lang) for w in warnings])


def init(extends: str, output: Path) -> Path:
    """Write a commented starter rubric that extends ``extends`` and validates as written, and the
    JSON Schema beside it; returns the schema file's path."""
    from vibbench.rubric.schema import json_schema

    base = load_rubric(extends)
    base_path = resolve(extends)
    if base_path.parent == bundled_dir():
        extends_value = extends
    else:  # `extends` is resolved relative to the file that says it
        extends_value = os.path.relpath(base_path.resolve(), output.resolve().parent)
    pillar_lines = "\n".join(
        f"  {p.id}: {p.weight:g}   # {p.name.get('en')} / {p.name.get('zh')}" for p in base.pillars
    )
    first = next(base.indicators())
    text = f"""# yaml-language-server: $schema=./{SCHEMA_FILE}
# A custom vibbench rubric. It starts from '{base.id}' ({base.version}) and says only what differs.
# 自定义评估框架：继承 '{base.id}'，只写与之不同的部分。
# Check it with:  vibbench rubric validate {output.name}
# See the result: vibbench rubric show {output.name}

schema_version: 1
id: my-rubric            # your rubric's id, recorded in every workbook made from it / 框架编号
version: "1"             # bump it when you change the rubric / 修改后请更新版本号
title:
  en: My institution's VIB benchmark
  zh: 本机构的 VIB 对标框架
extends: {extends_value}

# Weights are relative among siblings (a pillar against pillars, a dimension against the
# dimensions of its pillar, ...). Any pillar, dimension or indicator id may be given here.
# 权重在同级之间相对计算；可写任意支柱、维度或指标编号。0 表示不计分。
weights:
{pillar_lines}

# Ids to drop (whole pillars, dimensions or single indicators). Answers to removed
# indicators are ignored with a warning. 需删除的编号；已删除指标的回答将被忽略。
remove: []

# Replace texts or references of an existing node by repeating its id, e.g.:
# 如需替换已有节点的文字或参照值，重复其编号即可，例如：
# pillars:
#   - id: {first.pillar}
#     dimensions:
#       - id: {first.dimension}
#         indicators:
#           - id: {first.id}
#             reference: {first.reference:g}
#             source: "your own benchmark, year"
#
# Add an indicator by giving a new id under an existing dimension, e.g.:
# 新增指标：在已有维度下写一个新编号，例如：
#           - id: {first.dimension}.X1
#             name: {{en: Annual technology-transfer report filed, zh: 按时报送科技成果转化年度报告}}
#             question: {{en: Did you file the annual report last year?, zh: 上一年度是否报送了年度报告？}}
#             type: boolean
#             reference: true
#             source: "促进科技成果转化法 Art. 21"
#             recommendations:
#               - {{theme: institutional_supply, horizon: quick_win, text: {{en: File it., zh: 按时报送。}}}}
#
# Keys v2 adds (all optional; see `vibbench rubric schema`). 第二版新增的键（均为可选）：
#   applies_to: [institute]      # the profiles it applies to; others leave it out (not scored, not in
#                                # coverage). 适用的机构类别；其他类别不计分、不计入覆盖率。
#   actor: funder                # who can act on it: institution (default) or funder. 由谁推动：机构或主管部门。
#   optional: true               # "not applicable" (不适用, N/A) is a legitimate answer. 允许填“不适用”。
#   unit: money                  # an amount in the rubric's money unit (money: below). 金额，单位见 money。
#   per: research_staff          # a raw annual total, scored per 100 research staff. 年度总数，按每百名研发人员折算。
#   plausible: {{min: 0, max: 5000}}  # outside it: a warning "check the unit". 超出范围时提示核对单位。
#   named: [{{value: 99, label: {{en: never reviewed, zh: 从未开展}}}}]  # answers shown by name. 具名回答。
# A rubric of your own (not one that extends another) may also declare:
# 独立的评估框架（非继承）还可声明：
#   profiles:                    # kinds of institution; the first is the default. 机构类别，第一个为默认。
#     - {{id: institute, name: {{en: Research institute, zh: 科研院所}}}}
#   money: {{currency: CNY, factor: 10000, unit: {{en: 10k CNY, zh: 万元}}, rates: {{EUR: 7.8}},
#           source: "where the rates come from, and their year / 汇率来源与年份"}}
"""
    write_atomic(output, text)
    schema_path = output.parent / SCHEMA_FILE
    write_atomic(schema_path, json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")
    return schema_path
