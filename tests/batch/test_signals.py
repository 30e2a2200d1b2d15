"""A stopped compare leaves nothing behind: SIGINT, SIGTERM and SIGHUP end it with 130/143/129,
every worker process gone and no temporary file (issue 16 item 11)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

RUNS = 20
SIGNALS = [signal.SIGTERM, signal.SIGINT, signal.SIGHUP]
EXPECTED = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGHUP: 129}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """500 small workbooks (copies of one sample)."""
    out = tmp_path_factory.mktemp("five-hundred")
    sample = ROOT / "samples" / "shanghai-biomed-2025.xlsx"
    for n in range(500):
        shutil.copy(sample, out / f"wb{n:03d}.xlsx")
    return out


def children(pid: int) -> set[int]:
    """The live child processes of ``pid`` (from /proc, every thread's list)."""
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out.update(int(c) for c in (task / "children").read_text().split())
        except OSError:  # the thread or the process ended meanwhile
            continue
    return out


def alive(pid: int) -> bool:
    """``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("run", range(RUNS))
def test_a_signal_stops_compare_and_its_workers(run: int, folder: Path, tmp_path: Path) -> None:
    sig = SIGNALS[run % len(SIGNALS)]
    out = tmp_path / "out.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "vibbench", "compare", str(folder), "--format", "json", "--output", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its own process group, as a terminal's foreground job has
    )
    try:
        seen: set[int] = set()
        deadline = time.monotonic() + 20
        while not seen and proc.poll() is None and time.monotonic() < deadline:
            seen = children(proc.pid)
            time.sleep(0.005)
        assert seen, "the workers never started"
        if sig == signal.SIGINT:
            os.killpg(proc.pid, sig)  # Ctrl-C: the whole foreground group gets it
        else:
            os.kill(proc.pid, sig)
        _, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == EXPECTED[sig], err.decode()
    assert b"Traceback" not in err, err.decode()
    left = [c for c in seen | children(proc.pid) if alive(c)]
    assert not left, f"workers still running: {left}"
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))
    assert not out.exists()


def test_a_worker_that_dies_fails_its_files_and_the_rest_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed mid-run (out of memory, say) costs only the files it held: the others
    are read by the workers left, nothing hangs, and the lost files are reported."""
    from vibbench import batch
    from vibbench.rubric.loader import load_rubric

    sample = ROOT / "samples" / "shanghai-biomed-2025.xlsx"
    for n in range(8):
        shutil.copy(sample, tmp_path / f"wb{n}.xlsx")
    real = batch._one

    def dying(path: str, *args: object) -> object:
        if path.endswith("wb3.xlsx"):
            os._exit(1)  # as a SIGKILL from the kernel would end it
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "_one", dying)  # forked workers inherit it
    options = batch.BatchOptions(jobs=2)
    results, failures = batch.score_many(batch.discover_inputs([tmp_path]), load_rubric("vib"), options)
    assert [Path(f.path).name for f in failures] == ["wb3.xlsx"]
    assert "ended unexpectedly" in failures[0].lines[0]
    assert len(results) == 7


def test_when_every_worker_dies_every_file_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vibbench import batch
    from vibbench.rubric.loader import load_rubric

    sample = ROOT / "samples" / "shanghai-biomed-2025.xlsx"
    for n in range(12):
        shutil.copy(sample, tmp_path / f"wb{n:02d}.xlsx")
    monkeypatch.setattr(batch, "_one", lambda *args: os._exit(1))
    options = batch.BatchOptions(jobs=2)
    results, failures = batch.score_many(batch.discover_inputs([tmp_path]), load_rubric("vib"), options)
    assert not results
    assert [Path(f.path).name for f in failures] == [f"wb{n:02d}.xlsx" for n in range(12)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_workers_die_with_a_killed_parent(folder: Path, tmp_path: Path) -> None:
    """SIGKILL cannot be caught: the workers must still not run on, parented to init."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "vibbench", "compare", str(folder), "--format", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    seen: set[int] = set()
    deadline = time.monotonic() + 20
    while not seen and proc.poll() is None and time.monotonic() < deadline:
        seen = children(proc.pid)
        time.sleep(0.005)
    assert seen, "the workers never started"
    time.sleep(0.05)  # past the moment each worker asks to follow its parent
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while any(alive(c) for c in seen) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not [c for c in seen if alive(c)]
