"""Fuzzing the shipped package: random byte mutations of one file, and the invariants every
run must keep. Runs IRAN_SYRIA_FUZZ_EXAMPLES examples (40 by default; set it to thousands for
a long run, e.g. `IRAN_SYRIA_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/test_fuzz_shipped.py`)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from iran_syria.cli import main
from iran_syria.validate import validate_package

from .conftest import SHIPPED

EXAMPLES = int(os.environ.get("IRAN_SYRIA_FUZZ_EXAMPLES", "40"))
FILES = ["datapackage.json", *(f"data/{p.name}" for p in sorted((SHIPPED / "data").glob("*.csv")))]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    target = tmp_path_factory.mktemp("fuzz") / "datapackage"
    shutil.copytree(SHIPPED, target)
    yield target


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


mutation = st.tuples(
    st.sampled_from(["flip", "insert", "delete", "truncate"]),
    st.floats(min_value=0, max_value=1, allow_nan=False),
    st.integers(min_value=0, max_value=255),
)


def _mutate(data: bytes, edits: list[tuple[str, float, int]]) -> bytes:
    buffer = bytearray(data)
    for kind, where, value in edits:
        at = min(int(where * len(buffer)), max(len(buffer) - 1, 0))
        if kind == "flip" and buffer:
            buffer[at] = value
        elif kind == "insert":
            buffer[at:at] = bytes([value]) * (1 + value % 7)
        elif kind == "delete" and buffer:
            del buffer[at : at + 1 + value % 5]
        elif kind == "truncate":
            del buffer[at:]
    return bytes(buffer)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(target=st.sampled_from(FILES), edits=st.lists(mutation, min_size=1, max_size=4))
def test_a_mutated_package_keeps_every_invariant(
    package: Path,
    target: str,
    edits: list[tuple[str, float, int]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = package / target
    original = path.read_bytes()
    mutated = _mutate(original, edits)
    path.write_bytes(mutated)
    try:
        before = _digests(package)
        capsys.readouterr()
        code = main(["validate", "--format", "json", str(package)])
        out, err = capsys.readouterr()
        assert code in (0, 1), (code, err)
        assert "Traceback" not in err
        answer = json.loads(out)
        codes = [p["code"] for p in answer["problems"]]
        assert "internal-error" not in codes, answer["problems"]
        assert _digests(package) == before, "the validator changed its input"
        if mutated != original:
            assert code == 1 or target == "datapackage.json", "a changed CSV passed its hash"
        if code == 1 and target != "datapackage.json":
            assert any(p["path"] and p["path"].endswith(target) for p in answer["problems"])
        for problem in answer["problems"]:
            assert problem["path"], problem
        rows = validate_package(package, engine="rows")
        columnar = validate_package(package, engine="columnar")
        assert [p.to_dict() for p in rows.problems] == [p.to_dict() for p in columnar.problems]
    finally:
        path.write_bytes(original)


# Cases the fuzzing found, kept as plain tests.


@pytest.mark.parametrize("engine", ["rows", "columnar"])
def test_an_invalid_first_byte_of_a_header_is_an_encoding_error(package: Path, engine: str) -> None:
    path = package / "data" / "actor_aliases.csv"
    original = path.read_bytes()
    path.write_bytes(b"\x80" + original[1:])
    try:
        codes = {p.code for p in validate_package(package, engine=engine).problems}
    finally:
        path.write_bytes(original)
    assert "encoding-error" in codes and "internal-error" not in codes


@pytest.mark.parametrize("engine", ["rows", "columnar"])
def test_a_table_without_its_id_column_causes_no_cascade(package: Path, engine: str) -> None:
    path = package / "data" / "actors.csv"
    original = path.read_bytes()
    path.write_bytes(b"\x00" + original[1:-1] + b"\x01")  # the header's "id" broken
    try:
        report = validate_package(package, engine=engine)
    finally:
        path.write_bytes(original)
    assert {p.table for p in report.problems} == {"actors"}, report.summary()
    assert "internal-error" not in {p.code for p in report.problems}
