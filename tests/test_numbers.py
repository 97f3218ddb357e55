"""Numbers are what they look like, in both engines, and load() reads what validate accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from iran_syria import load
from iran_syria.errors import InvalidPackageError
from iran_syria.validate import validate_package

from .conftest import regenerate

# The fixture's event with fatalities 2 / 5 / 10 and coordinates 33.26, 44.23.
ROW = ",33.26,44.23,near,2,5,10,high,"


@pytest.mark.parametrize(
    ("cells", "field", "code"),
    [
        (',33.26,44.23,near,"2\n",5,10,high,', "fatalities_low", "bad-type"),
        (",33.26,44.23,near,2,5," + "9" * 20 + ",high,", "fatalities_high", "out-of-range"),
        (",33.26,44.23,near,2,5," + "1" * 400 + ",high,", "fatalities_high", "out-of-range"),
        (",33.26,44.23,near,2,5,9223372036854775808,high,", "fatalities_high", "out-of-range"),
        (',"33.26\n",44.23,near,2,5,10,high,', "latitude", "bad-type"),
        (",33.26," + "1" * 400 + ",near,2,5,10,high,", "longitude", "out-of-range"),
    ],
)
@pytest.mark.parametrize("engine", ["rows", "columnar"])
def test_a_number_cell_is_digits_and_fits(
    valid_copy: Path, cells: str, field: str, code: str, engine: str
) -> None:
    events = valid_copy / "data" / "events.csv"
    text = events.read_text(encoding="utf-8")
    assert text.count(ROW) == 1
    events.write_text(text.replace(ROW, cells), encoding="utf-8")
    regenerate(valid_copy)
    report = validate_package(valid_copy, engine=engine)
    assert (field, code) in {(p.field, p.code) for p in report.errors}, report.to_text()
    # what validate refuses, load() refuses too (never a silently different number)
    with pytest.raises(InvalidPackageError):
        load("events", path=valid_copy)


def test_the_largest_64_bit_count_is_accepted_and_loaded(valid_copy: Path) -> None:
    events = valid_copy / "data" / "events.csv"
    big = ",33.26,44.23,near,2,5,9223372036854775807,high,"
    events.write_text(events.read_text(encoding="utf-8").replace(ROW, big), encoding="utf-8")
    regenerate(valid_copy)
    assert validate_package(valid_copy).valid
    frame = load("events", path=valid_copy)
    assert 9223372036854775807 in set(frame["fatalities_high"].dropna())
