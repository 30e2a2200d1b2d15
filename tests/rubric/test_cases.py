"""Acceptance cases discovered from ``tests/cases/{valid,invalid}/<name>/``: a new case needs no code.

invalid/<name>/
    rubric.yaml     the rubric to validate (with any files it extends beside it)
    expected.txt    one problem location per line, ``FILE:LINE`` (``rubric.yaml:12``), optionally
                    followed by a tab and a text the message at that location must contain
valid/<name>/
    rubric.yaml     (+ any files it extends)
    expected.json   optional facts about the loaded rubric (see ``assert_facts``)
either
    xfail.txt       a known bug: the case is expected to fail until it is fixed (the reason)

Each case runs with the case folder as the working directory, so the file part of every
location is exactly the name of the file in that folder.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.rubric.conftest import CASES, parse_error_lines
from vibbench.cli import app
from vibbench.errors import RubricError
from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import Rubric, effective_weights

CJK = re.compile(r"[\u4e00-\u9fff]")


def _cases(kind: str) -> list[Any]:
    params = []
    for folder in sorted(p for p in (CASES / kind).iterdir() if p.is_dir()):
        marks = []
        reason = folder / "xfail.txt"
        if reason.is_file():
            marks.append(pytest.mark.xfail(strict=True, reason=reason.read_text("utf-8").strip()))
        params.append(pytest.param(folder, id=folder.name, marks=marks))
    return params


INVALID = _cases("invalid")
VALID = _cases("valid")


@dataclass(frozen=True)
class Expected:
    where: str
    """``FILE:LINE`` as the loader must display it when run from the case folder."""
    contains: str | None
    """A text the message at that location must contain."""


def read_expected(folder: Path) -> list[Expected]:
    rows = []
    for line in (folder / "expected.txt").read_text("utf-8").splitlines():
        if not line.strip():
            continue
        where, _, contains = line.partition("\t")
        assert re.fullmatch(r"[\w.-]+\.yaml:\d+", where), f"bad expected.txt row: {line!r}"
        rows.append(Expected(where, contains.strip() or None))
    assert rows, f"{folder}/expected.txt lists no location"
    return rows


def payload_paths(folder: Path) -> list[Path]:
    """Files a ``!!python/...`` payload in the case would create if it ever ran."""
    text = "".join(p.read_text("utf-8") for p in folder.glob("*.yaml"))
    return [Path(m) for m in re.findall(r"touch ([^\"'\]\s]+)", text)]


def line_no(where: str) -> int:
    return int(where.rpartition(":")[2])


def test_the_case_folders_are_there() -> None:
    assert len(INVALID) >= 30
    assert len(VALID) >= 5
    for param in INVALID:
        folder = param.values[0]
        assert (folder / "rubric.yaml").is_file(), folder
        assert (folder / "expected.txt").is_file(), folder


# --------------------------------------------------------------------------- invalid


@pytest.mark.parametrize("folder", INVALID)
def test_invalid_case_through_the_loader(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(folder)
    expected = read_expected(folder)
    for path in payload_paths(folder):
        path.unlink(missing_ok=True)

    with pytest.raises(RubricError) as info:
        load_rubric(Path("rubric.yaml"), use_cache=False)

    problems = info.value.problems
    assert sorted({str(p.where) for p in problems}) == sorted({e.where for e in expected})
    for e in expected:
        if e.contains:
            messages = [f"{p.what.en} — {p.fix.en}" for p in problems if str(p.where) == e.where]
            assert any(e.contains in m for m in messages), (e, messages)
    rendered = [p.render() for p in problems]
    assert len(rendered) == len(set(rendered)), "the same problem is reported twice"
    in_rubric = [line_no(str(p.where)) for p in problems if str(p.where).startswith("rubric.yaml:")]
    assert in_rubric == sorted(in_rubric), "problems are listed in line order"
    for path in payload_paths(folder):
        assert not path.exists(), f"a YAML tag ran code: {path} was created"


@pytest.mark.parametrize("folder", INVALID)
def test_invalid_case_through_the_cli(
    folder: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)
    expected = read_expected(folder)
    for path in payload_paths(folder):
        path.unlink(missing_ok=True)

    result = runner.invoke(app, ["rubric", "validate", "rubric.yaml"])

    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = parse_error_lines(result.stderr)
    assert sorted({m["where"] for m in lines}) == sorted({e.where for e in expected})
    for e in expected:
        if e.contains:
            assert any(e.contains in m.group(0) for m in lines if m["where"] == e.where), (e, result.stderr)
    for path in payload_paths(folder):
        assert not path.exists(), f"a YAML tag ran code: {path} was created"


@pytest.mark.parametrize("folder", INVALID)
def test_invalid_case_in_chinese(folder: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(folder)
    expected = read_expected(folder)

    result = runner.invoke(app, ["rubric", "validate", "rubric.yaml", "--lang", "zh"])

    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = parse_error_lines(result.stderr)
    assert sorted({m["where"] for m in lines}) == sorted({e.where for e in expected})
    for m in lines:
        assert CJK.search(m["what"]) and CJK.search(m["fix"]), m.group(0)


# --------------------------------------------------------------------------- valid


def assert_facts(rubric: Rubric, facts: dict[str, Any]) -> None:
    """Compare the loaded rubric with ``expected.json``; every key there is optional."""
    nodes: dict[str, Any] = {}
    for p in rubric.pillars:
        nodes[p.id] = p
        for d in p.dimensions:
            nodes[d.id] = d
            for i in d.indicators:
                nodes[i.id] = i
    indicators = rubric.indicator_map()
    known = {
        "id", "version", "title", "scale", "pillars", "dimensions", "indicators", "types",
        "references", "sources", "levels", "removed", "checks", "effective_weights", "texts",
    }  # fmt: skip
    assert set(facts) <= known, f"unknown facts in expected.json: {set(facts) - known}"

    if "id" in facts:
        assert rubric.id == facts["id"]
    if "version" in facts:
        assert rubric.version == facts["version"]
    if "title" in facts:
        assert {lang: rubric.title.get(lang) for lang in facts["title"]} == facts["title"]
    if "scale" in facts:
        assert [rubric.scale.min, rubric.scale.max] == facts["scale"]
    if "pillars" in facts:
        assert [p.id for p in rubric.pillars] == facts["pillars"]
    if "dimensions" in facts:
        assert [d.id for d in rubric.dimensions()] == facts["dimensions"]
    if "indicators" in facts:
        assert [i.id for i in rubric.indicators()] == facts["indicators"]
    for ident, kind in facts.get("types", {}).items():
        assert indicators[ident].type == kind, ident
    for ident, value in facts.get("references", {}).items():
        assert indicators[ident].reference == value, ident
    for ident, value in facts.get("sources", {}).items():
        assert indicators[ident].source == value, ident
    for ident, value in facts.get("levels", {}).items():
        assert sorted(indicators[ident].levels) == value, ident
    if "removed" in facts:
        assert sorted(rubric.removed) == sorted(facts["removed"])
    if "checks" in facts:
        assert [c.id for c in rubric.checks] == facts["checks"]
    weights = effective_weights(rubric)
    for ident, value in facts.get("effective_weights", {}).items():
        assert math.isclose(weights[ident], value, rel_tol=1e-9), (ident, weights[ident], value)
    for ident, fields in facts.get("texts", {}).items():
        for name, langs in fields.items():
            text = getattr(nodes[ident], name)
            assert {lang: text.get(lang) for lang in langs} == langs, (ident, name)


@pytest.mark.parametrize("folder", VALID)
def test_valid_case(folder: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(folder)

    result = runner.invoke(app, ["rubric", "validate", "rubric.yaml"])

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.startswith("ok: rubric.yaml")
    assert len(result.stdout.splitlines()) == 1

    rubric = load_rubric(Path("rubric.yaml"), use_cache=False)
    weights = effective_weights(rubric)
    assert math.isclose(sum(weights[i.id] for i in rubric.indicators()), 1.0)
    facts_file = folder / "expected.json"
    if facts_file.is_file():
        assert_facts(rubric, json.loads(facts_file.read_text("utf-8")))
