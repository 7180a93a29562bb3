"""Text output: ``path:line:col: CODE [severity] message``, as ruff prints."""

from __future__ import annotations

import os
import sys
from typing import Optional

from ..fixes import applicable

from . import location, printable

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"


def use_colour(stream=None, choice: str = "auto") -> bool:
    """``--color always|never`` decide; else no colour if NO_COLOR is set (non-empty: no-color.org), colour if
    FORCE_COLOR is (non-empty: force-color.org), and otherwise only on a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = stream or sys.stdout
    return hasattr(stream, "isatty") and stream.isatty()


def diagnostic_line(d, colour: bool = False, unsafe: bool = False) -> str:
    """``[*]`` after the code marks what ``--fix`` (``--unsafe-fixes`` with ``unsafe``) would fix, as ruff."""
    severity = f"[{d.severity}]"
    code = d.code
    if colour:
        severity = f"{_COLOURS.get(d.severity, '')}{severity}{_RESET}"
        code = f"{_BOLD}{code}{_RESET}"
    if applicable(d.fix, unsafe):
        code += " [*]"
    return f"{location(d.path, d.line, d.cell)}:{d.column}: {code} {severity} {printable(d.message)}"


def summary_line(results, fixed: int = 0) -> str:
    counts = {"error": 0, "warning": 0, "info": 0}
    for r in results:
        for d in r.diagnostics:
            counts[d.severity] = counts.get(d.severity, 0) + 1
    total = sum(counts.values())
    if fixed:
        found = _count(total + fixed, "diagnostic", "diagnostics")
        return f"Found {found} ({fixed} fixed, {total} remaining)."
    if not total:
        return "All checks passed!"
    parts = [f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in counts.items() if n]
    return f"Found {total} diagnostic{'s' if total != 1 else ''} ({', '.join(parts)})."


def fixable_note(results: list, unsafe: bool) -> Optional[str]:
    """ruff's closing line: how many diagnostics ``--fix`` would fix, and how many more ``--unsafe-fixes``."""
    fixable = sum(1 for r in results for d in r.diagnostics if applicable(d.fix, unsafe))
    hidden = 0 if unsafe else sum(1 for r in results for d in r.diagnostics
                                  if applicable(d.fix, True) and not applicable(d.fix, False))
    hidden_fixes = _count(hidden, "hidden fix", "hidden fixes")
    more = f" ({hidden_fixes} can be enabled with the `--unsafe-fixes` option)" if hidden else ""
    if fixable:
        return f"[*] {fixable} fixable with the `--fix` option{more}."
    if hidden:
        return f"No fixes available{more}."
    return None


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def render(results, colour: bool = False, unsafe: bool = False, fixed: int = 0) -> str:
    """``fixed``: how many diagnostics ``--fix`` fixed; ``results`` are what remains."""
    lines = [diagnostic_line(d, colour, unsafe) for r in results for d in r.diagnostics]
    lines.append(summary_line(results, fixed))
    note = fixable_note(results, unsafe)
    if note:
        lines.append(note)
    return "\n".join(lines) + "\n"
