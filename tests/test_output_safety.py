"""Output that cannot be forged by a value, and that no console encoding can crash."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from iran_syria.cli import main
from iran_syria.errors import Problem, printable

from .conftest import regenerate


def test_a_value_with_a_newline_cannot_print_a_second_problem() -> None:
    forged = "x\nother.csv:2:id: looks real [missing-citation]"
    problem = Problem(
        "bad-pattern", f"{forged!s} does not match", table="events", path="e.csv", line=3
    )
    assert "\n" not in str(problem)
    assert str(problem).count("[") == 2  # the forged code stays inside the message


def test_control_and_bidi_characters_are_escaped() -> None:
    assert printable("a\rb\x1bc\u202ed\u2028e") == "a\\rb\\x1bc\\u202ed\\u2028e"
    assert printable("Hezbollah حزب الله") == "Hezbollah حزب الله"  # ordinary text untouched


def test_a_crafted_id_cannot_forge_a_line_end_to_end(valid_copy: Path, capsys: object) -> None:
    events = valid_copy / "data" / "events.csv"
    text = events.read_text(encoding="utf-8")
    crafted = '"evt-bad\nother.csv:2:id: forged [missing-citation]"'
    events.write_text(text.replace("evt-2021-unknown-place", crafted, 1), encoding="utf-8")
    regenerate(valid_copy)
    assert main(["validate", str(valid_copy)]) == 1
    lines = capsys.readouterr().out.splitlines()  # type: ignore[attr-defined]
    assert not any(line.startswith("other.csv") for line in lines)


def test_an_arabic_value_on_a_cp1252_console_is_escaped_not_a_crash(valid_copy: Path) -> None:
    events = valid_copy / "data" / "events.csv"
    text = events.read_text(encoding="utf-8")
    events.write_text(text.replace(",AID,", ",مساعدة,", 1), encoding="utf-8")  # a bad event type
    regenerate(valid_copy)
    result = subprocess.run(
        [sys.executable, "-m", "iran_syria", "validate", str(valid_copy)],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "cp1252"},
    )
    assert result.returncode == 1, result.stderr
    assert b"Traceback" not in result.stderr
    assert b"\\u0645" in result.stdout  # the first Arabic letter, escaped
