"""Where the shipped data package is, and how a user's path is read as a package."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from .errors import IranSyriaError, PackageNotFoundError

DESCRIPTOR = "datapackage.json"
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


def resolve_package_dir(path: str | Path | None) -> Path:
    """The folder of a package given as None (shipped), a folder, or its datapackage.json."""
    if path is None:
        return shipped_package_dir()
    given = Path(path)
    if given.is_file() and given.name == DESCRIPTOR:
        return given.parent
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
    pure = PurePosixPath(relative)
    if "://" in relative or relative.lower().startswith(("http:", "https:", "ftp:", "file:")):
        return "is a URL; a package is read from its folder only"
    if "\\" in relative or (len(relative) > 1 and relative[1] == ":"):
        return "uses a Windows separator or drive; use a relative POSIX path"
    if pure.is_absolute():
        return "is absolute; use a path relative to the package folder"
    if any(part in ("..", "") or part.startswith(".") for part in pure.parts):
        return "has a '..' or hidden segment"
    if not (package_dir / pure).resolve().is_relative_to(package_dir.resolve()):
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
