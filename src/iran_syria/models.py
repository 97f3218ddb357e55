"""The data contract: one Pydantic model per table, every vocabulary as an Enum.

These models are the single source of truth. The Frictionless Table Schemas in
datapackage/datapackage.json, the files in schemas/ and the codebook are generated from them
(``iran-syria schemas``), and a test fails when any of them is stale.

Model fields equal the CSV headers, in order. Values arrive from CSV as text, so every
non-text field parses its text strictly: "1_000", "nan", "inf", "+5" and "yes" are not
numbers, "2020-02-30" is not a date, and an ISO code such as "NA" stays a string.
"""

from __future__ import annotations

import calendar
import itertools
import re
import unicodedata
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

# ---------------------------------------------------------------------------------------------
# Vocabularies


class Vocabulary(StrEnum):
    """A controlled vocabulary: each member is a word with a one-line definition."""

    definition: str

    def __new__(cls, value: str, definition: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.definition = definition
        return member


class Status(Vocabulary):
    ACTIVE = "active", "A current record."
    RETRACTED = "retracted", "Withdrawn; the row stays so its id is never reused."
    MERGED = "merged", "A duplicate folded into the record named in merged_into."


class ActorKind(Vocabulary):
    STATE = "state", "A sovereign state, as a whole."
    PERSON = "person", "An individual human being."
    GOVERNMENT_BODY = "government_body", "A ministry, council, agency, court or administration."
    ARMED_FORCE = "armed_force", "A state's military service, branch, unit or security force."
    ARMED_GROUP = "armed_group", "A non-state armed organisation, militia or rebel group."
    POLITICAL_PARTY = "political_party", "A political party or movement organised as one."
    COMPANY = "company", "A business, including state-owned enterprises."
    INTERNATIONAL_ORGANIZATION = (
        "international_organization",
        "An organisation whose members are states.",
    )
    COALITION = "coalition", "A named alignment of several actors."
    POPULATION_GROUP = "population_group", "People defined by origin, residence or migration."
    RELIGIOUS_GROUP = "religious_group", "People or a community defined by religion or sect."


class AliasKind(Vocabulary):
    ACRONYM = "acronym", "An abbreviation, e.g. IRGC."
    TRANSLITERATION = "transliteration", "Another romanisation or the name in its own script."
    FORMER_NAME = "former_name", "A name the actor used before."
    OTHER_NAME = "other_name", "Any other name in use, incl. self-designations and nicknames."


class IdScheme(Vocabulary):
    WIKIDATA = "wikidata", "Wikidata item, Q followed by digits."
    COW = "cow", "Correlates of War state number."
    GW = "gw", "Gleditsch–Ward state number."
    ISO3 = "iso3", "ISO 3166-1 alpha-3 country code."
    GEONAMES = "geonames", "GeoNames feature id."
    UCDP_ACTOR = "ucdp_actor", "UCDP actor id."
    ACLED_ACTOR = "acled_actor", "ACLED actor name as ACLED spells it."


class EventType(Vocabulary):
    """The 16 PLOVER event categories."""

    AGREE = "AGREE", "Agree to, or sign, an agreement, ceasefire or settlement."
    CONSULT = "CONSULT", "Meet, visit, call or negotiate."
    SUPPORT = "SUPPORT", "Express political or diplomatic support or praise."
    CONCEDE = "CONCEDE", "Yield: ease sanctions, change policy, give up territory, release."
    COOPERATE = "COOPERATE", "Cooperate in military, economic, intelligence or diplomatic affairs."
    AID = "AID", "Give material aid: military, economic, humanitarian or advisory."
    RETREAT = "RETREAT", "Withdraw, surrender or flee."
    REQUEST = "REQUEST", "Ask for aid, a policy, a meeting or an intervention."
    ACCUSE = "ACCUSE", "Accuse of aggression, crimes, terrorism or abuses."
    REJECT = "REJECT", "Reject a demand, proposal or agreement, or deny an accusation."
    THREATEN = "THREATEN", "Threaten force, sanctions or retaliation."
    PROTEST = "PROTEST", "Demonstrate, riot, strike, boycott or protest diplomatically."
    SANCTION = "SANCTION", "Designate, sanction, embargo, or withdraw from an agreement."
    MOBILIZE = "MOBILIZE", "Deploy or raise troops, militias, advisors or weapons."
    COERCE = "COERCE", "Arrest, seize, expel, blockade or censor."
    ASSAULT = "ASSAULT", "Use armed force: strikes, assassinations, ground combat, sieges."


class EventMode(Vocabulary):
    """Mode words; which belong to which category is EVENT_MODES."""

    TREATY = "treaty", "A formal agreement between states or organisations."
    CONTRACT = "contract", "A commercial agreement."
    CEASEFIRE = "ceasefire", "A ceasefire or truce."
    POLICY = "policy", "A policy or decision (agreed, conceded or requested)."
    VISIT = "visit", "An in-person visit."
    MEETING = "meeting", "A meeting."
    PHONE = "phone", "A call or remote exchange."
    MULTILATERAL = "multilateral", "A meeting of several parties."
    NEGOTIATION = "negotiation", "Negotiations towards an agreement."
    POLITICAL = "political", "Political backing."
    DIPLOMATIC = "diplomatic", "Through diplomatic channels."
    PRAISE = "praise", "Public praise or endorsement."
    SANCTIONS_RELIEF = "sanctions_relief", "Lifting or easing of sanctions."
    TERRITORY = "territory", "Giving up territory."
    RELEASE = "release", "Release of people or property."
    MILITARY = "military", "Military means."
    ECONOMIC = "economic", "Economic or financial means."
    INTELLIGENCE = "intelligence", "Intelligence sharing or operations."
    HUMANITARIAN = "humanitarian", "Humanitarian relief."
    ADVISORY = "advisory", "Advisers and training."
    WITHDRAWAL = "withdrawal", "Withdrawal of forces or personnel."
    SURRENDER = "surrender", "Surrender."
    FLIGHT = "flight", "Flight from a place or office."
    AID_REQUEST = "aid", "A request for aid."
    INTERVENTION = "intervention", "A request for intervention."
    AGGRESSION = "aggression", "Accusation of aggression."
    CRIME = "crime", "Accusation of crime or corruption."
    TERRORISM = "terrorism", "Accusation of terrorism."
    HUMAN_RIGHTS = "human_rights", "Accusation of human-rights abuses."
    ESPIONAGE = "espionage", "Accusation of espionage."
    DEMAND = "demand", "A demand."
    PROPOSAL = "proposal", "A proposal."
    AGREEMENT = "agreement", "An agreement."
    ACCUSATION = "accusation", "An accusation (denied)."
    SANCTION_THREAT = "sanction", "A threat of sanctions."
    RETALIATION = "retaliation", "A threat of retaliation."
    ULTIMATUM = "ultimatum", "An ultimatum."
    DEMONSTRATION = "demonstration", "A demonstration."
    RIOT = "riot", "A riot."
    STRIKE = "strike", "A labour strike."
    BOYCOTT = "boycott", "A boycott."
    TERRORIST_DESIGNATION = "terrorist_designation", "Listing as a terrorist organisation."
    ARMS_EMBARGO = "arms_embargo", "An arms embargo."
    TRAVEL = "travel", "A travel ban."
    AGREEMENT_WITHDRAWAL = "agreement_withdrawal", "Withdrawal from an agreement."
    TROOPS = "troops", "Regular troops."
    MILITIA = "militia", "Militia fighters."
    ADVISORS = "advisors", "Military advisers."
    WEAPONS = "weapons", "Weapons systems."
    ALERT = "alert", "Raised alert or readiness."
    ARREST = "arrest", "Arrest or detention."
    SEIZURE = "seizure", "Seizure of property, ships or cargo."
    EXPULSION = "expulsion", "Expulsion."
    BLOCKADE = "blockade", "Blockade."
    CENSORSHIP = "censorship", "Censorship."
    AERIAL = "aerial", "Airstrike by crewed aircraft."
    DRONE = "drone", "Strike by uncrewed aircraft."
    MISSILE = "missile", "Missile or rocket strike."
    ASSASSINATION = "assassination", "Targeted killing of a person."
    GROUND_COMBAT = "ground_combat", "Ground fighting, offensives and captures."
    SIEGE = "siege", "Siege."
    BOMBING = "bombing", "Bombing by explosives placed or carried."
    ARTILLERY = "artillery", "Artillery or shelling."


_M = EventMode
EVENT_MODES: dict[EventType, frozenset[EventMode]] = {
    EventType.AGREE: frozenset({_M.TREATY, _M.CONTRACT, _M.CEASEFIRE, _M.POLICY}),
    EventType.CONSULT: frozenset({_M.VISIT, _M.MEETING, _M.PHONE, _M.MULTILATERAL, _M.NEGOTIATION}),
    EventType.SUPPORT: frozenset({_M.POLITICAL, _M.DIPLOMATIC, _M.PRAISE}),
    EventType.CONCEDE: frozenset({_M.SANCTIONS_RELIEF, _M.POLICY, _M.TERRITORY, _M.RELEASE}),
    EventType.COOPERATE: frozenset({_M.MILITARY, _M.ECONOMIC, _M.INTELLIGENCE, _M.DIPLOMATIC}),
    EventType.AID: frozenset({_M.MILITARY, _M.ECONOMIC, _M.HUMANITARIAN, _M.ADVISORY}),
    EventType.RETREAT: frozenset({_M.WITHDRAWAL, _M.SURRENDER, _M.FLIGHT, _M.RELEASE}),
    EventType.REQUEST: frozenset({_M.AID_REQUEST, _M.POLICY, _M.MEETING, _M.INTERVENTION}),
    EventType.ACCUSE: frozenset(
        {_M.AGGRESSION, _M.CRIME, _M.TERRORISM, _M.HUMAN_RIGHTS, _M.ESPIONAGE}
    ),
    EventType.REJECT: frozenset({_M.DEMAND, _M.PROPOSAL, _M.AGREEMENT, _M.ACCUSATION}),
    EventType.THREATEN: frozenset({_M.MILITARY, _M.SANCTION_THREAT, _M.RETALIATION, _M.ULTIMATUM}),
    EventType.PROTEST: frozenset({_M.DEMONSTRATION, _M.RIOT, _M.STRIKE, _M.BOYCOTT, _M.DIPLOMATIC}),
    EventType.SANCTION: frozenset(
        {
            _M.TERRORIST_DESIGNATION,
            _M.ECONOMIC,
            _M.ARMS_EMBARGO,
            _M.TRAVEL,
            _M.AGREEMENT_WITHDRAWAL,
            _M.DIPLOMATIC,
        }
    ),
    EventType.MOBILIZE: frozenset({_M.TROOPS, _M.MILITIA, _M.ADVISORS, _M.WEAPONS, _M.ALERT}),
    EventType.COERCE: frozenset({_M.ARREST, _M.SEIZURE, _M.EXPULSION, _M.BLOCKADE, _M.CENSORSHIP}),
    EventType.ASSAULT: frozenset(
        {
            _M.AERIAL,
            _M.DRONE,
            _M.MISSILE,
            _M.ASSASSINATION,
            _M.GROUND_COMBAT,
            _M.SIEGE,
            _M.BOMBING,
            _M.ARTILLERY,
        }
    ),
}


class DatePrecision(Vocabulary):
    DAY = "day", "Known to the day."
    WEEK = "week", "Known to the ISO week: bounds are a Monday and a Sunday."
    MONTH = "month", "Known to the month: bounds are the first and last day of months."
    QUARTER = "quarter", "Known to the quarter: bounds are the first and last day of quarters."
    YEAR = "year", "Known to the year: bounds are 1 January and 31 December."
    DECADE = (
        "decade",
        "Known to the decade: bounds are 1 January of a year ending in 0 and 31 December of a year ending in 9.",
    )


class GeoPrecision(Vocabulary):
    EXACT = "exact", "The coordinates are the place itself."
    NEAR = "near", "Near the coordinates (a named nearby place)."
    ADM2 = "adm2", "Somewhere in the second-level administrative area (district)."
    ADM1 = "adm1", "Somewhere in the first-level administrative area (province, governorate)."
    REGION = "region", "Somewhere in a region larger than a province."
    COUNTRY = "country", "Somewhere in the country; the point is representative only."
    UNKNOWN = "unknown", "Place not known; no coordinates."


class Role(Vocabulary):
    SOURCE = "source", "The actor that acts."
    TARGET = "target", "The actor acted upon."
    PARTICIPANT = "participant", "Takes part without being source or target."
    VICTIM = "victim", "Killed, hurt or harmed in the event."
    CLAIMANT = "claimant", "Claims or asserts something about the event."
    MEDIATOR = "mediator", "Mediates between the parties."


class RelationType(Vocabulary):
    PART_OF = "part_of", "The source is a unit or branch of the target."
    COMMANDS = "commands", "The source directs or controls the target."
    LEADS = "leads", "The source person holds the position given at the head of the target."
    MEMBER_OF = "member_of", "The source is a member of the target."
    ALLIED_WITH = "allied_with", "Symmetric: the two are allies."
    SUPPORTS = "supports", "The source supports the target by the means in relation_mode."
    OPPOSES = "opposes", "The source is hostile to or opposes the target."
    AT_WAR_WITH = "at_war_with", "Symmetric: the two fight each other."
    SANCTIONS = "sanctions", "The source designates or sanctions the target."
    TRADES_WITH = "trades_with", "The source sells to or contracts with the target."
    RECOGNIZES = "recognizes", "The source recognises the target (religiously or diplomatically)."
    CHILD_OF = "child_of", "The source person is a child of the target person."


class RelationMode(Vocabulary):
    WEAPONS = "weapons", "Arms and munitions."
    FUNDING = "funding", "Money."
    TRAINING = "training", "Training."
    TROOPS = "troops", "Fighters or soldiers."
    ADVISORS = "advisors", "Military advisers or commanders."
    LOGISTICS = "logistics", "Transport and supply."
    ECONOMIC = "economic", "Economic aid, credit or goods such as oil."
    POLITICAL = "political", "Political or diplomatic backing."
    TERRITORY_ACCESS = "territory_access", "Use of its territory, airspace or routes."
    INTELLIGENCE = "intelligence", "Intelligence."
    TERRORIST_DESIGNATION = "terrorist_designation", "Listed as a terrorist organisation."
    ARMS_EMBARGO = "arms_embargo", "Arms embargo."
    TRAVEL = "travel", "Travel ban."
    ARMS_SALE = "arms_sale", "Sale of arms."
    COMMERCIAL_CONTRACT = "commercial_contract", "A commercial contract."
    OIL = "oil", "Oil trade."
    RELIGIOUS = "religious", "Religious recognition."
    DIPLOMATIC = "diplomatic", "Diplomatic recognition."


_R = RelationMode
_K = ActorKind


@dataclass(frozen=True)
class RelationTypeSpec:
    """What one relation type (with one mode, where it takes modes) means and joins.

    `label` reads source -> target ("commands"), `inverse_label` target -> source ("commanded
    by"); the kinds are the ActorKind values allowed at each end (the validator reports any other
    as bad-actor-kind); `esd_category` is the nearest support category of the UCDP External
    Support Dataset, or None where the ESD has none.
    """

    label: str
    inverse_label: str
    source_kinds: frozenset[ActorKind]
    target_kinds: frozenset[ActorKind]
    esd_category: str | None = None


def _kinds(*kinds: ActorKind) -> frozenset[ActorKind]:
    return frozenset(kinds)


# Kind groups the rules below are made of.
_ANY = frozenset(ActorKind)
#: Organisations with members, units or staff: everything but people and communities.
_ORGANISED = frozenset(ActorKind) - {_K.PERSON, _K.POPULATION_GROUP, _K.RELIGIOUS_GROUP}
#: Actors that can hand over money, arms, people or services: not communities.
_PROVIDERS = frozenset(ActorKind) - {_K.POPULATION_GROUP, _K.RELIGIOUS_GROUP}
#: Actors that fight: those with their own armed forces or fighters.
_BELLIGERENTS = _kinds(_K.STATE, _K.GOVERNMENT_BODY, _K.ARMED_FORCE, _K.ARMED_GROUP, _K.COALITION)
#: Actors that can impose sanctions: states, their bodies, and organisations of states.
_SANCTIONERS = _kinds(_K.STATE, _K.GOVERNMENT_BODY, _K.INTERNATIONAL_ORGANIZATION)
#: Actors that can be sanctioned: anyone but a community as such.
_SANCTIONABLE = frozenset(ActorKind) - {_K.POPULATION_GROUP, _K.RELIGIOUS_GROUP}
#: Actors that trade: states, their bodies and forces, groups, companies and traders.
_TRADERS = _kinds(
    _K.STATE, _K.GOVERNMENT_BODY, _K.ARMED_FORCE, _K.ARMED_GROUP, _K.COMPANY, _K.PERSON
)


def _supports(
    mode: RelationMode, noun: str, esd: str | None, providers: frozenset[ActorKind] = _PROVIDERS
) -> tuple[tuple[RelationType, RelationMode], RelationTypeSpec]:
    spec = RelationTypeSpec(
        f"supports with {noun}", f"supported with {noun} by", providers, _ANY, esd
    )
    return (RelationType.SUPPORTS, mode), spec


def _sanctions(
    mode: RelationMode, noun: str
) -> tuple[tuple[RelationType, RelationMode], RelationTypeSpec]:
    spec = RelationTypeSpec(
        f"sanctions with {noun}", f"sanctioned with {noun} by", _SANCTIONERS, _SANCTIONABLE
    )
    return (RelationType.SANCTIONS, mode), spec


def _trades(
    mode: RelationMode, noun: str
) -> tuple[tuple[RelationType, RelationMode], RelationTypeSpec]:
    spec = RelationTypeSpec(
        f"trades with ({noun})", f"trades with ({noun}), as buyer from", _TRADERS, _TRADERS
    )
    return (RelationType.TRADES_WITH, mode), spec


#: Every relation type, and mode where it takes modes, with its wording and the actor kinds
#: allowed at each end: the one definition the validator, the codebook and the generated
#: relation_types table read. Keys are (type, mode), mode None for a type without modes.
RELATION_TYPES: dict[tuple[RelationType, RelationMode | None], RelationTypeSpec] = dict(
    [
        (
            (RelationType.PART_OF, None),
            RelationTypeSpec(
                "is part of",
                "has as a part",
                _ORGANISED - {_K.STATE},
                _ORGANISED,
            ),
        ),
        (
            (RelationType.COMMANDS, None),
            RelationTypeSpec(
                "commands",
                "commanded by",
                _kinds(_K.PERSON) | _BELLIGERENTS,
                _kinds(_K.ARMED_FORCE, _K.ARMED_GROUP, _K.COALITION),
            ),
        ),
        (
            (RelationType.LEADS, None),
            RelationTypeSpec(
                "leads", "led by", _kinds(_K.PERSON), _ORGANISED | {_K.RELIGIOUS_GROUP}
            ),
        ),
        (
            (RelationType.MEMBER_OF, None),
            RelationTypeSpec(
                "is a member of",
                "has as a member",
                _ORGANISED - {_K.INTERNATIONAL_ORGANIZATION, _K.COALITION} | {_K.PERSON},
                _ORGANISED - {_K.STATE, _K.COMPANY} | {_K.RELIGIOUS_GROUP},
            ),
        ),
        (
            (RelationType.ALLIED_WITH, None),
            # companies trade and supply; they do not enter alliances
            RelationTypeSpec(
                "is allied with",
                "is allied with",
                _ORGANISED - {_K.COMPANY},
                _ORGANISED - {_K.COMPANY},
            ),
        ),
        _supports(_R.WEAPONS, "weapons", "weapons"),
        _supports(_R.FUNDING, "funding", "funding"),
        _supports(_R.TRAINING, "training", "training and expertise"),
        _supports(
            _R.TROOPS,
            "troops",
            "troops as secondary warring party",
            _BELLIGERENTS | {_K.POLITICAL_PARTY},
        ),
        _supports(_R.ADVISORS, "advisors", "training and expertise"),
        _supports(_R.LOGISTICS, "logistics", "materiel and logistics"),
        _supports(_R.ECONOMIC, "economic aid", "funding"),
        _supports(_R.POLITICAL, "political backing", None),
        _supports(_R.TERRITORY_ACCESS, "access to territory", "access to territory"),
        _supports(_R.INTELLIGENCE, "intelligence", "intelligence"),
        ((RelationType.OPPOSES, None), RelationTypeSpec("opposes", "opposed by", _ANY, _ANY)),
        (
            (RelationType.AT_WAR_WITH, None),
            RelationTypeSpec(
                "is at war with",
                "is at war with",
                _BELLIGERENTS | {_K.POLITICAL_PARTY},
                _BELLIGERENTS | {_K.POLITICAL_PARTY},
            ),
        ),
        _sanctions(_R.TERRORIST_DESIGNATION, "a terrorist designation"),
        _sanctions(_R.ECONOMIC, "economic sanctions"),
        _sanctions(_R.ARMS_EMBARGO, "an arms embargo"),
        _sanctions(_R.TRAVEL, "a travel ban"),
        _trades(_R.ARMS_SALE, "arms sale"),
        _trades(_R.COMMERCIAL_CONTRACT, "commercial contract"),
        _trades(_R.OIL, "oil"),
        (
            (RelationType.RECOGNIZES, _R.RELIGIOUS),
            RelationTypeSpec(
                "recognises the religious authority or standing of",
                "religiously recognised by",
                _ANY - {_K.COMPANY},
                _kinds(_K.PERSON, _K.RELIGIOUS_GROUP),
            ),
        ),
        (
            (RelationType.RECOGNIZES, _R.DIPLOMATIC),
            RelationTypeSpec(
                "recognises diplomatically",
                "diplomatically recognised by",
                _kinds(_K.STATE, _K.INTERNATIONAL_ORGANIZATION),
                _kinds(_K.STATE, _K.GOVERNMENT_BODY, _K.ARMED_GROUP, _K.COALITION),
            ),
        ),
        (
            (RelationType.CHILD_OF, None),
            RelationTypeSpec(
                "is a child of", "is a parent of", _kinds(_K.PERSON), _kinds(_K.PERSON)
            ),
        ),
    ]
)

#: The modes each type takes (types without modes are absent), as RELATION_TYPES lists them.
RELATION_MODES: dict[RelationType, frozenset[RelationMode]] = {
    relation_type: frozenset(
        mode for (kind, mode) in RELATION_TYPES if kind is relation_type and mode is not None
    )
    for relation_type in RelationType
    if any(kind is relation_type and mode is not None for kind, mode in RELATION_TYPES)
}
SYMMETRIC_RELATIONS = frozenset({RelationType.ALLIED_WITH, RelationType.AT_WAR_WITH})
#: Kinship outlives a death, so an ongoing child_of is not cut by the parent's end_date.
TIMELESS_RELATIONS = frozenset({RelationType.CHILD_OF})


def relation_spec(
    relation_type: RelationType | str, relation_mode: RelationMode | str | None = None
) -> RelationTypeSpec:
    """The definition of a relation type (and mode); KeyError for a pair that is not in it."""
    key = (RelationType(relation_type), RelationMode(relation_mode) if relation_mode else None)
    try:
        return RELATION_TYPES[key]
    except KeyError:
        shown = f"{key[0].value}/{key[1].value}" if key[1] else key[0].value
        raise KeyError(f"{shown} is not a relation type and mode of the contract") from None


def actor_kind_message(relation: Any, column: str, actor_id: str, kind: str) -> str:
    """Why an actor of `kind` cannot stand at `column` of `relation`: the bad-actor-kind
    message, one wording for both validators. `relation` needs relation_type and _mode."""
    relation_type = RelationType(relation.relation_type)
    mode = RelationMode(relation.relation_mode) if relation.relation_mode else None
    spec = RELATION_TYPES[(relation_type, mode)]
    allowed = spec.source_kinds if column == "source_id" else spec.target_kinds
    end = "starts at" if column == "source_id" else "ends at"
    shown = f"{relation_type.value} ({mode.value})" if mode else relation_type.value
    words = ", ".join(word.value for word in ActorKind if word in allowed)
    return f"{actor_id} is of kind {kind}, but {shown} {end} {words}"


def relation_label(
    relation_type: RelationType | str,
    relation_mode: RelationMode | str | None = None,
    *,
    inverse: bool = False,
) -> str:
    """How to read a relation: relation_label("supports", "weapons") is "supports with
    weapons", and with inverse=True "supported with weapons by" (target -> source)."""
    spec = relation_spec(relation_type, relation_mode)
    return spec.inverse_label if inverse else spec.label


class Confidence(Vocabulary):
    HIGH = "high", "Several reliable sources agree, or one authoritative source."
    MEDIUM = "medium", "One reliable source, or sources that differ in detail."
    LOW = "low", "Thin or partisan sourcing; use with care."


class Attribution(Vocabulary):
    CONFIRMED = "confirmed", "The sources state it as established fact."
    REPORTED = "reported", "The sources report it without confirming it."
    CLAIMED = "claimed", "An actor's own assertion."
    ALLEGED = "alleged", "An accusation by a party or observer."
    DISPUTED = "disputed", "Sources or parties contradict each other."
    DENIED = "denied", "A party concerned denies it."


class SourceType(Vocabulary):
    NEWS = "news", "A news report."
    ANALYSIS = "analysis", "Analysis, commentary or a think-tank report."
    GOVERNMENT = "government", "A government's own publication."
    COURT = "court", "A court record."
    DATASET = "dataset", "A dataset or its codebook."
    BOOK = "book", "A book or book chapter."
    ENCYCLOPEDIA = "encyclopedia", "An encyclopedia entry."
    OTHER = "other", "Anything else."


VOCABULARIES: tuple[type[Vocabulary], ...] = (
    Status,
    ActorKind,
    AliasKind,
    IdScheme,
    EventType,
    EventMode,
    DatePrecision,
    GeoPrecision,
    Role,
    RelationType,
    RelationMode,
    Confidence,
    Attribution,
    SourceType,
)

# ---------------------------------------------------------------------------------------------
# Field types: strict parsing of CSV text


@dataclass(frozen=True)
class Violation:
    """A broken cross-field rule of one record: the problem code, the field and why."""

    code: str
    field: str
    detail: str


class _RuleBroken(Exception):
    def __init__(self, violation: Violation) -> None:
        self.violation = violation


def _fail(code: str, field: str, detail: str) -> _RuleBroken:
    return _RuleBroken(Violation(code, field, detail))


def _raise_or_collect(violations: list[Violation], info: ValidationInfo) -> None:
    """Give every violation to a collecting caller (the validator), else raise the first."""
    collector = info.context.get(RULES_COLLECTOR) if isinstance(info.context, dict) else None
    if collector is not None:
        collector.extend(violations)
    elif violations:
        first = violations[0]
        raise PydanticCustomError(
            first.code.replace("-", "_"), "{detail}", {"field": first.field, "detail": first.detail}
        )


#: Validation context key: pass {RULES_COLLECTOR: []} to receive every cross-field violation.
RULES_COLLECTOR = "iran_syria_rules"


def _checks(*checks: Any) -> list[Violation]:
    """Run rule callables, each raising _RuleBroken or returning None; collect the violations."""
    found = []
    for check in checks:
        try:
            check()
        except _RuleBroken as broken:
            found.append(broken.violation)
        except AttributeError:
            # A partial record (see validate._rules_of_what_parsed) lacks the cells that failed
            # to parse: a rule that reads one is skipped, its input already reported.
            continue
    return found


_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_PARTIAL_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
# Matched with fullmatch: `$` in Python's re also matches before a final newline, which let a
# quoted "5\n" pass as 5 while every CSV loader refused it.
_INTEGER = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
#: The largest integer a cell may hold: loaders type integer columns as 64-bit.
INT64_MAX = 2**63 - 1


def _parse_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        if _ISO_DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise PydanticCustomError(
            "bad_date", "'{value}' is not a real calendar date in YYYY-MM-DD form", {"value": value}
        )
    raise PydanticCustomError(
        "bad_date", "expected an ISO date, got {kind}", {"kind": type(value).__name__}
    )


def _parse_partial_date(value: Any) -> Any:
    if isinstance(value, str) and _PARTIAL_DATE.fullmatch(value):
        try:
            partial_date_bounds(value)
        except ValueError:
            pass
        else:
            return value
    raise PydanticCustomError(
        "bad_date",
        "'{value}' is not an ISO date at year, month or day precision (YYYY, YYYY-MM, YYYY-MM-DD)",
        {"value": str(value)},
    )


def _parse_int(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _INTEGER.fullmatch(value):
        if len(value) > 19 or int(value) > INT64_MAX:
            raise PydanticCustomError(
                "out_of_range",
                "'{value}' has more digits than a 64-bit integer holds (at most {limit})",
                {"value": value[:40] + ("…" if len(value) > 40 else ""), "limit": INT64_MAX},
            )
        return int(value)
    raise PydanticCustomError(
        "bad_type",
        "'{value}' is not a whole number written with digits only",
        {"value": str(value)},
    )


def _parse_float(value: Any) -> Any:
    if isinstance(value, float | int) and not isinstance(value, bool):
        if value != value or value in (float("inf"), float("-inf")):
            raise PydanticCustomError(
                "bad_type", "{value} is not a finite number", {"value": value}
            )
        return float(value)
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        number = float(value)
        if number in (float("inf"), float("-inf")):
            raise PydanticCustomError(
                "out_of_range",
                "'{value}' is too large for a decimal number",
                {"value": value[:40] + ("…" if len(value) > 40 else "")},
            )
        return number
    raise PydanticCustomError(
        "bad_type", "'{value}' is not a decimal number such as 33.51 or -6.2", {"value": str(value)}
    )


# Bidi embeddings/overrides/isolates, and zero-width characters that hide text. ZWJ and ZWNJ
# (U+200C/U+200D) are allowed: Persian and Arabic spellings need them.
_FORBIDDEN_CHARS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u2060\ufeff"
)


def text_problem(value: str) -> str | None:
    """Why a text value breaks the contract's text rules, or None when it is clean."""
    if value != value.strip():
        return "has leading or trailing white space"
    for char in value:
        if unicodedata.category(char) == "Cc":
            return f"contains the control character U+{ord(char):04X}"
        if char in _FORBIDDEN_CHARS:
            return f"contains the invisible or bidi-control character U+{ord(char):04X}"
    if not unicodedata.is_normalized("NFC", value):
        return "is not in Unicode normal form NFC"
    return None


def _check_text(value: str) -> str:
    reason = text_problem(value)
    if reason:
        raise PydanticCustomError("bad_text", "text {reason}", {"reason": reason})
    return value


def _iso(value: date) -> str:
    return value.isoformat()


IsoDate = Annotated[date, BeforeValidator(_parse_date), PlainSerializer(_iso, return_type=str)]


def _parse_flag(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise PydanticCustomError(
        "bad_type", "'{value}' is not a boolean written true or false", {"value": str(value)}
    )


def _flag_text(value: bool) -> str:
    return "true" if value else "false"


#: A boolean written as the words true and false (the only spellings the package uses).
Flag = Annotated[bool, BeforeValidator(_parse_flag), PlainSerializer(_flag_text, return_type=str)]
#: Lowercase snake_case names separated by single spaces: field names, vocabulary words.
NameList = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*( [a-z][a-z0-9_]*)*$")]
PartialDate = Annotated[
    str,
    BeforeValidator(_parse_partial_date),
    StringConstraints(pattern=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"),
]
Count = Annotated[int, BeforeValidator(_parse_int), Field(ge=0)]
Latitude = Annotated[float, BeforeValidator(_parse_float), Field(ge=-90, le=90)]
Longitude = Annotated[float, BeforeValidator(_parse_float), Field(ge=-180, le=180)]
Text = Annotated[str, StringConstraints(min_length=1), AfterValidator(_check_text)]


_SLUG = r"-[a-z0-9]+(-[a-z0-9]+)*$"
ActorId = Annotated[str, StringConstraints(pattern=rf"^act{_SLUG}")]
EventId = Annotated[str, StringConstraints(pattern=rf"^evt{_SLUG}")]
RelationId = Annotated[str, StringConstraints(pattern=rf"^rel{_SLUG}")]
SourceId = Annotated[str, StringConstraints(pattern=rf"^src{_SLUG}")]
RecordId = Annotated[str, StringConstraints(pattern=rf"^(act|evt|rel|src){_SLUG}")]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$"), AfterValidator(_check_text)]
LanguageTag = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]

ID_PREFIXES = {"act": "actors", "evt": "events", "rel": "relations", "src": "sources"}

# ---------------------------------------------------------------------------------------------
# Dates on a precision grid


def partial_date_bounds(value: str) -> tuple[date, date]:
    """First and last day of an ISO date at year, month or day precision ('1982', '1982-06')."""
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        year, month = parts
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    day = date(*parts)
    return day, day


def _on_calendar(ordinal: int) -> date:
    """The day with this proleptic Gregorian ordinal, clamped to 0001-01-01 .. 9999-12-31."""
    return date.fromordinal(min(max(ordinal, date.min.toordinal()), date.max.toordinal()))


def period_start(day: date, precision: DatePrecision) -> date:
    """The first day of the period at `precision` that contains `day`.

    Periods are cut at the calendar's edges: the decade of years 1-9 starts on 0001-01-01 (there
    is no year 0). Weeks start on Monday, and 0001-01-01 is a Monday, so no week is cut there.
    """
    if precision is DatePrecision.DAY:
        return day
    if precision is DatePrecision.WEEK:
        return _on_calendar(day.toordinal() - day.weekday())
    if precision is DatePrecision.MONTH:
        return day.replace(day=1)
    if precision is DatePrecision.QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if precision is DatePrecision.YEAR:
        return date(day.year, 1, 1)
    return date(max(day.year - day.year % 10, MINYEAR), 1, 1)


def period_end(day: date, precision: DatePrecision) -> date:
    """The last day of the period at `precision` that contains `day`.

    Periods are cut at the calendar's edges: the week starting Monday 9999-12-27 ends on
    9999-12-31 (a Friday), the last day a date can name.
    """
    if precision is DatePrecision.DAY:
        return day
    if precision is DatePrecision.WEEK:
        return _on_calendar(day.toordinal() + 6 - day.weekday())
    if precision is DatePrecision.MONTH:
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if precision is DatePrecision.QUARTER:
        last_month = 3 * ((day.month - 1) // 3) + 3
        return date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
    if precision is DatePrecision.YEAR:
        return date(day.year, 12, 31)
    return date(min(day.year - day.year % 10 + 9, MAXYEAR), 12, 31)


def _check_start_on_grid(field: str, day: date, precision: DatePrecision) -> None:
    if period_start(day, precision) != day:
        raise _fail(
            "bad-precision",
            field,
            f"{day.isoformat()} is not the first day of a {precision.value} "
            f"(expected {period_start(day, precision).isoformat()})",
        )


def _check_end_on_grid(field: str, day: date, precision: DatePrecision) -> None:
    if period_end(day, precision) != day:
        raise _fail(
            "bad-precision",
            field,
            f"{day.isoformat()} is not the last day of a {precision.value} "
            f"(expected {period_end(day, precision).isoformat()})",
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
