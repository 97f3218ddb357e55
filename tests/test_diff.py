"""Diff: exact records and bumps for injected changes, schema changes, and the SemVer check."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import iran_syria
from iran_syria import schema
from iran_syria.cli import main
from iran_syria.diff import (
    consistency_problems,
    diff,
    next_version,
    parse_version,
    version_bump,
    version_problems,
)
from iran_syria.errors import IntegrityError

from .conftest import ROOT, VALID, regenerate


def _copy(tmp_path: Path, name: str = "new") -> Path:
    target = tmp_path / name
    shutil.copytree(VALID, target)
    return target


def _edit_csv(package: Path, table: str, change: Callable[[str], str]) -> None:
    """Rewrite one table's text and regenerate the descriptor's hashes."""
    path = package / "data" / f"{table}.csv"
    before = path.read_text(encoding="utf-8")
    after = change(before)
    assert after != before, "the edit changed nothing"
    path.write_text(after, encoding="utf-8", newline="\n")
    regenerate(package)


def _edit_schema(package: Path, table: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Change one Table Schema in the descriptor (hashes are kept current)."""
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == table)
    change(resource["schema"])
    for resource in descriptor["resources"]:
        digest, size = schema.file_digest(package / resource["path"])
        resource["hash"], resource["bytes"] = f"sha256:{digest}", size
    path.write_text(schema.dump_json(descriptor), encoding="utf-8")


def _field(table_schema: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in table_schema["fields"] if f["name"] == name)


def _set_version(package: Path, version: str) -> None:
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["version"] = version
    path.write_text(schema.dump_json(descriptor), encoding="utf-8")


# The valid fixture carries the installed version (make fixtures writes it); the expectations
# follow it, so that a release changes no test.
V = iran_syria.__version__
NEW_SOURCE = "src-new-report,A new report,New Press,,,,2024-12-01,day,,en,news\n"


def _describe_alpha_anew(text: str) -> str:
    return text.replace("A state used in tests.", "A state used in the tests (corrected).")


# Records ----------------------------------------------------------------------------------------


def test_identical_packages_need_no_release(tmp_path: Path) -> None:
    result = diff(VALID, _copy(tmp_path))
    assert (result.records, result.schema, result.bump) == ([], [], "none")


