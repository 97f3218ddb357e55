"""How to read the CSVs with pandas or polars alone, typed as load() types them.

A reader without this library gets the wrong types from the defaults: pandas reads an integer
column with an empty cell as float64, every date as text, and the ISO code `NA` (Namibia) as
missing. The snippets here are generated from the models, go into the codebook and the bundle
README, and a test runs each one and compares the frame with load()'s.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import TABLES
from .schema import FieldSpec, field_specs

_PANDAS_TYPES = {
    "string": '"string"',
    "integer": '"Int64"',
    "number": '"float64"',
    "boolean": '"boolean"',
}
_POLARS_TYPES = {
    "string": "pl.String",
    "integer": "pl.Int64",
    "number": "pl.Float64",
    "date": "pl.Date",
    "boolean": "pl.Boolean",
}


def _words(spec: FieldSpec) -> str:
    assert spec.vocabulary is not None
    return "[" + ", ".join(f'"{word.value}"' for word in spec.vocabulary) + "]"


def pandas_snippet(table: str, path: str | None = None) -> str:
    """`pandas.read_csv` of one table with the declared types (dates as datetime64[ms])."""
    specs = field_specs(TABLES[table])
    dates = [spec.name for spec in specs if spec.datatype == "date"]
    lines = [
        f"{table} = pd.read_csv(",
        f'    "{path or f"data/{table}.csv"}",',
        '    keep_default_na=False,  # only an empty cell is missing: "NA" is Namibia',
        '    na_values=[""],',
        "    dtype={",
    ]
    for spec in specs:
        if spec.datatype == "date":
            continue
        kind = (
            f"pd.CategoricalDtype({_words(spec)})"
            if spec.vocabulary is not None
            else _PANDAS_TYPES[spec.datatype]
        )
        lines.append(f'        "{spec.name}": {kind},')
    lines.append("    },")
    if dates:
        lines.append(f"    parse_dates={_list(dates)},")
        lines.append('    date_format="%Y-%m-%d",')
        lines.append(").astype({" + ", ".join(f'"{d}": "datetime64[ms]"' for d in dates) + "})")
    else:
        lines.append(")")
    return "\n".join(lines)


def polars_snippet(table: str, path: str | None = None) -> str:
    """`polars.read_csv` of one table with the declared types (vocabularies as pl.Enum)."""
    lines = [
        f"{table} = pl.read_csv(",
        f'    "{path or f"data/{table}.csv"}",',
        "    schema_overrides={",
    ]
    for spec in field_specs(TABLES[table]):
        kind = (
            f"pl.Enum({_words(spec)})"
            if spec.vocabulary is not None
            else _POLARS_TYPES[spec.datatype]
        )
        lines.append(f'        "{spec.name}": {kind},')
    lines += ["    },", ")"]
    return "\n".join(lines)


def _list(names: Iterable[str]) -> str:
    return "[" + ", ".join(f'"{name}"' for name in names) + "]"


def reading_section(heading: str = "##") -> str:
    """The markdown section the codebook and the bundle README carry."""
    parts = [
        f"{heading} Reading the CSVs with pandas or polars alone",
        "",
        "`iran_syria.load()` types every column (and hides retracted and merged rows). Without "
        "the library, these calls give the same types, run from the package folder; the defaults "
        "of either library do not (pandas would read an integer column with an empty cell as "
        "float64, every date as text, and the country code `NA` as missing). Retracted and "
        'merged rows are kept: filter on `status == "active"` to drop them.',
        "",
    ]
    for table in TABLES:
        parts += [
            f"{heading}# {table}",
            "",
            "```python",
            "import pandas as pd",
            "",
            pandas_snippet(table),
            "```",
            "",
            "```python",
            "import polars as pl",
            "",
            polars_snippet(table),
            "```",
            "",
        ]
    return "\n".join(parts).rstrip() + "\n"
