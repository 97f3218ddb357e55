"""Validate a data package: structure, the models' rules, and the rules across tables.

Every problem is collected as a located record; nothing stops at the first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import _descriptor
from .._locate import UnsafeArchiveError, resolve_package_dir
from ..errors import Problem
from ..models import TABLES
from ._state import _display
from .across import _AcrossTables
from .descriptor import (
    _DescriptorSteps,
    _profile_errors as _profile_errors,
    _profile_validator as _profile_validator,
)
from .report import (
    GITHUB_ANNOTATION_LIMIT,
    Report,
    _escape_data as _escape_data,
    _escape_property as _escape_property,
)
from .rows import _did_you_mean as _did_you_mean, _RowRules
from .tables import _TableSteps

__all__ = [
    "AUTO_COLUMNAR_FROM_BYTES",
    "ENGINES",
    "GITHUB_ANNOTATION_LIMIT",
    "Report",
    "validate_package",
]

# ---------------------------------------------------------------------------------------------
# Entry point


#: How the rows are checked: "columnar" screens whole columns with Arrow kernels and asks the
#: models only about rows that fail a screen; "rows" validates every row with the models (the
#: reference the columnar path is tested against); "auto" takes rows for a small package, where
#: importing pyarrow and numpy (~0.3 s) costs more than the models do, else columnar. All
#: three report the same problems.
ENGINES = ("auto", "columnar", "rows")
#: Below this many bytes of CSV, "auto" validates row by row (the shipped package, ~3.7 MB, is
#: checked by columns).
#: Measured: 0.66 MB took 0.40 s by rows and 0.58 s columnar; 1.6 MB 0.87 s and 0.60 s.
AUTO_COLUMNAR_FROM_BYTES = 1 << 20


def validate_package(
    path: str | Path | None = None, *, engine: str = "auto", progress: Any = None
) -> Report:
    """Check a package folder (default: the shipped one) and report every problem found.

    Raises PackageNotFoundError when the path holds no datapackage.json; every problem *in*
    the package is a Problem in the report, never an exception. `progress`, if given, is
    called with (table name, bytes done, bytes in all) as each table is checked.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    try:
        package_dir = resolve_package_dir(path)
    except UnsafeArchiveError as error:  # a problem *in* the given zip, not a misuse
        archive = _display(Path(str(path)))
        problem = Problem("unsafe-archive", str(error), path=archive)
        return Report(package=archive, problems=[problem])
    checker = _Checker(package_dir, engine, progress)
    try:
        checker.run()
    except (
        OSError,
        RecursionError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        ArithmeticError,
    ) as error:
        # Defence in depth: the property tests find such cases first; the user still gets a
        # report, with what was found so far, instead of a traceback.
        checker.add(
            "internal-error", f"{type(error).__name__}: {error}", path=_display(package_dir)
        )
    problems = sorted(checker.problems, key=Problem.sort_key)
    return Report(package=_display(package_dir), problems=problems, rows=checker.row_counts)


class _Checker(_DescriptorSteps, _TableSteps, _RowRules, _AcrossTables):
    """A check of one package: the steps, each in the module named for it, run in order."""

    def run(self) -> None:
        descriptor = self._read_descriptor()
        if descriptor is None:
            return
        # The first entry of a name is the one checked, as the loaders read it; a second entry
        # of that name is an error of its own (duplicate-resource), never silently ignored.
        resources: dict[str, dict[str, Any]] = {}
        listed = descriptor.get("resources", [])
        if not isinstance(listed, list):
            return  # the profile's problem says so; a missing-resource per table would only echo it
        for entry in listed:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                resources.setdefault(entry["name"], entry)
        for fault in _descriptor.faults(descriptor, TABLES):
            self.add(
                fault.code,
                fault.message,
                fault.resource,
                path=self._descriptor_path(),
                line=self._resource_line(listed, fault.index),
            )
        for name in resources:
            if name not in TABLES:
                self.add(
                    "unknown-resource",
                    f"resource {name!r} is not in the contract",
                    path=self._descriptor_path(),
                )
        # progress counts the bytes of the files read, so the total is theirs too
        self.bytes_total = sum(self._file_bytes(resources.get(name)) for name in TABLES)
        if self.engine == "auto":
            self.engine = "columnar" if self.bytes_total >= AUTO_COLUMNAR_FROM_BYTES else "rows"
        with self._memory_pool():
            for name, model in TABLES.items():
                resource = resources.get(name)
                if resource is None:
                    self.add(
                        "missing-resource",
                        f"the package has no resource named {name!r}",
                        path=self._descriptor_path(),
                    )
                    continue
                self._check_table(name, model, resource)
            self._check_across_tables()
