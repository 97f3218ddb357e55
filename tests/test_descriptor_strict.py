"""One descriptor, one meaning: the validator and the loaders read datapackage.json alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from iran_syria import IntegrityError, load
from iran_syria.validate import validate_package

from .conftest import INVALID


@pytest.mark.parametrize(
    "case",
    ["duplicate-json-key", "duplicate-resource", "unsupported-resource", "missing-integrity"],
)
def test_the_validator_reports_and_the_loaders_refuse(case: str) -> None:
    package = INVALID / case
    report = validate_package(package)
    assert case in {problem.code for problem in report.errors}
    with pytest.raises(IntegrityError, match=case):
        load("events", path=package)


def test_a_doctored_copy_listed_first_is_never_valid(valid_copy: Path) -> None:
    descriptor = valid_copy / "datapackage.json"
    text = descriptor.read_text(encoding="utf-8")
    marker = '  "resources": [\n'
    start = text.index('    {\n      "name": "events"')
    end = text.index('    {\n      "name": "event_actors"')
    events_entry = text[start:end]
    doctored = events_entry.replace('"path": "data/events.csv"', '"path": "data/actors.csv"')
    descriptor.write_text(text.replace(marker, marker + doctored, 1), encoding="utf-8")
    report = validate_package(valid_copy)
    assert "duplicate-resource" in {problem.code for problem in report.errors}
    with pytest.raises(IntegrityError, match="duplicate-resource"):
        load("events", path=valid_copy)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(valid_copy: Path, literal: str) -> None:
    descriptor = valid_copy / "datapackage.json"
    text = descriptor.read_text(encoding="utf-8")
    descriptor.write_text(text.replace('"bytes": ', f'"bytes": {literal}, "x": ', 1), "utf-8")
    report = validate_package(valid_copy)
    assert [p.code for p in report.errors] == ["bad-descriptor"]
    assert "is not JSON" in report.errors[0].message
    with pytest.raises(IntegrityError, match="not JSON"):
        load("events", path=valid_copy)
