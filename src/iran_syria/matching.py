"""Match names from other datasets (ACLED, GDELT, POLECAT, OFAC, news archives) to actor ids.

>>> import iran_syria
>>> iran_syria.match("Hizballah")[0].actor_id
'act-hezbollah'

Every active actor's name and aliases (any script) are candidates; the names and aliases of a
merged actor stand for its survivor. A query and a candidate are compared by their normal form
and by their phonetic key (see `_names`) with RapidFuzz's compiled scorers, in whole and by
their distinctive words; the index of one package is built once and kept.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._atomic import atomic_file
from ._match_index import (
    Columns,
    Form,
    Index,
    Spelling,
    index_for,
    package_form,
    rapidfuzz,
    variants,
)
from .errors import IranSyriaError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["THRESHOLD", "Match", "match", "match_csv", "match_many"]

# Below this score a candidate is not returned. Chosen on tests/data/match_labelled.csv
# (benchmarks/match_quality.py): see the README's "Matching names" for the figures.
THRESHOLD = 85.0
# A key match is weaker evidence than a text match (the skeleton forgets vowels), and a match
# of some words only is weaker than a match of all, so each ranks below a full text match.
_KEY_WEIGHT = 0.93
_PART_WEIGHT = 0.9
# Acronyms and other short names match only exactly (or by their whole key): at three letters
# one edit is a new name.
_SHORT = 4
# A key this long, equal whole, names one actor however its words are split.
_LONG_KEY = 7


@dataclass(frozen=True)
class Match:
    """One actor a string may name: its id and name, the name or alias that matched, and
    how well (0-100)."""

    actor_id: str
    name: str
    matched: str
    score: float


def match(
    name: str,
    *,
    limit: int = 5,
    path: str | Path | None = None,
    min_score: float = THRESHOLD,
) -> list[Match]:
    """The active actors `name` may stand for, best first, at most `limit`; empty when none
    scores `min_score` (THRESHOLD) or more. `path` is a package folder or bundle (None: the
    shipped one)."""
    if limit < 1:
        raise ValueError(f"limit must be 1 or more, not {limit}")
    return _rank(index_for(path), name, limit, min_score)


def match_many(
    names: Iterable[str], *, path: str | Path | None = None, min_score: float = THRESHOLD
) -> list[Match | None]:
    """The best match of each name, or None (for a column of names: one index, one pass)."""
    index = index_for(path)
    return [next(iter(_rank(index, name, 1, min_score)), None) for name in names]


def _rank(index: Index, name: str, limit: int, min_score: float) -> list[Match]:
    best: dict[str, tuple[float, float, int]] = {}
    # What a query holds in parentheses is often the acronym of one part of it ('Islamic
    # Revolutionary Guard Corps (IRGC) – Qods Force'): it counts as a match of some words.
    for variant, weight in variants(name, _PART_WEIGHT).items():
        scores, texts = _scores(index, package_form(index, variant))
        scores = (scores * weight).round(1)  # scores equal as shown are equal
        for position in scores.nonzero()[0]:
            actor_id = index.actor_ids[position]
            entry = (float(scores[position]), float(texts[position]), int(position))
            if actor_id not in best or entry[:2] > best[actor_id][:2]:
                best[actor_id] = entry
    # On equal scores a unit beats its parent ("Quds Force of the IRGC" names the Quds Force,
    # and its words hold the IRGC's whole name).
    units = {
        child
        for child, parent in index.part_of
        if child in best and parent in best and best[child][0] == best[parent][0]
    }
    # Then the candidate that holds more of the query's words ("Hizbullah leader Hassan
    # Nasrallah" names Nasrallah), the closer spelling, the one that begins with the query's
    # first word (a person's own name comes first and a father's after it: جهاد عماد مغنية is
    # Jihad, not Imad, Mughniyeh), and the id.
    words = package_form(index, name).whole.key.split(" ")

    def held(position: int) -> int:
        return len(set(words) & set(index.whole.keys[position].split(" ")))

    def begins_alike(position: int) -> bool:
        return index.whole.keys[position].split(" ")[0] == words[0]

    ranked = sorted(
        best.items(),
        key=lambda item: (
            -item[1][0],
            item[0] not in units,
            -held(item[1][2]),
            -item[1][1],
            not begins_alike(item[1][2]),
            item[0],
        ),
    )
    return [
        Match(actor_id, index.names[actor_id], index.candidates[position], score)
        for actor_id, (score, _text, position) in ranked[:limit]
        if score >= min_score
    ]


def _scores(index: Index, query: Form) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Each candidate's score for the query (0 where it cannot match), and its text score
    alone (to break ties between equal scores in favour of the closer spelling).

    The whole score is the best of: the spelling compared (word order free, and spaces
    ignored), the keys compared, and the words of one held in the other. It is capped by the
    same comparison of the distinctive words alone (words shared by many actors' names, such as
    Mohammad, Ali, Islamic or Forces, left out), so that two people who share a common given
    name and differ in their surname do not match.
    """
    import numpy as np

    if not query.whole.flat:
        empty = np.zeros(len(index.candidates))
        return empty, empty
    text, keyed, part = _compare(query.whole, index.whole)
    full = np.maximum.reduce([text, keyed * _KEY_WEIGHT, part * _PART_WEIGHT])
    d_text, d_keyed, d_part = _compare(query.distinct, index.distinct)
    cap = np.maximum.reduce([d_text, d_keyed * _KEY_WEIGHT, d_part * _PART_WEIGHT])
    exact = np.fromiter((flat == query.whole.flat for flat in index.whole.flats), dtype=bool)
    # the same letters but for spaces is the same name (بشاراسد, Hizb Allah), whatever its
    # words; the same long key but for spaces, the same name spelt another way or script
    # (محمود أحمدي نجاد, Mahmoud Ahmadinejad)
    same_long_key = np.fromiter(
        (key == query.whole.flat_key for key in index.whole.flat_keys), dtype=bool
    ) & (len(query.whole.flat_key) >= _LONG_KEY)
    score = np.where(exact, 100.0, np.minimum(full, cap))
    score = np.where(same_long_key & ~exact, np.maximum(score, 100.0 * _KEY_WEIGHT), score)
    short = (index.lengths <= _SHORT) | (len(query.whole.flat) <= _SHORT)
    # ... or by one key of three letters or more, which is how a short name crosses scripts
    # and spellings (عراق and Iraq, Irak are all 'ark'); not an acronym, whose letters are not
    # sounds (IRIN is not Iran), on either side
    same_key = (
        np.fromiter((key == query.whole.flat_key for key in index.whole.flat_keys), dtype=bool)
        & ~index.acronyms
        & (len(query.whole.flat_key) >= 3)
        & (not query.acronym)
    )
    score = np.where(short & ~exact & same_key, 100.0 * _KEY_WEIGHT, score)
    return np.where(short & ~exact & ~same_key, 0.0, score), text


