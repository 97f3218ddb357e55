"""CONTRIBUTING.md's worked example, applied verbatim to a copy of the package, validates clean."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

from iran_syria import schema
from iran_syria.validate import validate_package

from .conftest import ROOT, SHIPPED

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
EXAMPLE = GUIDE[GUIDE.index("## Worked example") : GUIDE.index("## What CI checks")]


def _blocks() -> list[tuple[str, str]]:
    """(table, rows) for each csv block of the example, the table found by its header."""
    headers = {
        (SHIPPED / "data" / f"{name}.csv").read_text(encoding="utf-8").split("\n", 1)[0]: name
        for name in schema.TABLES
    }
    found = []
    for block in re.findall(r"```csv\n(.+?)```", EXAMPLE, re.S):
        header, rows = block.split("\n", 1)
        assert header in headers, f"the example's header is no table's: {header}"
        found.append((headers[header], rows))
    return found


def test_the_example_names_every_kind_of_row() -> None:
    tables = {table for table, _ in _blocks()}
    assert tables >= {"sources", "actors", "events", "event_actors", "relations", "citations"}


def test_the_example_applied_verbatim_validates_clean(tmp_path: Path) -> None:
    package = tmp_path / "datapackage"
    shutil.copytree(SHIPPED, package)
    for table, rows in _blocks():
        with (package / "data" / f"{table}.csv").open("a", encoding="utf-8", newline="") as f:
            f.write(rows)
    schema.write_files(package, tmp_path / "schemas")
    report = validate_package(package)
    assert report.valid, report.to_text()
    assert not report.warnings, report.to_text()


def test_the_example_adds_no_record_the_package_already_has() -> None:
    def rows_of(table: str, text: str) -> list[dict[str, str]]:
        header = (SHIPPED / "data" / f"{table}.csv").read_text(encoding="utf-8").split("\n", 1)[0]
        return list(csv.DictReader(io.StringIO(header + "\n" + text)))

    def shipped(table: str) -> list[dict[str, str]]:
        text = (SHIPPED / "data" / f"{table}.csv").read_text(encoding="utf-8")
        return list(csv.DictReader(io.StringIO(text)))

    for table, text in _blocks():
        if table in ("sources", "actors", "events", "relations"):
            added = {row["id"] for row in rows_of(table, text)}
            assert not added & {row["id"] for row in shipped(table)}, f"{table} reuses an id"
        if table == "events":
            for event in rows_of(table, text):
                # no shipped event of the same category starts in the same month at that place
                same = [
                    e["id"]
                    for e in shipped("events")
                    if e["event_type"] == event["event_type"]
                    and e["date_start"][:7] == event["date_start"][:7]
                    and e["location_name"] == event["location_name"]
                ]
                assert not same, f"the example event duplicates {same}"
