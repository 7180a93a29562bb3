"""Source positions, computed only when something needs one.

LibCST computes positions by re-generating the whole module.  Its metadata
machinery does that at several times the cost of the bare code generator;
this module runs the code generator once with a small state that tracks
line and column and records each node's range as plain tuples — the same
ranges as ``PositionProvider``, about three times faster.  Files that report
nothing never pay for it.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Optional

import libcst as cst
from libcst._nodes.internal import CodegenState

from .graph import Position
from .parsing import Source


class _RecordingState(CodegenState):
    """Code generation that records (start, end) of every node, 1-based lines, 0-based columns."""

    def __init__(self, module: cst.Module):
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.line = 1
        self.column = 0
        self.ranges: dict = {}
        self._starts: list = []

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        if "\n" not in value and "\r" not in value:  # most tokens: counting newlines is most of the cost
            self.column += len(value)
            return
        self.line += value.count("\n") + value.count("\r") - value.count("\r\n")
        self.column = len(value) - max(value.rfind("\n"), value.rfind("\r")) - 1

    def before_codegen(self, node) -> None:
        self._starts.append((self.line, self.column))

    def after_codegen(self, node) -> None:
        start = self._starts.pop()
        if node not in self.ranges:  # a syntactic range recorded inside wins, as in PositionProvider
            self.ranges[node] = (start, (self.line, self.column))

    @contextmanager
    def record_syntactic_position(self, node, *, start_node=None, end_node=None):
        start = (self.line, self.column)
        try:
            yield
        finally:
            end = (self.line, self.column)
            if start_node is not None:
                start = self.ranges[start_node][0]
            if end_node is not None:
                end = self.ranges[end_node][1]
            self.ranges[node] = (start, end)


class Positions:
    """Positions in a parsed file: its skeleton, and the function bodies parsed so far."""

    def __init__(self, source: Source):
        self.source = source
        self._ranges: Optional[dict] = None
        self._chunks_recorded = 0

    def of(self, node) -> Optional[Position]:
        if node is None:
            return None
        if self._ranges is None:
            self._ranges = {}
            self._record(self.source.module, 0)
        r = self._ranges.get(node)
        if r is None and self._chunks_recorded < len(self.source.chunks):
            for chunk, offset in self.source.chunks[self._chunks_recorded:]:
                self._record(chunk, offset)
            self._chunks_recorded = len(self.source.chunks)
            r = self._ranges.get(node)
        if r is None:
            return None
        (line, column), (end_line, end_column) = r
        end = self.source.end_of(node)
        if end is not None:
            end_line, end_column = end
        return Position(line, column + 1, end_line, end_column + 1)

    def _record(self, module: cst.Module, line_offset: int) -> None:
        state = _RecordingState(module)
        state.line += line_offset
        try:
            module._codegen(state)
        except RecursionError:  # the code generator recurses per nesting level: no positions, no crash
            return
        self._ranges.update(state.ranges)

    def line_of(self, node) -> Optional[int]:
        pos = self.of(node)
        return pos.line if pos else None
