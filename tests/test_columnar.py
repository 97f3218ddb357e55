"""The columnar validator reports exactly what the row-by-row reference does.

The columnar engine screens whole Arrow columns and asks the Pydantic models only about the
rows a screen flags; these tests run both engines over the same packages (every golden broken
fixture, generated packages with injected errors, and mutated cells aimed at each rule) and
compare the complete problem lists, order included.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from iran_syria import _columnar
from iran_syria.models import TABLES
from iran_syria.validate import _profile_errors, _profile_validator, validate_package

from .conftest import VALID, copied_valid, regenerate

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "invalid"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _problems(package: Path, engine: str) -> list[dict[str, object]]:
    return [p.to_dict() for p in validate_package(package, engine=engine).problems]


def _assert_same(package: Path) -> list[dict[str, object]]:
    columnar = _problems(package, "columnar")
    assert columnar == _problems(package, "rows")
    return columnar


@pytest.mark.parametrize(
    "package",
    [ROOT / "datapackage", VALID, *sorted(p for p in FIXTURES.iterdir() if p.is_dir())],
    ids=lambda p: p.name,
)
def test_both_engines_agree_on_every_fixture(package: Path) -> None:
    _assert_same(package)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    folder = tmp_path_factory.mktemp("generated")
    assert generate(folder, 3000, inject_errors=4) == 12
    return folder


def test_injected_errors_are_reported_identically(generated: Path) -> None:
    problems = _assert_same(generated)
    codes = {(p["table"], p["code"]) for p in problems}
    assert ("events", "bad-date") in codes
    assert ("event_actors", "unknown-reference") in codes
    assert ("actors", "duplicate-key") in codes


@pytest.mark.parametrize(
    "package",
    [VALID, *sorted(p for p in FIXTURES.iterdir() if p.is_dir()), None],
    ids=lambda p: "generated" if p is None else p.name,
)
def test_the_threads_report_what_the_rows_engine_reports(
    package: Path | None, generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Below 50k rows the columnar engine runs its tasks one by one: here every size takes
    the threads (screens, the id hashing, keys, duplicate events beside the rest)."""
    monkeypatch.setattr(_columnar._common, "_POOL_FROM_ROWS", 0)
    monkeypatch.setattr(_columnar._common, "_CORES", 2)
    threads: set[str] = set()
    find_duplicates = _columnar.spans._check_duplicate_events

    def spied(*args: object) -> None:
        threads.add(threading.current_thread().name)
        find_duplicates(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(_columnar.spans, "_check_duplicate_events", spied)
    _assert_same(generated if package is None else package)
    assert threading.main_thread().name not in threads
    if package in (None, VALID):  # packages that reach the rules across tables
        assert threads


def test_the_columnar_engine_reads_plain_tables_in_bulk(generated: Path) -> None:
    """Plain tables take the Arrow path, and only the injected rows reach the models."""
    suspects = {}
    for name, model in TABLES.items():
        data = (generated / "data" / f"{name}.csv").read_bytes()
        table = _columnar.read_table(model, data)
        assert table is not None, name
        assert _columnar.record_lines(data, table) is not None
        suspects[name] = len(_columnar.suspect_rows(model, table))
    # 4 injected events with an impossible date; every other row is clean
    assert suspects == {name: (4 if name == "events" else 0) for name in TABLES}


@pytest.mark.parametrize(
    "data",
    [
        b'id,title\n"a"b,1\n',  # text after a closing quote: csv refuses it, pyarrow would not
        b'id,title\n"a""b"x,1\n',
        b"id,title\r\na,1\r\n",
        b"\xef\xbb\xbfid,title\na,1\n",
        b"id,title\na,1\x00\n",
        b"\nid,title\na,1\n",
        b"id,title\na,1,2\n",
        b"id,title\n\xff,1\n",
    ],
)
def test_bytes_the_strict_grammar_refuses_go_to_the_row_path(data: bytes) -> None:
    assert _columnar.read_table(TABLES["sources"], data) is None


def test_quoted_cells_spanning_lines_keep_their_line_numbers() -> None:
    model = TABLES["event_actors"]
    data = b'event_id,actor_id,role\n"evt-a",act-b,source\n"evt-\nc",act-d,target\nevt-e,act-f,source\n'
    table = _columnar.read_table(model, data)
    assert table is not None
    assert list(_columnar.record_lines(data, table)) == [2, 3, 5]


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def _write(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")


def _ids_in_package() -> list[str]:
    found = []
    for name in ("actors", "events", "relations", "sources"):
        found += [row[0] for row in _rows(VALID / "data" / f"{name}.csv")[1:3]]
    return found


# Values aimed at each screen: dates at the edges of the calendar and of each precision's grid,
# numbers at the range limits, ids of every table, vocabulary words, text faults.
_RULE_VALUES = st.one_of(
    st.sampled_from(
        [
            "",
            " padded",
            "0001-01-01",
            "0000-01-01",
            "0009-12-31",
            "9999-12-31",
            "9999-12-27",
            "2020-02-29",
            "2021-02-29",
            "2020-12-28",
            "2020-03-31",
            "2020-04-01",
            "2019-12-31",
            "2010-01-01",
            "1982",
            "1982-06",
            "1982-13",
            "day",
            "week",
            "month",
            "quarter",
            "year",
            "decade",
            "active",
            "retracted",
            "merged",
            "unknown",
            "exact",
            "supports",
            "leads",
            "allied_with",
            "child_of",
            "weapons",
            "ASSAULT",
            "missile",
            "90",
            "90.0001",
            "-180",
            "-0",
            "1e5",
            "5\n",
            "007",
            "99999999999999999999",
            "Q42",
            "=SUM(A1)",
            "e\u0301",
            "a\u202eb",
            "https://example.org/x",
            "https://a\u00a0b",
            # actor kinds, relation types and modes for bad-actor-kind; booleans and field
            # names for relation_types and citations.fields
            "person",
            "state",
            "coalition",
            "part_of",
            "sanctions",
            "recognizes",
            "religious",
            "true",
            "false",
            "True",
            "person state",
            "person nobody",
            "fatalities_low",
            "name",
            "date_start date_end",
            "date_start date_start",
        ]
    ),
    st.sampled_from(_ids_in_package()),
    st.text(alphabet=st.sampled_from(list('act-evt09 ,"')), max_size=8),
)


@SETTINGS
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(list(TABLES)), st.integers(0, 30), st.integers(0, 25), _RULE_VALUES
        ),
        min_size=1,
        max_size=4,
    )
)
def test_both_engines_agree_on_mutated_cells(edits: list[tuple[str, int, int, str]]) -> None:
    with copied_valid() as package:
        for table, row, column, value in edits:
            path = package / "data" / f"{table}.csv"
            rows = _rows(path)
            target = rows[1 + row % (len(rows) - 1)]
            target[column % len(target)] = value
            _write(path, rows)
        regenerate(package)
        _assert_same(package)


