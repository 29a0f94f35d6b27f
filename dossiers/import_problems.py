"""What can go wrong in a dossier import, the exceptions that carry it, and quoting a cell safely.

Every check of an import (the file, its header, each row, the replay) reports a Problem with the
line it is about, so the whole file is answered at once. Messages never quote the applicant's
personal data: `safe_echo` repeats a cell only when it is shaped like a code, a status or a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Problem:
    """One thing wrong; `line` is the file's line (CSV) or row (XLSX), None for the whole file.

    `code` is a stable machine code when the problem has one (e.g. "commune-inactive"). Messages
    never quote the applicant's name, ID number, phone or address: rows are named by line and code.
    """

    line: int | None
    message: str
    code: str = ""

    def __str__(self):
        return (
            _("Dòng %(line)d: %(message)s") % {"line": self.line, "message": self.message}
            if self.line
            else (self.message)
        )


class ImportFileError(Exception):
    """The file cannot be read at all; `problems` says why."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ImportRefused(Exception):
    """Nothing was imported; `problems` lists every reason with its line."""

    def __init__(self, problems):
        self.problems = sorted(problems, key=lambda p: p.line or 0)
        super().__init__("\n".join(str(p) for p in self.problems))


#: A run of 9 or more digits: never part of a code, a date or a time, perhaps an ID number or phone.
LONG_NUMBER = re.compile(r"[0-9]{9,}")
#: What a code, a status or a time looks like: one token, perhaps followed by a clock time.
_CODE_LIKE = re.compile(r"[0-9A-Za-z.:/+\-]{1,30}( [0-9:.]{1,8})?")


def safe_echo(value) -> str:
    """A cell's value for a message, unless it may be personal data in the wrong column.

    An ID number, phone, name or address pasted under "Mã thủ tục" must not come back in a
    message: only values shaped like codes, statuses and times are repeated, and never one holding
    a run of 9 or more digits (codes, dates and times never do).
    """
    text = str(value)
    if _CODE_LIKE.fullmatch(text) and not LONG_NUMBER.search(text):
        return text
    return _("(giá trị đã ẩn)")
