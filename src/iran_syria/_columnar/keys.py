"""Keys, references and statuses across tables, over integer codes."""

from __future__ import annotations

import functools

import numpy as np
import pyarrow.compute as pc

from ..models import (
    Status,
)
from ._common import _CODE, _Coded, _np, parallel
from .ids import Columns, Report, _codes, _first_of_codes, _Hints, _Ids, _Probe


def _key_codes(
    columns: Columns, name: str, by_column: dict[tuple[str, str], list[_Probe]]
) -> tuple[np.ndarray, int]:
    """Integer codes of one key column (-1 where empty) and an upper bound of the codes."""
    probes = by_column.get((columns.table, name))
    if probes is None:
        distinct, codes = _codes(columns.filled(name))
        blank = np.flatnonzero(_np(pc.equal(distinct, "")))
        if len(blank):
            codes = np.where(codes == int(blank[0]), -1, codes)
        return codes, len(distinct)
    codes = np.full(columns.rows, -1, dtype=_CODE)
    for probe in probes:
        codes[probe.rows] = probe.codes
    return codes, int(codes.max(initial=-1)) + 1


def _check_keys(
    tables: dict[str, Columns],
    ids: dict[str, _Ids],
    by_column: dict[tuple[str, str], list[_Probe]],
    report: Report,
) -> None:
    from ..models import TABLES

    def repeated(name: str, key: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
        if key == ("id",) and name in ids:
            codes, first_row = ids[name].row_codes, ids[name].first_row
            repeats = np.flatnonzero((codes >= 0) & ~_first_of_codes(codes))
            return repeats, first_row[codes[repeats]]
        return _repeated_keys(tables[name], key, by_column)

    keys = [
        (name, key)
        for name, model in TABLES.items()
        if name in tables
        for key in (model.primary_key, *model.unique_keys)
    ]
    # The keys are independent sorts, which numpy runs without the GIL: on every core.
    found = parallel(
        [functools.partial(repeated, name, key) for name, key in keys],
        sum(columns.rows for columns in tables.values()),
    )
    for (name, key), (repeats, earlier_rows) in zip(keys, found, strict=True):
        columns = tables[name]
        for row, earlier in zip(repeats.tolist(), earlier_rows.tolist(), strict=True):
            shown = ", ".join(f"{c}={columns.cell(c, row)}" for c in key)
            report(
                name,
                row,
                key[0],
                "duplicate-key",
                f"({shown}) is already used on line {int(columns.lines[earlier])}",
            )


def _repeated_keys(
    columns: Columns, key: tuple[str, ...], by_column: dict[tuple[str, str], list[_Probe]]
) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose (all non-empty) key repeats an earlier row's, and that earlier row."""
    combined = np.zeros(columns.rows, dtype=np.int64)
    eligible = np.ones(columns.rows, dtype=bool)
    for name in key:
        codes, size = _key_codes(columns, name, by_column)
        eligible &= codes >= 0
        if len(combined) and int(combined.max()) * max(size, 1) >= 2**62:
            # renumber before the product could overflow
            combined = np.unique(combined, return_inverse=True)[1].astype(np.int64).ravel()
        combined = combined * max(size, 1) + np.maximum(codes, 0)
    rows = np.flatnonzero(eligible)
    combined = combined[rows]
    ordered = np.sort(combined)
    if not (ordered[1:] == ordered[:-1]).any():
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    _, first_index, inverse = np.unique(combined, return_index=True, return_inverse=True)
    first = first_index[inverse.ravel()]
    repeats = np.flatnonzero(first != np.arange(len(rows)))
    return rows[repeats], rows[first[repeats]]


def _rows_in(ids: _Ids, found: np.ndarray) -> np.ndarray:
    """The first row with each found id (-1 where not found)."""
    if len(ids.first_row) == 0:  # a table with no id read (its header broken): nothing found
        return np.full(len(found), -1, dtype=np.int64)
    return np.where(found >= 0, ids.first_row[np.maximum(found, 0)], -1)


def _check_references(
    ids: dict[str, _Ids], probes: list[_Probe], report: Report, hints: _Hints
) -> None:
    for probe in probes:
        if probe.target is None or probe.target not in ids:
            continue  # no table by that prefix, or the table could not be read
        for position in np.flatnonzero(probe.found < 0).tolist():
            value = probe.values[position].as_py()
            report(
                probe.table,
                int(probe.rows[position]),
                probe.column,
                "unknown-reference",
                f"{value!r} is not an id in {probe.target}{hints(value, probe.target)}",
            )


def _check_status_references(
    tables: dict[str, Columns],
    ids: dict[str, _Ids],
    by_column: dict[tuple[str, str], list[_Probe]],
    report: Report,
) -> None:
    active, retracted = Status.ACTIVE.value, Status.RETRACTED.value
    # merged_into must name an active record of the same table (checked on each id's first row)
    for name in ("actors", "events", "relations"):
        if name not in ids:
            continue
        for probe in by_column.get((name, "merged_into"), []):
            on_first_row = np.isin(probe.rows, ids[name].first_row)
            target_rows = _rows_in(ids[name], probe.found)
            for position in np.flatnonzero(on_first_row & (target_rows >= 0)).tolist():
                state = tables[name].cell("status", int(target_rows[position]))
                if state != active:
                    report(
                        name,
                        int(probe.rows[position]),
                        "merged_into",
                        "bad-merge",
                        f"{probe.values[position].as_py()} is {state}, not active",
                    )

    if "actors" not in ids:
        return
    actor_state = _Coded(tables["actors"].filled("status"))
    inactive_actor = actor_state.isin([retracted, Status.MERGED.value])
    if not inactive_actor.any():
        return  # no reference can point at a retracted or merged actor
    survivors = tables["actors"].filled("merged_into")

    def refer(name: str, column: str, of_active: np.ndarray) -> None:
        for probe in by_column.get((name, column), []):
            target_rows = _rows_in(ids["actors"], probe.found)
            known = target_rows >= 0
            hit = known & of_active[probe.rows]
            hit[known] &= inactive_actor[target_rows[known]]
            for position in np.flatnonzero(hit).tolist():
                target_row = int(target_rows[position])
                target = probe.values[position].as_py()
                row = int(probe.rows[position])
                if actor_state.value(target_row) == retracted:
                    report(name, row, column, "retracted-reference", f"{target} is retracted")
                else:
                    survivor = survivors[target_row].as_py()
                    report(
                        name, row, column, "merged-reference", f"{target} is merged into {survivor}"
                    )

    if "relations" in tables:
        relation_active = _np(pc.equal(tables["relations"].cells.column("status"), active))
        refer("relations", "source_id", relation_active)
        refer("relations", "target_id", relation_active)
    if "event_actors" in tables and "events" in ids:
        event_active = _np(pc.equal(tables["events"].filled("status"), active))
        of_active = np.zeros(tables["event_actors"].rows, dtype=bool)
        for probe in by_column.get(("event_actors", "event_id"), []):
            event_rows = _rows_in(ids["events"], probe.found)
            known = event_rows >= 0
            of_active[probe.rows[known]] = event_active[event_rows[known]]
        refer("event_actors", "actor_id", of_active)
