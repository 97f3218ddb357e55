"""The rules across tables, in order, on the columns either path kept."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from . import _common, spans
from .ids import Columns, Report, _gather_probes, _Hints, _Probe, _resolve
from .keys import _check_keys, _check_references, _check_status_references
from .spans import _check_actor_kinds, _check_coverage, _check_lifespans


def check_across_tables(
    tables: dict[str, Columns], report: Report, did_you_mean: Callable[[str, list[str]], str]
) -> None:
    """Keys and the rules across tables (references, statuses, coverage, lifespans, actor
    kinds, duplicate events), as the row path checks them, over integer codes of the ids."""
    # Duplicate events needs no ids: it runs beside the rest (mostly single-threaded numpy
    # and Arrow kernels) and its problems are reported last, where the row path reports them.
    duplicates: list[tuple[str, int, str, str, str]] = []

    def find_duplicates() -> None:
        spans._check_duplicate_events(tables, lambda *problem: duplicates.append(problem))

    rows = sum(columns.rows for columns in tables.values())
    with _beside(find_duplicates, rows) as duplicates_found:
        probes = _gather_probes(tables)
        ids = _resolve(tables, probes)
        by_column: dict[tuple[str, str], list[_Probe]] = {}
        for probe in probes:
            by_column.setdefault((probe.table, probe.column), []).append(probe)
        _check_keys(tables, ids, by_column, report)
        _check_references(ids, probes, report, _Hints(ids, did_you_mean))
        _check_status_references(tables, ids, by_column, report)
        _check_coverage(tables, ids, by_column, report)
        _check_lifespans(tables, ids, by_column, report)
        _check_actor_kinds(tables, ids, by_column, report)
        duplicates_found()
    for problem in duplicates:
        report(*problem)


@contextlib.contextmanager
def _beside(task: Callable[[], None], rows: int) -> Iterator[Callable[[], None]]:
    """Start `task` on another thread (inline for small inputs); the callable it yields waits
    for it and raises what it raised. Leaving the block always waits, so no thread outlives it."""
    # read at call time, so that tests can make small inputs take the threads
    if _common._CORES < 2 or rows < _common._POOL_FROM_ROWS:
        task()
        yield lambda: None
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(task)
        yield pending.result
