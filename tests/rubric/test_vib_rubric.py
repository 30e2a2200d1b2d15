"""Facts about the bundled rubric ``rubrics/vib.yaml`` (SPEC §3), on the loaded model and on the raw YAML."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from tests.rubric.conftest import VIB_YAML
from vibbench.cli import app
from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import HORIZONS, Rubric, effective_weights

THEMES = {
    "institutional_supply": "强化制度性供给",
    "research_organisation": "创新科研组织模式",
    "capital_linkage": "拓宽资本链接通道",
}
PILLARS = {
    "RD": ("rule design", "规则设计"),
    "RC": ("resource coupling", "资源耦合"),
    "PI": ("project incubation", "项目孵化"),
}
PLACEHOLDERS = ("todo", "tbd", "fixme", "xxx", "unknown", "n/a", "test", "?")


@pytest.fixture(scope="module")
def vib() -> Rubric:
    assert VIB_YAML.is_file(), "the bundled rubric rubrics/vib.yaml is missing"
    return load_rubric(VIB_YAML, use_cache=False)


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, Any] = yaml.load(VIB_YAML.read_text("utf-8"), Loader=loader)
    return data


def raw_indicators(raw: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for p in raw["pillars"]:
        for d in p["dimensions"]:
            yield from d["indicators"]


def raw_texts(raw: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Every user-facing text of the raw rubric, with a name that says where it is."""
    yield "title", raw["title"]
    if "description" in raw:
        yield "description", raw["description"]
    yield "reference.name", raw["reference"]["name"]
    for k, v in raw.get("scale", {}).get("labels", {}).items():
        yield f"scale.labels.{k}", v
    for b in raw.get("bands", []):
        yield f"bands.{b['id']}.name", b["name"]
    for k, v in raw.get("themes", {}).items():
        yield f"themes.{k}", v
    for prof in raw.get("profiles", []):
        yield f"profiles.{prof['id']}.name", prof["name"]
    if "money" in raw:
        yield "money.unit", raw["money"]["unit"]
    for p in raw["pillars"]:
        yield from _node_texts(p)
        for d in p["dimensions"]:
            yield from _node_texts(d)
            for i in d["indicators"]:
                yield from _node_texts(i)
                yield f"{i['id']}.question", i.get("question")
                for k, v in (i.get("levels") or {}).items():
                    yield f"{i['id']}.levels.{k}", v
                if i.get("unit") not in (None, "percent", "money"):  # money: the rubric's money unit
                    yield f"{i['id']}.unit", i["unit"]
                for n, r in enumerate(i.get("recommendations") or []):
                    yield f"{i['id']}.recommendations.{n}.text", r["text"]
    for c in raw.get("checks", []):
        yield f"checks.{c['id']}.message", c["message"]


