"""``--fix``, ``--diff`` and ``--add-noqa`` on the command line's lint results.

Files are linted first as usual (in parallel, from the cache); only those
with something to change are read again and fixed, one at a time.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Set

from ..fixes import applicable
from .files import FileFix, decode, fix_source, unified_diff, write


@dataclass
class FixRun:
    results: list
    fixed: int = 0
    #: what the caller prints: a diff (bytes) or nothing
    diff: bytes = b""
    messages: List[str] = field(default_factory=list)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def fix_files(results: list, options_for: Callable, unsafe: bool, diff: bool) -> FixRun:
    """Fix (or, with ``diff``, only diff) every file with an applicable fix; the results after fixing."""
    run = FixRun(list(results))
    chunks: List[bytes] = []
    for i, result in enumerate(results):
        if not any(applicable(d.fix, unsafe) for d in result.diagnostics):
            continue
        try:
            with open(result.path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            run.messages.append(f"cannot read {result.path}: {exc.strerror or exc}")
            continue
        outcome = fix_source(result.path, data, options_for(result.path), unsafe)
        if outcome.problem:
            run.messages.append(f"{result.path}: {outcome.problem}")
        if not outcome.changed:
            continue
        if diff:
            chunks.append(unified_diff(outcome))
            run.fixed += outcome.applied
            continue
        failure = write(outcome)
        if failure:
            run.messages.append(failure)
            continue
        run.fixed += outcome.applied
        run.results[i] = outcome.result
    run.diff = b"".join(chunks)
    return run


#: file-level findings (an empty file, a syntax error) have no line a comment could silence
_NO_LINE = {"CNN000", "CNN001", "CNN002"}


def add_noqa(results: list) -> FixRun:
    """Add ``# noqa: CODE`` to every reported line; the file is written as ``--fix`` writes it."""
    from ..fixes.noqa import add_noqa as add

    run = FixRun(list(results))
    skipped = 0
    for result in results:
        if any(d.cell is not None for d in result.diagnostics):
            run.messages.append(f"{result.path}: notebooks do not take noqa comments yet")
            continue
        by_line: Dict[int, Set[str]] = {}
        for d in result.diagnostics:
            if d.code not in _NO_LINE:
                by_line.setdefault(d.line, set()).add(d.code)
        if not by_line:
            continue
        try:
            with open(result.path, "rb") as handle:
                data = handle.read()
            text, encoding = decode(data)
        except (OSError, SyntaxError, UnicodeDecodeError, LookupError) as exc:
            run.messages.append(f"cannot add noqa to {result.path}: {getattr(exc, 'strerror', None) or exc}")
            continue
        new_text, added, cannot = add(text, by_line)
        skipped += cannot
        if not added:
            continue
        failure = write(FileFix(result.path, data, new_text.encode(encoding), result, encoding=encoding))
        if failure:
            run.messages.append(failure)
            continue
        run.fixed += added
    run.messages.append(f"Added {_plural(run.fixed, 'noqa directive')}." + (
        f" {_plural(skipped, 'line')} ending inside a string or a continuation could not take one." if skipped
        else ""))
    return run


def report(run: FixRun, diff: bool) -> None:
    for message in run.messages:
        sys.stderr.write(f"cnnlint: {message}\n" if not message.startswith("Added") else message + "\n")
    if diff:
        sys.stderr.write(f"Would fix {_plural(run.fixed, 'diagnostic')}.\n" if run.fixed else
                         "No diagnostics would be fixed.\n")
