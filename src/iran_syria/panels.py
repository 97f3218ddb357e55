"""Panels for international-relations research: dyad-years, state dyad-years and actor-years.

Researchers who model conflict and alignment work at the level of the (directed) dyad-year or
the actor-year and merge other data on Correlates of War (COW) or Gleditsch–Ward (GW) codes, as
peacesciencer and the COW and UCDP files do. panel() builds those units from the active
records: a relation counts in every calendar year it is active on at least one day, an event in
the year of its date_start. The codebook's "Panels" section is the reference for every column.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ._atomic import atomic_file
from ._panel_records import Records, gather
from .models import RELATION_TYPES, EventType, RelationType, Role

if TYPE_CHECKING:
    import pandas as pd

#: The units panel() builds, in the order the export writes them.
UNITS = ("dyad_year", "state_dyad_year", "actor_year")
#: The first year of the default span: the package starts with the 1979 revolution.
FIRST_YEAR = 1979
#: Appended to a relation column's name for its flag column (see unconfirmed()).
UNCONFIRMED_SUFFIX = "_unconfirmed"


@cache  # asked once per row
def relation_columns() -> tuple[str, ...]:
    """One column name per row of the relation_types table, in its order: `<type>_<mode>` for
    the types with modes (supports_weapons, sanctions_terrorist_designation, ...), the type
    alone for the others (part_of, at_war_with, ...)."""
    return tuple(relation_column_labels())


@cache
def relation_column_labels() -> dict[str, str]:
    """Each relation column and how it reads, from the relation_types table's `label`
    ("supports with weapons"), so the panels and the codebook use the contract's words."""
    return {
        (t.value if m is None else f"{t.value}_{m.value}"): spec.label
        for (t, m), spec in RELATION_TYPES.items()
    }


@cache
def event_columns() -> tuple[str, ...]:
    """`events_<category>` for the 16 PLOVER categories, lower case, in vocabulary order."""
    return tuple(f"events_{event_type.value.lower()}" for event_type in EventType)


@cache
def columns(unit: str) -> tuple[str, ...]:
    """The columns of a unit's panel, in order."""
    _check_unit(unit)
    relations = relation_columns()
    flags = tuple(f"{name}{UNCONFIRMED_SUFFIX}" for name in relations)
    if unit == "actor_year":
        roles = tuple(f"events_as_{role.value}" for role in Role)
        counts = tuple(f"relations_{t.value}_{way}" for t in RelationType for way in ("out", "in"))
        return (
            "year",
            "actor_id",
            "actor_name",
            "kind",
            "ccode",
            "gwcode",
            "events",
            *roles,
            *event_columns(),
            *counts,
        )
    ends = ("source_id", "target_id", "source_name", "target_name")
    codes = ("ccode1", "ccode2", "gwcode1", "gwcode2") if unit == "state_dyad_year" else ()
    return ("year", *codes, *ends, *relations, *flags, *event_columns())


def panel(
    unit: str,
    *,
    start: int | None = None,
    end: int | None = None,
    path: str | Path | None = None,
) -> pd.DataFrame:
    """A panel of the active records as a pandas DataFrame, one row per unit and year.

    unit: "dyad_year" (directed pairs of actors), "state_dyad_year" (the same for states, with
    COW and GW codes) or "actor_year". start and end are years, inclusive; the default span
    runs from 1979 to the year of the package's coverage_end. Rows are sorted by year, then
    the actor ids. Integers are Int64, flags boolean and text string: read the exported CSV
    with `pd.read_csv(..., dtype_backend="numpy_nullable")` to get the same dtypes. Retracted
    and merged records are left out and a merged actor's rows go to the actor it was merged
    into, with a HiddenRecordsWarning as load() gives.
    """
    _check_unit(unit)
    _check_years(start, end)  # before reading, so misuse costs nothing and warns of nothing
    records = gather(path, stacklevel=3)
    return _build(unit, records, *_span(records, start, end))


def write_panels(folder: Path, path: str | Path | None = None) -> list[Path]:
    """Write every panel into `folder` as <unit>.csv and <unit>.parquet; return the files."""
    records = gather(path, stacklevel=4)
    first, last = _span(records, None, None)
    written = []
    for unit in UNITS:
        frame = _build(unit, records, first, last)
        csv_target = folder / f"{unit}.csv"
        with atomic_file(csv_target) as temporary:
            frame.to_csv(temporary, index=False, lineterminator="\n")
        parquet_target = folder / f"{unit}.parquet"
        with atomic_file(parquet_target) as temporary:
            frame.to_parquet(temporary, index=False)
        written += [csv_target, parquet_target]
    return written


# ---------------------------------------------------------------------------------------------


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")


