"""The contract's tables and columns as the loaders need them, without importing the models.

models.py is the source of truth, but importing it builds every Pydantic model (~0.1 s, more
than all the rest of a small load()). What typing a table needs of it (each table's columns in
order, with their Table Schema type, whether required, description and, for a vocabulary, the
whole vocabulary) is already written out by `iran-syria schemas` into the shipped
datapackage.json, so the loaders read it from there. test_schema keeps that descriptor current
with the models, and test_load checks that these columns equal the models' field specs.

It is the shipped descriptor that is read, not that of the package being loaded: a package is
typed by the contract, whatever its own descriptor says (the validator reports a stale one).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from ._locate import DESCRIPTOR, shipped_package_dir

#: The status of a current record (models.Status.ACTIVE); any other status hides the record.
ACTIVE = "active"


@dataclass(frozen=True)
class Column:
    """One column of a table: the part of schema.FieldSpec that typing a table needs."""

    name: str
    datatype: str  # Table Schema type: string | integer | number | date | boolean
    required: bool
    description: str
    enum: tuple[str, ...] | None = None  # the whole vocabulary of a vocabulary column


@dataclass(frozen=True)
class Table:
    """One table of the contract: its columns in CSV order."""

    name: str
    description: str
    columns: tuple[Column, ...]

    def has_column(self, name: str) -> bool:
        return any(column.name == name for column in self.columns)


@cache
def tables() -> Mapping[str, Table]:
    """Every table of the contract, in the models' order (the descriptor lists them so)."""
    path = shipped_package_dir() / DESCRIPTOR
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    # Read-only: one cached mapping is shared by every caller.
    return MappingProxyType(
        {resource["name"]: _table(resource) for resource in descriptor["resources"]}
    )


def _table(resource: dict[str, Any]) -> Table:
    columns = []
    for field in resource["schema"]["fields"]:
        constraints = field.get("constraints", {})
        enum = constraints.get("enum")
        columns.append(
            Column(
                name=field["name"],
                datatype=field["type"],
                required=bool(constraints.get("required", False)),
                description=field.get("description", ""),
                enum=tuple(enum) if enum is not None else None,
            )
        )
    return Table(
        name=resource["name"],
        description=resource.get("description", ""),
        columns=tuple(columns),
    )
