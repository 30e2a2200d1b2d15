"""The acceptance list of issue 13 for the bundled rubric vib 2027.1: a benchmark that tells Chinese
institutions apart, with sourced references, money in 万元, profiles, funder items and Chinese that
follows the punctuation rule. Facts about the bundled rubric's content, on the raw YAML, the loaded
model and the sample workbooks."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT
from tests.rubric.conftest import VIB_YAML, make_runner
from vibbench.cli import app
from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import Rubric
from vibbench.rubric.v2checks import ascii_punctuation

SAMPLES = ROOT / "samples"
INSTITUTIONS = (  # the Chinese samples; VIB's own answers are in vib-reference.xlsx
    "shanghai-biomed-2025.xlsx",
    "shanghai-biomed-2026.xlsx",
    "academy-institute-2025.xlsx",
    "provincial-university-tto-2025.xlsx",
)
THEMES = {"institutional_supply", "research_organisation", "capital_linkage"}
PROFILES = {"institute", "university_tto"}
YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
DOCUMENT_NUMBER = re.compile(r"〔\d{4}〕\d+号")
"""A Chinese official document number (国发〔2016〕16号) names a text, not a quantity."""

# rubrics/CHANGES.md: what 2026.1 had that 2027.1 does not, and the other way round.
DROPPED_SINCE_2026_1 = (
    "RD.GOV.1", "RD.CON.1", "RD.CON.3", "RD.EVAL.2", "RD.IP.2", "RC.FUND.1", "RC.FUND.2", "RC.TAL.1",
    "RC.TAL.2", "RC.TAL.3", "RC.INF.1", "RC.INF.3", "RC.ORG.3", "PI.TTO.2", "PI.TTO.3", "PI.VEN.1",
    "PI.VEN.2", "PI.VEN.3", "PI.CAP.1", "PI.CAP.2", "PI.INC.1", "PI.INC.2", "PI.INC.3", "PI.INC.4",
)  # fmt: skip
NEW_IN_2027_1 = (
    "RD.GOV.4", "RD.CON.4", "RD.EVAL.5", "RD.IP.3", "RD.IP.4", "RD.IP.5", "RD.HR.1", "RD.HR.2",
    "RC.FUND.5", "RC.FUND.6", "RC.FUND.4", "RC.TAL.4", "RC.TAL.6", "RC.INF.5", "RC.ORG.4", "PI.TTO.5",
    "PI.TTO.6", "PI.VEN.4", "PI.VEN.5", "PI.VEN.6", "PI.CAP.4", "PI.CAP.5", "PI.INC.5", "PI.INC.6",
)  # fmt: skip
OLD_SAMPLE = ROOT / "tests" / "fixtures" / "workbooks" / "shanghai-biomed-2025-vib-2026.1.xlsx"
"""samples/shanghai-biomed-2025.xlsx as it was for rubric vib 2026.1."""


@pytest.fixture(scope="module")
def vib() -> Rubric:
    return load_rubric(VIB_YAML, use_cache=False)


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(VIB_YAML.read_text("utf-8"))
    return data


def raw_indicators(raw: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for p in raw["pillars"]:
        for d in p["dimensions"]:
            yield from d["indicators"]


def zh_texts(node: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every Chinese text of the raw rubric, wherever it is (names, levels, advice, profiles, money)."""
    if isinstance(node, dict):
        if isinstance(node.get("zh"), str):
            yield where, node["zh"]
        for k, v in node.items():
            yield from zh_texts(v, f"{where}.{k}")
    elif isinstance(node, list):
        for n, v in enumerate(node):
            yield from zh_texts(v, f"{where}[{v.get('id', n) if isinstance(v, dict) else n}]")


@pytest.fixture(scope="module")
def scored(vib: Rubric) -> dict[str, Any]:
    from vibbench.scoring.engine import score
    from vibbench.workbook.reader import read_assessment

    return {name: score(read_assessment(SAMPLES / name, vib), vib) for name in INSTITUTIONS}


# --------------------------------------------------------------------------- the rubric as a whole


