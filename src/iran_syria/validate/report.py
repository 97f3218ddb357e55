"""The report of a validation: every problem found, and its formats (text, JSON, GitHub, Markdown)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .._locate import DESCRIPTOR
from ..errors import Problem, Severity

# ---------------------------------------------------------------------------------------------
# The report


#: GitHub shows at most 10 error and 10 warning annotations of one step.
GITHUB_ANNOTATION_LIMIT = 10


def _annotation_order(problems: list[Problem]) -> list[Problem]:
    """Problems in the order the few annotation slots are best spent: errors before warnings,
    every distinct code before a second problem of one code, and file order within that."""
    in_file_order = sorted(problems, key=Problem.sort_key)
    seen: Counter[str] = Counter()
    ranked = []
    for problem in in_file_order:
        ranked.append((problem.severity is not Severity.ERROR, seen[problem.code], problem))
        seen[problem.code] += 1
    ranked.sort(key=lambda item: (item[0], item[1]))  # stable: file order within a tier
    return [problem for _, _, problem in ranked]


def _annotation_text(problem: Problem) -> str:
    where = f"{problem.field}: " if problem.field else ""
    return f"{where}{problem.message} [{problem.code}]"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _escape_markdown(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").replace("\r", " ")


@dataclass
class Report:
    """Every problem found in one package, and what was checked."""

    package: str
    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def valid(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    def summary(self) -> str:
        """One line: the count of problems per table, or what was found valid."""
        if not self.problems:
            total = sum(self.rows.values())
            return f"valid: {len(self.rows)} tables, {total} rows, no problems"
        per_table = Counter(p.table or DESCRIPTOR for p in self.problems)
        tables = ", ".join(f"{name}: {count}" for name, count in per_table.items())
        counts = _plural(len(self.errors), "error")
        if self.warnings:
            counts += f", {_plural(len(self.warnings), 'warning')}"
        return f"{counts} in {_plural(len(per_table), 'table')} ({tables})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "package": self.package,
            "valid": self.valid,
            "summary": self.summary(),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "rows": self.rows,
            "problems": [p.to_dict() for p in self.problems],
        }

    def to_text(self) -> str:
        return "\n".join([*(str(p) for p in self.problems), self.summary()])

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_github(self, limit: int = GITHUB_ANNOTATION_LIMIT) -> str:
        """GitHub Actions workflow commands: the most relevant problems as annotations."""
        lines = []
        ranked = _annotation_order(self.problems)
        for problem in ranked[:limit]:
            properties = {
                "file": problem.path,
                "line": problem.line,
                "col": problem.column,
                "title": problem.code,
            }
            shown = ",".join(
                f"{key}={_escape_property(str(value))}"
                for key, value in properties.items()
                if value is not None
            )
            lines.append(
                f"::{problem.severity.value} {shown}::{_escape_data(_annotation_text(problem))}"
            )
        if len(ranked) > limit:
            lines.append(
                f"::notice title=iran-syria validate::{len(ranked) - limit} more problems are not "
                "annotated; the step summary lists them all"
            )
        lines.append(self.summary())
        return "\n".join(lines)

    def to_markdown(self) -> str:
        """The complete problem table, for $GITHUB_STEP_SUMMARY or a pull-request comment."""
        lines = [f"### iran-syria validate: {self.summary()}", ""]
        if self.problems:
            lines += [
                "| severity | file | line | field | code | message |",
                "|---|---|---|---|---|---|",
            ]
            for p in self.problems:
                cells = [
                    p.severity.value,
                    p.path or "",
                    str(p.line or ""),
                    p.field or "",
                    f"`{p.code}`",
                    p.message,
                ]
                lines.append("| " + " | ".join(_escape_markdown(cell) for cell in cells) + " |")
        return "\n".join(lines) + "\n"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
