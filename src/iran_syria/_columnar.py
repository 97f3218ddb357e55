"""The columnar validator: the models' rules checked on whole Arrow columns at once.

Row by row, Pydantic costs about 14 µs and 1 KB a row: a million events took 24 s and a GiB.
Here pyarrow parses each table once into text columns, and every rule of the models is
*screened* with vectorised kernels. The screens are conservative on purpose: a row that might
break a rule is a suspect, and only suspects go to the row validator (the Pydantic models),
which explains them in exactly the words of the row path. Clean rows never reach Python.

A table whose bytes are anything but plain (a BOM, CR, NUL, a quote the strict grammar does not
accept, a header other than the contract's) is read by the row path instead, so the two paths
cannot disagree about what the file says. The rules across tables run here on both, over
integer codes of the ids. `tests/test_columnar.py` runs both validators over mutated packages
and asserts identical problem lists.
"""

from __future__ import annotations

import contextlib
import functools
import os
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from . import _read, schema
from .models import (
    _FORBIDDEN_CHARS,
    EVENT_MODES,
    ID_PREFIXES,
    RELATION_MODES,
    SYMMETRIC_RELATIONS,
    TIMELESS_RELATIONS,
    DatePrecision,
    ExternalId,
    GeoPrecision,
    Record,
    RelationType,
    Status,
    _check_text,
    _parse_partial_date,
    partial_date_bounds,
)

# ---------------------------------------------------------------------------------------------
# Memory


