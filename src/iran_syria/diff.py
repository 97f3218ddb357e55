"""Diff two releases of the package: records and schema, and the SemVer bump they require.

Records are matched by primary key. Ids are never removed (a withdrawn record is retracted, a
duplicate merged), so a row whose id disappears breaks the tombstone rule and requires a major
release. The rules, strongest first:

- major: a table or column removed or renamed, a column's type changed, a constraint narrowed
  (required added, pattern changed, a bound tightened, the primary key changed, the column order
  changed), a vocabulary word removed, or a record with an id removed;
- minor: a new table, column or vocabulary word, a constraint widened, or rows added;
- patch: values of existing rows corrected, a record retracted or merged (its row and id stay),
  or a row without an id (a citation, alias, external id or event role) removed;
- none: nothing in the tables or their schemas changed.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import tomllib
import types
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._locate import DESCRIPTOR, resolve_package_dir, resource_file, verified_bytes
from .errors import IranSyriaError

BUMPS = ("none", "patch", "minor", "major")
FORMATS = ("text", "json", "csv", "markdown")
#: The columns of changes.csv (and of `iran-syria diff --format csv`).
CSV_COLUMNS = ("table", "key", "change", "field", "old", "new", "bump")

_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$"
)
_CHANGELOG_ENTRY = re.compile(r"^## \[(\d+\.\d+\.\d+[^\]]*)\]", re.M)


class VersionError(IranSyriaError):
    """A version string that is not Semantic Versioning (MAJOR.MINOR.PATCH)."""


def _stronger(*bumps: str) -> str:
    return max(bumps, key=BUMPS.index, default="none")


# ---------------------------------------------------------------------------------------------
# The result


@dataclass(frozen=True)
class FieldChange:
    """One cell's value before and after."""

    field: str
    old: str
    new: str


@dataclass(frozen=True)
class RecordChange:
    """One row added, removed, retracted, merged or changed, matched by its primary key."""

    table: str
    key: dict[str, str]
    change: str  # added | removed | retracted | merged | changed
    bump: str
    changes: tuple[FieldChange, ...] = ()
    record: dict[str, str] | None = None  # the whole row, for added and removed rows

    @property
    def label(self) -> str:
        """The key as one string: the id, or the composite key's values joined by ' | '."""
        return " | ".join(self.key.values())

    def to_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"table": self.table, "key": self.key, "bump": self.bump}
        if self.changes:
            entry["changes"] = [vars(change) for change in self.changes]
        if self.record is not None:
            entry["record"] = self.record
        return entry


@dataclass(frozen=True)
class SchemaChange:
    """One change to a table, a column, its type, its constraints or its vocabulary."""

    table: str
    field: str | None
    change: str  # table-added, column-removed, type-changed, word-added, ...
    bump: str
    old: str = ""
    new: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "field": self.field,
            "change": self.change,
            "old": self.old,
            "new": self.new,
            "bump": self.bump,
        }


