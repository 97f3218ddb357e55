"""The rules across rows and tables: keys, references, statuses, coverage, lifespans, duplicates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from ..models import (
    ID_PREFIXES,
    RELATION_TYPES,
    TABLES,
    TIMELESS_RELATIONS,
    Actor,
    DatePrecision,
    Event,
    Relation,
    Status,
    actor_kind_message,
    partial_date_bounds,
    period_end,
    period_start,
)
from ._state import _CheckerState, _Row
from .rows import _did_you_mean


class _AcrossTables(_CheckerState):
    """The rules that read several rows or tables."""

    _report_row: Callable[[str, int, str, str, str], None]

    def _check_across_tables(self) -> None:
        # Rules that need a table that could not be read are skipped: its absence is reported.
        if self.engine == "columnar":
            from .. import _columnar

            _columnar.check_across_tables(self.columns, self._report_row, _did_you_mean)
            return
        ids = {name: self._ids(name) for name in ID_PREFIXES.values() if name in self.rows}
        self._check_keys()
        self._check_references(ids)
        self._check_status_references(ids)
        self._check_coverage(ids)
        self._check_lifespans()
        self._check_actor_kinds()
        self._check_duplicate_events()

    def _ids(self, table: str) -> dict[str, _Row]:
        found: dict[str, _Row] = {}
        for row in self.rows.get(table, []):
            found.setdefault(row.cells.get("id", ""), row)
        found.pop("", None)
        return found

    def _check_keys(self) -> None:
        for name, model in TABLES.items():
            for key in (model.primary_key, *model.unique_keys):
                first_line: dict[tuple[str, ...], int] = {}
                for row in self.rows.get(name, []):
                    value = tuple(row.cells.get(column, "") for column in key)
                    if "" in value:
                        continue  # a missing part is reported as missing-value
                    if value in first_line:
                        shown = ", ".join(f"{c}={v}" for c, v in zip(key, value, strict=True))
                        self.at(
                            name,
                            row,
                            key[0],
                            "duplicate-key",
                            f"({shown}) is already used on line {first_line[value]}",
                        )
                    else:
                        first_line[value] = row.line

    def _check_references(self, ids: dict[str, dict[str, _Row]]) -> None:
        for name, model in TABLES.items():
            for row in self.rows.get(name, []):
                for key in model.foreign_keys:
                    value = row.cells.get(key.field, "")
                    if value and key.table in ids and value not in ids[key.table]:
                        hint = _did_you_mean(value, list(ids[key.table]))
                        self.at(
                            name,
                            row,
                            key.field,
                            "unknown-reference",
                            f"{value!r} is not an id in {key.table}{hint}",
                        )
                if name in ("citations", "external_ids"):
                    value = row.cells.get("record_id", "")
                    target = ID_PREFIXES.get(value.split("-", 1)[0])
                    if value and target in ids and value not in ids[target]:
                        hint = _did_you_mean(value, list(ids[target]))
                        self.at(
                            name,
                            row,
                            "record_id",
                            "unknown-reference",
                            f"{value!r} is not an id in {target}{hint}",
                        )

    def _check_status_references(self, ids: dict[str, dict[str, _Row]]) -> None:
        def status(table: str, record_id: str) -> str | None:
            row = ids.get(table, {}).get(record_id)
            return row.cells.get("status") if row else None

        # merged_into must name an active record of the same table
        for table in ("actors", "events", "relations"):
            for row in ids.get(table, {}).values():
                target = row.cells.get("merged_into", "")
                if target and target in ids[table] and status(table, target) != Status.ACTIVE:
                    self.at(
                        table,
                        row,
                        "merged_into",
                        "bad-merge",
                        f"{target} is {status(table, target)}, not active",
                    )

        def refer(table: str, row: _Row, column: str, target_table: str) -> None:
            target = row.cells.get(column, "")
            state = status(target_table, target)
            if state == Status.RETRACTED:
                self.at(table, row, column, "retracted-reference", f"{target} is retracted")
            elif state == Status.MERGED:
                survivor = ids[target_table][target].cells.get("merged_into", "")
                self.at(
                    table, row, column, "merged-reference", f"{target} is merged into {survivor}"
                )

        for row in self.rows.get("relations", []):
            if row.cells.get("status") == Status.ACTIVE:
                refer("relations", row, "source_id", "actors")
                refer("relations", row, "target_id", "actors")
        for row in self.rows.get("event_actors", []):
            if status("events", row.cells.get("event_id", "")) == Status.ACTIVE:
                refer("event_actors", row, "actor_id", "actors")

    def _check_coverage(self, ids: dict[str, dict[str, _Row]]) -> None:
        if "citations" in self.rows:
            cited = {row.cells.get("record_id") for row in self.rows["citations"]}
            for table in ("actors", "events", "relations"):
                for record_id, row in ids.get(table, {}).items():
                    # a ragged row is one problem already; "no citation" would be its echo
                    if record_id not in cited and not row.ragged:
                        self.at(
                            table,
                            row,
                            "id",
                            "missing-citation",
                            f"{record_id} has no row in citations",
                        )
        if "event_actors" in self.rows:
            with_actor = {row.cells.get("event_id") for row in self.rows["event_actors"]}
            for record_id, row in ids.get("events", {}).items():
                if record_id not in with_actor and not row.ragged:
                    self.at(
                        "events",
                        row,
                        "id",
                        "missing-event-actor",
                        f"{record_id} has no row in event_actors",
                    )

    def _clean_actors(self) -> dict[str, Actor]:
        """The actors that made a clean record, by id (the last row wins, as in the rules)."""
        return {
            row.record.id: row.record
            for row in self.rows.get("actors", [])
            if isinstance(row.record, Actor)
        }

    def _check_lifespans(self) -> None:
        actors = self._clean_actors()
        for row in self.rows.get("relations", []):
            relation = row.record
            if not isinstance(relation, Relation):
                continue
            # The relation certainly began no later than this and ended no earlier than that.
            began_by = period_end(relation.date_start, relation.start_precision)
            ended_from = (
                period_start(relation.date_end, relation.end_precision or DatePrecision.DAY)
                if relation.date_end
                else None
            )
            for column in ("source_id", "target_id"):
                actor = actors.get(getattr(relation, column))
                if actor is None:
                    continue
                if actor.start_date and began_by < partial_date_bounds(actor.start_date)[0]:
                    self.at(
                        "relations",
                        row,
                        "date_start",
                        "outside-lifespan",
                        f"starts before {actor.id} began ({actor.start_date})",
                    )
                if actor.end_date and relation.relation_type not in TIMELESS_RELATIONS:
                    actor_gone = partial_date_bounds(actor.end_date)[1]
                    if ended_from is None:
                        self.at(
                            "relations",
                            row,
                            "date_end",
                            "outside-lifespan",
                            f"is open-ended but {actor.id} ended on {actor.end_date}; give a date_end",
                        )
                    elif ended_from > actor_gone:
                        self.at(
                            "relations",
                            row,
                            "date_end",
                            "outside-lifespan",
                            f"ends after {actor.id} ended ({actor.end_date})",
                        )

    def _check_actor_kinds(self) -> None:
        kinds = {actor_id: actor.kind for actor_id, actor in self._clean_actors().items()}
        for row in self.rows.get("relations", []):
            relation = row.record
            if not isinstance(relation, Relation):
                continue
            spec = RELATION_TYPES[(relation.relation_type, relation.relation_mode)]
            for column, allowed in (
                ("source_id", spec.source_kinds),
                ("target_id", spec.target_kinds),
            ):
                actor_id = getattr(relation, column)
                kind = kinds.get(actor_id)
                if kind is not None and kind not in allowed:
                    self.at(
                        "relations",
                        row,
                        column,
                        "bad-actor-kind",
                        actor_kind_message(relation, column, actor_id, kind.value),
                    )

    def _check_duplicate_events(self) -> None:
        actors_of: dict[str, set[str]] = defaultdict(set)
        for row in self.rows.get("event_actors", []):
            actors_of[row.cells.get("event_id", "")].add(row.cells.get("actor_id", ""))
        first: dict[tuple[str, date, frozenset[str]], _Row] = {}
        for row in self.rows.get("events", []):
            event = row.record
            if not isinstance(event, Event) or event.status is not Status.ACTIVE:
                continue
            if event.date_precision is not DatePrecision.DAY or event.date_start != event.date_end:
                continue
            key = (event.event_type.value, event.date_start, frozenset(actors_of[event.id]))
            if key in first:
                self.at(
                    "events",
                    row,
                    "id",
                    "duplicate-event",
                    f"same type, day and actors as {first[key].cells['id']} (line {first[key].line}); "
                    "merge them or tell them apart",
                )
            else:
                first[key] = row
