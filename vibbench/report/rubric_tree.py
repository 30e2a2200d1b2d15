"""A rubric as a tree: pillars, dimensions, indicators, each with its effective weight and reference.

Pure: returns the rendered text (rich is imported here, never on the CLI's start-up path).
"""

from __future__ import annotations

import io

from vibbench.report.common import answer_text, type_name
from vibbench.rubric.model import Rubric, effective_weights


def rubric_tree(rubric: Rubric, lang: str, *, color: bool = False, width: int | None = None) -> str:
    """The tree as text; with ``color``, with terminal colours (unless NO_COLOR is set).

    ``width`` defaults to ``$COLUMNS``, else 80.
    """
    from rich.console import Console
    from rich.markup import escape
    from rich.tree import Tree

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
    buf = io.StringIO()
    console = Console(
        file=buf,
        highlight=False,
        force_terminal=color,
        no_color=None if color else True,
        width=width,
        legacy_windows=False,
    )
    console.print(tree)
    if rubric.reference_source:
        console.print(
            f"{ref_word}{rubric.reference_name.get(lang)} — {rubric.reference_source}", markup=False
        )
    if rubric.money is not None and rubric.money.source:
        console.print(f"{money_word}{rubric.money.source}", markup=False)
    if rubric.checks:
        console.print(("校验：" if zh else "checks: ") + ", ".join(c.id for c in rubric.checks), markup=False)
    return buf.getvalue()
