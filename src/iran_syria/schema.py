"""Generate everything derived from the models: Table Schemas, the descriptor, JSON Schemas,
and the codebook; and check that the files on disk are current."""

from __future__ import annotations

import hashlib
import json
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import annotated_types
from pydantic import StringConstraints
from pydantic.fields import FieldInfo

from . import coverage, models
from .errors import PROBLEM_CODES
from .models import EVENT_MODES, TABLES, Record, Vocabulary

TABLESCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
DATAPACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"

#: Where the project is published: the package's `id` until a DOI exists, and the repository
#: URL in every citation. One line to change if the project moves.
REPOSITORY_URL = "https://github.com/iran-syria/iran-syria"

#: Package-level facts that are not derived from the data.
PACKAGE_METADATA: dict[str, Any] = {
    # Data Package 2.0 asks for a globally unique `id`, a URL or DOI; strict checkers want one.
    "id": REPOSITORY_URL,
    "name": "iran-syria-relations",
    "title": "Iran–Syria relations: events, actors and relations",
    "description": (
        "Events, actors and directed, time-bounded relations of the Iran–Syria alliance, from the "
        "1979 revolution and the Iran–Iraq war through Lebanon and the Syrian civil war to the "
        "fall of Assad's government and after, each record cited to its sources with a locator. "
        "Events use the PLOVER categories."
    ),
    "keywords": ["Iran", "Syria", "IRGC", "Quds Force", "Hezbollah", "conflict data", "PLOVER"],
    "licenses": [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Data: Creative Commons Attribution 4.0 International",
        },
        {
            "name": "MIT",
            "path": "https://opensource.org/license/mit/",
            "title": "Code (the iran-syria Python library): MIT License",
        },
    ],
    "contributors": [{"title": "iran-syria contributors", "roles": ["creator"]}],
    "homepage": REPOSITORY_URL,
    # The sources were read through this day: an empty relations.date_end means "ongoing as far
    # as the sources show" on this date.
    "coverage_end": "2026-11-30",
}


def package_version() -> str:
    """The version of the installed distribution; descriptor and CHANGELOG must agree with it."""
    from importlib.metadata import version  # ~40 ms to import: only when a version is asked

    return version("iran-syria")


# ---------------------------------------------------------------------------------------------
# Field specs: the one reading of the models that schemas and the validator share


@dataclass(frozen=True)
class FieldSpec:
    name: str
    datatype: str  # Table Schema type: string | integer | number | date | boolean
    required: bool
    description: str
    enum: tuple[str, ...] | None = None
    vocabulary: type[Vocabulary] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    min_length: int | None = None


def _unwrap(annotation: Any) -> tuple[Any, list[Any], bool]:
    """Base type, metadata and nullability of a field annotation (Optional/Annotated peeled)."""
    nullable = False
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        nullable = len(args) < len(typing.get_args(annotation))
        (annotation,) = args
    metadata: list[Any] = []
    if typing.get_origin(annotation) is typing.Annotated:
        annotation, *metadata = typing.get_args(annotation)
    return annotation, metadata, nullable


