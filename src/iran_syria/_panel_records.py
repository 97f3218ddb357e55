"""What the panels are built from: the active actors, relations and events with their ends
resolved to active actors, and the actors' COW and GW codes with the dates they apply."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ._contract import ACTIVE
from .loaders import _every_table, _survivors, _warn_ends, _warn_hidden
from .models import SYMMETRIC_RELATIONS
from .schema import PACKAGE_METADATA

#: Attributions that leave a relation unconfirmed: no source states it as fact or reports it.
UNCONFIRMED_ATTRIBUTIONS = frozenset({"alleged", "claimed", "disputed", "denied"})
#: The identifier schemes the panels carry, each with the scheme word in external_ids.
CODE_SCHEMES = ("cow", "gw")


@dataclass(frozen=True)
class Edge:
    """An active relation between two active actors, with its years (inclusive)."""

    source: str
    target: str
    type: str
    column: str  # the panel column: type, or type_mode
    symmetric: bool
    unconfirmed: bool
    first_year: int
    last_year: int


@dataclass(frozen=True)
class Happening:
    """An active event: the year of its date_start, its column and its actors by role."""

    year: int
    column: str  # events_<category>
    roles: dict[str, frozenset[str]]


@dataclass
class Records:
    names: dict[str, str]
    kinds: dict[str, str]
    relations: list[Edge]
    events: list[Happening]
    last_year: int
    #: (actor, scheme) -> [(valid_from, valid_to, code)]
    codes: dict[tuple[str, str], list[tuple[date, date, int]]] = field(default_factory=dict)

    def code(self, actor: str, scheme: str, year: int) -> int | None:
        """The actor's code in that scheme for that year: of the codes that apply on some day
        of the year, the one in effect last (Germany in 1990: COW 255, not 260)."""
        year_start, year_end = date(year, 1, 1), date(year, 12, 31)
        applying = [
            (min(valid_to, year_end), code)
            for valid_from, valid_to, code in self.codes.get((actor, scheme), ())
            if valid_from <= year_end and valid_to >= year_start
        ]
        return max(applying)[1] if applying else None


def gather(path: str | Path | None, *, stacklevel: int) -> Records:
    """Read the records of the package at `path`, warning about hidden records (`stacklevel`
    counted as if this function called warnings.warn) and about rows whose actor was merged
    or retracted."""
    level = stacklevel + 1  # _warn_hidden is one more frame
    _, descriptor, tables = _every_table(
        path, ("actors", "relations", "events", "event_actors", "external_ids")
    )
    actors, relations, events, links, external_ids = (rows.to_pylist() for rows in tables.values())
    for table, rows in (("actors", actors), ("relations", relations), ("events", events)):
        hidden = sum(row["status"] != ACTIVE for row in rows)
        if hidden:
            _warn_hidden(table, hidden, stacklevel=level)
    survivor = _survivors(actors)
    active = [actor for actor in actors if actor["status"] == ACTIVE]
    records = Records(
        names={actor["id"]: actor["name"] for actor in active},
        kinds={actor["id"]: actor["kind"] for actor in active},
        relations=[],
        events=[],
        last_year=_coverage_end(descriptor).year,
    )
    redirected = lost = 0
    for relation in relations:
        if relation["status"] != ACTIVE:
            continue
        ends = [survivor.get(relation[end]) for end in ("source_id", "target_id")]
        if ends[0] is None or ends[1] is None:
            lost += 1
            continue
        redirected += ends != [relation["source_id"], relation["target_id"]]
        if ends[0] != ends[1]:  # two ends merged into one actor: no pair left
            records.relations.append(_edge(relation, ends[0], ends[1], records.last_year))
    if redirected or lost:
        _warn_ends("relations", redirected, lost)
    by_event: dict[str, list[dict[str, Any]]] = {}
    for link in links:
        by_event.setdefault(link["event_id"], []).append(link)
    redirected = lost = 0
    for event in events:
        if event["status"] != ACTIVE:
            continue
        roles: dict[str, set[str]] = {}
        for link in by_event.get(event["id"], ()):
            actor = survivor.get(link["actor_id"])
            if actor is None:
                lost += 1
                continue
            redirected += actor != link["actor_id"]
            roles.setdefault(link["role"], set()).add(actor)
        records.events.append(
            Happening(
                year=event["date_start"].year,
                column=f"events_{event['event_type'].lower()}",
                roles={role: frozenset(members) for role, members in roles.items()},
            )
        )
    if redirected or lost:
        _warn_ends("event_actors", redirected, lost)
    records.codes = _codes(external_ids, set(records.names))
    return records


def _coverage_end(descriptor: dict[str, Any]) -> date:
    """The package's coverage_end: the day through which an ongoing relation is counted."""
    declared = descriptor.get("coverage_end")
    try:
        return date.fromisoformat(str(declared))
    except ValueError:
        return date.fromisoformat(str(PACKAGE_METADATA["coverage_end"]))


def _edge(relation: dict[str, Any], source: str, target: str, last_year: int) -> Edge:
    mode = relation["relation_mode"]
    relation_type: str = relation["relation_type"]
    ended: date | None = relation["date_end"]
    return Edge(
        source=source,
        target=target,
        type=relation_type,
        column=relation_type if mode is None else f"{relation_type}_{mode}",
        symmetric=relation_type in SYMMETRIC_RELATIONS,
        unconfirmed=relation["attribution"] in UNCONFIRMED_ATTRIBUTIONS,
        first_year=relation["date_start"].year,
        last_year=last_year if ended is None else ended.year,
    )


def _codes(
    external_ids: Iterable[dict[str, Any]], actors: set[str]
) -> dict[tuple[str, str], list[tuple[date, date, int]]]:
    """The COW and GW codes of active actors, each with the days it applies (open ends as the
    earliest and latest dates)."""
    codes: dict[tuple[str, str], list[tuple[date, date, int]]] = {}
    for row in external_ids:
        if row["scheme"] in CODE_SCHEMES and row["record_id"] in actors:
            codes.setdefault((row["record_id"], row["scheme"]), []).append(
                (row["valid_from"] or date.min, row["valid_to"] or date.max, int(row["value"]))
            )
    return codes
