"""Load the tables: as typed pandas or polars DataFrames or Arrow Tables, as Pydantic records,
as a networkx graph of actors and relations, or as event dyads.

All read the package shipped with the library by default, offline, and check every file's
sha256 against the descriptor before trusting a byte of it. pandas, polars, pyarrow and
networkx are imported inside the functions, so `import iran_syria` stays light. load() and
dyads() type the columns from _contract, never importing the Pydantic models (~0.1 s): only
load_package() and load_graph(), which need the records or the relation vocabulary, do.
"""

from __future__ import annotations

import csv
import importlib
import io
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal, cast, overload

from . import _contract
from ._contract import ACTIVE
from ._locate import DESCRIPTOR, resolve_package_dir, resource_file, verified_bytes
from ._read import parse_csv
from .errors import IntegrityError, InvalidPackageError, MissingDependencyError, UnknownTableError

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    import polars as pl
    import pyarrow as pa

    from .models import Record


class HiddenRecordsWarning(UserWarning):
    """Retracted or merged records were left out of a load (pass include_retracted=True)."""


#: For tables without a status, the column naming the record each row belongs to.
_OWNER_COLUMN = {
    "actor_aliases": "actor_id",
    "event_actors": "event_id",
    "external_ids": "record_id",
    "citations": "record_id",
}


#: The backends load() can return, each with the extra that installs it.
BACKENDS = {"pandas": None, "polars": "polars", "arrow": "arrow"}


@overload
def load(
    table: str,
    backend: Literal["pandas"] = "pandas",
    *,
    include_retracted: bool = False,
    path: str | Path | None = None,
) -> pd.DataFrame: ...
@overload
def load(
    table: str,
    backend: Literal["polars"],
    *,
    include_retracted: bool = False,
    path: str | Path | None = None,
) -> pl.DataFrame: ...
@overload
def load(
    table: str,
    backend: Literal["arrow"],
    *,
    include_retracted: bool = False,
    path: str | Path | None = None,
) -> pa.Table: ...
def load(
    table: str,
    backend: str = "pandas",
    *,
    include_retracted: bool = False,
    path: str | Path | None = None,
) -> Any:
    """One table as a pandas or polars DataFrame or an Arrow Table, with the declared types.

    Every backend is built from one typed Arrow table: dates are dates (pandas: datetime64),
    vocabularies carry their whole vocabulary (pandas: categorical, polars: Enum, Arrow:
    dictionary), counts are nullable integers (pandas: Int64), text is text. Retracted and
    merged records (and the rows that belong to them) are left out unless include_retracted
    is True; a HiddenRecordsWarning says how many. `path` is a package folder; the default is
    the shipped package. polars needs `pip install "iran-syria[polars]"`.
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    if backend == "polars":
        _require("polars", "polars")
    arrow = _typed_table(table, include_retracted=include_retracted, path=path, stacklevel=4)
    if backend == "arrow":
        return arrow
    if backend == "polars":
        return _to_polars(arrow, table)
    return _to_pandas(arrow)


def load_graph(
    as_of: date | str | None = None,
    relation_types: Iterable[str] | None = None,
    path: str | Path | None = None,
) -> nx.MultiDiGraph:
    """Active actors and relations as a networkx MultiDiGraph, edges keyed by relation id.

    Nodes are the active actors, with their columns as attributes. Edges are the active
    relations between two active actors, with id, relation_type, relation_mode, position,
    date_start, date_end, start_precision, end_precision, confidence, attribution,
    description and `symmetric` (allied_with and at_war_with are stored once, source_id <
    target_id, and stay one edge). With `as_of` (a date or ISO string) only the relations
    active that day are kept: date_start <= as_of and (no date_end or as_of <= date_end);
    without it, every relation. `relation_types` keeps only those types. Retracted and merged
    actors and relations never appear, and a HiddenRecordsWarning says how many were left out,
    as load() does; an active relation whose end was merged into another actor is drawn to the
    surviving actor, with a warning, and one whose end was retracted is left out and counted.
    Needs networkx (`pip install "iran-syria[graph]"`).
    """
    from .models import SYMMETRIC_RELATIONS

    networkx = _require("networkx", "graph")
    day = _as_date(as_of)
    kept_types = _relation_types(relation_types)
    _, descriptor = _open(path)
    actors = _typed_table("actors", include_retracted=True, path=path).to_pylist()
    relations = _typed_table("relations", include_retracted=True, path=path).to_pylist()
    graph = networkx.MultiDiGraph(
        name=str(descriptor.get("name", "")), version=str(descriptor.get("version", "")), as_of=day
    )
    survivor = _survivors(actors)
    for actor in actors:
        if actor["status"] == ACTIVE:
            graph.add_node(
                actor["id"],
                **{k: v for k, v in actor.items() if k not in ("id", "status", "merged_into")},
            )
    _warn_hidden_records("actors", sum(a["status"] != ACTIVE for a in actors))
    _warn_hidden_records("relations", sum(r["status"] != ACTIVE for r in relations))
    redirected, lost = 0, 0
    for relation in relations:
        if (
            relation["status"] != ACTIVE
            or (kept_types is not None and relation["relation_type"] not in kept_types)
            or (day is not None and not _active_on(relation, day))
        ):
            continue
        source, target = (survivor.get(relation[end]) for end in ("source_id", "target_id"))
        if source is None or target is None:
            lost += 1  # an end retracted (or unknown): the edge has nowhere to go
            continue
        redirected += (source, target) != (relation["source_id"], relation["target_id"])
        attributes = {
            k: v
            for k, v in relation.items()
            if k not in ("source_id", "target_id", "status", "merged_into")
        }
        attributes["symmetric"] = relation["relation_type"] in SYMMETRIC_RELATIONS
        graph.add_edge(source, target, key=relation["id"], **attributes)
    _warn_ends("relations", redirected, lost)
    return graph


def _survivors(actors: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Each actor id mapped to the active actor it stands for (itself, or the end of its merge
    chain); retracted actors, and merges that end nowhere or loop, map to nothing."""
    from .tombstones import UnresolvedIdError, follow_merges

    targets = {actor["id"]: (actor["status"], actor["merged_into"] or "") for actor in actors}
    survivor: dict[str, str] = {}
    for actor_id in targets:
        try:
            survivor[actor_id] = follow_merges(targets, actor_id)
        except UnresolvedIdError:
            continue
    return survivor


