""".ci/semver, the SemVer step of CI and of the pull-request workflow, run on real git histories.

Each test builds a small repository (the valid fixture as its datapackage/, a pyproject.toml and
a CHANGELOG.md) and checks which baseline the script picks and whether it fails an understated
version: the last release tag, else the base branch, else the previous commit.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, VALID, regenerate

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

CLI = str(Path(sys.executable).parent / "iran-syria")


def _git(repo: Path, *words: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *words], check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def _set_version(repo: Path, version: str) -> None:
    (repo / "pyproject.toml").write_text(
        f'[project]\nname = "example"\nversion = "{version}"\n', encoding="utf-8"
    )
    (repo / "CHANGELOG.md").write_text(
        f"# Changelog\n\n## [Unreleased]\n\n## [{version}] - 2026-11-30\n", encoding="utf-8"
    )
    descriptor_path = repo / "datapackage" / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    descriptor["version"] = version
    descriptor_path.write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")


def _commit(repo: Path, message: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message)


def _add_alias(repo: Path, alias: str) -> None:
    """A new row: a change that needs a minor release."""
    package = repo / "datapackage"
    with (package / "data" / "actor_aliases.csv").open("a", encoding="utf-8") as table:
        table.write(f"act-gamma,{alias},en,other_name\n")
    version = json.loads((package / "datapackage.json").read_text("utf-8"))["version"]
    regenerate(package)
    _set_version(repo, version)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose first commit declares 0.1.0, on branch main."""
    repo = tmp_path / "repo"
    (repo / ".ci").mkdir(parents=True)
    shutil.copy2(ROOT / ".ci" / "semver", repo / ".ci" / "semver")
    shutil.copytree(VALID, repo / "datapackage")
    _set_version(repo, "0.1.0")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "ci@example.org")
    _git(repo, "config", "user.name", "CI")
    _commit(repo, "0.1.0")
    return repo


def _semver(repo: Path, *words: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "IRAN_SYRIA": CLI}
    environment.pop("GITHUB_BASE_REF", None)
    return subprocess.run(
        ["bash", str(repo / ".ci" / "semver"), *words],
        capture_output=True,
        text=True,
        env=environment,
    )


def test_new_rows_since_the_last_release_need_a_minor_bump(repo: Path) -> None:
    _git(repo, "tag", "-a", "v0.1.0", "-m", "Release 0.1.0")
    _add_alias(repo, "Gamma One")
    _commit(repo, "an alias")
    understated = _semver(repo)
    assert understated.returncode == 1, understated.stdout + understated.stderr
    assert "comparing with v0.1.0, the last release" in understated.stdout
    assert "release 0.2.0" in understated.stderr

    _set_version(repo, "0.2.0")
    _commit(repo, "0.2.0")
    bumped = _semver(repo)
    assert bumped.returncode == 0, bumped.stdout + bumped.stderr
    assert "comparing with v0.1.0" in bumped.stdout


def test_a_release_commit_is_compared_with_the_release_before_it(repo: Path) -> None:
    _git(repo, "tag", "-a", "v0.1.0", "-m", "Release 0.1.0")
    _add_alias(repo, "Gamma One")
    _set_version(repo, "0.2.0")
    _commit(repo, "Release 0.2.0")
    _git(repo, "tag", "-a", "v0.2.0", "-m", "Release 0.2.0")
    result = _semver(repo)
    # Against its own tag the check could never fail; against v0.1.0 it means something.
    assert "comparing with v0.1.0, the last release" in result.stdout
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_a_tag_the_base_branch_is_the_baseline_and_its_diff_the_summary(
    repo: Path, tmp_path: Path
) -> None:
    _git(repo, "switch", "-q", "-c", "contribution")
    _add_alias(repo, "Gamma One")
    _commit(repo, "an alias")
    _add_alias(repo, "Gamma Two")
    _commit(repo, "another alias")
    summary = tmp_path / "summary.md"
    result = _semver(repo, "--summary", str(summary), "main")
    assert "comparing with main, the base branch (no release tag)" in result.stdout
    assert result.returncode == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## Data changes against `main`\n")
    # Both commits of the branch are in the diff: main, not the previous commit, is the base.
    assert "| actor_aliases | 2 | 0 | 0 | 0 | 0 |" in text
    assert "act-gamma \\| Gamma Two" in text and "act-gamma \\| Gamma One" in text


def test_without_a_tag_or_a_base_branch_the_previous_commit_is_the_baseline(repo: Path) -> None:
    _add_alias(repo, "Gamma One")
    _commit(repo, "an alias")
    result = _semver(repo)
    assert "comparing with HEAD^, the previous commit" in result.stdout
    assert result.returncode == 1
    assert "the changes require a minor release but 0.1.0 -> 0.1.0 is no release" in (result.stderr)


def test_a_single_commit_has_no_baseline_and_says_so(repo: Path) -> None:
    result = _semver(repo)
    assert result.returncode == 0
    assert "no baseline (a single commit and no release tag)" in result.stdout


def test_ci_and_the_pull_request_workflow_both_run_the_script() -> None:
    assert ".ci/semver" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    workflow = (ROOT / ".github" / "workflows" / "validate.yml").read_text(encoding="utf-8")
    assert '.ci/semver --summary "$GITHUB_STEP_SUMMARY"' in workflow
    # The last release tag and the base branch must be in the clone for the script to find.
    assert "fetch-depth: 0" in workflow
