"""Loaders: typed DataFrames and records, hash-checked, tombstones hidden and counted."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

import iran_syria
from iran_syria import (
    HiddenRecordsWarning,
    IntegrityError,
    UnknownTableError,
    _contract,
    load,
    load_package,
)
from iran_syria.models import TABLES, EventType, Status
from iran_syria.schema import field_specs

from .conftest import VALID, assert_leaves_unimported, regenerate


def test_events_have_declared_dtypes() -> None:
    events = load("events", path=VALID)
    assert pd.api.types.is_datetime64_any_dtype(events["date_start"])
    assert pd.api.types.is_datetime64_any_dtype(events["date_end"])
    assert str(events["fatalities_best"].dtype) == "Int64"
    assert events["latitude"].dtype == "float64"
    assert isinstance(events["title"].dtype, pd.StringDtype)
    assert events.loc[events["id"] == "evt-2020-01-03-delta-killed", "fatalities_best"].item() == 5
    assert events["fatalities_best"].isna().sum() == 2


def test_categoricals_carry_the_whole_vocabulary() -> None:
    events = load("events", path=VALID)
    assert list(events["event_type"].cat.categories) == [t.value for t in EventType]
    assert events["event_type"].value_counts()["SANCTION"] == 0


def test_retracted_and_merged_rows_are_hidden_and_counted() -> None:
    with pytest.warns(HiddenRecordsWarning, match="actors: 2 retracted or merged rows hidden"):
        actors = load("actors", path=VALID)
    assert set(actors["status"]) == {Status.ACTIVE.value}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        everything = load("actors", path=VALID, include_retracted=True)
    assert len(everything) == len(actors) + 2


def test_rows_of_hidden_records_are_hidden_too() -> None:
    with pytest.warns(
        HiddenRecordsWarning, match="2 rows of citations belong to retracted or merged records"
    ):
        citations = load("citations", path=VALID)
    assert "act-withdrawn" not in set(citations["record_id"])


def test_text_na_stays_text(valid_copy: Path) -> None:
    aliases = valid_copy / "data" / "actor_aliases.csv"
    aliases.write_text(aliases.read_text() + "act-alpha,NA,,acronym\nact-alpha,None,,other_name\n")
    regenerate(valid_copy)
    loaded = load("actor_aliases", path=valid_copy)
    assert {"NA", "None"} <= set(loaded["alias"])


def test_a_changed_byte_is_refused(valid_copy: Path) -> None:
    events = valid_copy / "data" / "events.csv"
    events.write_bytes(events.read_bytes().replace(b"Baghdad", b"Bagdad"))
    with pytest.raises(IntegrityError, match="sha256 differs"):
        load("events", path=valid_copy)
    with pytest.raises(IntegrityError):
        load_package(valid_copy)


def test_unknown_table_names_the_tables() -> None:
    with pytest.raises(UnknownTableError, match="the tables are sources, actors"):
        load("event")


def test_load_package_gives_typed_records() -> None:
    with pytest.warns(HiddenRecordsWarning):
        package = load_package(VALID)
    assert {name: len(rows) for name, rows in package.tables.items()}["actors"] == 4
    event = next(e for e in package.events if e.id == "evt-2020-01-03-delta-killed")
    assert event.event_type is EventType.ASSAULT
    assert event.fatalities_high == 10
    assert package["relations"] == package.relations
    assert set(package.tables) == set(TABLES)


def test_load_package_reports_invalid_rows_with_locations(valid_copy: Path) -> None:
    events = valid_copy / "data" / "events.csv"
    events.write_text(
        events.read_text().replace("2020-01-03,2020-01-03,day", "2020-02-30,2020-01-03,day")
    )
    regenerate(valid_copy)
    with pytest.raises(iran_syria.InvalidPackageError) as caught:
        load_package(valid_copy)
    assert [(p.table, p.line, p.code) for p in caught.value.problems] == [("events", 3, "bad-date")]


@pytest.mark.filterwarnings("ignore::iran_syria.loaders.HiddenRecordsWarning")
def test_the_shipped_package_loads_offline_and_matches_the_version() -> None:
    package = load_package()
    assert package.version == iran_syria.__version__
    assert len(load("events")) == len(package.events)


def test_the_loaders_contract_is_the_models() -> None:
    """load() types columns from the shipped descriptor: it must say what the models say."""
    contract = _contract.tables()
    assert list(contract) == list(TABLES)
    for name, model in TABLES.items():
        assert contract[name].description == model.table_description
        assert contract[name].columns == tuple(
            _contract.Column(spec.name, spec.datatype, spec.required, spec.description, spec.enum)
            for spec in field_specs(model)
        )
    assert Status.ACTIVE.value == _contract.ACTIVE


def test_load_types_columns_by_the_contract_not_the_packages_descriptor(
    valid_copy: Path,
) -> None:
    descriptor_file = valid_copy / "datapackage.json"
    descriptor = json.loads(descriptor_file.read_text(encoding="utf-8"))
    events = next(r for r in descriptor["resources"] if r["name"] == "events")
    latitude = next(f for f in events["schema"]["fields"] if f["name"] == "latitude")
    latitude["type"] = "string"
    descriptor_file.write_text(json.dumps(descriptor), encoding="utf-8")
    assert load("events", path=valid_copy)["latitude"].dtype == "float64"


def test_load_and_dyads_never_import_the_models() -> None:
    """Importing the Pydantic models costs ~0.1 s, more than the rest of a small load()."""
    code = (
        "import warnings, iran_syria\n"
        "from iran_syria import _contract\n"
        "warnings.simplefilter('ignore')\n"
        "for table in _contract.tables():\n"
        "    for backend in ('pandas', 'polars', 'arrow'):\n"
        "        iran_syria.load(table, backend)\n"
        "iran_syria.dyads()\n"
    )
    assert_leaves_unimported(code, ("iran_syria.models", "iran_syria.schema", "pydantic"))


def test_load_package_names_only_tables_with_a_status() -> None:
    with pytest.warns(HiddenRecordsWarning) as caught:
        load_package(VALID)
    messages = [str(w.message) for w in caught]
    assert any(m.startswith("actors: 2 retracted or merged rows hidden") for m in messages)
    assert not any("citations" in m or "actor_aliases" in m for m in messages), messages
