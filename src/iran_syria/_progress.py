"""A one-line progress bar for long validations, drawn on stderr only when a person watches.

No dependency: the line is redrawn in place with a carriage return and blanked when done, so
nothing is left behind in the terminal and stdout (the report) is never touched.
"""

from __future__ import annotations

import os
from types import TracebackType
from typing import TextIO

#: Below this many bytes of CSV a validation takes a few seconds at most; a bar that
#: flashes and vanishes would be noise, so small packages stay silent.
MIN_BYTES = 20 * 1024 * 1024

_WIDTH = 20


def wanted(stream: TextIO | None) -> bool:
    """True when the stream is a terminal and no CI system is running us.

    CI runners set CI (GitHub Actions, GitLab, Travis, CircleCI...); their logs keep every
    carriage-return redraw as a new line, so a bar there is clutter, even under a pseudo-TTY.
    """
    if stream is None or "CI" in os.environ:  # sys.stderr is None under pythonw
        return False
    try:
        return stream.isatty()
    except (ValueError, OSError):  # a closed or detached stream cannot be drawn on either
        return False


class ProgressBar:
    """A `progress` callback for validate_package: `[#####---------------]  25% events`.

    Called as bar(table, bytes_done, bytes_total) after each table is checked; it draws
    only if `stream` is wanted() and bytes_total is at least `min_bytes` (default MIN_BYTES).
    Use it as a context manager so the line is cleared even when validation raises.
    """

    def __init__(self, stream: TextIO | None, *, min_bytes: int | None = None) -> None:
        self.stream = stream
        self.enabled = wanted(stream)
        # read at call time, not import time, so a test can lower the module's threshold
        self.min_bytes = MIN_BYTES if min_bytes is None else min_bytes
        self.drawn = 0  # characters on screen, to blank a longer line with a shorter one

    def __call__(self, table: str, bytes_done: int, bytes_total: int) -> None:
        if not self.enabled or self.stream is None or bytes_total < self.min_bytes:
            return
        fraction = min(bytes_done / bytes_total, 1.0) if bytes_total > 0 else 1.0
        filled = round(fraction * _WIDTH)
        line = f"[{'#' * filled}{'-' * (_WIDTH - filled)}] {fraction:4.0%} {table}"
        self.stream.write("\r" + line.ljust(self.drawn))
        self.stream.flush()
        self.drawn = max(self.drawn, len(line))

    def clear(self) -> None:
        """Blank the line and return the cursor to its start, if anything was drawn."""
        if self.drawn and self.stream is not None:
            self.stream.write("\r" + " " * self.drawn + "\r")
            self.stream.flush()
            self.drawn = 0

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.clear()
