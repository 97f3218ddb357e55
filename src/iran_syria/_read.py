"""Read one CSV table strictly, keeping every record's physical line in the file.

The reader never stops at the first fault: bad bytes, a BOM, CR line endings and NUL bytes are
reported with their line and then stepped over, so the rest of the file is still checked.
"""

from __future__ import annotations

import bisect
import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .errors import Problem

_BOM = b"\xef\xbb\xbf"
# Safety limits for untrusted input: large enough for any honest package (a million events is
# about 350 MB), small enough that a hostile file is reported instead of exhausting memory.
MAX_FIELD_CHARS = 1 << 20
MAX_FILE_BYTES = 4 << 30
MAX_RECORDS = 20_000_000


@dataclass
class ParsedRecord:
    line: int  # physical line where the record starts (1-based)
    cells: list[str]

    def cell_line(self, index: int) -> int:
        """The physical line on which cell `index` starts (quoted cells may span lines)."""
        breaks = 0
        for cell in self.cells[:index]:
            breaks += cell.count("\n") + cell.count("\r") - cell.count("\r\n")
        return self.line + breaks


@dataclass
class ParsedTable:
    table: str
    path: str
    header: list[str] | None = None
    header_line: int = 1
    records: list[ParsedRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, code: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(code, message, self.table, self.path, line))


# Physical lines end at LF, CRLF or a lone CR, as the csv module (and most editors) count them.


def _text_line_of(text: str, offset: int) -> int:
    prefix = text[:offset]
    return prefix.count("\n") + prefix.count("\r") - prefix.count("\r\n") + 1


_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")
_BREAK_TEXT = re.compile("\r\n|\r|\n")


def _decode(data: bytes, parsed: ParsedTable) -> str:
    """UTF-8 text of the file; the first invalid byte sequence of each line is reported there.

    Line by line, so the work is linear in the file: a line of 300,000 invalid bytes used to be
    decoded again from each of its bytes (minutes, for one line)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    start = 0
    for number, brk in enumerate((*_BREAK_BYTES.finditer(data), None), start=1):
        end = brk.start() if brk is not None else len(data)
        try:
            data[start:end].decode("utf-8")
        except UnicodeDecodeError as error:
            at = start + error.start
            parsed.problem(
                "encoding-error",
                f"byte 0x{data[at]:02x} at offset {at} is not valid UTF-8; save the file as UTF-8",
                number,
            )
        if brk is not None:
            start = brk.end()
    return data.decode("utf-8", errors="replace")


def _lines_of(text: str, offsets: Iterable[int]) -> list[int]:
    """The 1-based lines of many offsets at once (line breaks found in one pass)."""
    breaks = [match.start() for match in _BREAK_TEXT.finditer(text)]
    return sorted({bisect.bisect_left(breaks, offset) + 1 for offset in offsets})


def parse_csv(table: str, path: str, data: bytes) -> ParsedTable:
    """Parse a table's bytes into its header and records, with located problems."""
    parsed = ParsedTable(table=table, path=path)
    if data.startswith(_BOM):
        parsed.problem("bom", "the file starts with a UTF-8 byte-order mark; remove it", 1)
        data = data[len(_BOM) :]
    text = _decode(data, parsed)
    if "\x00" in text:
        lines_with_nul = _lines_of(text, (m.start() for m in re.finditer("\x00", text)))
        for number in lines_with_nul:
            parsed.problem("nul-byte", "a NUL byte; the file is binary or corrupted here", number)
        text = text.replace("\x00", "")
    if "\r" in text:
        first = _text_line_of(text, text.index("\r"))
        parsed.problem(
            "bad-line-ending",
            "CR or CRLF line ending (first here); the contract says LF: convert the file to LF",
            first,
        )
    if not text.strip():
        parsed.problem("empty-file", "the file is empty; it needs at least the header row", 1)
        return parsed

    previous_limit = csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        _read_records(text, parsed)
    finally:
        csv.field_size_limit(previous_limit)
    return parsed


def _lines(text: str) -> Iterator[str]:
    """The text's physical lines with their ends, as io.StringIO(text, newline="") gives them,
    without its copy of the whole text (four bytes a character for a text of one non-ASCII
    character: a 50 MB cell cost 380 MB of memory)."""
    start = 0
    for end in _BREAK_TEXT.finditer(text):
        yield text[start : end.end()]
        start = end.end()
    if start < len(text):
        yield text[start:]


def _read_records(text: str, parsed: ParsedTable) -> None:
    reader = csv.reader(_lines(text), strict=True)
    consumed = 0  # physical lines read so far
    while True:
        start = consumed + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            consumed = reader.line_num
            code = "too-large" if "field limit" in str(error) else "bad-csv"
            parsed.problem(code, _explain_csv_error(error), start)
            if consumed < start:  # the reader made no progress: stop rather than loop
                return
            continue
        consumed = reader.line_num
        if parsed.header is None:
            if not cells:
                continue  # leading blank lines before the header
            parsed.header = cells
            parsed.header_line = start
            continue
        if len(parsed.records) >= MAX_RECORDS:
            parsed.problem(
                "limit-exceeded", f"more than {MAX_RECORDS} rows; the rest is not read", start
            )
            return
        parsed.records.append(ParsedRecord(start, cells))


def _explain_csv_error(error: csv.Error) -> str:
    message = str(error)
    if "unexpected end of data" in message:
        return "a quoted cell is never closed: a '\"' is missing (the quote starts on this line)"
    if "field larger than field limit" in message:
        return f"a cell longer than the limit of {MAX_FIELD_CHARS} characters"
    if "expected after" in message:
        return f'stray quote inside a cell ({message}); double a quote inside a quoted cell as ""'
    return f"the CSV cannot be parsed: {message}"
