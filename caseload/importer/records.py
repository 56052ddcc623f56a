"""CSV records streamed from a file with bounded memory.

The file is read in pieces of at most PIECE bytes. A small state machine, the same one Python's csv
module follows (RFC 4180 quoting; a quote inside an unquoted value is an ordinary character), finds
where each record ends, so a quoted value spanning many lines stays one record and the records
after it stay in step. A record longer than MAX_RECORD_BYTES is not kept in memory: it is read to
its end and returned cut short (`too_long`), to be rejected as one row. Only a quote that is never
closed leaves the rest of the file unreadable: that is a FileProblem, and the run fails.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _

PIECE = 64 * 1024
MAX_RECORD_BYTES = 1024 * 1024
RAW_PREVIEW = 500  # characters of an over-long record kept with its reject
csv.field_size_limit(MAX_RECORD_BYTES + PIECE)

START, IN_FIELD, IN_QUOTED, QUOTE_IN_QUOTED = range(4)
QUOTE, COMMA, NEWLINE = ord('"'), ord(","), ord("\n")
# A whole record on one line, every quoted value closed: the common case, checked in one C call.
ONE_LINE_RECORD = re.compile(rb'(?:"(?:[^"]|"")*"|[^",\n]*)(?:,(?:"(?:[^"]|"")*"|[^",\n]*))*\r?\n')
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class FileProblem(Exception):
    """A file that cannot be read as a whole: the run fails, changes nothing, and says what to fix."""

    def __init__(self, filename: str, line: int, reason: str, fix: str = "", column: str = ""):
        super().__init__(reason)
        self.filename, self.line, self.reason, self.fix, self.column = (
            filename,
            line,
            reason,
            fix,
            column,
        )

    def __str__(self) -> str:
        where = _("%(file)s, line %(line)d") % {"file": self.filename, "line": self.line}
        return f"{where}: {self.reason}" + (f" {self.fix}" if self.fix else "")

    def as_dict(self) -> dict:
        return {
            "file": self.filename,
            "line": self.line,
            "column": self.column,
            "reason": self.reason,
            "fix": self.fix,
        }


@dataclass
class Record:
    line: int  # the physical line the record starts on (the header is line 1)
    data: bytes  # the record, line end included; only its first bytes when too_long
    too_long: bool = False


def scan(piece: bytes, state: int) -> tuple[int, bool]:
    """The parser state after `piece` (at most one newline, at its end) and whether the record
    ended with it."""
    if (
        state == START
        and piece.endswith(b"\n")
        and (QUOTE not in piece or ONE_LINE_RECORD.fullmatch(piece))
    ):
        return START, True
    pos, size = 0, len(piece)
    while pos < size:
        if state == IN_QUOTED:
            end = piece.find(b'"', pos)
            if end < 0:
                return IN_QUOTED, False
            state, pos = QUOTE_IN_QUOTED, end + 1
            continue
        char = piece[pos]
        if state == QUOTE_IN_QUOTED:
            if char == QUOTE:  # "" inside a quoted value
                state, pos = IN_QUOTED, pos + 1
                continue
            state = IN_FIELD  # after the closing quote the value goes on unquoted
        elif state == START:
            if char == QUOTE:
                state, pos = IN_QUOTED, pos + 1
                continue
            state = IN_FIELD
        # Unquoted: the value runs to the next comma or to the end of the line.
        comma = piece.find(b",", pos)
        if comma < 0:
            return (START, True) if piece.endswith(b"\n") else (IN_FIELD, False)
        state, pos = START, comma + 1
    return state, False


def records(handle: BinaryIO, filename: str) -> Iterator[Record]:
    """Every record of the file, the header first."""
    line = 0  # complete physical lines read so far
    parts: list[bytes] = []
    size, too_long, start, state = 0, False, 1, START
    first = True
    while piece := handle.readline(PIECE):
        if first:
            first = False
            if piece.startswith(UTF16_BOMS):
                raise FileProblem(
                    filename,
                    1,
                    _("the file is encoded as UTF-16, not UTF-8."),
                    _("Save or export it as UTF-8 and import again."),
                )
            piece = piece.removeprefix(UTF8_BOM)
        if not size:
            start = line + 1
        state, ended = scan(piece, state)
        size += len(piece)
        if not too_long:
            parts.append(piece)
            if size > MAX_RECORD_BYTES:
                too_long = True
                parts = [b"".join(parts)[: RAW_PREVIEW * 4]]
        if piece.endswith(b"\n"):
            line += 1
        if ended:
            yield Record(start, b"".join(parts), too_long)
            parts, size, too_long = [], 0, False
    if size:
        if state == IN_QUOTED:
            raise FileProblem(
                filename,
                start,
                _(
                    "a quoted value opened in the record on line %(line)d is never closed, so the "
                    "rest of the file (%(lines)d lines) cannot be read."
                )
                % {"line": start, "lines": line - start + 1},
                _('Close the quote (") on line %(line)d or remove it.') % {"line": start},
            )
        yield Record(start, b"".join(parts), too_long)


def decode(data: bytes) -> tuple[str, bool]:
    """The text of a record and whether it was valid UTF-8 without NUL characters."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace").replace("\x00", "\ufffd"), False
    if "\x00" in text:  # PostgreSQL cannot store NUL in text
        return text.replace("\x00", "\ufffd"), False
    return text, True


def split(text: str) -> list[str]:
    """The values of one record (raises csv.Error on a bare carriage return and the like)."""
    if '"' not in text:  # no quoting: what csv would return, ten times faster
        line = text.removesuffix("\n").removesuffix("\r")
        if "\r" not in line and "\n" not in line:
            return line.split(",") if line else []
    return next(csv.reader((text,)), [])
