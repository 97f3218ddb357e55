"""The table pages (every record of a table in one list that a script filters, sorts and pages
through) and the search index the search boxes read."""

from __future__ import annotations

import json
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from ..models import TABLES, EventType
from .data import RECORD_TABLES, Row, SiteData, relation_words
from .dates import say_partial, say_period, say_published, say_span, year_of
from .fields import href, record_link

TABLE_ROOT = "../"
#: The file the search boxes load: a script, not JSON, because a page opened from disk
#: (file://) may not fetch() a neighbouring file but may load a script.
SEARCH_INDEX = "static/search-index.js"


def table_pages(env: Environment, data: SiteData, common: dict[str, Any]) -> dict[str, str]:
    """(path inside the site -> HTML) of each table's index page."""
    template = env.get_template("table.html")
    pages = {}
    for table in RECORD_TABLES:
        rows = sorted(data.tables[table], key=lambda r: _sort_key(table, r))
        context = {
            "table": table,
            "title": TABLES[table].table_title,
            "description": TABLES[table].table_description,
            "columns": _COLUMNS[table],
            "rows": [_row(data, table, row) for row in rows],
            "active": sum(1 for row in rows if row.get("status", "active") == "active"),
        }
        if table == "events":
            context["event_types"] = [t.value for t in EventType]
            years = [row["date_start"].year for row in rows] or [0]
            context["years"] = (min(years), max(years))
            actor_ids = sorted(
                {link["actor_id"] for link in data.tables["event_actors"]},
                key=lambda i: (data.name_of(i).casefold(), i),
            )
            context["actors"] = [(i, data.name_of(i)) for i in actor_ids]
        pages[f"{table}/index.html"] = template.render(
            {**common, **context, "root": TABLE_ROOT, "section": table}
        )
    return pages


def _sort_key(table: str, row: Row) -> tuple[str, ...]:
    if table == "events":
        return (row["date_start"].isoformat(), row["id"])
    if table == "actors":
        return (str(row["name"]).casefold(), row["id"])
    return (row["id"],)


_COLUMNS = {
    "events": ("When", "Event", "Type", "Place"),
    "actors": ("Actor", "Kind", "Country", "Lifespan"),
    "relations": ("Source", "Relation", "Target", "When"),
    "sources": ("Source", "Publisher", "Published", "Type"),
}


def _row(data: SiteData, table: str, row: Row) -> dict[str, Any]:
    """One table row: its cells and the data-* attributes the script filters on."""
    root = TABLE_ROOT
    link = Markup('<a href="{}">{}</a>').format(
        href(root, table, row["id"]), data.name_of(row["id"])
    )
    status = row.get("status") or "active"
    if status != "active":
        link += Markup(' <span class="badge">{}</span>').format(status)
    attributes: dict[str, str] = {"id": row["id"], "status": status}
    if table == "events":
        attributes.update(
            type=row["event_type"],
            start=row["date_start"].isoformat(),
            first=str(row["date_start"].year),
            last=str(row["date_end"].year),
            actors=" ".join(sorted({a["actor_id"] for a in data.event_actors.get(row["id"], [])})),
        )
        cells = [
            say_span(row["date_start"], row["date_end"], row["date_precision"]),
            link,
            row["event_type"],
            row["location_name"] or "",
        ]
    elif table == "actors":
        cells = [
            link,
            str(row["kind"]).replace("_", " "),
            row["country"] or "",
            " – ".join(say_partial(v) if v else "…" for v in (row["start_date"], row["end_date"]))
            if row["start_date"] or row["end_date"]
            else "",
        ]
    elif table == "relations":
        attributes["start"] = row["date_start"].isoformat()
        end = (
            say_period(row["date_end"], row["end_precision"] or "day")
            if row["date_end"]
            else "ongoing"
        )
        cells = [
            record_link(data, root, row["source_id"]),
            Markup('<a href="{}">{}</a>').format(href(root, table, row["id"]), relation_words(row)),
            record_link(data, root, row["target_id"]),
            f"{say_period(row['date_start'], row['start_precision'])} – {end}",
        ]
    else:
        cells = [link, row["publisher"], say_published(row), row["source_type"]]
    return {"attributes": attributes, "cells": cells}


def search_documents(data: SiteData) -> list[dict[str, str]]:
    """One document per record: n (name or title), a (aliases, every script), d (description),
    t (table), u (its page, from the site's top), y (year, for showing)."""
    documents = []
    for table in RECORD_TABLES:
        for row in sorted(data.tables[table], key=lambda r: str(r["id"])):
            aliases = [a["alias"] for a in data.aliases.get(row["id"], [])]
            if table == "sources":
                aliases.append(str(row["publisher"]))
            when = row.get("date_start") or None
            documents.append(
                {
                    "id": row["id"],
                    "t": table,
                    "n": data.name_of(row["id"]),
                    "a": " · ".join(aliases),
                    "d": str(row.get("description") or row.get("title") or ""),
                    "u": href("", table, row["id"]),
                    "s": str(row.get("status") or "active"),
                    "y": str(when.year)
                    if when
                    else str(year_of(row.get("start_date") or row.get("published_date")) or ""),
                }
            )
    return documents


def search_index_script(data: SiteData) -> str:
    """The search documents as a script that sets window.IRAN_SYRIA_DOCS."""
    payload = json.dumps(
        search_documents(data), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    # "</" cannot end the script early when the file is a script of its own, but a stray
    # U+2028 would break older parsers: escape both anyway.
    payload = (
        payload.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )
    return f"window.IRAN_SYRIA_DOCS = {payload};\n"
