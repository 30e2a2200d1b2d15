"""SIGINT, SIGTERM and SIGHUP end a run with one line, exit 130/143/129, and leave no temporary file.

Each run is signalled only once it is known to be at work: blocked opening a FIFO that nobody
reads (the kernel says so in /proc), or inside the rename of its output (the child says so).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

SAMPLE = ROOT / "samples" / "shanghai-biomed-2025.xlsx"
EXPECTED = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGHUP: 129}
SIGNALS = pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)

pytestmark = pytest.mark.skipif(not Path("/proc/self/wchan").exists(), reason="needs Linux /proc")


def _default_sigint() -> None:  # a child of a shell's background job would otherwise ignore SIGINT
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(args: list[str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        args,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_default_sigint,
    )


def _wait_until(proc: subprocess.Popen[bytes], ready: object) -> None:
    deadline = time.monotonic() + 120  # start-up on a busy shared machine; not a bound on vibbench
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        if callable(ready) and ready():
            return
        time.sleep(0.05)
    proc.kill()
    pytest.fail("the run never reached the point where it is signalled")


def _blocked_on_fifo(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/wchan").read_text() in {"wait_for_partner", "fifo_open"}
    except OSError:
        return False


def _finish(proc: subprocess.Popen[bytes], sig: signal.Signals) -> tuple[int, str]:
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err.decode()


@SIGNALS
def test_signal_while_writing_to_a_fifo_is_one_line_and_its_exit_code(
    tmp_path: Path, sig: signal.Signals
) -> None:
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    proc = _start(
        [sys.executable, "-m", "vibbench", "score", str(SAMPLE), "-f", "json", "-o", str(fifo)], tmp_path
    )
    _wait_until(proc, lambda: _blocked_on_fifo(proc.pid))
    code, err = _finish(proc, sig)
    assert code == EXPECTED[sig]
    assert err.splitlines() == [f"stopped by {sig.name} / 已因 {sig.name} 中止运行"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # still the FIFO, nothing beside it
    assert fifo.is_fifo()


CHILD = """
import os, sys, time
real = os.replace
def slow_replace(src, dst):
    print("renaming", flush=True)
    time.sleep(600)
    real(src, dst)
os.replace = slow_replace
sys.argv = ["vibbench", *sys.argv[1:]]
from vibbench.cli import main
main()
"""


@SIGNALS
def test_signal_before_the_rename_leaves_no_temporary_file(tmp_path: Path, sig: signal.Signals) -> None:
    out = tmp_path / "out.json"
    proc = _start([sys.executable, "-c", CHILD, "score", str(SAMPLE), "-f", "json", "-o", str(out)], tmp_path)
    assert proc.stdout is not None
    assert proc.stdout.readline() == b"renaming\n"  # the temporary file is written and about to be renamed
    assert any(p.name.endswith(".tmp") for p in tmp_path.iterdir())
    code, err = _finish(proc, sig)
    assert code == EXPECTED[sig]
    assert err.splitlines() == [f"stopped by {sig.name} / 已因 {sig.name} 中止运行"]
    assert list(tmp_path.iterdir()) == []


def test_signal_during_start_up_imports_is_one_line(tmp_path: Path) -> None:
    """A signal while the command line's modules are still being imported: no traceback."""
    code = (
        "import sys, os, signal\n"
        "from vibbench import signals\n"
        "signals.install()\n"
        "class Hook:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'typer':\n"
        "            sys.meta_path.remove(self)\n"
        "            os.kill(os.getpid(), signal.SIGTERM)\n"
        "        return None\n"
        "sys.meta_path.insert(0, Hook())\n"
        "sys.argv = ['vibbench', '--version']\n"
        "import runpy\n"
        "runpy.run_module('vibbench', run_name='__main__')\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 143
    assert res.stderr.splitlines() == ["stopped by SIGTERM / 已因 SIGTERM 中止运行"]
