"""The data contract: one Pydantic model per table, every vocabulary as an Enum.

These models are the single source of truth. The Frictionless Table Schemas in
datapackage/datapackage.json, the files in schemas/ and the codebook are generated from them
(``iran-syria schemas``), and a test fails when any of them is stale.

Model fields equal the CSV headers, in order. Values arrive from CSV as text, so every
non-text field parses its text strictly: "1_000", "nan", "inf", "+5" and "yes" are not
numbers, "2020-02-30" is not a date, and an ISO code such as "NA" stays a string.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    model_validator,
)

from ._relation_types import (
    _K as _K,
    RELATION_MODES as RELATION_MODES,
    RELATION_TYPES as RELATION_TYPES,
    SYMMETRIC_RELATIONS as SYMMETRIC_RELATIONS,
    TIMELESS_RELATIONS as TIMELESS_RELATIONS,
    actor_kind_message as actor_kind_message,
    relation_label as relation_label,
    relation_spec as relation_spec,
)
from ._rules import (
    _DECIMAL as _DECIMAL,
    _FORBIDDEN_CHARS as _FORBIDDEN_CHARS,
    _INTEGER as _INTEGER,
    ID_PREFIXES as ID_PREFIXES,
    RULES_COLLECTOR as RULES_COLLECTOR,
    ActorId as ActorId,
    Count as Count,
    CountryCode as CountryCode,
    EventId as EventId,
    Flag as Flag,
    IsoDate as IsoDate,
    LanguageTag as LanguageTag,
    Latitude as Latitude,
    Longitude as Longitude,
    NameList as NameList,
    PartialDate as PartialDate,
    RecordId as RecordId,
    RelationId as RelationId,
    SourceId as SourceId,
    Text as Text,
    Url as Url,
    Violation as Violation,
    _check_end_on_grid as _check_end_on_grid,
    _check_start_on_grid as _check_start_on_grid,
    _check_text as _check_text,
    _checks as _checks,
    _fail as _fail,
    _parse_date as _parse_date,
    _parse_partial_date as _parse_partial_date,
    _raise_or_collect as _raise_or_collect,
    partial_date_bounds as partial_date_bounds,
    period_end as period_end,
    period_start as period_start,
    text_problem as text_problem,
)

# The vocabularies, the relation types and the field rules live in rooms of their own; they are
# re-exported here, so `from iran_syria.models import X` keeps working for every X.
from ._vocabularies import (
    EVENT_MODES as EVENT_MODES,
    VOCABULARIES as VOCABULARIES,
    ActorKind as ActorKind,
    AliasKind as AliasKind,
    Attribution as Attribution,
    Confidence as Confidence,
    DatePrecision as DatePrecision,
    EventMode as EventMode,
    EventType as EventType,
    GeoPrecision as GeoPrecision,
    IdScheme as IdScheme,
    RelationMode as RelationMode,
    RelationType as RelationType,
    Role as Role,
    SourceType as SourceType,
    Status as Status,
    Vocabulary as Vocabulary,
)

# ---------------------------------------------------------------------------------------------
# Tables


@dataclass(frozen=True)
class ForeignKey:
    """A single-table reference, expressible as a Table Schema foreignKey."""

    field: str
    table: str  # the referenced table; the same table for merged_into
    ref_field: str = "id"


class Record(BaseModel):
    """Base of every table model: fields equal the CSV header, unknown columns are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)

    table_name: ClassVar[str]
    table_title: ClassVar[str]
    table_description: ClassVar[str]
    primary_key: ClassVar[tuple[str, ...]]
    foreign_keys: ClassVar[tuple[ForeignKey, ...]] = ()
    #: Keys that must be unique besides the primary key.
    unique_keys: ClassVar[tuple[tuple[str, ...], ...]] = ()

    def to_row(self) -> dict[str, str]:
        """This record as CSV cells: text, with empty strings for nulls."""
        row: dict[str, str] = {}
        for name, value in self.model_dump(mode="json").items():
            if value is None:
                row[name] = ""
            elif isinstance(value, float):
                # Plain decimal notation: the CSV grammar has no exponents ("1e-05").
                row[name] = format(Decimal(repr(value)), "f")
            else:
                row[name] = str(value)
        return row


