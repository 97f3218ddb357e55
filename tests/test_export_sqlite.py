"""The SQLite export as other tools read it: declared types from the Table Schema, values in
the matching storage classes, FTS5 indexes Datasette finds, and DuckDB reading typed columns."""

from __future__ import annotations

import datetime
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import duckdb
import pytest
from datasette.utils import detect_fts

from iran_syria.export import export_package
from iran_syria.models import TABLES

from .conftest import VALID, regenerate

# Table Schema type -> the declared SQLite type, and the storage class of a non-empty cell
DECLARED = {
    "string": "TEXT",
    "integer": "INTEGER",
    "number": "REAL",
    "date": "DATE",
    "boolean": "BOOLEAN",  # stored as 0 and 1
}
STORED = {
    "string": "text",
    "integer": "integer",
    "number": "real",
    "date": "text",
    "boolean": "integer",
}
PERSIAN_ALIAS = "قاسم سلیمانی"


def _field_types(package: Path) -> dict[str, dict[str, str]]:
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    return {
        resource["name"]: {field["name"]: field["type"] for field in resource["schema"]["fields"]}
        for resource in descriptor["resources"]
    }


@pytest.fixture
def searchable(valid_copy: Path, tmp_path: Path) -> Path:
    """The SQLite export of the valid package with a Persian alias added to an actor."""
    aliases = valid_copy / "data" / "actor_aliases.csv"
    aliases.write_text(aliases.read_text() + f"act-delta,{PERSIAN_ALIAS},fa,other_name\n")
    regenerate(valid_copy)
    database, _ = export_package(tmp_path / "out", "sqlite", path=valid_copy)
    return database


def test_columns_are_declared_and_stored_by_their_table_schema_type(tmp_path: Path) -> None:
    database, _ = export_package(tmp_path, "sqlite", path=VALID)
    with closing(sqlite3.connect(database)) as connection:
        for table, fields in _field_types(VALID).items():
            declared = {
                row[1]: row[2] for row in connection.execute(f'PRAGMA table_info("{table}")')
            }
            assert declared == {name: DECLARED[kind] for name, kind in fields.items()}, table
            for name, kind in fields.items():
                classes = connection.execute(
                    f'SELECT DISTINCT typeof("{name}") FROM "{table}" WHERE "{name}" IS NOT NULL'
                ).fetchall()
                assert {c for (c,) in classes} <= {STORED[kind]}, (table, name, classes)
        # dates stay ISO text, so SQLite's date functions and text comparison both work
        (start,) = connection.execute(
            "SELECT date_start FROM events WHERE id = 'evt-2020-01-03-delta-killed'"
        ).fetchone()
        assert start == "2020-01-03"


def test_every_searchable_table_has_an_fts5_index_datasette_detects(searchable: Path) -> None:
    with closing(sqlite3.connect(searchable)) as connection:
        found = {table: detect_fts(connection, table) for table in TABLES}
    assert found == {
        "events": "events_fts",
        "actors": "actors_fts",
        "actor_aliases": "actor_aliases_fts",
        "relations": "relations_fts",
        "sources": "sources_fts",
        "relation_types": None,
        "event_actors": None,
        "external_ids": None,
        "citations": None,
    }


def test_match_finds_an_actor_by_a_persian_alias_and_an_event_by_a_word(
    searchable: Path,
) -> None:
    with closing(sqlite3.connect(searchable)) as connection:
        actors = connection.execute(
            "SELECT actors.id FROM actors JOIN actor_aliases ON actor_aliases.actor_id = actors.id "
            "WHERE actor_aliases.rowid IN "
            "(SELECT rowid FROM actor_aliases_fts WHERE actor_aliases_fts MATCH ?)",
            ("سلیمانی",),
        ).fetchall()
        assert actors == [("act-delta",)]
        events = connection.execute(
            "SELECT id FROM events WHERE rowid IN "
            "(SELECT rowid FROM events_fts WHERE events_fts MATCH ?)",
            ("airstrike",),  # a word of the description only, not of the title
        ).fetchall()
        assert events == [("evt-2020-01-03-delta-killed",)]
        sources = connection.execute(
            "SELECT count(*) FROM sources_fts WHERE sources_fts MATCH 'nomatchword'"
        ).fetchone()
        assert sources == (0,)


def test_an_edit_after_the_export_keeps_the_index_in_step(searchable: Path) -> None:
    with closing(sqlite3.connect(searchable)) as connection:
        connection.execute("UPDATE actors SET name = 'Epsilon Person' WHERE id = 'act-delta'")
        connection.execute("DELETE FROM actors WHERE id = 'act-withdrawn'")

        def hits(word: str) -> list[tuple[str]]:
            return connection.execute(
                "SELECT id FROM actors WHERE rowid IN "
                "(SELECT rowid FROM actors_fts WHERE actors_fts MATCH ?)",
                (word,),
            ).fetchall()

        assert hits("Epsilon") == [("act-delta",)]
        assert hits("Delta") == []
        assert hits("Withdrawn") == []
        assert (
            connection.execute(
                "INSERT INTO actors_fts(actors_fts) VALUES('integrity-check')"
            ).fetchall()
            == []
        )


def _duckdb_with_sqlite_reader() -> duckdb.DuckDBPyConnection:
    """DuckDB with its sqlite reader loaded from the installed wheel, never downloaded."""
    import duckdb_extension_sqlite_scanner

    extension = (
        Path(duckdb_extension_sqlite_scanner.__file__).parent
        / "extensions"
        / f"v{duckdb.__version__}"
        / "sqlite_scanner.duckdb_extension"
    )
    connection = duckdb.connect()
    connection.execute("SET autoinstall_known_extensions = false")
    connection.execute("SET autoload_known_extensions = false")
    connection.execute(f"LOAD '{extension}'")
    return connection


def test_duckdb_reads_typed_columns(tmp_path: Path) -> None:
    database, _ = export_package(tmp_path, "sqlite", path=VALID)
    connection = _duckdb_with_sqlite_reader()
    connection.execute(f"ATTACH '{database}' AS package (TYPE sqlite, READ_ONLY)")
    columns = connection.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = 'package'"
    ).fetchall()
    types = {(table, column): kind for table, column, kind in columns}
    duck = {
        "string": "VARCHAR",
        "integer": "BIGINT",
        "number": "DOUBLE",
        "date": "DATE",
        "boolean": "BIGINT",  # DuckDB's sqlite reader reads BOOLEAN by its integer affinity
    }
    for table, fields in _field_types(VALID).items():
        for name, kind in fields.items():
            assert types[(table, name)] == duck[kind], (table, name)
    first, latest, killed = connection.execute(
        "SELECT min(date_start), max(date_end), sum(fatalities_best) FROM package.events"
    ).fetchone()
    assert (first, latest) == (datetime.date(2015, 9, 1), datetime.date(2021, 12, 31))
    assert killed == 5
    connection.close()
