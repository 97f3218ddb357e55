"""The package read once for the site: every row (retracted and merged ones too, since they have
pages), and the indexes the pages need to link records both ways."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..loaders import _every_table
from ..models import ID_PREFIXES, relation_label

#: The tables whose records get a page, in the order the site lists them.
RECORD_TABLES = ("events", "actors", "relations", "sources")

Row = dict[str, Any]


@dataclass
class SiteData:
    """Rows by table, records by id, and the links between them."""

    package_dir: Path
    descriptor: dict[str, Any]
    tables: dict[str, list[Row]]
    by_id: dict[str, Row] = field(default_factory=dict)
    aliases: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    external_ids: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    citations: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    cited_by: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    event_actors: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    actor_events: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    actor_relations: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    merged_here: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))

    def name_of(self, record_id: str) -> str:
        """The words a link to a record shows: its name or title, else its id."""
        row = self.by_id.get(record_id)
        if row is None:
            return record_id
        # A source with no recorded title is named by its publisher, never by a made-up title.
        return str(
            row.get("name")
            or row.get("title")
            or _relation_words(self, row)
            or row.get("publisher")
            or record_id
        )

    def table_of(self, record_id: str) -> str:
        return ID_PREFIXES[record_id.split("-", 1)[0]]


def _relation_words(data: SiteData, row: Row) -> str:
    if "relation_type" not in row:
        return ""
    source = data.by_id.get(row["source_id"], {}).get("name", row["source_id"])
    target = data.by_id.get(row["target_id"], {}).get("name", row["target_id"])
    return f"{source} {relation_words(row)} {target}"


def relation_words(row: Row) -> str:
    """How the relation reads, in the relation_types table's words ("supports with weapons")."""
    return relation_label(row["relation_type"], row.get("relation_mode") or None)


def _by_date(row: Row) -> tuple[str, str]:
    return (str(row.get("date_start") or ""), str(row.get("id") or ""))


def read_site_data(path: str | Path | None) -> SiteData:
    """Every table of the package at `path`, hash-checked, with the indexes filled."""
    package_dir, descriptor, arrows = _every_table(path)
    tables = {name: [_plain(row) for row in arrow.to_pylist()] for name, arrow in arrows.items()}
    data = SiteData(package_dir=package_dir, descriptor=descriptor, tables=tables)
    for table in RECORD_TABLES:
        for row in tables[table]:
            data.by_id[row["id"]] = row
            if row.get("merged_into"):
                data.merged_here[row["merged_into"]].append(row)
    for row in tables["actor_aliases"]:
        data.aliases[row["actor_id"]].append(row)
    for row in tables["external_ids"]:
        data.external_ids[row["record_id"]].append(row)
    for row in tables["citations"]:
        data.citations[row["record_id"]].append(row)
        data.cited_by[row["source_id"]].append(row)
    events = data.by_id
    for row in tables["event_actors"]:
        data.event_actors[row["event_id"]].append(row)
        if row["event_id"] in events:
            data.actor_events[row["actor_id"]].append(row)
    for row in tables["relations"]:
        data.actor_relations[row["source_id"]].append(row)
        if row["target_id"] != row["source_id"]:
            data.actor_relations[row["target_id"]].append(row)
    # Sorted here once, so every page lists the same things in the same order.
    for actor_id, links in data.actor_events.items():
        links.sort(key=lambda link: (*_by_date(events[link["event_id"]]), link["role"]))
        data.actor_events[actor_id] = links
    for relations in data.actor_relations.values():
        relations.sort(key=_by_date)
    for rows in data.citations.values():
        rows.sort(key=lambda c: (c["source_id"], c["locator"]))
    for rows in data.cited_by.values():
        rows.sort(key=lambda c: (c["record_id"], c["locator"]))
    return data


def _plain(row: dict[str, Any]) -> Row:
    """Empty cells as None, whatever the Arrow reading gave."""
    return {key: (None if value == "" else value) for key, value in row.items()}