class _Tracked(Record):
    """Tables whose records have ids, a status, and may be merged into another record."""

    def _check_status(self) -> None:
        status: Status = getattr(self, "status")  # noqa: B009 - declared by each subclass, in CSV order
        merged_into = getattr(self, "merged_into", None)
        if status is Status.MERGED and not merged_into:
            raise _fail("bad-status", "merged_into", "status is merged but merged_into is empty")
        if status is not Status.MERGED and merged_into:
            raise _fail(
                "bad-status", "merged_into", f"merged_into is set but status is {status.value}"
            )
        if merged_into and merged_into == getattr(self, "id", None):
            raise _fail("bad-merge", "merged_into", "a record cannot be merged into itself")


class Source(Record):
    table_name = "sources"
    table_title = "Sources"
    table_description = "Publications cited as evidence: articles, reports, books, datasets."
    primary_key = ("id",)

    id: SourceId = Field(description="Source id: src- plus a kebab-case slug.")
    title: Text | None = Field(None, description="Title as published; empty when not known.")
    publisher: Text = Field(description="Publisher, outlet or issuing body.")
    authors: Text | None = Field(None, description="Authors, separated by '; ', as credited.")
    url: Url | None = Field(
        None, description="Where the source is published; empty when no URL is known."
    )
    archive_url: Url | None = Field(None, description="An archived copy.")
    published_date: IsoDate | None = Field(
        None, description="First day of the period of publication at date_precision."
    )
    date_precision: DatePrecision | None = Field(None, description="Precision of published_date.")
    accessed_date: IsoDate | None = Field(None, description="When the curators read it.")
    language: LanguageTag = Field(description="BCP 47 language tag of the source, e.g. en, fa, ar.")
    source_type: SourceType = Field(description="Kind of source.")

    @model_validator(mode="after")
    def _rules(self, info: ValidationInfo) -> Self:
        _raise_or_collect(_checks(self._check_published_date), info)
        return self

    def _check_published_date(self) -> None:
        if (self.published_date is None) != (self.date_precision is None):
            raise _fail(
                "bad-precision", "date_precision", "published_date and date_precision go together"
            )
        if self.published_date is not None and self.date_precision is not None:
            _check_start_on_grid("published_date", self.published_date, self.date_precision)


class Actor(_Tracked):
    table_name = "actors"
    table_title = "Actors"
    table_description = (
        "States, persons, bodies, forces, groups and communities that act or are acted upon."
    )
    primary_key = ("id",)
    foreign_keys = (ForeignKey("merged_into", "actors"),)

    id: ActorId = Field(description="Actor id: act- plus a kebab-case slug.")
    name: Text = Field(description="The name most used in English-language research.")
    kind: ActorKind = Field(description="What sort of actor this is.")
    country: CountryCode | None = Field(
        None, description="ISO 3166-1 alpha-3 code of the actor's home state (a state's own code)."
    )
    description: Text = Field(description="Who or what the actor is, in the curators' own words.")
    start_date: PartialDate | None = Field(
        None,
        description="Founding or birth: ISO date at the precision known (YYYY, YYYY-MM or YYYY-MM-DD).",
    )
    end_date: PartialDate | None = Field(
        None,
        description="Dissolution or death, at the precision known; empty if still existing or unknown.",
    )
    status: Status = Field(description="active | retracted | merged.")
    merged_into: ActorId | None = Field(
        None, description="The surviving actor when status is merged."
    )

    @model_validator(mode="after")
    def _rules(self, info: ValidationInfo) -> Self:
        _raise_or_collect(_checks(self._check_status, self._check_lifespan), info)
        return self

    def _check_lifespan(self) -> None:
        if (
            self.start_date
            and self.end_date
            and partial_date_bounds(self.start_date)[0] > partial_date_bounds(self.end_date)[1]
        ):
            raise _fail(
                "bad-date-order",
                "end_date",
                f"end_date {self.end_date} is before start_date {self.start_date}",
            )


