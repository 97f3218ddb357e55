"""A long line of invalid bytes is one located problem (the decoding is linear in the input:
300,000 NUL or 0xFF bytes took 64 s and 88 s before, 0.4 s and 0.2 s now; figures in the
CHANGELOG, measured, not asserted here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from iran_syria.validate import validate_package

from .conftest import regenerate


@pytest.mark.parametrize(("byte", "code"), [(b"\x00", "nul-byte"), (b"\xff", "encoding-error")])
def test_a_long_line_of_bad_bytes_is_one_located_problem_quickly(
    valid_copy: Path, byte: bytes, code: str
) -> None:
    events = valid_copy / "data" / "events.csv"
    events.write_bytes(events.read_bytes() + byte * 300_000 + b"\n")
    regenerate(valid_copy)
    report = validate_package(valid_copy)
    located = [p for p in report.problems if p.code == code]
    assert len(located) == 1 and located[0].line == 5
