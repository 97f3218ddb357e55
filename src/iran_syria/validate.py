"""Validate a data package: structure, the models' rules, and the rules across tables.

Every problem is collected as a located record; nothing stops at the first.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from . import _descriptor, _profile, _read, schema
from ._locate import (
    DESCRIPTOR,
    UnsafeArchiveError,
    resolve_package_dir,
    sha256_differs,
    unsafe_resource_path,
)
from ._read import ParsedRecord, ParsedTable, parse_csv
from .errors import Problem, Severity
from .models import (
    EVENT_MODES,
    ID_PREFIXES,
    RELATION_MODES,
    RULES_COLLECTOR,
    TABLES,
    TIMELESS_RELATIONS,
    Actor,
    DatePrecision,
    Event,
    Record,
    Relation,
    Status,
    Violation,
    partial_date_bounds,
    period_end,
    period_start,
)

# ---------------------------------------------------------------------------------------------
# The report


#: GitHub shows at most 10 error and 10 warning annotations of one step.
GITHUB_ANNOTATION_LIMIT = 10


def _annotation_order(problems: list[Problem]) -> list[Problem]:
    """Problems in the order the few annotation slots are best spent: errors before warnings,
    every distinct code before a second problem of one code, and file order within that."""
    in_file_order = sorted(problems, key=Problem.sort_key)
    seen: Counter[str] = Counter()
    ranked = []
    for problem in in_file_order:
        ranked.append((problem.severity is not Severity.ERROR, seen[problem.code], problem))
        seen[problem.code] += 1
    ranked.sort(key=lambda item: (item[0], item[1]))  # stable: file order within a tier
    return [problem for _, _, problem in ranked]


def _annotation_text(problem: Problem) -> str:
    where = f"{problem.field}: " if problem.field else ""
    return f"{where}{problem.message} [{problem.code}]"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _escape_markdown(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").replace("\r", " ")


@dataclass
class Report:
    """Every problem found in one package, and what was checked."""

    package: str
    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def valid(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    def summary(self) -> str:
        """One line: the count of problems per table, or what was found valid."""
        if not self.problems:
            total = sum(self.rows.values())
            return f"valid: {len(self.rows)} tables, {total} rows, no problems"
        per_table = Counter(p.table or DESCRIPTOR for p in self.problems)
        tables = ", ".join(f"{name}: {count}" for name, count in per_table.items())
        counts = _plural(len(self.errors), "error")
        if self.warnings:
            counts += f", {_plural(len(self.warnings), 'warning')}"
        return f"{counts} in {_plural(len(per_table), 'table')} ({tables})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "package": self.package,
            "valid": self.valid,
            "summary": self.summary(),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "rows": self.rows,
            "problems": [p.to_dict() for p in self.problems],
        }

    def to_text(self) -> str:
        return "\n".join([*(str(p) for p in self.problems), self.summary()])

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_github(self, limit: int = GITHUB_ANNOTATION_LIMIT) -> str:
        """GitHub Actions workflow commands: the most relevant problems as annotations."""
        lines = []
        ranked = _annotation_order(self.problems)
        for problem in ranked[:limit]:
            properties = {
                "file": problem.path,
                "line": problem.line,
                "col": problem.column,
                "title": problem.code,
            }
            shown = ",".join(
                f"{key}={_escape_property(str(value))}"
                for key, value in properties.items()
                if value is not None
            )
            lines.append(
                f"::{problem.severity.value} {shown}::{_escape_data(_annotation_text(problem))}"
            )
        if len(ranked) > limit:
            lines.append(
                f"::notice title=iran-syria validate::{len(ranked) - limit} more problems are not "
                "annotated; the step summary lists them all"
            )
        lines.append(self.summary())
        return "\n".join(lines)

    def to_markdown(self) -> str:
        """The complete problem table, for $GITHUB_STEP_SUMMARY or a pull-request comment."""
        lines = [f"### iran-syria validate: {self.summary()}", ""]
        if self.problems:
            lines += [
                "| severity | file | line | field | code | message |",
                "|---|---|---|---|---|---|",
            ]
            for p in self.problems:
                cells = [
                    p.severity.value,
                    p.path or "",
                    str(p.line or ""),
                    p.field or "",
                    f"`{p.code}`",
                    p.message,
                ]
                lines.append("| " + " | ".join(_escape_markdown(cell) for cell in cells) + " |")
        return "\n".join(lines) + "\n"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# ---------------------------------------------------------------------------------------------
# Entry point


#: How the rows are checked: "columnar" screens whole columns with Arrow kernels and asks the
#: models only about rows that fail a screen; "rows" validates every row with the models (the
#: reference the columnar path is tested against); "auto" takes rows for a small package, where
#: importing pyarrow and numpy (~0.3 s) costs more than the models do, else columnar. All
#: three report the same problems.
ENGINES = ("auto", "columnar", "rows")
#: Below this many bytes of CSV, "auto" validates row by row (the shipped package is ~0.2 MB).
#: Measured: 0.66 MB took 0.40 s by rows and 0.58 s columnar; 1.6 MB 0.87 s and 0.60 s.
AUTO_COLUMNAR_FROM_BYTES = 1 << 20


def validate_package(
    path: str | Path | None = None, *, engine: str = "auto", progress: Any = None
) -> Report:
    """Check a package folder (default: the shipped one) and report every problem found.

    Raises PackageNotFoundError when the path holds no datapackage.json; every problem *in*
    the package is a Problem in the report, never an exception. `progress`, if given, is
    called with (table name, bytes done, bytes in all) as each table is checked.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    try:
        package_dir = resolve_package_dir(path)
    except UnsafeArchiveError as error:  # a problem *in* the given zip, not a misuse
        archive = _display(Path(str(path)))
        problem = Problem("unsafe-archive", str(error), path=archive)
        return Report(package=archive, problems=[problem])
    checker = _Checker(package_dir, engine, progress)
    try:
        checker.run()
    except (
        OSError,
        RecursionError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        ArithmeticError,
    ) as error:
        # Defence in depth: the property tests find such cases first; the user still gets a
        # report, with what was found so far, instead of a traceback.
        checker.add(
            "internal-error", f"{type(error).__name__}: {error}", path=_display(package_dir)
        )
    problems = sorted(checker.problems, key=Problem.sort_key)
    return Report(package=_display(package_dir), problems=problems, rows=checker.row_counts)


