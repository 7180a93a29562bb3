"""Edits expressed on LibCST nodes, for the rules; the runner turns them into positioned ``Edit``s.

A rule attaches ``Fix(title, applicability, (NodeEdit(...), ...))`` to its
finding (or ``Fix.unavailable(title, applicability, reason)``); ``resolve``
gives the fix every consumer sees.

A rule names the node to replace (or to insert before or after) and the new
text; nothing is re-generated from a modified tree, so every byte outside
those nodes stays as the author wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations
from typing import Any, List, Optional, Sequence, Tuple

import libcst as cst

from . import Edit, Fix

#: ``BEFORE_LINE`` inserts ``content`` as a line of its own above a node that starts its line, indented alike
REPLACE, BEFORE, AFTER, BEFORE_LINE = "replace", "before", "after", "before-line"


@dataclass(frozen=True)
class NodeEdit:
    node: Any  # a LibCST node of the linted file
    content: str
    where: str = REPLACE


def resolve(plan: Fix, positions) -> Fix:
    """A rule's fix, whose edits are NodeEdits, as positioned Edits; ``positions`` maps a node to its range."""
    edits = []
    for e in plan.edits:
        pos = positions.of(e.node)
        if pos is None:
            return Fix.unavailable(plan.title, plan.applicability, "the edited code's position is unknown")
        if e.where in (BEFORE, BEFORE_LINE):
            content = e.content
            if e.where == BEFORE_LINE:
                content += positions.source.module.default_newline + " " * (pos.column - 1)
            edits.append(Edit(pos.line, pos.column, pos.line, pos.column, content))
        elif e.where == AFTER:
            edits.append(Edit(pos.end_line, pos.end_column, pos.end_line, pos.end_column, e.content))
        else:
            edits.append(Edit(pos.line, pos.column, pos.end_line, pos.end_column, e.content))
    return Fix(plan.title, plan.applicability, tuple(edits), plan.reason)


# -- integer expressions the author wrote -----------------------------------------------------------

_ARITHMETIC = (cst.Multiply, cst.Add, cst.Subtract, cst.FloorDivide)
#: products of up to this many numbers are matched against the factors in every order
_MAX_REORDERED = 5


def is_literal(expr) -> bool:
    """An integer written at the call: ``400``, ``16 * 5 * 5``, ``(64 + 64)``; not a name or a call."""
    if isinstance(expr, cst.Integer):
        return True
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, _ARITHMETIC):
        return is_literal(expr.left) and is_literal(expr.right)
    return False


def product_leaves(expr) -> Optional[List[cst.Integer]]:
    """The integers of a product written as ``a * b * c`` (any grouping), else None."""
    if isinstance(expr, cst.Integer):
        return [expr]
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Multiply):
        left, right = product_leaves(expr.left), product_leaves(expr.right)
        if left is not None and right is not None:
            return left + right
    return None


def set_size(expr, total: int, factors: Sequence) -> Tuple[NodeEdit, ...]:
    """Edits writing ``total`` in the author's style: a product keeps its form (16 * 5 * 5 -> 16 * 4 * 4)."""
    leaves = product_leaves(expr)
    if (leaves is not None and 1 < len(leaves) == len(factors) <= _MAX_REORDERED
            and all(isinstance(f, int) and not isinstance(f, bool) for f in factors)):
        written = [leaf.evaluated_value for leaf in leaves]
        # the factors in the order that changes fewest numbers: 5 * 5 * 16 becomes 4 * 4 * 16
        order = min(permutations(factors), key=lambda p: sum(a != b for a, b in zip(p, written)))
        return tuple(NodeEdit(leaf, str(f)) for leaf, f, old in zip(leaves, order, written) if old != f)
    return (NodeEdit(expr, str(total)),)


def source_of(expr) -> str:
    """A short rendering of an argument for messages."""
    text = cst.Module([]).code_for_node(expr)
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "..."


# -- call arguments -----------------------------------------------------------------------------------

def keyword_edit(call: cst.Call, name: str, value: str) -> Optional[NodeEdit]:
    """Add ``name=value`` after the call's last argument (before any trailing comma or comment)."""
    if not call.args:
        return None  # layers that declare something always take arguments; the caller says why not
    return NodeEdit(call.args[-1].value, f", {name}={value}", AFTER)
