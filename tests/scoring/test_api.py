"""Issue 11 §5: the Python API an analyst uses in a notebook."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import vibbench
from tests.conftest import ROOT
from vibbench.errors import UsageError
from vibbench.scoring.ranking import rank
from vibbench.scoring.result import ScoreOptions

SAMPLES = ROOT / "samples"
BOOK = SAMPLES / "academy-institute-2025.xlsx"
EXPORTS = ("load_rubric", "read_assessment", "score", "score_file", "ScoreOptions", "compare")


def test_exports_are_in_dir_for_tab_completion() -> None:
    names = dir(vibbench)
    for name in EXPORTS:
        assert name in names and name in vibbench.__all__
        assert callable(getattr(vibbench, name))


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        vibbench.nothing_here  # noqa: B018


def test_import_vibbench_stays_cheap() -> None:
    code = (
        "import sys, vibbench\n"
        "dir(vibbench)\n"
        "print(','.join(m for m in ('pandas', 'numpy', 'openpyxl', 'matplotlib', 'pydantic', 'vibbench.scoring')"
        " if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == ""


# --------------------------------------------------------------------------- options


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"missing": "zeros"}, "missing"),
        ({"missing": "Exclude"}, "missing"),
        ({"aggregation": "mean"}, "aggregation"),
        ({"top": -1}, "top"),
        ({"top": -3}, "top"),
        ({"top": 2.5}, "top"),
        ({"top": True}, "top"),
        ({"top": "10"}, "top"),
    ],
)
def test_bad_options_raise(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(UsageError) as err:
        ScoreOptions(**kwargs)  # type: ignore[arg-type]
    (problem,) = err.value.problems
    assert str(problem.where) == f"ScoreOptions.{field}"
    assert problem.what.zh and problem.fix.zh


def test_every_bad_option_is_reported_at_once() -> None:
    with pytest.raises(UsageError) as err:
        ScoreOptions(missing="zeros", aggregation="mean", top=-1)
    assert len(err.value.problems) == 3


@pytest.mark.parametrize("missing", ["exclude", "zero"])
@pytest.mark.parametrize("aggregation", ["arithmetic", "geometric"])
def test_good_options(missing: str, aggregation: str) -> None:
    opts = ScoreOptions(missing=missing, aggregation=aggregation, top=1)
    assert (opts.missing, opts.aggregation, opts.top) == (missing, aggregation, 1)


# --------------------------------------------------------------------------- a result


@pytest.fixture(scope="module")
def result() -> vibbench.Result:
    return vibbench.score_file(BOOK, "vib")


def test_repr_is_short(result: vibbench.Result) -> None:
    text = repr(result)
    assert len(text) < 200, text
    name = result.assessment.name
    assert text.startswith(f"<Result {name!r} 2025: {result.overall.score:.1f} ")
    assert f"of {len(result.indicators)} indicators" in text


def test_to_dict_is_the_json_output(result: vibbench.Result) -> None:
    from vibbench.cli import app

    res = CliRunner().invoke(app, ["score", str(BOOK), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(json.dumps(result.to_dict())) == json.loads(res.stdout)
    assert result.to_dict("zh")["options"]["lang"] == "zh"


def test_to_frame(result: vibbench.Result) -> None:
    ind = result.to_frame()
    assert len(ind) == len(result.indicators)
    assert list(ind["id"]) == [r.id for r in result.indicators]
    assert ind["score"].tolist()[0] == pytest.approx(result.indicators[0].score)
    dims = result.to_frame("dimensions")
    assert list(dims["id"]) == [d.id for d in result.dimensions]
    assert set(dims["pillar"]) == {p.id for p in result.pillars}
    pillars = result.to_frame("pillars", lang="zh")
    assert list(pillars["name"]) == [p.name.get("zh") for p in result.pillars]
    assert list(pillars["band"]) == [p.band.id if p.band else None for p in result.pillars]
    with pytest.raises(UsageError):
        result.to_frame("answers")


# --------------------------------------------------------------------------- a cohort


def test_compare_ranks_like_the_ranking_module() -> None:
    cohort = vibbench.compare([SAMPLES], "vib", ScoreOptions(missing="zero"))
    files = sorted(SAMPLES.glob("*.xlsx"))
    assert len(cohort) == len(files)
    expected = rank([vibbench.score_file(f, "vib", ScoreOptions(missing="zero")) for f in files])
    assert [(r.assessment.path, n) for r, n in cohort] == [(r.assessment.path, n) for r, n in expected]
    assert cohort.ranks[0] == 1
    assert all(r.options.missing == "zero" for r in cohort.results)
    assert repr(cohort).startswith(f"<Cohort of {len(files)}: 1. ")


def test_compare_takes_one_file_and_refuses_nothing(tmp_path: Path) -> None:
    assert len(vibbench.compare(BOOK)) == 1
    with pytest.raises(UsageError):
        vibbench.compare([tmp_path])


def test_cohort_frame_is_one_row_per_institution_and_indicator() -> None:
    cohort = vibbench.compare([SAMPLES])
    frame = cohort.to_frame()
    n = len(cohort.results[0].indicators)
    assert len(frame) == len(cohort) * n
    assert list(frame.columns[:4]) == ["institution", "year", "path", "rank"]
    first = frame.iloc[0]
    assert first["rank"] == 1 and first["institution"] == cohort.results[0].assessment.name
    pillars = cohort.to_frame("pillars")
    assert len(pillars) == len(cohort) * len(cohort.results[0].pillars)


def test_to_frame_without_pandas_says_how_to_install_it(
    result: vibbench.Result, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(UsageError, match=r"pip install 'vibbench\[pandas\]'"):
        result.to_frame()
