"""Exports: every format round-trips every table's rows, keys are declared, writes are atomic."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from iran_syria import export
from iran_syria.cli import _parser, main
from iran_syria.export import FORMATS, export_package, neutralise_formula
from iran_syria.models import TABLES

from .conftest import VALID, regenerate


def _source_rows(package: Path) -> dict[str, int]:
    """Records per table in the canonical CSVs, retracted and merged ones included."""
    counts = {}
    for table in TABLES:
        text = (package / "data" / f"{table}.csv").read_text(encoding="utf-8")
        counts[table] = len(list(csv.reader(io.StringIO(text, newline="")))) - 1
    return counts


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_the_fixture_has_rows_in_every_table() -> None:
    counts = _source_rows(VALID)
    assert all(counts.values()), counts
    assert counts["actors"] == 6  # 2 of them retracted or merged: exports keep them


def test_parquet_round_trips_rows_and_types(tmp_path: Path) -> None:
    written = export_package(tmp_path, "parquet", path=VALID)
    assert sorted(p.name for p in written) == sorted(f"{t}.parquet" for t in TABLES)
    for table, count in _source_rows(VALID).items():
        assert pq.read_table(tmp_path / f"{table}.parquet").num_rows == count, table
    events = pq.read_table(tmp_path / "events.parquet")
    assert events.schema.field("date_start").type == pa.date32()
    assert events.schema.field("fatalities_best").type == pa.int64()
    assert pa.types.is_dictionary(events.schema.field("event_type").type)
    assert events.column_names == list(TABLES["events"].model_fields)


def test_parquet_partitioned_by_year(tmp_path: Path) -> None:
    export_package(tmp_path, "parquet", path=VALID, partition_by_year=True)
    assert not (tmp_path / "events.parquet").exists()
    assert sorted(p.name for p in (tmp_path / "events").iterdir()) == [
        "year=2015",
        "year=2020",
        "year=2021",
    ]
    events = pq.read_table(tmp_path / "events")
    assert events.num_rows == _source_rows(VALID)["events"]
    assert sorted(events["year"].to_pylist()) == [2015, 2020, 2021]
    # again, over the first: the folder is replaced whole
    export_package(tmp_path, "parquet", path=VALID, partition_by_year=True)
    assert pq.read_table(tmp_path / "events").num_rows == _source_rows(VALID)["events"]


def test_sqlite_round_trips_rows_and_declares_keys(tmp_path: Path) -> None:
    database, metadata = export_package(tmp_path, "sqlite", path=VALID)
    assert database.name == "iran-syria-relations.sqlite"
    assert metadata == tmp_path / "metadata.json"
    with closing(sqlite3.connect(database, isolation_level=None)) as connection:
        connection.execute("PRAGMA foreign_keys = ON")  # off by default in every connection
        for table, count in _source_rows(VALID).items():
            assert connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone() == (count,)
        references = {
            table: {
                (row[3], row[2]) for row in connection.execute(f"PRAGMA foreign_key_list({table})")
            }
            for table in ("event_actors", "relations", "citations")
        }
        assert references["event_actors"] == {("event_id", "events"), ("actor_id", "actors")}
        assert {("source_id", "actors"), ("target_id", "actors")} <= references["relations"]
        assert references["citations"] == {("source_id", "sources")}  # record_id: polymorphic
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        primary = [r[1] for r in connection.execute("PRAGMA table_info(event_actors)") if r[5]]
        assert primary == ["event_id", "actor_id", "role"]
        statuses = connection.execute("SELECT status, COUNT(*) FROM actors GROUP BY 1").fetchall()
        assert dict(statuses) == {"active": 4, "merged": 1, "retracted": 1}
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            connection.execute(
                "INSERT INTO event_actors VALUES ('evt-2021-unknown-place', 'act-alpha', 'host')"
            )
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            connection.execute(
                "INSERT INTO event_actors VALUES ('evt-nowhere', 'act-alpha', 'source')"
            )
    assert "SQLite cannot declare such a foreign key" in export.sqlite_schema()


def test_xlsx_has_a_sheet_per_table_and_a_codebook(tmp_path: Path) -> None:
    (workbook_path,) = export_package(tmp_path, "xlsx", path=VALID)
    workbook = openpyxl.load_workbook(workbook_path)
    assert workbook.sheetnames == [*TABLES, "codebook"]
    for table, count in _source_rows(VALID).items():
        sheet = workbook[table]
        assert sheet.max_row - 1 == count, table
        assert [c.value for c in sheet[1]] == list(TABLES[table].model_fields)
        # the header row is bold and stays in view while scrolling
        assert all(c.font.b for c in sheet[1]) and sheet.freeze_panes == "A2", table
    codebook = workbook["codebook"]
    assert codebook.max_row - 1 == sum(len(m.model_fields) for m in TABLES.values())
    workbook.close()


def test_ndjson_round_trips_rows(tmp_path: Path) -> None:
    export_package(tmp_path, "ndjson", path=VALID)
    for table, count in _source_rows(VALID).items():
        lines = (tmp_path / f"{table}.ndjson").read_text(encoding="utf-8").splitlines()
        assert len(lines) == count, table
        rows = [json.loads(line) for line in lines]
        assert all(list(row) == list(TABLES[table].model_fields) for row in rows)
    event = json.loads((tmp_path / "events.ndjson").read_text().splitlines()[1])
    assert event["date_start"] == "2020-01-03"
    assert event["fatalities_best"] == 5
    assert event["event_mode"] == "assassination"


def test_safe_csv_round_trips_rows_and_is_labelled(tmp_path: Path) -> None:
    written = export_package(tmp_path, "csv", path=VALID)
    folder = tmp_path / "csv-spreadsheet-safe"
    assert {p.parent for p in written} == {folder}
    assert "NOT the canonical data" in (folder / "README.txt").read_text()
    for table, count in _source_rows(VALID).items():
        raw = (folder / f"{table}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        assert len(rows) - 1 == count, table


def test_formula_triggers_are_neutralised_and_canonical_csvs_untouched(
    valid_copy: Path, tmp_path: Path
) -> None:
    aliases = valid_copy / "data" / "actor_aliases.csv"
    aliases.write_text(
        aliases.read_text()
        + "act-alpha,=1+2,,other_name\n"
        + "act-alpha,+IRGC,,other_name\n"
        + "act-alpha,-dash,,other_name\n"
        + 'act-alpha,"@SUM(A1)",,other_name\n'
        + "act-alpha,harmless = text,,other_name\n"
    )
    events = valid_copy / "data" / "events.csv"
    events.write_text(events.read_text().replace("33.5138,36.2765", "33.5138,-36.2765"))
    regenerate(valid_copy)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in valid_copy.rglob("*.*")}

    out = tmp_path / "out"
    export_package(out, "csv", path=valid_copy)
    folder = out / "csv-spreadsheet-safe"
    text = (folder / "actor_aliases.csv").read_text(encoding="utf-8-sig")
    alias_cells = [row[1] for row in csv.reader(io.StringIO(text, newline=""))]
    assert alias_cells[-5:] == ["'=1+2", "'+IRGC", "'-dash", "'@SUM(A1)", "harmless = text"]
    event_rows = list(csv.reader(io.StringIO((folder / "events.csv").read_text("utf-8-sig"))))
    assert event_rows[1][11] == "-36.2765"  # a number is no formula: its sign stays

    export_package(out, "xlsx", path=valid_copy)
    sheet = openpyxl.load_workbook(out / "iran-syria-relations.xlsx")["actor_aliases"]
    formula_cell = sheet.cell(row=4, column=2)
    assert (formula_cell.value, formula_cell.data_type) == ("=1+2", "s")

    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in valid_copy.rglob("*.*")}
    assert after == before


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        *[("=A1", "'=A1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x")],
        *[("\tx", "'\tx"), ("\rx", "'\rx"), ("x=1", "x=1"), ("", ""), ("'q", "'q")],
    ],
)
def test_neutralise_formula(cell: str, expected: str) -> None:
    assert neutralise_formula(cell) == expected


def test_an_interrupted_export_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = export._ndjson_line
    calls = {"n": 0}

    def failing(row: dict[str, Any]) -> str:
        calls["n"] += 1
        if calls["n"] == 2:  # midway through the first table
            raise RuntimeError("disk full")
        return real(row)

    monkeypatch.setattr(export, "_ndjson_line", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        export_package(tmp_path / "out", "ndjson", path=VALID)
    assert _files(tmp_path / "out") == []


def test_an_interrupted_overwrite_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database, metadata = export_package(tmp_path, "sqlite", path=VALID)
    old = database.read_bytes()

    def failing(value: Any) -> Any:
        raise RuntimeError("interrupted")

    monkeypatch.setattr(export, "_plain", failing)
    with pytest.raises(RuntimeError, match="interrupted"):
        export_package(tmp_path, "sqlite", path=VALID)
    assert database.read_bytes() == old
    assert _files(tmp_path) == sorted([database.name, metadata.name])


def test_misuse_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="parquet, sqlite, xlsx, ndjson, csv"):
        export_package(tmp_path, "json", path=VALID)
    with pytest.raises(ValueError, match="parquet format only"):
        export_package(tmp_path, "csv", path=VALID, partition_by_year=True)


def test_cli_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["export", "--format", "ndjson", "--out", str(out), str(VALID)]) == 0
    assert capsys.readouterr().out.count("wrote ") == len(TABLES)
    assert main(["export", "--format", "csv", "--partition-by-year", "--out", str(out)]) == 2
    commands = _parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    choices = next(a.choices for a in commands["export"]._actions if a.dest == "format")
    assert tuple(choices) == tuple(FORMATS)
