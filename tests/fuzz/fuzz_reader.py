"""Fuzz target for the strict CSV reader.

With atheris installed (`pip install atheris`), run coverage-guided fuzzing:

    python tests/fuzz/fuzz_reader.py -max_total_time=60

Without it, tests/test_mutations.py drives the same `check_reader` with Hypothesis.
"""

from __future__ import annotations

import sys

from iran_syria._read import parse_csv
from iran_syria.errors import PROBLEM_CODES


def check_reader(data: bytes) -> None:
    """The reader returns located problems for any bytes, and never raises."""
    parsed = parse_csv("events", "events.csv", data)
    # Lines end at LF, CRLF or a lone CR, as the reader counts them.
    lines = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n") + 1
    for problem in parsed.problems:
        assert problem.code in PROBLEM_CODES
        assert problem.line is not None and 1 <= problem.line <= lines, (problem, lines)
    previous = 0
    for record in parsed.records:
        assert previous < record.line <= lines, (record.line, lines)
        previous = record.line
        for index in range(len(record.cells)):
            assert record.line <= record.cell_line(index) <= lines


def main() -> None:  # pragma: no cover - needs atheris
    import atheris  # type: ignore[import-not-found]

    atheris.Setup(sys.argv, check_reader)
    atheris.Fuzz()


if __name__ == "__main__":  # pragma: no cover
    main()
