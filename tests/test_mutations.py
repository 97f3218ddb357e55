"""Property tests: mutated packages always give located problems, never a traceback, and the
validator never changes a byte of its input."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st

from iran_syria import validate_package
from iran_syria.errors import PROBLEM_CODES
from iran_syria.models import TABLES

from .conftest import copied_valid, regenerate
from .fuzz.fuzz_reader import check_reader

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TABLE_NAMES = list(TABLES)


def _digests(package: Path) -> dict[str, str]:
    return {
        str(p.relative_to(package)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(package.rglob("*"))
        if p.is_file()
    }


def _assert_located_report(package: Path) -> None:
    """Validate; every problem is a known code with a file, and row problems have a line.

    Both engines run: the columnar one must report exactly what the row-by-row one does."""
    before = _digests(package)
    report = validate_package(package)
    reference = validate_package(package, engine="rows")
    assert _digests(package) == before, "the validator changed its input"
    assert [p.to_dict() for p in report.problems] == [p.to_dict() for p in reference.problems]
    for problem in report.problems:
        assert problem.code in PROBLEM_CODES
        assert problem.code != "internal-error", problem.message
        assert problem.path, problem
        if (
            problem.field is not None
            and problem.table is not None
            and problem.path.endswith(".csv")
        ):
            assert problem.line is not None and problem.line >= 1, problem


@SETTINGS
@given(
    table=st.sampled_from(TABLE_NAMES),
    edits=st.lists(
        st.tuples(
            st.sampled_from(["flip", "insert", "delete"]),
            st.floats(0, 1),
            st.binary(min_size=1, max_size=4),
        ),
        min_size=1,
        max_size=5,
    ),
    refresh_hashes=st.booleans(),
)
def test_byte_mutations_give_a_located_report(
    table: str, edits: list[tuple[str, float, bytes]], refresh_hashes: bool
) -> None:
    with copied_valid() as package:
        path = package / "data" / f"{table}.csv"
        data = bytearray(path.read_bytes())
        for kind, where, chunk in edits:
            at = min(int(where * len(data)), max(len(data) - 1, 0))
            if kind == "flip" and data:
                data[at] ^= chunk[0] or 1
            elif kind == "insert":
                data[at:at] = chunk
            elif data:
                del data[at : at + len(chunk)]
        path.write_bytes(bytes(data))
        if refresh_hashes:
            regenerate(package)
        _assert_located_report(package)


_cell_text = st.text(
    alphabet=st.sampled_from(list('a-Z09 ,"\n\r\t=@+\u202e\u200b\u00e9e\u0301ضNA:;')), max_size=12
)


@SETTINGS
@given(
    table=st.sampled_from(TABLE_NAMES),
    row=st.integers(0, 20),
    column=st.integers(0, 25),
    text=_cell_text,
)
def test_cell_mutations_give_a_located_report(table: str, row: int, column: int, text: str) -> None:
    with copied_valid() as package:
        path = package / "data" / f"{table}.csv"
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        target = rows[1 + row % (len(rows) - 1)]
        target[column % len(target)] = text
        buffer = io.StringIO(newline="")
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
        regenerate(package)
        _assert_located_report(package)


@SETTINGS
@given(table=st.sampled_from(TABLE_NAMES), row=st.integers(0, 20), duplicate=st.booleans())
def test_row_mutations_give_a_located_report(table: str, row: int, duplicate: bool) -> None:
    with copied_valid() as package:
        path = package / "data" / f"{table}.csv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        at = 1 + row % (len(lines) - 1)
        lines[at:at] = [lines[at]] if duplicate else []
        if not duplicate:
            del lines[at]
        path.write_text("".join(lines), encoding="utf-8", newline="")
        regenerate(package)
        _assert_located_report(package)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


@SETTINGS
@given(choice=st.integers(0, 10**6), replacement=_json, delete=st.booleans())
def test_descriptor_mutations_give_a_located_report(
    choice: int, replacement: Any, delete: bool
) -> None:
    with copied_valid() as package:
        descriptor_path = package / "datapackage.json"
        descriptor = json.loads(descriptor_path.read_text())
        paths = list(_paths(descriptor))[1:]
        *parents, last = paths[choice % len(paths)]
        node = descriptor
        for key in parents:
            node = node[key]
        if delete:
            del node[last]
        else:
            node[last] = replacement
        descriptor_path.write_text(json.dumps(descriptor))
        _assert_located_report(package)


@settings(max_examples=300, deadline=None)
@given(
    data=st.binary(max_size=300) | st.text(alphabet='ab,"\n\r\x00\xff', max_size=80).map(str.encode)
)
def test_reader_never_raises_and_locates_within_the_file(data: bytes) -> None:
    check_reader(data)
