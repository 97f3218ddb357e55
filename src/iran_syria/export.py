"""Export a package to the formats researchers open: Parquet, SQLite, Excel, NDJSON, and CSV
made safe for spreadsheet programs.

An export is a copy of the package, so it holds every row, retracted and merged ones too, each
with its `status` (filter on status = 'active' for the current records). Every file is typed
from the one Arrow reading the loaders use (after the sha256 check), and written atomically:
to a temporary file beside the target, then renamed over it, so an interrupted export leaves
no partial file. The canonical CSVs in the package are never touched. The one exception to
"every row" is `panels`: panels are built from the active records (see iran_syria.panels).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._atomic import atomic_file, atomic_folder
from ._datasette import write_datasette_metadata
from ._fts import fts_schema
from .errors import InvalidPackageError
from .loaders import _every_table, _open, _require, _verified_bytes
from .models import TABLES, Record
from .schema import field_specs

if TYPE_CHECKING:
    import pyarrow as pa

#: The formats, each with a one-line description (the CLI's choices and the README's table).
FORMATS: dict[str, str] = {
    "parquet": "one Parquet file per table with the declared Arrow types",
    "sqlite": "one SQLite database with typed columns, keys, vocabulary checks and full-text "
    "search, and a Datasette metadata.json beside it",
    "xlsx": "one Excel workbook: a sheet per table and a codebook sheet",
    "ndjson": "one newline-delimited JSON file per table",
    "csv": "CSV for spreadsheet programs (formula triggers neutralised), in csv-spreadsheet-safe/",
    "panels": "the dyad-year, state-dyad-year and actor-year panels (active records) as CSV and Parquet",
}

#: The folder of the spreadsheet-safe CSVs, named so nobody mistakes them for the canonical ones.
SAFE_CSV_FOLDER = "csv-spreadsheet-safe"
#: A cell starting with one of these may be run as a formula by a spreadsheet program.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# DATE, not TEXT: the cells are ISO text either way (SQLite has no date storage class), but the
# declared type is what DuckDB's sqlite reader, pandas and Datasette go by to read a date.
_SQL_TYPES = {
    "integer": "INTEGER",
    "number": "REAL",
    "date": "DATE",
    "string": "TEXT",
    "boolean": "BOOLEAN",  # stored as 0 and 1 (SQLite has no boolean class); DuckDB reads BOOLEAN
}
_POLYMORPHIC_NOTE = (
    "record_id names a row of actors, events, relations or sources by its prefix "
    "(act-, evt-, rel-, src-); SQLite cannot declare such a foreign key"
)


def export_package(
    out: str | Path,
    format: str = "parquet",
    *,
    path: str | Path | None = None,
    partition_by_year: bool = False,
) -> list[Path]:
    """Write the package in `format` into the folder `out`; return the files written.

    parquet: <table>.parquet (with partition_by_year, events/year=YYYY/part-0.parquet by
    year of date_start instead of events.parquet); sqlite: <name>.sqlite and the Datasette
    metadata.json that describes it; xlsx: <name>.xlsx; ndjson: <table>.ndjson; csv:
    csv-spreadsheet-safe/<table>.csv and a README.txt; panels: <unit>.csv and <unit>.parquet
    for each unit of iran_syria.panels.UNITS.
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    if partition_by_year and format != "parquet":
        raise ValueError("partition_by_year applies to the parquet format only")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    if format == "csv":
        return _write_safe_csv(folder, path)
    if format == "panels":
        from .panels import write_panels

        return write_panels(folder, path)
    if format == "xlsx":
        _require("openpyxl", "xlsx")
    _, descriptor, tables = _every_table(path)
    if format == "parquet":
        return _write_parquet(tables, folder, partition_by_year)
    if format == "ndjson":
        return _write_ndjson(tables, folder)
    stem = _stem(descriptor)
    if format == "sqlite":
        database = _write_sqlite(tables, folder / f"{stem}.sqlite")
        return [database, write_datasette_metadata(folder, database.stem, descriptor)]
    return [_write_xlsx(tables, folder / f"{stem}.xlsx")]


def neutralise_formula(cell: str) -> str:
    """A cell a spreadsheet would read as a formula, prefixed with an apostrophe; else as is."""
    return f"'{cell}" if cell.startswith(FORMULA_TRIGGERS) else cell


def sqlite_schema() -> str:
    """The CREATE statements of the SQLite export, derived from the models: a table each, then
    the full-text indexes (see _fts)."""
    return "\n".join([*(_create_table(model) for model in TABLES.values()), fts_schema()])


# ---------------------------------------------------------------------------------------------


def _stem(descriptor: dict[str, Any]) -> str:
    name = str(descriptor.get("name", ""))
    return name if re.fullmatch(r"[a-z0-9][a-z0-9._-]*", name) else "package"


def _plain(value: Any) -> Any:
    """A cell as JSON and SQLite take it: dates as ISO text."""
    return value.isoformat() if isinstance(value, date) else value


def _write_parquet(tables: dict[str, pa.Table], folder: Path, partition: bool) -> list[Path]:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    written = []
    for name, table in tables.items():
        if name == "events" and partition:
            # Hive-style folders (year=2015/) that pandas, polars, R arrow and DuckDB read as one.
            target = folder / "events"
            years = pc.year(table["date_start"])
            with atomic_folder(target) as temporary:
                for year in sorted(set(years.to_pylist())):
                    part = temporary / f"year={year}"
                    part.mkdir()
                    pq.write_table(table.filter(pc.equal(years, year)), part / "part-0.parquet")
            written.append(target)
            continue
        target = folder / f"{name}.parquet"
        with atomic_file(target) as temporary:
            pq.write_table(table, temporary)
        written.append(target)
    return written