@cache
def field_specs(model: type[Record]) -> tuple[FieldSpec, ...]:
    """The columns of a table, in CSV order, as the Table Schema sees them (models are static,
    so this is computed once per table: the validator and loaders ask for it per row)."""
    specs = []
    for name, info in model.model_fields.items():
        base, inner, nullable = _unwrap(info.annotation)
        metadata = list(info.metadata) + inner
        constraints: dict[str, Any] = {}
        for item in metadata:
            nested = item.metadata if isinstance(item, FieldInfo) else [item]
            for meta in nested:
                if isinstance(meta, StringConstraints):
                    if meta.pattern:
                        constraints["pattern"] = meta.pattern
                    if meta.min_length:
                        constraints["min_length"] = meta.min_length
                elif isinstance(meta, annotated_types.Ge):
                    constraints["minimum"] = meta.ge
                elif isinstance(meta, annotated_types.Le):
                    constraints["maximum"] = meta.le
        if isinstance(base, type) and issubclass(base, Vocabulary):
            kind, vocabulary = "string", base
            constraints["enum"] = tuple(member.value for member in base)
        elif base is date:
            kind, vocabulary = "date", None
        elif base is bool:  # before int: bool is a subclass of int
            kind, vocabulary = "boolean", None
        elif base is int:
            kind, vocabulary = "integer", None
        elif base is float:
            kind, vocabulary = "number", None
        elif base is str:
            kind, vocabulary = "string", None
        else:  # pragma: no cover - a new field type must be mapped here first
            raise TypeError(f"{model.__name__}.{name}: no Table Schema type for {base!r}")
        required = not nullable and info.is_required()
        if name == "status":  # has a default for Python callers but the CSV must say it
            required = True
        specs.append(
            FieldSpec(
                name=name,
                datatype=kind,
                required=required,
                description=info.description or "",
                vocabulary=vocabulary,
                **constraints,
            )
        )
    return tuple(specs)


# ---------------------------------------------------------------------------------------------
# Table Schema, descriptor, JSON Schema


