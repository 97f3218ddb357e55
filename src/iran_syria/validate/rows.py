"""The rules of one row: its cells against the models, every problem at once, a ragged row as one."""

from __future__ import annotations

import difflib
from functools import cache
from types import SimpleNamespace
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from .. import schema
from .._read import ParsedRecord, ParsedTable
from ..models import (
    EVENT_MODES,
    RELATION_MODES,
    RULES_COLLECTOR,
    Event,
    Record,
    Relation,
    Violation,
)
from ._state import _CheckerState, _Row


class _RowRules(_CheckerState):
    """The checks of one parsed row."""

    def _check_rows(self, model: type[Record], parsed: ParsedTable) -> list[_Row]:
        name = parsed.table
        header = parsed.header
        if header is None:
            return []
        expected = list(model.model_fields)
        line = parsed.header_line
        seen: set[str] = set()
        for index, column in enumerate(header, start=1):
            if column == "":
                self.add(
                    "blank-header", f"column {index} has no name", name, line=line, column=index
                )
            elif column in seen:
                self.add(
                    "duplicate-header",
                    f"column {column!r} appears twice",
                    name,
                    line=line,
                    column=index,
                    field=column,
                )
            elif column not in expected:
                hint = _did_you_mean(column, expected)
                self.add(
                    "unknown-field",
                    f"column {column!r} is not in the contract{hint}",
                    name,
                    line=line,
                    column=index,
                    field=column,
                )
            seen.add(column)
        missing = [column for column in expected if column not in seen]
        for column in missing:
            self.add(
                "missing-field",
                f"the header lacks the column {column!r}",
                name,
                line=line,
                field=column,
            )
        present = [column for column in header if column in expected]
        if not missing and present != expected and len(present) == len(set(present)):
            self.add(
                "wrong-field-order",
                f"columns must be in the contract's order: {','.join(expected)}",
                name,
                line=line,
            )
        return [
            self._check_record(model, parsed, header, record, set(missing))
            for record in parsed.records
        ]

    def _check_record(
        self,
        model: type[Record],
        parsed: ParsedTable,
        header: list[str],
        record: ParsedRecord,
        missing_columns: set[str],
    ) -> _Row:
        name = parsed.table
        cells = record.cells
        if not cells or all(cell == "" for cell in cells):
            self.add("blank-row", "an empty row; delete it", name, line=record.line)
            return _Row(record.line, {}, None)
        if len(cells) != len(header):
            return self._ragged_row(model, name, header, record)
        values: dict[str, str] = {}
        column_of: dict[str, int] = {}
        for position, column in enumerate(header):
            if column in model.model_fields and column not in values and position < len(cells):
                values[column] = cells[position]
                column_of[column] = position
        row = _Row(record.line, values, None)
        payload: dict[str, Any] = {
            column: (value if value != "" else None) for column, value in values.items()
        }
        for column in model.model_fields:
            payload.setdefault(column, None)
        violations: list[Violation] = []
        try:
            row.record = model.model_validate(payload, context={RULES_COLLECTOR: violations})
        except ValidationError as error:
            bad = {str(detail["loc"][0]) for detail in error.errors() if detail["loc"]}
            # The rules across fields still run on the cells that parsed: a misspelt word
            # and a date-order error in one row are both reported at once.
            violations = _rules_of_what_parsed(model, payload, bad)
            for detail in error.errors(include_url=False):
                column = str(detail["loc"][0]) if detail["loc"] else ""
                if column in missing_columns:
                    continue  # already reported once for the header
                code, message = _explain(model, column, detail, payload)
                index = column_of.get(column)
                self.add(
                    code,
                    message,
                    name,
                    line=record.cell_line(index) if index is not None else record.line,
                    column=index + 1 if index is not None else None,
                    field=column or None,
                    value=values.get(column),
                )
        for violation in violations:
            at = column_of.get(violation.field)
            self.add(
                violation.code,
                violation.detail,
                name,
                line=record.cell_line(at) if at is not None else record.line,
                column=at + 1 if at is not None else None,
                field=violation.field,
                value=values.get(violation.field),
            )
        for column in _free_text_columns(model):
            value = values.get(column, "")
            if value[:1] in _FORMULA_TRIGGERS:
                at = column_of[column]
                self.add(
                    "formula-trigger",
                    f"starts with {value[0]!r}: a spreadsheet would run it as a formula; reword it",
                    name,
                    line=record.cell_line(at),
                    column=at + 1,
                    field=column,
                    value=value,
                )
        if row.record is not None and violations:
            row.record = None  # a record that breaks its own rules takes no part in later rules
        return row

    def _ragged_row(
        self, model: type[Record], name: str, header: list[str], record: ParsedRecord
    ) -> _Row:
        """A row with too many or too few cells: one problem that says the likely cause. Its
        cells are not checked one by one (they are shifted, so each would be a false problem);
        only its id is kept, so that rows referring to it do not fail as well."""
        cells = record.cells
        if len(cells) > len(header):
            self.add(
                "extra-cell",
                f"{len(cells)} cells where the header has {len(header)}: a cell that holds a "
                'comma must be quoted ("like, this"), or a value was split in two',
                name,
                line=record.cell_line(len(header)),
                column=len(header) + 1,
                value=cells[len(header)],
            )
        else:
            self.add(
                "missing-cell",
                f"{len(cells)} cells where the header has {len(header)}: a cell or its comma is "
                "missing (an empty cell still needs its comma), or a line break inside a value "
                "is not quoted",
                name,
                line=record.line,
                column=len(cells) + 1,
            )
        kept = {}
        if "id" in header and header.index("id") < len(cells):
            kept["id"] = cells[header.index("id")]
        return _Row(record.line, kept, None, ragged=True)


