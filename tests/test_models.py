"""The models: strict parsing of CSV text, vocabularies, and model -> CSV row -> model."""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st
from pydantic import ValidationError

from iran_syria import models
from iran_syria._read import parse_csv
from iran_syria.models import (
    EVENT_MODES,
    RELATION_MODES,
    TABLES,
    DatePrecision,
    Event,
    EventType,
    GeoPrecision,
    Record,
    Relation,
    RelationType,
    period_end,
    period_start,
)
from iran_syria.schema import field_specs

EVENT = {
    "id": "evt-2020-01-03-x",
    "title": "A title",
    "description": "A description.",
    "event_type": "ASSAULT",
    "event_mode": "aerial",
    "date_start": "2020-01-03",
    "date_end": "2020-01-03",
    "date_precision": "day",
    "geo_precision": "unknown",
    "confidence": "high",
    "attribution": "reported",
    "status": "active",
}


def _error_types(**changes: Any) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        Event.model_validate({**EVENT, **changes})
    return [error["type"] for error in caught.value.errors()]


@pytest.mark.parametrize(
    "text", ["1_000", "nan", "inf", "-1", "+5", " 5", "5.0", "1e3", "yes", "0x10"]
)
def test_counts_are_digits_only(text: str) -> None:
    assert _error_types(fatalities_best=text) in (["bad_type"], ["greater_than_equal"])


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "1e3", "33,5", " 33.5", "yes", "1_0.5"])
def test_coordinates_are_plain_decimals(text: str) -> None:
    assert _error_types(latitude=text, longitude="1.0", geo_precision="exact") == ["bad_type"]


@pytest.mark.parametrize(
    "text", ["2020-02-30", "2020-13-01", "2020-1-3", "20200103", "2020-01-03T00:00", " 2020-01-03"]
)
def test_dates_are_real_iso_dates(text: str) -> None:
    assert _error_types(date_start=text) == ["bad_date"]


@pytest.mark.parametrize(
    "text",
    [
        " padded",
        "padded ",
        "tab\there",
        "new\nline",
        "bidi\u202eoverride",
        "zero\u200bwidth",
        "e\u0301",
    ],
)
def test_text_rules(text: str) -> None:
    assert _error_types(title=text) == ["bad_text"]


def test_persian_joiners_are_allowed() -> None:
    title = "\u0633\u067e\u0627\u0647\u200c\u067e\u0627\u0633\u062f\u0627\u0631\u0627\u0646"  # Sepah-e Pasdaran
    assert Event.model_validate({**EVENT, "title": title}).title == title


def test_unknown_columns_are_errors() -> None:
    assert _error_types(comment="x") == ["extra_forbidden"]


def test_iso_code_na_stays_a_string() -> None:
    actor = models.Actor.model_validate(
        {
            "id": "act-x",
            "name": "NA",
            "kind": "state",
            "country": "NAM",
            "description": "NA",
            "status": "active",
        }
    )
    assert actor.name == "NA"
    assert (
        models.ActorAlias.model_validate(
            {"actor_id": "act-x", "alias": "NA", "kind": "acronym"}
        ).alias
        == "NA"
    )


def test_a_direct_caller_gets_the_first_broken_rule_as_an_error() -> None:
    assert _error_types(date_end="2020-01-02") == ["bad_date_order"]


@pytest.mark.parametrize("vocabulary", models.VOCABULARIES)
def test_every_vocabulary_word_has_a_definition(vocabulary: type[models.Vocabulary]) -> None:
    for word in vocabulary:
        assert word.definition and word.definition.endswith("."), word


def test_plover_categories_are_the_sixteen() -> None:
    assert [t.value for t in EventType] == [
        "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
        "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
    ]  # fmt: skip
    assert set(EVENT_MODES) == set(EventType)


def test_contract_columns_are_the_model_fields() -> None:
    """The DATA-MODEL.md columns, in order; models may add columns at the end only."""
    contract = {
        "actors": "id, name, kind, country, description, start_date, end_date, status, merged_into",
        "actor_aliases": "actor_id, alias, language, kind",
        "external_ids": "record_id, scheme, value, valid_from, valid_to",
        "events": "id, title, description, event_type, event_mode, date_start, date_end, date_precision, "
        "location_name, location_country, latitude, longitude, geo_precision, fatalities_low, "
        "fatalities_best, fatalities_high, confidence, attribution, status, merged_into",
        "event_actors": "event_id, actor_id, role",
        "relations": "id, source_id, target_id, relation_type, relation_mode, position, date_start, "
        "start_precision, date_end, end_precision, confidence, attribution, description, status, merged_into",
        "sources": "id, title, publisher, authors, url, archive_url, published_date, date_precision, "
        "accessed_date, language, source_type",
        "citations": "record_id, source_id, locator, note",
    }
    for table, columns in contract.items():
        assert list(TABLES[table].model_fields)[: len(columns.split(", "))] == columns.split(", ")


@pytest.mark.parametrize("precision", list(DatePrecision))
@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_period_bounds_contain_the_day(precision: DatePrecision, day: date) -> None:
    start, end = period_start(day, precision), period_end(day, precision)
    assert start <= day <= end
    assert period_start(start, precision) == start and period_end(end, precision) == end


# ---------------------------------------------------------------------------------------------
# Hypothesis: model -> CSV row -> model

_text = (
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cf", "Zl", "Zp")),
        min_size=1,
        max_size=40,
    )
    .map(lambda s: unicodedata.normalize("NFC", s).strip())
    .filter(lambda s: s != "" and models.text_problem(s) is None)
)
_slug = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


