"""Load the tables: as typed pandas DataFrames, or as Pydantic records.

Both read the package shipped with the library by default, offline, and check every file's
sha256 against the descriptor before trusting a byte of it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._locate import DESCRIPTOR, resolve_package_dir, resource_file
from ._read import parse_csv
from .errors import IntegrityError, InvalidPackageError, UnknownTableError
from .models import ID_PREFIXES, TABLES, Record, Status
from .schema import field_specs

if TYPE_CHECKING:
    import pandas as pd


class HiddenRecordsWarning(UserWarning):
    """Retracted or merged records were left out of a load (pass include_retracted=True)."""


#: For tables without a status, the column naming the record each row belongs to.
_OWNER_COLUMN = {
    "actor_aliases": "actor_id",
    "event_actors": "event_id",
    "external_ids": "record_id",
    "citations": "record_id",
}


def load(
    table: str, *, include_retracted: bool = False, path: str | Path | None = None
) -> pd.DataFrame:
    """One table as a pandas DataFrame with the declared dtypes.

    Dates are datetime64, vocabularies categoricals carrying their whole vocabulary, counts
    nullable Int64, text the pandas string dtype. Retracted and merged records (and the rows
    that belong to them) are left out unless include_retracted is True; a HiddenRecordsWarning
    says how many. `path` is a package folder; the default is the shipped package.
    """
    import pandas as pd

    model = _model(table)
    package_dir, descriptor = _open(path)
    data = _verified_bytes(package_dir, descriptor, table)
    specs = field_specs(model)
    dtypes: dict[str, Any] = {}
    for spec in specs:
        if spec.datatype == "integer":
            dtypes[spec.name] = "Int64"
        elif spec.datatype == "number":
            dtypes[spec.name] = "float64"
        else:
            dtypes[spec.name] = pd.StringDtype()
    # keep_default_na=False: only an empty cell is missing; "NA" (Namibia) or "None" are text.
    frame = pd.read_csv(
        io.BytesIO(data),
        dtype=dtypes,
        keep_default_na=False,
        na_values=[""],
        encoding="utf-8",
    )
    for spec in specs:
        if spec.datatype == "date":
            frame[spec.name] = pd.to_datetime(frame[spec.name], format="%Y-%m-%d")
        elif spec.vocabulary is not None:
            raw = frame[spec.name]
            categorical = pd.Categorical(raw, categories=list(spec.enum or ()))
            unknown = raw.notna() & pd.isna(categorical)
            if unknown.any():
                raise InvalidPackageError(
                    f"{table}.{spec.name}: {raw[unknown].iloc[0]!r} is not in the vocabulary; "
                    "run `iran-syria validate` on the package",
                    [],
                )
            frame[spec.name] = categorical
    if include_retracted:
        return frame
    hidden = _hidden_ids(package_dir, descriptor, table)
    if "status" in frame.columns:
        keep = frame["status"] == Status.ACTIVE.value
    else:
        keep = ~frame[_OWNER_COLUMN[table]].isin(hidden)
    dropped = int((~keep).sum())
    if dropped:
        _warn_hidden(table, dropped, stacklevel=3)
        frame = frame[keep].reset_index(drop=True)
    return frame


@dataclass
class Package:
    """Every table of a package as typed records, with the descriptor."""

    descriptor: dict[str, Any]
    tables: dict[str, list[Record]] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))

    def __getitem__(self, table: str) -> list[Record]:
        if table not in self.tables:
            raise UnknownTableError(_unknown_table_message(table))
        return self.tables[table]

    def __getattr__(self, table: str) -> list[Record]:
        tables = self.__dict__.get("tables", {})
        if table in tables:
            return tables[table]  # type: ignore[no-any-return]
        raise AttributeError(table)


def load_package(path: str | Path | None = None, *, include_retracted: bool = False) -> Package:
    """Every table as lists of Pydantic records (package.events, package["actors"], ...).

    Raises InvalidPackageError, with the located problems, when a row breaks the models; run
    `iran-syria validate` for the cross-table rules.
    """
    package_dir, descriptor = _open(path)
    package = Package(descriptor=descriptor)
    for table, model in TABLES.items():
        data = _verified_bytes(package_dir, descriptor, table)
        parsed = parse_csv(table, str(resource_file(package_dir, descriptor, table)), data)
        header = parsed.header or []
        try:
            if parsed.problems:
                raise ValueError(parsed.problems[0].message)
            package.tables[table] = [
                model.model_validate(
                    {name: (value or None) for name, value in zip(header, row.cells, strict=True)}
                )
                for row in parsed.records
            ]
        except ValueError:  # pydantic's ValidationError too: let the validator locate it all
            from .validate import validate_package

            report = validate_package(package_dir)
            shown = "\n".join(str(problem) for problem in report.errors[:10])
            raise InvalidPackageError(
                f"{report.summary()}\n{shown}\nrun `iran-syria validate {package_dir}` for all",
                report.errors,
            ) from None
    if not include_retracted:
        _hide_records(package)
    return package


# ---------------------------------------------------------------------------------------------


def _model(table: str) -> type[Record]:
    if table not in TABLES:
        raise UnknownTableError(_unknown_table_message(table))
    return TABLES[table]


def _unknown_table_message(table: str) -> str:
    return f"no table {table!r}; the tables are {', '.join(TABLES)}"


def _open(path: str | Path | None) -> tuple[Path, dict[str, Any]]:
    package_dir = resolve_package_dir(path)
    descriptor = json.loads((package_dir / DESCRIPTOR).read_text(encoding="utf-8"))
    if not isinstance(descriptor, dict):
        raise IntegrityError(f"{package_dir / DESCRIPTOR}: not a JSON object")
    return package_dir, descriptor


def _verified_bytes(package_dir: Path, descriptor: dict[str, Any], table: str) -> bytes:
    """The file's bytes, read once and checked against the descriptor's sha256 and size."""
    file_path = resource_file(package_dir, descriptor, table)
    data = file_path.read_bytes()
    resource = next(r for r in descriptor["resources"] if r.get("name") == table)
    declared = str(resource.get("hash", ""))
    if not declared.lower().startswith("sha256:"):
        raise IntegrityError(
            f"{file_path}: the descriptor declares no sha256 hash to check it against"
        )
    if hashlib.sha256(data).hexdigest() != declared.split(":", 1)[1].lower():
        raise IntegrityError(
            f"{file_path}: sha256 differs from the descriptor; the file was changed or damaged. "
            "Reinstall the package, or run `iran-syria schemas` if you edited it on purpose"
        )
    return data


def _hidden_ids(package_dir: Path, descriptor: dict[str, Any], table: str) -> set[str]:
    """Ids of retracted or merged records in the tables that `table`'s rows belong to."""
    owner = _OWNER_COLUMN.get(table)
    if owner is None:
        return set()
    owners = {"actor_id": ["actors"], "event_id": ["events"]}.get(owner, list(ID_PREFIXES.values()))
    hidden: set[str] = set()
    for owner_table in owners:
        if "status" not in TABLES[owner_table].model_fields:
            continue
        data = _verified_bytes(package_dir, descriptor, owner_table)
        for row in csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")):
            if row.get("status") != Status.ACTIVE.value:
                hidden.add(row.get("id", ""))
    return hidden


def _hide_records(package: Package) -> None:
    hidden: set[str] = set()
    for records in package.tables.values():
        if records and hasattr(records[0], "status"):
            hidden |= {r.id for r in records if r.status is not Status.ACTIVE}  # type: ignore[attr-defined]
    for table, records in package.tables.items():
        owner = _OWNER_COLUMN.get(table, "id")
        kept = [r for r in records if getattr(r, owner) not in hidden]
        if len(kept) != len(records):
            _warn_hidden(table, len(records) - len(kept), stacklevel=4)
            package.tables[table] = kept


def _warn_hidden(table: str, count: int, stacklevel: int) -> None:
    warnings.warn(
        f"{table}: {count} retracted or merged rows hidden; pass include_retracted=True to see them",
        HiddenRecordsWarning,
        stacklevel=stacklevel,
    )
