"""The columns kept for the rules across tables, and the ids and references among them, as integer codes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..models import (
    ID_PREFIXES,
    Record,
)
from ._common import _CODE, _array, _np, parallel


@dataclass
class Columns:
    """One table's cells as Arrow text columns (null: the row had no such cell), with each
    row's physical line and whether it made a clean record (no error of its own)."""

    table: str
    cells: pa.Table
    lines: np.ndarray
    clean: np.ndarray
    #: Rows with too many or too few cells (only the row path reads those): reported once,
    #: so the rules across tables leave them alone. None: the table has none.
    ragged: np.ndarray | None = None

    @classmethod
    def from_rows(cls, table: str, model: type[Record], rows: list[Any]) -> Columns:
        """Columns of the rows the row path read (`validate._Row`: line, cells, record)."""
        cells = pa.table(
            {
                name: pa.array([row.cells.get(name) for row in rows], pa.string())
                for name in model.model_fields
            }
        )
        lines = np.array([row.line for row in rows], dtype=np.int64)
        clean = np.array([row.record is not None for row in rows], dtype=bool)
        ragged = np.array([row.ragged for row in rows], dtype=bool)
        return cls(table, cells, lines, clean, ragged if ragged.any() else None)

    @property
    def rows(self) -> int:
        return int(self.cells.num_rows)

    def filled(self, name: str) -> pa.Array:
        """A column with every missing cell read as empty, as the row path's `cells.get`."""
        return _array(self.cells.column(name))

    def cell(self, name: str, row: int) -> str | None:
        value: str | None = self.cells.column(name)[int(row)].as_py()
        return value


#: The columns the rules across tables read, per table; the rest are dropped once a table's
#: own rules are checked, so memory holds ids, keys and dates, not prose.
ACROSS_COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": ("id",),
    "actors": ("id", "kind", "status", "merged_into", "start_date", "end_date"),
    "actor_aliases": ("actor_id", "alias"),
    "external_ids": ("record_id", "scheme", "value"),
    "events": (
        "id",
        "status",
        "merged_into",
        "event_type",
        "date_start",
        "date_end",
        "date_precision",
    ),
    "event_actors": ("event_id", "actor_id", "role"),
    "relations": (
        "id",
        "source_id",
        "target_id",
        "status",
        "merged_into",
        "relation_type",
        "relation_mode",
        "date_start",
        "start_precision",
        "date_end",
        "end_precision",
    ),
    "citations": ("record_id", "source_id", "locator"),
    "relation_types": ("relation_type", "relation_mode"),
}


Report = Callable[[str, int, str, str, str], None]


_PREFIX_OF = {table: prefix for prefix, table in ID_PREFIXES.items()}


def _codes(column: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """Distinct values (in order of first appearance) and each row's code into them."""
    encoded = pc.dictionary_encode(_array(column))
    return encoded.dictionary, encoded.indices.to_numpy(zero_copy_only=False).astype(_CODE)


def _first_of_codes(codes: np.ndarray) -> np.ndarray:
    """Whether each row is the first with its code (codes numbered by first appearance)."""
    if len(codes) == 0:
        return np.zeros(0, dtype=bool)
    before = np.empty_like(codes)
    before[0] = -1
    np.maximum.accumulate(codes[:-1], out=before[1:])
    return codes > before


@dataclass
class _Ids:
    """The distinct non-empty ids of a table, the first row of each, and each row's id code."""

    values: pa.Array
    first_row: np.ndarray
    row_codes: np.ndarray  # index into values; -1 where the id is empty
    # The group's encoding gave the table's own ids codes 0 .. known-1, the blank id among them
    # (at `blank`, or -1 when no id is blank); `index` turns such codes into indexes of values.
    known: int = 0
    blank: int = -1

    def index(self, raw: np.ndarray) -> np.ndarray:
        """Map raw codes of the group's encoding to indexes among the ids (-1: not an id)."""
        index = np.where(raw < self.known, raw, -1)
        if self.blank < 0:
            return index
        return np.where(index == self.blank, -1, index - (index > self.blank))


@dataclass
class _Probe:
    """The non-empty cells of one referencing column (at `rows`) that point into `target`.

    `found` is each value's index among the target's ids (-1: not one of them); `codes`
    numbers the values so that equal values, and only they, share a code package-wide."""

    table: str
    column: str
    target: str | None
    rows: np.ndarray
    values: pa.Array
    found: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=_CODE))
    codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=_CODE))


#: The referencing columns and the table they point into (None: by the id's prefix).
_REFERENCES = (
    ("actor_aliases", "actor_id", "actors"),
    ("external_ids", "record_id", None),
    ("actors", "merged_into", "actors"),
    ("events", "merged_into", "events"),
    ("event_actors", "event_id", "events"),
    ("event_actors", "actor_id", "actors"),
    ("relations", "source_id", "actors"),
    ("relations", "target_id", "actors"),
    ("relations", "merged_into", "relations"),
    ("citations", "record_id", None),
    ("citations", "source_id", "sources"),
)