class ActorAlias(Record):
    table_name = "actor_aliases"
    table_title = "Actor aliases"
    table_description = "Other names and spellings of actors, for search and record linkage."
    primary_key = ("actor_id", "alias")
    foreign_keys = (ForeignKey("actor_id", "actors"),)

    actor_id: ActorId = Field(description="The actor this name belongs to.")
    alias: Text = Field(description="Another name or spelling of the actor.")
    language: LanguageTag | None = Field(
        None, description="BCP 47 tag of the alias's language or script."
    )
    kind: AliasKind = Field(description="What sort of name this is.")


class ExternalId(Record):
    table_name = "external_ids"
    table_title = "External identifiers"
    table_description = "Identifiers of records in other datasets and registries (Wikidata, COW, Gleditsch–Ward, ...)."
    primary_key = ("record_id", "scheme", "value")
    # One identifier names one record: two actors sharing a QID are a duplicate to merge.
    unique_keys = (("scheme", "value"),)

    record_id: RecordId = Field(
        description="The record identified: an id of actors, events, relations or sources."
    )
    scheme: IdScheme = Field(description="The identifier scheme.")
    value: Text = Field(description="The identifier in that scheme.")
    valid_from: IsoDate | None = Field(
        None, description="First day the identifier applies, if it is time-bound."
    )
    valid_to: IsoDate | None = Field(
        None, description="Last day the identifier applies, if it is time-bound."
    )

    _SCHEME_PATTERNS: ClassVar[dict[IdScheme, re.Pattern[str]]] = {
        IdScheme.WIKIDATA: re.compile(r"^Q[1-9][0-9]*$"),
        IdScheme.COW: re.compile(r"^[1-9][0-9]{0,3}$"),
        IdScheme.GW: re.compile(r"^[1-9][0-9]{0,3}$"),
        IdScheme.ISO3: re.compile(r"^[A-Z]{3}$"),
        IdScheme.GEONAMES: re.compile(r"^[1-9][0-9]*$"),
        IdScheme.UCDP_ACTOR: re.compile(r"^[1-9][0-9]*$"),
    }

    @model_validator(mode="after")
    def _rules(self, info: ValidationInfo) -> Self:
        _raise_or_collect(_checks(self._check_value, self._check_validity), info)
        return self

    def _check_value(self) -> None:
        pattern = self._SCHEME_PATTERNS.get(self.scheme)
        if pattern is not None and not pattern.fullmatch(self.value):
            raise _fail(
                "bad-pattern",
                "value",
                f"{self.value!r} is not a {self.scheme.value} identifier ({pattern.pattern})",
            )

    def _check_validity(self) -> None:
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise _fail("bad-date-order", "valid_to", "valid_to is before valid_from")


