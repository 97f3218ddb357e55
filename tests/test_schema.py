"""Generated files: current, derived from the models, valid against the official profiles."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from iran_syria import schema
from iran_syria.models import TABLES, Event

from .conftest import INVALID, ROOT, SHIPPED, VALID

PROFILES = ROOT / "src" / "iran_syria" / "profiles"


def test_generated_files_are_current() -> None:
    assert schema.stale_files(SHIPPED, ROOT / "schemas") == []


def test_editing_a_model_without_regenerating_is_caught(tmp_path: Path) -> None:
    """Edit models.py in a copy of the source, as a contributor would: --check exits 1."""
    import os
    import shutil
    import subprocess
    import sys

    source = tmp_path / "src"
    shutil.copytree(ROOT / "src", source)
    models_file = source / "iran_syria" / "models.py"
    text = models_file.read_text()
    edited = text.replace(
        'description="A short neutral headline."', 'description="A short headline."'
    )
    assert edited != text
    models_file.write_text(edited)
    command = [
        sys.executable,
        "-m",
        "iran_syria",
        "schemas",
        "--check",
        "--package",
        str(SHIPPED),
        "--schemas-dir",
        str(ROOT / "schemas"),
    ]
    environment = {**os.environ, "PYTHONPATH": str(source)}
    edited_run = subprocess.run(
        command, env=environment, capture_output=True, text=True, check=False
    )
    assert edited_run.returncode == 1, edited_run.stdout + edited_run.stderr
    stale = {
        line.rsplit("/", 1)[-1]
        for line in edited_run.stdout.splitlines()
        if line.startswith("stale: ")
    }
    assert stale == {
        "datapackage.json",
        "CODEBOOK.md",
        "events.tableschema.json",
        "events.schema.json",
    }
    models_file.write_text(text)
    clean_run = subprocess.run(
        command, env=environment, capture_output=True, text=True, check=False
    )
    assert clean_run.returncode == 0, clean_run.stdout


def test_editing_data_without_regenerating_is_caught(tmp_path: Path) -> None:
    import shutil

    package = tmp_path / "package"
    shutil.copytree(VALID, package)
    (package / "data" / "sources.csv").write_text(
        (package / "data" / "sources.csv").read_text().replace("Example Press", "Other Press")
    )
    assert package / "datapackage.json" in schema.stale_files(package, tmp_path / "schemas")


def test_descriptor_is_a_valid_data_package_2() -> None:
    """Checked against the official JSON Schema profile, independent of any implementation."""
    profile = json.loads((PROFILES / "datapackage-2.0.json").read_text())
    descriptor = json.loads((SHIPPED / "datapackage.json").read_text())
    jsonschema.Draft7Validator(profile).validate(descriptor)
    assert descriptor["name"] == "iran-syria-relations"
    assert [r["name"] for r in descriptor["resources"]] == list(TABLES)


@pytest.mark.parametrize("table", list(TABLES))
def test_table_schemas_are_valid_table_schema_2(table: str) -> None:
    profile = json.loads((PROFILES / "tableschema-2.0.json").read_text())
    jsonschema.Draft7Validator(profile).validate(schema.table_schema(TABLES[table]))


@pytest.mark.parametrize("table", list(TABLES))
def test_table_schema_mirrors_the_model(table: str) -> None:
    model = TABLES[table]
    generated = schema.table_schema(model)
    assert [f["name"] for f in generated["fields"]] == list(model.model_fields)
    assert generated["primaryKey"] == list(model.primary_key)
    for field in generated["fields"]:
        annotation = model.model_fields[field["name"]]
        assert field["description"] == annotation.description
        assert field.get("constraints", {}).get("required", False) == (
            annotation.is_required() or field["name"] == "status"
        )
        for bound in ("pattern",):
            if bound in field.get("constraints", {}):
                value = field["constraints"][bound]
                assert value.startswith("^") and value.endswith("$"), "patterns are anchored"


def test_vocabulary_fields_carry_the_whole_vocabulary() -> None:
    event_type = next(f for f in schema.table_schema(Event)["fields"] if f["name"] == "event_type")
    assert len(event_type["constraints"]["enum"]) == 16
    assert event_type["categories"] == event_type["constraints"]["enum"]


def test_codebook_lists_every_field_and_problem_code() -> None:
    from iran_syria.errors import PROBLEM_CODES

    text = (SHIPPED / "CODEBOOK.md").read_text()
    for model in TABLES.values():
        for name in model.model_fields:
            assert f"| `{name}` |" in text
    for code in PROBLEM_CODES:
        assert f"| `{code}` |" in text


def test_frictionless_agrees_the_shipped_package_is_valid() -> None:
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(SHIPPED / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.mark.parametrize(
    "case", ["bad-date", "unknown-reference", "duplicate-key", "bad-vocabulary", "hash-mismatch"]
)
def test_frictionless_agrees_these_fixtures_are_invalid(case: str) -> None:
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(INVALID / case / "datapackage.json"))
    assert not report.valid


def test_codebook_crosswalks_precision_to_ucdp_acled_and_wikidata() -> None:
    from iran_syria.models import DatePrecision, EventType, GeoPrecision

    text = schema.codebook()
    assert text == schema.codebook()  # deterministic
    assert "| `day` | 1 | 1 | 11 |" in text
    assert "| `month` | 4 | 3 | 10 |" in text
    assert "| `year` | 5 | no equivalent | 9 |" in text
    assert "| `decade` | no equivalent | no equivalent | 8 |" in text
    assert "| `country` | 6 | no equivalent |" in text
    for mapping in schema.DATE_PRECISION_CROSSWALK.values():
        assert list(mapping) == [word.value for word in DatePrecision]
    for mapping in schema.GEO_PRECISION_CROSSWALK.values():
        assert list(mapping) == [word.value for word in GeoPrecision]
    for event_type in EventType:
        assert f"| `{event_type.value}` | {event_type.definition} |" in text