def test_changed_description_and_added_source_need_minor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The done-when check: exactly those two records, and minor because a record was added."""
    new = _copy(tmp_path)
    _edit_csv(new, "actors", _describe_alpha_anew)
    _edit_csv(new, "sources", lambda text: text + NEW_SOURCE)
    assert main(["diff", str(VALID), str(new), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["bump"] == "minor"
    assert [(c["table"], c["key"]) for c in report["added"]] == [
        ("sources", {"id": "src-new-report"})
    ]
    assert report["added"][0]["record"]["publisher"] == "New Press"
    assert report["changed"] == [
        {
            "table": "actors",
            "key": {"id": "act-alpha"},
            "bump": "patch",
            "changes": [
                {
                    "field": "description",
                    "old": "A state used in tests.",
                    "new": "A state used in the tests (corrected).",
                }
            ],
        }
    ]
    assert report["removed"] == report["retracted"] == report["merged"] == report["schema"] == []


def test_a_corrected_value_alone_is_patch(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    _edit_csv(new, "actors", _describe_alpha_anew)
    result = diff(VALID, new)
    assert [(c.table, c.label, c.change) for c in result.records] == [
        ("actors", "act-alpha", "changed")
    ]
    assert result.bump == "patch"


def test_retraction_and_merge_are_patch(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    _edit_csv(
        new,
        "actors",
        lambda text: text.replace(
            "died in 2020.,1957-03-11,2020-01-03,active,",
            "died in 2020.,1957-03-11,2020-01-03,retracted,",
        ).replace('in tests.",2013,,active,', 'in tests.",2013,,merged,act-alpha'),
    )
    result = diff(VALID, new)
    assert [(c.label, c.change) for c in result.records] == [
        ("act-delta", "retracted"),
        ("act-gamma", "merged"),
    ]
    assert [(f.field, f.old, f.new) for f in result.merged[0].changes] == [
        ("status", "active", "merged"),
        ("merged_into", "", "act-alpha"),
    ]
    assert result.bump == "patch"


def test_a_link_row_removed_is_a_patch_and_keyed_by_its_composite_key(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    _edit_csv(new, "external_ids", lambda text: text.replace("act-beta,iso3,SYR,,\n", ""))
    result = diff(VALID, new)
    assert [(c.table, c.key, c.change, c.bump) for c in result.records] == [
        (
            "external_ids",
            {"record_id": "act-beta", "scheme": "iso3", "value": "SYR"},
            "removed",
            "patch",
        )
    ]
    assert result.bump == "patch"


def test_text_and_csv_name_each_change(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    _edit_csv(new, "actors", _describe_alpha_anew)
    _edit_csv(new, "sources", lambda text: text + NEW_SOURCE)
    result = diff(VALID, new)
    assert result.to_text().splitlines() == [
        "sources: added src-new-report [minor]",
        "actors: changed act-alpha: description: 'A state used in tests.' -> "
        "'A state used in the tests (corrected).' [patch]",
        "2 record changes (1 added, 1 changed), 0 schema changes; requires a minor release "
        f"({V} -> {V} is no release)",
    ]
    assert result.to_csv().splitlines() == [
        "table,key,change,field,old,new,bump",
        "sources,src-new-report,added,,,,minor",
        "actors,act-alpha,changed,description,A state used in tests.,A state used in the tests (corrected).,patch",
    ]
    assert "| actors | act-alpha | changed | description |" in result.to_markdown()


def test_a_limit_keeps_the_summary_and_counts_and_says_how_many_rows_it_left_out(
    tmp_path: Path,
) -> None:
    new = _copy(tmp_path)
    _edit_csv(new, "actors", _describe_alpha_anew)
    _edit_csv(new, "sources", lambda text: text + NEW_SOURCE)
    markdown = diff(VALID, new).format("markdown", limit=1)
    assert "| actors | 0 | 0 | 0 | 0 | 1 |" in markdown
    assert "| sources | 1 | 0 | 0 | 0 | 0 |" in markdown
    assert "| sources | src-new-report | added |" in markdown
    assert "act-alpha | changed" not in markdown
    assert markdown.endswith(
        "… and 1 more change row; `iran-syria diff OLD NEW --format csv` lists them all."
    )
    text = diff(VALID, new).format("text", limit=0).splitlines()
    assert text[0].startswith("… and 2 more change rows")
    assert text[1].startswith("2 record changes (1 added, 1 changed)")


def test_a_tampered_file_is_refused(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    with (new / "data" / "actors.csv").open("a", encoding="utf-8") as handle:
        handle.write("act-x,X,state,,An unregistered row.,,,active,\n")
    with pytest.raises(IntegrityError, match="sha256 differs"):
        diff(VALID, new)


# Schema -----------------------------------------------------------------------------------------


def test_a_vocabulary_word_removed_is_major(tmp_path: Path) -> None:
    new = _copy(tmp_path)

    def drop_coalition(table_schema: dict[str, Any]) -> None:
        _field(table_schema, "kind")["constraints"]["enum"].remove("coalition")

    _edit_schema(new, "actors", drop_coalition)
    result = diff(VALID, new)
    assert [(c.table, c.field, c.change, c.old, c.bump) for c in result.schema] == [
        ("actors", "kind", "word-removed", "coalition", "major")
    ]
    assert result.records == [] and result.bump == "major"


def test_a_vocabulary_word_added_is_minor(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    _edit_schema(
        new, "actors", lambda s: _field(s, "kind")["constraints"]["enum"].append("militia")
    )
    result = diff(VALID, new)
    assert [(c.field, c.change, c.new) for c in result.schema] == [
        ("kind", "word-added", "militia")
    ]
    assert result.bump == "minor"


def test_a_column_added_is_minor(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    path = new / "data" / "sources.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0] + ",doi", *(line + "," for line in lines[1:])]) + "\n")

    def add_doi(table_schema: dict[str, Any]) -> None:
        table_schema["fields"].append({"name": "doi", "type": "string"})

    _edit_schema(new, "sources", add_doi)
    result = diff(VALID, new)
    assert [(c.table, c.field, c.change, c.bump) for c in result.schema] == [
        ("sources", "doi", "column-added", "minor")
    ]
    assert result.records == [] and result.bump == "minor"


def test_a_column_removed_or_retyped_or_made_required_is_major(tmp_path: Path) -> None:
    new = _copy(tmp_path)

    def narrow(table_schema: dict[str, Any]) -> None:
        table_schema["fields"] = [f for f in table_schema["fields"] if f["name"] != "archive_url"]
        _field(table_schema, "title").setdefault("constraints", {})["required"] = True
        _field(table_schema, "language")["type"] = "integer"

    _edit_schema(new, "sources", narrow)
    result = diff(VALID, new)
    assert sorted((c.field or "", c.change, c.bump) for c in result.schema) == [
        ("archive_url", "column-removed", "major"),
        ("language", "type-changed", "major"),
        ("title", "required-narrowed", "major"),
    ]
    assert result.bump == "major"


def test_a_table_removed_is_major_and_one_added_minor(tmp_path: Path) -> None:
    new = _copy(tmp_path)
    descriptor = json.loads((new / "datapackage.json").read_text())
    aliases = next(r for r in descriptor["resources"] if r["name"] == "actor_aliases")
    descriptor["resources"].remove(aliases)
    (new / "datapackage.json").write_text(schema.dump_json(descriptor))
    assert [(c.table, c.change) for c in diff(VALID, new).schema] == [
        ("actor_aliases", "table-removed")
    ]
    assert diff(VALID, new).bump == "major"
    added = diff(new, VALID)
    assert [(c.table, c.change) for c in added.schema] == [("actor_aliases", "table-added")]
    assert [c.change for c in added.records] == ["added", "added"]
    assert added.bump == "minor"


# SemVer -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "step"),
    [
        ("0.1.0", "0.1.0", "none"),
        ("0.1.0", "0.1.1", "patch"),
        ("0.1.9", "0.2.0", "minor"),
        ("0.9.9", "1.0.0", "major"),
        ("1.2.0", "1.1.5", "backwards"),
        ("1.0.0-rc.1", "1.0.0", "none"),
    ],
)
def test_version_bump(old: str, new: str, step: str) -> None:
    assert version_bump(old, new) == step


def test_next_version_and_bad_versions() -> None:
    assert [next_version("1.4.2", b) for b in ("none", "patch", "minor", "major")] == [
        "1.4.2",
        "1.4.3",
        "1.5.0",
        "2.0.0",
    ]
    with pytest.raises(iran_syria.IranSyriaError, match="not a SemVer"):
        parse_version("1.2")


def test_check_fails_when_the_bump_is_too_small(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = _copy(tmp_path)
    _edit_csv(new, "sources", lambda text: text + NEW_SOURCE)
    patch, minor = next_version(V, "patch"), next_version(V, "minor")
    _set_version(new, patch)
    assert main(["diff", str(VALID), str(new), "--check"]) == 1
    err = capsys.readouterr().err
    assert f"the changes require a minor release but {V} -> {patch} is a patch release" in err
    assert f"release {minor}" in err
    _set_version(new, minor)
    assert main(["diff", str(VALID), str(new), "--check"]) == 0
    _set_version(new, "0.0.9")
    assert main(["diff", str(VALID), str(new), "--check"]) == 1
    assert "went backwards" in capsys.readouterr().err


def _checkout(tmp_path: Path, pyproject: str, changelog: str) -> Path:
    root = tmp_path / "checkout"
    shutil.copytree(VALID, root / "datapackage")
    (root / "pyproject.toml").write_text(f'[project]\nname = "x"\nversion = "{pyproject}"\n')
    (root / "CHANGELOG.md").write_text(
        f"# Changelog\n\n## [Unreleased]\n\n## [{changelog}] - 2026-01-01\n\n## [0.0.1] - 2025\n"
    )
    return root


def test_check_fails_when_versions_disagree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _checkout(tmp_path, pyproject=V, changelog="0.0.9")
    assert main(["diff", str(VALID), str(root / "datapackage"), "--check"]) == 1
    assert (
        f"versions disagree: pyproject.toml {V}, datapackage.json {V}, newest CHANGELOG "
        "entry 0.0.9" in capsys.readouterr().err
    )
    (root / "CHANGELOG.md").write_text(f"# Changelog\n\n## [{V}] - 2026-01-01\n")
    assert main(["diff", str(VALID), str(root / "datapackage"), "--check"]) == 0


def test_version_problems_without_a_checkout(tmp_path: Path) -> None:
    result = diff(VALID, _copy(tmp_path))
    assert version_problems(result) == []
    assert consistency_problems(tmp_path, V)[0].startswith(f"{tmp_path / 'pyproject.toml'}")


def test_this_repository_agrees_with_itself() -> None:
    version = iran_syria.__version__
    assert consistency_problems(ROOT, version) == []


# The public function ----------------------------------------------------------------------------


def test_iran_syria_diff_is_the_function(tmp_path: Path) -> None:
    import iran_syria.diff as module

    assert callable(iran_syria.diff)
    result = iran_syria.diff(VALID, _copy(tmp_path))
    assert isinstance(result, module.Diff) and result.bump == "none"


def test_misuse_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(VALID), str(tmp_path / "nowhere")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
