"""The project agrees with itself: versions, README commands, CI, and the shipped tables."""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter

import pytest

import iran_syria
from iran_syria.cli import _parser
from iran_syria.models import ID_PREFIXES, TABLES
from iran_syria.validate import validate_package

from .conftest import ROOT, SHIPPED

README = (ROOT / "README.md").read_text()


def _readme_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", README)


def test_versions_agree() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    descriptor = json.loads((SHIPPED / "datapackage.json").read_text())["version"]
    changelog = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", (ROOT / "CHANGELOG.md").read_text(), re.M)[0]
    assert pyproject == descriptor == changelog == iran_syria.__version__
    assert f"version {pyproject}" in README


def test_readme_starts_with_the_two_setup_commands() -> None:
    install, tests = _readme_commands()[:2]
    assert install.endswith("iran-syria validate")
    assert tests.endswith("python -m pytest") and ".[test]" in tests


def test_ci_runs_the_readme_test_command() -> None:
    assert _readme_commands()[1] in (ROOT / ".ci" / "run").read_text()


def test_every_command_is_documented() -> None:
    commands = _parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name in commands:
        assert f"`iran-syria {name}" in README, name


@pytest.mark.filterwarnings("ignore::iran_syria.loaders.HiddenRecordsWarning")  # by design
def test_readme_python_examples_run() -> None:
    for block in re.findall(r"```python\n(.+?)```", README, re.S):
        exec(compile(block.replace('"datapackage"', repr(str(SHIPPED))), "README", "exec"), {})


# Invariants of the shipped package, table by table -------------------------------------------


@pytest.mark.parametrize("table", list(TABLES))
def test_shipped_header_equals_model_fields(table: str) -> None:
    header = (SHIPPED / "data" / f"{table}.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    assert header.split(",") == list(TABLES[table].model_fields)


@pytest.mark.parametrize("table", list(TABLES))
def test_shipped_keys_are_unique(table: str) -> None:
    package = iran_syria.load_package(include_retracted=True)
    model = TABLES[table]
    keys = Counter(tuple(getattr(r, c) for c in model.primary_key) for r in package[table])
    assert [key for key, count in keys.items() if count > 1] == []


@pytest.mark.parametrize("table", list(TABLES))
def test_shipped_references_resolve(table: str) -> None:
    package = iran_syria.load_package(include_retracted=True)
    ids = {name: {r.id for r in package[name]} for name in ID_PREFIXES.values()}  # type: ignore[attr-defined]
    model = TABLES[table]
    for record in package[table]:
        for key in model.foreign_keys:
            value = getattr(record, key.field)
            assert value is None or value in ids[key.table], (table, key.field, value)
        if table in ("citations", "external_ids"):
            assert record.record_id in ids[ID_PREFIXES[record.record_id[:3]]]  # type: ignore[attr-defined]


def test_every_actor_event_and_relation_is_cited_with_a_locator() -> None:
    package = iran_syria.load_package(include_retracted=True)
    cited = {c.record_id for c in package.citations if c.locator}  # type: ignore[attr-defined]
    for table in ("actors", "events", "relations"):
        assert {r.id for r in package[table]} <= cited  # type: ignore[attr-defined]


def test_shipped_package_validates_clean() -> None:
    assert validate_package().problems == []


def test_contributing_examples_are_valid_rows() -> None:
    """Each CSV block in CONTRIBUTING.md has the contract's header and rows the models accept."""
    import csv
    import io

    text = (ROOT / "CONTRIBUTING.md").read_text()
    blocks = re.findall(r"```csv\n(.+?)```", text, re.S)
    assert len(blocks) >= 5
    by_header = {tuple(model.model_fields): model for model in TABLES.values()}
    for block in blocks:
        header, *rows = list(csv.reader(io.StringIO(block)))
        model = by_header[tuple(header)]
        for row in rows:
            model.model_validate({k: (v or None) for k, v in zip(header, row, strict=True)})
