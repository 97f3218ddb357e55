"""evidence(): the sources behind each field of a record; citations.fields and its rule."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import iran_syria
from iran_syria.models import Citation, citable_fields
from iran_syria.provenance import Evidence, evidence
from iran_syria.tombstones import UnresolvedIdError
from iran_syria.validate import validate_package

from .conftest import SHIPPED, copied_valid, regenerate

EVENT = "evt-2020-01-03-delta-killed"


def _cite(package: Path, *rows: tuple[str, str, str, str, str]) -> None:
    path = package / "data" / "citations.csv"
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    regenerate(package)


def test_each_field_lists_the_citations_that_name_it_and_the_record_comes_first() -> None:
    with copied_valid() as package:
        _cite(
            package,
            (EVENT, "src-example-news", "para 9", "Gives 3 dead.", "fatalities_high date_start"),
            (EVENT, "src-example-book", "p. 4", "Gives 1 dead.", "fatalities_low"),
        )
        assert validate_package(package).valid
        found = evidence(EVENT, path=package)
    assert list(found) == [None, "date_start", "fatalities_low", "fatalities_high"]
    assert [(e.source_id, e.locator) for e in found["fatalities_high"]] == [
        ("src-example-news", "para 9")
    ]
    assert found["date_start"][0].note == "Gives 3 dead."
    assert {e.source_id for e in found[None]} == {"src-example-news", "src-example-book"}
    low = found["fatalities_low"][0]
    assert isinstance(low, Evidence) and low.field == "fatalities_low"
    assert low.publisher  # the source's publisher comes along


def test_a_record_cited_only_as_a_whole_has_one_entry() -> None:
    with copied_valid() as package:
        found = evidence("rel-alpha-allied-with-beta", path=package)
    assert list(found) == [None]
    assert [(e.source_id, e.locator) for e in found[None]] == [("src-example-book", "p. 3")]


@pytest.mark.parametrize("record_id", ["evt-1999-nope", "xyz-1", "nothing"])
def test_an_id_in_no_table_is_refused(record_id: str) -> None:
    with copied_valid() as package, pytest.raises(UnresolvedIdError):
        evidence(record_id, path=package)


def test_evidence_is_exported() -> None:
    code = (
        "import iran_syria, inspect; "
        "assert inspect.isfunction(iran_syria.evidence), iran_syria.evidence; "
        "assert iran_syria.Evidence.__name__ == 'Evidence'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "evidence" in iran_syria.__all__ and "Evidence" in iran_syria.__all__
    # importing the module first (as this file does) must not hide the function behind it
    assert iran_syria.evidence is evidence


def test_the_shipped_package_answers_for_every_cited_field() -> None:
    with (SHIPPED / "data" / "citations.csv").open(encoding="utf-8", newline="") as f:
        rows = [row for row in csv.DictReader(f) if row["fields"]]
    assert rows, "no shipped citation names a field"
    record_id = rows[0]["record_id"]
    found = evidence(record_id)
    for name in rows[0]["fields"].split(" "):
        assert rows[0]["source_id"] in {e.source_id for e in found[name]}


@pytest.mark.parametrize(
    ("record_id", "fields", "detail"),
    [
        ("evt-a", "deaths", "'deaths' is not a field of events"),
        ("act-a", "fatalities_low", "'fatalities_low' is not a field of actors"),
        ("evt-a", "id", "'id' is not a field of events"),
        ("rel-a", "date_start date_start", "'date_start' named twice"),
    ],
)
def test_a_citation_naming_a_field_its_table_lacks_is_refused(
    record_id: str, fields: str, detail: str
) -> None:
    with pytest.raises(ValueError, match=detail):
        Citation(record_id=record_id, source_id="src-a", locator="whole", fields=fields)


def test_the_citable_fields_are_the_table_columns_less_bookkeeping() -> None:
    assert "fatalities_low" in citable_fields("evt-a")
    assert not {"id", "status", "merged_into"} & set(citable_fields("rel-a"))
    assert citable_fields("xyz-a") == ()


@pytest.mark.parametrize("engine", ["rows", "columnar"])
def test_the_validator_locates_an_unknown_cited_field_with_the_valid_names(engine: str) -> None:
    with copied_valid() as package:
        _cite(package, (EVENT, "src-example-news", "para 9", "", "fatalities_best deaths"))
        problems = [
            p for p in validate_package(package, engine=engine).problems if p.field == "fields"
        ]
    assert [(p.code, p.line) for p in problems] == [("unknown-cited-field", 15)]
    assert "fatalities_low fatalities_best fatalities_high" in problems[0].message


# Terms whose start and end the shipped citations pin to different sources: an appointment
# and a dismissal, a designation and its repeal, an appointment and a death.
TERMS_DATED_BY_TWO_SOURCES = [
    "rel-ali-abdullah-ayyoub-leads-syria-ministry-of-defence",
    "rel-ali-shamkhani-leads-iran-snsc",
    "rel-hossein-salami-leads-irgc",
    "rel-mohammad-ali-jafari-leads-irgc",
    "rel-usa-sanctions-syria-economic-caesar-act",
]


def _start_and_end_sources(found: dict[str | None, list[Evidence]]) -> tuple[set[str], set[str]]:
    start = {e.source_id for e in found.get("date_start", [])}
    end = {e.source_id for e in found.get("date_end", [])}
    return start, end


@pytest.mark.parametrize("record_id", TERMS_DATED_BY_TWO_SOURCES)
def test_a_shipped_term_has_its_start_and_end_from_different_sources(record_id: str) -> None:
    start, end = _start_and_end_sources(evidence(record_id))
    assert start and end, f"{record_id}: no citation names date_start or date_end"
    assert not start & end, f"{record_id}: one source stands for both ends: {start & end}"


def test_without_the_fields_the_terms_have_no_dated_sources(tmp_path: Path) -> None:
    """The shipped check above rests on citations.fields: blank the column and it has nothing."""
    package = tmp_path / "package"
    shutil.copytree(SHIPPED, package)
    path = package / "data" / "citations.csv"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        rows = [{**row, "fields": ""} for row in reader]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    regenerate(package)
    for record_id in TERMS_DATED_BY_TWO_SOURCES:
        found = evidence(record_id, path=package)
        assert list(found) == [None]
        assert _start_and_end_sources(found) == (set(), set())
