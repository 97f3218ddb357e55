"""Build the release bundle: one byte-reproducible zip that people download, verify and cite.

`iran-syria-relations-<version>.zip` holds one folder with datapackage.json, data/*.csv,
CODEBOOK.md, CITATION.cff, LICENSE, LICENSE-DATA, README.md, changes.csv and SHA256SUMS. The
same tree always gives the same bytes: entries sorted, timestamps fixed (1980-01-01, or
SOURCE_DATE_EPOCH when set), permissions 0644, deflate at level 9.

changes.csv lists the changes since `base` (a diff, one row per change and field). Without a
base it holds the header row only: the bundle cannot know whether it is the first release, and
listing every row as added would be false for any later one.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import time
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from ._locate import DESCRIPTOR, repository_root, resolve_package_dir
from .errors import InvalidPackageError, IranSyriaError

if TYPE_CHECKING:
    from .diff import Diff

LICENSES = ("LICENSE", "LICENSE-DATA")
_EPOCH_1980 = (1980, 1, 1, 0, 0, 0)


def bundle_name(name: str, version: str) -> str:
    """The file name of a release bundle."""
    return f"{name}-{version}.zip"


def build_bundle(
    path: str | Path | None = None,
    out_dir: str | Path = ".",
    *,
    base: str | Path | None = None,
    root: str | Path | None = None,
) -> Path:
    """Write the release bundle of a valid package into out_dir and return its path.

    `base` is the previous release (folder or bundle) that changes.csv is diffed against;
    `root` the folder holding LICENSE and LICENSE-DATA (default: found next to the package or
    in the source checkout). Raises InvalidPackageError when the package does not validate.
    """
    from .cite import citation_cff
    from .diff import CSV_COLUMNS, diff, parse_version
    from .validate import validate_package

    package_dir = resolve_package_dir(path)
    report = validate_package(package_dir)
    if not report.valid:
        raise InvalidPackageError(
            f"{report.summary()}; a bundle is built from a valid package only: "
            f"run `iran-syria validate {package_dir}`",
            report.errors,
        )
    descriptor = json.loads((package_dir / DESCRIPTOR).read_text(encoding="utf-8"))
    name, version = str(descriptor["name"]), str(descriptor.get("version", ""))
    parse_version(version)

    files: dict[str, bytes] = {DESCRIPTOR: (package_dir / DESCRIPTOR).read_bytes()}
    for resource in descriptor["resources"]:
        files[resource["path"]] = (package_dir / resource["path"]).read_bytes()
    files["CODEBOOK.md"] = _codebook(package_dir)
    files["CITATION.cff"] = citation_cff(version).encode()
    license_dir = _license_dir(package_dir, root)
    for license_file in LICENSES:
        files[license_file] = (license_dir / license_file).read_bytes()
    if base is not None:
        changes = diff(base, package_dir)
        _refuse_an_understated_version(changes)
        files["changes.csv"] = changes.to_csv().encode()
        since = f"version {changes.old_version} ({changes.summary()})"
    else:
        files["changes.csv"] = (",".join(CSV_COLUMNS) + "\n").encode()
        since = None
    files["README.md"] = _readme(name, version, since).encode()
    files["SHA256SUMS"] = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {arcname}\n"
        for arcname, data in sorted(files.items())
    ).encode()

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / bundle_name(name, version)
    _write_zip(target, f"{name}-{version}", files)
    return target


def _refuse_an_understated_version(changes: Diff) -> None:
    """A release whose version claims less than its changes is refused: a user who pins
    '~=0.2' must not receive a breaking change under a minor number."""
    from .diff import version_problems

    problems = version_problems(changes)
    if problems:
        raise InvalidPackageError(
            f"the package's version does not tell the truth about its changes: {problems[0]}", []
        )


def _codebook(package_dir: Path) -> bytes:
    shipped = package_dir / "CODEBOOK.md"
    if shipped.is_file():
        return shipped.read_bytes()
    from .schema import codebook

    return codebook().encode()


def _license_dir(package_dir: Path, root: str | Path | None) -> Path:
    candidates = [Path(root)] if root is not None else [package_dir, package_dir.parent]
    if root is None and (checkout := repository_root()) is not None:
        candidates.append(checkout)
    for candidate in candidates:
        if all((candidate / name).is_file() for name in LICENSES):
            return candidate
    installed = _installed_licenses() if root is None else None
    if installed is not None:
        return installed
    raise IranSyriaError(
        f"{' and '.join(LICENSES)} not found in {', '.join(map(str, candidates))}; "
        "build the bundle from a source checkout or pass the folder holding them"
    )


def _installed_licenses() -> Path | None:
    """The folder of the licences a wheel install carries in its dist-info (license-files)."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        files = distribution("iran-syria").files or []
    except PackageNotFoundError:
        return None
    for entry in files:
        if entry.name == "LICENSE-DATA":
            folder = Path(str(entry.locate())).parent
            if all((folder / name).is_file() for name in LICENSES):
                return folder
    return None


