"""Fixing files: lint, apply the fixes that do not conflict, re-lint, up to a bounded number of passes.

The file's encoding (its PEP 263 declaration or BOM), line endings and
trailing newline are kept: the edits replace only their own ranges of the
decoded text, which is encoded back the same way.  A result that would not
parse is never written, and neither is a file that changed on disk while it
was being fixed.  The new file is written to a temporary file beside it and
renamed over it, so a reader sees the old file or the new one, never half.
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
    try:
        text, encoding = decode(data)
    except (SyntaxError, UnicodeDecodeError, LookupError):
        return FileFix(path, data, data, result)
    outcome = FileFix(path, data, data, result, encoding=encoding)
    current = data
    for _ in range(MAX_PASSES):
        fixes = sort_fixes(list(dict.fromkeys(d.fix for d in result.diagnostics if applicable(d.fix, unsafe))))
        if not fixes:
            break
        new_text, applied = apply(text, fixes)
        if not applied or new_text == text:
            break
        try:
            ast.parse(new_text)
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
    last line without a newline is marked as diff marks it.
    """
    encoding = "utf-8" if outcome.encoding == "utf-8-sig" else outcome.encoding  # a BOM stays in line 1
    old = _lines(outcome.original.decode(encoding))
    new = _lines(outcome.fixed.decode(encoding))
    out: List[str] = []
    for number, line in enumerate(difflib.unified_diff(old, new, fromfile=outcome.path, tofile=outcome.path,
                                                       lineterm="")):
        if number < 2 or line.startswith("@@"):
            out.append(line + "\n")
        else:
            out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out).encode(encoding)


def _lines(text: str) -> List[str]:
    return [match.group() for match in LINE.finditer(text) if match.group()]
