"""The pandas and polars calls the codebook gives read the CSVs exactly as load() does."""

from __future__ import annotations

import pandas as pd
import pytest

from iran_syria import load, recipes
from iran_syria.models import TABLES

from .conftest import ROOT, SHIPPED, VALID


def _run(code: str) -> object:
    scope: dict[str, object] = {}
    exec(code, scope)
    return scope


@pytest.mark.parametrize("package", [SHIPPED, VALID], ids=["shipped", "fixture"])
@pytest.mark.parametrize("table", list(TABLES))
def test_the_pandas_call_gives_loads_frame(table: str, package: object) -> None:
    path = f"{package}/data/{table}.csv"
    scope = _run("import pandas as pd\n" + recipes.pandas_snippet(table, path))
    frame = scope[table]  # type: ignore[index]
    expected = load(table, path=package, include_retracted=True)
    pd.testing.assert_frame_equal(frame, expected)


@pytest.mark.parametrize("package", [SHIPPED, VALID], ids=["shipped", "fixture"])
@pytest.mark.parametrize("table", list(TABLES))
def test_the_polars_call_gives_loads_frame(table: str, package: object) -> None:
    polars_testing = pytest.importorskip("polars.testing")
    path = f"{package}/data/{table}.csv"
    scope = _run("import polars as pl\n" + recipes.polars_snippet(table, path))
    expected = load(table, path=package, include_retracted=True, backend="polars")
    polars_testing.assert_frame_equal(scope[table], expected)  # type: ignore[index]


def test_the_codebook_carries_the_calls() -> None:
    codebook = (ROOT / "datapackage" / "CODEBOOK.md").read_text(encoding="utf-8")
    assert recipes.reading_section() in codebook


def test_the_bundle_readme_carries_the_calls(tmp_path: object) -> None:
    import zipfile
    from pathlib import Path

    from iran_syria.bundle import build_bundle

    target = build_bundle(VALID, Path(str(tmp_path)), root=ROOT)
    with zipfile.ZipFile(target) as bundle:
        readme = next(n for n in bundle.namelist() if n.endswith("README.md"))
        assert recipes.reading_section() in bundle.read(readme).decode("utf-8")