def _check_years(start: object, end: object) -> None:
    for name, value in (("start", start), ("end", end)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValueError(f"{name} must be a year (an int), not {value!r}")


def _span(records: Records, start: int | None, end: int | None) -> tuple[int, int]:
    first = FIRST_YEAR if start is None else start
    last = records.last_year if end is None else end
    if first > last:
        raise ValueError(f"start {first} is after end {last}")
    return first, last


def _build(unit: str, records: Records, first: int, last: int) -> pd.DataFrame:
    if unit == "actor_year":
        rows = _actor_years(records, first, last)
    else:
        rows = _dyad_years(records, first, last, states_only=unit == "state_dyad_year")
    return _frame(unit, rows)


#: One dyad-year as it is filled in: relation column -> "all its evidence is weak" so far.
_Cell = tuple[dict[str, bool], Counter[str]]


def _dyad_years(
    records: Records, first: int, last: int, *, states_only: bool
) -> list[dict[str, object]]:
    cells: dict[tuple[int, str, str], _Cell] = {}

    def cell(year: int, source: str, target: str) -> _Cell:
        return cells.setdefault((year, source, target), ({}, Counter()))

    for edge in records.relations:
        for year in range(max(edge.first_year, first), min(edge.last_year, last) + 1):
            pairs = [(edge.source, edge.target)]
            if edge.symmetric:  # stored once, holds both ways
                pairs.append((edge.target, edge.source))
            for source, target in pairs:
                evidence = cell(year, source, target)[0]
                evidence[edge.column] = evidence.get(edge.column, True) and edge.unconfirmed
    for event in records.events:
        if first <= event.year <= last:
            for source in event.roles.get("source", ()):
                for target in event.roles.get("target", ()):
                    if source != target:
                        cell(event.year, source, target)[1][event.column] += 1
    rows = []
    for (year, source, target), (evidence, counts) in sorted(cells.items()):
        row: dict[str, object] = {"year": year}
        if states_only:
            if not (records.kinds[source] == records.kinds[target] == "state"):
                continue
            ccodes = (records.code(source, "cow", year), records.code(target, "cow", year))
            if None in ccodes:
                continue  # outside the COW system that year: the state panel leaves it out
            row.update(ccode1=ccodes[0], ccode2=ccodes[1])
            row.update(
                gwcode1=records.code(source, "gw", year), gwcode2=records.code(target, "gw", year)
            )
        row.update(
            source_id=source,
            target_id=target,
            source_name=records.names[source],
            target_name=records.names[target],
        )
        for name in relation_columns():
            row[name] = name in evidence
            row[f"{name}{UNCONFIRMED_SUFFIX}"] = evidence.get(name, False)
        row.update({name: counts[name] for name in event_columns()})
        rows.append(row)
    return rows


def _actor_years(records: Records, first: int, last: int) -> list[dict[str, object]]:
    counts: dict[tuple[int, str], Counter[str]] = {}
    for edge in records.relations:
        for year in range(max(edge.first_year, first), min(edge.last_year, last) + 1):
            ends = [(edge.source, "out"), (edge.target, "in")]
            if edge.symmetric:  # each end is both
                ends += [(edge.source, "in"), (edge.target, "out")]
            for actor, way in ends:
                counts.setdefault((year, actor), Counter())[f"relations_{edge.type}_{way}"] += 1
    for event in records.events:
        if not first <= event.year <= last:
            continue
        for role, actors in event.roles.items():
            for actor in actors:
                counts.setdefault((event.year, actor), Counter())[f"events_as_{role}"] += 1
        for actor in set().union(*event.roles.values()):
            tally = counts[(event.year, actor)]
            tally["events"] += 1
            tally[event.column] += 1
    rows = []
    for (year, actor), tally in sorted(counts.items()):
        state = records.kinds[actor] == "state"
        row: dict[str, object] = {
            "year": year,
            "actor_id": actor,
            "actor_name": records.names[actor],
            "kind": records.kinds[actor],
            "ccode": records.code(actor, "cow", year) if state else None,
            "gwcode": records.code(actor, "gw", year) if state else None,
        }
        row.update({name: tally[name] for name in columns("actor_year")[6:]})
        rows.append(row)
    return rows


def _frame(unit: str, rows: list[dict[str, object]]) -> pd.DataFrame:
    """The rows as a DataFrame with nullable dtypes: Int64, boolean and string."""
    import pandas as pd

    names = columns(unit)
    text = {"source_id", "target_id", "source_name", "target_name", "actor_id", "actor_name"}
    flags = set(relation_columns()) | {n for n in names if n.endswith(UNCONFIRMED_SUFFIX)}
    dtypes = {
        name: "string" if name in text | {"kind"} else "boolean" if name in flags else "Int64"
        for name in names
    }
    return pd.DataFrame.from_records(rows, columns=list(names)).astype(dtypes)
