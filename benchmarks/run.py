"""Time `iran-syria validate` against `frictionless validate` side by side, with peak memory.

    python benchmarks/run.py --sizes 10000 100000 [--repeat 3] [--skip-frictionless-above 200000]

For each size it generates a package (benchmarks/generate.py), then runs the two commands
alternately (A B A B ...) as whole processes under /usr/bin/time, and prints the medians, peak
resident memory and the ratio. It also prints the floor the issue names: a bare pyarrow parse
of every table. A benchmark, not a test: it prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def _timed(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS in MiB of one process."""
    with tempfile.NamedTemporaryFile("r") as report:
        start = time.perf_counter()
        subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", report.name, *command],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        elapsed = time.perf_counter() - start
        peak_kib = int(report.read().strip().splitlines()[-1])
    return elapsed, peak_kib // 1024


def _arrow_parse(package: Path) -> float:
    code = (
        "import sys, pyarrow.csv as c, pathlib;"
        "[c.read_csv(p) for p in sorted(pathlib.Path(sys.argv[1]).glob('data/*.csv'))]"
    )
    return _timed([sys.executable, "-c", code, str(package)])[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-frictionless-above", type=int, default=10**9)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from generate import generate

    print(
        f"{'events':>9} | {'iran-syria s':>12} {'MiB':>6} | {'frictionless s':>14} {'MiB':>6} | {'ratio':>6} | {'pyarrow parse s':>15}"
    )
    for size in args.sizes:
        folder = Path(tempfile.mkdtemp(prefix=f"bench-{size}-"))
        try:
            generate(folder, size)
            ours: list[tuple[float, int]] = []
            theirs: list[tuple[float, int]] = []
            for _ in range(args.repeat):  # alternate, so drift hits both alike
                ours.append(_timed([str(BIN / "iran-syria"), "validate", str(folder)]))
                if size <= args.skip_frictionless_above:
                    theirs.append(
                        _timed(
                            [
                                str(BIN / "frictionless"),
                                "validate",
                                str(folder / "datapackage.json"),
                            ]
                        )
                    )
            our_s, our_mib = statistics.median(t for t, _ in ours), max(m for _, m in ours)
            parse = statistics.median(_arrow_parse(folder) for _ in range(args.repeat))
            if theirs:
                their_s, their_mib = (
                    statistics.median(t for t, _ in theirs),
                    max(m for _, m in theirs),
                )
                print(
                    f"{size:>9} | {our_s:>12.2f} {our_mib:>6} | {their_s:>14.2f} {their_mib:>6} | {their_s / our_s:>5.1f}x | {parse:>15.2f}"
                )
            else:
                print(
                    f"{size:>9} | {our_s:>12.2f} {our_mib:>6} | {'skipped':>14} {'':>6} | {'':>6} | {parse:>15.2f}"
                )
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    print(
        "ratio = frictionless median / iran-syria median; MiB = peak resident memory of the process"
    )


if __name__ == "__main__":
    main()
