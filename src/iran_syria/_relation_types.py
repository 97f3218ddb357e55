"""Relation types and modes as data: their wording both ways, the actor kinds allowed at each
end and the UCDP ESD category (RELATION_TYPES), the modes of each type, and the symmetric and
timeless types. models.py re-exports them; the relation_types table is generated from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._vocabularies import ActorKind, RelationMode, RelationType

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
