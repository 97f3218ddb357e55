"""Relation types as data: RELATION_TYPES, the generated relation_types table, bad-actor-kind."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from iran_syria import diff, models, schema
from iran_syria.models import (
    RELATION_MODES,
    RELATION_TYPES,
    SYMMETRIC_RELATIONS,
    ActorKind,
    Relation,
    RelationMode,
    RelationType,
    relation_label,
)
from iran_syria.validate import validate_package

from .conftest import SHIPPED, copied_valid, regenerate

_K = ActorKind


def test_every_type_and_mode_the_relation_model_accepts_has_one_row() -> None:
    accepted = set()
    for relation_type in RelationType:
        for mode in [None, *RelationMode]:
            try:
                Relation.model_validate(
                    {
                        "id": "rel-a-b",
                        "source_id": "act-a",
                        "target_id": "act-b",
                        "relation_type": relation_type,
                        "relation_mode": mode,
                        "position": "Head" if relation_type is RelationType.LEADS else None,
                        "date_start": "2020-01-01",
                        "start_precision": "day",
                        "confidence": "high",
                        "attribution": "confirmed",
                        "description": "x",
                        "status": "active",
                    }
                )
            except ValueError:
                continue
            accepted.add((relation_type, mode))
    assert accepted == set(RELATION_TYPES)


def test_the_generated_table_has_a_row_per_type_and_mode_in_the_models_order() -> None:
    with (SHIPPED / "data" / "relation_types.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["relation_type"], r["relation_mode"]) for r in rows] == [
        (t.value, m.value if m else "") for t, m in RELATION_TYPES
    ]
    for row in rows:
        relation_type = RelationType(row["relation_type"])
        assert row["directed"] == ("false" if relation_type in SYMMETRIC_RELATIONS else "true")
        spec = RELATION_TYPES[
            (relation_type, RelationMode(row["relation_mode"]) if row["relation_mode"] else None)
        ]
        assert set(row["source_kinds"].split(" ")) == {k.value for k in spec.source_kinds}
        assert set(row["target_kinds"].split(" ")) == {k.value for k in spec.target_kinds}
        assert row["label"] == spec.label and row["inverse_label"] == spec.inverse_label


def test_relation_modes_are_read_from_relation_types() -> None:
    assert RELATION_MODES[RelationType.SUPPORTS] == {
        mode for (kind, mode) in RELATION_TYPES if kind is RelationType.SUPPORTS
    }
    assert RelationType.LEADS not in RELATION_MODES


def test_relation_label_reads_both_ways() -> None:
    assert relation_label("commands") == "commands"
    assert relation_label("commands", inverse=True) == "commanded by"
    assert relation_label("supports", "weapons") == "supports with weapons"
    assert relation_label(RelationType.SUPPORTS, RelationMode.WEAPONS, inverse=True) == (
        "supported with weapons by"
    )
    assert relation_label("allied_with") == relation_label("allied_with", inverse=True)


@pytest.mark.parametrize(("relation_type", "mode"), [("supports", None), ("leads", "weapons")])
def test_relation_label_refuses_a_pair_not_in_the_contract(
    relation_type: str, mode: str | None
) -> None:
    with pytest.raises(KeyError, match="not a relation type and mode"):
        relation_label(relation_type, mode)


def test_the_allowed_kinds_keep_the_rules_the_semantics_give() -> None:
    spec = models.relation_spec
    assert spec("leads").source_kinds == {_K.PERSON}
    assert _K.PERSON not in spec("part_of").target_kinds
    assert spec("child_of").source_kinds == spec("child_of").target_kinds == {_K.PERSON}
    sanctioners = {_K.STATE, _K.GOVERNMENT_BODY, _K.INTERNATIONAL_ORGANIZATION}
    for mode in RELATION_MODES[RelationType.SANCTIONS]:
        assert spec("sanctions", mode).source_kinds == sanctioners
    for relation_type in SYMMETRIC_RELATIONS:
        assert spec(relation_type).source_kinds == spec(relation_type).target_kinds


def test_esd_categories_are_given_for_material_support_only() -> None:
    assert models.relation_spec("supports", "troops").esd_category == (
        "troops as secondary warring party"
    )
    assert models.relation_spec("supports", "political").esd_category is None
    assert all(
        spec.esd_category is None
        for (kind, _), spec in RELATION_TYPES.items()
        if kind is not RelationType.SUPPORTS
    )


def test_a_stale_relation_types_file_is_reported_by_schemas_check(tmp_path: Path) -> None:
    package = tmp_path / "datapackage"
    shutil.copytree(SHIPPED, package)
    schemas = tmp_path / "schemas"
    schema.write_files(package, schemas)
    assert schema.stale_files(package, schemas) == []
    table = package / "data" / "relation_types.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("commanded by", "led"))
    assert schema.stale_files(package, schemas) == [table]


def _set_relation(package: Path, relation_id: str, **cells: str) -> None:
    path = package / "data" / "relations.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if row["id"] == relation_id:
            row.update(cells)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    regenerate(package)


@pytest.mark.parametrize("engine", ["rows", "columnar"])
def test_an_actor_of_a_kind_the_type_forbids_is_located_with_the_allowed_kinds(
    engine: str,
) -> None:
    """Delta (a person) as the target of a part_of, Alpha (a state) as its source."""
    with copied_valid() as package:
        _set_relation(
            package,
            "rel-delta-leads-gamma",
            source_id="act-alpha",
            target_id="act-delta",
            relation_type="part_of",
            position="",
        )
        found = [
            (p.line, p.field, p.message)
            for p in validate_package(package, engine=engine).problems
            if p.code == "bad-actor-kind"
        ]
    allowed_sources = ", ".join(
        k.value for k in ActorKind if k in models.relation_spec("part_of").source_kinds
    )
    assert found == [
        (4, "source_id", f"act-alpha is of kind state, but part_of starts at {allowed_sources}"),
        (4, "target_id", found[1][2]),
    ]
    assert found[1][2].startswith("act-delta is of kind person, but part_of ends at state, ")


def test_retracted_relations_are_checked_too() -> None:
    """A tombstone keeps its row; its ends are still actors of some kind, checked alike."""
    with copied_valid() as package:
        _set_relation(
            package,
            "rel-alpha-supports-gamma-weapons",
            source_id="act-delta",
            relation_type="sanctions",
            relation_mode="economic",
            status="retracted",
        )
        codes = {p.code for p in validate_package(package).problems}
    assert "bad-actor-kind" in codes


def test_diff_calls_the_new_table_and_column_a_minor_change(tmp_path: Path) -> None:
    """A release without relation_types and citations.fields, compared with this one."""
    old = tmp_path / "old"
    shutil.copytree(SHIPPED, old)
    (old / "data" / "relation_types.csv").unlink()
    citations = old / "data" / "citations.csv"
    with citations.open(encoding="utf-8", newline="") as f:
        rows = [row[:-1] for row in csv.reader(f)]
    with citations.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    descriptor = schema.build_descriptor(old)
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "relation_types"]
    citations_schema = next(r for r in descriptor["resources"] if r["name"] == "citations")
    citations_schema["schema"]["fields"].pop()
    (old / "datapackage.json").write_text(schema.dump_json(descriptor), encoding="utf-8")
    result = diff(old, SHIPPED)
    changes = {(c.table, c.field, c.change, c.bump) for c in result.schema}
    assert changes == {
        ("citations", "fields", "column-added", "minor"),
        ("relation_types", None, "table-added", "minor"),
    }
    assert result.bump == "minor"
