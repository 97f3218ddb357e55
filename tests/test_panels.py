"""The panels: a small package built here whose answers are worked out by hand, then checks on
the shipped package against relations read off its CSVs, and the export."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import iran_syria
from iran_syria.cli import main
from iran_syria.export import export_package
from iran_syria.loaders import HiddenRecordsWarning
from iran_syria.models import TABLES
from iran_syria.panels import UNITS, columns, panel, relation_columns

from .conftest import SHIPPED, regenerate

_ACTORS = [
    # id, name, kind, status, merged_into
    ("act-aa", "Aland", "state", "active", ""),
    ("act-bb", "Bria", "state", "active", ""),
    ("act-cc", "Cora", "state", "active", ""),
    ("act-dd", "Dora", "state", "merged", "act-cc"),  # its rows count for act-cc
    ("act-ee", "Enn", "state", "active", ""),  # a state with no COW code
    ("act-pp", "Pat", "person", "active", ""),
    ("act-xx", "Xan", "state", "retracted", ""),
]
_CODES = [
    ("act-aa", "cow", "100", "", ""),
    ("act-aa", "gw", "101", "", ""),
    # Bria's COW code changes mid-2010; the one in effect at the year's end counts for 2010.
    ("act-bb", "cow", "200", "", "2010-06-30"),
    ("act-bb", "cow", "210", "2010-07-01", ""),
    ("act-bb", "gw", "200", "", ""),
    ("act-cc", "cow", "300", "", ""),
    ("act-cc", "gw", "300", "", ""),
]
_RELATIONS = [
    # id, source, target, type, mode, start, end, attribution, status
    ("rel-a", "act-aa", "act-bb", "supports", "weapons", "2010-03-01", "2011-02-28", "confirmed"),
    ("rel-b", "act-aa", "act-bb", "allied_with", "", "2011-01-01", "", "reported"),
    ("rel-c", "act-bb", "act-cc", "supports", "troops", "2011-05-01", "2011-05-31", "alleged"),
    ("rel-d", "act-bb", "act-cc", "supports", "troops", "2012-01-01", "2012-12-31", "claimed"),
    ("rel-e", "act-bb", "act-cc", "supports", "troops", "2012-06-01", "2012-06-30", "confirmed"),
    ("rel-f", "act-aa", "act-dd", "sanctions", "economic", "2012-01-01", "2012-12-31", "confirmed"),
    ("rel-g", "act-pp", "act-aa", "leads", "", "2010-01-01", "", "confirmed"),
    ("rel-h", "act-aa", "act-cc", "at_war_with", "", "2010-01-01", "", "confirmed", "retracted"),
    ("rel-i", "act-aa", "act-xx", "opposes", "", "2010-01-01", "", "confirmed"),
]
_EVENTS = [
    # id, type, start, end, status, [(actor, role)]
    ("evt-1", "ASSAULT", "2010-05-01", "2010-05-01", "active", [("act-aa", "source"), ("act-bb", "target")]),
    ("evt-2", "CONSULT", "2010-12-31", "2011-01-02", "active", [("act-bb", "source"), ("act-aa", "target")]),
    ("evt-3", "AID", "2011-03-01", "2011-03-01", "active",
     [("act-aa", "source"), ("act-bb", "target"), ("act-pp", "participant"), ("act-cc", "victim")]),
    ("evt-4", "ASSAULT", "2011-04-01", "2011-04-01", "active",
     [("act-aa", "source"), ("act-dd", "source"), ("act-bb", "target")]),
    ("evt-5", "ASSAULT", "2011-04-02", "2011-04-02", "retracted", [("act-aa", "source"), ("act-bb", "target")]),
    ("evt-6", "THREATEN", "2009-02-01", "2009-02-01", "active", [("act-aa", "source"), ("act-bb", "target")]),
    ("evt-7", "PROTEST", "2012-02-01", "2012-02-01", "active", [("act-ee", "source"), ("act-aa", "target")]),
]  # fmt: skip


def _write(folder: Path, table: str, rows: list[dict[str, str]]) -> None:
    header = list(TABLES[table].model_fields)
    with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, header, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """Five states (one merged into another, one without a COW code, one retracted) and a
    person, with relations and events chosen so each rule of the panels shows."""
    root = tmp_path / "package"
    data = root / "data"
    data.mkdir(parents=True)
    _write(data, "sources", [])
    _write(data, "citations", [])
    _write(data, "actor_aliases", [])
    _write(
        data,
        "actors",
        [
            dict(id=i, name=n, kind=k, description=n, status=s, merged_into=m)
            for i, n, k, s, m in _ACTORS
        ],
    )
    _write(
        data,
        "external_ids",
        [
            dict(record_id=r, scheme=s, value=v, valid_from=f, valid_to=t)
            for r, s, v, f, t in _CODES
        ],
    )
    relations = []
    for row in _RELATIONS:
        rid, source, target, kind, mode, start, end, attribution = row[:8]
        relations.append(
            dict(
                id=rid,
                source_id=source,
                target_id=target,
                relation_type=kind,
                relation_mode=mode,
                position="President" if kind == "leads" else "",
                date_start=start,
                start_precision="day",
                date_end=end,
                end_precision="day" if end else "",
                confidence="high",
                attribution=attribution,
                description=rid,
                status=row[8] if len(row) > 8 else "active",
            )
        )
    _write(data, "relations", relations)
    _write(
        data,
        "events",
        [
            dict(
                id=eid,
                title=eid,
                description=eid,
                event_type=kind,
                date_start=start,
                date_end=end,
                date_precision="day",
                geo_precision="unknown",
                confidence="high",
                attribution="confirmed",
                status=status,
            )
            for eid, kind, start, end, status, _ in _EVENTS
        ],
    )
    _write(
        data,
        "event_actors",
        [
            dict(event_id=eid, actor_id=actor, role=role)
            for eid, *_, roles in _EVENTS
            for actor, role in roles
        ],
    )
    regenerate(root)
    return root


def _panel(unit: str, package: Path, **span: Any) -> pd.DataFrame:
    with pytest.warns(HiddenRecordsWarning):
        return panel(unit, path=package, **span)


def _true(frame: pd.DataFrame, key: tuple[int, str, str]) -> set[str]:
    """The relation columns and flags that are true in one dyad-year, and its nonzero counts."""
    year, source, target = key
    row = frame[(frame.year == year) & (frame.source_id == source) & (frame.target_id == target)]
    assert len(row) == 1, key
    record = row.iloc[0]
    flags = [c for c in frame.columns if frame[c].dtype == "boolean" and record[c]]
    counts = [f"{c}={record[c]}" for c in frame.columns if c.startswith("events_") and record[c]]
    return {*flags, *counts}


def test_dyad_year_by_hand(package: Path) -> None:
    frame = _panel("dyad_year", package, start=2010, end=2012)
    keys = list(zip(frame.year, frame.source_id, frame.target_id, strict=True))
    assert keys == [
        (2010, "act-aa", "act-bb"),
        (2010, "act-bb", "act-aa"),
        (2010, "act-pp", "act-aa"),
        (2011, "act-aa", "act-bb"),
        (2011, "act-bb", "act-aa"),
        (2011, "act-bb", "act-cc"),
        (2011, "act-cc", "act-bb"),
        (2011, "act-pp", "act-aa"),
        (2012, "act-aa", "act-bb"),
        (2012, "act-aa", "act-cc"),
        (2012, "act-bb", "act-aa"),
        (2012, "act-bb", "act-cc"),
        (2012, "act-ee", "act-aa"),
        (2012, "act-pp", "act-aa"),
    ]
    assert list(frame.columns) == list(columns("dyad_year"))
    # rel-a runs from March 2010 into February 2011: both years. evt-2 spans the New Year and
    # counts in 2010, the year it began.
    assert _true(frame, (2010, "act-aa", "act-bb")) == {"supports_weapons", "events_assault=1"}
    assert _true(frame, (2010, "act-bb", "act-aa")) == {"events_consult=1"}
    assert _true(frame, (2011, "act-aa", "act-bb")) == {
        "supports_weapons",
        "allied_with",
        "events_aid=1",
        "events_assault=1",
    }
    # allied_with is stored once (aa < bb) and holds both ways, until the end of the span.
    assert _true(frame, (2011, "act-bb", "act-aa")) == {"allied_with"}
    assert _true(frame, (2012, "act-bb", "act-aa")) == {"allied_with"}
    # Alleged only in 2011; in 2012 a claimed and a confirmed record: not unconfirmed.
    assert _true(frame, (2011, "act-bb", "act-cc")) == {
        "supports_troops",
        "supports_troops_unconfirmed",
    }
    assert _true(frame, (2012, "act-bb", "act-cc")) == {"supports_troops"}
    # act-dd was merged into act-cc: its event and the sanction on it are act-cc's.
    assert _true(frame, (2011, "act-cc", "act-bb")) == {"events_assault=1"}
    assert _true(frame, (2012, "act-aa", "act-cc")) == {"sanctions_economic"}
    assert _true(frame, (2012, "act-ee", "act-aa")) == {"events_protest=1"}
    assert _true(frame, (2011, "act-pp", "act-aa")) == {"leads"}
    assert frame.loc[0, "source_name"] == "Aland"
    assert frame.loc[0, "target_name"] == "Bria"


def test_state_dyad_year_by_hand(package: Path) -> None:
    frame = _panel("state_dyad_year", package, start=2010, end=2012)
    shown = frame[["year", "ccode1", "ccode2", "gwcode1", "gwcode2", "source_id", "target_id"]]
    assert [tuple(row) for row in shown.itertuples(index=False)] == [
        # Bria is COW 200 until 30 June 2010, 210 from 1 July: 210 for 2010.
        (2010, 100, 210, 101, 200, "act-aa", "act-bb"),
        (2010, 210, 100, 200, 101, "act-bb", "act-aa"),
        (2011, 100, 210, 101, 200, "act-aa", "act-bb"),
        (2011, 210, 100, 200, 101, "act-bb", "act-aa"),
        (2011, 210, 300, 200, 300, "act-bb", "act-cc"),
        (2011, 300, 210, 300, 200, "act-cc", "act-bb"),
        (2012, 100, 210, 101, 200, "act-aa", "act-bb"),
        (2012, 100, 300, 101, 300, "act-aa", "act-cc"),
        (2012, 210, 100, 200, 101, "act-bb", "act-aa"),
        (2012, 210, 300, 200, 300, "act-bb", "act-cc"),
        # act-ee has no COW code and the person is no state: both left out.
    ]
    assert list(frame.columns) == list(columns("state_dyad_year"))


def test_actor_year_by_hand(package: Path) -> None:
    frame = _panel("actor_year", package, start=2010, end=2012)
    nonzero = {
        (row["year"], row["actor_id"]): {
            name: row[name] for name in columns("actor_year")[6:] if row[name]
        }
        for row in frame.to_dict("records")
    }
    assert nonzero == {
        (2010, "act-aa"): {
            "events": 2,
            "events_as_source": 1,
            "events_as_target": 1,
            "events_consult": 1,
            "events_assault": 1,
            "relations_leads_in": 1,
            "relations_supports_out": 1,
        },
        (2010, "act-bb"): {
            "events": 2,
            "events_as_source": 1,
            "events_as_target": 1,
            "events_consult": 1,
            "events_assault": 1,
            "relations_supports_in": 1,
        },
        (2010, "act-pp"): {"relations_leads_out": 1},
        (2011, "act-aa"): {
            "events": 2,
            "events_as_source": 2,
            "events_aid": 1,
            "events_assault": 1,
            "relations_leads_in": 1,
            "relations_allied_with_out": 1,
            "relations_allied_with_in": 1,
            "relations_supports_out": 1,
        },
        (2011, "act-bb"): {
            "events": 2,
            "events_as_target": 2,
            "events_aid": 1,
            "events_assault": 1,
            "relations_allied_with_out": 1,
            "relations_allied_with_in": 1,
            "relations_supports_out": 1,
            "relations_supports_in": 1,
        },
        (2011, "act-cc"): {
            "events": 2,
            "events_as_source": 1,
            "events_as_victim": 1,
            "events_aid": 1,
            "events_assault": 1,
            "relations_supports_in": 1,
        },
        (2011, "act-pp"): {
            "events": 1,
            "events_as_participant": 1,
            "events_aid": 1,
            "relations_leads_out": 1,
        },
        (2012, "act-aa"): {
            "events": 1,
            "events_as_target": 1,
            "events_protest": 1,
            "relations_leads_in": 1,
            "relations_allied_with_out": 1,
            "relations_allied_with_in": 1,
            "relations_sanctions_out": 1,
        },
        (2012, "act-bb"): {
            "relations_allied_with_out": 1,
            "relations_allied_with_in": 1,
            "relations_supports_out": 2,
        },
        (2012, "act-cc"): {"relations_supports_in": 2, "relations_sanctions_in": 1},
        (2012, "act-ee"): {"events": 1, "events_as_source": 1, "events_protest": 1},
        (2012, "act-pp"): {"relations_leads_out": 1},
    }
    codes = frame.set_index(["year", "actor_id"])[["kind", "ccode", "gwcode"]]
    assert tuple(codes.loc[(2010, "act-bb")]) == ("state", 210, 200)
    assert codes.loc[(2012, "act-ee"), "ccode"] is pd.NA
    assert codes.loc[(2010, "act-pp"), "ccode"] is pd.NA


def test_default_span_runs_from_1979_to_the_coverage_end(package: Path) -> None:
    coverage_end = json.loads((package / "datapackage.json").read_text())["coverage_end"]
    frame = _panel("dyad_year", package)
    assert frame.year.min() == 2009  # evt-6, inside the default span from 1979
    assert frame.year.max() == int(coverage_end[:4])  # the ongoing alliance and leadership
    ongoing = frame[frame.year == int(coverage_end[:4])]
    assert set(zip(ongoing.source_id, ongoing.target_id, strict=True)) == {
        ("act-aa", "act-bb"),
        ("act-bb", "act-aa"),
        ("act-pp", "act-aa"),
    }
    assert _panel("dyad_year", package, start=2011).year.min() == 2011
    assert _panel("actor_year", package, end=2009).year.tolist() == [2009, 2009]


def test_hidden_and_redirected_records_are_said(package: Path) -> None:
    with pytest.warns(HiddenRecordsWarning) as caught:
        panel("dyad_year", path=package)
    messages = sorted(str(w.message) for w in caught)
    assert any(m.startswith("actors: 2 retracted or merged rows hidden") for m in messages)
    assert any(m.startswith("relations: 1 retracted or merged row hidden") for m in messages)
    assert any(m.startswith("events: 1 retracted or merged row hidden") for m in messages)
    assert any(m.startswith("relations: 1 active row named a merged actor") for m in messages)
    assert any(m.startswith("relations: 1 active row left out") for m in messages)
    assert any(m.startswith("event_actors: 1 active row named a merged actor") for m in messages)
    assert all(w.filename == __file__ for w in caught)


def test_bad_arguments_are_refused(package: Path) -> None:
    with pytest.raises(ValueError, match="dyad_year, state_dyad_year, actor_year"):
        panel("country_year", path=package)
    with pytest.raises(ValueError, match="start 2012 is after end 2010"):
        _panel("dyad_year", package, start=2012, end=2010)
    with pytest.raises(ValueError, match="start must be a year"):
        panel("dyad_year", path=package, start="2010")  # type: ignore[arg-type]


def test_the_relation_columns_follow_the_vocabulary() -> None:
    names = relation_columns()
    assert len(names) == len(set(names)) == 27
    for name in ("supports_weapons", "sanctions_terrorist_designation", "trades_with_oil"):
        assert name in names
    assert "at_war_with" in names and "supports" not in names


def test_export_writes_csv_and_parquet_with_the_panels_dtypes(
    package: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with pytest.warns(HiddenRecordsWarning):
        written = export_package(out, "panels", path=package)
    assert sorted(p.name for p in written) == sorted(
        f"{unit}.{suffix}" for unit in UNITS for suffix in ("csv", "parquet")
    )
    for unit in UNITS:
        expected = _panel(unit, package)
        from_csv = pd.read_csv(out / f"{unit}.csv", dtype_backend="numpy_nullable")
        pd.testing.assert_frame_equal(from_csv, expected)
        pd.testing.assert_frame_equal(pd.read_parquet(out / f"{unit}.parquet"), expected)


def test_cli_exports_panels(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cli"
    with pytest.warns(HiddenRecordsWarning):
        assert main(["export", "--format", "panels", "--out", str(out), str(package)]) == 0
    assert capsys.readouterr().out.count("wrote ") == 2 * len(UNITS)
    assert (out / "state_dyad_year.parquet").is_file()


# -- the shipped package ---------------------------------------------------------------------


def _shipped(unit: str) -> pd.DataFrame:
    with pytest.warns(HiddenRecordsWarning):
        return iran_syria.panel(unit)


def _rows(table: str) -> list[dict[str, str]]:
    with (SHIPPED / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_every_shipped_state_has_a_cow_and_a_gw_code() -> None:
    states = {row["id"] for row in _rows("actors") if row["kind"] == "state"}
    for scheme in ("cow", "gw"):
        coded = {row["record_id"] for row in _rows("external_ids") if row["scheme"] == scheme}
        assert states <= coded, (scheme, sorted(states - coded))


def test_shipped_state_dyad_year_has_codes_on_every_row() -> None:
    frame = _shipped("state_dyad_year")
    assert len(frame) > 0
    for column in ("ccode1", "ccode2", "gwcode1", "gwcode2"):
        assert frame[column].notna().all(), column
    # Every dyad-year of two states is there: no state lacks a code in any year it appears.
    dyads = _shipped("dyad_year")
    kinds = {row["id"]: row["kind"] for row in _rows("actors")}
    both = dyads.source_id.map(kinds).eq("state") & dyads.target_id.map(kinds).eq("state")
    assert int(both.sum()) == len(frame)


def _dyad(frame: pd.DataFrame, year: int, source: int, target: int) -> pd.Series:
    rows = frame[(frame.year == year) & (frame.ccode1 == source) & (frame.ccode2 == target)]
    assert len(rows) == 1, (year, source, target)
    return rows.iloc[0]


def test_shipped_iran_syria_dyad_years_agree_with_the_relations() -> None:
    """Read off relations.csv by hand: Iran (630) arms, advises, funds and backs Syria (652)
    from the 2010s (decade precision) to 8 December 2024; troops from September 2015; the
    alliance from 1982 to 8 December 2024, stored once (act-iran < act-syria)."""
    frame = _shipped("state_dyad_year")
    iran_2013 = _dyad(frame, 2013, 630, 652)
    for column in ("supports_weapons", "supports_advisors", "supports_economic", "allied_with"):
        assert iran_2013[column], column
        assert not iran_2013[f"{column}_unconfirmed"], column
    assert not iran_2013["supports_troops"]
    assert _dyad(frame, 2016, 630, 652)["supports_troops"]
    assert _dyad(frame, 2013, 652, 630)["allied_with"]  # symmetric: Syria to Iran too
    assert _dyad(frame, 2024, 630, 652)["supports_weapons"]  # ended 8 December 2024
    assert (frame.year == 2025).sum() > 0
    after = frame[(frame.year == 2025) & (frame.ccode1 == 630) & (frame.ccode2 == 652)]
    assert after.empty or not after.iloc[0]["supports_weapons"]


def test_shipped_us_sanctions_on_syria_agree_with_the_relations() -> None:
    """US (2) to Syria (652): the state-sponsor designation and the arms embargo from 1979,
    economic sanctions from 14 November 1986, all ongoing."""
    frame = _shipped("state_dyad_year")
    for year in (1979, 1985):
        row = _dyad(frame, year, 2, 652)
        assert row["sanctions_terrorist_designation"] and row["sanctions_arms_embargo"]
        assert not row["sanctions_economic"]
    for year in (1986, 2013, 2026):
        assert _dyad(frame, year, 2, 652)["sanctions_economic"], year
    assert not _dyad(frame, 2013, 2, 652)["supports_weapons"]


def test_an_empty_span_keeps_the_columns_and_dtypes(package: Path) -> None:
    frame = _panel("state_dyad_year", package, start=1900, end=1900)
    assert frame.empty
    assert list(frame.columns) == list(columns("state_dyad_year"))
    assert frame.dtypes.equals(_panel("state_dyad_year", package, start=2010, end=2012).dtypes)
