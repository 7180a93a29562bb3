"""Text output: ``path:line:col: CODE [severity] message``, as ruff prints."""

from __future__ import annotations

import os
import sys

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


def diagnostic_line(d, colour: bool = False) -> str:
    severity = f"[{d.severity}]"
    code = d.code
    if colour:
        severity = f"{_COLOURS.get(d.severity, '')}{severity}{_RESET}"
        code = f"{_BOLD}{code}{_RESET}"
    return f"{location(d.path, d.line, d.cell)}:{d.column}: {code} {severity} {printable(d.message)}"


def summary_line(results) -> str:
    counts = {"error": 0, "warning": 0, "info": 0}
    for r in results:
        for d in r.diagnostics:
            counts[d.severity] = counts.get(d.severity, 0) + 1
    total = sum(counts.values())
    if not total:
        return "All checks passed!"
    parts = [f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in counts.items() if n]
    return f"Found {total} diagnostic{'s' if total != 1 else ''} ({', '.join(parts)})."


def render(results, colour: bool = False) -> str:
    lines = [diagnostic_line(d, colour) for r in results for d in r.diagnostics]
    lines.append(summary_line(results))
    return "\n".join(lines) + "\n"
