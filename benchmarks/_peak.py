"""Run one command and report its wall time and peak memory.

    python benchmarks/_peak.py CMD [ARG...]

The command's standard output and error pass through unchanged; then one last line goes to
standard error: ``PEAK_KB=<ru_maxrss of the child, KB> WALL_S=<seconds>``. The exit code is
the command's. Since this wrapper starts exactly one child, ``RUSAGE_CHILDREN`` describes
that child alone (the largest single process of its tree, not a sum over worker processes).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time


def main() -> int:
    start = time.perf_counter()
    code = subprocess.call(sys.argv[1:])
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    sys.stderr.write(f"\nPEAK_KB={peak} WALL_S={wall:.6f}\n")
    return code


if __name__ == "__main__":
    sys.exit(main())
