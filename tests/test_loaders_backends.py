"""load() in every backend, load_graph() and dyads(): one typed reading, the same rows hidden."""

from __future__ import annotations

import sys
import warnings
from datetime import date
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import iran_syria
from iran_syria import HiddenRecordsWarning, IntegrityError, MissingDependencyError, load
from iran_syria.loaders import dyads, load_graph
from iran_syria.models import TABLES, EventType, GeoPrecision

from .conftest import VALID, regenerate

BACKENDS = ("pandas", "polars", "arrow")


def _append(package: Path, table: str, *lines: str) -> None:
    csv_path = package / "data" / f"{table}.csv"
    csv_path.write_text(csv_path.read_text() + "".join(f"{line}\n" for line in lines))
    regenerate(package)


def _ids(frame: pd.DataFrame | pl.DataFrame | pa.Table) -> list[str]:
    if isinstance(frame, pa.Table):
        return [str(v) for v in frame["id"].to_pylist()]
    return [str(v) for v in frame["id"].to_list()]


def test_pandas_dtypes() -> None:
    events = load("events", "pandas", path=VALID)
    assert pd.api.types.is_datetime64_any_dtype(events["date_start"])
    assert list(events["event_type"].cat.categories) == [t.value for t in EventType]
    assert str(events["fatalities_best"].dtype) == "Int64"
    assert isinstance(events["title"].dtype, pd.StringDtype)
    assert events["latitude"].dtype == "float64"


def test_polars_dtypes_use_enums_with_the_whole_vocabulary() -> None:
    events = load("events", "polars", path=VALID)
    assert events.schema["date_start"] == pl.Date
    assert events.schema["event_type"] == pl.Enum([t.value for t in EventType])
    assert events.schema["geo_precision"] == pl.Enum([g.value for g in GeoPrecision])
    assert events.schema["fatalities_best"] == pl.Int64
    assert events.schema["title"] == pl.String
    assert events.schema["latitude"] == pl.Float64
    assert events["fatalities_best"].null_count() == 2
    row = events.filter(pl.col("id") == "evt-2020-01-03-delta-killed")
    assert row["date_start"].item() == date(2020, 1, 3)
    assert row["fatalities_best"].item() == 5


def test_arrow_types_use_dictionaries_with_the_whole_vocabulary() -> None:
    actors = load("actors", "arrow", path=VALID, include_retracted=True)
    kind = actors.schema.field("kind")
    assert kind.type == pa.dictionary(pa.int32(), pa.string())
    assert actors["kind"].combine_chunks().dictionary.to_pylist()[:2] == ["state", "person"]
    events = load("events", "arrow", path=VALID)
    assert events.schema.field("date_start").type == pa.date32()
    assert events.schema.field("fatalities_best").type == pa.int64()
    assert events.schema.field("latitude").type == pa.float64()
    assert events.schema.field("title").metadata == {b"description": b"A short neutral headline."}


@pytest.mark.parametrize("table", list(TABLES))
def test_every_backend_gives_the_same_rows(table: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HiddenRecordsWarning)
        frames = {backend: load(table, backend, path=VALID) for backend in BACKENDS}  # type: ignore[call-overload]
    lengths = {backend: len(frame) for backend, frame in frames.items()}
    assert len(set(lengths.values())) == 1, lengths
    assert (
        list(frames["pandas"].columns)
        == frames["polars"].columns
        == frames["arrow"].column_names
        == list(TABLES[table].model_fields)
    )
    if "id" in frames["pandas"].columns:
        assert _ids(frames["pandas"]) == _ids(frames["polars"]) == _ids(frames["arrow"])


@pytest.mark.parametrize("backend", BACKENDS)
def test_hidden_rows_and_the_warning_are_identical_in_every_backend(backend: str) -> None:
    with pytest.warns(HiddenRecordsWarning, match="actors: 2 retracted or merged rows hidden"):
        actors = load("actors", backend, path=VALID)  # type: ignore[call-overload]
    assert sorted(_ids(actors)) == ["act-alpha", "act-beta", "act-delta", "act-gamma"]
    with pytest.warns(
        HiddenRecordsWarning, match="2 rows of citations belong to retracted or merged records"
    ):
        citations = load("citations", backend, path=VALID)  # type: ignore[call-overload]
    assert len(citations) == 11
    everything = load("actors", backend, path=VALID, include_retracted=True)  # type: ignore[call-overload]
    assert len(everything) == 6


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_backend_checks_the_hash(backend: str, valid_copy: Path) -> None:
    events = valid_copy / "data" / "events.csv"
    events.write_bytes(events.read_bytes().replace(b"Baghdad", b"Bagdad"))
    with pytest.raises(IntegrityError, match="sha256 differs"):
        load("events", backend, path=valid_copy)  # type: ignore[call-overload]


