"""``--add-noqa``: a ``# noqa: CODE`` on every reported line, merged into a ``# noqa`` already there.

A comment cannot follow a line that ends inside a string or with a
backslash continuation; such lines are skipped and counted.
"""

from __future__ import annotations

import io
import re
import tokenize
from typing import Dict, Iterable, Set, Tuple

from . import LINE

_NOQA = re.compile(r"#\s*noqa(?P<colon>\s*:\s*(?P<codes>[A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*))?",
                   re.IGNORECASE)


def _scan(text: str) -> Tuple[Set[int], Dict[int, int]]:
    """(lines a comment can end, line -> column where its comment starts)."""
    blocked: Set[int] = set()
    comments: Dict[int, int] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                comments[token.start[0]] = token.start[1]
            elif token.type == tokenize.STRING or token.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
                blocked.update(range(token.start[0], token.end[0]))
    except (tokenize.TokenError, SyntaxError):
        return set(), {}
    lines = [m.group() for m in LINE.finditer(text) if m.group()]
    allowed = {n for n, line in enumerate(lines, 1) if n not in blocked and not line.rstrip("\r\n").endswith("\\")}
    return allowed, comments


def add_noqa(text: str, codes_by_line: Dict[int, Iterable[str]]) -> Tuple[str, int, int]:
    """(new text, comments added or extended, lines that cannot take a comment)."""
    lines = [m.group() for m in LINE.finditer(text) if m.group()]
    allowed, comments = _scan(text)
    added = skipped = 0
    for number, codes in sorted(codes_by_line.items()):
        if number > len(lines) or number not in allowed:
            skipped += 1
            continue
        line = lines[number - 1]
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        wanted = sorted(set(codes))
        existing = _last_noqa(body, comments.get(number))
        if existing is not None and existing.group("colon"):
            have = [c.upper() for c in re.split(r"[\s,]+", existing.group("codes").strip())]
            merged = have + [c for c in wanted if c not in have]
            if merged == have:
                continue
            body = body[:existing.start()] + "# noqa: " + ", ".join(merged) + body[existing.end():]
        elif existing is not None:
            continue  # a bare "# noqa" already silences every code
        else:
            body = body.rstrip() + "  # noqa: " + ", ".join(wanted)
        lines[number - 1] = body + ending
        added += 1
    return "".join(lines), added, skipped


def _last_noqa(body: str, comment_at):
    """The last ``# noqa`` in the line's comment, if it has one."""
    if comment_at is None:
        return None
    found = None
    hash_at = body.find("#", comment_at)
    while hash_at != -1:
        match = _NOQA.match(body, hash_at)
        if match:
            found = match
        hash_at = body.find("#", hash_at + 1)
    return found
