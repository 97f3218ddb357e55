"""One reading of a datapackage.json, shared by the validator and the loaders.

Two readers of one descriptor must never disagree about what it says. JSON lets an object
repeat a key (Python keeps the last, other clients the first), spells numbers as NaN or
Infinity in some parsers only, and a package may list one resource name twice: each is a way
to show a doctored file to one reader and the real one to another. So the descriptor is read
strictly here, and the resource-level promises of the contract (UTF-8, comma-separated CSV on
disk, every file hashed and sized) are checked here, once, for both.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

#: The dialect the contract's files are written in (as `iran-syria schemas` declares it).
CONTRACT_DIALECT: dict[str, Any] = {
    "header": True,
    "delimiter": ",",
    "lineTerminator": "\n",
    "quoteChar": '"',
    "doubleQuote": True,
}
#: Dialect properties that may be declared without changing how the files read.
_NEUTRAL_DIALECT_KEYS = frozenset({"$schema", "title", "description", "name"})
_UTF8 = frozenset({"utf-8", "utf8"})


class DescriptorSyntaxError(ValueError):
    """The descriptor is not strict JSON: a repeated key, or NaN/Infinity."""

    def __init__(self, code: str, message: str, line: int | None) -> None:
        super().__init__(message)
        self.code = code
        self.line = line


@dataclass(frozen=True)
class Fault:
    """A resource-level fault of the descriptor: code, message, and a resource name if any."""

    code: str
    message: str
    resource: str | None = None
    index: int | None = None  # position in `resources`, to locate the entry


#: Limits on a descriptor's shape, far beyond any real one, so that a hostile one is a located
#: problem rather than a recursion or a quadratic number conversion.
MAX_DEPTH = 64
MAX_NUMBER_DIGITS = 64


@functools.lru_cache(maxsize=2)
def _check_shape(text: str) -> None:
    """One linear pass over the text: nesting depth and the length of number literals.

    A pass is a character-by-character Python loop (~45 ms for the shipped descriptor), and one
    command reads the same descriptor many times (the site build ~30): a text that passed once
    passes again, so the verdict is kept for the last two texts (a refusal raises, so it is
    never kept)."""
    depth = 0
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char == '"':
            index += 1
            while index < length and text[index] != '"':
                index += 2 if text[index] == "\\" else 1
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise DescriptorSyntaxError(
                    "limit-exceeded",
                    f"objects and arrays nested deeper than {MAX_DEPTH} levels",
                    text.count("\n", 0, index) + 1,
                )
        elif char in "]}":
            depth -= 1
        elif char in "-0123456789":
            start = index
            while index < length and text[index] in "-+.eE0123456789":
                index += 1
            if index - start > MAX_NUMBER_DIGITS:
                raise DescriptorSyntaxError(
                    "limit-exceeded",
                    f"a number of {index - start} characters (the limit is {MAX_NUMBER_DIGITS})",
                    text.count("\n", 0, start) + 1,
                )
            continue
        index += 1


def parse(text: str) -> Any:
    """The descriptor's JSON, refusing repeated keys and the NaN/Infinity literals, and shapes
    beyond MAX_DEPTH or MAX_NUMBER_DIGITS."""
    _check_shape(text)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in items:
            if key in seen:
                raise DescriptorSyntaxError(
                    "duplicate-json-key",
                    f"the key {key!r} appears twice in one object; JSON readers disagree on "
                    "which one counts, so the descriptor is refused",
                    _second_line(text, key),
                )
            seen[key] = value
        return seen

    def constant(word: str) -> Any:
        raise DescriptorSyntaxError(
            "bad-descriptor",
            f"{word} is not JSON (a number must be finite)",
            _line_of(text, word),
        )

    return json.loads(text, object_pairs_hook=pairs, parse_constant=constant)


def faults(descriptor: dict[str, Any], tables: Collection[str]) -> Iterator[Fault]:
    """What breaks the contract's promises about the resources of its `tables`, in the order
    of the entries (a resource outside the contract is never read, so it promises nothing)."""
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        return
    first_index: dict[str, int] = {}
    for index, resource in enumerate(resources):
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            continue
        name = resource["name"]
        if name not in tables:
            continue
        if name in first_index:
            yield Fault(
                "duplicate-resource",
                f"resource {name!r} is listed twice (entries {first_index[name] + 1} and "
                f"{index + 1}); readers would disagree on which file it is",
                name,
                index,
            )
            continue
        first_index[name] = index
        yield from _resource_faults(name, index, resource)


def _resource_faults(name: str, index: int, resource: dict[str, Any]) -> Iterator[Fault]:
    def fault(message: str) -> Fault:
        return Fault("unsupported-resource", f"resource {name!r}: {message}", name, index)

    encoding = resource.get("encoding")
    if encoding is not None and str(encoding).lower() not in _UTF8:
        yield fault(f"encoding {encoding!r}; the contract's files are UTF-8")
    if resource.get("format") not in (None, "csv"):
        yield fault(f"format {resource.get('format')!r}; the contract's files are CSV")
    if resource.get("mediatype") not in (None, "text/csv"):
        yield fault(f"mediatype {resource.get('mediatype')!r}; the contract's files are text/csv")
    if resource.get("scheme") not in (None, "file"):
        yield fault(f"scheme {resource.get('scheme')!r}; the contract's files are read from disk")
    if "compression" in resource:
        yield fault("compression; the contract's files are plain CSV")
    dialect = resource.get("dialect")
    if dialect is not None:
        if not isinstance(dialect, dict):
            yield fault("a dialect that is not an object; the contract's dialect is inline")
        else:
            for key, value in dialect.items():
                if key in _NEUTRAL_DIALECT_KEYS:
                    continue
                if key not in CONTRACT_DIALECT or CONTRACT_DIALECT[key] != value:
                    yield fault(
                        f"dialect {key} {value!r}; the contract is comma-separated CSV with a "
                        "header, double quotes and LF line ends"
                    )
    hash_value = resource.get("hash")
    if not (isinstance(hash_value, str) and hash_value.lower().startswith("sha256:")):
        yield Fault(
            "missing-integrity",
            f"resource {name!r} declares no sha256 hash; every file must carry one, so that a "
            "changed file is noticed (run `iran-syria schemas`)",
            name,
            index,
        )
    if not isinstance(resource.get("bytes"), int) or isinstance(resource.get("bytes"), bool):
        yield Fault(
            "missing-integrity",
            f"resource {name!r} declares no size in bytes (run `iran-syria schemas`)",
            name,
            index,
        )


def _second_line(text: str, key: str) -> int | None:
    """The line where `key` repeats within one object (a scan that tracks strings and nesting,
    since the same key may rightly appear in many objects)."""
    seen: set[tuple[int, str]] = set()
    stack: list[int] = []
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char in "{[":
            stack.append(index)
        elif char in "}]":
            if stack:
                stack.pop()
        elif char == '"':
            end = index + 1
            while end < length and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            rest = text[end + 1 : end + 64].lstrip()
            if rest.startswith(":") and stack:
                try:
                    name = json.loads(text[index : end + 1])
                except ValueError:
                    name = None
                if name == key:
                    where = (stack[-1], key)
                    if where in seen:
                        return text.count("\n", 0, index) + 1
                    seen.add(where)
            index = end
        index += 1
    return None


def _line_of(text: str, word: str) -> int | None:
    match = re.search(rf"(?<![\w\"]){re.escape(word)}(?![\w\"])", text)
    return None if match is None else text.count("\n", 0, match.start()) + 1
