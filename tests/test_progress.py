"""The validation progress bar: drawn and cleared on a terminal, silent everywhere else."""

from __future__ import annotations

import io
import json
import sys

import pytest

from iran_syria import _progress
from iran_syria._progress import ProgressBar
from iran_syria.cli import main

from .conftest import INVALID, VALID

BIG = 100 * 1024 * 1024  # over the threshold, so only the stream and CI decide


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def no_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)


def run_bar(stream: io.StringIO | None, total: int = BIG) -> None:
    with ProgressBar(stream) as bar:
        bar("actors", total // 4, total)
        bar("events", total, total)


@pytest.mark.usefixtures("no_ci")
def test_draws_and_clears_on_a_terminal() -> None:
    terminal = FakeTerminal()
    with ProgressBar(terminal) as bar:
        bar("actors", BIG // 4, BIG)
        assert terminal.getvalue() == "\r[#####---------------]  25% actors"
        bar("events", BIG, BIG)
        assert terminal.getvalue().endswith("\r[####################] 100% events")
    drawn = terminal.getvalue()
    # the end blanks the widest line drawn and leaves the cursor at the start of it
    assert drawn.endswith("\r" + " " * len("[####################] 100% events") + "\r")


@pytest.mark.usefixtures("no_ci")
def test_a_shorter_line_blanks_the_rest_of_a_longer_one() -> None:
    terminal = FakeTerminal()
    bar = ProgressBar(terminal)
    bar("actor_aliases", 1, BIG)
    bar("events", 2, BIG)
    last = terminal.getvalue().rsplit("\r", 1)[-1]
    assert len(last) == len("[--------------------]   0% actor_aliases")


@pytest.mark.usefixtures("no_ci")
def test_silent_when_not_a_terminal() -> None:
    pipe = io.StringIO()
    run_bar(pipe)
    assert pipe.getvalue() == ""


def test_silent_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    terminal = FakeTerminal()
    run_bar(terminal)
    assert terminal.getvalue() == ""


@pytest.mark.usefixtures("no_ci")
def test_silent_for_a_small_package() -> None:
    terminal = FakeTerminal()
    run_bar(terminal, total=_progress.MIN_BYTES - 1)
    assert terminal.getvalue() == ""


def test_silent_without_a_stream() -> None:
    run_bar(None)  # sys.stderr is None under pythonw


@pytest.mark.usefixtures("no_ci")
def test_the_command_draws_on_stderr_and_clears_before_the_report(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(_progress, "MIN_BYTES", 0)  # the fixture is a few kB
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["validate", str(VALID)]) == 0
    drawn = terminal.getvalue()
    assert drawn.count("\r[") == 9  # one redraw per table
    assert "] 100% " in drawn
    assert drawn.endswith(" \r")
    assert (
        capsys.readouterr().out.strip().splitlines()[-1] == "valid: 9 tables, 64 rows, no problems"
    )


@pytest.mark.usefixtures("no_ci")
@pytest.mark.parametrize("output_format", ["json", "github"])
def test_the_command_draws_nothing_for_machine_formats(
    output_format: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(_progress, "MIN_BYTES", 0)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["validate", "--format", output_format, str(VALID)]) == 0
    assert terminal.getvalue() == ""
    assert "\r" not in capsys.readouterr().out


@pytest.mark.parametrize("case", ["bad-date-order", "merged-reference"])
def test_both_engines_report_the_same_problems(
    case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = {}
    for engine in ("columnar", "rows"):
        main(["validate", "--format", "json", "--engine", engine, str(INVALID / case)])
        reports[engine] = json.loads(capsys.readouterr().out)["problems"]
    assert reports["columnar"] == reports["rows"]
    assert reports["rows"]


def test_an_unknown_engine_is_misuse() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["validate", "--engine", "pandas", str(VALID)])
    assert caught.value.code == 2
