"""Reading one table: its file, its hash, and its cells by Arrow columns or by rows."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import _read, schema
from .._locate import sha256_differs, unsafe_resource_path
from .._read import ParsedRecord, ParsedTable, parse_csv
from ..models import Record
from ._state import _CheckerState, _display, _Row


class _TableSteps(_CheckerState):
    """The steps that read one table and check its cells."""

    # the steps of other rooms this one calls (see _Checker, which has them all)
    _check_rows: Callable[[type[Record], ParsedTable], list[_Row]]
    _check_record: Callable[[type[Record], ParsedTable, list[str], ParsedRecord, set[str]], _Row]
    _descriptor_path: Callable[[], str]
    _descriptor_line: Callable[[str], int | None]

    def _memory_pool(self) -> contextlib.AbstractContextManager[None]:
        if self.engine != "columnar":
            return contextlib.nullcontext()
        from .. import _columnar

        return _columnar.returning_memory_pool()

    def _check_table(self, name: str, model: type[Record], resource: dict[str, Any]) -> None:
        relative = resource.get("path")
        file_path = self._resource_file(name, relative)
        if file_path is None:
            return
        shown = _display(file_path)
        self.paths[name] = shown
        expected_schema = schema.table_schema(model)
        if resource.get("schema") != expected_schema:
            self.add(
                "stale-descriptor",
                f"the Table Schema of {name!r} differs from the models'; run `iran-syria schemas`",
                path=self._descriptor_path(),
                table=name,
                line=self._descriptor_line(f'"path": {json.dumps(relative, ensure_ascii=False)}'),
            )
        size = file_path.stat().st_size
        if size > _read.MAX_FILE_BYTES:
            self.add(
                "limit-exceeded",
                f"{size} bytes is over the limit of {_read.MAX_FILE_BYTES}; the file is not read",
                name,
                path=shown,
            )
            return
        data = file_path.read_bytes()
        if self.engine == "columnar":
            from concurrent.futures import ThreadPoolExecutor

            # sha256 lets go of the GIL: it runs on a core that the single-threaded steps of
            # reading (the quote grammar, counting lines) leave free. Reading reports nothing,
            # so the hash's problem still comes first.
            with ThreadPoolExecutor(max_workers=1) as hashing:
                hashed = hashing.submit(self._check_hash, name, resource, data, shown)
                table, lines = self._read_columns(model, data)
                hashed.result()
        else:
            self._check_hash(name, resource, data, shown)
            table, lines = None, None
        if table is not None:
            del data  # the bytes are parsed: free them before the checks allocate
            self._check_columns(name, model, table, lines)
        else:
            parsed = parse_csv(name, shown, data)
            del data
            self.problems.extend(parsed.problems)
            rows = self._check_rows(model, parsed)
            self.row_counts[name] = len(parsed.records)
            if "id" in model.model_fields and "id" not in (parsed.header or []):
                # Without its id column a table cannot be referred to, so it stays out of the
                # rules across tables, as an unreadable one does: checking references into it
                # would turn one header problem into thousands of unknown references.
                pass
            elif self.engine == "columnar":
                from .. import _columnar

                self._keep_columns(name, model, _columnar.Columns.from_rows(name, model, rows))
            else:
                self.rows[name] = rows
        self.bytes_done += size
        if self.progress is not None:
            self.progress(name, self.bytes_done, max(self.bytes_total, self.bytes_done))

    def _read_columns(self, model: type[Record], data: bytes) -> tuple[Any, Any]:
        """The table as Arrow columns and each record's line, or (None, None) when the bytes
        need the row path's careful reading."""
        from .. import _columnar

        table = _columnar.read_table(model, data)
        lines = None if table is None else _columnar.record_lines(data, table)
        return (table, lines) if lines is not None else (None, None)

    def _check_columns(self, name: str, model: type[Record], table: Any, lines: Any) -> None:
        """Check a plain table column by column; the models see only the suspect rows."""
        import numpy as np
        import pyarrow as pa

        from .. import _columnar

        header = list(model.model_fields)
        reading = ParsedTable(table=name, path=self.paths[name])
        clean = np.ones(table.num_rows, dtype=bool)
        suspects = _columnar.suspect_rows(model, table)
        if len(suspects):
            suspect_cells = table.take(pa.array(suspects)).to_pylist()
            for index, cells in zip(suspects, suspect_cells, strict=True):
                record = ParsedRecord(int(lines[index]), [cells[column] for column in header])
                row = self._check_record(model, reading, header, record, set())
                clean[index] = row.record is not None
        self.row_counts[name] = table.num_rows
        self._keep_columns(name, model, _columnar.Columns(name, table, lines, clean))
        # hand the freed text columns back to the system before the next table is read
        pa.default_memory_pool().release_unused()

    def _keep_columns(self, name: str, model: type[Record], columns: Any) -> None:
        """Keep only the columns the keys and the rules across tables read."""
        from .. import _columnar

        # one chunk per column: the rules across tables read them whole, several times each
        columns.cells = columns.cells.select(list(_columnar.ACROSS_COLUMNS[name])).combine_chunks()
        self.columns[name] = columns

    def _report_row(self, table: str, row: int, field_name: str, code: str, message: str) -> None:
        """A problem at one row of a table held as columns (the columnar twin of `at`)."""
        columns = self.columns[table]
        self.add(
            code,
            message,
            table,
            line=int(columns.lines[row]),
            field=field_name,
            value=columns.cells.column(field_name)[row].as_py(),
        )

    def _resource_file(self, name: str, relative: Any) -> Path | None:
        where = self._descriptor_path()
        if not isinstance(relative, str) or not relative:
            self.add(
                "bad-descriptor", f"resource {name!r} needs a single relative 'path'", path=where
            )
            return None
        line = self._descriptor_line(json.dumps(relative, ensure_ascii=False))
        reason = unsafe_resource_path(self.dir, relative)
        if reason:
            self.add(
                "unsafe-path",
                f"resource {name!r}: path {relative!r} {reason}",
                path=where,
                line=line,
            )
            return None
        resolved = self.dir / relative
        if not resolved.is_file():
            self.add(
                "missing-file",
                f"resource {name!r}: {relative} does not exist",
                path=where,
                table=name,
                line=line,
            )
            return None
        return resolved

    def _check_hash(self, name: str, resource: dict[str, Any], data: bytes, shown: str) -> None:
        declared_bytes = resource.get("bytes")
        differs = []
        if sha256_differs(resource, data):
            differs.append("sha256")
        if isinstance(declared_bytes, int) and declared_bytes != len(data):
            differs.append(f"size ({len(data)} bytes, declared {declared_bytes})")
        if differs:
            self.add(
                "hash-mismatch",
                f"the file's {' and '.join(differs)} differ from the descriptor; "
                "if you edited the data on purpose, run `iran-syria schemas`",
                name,
                path=shown,
            )

    # -- one table ----------------------------------------------------------------------------
