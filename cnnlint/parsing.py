"""Parse a file once, and each function body only when the analysis runs it.

LibCST builds a Python object for every token, so parsing is most of a lint
run's cost — and most function bodies of a file (a layer's methods, tests,
helpers, weight tables) are never run by the analysis.  ``ast``, written in
C and an order of magnitude faster, tells where each function body lies;
LibCST parses a skeleton of the file in which those bodies are ``...`` on the
same lines, and a body's own lines when the interpreter first runs it.  Lines
and columns stay the file's, so positions are exact.  Nothing is compiled to
code: ``ast`` only parses.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from typing import Dict, List, Optional, Tuple

import libcst as cst

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")
_INDENT = re.compile(r"[ \t\f]*")
_DEF = (ast.FunctionDef, ast.AsyncFunctionDef)
#: ast fields holding the statements of a compound statement, in source order
_BLOCKS = ("body", "handlers", "orelse", "finalbody", "cases")
#: LibCST nodes that can contain a function definition without being one
_CST_CONTAINERS = (cst.BaseCompoundStatement, cst.BaseSuite, cst.Else, cst.ExceptHandler, cst.ExceptStarHandler,
                   cst.Finally, cst.MatchCase)


class _Deferred:
    """Where a function body left out of the skeleton lies in the file."""

    __slots__ = ("def_line", "body_end", "indented", "end")

    def __init__(self, def_line: int, body_end: int, indented: bool, end: Tuple[int, int]):
        self.def_line = def_line
        self.body_end = body_end
        self.indented = indented
        self.end = end  # (line, 0-based column) where the whole definition ends


class Source:
    """A parsed file: the module the interpreter runs, and bodies parsed on demand."""

    def __init__(self, module: cst.Module, lines: Optional[List[str]] = None):
        self.module = module
        self._lines = lines or []
        self._deferred: Dict[cst.FunctionDef, _Deferred] = {}
        self._bodies: Dict[cst.FunctionDef, Optional[cst.BaseSuite]] = {}
        #: (module, line offset) of every body parsed so far, for positions
        self.chunks: List[Tuple[cst.Module, int]] = []

    @property
    def text(self) -> str:
        """The whole file, for checks that look for a name anywhere in it."""
        return "".join(self._lines)

    def body(self, node: cst.FunctionDef) -> Optional[cst.BaseSuite]:
        """The function's statements; None if LibCST cannot read a body ``ast`` accepted."""
        deferred = self._deferred.get(node)
        if deferred is None:
            return node.body
        if node not in self._bodies:
            self._bodies[node] = self._parse_body(deferred)
        return self._bodies[node]

    def end_of(self, node) -> Optional[Tuple[int, int]]:
        """Where a definition whose body was left out really ends (the skeleton's ends early)."""
        deferred = self._deferred.get(node)
        return deferred.end if deferred is not None else None

    def definition_text(self, node: cst.FunctionDef) -> Optional[str]:
        """The lines of a definition whose body was left out, to look for a word before parsing it."""
        deferred = self._deferred.get(node)
        return "".join(self._lines[deferred.def_line - 1: deferred.body_end]) if deferred is not None else None

    def _parse_body(self, deferred: _Deferred) -> Optional[cst.BaseSuite]:
        text = "".join(self._lines[deferred.def_line - 1: deferred.body_end])
        offset = deferred.def_line - 1
        if deferred.indented:  # an indented block parses inside a statement that allows its indentation
            header = self._lines[deferred.def_line - 1]
            text, offset = "if 1:" + header[len(header.rstrip("\r\n")):] + text, offset - 1
        try:
            chunk = cst.parse_module(text)
        except (cst.ParserSyntaxError, RecursionError):
            return None
        self.chunks.append((chunk, offset))
        definition = chunk.body[0].body.body[0] if deferred.indented else chunk.body[0]
        return definition.body


class BeyondParser(Exception):
    """Python's own parser accepts the file, LibCST cannot read it: a limit of the analysis, not a syntax error."""


