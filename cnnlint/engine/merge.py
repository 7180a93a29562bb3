"""Layers that combine several tensors: element-wise merges, concatenation, stack, dot, matmul, bilinear."""

from __future__ import annotations

from typing import Optional, Sequence

from .. import dims
from ..graph import Node, Problem, ProblemKind, Tensor, Weights
from .base import (NO_WEIGHTS, InvalidArgument, Layer, Stop, TakesAnyInput, axis_index, check_features,
                   declared_feature, format_shape, mismatch)


def _shapes(tensors: Sequence[Tensor]) -> str:
    return " and ".join(format_shape(t.shape[1:]) for t in tensors)


def broadcast(layer: Layer, tensors: Sequence[Tensor]) -> tuple:
    """NumPy broadcasting, aligned on the last axis: a 1 stretches, unknowns pass."""
    rank = max(t.rank for t in tensors)
    out = []
    for i in range(-rank, 0):
        sizes = [t.shape[i] for t in tensors if t.rank >= -i]
        stretched = [d for d in sizes if d != 1]
        if not stretched:
            out.append(1)
            continue
        first = stretched[0]
        if any(dims.definitely_different(first, d) for d in stretched[1:]):
            raise mismatch(f"{layer.type_name}: shapes {_shapes(tensors)} do not broadcast "
                           f"({' vs '.join(dims.render(d) for d in stretched)} on axis {rank + i})")
        known = [d for d in stretched if d is not None]
        out.append(known[0] if known else None)
    return tuple(out)


class ElementWise(TakesAnyInput, Layer):
    """Add, Subtract, Multiply, Average, Maximum, Minimum: broadcast the inputs.

    ``arity`` is the exact number of inputs required (2 for Subtract), if any.
    """

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, arity: Optional[int] = None):
        super().__init__(framework, type_name)
        self.arity = arity

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        if self.arity is not None and len(inputs) != self.arity:
            raise mismatch(f"{self.type_name} takes exactly {self.arity} inputs but receives {len(inputs)}")
        if not inputs:
            raise mismatch(f"{self.type_name} needs at least one input")
        return Tensor(broadcast(self, inputs))


class Concatenate(TakesAnyInput, Layer):
    """Concatenate along ``axis`` (batch is axis 0); other axes must agree."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, axis: int = -1):
        super().__init__(framework, type_name)
        self.axis = axis

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        if not inputs:
            raise mismatch(f"{self.type_name} needs at least one input")
        rank = inputs[0].rank
        if any(t.rank != rank for t in inputs):
            raise mismatch(f"{self.type_name}: inputs {_shapes(inputs)} have different ranks")
        axis = axis_index(self, self.axis, rank)
        out = list(inputs[0].shape)
        for i in range(rank):
            if i == axis:
                out[i] = 0
                for t in inputs:
                    out[i] = dims.add(out[i], t.shape[i])
                continue
            sizes = [t.shape[i] for t in inputs]
            if any(dims.definitely_different(sizes[0], d) for d in sizes[1:]):
                raise mismatch(f"{self.type_name}: inputs {_shapes(inputs)} differ on axis {i}, "
                               f"not only on the concatenation axis {axis}")
            known = [d for d in sizes if d is not None]
            out[i] = known[0] if known else None
        return Tensor(tuple(out))


class Dot(TakesAnyInput, Layer):
    """Keras Dot: per-sample dot product of two tensors along ``axes`` (batch is 0)."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, axes: tuple):
        super().__init__(framework, type_name)
        if len(axes) != 2:
            raise InvalidArgument(f"{type_name}: axes must be an int or a pair, got {axes!r}")
        self.axes = tuple(axes)

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        if len(inputs) != 2:
            raise mismatch(f"{self.type_name} takes exactly 2 inputs but receives {len(inputs)}")
        x, y = inputs
        ax = axis_index(self, self.axes[0], x.rank)
        ay = axis_index(self, self.axes[1], y.rank)
        if dims.definitely_different(x.shape[ax], y.shape[ay]):
            raise mismatch(f"{self.type_name}: axis {ax} of {format_shape(x.shape[1:])} has "
                           f"{dims.render(x.shape[ax])} values but axis {ay} of {format_shape(y.shape[1:])} has "
                           f"{dims.render(y.shape[ay])}")
        out = [d for i, d in enumerate(x.shape) if i != ax] + [d for i, d in enumerate(y.shape) if i not in (0, ay)]
        if len(out) == 1:
            out.append(1)
        return Tensor(tuple(out))

    def macs(self, node: Node):
        x, y = node.inputs
        return dims.mul(dims.product(node.output_tensor.shape[1:]), x.shape[axis_index(self, self.axes[0], x.rank)])


