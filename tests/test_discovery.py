"""Commands find the package the user means, the way git finds a repository."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from iran_syria import __version__ as VERSION, _locate
from iran_syria.cli import main

from .conftest import VALID


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A source checkout as a contributor has it: pyproject.toml, datapackage/, schemas/."""
    root = tmp_path / "checkout"
    shutil.copytree(VALID, root / "datapackage")
    (root / "schemas").mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "iran-syria"\n', encoding="utf-8")
    return root


def _break_events(package: Path) -> None:
    """A misspelt event type in the first row, an end before its start in the second."""
    events = package / "data" / "events.csv"
    with events.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    rows[1][header.index("event_type")] = "ASSUALT"
    rows[2][header.index("date_end")] = "1900-01-01"
    with events.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def test_validate_in_a_checkout_checks_its_edits_not_the_installed_copy(
    checkout: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    package = checkout / "datapackage"
    _break_events(package)
    monkeypatch.chdir(package / "data")  # anywhere inside the checkout

    assert main(["validate"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"checked {package}/ ({VERSION}, source checkout)"
    assert "[hash-mismatch]" in out  # edited without refreshing the hashes

    assert main(["schemas"]) == 0  # refreshes this checkout's descriptor, not the library's
    assert f"checked {package}/ ({VERSION}, source checkout)" in capsys.readouterr().out
    assert main(["validate"]) == 1
    out = capsys.readouterr().out
    assert "events.csv:2:event_type:" in out and "events.csv:3:date_end:" in out
    assert "[bad-vocabulary]" in out and "[bad-date-order]" in out
    assert "[hash-mismatch]" not in out


def test_a_repaired_checkout_validates_clean_after_schemas(
    checkout: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(checkout)
    assert main(["schemas"]) == 0
    assert main(["schemas", "--check"]) == 0
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("valid: 9 tables")


def test_inside_a_package_folder_that_folder_is_checked(
    checkout: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(checkout / "datapackage")
    assert main(["info"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"checked ./ ({VERSION}, source checkout)"


def test_an_explicit_path_wins_over_the_working_directory(
    checkout: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _break_events(checkout / "datapackage")
    monkeypatch.chdir(checkout)
    assert main(["validate", str(VALID)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"checked {VALID} ({VERSION}, package folder)"


def test_with_no_package_around_the_installed_one_is_checked_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(_locate, "shipped_package_dir", lambda: VALID)
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"checked the installed package {VERSION}"


def test_schemas_outside_a_checkout_says_what_to_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(_locate, "shipped_package_dir", lambda: VALID)  # a wheel's copy
    assert main(["schemas", "--check"]) == 2
    assert "pass --package and --schemas-dir" in capsys.readouterr().err


def test_schemas_on_a_loose_package_folder_needs_a_schemas_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(VALID, tmp_path / "package")
    monkeypatch.chdir(tmp_path / "package")
    assert main(["schemas"]) == 2
    assert "pass --schemas-dir" in capsys.readouterr().err


def test_counts_are_worded_in_the_singular_for_one(
    checkout: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(checkout)
    assert main(["schemas"]) == 0  # the checkout's schemas/ starts empty: many files
    capsys.readouterr()
    events = checkout / "datapackage" / "data" / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace("Alpha", "Alfa", 1), "utf-8")
    assert main(["schemas"]) == 0  # only the descriptor's hash of events.csv changes
    assert "1 file written" in capsys.readouterr().out.splitlines()


def test_one_hidden_row_is_one_row() -> None:
    from iran_syria import loaders

    with pytest.warns(
        loaders.HiddenRecordsWarning, match="actors: 1 retracted or merged row hidden;"
    ):
        loaders._warn_hidden("actors", 1, stacklevel=1)
