"""The files the site offers for download, written into the site itself so that the sizes and
sha256 sums it lists are those of the bytes it serves: the release bundle, every CSV with the
descriptor, and the Parquet, SQLite and Excel exports."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..bundle import _timestamp, build_bundle
from ..export import export_package

FOLDER = "downloads"


@dataclass(frozen=True)
class Download:
    path: str  # from the site's top, with forward slashes
    size: int
    sha256: str
    kind: str  # what it is, for the list and for encodingFormat
    media_type: str

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


_MEDIA_TYPES = {
    ".zip": (
        "release bundle (package, codebook, licences, citation, SHA256SUMS)",
        "application/zip",
    ),
    ".csv": ("CSV, the canonical table", "text/csv"),
    ".json": ("Frictionless descriptor", "application/json"),
    ".parquet": ("Parquet, typed", "application/vnd.apache.parquet"),
    ".sqlite": ("SQLite database", "application/vnd.sqlite3"),
    ".xlsx": (
        "Excel workbook",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def write_downloads(site: Path, package_dir: Path, descriptor: dict[str, object]) -> list[Download]:
    """Write every download under site/downloads/ and describe each, in a fixed order."""
    folder = site / FOLDER
    bundle = build_bundle(package_dir, folder)
    written = [bundle]
    data_folder = folder / "data"
    data_folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(package_dir / "datapackage.json", data_folder / "datapackage.json")
    written.append(data_folder / "datapackage.json")
    resources = descriptor.get("resources", [])
    assert isinstance(resources, list)
    for resource in sorted(resources, key=lambda r: str(r["name"])):
        # The descriptor's paths were checked when the package was read (loaders._open).
        target = data_folder / Path(str(resource["path"])).name
        shutil.copyfile(package_dir / str(resource["path"]), target)
        written.append(target)
    exports = folder / "exports"
    for kind in ("parquet", "sqlite", "xlsx"):
        for path in export_package(exports, kind, path=package_dir):
            if path.suffix == ".xlsx":
                _pin_workbook_dates(path)
            written.append(path)
    return [_describe(site, path) for path in written]


def _describe(site: Path, path: Path) -> Download:
    data = path.read_bytes()
    kind, media_type = _MEDIA_TYPES[path.suffix]
    return Download(
        path=path.relative_to(site).as_posix(),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        kind=kind,
        media_type=media_type,
    )


_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _pin_workbook_dates(path: Path) -> None:
    """Rewrite a workbook with the bundle's fixed time in place of the clock's, so that the
    same package gives the same bytes (openpyxl stamps the zip entries and docProps/core.xml
    with the time of writing)."""
    stamp = _timestamp()
    moment = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*stamp).encode()
    rewritten = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rewritten, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                data = _CORE_DATES.sub(lambda m: m.group(1) + moment + m.group(3), data)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, data)
    path.write_bytes(rewritten.getvalue())


def sha256sums(downloads: list[Download]) -> str:
    """The list in the format `sha256sum -c` reads, from the downloads folder."""
    prefix = f"{FOLDER}/"
    return "".join(f"{d.sha256}  {d.path.removeprefix(prefix)}\n" for d in downloads)


def as_json(downloads: list[Download]) -> str:
    return json.dumps([d.__dict__ for d in downloads], indent=1, sort_keys=True)
