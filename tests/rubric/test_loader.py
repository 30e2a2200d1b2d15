"""The rubric loader as a library: ``extends``, ``remove``, the cache, language fall-back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import MINI_RUBRIC, ROOT
from tests.rubric.conftest import VIB_YAML
from vibbench.errors import RubricError, UsageError
from vibbench.rubric import compiler, loader
from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import effective_weights
from vibbench.rubric.paths import display_path

BASE = """\
schema_version: 1
id: base
version: "1"
title: {en: Base, zh: 基础}
pillars:
  - id: P
    name: {en: Pillar P, zh: 支柱P}
    dimensions:
      - id: P.D
        name: {en: Dimension D, zh: 维度D}
        indicators:
          - id: P.D.1
            name: {en: Level one, zh: 等级一}
            type: level
            levels: {0: none, 1: some, 2: half, 3: most, 4: all}
            reference: 4
            source: test
          - id: P.D.2
            name: {en: Yes or no, zh: 是否}
            type: boolean
            reference: true
            source: test
      - id: P.E
        name: {en: Dimension E, zh: 维度E}
        indicators:
          - id: P.E.1
            name: {en: Spin-offs, zh: 衍生企业}
            type: number
            min: 0
            reference: 4
            source: test
  - id: Q
    name: {en: Pillar Q, zh: 支柱Q}
    dimensions:
      - id: Q.D
        name: {en: Dimension QD, zh: 维度QD}
        indicators:
          - id: Q.D.1
            name: {en: Level Q, zh: 等级Q}
            type: level
            levels: {0: none, 1: some, 2: half, 3: most, 4: all}
            reference: 3
            source: test
checks:
  - id: level-needs-yes
    if: {indicator: P.D.1, at_least: 3}
    then: {indicator: P.D.2, at_least: 1}
    message: {en: Level without yes, zh: 等级与是否矛盾}
  - id: spinoffs-need-level
    if: {indicator: P.E.1, at_least: 1}
    then: {indicator: Q.D.1, at_least: 2}
    message: {en: Spin-offs without level, zh: 衍生企业与等级矛盾}
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("VIBBENCH_CACHE_DIR", str(cache))
    monkeypatch.delenv("VIBBENCH_NO_CACHE", raising=False)
    return cache


# --------------------------------------------------------------------------- extends


def test_extends_a_bundled_rubric_by_name(tmp_path: Path) -> None:
    path = write(
        tmp_path / "mine.yaml",
        """\
        extends: vib
        id: mine
        version: "1"
        weights: {RD: 0}
        """,
    )
    vib = load_rubric(VIB_YAML, use_cache=False)

    mine = load_rubric(path, use_cache=False)

    assert mine.id == "mine"
    assert mine.title == vib.title
    assert [i.id for i in mine.indicators()] == [i.id for i in vib.indicators()]
    weights = effective_weights(mine)
    assert weights["RD"] == 0
    rest = sum(p.weight for p in vib.pillars if p.id != "RD")
    for p in vib.pillars[1:]:
        assert weights[p.id] == pytest.approx(p.weight / rest)
    assert mine.content_hash != vib.content_hash


