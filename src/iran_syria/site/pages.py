"""The record pages: one per actor, event, relation and source, at <table>/<id>/index.html, read
fully without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from ..models import TABLES, EventType, Role
from .charts import place_svg
from .data import RECORD_TABLES, Row, SiteData, relation_words
from .dates import say_partial, say_period, say_published, say_span
from .fields import field_views, href, record_link, text_direction, vocabulary_word

#: Links for the identifier schemes that have a page per identifier.
_SCHEME_URLS = {"wikidata": "https://www.wikidata.org/wiki/{}"}
#: Depth of a record page below the site's top: <table>/<id>/index.html.
RECORD_ROOT = "../../"


def record_pages(
    env: Environment, data: SiteData, common: dict[str, Any]
) -> Iterator[tuple[str, str]]:
    """(path inside the site, HTML) of every record page, tables and ids in sorted order."""
    template = env.get_template("record.html")
    for table in RECORD_TABLES:
        for row in sorted(data.tables[table], key=lambda r: str(r["id"])):
            context = record_context(data, table, row)
            html = template.render({**common, **context, "root": RECORD_ROOT, "section": table})
            yield f"{table}/{row['id']}/index.html", html


def record_context(data: SiteData, table: str, row: Row) -> dict[str, Any]:
    """What the record template needs for one record."""
    root = RECORD_ROOT
    record_id = str(row["id"])
    title = data.name_of(record_id)
    context: dict[str, Any] = {
        **_OPTIONAL_PARTS,
        # A source's title is in the source's language, Persian or Arabic ones included.
        "heading_lang": row.get("language") if table == "sources" and row.get("title") else None,
        "row": row,
        "table": table,
        "table_title": TABLES[table].table_title,
        "title": title,
        "description": _short(str(row.get("description") or title), 200),
        "fields": field_views(data, root, table, row),
        "citations": _citations(data, root, record_id),
        "external_ids": _external_ids(data, record_id),
        "merged_here": [
            record_link(data, root, r["id"]) for r in data.merged_here.get(record_id, [])
        ],
        "record_citation": _record_citation(data, table, record_id, title),
    }
    if row.get("merged_into"):
        context["merged_link"] = record_link(data, root, row["merged_into"])
    if row.get("status") == "retracted":
        context["retraction_reason"] = _retraction_reason(row)
    if table == "events":
        context.update(_event_parts(data, root, row))
    elif table == "actors":
        context.update(_actor_parts(data, root, row))
    elif table == "relations":
        context["summary"] = _relation_summary(data, root, row)
    else:
        context["summary"] = _source_summary(row)
        context["cited_by"] = [
            {
                "link": record_link(data, root, c["record_id"]),
                "table": data.table_of(c["record_id"]),
                "locator": c["locator"],
                "note": c["note"],
            }
            for c in data.cited_by.get(record_id, [])
        ]
    return context


#: The parts only some records have: absent unless a table's builder fills them.
_OPTIONAL_PARTS: dict[str, Any] = dict.fromkeys(
    (
        "summary",
        "place",
        "event_actors",
        "aliases",
        "relations",
        "actor_events",
        "cited_by",
        "retraction_reason",
        "merged_link",
    )
)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _retraction_reason(row: Row) -> str | None:
    """The curators' words on why, where the description gives them ('Retracted: …')."""
    description = str(row.get("description") or "")
    if not description.lower().startswith("retracted"):
        return None
    reason = re.sub(r"^retracted\s*[:.;,–-]?\s*", "", description, flags=re.I)
    return reason[:1].upper() + reason[1:]


def _record_citation(data: SiteData, table: str, record_id: str, title: str) -> str:
    from ..cite import cite

    return f"“{title}” ({record_id}), {TABLES[table].table_title.lower()} table. {cite('text', data.version)}"


def _citations(data: SiteData, root: str, record_id: str) -> list[dict[str, Any]]:
    items = []
    for citation in data.citations.get(record_id, []):
        source = data.by_id.get(citation["source_id"], {})
        items.append(
            {
                "link": record_link(data, root, citation["source_id"]),
                "publisher": source.get("publisher") if source.get("title") else None,
                "date": say_published(source),
                "locator": citation["locator"],
                "note": citation["note"],
                # citations.fields: the fields this source is the evidence for (empty: all).
                "fields": (citation.get("fields") or "").split(),
                "url": source.get("url"),
            }
        )
    return items


def _external_ids(data: SiteData, record_id: str) -> list[dict[str, Any]]:
    items = []
    for row in sorted(
        data.external_ids.get(record_id, []), key=lambda r: (r["scheme"], r["value"])
    ):
        valid = " – ".join(
            say_period(day, "day") if day else "…" for day in (row["valid_from"], row["valid_to"])
        )
        pattern = _SCHEME_URLS.get(str(row["scheme"]))
        items.append(
            {
                "scheme": row["scheme"],
                "value": row["value"],
                "url": pattern.format(row["value"]) if pattern else None,
                "valid": valid if row["valid_from"] or row["valid_to"] else None,
            }
        )
    return items


