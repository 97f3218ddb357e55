"""Citation: the text and BibTeX of this version, and CITATION.cff/.zenodo.json kept current."""

from __future__ import annotations

import json
import re
import tomllib

import pytest

import iran_syria
from iran_syria.cite import citation_cff, cite, stale_citation_files, zenodo_json
from iran_syria.cli import main

from .conftest import ROOT, assert_leaves_unimported

PYPROJECT_VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def test_citation_files_are_current_and_carry_the_pyproject_version() -> None:
    assert stale_citation_files(ROOT, PYPROJECT_VERSION) == []
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert f'\nversion: "{PYPROJECT_VERSION}"\n' in cff
    assert json.loads((ROOT / ".zenodo.json").read_text())["version"] == PYPROJECT_VERSION


def test_pyproject_changelog_and_installed_versions_agree() -> None:
    newest = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", (ROOT / "CHANGELOG.md").read_text(), re.M)[0]
    assert PYPROJECT_VERSION == newest == iran_syria.__version__


def test_citation_cff_is_a_dataset_without_invented_facts() -> None:
    cff = citation_cff("1.2.3")
    assert "cff-version: 1.2.0\n" in cff and "type: dataset\n" in cff
    assert 'version: "1.2.3"\n' in cff
    assert '  - name: "iran-syria contributors"\n' in cff
    assert "license: CC-BY-4.0\n" in cff
    for invented in ("date-released", "doi", "url:", "repository"):
        assert invented not in cff


def test_zenodo_json_describes_the_same_dataset() -> None:
    document = json.loads(zenodo_json("1.2.3"))
    assert document["version"] == "1.2.3"
    assert document["upload_type"] == "dataset"
    assert document["license"] == "cc-by-4.0"
    assert document["creators"] == [{"name": "iran-syria contributors"}]
    assert "publication_date" not in document and "doi" not in document


def test_cite_text_and_bibtex_name_the_installed_version() -> None:
    version = iran_syria.__version__
    assert iran_syria.cite() == (
        "iran-syria contributors. Iran–Syria relations: events, actors and relations "
        f"(iran-syria-relations), version {version} [data package and Python library]."
    )
    bibtex = iran_syria.cite(style="bibtex")
    assert bibtex.startswith("@misc{iran_syria_relations_") and bibtex.endswith("}")
    assert f"version = {{{version}}}," in bibtex
    assert "author = {{iran-syria contributors}}," in bibtex


def test_an_unknown_style_is_refused() -> None:
    with pytest.raises(iran_syria.IranSyriaError, match="no citation style 'apa'"):
        cite("apa")


def test_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cite"]) == 0
    assert capsys.readouterr().out.strip() == cite()
    assert main(["cite", "--format", "bibtex"]) == 0
    assert capsys.readouterr().out.startswith("@misc{")
    assert main(["cite", "--check"]) == 0


def test_release_modules_keep_the_import_light() -> None:
    code = (
        "import iran_syria, iran_syria.diff, iran_syria.bundle, iran_syria.cite\n"
        "assert callable(iran_syria.diff) and callable(iran_syria.cite)\n"
    )
    assert_leaves_unimported(code, ("pandas", "pydantic"))