def _warn_hidden_records(table: str, count: int) -> None:
    if count:
        _warn_hidden(table, count, stacklevel=4)


def _warn_ends(table: str, redirected: int, lost: int) -> None:
    """Say what happened to active rows whose actor was merged (redirected) or retracted."""
    if redirected:
        warnings.warn(
            f"{table}: {redirected} active {'row' if redirected == 1 else 'rows'} named a merged "
            "actor; the actor it was merged into stands in its place",
            HiddenRecordsWarning,
            stacklevel=4,
        )
    if lost:
        warnings.warn(
            f"{table}: {lost} active {'row' if lost == 1 else 'rows'} left out: "
            f"{'it names' if lost == 1 else 'they name'} a retracted actor",
            HiddenRecordsWarning,
            stacklevel=4,
        )


#: The columns of dyads(), in order.
DYAD_COLUMNS = (
    "event_id",
    "date_start",
    "date_end",
    "date_precision",
    "event_type",
    "event_mode",
    "source_id",
    "source_name",
    "target_id",
    "target_name",
    "location_name",
    "location_country",
    "latitude",
    "longitude",
    "geo_precision",
    "confidence",
    "attribution",
)


def dyads(path: str | Path | None = None) -> pd.DataFrame:
    """Events as directed dyads: one row per active event and (source, target) actor pair.

    The shape ACLED and GDELT users expect: event id, dates, PLOVER type and mode, the source
    and target actors' ids and names, place, confidence and attribution. An event with
    sources but no target gives one row per source with the target empty, and the reverse;
    an event with neither (only participants, victims, claimants or mediators) gives one row
    with both empty, so every active event appears at least once. Actors in those other roles
    are in event_actors. Fatalities are per event, not per dyad, so they are left out: join
    events on event_id rather than summing here. Retracted and merged events never appear,
    and a HiddenRecordsWarning says how many were left out; an actor merged into another is
    replaced by the survivor (with a warning), and a retracted one is left out and counted.
    """
    import pandas as pd

    events = _to_pandas(_typed_table("events", include_retracted=True, path=path))
    links = _to_pandas(_typed_table("event_actors", include_retracted=True, path=path))
    actor_table = _typed_table("actors", include_retracted=True, path=path)
    actors = _to_pandas(actor_table)
    _warn_hidden_records("events", int((events["status"] != ACTIVE).sum()))
    events = events[events["status"] == ACTIVE]
    names = dict(zip(actors["id"], actors["name"], strict=True))
    survivor = _survivors(actor_table.to_pylist())
    ended = links["role"].isin(["source", "target"]) & links["event_id"].isin(events["id"])
    resolved = links["actor_id"].map(survivor)
    redirected = int((ended & resolved.notna() & (resolved != links["actor_id"])).sum())
    lost = int((ended & resolved.isna()).sum())
    links = links.assign(actor_id=resolved.astype(pd.StringDtype()))[resolved.notna()]
    _warn_ends("events", redirected, lost)

    def ends(role: str, column: str) -> pd.DataFrame:
        chosen = links.loc[links["role"] == role, ["event_id", "actor_id"]]
        return chosen.rename(columns={"actor_id": column})

    pairs = ends("source", "source_id").merge(
        ends("target", "target_id"), on="event_id", how="outer"
    )
    frame = events.merge(pairs, left_on="id", right_on="event_id", how="left")
    frame["event_id"] = frame["id"]
    for end in ("source", "target"):
        frame[f"{end}_name"] = frame[f"{end}_id"].map(names).astype(pd.StringDtype())
    frame = frame.sort_values(
        ["date_start", "event_id", "source_id", "target_id"], na_position="first"
    )
    return frame.loc[:, list(DYAD_COLUMNS)].reset_index(drop=True)


