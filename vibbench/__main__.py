import sys

from vibbench import signals

signals.install()  # before the (slow) import of the command line, so a signal there ends cleanly
try:
    from vibbench.cli import main
except (KeyboardInterrupt, signals.Stopped) as exc:
    code = signals.exit_code(exc)
    sys.stderr.write(f"stopped by {signals.name(exc)} / 已因 {signals.name(exc)} 中止运行\n")
    sys.exit(code)

main()