def _readme(name: str, version: str, since: str | None) -> str:
    from .cite import cite
    from .recipes import reading_section

    changes = (
        f"`changes.csv` lists every change since {since}, one row per change and field "
        "(columns: table, key, change, field, old, new, bump)."
        if since
        else "`changes.csv` is empty: this bundle was built without a base release to compare "
        "with; see the project's CHANGELOG."
    )
    return f"""# {name} {version}

Events, actors and relations of the Iran–Syria alliance: a Frictionless Data Package 2.0
(`datapackage.json` and the tables in `data/`), described field by field in `CODEBOOK.md`.

## Verify

In this folder, `sha256sum -c SHA256SUMS` checks every file. Each table's sha256 is also in
`datapackage.json`.

## Use

Any Frictionless tool reads the package; so does the iran-syria Python library:

```python
import iran_syria

package = iran_syria.load_package("{name}-{version}.zip")  # this zip, or the unzipped folder
```

## Changes

{changes}

Records are never deleted: a withdrawn one keeps its row with `status=retracted`, a
duplicate keeps its row with `status=merged` and `merged_into`.

## Open the tables in a spreadsheet

The CSVs in `data/` are UTF-8 without a byte-order mark, so a spreadsheet program opened on
them by double-click may show Arabic and Persian names as garbled characters, and may run a
cell that starts with `=` as a formula. Either import them (Excel: Data > From Text/CSV, file
origin 65001: Unicode (UTF-8); LibreOffice: character set UTF-8), or make spreadsheet copies
with the library: `iran-syria export --format xlsx --out exports/` writes one workbook, and
`iran-syria export --format csv --out exports/` writes UTF-8 CSVs with a byte-order mark in
which no cell can run as a formula. Keep the files in `data/` for analysis.

## Licence and citation

Data: CC BY 4.0 (`LICENSE-DATA`); the Python library: MIT (`LICENSE`). Cite the version you
used (`CITATION.cff` has the details):

> {cite(version=version)}

The Python library of the same version reads these files offline:
`pip install "iran-syria=={version}"`.

{reading_section()}"""


def _timestamp() -> tuple[int, int, int, int, int, int]:
    """The time stamped on every entry: SOURCE_DATE_EPOCH when set, else 1980-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return _EPOCH_1980
    try:
        moment = time.gmtime(int(epoch))
    except (ValueError, OverflowError):
        raise IranSyriaError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
    if moment.tm_year < 1980:  # the zip format starts in 1980
        return _EPOCH_1980
    return (
        moment.tm_year,
        moment.tm_mon,
        moment.tm_mday,
        moment.tm_hour,
        moment.tm_min,
        moment.tm_sec,
    )


def _write_zip(target: Path, folder: str, files: dict[str, bytes]) -> None:
    stamp = _timestamp()
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".bundle-", suffix=".zip")
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w") as archive:
            for arcname, data in sorted(files.items()):
                info = zipfile.ZipInfo(f"{folder}/{arcname}", date_time=stamp)
                info.create_system = 3  # unix, so the permissions below are read
                info.external_attr = (stat.S_IFREG | 0o644) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data, compresslevel=9)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
