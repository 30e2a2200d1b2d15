"""The ``vibbench`` command's entry point: signal handlers first, then the command line.

Importing the command line takes a moment (Typer, click, rich); a SIGINT, SIGTERM or SIGHUP
arriving then must end the run with one line too, so the handlers are installed before it.
"""

from __future__ import annotations

import sys

from vibbench import signals


def main() -> None:
    signals.install()  # before the (slow) import of the command line, so a signal there ends cleanly
    try:
        from vibbench.cli import main as cli_main
    except (KeyboardInterrupt, signals.Stopped) as exc:
        sys.stderr.write(f"stopped by {signals.name(exc)} / 已因 {signals.name(exc)} 中止运行\n")
        sys.exit(signals.exit_code(exc))
    cli_main()
