"""Where outputs go (SPEC §1, v2): never over an input, into FIFOs and devices as they are,
``-`` for standard output, the old file's mode kept, no temporary file left; closed pipes,
full or ASCII-only standard outputs and non-finite options end with one line, not a traceback."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import MINI_RUBRIC, ROOT
from vibbench import io
from vibbench.errors import UsageError
from vibbench.signals import Stopped

SAMPLE = ROOT / "samples" / "shanghai-biomed-2025.xlsx"
OTHER = ROOT / "samples" / "academy-institute-2025.xlsx"


def run(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vibbench", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        encoding="utf-8",
        errors="replace",
    )


def one_error(res: subprocess.CompletedProcess[str]) -> str:
    assert res.returncode == 2, res.stderr
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    assert "Traceback" not in res.stderr
    return lines[0]


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "in.xlsx"
    shutil.copyfile(SAMPLE, path)
    return path


# --------------------------------------------------------------------------- 1. an output is never an input


def _digest(path: Path) -> bytes:
    return path.read_bytes()


@pytest.mark.parametrize("how", ["same", "symlink", "hardlink", "dotted"])
def test_score_refuses_to_write_over_its_input(workbook: Path, how: str) -> None:
    before = _digest(workbook)
    target = {"same": workbook, "dotted": workbook.parent / "." / workbook.name}.get(how)
    if how == "symlink":
        target = workbook.parent / "link.xlsx"
        target.symlink_to(workbook)
    elif how == "hardlink":
        target = workbook.parent / "hard.xlsx"
        os.link(workbook, target)
    assert target is not None
    line = one_error(run("score", str(workbook), "-f", "json", "-o", str(target)))
    assert line.startswith(f"error: {target}: ") and "same file" in line
    assert _digest(workbook) == before
    assert not [p for p in workbook.parent.iterdir() if p.name.endswith(".tmp")]


def test_report_refuses_to_write_over_its_input(workbook: Path) -> None:
    before = _digest(workbook)
    one_error(run("report", str(workbook), "-o", str(workbook)))
    assert _digest(workbook) == before
    assert sorted(p.name for p in workbook.parent.iterdir()) == ["in.xlsx"]  # no charts folder either


@pytest.mark.parametrize("command", ["compare", "sensitivity"])
def test_batch_commands_refuse_any_input_even_inside_a_folder(tmp_path: Path, command: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(SAMPLE, folder / "a.xlsx")
    shutil.copyfile(OTHER, folder / "b.xlsx")
    before = _digest(folder / "b.xlsx")
    one_error(run(command, str(folder), "-f", "json", "-o", str(folder / "b.xlsx")))
    assert _digest(folder / "b.xlsx") == before
    one_error(run(command, str(folder / "a.xlsx"), str(OTHER), "-f", "csv", "-o", str(folder / "a.xlsx")))


def test_the_rubric_file_is_an_input_too(tmp_path: Path, workbook: Path) -> None:
    rubric = tmp_path / "my.yaml"
    shutil.copyfile(MINI_RUBRIC, rubric)
    before = _digest(rubric)
    one_error(run("score", str(workbook), "-r", str(rubric), "-f", "json", "-o", str(rubric)))
    assert _digest(rubric) == before


def test_check_output_compares_files_not_names(tmp_path: Path) -> None:
    a = tmp_path / "a.xlsx"
    a.write_bytes(b"x")
    io.check_output(tmp_path / "new.json", [a])  # does not exist yet: fine
    io.check_output("-", [a])
    (tmp_path / "sub").mkdir()
    with pytest.raises(UsageError):
        io.check_output(tmp_path / "sub" / ".." / "a.xlsx", [a])


def test_template_does_not_overwrite_a_workbook_with_answers(workbook: Path) -> None:
    before = _digest(workbook)
    line = one_error(run("template", "-o", str(workbook)))
    assert "--force" in line
    assert _digest(workbook) == before
    res = run("template", "-o", str(workbook), "--force")
    assert res.returncode == 0, res.stderr
    assert _digest(workbook) != before


def test_template_refuses_a_workbook_with_only_one_comment_or_institution_value(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    blank = tmp_path / "blank.xlsx"
    assert run("template", "-o", str(blank)).returncode == 0
    assert run("template", "-o", str(blank)).returncode == 0  # a blank template may be replaced
    for sheet, cell in (("Responses", "I2"), ("Responses", "J5"), ("Institution", "B3")):
        path = tmp_path / f"{sheet}{cell}.xlsx"
        wb = load_workbook(blank)
        wb[sheet][cell] = "something"
        wb.save(path)
        one_error(run("template", "-o", str(path), "--lang", "zh"))


# --------------------------------------------------------------------------- 2. targets that are not regular files


def test_output_into_a_fifo_is_written_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    res = run("score", str(SAMPLE), "-f", "json", "-o", str(fifo))
    reader.join(timeout=120)
    assert res.returncode == 0, res.stderr
    assert fifo.is_fifo()
    assert json.loads(got[0])["schema_version"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_write_atomic_writes_into_a_device_instead_of_replacing_it(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def no_temp(*_a: object, **_k: object) -> None:
        raise AssertionError("a device must not be replaced through a temporary file")

    monkeypatch.setattr(io.tempfile, "mkstemp", no_temp)
    io.write_atomic(Path(os.devnull), "x" * 1000)
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_output_dash_is_standard_output(tmp_path: Path) -> None:
    res = run("score", str(SAMPLE), "-f", "json", "-o", "-", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["schema_version"] == 1
    assert res.stderr == "" and list(tmp_path.iterdir()) == []


def test_an_existing_output_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "private.json"
    out.write_text("old")
    out.chmod(0o600)
    assert run("score", str(SAMPLE), "-f", "json", "-o", str(out)).returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert json.loads(out.read_text())["schema_version"] == 1


def test_errors_name_the_typed_path_not_the_temporary_file(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def full(*_a: object) -> None:
        raise OSError(28, "No space left on device", str(tmp_path / ".out.json.abc.tmp"))

    monkeypatch.setattr(io.os, "replace", full)
    with pytest.raises(OSError) as err:
        io.write_atomic(tmp_path / "out.json", "{}")
    assert err.value.filename == str(tmp_path / "out.json")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("stop", [Stopped(15), KeyboardInterrupt()])
def test_an_interrupted_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch, stop: BaseException
) -> None:  # type: ignore[no-untyped-def]
    def interrupted(*_a: object) -> None:
        raise stop

    monkeypatch.setattr(io.os, "replace", interrupted)
    with pytest.raises(type(stop)):
        io.write_atomic(tmp_path / "out.json", "{}")
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_folder_is_named_as_typed(tmp_path: Path) -> None:
    """A folder nobody may write in: a chmod-ed one for a user, sysfs for root (tests run as
    root in CI, where chmod stops nobody) — the error names the path typed, never a .tmp file."""
    if os.geteuid() == 0:
        target = Path("/sys/out.json")
        line = one_error(run("score", str(SAMPLE), "-f", "json", "-o", str(target)))
        assert line.startswith(f"error: {target}: ") and ".tmp" not in line
        return
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        line = one_error(run("score", str(SAMPLE), "-f", "json", "-o", str(folder / "out.json")))
    finally:
        folder.chmod(0o700)
    assert line.startswith(f"error: {folder / 'out.json'}: ") and ".tmp" not in line


# --------------------------------------------------------------------------- 4. standard output that goes away


def test_closed_pipe_is_a_quiet_success() -> None:
    for args in (["rubric", "show"], ["rubric", "schema"], ["score", str(SAMPLE), "-f", "json"]):
        proc = subprocess.Popen(
            [sys.executable, "-m", "vibbench", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()  # as `| head -1` does
        err = proc.stderr.read()
        proc.stderr.close()
        assert proc.wait(timeout=120) == 0, err
        assert err == b""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["--help"], ["--version"], ["rubric", "list"]])
def test_full_standard_output_is_one_line(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        res = subprocess.run(
            [sys.executable, "-m", "vibbench", *args], stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert res.returncode == 2
    assert len(res.stderr.splitlines()) == 1 and res.stderr.startswith("error: standard output: "), res.stderr


def test_an_ascii_only_standard_output_is_told_how_to_fix_it() -> None:
    res = run("score", str(SAMPLE), "--lang", "zh", env={"PYTHONIOENCODING": "ascii"})
    line = one_error(res)
    assert "PYTHONIOENCODING=utf-8" in line and "--output" in line


# --------------------------------------------------------------------------- 5. numbers in options


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "NaN"])
def test_fail_under_must_be_finite(value: str) -> None:
    line = one_error(run("score", str(SAMPLE), f"--fail-under={value}"))
    assert "--fail-under" in line


@pytest.mark.parametrize(
    ("option", "value"), [("--spread", "nan"), ("--spread", "inf"), ("--samples", "10000000000")]
)
def test_sensitivity_numbers_must_be_usable(option: str, value: str) -> None:
    line = one_error(run("sensitivity", str(SAMPLE), f"{option}={value}"))
    assert option in line


# --------------------------------------------------------------------------- 6. paths through the control filter


def test_paths_in_messages_lose_their_control_characters(tmp_path: Path) -> None:
    evil = tmp_path / "a\x1b]0;owned\x07\rok.xlsx"
    res = run("template", "-o", str(evil))
    assert res.returncode == 0, res.stderr
    assert res.stderr.startswith("wrote ") and not any(c in res.stderr for c in "\x1b\x07\r")
    evil_dir = tmp_path / "no\x1b[2Jdir"
    line = one_error(run("score", str(SAMPLE), "-f", "json", "-o", str(evil_dir / "x.json")))
    assert "\x1b" not in line
    os.link(SAMPLE, tmp_path / "in\x1b[31m.xlsx")
    line = one_error(
        run("score", str(tmp_path / "in\x1b[31m.xlsx"), "-f", "json", "-o", str(tmp_path / "in\x1b[31m.xlsx"))
    )
    assert "\x1b" not in line
