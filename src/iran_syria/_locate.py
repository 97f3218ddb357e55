"""Where the shipped data package is, and how a user's path is read as a package."""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import IntegrityError, IranSyriaError, PackageNotFoundError

DESCRIPTOR = "datapackage.json"
#: What common file systems allow: 255 bytes a name, 4096 a path (Linux PATH_MAX).
_MAX_NAME_BYTES, _MAX_PATH_BYTES = 255, 4096
_HERE = Path(__file__).resolve().parent


def shipped_package_dir() -> Path:
    """The data package installed with the library (wheel), or the source tree's (editable)."""
    # A wheel carries a copy inside the import package; an editable install runs from src/
    # and reads the canonical folder at the top of the repository.
    for candidate in (_HERE / "datapackage", _HERE.parent.parent / "datapackage"):
        if (candidate / DESCRIPTOR).is_file():
            return candidate
    raise PackageNotFoundError(
        f"the data package shipped with iran_syria was not found next to {_HERE}; "
        "reinstall the library (pip install --force-reinstall iran-syria)"
    )


def repository_root() -> Path | None:
    """The source checkout this module runs from, or None for an installed wheel."""
    root = _HERE.parent.parent
    return root if (root / "pyproject.toml").is_file() and (root / "datapackage").is_dir() else None


@dataclass(frozen=True)
class FoundPackage:
    """The package a command will read, and how it was found (for the line naming it)."""

    path: Path
    installed: bool  # the copy installed with the library, used when no other was found
    given: str | None = None  # the path as the user wrote it, to name it as they know it

    @property
    def checkout(self) -> Path | None:
        """The source checkout the package sits in (its parent has pyproject.toml), or None."""
        parent = self.path.parent
        if self.path.name == "datapackage" and (parent / "pyproject.toml").is_file():
            return parent
        return None

    def describe(self) -> str:
        """'checked the installed package 0.1.0' or 'checked datapackage/ (0.1.0, source checkout)'."""
        version = _declared_version(self.path)
        if self.installed:
            return f"checked the installed package {version}"
        if self.given is not None:
            shown = self.given
        else:
            try:
                shown = f"{self.path.relative_to(Path.cwd())}/"
            except ValueError:
                shown = f"{self.path}/"
        where = "source checkout" if self.checkout is not None else "package folder"
        return f"checked {shown} ({version}, {where})"


