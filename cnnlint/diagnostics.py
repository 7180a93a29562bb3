"""Diagnostics as every reporter sees them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import List, Optional

from .fixes import Fix

SEVERITIES = ("error", "warning", "info")


@dataclass
class Diagnostic:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    severity: str
    message: str
    model: Optional[str] = None
    #: the notebook cell (1-based, every cell counted) that line and column are within; None for a file
    cell: Optional[int] = None
    #: [line, column, end line, end column] in the file as stored, where that is not line and column
    #: (a notebook's JSON): what GitHub annotations and SARIF point at
    in_file: Optional[list] = None
    #: the edit that resolves it, or why there is none (see cnnlint.fixes)
    fix: Optional[Fix] = None
    #: other places that explain the finding (the layer's call, what produced its input): dicts with
    #: line, column, end_line, end_column and message
    related: List[dict] = field(default_factory=list)

    def __post_init__(self):
        if isinstance(self.fix, dict):  # read back from the cache or JSON
            self.fix = Fix.from_json(self.fix)

    def as_json(self) -> dict:
        found = asdict(self)
        del found["in_file"]
        found["fix"] = self.fix.as_json() if self.fix is not None else None
        if not self.related:
            del found["related"]
        return found

    def file_range(self) -> tuple:
        """(line, column, end line, end column) in the file as stored."""
        return tuple(self.in_file) if self.in_file else (self.line, self.column, self.end_line, self.end_column)

    def sort_key(self):
        return (self.path, self.line, self.column, self.code, self.message)
