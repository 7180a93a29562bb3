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
from typing import Iterator, Optional, Sequence

from .. import dims
from ..dims import Dim
from ..graph import Node, Tensor
from .attention import MultiHeadAttention
from .base import axis_index
from .conv import Conv
from .core import Dense, Embedding, PReLU
from .merge import Bilinear
from .normalization import BatchNorm, GroupNorm, LayerNorm
from .recurrent import Recurrent
from .reshaping import View, per_sample_factors

SPATIAL_NAMES = {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}
#: square (cube) inputs are tried up to this side, other shapes up to RECTANGLE_SIDE
SQUARE_SIDE = 1024
RECTANGLE_SIDE = 128


@dataclass(frozen=True)
class Constraint:
    """A declared size ``expected`` must equal ``got``, made of ``factors``."""

    got: Dim
    expected: int
    factors: tuple


def _feature(x: Tensor, axis: int, expected) -> list:
    got = x.shape[axis]
    factors = tuple(x.factors) if x.factors and axis in (-1, x.rank - 1) else (got,)
    return [(got, expected, factors)]


def _conv(layer: Conv, inputs) -> list:
    x = inputs[0]
    batched = x.rank == layer.rank + 2
    channel = (-1 if layer.channels_last else (1 if batched else 0))
    return _feature(x, channel, layer.in_channels) if layer.in_channels is not None else []


def _view(layer: View, inputs) -> list:
    x = inputs[0]
    wanted = layer.sample_target(x.shape[0])
    per_sample = dims.exact_div(dims.product(x.shape), x.shape[0]) if x.rank else None
    return [(per_sample, wanted, per_sample_factors(x))] if wanted is not None else []


_DECLARED = {
    Dense: lambda layer, inputs: _feature(inputs[0], -1, layer.in_features) if layer.in_features else [],
    Conv: _conv,
    BatchNorm: lambda layer, inputs: _feature(inputs[0], axis_index(layer, layer.axis, inputs[0].rank),
                                              layer.num_features) if layer.num_features else [],
    GroupNorm: lambda layer, inputs: _feature(inputs[0], axis_index(layer, layer.axis, inputs[0].rank),
                                              layer.num_channels) if layer.num_channels else [],
    LayerNorm: lambda layer, inputs: [
        (got, want, (got,)) for got, want in zip(inputs[0].shape[-len(layer.normalized_shape):],
                                                 layer.normalized_shape)] if layer.normalized_shape else [],
    Recurrent: lambda layer, inputs: _feature(inputs[0], -1, layer.input_size) if layer.input_size else [],
    Bilinear: lambda layer, inputs: [c for t, n in zip(inputs, layer.in_features) for c in _feature(t, -1, n)],
    MultiHeadAttention: lambda layer, inputs: [
        c for t, n in zip(inputs, layer.features or ()) for c in _feature(t, -1, n)],
    PReLU: lambda layer, inputs: _feature(inputs[0], 1, layer.num_parameters)
    if layer.num_parameters not in (None, 1) and inputs[0].rank > 1 else [],
    View: _view,
}


def declared_sizes(node: Node) -> list:
    """Every (input size, declared size, factors) the node's layer compares."""
    for cls in type(node.layer).__mro__:
        rule = _DECLARED.get(cls)
        if rule is not None:
            if any(t.shape is None for t in node.inputs):
                return []
            compared = rule(node.layer, node.inputs)
            return [Constraint(got, expected, tuple(factors)) for got, expected, factors in compared
                    if isinstance(expected, int) and got is not None]
    return []


def open_constraints(nodes: Sequence[Node]) -> list:
    """(node, constraint) a symbolic trace left open: symbolic sizes meeting declared ones."""
    found, seen = [], set()
    for node in nodes:
        for c in declared_sizes(node):
            if isinstance(c.got, dims.Expr) and "batch" not in c.got.symbols() and c not in seen:
                seen.add(c)
                found.append((node, c))
    return found


def input_spec(layer) -> Optional[tuple]:
    """The input (batch excluded) a first layer asks for, spatial sizes as symbols H, W..."""
    if isinstance(layer, Conv) and layer.in_channels is not None:
        spatial = tuple(dims.Expr.symbol(n) for n in SPATIAL_NAMES[layer.rank])
        return spatial + (layer.in_channels,) if layer.channels_last else (layer.in_channels,) + spatial
    if isinstance(layer, (Dense, Recurrent)):
        size = layer.in_features if isinstance(layer, Dense) else layer.input_size
        if size is None:
            return None
        return (size,) if isinstance(layer, Dense) else (dims.Expr.symbol("T"), size)
    if isinstance(layer, Embedding):
        return (dims.Expr.symbol("L"),)  # token ids
    if isinstance(layer, MultiHeadAttention) and layer.features is not None:
        return (dims.Expr.symbol("L"), layer.features[0])
    if isinstance(layer, BatchNorm) and layer.num_features is not None and layer.ranks:
        rank = max(layer.ranks) - 2
        return (layer.num_features,) + tuple(dims.Expr.symbol(n) for n in SPATIAL_NAMES.get(rank, ()))
    return None


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
