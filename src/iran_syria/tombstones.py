"""Tombstones: retracted and merged records keep their rows and ids forever; follow them here."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import IranSyriaError

if TYPE_CHECKING:
    from .loaders import Package


class UnresolvedIdError(IranSyriaError, KeyError):
    """An id that leads to no active record: unknown, retracted, or a merge chain that loops."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


def merge_targets(package: Package | str | Path | None = None) -> dict[str, tuple[str, str]]:
    """Every id of the tables with a status, mapped to (status, merged_into or "")."""
    if package is None or isinstance(package, str | Path):
        return _targets_from_files(package)
    targets: dict[str, tuple[str, str]] = {}
    for records in package.tables.values():
        for record in records:
            status = getattr(record, "status", None)
            if status is not None:
                targets[record.id] = (str(status), getattr(record, "merged_into", None) or "")  # type: ignore[attr-defined]
    return targets


def resolve_id(package: Package | str | Path | None, record_id: str) -> str:
    """The id of the active record `record_id` stands for, following merged_into links.

    `package` is a Package loaded with include_retracted=True, or a package folder or bundle
    (None: the shipped one). Raises UnresolvedIdError for an unknown or retracted id, a link to
    nothing, or a chain of merges that loops.
    """
    return follow_merges(merge_targets(package), record_id)


def follow_merges(targets: dict[str, tuple[str, str]], record_id: str) -> str:
    """The active id `record_id` stands for in `targets` (id -> (status, merged_into)), as
    resolve_id; the loaders call this on the rows they already hold."""
    chain = [record_id]
    while True:
        current = chain[-1]
        if current not in targets:
            if len(chain) == 1:
                raise UnresolvedIdError(
                    f"{record_id}: no such id (ids are never removed; is it from another package?"
                    " A Package must be loaded with include_retracted=True)"
                )
            raise UnresolvedIdError(
                f"{record_id}: merged into {current}, which does not exist ({' -> '.join(chain)})"
            )
        status, merged_into = targets[current]
        if status == "active":
            return current
        if status == "retracted":
            via = f" (via {' -> '.join(chain)})" if len(chain) > 1 else ""
            raise UnresolvedIdError(f"{record_id}: retracted{via}; it stands for no record")
        if not merged_into:
            raise UnresolvedIdError(f"{current}: status {status} without merged_into")
        if merged_into in chain:
            raise UnresolvedIdError(
                f"{record_id}: merged_into loops ({' -> '.join([*chain, merged_into])})"
            )
        chain.append(merged_into)


def _targets_from_files(path: str | Path | None) -> dict[str, tuple[str, str]]:
    """Status and merged_into of every record, read from the CSVs without the models."""
    from .diff import _read_release

    release = _read_release(path) if path is not None else _read_release(_shipped())
    targets: dict[str, tuple[str, str]] = {}
    for table in release.tables.values():
        if table.key != ("id",) or "status" not in table.header:
            continue
        for (record_id,), row in table.rows.items():
            targets[record_id] = (row.get("status", ""), row.get("merged_into", ""))
    return targets


def _shipped() -> Path:
    from ._locate import shipped_package_dir

    return shipped_package_dir()