class Event(_Tracked):
    table_name = "events"
    table_title = "Events"
    table_description = (
        "Dated happenings coded with PLOVER categories, place, precision and sourcing."
    )
    primary_key = ("id",)
    foreign_keys = (ForeignKey("merged_into", "events"),)

    id: EventId = Field(
        description="Event id: evt- plus a kebab-case slug, by convention starting with the date."
    )
    title: Text = Field(description="A short neutral headline.")
    description: Text = Field(description="What happened, in the curators' own words.")
    event_type: EventType = Field(description="PLOVER event category.")
    event_mode: EventMode | None = Field(
        None, description="PLOVER-style mode; must belong to event_type."
    )
    date_start: IsoDate = Field(description="Earliest possible day of the event's span.")
    date_end: IsoDate = Field(
        description="Latest possible day of the event's span; equals date_start for one known day."
    )
    date_precision: DatePrecision = Field(
        description="How precisely the bounds are known; they sit on its grid."
    )
    location_name: Text | None = Field(None, description="Place name.")
    location_country: CountryCode | None = Field(
        None, description="ISO 3166-1 alpha-3 code of the place."
    )
    latitude: Latitude | None = Field(
        None, description="WGS84 latitude; empty only when geo_precision is unknown."
    )
    longitude: Longitude | None = Field(
        None, description="WGS84 longitude; empty only when geo_precision is unknown."
    )
    geo_precision: GeoPrecision = Field(description="What the coordinates stand for.")
    fatalities_low: Count | None = Field(None, description="Lowest reported death toll.")
    fatalities_best: Count | None = Field(None, description="Best estimate of the death toll.")
    fatalities_high: Count | None = Field(None, description="Highest reported death toll.")
    confidence: Confidence = Field(description="The curators' judgement of the record.")
    attribution: Attribution = Field(description="How the sources present the event.")
    status: Status = Field(description="active | retracted | merged.")
    merged_into: EventId | None = Field(
        None, description="The surviving event when status is merged."
    )

    @model_validator(mode="after")
    def _rules(self, info: ValidationInfo) -> Self:
        _raise_or_collect(
            _checks(
                self._check_status,
                self._check_date_order,
                lambda: _check_start_on_grid("date_start", self.date_start, self.date_precision),
                lambda: _check_end_on_grid("date_end", self.date_end, self.date_precision),
                self._check_mode,
                self._check_coordinates,
                self._check_fatalities,
            ),
            info,
        )
        return self

    def _check_date_order(self) -> None:
        if self.date_end < self.date_start:
            raise _fail(
                "bad-date-order",
                "date_end",
                f"date_end {self.date_end.isoformat()} is before date_start {self.date_start.isoformat()}",
            )

    def _check_mode(self) -> None:
        if self.event_mode is not None and self.event_mode not in EVENT_MODES[self.event_type]:
            allowed = ", ".join(sorted(EVENT_MODES[self.event_type]))
            raise _fail(
                "bad-mode",
                "event_mode",
                f"{self.event_mode.value!r} is not a mode of {self.event_type.value} ({allowed})",
            )

    def _check_coordinates(self) -> None:
        has_point = (self.latitude is not None, self.longitude is not None)
        if has_point[0] != has_point[1]:
            raise _fail("bad-coordinates", "longitude", "latitude and longitude go together")
        if self.geo_precision is GeoPrecision.UNKNOWN and has_point[0]:
            raise _fail(
                "bad-coordinates", "latitude", "coordinates given but geo_precision is unknown"
            )
        if self.geo_precision is not GeoPrecision.UNKNOWN and not has_point[0]:
            raise _fail(
                "bad-coordinates",
                "latitude",
                f"geo_precision is {self.geo_precision.value} but coordinates are empty",
            )

    def _check_fatalities(self) -> None:
        counts = [
            (name, value)
            for name, value in (
                ("fatalities_low", self.fatalities_low),
                ("fatalities_best", self.fatalities_best),
                ("fatalities_high", self.fatalities_high),
            )
            if value is not None
        ]
        for (low_name, low), (high_name, high) in itertools.pairwise(counts):
            if low > high:
                raise _fail(
                    "bad-fatalities-order",
                    high_name,
                    f"{high_name} {high} is below {low_name} {low}",
                )


class EventActor(Record):
    table_name = "event_actors"
    table_title = "Event actors"
    table_description = "Which actors took part in each event, and in what role."
    primary_key = ("event_id", "actor_id", "role")
    foreign_keys = (ForeignKey("event_id", "events"), ForeignKey("actor_id", "actors"))

    event_id: EventId = Field(description="The event.")
    actor_id: ActorId = Field(description="An actor in the event.")
    role: Role = Field(description="The actor's part in the event.")


