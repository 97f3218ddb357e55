"""The columnar validator: the models' rules checked on whole Arrow columns at once.

Row by row, Pydantic costs about 14 µs and 1 KB a row: a million events took 24 s and a GiB.
Here pyarrow parses each table once into text columns, and every rule of the models is
*screened* with vectorised kernels. The screens are conservative on purpose: a row that might
break a rule is a suspect, and only suspects go to the row validator (the Pydantic models),
which explains them in exactly the words of the row path. Clean rows never reach Python.

A table whose bytes are anything but plain (a BOM, CR, NUL, a quote the strict grammar does not
accept, a header other than the contract's) is read by the row path instead, so the two paths
cannot disagree about what the file says. The rules across tables run here on both, over
integer codes of the ids. `tests/test_columnar.py` runs both validators over mutated packages
and asserts identical problem lists.

The package's files name its steps: `reading` (a table as text columns), `screens` (the rules of
the models on whole columns), `dates` (calendar arithmetic on arrays), `ids` (the columns kept
and the ids among them), `keys` and `spans` (the rules across tables) and `across` (their order).
"""

from __future__ import annotations

from ._common import parallel, returning_memory_pool
from .across import check_across_tables
from .dates import _FIRST_DAY as _FIRST_DAY, _civil_from_days as _civil_from_days, _days as _days
from .ids import ACROSS_COLUMNS, Columns
from .reading import read_table, record_lines
from .screens import _SPACE as _SPACE, suspect_rows
from .spans import _check_duplicate_events as _check_duplicate_events

__all__ = [
    "ACROSS_COLUMNS",
    "Columns",
    "check_across_tables",
    "parallel",
    "read_table",
    "record_lines",
    "returning_memory_pool",
    "suspect_rows",
]
