"""How long `iran-syria site` takes for the shipped package: several builds, each in a fresh
interpreter (imports counted, as a user running the command pays them). Run: make bench-site
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", help="where to build (default: the system's temporary folder)")
    args = parser.parse_args()
    times, cpu = [], []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory(dir=args.dir) as folder:
            started, cpu_started = time.perf_counter(), _cpu()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "iran_syria",
                    "site",
                    "--out",
                    f"{folder}/site",
                    str(ROOT / "datapackage"),
                ],
                check=True,
                capture_output=True,
            )
            times.append(time.perf_counter() - started)
            cpu.append(_cpu() - cpu_started)
            largest = max(
                (p.stat().st_size, p.parent.name)
                for p in Path(folder, "site").glob("*/*/index.html")
            )
    print(
        f"iran-syria site, shipped package, {RUNS} runs: median {statistics.median(times):.2f} s, "
        f"min {min(times):.2f} s, max {max(times):.2f} s (wall); CPU median "
        f"{statistics.median(cpu):.2f} s, min {min(cpu):.2f} s, max {max(cpu):.2f} s"
    )
    print(f"largest record page: {largest[0]} bytes ({largest[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