class Relation(_Tracked):
    table_name = "relations"
    table_title = "Relations"
    table_description = "Directed, time-bounded edges between actors: alliance, support, command, leadership, sanctions, ..."
    primary_key = ("id",)
    foreign_keys = (
        ForeignKey("source_id", "actors"),
        ForeignKey("target_id", "actors"),
        ForeignKey("merged_into", "relations"),
    )

    id: RelationId = Field(description="Relation id: rel- plus a kebab-case slug.")
    source_id: ActorId = Field(description="The actor the edge starts from.")
    target_id: ActorId = Field(description="The actor the edge points to.")
    relation_type: RelationType = Field(description="What the edge means.")
    relation_mode: RelationMode | None = Field(
        None,
        description="Required for supports, sanctions, trades_with and recognizes; one row per mode.",
    )
    position: Text | None = Field(None, description="The office held; only and always for leads.")
    date_start: IsoDate = Field(
        description="First day of the period (at start_precision) in which the relation began."
    )
    start_precision: DatePrecision = Field(description="Precision of date_start.")
    date_end: IsoDate | None = Field(
        None,
        description="Last day of the period (at end_precision) in which it ended; empty means ongoing at coverage_end.",
    )
    end_precision: DatePrecision | None = Field(
        None, description="Precision of date_end; set exactly when date_end is."
    )
    confidence: Confidence = Field(description="The curators' judgement of the record.")
    attribution: Attribution = Field(description="How the sources present the relation.")
    description: Text = Field(description="The relation in the curators' own words.")
    status: Status = Field(description="active | retracted | merged.")
    merged_into: RelationId | None = Field(
        None, description="The surviving relation when status is merged."
    )

    @model_validator(mode="after")
    def _rules(self, info: ValidationInfo) -> Self:
        _raise_or_collect(
            _checks(
                self._check_status,
                self._check_ends,
                self._check_mode,
                self._check_position,
                lambda: _check_start_on_grid("date_start", self.date_start, self.start_precision),
                self._check_end,
            ),
            info,
        )
        return self

    def _check_ends(self) -> None:
        if self.source_id == self.target_id:
            raise _fail("self-reference", "target_id", "source_id and target_id are the same actor")
        if self.relation_type in SYMMETRIC_RELATIONS and self.source_id > self.target_id:
            raise _fail(
                "bad-symmetric-order",
                "source_id",
                f"{self.relation_type.value} is symmetric: store it once with source_id < target_id "
                f"(swap {self.source_id} and {self.target_id})",
            )

    def _check_mode(self) -> None:
        modes = RELATION_MODES.get(self.relation_type)
        if modes is None and self.relation_mode is not None:
            raise _fail("bad-mode", "relation_mode", f"{self.relation_type.value} takes no mode")
        if modes is not None and self.relation_mode is None:
            raise _fail(
                "bad-mode",
                "relation_mode",
                f"{self.relation_type.value} needs a mode ({', '.join(sorted(modes))})",
            )
        if modes is not None and self.relation_mode not in modes:
            raise _fail(
                "bad-mode",
                "relation_mode",
                f"{self.relation_mode!s} is not a mode of {self.relation_type.value} ({', '.join(sorted(modes))})",
            )

    def _check_position(self) -> None:
        if (self.relation_type is RelationType.LEADS) != (self.position is not None):
            detail = (
                "leads needs a position" if self.position is None else "only leads takes a position"
            )
            raise _fail("bad-position", "position", detail)

    def _check_end(self) -> None:
        if (self.date_end is None) != (self.end_precision is None):
            raise _fail("bad-precision", "end_precision", "date_end and end_precision go together")
        if self.date_end is not None and self.end_precision is not None:
            if self.date_end < self.date_start:
                raise _fail(
                    "bad-date-order",
                    "date_end",
                    f"date_end {self.date_end.isoformat()} is before date_start {self.date_start.isoformat()}",
                )
            _check_end_on_grid("date_end", self.date_end, self.end_precision)


class Citation(Record):
    table_name = "citations"
    table_title = "Citations"
    table_description = "Which source supports which record, and where in the source."
    primary_key = ("record_id", "source_id", "locator")
    foreign_keys = (ForeignKey("source_id", "sources"),)

    record_id: RecordId = Field(
        description="The cited record: an id of actors, events, relations or sources."
    )
    source_id: SourceId = Field(description="The source that is the evidence.")
    locator: Text = Field(
        description=(
            "Where in the source: 'para 20' (the 20th block of text counted from the top of "
            "the text as read: each paragraph or line the page shows counts, headline, "
            "dateline and captions included, so a reader can count to it), 'body para 3' (the "
            "3rd paragraph of the article body, headline, standfirst, byline and captions not "
            "counted), 'p. 112', a section, a timestamp, or 'whole' when nothing finer applies."
        )
    )
    note: Text | None = Field(
        None, description="What the source supports, when not the whole record."
    )
    fields: NameList | None = Field(
        None,
        description=(
            "The fields of the cited record this citation supports, space-separated (e.g. "
            "'fatalities_low date_start'); empty when it supports the record as a whole."
        ),
    )

    @model_validator(mode="after")
    def _rules(self, info: ValidationInfo) -> Self:
        _raise_or_collect(_checks(self._check_fields), info)
        return self

    def _check_fields(self) -> None:
        detail = cited_field_problem(self.record_id, self.fields)
        if detail:
            raise _fail("unknown-cited-field", "fields", detail)