class Bilinear(Layer):
    """PyTorch Bilinear: y = x1ᵀ A x2 + b over the last axes of two inputs."""

    def __init__(self, framework: str, type_name: str, *, in1_features: int, in2_features: int,
                 out_features: int, bias: bool = True):
        super().__init__(framework, type_name)
        self.in_features = (in1_features, in2_features)
        self.out_features = out_features
        self.declared = Weights(in1_features * in2_features * out_features + (out_features if bias else 0), 0)

    def declared_sizes(self, inputs):
        return [c for t, n in zip(inputs, self.in_features) for c in declared_feature(t, -1, n)]

    def implied_input(self):
        return None

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        if len(inputs) != 2:
            raise mismatch(f"{self.type_name} takes exactly 2 inputs but receives {len(inputs)}")
        for which, (t, declared) in enumerate(zip(inputs, self.in_features), start=1):
            check_features(self, t, declared, f"features in input {which}")
        lead = broadcast(self, [Tensor(t.shape[:-1]) for t in inputs])
        return Tensor(lead + (self.out_features,))

    def macs(self, node: Node):
        lead = dims.product(node.output_tensor.shape[1:-1])
        return dims.mul(lead, self.in_features[0] * self.in_features[1] * self.out_features)


class Stack(TakesAnyInput, Layer):
    """``torch.stack``: tensors of one shape joined along a new axis."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, axis: int = 0):
        super().__init__(framework, type_name)
        self.axis = axis

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        if not inputs:
            raise mismatch(f"{self.type_name} expects a non-empty list of tensors")
        first = inputs[0]
        for t in inputs[1:]:
            if t.rank != first.rank or any(dims.definitely_different(a, b) for a, b in zip(t.shape, first.shape)):
                raise mismatch(f"{self.type_name} expects tensors of equal shape but receives "
                               f"{' and '.join(format_shape(u.shape) for u in inputs)}")
        at = axis_index(self, self.axis, first.rank + 1)
        return Tensor(tuple(first.shape[:at]) + (len(inputs),) + tuple(first.shape[at:]))


class MatMul(TakesAnyInput, Layer):
    """``a @ b`` with torch.matmul's broadcasting of the leading axes."""

    declared = NO_WEIGHTS

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        if len(inputs) != 2:  # an operand that is not a tensor cnnlint follows (a library's value)
            raise Stop(Problem(ProblemKind.UNRESOLVED, f"{self.type_name}: an operand is not a tensor cnnlint "
                                                       f"follows"))
        a, b = inputs
        if not a.rank or not b.rank:
            raise mismatch(f"{self.type_name}: both arguments need at least one dimension")
        inner_b = b.shape[0] if b.rank == 1 else b.shape[-2]
        if dims.definitely_different(a.shape[-1], inner_b):
            raise mismatch(f"{self.type_name}: {format_shape(a.shape)} and {format_shape(b.shape)} cannot be "
                           f"multiplied ({dims.render(a.shape[-1])} vs {dims.render(inner_b)})")
        if b.rank == 1:
            return Tensor(tuple(a.shape[:-1]))
        if a.rank == 1:
            return Tensor(tuple(b.shape[:-2]) + (b.shape[-1],))
        lead = broadcast(self, [Tensor(a.shape[:-2]), Tensor(b.shape[:-2])]) if a.rank > 2 or b.rank > 2 else ()
        return Tensor(tuple(lead) + (a.shape[-2], b.shape[-1]))


