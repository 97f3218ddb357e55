"""What CI shows: annotations chosen for variety, a summary that cannot crash, JSON for misuse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iran_syria.cli import main
from iran_syria.errors import Problem
from iran_syria.validate import Report

from .conftest import INVALID, VALID


def _problem(code: str, line: int, path: str = "data/events.csv") -> Problem:
    return Problem(code, f"{code} on line {line}", table="events", path=path, line=line)


def test_annotations_show_every_code_before_a_second_of_one_and_errors_first() -> None:
    problems = [_problem("bad-vocabulary", line) for line in range(2, 14)]  # 12 of one code
    problems.append(_problem("bad-date-order", 40))
    problems.append(_problem("formula-trigger", 3))  # a warning, early in the file
    problems.append(_problem("bad-date", 50, path="data/relations.csv"))
    annotations = [
        line
        for line in Report("p", problems).to_github(limit=10).splitlines()
        if line.startswith("::error") or line.startswith("::warning")
    ]
    titles = [line.split("title=")[1].split("::")[0] for line in annotations]
    assert len(annotations) == 10
    assert titles[:3] == ["bad-vocabulary", "bad-date-order", "bad-date"]  # file order
    assert titles[3:] == ["bad-vocabulary"] * 7  # then the second and later of one code
    assert "formula-trigger" not in titles  # errors fill the slots before any warning


def test_a_warning_gets_a_slot_once_every_error_has_one() -> None:
    problems = [_problem("bad-date", 5), _problem("formula-trigger", 3)]
    shown = Report("p", problems).to_github().splitlines()
    assert shown[0].startswith("::error") and shown[1].startswith("::warning")


@pytest.mark.parametrize(("package", "code"), [(VALID, 0), (INVALID / "bad-date", 1)])
def test_an_unwritable_step_summary_warns_and_the_exit_code_follows_the_data(
    package: Path,
    code: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path))  # a folder: cannot be opened
    assert main(["validate", "--format", "github", str(package)]) == code
    err = capsys.readouterr().err
    assert "warning: cannot write the step summary" in err
    assert "Traceback" not in err


def test_json_is_the_answer_to_a_path_that_is_no_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--format", "json", str(tmp_path / "nothing")]) == 2
    answer = json.loads(capsys.readouterr().out)
    assert "no such file or folder" in answer["error"]


def test_json_is_the_answer_to_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["validate", "--format=json", "--no-such-option"])
    assert exit_.value.code == 2
    assert "error" in json.loads(capsys.readouterr().out)
