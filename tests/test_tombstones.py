"""Tombstones: ids never disappear between releases, and merged_into chains resolve."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import iran_syria
from iran_syria.diff import diff
from iran_syria.tombstones import UnresolvedIdError, resolve_id

from .conftest import VALID, regenerate


def _without_line(package: Path, table: str, prefix: str) -> None:
    path = package / "data" / f"{table}.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(prefix)]
    assert len(kept) == len(lines) - 1
    path.write_text("".join(kept), encoding="utf-8")


def test_a_deleted_row_is_reported_removed_and_needs_major(tmp_path: Path) -> None:
    """An id that disappears breaks the tombstone rule, even a retracted record's."""
    new = tmp_path / "new"
    shutil.copytree(VALID, new)
    _without_line(new, "actors", "act-withdrawn,")
    regenerate(new)
    result = diff(VALID, new)
    assert [(c.table, c.label, c.change, c.bump) for c in result.records] == [
        ("actors", "act-withdrawn", "removed", "major")
    ]
    assert result.removed[0].record is not None
    assert result.removed[0].record["status"] == "retracted"
    assert result.bump == "major"
    assert "an id was removed; retract or merge it instead" in result.to_text()


def test_a_merged_id_resolves_to_its_survivor() -> None:
    assert resolve_id(VALID, "act-alpha-old") == "act-alpha"
    assert resolve_id(VALID, "act-alpha") == "act-alpha"


def test_resolve_id_accepts_a_package_loaded_with_its_tombstones() -> None:
    package = iran_syria.load_package(VALID, include_retracted=True)
    assert iran_syria.resolve_id(package, "act-alpha-old") == "act-alpha"


def test_a_retracted_or_unknown_id_does_not_resolve() -> None:
    with pytest.raises(UnresolvedIdError, match="act-withdrawn: retracted"):
        resolve_id(VALID, "act-withdrawn")
    with pytest.raises(UnresolvedIdError, match="act-nobody: no such id"):
        resolve_id(VALID, "act-nobody")


def _chain(tmp_path: Path, rows: str) -> Path:
    package = tmp_path / "chain"
    shutil.copytree(VALID, package)
    with (package / "data" / "actors.csv").open("a", encoding="utf-8") as handle:
        handle.write(rows)
    regenerate(package)
    return package


def test_a_chain_of_merges_is_followed(tmp_path: Path) -> None:
    package = _chain(
        tmp_path,
        "act-one,One,state,,Merged twice.,,,merged,act-two\n"
        "act-two,Two,state,,Merged once.,,,merged,act-beta\n",
    )
    assert resolve_id(package, "act-one") == "act-beta"


def test_a_loop_of_merges_is_detected(tmp_path: Path) -> None:
    package = _chain(
        tmp_path,
        "act-one,One,state,,Loops.,,,merged,act-two\nact-two,Two,state,,Loops.,,,merged,act-one\n",
    )
    with pytest.raises(UnresolvedIdError, match="loops \\(act-one -> act-two -> act-one\\)"):
        resolve_id(package, "act-one")


def test_a_merge_into_nothing_is_reported(tmp_path: Path) -> None:
    package = _chain(tmp_path, "act-one,One,state,,Dangles.,,,merged,act-gone\n")
    with pytest.raises(UnresolvedIdError, match="merged into act-gone, which does not exist"):
        resolve_id(package, "act-one")