@contextlib.contextmanager
def returning_memory_pool() -> Iterator[None]:
    """Allocate Arrow memory from a pool that hands freed pages back to the system.

    A validation frees each table's text columns before reading the next. pyarrow's default
    pool (mimalloc) keeps freed pages for reuse, so the process grew table after table: at 1M
    events it peaked at 1.35 GiB, against 1.14 GiB with jemalloc and 1.16 GiB with the system
    allocator (one run each, before the other memory work; see benchmarks/README.md). A pool
    the user chose through ARROW_DEFAULT_MEMORY_POOL is left alone."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        yield
        return
    try:
        pool = pa.jemalloc_memory_pool()
    except NotImplementedError:  # wheels built without jemalloc (Windows)
        pool = pa.system_memory_pool()
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pool)
    try:
        yield
    finally:
        pool.release_unused()
        pa.set_memory_pool(previous)


# ---------------------------------------------------------------------------------------------
# Reading


# One CSV cell as Python's csv module in strict mode reads it, minus one liberty: a quote inside
# an unquoted cell (`ab"c`), which both parsers accept but which we send to the row path rather
# than reason about. A file that matches this grammar is parsed identically by pyarrow and csv.
_CELL = r'(?:[^",\n]*|"(?:[^"]|"")*")'
_LINE = rf"{_CELL}(?:,{_CELL})*"
_STRICT_CSV = rf"\A(?:{_LINE}\n)*(?:{_LINE})?\z"


def _strict_quoting(data: bytes) -> bool:
    """True when every quote in `data` opens, closes or escapes as RFC 4180 (and csv) say."""
    whole = pa.LargeBinaryArray.from_buffers(
        pa.large_binary(),
        1,
        [None, pa.py_buffer(np.array([0, len(data)], dtype=np.int64)), pa.py_buffer(data)],
    )
    return bool(pc.match_substring_regex(whole, _STRICT_CSV)[0].as_py())


def read_table(model: type[Record], data: bytes) -> pa.Table | None:
    """The table as text columns, or None when its bytes need the row path's careful reading."""
    if not data or data.isspace() or data.startswith((_read._BOM, b"\n")):
        return None
    if b"\r" in data or b"\x00" in data:
        return None
    quoted = b'"' in data
    if quoted and not _strict_quoting(data):
        return None
    names = list(model.model_fields)
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            parse_options=pacsv.ParseOptions(newlines_in_values=quoted, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None  # ragged rows, bad UTF-8, ...: the row path locates them
    try:
        header = table.column_names
    except UnicodeDecodeError:  # Arrow checks the values' UTF-8, not the header's
        return None
    if header != names or table.num_rows >= _read.MAX_RECORDS:
        return None
    for column in table.columns:
        longest = pc.max(pc.binary_length(column)).as_py()
        if longest is not None and longest >= _read.MAX_FIELD_CHARS:
            return None
    return table


def record_lines(data: bytes, table: pa.Table) -> np.ndarray | None:
    """The physical line on which each record starts, or None if the count does not add up."""
    rows = table.num_rows
    if b'"' not in data:
        # Unquoted, no cell holds a newline and no line is skipped (ignore_empty_lines=False;
        # a blank line is a ragged row, refused by read_table): line k+2 is record k.
        return np.arange(2, rows + 2, dtype=np.int64)
    newlines = data.count(b"\n")
    trailing = 1 if data.endswith(b"\n") else 0
    starts = np.arange(2, rows + 2, dtype=np.int64)
    if newlines == rows + trailing:
        return starts  # no cell spans lines
    inside = np.zeros(rows, dtype=np.int64)
    for column in table.columns:
        inside += pc.count_substring(column, "\n").to_numpy(zero_copy_only=False)
    if newlines != rows + trailing + int(inside.sum()):
        return None
    starts[1:] += np.cumsum(inside)[:-1]
    return starts


# ---------------------------------------------------------------------------------------------
# Screens: which rows might break a rule of their own model


def _np(mask: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


def _metadata_functions(model: type[Record], name: str) -> set[Any]:
    """The validator functions attached to a field, however deeply annotated."""
    found: set[Any] = set()

    def walk(items: list[Any]) -> None:
        for item in items:
            func = getattr(item, "func", None)
            if func is not None:
                found.add(func)
            nested = getattr(item, "metadata", None)
            if isinstance(nested, list):
                walk(nested)

    info = model.model_fields[name]
    walk(list(info.metadata))
    annotation = info.annotation
    for arg in getattr(annotation, "__args__", ()):
        walk(list(getattr(arg, "__metadata__", ())))
    walk(list(getattr(annotation, "__metadata__", ())))
    return found


# Python's str.strip() removes exactly the characters for which isspace() is true. Written out,
# because finding them among all 1.1M code points took 0.13 s of every start; a test checks
# the list against the running Python's Unicode tables.
_SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _re2_class(chars: str) -> str:
    return "".join(f"\\x{{{ord(c):x}}}" for c in chars)


_TEXT_FAULT = (
    f"^[{_re2_class(_SPACE)}]|[{_re2_class(_SPACE)}]$"
    f"|[\\x00-\\x1f\\x7f-\\x9f{_re2_class(''.join(sorted(_FORBIDDEN_CHARS)))}]"
)
_FORMULA_TRIGGER = "^[=+@-]"  # a spreadsheet would run such a cell as a formula
_INTEGER = r"^[0-9]{1,18}$"  # longer digit strings go to the row path (no int64 for them)
_DECIMAL = r"^-?[0-9]+(\.[0-9]+)?$"
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
        from .models import _parse_date

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


@functools.cache
def _field_kinds(model: type[Record]) -> tuple[tuple[schema.FieldSpec, frozenset[str]], ...]:
    """Each field's spec with the checks it needs: text, url, partial-date, free-text."""
    kinds = []
    for spec in schema.field_specs(model):
        functions = _metadata_functions(model, spec.name)
        tags = set()
        if _check_text in functions:
            tags.add("text")
        if _parse_partial_date in functions:
            tags.add("partial-date")
        if spec.pattern and spec.pattern.startswith("^https?"):
            tags.add("url")
        if spec.datatype == "string" and spec.vocabulary is None and spec.pattern is None:
            tags.add("free-text")
        kinds.append((spec, frozenset(tags)))
    return tuple(kinds)


def _cell_suspects(
    spec: schema.FieldSpec,
    tags: frozenset[str],
    column: pa.Array | pa.ChunkedArray,
    when: _Days | None = None,
) -> np.ndarray:
    """Rows whose cell might break its field's rules; `when` is the column parsed as dates."""
    column = _array(column)
    if not spec.required and not pc.max(pc.binary_length(column)).as_py():
        return np.zeros(len(column), dtype=bool)  # an optional column left empty throughout
    empty = _np(pc.equal(column, ""))
    suspect = empty.copy() if spec.required else np.zeros(len(column), dtype=bool)
    bad: list[np.ndarray] = []
    if spec.vocabulary is not None:
        bad.append(~_np(pc.is_in(column, value_set=pa.array(spec.enum or ()))))
    elif spec.datatype == "date":
        bad.append(~(when or _days(column)).valid)
    elif spec.datatype == "integer":
        bad.append(~_np(pc.match_substring_regex(column, _INTEGER)))
    elif spec.datatype == "number":
        shaped = _np(pc.match_substring_regex(column, _DECIMAL))
        value = pc.cast(pc.if_else(pa.array(shaped), column, "0"), pa.float64())
        value = value.to_numpy(zero_copy_only=False)
        outside = np.zeros(len(column), dtype=bool)
        if spec.minimum is not None:
            outside |= value < spec.minimum
        if spec.maximum is not None:
            outside |= value > spec.maximum
        bad.append(~shaped | outside)
    elif "partial-date" in tags:
        bad.append(~_partial_dates(column)[0])
    elif spec.pattern is not None:
        bad.append(~_np(pc.match_substring_regex(column, spec.pattern)))
    needs_ascii = bool(tags & {"url", "text"})
    ascii_ = _np(pc.string_is_ascii(column)) if needs_ascii else np.ones(len(column), bool)
    if "url" in tags:
        # RE2's \s is ASCII, the models' (Rust regex) is Unicode: leave non-ASCII to the models.
        bad.append(~ascii_)
    fault = "|".join(
        part
        for part, tag in ((_TEXT_FAULT, "text"), (_FORMULA_TRIGGER, "free-text"))
        if tag in tags
    )
    if fault:  # one pass over the column for the text rules and the formula trigger
        suspect |= _np(pc.match_substring_regex(column, fault)) & ~empty
    if "text" in tags and not ascii_.all():
        others = np.flatnonzero(~ascii_)
        values = column.take(pa.array(others)).to_pylist()
        unnormal = np.array(
            [not unicodedata.is_normalized("NFC", value) for value in values], dtype=bool
        )
        flags = np.zeros(len(column), dtype=bool)
        flags[others[unnormal]] = True
        bad.append(flags)
    for flags in bad:
        suspect |= flags & ~empty
    return suspect


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


class _Coded:
    """A low-cardinality text column (a vocabulary) as integer codes, for the rule masks."""

    def __init__(self, column: pa.Array | pa.ChunkedArray) -> None:
        encoded = pc.dictionary_encode(_array(column))
        self.words: list[str] = encoded.dictionary.to_pylist()
        self.codes = encoded.indices.to_numpy(zero_copy_only=False)

    def __eq__(self, word: object) -> np.ndarray:  # type: ignore[override]
        return self.isin([word])

    def __ne__(self, word: object) -> np.ndarray:  # type: ignore[override]
        return ~self.isin([word])

    def isin(self, words: Iterable[object]) -> np.ndarray:
        wanted = set(words)
        hits = np.array([word in wanted for word in self.words], dtype=bool)
        return hits[self.codes] if len(hits) else np.zeros(len(self.codes), dtype=bool)

    def value(self, row: int) -> str:
        return self.words[int(self.codes[row])]


def _array(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous text array, nulls (rows without the cell) read as empty."""
    if isinstance(column, pa.ChunkedArray):
        # combine_chunks copies even a single chunk; kept columns are single chunks, read often
        column = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    if column.null_count == 0 or not pa.types.is_string(column.type):
        return column
    return pc.fill_null(column, "")


def _text(table: pa.Table, name: str) -> _Coded:
    return _Coded(table.column(name))


def _rule_suspects(
    model: type[Record], table: pa.Table, dates: dict[str, _Days] | None = None
) -> np.ndarray:
    """Rows that might break one of the model's cross-field rules."""
    n = table.num_rows
    suspect = np.zeros(n, dtype=bool)

    def empty(name: str) -> np.ndarray:
        return _np(pc.equal(table.column(name), ""))

    def when(name: str) -> _Days:
        return _dates_of(table, name, dates)

    if "merged_into" in model.model_fields:
        status = _text(table, "status")
        merged_into = table.column("merged_into")
        suspect |= (status == Status.MERGED.value) == empty("merged_into")
        suspect |= _np(pc.equal(merged_into, table.column("id"))) & ~empty("merged_into")

    name = model.table_name
    if name == "sources":
        precision = _text(table, "date_precision")
        published = when("published_date")
        suspect |= empty("published_date") != empty("date_precision")
        suspect |= _off_grid(published, precision, start=True)
    elif name == "actors":
        _, start_low, _ = _partial_dates(table.column("start_date"))
        _, _, end_high = _partial_dates(table.column("end_date"))
        both = ~empty("start_date") & ~empty("end_date")
        suspect |= both & (start_low > end_high)
    elif name == "external_ids":
        scheme = _text(table, "scheme")
        value = table.column("value")
        for word, pattern in ExternalId._SCHEME_PATTERNS.items():
            matches = _np(pc.match_substring_regex(value, pattern.pattern))
            suspect |= (scheme == word.value) & ~matches
        valid_from, valid_to = when("valid_from"), when("valid_to")
        suspect |= valid_from.valid & valid_to.valid & (valid_from.days > valid_to.days)
    elif name == "events":
        suspect |= _event_rules(table, dates)
    elif name == "relations":
        suspect |= _relation_rules(table, dates)
    return suspect


def _allowed_pairs(modes: dict[Any, frozenset[Any]], every_type: Any) -> set[tuple[str, str]]:
    """(type, mode) pairs a model accepts; ("type", "") where the type takes no mode."""
    allowed = {(kind.value, mode.value) for kind, words in modes.items() for mode in words}
    return allowed | {(kind.value, "") for kind in every_type if kind not in modes}


def _mode_suspects(kind: _Coded, mode: _Coded, allowed: set[tuple[str, str]]) -> np.ndarray:
    # Few distinct (type, mode) pairs: check each once, then spread to the rows.
    width = max(len(mode.words), 1)
    pair_codes = kind.codes * width + mode.codes
    bad = np.array(
        [
            (kind.words[code // width], mode.words[code % width]) not in allowed
            for code in range(len(kind.words) * width)
        ],
        dtype=bool,
    )
    return bad[pair_codes] if len(bad) else np.zeros(len(pair_codes), dtype=bool)


def _event_rules(table: pa.Table, dates: dict[str, _Days] | None) -> np.ndarray:
    from .models import EventType

    start, end = _dates_of(table, "date_start", dates), _dates_of(table, "date_end", dates)
    precision = _text(table, "date_precision")
    suspect = start.valid & end.valid & (end.days < start.days)
    suspect |= _off_grid(start, precision, start=True)
    suspect |= _off_grid(end, precision, start=False)
    kind, mode = _text(table, "event_type"), _text(table, "event_mode")
    allowed = _allowed_pairs(EVENT_MODES, EventType)
    allowed |= {(kind.value, "") for kind in EventType}  # an event's mode is optional
    suspect |= _mode_suspects(kind, mode, allowed)
    has_lat = ~_np(pc.equal(table.column("latitude"), ""))
    has_lon = ~_np(pc.equal(table.column("longitude"), ""))
    unknown = _np(pc.equal(table.column("geo_precision"), GeoPrecision.UNKNOWN.value))
    suspect |= (has_lat != has_lon) | (unknown & has_lat) | (~unknown & ~has_lat)
    counts = []
    for name in ("fatalities_low", "fatalities_best", "fatalities_high"):
        column = table.column(name)
        shaped = _np(pc.match_substring_regex(column, _INTEGER))
        number = pc.cast(pc.if_else(pa.array(shaped), column, "0"), pa.int64())
        counts.append((shaped, number.to_numpy(zero_copy_only=False)))
    (low_ok, low), (best_ok, best), (high_ok, high) = counts
    suspect |= low_ok & best_ok & (low > best)
    suspect |= best_ok & high_ok & (best > high)
    suspect |= low_ok & ~best_ok & high_ok & (low > high)
    return np.asarray(suspect, dtype=bool)


def _relation_rules(table: pa.Table, dates: dict[str, _Days] | None) -> np.ndarray:
    source, target = table.column("source_id"), table.column("target_id")
    kind = _text(table, "relation_type")
    suspect = _np(pc.equal(source, target))
    symmetric = kind.isin(k.value for k in SYMMETRIC_RELATIONS)
    suspect |= symmetric & _np(pc.greater(source, target))
    allowed = _allowed_pairs(RELATION_MODES, RelationType)
    suspect |= _mode_suspects(kind, _text(table, "relation_mode"), allowed)
    has_position = ~_np(pc.equal(table.column("position"), ""))
    suspect |= (kind == RelationType.LEADS.value) != has_position
    start = _dates_of(table, "date_start", dates)
    suspect |= _off_grid(start, _text(table, "start_precision"), start=True)
    end = _dates_of(table, "date_end", dates)
    end_empty = _np(pc.equal(table.column("date_end"), ""))
    precision_empty = _np(pc.equal(table.column("end_precision"), ""))
    suspect |= end_empty != precision_empty
    suspect |= start.valid & end.valid & (end.days < start.days)
    suspect |= _off_grid(end, _text(table, "end_precision"), start=False)
    return suspect


def suspect_rows(model: type[Record], table: pa.Table) -> np.ndarray:
    """Indices of the rows the row validator must look at; every other row is clean."""
    kinds = _field_kinds(model)
    # Date columns are read by both the cell and the rule screens: parse each once.
    date_names = [spec.name for spec, _ in kinds if spec.datatype == "date"]
    parsed = parallel(
        [functools.partial(_days, table.column(n)) for n in date_names], table.num_rows
    )
    dates = dict(zip(date_names, parsed, strict=True))
    # The rules screen is the longest task: started first, it does not leave a core idle at
    # the end while it finishes alone.
    screens: list[Callable[[], np.ndarray]] = [lambda: _rule_suspects(model, table, dates)]
    screens += [
        functools.partial(_cell_suspects, spec, tags, table.column(spec.name), dates.get(spec.name))
        for spec, tags in kinds
    ]
    suspect = np.zeros(table.num_rows, dtype=bool)
    for flags in parallel(screens, table.num_rows):
        suspect |= flags
    return np.flatnonzero(suspect)


def parallel(tasks: list[Callable[[], Any]], rows: int) -> list[Any]:
    """Run independent tasks on every core: Arrow and numpy kernels release the GIL.

    Small inputs run in this thread: below ~50k rows a pool costs more than it saves."""
    if len(tasks) < 2 or _CORES < 2 or rows < _POOL_FROM_ROWS:
        return [task() for task in tasks]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=_CORES) as pool:
        return list(pool.map(lambda task: task(), tasks))


#: Codes and row numbers: a table has fewer than _read.MAX_RECORDS (2e7) rows, and all
#: groups' codes together fewer than the package's rows, so 32 bits hold them at half the memory.
_CODE = np.int32

_CORES = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1, 4)
_POOL_FROM_ROWS = 50_000


# ---------------------------------------------------------------------------------------------
# The rules across tables, on columns from either path


@dataclass
class Columns:
    """One table's cells as Arrow text columns (null: the row had no such cell), with each
    row's physical line and whether it made a clean record (no error of its own)."""

    table: str
    cells: pa.Table
    lines: np.ndarray
    clean: np.ndarray

    @classmethod
    def from_rows(cls, table: str, model: type[Record], rows: list[Any]) -> Columns:
        """Columns of the rows the row path read (`validate._Row`: line, cells, record)."""
        cells = pa.table(
            {
                name: pa.array([row.cells.get(name) for row in rows], pa.string())
                for name in model.model_fields
            }
        )
        lines = np.array([row.line for row in rows], dtype=np.int64)
        clean = np.array([row.record is not None for row in rows], dtype=bool)
        return cls(table, cells, lines, clean)

    @property
    def rows(self) -> int:
        return int(self.cells.num_rows)

    def filled(self, name: str) -> pa.Array:
        """A column with every missing cell read as empty, as the row path's `cells.get`."""
        return _array(self.cells.column(name))

    def cell(self, name: str, row: int) -> str | None:
        value: str | None = self.cells.column(name)[int(row)].as_py()
        return value


#: The columns the rules across tables read, per table; the rest are dropped once a table's
#: own rules are checked, so memory holds ids, keys and dates, not prose.
ACROSS_COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": ("id",),
    "actors": ("id", "status", "merged_into", "start_date", "end_date"),
    "actor_aliases": ("actor_id", "alias"),
    "external_ids": ("record_id", "scheme", "value"),
    "events": (
        "id",
        "status",
        "merged_into",
        "event_type",
        "date_start",
        "date_end",
        "date_precision",
    ),
    "event_actors": ("event_id", "actor_id", "role"),
    "relations": (
        "id",
        "source_id",
        "target_id",
        "status",
        "merged_into",
        "relation_type",
        "date_start",
        "start_precision",
        "date_end",
        "end_precision",
    ),
    "citations": ("record_id", "source_id", "locator"),
}

Report = Callable[[str, int, str, str, str], None]
_PREFIX_OF = {table: prefix for prefix, table in ID_PREFIXES.items()}


def _codes(column: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """Distinct values (in order of first appearance) and each row's code into them."""
    encoded = pc.dictionary_encode(_array(column))
    return encoded.dictionary, encoded.indices.to_numpy(zero_copy_only=False).astype(_CODE)


def _first_of_codes(codes: np.ndarray) -> np.ndarray:
    """Whether each row is the first with its code (codes numbered by first appearance)."""
    if len(codes) == 0:
        return np.zeros(0, dtype=bool)
    before = np.empty_like(codes)
    before[0] = -1
    np.maximum.accumulate(codes[:-1], out=before[1:])
    return codes > before


@dataclass
class _Ids:
    """The distinct non-empty ids of a table, the first row of each, and each row's id code."""

    values: pa.Array
    first_row: np.ndarray
    row_codes: np.ndarray  # index into values; -1 where the id is empty
    # The group's encoding gave the table's own ids codes 0 .. known-1, the blank id among them
    # (at `blank`, or -1 when no id is blank); `index` turns such codes into indexes of values.
    known: int = 0
    blank: int = -1

    def index(self, raw: np.ndarray) -> np.ndarray:
        """Map raw codes of the group's encoding to indexes among the ids (-1: not an id)."""
        index = np.where(raw < self.known, raw, -1)
        if self.blank < 0:
            return index
        return np.where(index == self.blank, -1, index - (index > self.blank))


@dataclass
class _Probe:
    """The non-empty cells of one referencing column (at `rows`) that point into `target`.

    `found` is each value's index among the target's ids (-1: not one of them); `codes`
    numbers the values so that equal values, and only they, share a code package-wide."""

    table: str
    column: str
    target: str | None
    rows: np.ndarray
    values: pa.Array
    found: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=_CODE))
    codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=_CODE))


