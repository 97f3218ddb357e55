"""The release bundle: reproducible bytes, verifiable sums, loadable, and unsafe zips refused."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest

import iran_syria
from iran_syria import UnsafeArchiveError
from iran_syria.bundle import build_bundle
from iran_syria.cli import main
from iran_syria.diff import next_version
from iran_syria.loaders import HiddenRecordsWarning

from .conftest import VALID, regenerate

# The fixture carries the installed version (make fixtures writes it), so a release changes
# nothing here: the version and the next minor one are read, never written down.
VERSION = iran_syria.__version__
NEXT_MINOR = next_version(VERSION, "minor")
FOLDER = f"iran-syria-relations-{VERSION}"
EXPECTED_FILES = [
    "CITATION.cff",
    "CODEBOOK.md",
    "LICENSE",
    "LICENSE-DATA",
    "README.md",
    "SHA256SUMS",
    "changes.csv",
    *(f"data/{name}.csv" for name in sorted(iran_syria.models.TABLES)),
    "datapackage.json",
]


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    return build_bundle(VALID, tmp_path / "dist")


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename.split("/", 1)[1]: archive.read(info) for info in archive.infolist()}


def test_the_bundle_holds_the_release_files(bundle: Path) -> None:
    assert bundle.name == f"{FOLDER}.zip"
    assert list(_members(bundle)) == EXPECTED_FILES
    with zipfile.ZipFile(bundle) as archive:
        for info in archive.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert stat.S_IMODE(info.external_attr >> 16) == 0o644
            assert info.compress_type == zipfile.ZIP_DEFLATED
    files = _members(bundle)
    assert files["datapackage.json"] == (VALID / "datapackage.json").read_bytes()
    assert f'version: "{VERSION}"'.encode() in files["CITATION.cff"]
    assert files["changes.csv"] == b"table,key,change,field,old,new,bump\n"


def test_two_builds_are_byte_identical(tmp_path: Path, bundle: Path) -> None:
    again = build_bundle(VALID, tmp_path / "again")
    assert again.read_bytes() == bundle.read_bytes()


def test_source_date_epoch_sets_the_timestamps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01T00:00:00Z
    with zipfile.ZipFile(build_bundle(VALID, tmp_path)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2025, 1, 1, 0, 0, 0)}


def test_sha256sums_verify(tmp_path: Path, bundle: Path) -> None:
    files = _members(bundle)
    listed = {}
    for line in files["SHA256SUMS"].decode().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert sorted(listed) == [name for name in EXPECTED_FILES if name != "SHA256SUMS"]
    for name, digest in listed.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest, name
    if shutil.which("sha256sum"):
        with zipfile.ZipFile(bundle) as archive:
            archive.extractall(tmp_path / "unpacked")
        result = subprocess.run(
            ["sha256sum", "-c", "SHA256SUMS"],
            cwd=tmp_path / "unpacked" / FOLDER,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_a_bundle_loads_and_validates(bundle: Path) -> None:
    report = iran_syria.validate_package(bundle)
    assert report.valid and report.problems == []
    with pytest.warns(HiddenRecordsWarning) as hidden:
        package = iran_syria.load_package(bundle)
    assert "actors: 2 retracted or merged rows hidden" in [
        str(w.message).split(";")[0] for w in hidden
    ]
    assert package.version == VERSION
    assert {actor.id for actor in package.actors} == {
        "act-alpha",
        "act-beta",
        "act-gamma",
        "act-delta",
    }
    events = iran_syria.load("events", path=bundle)
    assert len(events) == 3
    assert iran_syria.diff(VALID, bundle).bump == "none"


def test_changes_csv_lists_the_changes_since_the_base(tmp_path: Path) -> None:
    new = tmp_path / "new"
    shutil.copytree(VALID, new)
    with (new / "data" / "sources.csv").open("a", encoding="utf-8") as handle:
        handle.write("src-new-report,A new report,New Press,,,,2024-12-01,day,,en,news\n")
    regenerate(new)
    _declare_version(new, NEXT_MINOR)  # new rows need a minor bump
    files = _members(build_bundle(new, tmp_path / "dist", base=VALID))
    rows = list(csv.DictReader(io.StringIO(files["changes.csv"].decode())))
    assert [(r["table"], r["key"], r["change"], r["bump"]) for r in rows] == [
        ("sources", "src-new-report", "added", "minor")
    ]
    assert f"every change since version {VERSION}".encode() in files["README.md"]


def _declare_version(package: Path, version: str) -> None:
    descriptor = package / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    data["version"] = version
    descriptor.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def test_a_release_whose_version_understates_its_changes_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = tmp_path / "new"
    shutil.copytree(VALID, new)
    with (new / "data" / "sources.csv").open("a", encoding="utf-8") as handle:
        handle.write("src-new-report,A new report,New Press,,,,2024-12-01,day,,en,news\n")
    regenerate(new)  # still VERSION, though rows were added
    out = tmp_path / "dist"
    assert main(["bundle", "--out", str(out), "--base", str(VALID), str(new)]) == 1
    err = capsys.readouterr().err
    assert "the changes require a minor release" in err and f"release {NEXT_MINOR}" in err
    assert not out.exists() or list(out.iterdir()) == []


def test_the_wheel_declares_both_licences() -> None:
    import tomllib

    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    assert project["project"]["license"] == "MIT AND CC-BY-4.0"
    assert set(project["project"]["license-files"]) == {"LICENSE", "LICENSE-DATA"}


def test_an_invalid_package_is_not_bundled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = Path(__file__).parent / "fixtures" / "invalid" / "bad-date-order"
    assert main(["bundle", "--out", str(tmp_path), str(broken)]) == 1
    captured = capsys.readouterr()
    assert "[bad-date-order]" in captured.out
    assert "a bundle is built from a valid package only" in captured.err
    assert list(tmp_path.iterdir()) == []


def test_the_command_prints_the_zip_sha256(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["bundle", "--out", str(tmp_path), str(VALID)]) == 0
    target = tmp_path / f"{FOLDER}.zip"
    first = capsys.readouterr().out.splitlines()[0]
    assert first == f"{hashlib.sha256(target.read_bytes()).hexdigest()}  {target}"


# Unsafe archives --------------------------------------------------------------------------------


def _zip(path: Path, entries: dict[str, bytes], *, link: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("pkg/datapackage.json", (VALID / "datapackage.json").read_bytes())
        for name, data in entries.items():
            archive.writestr(name, data)
        if link is not None:
            info = zipfile.ZipInfo(link)
            info.create_system = 3
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return path


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ("pkg/../../evil.csv", "'..' segment"),
        ("/tmp/evil.csv", "absolute path"),
        ("C:/evil.csv", "drive letter"),
        ("pkg\\..\\evil.csv", "Windows separator"),
    ],
)
def test_a_zip_slip_entry_is_refused(tmp_path: Path, entry: str, reason: str) -> None:
    archive = _zip(tmp_path / "slip.zip", {entry: b"x"})
    (problem,) = iran_syria.validate_package(archive).problems  # a problem at the zip
    assert problem.code == "unsafe-archive" and reason in problem.message
    assert "refusing to extract this archive" in problem.message
    with pytest.raises(UnsafeArchiveError, match=reason):
        iran_syria.load_package(archive)  # the loaders raise
    assert not (tmp_path / "evil.csv").exists()


def test_a_symlink_entry_is_refused(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "link.zip", {}, link="pkg/data/actors.csv")
    with pytest.raises(UnsafeArchiveError, match="symbolic link"):
        iran_syria.load_package(archive)


def test_a_zip_bomb_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = _zip(tmp_path / "bomb.zip", {"pkg/data/actors.csv": bytes(20 << 20)})
    assert archive.stat().st_size < 100_000  # 20 MiB of zeros deflate to a few kB
    assert main(["validate", str(archive)]) == 1  # a broken package, not a misuse
    out = capsys.readouterr().out
    assert "expands" in out and "the mark of a zip bomb" in out and "[unsafe-archive]" in out


def test_too_many_entries_are_refused(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "many.zip", {f"pkg/data/{n}.csv": b"" for n in range(1000)})
    (problem,) = iran_syria.validate_package(archive).problems
    assert "1001 entries, more than 1000" in problem.message


def test_a_zip_without_a_descriptor_is_not_a_package(tmp_path: Path) -> None:
    path = tmp_path / "empty.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a/b/datapackage.json", "{}")
    with pytest.raises(iran_syria.PackageNotFoundError, match=r"no datapackage\.json at the top"):
        iran_syria.validate_package(path)
    (tmp_path / "fake.zip").write_text("not a zip")
    with pytest.raises(iran_syria.PackageNotFoundError, match="not a readable zip archive"):
        iran_syria.validate_package(tmp_path / "fake.zip")


def test_the_bundle_readme_says_how_to_cite_install_and_open_it(bundle: Path) -> None:
    readme = _members(bundle)["README.md"].decode("utf-8")
    assert iran_syria.cite(version=VERSION) in readme
    assert f'pip install "iran-syria=={VERSION}"' in readme
    assert "--format xlsx" in readme and "65001" in readme


def test_a_bomb_of_many_modest_entries_is_refused(tmp_path: Path) -> None:
    # 64 entries of 900 KiB of zeros: each under the 1 MiB floor of the per-entry check
    entries = {f"pkg/data/part{n}.csv": bytes(900 << 10) for n in range(64)}
    archive = _zip(tmp_path / "many-bomb.zip", entries)
    (problem,) = iran_syria.validate_package(archive).problems
    assert problem.code == "unsafe-archive" and "in all" in problem.message


def test_a_name_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "latin.zip", {"pkg/data/X.csv": b"x"})
    # the byte 0xFF where the X was, in the local header and the central directory alike,
    # without the UTF-8 flag: zipfile reads it as cp437, and it is no UTF-8
    archive.write_bytes(archive.read_bytes().replace(b"pkg/data/X.csv", b"pkg/data/\xff.csv"))
    (problem,) = iran_syria.validate_package(archive).problems
    assert problem.code == "unsafe-archive" and "not valid UTF-8" in problem.message


def test_a_file_and_a_folder_of_one_name_are_refused(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "clash.zip", {"pkg/data": b"x", "pkg/data/actors.csv": b"y"})
    (problem,) = iran_syria.validate_package(archive).problems
    assert "is both a file and a folder" in problem.message


def test_a_corrupt_deflate_stream_is_refused(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "corrupt.zip", {})  # the descriptor, deflated
    data = bytearray(archive.read_bytes())
    start = data.index(b"pkg/datapackage.json") + len(b"pkg/datapackage.json")
    data[start : start + 8] = b"\xff" * 8  # the first bytes of the deflate stream
    archive.write_bytes(bytes(data))
    problems = iran_syria.validate_package(archive).problems
    assert [p.code for p in problems] == ["unsafe-archive"], [str(p) for p in problems]


def test_a_name_longer_than_file_systems_allow_is_refused(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "long.zip", {"pkg/data/" + "a" * 300 + ".csv": b"x"})
    (problem,) = iran_syria.validate_package(archive).problems
    assert "longer than file systems allow" in problem.message
