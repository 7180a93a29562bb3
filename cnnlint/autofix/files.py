"""Fixing files: lint, apply the fixes that do not conflict, re-lint, up to a bounded number of passes.

The file's encoding (its PEP 263 declaration or BOM), line endings and
trailing newline are kept: the edits replace only their own ranges of the
decoded text, which is encoded back the same way.  A result that would not
parse is never written, and neither is a file that changed on disk while it
was being fixed.  The new file is written to a temporary file beside it and
renamed over it, so a reader sees the old file or the new one, never half.

A notebook's fixes are edits in its cells (as its diagnostics' positions
are): each code cell's source is fixed on its own and written back into the
JSON in place, every other byte of the file kept (its indentation, key
order, escapes and trailing newline).
"""

from __future__ import annotations

import ast
import difflib
import io
import os
import tempfile
import tokenize
from dataclasses import dataclass
from typing import List, Optional, Tuple

from ..fixes import LINE, applicable, apply, sort_fixes

#: fixes that conflict with an earlier one wait for the next pass; each pass re-lints the file
MAX_PASSES = 10


@dataclass
class FileFix:
    path: str
    original: bytes
    fixed: bytes
    #: the lint of the fixed text: what remains
    result: object
    #: how many fixes were applied
    applied: int = 0
    encoding: str = "utf-8"
    notebook: bool = False
    #: why the fixes were not all applied (a fix that broke the syntax, the pass limit)
    problem: Optional[str] = None

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def decode(data: bytes) -> Tuple[str, str]:
    """(text, encoding) as Python reads the file; a BOM is kept by encoding back with 'utf-8-sig'."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding), encoding


def fix_source(path: str, data: bytes, options, unsafe: bool = False, first=None) -> FileFix:
    """Apply every applicable fix to a file's bytes; ``first`` is the lint of ``data`` if already known."""
    from ..parallel import lint_sources  # fixed text is analysed in a supervised worker too

    def lint_source(path, data, options):
        return lint_sources([(path, data)], options, jobs=1)[0]

    result = first if first is not None else lint_source(path, data, options)
    notebook = options.language(path) == "ipynb"
    try:
        text, encoding = decode(data)
    except (SyntaxError, UnicodeDecodeError, LookupError):
        return FileFix(path, data, data, result)
    outcome = FileFix(path, data, data, result, encoding=encoding, notebook=notebook)
    current = data
    for _ in range(MAX_PASSES):
        fixes = [d for d in result.diagnostics if applicable(d.fix, unsafe)]
        if not fixes:
            break
        new_text, applied, python = (_apply_in_cells if notebook else _apply_in_file)(text, fixes)
        if not applied or new_text == text:
            break
        try:
            ast.parse(python)
        except (SyntaxError, ValueError):
            outcome.problem = "a fix would have made the file invalid Python; it was not applied"
            break
        text, current = new_text, new_text.encode(encoding)
        outcome.applied += len(applied)
        result = lint_source(path, current, options)
    else:
        outcome.problem = f"fixes were still left after {MAX_PASSES} passes"
    outcome.fixed, outcome.result = current, result
    return outcome


def _unique(fixes: list) -> list:
    return sort_fixes(list(dict.fromkeys(fixes)))


def _apply_in_file(text: str, diagnostics: list) -> Tuple[str, list, str]:
    """(new text, fixes applied, the Python to check)."""
    new_text, applied = apply(text, _unique([d.fix for d in diagnostics]))
    return new_text, applied, new_text


def _apply_in_cells(text: str, diagnostics: list) -> Tuple[str, list, str]:
    """A notebook's fixes applied cell by cell: (new JSON text, fixes applied, its code cells' Python)."""
    from ..notebook import read

    book = read(text.encode("utf-8"))
    by_cell: dict = {}
    for d in diagnostics:
        by_cell.setdefault(d.cell, []).append(d.fix)
    sources, applied = {}, []
    for cell, fixes in by_cell.items():
        if cell in book.code_cells:
            sources[cell], done = apply(book.cell_source(cell), _unique(fixes))
            applied.extend(done)
    new_text = book.with_cells(sources)
    return new_text, applied, read(new_text.encode("utf-8")).source


def write(outcome: FileFix) -> Optional[str]:
    """Replace the file atomically with its fixed bytes; the reason when it is not written."""
    path = outcome.path
    target = os.path.realpath(path)  # a symbolic link stays one: the file it points to is rewritten
    try:
        with open(target, "rb") as handle:
            if handle.read() != outcome.original:
                return f"{path} changed while it was being fixed; it was not written"
        mode = os.stat(target).st_mode
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".cnnlint-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(outcome.fixed)
            os.chmod(tmp, mode & 0o7777)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as exc:
        return f"cannot write {path}: {exc.strerror or exc}"
    return None


def unified_diff(outcome: FileFix) -> bytes:
    """The change as a unified diff that ``patch -p0`` and ``git apply -p0`` apply, in the file's encoding.

    Lines keep their own endings (a CRLF file's diff has CRLF lines), and a
    last line without a newline is marked as diff marks it.  A notebook's
    diff is one per changed cell, named ``nb.ipynb:cell 3``, as ruff's: the
    code, not the JSON around it (it is for reading, not for ``patch``).
    """
    encoding = "utf-8" if outcome.encoding == "utf-8-sig" else outcome.encoding  # a BOM stays in line 1
    old, new = outcome.original.decode(encoding), outcome.fixed.decode(encoding)
    if not outcome.notebook:
        return "".join(_diff(old, new, outcome.path)).encode(encoding)
    from ..notebook import read

    before, after = read(outcome.original), read(outcome.fixed)
    return "".join(line for cell in before.code_cells for line in _diff(
        before.cell_source(cell), after.cell_source(cell), f"{outcome.path}:cell {cell}")).encode("utf-8")


def _diff(old: str, new: str, name: str) -> List[str]:
    out: List[str] = []
    for number, line in enumerate(difflib.unified_diff(_lines(old), _lines(new), fromfile=name, tofile=name,
                                                       lineterm="")):
        if number < 2 or line.startswith("@@"):
            out.append(line + "\n")
        else:
            out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return out


def _lines(text: str) -> List[str]:
    return [match.group() for match in LINE.finditer(text) if match.group()]