@dataclass
class Package:
    """Every table of a package as typed records, with the descriptor."""

    descriptor: dict[str, Any]
    tables: dict[str, list[Record]] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))

    def __getitem__(self, table: str) -> list[Record]:
        if table not in self.tables:
            raise UnknownTableError(_unknown_table_message(table))
        return self.tables[table]

    def __getattr__(self, table: str) -> list[Record]:
        tables = self.__dict__.get("tables", {})
        if table in tables:
            return tables[table]  # type: ignore[no-any-return]
        raise AttributeError(table)


def load_package(path: str | Path | None = None, *, include_retracted: bool = False) -> Package:
    """Every table as lists of Pydantic records (package.events, package["actors"], ...).

    Raises InvalidPackageError, with the located problems, when a row breaks the models; run
    `iran-syria validate` for the cross-table rules.
    """
    from .models import TABLES

    package_dir, descriptor = _open(path)
    package = Package(descriptor=descriptor)
    for table, model in TABLES.items():
        data = _verified_bytes(package_dir, descriptor, table)
        parsed = parse_csv(table, str(resource_file(package_dir, descriptor, table)), data)
        header = parsed.header or []
        try:
            if parsed.problems:
                raise ValueError(parsed.problems[0].message)
            package.tables[table] = [
                model.model_validate(
                    {name: (value or None) for name, value in zip(header, row.cells, strict=True)}
                )
                for row in parsed.records
            ]
        except ValueError:  # pydantic's ValidationError too: let the validator locate it all
            from .validate import validate_package

            report = validate_package(package_dir)
            shown = "\n".join(str(problem) for problem in report.errors[:10])
            raise InvalidPackageError(
                f"{report.summary()}\n{shown}\nrun `iran-syria validate {package_dir}` for all",
                report.errors,
            ) from None
    if not include_retracted:
        _hide_records(package)
    return package


# ---------------------------------------------------------------------------------------------


def _contract_table(table: str) -> _contract.Table:
    contract = _contract.tables()
    if table not in contract:
        raise UnknownTableError(_unknown_table_message(table))
    return contract[table]


def _unknown_table_message(table: str) -> str:
    return f"no table {table!r}; the tables are {', '.join(_contract.tables())}"


def _open(path: str | Path | None) -> tuple[Path, dict[str, Any]]:
    """The package folder and its descriptor, read as the validator reads it: strict JSON, and
    refused when a resource breaks the contract's promises (see _descriptor)."""
    from . import _descriptor

    package_dir = resolve_package_dir(path)
    where = package_dir / DESCRIPTOR
    try:
        descriptor = _descriptor.parse(where.read_text(encoding="utf-8"))
    except _descriptor.DescriptorSyntaxError as error:
        raise IntegrityError(f"{where}: {error} [{error.code}]") from None
    if not isinstance(descriptor, dict):
        raise IntegrityError(f"{where}: not a JSON object")
    for fault in _descriptor.faults(descriptor, _contract.tables()):
        raise IntegrityError(
            f"{where}: {fault.message} [{fault.code}]; run `iran-syria validate` on the package"
        )
    return package_dir, descriptor


def _verified_bytes(package_dir: Path, descriptor: dict[str, Any], table: str) -> bytes:
    """The file's bytes, checked against the descriptor's sha256; a hash is required here."""
    return verified_bytes(package_dir, descriptor, table)