def test_extends_a_chain_of_three_files(tmp_path: Path) -> None:
    write(tmp_path / "rubrics" / "a.yaml", BASE)
    write(
        tmp_path / "rubrics" / "b.yaml",
        """\
        # b: adds an indicator to P.D and doubles P
        extends: a.yaml
        id: b
        weights: {P: 2}
        pillars:
          - id: P
            dimensions:
              - id: P.D
                indicators:
                  - id: P.D.3
                    name: {en: Added in b, zh: b新增}
                    type: boolean
                    reference: false
                    source: test
        """,
    )
    c = write(
        tmp_path / "mine" / "c.yaml",
        """\
        # c: in another folder; removes P.E, renames Q, changes a reference
        extends: ../rubrics/b.yaml
        id: c
        remove: [P.E]
        pillars:
          - id: Q
            name: {en: Pillar Q renamed, zh: 支柱Q改名}
            dimensions:
              - id: Q.D
                indicators:
                  - id: Q.D.1
                    reference: 1
        """,
    )

    rubric = load_rubric(c, use_cache=False)

    assert rubric.id == "c"
    assert rubric.version == "1"  # from a
    assert [i.id for i in rubric.indicators()] == ["P.D.1", "P.D.2", "P.D.3", "Q.D.1"]
    assert rubric.removed == frozenset({"P.E.1"})
    assert [ch.id for ch in rubric.checks] == ["level-needs-yes"]
    q = rubric.pillars[1]
    assert (q.name.get("en"), q.name.get("zh")) == ("Pillar Q renamed", "支柱Q改名")
    assert rubric.indicator_map()["Q.D.1"].reference == 1
    assert rubric.indicator_map()["Q.D.1"].name.get("zh") == "等级Q"  # the rest of Q.D.1 is kept
    weights = effective_weights(rubric)
    assert weights["P"] == pytest.approx(2 / 3)
    assert weights["P.D.3"] == pytest.approx(2 / 9)
    assert weights["Q.D.1"] == pytest.approx(1 / 3)


def test_extends_is_relative_to_the_extending_file_not_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "deep" / "base.yaml", BASE)
    path = write(tmp_path / "deep" / "mine.yaml", "extends: base.yaml\n")
    write(tmp_path / "base.yaml", "this: is not the base\n")  # a decoy in the current folder
    monkeypatch.chdir(tmp_path)

    rubric = load_rubric(Path("deep/mine.yaml"), use_cache=False)

    assert rubric.id == "base"
    assert sum(1 for _ in rubric.indicators()) == 4
    assert path.is_file()


def test_problems_in_the_base_and_in_the_extending_file_are_reported_together(tmp_path: Path) -> None:
    write(tmp_path / "base.yaml", BASE.replace("reference: 3\n", "reference: 9\n"))
    mine = write(tmp_path / "mine.yaml", "extends: base.yaml\nweights:\n  Q.D.7: 1\n")
    base_line = BASE.splitlines().index("            reference: 3") + 1

    with pytest.raises(RubricError) as info:
        load_rubric(mine, use_cache=False)

    found = {(Path(p.where.file).name, p.where.line) for p in info.value.problems}
    assert found == {("base.yaml", base_line), ("mine.yaml", 3)}


def test_an_unknown_bundled_name_or_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        load_rubric("no-such-rubric", use_cache=False)
    assert "vib" in info.value.problems[0].fix.en  # names what exists
    with pytest.raises(UsageError):
        load_rubric(tmp_path / "missing.yaml", use_cache=False)


# --------------------------------------------------------------------------- remove


def test_remove_drops_the_checks_that_mention_a_removed_indicator(tmp_path: Path) -> None:
    write(tmp_path / "base.yaml", BASE)
    path = write(tmp_path / "mine.yaml", "extends: base.yaml\nremove: [P.D.2, Q]\n")

    rubric = load_rubric(path, use_cache=False)

    assert [i.id for i in rubric.indicators()] == ["P.D.1", "P.E.1"]
    assert [p.id for p in rubric.pillars] == ["P"]
    assert rubric.removed == frozenset({"P.D.2", "Q.D.1"})  # a removed pillar's indicators too
    assert rubric.checks == ()  # each check named a removed indicator
    assert effective_weights(rubric)["P.D.1"] == pytest.approx(0.5)


def test_remove_keeps_the_checks_on_the_indicators_that_stay(tmp_path: Path) -> None:
    write(tmp_path / "base.yaml", BASE)
    path = write(tmp_path / "mine.yaml", "extends: base.yaml\nremove: [P.D.2]\n")

    rubric = load_rubric(path, use_cache=False)

    assert [c.id for c in rubric.checks] == ["spinoffs-need-level"]
    assert rubric.removed == frozenset({"P.D.2"})


