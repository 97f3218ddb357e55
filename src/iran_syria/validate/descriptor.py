"""Reading the descriptor: strict JSON, the Data Package profile, and where in it a problem is."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from .. import _descriptor, _profile
from .._locate import DESCRIPTOR, unsafe_resource_path
from ._state import _CheckerState, _display

_MAX_DESCRIPTOR_BYTES = 16 << 20


@cache
def _profile_validator() -> Any:
    import jsonschema

    return jsonschema.Draft7Validator(_profile.datapackage_profile())


@dataclass
class _ProfileIssue:
    """One profile error, as the descriptor check reads it (a jsonschema error's parts)."""

    absolute_path: list[Any]
    message: str
    instance: Any


# Keywords of a schema that never fail (annotations), and those the plain check understands.
_ANNOTATIONS = frozenset(
    {"title", "description", "examples", "propertyOrder", "options", "context", "format"}
)


@cache
def _plain_source_check() -> Any:
    """A fast, exact check of one item of the descriptor's `sources`, built from the profile.

    jsonschema spends ~10 µs an item; a package with 100,000 sources would spend a second
    on that list alone. The profile's item schema is an object of optional string
    properties (`format` is not checked, as the validator has no format checker), so the
    check is a few isinstance calls. None when the profile's schema is of another form:
    then jsonschema checks every item."""
    import re

    profile = _profile.datapackage_profile()  # not the validator's: that imports jsonschema
    items = profile.get("properties", {}).get("sources", {}).get("items", {})
    if set(items) - _ANNOTATIONS - {"type", "minProperties", "properties"}:
        return None
    if items.get("type") != "object":
        return None
    patterns: dict[str, re.Pattern[str] | None] = {}
    for name, rule in items.get("properties", {}).items():
        if set(rule) - _ANNOTATIONS - {"type", "pattern"} or rule.get("type") != "string":
            return None
        patterns[name] = re.compile(rule["pattern"]) if "pattern" in rule else None
    least = items.get("minProperties", 0)

    def plain(item: Any) -> bool:
        if not isinstance(item, dict) or len(item) < least:
            return False
        for name, pattern in patterns.items():
            if name in item:
                value = item[name]
                if not isinstance(value, str) or (pattern and not pattern.search(value)):
                    return False
        return True

    return plain


def _profile_errors(descriptor: dict[str, Any]) -> list[_ProfileIssue]:
    """The descriptor's errors against the Data Package profile."""
    sources = descriptor.get("sources")
    plain = _plain_source_check()
    if isinstance(sources, list) and plain is not None:
        # Items the plain check passes cannot fail the profile; jsonschema sees the others.
        others = [index for index, item in enumerate(sources) if not plain(item)]
        checked = {**descriptor, "sources": [sources[index] for index in others]}
    else:
        others, checked = [], descriptor
    if _profile.conforms(checked):
        return []  # surely valid: spares importing jsonschema and its walk (~0.1 s)
    issues = []
    for error in _profile_validator().iter_errors(checked):
        path = list(error.absolute_path)
        if checked is not descriptor and path[:1] == ["sources"] and len(path) > 1:
            path[1] = others[path[1]]
        issues.append(_ProfileIssue(path, error.message, error.instance))
    return issues


class _DescriptorSteps(_CheckerState):
    """The steps that read datapackage.json."""

    def _file_bytes(self, resource: dict[str, Any] | None) -> int:
        """The size of a resource's file on disk (0 when it cannot be found safely)."""
        relative = resource.get("path") if resource else None
        if not isinstance(relative, str) or not relative:
            return 0
        if unsafe_resource_path(self.dir, relative):
            return 0
        file_path = self.dir / relative
        return file_path.stat().st_size if file_path.is_file() else 0

    def _descriptor_path(self) -> str:
        return _display(self.dir / DESCRIPTOR)

    def _read_descriptor(self) -> dict[str, Any] | None:
        where = self._descriptor_path()
        descriptor_file = self.dir / DESCRIPTOR
        if not descriptor_file.resolve().is_relative_to(self.dir.resolve()):
            self.add(
                "unsafe-path",
                "datapackage.json is a link that leaves the package folder",
                path=where,
            )
            return None
        if descriptor_file.stat().st_size > _MAX_DESCRIPTOR_BYTES:
            self.add(
                "limit-exceeded",
                f"the descriptor is over {_MAX_DESCRIPTOR_BYTES} bytes",
                path=where,
            )
            return None
        try:
            text = descriptor_file.read_text(encoding="utf-8")
            descriptor = _descriptor.parse(text)
        except UnicodeDecodeError as error:
            self.add("bad-descriptor", f"not UTF-8: {error.reason}", path=where)
            return None
        except _descriptor.DescriptorSyntaxError as error:
            self.add(error.code, str(error), path=where, line=error.line)
            return None
        except json.JSONDecodeError as error:
            self.add(
                "bad-descriptor",
                f"not valid JSON: {error.msg}",
                path=where,
                line=error.lineno,
                column=error.colno,
            )
            return None
        if not isinstance(descriptor, dict):
            self.add("bad-descriptor", "the descriptor must be a JSON object", path=where, line=1)
            return None
        self.descriptor_text = text
        for issue in sorted(_profile_errors(descriptor), key=lambda e: list(e.absolute_path)):
            location = "/".join(str(part) for part in issue.absolute_path) or "(top level)"
            last = issue.absolute_path[-1] if issue.absolute_path else None
            scalar = isinstance(issue.instance, str | int | float | bool)
            if isinstance(last, str):
                needle = json.dumps(last) + ":"
                if scalar:
                    needle += " " + json.dumps(issue.instance, ensure_ascii=False)
            elif scalar:
                needle = json.dumps(issue.instance, ensure_ascii=False)
            else:
                needle = "{" if isinstance(descriptor, dict) else "["
            self.add(
                "bad-descriptor",
                f"{location}: {issue.message} (Data Package 2.0 profile)",
                path=where,
                line=self._descriptor_line(needle),
            )
        return descriptor

    def _resource_line(self, listed: Any, index: int | None) -> int | None:
        """The line where the index-th resource entry writes its name (the nth occurrence of
        that name, n counting the earlier entries of the same name)."""
        if index is None or not isinstance(listed, list):
            return None
        name = listed[index].get("name") if isinstance(listed[index], dict) else None
        if not isinstance(name, str):
            return None
        needle = f'"name": {json.dumps(name, ensure_ascii=False)}'
        earlier = sum(1 for e in listed[:index] if isinstance(e, dict) and e.get("name") == name)
        offset = -1
        for _ in range(earlier + 1):
            offset = self.descriptor_text.find(needle, offset + 1)
            if offset < 0:
                return None
        return self.descriptor_text.count("\n", 0, offset) + 1

    def _descriptor_line(self, needle: str) -> int | None:
        """The line of the descriptor where `needle` first appears, to point an editor there."""
        offset = self.descriptor_text.find(needle)
        return None if offset < 0 else self.descriptor_text.count("\n", 0, offset) + 1