def _value(spec: Any) -> st.SearchStrategy[Any]:
    if spec.vocabulary is not None:
        return st.sampled_from(list(spec.vocabulary))
    if spec.datatype == "date":
        return _dates
    if spec.datatype == "integer":
        return st.integers(min_value=0, max_value=10**9)
    if spec.datatype == "boolean":
        return st.booleans()
    if spec.datatype == "number":
        return st.floats(
            min_value=spec.minimum, max_value=spec.maximum, allow_nan=False, allow_infinity=False
        )
    if spec.name in ("url", "archive_url"):
        return _slug.map(lambda s: f"https://example.org/{s}")
    if spec.name == "language":
        return st.sampled_from(["en", "fa", "ar", "fa-Latn"])
    if spec.name in ("country", "location_country"):
        return st.from_regex(r"[A-Z]{3}", fullmatch=True)
    if spec.name in ("start_date", "end_date"):
        return _dates.flatmap(
            lambda d: st.sampled_from([str(d.year), d.isoformat()[:7], d.isoformat()])
        )
    if spec.pattern is not None:
        prefix = spec.pattern.split("-")[0].lstrip("^").strip("()").split("|")[0]
        return _slug.map(lambda s: f"{prefix}-{s}")
    return _text


@st.composite
def _records(draw: st.DrawFn, model: type[Record]) -> Record:
    values: dict[str, Any] = {}
    for spec in field_specs(model):
        strategy = _value(spec)
        values[spec.name] = draw(strategy if spec.required else st.none() | strategy)
    if "merged_into" in values:
        values["merged_into"] = None
    if "status" in values and values["status"] is models.Status.MERGED:
        values["status"] = models.Status.ACTIVE
    if model is Event:
        _make_event_consistent(draw, values)
    elif model is Relation:
        _make_relation_consistent(draw, values)
    elif model is models.Source and values["published_date"] is not None:
        values["date_precision"] = values["date_precision"] or DatePrecision.DAY
        values["published_date"] = period_start(values["published_date"], values["date_precision"])
    elif model is models.Source:
        values["date_precision"] = None
    elif model is models.Actor and values["start_date"] and values["end_date"]:
        if (
            models.partial_date_bounds(values["start_date"])[0]
            > models.partial_date_bounds(values["end_date"])[1]
        ):
            values["start_date"], values["end_date"] = values["end_date"], values["start_date"]
    elif model is models.Citation and values["fields"] is not None:
        names = st.sampled_from(models.citable_fields(values["record_id"]))
        values["fields"] = " ".join(draw(st.lists(names, min_size=1, max_size=3, unique=True)))
    elif model is models.RelationTypeRow:
        # the generated table's rows are the only ones its rules accept
        return draw(st.sampled_from(models.relation_type_rows()))
    elif model is models.ExternalId:
        values["scheme"] = models.IdScheme.ACLED_ACTOR  # free text; the others have patterns
        if values["valid_from"] and values["valid_to"]:
            values["valid_from"], values["valid_to"] = sorted(
                [values["valid_from"], values["valid_to"]]
            )
    return model.model_validate(values)


def _make_event_consistent(draw: st.DrawFn, values: dict[str, Any]) -> None:
    first, second = sorted([values["date_start"], values["date_end"]])
    precision = values["date_precision"]
    values["date_start"], values["date_end"] = (
        period_start(first, precision),
        period_end(second, precision),
    )
    values["event_mode"] = draw(
        st.none() | st.sampled_from(sorted(EVENT_MODES[values["event_type"]]))
    )
    if values["latitude"] is None or values["longitude"] is None:
        values["latitude"] = values["longitude"] = None
        values["geo_precision"] = GeoPrecision.UNKNOWN
    elif values["geo_precision"] is GeoPrecision.UNKNOWN:
        values["geo_precision"] = GeoPrecision.EXACT
    counts = sorted(
        v
        for v in (values["fatalities_low"], values["fatalities_best"], values["fatalities_high"])
        if v is not None
    )
    names = [
        n for n in ("fatalities_low", "fatalities_best", "fatalities_high") if values[n] is not None
    ]
    values.update(zip(names, counts, strict=True))


def _make_relation_consistent(draw: st.DrawFn, values: dict[str, Any]) -> None:
    kind = values["relation_type"]
    modes = RELATION_MODES.get(kind)
    values["relation_mode"] = draw(st.sampled_from(sorted(modes))) if modes else None
    values["position"] = draw(_text) if kind is RelationType.LEADS else None
    if values["source_id"] == values["target_id"]:
        values["target_id"] = values["target_id"] + "-2"
    if kind in models.SYMMETRIC_RELATIONS:
        values["source_id"], values["target_id"] = sorted(
            [values["source_id"], values["target_id"]]
        )
    values["date_start"] = period_start(values["date_start"], values["start_precision"])
    if values["date_end"] is None:
        values["end_precision"] = None
    else:
        values["end_precision"] = values["end_precision"] or DatePrecision.DAY
        values["date_end"] = period_end(
            max(values["date_end"], values["date_start"]), values["end_precision"]
        )


def _through_csv(record: Record) -> Record:
    model = type(record)
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(model.model_fields), lineterminator="\n")
    writer.writeheader()
    writer.writerow(record.to_row())
    parsed = parse_csv(model.table_name, "mem.csv", buffer.getvalue().encode("utf-8"))
    assert parsed.problems == [] and parsed.header is not None
    (row,) = parsed.records
    return model.model_validate(
        {k: (v or None) for k, v in zip(parsed.header, row.cells, strict=True)}
    )


@pytest.mark.parametrize("model", list(TABLES.values()), ids=list(TABLES))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_record_round_trips_through_a_csv_row(model: type[Record], data: st.DataObject) -> None:
    record = data.draw(_records(model))
    assert _through_csv(record) == record
