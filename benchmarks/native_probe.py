"""What a compiled screen would buy: time a native probe of the events table beside pyarrow.

    python benchmarks/native_probe.py [--events 1000000] [--rounds 7] [--package DIR]

Issue 5 asks for validation within 2x of a bare pyarrow parse, and the project decided against
a compiled core (benchmarks/README.md). This measures what that decision gives up instead of
estimating it. It writes the Event model's vocabularies into a C header, compiles
benchmarks/native_probe.c with gcc, checks the probe against the row validator on every golden
fixture (the rows it flags must include every row the models reject: a probe that flags nothing
would be fast and worthless), then times four whole processes alternately on the events table
of a generated package:

- the native probe (tokenise, screen every cell rule and the rules within a row, hash the ids);
- a bare pyarrow parse, types inferred (what the benchmark's floor does for every table);
- a bare pyarrow parse, every column as text (what iran-syria parses);
- iran-syria's columnar engine on that table alone: parse and screens, imports included.

A benchmark, not a test, and not part of the library: nothing here is imported or built by
iran_syria or by CI.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from iran_syria import schema
from iran_syria.models import EVENT_MODES, Event, EventType

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "tests" / "fixtures"

#: The columns in the order native_probe.c indexes them (c[0] .. c[19]).
PROBE_COLUMNS = [
    "id", "title", "description", "event_type", "event_mode", "date_start", "date_end",
    "date_precision", "location_name", "location_country", "latitude", "longitude",
    "geo_precision", "fatalities_low", "fatalities_best", "fatalities_high", "confidence",
    "attribution", "status", "merged_into",
]  # fmt: skip
#: The C array each vocabulary column fills.
VOCABULARIES = {
    "event_type": "EVENT_TYPES",
    "event_mode": "MODES",
    "date_precision": "PRECISIONS",
    "geo_precision": "GEO",
    "confidence": "CONF",
    "attribution": "ATTR",
    "status": "STATUS",
}
#: The problems of one row that the probe screens for (the rest need other tables or files).
ROW_CODES = {
    "bad-type", "bad-date", "bad-vocabulary", "bad-pattern", "missing-value", "out-of-range",
    "bad-text", "formula-trigger", "bad-date-order", "bad-precision", "bad-fatalities-order",
    "bad-coordinates", "bad-mode", "bad-status", "duplicate-key", "extra-cell", "missing-cell",
}  # fmt: skip


def _c_array(name: str, words: list[str]) -> str:
    quoted = ", ".join(f'"{word}"' for word in words)
    return f"static const char *{name}[] = {{{quoted}, 0}};\n"


def _header() -> str:
    """The Event model's vocabularies and (type, mode) pairs as C arrays."""
    if list(Event.model_fields) != PROBE_COLUMNS:
        sys.exit("native_probe.c indexes the Event columns by position; they have changed")
    specs = {spec.name: spec for spec in schema.field_specs(Event)}
    arrays = [_c_array(array, list(specs[name].enum or ())) for name, array in VOCABULARIES.items()]
    pairs = [f"{kind.value}:{mode.value}" for kind, modes in EVENT_MODES.items() for mode in modes]
    pairs += [f"{kind.value}:" for kind in EventType if kind not in EVENT_MODES]
    return "".join(arrays) + _c_array("PAIRS", pairs)


def _build(folder: Path) -> Path:
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        sys.exit("needs a C compiler (gcc or cc) on PATH")
    (folder / "vocabularies.h").write_text(_header(), encoding="utf-8")
    binary = folder / "native_probe"
    subprocess.run(
        [
            compiler,
            "-O2",
            "-pthread",
            f"-I{folder}",
            "-o",
            str(binary),
            str(HERE / "native_probe.c"),
        ],
        check=True,
    )
    return binary


def _agreement(probe: Path) -> list[str]:
    """Fixtures on which the probe misses a row the models reject (it may flag more)."""
    from iran_syria import validate_package

    misses = []
    cases = [FIXTURES / "valid", *sorted((FIXTURES / "invalid").iterdir())]
    for case in cases:
        events = case / "data" / "events.csv"
        if not events.is_file():
            continue
        report = validate_package(case, engine="rows")
        # The probe numbers records; only where no quoted cell holds a newline are they lines.
        text = events.read_text(encoding="utf-8", errors="replace")
        if any("\n" in cell for cell in _cells(text)):
            continue
        rejected = {p.line for p in report.problems if p.table == "events" and p.code in ROW_CODES}
        flagged = subprocess.run(
            [str(probe), str(events)],
            capture_output=True,
            text=True,
            env={**os.environ, "PRINT": "1"},
            check=True,
        ).stdout.split()
        missed = rejected - {int(line) for line in flagged}
        if missed:
            misses.append(f"{case.name}: lines {sorted(missed)}")
    return misses


def _cells(text: str) -> list[str]:
    import csv
    import io

    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


_PARSE_TEXT = (
    "import sys, pyarrow as pa, pyarrow.csv as c\n"
    "names = open(sys.argv[1], encoding='utf-8').readline().strip().split(',')\n"
    "c.read_csv(sys.argv[1], convert_options=c.ConvertOptions("
    "column_types=dict.fromkeys(names, pa.string())))"
)
_PARSE_INFERRED = "import sys, pyarrow.csv as c; c.read_csv(sys.argv[1])"
_IRAN_SYRIA = (
    "import sys\n"
    "from iran_syria import _columnar\n"
    "from iran_syria.models import Event\n"
    "data = open(sys.argv[1], 'rb').read()\n"
    "with _columnar.returning_memory_pool():\n"
    "    _columnar.suspect_rows(Event, _columnar.read_table(Event, data))"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--package", type=Path, help="an existing package instead of a new one")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from run import _wall

    # A probe that crashed would time as fast as one that worked: refuse failed processes.
    wall = functools.partial(_wall, check=True)
    with tempfile.TemporaryDirectory(prefix="native-probe-") as temporary:
        folder = Path(temporary)
        probe = _build(folder)
        misses = _agreement(probe)
        print("probe against the models on the golden fixtures:", "; ".join(misses) or "no miss")
        package = args.package
        if package is None:
            from generate import generate

            package = folder / "package"
            generate(package, args.events, 0)
        events = str(package / "data" / "events.csv")
        python = sys.executable
        commands = {
            "native probe": [str(probe), events],
            "pyarrow parse, inferred": [python, "-c", _PARSE_INFERRED, events],
            "pyarrow parse, text": [python, "-c", _PARSE_TEXT, events],
            "iran-syria parse + screens": [python, "-c", _IRAN_SYRIA, events],
        }
        for command in commands.values():  # warm the page cache and the libraries alike
            wall(command)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, command in commands.items():
                times[name].append(wall(command))
        floor = statistics.median(times["pyarrow parse, inferred"])
        size = os.path.getsize(events) / 1e6
        print(f"events.csv, {size:.0f} MB; whole processes, medians of {args.rounds}, alternating")
        for name, seconds in times.items():
            median = statistics.median(seconds)
            print(
                f"  {name:28s} {median:6.3f} s = {median / floor:4.2f}x the inferred parse"
                f"  (runs {min(seconds):.2f}-{max(seconds):.2f} s)"
            )


if __name__ == "__main__":
    main()
