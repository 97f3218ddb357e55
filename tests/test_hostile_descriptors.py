"""Descriptors built to hurt are located problems with exit 1, never a crash or a hang."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from iran_syria import IntegrityError, load
from iran_syria.cli import main
from iran_syria.validate import validate_package


def _descriptor(package: Path) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((package / "datapackage.json").read_text("utf-8"))
    return loaded


def _write(package: Path, text: str) -> None:
    (package / "datapackage.json").write_text(text, encoding="utf-8")


def _only(package: Path) -> list[tuple[str, str]]:
    report = validate_package(package)
    return [(p.code, p.message) for p in report.problems]


def test_nesting_beyond_the_limit(valid_copy: Path) -> None:
    text = json.dumps(_descriptor(valid_copy))
    _write(valid_copy, text[:-1] + ', "x": ' + "[" * 50_000 + "]" * 50_000 + "}")
    problems = _only(valid_copy)
    assert [code for code, _ in problems] == ["limit-exceeded"]
    assert "nested deeper than 64 levels" in problems[0][1]
    with pytest.raises(IntegrityError, match="limit-exceeded"):
        load("events", path=valid_copy)


def test_a_number_of_a_million_digits(valid_copy: Path) -> None:
    text = json.dumps(_descriptor(valid_copy))
    _write(valid_copy, text[:-1] + ', "x": ' + "9" * 1_000_000 + "}")
    assert [code for code, _ in _only(valid_copy)] == ["limit-exceeded"]


@pytest.mark.parametrize("value", [None, "data", {"name": "events"}])
def test_resources_of_the_wrong_type_are_one_problem(valid_copy: Path, value: object) -> None:
    descriptor = _descriptor(valid_copy)
    descriptor["resources"] = value
    _write(valid_copy, json.dumps(descriptor, indent=2))
    assert [code for code, _ in _only(valid_copy)] == ["bad-descriptor"]


def test_a_path_longer_than_file_systems_allow(valid_copy: Path) -> None:
    descriptor = _descriptor(valid_copy)
    descriptor["resources"][0]["path"] = "data/" + "a" * 5000 + ".csv"  # type: ignore[index]
    _write(valid_copy, json.dumps(descriptor, indent=2))
    problems = _only(valid_copy)
    assert ("unsafe-path", True) in {
        (c, "longer than file systems allow" in m) for c, m in problems
    }
    assert "internal-error" not in {code for code, _ in problems}


def test_a_loop_of_symbolic_links(valid_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.symlink("loop2", valid_copy / "data" / "loop1")
    os.symlink("loop1", valid_copy / "data" / "loop2")
    descriptor = _descriptor(valid_copy)
    descriptor["resources"][0]["path"] = "data/loop1"  # type: ignore[index]
    _write(valid_copy, json.dumps(descriptor, indent=2))
    assert main(["validate", str(valid_copy)]) == 1
    out, err = capsys.readouterr()
    assert "is a loop of symbolic links [unsafe-path]" in out
    assert "Traceback" not in err
