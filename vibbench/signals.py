"""SIGINT, SIGTERM and SIGHUP stop a run cleanly (SPEC §1, v2).

Python turns SIGINT into :class:`KeyboardInterrupt`; :func:`install` makes SIGTERM and SIGHUP
raise :class:`Stopped` in the main thread the same way, so that ``finally`` blocks and
``except BaseException`` clean-ups run (temporary output files removed, worker pools shut
down) instead of the process dying where it stands. ``cli.main`` maps either to one line on
standard error and the exit code of :data:`EXIT_CODES`.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGHUP: 129}
"""128 + the signal's number, as a shell reports a process killed by it."""


class Stopped(BaseException):
    """SIGTERM or SIGHUP arrived. A BaseException, like KeyboardInterrupt, so that code that
    catches ``Exception`` (one bad workbook must not stop a batch) does not swallow it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise(signum: int, _frame: FrameType | None) -> None:
    raise Stopped(signum)


def install() -> None:
    """Raise :class:`Stopped` on SIGTERM and SIGHUP (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise)


def exit_code(exc: BaseException) -> int:
    """The exit code for a run stopped by ``exc`` (KeyboardInterrupt or :class:`Stopped`)."""
    if isinstance(exc, Stopped):
        return EXIT_CODES.get(signal.Signals(exc.signum), 128 + exc.signum)
    return EXIT_CODES[signal.SIGINT]


def name(exc: BaseException) -> str:
    """The name of the signal that stopped the run (``SIGTERM``), for the one line that says so."""
    signum = exc.signum if isinstance(exc, Stopped) else signal.SIGINT
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"