def parse(data: bytes) -> Source:
    """Parse like ``libcst.parse_module`` (same errors), deferring function bodies.

    ``BeyondParser`` when only LibCST rejects the file (a form feed before an
    indentation, ten thousand adjacent string literals).
    """
    read = _ast_parse(data)
    if read is None:  # not valid for this Python, or not decodable: LibCST's verdict and message decide
        return Source(cst.parse_module(data))
    try:
        return _parse_valid(data, read)
    except cst.ParserSyntaxError as exc:
        raise BeyondParser(exc.message.splitlines()[0] if exc.message else "") from None


def _parse_valid(data: bytes, read: tuple) -> Source:
    text, tree = read
    lines = _LINE.findall(text)
    if lines and not lines[-1]:
        lines.pop()
    definitions: list = []
    _collect(tree.body, lines, definitions)
    skeleton = list(lines)
    for node, deferred, first_line, indent in definitions:
        if deferred is not None:
            for index in range(first_line - 1, deferred.body_end):
                line = skeleton[index]
                skeleton[index] = line[len(line.rstrip("\r\n")):]  # the same line ending, nothing before it
            skeleton[first_line - 1] = indent + "..." + skeleton[first_line - 1]
    module = cst.parse_module("".join(skeleton))
    parsed = list(_cst_definitions(module))
    if [d.name.value for d in parsed] != [node.name for node, *_ in definitions]:
        return Source(cst.parse_module(data))  # the two parsers disagree: take no chances
    source = Source(module, lines)
    for definition, (_, deferred, _, _) in zip(parsed, definitions):
        if deferred is not None:
            source._deferred[definition] = deferred
    return source


def check_syntax(data: bytes) -> None:
    """Raise what ``libcst.parse_module`` would for a file that is not valid Python, quickly."""
    if _ast_parse(data) is None:
        cst.parse_module(data)


def python_syntax_error(data: bytes) -> Optional[Tuple[int, int, str]]:
    """(line, 1-based column, message) of Python's own syntax error in the file, if it reports one.

    Python names the construct and the place ("'(' was never closed" at the
    bracket) where LibCST's parser reports where it gave up, lines later.
    """
    try:
        text = data.decode(tokenize.detect_encoding(io.BytesIO(data).readline)[0])
        ast.parse(text)
    except SyntaxError as exc:
        if exc.lineno is None:
            return None
        return max(1, exc.lineno), max(1, exc.offset or 1), exc.msg
    except (ValueError, LookupError, UnicodeDecodeError, RecursionError, MemoryError):
        return None
    return None


def _ast_parse(data: bytes) -> Optional[tuple]:
    """(text, ast tree), or None when ``ast`` cannot read the file (LibCST then decides)."""
    try:
        text = data.decode(tokenize.detect_encoding(io.BytesIO(data).readline)[0])
        return text, ast.parse(text)
    except (SyntaxError, ValueError, LookupError, UnicodeDecodeError, RecursionError):
        return None


def _collect(body: list, lines: List[str], out: list) -> None:
    """Every definition outside a function body, in source order, with its body's span if it is deferred."""
    for node in body:
        if isinstance(node, _DEF):
            out.append((node, *_deferrable(node, lines)))
            continue
        for field in _BLOCKS:
            inner = getattr(node, field, None)
            if isinstance(inner, list):
                _collect(inner, lines, out)


def _deferrable(node, lines: List[str]) -> tuple:
    """(_Deferred, first body line, its indentation), or (None, 0, '') for a body on the header's line."""
    first = node.body[0]
    line, column = first.lineno, first.col_offset
    for decorator in getattr(first, "decorator_list", ()):
        if (decorator.lineno, decorator.col_offset) < (line, column):
            line, column = decorator.lineno, decorator.col_offset
    before = lines[line - 1].encode("utf-8")[:column].strip()
    if line <= node.lineno or before not in (b"", b"@"):
        return None, 0, ""
    last_line = lines[node.end_lineno - 1].encode("utf-8")
    end = (node.end_lineno, len(last_line[: node.end_col_offset].decode("utf-8", "replace")))
    indented = bool(_INDENT.match(lines[node.lineno - 1]).group())
    deferred = _Deferred(node.lineno, node.body[-1].end_lineno, indented, end)
    return deferred, line, _INDENT.match(lines[line - 1]).group()


def _cst_definitions(node):
    for child in node.children:
        if isinstance(child, cst.FunctionDef):
            yield child
        elif isinstance(child, _CST_CONTAINERS):
            yield from _cst_definitions(child)
