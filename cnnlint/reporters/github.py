"""``--format github``: GitHub Actions workflow commands, one annotation per diagnostic.

The message is the text format's line, so the problem matcher and these
annotations show the same words.  The file is named from the repository's
root, as GitHub resolves it, and a notebook's line is the .ipynb file's.  Escaping follows the Actions toolkit:
``%``, CR and LF everywhere, plus ``:`` and ``,`` inside properties.
"""

from __future__ import annotations

from . import repository_path, text

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(d) -> str:
    line, column, end_line, end_column = d.file_range()
    properties = (("title", f"cnnlint ({d.code})"), ("file", repository_path(d.path)), ("line", line),
                  ("col", column), ("endLine", end_line), ("endColumn", end_column))
    joined = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    return f"::{LEVELS.get(d.severity, 'error')} {joined}::{escape_data(text.diagnostic_line(d))}"


def render(results) -> str:
    return "".join(annotation(d) + "\n" for r in results for d in r.diagnostics)