@dataclass
class Diff:
    """What changed from one release of the package to another, and the bump it requires."""

    old: str
    new: str
    old_version: str
    new_version: str
    records: list[RecordChange] = field(default_factory=list)
    schema: list[SchemaChange] = field(default_factory=list)

    def _kind(self, change: str) -> list[RecordChange]:
        return [record for record in self.records if record.change == change]

    @property
    def added(self) -> list[RecordChange]:
        return self._kind("added")

    @property
    def removed(self) -> list[RecordChange]:
        return self._kind("removed")

    @property
    def retracted(self) -> list[RecordChange]:
        return self._kind("retracted")

    @property
    def merged(self) -> list[RecordChange]:
        return self._kind("merged")

    @property
    def changed(self) -> list[RecordChange]:
        return self._kind("changed")

    @property
    def bump(self) -> str:
        """The smallest SemVer bump that tells the truth about these changes."""
        return _stronger(*(c.bump for c in self.records), *(c.bump for c in self.schema))

    @property
    def version_bump(self) -> str:
        """The bump from old_version to new_version: none, patch, minor, major or backwards."""
        return version_bump(self.old_version, self.new_version)

    def summary(self) -> str:
        counts = ", ".join(
            f"{len(self._kind(kind))} {kind}"
            for kind in ("added", "removed", "retracted", "merged", "changed")
            if self._kind(kind)
        )
        records = f"{len(self.records)} record changes" + (f" ({counts})" if counts else "")
        return (
            f"{records}, {len(self.schema)} schema changes; requires {_article(self.bump)} "
            f"({self.old_version} -> {self.new_version} is {_article(self.version_bump)})"
        )

    # -- formats ------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": {"path": self.old, "version": self.old_version},
            "new": {"path": self.new, "version": self.new_version},
            "bump": self.bump,
            "version_bump": self.version_bump,
            "added": [c.to_dict() for c in self.added],
            "removed": [c.to_dict() for c in self.removed],
            "retracted": [c.to_dict() for c in self.retracted],
            "merged": [c.to_dict() for c in self.merged],
            "changed": [c.to_dict() for c in self.changed],
            "schema": [c.to_dict() for c in self.schema],
            "summary": self.summary(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def rows(self) -> list[dict[str, str]]:
        """One row per change (per field for changed records), as in changes.csv."""
        rows: list[dict[str, str]] = []
        for change in self.schema:
            rows.append(
                {
                    "table": change.table,
                    "key": "",
                    "change": change.change,
                    "field": change.field or "",
                    "old": change.old,
                    "new": change.new,
                    "bump": change.bump,
                }
            )
        for record in self.records:
            base = {"table": record.table, "key": record.label, "change": record.change}
            if not record.changes:
                rows.append({**base, "field": "", "old": "", "new": "", "bump": record.bump})
            for cell in record.changes:
                cells = {"field": cell.field, "old": cell.old, "new": cell.new}
                rows.append({**base, **cells, "bump": record.bump})
        return rows

    def to_csv(self) -> str:
        buffer = io.StringIO(newline="")
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows())
        return buffer.getvalue()

    def counts(self) -> list[dict[str, int | str]]:
        """Per table, how many records were added, removed, retracted, merged and changed."""
        kinds = ("added", "removed", "retracted", "merged", "changed")
        tables = sorted({record.table for record in self.records})
        return [
            {"table": table, **{k: sum(r.table == table for r in self._kind(k)) for k in kinds}}
            for table in tables
        ]

    def to_markdown(self, limit: int | None = None) -> str:
        lines = [
            f"## Changes {self.old_version} → {self.new_version}",
            "",
            f"{self.summary()}.",
        ]
        counts = self.counts()
        if counts:
            # A reviewer reads the shape of a change first; the rows follow.
            header = list(counts[0])
            lines += ["", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            lines += ["| " + " | ".join(str(row[c]) for c in header) + " |" for row in counts]
        rows = self.rows()
        shown = rows if limit is None else rows[:limit]
        if shown:
            lines += ["", "| " + " | ".join(CSV_COLUMNS) + " |", "|" + "---|" * len(CSV_COLUMNS)]
            for row in shown:
                cells = (_markdown_cell(row[column]) for column in CSV_COLUMNS)
                lines.append("| " + " | ".join(cells) + " |")
        if len(shown) < len(rows):
            lines += ["", _more(len(rows) - len(shown))]
        return "\n".join(lines)

    def to_text(self, limit: int | None = None) -> str:
        lines = [f"schema: {_text_schema(change)}" for change in self.schema]
        lines += [_text_record(record) for record in self.records]
        if limit is not None and len(lines) > limit:
            lines = [*lines[:limit], _more(len(lines) - limit)]
        return "\n".join([*lines, self.summary()])

    def format(self, style: str, limit: int | None = None) -> str:
        """The diff as text, json, csv or markdown; text and markdown show at most `limit` rows."""
        if style not in FORMATS:
            raise IranSyriaError(f"no format {style!r}; the formats are {', '.join(FORMATS)}")
        if style == "text":
            return self.to_text(limit)
        if style == "markdown":
            return self.to_markdown(limit)
        return self.to_json() if style == "json" else self.to_csv()


def _article(bump: str) -> str:
    if bump == "none":
        return "no release"
    if bump == "backwards":
        return "a step backwards"
    return f"a {bump} release"


def _more(hidden: int) -> str:
    rows = "change row" if hidden == 1 else "change rows"
    return f"… and {hidden} more {rows}; `iran-syria diff OLD NEW --format csv` lists them all."


def _markdown_cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", "<br>")


def _text_schema(change: SchemaChange) -> str:
    where = f"{change.table}.{change.field}" if change.field else change.table
    detail = change.change.replace("-", " ")
    if change.old or change.new:
        detail += f": {change.old!r} -> {change.new!r}"
    return f"{where}: {detail} [{change.bump}]"


def _text_record(record: RecordChange) -> str:
    head = f"{record.table}: {record.change} {record.label}"
    if record.change == "removed" and record.bump == "major":
        head += " (an id was removed; retract or merge it instead)"
    if not record.changes:
        return f"{head} [{record.bump}]"
    cells = "; ".join(f"{c.field}: {c.old!r} -> {c.new!r}" for c in record.changes)
    return f"{head}: {cells} [{record.bump}]"


# ---------------------------------------------------------------------------------------------
# Reading one release


@dataclass
class _Table:
    schema: dict[str, Any]
    header: list[str]
    key: tuple[str, ...]
    rows: dict[tuple[str, ...], dict[str, str]]


@dataclass
class _Release:
    path: str
    version: str
    tables: dict[str, _Table]


def _read_release(path: str | Path) -> _Release:
    package_dir = resolve_package_dir(path)
    descriptor_path = package_dir / DESCRIPTOR
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise IranSyriaError(
            f"{descriptor_path}: cannot read the descriptor ({error}); "
            f"run `iran-syria validate {package_dir}`"
        ) from None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise IranSyriaError(f"{descriptor_path}: not a data package descriptor with resources")
    tables = {}
    for resource in descriptor["resources"]:
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            continue
        name = resource["name"]
        schema = resource.get("schema") if isinstance(resource.get("schema"), dict) else {}
        header, records = _read_rows(package_dir, descriptor, resource)
        key = _primary_key(name, schema or {}, header)
        rows = {tuple(row.get(column, "") for column in key): row for row in records}
        tables[name] = _Table(schema=schema or {}, header=header, key=key, rows=rows)
    return _Release(str(path), str(descriptor.get("version", "")), tables)


def _read_rows(
    package_dir: Path, descriptor: dict[str, Any], resource: dict[str, Any]
) -> tuple[list[str], list[dict[str, str]]]:
    """A resource's header and rows, after checking its bytes against the declared sha256."""
    file_path = resource_file(package_dir, descriptor, resource["name"])
    data = verified_bytes(package_dir, descriptor, resource["name"], require_hash=False)
    try:
        reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        header = next(reader, [])
        return header, [dict(zip(header, cells, strict=False)) for cells in reader if cells]
    except (UnicodeDecodeError, csv.Error) as error:
        raise IranSyriaError(
            f"{file_path}: cannot parse the CSV ({error}); run `iran-syria validate`"
        ) from None


def _primary_key(table: str, schema: dict[str, Any], header: list[str]) -> tuple[str, ...]:
    from .models import TABLES

    if table in TABLES:
        return TABLES[table].primary_key
    declared = schema.get("primaryKey")
    if isinstance(declared, str):
        return (declared,)
    if isinstance(declared, list) and declared:
        return tuple(str(column) for column in declared)
    return tuple(header)


# ---------------------------------------------------------------------------------------------
# Comparing


def diff(old: str | Path, new: str | Path) -> Diff:
    """Compare two releases (package folders, descriptors or bundles): records and schema."""
    before, after = _read_release(old), _read_release(new)
    result = Diff(str(old), str(new), before.version, after.version)
    for table in _table_order(before.tables, after.tables):
        old_table, new_table = before.tables.get(table), after.tables.get(table)
        if old_table is None:
            result.schema.append(SchemaChange(table, None, "table-added", "minor"))
            assert new_table is not None
            result.records += _rows_added(table, new_table, new_table.rows)
            continue
        if new_table is None:
            result.schema.append(SchemaChange(table, None, "table-removed", "major"))
            continue
        result.schema += _schema_changes(table, old_table, new_table)
        result.records += _record_changes(table, old_table, new_table)
    return result


def _table_order(*releases: dict[str, _Table]) -> list[str]:
    from .models import TABLES

    names = {name for tables in releases for name in tables}
    return [name for name in TABLES if name in names] + sorted(names - set(TABLES))


def _has_id(table: _Table) -> bool:
    return table.key == ("id",)


def _rows_added(table: str, new: _Table, keys: Iterable[tuple[str, ...]]) -> list[RecordChange]:
    return [
        RecordChange(
            table, dict(zip(new.key, key, strict=True)), "added", "minor", (), new.rows[key]
        )
        for key in sorted(keys)
    ]


def _record_changes(table: str, old: _Table, new: _Table) -> list[RecordChange]:
    changes: list[RecordChange] = []
    for key in sorted(old.rows.keys() - new.rows.keys()):
        # A row with an id is a tombstone forever; rows of link tables have no id to keep.
        bump = "major" if _has_id(old) else "patch"
        changes.append(
            RecordChange(
                table, dict(zip(old.key, key, strict=True)), "removed", bump, (), old.rows[key]
            )
        )
    changes += _rows_added(table, new, new.rows.keys() - old.rows.keys())
    shared = [column for column in new.header if column in old.header]
    for key in sorted(old.rows.keys() & new.rows.keys()):
        before, after = old.rows[key], new.rows[key]
        cells = tuple(
            FieldChange(column, before.get(column, ""), after.get(column, ""))
            for column in shared
            if before.get(column, "") != after.get(column, "")
        )
        if not cells:
            continue
        kind = "changed"
        status = before.get("status", ""), after.get("status", "")
        if status[0] != status[1] and status[1] in ("retracted", "merged"):
            kind = status[1]
        changes.append(
            RecordChange(table, dict(zip(new.key, key, strict=True)), kind, "patch", cells)
        )
    order = {"removed": 0, "added": 1, "retracted": 2, "merged": 3, "changed": 4}
    return sorted(changes, key=lambda change: (tuple(change.key.values()), order[change.change]))


def _fields(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    fields = schema.get("fields", [])
    return {
        str(f["name"]): f for f in fields if isinstance(f, dict) and isinstance(f.get("name"), str)
    }


def _constraints(spec: dict[str, Any]) -> dict[str, Any]:
    constraints = spec.get("constraints", {})
    return constraints if isinstance(constraints, dict) else {}


def _schema_changes(table: str, old: _Table, new: _Table) -> list[SchemaChange]:
    before, after = _fields(old.schema), _fields(new.schema)
    changes = [
        SchemaChange(table, name, "column-removed", "major") for name in before if name not in after
    ]
    changes += [
        SchemaChange(table, name, "column-added", "minor") for name in after if name not in before
    ]
    for name in (name for name in after if name in before):
        changes += _field_changes(table, name, before[name], after[name])
    shared_before = [name for name in before if name in after]
    shared_after = [name for name in after if name in before]
    if shared_before != shared_after:
        changes.append(
            SchemaChange(
                table,
                None,
                "columns-reordered",
                "major",
                ",".join(shared_before),
                ",".join(shared_after),
            )
        )
    keys = old.schema.get("primaryKey"), new.schema.get("primaryKey")
    if keys[0] != keys[1]:
        changes.append(
            SchemaChange(
                table,
                None,
                "primary-key-changed",
                "major",
                json.dumps(keys[0]),
                json.dumps(keys[1]),
            )
        )
    return changes


def _field_changes(
    table: str, name: str, old: dict[str, Any], new: dict[str, Any]
) -> list[SchemaChange]:
    changes = []
    if old.get("type", "string") != new.get("type", "string"):
        changes.append(
            SchemaChange(
                table,
                name,
                "type-changed",
                "major",
                str(old.get("type", "string")),
                str(new.get("type", "string")),
            )
        )
    was, now = _constraints(old), _constraints(new)
    words_before, words_after = was.get("enum"), now.get("enum")
    if isinstance(words_before, list) and isinstance(words_after, list):
        changes += [
            SchemaChange(table, name, "word-removed", "major", str(word), "")
            for word in words_before
            if word not in words_after
        ]
        changes += [
            SchemaChange(table, name, "word-added", "minor", "", str(word))
            for word in words_after
            if word not in words_before
        ]
    elif words_before != words_after:
        # A vocabulary imposed narrows the column; one lifted widens it.
        bump = "major" if words_after is not None else "minor"
        changes.append(
            SchemaChange(
                table,
                name,
                "vocabulary-changed",
                bump,
                json.dumps(words_before),
                json.dumps(words_after),
            )
        )
    for constraint in sorted((was.keys() | now.keys()) - {"enum"}):
        a, b = was.get(constraint), now.get(constraint)
        if a == b:
            continue
        narrowed = _narrows(constraint, a, b)
        changes.append(
            SchemaChange(
                table,
                name,
                f"{constraint}-{'narrowed' if narrowed else 'widened'}",
                "major" if narrowed else "minor",
                json.dumps(a),
                json.dumps(b),
            )
        )
    return changes


def _narrows(constraint: str, old: Any, new: Any) -> bool:
    """Whether a changed constraint accepts fewer values than before (unknown: assume it does)."""
    if constraint == "required":
        return bool(new) and not bool(old)
    if constraint in ("minimum", "minLength", "exclusiveMinimum"):
        return new is not None and (old is None or new > old)
    if constraint in ("maximum", "maxLength", "exclusiveMaximum"):
        return new is not None and (old is None or new < old)
    if constraint == "unique":
        return bool(new)
    return new is not None  # a pattern changed or added: we cannot tell, so assume narrower


# ---------------------------------------------------------------------------------------------
# SemVer: what a version step says, and whether it tells the truth


def parse_version(version: str) -> tuple[int, int, int]:
    """MAJOR, MINOR and PATCH of a SemVer string; pre-release and build parts are ignored."""
    match = _SEMVER.match(version)
    if not match:
        raise VersionError(f"{version!r} is not a SemVer version (MAJOR.MINOR.PATCH)")
    return int(match[1]), int(match[2]), int(match[3])


def version_bump(old: str, new: str) -> str:
    """The step from old to new: none, patch, minor, major, or backwards."""
    before, after = parse_version(old), parse_version(new)
    if after < before:
        return "backwards"
    for index, bump in enumerate(("major", "minor", "patch")):
        if after[index] != before[index]:
            return bump
    return "none"


def next_version(version: str, bump: str) -> str:
    """The version a bump leads to from `version` (0.x is treated like any other major)."""
    major, minor, patch = parse_version(version)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return f"{major}.{minor}.{patch}"


def version_problems(result: Diff, root: Path | None = None) -> list[str]:
    """Why NEW's version does not tell the truth about the diff, or disagrees with the project.

    `root` is the source checkout of NEW (with pyproject.toml and CHANGELOG.md); when given,
    its version and the newest CHANGELOG entry must equal NEW's descriptor version.
    """
    problems = []
    step = result.version_bump
    if step == "backwards":
        problems.append(f"the version went backwards: {result.old_version} -> {result.new_version}")
    elif BUMPS.index(step) < BUMPS.index(result.bump):
        problems.append(
            f"the changes require {_article(result.bump)} but {result.old_version} -> "
            f"{result.new_version} is {_article(step)}; "
            f"release {next_version(result.old_version, result.bump)}"
        )
    if root is not None:
        problems += consistency_problems(root, result.new_version)
    return problems


def consistency_problems(root: Path, descriptor_version: str) -> list[str]:
    """Where pyproject.toml, the descriptor and the newest CHANGELOG entry disagree."""
    try:
        project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
        pyproject = str(project["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError) as error:
        return [f"{root / 'pyproject.toml'}: no project version ({error})"]
    try:
        entries = _CHANGELOG_ENTRY.findall((root / "CHANGELOG.md").read_text(encoding="utf-8"))
    except OSError as error:
        return [f"{root / 'CHANGELOG.md'}: cannot read ({error.strerror})"]
    changelog = entries[0] if entries else "(none)"
    if pyproject == descriptor_version == changelog:
        return []
    return [
        f"versions disagree: pyproject.toml {pyproject}, datapackage.json {descriptor_version}, "
        f"newest CHANGELOG entry {changelog}; make them equal, then run `iran-syria schemas`"
    ]


def project_root(package: str | Path) -> Path | None:
    """The source checkout a package folder lives in (pyproject.toml above it), or None."""
    path = Path(package).resolve()
    if path.is_file():
        path = path.parent
    for candidate in (path, *path.parents[:2]):
        if (candidate / "pyproject.toml").is_file() and (candidate / "CHANGELOG.md").is_file():
            return candidate
    return None


# `iran_syria.diff` is this module once it is imported, and the function before: both work.
class _CallableModule(types.ModuleType):
    def __call__(self, old: str | Path, new: str | Path) -> Diff:
        return diff(old, new)


sys.modules[__name__].__class__ = _CallableModule
