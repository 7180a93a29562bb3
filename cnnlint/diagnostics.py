"""Diagnostics as every reporter sees them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import List, Optional

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
    #: other places that explain the finding (the layer's call, what produced its input): dicts with
    #: line, column, end_line, end_column and message
    related: List[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        found = asdict(self)
        if not self.related:
            del found["related"]
        return found

    def sort_key(self):
        return (self.path, self.line, self.column, self.code, self.message)
