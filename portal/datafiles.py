"""Shared shapes of the loaders of reference files (units, procedures): what went wrong where,
and what a load did. Each loader validates every row first and reports every problem at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file; `line` is None when it concerns the whole file."""

    file: str
    line: int | None
    message: str

    def __str__(self):
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


class DataFileError(Exception):
    """The file(s) cannot be loaded; `problems` lists every reason, file and line."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Counts:
    """Rows a load created, updated and left unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self):
        return self.created + self.updated + self.unchanged

    @property
    def changed(self):
        return bool(self.created or self.updated)