def test_the_bundled_rubric_is_2027_1_and_validates_without_a_warning() -> None:
    result = make_runner().invoke(app, ["rubric", "validate", str(VIB_YAML)])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: ") and "2027.1" in result.stdout
    assert result.stderr == ""


def test_30_to_45_indicators(vib: Rubric) -> None:
    assert 30 <= len(list(vib.indicators())) <= 45


def test_every_source_names_a_year(raw: dict[str, Any]) -> None:
    undated = [i["id"] for i in raw_indicators(raw) if not YEAR.search(i["source"])]
    assert undated == []
    assert YEAR.search(raw["reference"]["source"])
    assert YEAR.search(raw["money"]["source"])


def test_rubric_show_lists_every_source(vib: Rubric) -> None:
    result = make_runner().invoke(app, ["rubric", "show", "vib"], env={"COLUMNS": "250"})

    assert result.exit_code == 0, result.output
    squeeze = re.compile(r"[\s│├└─]+")  # the tree's glyphs and line breaks wherever rich wraps
    shown = squeeze.sub("", result.stdout)
    sources = [i.source for i in vib.indicators()] + [vib.reference_source]
    assert vib.money is not None
    assert [s for s in [*sources, vib.money.source] if squeeze.sub("", s) not in shown] == []


# --------------------------------------------------------------------------- Chinese


def test_every_zh_text_uses_full_width_punctuation(raw: dict[str, Any]) -> None:
    texts = list(zh_texts(raw))
    assert len(texts) > 250  # the walk reaches every text, not a few
    assert [(where, marks) for where, zh in texts if (marks := ascii_punctuation(zh))] == []


REPLACED_TERMS = (  # REVIEW §9: the 2026.1 wording and its 2027.1 replacement
    ("双首长", "科研与转化双负责人制"),
    ("侦察", "技术跟踪与预研"),
    ("关口", "阶段评审节点"),
    ("新创企业人员", "创业孵化专员"),
    ("终身岗位", "固定岗位（编制内）"),
    ("产业收入", "技术合同（四技）收入"),
    ("产业合作收入", "技术合同（四技）收入"),
    ("百万欧元", "万元"),
    ("会员大会", "理事会"),
)


def test_zh_uses_one_name_per_concept(raw: dict[str, Any]) -> None:
    old = [(where, term) for where, zh in zh_texts(raw) for term, _ in REPLACED_TERMS if term in zh]
    assert old == []
    every = "".join(zh for _, zh in zh_texts(raw))
    assert all(new in every for _, new in REPLACED_TERMS)


def test_band_names_never_repeat_a_level_label_and_the_band_word_is_not_dengji(vib: Rubric) -> None:
    labels = {t.get(lang).strip().lower() for t in vib.scale.labels.values() for lang in ("en", "zh")}
    for band in vib.bands:
        assert band.name.get("en").strip().lower() not in labels, band.id
        assert band.name.get("zh").strip() not in labels, band.id
        assert "等级" not in band.name.get("zh"), band.id


def test_level_descriptors_state_no_numbers(vib: Rubric) -> None:
    numbered = [
        (ind.id, level, lang)
        for ind in vib.indicators()
        for level, text in ind.levels.items()
        for lang in ("en", "zh")
        if re.search(r"\d", DOCUMENT_NUMBER.sub("", text.get(lang)))
    ]
    assert numbered == []


def test_the_document_number_exception_is_only_for_document_numbers() -> None:
    assert DOCUMENT_NUMBER.sub("", "按国科办基〔2022〕93号开放共享") == "按国科办基开放共享"
    assert re.search(r"\d", DOCUMENT_NUMBER.sub("", "至少5家企业（〔2022〕93号）"))


# --------------------------------------------------------------------------- recommendations


def test_every_recommendation_has_one_of_the_three_themes_in_balance(vib: Rubric) -> None:
    themes = Counter(r.theme for ind in vib.indicators() for r in ind.recommendations)
    assert set(themes) == THEMES
    total = sum(themes.values())
    assert all(5 * n >= total for n in themes.values()), themes


# --------------------------------------------------------------------------- profiles, funder, money


def test_profiles_institute_and_university_tto(vib: Rubric) -> None:
    assert {p.id for p in vib.profiles} == PROFILES
    assert vib.default_profile == "institute"
    limited = [ind for ind in vib.indicators() if ind.applies_to is not None]
    assert limited, "some items do not fit a university TTO"
    assert all(ind.applies_to and ind.applies_to <= PROFILES for ind in limited)
    assert len(limited) < len(list(vib.indicators()))


def test_funder_items_are_addressed_to_the_funder(vib: Rubric) -> None:
    funder = [ind for ind in vib.indicators() if ind.actor == "funder"]
    assert len(funder) >= 3  # the performance contract, core-funding length and growth
    assert {ind.dimension for ind in funder} <= {"RD.CON", "RC.FUND"}
    for ind in funder:
        assert ind.recommendations, ind.id
        for r in ind.recommendations:
            assert r.text.get("en").startswith("Funder"), ind.id
            assert r.text.get("zh").startswith("出资方"), ind.id


def test_money_is_in_wan_yuan_with_euro_and_dollar_rates(vib: Rubric, raw: dict[str, Any]) -> None:
    money = vib.money
    assert money is not None
    assert (money.currency, money.factor, money.unit.get("zh")) == ("CNY", 10000, "万元")
    assert {"EUR", "USD"} <= set(money.rates) and all(r > 0 for r in money.rates.values())
    amounts = [i for i in raw_indicators(raw) if i.get("unit") == "money"]
    assert len(amounts) >= 4
    units = [str(i.get("unit")) for i in raw_indicators(raw)]
    assert not [u for u in units if "EUR" in u or "欧元" in u]  # no amount is asked in euros any more


def test_size_dependent_numbers_are_raw_totals_per_research_staff(vib: Rubric) -> None:
    per_staff = [ind for ind in vib.indicators() if ind.per == "research_staff"]
    assert len(per_staff) >= 3
    assert all(ind.type == "number" for ind in per_staff)


# --------------------------------------------------------------------------- the benchmark discriminates


def test_every_number_indicator_discriminates_among_the_samples(vib: Rubric, scored: dict[str, Any]) -> None:
    flat = []
    for ind in vib.indicators():
        if ind.type != "number":
            continue
        scores = [
            r.score
            for res in scored.values()
            for r in res.indicators
            if r.id == ind.id and r.score is not None
        ]
        inside = [s for s in scores if 0 < s < 100]
        if not inside or len({round(s, 6) for s in scores}) < 2:
            flat.append((ind.id, scores))
    assert flat == []


def test_every_sample_scores_with_no_warning_but_the_academys_group_ones(scored: dict[str, Any]) -> None:
    for name, res in scored.items():
        codes = {w.code for w in res.warnings}
        allowed = {"disagreement", "unsupported_claim"} if name.startswith("academy") else set()
        assert codes <= allowed, (name, codes)


# --------------------------------------------------------------------------- 2026.1 answers, given forward


def test_prefilling_a_2026_1_sample_keeps_the_kept_ids_and_lists_new_and_dropped(
    vib: Rubric, tmp_path: Path
) -> None:
    from vibbench.workbook.prefill import prefilled_template
    from vibbench.workbook.reader import read_raw

    carried = prefilled_template(vib, OLD_SAMPLE, "zh")

    assert sorted(carried.new) == sorted(NEW_IN_2027_1)
    assert sorted(carried.dropped) == sorted(DROPPED_SINCE_2026_1)
    kept = {i.id for i in vib.indicators()} - set(NEW_IN_2027_1)
    assert carried.carried == len(kept) == 13
    out = tmp_path / "prefilled.xlsx"
    out.write_bytes(carried.data)
    old = {r.indicator: r.answer for r in read_raw(OLD_SAMPLE).rows}
    new = {r.indicator: r.answer for r in read_raw(out).rows}
    assert {k: new[k] for k in kept} == {k: old[k] for k in kept}  # the same question, the same answer
    assert all(new[k] in (None, "") for k in NEW_IN_2027_1)  # left to answer
