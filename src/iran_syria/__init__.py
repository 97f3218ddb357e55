"""iran-syria: events, actors and relations of the Iran–Syria alliance, as a typed data package.

>>> import iran_syria
>>> events = iran_syria.load("events")            # pandas DataFrame, typed
>>> package = iran_syria.load_package()           # every table as Pydantic records
>>> report = iran_syria.validate_package("path/to/package")
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import (
    IntegrityError,
    InvalidPackageError,
    IranSyriaError,
    MissingDependencyError,
    PackageNotFoundError,
    Problem,
    UnknownTableError,
)

# Heavy modules (pandas, pydantic models, jsonschema) load on first use, so `import
# iran_syria` stays fast for the command line and for tools that only need the version.
_LAZY = {
    "load": "loaders",
    "load_package": "loaders",
    "Package": "loaders",
    "HiddenRecordsWarning": "loaders",
    "load_graph": "loaders",
    "dyads": "loaders",
    "panel": "panels",
    "validate_package": "validate",
    "Report": "validate",
    "diff": "diff",
    "Diff": "diff",
    "cite": "cite",
    "evidence": "provenance",
    "Evidence": "provenance",
    "resolve_id": "tombstones",
    "match": "matching",
    "Match": "matching",
    "UnsafeArchiveError": "_locate",
    "models": None,
}

__all__ = [
    "Diff",
    "Evidence",
    "HiddenRecordsWarning",
    "IntegrityError",
    "InvalidPackageError",
    "IranSyriaError",
    "Match",
    "MissingDependencyError",
    "Package",
    "PackageNotFoundError",
    "Problem",
    "Report",
    "UnknownTableError",
    "UnsafeArchiveError",
    "__version__",
    "cite",
    "diff",
    "dyads",
    "evidence",
    "load",
    "load_graph",
    "load_package",
    "match",
    "models",
    "panel",
    "resolve_id",
    "validate_package",
]

if TYPE_CHECKING:
    from . import models
    from ._locate import UnsafeArchiveError
    from .cite import cite
    from .diff import Diff, diff
    from .loaders import HiddenRecordsWarning, Package, dyads, load, load_graph, load_package
    from .matching import Match, match
    from .panels import panel
    from .provenance import Evidence, evidence
    from .tombstones import resolve_id
    from .validate import Report, validate_package


def __getattr__(name: str) -> Any:
    if name == "__version__":
        # importlib.metadata costs ~40 ms to import: pay it only when the version is asked for
        from importlib.metadata import version

        globals()["__version__"] = version("iran-syria")
        return globals()["__version__"]
    if name not in _LAZY:
        raise AttributeError(f"module 'iran_syria' has no attribute {name!r}")
    module_name = _LAZY[name]
    if module_name is None:
        return import_module(f".{name}", __name__)
    value = getattr(import_module(f".{module_name}", __name__), name)
    # Importing a submodule named like its function (diff, cite) binds the module here; the
    # function replaces it so `iran_syria.diff(...)` is the function.
    globals()[name] = value
    return value
