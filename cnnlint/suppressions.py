"""Comment directives: ``# noqa``, ``# cnnlint: disable=...`` and ``# cnnlint: input-shape=...``.

Comments are found with ``tokenize``, so a "# noqa" inside a string does not
count; files that mention neither word skip the scan entirely.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Iterator, Optional, Tuple

from .rules import BY_NAME

_NOQA = re.compile(r"#\s*noqa(?P<colon>\s*:\s*(?P<codes>[^#]*))?", re.IGNORECASE)
_DISABLE = re.compile(r"#\s*cnnlint:\s*disable(?:\s*=\s*(?P<codes>[^#]*))?")
_INPUT_SHAPE = re.compile(r"#\s*cnnlint:\s*input-shape\s*=\s*([0-9,;\s()]+)")
_CODE = re.compile(r"[A-Z]+[0-9]+$")
#: a positive size of at most 18 ASCII digits ("²" is a digit to str.isdigit, and 5,000 digits is no size)
_DIMENSION = re.compile(r"[0-9]{1,18}")

#: None in place of a set of codes means every code
Codes = Optional[FrozenSet[str]]


@dataclass
class Directives:
    noqa: Dict[int, Codes] = field(default_factory=dict)
    disable: Dict[int, Codes] = field(default_factory=dict)
    input_shapes: Dict[int, tuple] = field(default_factory=dict)

    def is_suppressed(self, line: int, code: str) -> bool:
        """Whether a ``# noqa`` on ``line`` covers ``code``."""
        return _covers(self.noqa, line, code)

    def disabled(self, line: Optional[int], code: str) -> bool:
        """Whether a ``# cnnlint: disable`` on the model definition ``line`` covers ``code``."""
        return line is not None and _covers(self.disable, line, code)


def _covers(table: Dict[int, Codes], line: int, code: str) -> bool:
    if line not in table:
        return False
    codes = table[line]
    return codes is None or code in codes


def parse_codes(text: str) -> FrozenSet[str]:
    """Leading codes or rule names, separated by commas or spaces; any explanation after them is ignored."""
    found = set()
    for word in re.split(r"[\s,]+", text.strip()):
        rule = BY_NAME.get(word.lower())
        if rule is not None:
            found.add(rule.code)
        elif _CODE.match(word.upper()):
            found.add(word.upper())
        else:
            break
    return frozenset(found)


def parse_shape(text: str) -> Optional[tuple]:
    """'28,28,1' or '(1, 28, 28)' -> (28, 28, 1); a model taking several inputs, one shape each:
    '(3,224,224), (3,224,224)' or '3,224,224; 3,224,224' -> ((3, 224, 224), (3, 224, 224)); None if malformed."""
    groups = [g for g in re.split(r"\)\s*,?\s*\(|\]\s*,?\s*\[|;", text.strip()) if g.strip()]
    shapes = [_one_shape(g) for g in groups]
    if not shapes or any(shape is None for shape in shapes):
        return None
    return shapes[0] if len(shapes) == 1 else tuple(shapes)


def _one_shape(text: str) -> Optional[tuple]:
    parts = [p.strip() for p in text.strip().strip("()[]").split(",") if p.strip()]
    if not parts or not all(_DIMENSION.fullmatch(p) and int(p) > 0 for p in parts):
        return None
    return tuple(int(p) for p in parts)


def _comments(data: bytes) -> Iterator[Tuple[int, str]]:
    """(line, comment text) for every comment; a tokenising failure ends the scan where it occurred."""
    try:
        for token in tokenize.tokenize(io.BytesIO(data).readline):
            if token.type == tokenize.COMMENT:
                yield token.start[0], token.string
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError, LookupError):
        return


def scan(data: bytes) -> Directives:
    found = Directives()
    if b"noqa" not in data and b"cnnlint:" not in data:
        return found
    for line, comment in _comments(data):
        # a comment may hold several directives: "# cnnlint: disable=CNN302  # noqa: CNN102"
        for part in ("#" + p for p in comment.split("#")[1:]):
            noqa = _NOQA.match(part)
            if noqa:
                codes = parse_codes(noqa.group("codes") or "") if noqa.group("colon") else frozenset()
                found.noqa[line] = codes or None
            disable = _DISABLE.match(part)
            if disable:
                codes = parse_codes(disable.group("codes") or "")
                found.disable[line] = codes or None
            shape = _INPUT_SHAPE.match(part)
            if shape and parse_shape(shape.group(1)) is not None:
                found.input_shapes[line] = parse_shape(shape.group(1))
    return found


__all__ = ["Directives", "parse_codes", "parse_shape", "scan"]