#: The referencing columns and the table they point into (None: by the id's prefix).
_REFERENCES = (
    ("actor_aliases", "actor_id", "actors"),
    ("external_ids", "record_id", None),
    ("actors", "merged_into", "actors"),
    ("events", "merged_into", "events"),
    ("event_actors", "event_id", "events"),
    ("event_actors", "actor_id", "actors"),
    ("relations", "source_id", "actors"),
    ("relations", "target_id", "actors"),
    ("relations", "merged_into", "relations"),
    ("citations", "record_id", None),
    ("citations", "source_id", "sources"),
)


def _gather_probes(tables: dict[str, Columns]) -> list[_Probe]:
    probes = []
    for table, column, target in _REFERENCES:
        if table not in tables:
            continue
        values = tables[table].filled(column)
        given = _np(pc.not_equal(values, ""))
        every_row = np.arange(len(values), dtype=_CODE)
        if target is not None:
            probes.append(_subset(_Probe(table, column, target, every_row, values), given))
            continue
        # record_id: the table is named by the id's prefix (what precedes the first "-")
        remaining = given.copy()
        for prefix, named in ID_PREFIXES.items():
            mine = given & (
                _np(pc.starts_with(values, prefix + "-")) | _np(pc.equal(values, prefix))
            )
            remaining &= ~mine
            probes.append(_subset(_Probe(table, column, named, every_row, values), mine))
        probes.append(_subset(_Probe(table, column, None, every_row, values), remaining))
    return probes


