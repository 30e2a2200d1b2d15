"""What ``vibbench rubric ...`` does: list, show, validate, init."""

from __future__ import annotations

import json
import os
from pathlib import Path

from vibbench.io import write_atomic
from vibbench.rubric.loader import bundled_dir, bundled_names, display_path, load_rubric, resolve
from vibbench.rubric.model import Rubric
from vibbench.text import T

SCHEMA_FILE = "vibbench-rubric.schema.json"


def list_text() -> str:
    lines = [f"{'id':<12} {'version':<10} {'indicators':>10}  title"]
    for name in bundled_names():
        r = load_rubric(bundled_dir() / f"{name}.yaml")
        n = sum(1 for _ in r.indicators())
        lines.append(f"{r.id:<12} {r.version:<10} {n:>10}  {r.title.get('en')} / {r.title.get('zh')}")
    return "\n".join(lines) + "\n"


def effective_weights(rubric: Rubric) -> dict[str, float]:
    """Each node's share of the overall score when every indicator is answered."""
    out: dict[str, float] = {}
    ptotal = sum(p.weight for p in rubric.pillars) or 1.0
    for p in rubric.pillars:
        pw = p.weight / ptotal
        out[p.id] = pw
        dtotal = sum(d.weight for d in p.dimensions) or 1.0
        for d in p.dimensions:
            dw = pw * d.weight / dtotal
            out[d.id] = dw
            itotal = sum(i.weight for i in d.indicators) or 1.0
            for i in d.indicators:
                out[i.id] = dw * i.weight / itotal
    return out


def show(spec: str, lang: str) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.tree import Tree

    from vibbench.report.common import answer_text, type_name

    rubric = load_rubric(spec)
    w = effective_weights(rubric)
    zh = lang == "zh"
    ref_word = "参照：" if zh else "ref: "
    source_word = "来源：" if zh else "source: "
    money_word = "汇率来源：" if zh else "exchange rates: "
    title = f"[bold]{escape(rubric.id)}[/] {escape(rubric.version)} — {escape(rubric.title.get(lang))}"
    tree = Tree(title)
    for p in rubric.pillars:
        pn = tree.add(f"[bold]{escape(p.id)}[/] {escape(p.name.get(lang))}  [cyan]{w[p.id]:.1%}[/]")
        for d in p.dimensions:
            dn = pn.add(f"[bold]{escape(d.id)}[/] {escape(d.name.get(lang))}  [cyan]{w[d.id]:.1%}[/]")
            for i in d.indicators:
                kind = type_name(i.type, lang)
                node = dn.add(
                    f"{escape(i.id)} {escape(i.name.get(lang))}  [cyan]{w[i.id]:.1%}[/]  [dim]{kind}[/]  "
                    f"{ref_word}[green]{escape(answer_text(rubric, i, i.reference, lang))}[/]"
                )
                if i.source:  # where the reference value comes from: a reference is never unsourced
                    node.add(f"[dim]{source_word}{escape(i.source)}[/]")
    console = Console(highlight=False)
    console.print(tree)
    if rubric.reference_source:
        console.print(
            f"{ref_word}{rubric.reference_name.get(lang)} — {rubric.reference_source}", markup=False
        )
    if rubric.money is not None and rubric.money.source:
        console.print(f"{money_word}{rubric.money.source}", markup=False)
    if rubric.checks:
        console.print(("校验：" if zh else "checks: ") + ", ".join(c.id for c in rubric.checks), markup=False)


def validate(path: Path, lang: str) -> str:
    rubric = load_rubric(path, use_cache=False)
    n_dim = sum(1 for _ in rubric.dimensions())
    n_ind = sum(1 for _ in rubric.indicators())
    summary = T(
        f"ok: {display_path(path)} — rubric {rubric.id} {rubric.version}: {len(rubric.pillars)} pillars, "
        f"{n_dim} dimensions, {n_ind} indicators, {len(rubric.checks)} checks",
        f"通过：{display_path(path)} — 框架 {rubric.id} {rubric.version}：{len(rubric.pillars)} 个支柱、"
        f"{n_dim} 个维度、{n_ind} 个指标、{len(rubric.checks)} 条校验",
    )
    return summary.get(lang) + "\n"


def init(extends: str, output: Path) -> None:
    """A commented starter rubric that extends ``extends`` and validates as written."""
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
"""
    write_atomic(output, text)
    schema_path = output.parent / SCHEMA_FILE
    write_atomic(schema_path, json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")
