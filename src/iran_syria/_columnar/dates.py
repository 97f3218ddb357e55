"""Dates as whole arrays: days since 1970, the calendar parts, the precision grids and bounds."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..models import (
    DatePrecision,
    _parse_partial_date,
    partial_date_bounds,
)
from ._common import _array, _Coded, _np

_FIRST_DAY = -719162  # 0001-01-01 in days since 1970-01-01: Python's date begins there


@dataclass
class _Days:
    """A date column as days since 1970, with its calendar parts (valid where `valid`)."""

    valid: np.ndarray
    days: np.ndarray
    year: np.ndarray
    month: np.ndarray
    day: np.ndarray
    weekday: np.ndarray  # Monday 0
    month_end: np.ndarray  # the last day of its month


def _days(column: pa.Array) -> _Days:
    """Parse ISO dates strictly; empty or malformed cells are not valid (and read as 2000-01-01)."""
    placeholder = "2000-01-01"
    column = _array(column)
    length_ok = pc.equal(pc.binary_length(column), 10)
    try:
        parsed = pc.cast(pc.if_else(length_ok, column, placeholder), pa.date32())
        valid = _np(length_ok)
    except pa.ArrowInvalid:  # some cell is not a date: find which, one value at a time
        from ..models import _parse_date

        good = []
        for value in column.to_pylist():
            try:
                good.append(len(value) == 10 and _parse_date(value) is not None)
            except (TypeError, ValueError):  # PydanticCustomError is a ValueError
                good.append(False)
        valid = np.array(good, dtype=bool)
        parsed = pc.cast(pc.if_else(pa.array(valid), column, placeholder), pa.date32())
    days = parsed.cast(pa.int32()).to_numpy(zero_copy_only=False).astype(np.int64)
    valid &= days >= _FIRST_DAY
    year, month, day = _civil_from_days(days)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    return _Days(
        valid=valid,
        days=days,
        year=year,
        month=month,
        day=day,
        weekday=(days + 3) % 7,  # 1970-01-01 was a Thursday
        month_end=day == _MONTH_DAYS[month - 1] + ((month == 2) & leap),
    )


_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _civil_from_days(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(year, month, day) of days since 1970-01-01, in the proleptic Gregorian calendar.

    Howard Hinnant's `civil_from_days`, in whole-array integer arithmetic: it is several times
    faster than Arrow's year, month, day and day_of_week kernels, one pass each."""
    z = days + 719468  # days since 0000-03-01, so that a leap day ends its year
    era = z // 146097  # 400-year eras
    day_of_era = z - era * 146097
    year_of_era = (
        day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146096
    ) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153  # March is 0
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = np.where(shifted_month < 10, shifted_month + 3, shifted_month - 9)
    year = year_of_era + era * 400 + (month <= 2)
    return year, month, day


def _dates_of(table: pa.Table, name: str, dates: dict[str, _Days] | None) -> _Days:
    """A date column as parsed once by suspect_rows, or parsed now."""
    return dates[name] if dates and name in dates else _days(table.column(name))


def _off_grid(when: _Days, precision: _Coded, *, start: bool) -> np.ndarray:
    """Rows whose date is not the first (or last) day of a period at their precision."""
    year, month, day = when.year, when.month, when.day
    if start:
        on = {
            DatePrecision.WEEK: when.weekday == 0,
            DatePrecision.MONTH: day == 1,
            DatePrecision.QUARTER: (day == 1) & (month % 3 == 1),
            DatePrecision.YEAR: (month == 1) & (day == 1),
            DatePrecision.DECADE: (year % 10 == 0) & (month == 1) & (day == 1),
        }
    else:
        on = {
            DatePrecision.WEEK: when.weekday == 6,
            DatePrecision.MONTH: when.month_end,
            DatePrecision.QUARTER: when.month_end & (month % 3 == 0),
            DatePrecision.YEAR: (month == 12) & (day == 31),
            DatePrecision.DECADE: (year % 10 == 9) & (month == 12) & (day == 31),
        }
    off = np.zeros(len(when.days), dtype=bool)
    for word, on_grid in on.items():
        off |= (precision == word.value) & ~on_grid
    # Periods of the first and last decade run off Python's calendar; the row path decides.
    off |= when.valid & ((year < 10) | (year > 9989))
    return off


def _partial_dates(column: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validity and (first, last) day bounds of ISO dates at year, month or day precision.

    Worked out once per distinct value with the models' own functions: these columns (actor
    lifespans) repeat few values."""
    encoded = pc.dictionary_encode(_array(column))
    valid_of, low_of, high_of = [], [], []
    for value in encoded.dictionary.to_pylist():
        try:
            _parse_partial_date(value)
            low, high = partial_date_bounds(value)
        except Exception:  # any refusal means "not valid"; the row path explains it
            valid_of.append(False)
            low_of.append(0)
            high_of.append(0)
        else:
            valid_of.append(True)
            low_of.append(low.toordinal())
            high_of.append(high.toordinal())
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    return (
        np.array(valid_of, dtype=bool)[codes] if valid_of else np.zeros(0, dtype=bool),
        np.array(low_of, dtype=np.int64)[codes] if low_of else np.zeros(0, dtype=np.int64),
        np.array(high_of, dtype=np.int64)[codes] if high_of else np.zeros(0, dtype=np.int64),
    )


def _first_of_month(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    """Days since 1970 of the first day of each (year, month)."""
    months = (year - 1970) * 12 + (month - 1)
    days: np.ndarray = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    return days


def _precision_bounds(when: _Days, precision: _Coded, *, start: bool) -> np.ndarray:
    """Days since 1970 of the first (start) or last day of each date's period, as the models'
    period_start and period_end compute them."""
    days, year, month = when.days, when.year.astype(np.int64), when.month.astype(np.int64)
    result = days.copy()
    for word in DatePrecision:
        rows = np.flatnonzero(precision == word.value)
        if len(rows) == 0 or word is DatePrecision.DAY:
            continue
        y, m, d = year[rows], month[rows], days[rows]
        if word is DatePrecision.WEEK:
            weekday = when.weekday[rows].astype(np.int64)
            result[rows] = d - weekday if start else d + 6 - weekday
            continue
        if word is DatePrecision.MONTH:
            first_month, span = m, 1
        elif word is DatePrecision.QUARTER:
            first_month, span = 3 * ((m - 1) // 3) + 1, 3
        elif word is DatePrecision.YEAR:
            first_month, span = np.ones_like(m), 12
        else:
            y, first_month, span = y - y % 10, np.ones_like(m), 120
        if start:
            result[rows] = _first_of_month(y, first_month)
        else:
            after = y * 12 + (first_month - 1) + span  # months since year 0 of the next period
            result[rows] = _first_of_month(after // 12, after % 12 + 1) - 1
    return result
