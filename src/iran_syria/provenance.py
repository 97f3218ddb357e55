"""Provenance per field: which sources, and where in them, stand behind each field of a record.

(The module is not named `evidence` after its function: importing a submodule binds its name on
the package, which would hide the function `iran_syria.evidence` behind the module.)

A citation with an empty `fields` supports the record as a whole; one that names fields
(`fatalities_low`, `date_start date_end`) supports those only. `evidence()` groups a record's
citations so:

>>> from iran_syria import evidence
>>> for field, items in evidence("evt-2020-01-03-soleimani-killed").items():
...     print(field or "(record)", [(e.source_id, e.locator) for e in items])
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .models import ID_PREFIXES, citable_fields
from .tombstones import UnresolvedIdError


@dataclass(frozen=True)
class Evidence:
    """One citation behind a field (or, with field None, behind the whole record)."""

    field: str | None  # None: the citation supports the record as a whole
    source_id: str
    locator: str
    note: str | None
    publisher: str
    title: str | None
    url: str | None
    published_date: date | None


def evidence(record_id: str, *, path: str | Path | None = None) -> dict[str | None, list[Evidence]]:
    """The sources behind each field of a record: field name -> its citations, in the table's
    column order, with None (the record as a whole) first. A citation naming several fields is
    listed under each. Only fields some citation names are keys; a field without a key rests on
    the whole-record citations.

    `path` is a package folder (default: the shipped package). Retracted and merged records
    are answered too: their citations stay. Raises UnresolvedIdError for an id that is in no
    table of the package.
    """
    from .loaders import load

    table = ID_PREFIXES.get(record_id.split("-", 1)[0])
    if table is None:
        raise UnresolvedIdError(
            f"{record_id}: not an id (act-, evt-, rel- or src- followed by a slug)"
        )
    ids = load(table, "arrow", include_retracted=True, path=path).column("id").to_pylist()
    if record_id not in ids:
        raise UnresolvedIdError(f"{record_id}: no such id in {table}")
    citations = _rows_of(load("citations", "arrow", include_retracted=True, path=path), record_id)
    sources = {
        row["id"]: row
        for row in load("sources", "arrow", include_retracted=True, path=path).to_pylist()
    }
    order = {name: index for index, name in enumerate(citable_fields(record_id))}
    found: dict[str | None, list[Evidence]] = {}
    for citation in citations:
        source = sources.get(citation["source_id"], {})
        names = citation["fields"].split(" ") if citation["fields"] else [None]
        for name in names:
            found.setdefault(name, []).append(
                Evidence(
                    field=name,
                    source_id=citation["source_id"],
                    locator=citation["locator"],
                    note=citation["note"],
                    publisher=source.get("publisher") or "",
                    title=source.get("title"),
                    url=source.get("url"),
                    published_date=source.get("published_date"),
                )
            )
    return dict(
        sorted(found.items(), key=lambda item: -1 if item[0] is None else order.get(item[0], 0))
    )


def _rows_of(citations: Any, record_id: str) -> list[dict[str, Any]]:
    import pyarrow.compute as pc

    mine = citations.filter(pc.equal(citations.column("record_id"), record_id))
    rows: list[dict[str, Any]] = mine.to_pylist()
    return rows