_FORMULA_TRIGGERS = frozenset("=+-@")


@cache
def _free_text_columns(model: type[Record]) -> tuple[str, ...]:
    """Columns of prose (no vocabulary, no pattern), which people read in spreadsheets."""
    return tuple(
        spec.name
        for spec in schema.field_specs(model)
        if spec.datatype == "string" and spec.vocabulary is None and spec.pattern is None
    )


# ---------------------------------------------------------------------------------------------
# The rules of a row whose cells did not all parse


@cache
def _field_adapter(model: type[Record], column: str) -> TypeAdapter[Any]:
    """A validator for one column alone, as the model declares it."""
    field_info = model.model_fields[column]
    declared: Any = field_info.annotation
    if field_info.metadata:
        declared = Annotated[(declared, *field_info.metadata)]
    adapter: TypeAdapter[Any] = TypeAdapter(declared)
    return adapter


def _rules_of_what_parsed(
    model: type[Record], payload: dict[str, Any], bad: set[str]
) -> list[Violation]:
    """The cross-field rules of a row some of whose cells failed, run on the cells that parsed.
    A rule that reads a failed cell is skipped: its input is already reported."""
    values = {}
    for column, raw in payload.items():
        if column in bad or column not in model.model_fields:
            continue
        try:
            values[column] = _field_adapter(model, column).validate_python(raw)
        except ValidationError:
            bad.add(column)
    partial = model.model_construct(**values)
    for column in bad:
        partial.__dict__.pop(column, None)  # reading it raises AttributeError: the rule is skipped
    violations: list[Violation] = []
    rules = getattr(model, "_rules", None)
    if rules is not None:
        rules(partial, SimpleNamespace(context={RULES_COLLECTOR: violations}))
    return violations


# ---------------------------------------------------------------------------------------------
# Turning Pydantic errors into problems

_ERROR_CODES = {
    "enum": "bad-vocabulary",
    "string_pattern_mismatch": "bad-pattern",
    "bad_date": "bad-date",
    "bad_type": "bad-type",
    "bad_text": "bad-text",
    "greater_than_equal": "out-of-range",
    "less_than_equal": "out-of-range",
    "out_of_range": "out-of-range",
    "extra_forbidden": "unknown-field",
}


def _explain(
    model: type[Record], column: str, detail: Any, payload: dict[str, Any]
) -> tuple[str, str]:
    """Problem code and message for one Pydantic error."""
    kind = detail["type"]
    value = detail.get("input")
    if value is None or kind in ("missing", "string_too_short"):
        return "missing-value", f"{column} is required"
    code = _ERROR_CODES.get(kind, "bad-type")
    if code == "bad-vocabulary":
        words = _allowed_words(model, column, payload)
        hint = _did_you_mean(str(value), words)
        return (
            code,
            f"{value!r} is not in the {column} vocabulary{hint}; allowed: {', '.join(words)}",
        )
    if code == "bad-pattern":
        pattern = detail.get("ctx", {}).get("pattern", "")
        return code, f"{value!r} does not match {pattern}"
    if code == "out-of-range" and kind != "out_of_range":
        return code, f"{value!r} is out of range: {detail['msg'].lower()}"
    return code, str(detail["msg"])


def _allowed_words(model: type[Record], column: str, payload: dict[str, Any]) -> list[str]:
    """The words a vocabulary column accepts here: for a mode, those of the row's type."""
    modes_by_type: dict[Any, frozenset[Any]] | None = None
    if model is Event and column == "event_mode":
        modes_by_type, type_column = dict(EVENT_MODES), "event_type"
    elif model is Relation and column == "relation_mode":
        modes_by_type, type_column = dict(RELATION_MODES), "relation_type"
    if modes_by_type is not None:
        for kind, modes in modes_by_type.items():
            if kind.value == payload.get(type_column):
                return sorted(mode.value for mode in modes)
    spec = next(spec for spec in schema.field_specs(model) if spec.name == column)
    return list(spec.enum or ())


def _did_you_mean(value: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""
