"""A fast pre-check of a descriptor against the Data Package 2.0 profile, without jsonschema.

Importing jsonschema costs ~70 ms and its check of the shipped descriptor ~35 ms, a third of
`iran-syria validate` on the shipped package, to find, almost always, nothing. So the validator
first asks `conforms`, which walks the profile with the few keywords it uses (the profile has
no $ref) and answers True only when the descriptor is surely valid; then jsonschema is never
imported. Anything else (an error, or a keyword or a value this check does not decide) goes to
jsonschema as before, which gives the messages: the problems reported never depend on this
module. Each keyword follows jsonschema's Draft 7 implementation; tests/test_profile.py checks
the verdicts against jsonschema on many broken descriptors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

PROFILE_PATH = Path(__file__).parent / "profiles" / "datapackage-2.0.json"

#: The keywords jsonschema's Draft7Validator acts on (a test keeps this list in step with it).
#: Every other keyword is an annotation or an extension it ignores, and so is this check.
DRAFT7_KEYWORDS = frozenset(
    {
        "$ref",
        "additionalItems",
        "additionalProperties",
        "allOf",
        "anyOf",
        "const",
        "contains",
        "dependencies",
        "enum",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "format",
        "if",
        "items",
        "maxItems",
        "maxLength",
        "maxProperties",
        "maximum",
        "minItems",
        "minLength",
        "minProperties",
        "minimum",
        "multipleOf",
        "not",
        "oneOf",
        "pattern",
        "patternProperties",
        "properties",
        "propertyNames",
        "required",
        "type",
        "uniqueItems",
    }
)

#: True: valid. False: surely invalid. None: not decided here (jsonschema decides).
Verdict = bool | None


@cache
def datapackage_profile() -> dict[str, Any]:
    """The Data Package 2.0 profile (JSON Schema draft 7), shipped with the library."""
    profile: dict[str, Any] = json.loads(PROFILE_PATH.read_text(encoding="utf-8"))
    return profile


def conforms(descriptor: Any) -> bool:
    """True when the descriptor surely has no error against the Data Package 2.0 profile."""
    return verdict(datapackage_profile(), descriptor) is True


def verdict(schema: Any, instance: Any) -> Verdict:
    """Whether `instance` is valid against a draft 7 `schema`, as far as decided here."""
    if schema is True or schema is False:
        return schema
    if not isinstance(schema, dict) or "$ref" in schema:
        return None  # draft 7 ignores a $ref's sibling keywords: leave it all to jsonschema
    result: Verdict = True
    for keyword, value in schema.items():
        check = _KEYWORDS.get(keyword)
        if check is not None:
            outcome = check(value, instance)
        elif keyword in DRAFT7_KEYWORDS:
            # format only asserts with a format checker, and the validator gives none.
            outcome = True if keyword == "format" else None
        else:
            continue  # an annotation (title, description, examples ...) or an extension
        if outcome is False:
            return False  # one failing keyword fails the schema, whatever the others say
        if outcome is None:
            result = None
    return result


# -- the keywords, each as jsonschema's Draft 7 implementation reads it ------------------------


def _is_type(instance: Any, name: str) -> Verdict:
    if name == "object":
        return isinstance(instance, dict)
    if name == "array":
        return isinstance(instance, list)
    if name == "string":
        return isinstance(instance, str)
    if name == "boolean":
        return isinstance(instance, bool)
    if name == "null":
        return instance is None
    if name == "number":
        return isinstance(instance, int | float) and not isinstance(instance, bool)
    if name == "integer":  # 1.0 is an integer, True is not
        if isinstance(instance, bool):
            return False
        return instance.is_integer() if isinstance(instance, float) else isinstance(instance, int)
    return None  # an unknown type name: jsonschema raises, so leave it to it


def _type(names: Any, instance: Any) -> Verdict:
    listed = [names] if isinstance(names, str) else names
    if not isinstance(listed, list):
        return None
    verdicts = [_is_type(instance, name) for name in listed]
    if True in verdicts:
        return True
    return None if None in verdicts else False


def _properties(properties: Any, instance: Any) -> Verdict:
    if not isinstance(instance, dict):
        return True
    if not isinstance(properties, dict):
        return None
    return _all(
        verdict(properties[name], instance[name]) for name in properties if name in instance
    )


def _required(names: Any, instance: Any) -> Verdict:
    if not isinstance(instance, dict):
        return True
    if not isinstance(names, list):
        return None
    return all(name in instance for name in names)


def _items(items: Any, instance: Any) -> Verdict:
    if not isinstance(instance, list):
        return True
    if not isinstance(items, dict | bool):
        return None  # the tuple form, which the profile does not use
    return _all(verdict(items, item) for item in instance)


def _min_items(least: Any, instance: Any) -> Verdict:
    if not isinstance(instance, list):
        return True
    return len(instance) >= least if _is_count(least) else None


def _min_properties(least: Any, instance: Any) -> Verdict:
    if not isinstance(instance, dict):
        return True
    return len(instance) >= least if _is_count(least) else None


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _minimum(least: Any, instance: Any) -> Verdict:
    if isinstance(instance, bool) or not isinstance(instance, int | float):
        return True
    if isinstance(least, bool) or not isinstance(least, int | float):
        return None
    return not instance < least  # as jsonschema compares: NaN is not below any minimum


def _unique_items(unique: Any, instance: Any) -> Verdict:
    if unique is False or not isinstance(instance, list):
        return True
    if unique is not True:
        return None
    # Decided only for lists of strings or of lists of strings (every list in a descriptor
    # that the profile wants unique): there equality is plain ==, with no 1 == 1.0 == True.
    if all(isinstance(item, str) for item in instance):
        return len(set(instance)) == len(instance)
    if all(isinstance(item, list) and all(isinstance(s, str) for s in item) for item in instance):
        return len({tuple(item) for item in instance}) == len(instance)
    return None


def _enum(words: Any, instance: Any) -> Verdict:
    if not isinstance(words, list):
        return None
    if isinstance(instance, str):  # a string equals only the same string
        return instance in (word for word in words if isinstance(word, str))
    if all(isinstance(word, str) for word in words):
        return False
    return None


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _pattern(pattern: Any, instance: Any) -> Verdict:
    if not isinstance(instance, str):
        return True
    if not isinstance(pattern, str):
        return None
    try:
        return _compiled(pattern).search(instance) is not None
    except re.error:
        return None


def _any_of(schemas: Any, instance: Any) -> Verdict:
    if not isinstance(schemas, list):
        return None
    verdicts = []
    for schema in schemas:
        outcome = verdict(schema, instance)
        if outcome is True:
            return True
        verdicts.append(outcome)
    return None if None in verdicts else False


def _one_of(schemas: Any, instance: Any) -> Verdict:
    if not isinstance(schemas, list):
        return None
    verdicts = [verdict(schema, instance) for schema in schemas]
    valid = verdicts.count(True)
    if valid > 1:
        return False
    if None in verdicts:
        return None
    return valid == 1


def _all_of(schemas: Any, instance: Any) -> Verdict:
    if not isinstance(schemas, list):
        return None
    return _all(verdict(schema, instance) for schema in schemas)


def _all(verdicts: Any) -> Verdict:
    """True when every verdict is True, False when one is False, else None."""
    result: Verdict = True
    for outcome in verdicts:
        if outcome is False:
            return False
        if outcome is None:
            result = None
    return result


_KEYWORDS: dict[str, Callable[[Any, Any], Verdict]] = {
    "type": _type,
    "properties": _properties,
    "required": _required,
    "items": _items,
    "minItems": _min_items,
    "minProperties": _min_properties,
    "minimum": _minimum,
    "uniqueItems": _unique_items,
    "enum": _enum,
    "pattern": _pattern,
    "anyOf": _any_of,
    "oneOf": _one_of,
    "allOf": _all_of,
}