def _declared_version(package_dir: Path) -> str:
    """The descriptor's version for a message; a broken descriptor is the validator's to report."""

    from ._descriptor import parse

    try:
        return str(parse((package_dir / DESCRIPTOR).read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return "version unknown"


def find_package(path: str | Path | None, start: Path | None = None) -> FoundPackage:
    """The package a command means, found the way git finds a repository.

    An explicit path wins. Otherwise the working directory and then each of its parents is
    asked for a datapackage.json, or a datapackage/ folder holding one; the copy installed with
    the library is used only when none is found. So a contributor who edits the CSVs of a
    checkout checks their edits, whatever kind of install the command comes from.
    """
    if path is not None:
        return FoundPackage(resolve_package_dir(path), installed=False, given=str(path))
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for candidate in (folder, folder / "datapackage"):
            if (candidate / DESCRIPTOR).is_file():
                return FoundPackage(candidate, installed=False)
    return FoundPackage(shipped_package_dir(), installed=True)


def resolve_package_dir(path: str | Path | None) -> Path:
    """The folder of a package given as None (shipped), a folder, its datapackage.json, or a
    release bundle (.zip), which is checked and extracted once into a temporary folder."""
    if path is None:
        return shipped_package_dir()
    given = Path(path)
    if given.is_file() and given.name == DESCRIPTOR:
        return given.parent
    if given.is_file() and (given.suffix.lower() == ".zip" or zipfile.is_zipfile(given)):
        return extract_bundle(given)
    if given.is_dir():
        if (given / DESCRIPTOR).is_file():
            return given
        raise PackageNotFoundError(
            f"{given}: no {DESCRIPTOR} in this folder; pass the folder that holds it"
        )
    if not given.exists():
        raise PackageNotFoundError(f"{given}: no such file or folder")
    raise PackageNotFoundError(f"{given}: not a data package folder or a {DESCRIPTOR} file")


def unsafe_resource_path(package_dir: Path, relative: str) -> str | None:
    """Why a resource path may not be read (absolute, URL, hidden, escaping), or None if safe."""
    if "\x00" in relative or any(ord(char) < 32 for char in relative):
        return "contains a NUL or control character"
    if len(relative.encode("utf-8", "surrogatepass")) > _MAX_PATH_BYTES or any(
        len(part.encode("utf-8", "surrogatepass")) > _MAX_NAME_BYTES for part in relative.split("/")
    ):
        return "is longer than file systems allow"
    pure = PurePosixPath(relative)
    if "://" in relative or relative.lower().startswith(("http:", "https:", "ftp:", "file:")):
        return "is a URL; a package is read from its folder only"
    if "\\" in relative or (len(relative) > 1 and relative[1] == ":"):
        return "uses a Windows separator or drive; use a relative POSIX path"
    if pure.is_absolute():
        return "is absolute; use a path relative to the package folder"
    if any(part in ("..", "") or part.startswith(".") for part in pure.parts):
        return "has a '..' or hidden segment"
    try:
        resolved = (package_dir / pure).resolve()
    except (RuntimeError, OSError):  # a loop of symbolic links (RuntimeError before 3.13)
        return "is a loop of symbolic links"
    if not resolved.is_relative_to(package_dir.resolve()):
        return "leaves the package folder (through a link)"
    return None


def resource_file(package_dir: Path, descriptor: dict[str, object], table: str) -> Path:
    """The file of a named resource, refused when its path is unsafe (for loaders)."""
    for resource in descriptor.get("resources", []):  # type: ignore[attr-defined]
        if isinstance(resource, dict) and resource.get("name") == table:
            relative = resource.get("path")
            if not isinstance(relative, str):
                break
            reason = unsafe_resource_path(package_dir, relative)
            if reason:
                raise IranSyriaError(f"resource {table!r}: path {relative!r} {reason}")
            return package_dir / relative
    raise IranSyriaError(f"{package_dir / DESCRIPTOR}: no resource {table!r} with a path")


def sha256_differs(resource: dict[str, object], data: bytes) -> bool | None:
    """Whether data differs from the resource's declared sha256; None when none is declared."""
    declared = str(resource.get("hash", ""))
    if not declared.lower().startswith("sha256:"):
        return None
    return hashlib.sha256(data).hexdigest() != declared.split(":", 1)[1].lower()


def verified_bytes(
    package_dir: Path, descriptor: dict[str, object], table: str, *, require_hash: bool = True
) -> bytes:
    """A resource's bytes, read once and checked against its declared sha256 before use."""
    file_path = resource_file(package_dir, descriptor, table)
    try:
        data = file_path.read_bytes()
    except OSError as error:
        raise IranSyriaError(f"{file_path}: cannot read ({error.strerror})") from None
    resources = descriptor.get("resources", [])
    resource = next(r for r in resources if isinstance(r, dict) and r.get("name") == table)  # type: ignore[attr-defined]
    differs = sha256_differs(resource, data)
    if differs is None and require_hash:
        raise IntegrityError(
            f"{file_path}: the descriptor declares no sha256 hash to check it against"
        )
    if differs:
        raise IntegrityError(
            f"{file_path}: sha256 differs from the descriptor; the file was changed or damaged. "
            "Reinstall or fetch the package again, or run `iran-syria schemas` if you edited it on purpose"
        )
    return data


# ---------------------------------------------------------------------------------------------
# Release bundles (zip): refused unless every entry is a plain file inside the archive's folder


class UnsafeArchiveError(IranSyriaError):
    """A zip refused before extraction: unsafe paths, links, too many entries, or a zip bomb."""


MAX_ARCHIVE_ENTRIES = 1000
MAX_ARCHIVE_BYTES = 2 << 30  # total uncompressed size: 2 GiB
MAX_COMPRESSION_RATIO = 200
# Tiny files compress erratically and cannot exhaust anything, so the ratio counts above this.
_RATIO_FLOOR = 1 << 20
_EXTRACTED: dict[tuple[str, int, int], Path] = {}


def extract_bundle(archive: Path) -> Path:
    """The package folder of a release bundle, extracted once per process into a temp folder."""
    status = archive.stat()
    key = (str(archive.resolve()), status.st_size, status.st_mtime_ns)
    cached = _EXTRACTED.get(key)
    if cached is not None and (cached / DESCRIPTOR).is_file():
        return cached
    try:
        with zipfile.ZipFile(archive) as bundle:
            members = _checked_members(archive, bundle)
            root = _bundle_root(archive, members)
            target = Path(tempfile.mkdtemp(prefix="iran-syria-bundle-"))
            atexit.register(shutil.rmtree, target, True)
            _extract(archive, bundle, members, target)
    except UnicodeDecodeError:  # a name flagged UTF-8 that is not
        raise _refuse(archive, "an entry's name is not valid UTF-8") from None
    except zipfile.BadZipFile as error:
        raise PackageNotFoundError(
            f"{archive}: not a readable zip archive ({error}); pass a bundle built by "
            "`iran-syria bundle` or a package folder"
        ) from None
    package_dir = target.joinpath(*root)
    _EXTRACTED[key] = package_dir
    return package_dir


def _refuse(archive: Path, reason: str) -> UnsafeArchiveError:
    return UnsafeArchiveError(f"{archive}: {reason}; refusing to extract this archive")


def _unsafe_member(info: zipfile.ZipInfo) -> str | None:
    """Why an entry may not be extracted, or None."""
    name = info.filename
    if "\\" in name or (len(name) > 1 and name[1] == ":"):
        return "uses a Windows separator or drive letter"
    if name.startswith("/"):
        return "is an absolute path"
    if any(part in ("", ".", "..") for part in name.rstrip("/").split("/")):
        return "has an empty, '.' or '..' segment (it would land outside the folder)"
    if any(ord(char) < 32 for char in name):
        return "has a control character in its name"
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "is a symbolic link"
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):  # 0: no type recorded
        return "is not a regular file"
    if info.flag_bits & 0x1:
        return "is encrypted"
    if not info.flag_bits & 0x800 and not name.isascii():
        # Without the UTF-8 flag the name's bytes were decoded as cp437: check they are UTF-8.
        try:
            name.encode("cp437").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return "has a name that is not valid UTF-8"
    if len(name.encode("utf-8")) > _MAX_PATH_BYTES or any(
        len(part.encode("utf-8")) > _MAX_NAME_BYTES for part in name.split("/")
    ):
        return "has a name longer than file systems allow"
    return None


def _checked_members(archive: Path, bundle: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """Every entry, after the checks that need no extraction (names, types, sizes, ratios)."""
    members = bundle.infolist()
    if len(members) > MAX_ARCHIVE_ENTRIES:
        raise _refuse(archive, f"{len(members)} entries, more than {MAX_ARCHIVE_ENTRIES}")
    total = compressed = 0
    seen: set[str] = set()
    files: set[str] = set()
    for info in members:
        reason = _unsafe_member(info)
        if reason:
            raise _refuse(archive, f"entry {info.filename!r} {reason}")
        name = info.filename.rstrip("/")
        if name in seen:
            raise _refuse(archive, f"entry {info.filename!r} appears twice")
        seen.add(name)
        if not info.is_dir():
            files.add(name)
        total += info.file_size
        compressed += info.compress_size
        if total > MAX_ARCHIVE_BYTES:
            raise _refuse(archive, f"it expands to more than {MAX_ARCHIVE_BYTES >> 30} GiB")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > MAX_COMPRESSION_RATIO:
            raise _refuse(
                archive,
                f"entry {info.filename!r} expands {ratio:.0f}:1 (limit "
                f"{MAX_COMPRESSION_RATIO}:1), the mark of a zip bomb",
            )
    # A file and a folder of one name cannot both be extracted (the second would fail midway).
    for name in seen:
        parts = name.split("/")
        for depth in range(1, len(parts)):
            if "/".join(parts[:depth]) in files:
                raise _refuse(archive, f"{'/'.join(parts[:depth])!r} is both a file and a folder")
    # Many modest entries can make a bomb that no single entry betrays.
    if total > _RATIO_FLOOR and total / max(compressed, 1) > MAX_COMPRESSION_RATIO:
        raise _refuse(
            archive,
            f"its entries expand {total / max(compressed, 1):.0f}:1 in all (limit "
            f"{MAX_COMPRESSION_RATIO}:1), the mark of a zip bomb",
        )
    return members


def _bundle_root(archive: Path, members: list[zipfile.ZipInfo]) -> tuple[str, ...]:
    """The folder inside the archive that holds datapackage.json: the top, or one folder down."""
    roots = sorted(
        tuple(parts[:-1])
        for parts in (info.filename.split("/") for info in members)
        if parts[-1] == DESCRIPTOR and len(parts) <= 2
    )
    if len(roots) != 1:
        found = "no" if not roots else "more than one"
        raise PackageNotFoundError(
            f"{archive}: {found} {DESCRIPTOR} at the top of the archive or in one top folder; "
            "pass a bundle built by `iran-syria bundle`"
        )
    return roots[0]


def _extract(
    archive: Path, bundle: zipfile.ZipFile, members: list[zipfile.ZipInfo], target: Path
) -> None:
    base = target.resolve()
    for info in members:
        if info.is_dir():
            continue
        destination = target.joinpath(*info.filename.split("/"))
        if not destination.resolve().is_relative_to(base):  # belt and braces after the checks
            raise _refuse(archive, f"entry {info.filename!r} leaves the folder")
        destination.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        try:
            with bundle.open(info) as source, destination.open("xb") as sink:
                while chunk := source.read(1 << 20):
                    written += len(chunk)
                    if written > info.file_size:  # the header lied about the size
                        raise _refuse(archive, f"entry {info.filename!r} is larger than declared")
                    sink.write(chunk)
        except (RuntimeError, OSError, zipfile.BadZipFile, zlib.error, EOFError) as error:
            # encrypted, a bad CRC, a corrupt deflate stream, a truncated entry
            raise _refuse(archive, f"entry {info.filename!r} cannot be read ({error})") from None
        os.chmod(destination, 0o644)
