"""Reading a table as text columns, when its bytes are plain enough for Arrow to read as the row path would."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .. import _read
from ..models import (
    Record,
)

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
