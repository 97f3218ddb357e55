"""The Datasette metadata.json of the SQLite export, generated from the package descriptor.

Datasette reads it with `datasette <name>.sqlite --metadata metadata.json` (`iran-syria serve`
does this): titles, descriptions of every table and column, the licences, facets on the
vocabulary columns, the column that labels a row where another table points at it, the
full-text index of each searchable table, and canned queries. Nothing here imports Datasette.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ._atomic import atomic_file
from ._fts import SEARCHABLE, fts_table

#: The file name Datasette's documentation uses; it sits beside the .sqlite.
METADATA_FILE = "metadata.json"

# Column types Datasette can sort by meaningfully; free text sorts are of no use.
_SORTABLE_TYPES = ("date", "integer", "number")
# The column shown for a row where a foreign key points at it (event_actors.actor_id -> name).
_LABEL_COLUMNS = ("name", "title")

#: Canned queries: the SQL names the model's fields, which the data contract never renames.
QUERIES: dict[str, dict[str, Any]] = {
    "citations_of_record": {
        "title": "Citations of a record",
        "description": "The sources a record (an actor, event, relation or source id such as "
        "evt-… or act-…) is cited to, with the place in each source (locator).",
        "sql": (
            "SELECT citations.record_id, citations.locator, citations.note,\n"
            "  sources.id AS source_id, sources.title, sources.publisher, sources.authors,\n"
            "  sources.published_date, sources.url, sources.archive_url\n"
            "FROM citations JOIN sources ON sources.id = citations.source_id\n"
            "WHERE citations.record_id = :record_id\n"
            "ORDER BY sources.published_date, sources.id"
        ),
        "params": ["record_id"],
    },
    "actors_by_name_or_alias": {
        "title": "Actors by name or alias",
        "description": "Actors whose name, description or any alias (Arabic, Persian, "
        "transliterations, acronyms) contains the words given.",
        # escape_fts is Datasette's: it quotes each word, so no input is an FTS syntax error.
        "sql": (
            "SELECT id, name, kind, country, status, description FROM actors\n"
            "WHERE :q != '' AND (\n"
            "  rowid IN (SELECT rowid FROM actors_fts WHERE actors_fts MATCH escape_fts(:q))\n"
            "  OR id IN (SELECT actor_id FROM actor_aliases WHERE rowid IN (\n"
            "    SELECT rowid FROM actor_aliases_fts\n"
            "    WHERE actor_aliases_fts MATCH escape_fts(:q))))\n"
            "ORDER BY name"
        ),
        "params": ["q"],
    },
}


def datasette_metadata(descriptor: dict[str, Any], database: str) -> dict[str, Any]:
    """Datasette's metadata for the SQLite export of `descriptor`, named `database`."""
    licenses = [item for item in descriptor.get("licenses") or [] if isinstance(item, dict)]
    title = str(descriptor.get("title") or descriptor.get("name") or database)
    version = descriptor.get("version")
    metadata: dict[str, Any] = {
        "title": title,
        "description": str(descriptor.get("description") or ""),
        "source": f"{descriptor.get('name', database)} {version}" if version else database,
    }
    if descriptor.get("homepage"):
        metadata["source_url"] = descriptor["homepage"]
    if licenses:
        # Datasette's footer shows one licence: the first, the data's; the description names all.
        every = "; ".join(_licence(item) for item in licenses)
        metadata["description"] = f"{metadata['description']} Licences: {every}.".strip()
        metadata["license"] = licenses[0].get("name") or licenses[0].get("title")
        if licenses[0].get("path"):
            metadata["license_url"] = licenses[0]["path"]
    tables = {
        resource["name"]: _table(resource)
        for resource in descriptor.get("resources") or []
        if isinstance(resource, dict) and isinstance(resource.get("name"), str)
    }
    metadata["databases"] = {
        database: {
            "description": "Every row of every table, retracted and merged ones too: filter "
            "on status = active for the current records. Each record is cited in citations.",
            "tables": tables,
            "queries": QUERIES,
        }
    }
    return metadata


def write_datasette_metadata(folder: Path, database: str, descriptor: dict[str, Any]) -> Path:
    """Write metadata.json for `database` (the .sqlite file's stem) into `folder`."""
    target = folder / METADATA_FILE
    text = json.dumps(datasette_metadata(descriptor, database), ensure_ascii=False, indent=2)
    with atomic_file(target) as temporary:
        temporary.write_text(text + "\n", encoding="utf-8")
    return target


def _licence(item: dict[str, Any]) -> str:
    name = str(item.get("title") or item.get("name") or "")
    return f"{name} ({item['path']})" if item.get("path") else name


def _table(resource: dict[str, Any]) -> dict[str, Any]:
    name = resource["name"]
    schema = resource.get("schema") or {}
    fields = [field for field in schema.get("fields") or [] if isinstance(field, dict)]
    names = [str(field.get("name")) for field in fields]
    label = next((column for column in _LABEL_COLUMNS if column in names), None)
    primary = schema.get("primaryKey") or []
    table: dict[str, Any] = {
        "title": resource.get("title") or name,
        "description": resource.get("description") or "",
        "columns": {str(field.get("name")): field.get("description") or "" for field in fields},
        # the vocabularies: few values each, so counting them per page is cheap and telling
        "facets": [
            field["name"]
            for field in fields
            if "categories" in field or "enum" in (field.get("constraints") or {})
        ],
        "sortable_columns": [
            field["name"]
            for field in fields
            if field.get("type") in _SORTABLE_TYPES
            or "enum" in (field.get("constraints") or {})
            or field.get("name") in (*primary, label)
        ],
    }
    if label is not None:
        table["label_column"] = label
    if "date_start" in names:
        table["sort_desc"] = "date_start"
    if name in SEARCHABLE:
        table["fts_table"] = fts_table(name)
        table["fts_pk"] = "rowid"
    return table
