"""Fixes: text edits attached to a diagnostic, one engine for ``--fix``, SARIF and editor code actions.

A rule that knows the one mechanical change its finding calls for attaches a
:class:`Fix` to the diagnostic (``Diagnostic.fix``), as Fixit attaches a
replacement node to a lint report.  The edits are computed from LibCST
positions when the file is linted, so a fix is plain data: it is cached,
printed as JSON and SARIF, and applied to the file's text without parsing it
again.  Everything outside the edited ranges is kept byte for byte.

The API, for every consumer:

- ``Edit(line, column, end_line, end_column, content)``: replace a range (1-based lines and code-point
  columns, end exclusive, as diagnostics count) with ``content``; an empty range inserts.
- ``Fix(title, applicability, edits, reason)``: ``applicability`` is ``SAFE`` (applied by ``--fix``),
  ``UNSAFE`` (applied with ``--unsafe-fixes``: the code's behaviour or saved weights change) or
  ``DISPLAY_ONLY`` (a suggestion shown in SARIF and code actions, never applied); a fix without edits says
  in ``reason`` why none can be made.  ``fix.available`` is True when it has edits.
- ``applicable(fix, unsafe)``: whether ``--fix`` (with ``--unsafe-fixes`` when ``unsafe``) applies it.
- ``apply(text, fixes) -> (new_text, applied)``: applies fixes whose edits overlap no earlier fix, in order
  (the first wins; the caller re-lints and tries the others again).
- ``offsets(text)``: a function from (line, column) to an index in ``text``, for editors (an LSP position is
  0-based and counts UTF-16 units: convert from the line's text).
- ``sort_fixes(fixes)``: in the order of the text they edit, as ``apply`` wants them.

Where fixes come from: ``cnnlint.runner.lint_source(path, data, options).diagnostics``, each with its ``fix``
(``options.fixable`` drops those of rules configured ``unfixable``; in a notebook, a diagnostic's edits count
lines within its ``cell``, as its position does); ``cnnlint.autofix.files.fix_source(path,
data, options, unsafe)`` gives the whole file after every applicable fix ("fix all"), re-linted.

:mod:`cnnlint.autofix.files` runs the fix loop over files (lint, apply, re-lint, write atomically) and renders
``--diff``; :mod:`cnnlint.fixes.noqa` adds ``# noqa`` comments; :mod:`cnnlint.fixes.edits` turns LibCST nodes
into edits for the rules.  This module imports nothing heavy: cached results are fixed without LibCST.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, List, Optional, Sequence, Tuple

SAFE = "safe"
UNSAFE = "unsafe"
DISPLAY_ONLY = "display-only"
APPLICABILITIES = (SAFE, UNSAFE, DISPLAY_ONLY)

#: lines as Python (and LibCST) count them: \r\n, \r and \n all end one
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")


@dataclass(frozen=True)
class Edit:
    line: int
    column: int
    end_line: int
    end_column: int
    content: str

    @property
    def start(self) -> Tuple[int, int]:
        return (self.line, self.column)

    @property
    def end(self) -> Tuple[int, int]:
        return (self.end_line, self.end_column)


@dataclass(frozen=True)
class Fix:
    title: str
    applicability: str
    edits: Tuple[Edit, ...] = ()
    #: why no edit can be made (a fix without edits)
    reason: Optional[str] = None

    @property
    def available(self) -> bool:
        return bool(self.edits)

    @classmethod
    def unavailable(cls, title: str, applicability: str, reason: str) -> "Fix":
        return cls(title, applicability, (), reason)

    def as_json(self) -> dict:
        return {"title": self.title, "applicability": self.applicability, "reason": self.reason,
                "edits": [{"line": e.line, "column": e.column, "end_line": e.end_line, "end_column": e.end_column,
                           "content": e.content} for e in self.edits]}

    @classmethod
    def from_json(cls, doc: dict) -> "Fix":
        return cls(doc["title"], doc["applicability"], tuple(Edit(**e) for e in doc["edits"]), doc.get("reason"))


def applicable(fix: Optional[Fix], unsafe: bool = False) -> bool:
    """Whether ``--fix`` applies ``fix`` (``unsafe``: with ``--unsafe-fixes``)."""
    if fix is None or not fix.available:
        return False
    return fix.applicability == SAFE or (unsafe and fix.applicability == UNSAFE)


def offsets(text: str) -> Callable[[int, int], int]:
    """(1-based line, 1-based column) -> index into ``text``; past the end clamps to it."""
    starts: List[int] = [0]
    for match in LINE.finditer(text):
        if match.end() > match.start():
            starts.append(match.end())

    def index(line: int, column: int) -> int:
        if line - 1 >= len(starts):
            return len(text)
        return min(starts[line - 1] + column - 1, len(text))

    return index


def _overlap(a: Tuple[int, int], b: Tuple[int, int]) -> bool:
    """Two [start, end) ranges touch the same text; two insertions at one point conflict too."""
    return a[0] < b[1] and b[0] < a[1] or a[0] == b[0]


def apply(text: str, fixes: Iterable[Fix]) -> Tuple[str, List[Fix]]:
    """Apply, in order, every fix that overlaps none applied before it; return the text and those applied."""
    index = offsets(text)
    taken: List[Tuple[int, int]] = []
    chosen: List[Tuple[int, int, str]] = []
    applied: List[Fix] = []
    for fix in fixes:
        ranges = [(index(*e.start), index(*e.end), e.content) for e in fix.edits]
        if not ranges or any(start > end for start, end, _ in ranges):
            continue
        spans = [(start, end) for start, end, _ in ranges]
        if any(_overlap(s, t) for s in spans for t in taken) or any(
                _overlap(s, t) for i, s in enumerate(spans) for t in spans[i + 1:]):
            continue
        taken.extend(spans)
        chosen.extend(ranges)
        applied.append(fix)
    for start, end, content in sorted(chosen, key=lambda r: (r[0], r[1]), reverse=True):
        text = text[:start] + content + text[end:]
    return text, applied


def sort_fixes(fixes: Sequence[Fix]) -> List[Fix]:
    """Fixes in the order of the text they edit: deterministic, whatever order the rules ran in."""
    return sorted(fixes, key=lambda f: (min(e.start for e in f.edits), f.title) if f.edits else ((0, 0), f.title))


__all__ = ["APPLICABILITIES", "DISPLAY_ONLY", "Edit", "Fix", "SAFE", "UNSAFE", "applicable", "apply", "offsets",
           "sort_fixes"]
