"""The screens: every rule of the models checked on whole columns, naming the rows that might break one."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import schema
from ..models import (
    _FORBIDDEN_CHARS,
    EVENT_MODES,
    RELATION_MODES,
    RELATION_TYPES,
    SYMMETRIC_RELATIONS,
    ActorKind,
    ExternalId,
    GeoPrecision,
    Record,
    RelationType,
    Status,
    _check_text,
    _parse_partial_date,
    cited_field_problem,
)
from ._common import _array, _Coded, _np, _text, parallel
from .dates import _dates_of, _Days, _days, _off_grid, _partial_dates


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
    elif spec.datatype == "boolean":
        bad.append(~_np(pc.is_in(column, value_set=pa.array(["true", "false"]))))
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
    elif name == "citations":
        suspect |= _cited_field_suspects(table)
    elif name == "relation_types":
        suspect |= _relation_type_suspects(table)
    return suspect


def _relation_type_suspects(table: pa.Table) -> np.ndarray:
    """Rows of relation_types with a (type, mode) pair or a kind word the models do not know."""
    allowed = {(kind.value, mode.value if mode else "") for kind, mode in RELATION_TYPES}
    suspect = _mode_suspects(_text(table, "relation_type"), _text(table, "relation_mode"), allowed)
    known = {kind.value for kind in ActorKind}
    for column in ("source_kinds", "target_kinds"):
        lists = _text(table, column)
        unknown = np.array(
            [any(word not in known for word in words.split(" ")) for words in lists.words],
            dtype=bool,
        )
        if len(unknown):
            suspect |= unknown[lists.codes]
    return suspect


def _cited_field_suspects(table: pa.Table) -> np.ndarray:
    """Citations whose fields name a column their record's table lacks (few rows name any)."""
    fields = table.column("fields")
    named = np.flatnonzero(~_np(pc.equal(fields, "")))
    suspect = np.zeros(table.num_rows, dtype=bool)
    if len(named):
        picked = pa.array(named)
        pairs = zip(
            table.column("record_id").take(picked).to_pylist(),
            fields.take(picked).to_pylist(),
            strict=True,
        )
        suspect[named] = [
            cited_field_problem(record_id, names) is not None for record_id, names in pairs
        ]
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
    from ..models import EventType

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
