"""A record's fields as the page shows them: the codebook's words for each field, and each value
said for a reader (dates at their precision, vocabulary words with their definitions, ids as
links to the records they name)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from ..models import TABLES, Vocabulary
from ..schema import PACKAGE_METADATA, field_specs
from .data import Row, SiteData
from .dates import say_partial, say_period

#: Languages written right to left: their text gets dir="auto" and its lang.
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "yi"})


@dataclass(frozen=True)
class FieldView:
    name: str
    description: str
    value: Markup


def href(root: str, table: str, record_id: str | None = None) -> str:
    """A relative link that works from disk too (file:// shows no index.html by itself)."""
    return f"{root}{table}/{record_id}/index.html" if record_id else f"{root}{table}/index.html"


def record_link(data: SiteData, root: str, record_id: str) -> Markup:
    """A link to a record, with its name; the id alone when the record is unknown."""
    if record_id not in data.by_id:
        return Markup("<code>{}</code>").format(record_id)
    return Markup('<a href="{}">{}</a>').format(
        href(root, data.table_of(record_id), record_id), data.name_of(record_id)
    )


def time_tag(day: date | None, precision: str) -> Markup:
    if day is None:
        return Markup("")
    return Markup('<time datetime="{}">{}</time>').format(
        day.isoformat(), say_period(day, precision)
    )


def partial_time_tag(value: str | None) -> Markup:
    if not value:
        return Markup("")
    return Markup('<time datetime="{}">{}</time>').format(value, say_partial(value))


def vocabulary_word(word: Any, vocabulary: type[Vocabulary] | None) -> Markup:
    if word is None:
        return Markup("")
    text = str(word)
    definition = vocabulary(text).definition if vocabulary else ""
    if not definition:
        return Markup('<span class="word">{}</span>').format(text)
    return Markup('<span class="word">{}</span> <span class="definition">— {}</span>').format(
        text, definition
    )


def external_link(url: str | None) -> Markup:
    if not url:
        return Markup("")
    return Markup('<a class="external" href="{}" rel="noopener">{}</a>').format(url, url)


def _value(data: SiteData, root: str, table: str, row: Row, name: str, spec: Any) -> Markup:
    value = row.get(name)
    if name == "merged_into" or name in ("source_id", "target_id"):
        return record_link(data, root, value) if value else Markup("")
    if name in ("url", "archive_url"):
        return external_link(value)
    if spec.vocabulary is not None:
        return vocabulary_word(value, spec.vocabulary)
    if table == "events" and name in ("date_start", "date_end"):
        return time_tag(value, row["date_precision"])
    if table == "relations" and name == "date_start":
        return time_tag(value, row["start_precision"])
    if table == "relations" and name == "date_end":
        if value is None:
            return Markup("ongoing as far as the sources show (read through {})").format(
                say_period(date.fromisoformat(PACKAGE_METADATA["coverage_end"]), "day")
            )
        return time_tag(value, row["end_precision"] or "day")
    if table == "sources" and name == "published_date":
        return time_tag(value, row["date_precision"] or "day")
    if isinstance(value, date):
        return time_tag(value, "day")
    if table == "actors" and name in ("start_date", "end_date"):
        return partial_time_tag(value)
    if value is None:
        return Markup("")
    return Markup("{}").format(value)


def field_views(data: SiteData, root: str, table: str, row: Row) -> list[FieldView]:
    """Every field of the record, in the codebook's order, with the codebook's description."""
    return [
        FieldView(spec.name, spec.description, _value(data, root, table, row, spec.name, spec))
        for spec in field_specs(TABLES[table])
    ]


def text_direction(language: str | None) -> str:
    """'auto' for text in a right-to-left language and script ('fa', 'ar'; not 'fa-Latn')."""
    subtags = (language or "").split("-")
    latin_script = any(tag.title() in ("Latn", "Cyrl") for tag in subtags[1:])
    return "auto" if subtags[0] in RTL_LANGUAGES and not latin_script else "ltr"


def escape_text(text: str) -> Markup:
    return escape(text)