def test_removing_the_last_indicator_of_a_dimension(tmp_path: Path) -> None:
    write(tmp_path / "base.yaml", BASE)
    path = write(tmp_path / "mine.yaml", "extends: base.yaml\nremove:\n  - P.E.1\n")

    try:
        rubric = load_rubric(path, use_cache=False)
    except RubricError as exc:  # acceptable if it says where the user can fix it
        assert [str(p.where) for p in exc.problems] == [f"{display_path(path)}:3"]
    else:  # or the emptied dimension goes too
        assert [d.id for d in rubric.dimensions()] == ["P.D", "Q.D"]


def test_a_rubric_without_remove_removes_nothing(mini_rubric: object) -> None:
    rubric = load_rubric(MINI_RUBRIC, use_cache=False)
    assert rubric.removed == frozenset()


# --------------------------------------------------------------------------- cache


def test_loading_twice_gives_the_same_content_hash_the_second_time_from_the_cache(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "mini.yaml", MINI_RUBRIC.read_text("utf-8"))

    first = load_rubric(path)
    assert list(cache_dir.glob("rubric-*.json")), "nothing was cached"
    assert first.content_hash == load_rubric(MINI_RUBRIC, use_cache=False).content_hash

    def no_validation(*args: object, **kwargs: object) -> None:
        raise AssertionError("validated again instead of using the cache")

    monkeypatch.setattr(compiler, "compile_rubric", no_validation)
    second = load_rubric(path)

    assert second.content_hash == first.content_hash
    assert second == first


def test_a_changed_base_file_invalidates_the_cache_of_an_extending_file(
    tmp_path: Path, cache_dir: Path
) -> None:
    base = write(tmp_path / "base.yaml", BASE)
    mine = write(tmp_path / "mine.yaml", "extends: base.yaml\nweights: {Q: 3}\n")
    before = load_rubric(mine)
    assert load_rubric(mine).content_hash == before.content_hash

    base.write_text(BASE.replace("reference: 3\n", "reference: 2\n"), "utf-8")
    after = load_rubric(mine)

    assert after.indicator_map()["Q.D.1"].reference == 2
    assert after.content_hash != before.content_hash
    changed = [i.id for i in after.indicators() if i.fingerprint != before.indicator_map()[i.id].fingerprint]
    assert changed == ["Q.D.1"]  # fingerprints tell which indicator changed


def test_a_base_that_became_invalid_is_not_hidden_by_the_cache(tmp_path: Path, cache_dir: Path) -> None:
    base = write(tmp_path / "base.yaml", BASE)
    mine = write(tmp_path / "mine.yaml", "extends: base.yaml\n")
    load_rubric(mine)

    base.write_text(BASE.replace("reference: 3\n", "reference: 7\n"), "utf-8")
    with pytest.raises(RubricError):
        load_rubric(mine)

    base.unlink()
    with pytest.raises(RubricError) as info:
        load_rubric(mine)
    assert str(info.value.problems[0].where).endswith("mine.yaml:1")


def test_two_extending_files_with_the_same_text_do_not_share_a_cache_entry(
    tmp_path: Path, cache_dir: Path
) -> None:
    write(tmp_path / "one" / "base.yaml", BASE)
    write(tmp_path / "two" / "base.yaml", BASE.replace("id: base", "id: other"))
    one = write(tmp_path / "one" / "mine.yaml", "extends: base.yaml\n")
    two = write(tmp_path / "two" / "mine.yaml", "extends: base.yaml\n")

    assert load_rubric(one).id == "base"
    assert load_rubric(two).id == "other"
    assert load_rubric(one).id == "base"


def test_a_corrupt_cache_entry_is_ignored(tmp_path: Path, cache_dir: Path) -> None:
    path = write(tmp_path / "mini.yaml", MINI_RUBRIC.read_text("utf-8"))
    good = load_rubric(path)
    for entry in cache_dir.glob("rubric-*.json"):
        entry.write_text('{"deps": [], "hash": "x", "da', "utf-8")

    again = load_rubric(path)

    assert again.content_hash == good.content_hash