@pytest.mark.parametrize("backend", BACKENDS)
def test_na_and_multiline_cells_stay_text(backend: str, valid_copy: Path) -> None:
    _append(
        valid_copy,
        "actor_aliases",
        "act-alpha,NA,,acronym",
        'act-alpha,"two\nlines",,other_name',
    )
    aliases = load("actor_aliases", backend, path=valid_copy)  # type: ignore[call-overload]
    values = (
        aliases["alias"].to_pylist() if isinstance(aliases, pa.Table) else list(aliases["alias"])
    )
    assert {"NA", "two\nlines"} <= set(values)
    assert len(aliases) == 4


def test_a_word_outside_the_vocabulary_is_refused(valid_copy: Path) -> None:
    _append(valid_copy, "actor_aliases", "act-alpha,Alfa,,nickname")
    for backend in BACKENDS:
        with pytest.raises(iran_syria.InvalidPackageError, match="'nickname' is not in the"):
            load("actor_aliases", backend, path=valid_copy)  # type: ignore[call-overload]


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="pandas, polars, arrow"):
        load("events", "duckdb", path=VALID)  # type: ignore[call-overload]


def test_a_missing_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "polars", None)  # makes `import polars` fail
    with pytest.raises(MissingDependencyError, match=r'pip install "iran-syria\[polars\]"'):
        load("events", "polars", path=VALID)
    monkeypatch.setitem(sys.modules, "networkx", None)
    with pytest.raises(ImportError, match=r"iran-syria\[graph\]"):
        load_graph(path=VALID)


# load_graph ---------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:actors. 2 retracted or merged rows hidden")
def test_graph_holds_active_actors_and_every_relation_keyed_by_id() -> None:
    graph = load_graph(path=VALID)
    assert sorted(graph.nodes) == ["act-alpha", "act-beta", "act-delta", "act-gamma"]
    assert graph.nodes["act-gamma"] == {
        "name": "Gamma Brigade",
        "kind": "armed_group",
        "country": None,
        "description": "An armed group, founded in 2013, used in tests.",
        "start_date": "2013",
        "end_date": None,
    }
    assert sorted(graph.edges(keys=True)) == [
        ("act-alpha", "act-beta", "rel-alpha-allied-with-beta"),
        ("act-alpha", "act-gamma", "rel-alpha-supports-gamma-weapons"),
        ("act-delta", "act-gamma", "rel-delta-leads-gamma"),
    ]
    leads = graph.edges["act-delta", "act-gamma", "rel-delta-leads-gamma"]
    assert leads["relation_type"] == "leads"
    assert leads["position"] == "Commander"
    assert leads["date_start"] == date(2013, 1, 1)
    assert leads["date_end"] == date(2020, 1, 3)
    assert leads["confidence"] == "high" and leads["attribution"] == "confirmed"
    assert leads["symmetric"] is False
    assert graph.edges["act-alpha", "act-beta", "rel-alpha-allied-with-beta"]["symmetric"]
    supports = graph.edges["act-alpha", "act-gamma", "rel-alpha-supports-gamma-weapons"]
    assert supports["relation_mode"] == "weapons" and supports["date_end"] is None


@pytest.mark.filterwarnings("ignore:actors. 2 retracted or merged rows hidden")
@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("1979-12-31", set()),
        (date(2012, 6, 1), {"rel-alpha-allied-with-beta"}),
        (
            "2020-01-03",  # the last day of leads is still in it
            {
                "rel-alpha-allied-with-beta",
                "rel-alpha-supports-gamma-weapons",
                "rel-delta-leads-gamma",
            },
        ),
        ("2020-01-04", {"rel-alpha-allied-with-beta", "rel-alpha-supports-gamma-weapons"}),
        ("2030-01-01", {"rel-alpha-supports-gamma-weapons"}),  # no date_end: ongoing
    ],
)
def test_graph_as_of_keeps_the_relations_active_that_day(
    as_of: str | date, expected: set[str]
) -> None:
    graph = load_graph(as_of=as_of, path=VALID)
    assert {key for _, _, key in graph.edges(keys=True)} == expected
    assert graph.number_of_nodes() == 4  # every active actor, linked or not


@pytest.mark.filterwarnings("ignore:actors. 2 retracted or merged rows hidden")
def test_graph_relation_types_filter() -> None:
    graph = load_graph(relation_types=["supports", "leads"], path=VALID)
    assert {d["relation_type"] for _, _, d in graph.edges(data=True)} == {"supports", "leads"}
    with pytest.raises(ValueError, match="unknown relation types"):
        load_graph(relation_types=["befriends"], path=VALID)
    with pytest.raises(ValueError, match="not an ISO date"):
        load_graph(as_of="yesterday", path=VALID)


