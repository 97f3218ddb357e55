from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from iran_syria import schema

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
VALID = FIXTURES / "valid"
INVALID = FIXTURES / "invalid"
SHIPPED = ROOT / "datapackage"


def assert_leaves_unimported(code: str, modules: tuple[str, ...]) -> None:
    """Run `code` in a fresh interpreter, then assert that none of `modules` was imported."""
    check = f"\nimport sys\nimported = [m for m in {modules!r} if m in sys.modules]\n"
    check += "assert not imported, imported\n"
    result = subprocess.run([sys.executable, "-c", code + check], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.fixture
def valid_copy(tmp_path: Path) -> Path:
    """A writable copy of the small valid package."""
    target = tmp_path / "package"
    shutil.copytree(VALID, target)
    return target


@contextmanager
def copied_valid() -> Iterator[Path]:
    """A writable copy of the small valid package, fresh for each Hypothesis example
    (a function-scoped fixture would be shared by all the examples of one test)."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "package"
        shutil.copytree(VALID, target)
        yield target


def regenerate(package: Path) -> None:
    """Rewrite a package's descriptor (hashes included) after its CSVs were edited."""
    (package / "datapackage.json").write_text(
        schema.dump_json(schema.build_descriptor(package)), encoding="utf-8"
    )


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The web site of the shipped package, built once for the site tests."""
    from iran_syria.site import build_site

    return build_site(tmp_path_factory.mktemp("site") / "site", path=SHIPPED).out