def _subset(probe: _Probe, keep: np.ndarray) -> _Probe:
    if keep.all():
        return probe
    rows = np.flatnonzero(keep).astype(_CODE)
    return _Probe(probe.table, probe.column, probe.target, rows, probe.values.take(pa.array(rows)))


def _resolve(tables: dict[str, Columns], probes: list[_Probe]) -> dict[str, _Ids]:
    """Hash each id table together with the references into it, once, on every core.

    One dictionary encoding per target table numbers its ids (first appearance first, so
    repeats and first rows fall out) and, in the same pass, every reference into it."""
    groups: dict[str | None, list[_Probe]] = {name: [] for name in ID_PREFIXES.values()}
    for probe in probes:
        groups.setdefault(probe.target, []).append(probe)

    def encode(target: str | None) -> tuple[str | None, _Ids | None, list[np.ndarray], int]:
        present = target is not None and target in tables
        chunks = [tables[target].filled("id")] if present else []  # type: ignore[index]
        chunks += [probe.values for probe in groups[target]]
        lengths = [len(chunk) for chunk in chunks]
        if not sum(lengths):
            empty_ids = _Ids(pa.array([], pa.string()), np.zeros(0, _CODE), np.zeros(0, _CODE))
            return (
                target,
                empty_ids if present else None,
                [np.zeros(0, _CODE)] * len(groups[target]),
                0,
            )
        encoded = pc.dictionary_encode(pa.chunked_array(chunks, type=pa.string()))
        flat = np.concatenate(
            [chunk.indices.to_numpy(zero_copy_only=False) for chunk in encoded.chunks]
        ).astype(_CODE, copy=False)
        dictionary = encoded.chunk(0).dictionary
        codes = np.split(flat, np.cumsum(lengths)[:-1])
        if not present:
            return target, None, codes, len(dictionary)
        id_codes = codes[0]
        known = int(id_codes.max(initial=-1)) + 1  # the table's own ids have codes 0 .. known-1
        values = dictionary.slice(0, known)
        blank = np.flatnonzero(_np(pc.equal(values, "")))
        first_rows = np.flatnonzero(_first_of_codes(id_codes)).astype(_CODE)
        gap = int(blank[0]) if len(blank) else -1
        if gap >= 0:
            keep = np.ones(known, dtype=bool)
            keep[gap] = False
            values, first_rows = values.filter(pa.array(keep)), first_rows[keep]
        ids = _Ids(values, first_rows, np.zeros(0, _CODE), known=known, blank=gap)
        ids.row_codes = ids.index(id_codes)
        return target, ids, codes[1:], len(dictionary)

    # the biggest group on one core, all the others on the other
    order = sorted(groups, key=lambda t: -sum(len(p.values) for p in groups[t]))
    rows = sum(len(probe.values) for probe in probes)
    batches = parallel([lambda: [encode(order[0])], lambda: [encode(t) for t in order[1:]]], rows)
    ids: dict[str, _Ids] = {}
    base = 0  # codes of different groups never meet: offset each group past the last
    for target, table_ids, codes, size in (item for batch in batches for item in batch):
        for probe, raw in zip(groups[target], codes, strict=True):
            probe.codes = raw + _CODE(base)
            if table_ids is None:
                probe.found = np.full(len(raw), -1, dtype=_CODE)
                continue
            # a value that is not one of the ids got a code past them; the blank id is no id
            probe.found = table_ids.index(raw)
        if table_ids is not None and target is not None:
            ids[target] = table_ids
        base += size
    return {name: ids[name] for name in ID_PREFIXES.values() if name in ids}