def _compare(
    query: Spelling, columns: Columns
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Text, key and part scores of one spelling against every candidate's."""
    import numpy as np

    fuzz, cdist = rapidfuzz()

    def against(text: str, choices: list[str], scorer: Any) -> npt.NDArray[np.float64]:
        return np.asarray(cdist([text], choices, scorer=scorer, workers=1)[0], dtype=float)

    text = np.maximum(
        against(query.normal, columns.normals, fuzz.token_sort_ratio),
        against(query.flat, columns.flats, fuzz.ratio),
    )
    keyed = np.maximum(
        against(query.key, columns.keys, fuzz.token_sort_ratio),
        against(query.flat_key, columns.flat_keys, fuzz.ratio),
    )
    part = np.maximum(
        against(query.normal, columns.normals, fuzz.token_set_ratio),
        against(query.key, columns.keys, fuzz.token_set_ratio) * _KEY_WEIGHT,
    )
    return text, keyed, part


def match_csv(
    source: str | Path,
    column: str,
    out: str | Path | None = None,
    *,
    path: str | Path | None = None,
    min_score: float = THRESHOLD,
) -> tuple[Path, int, int]:
    """Write a copy of the CSV `source` with `actor_id` and `match_score` added: the best match
    of each row's `column`, or empty cells. `out` defaults to SOURCE.matched.csv beside it; the
    source is never written. Returns (out, rows, rows matched)."""
    source = Path(source)
    target = Path(out) if out is not None else source.with_suffix(".matched.csv")
    header, rows = _read_table(source, column)
    if target.resolve() == source.resolve():
        raise IranSyriaError(f"{target}: the output would overwrite the input; pass another --out")
    where = header.index(column)
    names = sorted({row[where] for row in rows})
    found = dict(zip(names, match_many(names, path=path, min_score=min_score), strict=True))
    matched = 0
    with (
        atomic_file(target) as temporary,
        temporary.open("w", encoding="utf-8", newline="") as handle,
    ):
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([*header, "actor_id", "match_score"])
        for row in rows:
            best = found[row[where]]
            matched += best is not None
            writer.writerow([*row, best.actor_id, best.score] if best else [*row, "", ""])
    return target, len(rows), matched


def _read_table(source: Path, column: str) -> tuple[list[str], list[list[str]]]:
    try:
        text = source.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise IranSyriaError(f"{source}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise IranSyriaError(f"{source}: cannot read it as UTF-8 CSV ({error})") from None
    table = list(csv.reader(io.StringIO(text, newline="")))
    if not table:
        raise IranSyriaError(f"{source}: empty file, no header row")
    header, rows = table[0], table[1:]
    if column not in header:
        raise IranSyriaError(
            f"{source}: no column {column!r}; the columns are {', '.join(map(repr, header))}"
        )
    for added in ("actor_id", "match_score"):
        if added in header:
            raise IranSyriaError(
                f"{source}: already has a column {added!r}, which the output adds; rename it first"
            )
    for line, row in enumerate(rows, start=2):
        if len(row) > len(header):
            raise IranSyriaError(
                f"{source}:{line}: {len(row)} cells for {len(header)} columns "
                "(a cell that holds a comma must be quoted)"
            )
        row.extend([""] * (len(header) - len(row)))
    return header, rows