def _gather_probes(tables: dict[str, Columns]) -> list[_Probe]:
    probes = []
    for table, column, target in _REFERENCES:
        if table not in tables:
            continue
        values = tables[table].filled(column)
        given = _np(pc.not_equal(values, ""))
        every_row = np.arange(len(values), dtype=_CODE)
        if target is not None:
            probes.append(_subset(_Probe(table, column, target, every_row, values), given))
            continue
        # record_id: the table is named by the id's prefix (what precedes the first "-")
        remaining = given.copy()
        for prefix, named in ID_PREFIXES.items():
            mine = given & (
                _np(pc.starts_with(values, prefix + "-")) | _np(pc.equal(values, prefix))
            )
            remaining &= ~mine
            probes.append(_subset(_Probe(table, column, named, every_row, values), mine))
        probes.append(_subset(_Probe(table, column, None, every_row, values), remaining))
    return probes


def _subset(probe: _Probe, keep: np.ndarray) -> _Probe:
    if keep.all():
        return probe
    rows = np.flatnonzero(keep).astype(_CODE)
    return _Probe(probe.table, probe.column, probe.target, rows, probe.values.take(pa.array(rows)))


def _resolve(tables: dict[str, Columns], probes: list[_Probe]) -> dict[str, _Ids]:
    """Hash each id table together with the references into it, once, on every core.

    One dictionary encoding per target table numbers its ids (first appearance first, so
    repeats and first rows fall out) and, in the same pass, every reference into it."""
    groups: dict[str | None, list[_Probe]] = {name: [] for name in ID_PREFIXES.values()}
    for probe in probes:
        groups.setdefault(probe.target, []).append(probe)

    def encode(target: str | None) -> tuple[str | None, _Ids | None, list[np.ndarray], int]:
        present = target is not None and target in tables
        chunks = [tables[target].filled("id")] if present else []  # type: ignore[index]
        chunks += [probe.values for probe in groups[target]]
        lengths = [len(chunk) for chunk in chunks]
        if not sum(lengths):
            empty_ids = _Ids(pa.array([], pa.string()), np.zeros(0, _CODE), np.zeros(0, _CODE))
            return (
                target,
                empty_ids if present else None,
                [np.zeros(0, _CODE)] * len(groups[target]),
                0,
            )
        encoded = pc.dictionary_encode(pa.chunked_array(chunks, type=pa.string()))
        flat = np.concatenate(
            [chunk.indices.to_numpy(zero_copy_only=False) for chunk in encoded.chunks]
        ).astype(_CODE, copy=False)
        dictionary = encoded.chunk(0).dictionary
        codes = np.split(flat, np.cumsum(lengths)[:-1])
        if not present:
            return target, None, codes, len(dictionary)
        id_codes = codes[0]
        known = int(id_codes.max(initial=-1)) + 1  # the table's own ids have codes 0 .. known-1
        values = dictionary.slice(0, known)
        blank = np.flatnonzero(_np(pc.equal(values, "")))
        first_rows = np.flatnonzero(_first_of_codes(id_codes)).astype(_CODE)
        gap = int(blank[0]) if len(blank) else -1
        if gap >= 0:
            keep = np.ones(known, dtype=bool)
            keep[gap] = False
            values, first_rows = values.filter(pa.array(keep)), first_rows[keep]
        ids = _Ids(values, first_rows, np.zeros(0, _CODE), known=known, blank=gap)
        ids.row_codes = ids.index(id_codes)
        return target, ids, codes[1:], len(dictionary)

    # the biggest group on one core, all the others on the other
    order = sorted(groups, key=lambda t: -sum(len(p.values) for p in groups[t]))
    rows = sum(len(probe.values) for probe in probes)
    batches = parallel([lambda: [encode(order[0])], lambda: [encode(t) for t in order[1:]]], rows)
    ids: dict[str, _Ids] = {}
    base = 0  # codes of different groups never meet: offset each group past the last
    for target, table_ids, codes, size in (item for batch in batches for item in batch):
        for probe, raw in zip(groups[target], codes, strict=True):
            probe.codes = raw + _CODE(base)
            if table_ids is None:
                probe.found = np.full(len(raw), -1, dtype=_CODE)
                continue
            # a value that is not one of the ids got a code past them; the blank id is no id
            probe.found = table_ids.index(raw)
        if table_ids is not None and target is not None:
            ids[target] = table_ids
        base += size
    return {name: ids[name] for name in ID_PREFIXES.values() if name in ids}


class _Hints:
    def __init__(self, ids: dict[str, _Ids], did_you_mean: Callable[[str, list[str]], str]):
        self.ids = ids
        self.did_you_mean = did_you_mean
        self.lists: dict[str, list[str]] = {}

    def __call__(self, value: str, table: str) -> str:
        if table not in self.lists:
            self.lists[table] = self.ids[table].values.to_pylist()
        return self.did_you_mean(value, self.lists[table])