def citable_fields(record_id: str) -> tuple[str, ...]:
    """The fields a citation of this record may name: its table's columns, less the
    bookkeeping ones (id, status, merged_into). Empty for an id of no table."""
    table = ID_PREFIXES.get(record_id.split("-", 1)[0])
    if table is None:
        return ()
    return tuple(name for name in TABLES[table].model_fields if name not in _BOOKKEEPING)


_BOOKKEEPING = frozenset({"id", "status", "merged_into"})


def cited_field_problem(record_id: str, fields: str | None) -> str | None:
    """Why a citation's `fields` does not fit its record's table, or None when it does."""
    if not fields:
        return None
    valid = citable_fields(record_id)
    if not valid:
        return None  # the record_id itself is reported (bad-pattern)
    names = fields.split(" ")
    unknown = [name for name in names if name not in valid]
    table = ID_PREFIXES[record_id.split("-", 1)[0]]
    if unknown:
        shown = ", ".join(repr(name) for name in unknown)
        return f"{shown} {'is not a field' if len(unknown) == 1 else 'are not fields'} of {table} (fields: {' '.join(valid)})"
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        return f"{', '.join(repr(name) for name in repeated)} named twice"
    return None


class RelationTypeRow(Record):
    """One row of the generated relation_types table: RELATION_TYPES as data."""

    table_name = "relation_types"
    table_title = "Relation types"
    table_description = (
        "The vocabulary of relation types and modes as data, generated from the models: how to "
        "read each, the actor kinds allowed at each end, and the UCDP ESD support category."
    )
    primary_key = ("relation_type", "relation_mode")

    relation_type: RelationType = Field(description="The relation type.")
    relation_mode: RelationMode | None = Field(
        None, description="The mode; empty for a type that takes no mode."
    )
    directed: Flag = Field(
        description="false for a symmetric type (stored once, either way round)."
    )
    label: Text = Field(description="How to read the relation from source to target.")
    inverse_label: Text = Field(description="How to read it from target to source.")
    source_kinds: NameList = Field(
        description="The actor kinds allowed at source_id, space-separated."
    )
    target_kinds: NameList = Field(
        description="The actor kinds allowed at target_id, space-separated."
    )
    esd_category: Text | None = Field(
        None,
        description="The nearest support category of the UCDP External Support Dataset; empty where it has none.",
    )

    @model_validator(mode="after")
    def _rules(self, info: ValidationInfo) -> Self:
        _raise_or_collect(_checks(self._check_kinds, self._check_mode), info)
        return self

    def _check_kinds(self) -> None:
        known = {kind.value for kind in ActorKind}
        for field in ("source_kinds", "target_kinds"):
            unknown = [word for word in getattr(self, field).split(" ") if word not in known]
            if unknown:
                raise _fail(
                    "bad-vocabulary",
                    field,
                    f"{', '.join(map(repr, unknown))} not in ActorKind ({', '.join(sorted(known))})",
                )

    def _check_mode(self) -> None:
        if (self.relation_type, self.relation_mode) not in RELATION_TYPES:
            raise _fail(
                "bad-mode",
                "relation_mode",
                f"{self.relation_type.value} with mode {self.relation_mode or '(none)'} is not in the contract",
            )


def relation_type_rows() -> list[RelationTypeRow]:
    """RELATION_TYPES as the rows of the relation_types table, in the models' order."""
    return [
        RelationTypeRow(
            relation_type=relation_type,
            relation_mode=mode,
            directed=relation_type not in SYMMETRIC_RELATIONS,
            label=spec.label,
            inverse_label=spec.inverse_label,
            source_kinds=" ".join(kind.value for kind in ActorKind if kind in spec.source_kinds),
            target_kinds=" ".join(kind.value for kind in ActorKind if kind in spec.target_kinds),
            esd_category=spec.esd_category,
        )
        for (relation_type, mode), spec in RELATION_TYPES.items()
    ]


#: The contract's tables, in the order a package lists them (referenced tables first).
TABLES: dict[str, type[Record]] = {
    model.table_name: model
    for model in (
        Source,
        Actor,
        ActorAlias,
        ExternalId,
        Event,
        EventActor,
        Relation,
        Citation,
        RelationTypeRow,
    )
}