class Einsum(TakesAnyInput, Layer):
    """``torch.einsum(equation, *operands)``: one letter per axis; an axis of size 1 stretches, as do the
    axes under ``...``; without ``->`` the output is ``...`` then the letters used once, in ASCII order."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, equation: str):
        super().__init__(framework, type_name)
        if not isinstance(equation, str):
            raise InvalidArgument(f"einsum(): the equation must be a string, got {equation!r}")
        text = equation.replace(" ", "")
        lhs, arrow, rhs = text.partition("->")
        self.terms = lhs.split(",")
        for term in self.terms + ([rhs] if arrow else []):
            letters = term.replace("...", "", 1)
            if not all(c.isascii() and c.isalpha() for c in letters):
                raise InvalidArgument(f"einsum(): invalid subscript in {equation!r}")
        used = "".join(t.replace("...", "") for t in self.terms)
        self.output = rhs if arrow else "..." * any("..." in t for t in self.terms) + "".join(
            sorted(c for c in set(used) if used.count(c) == 1))
        if arrow and (len(set(rhs.replace("...", ""))) != len(rhs.replace("...", "")) or
                      any(c not in used for c in rhs.replace("...", ""))):
            raise InvalidArgument(f"einsum(): output subscripts in {equation!r} must appear once, and in an input")

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        if len(inputs) != len(self.terms):
            raise mismatch(f"einsum(): {len(self.terms)} operands in the equation, {len(inputs)} given")
        sizes: dict = {}
        spans = []
        for term, t in zip(self.terms, inputs):
            letters = term.replace("...", "")
            extra = t.rank - len(letters)
            if extra < 0 or (extra and "..." not in term):
                raise mismatch(f"einsum(): the subscripts {term!r} do not fit a tensor of shape {format_shape(t.shape)}")
            before = term.index("...") if "..." in term else len(letters)
            axes = list(t.shape)
            spans.append(Tensor(tuple(axes[before:before + extra])))
            for letter, size in zip(letters, axes[:before] + axes[before + extra:]):
                seen = sizes.setdefault(letter, size)
                if seen == 1 or seen is None:
                    sizes[letter] = size
                elif size != 1 and dims.definitely_different(seen, size):
                    raise mismatch(f"einsum(): subscript {letter} has size {dims.render(size)} and "
                                   f"{dims.render(seen)}")
        ellipsis = broadcast(self, spans) if any(s.rank for s in spans) else ()
        out = []
        rest = self.output
        while rest:
            if rest.startswith("..."):
                out.extend(ellipsis)
                rest = rest[3:]
            else:
                out.append(sizes[rest[0]])
                rest = rest[1:]
        return Tensor(tuple(out))


class LinearMap(TakesAnyInput, Layer):
    """``F.linear(x, weight[, bias])``: the last axis becomes ``weight``'s first (its parameters are a
    module's, counted there)."""

    declared = NO_WEIGHTS

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        x, weight = inputs[0], inputs[1] if len(inputs) > 1 else None
        if weight is None or weight.rank not in (1, 2):
            raise mismatch(f"{self.type_name}: the weight must be a matrix (or a vector)")
        if not x.rank or dims.definitely_different(x.shape[-1], weight.shape[-1]):
            raise mismatch(f"{self.type_name}: {format_shape(x.shape)} and a weight of shape "
                           f"{format_shape(weight.shape)} cannot be multiplied")
        return Tensor(tuple(x.shape[:-1]) + tuple(weight.shape[:-1]))


class ScaledDotProductAttention(TakesAnyInput, Layer):
    """``F.scaled_dot_product_attention(q, k, v)``: softmax(q·kᵀ)·v, no weights, one row per query
    position with the value's size.  The leading axes broadcast, as in matmul; ``grouped``
    (``enable_gqa``) lets key and value have fewer heads than the query."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, grouped: bool = False):
        super().__init__(framework, type_name)
        self.grouped = grouped

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        q, k, v = inputs[:3]
        if min(q.rank, k.rank, v.rank) < 2:
            raise mismatch(f"{self.type_name}: query, key and value need at least two dimensions each")
        for what, a, b in (("query and key sizes", q.shape[-1], k.shape[-1]),
                           ("key and value lengths", k.shape[-2], v.shape[-2])):
            if dims.definitely_different(a, b):
                raise mismatch(f"{self.type_name}: the {what} differ ({dims.render(a)} vs {dims.render(b)})")
        if self.grouped:
            lead = tuple(q.shape[:-2])
        else:
            lead = broadcast(self, [Tensor(t.shape[:-2]) for t in (q, k, v)])
        return Tensor(tuple(lead) + (q.shape[-2], v.shape[-1]))
