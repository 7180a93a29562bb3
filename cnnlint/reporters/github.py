"""``--format github``: GitHub Actions workflow commands, one annotation per diagnostic.

The message is the text format's line, so the problem matcher and these
annotations show the same words.  Escaping follows the Actions toolkit:
``%``, CR and LF everywhere, plus ``:`` and ``,`` inside properties.
"""

from __future__ import annotations

from . import text

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(d) -> str:
    properties = (("title", f"cnnlint ({d.code})"), ("file", d.path), ("line", d.line), ("col", d.column),
                  ("endLine", d.end_line), ("endColumn", d.end_column))
    joined = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    return f"::{LEVELS.get(d.severity, 'error')} {joined}::{escape_data(text.diagnostic_line(d))}"


def render(results) -> str:
    return "".join(annotation(d) + "\n" for r in results for d in r.diagnostics)