def test_no_cache_when_disabled(tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIBBENCH_NO_CACHE", "1")
    load_rubric(MINI_RUBRIC)
    load_rubric(MINI_RUBRIC, use_cache=False)
    assert not cache_dir.exists() or not list(cache_dir.iterdir())


def test_validation_never_writes_the_cache(tmp_path: Path, cache_dir: Path) -> None:
    load_rubric(MINI_RUBRIC, use_cache=False)
    assert not cache_dir.exists() or not list(cache_dir.iterdir())


LOAD_AND_REPORT = """\
import json, sys
from pathlib import Path
from vibbench.rubric.loader import load_rubric
r = load_rubric(Path(sys.argv[1]))
print(json.dumps({"pydantic": "pydantic" in sys.modules, "hash": r.content_hash,
                  "n": sum(1 for _ in r.indicators())}))
"""


@pytest.mark.parametrize("which", ["vib", "extending"])
def test_a_rubric_loaded_from_the_cache_does_not_import_pydantic(which: str, tmp_path: Path) -> None:
    if which == "vib":
        path = VIB_YAML
    else:
        write(tmp_path / "base.yaml", BASE)
        path = write(tmp_path / "mine.yaml", "extends: base.yaml\nremove: [P.E]\n")
    env = {**os.environ, "VIBBENCH_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("VIBBENCH_NO_CACHE", None)

    def run() -> dict[str, object]:
        done = subprocess.run(
            [sys.executable, "-c", LOAD_AND_REPORT, str(path)],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=True,
        )  # fmt: skip
        out: dict[str, object] = json.loads(done.stdout)
        return out

    cold = run()
    warm = run()

    assert cold["pydantic"] is True  # validating needs it, so the test means something
    assert warm["pydantic"] is False
    assert warm["hash"] == cold["hash"]
    assert warm["n"] == cold["n"]


# --------------------------------------------------------------------------- texts


def test_plain_string_texts_fall_back_to_english_in_chinese(tmp_path: Path) -> None:
    path = write(
        tmp_path / "plain.yaml",
        """\
        schema_version: 1
        id: plain
        version: "1"
        title: Plain
        themes:
          institutional_supply: Supply
        pillars:
          - id: P
            name: Pillar
            dimensions:
              - id: P.D
                name: {en: Dimension}
                indicators:
                  - id: P.D.1
                    name: Level
                    question: How far?
                    type: level
                    levels: {0: none, 1: some, 2: half, 3: most, 4: all}
                    reference: 4
                    source: test
                    recommendations:
                      - {theme: institutional_supply, horizon: quick_win, text: Start}
        checks:
          - id: c
            if: {indicator: P.D.1, at_least: 1}
            then: {indicator: P.D.1, at_most: 4}
            message: Always fine
        """,
    )

    r = load_rubric(path, use_cache=False)

    ind = r.indicator_map()["P.D.1"]
    pairs = [
        (r.title, "Plain"),
        (r.pillars[0].name, "Pillar"),
        (r.pillars[0].dimensions[0].name, "Dimension"),
        (ind.name, "Level"),
        (ind.question, "How far?"),
        (ind.levels[3], "most"),
        (ind.recommendations[0].text, "Start"),
        (r.checks[0].message, "Always fine"),
        (r.themes["institutional_supply"], "Supply"),
    ]
    for text, en in pairs:
        assert text.get("en") == en
        assert text.get("zh") == en


def test_a_question_defaults_to_the_name() -> None:
    rubric = load_rubric(MINI_RUBRIC, use_cache=False)
    for ind in rubric.indicators():
        assert ind.question.get("en")


def test_the_mini_rubric_model(mini_rubric: object) -> None:
    r = load_rubric(MINI_RUBRIC, use_cache=False)
    m = r.indicator_map()
    assert m["A.X.2"].percent and m["A.X.2"].unit is None and m["A.X.2"].target == 50
    assert m["A.Y.1"].direction == "lower" and (m["A.Y.1"].min, m["A.Y.1"].target) == (15, 5)
    assert m["B.Z.1"].reference == 1.0
    assert m["B.Z.2"].log
    assert m["A.X.1"].recommendations[1].when_below == 2
    assert r.band_for(60).id == "established"  # default bands
    assert set(r.themes) == {"institutional_supply", "research_organisation", "capital_linkage"}


# --------------------------------------------------------------------------- regressions


def test_number_ranges_default_as_the_spec_says_and_null_is_unbounded(tmp_path: Path) -> None:
    """SPEC §3: `range` null = unbounded; default min 0, and max 100 when the unit is percent."""
    path = write(
        tmp_path / "range.yaml",
        """\
        schema_version: 1
        id: r
        version: "1"
        title: Range
        pillars:
          - id: P
            name: Pillar
            dimensions:
              - id: P.D
                name: Dimension
                indicators:
                  - {id: P.D.1, name: Growth, type: number, min: -10, reference: 5, source: t,
                     range: {min: null, max: null}}
                  - {id: P.D.2, name: Count, type: number, min: 0, reference: 5, source: t}
                  - {id: P.D.3, name: Share, type: number, unit: percent, min: 0, reference: 5, source: t}
                  - {id: P.D.4, name: Capped, type: number, min: 0, reference: 5, source: t,
                     range: {max: 10}}
                  - {id: P.D.5, name: Any share, type: number, unit: percent, min: 0, reference: 5,
                     source: t, range: {max: null}}
        """,
    )

    m = load_rubric(path, use_cache=False).indicator_map()

    assert (m["P.D.1"].range_min, m["P.D.1"].range_max) == (None, None)
    assert (m["P.D.2"].range_min, m["P.D.2"].range_max) == (0, None)
    assert (m["P.D.3"].range_min, m["P.D.3"].range_max) == (0, 100)
    assert (m["P.D.4"].range_min, m["P.D.4"].range_max) == (0, 10)
    assert (m["P.D.5"].range_min, m["P.D.5"].range_max) == (0, None)


ALIAS_BOMB = """\
import sys
from pathlib import Path
from vibbench.errors import VibbenchError
from vibbench.rubric.loader import load_rubric
try:
    load_rubric(Path(sys.argv[1]), use_cache=False)
except VibbenchError as exc:
    print(len(exc.problems))
"""


def test_a_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["laughs:", "  l0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, 8):  # 10**8 'lol's once expanded, from a file of 1.5 KB
        lines.append(f"  l{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]")
    path = write(tmp_path / "bomb.yaml", MINI_RUBRIC.read_text("utf-8") + "\n".join(lines) + "\n")

    # In a child process, so that a regression is killed instead of eating the memory of the test
    # run; the node budget (not a clock) is what bounds the work. Its speed is a benchmark case
    # (benchmarks/rubric_load.py).
    done = subprocess.run(
        [sys.executable, "-c", ALIAS_BOMB, str(path)],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=True,
    )  # fmt: skip

    assert int(done.stdout) >= 1  # `laughs` is an unknown key, if nothing else


# --------------------------------------------------------------------------- bounded work


def test_a_rubric_file_over_the_size_limit_is_refused_before_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vibbench.rubric import extends, paths

    path = tmp_path / "huge.yaml"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("schema_version: 1\nx:\n")
        while fh.tell() <= paths.MAX_RUBRIC_BYTES:
            fh.write("  - 1\n" * 10_000)

    def no_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed a file over the size limit")

    monkeypatch.setattr(extends, "parse_yaml", no_parse)
    with pytest.raises(RubricError) as info:
        load_rubric(path, use_cache=False)

    [problem] = info.value.problems
    assert problem.where.file.endswith("huge.yaml")
    assert f"{path.stat().st_size:,}" in problem.what.en and "4 MB" in problem.what.en
    assert "MB" in (problem.what.zh or "")


def test_an_extends_chain_of_1000_files_is_one_error(tmp_path: Path) -> None:
    write(tmp_path / "f0.yaml", BASE)
    for n in range(1, 1000):
        (tmp_path / f"f{n}.yaml").write_text(f"extends: f{n - 1}.yaml\n", "utf-8")
    top = tmp_path / "f999.yaml"

    with pytest.raises(RubricError) as info:
        load_rubric(top, use_cache=False)

    [problem] = info.value.problems
    assert "chain" in problem.what.en and str(compiler_depth()) in problem.what.en
    assert problem.where.line == 1


def compiler_depth() -> int:
    from vibbench.rubric.extends import MAX_EXTENDS_DEPTH

    return MAX_EXTENDS_DEPTH


def test_an_extends_chain_at_the_depth_limit_still_loads(tmp_path: Path) -> None:
    write(tmp_path / "f0.yaml", BASE)
    for n in range(1, compiler_depth()):
        (tmp_path / f"f{n}.yaml").write_text(f"extends: f{n - 1}.yaml\n", "utf-8")

    rubric = load_rubric(tmp_path / f"f{compiler_depth() - 1}.yaml", use_cache=False)

    assert rubric.id == "base"


# --------------------------------------------------------------------------- a cache that cannot be trusted


def _only_entry(cache_dir: Path) -> Path:
    [entry] = cache_dir.glob("rubric-*.json")
    return entry


def test_an_edited_cache_entry_is_not_used(tmp_path: Path, cache_dir: Path) -> None:
    path = write(tmp_path / "mini.yaml", MINI_RUBRIC.read_text("utf-8"))
    good = load_rubric(path)
    entry = _only_entry(cache_dir)
    data = json.loads(entry.read_text("utf-8"))
    for p in data["data"]["pillars"]:  # make every reference trivially reachable, keep the hash
        for d in p["dimensions"]:
            for i in d["indicators"]:
                i["reference"] = 0
                i["weight"] = 7
    entry.write_text(json.dumps(data), "utf-8")

    again = load_rubric(path)

    assert again == good
    assert [i.reference for i in again.indicators()] == [i.reference for i in good.indicators()]


@pytest.mark.parametrize(
    "content",
    [
        '{"deps": 5, "hash": "x", "data": {}}',
        '{"deps": [["a"]], "hash": "x", "data": {}}',
        '{"deps": [], "hash": null, "data": []}',
        "[]",
        '"text"',
        "",
    ],
)
def test_a_malformed_cache_entry_is_as_if_absent(content: str, tmp_path: Path, cache_dir: Path) -> None:
    path = write(tmp_path / "mini.yaml", MINI_RUBRIC.read_text("utf-8"))
    good = load_rubric(path)
    _only_entry(cache_dir).write_text(content, "utf-8")

    assert load_rubric(path) == good
    assert load_rubric(path) == good  # and the entry was written again


def test_a_malformed_entry_whose_hash_matches_is_as_if_absent(tmp_path: Path, cache_dir: Path) -> None:
    path = write(tmp_path / "mini.yaml", MINI_RUBRIC.read_text("utf-8"))
    good = load_rubric(path)
    data: dict[str, object] = {"pillars": "no"}
    entry = {"deps": [], "hash": loader.content_hash(data), "data": data}
    _only_entry(cache_dir).write_text(json.dumps(entry), "utf-8")

    assert load_rubric(path) == good


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_cache_entry_never_reads_a_dependency_that_is_not_a_regular_file(
    tmp_path: Path, cache_dir: Path
) -> None:
    path = write(tmp_path / "mini.yaml", MINI_RUBRIC.read_text("utf-8"))
    good = load_rubric(path)
    entry = _only_entry(cache_dir)
    data = json.loads(entry.read_text("utf-8"))
    data["deps"].append(["/dev/zero", "0" * 64])
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # opening it to read would block forever
    data["deps"].append([str(fifo), "0" * 64])
    entry.write_text(json.dumps(data), "utf-8")

    assert load_rubric(path) == good  # returned at all: neither was read


def test_a_cache_entry_that_is_a_fifo_is_not_read(tmp_path: Path, cache_dir: Path) -> None:
    path = write(tmp_path / "mini.yaml", MINI_RUBRIC.read_text("utf-8"))
    good = load_rubric(path)
    entry = _only_entry(cache_dir)
    entry.unlink()
    os.mkfifo(entry)

    assert load_rubric(path, use_cache=True) == good
