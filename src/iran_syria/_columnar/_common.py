"""What the columnar screens share: the memory pool, integer codes, coded text columns, threads."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


@contextlib.contextmanager
def returning_memory_pool() -> Iterator[None]:
    """Allocate Arrow memory from a pool that hands freed pages back to the system.

    A validation frees each table's text columns before reading the next. pyarrow's default
    pool (mimalloc) keeps freed pages for reuse, so the process grew table after table: at 1M
    events it peaked at 1.35 GiB, against 1.14 GiB with jemalloc and 1.16 GiB with the system
    allocator (one run each, before the other memory work; see benchmarks/README.md). A pool
    the user chose through ARROW_DEFAULT_MEMORY_POOL is left alone."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        yield
        return
    try:
        pool = pa.jemalloc_memory_pool()
    except NotImplementedError:  # wheels built without jemalloc (Windows)
        pool = pa.system_memory_pool()
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pool)
    try:
        yield
    finally:
        pool.release_unused()
        pa.set_memory_pool(previous)


def _np(mask: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


class _Coded:
    """A low-cardinality text column (a vocabulary) as integer codes, for the rule masks."""

    def __init__(self, column: pa.Array | pa.ChunkedArray) -> None:
        encoded = pc.dictionary_encode(_array(column))
        self.words: list[str] = encoded.dictionary.to_pylist()
        self.codes = encoded.indices.to_numpy(zero_copy_only=False)

    def __eq__(self, word: object) -> np.ndarray:  # type: ignore[override]
        return self.isin([word])

    def __ne__(self, word: object) -> np.ndarray:  # type: ignore[override]
        return ~self.isin([word])

    def isin(self, words: Iterable[object]) -> np.ndarray:
        wanted = set(words)
        hits = np.array([word in wanted for word in self.words], dtype=bool)
        return hits[self.codes] if len(hits) else np.zeros(len(self.codes), dtype=bool)

    def value(self, row: int) -> str:
        return self.words[int(self.codes[row])]


def _array(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous text array, nulls (rows without the cell) read as empty."""
    if isinstance(column, pa.ChunkedArray):
        # combine_chunks copies even a single chunk; kept columns are single chunks, read often
        column = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    if column.null_count == 0 or not pa.types.is_string(column.type):
        return column
    return pc.fill_null(column, "")


def _text(table: pa.Table, name: str) -> _Coded:
    return _Coded(table.column(name))


def parallel(tasks: list[Callable[[], Any]], rows: int) -> list[Any]:
    """Run independent tasks on every core: Arrow and numpy kernels release the GIL.

    Small inputs run in this thread: below ~50k rows a pool costs more than it saves."""
    if len(tasks) < 2 or _CORES < 2 or rows < _POOL_FROM_ROWS:
        return [task() for task in tasks]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=_CORES) as pool:
        return list(pool.map(lambda task: task(), tasks))


#: Codes and row numbers: a table has fewer than _read.MAX_RECORDS (2e7) rows, and all
#: groups' codes together fewer than the package's rows, so 32 bits hold them at half the memory.
_CODE = np.int32


_CORES = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1, 4)


_POOL_FROM_ROWS = 50_000
