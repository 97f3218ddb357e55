"""The fast profile check: it may leave a descriptor to jsonschema, but never contradicts it."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from iran_syria import _profile
from iran_syria.validate import _profile_errors

from .conftest import SHIPPED, VALID, assert_leaves_unimported

PROFILE = _profile.datapackage_profile()
JSONSCHEMA = jsonschema.Draft7Validator(PROFILE)
DESCRIPTOR = json.loads((VALID / "datapackage.json").read_text(encoding="utf-8"))


def _places(document: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every value inside a JSON document, the document itself first."""
    found = [path]
    if isinstance(document, dict):
        for key, value in document.items():
            found += _places(value, (*path, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += _places(value, (*path, index))
    return found


PLACES = _places(DESCRIPTOR)[1:]
# Most places are inside the tables' fields: the package's and resources' own properties are
# drawn as often as all those together.
SHALLOW_PLACES = [path for path in PLACES if len(path) <= 3]


def _get(document: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        document = document[part]
    return document


def _known_values() -> list[Any]:
    """Every distinct value the descriptor holds (type names, patterns, fields, ...): moved
    elsewhere they break it in the ways that reach deep into the profile's oneOf and anyOf;
    random JSON breaks it in the others."""
    seen: dict[str, Any] = {}
    for path in PLACES:
        value = _get(DESCRIPTOR, path)
        seen.setdefault(json.dumps(value, sort_keys=True), value)
    return list(seen.values())


# Names and type names, and strings each of the profile's patterns refuses.
STRINGS = st.sampled_from(
    ["a", "string", "integer", "date", "", "a b", "../up", "/abs", "file:x", "sha256:xyz"]
)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=True, allow_infinity=True)
    | STRINGS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)
VALUES = st.sampled_from(_known_values()) | JSON_VALUES


@st.composite
def broken_descriptors(draw: st.DrawFn) -> dict[str, Any]:
    """The valid fixture's descriptor with one to three values replaced, removed or added."""
    descriptor = copy.deepcopy(DESCRIPTOR)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(SHALLOW_PLACES) | st.sampled_from(PLACES))
        try:
            parent = _get(descriptor, path[:-1])
            parent[path[-1]]  # an earlier change may have moved it: then skip
        except (KeyError, IndexError, TypeError):
            continue
        action = draw(st.sampled_from(["replace", "remove", "add"]))
        if action == "replace":
            # a string mostly by another string, to reach the patterns and enums
            if isinstance(parent[path[-1]], str) and draw(st.booleans()):
                parent[path[-1]] = draw(STRINGS)
            else:
                parent[path[-1]] = draw(VALUES)
        elif action == "remove":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["type", "name", "extra", "format"]))] = draw(VALUES)
        else:
            parent.append(draw(VALUES))
    return descriptor


def test_the_keyword_list_is_jsonschemas() -> None:
    assert frozenset(jsonschema.Draft7Validator.VALIDATORS) == _profile.DRAFT7_KEYWORDS


@pytest.mark.parametrize("package", [SHIPPED, VALID], ids=["shipped", "valid-fixture"])
def test_valid_descriptors_are_decided_without_jsonschema(package: Any) -> None:
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert _profile.conforms(descriptor)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(descriptor=broken_descriptors())
def test_a_verdict_never_contradicts_jsonschema(descriptor: dict[str, Any]) -> None:
    errors = list(JSONSCHEMA.iter_errors(descriptor))
    verdict = _profile.verdict(PROFILE, descriptor)
    if verdict is not None:
        assert verdict == (not errors), [e.message for e in errors]
    # and the validator's problems are jsonschema's, fast check or not
    expected = sorted((list(e.absolute_path), e.message) for e in errors)
    assert sorted((e.absolute_path, e.message) for e in _profile_errors(descriptor)) == expected


@pytest.mark.parametrize(
    ("field", "valid"),
    [
        ({"name": "a", "type": "string"}, True),
        ({"name": "a", "type": "strin"}, False),  # no type of the oneOf matches
        ({"name": "a"}, True),  # "any" is the default type
        ({"name": "a", "type": "integer", "constraints": {"minimum": 1}}, True),
        ({"name": "a", "type": "string", "constraints": {"enum": ["x", "x"]}}, False),
        ({"name": 5, "type": "string"}, False),
    ],
)
def test_field_verdicts(field: dict[str, Any], valid: bool) -> None:
    descriptor = copy.deepcopy(DESCRIPTOR)
    descriptor["resources"][0]["schema"]["fields"][0] = field
    assert JSONSCHEMA.is_valid(descriptor) is valid
    assert _profile.verdict(PROFILE, descriptor) is valid


@pytest.mark.parametrize(
    ("schema", "instance", "expected"),
    [
        ({"type": "integer"}, 1.0, True),  # JSON Schema counts 1.0 as an integer
        ({"type": "integer"}, True, False),  # and a boolean as no number
        ({"type": "number"}, False, False),
        ({"type": ["string", "null"]}, None, True),
        ({"type": "date"}, "x", None),  # no such type: jsonschema's to answer
        ({"minimum": 0}, float("nan"), True),  # NaN is not below the minimum
        ({"minimum": 0}, -1, False),
        ({"minimum": 0}, "text", True),
        ({"uniqueItems": True}, ["a", "a"], False),
        ({"uniqueItems": True}, [["a"], ["a"]], False),
        ({"uniqueItems": True}, [["a", "b"], ["b", "a"]], True),
        ({"uniqueItems": True}, [1, 1.0], None),  # numbers: left to jsonschema
        ({"enum": ["a"]}, "a", True),
        ({"enum": ["a"]}, 1, False),
        ({"enum": [1]}, True, None),
        ({"pattern": "b"}, "abc", True),  # search, not match
        ({"pattern": "^b"}, "abc", False),
        ({"oneOf": [{"type": "string"}, {"type": ["string", "null"]}]}, "x", False),
        ({"oneOf": [{"type": "string"}, {"type": "null"}]}, "x", True),
        ({"anyOf": [{"type": "null"}, {"type": "number"}]}, "x", False),
        ({"allOf": [{"type": "string"}, {"pattern": "x"}]}, "y", False),
        ({"format": "email", "title": "ignored", "hidden": True}, "not an email", True),
        ({"$ref": "#/definitions/x"}, "x", None),
        ({"$ref": "#", "type": "number"}, "x", None),  # draft 7 ignores the $ref's siblings
        ({"maxLength": 1}, "xx", None),  # a keyword the profile does not use
        ({"properties": {"a": {"type": "string"}}, "required": ["a"]}, {"a": 1}, False),
        ({"required": ["a"]}, ["not an object"], True),
        ({"items": {"type": "string"}, "minItems": 2}, ["a"], False),
        ({"items": [{"type": "string"}]}, ["a"], None),  # the tuple form
        ({"minProperties": 1}, {}, False),
    ],
)
def test_keyword_verdicts(schema: dict[str, Any], instance: Any, expected: bool | None) -> None:
    assert _profile.verdict(schema, instance) is expected
    if expected is not None:
        assert jsonschema.Draft7Validator(schema).is_valid(instance) is expected


def test_validating_the_shipped_package_does_not_import_jsonschema() -> None:
    code = "import iran_syria\nassert iran_syria.validate_package().valid\n"
    assert_leaves_unimported(code, ("jsonschema",))