def _event_parts(data: SiteData, root: str, row: Row) -> dict[str, Any]:
    when = say_span(row["date_start"], row["date_end"], row["date_precision"])
    parts: dict[str, Any] = {
        "summary": Markup("{} · {} · {}").format(
            when, row["event_type"], row["location_name"] or "place unknown"
        ),
        "event_actors": [
            {
                "link": record_link(data, root, link["actor_id"]),
                "role": link["role"],
                "definition": Role(link["role"]).definition,
            }
            for link in sorted(
                data.event_actors.get(row["id"], []),
                key=lambda link: (
                    list(Role).index(Role(link["role"])),
                    data.name_of(link["actor_id"]),
                ),
            )
        ],
    }
    if row.get("latitude") is not None and row.get("longitude") is not None:
        parts["place"] = {
            "name": row["location_name"] or "The place",
            "country": row["location_country"],
            "latitude": _coordinate(row["latitude"]),
            "longitude": _coordinate(row["longitude"]),
            "precision": vocabulary_word(row["geo_precision"], None),
            "map": place_svg(row["latitude"], row["longitude"], row["location_name"] or row["id"]),
        }
    return parts


def _coordinate(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _actor_parts(data: SiteData, root: str, row: Row) -> dict[str, Any]:
    actor_id = row["id"]
    life = " – ".join(
        say_partial(value) if value else "…" for value in (row["start_date"], row["end_date"])
    )
    events = []
    for link in data.actor_events.get(actor_id, []):
        event = data.by_id[link["event_id"]]
        events.append(
            {
                "when": say_span(event["date_start"], event["date_end"], event["date_precision"]),
                "link": record_link(data, root, event["id"]),
                "type": event["event_type"],
                "role": link["role"],
                "inactive": event["status"] != "active",
            }
        )
    relations = []
    for relation in data.actor_relations.get(actor_id, []):
        relations.append(
            {
                "start": say_period(relation["date_start"], relation["start_precision"]),
                "end": (
                    say_period(relation["date_end"], relation["end_precision"] or "day")
                    if relation["date_end"]
                    else "ongoing"
                ),
                "link": Markup('<a href="{}">{}</a>').format(
                    href(root, "relations", relation["id"]),
                    _relation_label(relation),
                ),
                "source": record_link(data, root, relation["source_id"]),
                "target": record_link(data, root, relation["target_id"]),
                "inactive": relation["status"] != "active",
            }
        )
    aliases = [
        {**alias, "dir": text_direction(alias["language"])}
        for alias in sorted(
            data.aliases.get(actor_id, []), key=lambda a: (a["language"] or "", a["alias"])
        )
    ]
    summary = Markup("{} · {}{}").format(
        row["kind"].replace("_", " "),
        row["country"] or "no home state",
        f" · {life}" if row["start_date"] or row["end_date"] else "",
    )
    return {"summary": summary, "aliases": aliases, "actor_events": events, "relations": relations}


def _source_summary(row: Row) -> Markup:
    """Publisher, authors, date and kind, and where to read the source itself."""
    words = [str(row["publisher"])]
    if row.get("authors"):
        words.append(f"by {row['authors']}")
    if say_published(row):
        words.append(say_published(row))
    words.append(str(row["source_type"]))
    summary = Markup("{}").format(" · ".join(words))
    if row.get("url"):
        summary += Markup(
            ' · <a class="external" href="{}" rel="noopener">Read the source</a>'
        ).format(row["url"])
    if row.get("archive_url"):
        summary += Markup(
            ' · <a class="external" href="{}" rel="noopener">archived copy</a>'
        ).format(row["archive_url"])
    return summary


def _relation_label(relation: Row) -> str:
    words = relation_words(relation)
    if relation.get("position"):
        words += f": {relation['position']}"
    return words


def _relation_summary(data: SiteData, root: str, row: Row) -> Markup:
    end = (
        say_period(row["date_end"], row["end_precision"] or "day") if row["date_end"] else "ongoing"
    )
    return Markup("{} {} {}, {} – {}").format(
        record_link(data, root, row["source_id"]),
        _relation_label(row),
        record_link(data, root, row["target_id"]),
        say_period(row["date_start"], row["start_precision"]),
        end,
    )


def event_type_words() -> list[tuple[str, str]]:
    """The PLOVER categories and their definitions, in the models' order."""
    return [(member.value, member.definition) for member in EventType]


def day_of(value: date | None) -> str:
    return value.isoformat() if value else ""
