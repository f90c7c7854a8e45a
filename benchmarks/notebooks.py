"""Benchmark: execute every notebook top to bottom in a fresh kernel; target 60 s each (06: 150 s).

Run from the repository root::

    python benchmarks/notebooks.py                 # every notebook
    python benchmarks/notebooks.py 02 06           # some of them, by number

Each notebook runs in a temporary copy (the committed file is not touched), in a fresh kernel of
this environment, as nbval runs it. Prints the wall time of each against its target and the load
average, since on a shared machine the wall time measures the neighbours as much as the code.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
TARGET_SECONDS = {"06": 150.0}
"""The budget of each notebook; 60 s unless named here."""
DEFAULT_TARGET = 60.0


def run(path: Path) -> float:
    """Execute the notebook at ``path`` in a fresh kernel; return the wall time in seconds."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("numbers", nargs="*", help="two-digit notebook numbers; all by default")
    args = parser.parse_args()
    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    if args.numbers:
        paths = [path for path in paths if path.name[:2] in args.numbers]
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} before"
    )
    failed = False
    for path in paths:
        target = TARGET_SECONDS.get(path.name[:2], DEFAULT_TARGET)
        seconds = run(path)
        verdict = "PASS" if seconds <= target else "FAIL"
        failed |= seconds > target
        print(f"{path.name:48} {seconds:6.1f} s (target {target:.0f} s) {verdict}", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} after")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
