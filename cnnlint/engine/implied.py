"""The input size a model's own numbers imply.

PyTorch layers declare their input sizes (``nn.Linear(16 * 5 * 5, 120)``).
Traced with a symbolic input (H, W unknown), each declared size that meets
a symbolic one is an equation such as ``16·(((H - 4) // 2 - 4) // 2)² = 400``;
a small search over input sizes solves them: the smallest fitting input is
the one the author most likely had in mind (32×32 for LeNet's 16·5·5).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import gcd
from typing import Iterator, Sequence

from .. import dims
from ..dims import Dim
from ..graph import Node

#: square (cube) inputs are tried up to this side, other shapes up to RECTANGLE_SIDE
SQUARE_SIDE = 1024
RECTANGLE_SIDE = 128


@dataclass(frozen=True)
class Constraint:
    """A declared size ``expected`` must equal ``got``, made of ``factors``."""

    got: Dim
    expected: int
    factors: tuple


def declared_sizes(node: Node) -> list:
    """Every size the node's layer declares, as a Constraint on what it receives."""
    if any(t.shape is None for t in node.inputs):
        return []
    compared = node.layer.declared_sizes(node.inputs)
    return [Constraint(got, expected, tuple(factors)) for got, expected, factors in compared
            if isinstance(expected, int) and got is not None]


def open_constraints(nodes: Sequence[Node]) -> list:
    """(node, constraint) a symbolic trace left open: symbolic sizes meeting declared ones."""
    found, seen = [], set()
    for node in nodes:
        for c in declared_sizes(node):
            if isinstance(c.got, dims.Expr) and "batch" not in c.got.symbols() and c not in seen:
                seen.add(c)
                found.append((node, c))
    return found


def batch_as_size(nodes: Sequence[Node]) -> bool:
    """Whether a layer's declared size meets the batch's: the traced input's rank is not the one the code
    reads (a linear layer's features guessed as the whole input of a sequence model)."""
    return any(isinstance(c.got, dims.Expr) and "batch" in c.got.symbols()
               for node in nodes for c in declared_sizes(node))


def impossible(c: Constraint) -> bool:
    """True when no integer sizes can satisfy ``c``: its non-constant terms share a factor ``expected`` lacks."""
    common = 0
    for monomial, coef in c.got.terms.items():
        if monomial:
            common = gcd(common, coef)
    return common > 1 and (c.expected - c.got.constant_term()) % common != 0


def candidate_sizes(symbols: Sequence[str]) -> Iterator[dict]:
    """Input sizes to try, smallest first: equal sides, then (for two symbols) rectangles."""
    for side in range(1, SQUARE_SIDE + 1):
        yield {s: side for s in symbols}
    if len(symbols) == 2:
        first, second = symbols
        for total in range(3, 2 * RECTANGLE_SIDE + 1):
            for a in range(max(1, total - RECTANGLE_SIDE), min(total, RECTANGLE_SIDE + 1)):
                if a != total - a:
                    yield {first: a, second: total - a}


def solutions(found: Sequence[Constraint], symbols: Sequence[str]) -> Iterator[dict]:
    """Assignments of the input symbols satisfying every constraint, smallest first."""
    if not found or any(impossible(c) for c in found):
        return
    for env in candidate_sizes(symbols):
        if all(dims.evaluate(c.got, env) == c.expected for c in found):
            yield env
