"""Diagnostics as every reporter sees them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Optional

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

    def as_json(self) -> dict:
        return asdict(self)

    def sort_key(self):
        return (self.path, self.line, self.column, self.code, self.message)