def _ndjson_line(row: dict[str, Any]) -> str:
    return json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False) + "\n"


def _write_ndjson(tables: dict[str, pa.Table], folder: Path) -> list[Path]:
    written = []
    for name, table in tables.items():
        target = folder / f"{name}.ndjson"
        with atomic_file(target) as temporary, temporary.open("w", encoding="utf-8") as stream:
            for row in table.to_pylist():
                stream.write(_ndjson_line(row))
        written.append(target)
    return written


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def _create_table(model: type[Record]) -> str:
    lines = []
    for spec in field_specs(model):
        column = f'"{spec.name}" {_SQL_TYPES[spec.datatype]}'
        if spec.required:
            column += " NOT NULL"
        if spec.enum:
            words = ", ".join(f"'{word}'" for word in spec.enum)
            column += f' CHECK ("{spec.name}" IN ({words}))'
        lines.append(column)
    lines.append(f"PRIMARY KEY ({_quoted(model.primary_key)})")
    lines += [f"UNIQUE ({_quoted(key)})" for key in model.unique_keys]
    lines += [
        f"FOREIGN KEY ({_quoted([fk.field])}) REFERENCES {_quoted([fk.table])} ({_quoted([fk.ref_field])})"
        for fk in model.foreign_keys
    ]
    body = ",\n  ".join(lines)
    note = f"  -- {_POLYMORPHIC_NOTE}\n" if "record_id" in model.model_fields else ""
    return f'CREATE TABLE "{model.table_name}" (\n{note}  {body}\n);'


def _write_sqlite(tables: dict[str, pa.Table], target: Path) -> Path:
    # isolation_level=None: the transaction below is ours, so foreign keys can be deferred to
    # COMMIT (a merged row may name a survivor that comes later in its table).
    with (
        atomic_file(target) as temporary,
        closing(sqlite3.connect(temporary, isolation_level=None)) as connection,
    ):
        connection.execute("PRAGMA foreign_keys = ON")
        connection.executescript(sqlite_schema())
        connection.execute("BEGIN")
        connection.execute("PRAGMA defer_foreign_keys = ON")
        for name, table in tables.items():
            columns = table.column_names
            placeholders = ", ".join("?" for _ in columns)
            connection.executemany(
                f'INSERT INTO "{name}" ({_quoted(columns)}) VALUES ({placeholders})',
                ([_plain(v) for v in row.values()] for row in table.to_pylist()),
            )
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            connection.execute("ROLLBACK")
            child, rowid, parent, _ = broken[0]
            raise InvalidPackageError(
                f"{len(broken)} rows refer to missing records, e.g. {child} row {rowid} to "
                f"{parent}; run `iran-syria validate` on the package",
                [],
            )
        connection.execute("COMMIT")
    return target


def _write_xlsx(tables: dict[str, pa.Table], target: Path) -> Path:
    openpyxl = _require("openpyxl", "xlsx")
    # Write-only: rows stream to the file as they come, about twice as fast as building every
    # cell in memory first, and the workbook starts with no default sheet to remove.
    workbook = openpyxl.Workbook(write_only=True)
    for name, table in tables.items():
        _sheet(workbook, name, table.column_names, ([*row.values()] for row in table.to_pylist()))
    _sheet(
        workbook,
        "codebook",
        ["table", "field", "type", "required", "values", "description"],
        (
            [
                name,
                spec.name,
                spec.datatype,
                "yes" if spec.required else "",
                ", ".join(spec.enum or ()),
                spec.description,
            ]
            for name, model in TABLES.items()
            for spec in field_specs(model)
        ),
    )
    with atomic_file(target) as temporary:
        workbook.save(temporary)
    return target


def _sheet(workbook: Any, title: str, header: list[str], rows: Any) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def heading(word: str) -> Any:
        cell = WriteOnlyCell(sheet, value=word)
        cell.font = bold
        return cell

    def text(value: str) -> Any:
        # openpyxl stores text starting with "=" as a formula; keep it text.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell

    sheet.append([heading(word) for word in header])
    for row in rows:
        sheet.append([text(v) if isinstance(v, str) and v.startswith("=") else v for v in row])


_SAFE_CSV_README = (
    "These CSV files are for opening in spreadsheet programs (Excel, LibreOffice, Google "
    "Sheets). They are NOT the canonical data: text cells that start with =, +, -, @, a tab "
    "or a carriage return carry a leading apostrophe so that no cell runs as a formula, and "
    "files are UTF-8 with a byte-order mark and CRLF line endings. Use the canonical CSVs in "
    "the data package (datapackage/data/) for analysis.\n"
)


def _write_safe_csv(folder: Path, path: str | Path | None) -> list[Path]:
    package_dir, descriptor = _open(path)
    target_folder = folder / SAFE_CSV_FOLDER
    written = []
    for name, model in TABLES.items():
        data = _verified_bytes(package_dir, descriptor, name)
        numeric = {s.name for s in field_specs(model) if s.datatype in ("integer", "number")}
        rows = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
        header = next(rows, [])
        # Numbers keep their minus sign: a number cell cannot run as a formula.
        kept = {index for index, column in enumerate(header) if column in numeric}
        target = target_folder / f"{name}.csv"
        with (
            atomic_file(target) as temporary,
            temporary.open("w", encoding="utf-8-sig", newline="") as stream,
        ):
            writer = csv.writer(stream, lineterminator="\r\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow(
                    [cell if i in kept else neutralise_formula(cell) for i, cell in enumerate(row)]
                )
        written.append(target)
    readme = target_folder / "README.txt"
    with atomic_file(readme) as temporary:
        temporary.write_text(_SAFE_CSV_README, encoding="utf-8")
    written.append(readme)
    return written
