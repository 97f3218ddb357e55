"""Dates at the edges of the calendar (0001-01-01 and 9999-12-31) are reported, never crash.

A period at a coarse precision can reach past the calendar: the week starting Monday
9999-12-27 would end on 10000-01-02, and the decade of years 1-9 would start in year 0. Both
periods are cut at the calendar's edge, so the grid rules still hold for them and an off-grid
date gets the usual bad-precision problem, under both validator engines.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, strategies as st
from pydantic import ValidationError

from iran_syria.models import (
    DatePrecision,
    Event,
    Relation,
    Source,
    period_end,
    period_start,
)
from iran_syria.validate import validate_package

from .conftest import copied_valid, regenerate

LAST_WEEK = [date(9999, 12, 27) + timedelta(days=n) for n in range(5)]  # Monday to Friday
EDGE_DAYS = [
    *(date(1, 1, 1) + timedelta(days=n) for n in range(14)),
    *(date(year, 6, 15) for year in range(1, 10)),
    date(9, 12, 31),
    date(10, 1, 1),
    date(9989, 12, 31),
    date(9990, 1, 1),
    date(9999, 12, 1),
    *(date(9999, 12, 20) + timedelta(days=n) for n in range(7)),
    *LAST_WEEK,
]


# ---------------------------------------------------------------------------------------------
# period_start / period_end


@pytest.mark.parametrize("precision", list(DatePrecision))
@pytest.mark.parametrize("day", EDGE_DAYS, ids=str)
def test_period_bounds_stay_on_the_calendar(precision: DatePrecision, day: date) -> None:
    start, end = period_start(day, precision), period_end(day, precision)
    assert date.min <= start <= day <= end <= date.max
    assert period_start(start, precision) == start and period_end(end, precision) == end
    assert period_start(end, precision) == start and period_end(start, precision) == end


@pytest.mark.parametrize("precision", list(DatePrecision))
@given(day=st.dates())
def test_period_bounds_contain_the_day_anywhere_on_the_calendar(
    precision: DatePrecision, day: date
) -> None:
    start, end = period_start(day, precision), period_end(day, precision)
    assert start <= day <= end
    assert period_start(start, precision) == start and period_end(end, precision) == end


@pytest.mark.parametrize("day", LAST_WEEK, ids=str)
def test_the_last_week_is_cut_at_the_end_of_the_calendar(day: date) -> None:
    assert period_start(day, DatePrecision.WEEK) == date(9999, 12, 27)
    assert period_end(day, DatePrecision.WEEK) == date(9999, 12, 31)


@pytest.mark.parametrize("year", range(1, 10))
def test_the_first_decade_is_cut_at_the_start_of_the_calendar(year: int) -> None:
    day = date(year, 6, 15)
    assert period_start(day, DatePrecision.DECADE) == date(1, 1, 1)
    assert period_end(day, DatePrecision.DECADE) == date(9, 12, 31)


@pytest.mark.parametrize(
    ("precision", "start", "end"),
    [
        (DatePrecision.MONTH, date(9999, 12, 1), date(9999, 12, 31)),
        (DatePrecision.QUARTER, date(9999, 10, 1), date(9999, 12, 31)),
        (DatePrecision.YEAR, date(9999, 1, 1), date(9999, 12, 31)),
        (DatePrecision.DECADE, date(9990, 1, 1), date(9999, 12, 31)),
        (DatePrecision.MONTH, date(1, 1, 1), date(1, 1, 31)),
        (DatePrecision.YEAR, date(1, 1, 1), date(1, 12, 31)),
        (DatePrecision.WEEK, date(1, 1, 1), date(1, 1, 7)),  # 0001-01-01 is a Monday
    ],
)
def test_last_and_first_periods(precision: DatePrecision, start: date, end: date) -> None:
    for day in (start, end):
        assert (period_start(day, precision), period_end(day, precision)) == (start, end)


# ---------------------------------------------------------------------------------------------
# Models

EVENT = {
    "id": "evt-edge",
    "title": "A title",
    "description": "A description.",
    "event_type": "CONSULT",
    "geo_precision": "unknown",
    "confidence": "high",
    "attribution": "reported",
    "status": "active",
}


def _event(start: str, end: str, precision: str) -> Event:
    return Event.model_validate(
        {**EVENT, "date_start": start, "date_end": end, "date_precision": precision}
    )


def _precision_errors(start: str, end: str, precision: str) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        _event(start, end, precision)
    return [(error["type"], str(error["ctx"]["detail"])) for error in caught.value.errors()]


@pytest.mark.parametrize(
    ("start", "end", "precision"),
    [
        ("9999-12-27", "9999-12-31", "week"),
        ("9999-12-20", "9999-12-31", "week"),
        ("9999-12-01", "9999-12-31", "month"),
        ("9999-10-01", "9999-12-31", "quarter"),
        ("9999-01-01", "9999-12-31", "year"),
        ("9990-01-01", "9999-12-31", "decade"),
        ("0001-01-01", "0009-12-31", "decade"),
        ("0001-01-01", "0001-01-07", "week"),
    ],
)
def test_periods_at_the_calendar_edges_are_valid(start: str, end: str, precision: str) -> None:
    event = _event(start, end, precision)
    assert event.date_end == date.fromisoformat(end)


@pytest.mark.parametrize("day", LAST_WEEK[1:], ids=str)
def test_a_last_week_not_starting_on_monday_is_a_precision_problem(day: date) -> None:
    assert _precision_errors(day.isoformat(), "9999-12-31", "week") == [
        ("bad_precision", f"{day} is not the first day of a week (expected 9999-12-27)")
    ]


@pytest.mark.parametrize("day", LAST_WEEK[:-1], ids=str)
def test_the_last_week_ends_on_the_last_day_of_the_calendar(day: date) -> None:
    assert _precision_errors("9999-12-27", day.isoformat(), "week") == [
        ("bad_precision", f"{day} is not the last day of a week (expected 9999-12-31)")
    ]


@pytest.mark.parametrize("year", range(2, 10))
def test_a_first_decade_starting_after_year_one_is_a_precision_problem(year: int) -> None:
    start = date(year, 1, 1).isoformat()
    assert _precision_errors(start, "0009-12-31", "decade") == [
        ("bad_precision", f"{start} is not the first day of a decade (expected 0001-01-01)")
    ]


def test_a_relation_and_a_source_on_the_edge_periods() -> None:
    relation: dict[str, Any] = {
        "id": "rel-edge",
        "source_id": "act-a",
        "target_id": "act-b",
        "relation_type": "opposes",
        "date_start": "9999-12-27",
        "start_precision": "week",
        "date_end": "9999-12-31",
        "end_precision": "week",
        "confidence": "high",
        "attribution": "reported",
        "description": "A relation.",
        "status": "active",
    }
    Relation.model_validate(relation)
    Relation.model_validate({**relation, "date_start": "0001-01-01", "start_precision": "decade"})
    source = {"id": "src-edge", "publisher": "P", "language": "en", "source_type": "news"}
    Source.model_validate({**source, "published_date": "0001-01-01", "date_precision": "decade"})
    Source.model_validate({**source, "published_date": "9999-12-27", "date_precision": "week"})
    with pytest.raises(ValidationError, match="expected 0001-01-01"):
        Source.model_validate(
            {**source, "published_date": "0005-01-01", "date_precision": "decade"}
        )


# ---------------------------------------------------------------------------------------------
# The validator, both engines

EVENT_ROW = 1  # evt-2015-09-alpha-aids-beta, a month-precision event with no lifespans to check
ALLIES_ROW = 1  # rel-alpha-allied-with-beta: actors without lifespans
ARMS_ROW = 2  # rel-alpha-supports-gamma-weapons: Gamma began in 2013
LEADS_ROW = 3  # rel-delta-leads-gamma: Delta ended on 2020-01-03


def _edit(folder: Path, table: str, row: int, changes: dict[str, str]) -> None:
    path = folder / "data" / f"{table}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    for column, value in changes.items():
        rows[row][header.index(column)] = value
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    regenerate(folder)


def _problems(folder: Path) -> list[dict[str, object]]:
    """The problems found, identical under both engines, none of them an internal error."""
    columnar = [p.to_dict() for p in validate_package(folder, engine="columnar").problems]
    rows = [p.to_dict() for p in validate_package(folder, engine="rows").problems]
    assert columnar == rows
    assert all(p["code"] != "internal-error" for p in rows), rows
    return rows


def _event_dates(start: str, end: str, precision: str) -> dict[str, str]:
    return {"date_start": start, "date_end": end, "date_precision": precision}


def _relation_dates(
    start: str, start_precision: str, end: str = "", end_precision: str = ""
) -> dict[str, str]:
    return {
        "date_start": start,
        "start_precision": start_precision,
        "date_end": end,
        "end_precision": end_precision,
    }


def _week_case(start: date, end: date) -> tuple[str, int, dict[str, str], set[tuple[str, str]]]:
    expected = set()
    if start != date(9999, 12, 27):
        expected.add(("bad-precision", "date_start"))
    if end != date(9999, 12, 31):
        expected.add(("bad-precision", "date_end"))
    return ("events", EVENT_ROW, _event_dates(str(start), str(end), "week"), expected)


CASES: list[tuple[str, int, dict[str, str], set[tuple[str, str]]]] = [
    *(_week_case(day, date(9999, 12, 31)) for day in LAST_WEEK),
    *(_week_case(date(9999, 12, 27), day) for day in LAST_WEEK[:-1]),
    ("events", EVENT_ROW, _event_dates("9999-12-20", "9999-12-31", "week"), set()),
    *(
        (
            "events",
            EVENT_ROW,
            _event_dates(f"000{year}-01-01", "0009-12-31", "decade"),
            set() if year == 1 else {("bad-precision", "date_start")},
        )
        for year in range(1, 10)
    ),
    (
        "events",
        EVENT_ROW,
        _event_dates("0001-01-01", "0005-12-31", "decade"),
        {("bad-precision", "date_end")},
    ),
    ("events", EVENT_ROW, _event_dates("9990-01-01", "9999-12-31", "decade"), set()),
    (
        "events",
        EVENT_ROW,
        _event_dates("9995-01-01", "9999-12-31", "decade"),
        {("bad-precision", "date_start")},
    ),
    ("events", EVENT_ROW, _event_dates("9999-12-01", "9999-12-31", "month"), set()),
    ("events", EVENT_ROW, _event_dates("9999-10-01", "9999-12-31", "quarter"), set()),
    ("events", EVENT_ROW, _event_dates("9999-01-01", "9999-12-31", "year"), set()),
    (
        "relations",
        ALLIES_ROW,
        _relation_dates("9999-12-27", "week", "9999-12-31", "week"),
        set(),
    ),
    ("relations", ALLIES_ROW, _relation_dates("9999-12-27", "week"), set()),
    (
        "relations",
        ALLIES_ROW,
        _relation_dates("0005-01-01", "decade"),
        {("bad-precision", "date_start")},
    ),
    # the lifespan rules take each relation's period at its precision, cut at the calendar
    ("relations", ARMS_ROW, _relation_dates("9999-12-27", "week"), set()),
    (
        "relations",
        ARMS_ROW,
        _relation_dates("0001-01-01", "decade"),
        {("outside-lifespan", "date_start")},
    ),
    (
        "relations",
        LEADS_ROW,
        _relation_dates("2013-01-01", "year", "9999-12-31", "week"),
        {("outside-lifespan", "date_end")},
    ),
    (
        "relations",
        LEADS_ROW,
        _relation_dates("0001-01-01", "decade", "0009-12-31", "decade"),
        {("outside-lifespan", "date_start")},
    ),
    ("sources", 1, {"published_date": "9999-12-27", "date_precision": "week"}, set()),
    ("sources", 1, {"published_date": "0001-01-01", "date_precision": "decade"}, set()),
    (
        "sources",
        1,
        {"published_date": "0007-01-01", "date_precision": "decade"},
        {("bad-precision", "published_date")},
    ),
]


@pytest.mark.parametrize(
    ("table", "row", "changes", "expected"),
    CASES,
    ids=[f"{c[0]}-{'-'.join(c[2].values())}".rstrip("-") for c in CASES],
)
def test_the_validator_reports_calendar_edges(
    table: str, row: int, changes: dict[str, str], expected: set[tuple[str, str]]
) -> None:
    with copied_valid() as folder:
        _edit(folder, table, row, changes)
        problems = _problems(folder)
    assert {(p["code"], p["field"]) for p in problems if p["table"] == table} == expected


@pytest.mark.parametrize("engine", ["rows", "columnar"])
def test_an_arithmetic_error_is_reported_not_raised(
    engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from iran_syria import validate as module

    def overflow(*args: object) -> None:
        raise OverflowError("date value out of range")

    monkeypatch.setattr(module._Checker, "_check_across_tables", overflow)
    with copied_valid() as folder:
        report = validate_package(folder, engine=engine)
    assert [p.code for p in report.problems] == ["internal-error"]
    assert "OverflowError" in report.problems[0].message