# ---------------------------------------------------------------------------------------------
# One typed Arrow table behind every backend


def _every_table(
    path: str | Path | None, tables: Iterable[str] | None = None
) -> tuple[Path, dict[str, Any], dict[str, pa.Table]]:
    """Tables (by default all of the contract's) as Arrow with the declared types, retracted
    and merged rows kept, each hash-checked, and the descriptor read once for all of them:
    _typed_table per table would parse it again for every table (~45 ms each)."""
    from .models import TABLES

    package_dir, descriptor = _open(path)
    arrows = {
        name: _parse_arrow(_contract_table(name), _verified_bytes(package_dir, descriptor, name))
        for name in (TABLES if tables is None else tables)
    }
    return package_dir, descriptor, arrows


def _typed_table(
    table: str, *, include_retracted: bool, path: str | Path | None, stacklevel: int = 3
) -> pa.Table:
    """A table as Arrow with the declared types, hash-checked, tombstones hidden and counted."""
    import pyarrow as pa
    import pyarrow.compute as pc

    contract = _contract_table(table)
    package_dir, descriptor = _open(path)
    data = _verified_bytes(package_dir, descriptor, table)
    arrow = _parse_arrow(contract, data)
    if include_retracted or ("status" not in arrow.column_names and table not in _OWNER_COLUMN):
        return arrow  # sources have no status and belong to no record
    if "status" in arrow.column_names:
        keep = pc.equal(arrow["status"].cast(pa.string()), ACTIVE)
    else:
        hidden = pa.array(sorted(_hidden_ids(package_dir, descriptor, table)), pa.string())
        keep = pc.invert(pc.is_in(arrow[_OWNER_COLUMN[table]], value_set=hidden))
    dropped = arrow.num_rows - int(pc.sum(keep).as_py() or 0)
    if dropped:
        _warn_hidden(table, dropped, stacklevel=stacklevel)
        arrow = arrow.filter(keep)
    return arrow


_ARROW_TYPES = {
    "integer": "int64",
    "number": "float64",
    "date": "date32",
    "string": "string",
    "boolean": "bool",
}


def _parse_arrow(contract: _contract.Table, data: bytes) -> pa.Table:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table, specs = contract.name, contract.columns
    names = [spec.name for spec in specs]
    convert = pacsv.ConvertOptions(
        column_types={spec.name: pa.type_for_alias(_ARROW_TYPES[spec.datatype]) for spec in specs},
        include_columns=names,
        # Only an empty cell is missing: "NA" (Namibia) or "None" are text.
        null_values=[""],
        true_values=["true"],
        false_values=["false"],
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
    )
    try:
        parsed = pacsv.read_csv(
            io.BytesIO(data),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=convert,
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError) as error:
        raise InvalidPackageError(
            f"{table}: {error}; run `iran-syria validate` on the package", []
        ) from None
    columns = []
    fields = []
    for spec in specs:
        column = parsed[spec.name]
        if spec.enum is not None:
            column = _with_vocabulary(table, spec, column)
        if spec.datatype == "number":
            _refuse_non_finite(table, spec.name, column)
        columns.append(column)
        fields.append(
            pa.field(
                spec.name,
                column.type,
                nullable=not spec.required,
                metadata={"description": spec.description},
            )
        )
    schema = pa.schema(fields, metadata={"table": table, "description": contract.description})
    return pa.Table.from_arrays(columns, schema=schema)


def _refuse_non_finite(table: str, name: str, column: Any) -> None:
    """Arrow reads a decimal too long for a double as infinity; the validator calls it
    out-of-range, so the loaders refuse it rather than hand on a different number."""
    import pyarrow.compute as pc

    if pc.any(pc.is_inf(column)).as_py():
        raise InvalidPackageError(
            f"{table}.{name}: a number too large for a decimal (read as infinity); "
            "run `iran-syria validate` on the package",
            [],
        )


def _with_vocabulary(table: str, spec: _contract.Column, column: Any) -> Any:
    """A text column as a dictionary column whose dictionary is the whole vocabulary."""
    import pyarrow as pa
    import pyarrow.compute as pc

    dictionary = pa.array(list(spec.enum or ()), pa.string())
    values = column.combine_chunks()
    indices = pc.index_in(values, value_set=dictionary)
    unknown = pc.and_(pc.is_valid(values), pc.is_null(indices))
    if pc.any(unknown).as_py():
        word = values.filter(unknown)[0].as_py()
        raise InvalidPackageError(
            f"{table}.{spec.name}: {word!r} is not in the vocabulary; "
            "run `iran-syria validate` on the package",
            [],
        )
    return pa.DictionaryArray.from_arrays(indices.cast(pa.int32()), dictionary)


