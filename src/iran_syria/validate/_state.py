"""The state every step of a check shares."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..models import Record


@dataclass
class _Row:
    line: int
    cells: dict[str, str]
    record: Record | None
    #: Too many or too few cells: reported once, so the rules across tables leave it alone.
    ragged: bool = False


class _CheckerState:
    """What every step shares: the package, the problems found, and what was read."""

    def __init__(self, package_dir: Path, engine: str = "auto", progress: Any = None) -> None:
        self.dir = package_dir
        self.engine = engine
        self.progress = progress
        self.problems: list[Problem] = []
        self.rows: dict[str, list[_Row]] = {}
        self.columns: dict[str, Any] = {}  # table name -> _columnar.Columns (columnar engine)
        self.bytes_done = 0
        self.bytes_total = 0
        self.paths: dict[str, str] = {}
        self.row_counts: dict[str, int] = {}
        self.descriptor_text = ""

    # -- helpers ------------------------------------------------------------------------------

    def add(self, code: str, message: str, table: str | None = None, **where: Any) -> None:
        path = where.pop("path", None) or (self.paths.get(table) if table else None)
        self.problems.append(Problem(code=code, message=message, table=table, path=path, **where))

    def at(self, table: str, row: _Row, field_name: str, code: str, message: str) -> None:
        """A problem located at one cell of a parsed row."""
        self.add(
            code, message, table, line=row.line, field=field_name, value=row.cells.get(field_name)
        )


def _display(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative
