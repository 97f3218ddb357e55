"""Field types and the rules every row keeps: strict parsing of CSV text (dates, numbers,
flags), the text rules, id patterns, and the date grid of each precision. models.py re-exports
what the validator engines use.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    StringConstraints,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError

from ._vocabularies import DatePrecision

# ---------------------------------------------------------------------------------------------
# Field types: strict parsing of CSV text


@dataclass(frozen=True)
class Violation:
    """A broken cross-field rule of one record: the problem code, the field and why."""

    code: str
    field: str
    detail: str


class _RuleBroken(Exception):
    def __init__(self, violation: Violation) -> None:
        self.violation = violation


def _fail(code: str, field: str, detail: str) -> _RuleBroken:
    return _RuleBroken(Violation(code, field, detail))


def _raise_or_collect(violations: list[Violation], info: ValidationInfo) -> None:
    """Give every violation to a collecting caller (the validator), else raise the first."""
    collector = info.context.get(RULES_COLLECTOR) if isinstance(info.context, dict) else None
    if collector is not None:
        collector.extend(violations)
    elif violations:
        first = violations[0]
        raise PydanticCustomError(
            first.code.replace("-", "_"), "{detail}", {"field": first.field, "detail": first.detail}
        )


#: Validation context key: pass {RULES_COLLECTOR: []} to receive every cross-field violation.
RULES_COLLECTOR = "iran_syria_rules"


def _checks(*checks: Any) -> list[Violation]:
    """Run rule callables, each raising _RuleBroken or returning None; collect the violations."""
    found = []
    for check in checks:
        try:
            check()
        except _RuleBroken as broken:
            found.append(broken.violation)
        except AttributeError:
            # A partial record (see validate._rules_of_what_parsed) lacks the cells that failed
            # to parse: a rule that reads one is skipped, its input already reported.
            continue
    return found


_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_PARTIAL_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
# Matched with fullmatch: `$` in Python's re also matches before a final newline, which let a
# quoted "5\n" pass as 5 while every CSV loader refused it.
_INTEGER = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
#: The largest integer a cell may hold: loaders type integer columns as 64-bit.
INT64_MAX = 2**63 - 1


def _parse_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        if _ISO_DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise PydanticCustomError(
            "bad_date", "'{value}' is not a real calendar date in YYYY-MM-DD form", {"value": value}
        )
    raise PydanticCustomError(
        "bad_date", "expected an ISO date, got {kind}", {"kind": type(value).__name__}
    )


def _parse_partial_date(value: Any) -> Any:
    if isinstance(value, str) and _PARTIAL_DATE.fullmatch(value):
        try:
            partial_date_bounds(value)
        except ValueError:
            pass
        else:
            return value
    raise PydanticCustomError(
        "bad_date",
        "'{value}' is not an ISO date at year, month or day precision (YYYY, YYYY-MM, YYYY-MM-DD)",
        {"value": str(value)},
    )


def _parse_int(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _INTEGER.fullmatch(value):
        if len(value) > 19 or int(value) > INT64_MAX:
            raise PydanticCustomError(
                "out_of_range",
                "'{value}' has more digits than a 64-bit integer holds (at most {limit})",
                {"value": value[:40] + ("…" if len(value) > 40 else ""), "limit": INT64_MAX},
            )
        return int(value)
    raise PydanticCustomError(
        "bad_type",
        "'{value}' is not a whole number written with digits only",
        {"value": str(value)},
    )


def _parse_float(value: Any) -> Any:
    if isinstance(value, float | int) and not isinstance(value, bool):
        if value != value or value in (float("inf"), float("-inf")):
            raise PydanticCustomError(
                "bad_type", "{value} is not a finite number", {"value": value}
            )
        return float(value)
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        number = float(value)
        if number in (float("inf"), float("-inf")):
            raise PydanticCustomError(
                "out_of_range",
                "'{value}' is too large for a decimal number",
                {"value": value[:40] + ("…" if len(value) > 40 else "")},
            )
        return number
    raise PydanticCustomError(
        "bad_type", "'{value}' is not a decimal number such as 33.51 or -6.2", {"value": str(value)}
    )


# Bidi embeddings/overrides/isolates, and zero-width characters that hide text. ZWJ and ZWNJ
# (U+200C/U+200D) are allowed: Persian and Arabic spellings need them.
_FORBIDDEN_CHARS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u2060\ufeff"
)


def text_problem(value: str) -> str | None:
    """Why a text value breaks the contract's text rules, or None when it is clean."""
    if value != value.strip():
        return "has leading or trailing white space"
    for char in value:
        if unicodedata.category(char) == "Cc":
            return f"contains the control character U+{ord(char):04X}"
        if char in _FORBIDDEN_CHARS:
            return f"contains the invisible or bidi-control character U+{ord(char):04X}"
    if not unicodedata.is_normalized("NFC", value):
        return "is not in Unicode normal form NFC"
    return None


