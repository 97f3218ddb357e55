"""The validator: golden failures, exact locations, never a traceback."""

from __future__ import annotations

import filecmp
import hashlib
import json
import sys
from pathlib import Path

import pytest

from iran_syria import validate_package
from iran_syria.errors import PROBLEM_CODES, PackageNotFoundError, Problem

from .conftest import INVALID, SHIPPED, VALID, regenerate

CASES = sorted(path.name for path in INVALID.iterdir() if path.is_dir())


def _located(package: Path) -> list[tuple[str | None, int | None, str | None, str]]:
    return sorted(
        ((p.table, p.line, p.field, p.code) for p in validate_package(package).problems), key=str
    )


def test_valid_fixture_has_no_problem() -> None:
    report = validate_package(VALID)
    assert report.problems == []
    assert report.valid
    assert report.rows["events"] == 3


def test_shipped_package_is_valid() -> None:
    report = validate_package(SHIPPED)
    assert report.problems == [], report.to_text()


@pytest.mark.parametrize("case", CASES)
def test_invalid_fixture_gives_exactly_its_problems(case: str) -> None:
    expected = json.loads((INVALID / case / "expected.json").read_text())
    wanted = sorted((e["table"], e["line"], e["field"], e["code"]) for e in expected)
    assert _located(INVALID / case) == sorted(wanted, key=str)
    files = sorted(e["file"] for e in expected)
    problems = validate_package(INVALID / case).problems
    assert sorted(p.path.replace("\\", "/").split(f"/{case}/")[-1] for p in problems) == files


def test_the_corpus_has_at_least_sixty_broken_packages() -> None:
    assert len(CASES) >= 60


# Limits need files too large to commit, and internal-error means a bug: they are tested here.
# limit-exceeded, too-large and internal-error need inputs too big or too odd to commit; unsafe-archive
# concerns zips, which the fixtures (package folders) are not: tests/test_bundle.py builds them.
CODES_TESTED_WITHOUT_FIXTURE = {"limit-exceeded", "internal-error", "unsafe-archive", "too-large"}


def test_every_problem_code_has_a_fixture() -> None:
    covered = {
        item["code"]
        for case in CASES
        for item in json.loads((INVALID / case / "expected.json").read_text())
    }
    assert set(PROBLEM_CODES) - covered == CODES_TESTED_WITHOUT_FIXTURE


def test_fixtures_are_current(tmp_path: Path) -> None:
    """The committed broken packages equal what build_invalid.py makes from valid/."""
    sys.path.insert(0, str(INVALID.parent))
    try:
        import build_invalid
    finally:
        sys.path.pop(0)
    build_invalid.main(tmp_path)
    for case in CASES:
        comparison = filecmp.dircmp(tmp_path / case, INVALID / case)
        assert (
            not comparison.diff_files and not comparison.left_only and not comparison.right_only
        ), case
        for sub in comparison.subdirs.values():
            assert not sub.diff_files and not sub.left_only and not sub.right_only, case


def test_problems_are_sorted_and_printed_like_a_compiler() -> None:
    report = validate_package(INVALID / "bad-text-multiline")
    lines = report.to_text().splitlines()
    assert lines[0].endswith(
        "events.csv:2:description: text contains the control character U+000A [bad-text]"
    )
    assert ":4:attribution: " in lines[1]
    assert lines[-1] == "2 errors in 1 table (events: 2)"


def test_problems_in_one_cell_are_listed_alike_whatever_order_they_were_found() -> None:
    # An engine may find a cell's problems in any order; the report must not show which.
    cell = {"table": "events", "path": "data/events.csv", "line": 4, "field": "description"}
    found = [
        Problem("bad-text", "text is not in NFC", value="cafe\u0301", **cell),
        Problem("bad-text", "text contains the control character U+0007", value="a\x07", **cell),
        Problem("bad-text", "text contains the control character U+0007", value="b\x07", **cell),
    ]
    orders = [sorted(found, key=Problem.sort_key), sorted(found[::-1], key=Problem.sort_key)]
    assert orders[0] == orders[1]
    assert [p.value for p in orders[0]] == ["a\x07", "b\x07", "cafe\u0301"]


def test_warnings_do_not_make_a_package_invalid() -> None:
    report = validate_package(INVALID / "merged-reference")
    assert report.valid
    assert [p.code for p in report.warnings] == ["merged-reference"]
    assert report.summary() == "0 errors, 1 warning in 1 table (relations: 1)"


