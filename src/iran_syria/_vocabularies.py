"""The contract's controlled vocabularies: each an Enum whose members carry a definition,
and which event modes belong to which PLOVER category (EVENT_MODES). models.py re-exports them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

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
