"""Dates as a reader says them, at the precision the data knows: '3 January 2020', 'March 2013',
'the 1980s', never a day that was not known ('2013-03-01' for a month)."""

from __future__ import annotations

from datetime import date

from ..models import DatePrecision, partial_date_bounds

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def say_period(day: date, precision: str) -> str:
    """The period of `precision` that holds `day`, in words."""
    kind = DatePrecision(precision)
    if kind is DatePrecision.DAY:
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    if kind is DatePrecision.WEEK:
        year, week, _ = day.isocalendar()
        return f"week {week} of {year}"
    if kind is DatePrecision.MONTH:
        return f"{_MONTHS[day.month - 1]} {day.year}"
    if kind is DatePrecision.QUARTER:
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    if kind is DatePrecision.YEAR:
        return str(day.year)
    return f"the {day.year - day.year % 10}s"


def say_span(start: date, end: date, precision: str) -> str:
    """An event's span: one period when both bounds fall in it, else 'first – last'."""
    first, last = say_period(start, precision), say_period(end, precision)
    if first == last:
        return first
    if DatePrecision(precision) is DatePrecision.DAY and start.year == end.year:
        # '30–31 October 2013', '19 May – 5 June 2013': the shared month and year said once.
        if start.month == end.month:
            return f"{start.day}–{last}"
        return f"{start.day} {_MONTHS[start.month - 1]} – {last}"
    return f"{first} – {last}"


def say_partial(value: str | None) -> str:
    """An actor's or source's date given as '1982', '1982-06' or '1982-06-03'."""
    if not value:
        return ""
    precision = ("year", "month", "day")[value.count("-")]
    return say_period(partial_date_bounds(value)[0], precision)


def say_published(source: dict[str, object]) -> str:
    """A source's publication date at its precision, or '' when it has none."""
    day, precision = source.get("published_date"), source.get("date_precision")
    if not isinstance(day, date) or not precision:
        return ""
    return say_period(day, str(precision))


def year_of(value: date | str | None) -> int | None:
    """The year of a date or a partial ISO date, or None."""
    if isinstance(value, date):
        return value.year
    return int(value[:4]) if value else None
