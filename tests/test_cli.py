"""The command: exit codes, formats, and no traceback on any broken package."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import iran_syria
from iran_syria.cli import main

from .conftest import INVALID, VALID

CASES = sorted(path.name for path in INVALID.iterdir() if path.is_dir())


def test_valid_package_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(VALID)]) == 0
    assert capsys.readouterr().out.strip().splitlines() == [
        f"checked {VALID} ({iran_syria.__version__}, package folder)",
        "valid: 9 tables, 64 rows, no problems",
    ]


@pytest.mark.parametrize("case", CASES)
def test_broken_package_exits_1_with_a_summary(
    case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = json.loads((INVALID / case / "expected.json").read_text())
    from iran_syria.errors import PROBLEM_CODES, Severity

    has_error = any(PROBLEM_CODES[item["code"]].severity is Severity.ERROR for item in listed)
    assert main(["validate", str(INVALID / case)]) == (1 if has_error else 0)
    output = capsys.readouterr().out.splitlines()
    named = output.pop(0)
    assert named.startswith(f"checked {INVALID / case} (") and named.endswith(", package folder)")
    assert output[0].endswith("]") and output[0].split("[")[-1].rstrip("]") in {
        i["code"] for i in listed
    }
    assert " in " in output[-1] and "table" in output[-1]


def test_strict_turns_warnings_into_failure() -> None:
    assert main(["validate", str(INVALID / "merged-reference")]) == 0
    assert main(["validate", "--strict", str(INVALID / "merged-reference")]) == 1


def test_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", "json", str(INVALID / "bad-date-order")]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(p["code"], p["line"], p["field"]) for p in report["problems"]] == [
        ("bad-date-order", 3, "date_end")
    ]


def test_misuse_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nowhere")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert main(["validate", str(tmp_path)]) == 2
    with pytest.raises(SystemExit) as caught:
        main(["validate", "--format", "yaml"])
    assert caught.value.code == 2


def test_codes_lists_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    from iran_syria.errors import PROBLEM_CODES

    assert main(["codes"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == list(PROBLEM_CODES)


def test_info_summarises(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(VALID)]) == 0
    out = capsys.readouterr().out
    assert "  actors              4  (+2 hidden)" in out
    assert "events        1 of 3    (33%)" in out
    assert "events cover 2015-09-01 to 2021-12-31" in out


def test_schemas_check_on_a_stale_copy_exits_1(valid_copy: Path, tmp_path: Path) -> None:
    schemas_dir = tmp_path / "schemas"
    assert main(["schemas", "--package", str(valid_copy), "--schemas-dir", str(schemas_dir)]) == 0
    assert (
        main(
            ["schemas", "--check", "--package", str(valid_copy), "--schemas-dir", str(schemas_dir)]
        )
        == 0
    )
    (schemas_dir / "events.schema.json").write_text("{}\n")
    assert (
        main(
            ["schemas", "--check", "--package", str(valid_copy), "--schemas-dir", str(schemas_dir)]
        )
        == 1
    )


@pytest.mark.parametrize("case", CASES)
def test_no_traceback_from_the_real_command(case: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "iran_syria", "validate", str(INVALID / case)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr


def test_github_format_writes_the_step_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["validate", "--format", "github", str(INVALID / "bad-date")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert (
        out[0].startswith("::error file=") and ",line=3," in out[0] and "title=bad-date" in out[0]
    )
    assert "| error |" in summary.read_text() and "`bad-date`" in summary.read_text()


def test_version_is_looked_up_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"iran-syria {version('iran-syria')}\n"