def _check_text(value: str) -> str:
    reason = text_problem(value)
    if reason:
        raise PydanticCustomError("bad_text", "text {reason}", {"reason": reason})
    return value


def _iso(value: date) -> str:
    return value.isoformat()


IsoDate = Annotated[date, BeforeValidator(_parse_date), PlainSerializer(_iso, return_type=str)]


def _parse_flag(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise PydanticCustomError(
        "bad_type", "'{value}' is not a boolean written true or false", {"value": str(value)}
    )


def _flag_text(value: bool) -> str:
    return "true" if value else "false"


#: A boolean written as the words true and false (the only spellings the package uses).
Flag = Annotated[bool, BeforeValidator(_parse_flag), PlainSerializer(_flag_text, return_type=str)]
#: Lowercase snake_case names separated by single spaces: field names, vocabulary words.
NameList = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*( [a-z][a-z0-9_]*)*$")]
PartialDate = Annotated[
    str,
    BeforeValidator(_parse_partial_date),
    StringConstraints(pattern=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"),
]
Count = Annotated[int, BeforeValidator(_parse_int), Field(ge=0)]
Latitude = Annotated[float, BeforeValidator(_parse_float), Field(ge=-90, le=90)]
Longitude = Annotated[float, BeforeValidator(_parse_float), Field(ge=-180, le=180)]
Text = Annotated[str, StringConstraints(min_length=1), AfterValidator(_check_text)]


_SLUG = r"-[a-z0-9]+(-[a-z0-9]+)*$"
ActorId = Annotated[str, StringConstraints(pattern=rf"^act{_SLUG}")]
EventId = Annotated[str, StringConstraints(pattern=rf"^evt{_SLUG}")]
RelationId = Annotated[str, StringConstraints(pattern=rf"^rel{_SLUG}")]
SourceId = Annotated[str, StringConstraints(pattern=rf"^src{_SLUG}")]
RecordId = Annotated[str, StringConstraints(pattern=rf"^(act|evt|rel|src){_SLUG}")]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$"), AfterValidator(_check_text)]
LanguageTag = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]

ID_PREFIXES = {"act": "actors", "evt": "events", "rel": "relations", "src": "sources"}

# ---------------------------------------------------------------------------------------------
# Dates on a precision grid


def partial_date_bounds(value: str) -> tuple[date, date]:
    """First and last day of an ISO date at year, month or day precision ('1982', '1982-06')."""
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        year, month = parts
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    day = date(*parts)
    return day, day


def _on_calendar(ordinal: int) -> date:
    """The day with this proleptic Gregorian ordinal, clamped to 0001-01-01 .. 9999-12-31."""
    return date.fromordinal(min(max(ordinal, date.min.toordinal()), date.max.toordinal()))


def period_start(day: date, precision: DatePrecision) -> date:
    """The first day of the period at `precision` that contains `day`.

    Periods are cut at the calendar's edges: the decade of years 1-9 starts on 0001-01-01 (there
    is no year 0). Weeks start on Monday, and 0001-01-01 is a Monday, so no week is cut there.
    """
    if precision is DatePrecision.DAY:
        return day
    if precision is DatePrecision.WEEK:
        return _on_calendar(day.toordinal() - day.weekday())
    if precision is DatePrecision.MONTH:
        return day.replace(day=1)
    if precision is DatePrecision.QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if precision is DatePrecision.YEAR:
        return date(day.year, 1, 1)
    return date(max(day.year - day.year % 10, MINYEAR), 1, 1)


def period_end(day: date, precision: DatePrecision) -> date:
    """The last day of the period at `precision` that contains `day`.

    Periods are cut at the calendar's edges: the week starting Monday 9999-12-27 ends on
    9999-12-31 (a Friday), the last day a date can name.
    """
    if precision is DatePrecision.DAY:
        return day
    if precision is DatePrecision.WEEK:
        return _on_calendar(day.toordinal() + 6 - day.weekday())
    if precision is DatePrecision.MONTH:
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if precision is DatePrecision.QUARTER:
        last_month = 3 * ((day.month - 1) // 3) + 3
        return date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
    if precision is DatePrecision.YEAR:
        return date(day.year, 12, 31)
    return date(min(day.year - day.year % 10 + 9, MAXYEAR), 12, 31)


def _check_start_on_grid(field: str, day: date, precision: DatePrecision) -> None:
    if period_start(day, precision) != day:
        raise _fail(
            "bad-precision",
            field,
            f"{day.isoformat()} is not the first day of a {precision.value} "
            f"(expected {period_start(day, precision).isoformat()})",
        )


def _check_end_on_grid(field: str, day: date, precision: DatePrecision) -> None:
    if period_end(day, precision) != day:
        raise _fail(
            "bad-precision",
            field,
            f"{day.isoformat()} is not the last day of a {precision.value} "
            f"(expected {period_end(day, precision).isoformat()})",
        )
