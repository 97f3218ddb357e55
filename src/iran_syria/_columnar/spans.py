"""Coverage, lifespans and duplicate events across tables, over integer codes."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..models import (
    RELATION_TYPES,
    TIMELESS_RELATIONS,
    DatePrecision,
    RelationMode,
    RelationType,
    Status,
    actor_kind_message,
)
from ._common import _array, _Coded, _np, _text
from .dates import _FIRST_DAY, _days, _partial_dates, _precision_bounds
from .ids import _PREFIX_OF, Columns, Report, _Ids, _Probe
from .keys import _rows_in


def _check_coverage(
    tables: dict[str, Columns],
    ids: dict[str, _Ids],
    by_column: dict[tuple[str, str], list[_Probe]],
    report: Report,
) -> None:
    checks = [
        ("citations", "record_id", ("actors", "events", "relations"), "missing-citation"),
        ("event_actors", "event_id", ("events",), "missing-event-actor"),
    ]
    for referring, column, names, code in checks:
        if referring not in tables:
            continue  # the referring table could not be read; that is reported already
        for name in names:
            if name not in ids:
                continue
            covered = np.zeros(len(ids[name].values), dtype=bool)
            for probe in by_column.get((referring, column), []):
                if probe.target == name:
                    covered[probe.found[probe.found >= 0]] = True
            # An id without its table's prefix (a broken row) is looked for among all values.
            odd = np.flatnonzero(~_np(pc.starts_with(ids[name].values, _PREFIX_OF[name] + "-")))
            if len(odd):
                everything = pc.drop_null(tables[referring].cells.column(column))
                odd_values = ids[name].values.take(pa.array(odd))
                covered[odd] = _np(pc.is_in(odd_values, value_set=everything))
            ragged = tables[name].ragged if name in tables else None
            if ragged is not None:  # a ragged row is one problem already, not also uncited
                covered |= ragged[ids[name].first_row]
            for index in np.flatnonzero(~covered).tolist():
                record_id = ids[name].values[index].as_py()
                report(
                    name,
                    int(ids[name].first_row[index]),
                    "id",
                    code,
                    f"{record_id} has no row in {referring}",
                )


def _check_lifespans(
    tables: dict[str, Columns],
    ids: dict[str, _Ids],
    by_column: dict[tuple[str, str], list[_Probe]],
    report: Report,
) -> None:
    if "actors" not in ids or "relations" not in tables:
        return
    actors, relations = tables["actors"], tables["relations"]
    codes = ids["actors"].row_codes
    winner = _last_clean_rows(actors, ids["actors"])
    clean = np.flatnonzero(actors.clean & (codes >= 0))
    start_date, end_date = actors.filled("start_date"), actors.filled("end_date")
    has_start = _np(pc.not_equal(start_date, ""))
    has_end = _np(pc.not_equal(end_date, ""))
    if not (has_start[clean].any() or has_end[clean].any()):
        return
    epoch = 719163  # date(1970, 1, 1).toordinal()
    start_low = _partial_dates(start_date)[1] - epoch
    end_high = _partial_dates(end_date)[2] - epoch

    relation_rows = np.flatnonzero(relations.clean)
    if len(relation_rows) == 0:
        return
    own = relations.cells.take(pa.array(relation_rows))
    began_by = _precision_bounds(
        _days(own.column("date_start")), _text(own, "start_precision"), start=False
    )
    date_end = _array(own.column("date_end"))
    open_ended = _np(pc.equal(date_end, ""))
    # an open end has no precision; its bound is never used
    ended_from = _precision_bounds(_days(date_end), _text(own, "end_precision"), start=True)
    timeless = _text(own, "relation_type").isin(k.value for k in TIMELESS_RELATIONS)
    at_relation = np.full(relations.rows, -1, dtype=np.int64)
    at_relation[relation_rows] = np.arange(len(relation_rows))

    def _lifespan_problems(probe: _Probe, column: str) -> None:
        first_rows = _rows_in(ids["actors"], probe.found)
        mine = at_relation[probe.rows]
        chosen = (first_rows >= 0) & (mine >= 0)
        rows, first_rows, mine = probe.rows[chosen], first_rows[chosen], mine[chosen]
        actor_rows = winner[codes[first_rows]]
        dated = actor_rows >= 0
        rows, mine, actor_rows = rows[dated], mine[dated], actor_rows[dated]
        early = has_start[actor_rows] & (began_by[mine] < start_low[actor_rows])
        ends = has_end[actor_rows] & ~timeless[mine]
        late = ends & ~open_ended[mine] & (ended_from[mine] > end_high[actor_rows])
        for row, actor in zip(rows[early].tolist(), actor_rows[early].tolist(), strict=True):
            report(
                "relations",
                row,
                "date_start",
                "outside-lifespan",
                f"starts before {actors.cell('id', actor)} began ({actors.cell('start_date', actor)})",
            )
        opened = ends & open_ended[mine]
        for row, actor in zip(rows[opened].tolist(), actor_rows[opened].tolist(), strict=True):
            report(
                "relations",
                row,
                "date_end",
                "outside-lifespan",
                f"is open-ended but {actors.cell('id', actor)} ended on "
                f"{actors.cell('end_date', actor)}; give a date_end",
            )
        for row, actor in zip(rows[late].tolist(), actor_rows[late].tolist(), strict=True):
            report(
                "relations",
                row,
                "date_end",
                "outside-lifespan",
                f"ends after {actors.cell('id', actor)} ended ({actors.cell('end_date', actor)})",
            )

    for column in ("source_id", "target_id"):
        for probe in by_column.get(("relations", column), []):
            _lifespan_problems(probe, column)


def _last_clean_rows(actors: Columns, actor_ids: _Ids) -> np.ndarray:
    """Per actor id, its last clean row (-1 for none): the row path keys clean actors by id in
    row order, so the last one wins."""
    codes = actor_ids.row_codes
    winner = np.full(len(actor_ids.values), -1, dtype=np.int64)
    clean = np.flatnonzero(actors.clean & (codes >= 0))
    np.maximum.at(winner, codes[clean], clean)
    return winner


def _check_actor_kinds(
    tables: dict[str, Columns],
    ids: dict[str, _Ids],
    by_column: dict[tuple[str, str], list[_Probe]],
    report: Report,
) -> None:
    if "actors" not in ids or "relations" not in tables:
        return
    actors, relations = tables["actors"], tables["relations"]
    winner = _last_clean_rows(actors, ids["actors"])
    codes = ids["actors"].row_codes
    kind = _Coded(actors.filled("kind"))
    relation_type = _Coded(relations.filled("relation_type"))
    mode = _Coded(relations.filled("relation_mode"))
    width, kinds = max(len(mode.words), 1), max(len(kind.words), 1)

    def forbidden(column: str) -> np.ndarray:
        """Per (type, mode, kind) code triple: whether that kind may not stand at `column`."""
        table = np.zeros(len(relation_type.words) * width * kinds, dtype=bool)
        for index in range(len(table)):
            pair, kind_code = divmod(index, kinds)
            type_code, mode_code = divmod(pair, width)
            key = _relation_key(
                relation_type.words[type_code], mode.words[mode_code] if mode.words else ""
            )
            spec = RELATION_TYPES.get(key) if key else None
            if spec is None or kind_code >= len(kind.words):
                continue  # a row of that pair is not clean, so never asks
            allowed = spec.source_kinds if column == "source_id" else spec.target_kinds
            table[index] = kind.words[kind_code] not in {word.value for word in allowed}
        return table

    for column in ("source_id", "target_id"):
        bad = forbidden(column)
        for probe in by_column.get(("relations", column), []):
            first_rows = _rows_in(ids["actors"], probe.found)
            chosen = (first_rows >= 0) & relations.clean[probe.rows]
            rows, first_rows = probe.rows[chosen], first_rows[chosen]
            actor_rows = winner[codes[first_rows]]
            known = actor_rows >= 0
            rows, actor_rows = rows[known], actor_rows[known]
            triple = (
                relation_type.codes[rows].astype(np.int64) * width + mode.codes[rows]
            ) * kinds + kind.codes[actor_rows]
            for row, actor in zip(
                rows[bad[triple]].tolist(), actor_rows[bad[triple]].tolist(), strict=True
            ):
                message = actor_kind_message(
                    _RelationEnds(relation_type.value(row), mode.value(row)),
                    column,
                    actors.cell("id", actor) or "",
                    kind.value(actor),
                )
                report("relations", row, column, "bad-actor-kind", message)


class _RelationEnds:
    """The two cells of a relation row that actor_kind_message reads."""

    def __init__(self, relation_type: str, relation_mode: str) -> None:
        self.relation_type = relation_type
        self.relation_mode = relation_mode or None


def _relation_key(
    type_word: str, mode_word: str
) -> tuple[RelationType, RelationMode | None] | None:
    try:
        return RelationType(type_word), RelationMode(mode_word) if mode_word else None
    except ValueError:
        return None


def _check_duplicate_events(tables: dict[str, Columns], report: Report) -> None:
    if "events" not in tables:
        return
    events = tables["events"]
    date_start = events.filled("date_start")
    candidates = (
        events.clean
        & _np(pc.equal(events.filled("status"), Status.ACTIVE.value))
        & _np(pc.equal(events.filled("date_precision"), DatePrecision.DAY.value))
        & _np(pc.equal(date_start, events.filled("date_end")))
    )
    rows = np.flatnonzero(candidates)
    if len(rows) < 2:
        return
    own = events.cells.select(["event_type", "date_start"]).take(pa.array(rows))
    kind = _text(own, "event_type")
    day = _days(own.column("date_start")).days
    day_key = kind.codes.astype(np.int64) * (1 << 32) + (day - _FIRST_DAY)
    ordered = np.sort(day_key)
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    sharing = np.isin(day_key, repeated)  # only events sharing type and day can be duplicates
    if not sharing.any():
        return
    rows = rows[sharing]
    event_ids = events.filled("id").take(pa.array(rows))
    actor_sets: dict[str, frozenset[str]] = {}
    if "event_actors" in tables:
        event_actors = tables["event_actors"]
        linked = event_actors.filled("event_id")
        involved = np.flatnonzero(_np(pc.is_in(linked, value_set=event_ids)))
        collected: dict[str, set[str]] = {}
        for event_id, actor_id in zip(
            linked.take(pa.array(involved, pa.int64())).to_pylist(),
            event_actors.filled("actor_id").take(pa.array(involved, pa.int64())).to_pylist(),
            strict=True,
        ):
            collected.setdefault(event_id, set()).add(actor_id)
        actor_sets = {key: frozenset(value) for key, value in collected.items()}
    first: dict[tuple[int, frozenset[str]], int] = {}
    for row, event_id, key_day in zip(
        rows.tolist(), event_ids.to_pylist(), day_key[sharing].tolist(), strict=True
    ):
        key = (key_day, actor_sets.get(event_id, frozenset()))
        if key in first:
            earlier = first[key]
            report(
                "events",
                row,
                "id",
                "duplicate-event",
                f"same type, day and actors as {events.cell('id', earlier)} "
                f"(line {int(events.lines[earlier])}); merge them or tell them apart",
            )
        else:
            first[key] = row