@SETTINGS
@given(
    table=st.sampled_from(list(TABLES)),
    source=st.integers(0, 30),
    target=st.integers(0, 30),
    columns=st.sets(st.integers(0, 25), min_size=1, max_size=3),
)
def test_both_engines_agree_when_rows_share_cells(
    table: str, source: int, target: int, columns: set[int]
) -> None:
    """Copy some cells of one row onto another: repeated keys, ids, days and actors."""
    with copied_valid() as package:
        path = package / "data" / f"{table}.csv"
        rows = _rows(path)
        give, take = rows[1 + source % (len(rows) - 1)], rows[1 + target % (len(rows) - 1)]
        for column in columns:
            take[column % len(take)] = give[column % len(give)]
        _write(path, rows)
        regenerate(package)
        _assert_same(package)


def test_the_fast_check_of_descriptor_sources_matches_jsonschema() -> None:
    descriptor = json.loads((VALID / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["sources"] = [
        {"title": "fine"},
        {"title": 5},
        {},
        {"title": "x", "path": "../up"},
        {"title": "y", "path": "http://example.org"},
        "not an object",
        {"title": "z", "email": 3, "extra": True},
    ]
    expected = sorted(
        (list(e.absolute_path), e.message) for e in _profile_validator().iter_errors(descriptor)
    )
    found = sorted((e.absolute_path, e.message) for e in _profile_errors(descriptor))
    assert found == expected
    assert [path[1] for path, _ in found] == [1, 2, 3, 5, 6]


# -- memory


def test_columnar_validation_hands_the_memory_pool_back(monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow as pa

    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    before = pa.default_memory_pool().backend_name
    seen: list[str] = []
    real_read = _columnar.read_table

    def spying_read(*args: object) -> object:
        seen.append(pa.default_memory_pool().backend_name)
        return real_read(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(_columnar, "read_table", spying_read)
    validate_package(VALID, engine="columnar")
    # tables are read from a pool that returns freed pages, and the user's default comes back
    assert seen and set(seen) <= {"jemalloc", "system"}
    assert pa.default_memory_pool().backend_name == before


def test_a_pool_chosen_in_the_environment_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow as pa

    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "mimalloc")
    before = pa.default_memory_pool().backend_name
    with _columnar.returning_memory_pool():
        assert pa.default_memory_pool().backend_name == before


def test_the_written_out_whitespace_is_what_str_strip_removes() -> None:
    every_space = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
    assert every_space == _columnar._SPACE


def test_calendar_parts_agree_with_arrow_on_every_day_python_knows() -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    first, last = _columnar._FIRST_DAY, 2932896  # 0001-01-01 and 9999-12-31
    days = np.arange(first, last + 1, dtype=np.int64)
    dates = pa.array(days.astype(np.int32), pa.int32()).cast(pa.date32())
    year, month, day = _columnar._civil_from_days(days)
    assert (year == pc.year(dates).to_numpy()).all()
    assert (month == pc.month(dates).to_numpy()).all()
    assert (day == pc.day(dates).to_numpy()).all()
    parsed = _columnar._days(pa.array(["0001-01-01", "2024-02-29", "2023-02-28", "9999-12-31"]))
    assert parsed.weekday.tolist() == [0, 3, 1, 4]  # Monday, Thursday, Tuesday, Friday
    assert parsed.month_end.tolist() == [False, True, True, True]


def test_auto_takes_rows_for_a_small_package_and_columns_from_the_threshold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from iran_syria import validate

    reads: list[str] = []
    real_read = _columnar.read_table

    def spying_read(model: type, data: bytes) -> object:
        reads.append(model.table_name)  # type: ignore[attr-defined]
        return real_read(model, data)  # type: ignore[arg-type]

    monkeypatch.setattr(_columnar, "read_table", spying_read)
    small = validate_package(VALID)
    assert reads == []  # well under 1 MiB: the models, row by row
    monkeypatch.setattr(validate, "AUTO_COLUMNAR_FROM_BYTES", 1)
    assert [p.to_dict() for p in validate_package(VALID).problems] == [
        p.to_dict() for p in small.problems
    ]
    assert reads == list(TABLES)
