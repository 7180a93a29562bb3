"""Source positions, computed only when something needs one.

LibCST computes positions by re-generating the whole module, which costs
several times the parse; files that report nothing never pay for it.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from .graph import Position


class Positions:
    def __init__(self, module: cst.Module):
        self.module = module
        self._ranges = None

    def of(self, node) -> Optional[Position]:
        if node is None:
            return None
        if self._ranges is None:
            wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
            try:
                self._ranges = wrapper.resolve(PositionProvider)
            except RecursionError:  # LibCST's code generator recurses per nesting level: no positions, no crash
                self._ranges = {}
        r = self._ranges.get(node)
        if r is None:
            return None
        return Position(r.start.line, r.start.column + 1, r.end.line, r.end.column + 1)

    def line_of(self, node) -> Optional[int]:
        pos = self.of(node)
        return pos.line if pos else None