def table_schema(model: type[Record]) -> dict[str, Any]:
    """The Frictionless (Table Schema 2.0) schema of one table."""
    fields = []
    for spec in field_specs(model):
        field: dict[str, Any] = {
            "name": spec.name,
            "type": spec.datatype,
            "description": spec.description,
        }
        if spec.datatype == "date":
            field["format"] = "default"
        if spec.datatype == "boolean":
            # only the words the package writes; "1", "yes" or "True" are not booleans here
            field["trueValues"] = ["true"]
            field["falseValues"] = ["false"]
        if spec.vocabulary is not None:
            field["categories"] = list(spec.enum or ())
        constraints: dict[str, Any] = {}
        if spec.required:
            constraints["required"] = True
        if spec.enum is not None:
            constraints["enum"] = list(spec.enum)
        if spec.pattern is not None:
            constraints["pattern"] = spec.pattern
        if spec.min_length is not None:
            constraints["minLength"] = spec.min_length
        if spec.minimum is not None:
            constraints["minimum"] = spec.minimum
        if spec.maximum is not None:
            constraints["maximum"] = spec.maximum
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    schema: dict[str, Any] = {
        "$schema": TABLESCHEMA_PROFILE,
        "fields": fields,
        "missingValues": [""],
        "primaryKey": list(model.primary_key),
    }
    if model.unique_keys:
        schema["uniqueKeys"] = [list(key) for key in model.unique_keys]
    foreign_keys = []
    for key in model.foreign_keys:
        reference: dict[str, Any] = {"fields": [key.ref_field]}
        # Table Schema 2.0: a reference without "resource" points at the same table.
        if key.table != model.table_name:
            reference = {"resource": key.table, **reference}
        else:
            reference = {"resource": "", **reference}
        foreign_keys.append({"fields": [key.field], "reference": reference})
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def file_digest(path: Path) -> tuple[str, int]:
    """sha256 hex digest and size in bytes of a file."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


#: Tables generated from the models, not curated: `iran-syria schemas` writes them.
GENERATED_TABLES = ("relation_types",)


def relation_types_csv() -> str:
    """data/relation_types.csv: models.RELATION_TYPES as a table (see relation_type_rows)."""
    import csv
    import io

    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(models.RelationTypeRow.model_fields)
    for row in models.relation_type_rows():
        writer.writerow(row.to_row().values())
    return stream.getvalue()


def build_descriptor(package_dir: Path) -> dict[str, Any]:
    """The datapackage.json for the CSVs in package_dir/data, hashes included (a generated
    table's hash is that of the text the models generate, which `schemas` writes beside it)."""
    resources = []
    for name, model in TABLES.items():
        csv_path = package_dir / "data" / f"{name}.csv"
        if name in GENERATED_TABLES:
            data = relation_types_csv().encode("utf-8")
            digest, size = hashlib.sha256(data).hexdigest(), len(data)
        else:
            digest, size = file_digest(csv_path)
        resources.append(
            {
                "name": name,
                "type": "table",
                "path": f"data/{name}.csv",
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": model.table_title,
                "description": model.table_description,
                "hash": f"sha256:{digest}",
                "bytes": size,
                "dialect": {
                    "$schema": "https://datapackage.org/profiles/2.0/tabledialect.json",
                    "header": True,
                    "delimiter": ",",
                    "lineTerminator": "\n",
                    "quoteChar": '"',
                    "doubleQuote": True,
                },
                "schema": table_schema(model),
            }
        )
    metadata = dict(PACKAGE_METADATA)
    return {
        "$schema": DATAPACKAGE_PROFILE,
        "id": metadata.pop("id"),
        "name": metadata.pop("name"),
        "version": package_version(),
        "title": metadata.pop("title"),
        "description": metadata.pop("description"),
        "keywords": metadata.pop("keywords"),
        "licenses": metadata.pop("licenses"),
        "contributors": metadata.pop("contributors"),
        "sources": _package_sources(package_dir),
        "coverage_start": _coverage_start(package_dir),
        **metadata,
        "resources": resources,
    }


def _read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV for descriptor metadata; tolerant, since the validator reports faults."""
    import csv
    import io

    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
        return list(csv.DictReader(io.StringIO(text, newline="")))
    except (OSError, csv.Error):
        return []


def _package_sources(package_dir: Path) -> list[dict[str, str]]:
    """The sources table, as the descriptor's list of sources (title and URL where known)."""
    listed = []
    for row in _read_rows(package_dir / "data" / "sources.csv"):
        entry = {"title": row.get("title") or row.get("publisher") or row.get("id") or "untitled"}
        if row.get("url"):
            entry["path"] = row["url"]
        listed.append(entry)
    return listed


def _coverage_start(package_dir: Path) -> str | None:
    """The earliest date_start among the events."""
    starts = [
        row["date_start"]
        for row in _read_rows(package_dir / "data" / "events.csv")
        if row.get("date_start")
    ]
    return min(starts) if starts else None


def json_schema(model: type[Record]) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of one record, as Pydantic generates it."""
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"iran-syria/{model.table_name}.schema.json"
    return schema


def dump_json(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------------------------
# The codebook


#: Our date precision words as codes of other datasets, for recoding. None: no equivalent.
#: UCDP GED `date_prec`: 1 exact day, 2 a span of 2-6 days, 3 a week, 4 a month, 5 a year.
#: ACLED `time_precision`: 1 actual date, 2 a week or similar period, 3 a month.
#: Wikidata (Wikibase time value) precision: 8 decade, 9 year, 10 month, 11 day.
DATE_PRECISION_CROSSWALK: dict[str, dict[str, int | None]] = {
    "ucdp_date_prec": {
        "day": 1,
        "week": 3,
        "month": 4,
        "quarter": None,
        "year": 5,
        "decade": None,
    },
    "acled_time_precision": {
        "day": 1,
        "week": 2,
        "month": 3,
        "quarter": None,
        "year": None,
        "decade": None,
    },
    "wikidata_precision": {
        "day": 11,
        "week": None,
        "month": 10,
        "quarter": None,
        "year": 9,
        "decade": 8,
    },
}

#: Our geo precision words as codes of other datasets. None: no equivalent.
#: UCDP GED `where_prec`: 1 exact place, 2 within a limited area around a place, 3 ADM2,
#: 4 ADM1, 5 part of a country larger than ADM1 (and other vague cases), 6 the whole country,
#: 7 water or international airspace. ACLED `geo_precision`: 1 a particular town, 2 a small
#: part of a region or near a town, 3 a larger region (or the provincial capital).
GEO_PRECISION_CROSSWALK: dict[str, dict[str, int | None]] = {
    "ucdp_where_prec": {
        "exact": 1,
        "near": 2,
        "adm2": 3,
        "adm1": 4,
        "region": 5,
        "country": 6,
        "unknown": None,
    },
    "acled_geo_precision": {
        "exact": 1,
        "near": 2,
        "adm2": 2,
        "adm1": 3,
        "region": 3,
        "country": None,
        "unknown": None,
    },
}

#: Where the definitions do not coincide, the code given is the nearest one; marked ≈.
_APPROXIMATE = {
    ("acled_geo_precision", "adm2"),
    ("acled_geo_precision", "adm1"),
    ("ucdp_where_prec", "region"),
}


def _crosswalk_lines() -> list[str]:
    def cell(system: str, word: str, code: int | None) -> str:
        if code is None:
            return "no equivalent"
        return f"≈ {code}" if (system, word) in _APPROXIMATE else str(code)

    def rows(words: Iterable[Vocabulary], crosswalk: dict[str, dict[str, int | None]]) -> list[str]:
        """One table row per word: its code in each scheme of the crosswalk."""
        return [
            f"| `{word.value}` | "
            + " | ".join(
                cell(system, word.value, codes[word.value]) for system, codes in crosswalk.items()
            )
            + " |"
            for word in words
        ]

    lines = [
        "## Precision crosswalks",
        "",
        "Our precision words as the codes of UCDP GED (codebook: `date_prec`, `where_prec`), "
        "ACLED (codebook: `time_precision`, `geo_precision`) and Wikidata (time value "
        "`precision` of the Wikibase data model), for recoding. ≈ marks the nearest code where "
        'the definitions do not coincide; "no equivalent" means the other scheme has no such '
        "level. Also in `iran_syria.schema.DATE_PRECISION_CROSSWALK` and "
        "`GEO_PRECISION_CROSSWALK`.",
        "",
        "| date_precision | UCDP GED `date_prec` | ACLED `time_precision` | Wikidata precision |",
        "|---|---|---|---|",
    ]
    lines += rows(models.DatePrecision, DATE_PRECISION_CROSSWALK)
    lines += [
        "",
        "UCDP's `date_prec` 2 (a span of two to six days) has no word here: such an event is "
        "coded at the finest precision whose grid holds both of its bounds.",
        "",
        "| geo_precision | UCDP GED `where_prec` | ACLED `geo_precision` |",
        "|---|---|---|",
    ]
    lines += rows(models.GeoPrecision, GEO_PRECISION_CROSSWALK)
    lines += [
        "",
        "UCDP's `where_prec` 7 (water or international airspace) has no word here.",
        "",
    ]
    return lines


def _panel_lines() -> list[str]:
    """The codebook's section on the dyad-year, state-dyad-year and actor-year panels."""
    from . import panels

    def names(words: Iterable[str]) -> str:
        return ", ".join(f"`{word}`" for word in words)

    flag = panels.UNCONFIRMED_SUFFIX
    events = panels.event_columns()
    actor = panels.columns("actor_year")
    roles = [name for name in actor if name.startswith("events_as_")]
    counts = [name for name in actor if name.startswith("relations_")]
    first = panels.FIRST_YEAR
    return [
        "## Panels",
        "",
        "`iran_syria.panel(unit, start=None, end=None)` returns, and "
        "`iran-syria export --format panels` writes as `<unit>.csv` and `<unit>.parquet`, "
        "three panels built from the active records: retracted and merged records are left "
        "out, and an actor merged into another counts as the actor it was merged into.",
        "",
        "- **Units.** `dyad_year`: one row per directed pair of actors (`source_id` to "
        "`target_id`) and calendar year in which a relation between them is active or an "
        "event has one as `source` and the other as `target` (event_actors roles). "
        "`state_dyad_year`: the dyad-years whose two actors are of kind `state`, with their "
        "COW codes (`ccode1`, `ccode2`) and Gleditsch–Ward codes (`gwcode1`, `gwcode2`). "
        "`actor_year`: one row per actor and year in which it has an event (any role) or an "
        "active relation. Rows are sorted by year, then the actor ids. A relation or event "
        "belongs to the actors it names: nothing is carried from a unit or a person to its "
        "state (the IRGC's relations are not Iran's).",
        f"- **Years.** By default {first} to the year of the package's `coverage_end`; "
        "`start` and `end` (years, inclusive) clip the panels.",
        "- **Relations.** A relation is active in every calendar year it covers on at least "
        "one day: from the year of `date_start` to the year of `date_end`, or, when `date_end` "
        "is empty (ongoing), to the year of `coverage_end`. Active on any day of a year means "
        "active that year. The bounds are those of the record at its precision, the widest "
        "the sources allow: a relation dated only to a decade counts from the decade's first "
        "year (filter `relations` on `start_precision` for a stricter reading).",
        "- **Symmetric types** (" + names(sorted(models.SYMMETRIC_RELATIONS)) + ") are stored "
        "once but hold both ways: both directed rows of the pair are true.",
        "- **Events** count in the year of their `date_start`, so an event spanning a New Year "
        "counts once, in the year it began. An event counts once in each (source, target) pair "
        "it has; an actor paired with itself (two ends merged into one) is left out.",
        f"- **Flags.** For each relation column `<column>` there is `<column>{flag}`: true when "
        "the column is true and every relation behind it that year is attributed `alleged`, "
        "`claimed`, `disputed` or `denied` (none `confirmed` or `reported`); false otherwise, "
        "and always false when the column is false. Filter them out for a confirmed-or-"
        "reported reading, as users of UCDP's External Support Dataset often set alleged "
        "support aside.",
        "- **Codes.** `ccode*`/`gwcode*` (and `ccode`, `gwcode` in `actor_year`, states only) "
        "come from `external_ids` (schemes `cow`, `gw`): the code that applies on some day of "
        "the year, and where two do, the one in effect last (Germany in 1990: COW 255; it is "
        "260 until 2 October 1990; GW keeps 260). A state-year without a COW code is left out "
        "of `state_dyad_year` (the shipped package has none); a missing GW code is left empty. "
        "The codes are used unchanged after the last year of the COW and GW lists.",
        "- **Merging.** `state_dyad_year` merges on `ccode1, ccode2, year` with the directed "
        "dyad-years of peacesciencer's `create_dyadyears()` (COW system), or on `gwcode1, "
        'gwcode2, year` with `create_dyadyears(system = "gw")`; `actor_year` merges on '
        "`ccode, year` (or `gwcode, year`) with COW state-year files such as "
        "`create_stateyears()`. A dyad-year missing from the panel has no relation and no "
        "event in the data: after a left join from the peacesciencer frame, fill the boolean "
        "columns with false and the counts with 0.",
        "- **Types.** `year`, the codes and the counts are nullable integers (pandas `Int64`), "
        "relation columns and flags booleans (`boolean`), ids and names text (`string`); "
        '`pandas.read_csv(path, dtype_backend="numpy_nullable")` reads an exported CSV back '
        "with the same dtypes.",
        "",
        "| panel | columns | type | meaning |",
        "|---|---|---|---|",
        "| all | `year` | integer | calendar year |",
        "| dyad_year, state_dyad_year | `source_id`, `target_id`, `source_name`, `target_name` "
        "| text | the directed pair's actors |",
        "| state_dyad_year | `ccode1`, `ccode2` | integer | COW state numbers of source and "
        "target |",
        "| state_dyad_year | `gwcode1`, `gwcode2` | integer | Gleditsch–Ward numbers of source "
        "and target (empty if none) |",
        *(
            f"| dyad_year, state_dyad_year | `{column}` | boolean | source *{label}* target, on "
            "some day of the year |"
            for column, label in panels.relation_column_labels().items()
        ),
        f"| dyad_year, state_dyad_year | `<column>{flag}` for each of those | boolean | all "
        "evidence for the column that year is alleged, claimed, disputed or denied |",
        f"| dyad_year, state_dyad_year | {names(events)} | integer | events of that PLOVER "
        "category starting that year with source_id as a source and target_id as a target |",
        "| actor_year | `actor_id`, `actor_name`, `kind` | text | the actor |",
        "| actor_year | `ccode`, `gwcode` | integer | COW and Gleditsch–Ward numbers (states "
        "only) |",
        "| actor_year | `events` | integer | events starting that year in which the actor has "
        "any role |",
        f"| actor_year | {names(roles)} | integer | of those, the events in which it has that "
        "role |",
        f"| actor_year | {names(events)} | integer | of those, the events of that PLOVER "
        "category |",
        f"| actor_year | {names(counts)} | integer | relations of that type active that year "
        "with the actor as source (`out`) or target (`in`); a symmetric one counts both ways |",
        "",
    ]


#: The UCDP External Support Dataset, whose support categories esd_category names.
ESD_REFERENCE = (
    "Meier, Karlén, Pettersson & Croicu (2023), External support in armed conflicts: "
    "Introducing the UCDP external support dataset (ESD), 1975–2017, Journal of Peace "
    "Research 60(3): 545–554, doi:10.1177/00223433221079864"
)


def _relation_type_lines() -> list[str]:
    def kinds(words: frozenset[models.ActorKind]) -> str:
        if words == frozenset(models.ActorKind):
            return "any"
        return ", ".join(kind.value for kind in models.ActorKind if kind in words)

    lines = [
        "## Relation types and modes",
        "",
        "One row per relation type and mode (the type alone where it takes no mode), as in the "
        "generated table `relation_types` and in `iran_syria.models.RELATION_TYPES`; "
        '`iran_syria.models.relation_label("supports", "weapons")` reads a relation aloud '
        "(`inverse=True` from the target's side). A relation whose source or target is of a "
        "kind not listed for its type and mode is reported as `bad-actor-kind`.",
        "",
        "| relation_type | relation_mode | reads (source → target / target → source) "
        "| source kinds | target kinds | ESD category |",
        "|---|---|---|---|---|---|",
    ]
    for (relation_type, mode), spec in models.RELATION_TYPES.items():
        lines.append(
            f"| `{relation_type.value}` | {f'`{mode.value}`' if mode else ''} "
            f"| {spec.label} / {spec.inverse_label} | {kinds(spec.source_kinds)} "
            f"| {kinds(spec.target_kinds)} | {spec.esd_category or ''} |"
        )
    lines += [
        "",
        "Symmetric types (stored once, source_id < target_id; `directed` is false): "
        + ", ".join(f"`{t.value}`" for t in sorted(models.SYMMETRIC_RELATIONS)),
        "",
        "The ESD category is the nearest support category of the UCDP External Support "
        f"Dataset ({ESD_REFERENCE}), which codes support to warring parties by type "
        "(troops as secondary warring party, access to territory, weapons, materiel and "
        "logistics, training and expertise, funding, intelligence, other). Only `supports` "
        "has a counterpart there; political backing has none. The words are the category "
        "names, not the ESD's variable codes, which have not yet been checked against its "
        "codebook.",
        "",
    ]
    return lines


def codebook() -> str:
    """CODEBOOK.md: every table, field, constraint and vocabulary word, and the problem codes."""
    lines = [
        "# Codebook: iran-syria-relations",
        "",
        "<!-- GENERATED by `iran-syria schemas` from src/iran_syria/models.py; do not edit. -->",
        "",
        f"Version {package_version()}. Tables are UTF-8 CSV (no BOM, LF, comma, header row); "
        "an empty cell is a null. Text is NFC without control, bidi-override or zero-width "
        "characters and without surrounding spaces.",
        "",
        "## Coverage",
        "",
        coverage.STATEMENT,
        "",
        "`iran-syria info` prints the events per era "
        f"({', '.join(name for name, _, _ in coverage.ERAS)}) and the sourcing figures.",
        "",
        "## Tables",
        "",
    ]
    for name, model in TABLES.items():
        lines += [f"### {name}", "", model.table_description, ""]
        lines.append(f"Primary key: ({', '.join(model.primary_key)}).")
        for key in model.unique_keys:
            lines.append(f"Unique: ({', '.join(key)}).")
        for fk in model.foreign_keys:
            lines.append(f"`{fk.field}` references `{fk.table}.{fk.ref_field}`.")
        if name in GENERATED_TABLES:
            lines.append("Generated from the models by `iran-syria schemas`; never edited by hand.")
        if name in ("citations", "external_ids"):
            lines.append(
                "`record_id` references the table its prefix names (act-, evt-, rel-, src-)."
            )
        lines += [
            "",
            "| field | type | required | constraints | description |",
            "|---|---|---|---|---|",
        ]
        for spec in field_specs(model):
            constraint = []
            if spec.vocabulary is not None:
                constraint.append(f"vocabulary `{spec.vocabulary.__name__}`")
            if spec.pattern:
                constraint.append(f"pattern `{spec.pattern}`")
            if spec.minimum is not None:
                constraint.append(f"≥ {spec.minimum:g}")
            if spec.maximum is not None:
                constraint.append(f"≤ {spec.maximum:g}")
            required = "yes" if spec.required else ""
            description = spec.description.replace("|", "\\|")
            lines.append(
                f"| `{spec.name}` | {spec.datatype} | {required} | {'; '.join(constraint)} | {description} |"
            )
        lines.append("")
    from .recipes import reading_section  # it reads field specs from this module

    lines += [reading_section().rstrip(), ""]
    lines += ["## Vocabularies", ""]
    for vocabulary in models.VOCABULARIES:
        lines += [f"### {vocabulary.__name__}", ""]
        if vocabulary.__doc__ and vocabulary.__doc__ != Vocabulary.__doc__:
            lines += [vocabulary.__doc__.strip(), ""]
        lines += ["| word | definition |", "|---|---|"]
        lines += [f"| `{word.value}` | {word.definition} |" for word in vocabulary]
        lines.append("")
    lines += [
        "## PLOVER categories and their modes",
        "",
        "`event_type` is one of the 16 categories of PLOVER (Political Language Ontology for "
        "Verifiable Event Records); `event_mode` must be one of its category's modes.",
        "",
        "| event_type | definition | modes |",
        "|---|---|---|",
    ]
    for event_type, modes in EVENT_MODES.items():
        shown_modes = ", ".join(sorted(f"`{m.value}`" for m in modes))
        lines.append(f"| `{event_type.value}` | {event_type.definition} | {shown_modes} |")
    lines += [
        "",
        *_relation_type_lines(),
        *_crosswalk_lines(),
        *_panel_lines(),
        "## Problem codes",
        "",
        "What `iran-syria validate` reports. Codes are stable.",
        "",
        "| code | severity | meaning |",
        "|---|---|---|",
    ]
    lines += [f"| `{c.code}` | {c.severity.value} | {c.summary} |" for c in PROBLEM_CODES.values()]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Writing and checking


def generated_files(package_dir: Path, schemas_dir: Path) -> dict[Path, str]:
    """Every generated file and the text it must hold."""
    files = {
        package_dir / "data" / "relation_types.csv": relation_types_csv(),
        package_dir / "datapackage.json": dump_json(build_descriptor(package_dir)),
        package_dir / "CODEBOOK.md": codebook(),
    }
    for name, model in TABLES.items():
        files[schemas_dir / f"{name}.tableschema.json"] = dump_json(table_schema(model))
        files[schemas_dir / f"{name}.schema.json"] = dump_json(json_schema(model))
    return files


def stale_files(package_dir: Path, schemas_dir: Path) -> list[Path]:
    """Generated files whose content on disk differs from what the models generate."""
    stale = []
    for path, text in generated_files(package_dir, schemas_dir).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
    expected = {
        path.name
        for path in generated_files(package_dir, schemas_dir)
        if path.parent == schemas_dir
    }
    stale += sorted(p for p in schemas_dir.glob("*.json") if p.name not in expected)
    return stale


def write_files(package_dir: Path, schemas_dir: Path) -> list[Path]:
    """Write every generated file that changed; return the paths written."""
    schemas_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path, text in generated_files(package_dir, schemas_dir).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8", newline="\n")
            written.append(path)
    return written
