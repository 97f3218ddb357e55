"""Every problem of a row at once, and a ragged row as one problem with its likely cause."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from iran_syria.validate import validate_package

from .conftest import regenerate


def _edit_first_event(package: Path, **cells: str) -> None:
    events = package / "data" / "events.csv"
    with events.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    for column, value in cells.items():
        rows[1][rows[0].index(column)] = value
    with events.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    regenerate(package)


@pytest.mark.parametrize("engine", ["rows", "columnar"])
def test_a_misspelt_word_and_a_date_order_error_are_both_reported(
    valid_copy: Path, engine: str
) -> None:
    _edit_first_event(valid_copy, event_type="ASSUALT", date_end="2015-08-31")
    codes = [(p.field, p.code) for p in validate_package(valid_copy, engine=engine).errors]
    assert ("event_type", "bad-vocabulary") in codes
    assert ("date_end", "bad-date-order") in codes


@pytest.mark.parametrize("engine", ["rows", "columnar"])
def test_a_rule_that_reads_a_broken_cell_is_not_run(valid_copy: Path, engine: str) -> None:
    # the mode cannot be judged against a misspelt type: only the type is reported
    _edit_first_event(valid_copy, event_type="ASSUALT")
    codes = {p.code for p in validate_package(valid_copy, engine=engine).errors}
    assert codes == {"bad-vocabulary"}


def _break_line(package: Path, old: str, new: str) -> None:
    events = package / "data" / "events.csv"
    text = events.read_text(encoding="utf-8")
    assert text.count(old) == 1
    events.write_text(text.replace(old, new), encoding="utf-8")
    regenerate(package)


@pytest.mark.parametrize("engine", ["rows", "columnar"])
def test_an_unquoted_comma_is_one_problem_that_says_to_quote(valid_copy: Path, engine: str) -> None:
    # an unquoted description with a comma: one cell too many, everything after it shifted
    _break_line(valid_copy, "Delta died in an airstrike.", "Delta died, in an airstrike.")
    problems = validate_package(valid_copy, engine=engine).problems
    assert [p.code for p in problems] == ["extra-cell"], [str(p) for p in problems]
    assert "must be quoted" in problems[0].message


@pytest.mark.parametrize("engine", ["rows", "columnar"])
def test_a_missing_cell_is_one_problem(valid_copy: Path, engine: str) -> None:
    _break_line(valid_copy, ",near,2,5,10,high,", ",near,2,5,high,")
    problems = validate_package(valid_copy, engine=engine).problems
    assert [p.code for p in problems] == ["missing-cell"], [str(p) for p in problems]
    assert "an empty cell still needs its comma" in problems[0].message


@pytest.mark.parametrize("engine", ["rows", "columnar"])
def test_a_new_ragged_row_is_not_also_uncited_or_without_actors(
    valid_copy: Path, engine: str
) -> None:
    # A row added with too few cells has an id no citation or event role names yet: reporting
    # those as well would be two echoes of the one fault.
    events = valid_copy / "data" / "events.csv"
    events.write_text(events.read_text(encoding="utf-8") + "evt-2024-01-01-new,Half a row\n")
    regenerate(valid_copy)
    problems = validate_package(valid_copy, engine=engine).problems
    assert [p.code for p in problems] == ["missing-cell"], [str(p) for p in problems]
