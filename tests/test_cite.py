"""Citation: the text and BibTeX of this version, and CITATION.cff/.zenodo.json kept current."""

from __future__ import annotations

import json
import re
import tomllib

import pytest

import iran_syria
from iran_syria.cite import (
    RELEASE_DATES,
    citation_cff,
    cite,
    release_date,
    stale_citation_files,
    zenodo_json,
)
from iran_syria.cli import main
from iran_syria.schema import REPOSITORY_URL

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


def test_release_dates_are_the_changelog_headings() -> None:
    headings = re.findall(
        r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$",
        (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"),
        re.M,
    )
    assert headings and dict(headings) == RELEASE_DATES


def test_a_released_version_carries_its_date_and_year() -> None:
    version, day = next(iter(RELEASE_DATES.items()))
    assert f'\ndate-released: "{day}"\n' in citation_cff(version)
    assert json.loads(zenodo_json(version))["publication_date"] == day
    assert cite(version=version).startswith(f"iran-syria contributors ({day[:4]}). ")
    bibtex = cite("bibtex", version)
    assert f"  year = {{{day[:4]}}},\n" in bibtex and f"  date = {{{day}}},\n" in bibtex


def test_citation_cff_is_a_dataset_without_invented_facts() -> None:
    cff = citation_cff("1.2.3")
    assert "cff-version: 1.2.0\n" in cff and "type: dataset\n" in cff
    assert 'version: "1.2.3"\n' in cff
    assert '  - name: "iran-syria contributors"\n' in cff
    assert "license: CC-BY-4.0\n" in cff
    # 1.2.3 was never released, and no DOI exists yet.
    for invented in ("date-released", "doi"):
        assert invented not in cff


def test_zenodo_json_describes_the_same_dataset() -> None:
    document = json.loads(zenodo_json("1.2.3"))
    assert document["version"] == "1.2.3"
    assert document["upload_type"] == "dataset"
    assert document["license"] == "cc-by-4.0"
    assert document["creators"] == [{"name": "iran-syria contributors"}]
    assert "publication_date" not in document and "doi" not in document


def test_an_unreleased_version_says_so_instead_of_a_year() -> None:
    assert release_date("1.2.3") is None
    assert cite(version="1.2.3").startswith("iran-syria contributors (unreleased). ")
    assert "year" not in cite("bibtex", "1.2.3")


def test_cite_text_and_bibtex_name_the_installed_version() -> None:
    version = iran_syria.__version__
    year = RELEASE_DATES[version][:4]
    assert iran_syria.cite() == (
        f"iran-syria contributors ({year}). Iran–Syria relations: events, actors and relations "
        f"(iran-syria-relations), version {version} [data package and Python library]. "
        "https://github.com/iran-syria/iran-syria"
    )
    bibtex = iran_syria.cite(style="bibtex")
    assert bibtex.startswith("@misc{iran_syria_relations_") and bibtex.endswith("}")
    assert f"version = {{{version}}}," in bibtex
    assert "author = {{iran-syria contributors}}," in bibtex
    assert "url = {https://github.com/iran-syria/iran-syria}," in bibtex


def test_every_citation_and_the_descriptor_name_the_repository() -> None:
    url = REPOSITORY_URL
    assert f'repository-code: "{url}"' in citation_cff("0.1.0").splitlines()
    related = json.loads(zenodo_json("0.1.0"))["related_identifiers"]
    assert {"identifier": url, "relation": "isSupplementTo", "scheme": "url"} in related
    descriptor = json.loads((ROOT / "datapackage" / "datapackage.json").read_text("utf-8"))
    # Data Package 2.0: `id` is the package's globally unique identifier (a URL until a DOI).
    assert descriptor["id"] == url and descriptor["homepage"] == url


def test_the_readme_citation_is_what_cite_prints() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("Please cite the version you used:", 1)[1]
    quoted = re.match(r"\s*((?:> .*\n)+)", section)
    assert quoted, "no quoted citation after 'Please cite the version you used:'"
    text = " ".join(line[2:].strip() for line in quoted.group(1).splitlines())
    assert text == cite(version=PYPROJECT_VERSION)


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