def _to_pandas(arrow: pa.Table) -> pd.DataFrame:
    import pandas as pd
    import pyarrow as pa

    def mapper(kind: pa.DataType) -> Any:
        if kind == pa.string():
            return pd.StringDtype()
        if kind == pa.int64():
            return pd.Int64Dtype()
        if kind == pa.bool_():
            return pd.BooleanDtype()  # nullable, as the integers are
        return None  # dictionaries become categoricals with every category, dates datetime64

    frame: pd.DataFrame = arrow.to_pandas(types_mapper=mapper, date_as_object=False)
    return frame


def _to_polars(arrow: pa.Table, table: str) -> pl.DataFrame:
    import polars as pl
    import pyarrow as pa

    vocabularies = {spec.name: spec.enum for spec in _contract_table(table).columns if spec.enum}
    plain = arrow.select(arrow.column_names)
    for name in vocabularies:
        index = plain.column_names.index(name)
        plain = plain.set_column(index, name, plain[name].cast(pa.string()))
    frame = cast("pl.DataFrame", pl.from_arrow(plain))
    return frame.with_columns(
        pl.col(name).cast(pl.Enum(list(words))) for name, words in vocabularies.items()
    )


def _require(module: str, extra: str) -> ModuleType:
    """Import an optional dependency, or say which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise MissingDependencyError(
            f'this needs {module}, which is not installed: pip install "iran-syria[{extra}]"'
        ) from error


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"as_of: {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _relation_types(types: Iterable[str] | None) -> set[str] | None:
    if types is None:
        return None
    from .models import RelationType

    chosen = {str(t) for t in ([types] if isinstance(types, str) else types)}
    unknown = chosen - {t.value for t in RelationType}
    if unknown:
        raise ValueError(
            f"unknown relation types {sorted(unknown)}; "
            f"the types are {', '.join(t.value for t in RelationType)}"
        )
    return chosen


def _active_on(relation: dict[str, Any], day: date) -> bool:
    start: date = relation["date_start"]
    end: date | None = relation["date_end"]
    return start <= day and (end is None or day <= end)


def _hidden_ids(package_dir: Path, descriptor: dict[str, Any], table: str) -> set[str]:
    """Ids of retracted or merged records in the tables that `table`'s rows belong to."""
    owner = _OWNER_COLUMN.get(table)
    if owner is None:
        return set()
    contract = _contract.tables()
    # A citation or external id may belong to a record of any table: of those, only the
    # tables of records (an id) with a status can hide one.
    owners = {"actor_id": ["actors"], "event_id": ["events"]}.get(owner, list(contract))
    hidden: set[str] = set()
    for owner_table in owners:
        if not (
            contract[owner_table].has_column("id") and contract[owner_table].has_column("status")
        ):
            continue
        data = _verified_bytes(package_dir, descriptor, owner_table)
        for row in csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")):
            if row.get("status") != ACTIVE:
                hidden.add(row.get("id", ""))
    return hidden


def _hide_records(package: Package) -> None:
    from .models import Status

    hidden: set[str] = set()
    for records in package.tables.values():
        if records and hasattr(records[0], "status"):
            hidden |= {r.id for r in records if r.status is not Status.ACTIVE}  # type: ignore[attr-defined]
    for table, records in package.tables.items():
        owner = _OWNER_COLUMN.get(table, "id")
        if records and not hasattr(records[0], owner):
            continue  # a table of no record (the generated relation_types)
        kept = [r for r in records if getattr(r, owner) not in hidden]
        if len(kept) != len(records):
            # The rows of tables without a status go with their record: the warning for the
            # record's own table says it, so they are not counted again.
            if table not in _OWNER_COLUMN:
                _warn_hidden(table, len(records) - len(kept), stacklevel=4)
            package.tables[table] = kept


def _warn_hidden(table: str, count: int, stacklevel: int) -> None:
    rows = "row" if count == 1 else "rows"
    what = (
        f"{count} {rows} of {table} belong to retracted or merged records and are hidden"
        if table in _OWNER_COLUMN  # no status of its own: its rows follow their record's
        else f"{table}: {count} retracted or merged {rows} hidden"
    )
    warnings.warn(
        f"{what}; pass include_retracted=True to see them",
        HiddenRecordsWarning,
        stacklevel=stacklevel,
    )