def _display(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


_MAX_DESCRIPTOR_BYTES = 16 << 20


@cache
def _profile_validator() -> Any:
    import jsonschema

    return jsonschema.Draft7Validator(_profile.datapackage_profile())


@dataclass
class _ProfileIssue:
    """One profile error, as the descriptor check reads it (a jsonschema error's parts)."""

    absolute_path: list[Any]
    message: str
    instance: Any


# Keywords of a schema that never fail (annotations), and those the plain check understands.
_ANNOTATIONS = frozenset(
    {"title", "description", "examples", "propertyOrder", "options", "context", "format"}
)


@cache
def _plain_source_check() -> Any:
    """A fast, exact check of one item of the descriptor's `sources`, built from the profile.

    jsonschema spends ~10 µs an item; a package with 100,000 sources would spend a second
    on that list alone. The profile's item schema is an object of optional string
    properties (`format` is not checked, as the validator has no format checker), so the
    check is a few isinstance calls. None when the profile's schema is of another form:
    then jsonschema checks every item."""
    import re

    profile = _profile.datapackage_profile()  # not the validator's: that imports jsonschema
    items = profile.get("properties", {}).get("sources", {}).get("items", {})
    if set(items) - _ANNOTATIONS - {"type", "minProperties", "properties"}:
        return None
    if items.get("type") != "object":
        return None
    patterns: dict[str, re.Pattern[str] | None] = {}
    for name, rule in items.get("properties", {}).items():
        if set(rule) - _ANNOTATIONS - {"type", "pattern"} or rule.get("type") != "string":
            return None
        patterns[name] = re.compile(rule["pattern"]) if "pattern" in rule else None
    least = items.get("minProperties", 0)

    def plain(item: Any) -> bool:
        if not isinstance(item, dict) or len(item) < least:
            return False
        for name, pattern in patterns.items():
            if name in item:
                value = item[name]
                if not isinstance(value, str) or (pattern and not pattern.search(value)):
                    return False
        return True

    return plain


def _profile_errors(descriptor: dict[str, Any]) -> list[_ProfileIssue]:
    """The descriptor's errors against the Data Package profile."""
    sources = descriptor.get("sources")
    plain = _plain_source_check()
    if isinstance(sources, list) and plain is not None:
        # Items the plain check passes cannot fail the profile; jsonschema sees the others.
        others = [index for index, item in enumerate(sources) if not plain(item)]
        checked = {**descriptor, "sources": [sources[index] for index in others]}
    else:
        others, checked = [], descriptor
    if _profile.conforms(checked):
        return []  # surely valid: spares importing jsonschema and its walk (~0.1 s)
    issues = []
    for error in _profile_validator().iter_errors(checked):
        path = list(error.absolute_path)
        if checked is not descriptor and path[:1] == ["sources"] and len(path) > 1:
            path[1] = others[path[1]]
        issues.append(_ProfileIssue(path, error.message, error.instance))
    return issues


@dataclass
class _Row:
    line: int
    cells: dict[str, str]
    record: Record | None


class _Checker:
    def __init__(self, package_dir: Path, engine: str = "auto", progress: Any = None) -> None:
        self.dir = package_dir
        self.engine = engine
        self.progress = progress
        self.problems: list[Problem] = []
        self.rows: dict[str, list[_Row]] = {}
        self.columns: dict[str, Any] = {}  # table name -> _columnar.Columns (columnar engine)
        self.bytes_done = 0
        self.bytes_total = 0
        self.paths: dict[str, str] = {}
        self.row_counts: dict[str, int] = {}
        self.descriptor_text = ""

    # -- helpers ------------------------------------------------------------------------------

    def add(self, code: str, message: str, table: str | None = None, **where: Any) -> None:
        path = where.pop("path", None) or (self.paths.get(table) if table else None)
        self.problems.append(Problem(code=code, message=message, table=table, path=path, **where))

    def at(self, table: str, row: _Row, field_name: str, code: str, message: str) -> None:
        """A problem located at one cell of a parsed row."""
        self.add(
            code, message, table, line=row.line, field=field_name, value=row.cells.get(field_name)
        )

    # -- the steps ----------------------------------------------------------------------------

    def run(self) -> None:
        descriptor = self._read_descriptor()
        if descriptor is None:
            return
        # The first entry of a name is the one checked, as the loaders read it; a second entry
        # of that name is an error of its own (duplicate-resource), never silently ignored.
        resources: dict[str, dict[str, Any]] = {}
        listed = descriptor.get("resources", [])
        if not isinstance(listed, list):
            return  # the profile's problem says so; a missing-resource per table would only echo it
        for entry in listed:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                resources.setdefault(entry["name"], entry)
        for fault in _descriptor.faults(descriptor, TABLES):
            self.add(
                fault.code,
                fault.message,
                fault.resource,
                path=self._descriptor_path(),
                line=self._resource_line(listed, fault.index),
            )
        for name in resources:
            if name not in TABLES:
                self.add(
                    "unknown-resource",
                    f"resource {name!r} is not in the contract",
                    path=self._descriptor_path(),
                )
        # progress counts the bytes of the files read, so the total is theirs too
        self.bytes_total = sum(self._file_bytes(resources.get(name)) for name in TABLES)
        if self.engine == "auto":
            self.engine = "columnar" if self.bytes_total >= AUTO_COLUMNAR_FROM_BYTES else "rows"
        with self._memory_pool():
            for name, model in TABLES.items():
                resource = resources.get(name)
                if resource is None:
                    self.add(
                        "missing-resource",
                        f"the package has no resource named {name!r}",
                        path=self._descriptor_path(),
                    )
                    continue
                self._check_table(name, model, resource)
            self._check_across_tables()

    def _memory_pool(self) -> contextlib.AbstractContextManager[None]:
        if self.engine != "columnar":
            return contextlib.nullcontext()
        from . import _columnar

        return _columnar.returning_memory_pool()

    def _file_bytes(self, resource: dict[str, Any] | None) -> int:
        """The size of a resource's file on disk (0 when it cannot be found safely)."""
        relative = resource.get("path") if resource else None
        if not isinstance(relative, str) or not relative:
            return 0
        if unsafe_resource_path(self.dir, relative):
            return 0
        file_path = self.dir / relative
        return file_path.stat().st_size if file_path.is_file() else 0

    def _descriptor_path(self) -> str:
        return _display(self.dir / DESCRIPTOR)

    def _read_descriptor(self) -> dict[str, Any] | None:
        where = self._descriptor_path()
        descriptor_file = self.dir / DESCRIPTOR
        if not descriptor_file.resolve().is_relative_to(self.dir.resolve()):
            self.add(
                "unsafe-path",
                "datapackage.json is a link that leaves the package folder",
                path=where,
            )
            return None
        if descriptor_file.stat().st_size > _MAX_DESCRIPTOR_BYTES:
            self.add(
                "limit-exceeded",
                f"the descriptor is over {_MAX_DESCRIPTOR_BYTES} bytes",
                path=where,
            )
            return None
        try:
            text = descriptor_file.read_text(encoding="utf-8")
            descriptor = _descriptor.parse(text)
        except UnicodeDecodeError as error:
            self.add("bad-descriptor", f"not UTF-8: {error.reason}", path=where)
            return None
        except _descriptor.DescriptorSyntaxError as error:
            self.add(error.code, str(error), path=where, line=error.line)
            return None
        except json.JSONDecodeError as error:
            self.add(
                "bad-descriptor",
                f"not valid JSON: {error.msg}",
                path=where,
                line=error.lineno,
                column=error.colno,
            )
            return None
        if not isinstance(descriptor, dict):
            self.add("bad-descriptor", "the descriptor must be a JSON object", path=where, line=1)
            return None
        self.descriptor_text = text
        for issue in sorted(_profile_errors(descriptor), key=lambda e: list(e.absolute_path)):
            location = "/".join(str(part) for part in issue.absolute_path) or "(top level)"
            last = issue.absolute_path[-1] if issue.absolute_path else None
            scalar = isinstance(issue.instance, str | int | float | bool)
            if isinstance(last, str):
                needle = json.dumps(last) + ":"
                if scalar:
                    needle += " " + json.dumps(issue.instance, ensure_ascii=False)
            elif scalar:
                needle = json.dumps(issue.instance, ensure_ascii=False)
            else:
                needle = "{" if isinstance(descriptor, dict) else "["
            self.add(
                "bad-descriptor",
                f"{location}: {issue.message} (Data Package 2.0 profile)",
                path=where,
                line=self._descriptor_line(needle),
            )
        return descriptor

    def _resource_line(self, listed: Any, index: int | None) -> int | None:
        """The line where the index-th resource entry writes its name (the nth occurrence of
        that name, n counting the earlier entries of the same name)."""
        if index is None or not isinstance(listed, list):
            return None
        name = listed[index].get("name") if isinstance(listed[index], dict) else None
        if not isinstance(name, str):
            return None
        needle = f'"name": {json.dumps(name, ensure_ascii=False)}'
        earlier = sum(1 for e in listed[:index] if isinstance(e, dict) and e.get("name") == name)
        offset = -1
        for _ in range(earlier + 1):
            offset = self.descriptor_text.find(needle, offset + 1)
            if offset < 0:
                return None
        return self.descriptor_text.count("\n", 0, offset) + 1

    def _descriptor_line(self, needle: str) -> int | None:
        """The line of the descriptor where `needle` first appears, to point an editor there."""
        offset = self.descriptor_text.find(needle)
        return None if offset < 0 else self.descriptor_text.count("\n", 0, offset) + 1

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
                from . import _columnar

                self._keep_columns(name, model, _columnar.Columns.from_rows(name, model, rows))
            else:
                self.rows[name] = rows
        self.bytes_done += size
        if self.progress is not None:
            self.progress(name, self.bytes_done, max(self.bytes_total, self.bytes_done))

    def _read_columns(self, model: type[Record], data: bytes) -> tuple[Any, Any]:
        """The table as Arrow columns and each record's line, or (None, None) when the bytes
        need the row path's careful reading."""
        from . import _columnar

        table = _columnar.read_table(model, data)
        lines = None if table is None else _columnar.record_lines(data, table)
        return (table, lines) if lines is not None else (None, None)

    def _check_columns(self, name: str, model: type[Record], table: Any, lines: Any) -> None:
        """Check a plain table column by column; the models see only the suspect rows."""
        import numpy as np
        import pyarrow as pa

        from . import _columnar

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
        from . import _columnar

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
        return _Row(record.line, kept, None)

    # -- across rows and tables ---------------------------------------------------------------

    def _check_across_tables(self) -> None:
        # Rules that need a table that could not be read are skipped: its absence is reported.
        if self.engine == "columnar":
            from . import _columnar

            _columnar.check_across_tables(self.columns, self._report_row, _did_you_mean)
            return
        ids = {name: self._ids(name) for name in ID_PREFIXES.values() if name in self.rows}
        self._check_keys()
        self._check_references(ids)
        self._check_status_references(ids)
        self._check_coverage(ids)
        self._check_lifespans()
        self._check_duplicate_events()

    def _ids(self, table: str) -> dict[str, _Row]:
        found: dict[str, _Row] = {}
        for row in self.rows.get(table, []):
            found.setdefault(row.cells.get("id", ""), row)
        found.pop("", None)
        return found

    def _check_keys(self) -> None:
        for name, model in TABLES.items():
            for key in (model.primary_key, *model.unique_keys):
                first_line: dict[tuple[str, ...], int] = {}
                for row in self.rows.get(name, []):
                    value = tuple(row.cells.get(column, "") for column in key)
                    if "" in value:
                        continue  # a missing part is reported as missing-value
                    if value in first_line:
                        shown = ", ".join(f"{c}={v}" for c, v in zip(key, value, strict=True))
                        self.at(
                            name,
                            row,
                            key[0],
                            "duplicate-key",
                            f"({shown}) is already used on line {first_line[value]}",
                        )
                    else:
                        first_line[value] = row.line

    def _check_references(self, ids: dict[str, dict[str, _Row]]) -> None:
        for name, model in TABLES.items():
            for row in self.rows.get(name, []):
                for key in model.foreign_keys:
                    value = row.cells.get(key.field, "")
                    if value and key.table in ids and value not in ids[key.table]:
                        hint = _did_you_mean(value, list(ids[key.table]))
                        self.at(
                            name,
                            row,
                            key.field,
                            "unknown-reference",
                            f"{value!r} is not an id in {key.table}{hint}",
                        )
                if name in ("citations", "external_ids"):
                    value = row.cells.get("record_id", "")
                    target = ID_PREFIXES.get(value.split("-", 1)[0])
                    if value and target in ids and value not in ids[target]:
                        hint = _did_you_mean(value, list(ids[target]))
                        self.at(
                            name,
                            row,
                            "record_id",
                            "unknown-reference",
                            f"{value!r} is not an id in {target}{hint}",
                        )

    def _check_status_references(self, ids: dict[str, dict[str, _Row]]) -> None:
        def status(table: str, record_id: str) -> str | None:
            row = ids.get(table, {}).get(record_id)
            return row.cells.get("status") if row else None

        # merged_into must name an active record of the same table
        for table in ("actors", "events", "relations"):
            for row in ids.get(table, {}).values():
                target = row.cells.get("merged_into", "")
                if target and target in ids[table] and status(table, target) != Status.ACTIVE:
                    self.at(
                        table,
                        row,
                        "merged_into",
                        "bad-merge",
                        f"{target} is {status(table, target)}, not active",
                    )

        def refer(table: str, row: _Row, column: str, target_table: str) -> None:
            target = row.cells.get(column, "")
            state = status(target_table, target)
            if state == Status.RETRACTED:
                self.at(table, row, column, "retracted-reference", f"{target} is retracted")
            elif state == Status.MERGED:
                survivor = ids[target_table][target].cells.get("merged_into", "")
                self.at(
                    table, row, column, "merged-reference", f"{target} is merged into {survivor}"
                )

        for row in self.rows.get("relations", []):
            if row.cells.get("status") == Status.ACTIVE:
                refer("relations", row, "source_id", "actors")
                refer("relations", row, "target_id", "actors")
        for row in self.rows.get("event_actors", []):
            if status("events", row.cells.get("event_id", "")) == Status.ACTIVE:
                refer("event_actors", row, "actor_id", "actors")

    def _check_coverage(self, ids: dict[str, dict[str, _Row]]) -> None:
        if "citations" in self.rows:
            cited = {row.cells.get("record_id") for row in self.rows["citations"]}
            for table in ("actors", "events", "relations"):
                for record_id, row in ids.get(table, {}).items():
                    if record_id not in cited:
                        self.at(
                            table,
                            row,
                            "id",
                            "missing-citation",
                            f"{record_id} has no row in citations",
                        )
        if "event_actors" in self.rows:
            with_actor = {row.cells.get("event_id") for row in self.rows["event_actors"]}
            for record_id, row in ids.get("events", {}).items():
                if record_id not in with_actor:
                    self.at(
                        "events",
                        row,
                        "id",
                        "missing-event-actor",
                        f"{record_id} has no row in event_actors",
                    )

    def _check_lifespans(self) -> None:
        actors = {
            row.record.id: row.record
            for row in self.rows.get("actors", [])
            if isinstance(row.record, Actor)
        }
        for row in self.rows.get("relations", []):
            relation = row.record
            if not isinstance(relation, Relation):
                continue
            # The relation certainly began no later than this and ended no earlier than that.
            began_by = period_end(relation.date_start, relation.start_precision)
            ended_from = (
                period_start(relation.date_end, relation.end_precision or DatePrecision.DAY)
                if relation.date_end
                else None
            )
            for column in ("source_id", "target_id"):
                actor = actors.get(getattr(relation, column))
                if actor is None:
                    continue
                if actor.start_date and began_by < partial_date_bounds(actor.start_date)[0]:
                    self.at(
                        "relations",
                        row,
                        "date_start",
                        "outside-lifespan",
                        f"starts before {actor.id} began ({actor.start_date})",
                    )
                if actor.end_date and relation.relation_type not in TIMELESS_RELATIONS:
                    actor_gone = partial_date_bounds(actor.end_date)[1]
                    if ended_from is None:
                        self.at(
                            "relations",
                            row,
                            "date_end",
                            "outside-lifespan",
                            f"is open-ended but {actor.id} ended on {actor.end_date}; give a date_end",
                        )
                    elif ended_from > actor_gone:
                        self.at(
                            "relations",
                            row,
                            "date_end",
                            "outside-lifespan",
                            f"ends after {actor.id} ended ({actor.end_date})",
                        )

    def _check_duplicate_events(self) -> None:
        actors_of: dict[str, set[str]] = defaultdict(set)
        for row in self.rows.get("event_actors", []):
            actors_of[row.cells.get("event_id", "")].add(row.cells.get("actor_id", ""))
        first: dict[tuple[str, date, frozenset[str]], _Row] = {}
        for row in self.rows.get("events", []):
            event = row.record
            if not isinstance(event, Event) or event.status is not Status.ACTIVE:
                continue
            if event.date_precision is not DatePrecision.DAY or event.date_start != event.date_end:
                continue
            key = (event.event_type.value, event.date_start, frozenset(actors_of[event.id]))
            if key in first:
                self.at(
                    "events",
                    row,
                    "id",
                    "duplicate-event",
                    f"same type, day and actors as {first[key].cells['id']} (line {first[key].line}); "
                    "merge them or tell them apart",
                )
            else:
                first[key] = row


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