def test_all_problems_are_collected_not_just_the_first(valid_copy: Path) -> None:
    events = valid_copy / "data" / "events.csv"
    text = events.read_text()
    text = text.replace("medium,reported", "medium,rumoured").replace(
        "2020-01-03,2020-01-03,day", "2020-02-30,2020-01-02,day"
    )
    events.write_text(text)
    relations = valid_copy / "data" / "relations.csv"
    relations.write_text(
        relations.read_text().replace(
            "act-alpha,act-gamma,supports", "act-alpha,act-nobody,supports"
        )
    )
    regenerate(valid_copy)
    codes = sorted(p.code for p in validate_package(valid_copy).problems)
    assert codes == ["bad-date", "bad-vocabulary", "unknown-reference"]


def test_one_row_reports_every_broken_rule(valid_copy: Path) -> None:
    events = valid_copy / "data" / "events.csv"
    events.write_text(
        events.read_text().replace(
            "AID,advisory,2015-09-01,2015-09-30", "AID,aerial,2015-09-02,2015-08-30"
        )
    )
    regenerate(valid_copy)
    found = sorted((p.field, p.code) for p in validate_package(valid_copy).problems)
    assert found == [
        ("date_end", "bad-date-order"),
        ("date_end", "bad-precision"),
        ("date_start", "bad-precision"),
        ("event_mode", "bad-mode"),
    ]


def test_validation_never_changes_the_input() -> None:
    before = {
        p: hashlib.sha256(p.read_bytes()).hexdigest() for p in INVALID.rglob("*") if p.is_file()
    }
    for case in CASES:
        validate_package(INVALID / case)
    after = {
        p: hashlib.sha256(p.read_bytes()).hexdigest() for p in INVALID.rglob("*") if p.is_file()
    }
    assert before == after


def test_a_folder_without_descriptor_is_misuse(tmp_path: Path) -> None:
    with pytest.raises(PackageNotFoundError, match=r"no datapackage\.json"):
        validate_package(tmp_path)


def test_descriptor_file_path_is_accepted() -> None:
    assert validate_package(VALID / "datapackage.json").valid


def test_json_report_has_every_located_field() -> None:
    report = json.loads(validate_package(INVALID / "bad-date").to_json())
    assert report["valid"] is False
    (problem,) = report["problems"]
    assert problem == {
        "code": "bad-date",
        "message": "'2020-02-30' is not a real calendar date in YYYY-MM-DD form",
        "table": "events",
        "path": problem["path"],
        "line": 3,
        "column": 6,
        "field": "date_start",
        "value": "2020-02-30",
        "severity": "error",
    }
    assert problem["path"].endswith("bad-date/data/events.csv")


def test_row_limit_is_a_located_problem(valid_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from iran_syria import _read

    monkeypatch.setattr(_read, "MAX_RECORDS", 2)
    found = [
        (p.table, p.line, p.code)
        for p in validate_package(valid_copy).problems
        if p.code == "limit-exceeded"
    ]
    assert ("events", 4, "limit-exceeded") in found
    assert ("citations", 4, "limit-exceeded") in found


def test_cell_size_limit_is_a_located_problem(
    valid_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from iran_syria import _read

    monkeypatch.setattr(_read, "MAX_FIELD_CHARS", 40)
    found = {
        (p.table, p.line) for p in validate_package(valid_copy).problems if p.code == "too-large"
    }
    assert ("events", 2) in found  # its description is 62 characters


def test_file_size_limit_skips_the_file(valid_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from iran_syria import _read

    monkeypatch.setattr(_read, "MAX_FILE_BYTES", 100)
    problems = [p for p in validate_package(valid_copy).problems if p.code == "limit-exceeded"]
    assert {p.table for p in problems} >= {"events", "citations"}


def test_an_unexpected_failure_still_gives_a_report(
    valid_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from iran_syria import validate as module

    def explode(*args: object) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(module._Checker, "_check_lifespans", explode)
    report = validate_package(valid_copy)
    assert [p.code for p in report.problems] == ["internal-error"]
    assert "boom" in report.problems[0].message


def test_github_annotations_rank_blocking_problems_first_and_cap() -> None:
    report = validate_package(INVALID / "unsafe-path")
    lines = report.to_github().splitlines()
    assert lines[0].startswith("::error file=")
    assert "title=bad-descriptor" in lines[0] and "title=unsafe-path" in lines[1]
    assert ",line=" in lines[0]
    capped = validate_package(INVALID / "bad-text-multiline").to_github(limit=1).splitlines()
    assert capped[1].startswith("::notice ") and "1 more problems" in capped[1]
    assert capped[-1] == "2 errors in 1 table (events: 2)"


def test_github_properties_are_escaped() -> None:
    from iran_syria.validate import _escape_data, _escape_property

    assert _escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    assert _escape_data("x\ny") == "x%0Ay"


def test_markdown_summary_lists_every_problem() -> None:
    report = validate_package(INVALID / "bom-and-crlf")
    table = report.to_markdown().splitlines()
    assert table[0] == "### iran-syria validate: 2 errors in 1 table (actors: 2)"
    assert len([line for line in table if line.startswith("| error |")]) == 2