def test_graph_says_what_it_hides_as_load_does() -> None:
    with pytest.warns(HiddenRecordsWarning, match="actors: 2 retracted or merged rows hidden"):
        load_graph(path=VALID)


def test_graph_leaves_out_edges_to_retracted_actors_and_says_so(valid_copy: Path) -> None:
    _append(
        valid_copy,
        "relations",
        "rel-alpha-supports-withdrawn,act-alpha,act-withdrawn,supports,funding,,2014-01-01,"
        "year,,,low,alleged,Alpha funds a withdrawn group.,active,",
    )
    with pytest.warns(HiddenRecordsWarning) as caught:
        graph = load_graph(path=valid_copy)
    assert "act-withdrawn" not in graph
    assert "rel-alpha-supports-withdrawn" not in {k for _, _, k in graph.edges(keys=True)}
    assert any(
        "relations: 1 active row left out: it names a retracted actor" in str(w.message)
        for w in caught
    )


def test_graph_draws_an_edge_to_a_merged_actor_to_its_survivor(valid_copy: Path) -> None:
    _append(
        valid_copy,
        "relations",
        "rel-old-alpha-supports-gamma,act-alpha-old,act-gamma,supports,funding,,2014-01-01,"
        "year,,,low,alleged,The old Alpha record funds Gamma.,active,",
    )
    with pytest.warns(HiddenRecordsWarning) as caught:
        graph = load_graph(path=valid_copy)
    edges = {key: (source, target) for source, target, key in graph.edges(keys=True)}
    assert edges["rel-old-alpha-supports-gamma"] == ("act-alpha", "act-gamma")
    messages = [str(w.message) for w in caught]
    assert any("relations: 1 active row named a merged actor" in m for m in messages)
    assert not any("event_actors" in m for m in messages)


# dyads --------------------------------------------------------------------------------------


def test_dyads_of_the_fixture() -> None:
    frame = dyads(VALID)
    assert list(frame["event_id"]) == [
        "evt-2015-09-alpha-aids-beta",
        "evt-2020-01-03-delta-killed",
        "evt-2021-unknown-place",
    ]
    first = frame.iloc[0]
    assert (first["source_id"], first["source_name"]) == ("act-alpha", "Alpha")
    assert (first["target_id"], first["target_name"]) == ("act-beta", "Beta")
    assert first["event_type"] == "AID" and first["location_name"] == "Damascus"
    # a victim alone, and participants alone, form no dyad: one row with both ends empty
    assert frame.iloc[1:][["source_id", "target_id"]].isna().all().all()
    assert pd.api.types.is_datetime64_any_dtype(frame["date_start"])


def test_dyads_pair_every_source_with_every_target(valid_copy: Path) -> None:
    _append(
        valid_copy,
        "event_actors",
        "evt-2015-09-alpha-aids-beta,act-gamma,source",
        "evt-2015-09-alpha-aids-beta,act-delta,target",
        "evt-2020-01-03-delta-killed,act-alpha,source",
    )
    frame = dyads(valid_copy)
    aid = frame[frame["event_id"] == "evt-2015-09-alpha-aids-beta"]
    assert sorted(zip(aid["source_id"], aid["target_id"], strict=True)) == [
        ("act-alpha", "act-beta"),
        ("act-alpha", "act-delta"),
        ("act-gamma", "act-beta"),
        ("act-gamma", "act-delta"),
    ]
    killed = frame[frame["event_id"] == "evt-2020-01-03-delta-killed"]
    assert list(killed["source_id"]) == ["act-alpha"] and killed["target_id"].isna().all()


def test_dyads_leave_out_retracted_events_and_say_so(valid_copy: Path) -> None:
    events = valid_copy / "data" / "events.csv"
    events.write_text(events.read_text().replace("low,claimed,active,", "low,claimed,retracted,"))
    regenerate(valid_copy)
    with pytest.warns(HiddenRecordsWarning, match="events: 1 retracted or merged row hidden"):
        frame = dyads(valid_copy)
    assert "evt-2021-unknown-place" not in set(frame["event_id"])


def test_dyads_put_the_survivor_in_place_of_a_merged_actor(valid_copy: Path) -> None:
    _append(valid_copy, "event_actors", "evt-2020-01-03-delta-killed,act-alpha-old,source")
    with pytest.warns(HiddenRecordsWarning, match="events: 1 active row named a merged actor"):
        frame = dyads(valid_copy)
    killed = frame[frame["event_id"] == "evt-2020-01-03-delta-killed"]
    assert list(killed["source_id"]) == ["act-alpha"]
    assert list(killed["source_name"]) == ["Alpha"]


def test_graph_and_dyads_are_exported_lazily() -> None:
    assert iran_syria.load_graph is load_graph
    assert iran_syria.dyads is dyads
    assert {"load_graph", "dyads"} <= set(iran_syria.__all__)