class _Hints:
    def __init__(self, ids: dict[str, _Ids], did_you_mean: Callable[[str, list[str]], str]):
        self.ids = ids
        self.did_you_mean = did_you_mean
        self.lists: dict[str, list[str]] = {}

    def __call__(self, value: str, table: str) -> str:
        if table not in self.lists:
            self.lists[table] = self.ids[table].values.to_pylist()
        return self.did_you_mean(value, self.lists[table])


def check_across_tables(
    tables: dict[str, Columns], report: Report, did_you_mean: Callable[[str, list[str]], str]
) -> None:
    """Keys and the rules across tables (references, statuses, coverage, lifespans, duplicate
    events), as the row path checks them, over integer codes of the ids."""
    # Duplicate events needs no ids: it runs beside the rest (mostly single-threaded numpy
    # and Arrow kernels) and its problems are reported last, where the row path reports them.
    duplicates: list[tuple[str, int, str, str, str]] = []

    def find_duplicates() -> None:
        _check_duplicate_events(tables, lambda *problem: duplicates.append(problem))

    rows = sum(columns.rows for columns in tables.values())
    with _beside(find_duplicates, rows) as duplicates_found:
        probes = _gather_probes(tables)
        ids = _resolve(tables, probes)
        by_column: dict[tuple[str, str], list[_Probe]] = {}
        for probe in probes:
            by_column.setdefault((probe.table, probe.column), []).append(probe)
        _check_keys(tables, ids, by_column, report)
        _check_references(ids, probes, report, _Hints(ids, did_you_mean))
        _check_status_references(tables, ids, by_column, report)
        _check_coverage(tables, ids, by_column, report)
        _check_lifespans(tables, ids, by_column, report)
        duplicates_found()
    for problem in duplicates:
        report(*problem)


