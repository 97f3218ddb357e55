"""The candidates `match` compares a name with: every active actor's name and aliases, in the
forms `_names` gives, built once per package and kept."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._names import name_words, normal_form
from .errors import MissingDependencyError

if TYPE_CHECKING:
    pass

# A word whose key is in the names of this many actors or more tells little about which actor
# a name means (Mohammad, Ali, Hassan, Islamic, Forces, Syrian, of): it is left out of the
# distinctive words. Five is 1.6% of the 311 actors of 0.1.0.
COMMON_IN_ACTORS = 5
_PARENTHESES = re.compile(r"\(([^()]*)\)")


@dataclass(frozen=True)
class Spelling:
    """One name as compared: normal form, with and without spaces, and its key likewise."""

    normal: str
    flat: str
    key: str
    flat_key: str

    @classmethod
    def of(cls, words: list[tuple[str, str]]) -> Spelling:
        normal = " ".join(word for word, _key in words)
        key = " ".join(key for _word, key in words)
        return cls(normal, normal.replace(" ", ""), key, key.replace(" ", ""))


@dataclass(frozen=True)
class Form:
    """A name's whole spelling and that of its distinctive words."""

    whole: Spelling
    distinct: Spelling
    acronym: bool = False  # written in capitals with no space, as IRGC-QF or HTS


@dataclass
class Columns:
    """The spellings of every candidate, a list per field (what RapidFuzz's cdist takes)."""

    normals: list[str] = field(default_factory=list)
    flats: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    flat_keys: list[str] = field(default_factory=list)

    def append(self, spelling: Spelling) -> None:
        self.normals.append(spelling.normal)
        self.flats.append(spelling.flat)
        self.keys.append(spelling.key)
        self.flat_keys.append(spelling.flat_key)


@dataclass
class Index:
    """Candidates in parallel lists: the actor each stands for and the text as written."""

    names: dict[str, str]  # active actor id -> name
    part_of: set[tuple[str, str]]  # (unit, parent) from the relations table
    common: frozenset[str]  # keys of words too common to tell actors apart
    actor_ids: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)
    whole: Columns = field(default_factory=Columns)
    distinct: Columns = field(default_factory=Columns)
    lengths: Any = None  # numpy array of len(flat) per candidate
    acronyms: Any = None  # numpy array: the candidate is an alias of kind acronym


def index_for(path: str | Path | None) -> Index:
    """The index of the package at `path` (None: the shipped one), rebuilt when its actors or
    aliases change on disk."""
    from ._locate import resolve_package_dir

    package_dir = resolve_package_dir(path).resolve()
    stamps = tuple(
        _stamp(package_dir / "data" / f"{table}.csv")
        for table in ("actors", "actor_aliases", "relations")
    )
    return _build(package_dir, stamps)


def package_form(index: Index, text: str) -> Form:
    """The spellings of `text` compared with this index's candidates."""
    form = _form(name_words(text), index.common)
    acronym = text.isupper() and not any(char.isspace() for char in text.strip())
    return Form(form.whole, form.distinct, acronym)


def _stamp(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


@lru_cache(maxsize=8)
def _build(package_dir: Path, stamps: tuple[int, ...]) -> Index:
    import numpy as np

    from ._descriptor import parse
    from ._locate import DESCRIPTOR, verified_bytes
    from .loaders import _survivors

    descriptor = parse((package_dir / DESCRIPTOR).read_text(encoding="utf-8"))
    actors = _rows(verified_bytes(package_dir, descriptor, "actors"))
    aliases = _rows(verified_bytes(package_dir, descriptor, "actor_aliases"))
    relations = _rows(verified_bytes(package_dir, descriptor, "relations"))
    survivor = _survivors(actors)  # a retracted actor names no actor: it is absent
    written = [(row["id"], row["name"]) for row in actors]
    written += [(row["actor_id"], row["alias"]) for row in aliases]
    acronyms = {row["alias"] for row in aliases if row["kind"] == "acronym"}
    entries: list[tuple[str, str, list[tuple[str, str]]]] = []
    seen: set[tuple[str, str]] = set()
    written = [(survivor[actor_id], text) for actor_id, text in written if actor_id in survivor]
    # What a name holds in parentheses is another name of the actor ('Islamic Republic of Iran
    # Army (Artesh)'), unless it names another actor: 'Ba'ath Party (Iraq)' is not Iraq.
    owners: dict[str, set[str]] = {}
    for actor_id, text in written:
        owners.setdefault(normal_form(_PARENTHESES.sub(" ", text)), set()).add(actor_id)
    for actor_id, text in written:
        for variant in variants(text):
            words = name_words(variant)
            normal = " ".join(word for word, _key in words)
            inside = variant not in (text, _PARENTHESES.sub(" ", text).strip())
            if inside and owners.get(normal, {actor_id}) - {actor_id}:
                continue
            if normal and (actor_id, normal) not in seen:
                seen.add((actor_id, normal))
                entries.append((actor_id, text, words))
    index = Index(
        names={row["id"]: row["name"] for row in actors if row["status"] == "active"},
        part_of={
            (survivor[row["source_id"]], survivor[row["target_id"]])
            for row in relations
            if row["relation_type"] == "part_of"
            and row["status"] == "active"
            and row["source_id"] in survivor
            and row["target_id"] in survivor
        },
        common=_common_keys(entries),
    )
    for actor_id, text, words in entries:
        form = _form(words, index.common)
        index.actor_ids.append(actor_id)
        index.candidates.append(text)
        index.whole.append(form.whole)
        index.distinct.append(form.distinct)
    index.lengths = np.fromiter((len(flat) for flat in index.whole.flats), dtype=int)
    index.acronyms = np.fromiter((text in acronyms for text in index.candidates), dtype=bool)
    return index


def _form(words: list[tuple[str, str]], common: frozenset[str]) -> Form:
    distinct = [(word, key) for word, key in words if key not in common] or words
    return Form(Spelling.of(words), Spelling.of(distinct))


def _common_keys(entries: list[tuple[str, str, list[tuple[str, str]]]]) -> frozenset[str]:
    actors_by_key: dict[str, set[str]] = {}
    for actor_id, _text, words in entries:
        for _word, key in words:
            actors_by_key.setdefault(key, set()).add(actor_id)
    return frozenset(key for key, ids in actors_by_key.items() if len(ids) >= COMMON_IN_ACTORS)


def variants(text: str, inside_weight: float = 1.0) -> dict[str, float]:
    """A name, the name without its parentheses, and what they hold, each with a weight:
    'Islamic Republic of Iran Army (Artesh)' is also 'Islamic Republic of Iran Army' and
    'Artesh'; 'Military Forces of Iran (1989-)' is also 'Military Forces of Iran'."""
    outside = _PARENTHESES.sub(" ", text).strip()
    found = {text: 1.0, outside: 1.0}
    for part in _PARENTHESES.findall(text):
        if any(char.isalpha() for char in part):
            found.setdefault(part.strip(), inside_weight)
    found.pop("", None)
    return found


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


@lru_cache(maxsize=1)
def rapidfuzz() -> tuple[Any, Any]:
    """RapidFuzz's fuzz module and cdist, or an error that names the extra to install."""
    try:
        from rapidfuzz import fuzz
        from rapidfuzz.process import cdist
    except ImportError as error:
        raise MissingDependencyError(
            'matching names needs RapidFuzz, which is not installed: pip install "iran-syria[match]"'
        ) from error
    return fuzz, cdist
