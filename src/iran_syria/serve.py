"""Browse the package in Datasette: the SQLite export and its metadata.json, built into a
temporary folder that is removed when the server stops.

Datasette runs in this process (no child to leak): its command-line `serve` is called with
the database opened immutable, so it counts rows once and never writes to the file.
"""

from __future__ import annotations

import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from .errors import IranSyriaError
from .loaders import _require

DEFAULT_HOST = "127.0.0.1"  # the loopback address: only this machine can connect
DEFAULT_PORT = 8001  # Datasette's own default


def serve(
    path: str | Path | None = None,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    on_ready: Callable[[list[Path]], None] | None = None,
) -> None:
    """Export the package at `path` to SQLite in a temporary folder and serve it with Datasette
    on host:port until interrupted (Ctrl-C or SIGTERM); `on_ready` gets the files written."""
    if not 0 <= port <= 65535:
        raise IranSyriaError(f"--port must be between 0 and 65535, not {port}")
    datasette_cli = _require("datasette.cli", "serve")
    from .export import export_package

    with tempfile.TemporaryDirectory(prefix="iran-syria-serve-") as folder:
        database, metadata = export_package(folder, "sqlite", path=path)
        if on_ready is not None:
            on_ready([database, metadata])
        arguments = ["--immutable", str(database), "--metadata", str(metadata)]
        arguments += ["--host", host, "--port", str(port)]
        with _stopped_by_sigterm():
            try:
                datasette_cli.serve.main(arguments, prog_name="datasette", standalone_mode=False)
            except KeyboardInterrupt:
                pass  # Ctrl-C is how a server is stopped; the folder goes all the same
            except Exception as error:
                # click turns an interrupt into Abort when not standalone
                if type(error).__name__ != "Abort":
                    raise


class _Stop(KeyboardInterrupt):
    """SIGTERM, raised as an interrupt so the temporary folder is removed on the way out."""


@contextmanager
def _stopped_by_sigterm() -> Iterator[None]:
    # uvicorn shuts down gracefully on SIGTERM, restores the handler it found, then raises the
    # signal again: with Python's default handler that would end the process before the
    # temporary folder is removed.
    def stop(signum: int, frame: FrameType | None) -> None:
        raise _Stop

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