@contextlib.contextmanager
def _beside(task: Callable[[], None], rows: int) -> Iterator[Callable[[], None]]:
    """Start `task` on another thread (inline for small inputs); the callable it yields waits
    for it and raises what it raised. Leaving the block always waits, so no thread outlives it."""
    if _CORES < 2 or rows < _POOL_FROM_ROWS:
        task()
        yield lambda: None
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(task)
        yield pending.result


# -- keys


def _key_codes(
    columns: Columns, name: str, by_column: dict[tuple[str, str], list[_Probe]]
) -> tuple[np.ndarray, int]:
    """Integer codes of one key column (-1 where empty) and an upper bound of the codes."""
    probes = by_column.get((columns.table, name))
    if probes is None:
        distinct, codes = _codes(columns.filled(name))
        blank = np.flatnonzero(_np(pc.equal(distinct, "")))
        if len(blank):
            codes = np.where(codes == int(blank[0]), -1, codes)
        return codes, len(distinct)
    codes = np.full(columns.rows, -1, dtype=_CODE)
    for probe in probes:
        codes[probe.rows] = probe.codes
    return codes, int(codes.max(initial=-1)) + 1


def _check_keys(
    tables: dict[str, Columns],
    ids: dict[str, _Ids],
    by_column: dict[tuple[str, str], list[_Probe]],
    report: Report,
) -> None:
    from .models import TABLES

    def repeated(name: str, key: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
        if key == ("id",) and name in ids:
            codes, first_row = ids[name].row_codes, ids[name].first_row
            repeats = np.flatnonzero((codes >= 0) & ~_first_of_codes(codes))
            return repeats, first_row[codes[repeats]]
        return _repeated_keys(tables[name], key, by_column)

    keys = [
        (name, key)
        for name, model in TABLES.items()
        if name in tables
        for key in (model.primary_key, *model.unique_keys)
    ]
    # The keys are independent sorts, which numpy runs without the GIL: on every core.
    found = parallel(
        [functools.partial(repeated, name, key) for name, key in keys],
        sum(columns.rows for columns in tables.values()),
    )
    for (name, key), (repeats, earlier_rows) in zip(keys, found, strict=True):
        columns = tables[name]
        for row, earlier in zip(repeats.tolist(), earlier_rows.tolist(), strict=True):
            shown = ", ".join(f"{c}={columns.cell(c, row)}" for c in key)
            report(
                name,
                row,
                key[0],
                "duplicate-key",
                f"({shown}) is already used on line {int(columns.lines[earlier])}",
            )


def _repeated_keys(
    columns: Columns, key: tuple[str, ...], by_column: dict[tuple[str, str], list[_Probe]]
) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose (all non-empty) key repeats an earlier row's, and that earlier row."""
    combined = np.zeros(columns.rows, dtype=np.int64)
    eligible = np.ones(columns.rows, dtype=bool)
    for name in key:
        codes, size = _key_codes(columns, name, by_column)
        eligible &= codes >= 0
        if len(combined) and int(combined.max()) * max(size, 1) >= 2**62:
            # renumber before the product could overflow
            combined = np.unique(combined, return_inverse=True)[1].astype(np.int64).ravel()
        combined = combined * max(size, 1) + np.maximum(codes, 0)
    rows = np.flatnonzero(eligible)
    combined = combined[rows]
    ordered = np.sort(combined)
    if not (ordered[1:] == ordered[:-1]).any():
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    _, first_index, inverse = np.unique(combined, return_index=True, return_inverse=True)
    first = first_index[inverse.ravel()]
    repeats = np.flatnonzero(first != np.arange(len(rows)))
    return rows[repeats], rows[first[repeats]]


# -- references


def _rows_in(ids: _Ids, found: np.ndarray) -> np.ndarray:
    """The first row with each found id (-1 where not found)."""
    if len(ids.first_row) == 0:  # a table with no id read (its header broken): nothing found
        return np.full(len(found), -1, dtype=np.int64)
    return np.where(found >= 0, ids.first_row[np.maximum(found, 0)], -1)


def _check_references(
    ids: dict[str, _Ids], probes: list[_Probe], report: Report, hints: _Hints
) -> None:
    for probe in probes:
        if probe.target is None or probe.target not in ids:
            continue  # no table by that prefix, or the table could not be read
        for position in np.flatnonzero(probe.found < 0).tolist():
            value = probe.values[position].as_py()
            report(
                probe.table,
                int(probe.rows[position]),
                probe.column,
                "unknown-reference",
                f"{value!r} is not an id in {probe.target}{hints(value, probe.target)}",
            )


# -- statuses


def _check_status_references(
    tables: dict[str, Columns],
    ids: dict[str, _Ids],
    by_column: dict[tuple[str, str], list[_Probe]],
    report: Report,
) -> None:
    active, retracted = Status.ACTIVE.value, Status.RETRACTED.value
    # merged_into must name an active record of the same table (checked on each id's first row)
    for name in ("actors", "events", "relations"):
        if name not in ids:
            continue
        for probe in by_column.get((name, "merged_into"), []):
            on_first_row = np.isin(probe.rows, ids[name].first_row)
            target_rows = _rows_in(ids[name], probe.found)
            for position in np.flatnonzero(on_first_row & (target_rows >= 0)).tolist():
                state = tables[name].cell("status", int(target_rows[position]))
                if state != active:
                    report(
                        name,
                        int(probe.rows[position]),
                        "merged_into",
                        "bad-merge",
                        f"{probe.values[position].as_py()} is {state}, not active",
                    )

    if "actors" not in ids:
        return
    actor_state = _Coded(tables["actors"].filled("status"))
    inactive_actor = actor_state.isin([retracted, Status.MERGED.value])
    if not inactive_actor.any():
        return  # no reference can point at a retracted or merged actor
    survivors = tables["actors"].filled("merged_into")

    def refer(name: str, column: str, of_active: np.ndarray) -> None:
        for probe in by_column.get((name, column), []):
            target_rows = _rows_in(ids["actors"], probe.found)
            known = target_rows >= 0
            hit = known & of_active[probe.rows]
            hit[known] &= inactive_actor[target_rows[known]]
            for position in np.flatnonzero(hit).tolist():
                target_row = int(target_rows[position])
                target = probe.values[position].as_py()
                row = int(probe.rows[position])
                if actor_state.value(target_row) == retracted:
                    report(name, row, column, "retracted-reference", f"{target} is retracted")
                else:
                    survivor = survivors[target_row].as_py()
                    report(
                        name, row, column, "merged-reference", f"{target} is merged into {survivor}"
                    )

    if "relations" in tables:
        relation_active = _np(pc.equal(tables["relations"].cells.column("status"), active))
        refer("relations", "source_id", relation_active)
        refer("relations", "target_id", relation_active)
    if "event_actors" in tables and "events" in ids:
        event_active = _np(pc.equal(tables["events"].filled("status"), active))
        of_active = np.zeros(tables["event_actors"].rows, dtype=bool)
        for probe in by_column.get(("event_actors", "event_id"), []):
            event_rows = _rows_in(ids["events"], probe.found)
            known = event_rows >= 0
            of_active[probe.rows[known]] = event_active[event_rows[known]]
        refer("event_actors", "actor_id", of_active)


# -- coverage


def _check_coverage(
    tables: dict[str, Columns],
    ids: dict[str, _Ids],
    by_column: dict[tuple[str, str], list[_Probe]],
    report: Report,
) -> None:
    checks = [
        ("citations", "record_id", ("actors", "events", "relations"), "missing-citation"),
        ("event_actors", "event_id", ("events",), "missing-event-actor"),
    ]
    for referring, column, names, code in checks:
        if referring not in tables:
            continue  # the referring table could not be read; that is reported already
        for name in names:
            if name not in ids:
                continue
            covered = np.zeros(len(ids[name].values), dtype=bool)
            for probe in by_column.get((referring, column), []):
                if probe.target == name:
                    covered[probe.found[probe.found >= 0]] = True
            # An id without its table's prefix (a broken row) is looked for among all values.
            odd = np.flatnonzero(~_np(pc.starts_with(ids[name].values, _PREFIX_OF[name] + "-")))
            if len(odd):
                everything = pc.drop_null(tables[referring].cells.column(column))
                odd_values = ids[name].values.take(pa.array(odd))
                covered[odd] = _np(pc.is_in(odd_values, value_set=everything))
            for index in np.flatnonzero(~covered).tolist():
                record_id = ids[name].values[index].as_py()
                report(
                    name,
                    int(ids[name].first_row[index]),
                    "id",
                    code,
                    f"{record_id} has no row in {referring}",
                )


# -- lifespans


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


def _check_lifespans(
    tables: dict[str, Columns],
    ids: dict[str, _Ids],
    by_column: dict[tuple[str, str], list[_Probe]],
    report: Report,
) -> None:
    if "actors" not in ids or "relations" not in tables:
        return
    actors, relations = tables["actors"], tables["relations"]
    # The row path keys clean actors by id in row order, so the last clean row of an id wins.
    codes = ids["actors"].row_codes
    winner = np.full(len(ids["actors"].values), -1, dtype=np.int64)
    clean = np.flatnonzero(actors.clean & (codes >= 0))
    np.maximum.at(winner, codes[clean], clean)
    start_date, end_date = actors.filled("start_date"), actors.filled("end_date")
    has_start = _np(pc.not_equal(start_date, ""))
    has_end = _np(pc.not_equal(end_date, ""))
    if not (has_start[clean].any() or has_end[clean].any()):
        return
    epoch = 719163  # date(1970, 1, 1).toordinal()
    start_low = _partial_dates(start_date)[1] - epoch
    end_high = _partial_dates(end_date)[2] - epoch

    relation_rows = np.flatnonzero(relations.clean)
    if len(relation_rows) == 0:
        return
    own = relations.cells.take(pa.array(relation_rows))
    began_by = _precision_bounds(
        _days(own.column("date_start")), _text(own, "start_precision"), start=False
    )
    date_end = _array(own.column("date_end"))
    open_ended = _np(pc.equal(date_end, ""))
    # an open end has no precision; its bound is never used
    ended_from = _precision_bounds(_days(date_end), _text(own, "end_precision"), start=True)
    timeless = _text(own, "relation_type").isin(k.value for k in TIMELESS_RELATIONS)
    at_relation = np.full(relations.rows, -1, dtype=np.int64)
    at_relation[relation_rows] = np.arange(len(relation_rows))

    def _lifespan_problems(probe: _Probe, column: str) -> None:
        first_rows = _rows_in(ids["actors"], probe.found)
        mine = at_relation[probe.rows]
        chosen = (first_rows >= 0) & (mine >= 0)
        rows, first_rows, mine = probe.rows[chosen], first_rows[chosen], mine[chosen]
        actor_rows = winner[codes[first_rows]]
        dated = actor_rows >= 0
        rows, mine, actor_rows = rows[dated], mine[dated], actor_rows[dated]
        early = has_start[actor_rows] & (began_by[mine] < start_low[actor_rows])
        ends = has_end[actor_rows] & ~timeless[mine]
        late = ends & ~open_ended[mine] & (ended_from[mine] > end_high[actor_rows])
        for row, actor in zip(rows[early].tolist(), actor_rows[early].tolist(), strict=True):
            report(
                "relations",
                row,
                "date_start",
                "outside-lifespan",
                f"starts before {actors.cell('id', actor)} began ({actors.cell('start_date', actor)})",
            )
        opened = ends & open_ended[mine]
        for row, actor in zip(rows[opened].tolist(), actor_rows[opened].tolist(), strict=True):
            report(
                "relations",
                row,
                "date_end",
                "outside-lifespan",
                f"is open-ended but {actors.cell('id', actor)} ended on "
                f"{actors.cell('end_date', actor)}; give a date_end",
            )
        for row, actor in zip(rows[late].tolist(), actor_rows[late].tolist(), strict=True):
            report(
                "relations",
                row,
                "date_end",
                "outside-lifespan",
                f"ends after {actors.cell('id', actor)} ended ({actors.cell('end_date', actor)})",
            )

    for column in ("source_id", "target_id"):
        for probe in by_column.get(("relations", column), []):
            _lifespan_problems(probe, column)


# -- duplicate events


def _check_duplicate_events(tables: dict[str, Columns], report: Report) -> None:
    if "events" not in tables:
        return
    events = tables["events"]
    date_start = events.filled("date_start")
    candidates = (
        events.clean
        & _np(pc.equal(events.filled("status"), Status.ACTIVE.value))
        & _np(pc.equal(events.filled("date_precision"), DatePrecision.DAY.value))
        & _np(pc.equal(date_start, events.filled("date_end")))
    )
    rows = np.flatnonzero(candidates)
    if len(rows) < 2:
        return
    own = events.cells.select(["event_type", "date_start"]).take(pa.array(rows))
    kind = _text(own, "event_type")
    day = _days(own.column("date_start")).days
    day_key = kind.codes.astype(np.int64) * (1 << 32) + (day - _FIRST_DAY)
    ordered = np.sort(day_key)
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    sharing = np.isin(day_key, repeated)  # only events sharing type and day can be duplicates
    if not sharing.any():
        return
    rows = rows[sharing]
    event_ids = events.filled("id").take(pa.array(rows))
    actor_sets: dict[str, frozenset[str]] = {}
    if "event_actors" in tables:
        event_actors = tables["event_actors"]
        linked = event_actors.filled("event_id")
        involved = np.flatnonzero(_np(pc.is_in(linked, value_set=event_ids)))
        collected: dict[str, set[str]] = {}
        for event_id, actor_id in zip(
            linked.take(pa.array(involved, pa.int64())).to_pylist(),
            event_actors.filled("actor_id").take(pa.array(involved, pa.int64())).to_pylist(),
            strict=True,
        ):
            collected.setdefault(event_id, set()).add(actor_id)
        actor_sets = {key: frozenset(value) for key, value in collected.items()}
    first: dict[tuple[int, frozenset[str]], int] = {}
    for row, event_id, key_day in zip(
        rows.tolist(), event_ids.to_pylist(), day_key[sharing].tolist(), strict=True
    ):
        key = (key_day, actor_sets.get(event_id, frozenset()))
        if key in first:
            earlier = first[key]
            report(
                "events",
                row,
                "id",
                "duplicate-event",
                f"same type, day and actors as {events.cell('id', earlier)} "
                f"(line {int(events.lines[earlier])}); merge them or tell them apart",
            )
        else:
            first[key] = row
