"""The exception tree, the Problem record, and the one catalogue of problem codes."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class IranSyriaError(Exception):
    """Base of every exception this library raises."""


class PackageNotFoundError(IranSyriaError):
    """A path does not hold a data package (no datapackage.json)."""


class IntegrityError(IranSyriaError):
    """A resource's bytes do not match the sha256 or size its descriptor declares."""


class InvalidPackageError(IranSyriaError):
    """A package's rows do not satisfy the models; carries the problems found."""

    def __init__(self, message: str, problems: list[Problem]) -> None:
        super().__init__(message)
        self.problems = problems


class UnknownTableError(IranSyriaError, KeyError):
    """A table name that is not in the contract."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class MissingDependencyError(IranSyriaError, ImportError):
    """An optional backend or format needs a library that is not installed; names the extra."""


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class ProblemCode:
    code: str
    severity: Severity
    summary: str


def _codes(*entries: tuple[str, Severity, str]) -> dict[str, ProblemCode]:
    return {code: ProblemCode(code, severity, summary) for code, severity, summary in entries}


E, W = Severity.ERROR, Severity.WARNING

#: Every problem the validator can report. Codes are stable: never rename or reuse one.
PROBLEM_CODES: dict[str, ProblemCode] = _codes(
    # the package and its descriptor
    ("bad-descriptor", E, "datapackage.json is not valid JSON or not a valid Data Package 2.0"),
    ("missing-resource", E, "a table the contract requires is not a resource of the package"),
    ("unknown-resource", W, "a resource that is not in the contract; it is not checked"),
    ("missing-file", E, "a resource's file does not exist"),
    (
        "unsafe-path",
        E,
        "a resource path that is absolute, a URL, hidden, or leaves the package folder",
    ),
    (
        "stale-descriptor",
        E,
        "the descriptor's Table Schema differs from the one the models generate",
    ),
    ("hash-mismatch", E, "a file's sha256 or size differs from what the descriptor declares"),
    (
        "duplicate-json-key",
        E,
        "a key repeated in one object of datapackage.json; JSON readers disagree on which counts",
    ),
    ("duplicate-resource", E, "two resources of one name; readers would disagree on the file"),
    (
        "unsupported-resource",
        E,
        "a resource that is not UTF-8, comma-separated CSV on disk (encoding, format, dialect…)",
    ),
    ("missing-integrity", E, "a resource without its sha256 hash or its size in bytes"),
    (
        "unsafe-archive",
        E,
        "a bundle zip refused before extraction: a bomb, unsafe or undecodable names, corrupt data",
    ),
    # bytes and CSV syntax
    ("empty-file", E, "a table file holds no header row"),
    ("encoding-error", E, "bytes that are not valid UTF-8"),
    ("bom", E, "the file starts with a byte-order mark; the contract says UTF-8 without BOM"),
    ("bad-line-ending", E, "CR or CRLF line endings; the contract says LF"),
    ("nul-byte", E, "a NUL byte in the file"),
    ("bad-csv", E, "the CSV cannot be parsed here, e.g. an unclosed quote"),
    ("limit-exceeded", E, "a file, row count or descriptor beyond the validator's safety limits"),
    ("too-large", E, "a cell longer than 1,048,576 characters; it is not read"),
    # the header
    ("blank-header", E, "a header cell is empty"),
    ("duplicate-header", E, "a column name appears twice in the header"),
    ("missing-field", E, "a column the contract requires is absent from the header"),
    ("unknown-field", E, "a column that is not in the contract"),
    ("wrong-field-order", E, "the header's columns are not in the contract's order"),
    # one row
    ("blank-row", E, "a row with no values"),
    ("missing-cell", E, "a row with fewer cells than the header"),
    ("extra-cell", E, "a row with more cells than the header"),
    ("missing-value", E, "a required value is empty"),
    ("bad-type", E, "a value is not of the column's type (integer, number)"),
    ("bad-date", E, "not a real calendar date in ISO form, e.g. 2020-02-30"),
    ("bad-vocabulary", E, "a word that is not in the column's controlled vocabulary"),
    ("bad-pattern", E, "a value does not match the column's pattern, e.g. an id"),
    ("out-of-range", E, "a number outside the column's bounds"),
    ("bad-text", E, "text not in NFC, with control or bidi characters, or padded with spaces"),
    (
        "formula-trigger",
        W,
        "free text starting with =, +, - or @, which spreadsheets run as a formula",
    ),
    ("bad-date-order", E, "an end date before its start date"),
    ("bad-precision", E, "date bounds that do not sit on the grid of their precision"),
    ("bad-fatalities-order", E, "fatalities_low <= fatalities_best <= fatalities_high is broken"),
    ("bad-coordinates", E, "coordinates present with geo_precision unknown, or absent without"),
    ("bad-mode", E, "a mode that does not belong to its type, or a missing required mode"),
    ("bad-position", E, "position given for a relation that is not leads, or missing on leads"),
    ("self-reference", E, "a relation from an actor to itself"),
    (
        "unknown-cited-field",
        E,
        "a citation's fields names a column the cited record's table does not have",
    ),
    ("bad-status", E, "merged_into set without status merged, or status merged without it"),
    # across rows and tables
    ("duplicate-key", E, "a primary key or unique key value used twice"),
    ("unknown-reference", E, "a reference to a record that does not exist"),
    ("bad-merge", E, "merged_into that is not an active record of the same table"),
    ("retracted-reference", E, "an active record refers to a retracted one"),
    ("merged-reference", W, "an active record refers to a merged one; point it at the survivor"),
    ("missing-citation", E, "an actor, event or relation with no citation"),
    ("missing-event-actor", E, "an event with no row in event_actors"),
    ("bad-symmetric-order", E, "a symmetric relation not stored once with source_id < target_id"),
    ("outside-lifespan", E, "relation dates outside an actor's start_date..end_date"),
    (
        "bad-actor-kind",
        E,
        "a relation whose source or target is of an actor kind its type and mode do not allow",
    ),
    ("duplicate-event", E, "two active events of one type, on one day, with the same actors"),
    # the validator itself
    ("internal-error", E, "the validator failed on this input; please report it with the package"),
)


#: Problem.sort_key: path, line, column, field, code, message, value.
SortKey = tuple[str, int, int, str, str, str, str]


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem in a package: what, where, and the offending value."""

    code: str
    message: str
    table: str | None = None
    path: str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None
    value: str | None = None

    def __post_init__(self) -> None:
        if self.code not in PROBLEM_CODES:
            raise ValueError(f"unknown problem code {self.code!r}; add it to PROBLEM_CODES")

    @property
    def severity(self) -> Severity:
        return PROBLEM_CODES[self.code].severity

    def sort_key(self) -> SortKey:
        """Where, then what: a total order, so that two problems in one cell are listed the same
        way whichever engine found them, and in whatever order it found them."""
        return (
            self.path or "",
            self.line or 0,
            self.column or 0,
            self.field or "",
            self.code,
            self.message,
            self.value or "",
        )

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "severity": self.severity.value}

    def __str__(self) -> str:
        where = ":".join(
            part for part in (self.path, _opt(self.line), self.field) if part is not None
        )
        text = (
            f"{where}: {self.message} [{self.code}]" if where else f"{self.message} [{self.code}]"
        )
        return printable(text)


#: Characters that could start a new line or reorder one on a terminal: control characters,
#: the Unicode line and paragraph separators, and the bidirectional overrides and isolates.
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"
)


def printable(text: str) -> str:
    """Text with every control, line-breaking or bidi character escaped (\\n, \\x1b, \\u202e), so
    a value from a package can never print a line that looks like another problem."""
    return _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode(), text)


def _opt(number: int | None) -> str | None:
    return None if number is None else str(number)