def _node_texts(node: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    yield f"{node['id']}.name", node.get("name")
    if "description" in node:
        yield f"{node['id']}.description", node["description"]


def bilingual(text: Any) -> bool:
    return (
        isinstance(text, dict)
        and isinstance(text.get("en"), str)
        and isinstance(text.get("zh"), str)
        and bool(text["en"].strip())
        and bool(text["zh"].strip())
    )


# --------------------------------------------------------------------------- the model


def test_vib_validates() -> None:
    result = CliRunner().invoke(app, ["rubric", "validate", str(VIB_YAML)])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: ")


def test_vib_is_the_bundled_default(vib: Rubric) -> None:
    assert load_rubric("vib", use_cache=False).content_hash == vib.content_hash
    assert vib.id == "vib"
    assert vib.schema_version == 1
    assert vib.version


def test_vib_has_the_three_pillars_of_the_vib_model(vib: Rubric) -> None:
    assert [p.id for p in vib.pillars] == list(PILLARS)
    for p in vib.pillars:
        en, zh = PILLARS[p.id]
        assert p.name.get("en").lower() == en
        assert p.name.get("zh") == zh


def test_vib_has_30_to_45_indicators_of_mixed_types(vib: Rubric) -> None:
    indicators = list(vib.indicators())
    assert 30 <= len(indicators) <= 45
    types = Counter(i.type for i in indicators)
    assert types["level"] >= 5
    assert types["number"] >= 5
    assert set(types) <= {"level", "number", "boolean"}
    for p in vib.pillars:  # every pillar has something to answer
        assert len(p.dimensions) >= 2
        assert all(d.indicators for d in p.dimensions)


def test_vib_themes_and_bands_are_those_of_the_spec(vib: Rubric) -> None:
    assert {k: t.get("zh") for k, t in vib.themes.items()} == THEMES
    assert [(b.min, b.id) for b in vib.bands] == [  # 2027.1: 起步 / 追赶 / 并跑 / 领跑
        (0, "starting"),
        (25, "catching_up"),
        (50, "keeping_pace"),
        (75, "front_runner"),
    ]
    assert (vib.scale.min, vib.scale.max) == (0, 4)


def test_every_indicator_has_a_recommendation_with_a_theme_and_horizon(vib: Rubric) -> None:
    used: set[str] = set()
    for ind in vib.indicators():
        assert ind.recommendations, ind.id
        for r in ind.recommendations:
            assert r.theme in THEMES, ind.id
            assert r.horizon in HORIZONS, ind.id
            assert r.text.get("en").strip() and r.text.get("zh").strip(), ind.id
            used.add(r.theme)
    assert used == set(THEMES)  # the report groups recommendations by all three themes


def test_vib_has_at_least_four_checks_on_its_own_indicators(vib: Rubric) -> None:
    ids = set(vib.indicator_map())
    assert len(vib.checks) >= 4
    assert len({c.id for c in vib.checks}) == len(vib.checks)
    for c in vib.checks:
        assert c.when.indicator in ids and c.then.indicator in ids, c.id
        assert c.when.indicator != c.then.indicator, c.id


def test_vib_effective_weights_sum_to_one(vib: Rubric) -> None:
    weights = effective_weights(vib)
    assert math.isclose(sum(weights[i.id] for i in vib.indicators()), 1.0)
    assert math.isclose(sum(weights[p.id] for p in vib.pillars), 1.0)
    for p in vib.pillars:
        assert math.isclose(sum(weights[d.id] for d in p.dimensions), weights[p.id])
    assert all(weights[i.id] > 0 for i in vib.indicators())


def test_vib_level_indicators_describe_every_level(vib: Rubric) -> None:
    levels = list(range(vib.scale.min, vib.scale.max + 1))
    for ind in vib.indicators():
        if ind.type == "level":
            assert sorted(ind.levels) == levels, ind.id
            assert ind.reference in levels, ind.id


def test_vib_number_references_are_inside_their_goalposts_and_range(vib: Rubric) -> None:
    for ind in vib.indicators():
        if ind.type != "number":
            continue
        assert ind.min != ind.target, ind.id
        low = ind.range_min if ind.range_min is not None else 0.0
        high = ind.range_max if ind.range_max is not None else (100.0 if ind.percent else math.inf)
        assert low <= ind.reference <= high, ind.id
        if ind.log:
            assert min(ind.min, ind.target) > -1, ind.id


# --------------------------------------------------------------------------- the raw YAML


def test_every_reference_value_has_a_source(raw: dict[str, Any]) -> None:
    """A reference value without a source would be an invented VIB fact."""
    missing = []
    for ind in raw_indicators(raw):
        assert "reference" in ind, ind["id"]
        source = ind.get("source")
        if not isinstance(source, str) or len(source.strip()) < 8 or source.strip().lower() in PLACEHOLDERS:
            missing.append(ind["id"])
    assert missing == [], f"reference values without a source: {missing}"
    assert isinstance(raw["reference"].get("source"), str) and raw["reference"]["source"].strip()


def test_every_source_is_more_than_a_placeholder(raw: dict[str, Any]) -> None:
    for ind in raw_indicators(raw):
        words = ind["source"].lower()
        for placeholder in ("todo", "tbd", "fixme", "xxx", "lorem"):
            assert placeholder not in words, (ind["id"], placeholder)


def test_every_text_has_english_and_chinese(raw: dict[str, Any]) -> None:
    not_bilingual = [where for where, text in raw_texts(raw) if not bilingual(text)]
    assert not_bilingual == []


def test_every_indicator_asks_a_question(raw: dict[str, Any]) -> None:
    for ind in raw_indicators(raw):
        assert bilingual(ind.get("question")), ind["id"]


def test_every_level_descriptor_exists_in_both_languages(raw: dict[str, Any]) -> None:
    scale = raw.get("scale", {})
    levels = set(range(scale.get("min", 0), scale.get("max", 4) + 1))
    for ind in raw_indicators(raw):
        if ind["type"] != "level":
            assert "levels" not in ind, ind["id"]
            continue
        assert set(ind["levels"]) == levels, ind["id"]
        for level, text in ind["levels"].items():
            assert bilingual(text), (ind["id"], level)


def test_the_raw_ids_are_unique_and_nested(raw: dict[str, Any]) -> None:
    seen: list[str] = []
    for p in raw["pillars"]:
        seen.append(p["id"])
        for d in p["dimensions"]:
            assert d["id"].startswith(p["id"] + "."), d["id"]
            seen.append(d["id"])
            for i in d["indicators"]:
                assert i["id"].startswith(d["id"] + "."), i["id"]
                seen.append(i["id"])
    assert len(seen) == len(set(seen))
