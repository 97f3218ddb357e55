"""How well `iran_syria.match` names the right actor, on the labelled strings of
tests/data/match_labelled.csv, and how fast.

    python benchmarks/match_quality.py [--sweep] [--misses]

For each string the best match at the threshold is compared with the expected actor (empty for
a string that names no actor in the data). Printed, overall and per language of the page the
string was seen on (en, ar, fa):

- precision: correct best matches among the strings that got a match;
- recall: correct best matches among the strings whose actor is in the data;
- recall on unseen spellings: the same, leaving out the strings that are, letter for letter
  after normalising, a name or alias of their actor (those match by construction);
- false-positive rate: negatives (strings naming no actor in the data) that got a match.

--sweep prints the same figures for each threshold from 80 to 100 (how THRESHOLD was chosen);
--misses lists the strings matched wrongly or not at all. Speed: a fresh interpreter's import
plus first query (cold, index built), and the mean of the labelled queries after it (warm).
A benchmark, not a test: it prints figures and asserts nothing (tests/test_matching.py holds
the floors).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "data" / "match_labelled.csv"
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="figures for thresholds 80-100")
    parser.add_argument("--misses", action="store_true", help="list the strings got wrong")
    args = parser.parse_args()

    from iran_syria.matching import THRESHOLD, match

    with LABELLED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    cold = _cold_ms()
    started = time.perf_counter()
    # the best candidate whatever its score, so that every threshold can be judged from it
    best = [match(row["string"], limit=1, min_score=0.0) for row in rows]
    warm = (time.perf_counter() - started) * 1000 / len(rows)
    seen = _seen_spellings(rows)

    print(f"{len(rows)} labelled strings ({LABELLED.relative_to(ROOT)}), threshold {THRESHOLD}")
    _table(rows, best, seen, THRESHOLD)
    print(f"\nspeed: cold {cold:.0f} ms (fresh interpreter: import, index, first query);")
    print(f"warm {warm:.2f} ms per query (mean of {len(rows)})")
    if args.sweep:
        print("\nthreshold  precision  recall  unseen recall  false positives")
        for threshold in range(80, 101):
            figures = _figures(rows, best, seen, float(threshold))
            print(
                f"{threshold:>9}  {figures['precision']:>9.3f}  {figures['recall']:>6.3f}"
                f"  {figures['unseen_recall']:>13.3f}  {figures['fp_rate']:>15.3f}"
            )
    if args.misses:
        print("\nmisses:")
        for row, found in zip(rows, best, strict=True):
            got = found[0] if found and found[0].score >= THRESHOLD else None
            if (got.actor_id if got else "") != row["expected_actor_id"]:
                shown = f"{got.actor_id} via {got.matched!r} ({got.score})" if got else "-"
                nearest = f"; nearest {found[0].actor_id} {found[0].score}" if found else ""
                print(
                    f"  {row['string']!r}: expected {row['expected_actor_id'] or '-'}, got {shown}{nearest}"
                )


def _table(rows: list[dict[str, str]], best: list, seen: set[int], threshold: float) -> None:
    groups: dict[str, list[int]] = defaultdict(list)
    for position, row in enumerate(rows):
        groups[row["language"]].append(position)
    print("\nstrings       n  positives  precision  recall  unseen recall  false positives")
    for name, positions in [("all", list(range(len(rows)))), *sorted(groups.items())]:
        subset = [rows[p] for p in positions]
        found = [best[p] for p in positions]
        kept = {i for i, p in enumerate(positions) if p in seen}
        figures = _figures(subset, found, kept, threshold)
        print(
            f"{name:<8} {len(subset):>6}  {figures['positives']:>9}  {figures['precision']:>9.3f}"
            f"  {figures['recall']:>6.3f}  {figures['unseen_recall']:>13.3f}"
            f"  {figures['fp_rate']:>8.3f} ({figures['false_positives']}/{figures['negatives']})"
        )


def _figures(rows: list[dict[str, str]], best: list, seen: set[int], threshold: float) -> dict:
    returned = correct = positives = negatives = false_positives = 0
    unseen = unseen_correct = 0
    for position, (row, found) in enumerate(zip(rows, best, strict=True)):
        got = found[0].actor_id if found and found[0].score >= threshold else ""
        expected = row["expected_actor_id"]
        returned += bool(got)
        correct += bool(got) and got == expected
        if expected:
            positives += 1
            if position not in seen:
                unseen += 1
                unseen_correct += got == expected
        else:
            negatives += 1
            false_positives += bool(got)
    return {
        "positives": positives,
        "negatives": negatives,
        "false_positives": false_positives,
        "precision": correct / returned if returned else 1.0,
        "recall": correct / positives if positives else 1.0,
        "unseen_recall": unseen_correct / unseen if unseen else 1.0,
        "fp_rate": false_positives / negatives if negatives else 0.0,
    }


def _seen_spellings(rows: list[dict[str, str]]) -> set[int]:
    """Positions of the strings that are, once normalised, a name or alias of their actor."""
    from iran_syria._match_index import index_for

    index = index_for(None)
    spellings = set(zip(index.actor_ids, index.whole.flats, strict=True))
    from iran_syria._names import normal_form

    return {
        position
        for position, row in enumerate(rows)
        if (row["expected_actor_id"], normal_form(row["string"]).replace(" ", "")) in spellings
    }


def _cold_ms() -> float:
    code = "import iran_syria; iran_syria.match('Hizballah')"
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


if __name__ == "__main__":
    main()
