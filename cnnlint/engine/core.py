"""Dense/Linear, Flatten, the layers that keep their input's shape, losses, and the summary-only rows."""

from __future__ import annotations

from typing import Optional, Sequence

from .. import dims
from ..dims import Dim
from ..graph import Node, Problem, ProblemKind, Tensor, Weights
from .base import NO_WEIGHTS, Layer, Stop, TakesAnyInput, apply, check_features, declared_feature, mismatch, symbols


class Dense(Layer):
    """A fully connected layer applied to the last axis.

    Keras infers the input features at build time; PyTorch's Linear declares
    them, and a disagreement is the classic CNN101.
    """

    def __init__(self, framework: str, type_name: str, *, units: int, bias: bool = True,
                 in_features: Optional[int] = None, activation=None, label: str = ""):
        super().__init__(framework, type_name)
        #: a fused activation (Keras ``activation=``), None when linear
        self.activation = activation
        self.units = units
        self.bias = bias
        self.in_features = in_features
        self.label = label
        if in_features is not None:
            self.declared = self._weights(in_features)

    def _weights(self, fin) -> Weights:
        return Weights(dims.add(dims.mul(fin, self.units), self.units if self.bias else 0), 0)

    def channel_axis(self, rank: int) -> int:
        return rank - 1

    def declared_sizes(self, inputs):
        return declared_feature(inputs[0], -1, self.in_features) if self.in_features else []

    def implied_input(self):
        return None if self.in_features is None else (self.in_features,)

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        if x.rank < (2 if self.framework == "keras" else 1):
            raise mismatch(f"{self.type_name} expects at least one feature axis but receives a scalar per sample")
        fin = x.shape[-1]
        if self.in_features is not None:
            check_features(self, x, self.in_features, "features", label=self.label)
        if fin is not None:  # unknown input features leave the weights unknown, not the shape
            node.weights = self._weights(fin)
        return Tensor(tuple(x.shape[:-1]) + (self.units,))

    def macs(self, node: Node):
        x = node.inputs[0]
        fin = self.in_features if self.in_features is not None else x.shape[-1]
        return dims.mul(dims.product(x.shape[1:-1]), dims.mul(fin, self.units))


class Flatten(TakesAnyInput, Layer):
    """Flatten every axis from ``start`` to ``end`` (batch is axis 0)."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str = "Flatten", start: int = 1, end: int = -1):
        super().__init__(framework, type_name)
        self.start = start
        self.end = end

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        rank = x.rank
        start = self.start + rank if self.start < 0 else self.start
        end = self.end + rank if self.end < 0 else self.end
        if not (0 <= start < rank and 0 <= end < rank) and rank > 0:
            raise mismatch(f"{self.type_name}: dimensions {self.start}..{self.end} are out of range for rank {rank - 1}")
        if start > end:
            return Tensor(x.shape)
        merged = tuple(x.shape[start:end + 1])
        total = dims.product(merged)
        return Tensor(tuple(x.shape[:start]) + (total,) + tuple(x.shape[end + 1:]), factors=merged)


class SameShape(TakesAnyInput, Layer):
    """Activations, dropout, identity: the output is the input."""

    declared = NO_WEIGHTS

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        x = inputs[0]
        return Tensor(x.shape, factors=x.factors, dtype=x.dtype)


class Loss(TakesAnyInput, Layer):
    """A loss module kept on the model (``self.criterion``): no weights (a class weight is a buffer), and a
    scalar when applied with ``reduction`` 'mean' or 'sum'."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, reduction):
        super().__init__(framework, type_name)
        self.reduction = reduction

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        if self.reduction in ("mean", "sum"):
            return Tensor(())
        why = "whose reduction is not known" if self.reduction is None else f"with reduction={self.reduction!r}"
        raise Stop(Problem(ProblemKind.UNRESOLVED, f"{self.type_name}: the output shape of a loss {why} is not "
                                                   "modelled"))


class Parameter(TakesAnyInput, Layer):
    """A tensor of weights the code creates itself (``nn.Parameter``, Keras ``add_weight``).

    Its elements are parameters; applied, it has no input and gives the tensor.
    """

    def __init__(self, framework: str, type_name: str, *, shape: Sequence[Dim], trainable: bool = True):
        super().__init__(framework, type_name)
        self.shape = tuple(shape)
        count = dims.product(self.shape)
        self.declared = Weights(count, 0) if trainable else Weights(0, count)

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        return Tensor(self.shape)


class Opaque(TakesAnyInput, Layer):
    """A layer cnnlint cannot model: what follows has unknown shape."""

    def __init__(self, framework: str, type_name: str, reason: str, invalid: bool = False):
        super().__init__(framework, type_name)
        self.reason = reason
        self.invalid = invalid  # the framework itself would reject the layer

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        raise Stop()


class PReLU(Layer):
    """A ReLU with a learned negative slope per element (Keras) or channel (PyTorch).

    Keras learns one slope per input element except along ``shared_axes``
    (batch is axis 0); PyTorch declares ``num_parameters`` slopes, 1 or the
    number of channels on axis 1.
    """

    def __init__(self, framework: str, type_name: str, *, shared_axes: Sequence[int] = (),
                 num_parameters: Optional[int] = None):
        super().__init__(framework, type_name)
        self.shared_axes = frozenset(shared_axes)
        self.num_parameters = num_parameters
        if num_parameters is not None:
            self.declared = Weights(num_parameters, 0)

    def declared_sizes(self, inputs):
        if self.num_parameters in (None, 1) or inputs[0].rank < 2:
            return []
        return declared_feature(inputs[0], 1, self.num_parameters)

    def implied_input(self):
        return None

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        if self.num_parameters is not None:
            if self.num_parameters != 1:
                if x.rank < 2:
                    raise mismatch(f"{self.type_name} has {self.num_parameters} slopes but its input has no channels")
                check_features(self, x, self.num_parameters, "channels", axis=1)
        else:
            if any(a >= x.rank for a in self.shared_axes):
                raise mismatch(f"{self.type_name}: shared_axes {sorted(self.shared_axes)} exceed the input rank "
                               f"{x.rank - 1}")
            kept = [d for axis, d in enumerate(x.shape) if axis and axis not in self.shared_axes]
            node.weights = Weights(dims.product(kept), 0)
        return Tensor(x.shape, factors=x.factors)


class Embedding(Layer):
    """A lookup table of ``input_dim`` vectors of size ``output_dim``: adds a trailing axis."""

    def __init__(self, framework: str, type_name: str, *, input_dim: int, output_dim: int):
        super().__init__(framework, type_name)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.declared = Weights(input_dim * output_dim, 0)

    def declared_sizes(self, inputs):
        return []

    def implied_input(self):
        return symbols(("L",))  # token ids

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        return Tensor(tuple(x.shape) + (self.output_dim,))


class Container(TakesAnyInput, Layer):
    """A submodule call (Sequential, a user module): a summary row around its children's rows."""

    declared = NO_WEIGHTS

    def summary_row(self, node, weights, first):
        return super().summary_row(node, weights, first)._replace(container=True)


class InputLayer(TakesAnyInput, Layer):
    """The input row Keras shows at the top of a functional model's summary."""

    type_name = "InputLayer"
    declared = NO_WEIGHTS

    def __init__(self, tensor: Tensor):
        super().__init__("keras")
        self.tensor = tensor

    def infer(self, node, inputs):
        return self.tensor


class TimeDistributed(TakesAnyInput, Layer):
    """Keras' TimeDistributed(layer): the layer applied to each step of axis 1, with one set of weights."""

    def __init__(self, framework: str, type_name: str, *, layer: Layer):
        super().__init__(framework, type_name)
        self.layer = layer
        self.declared = layer.declared

    def _step(self, x: Tensor) -> Node:
        """The wrapped layer on one step: the input without its time axis."""
        return apply(self.layer, [Tensor((x.shape[0],) + tuple(x.shape[2:]))])

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        if x.rank < 3:
            raise mismatch(f"TimeDistributed needs an input of rank 3 or more (batch, time, ...), got rank {x.rank}")
        step = self._step(x)
        node.facts.extend(step.facts)
        node.weights = step.weights
        out = step.output
        if not isinstance(out, Tensor) or out.shape is None:
            raise Stop()
        return Tensor((x.shape[0], x.shape[1]) + tuple(out.shape[1:]))

    def macs(self, node: Node) -> Dim:
        x = node.inputs[0]
        step = self._step(x)
        return dims.mul(x.shape[1], self.layer.macs(step)) if isinstance(step.output, Tensor) else None


class Traced(TakesAnyInput, Layer):
    """A layer whose computation is Python code the front end follows (Keras' Lambda): its output is the
    one found there, given with each application (``options["output"]``), or unknown with why."""

    declared = NO_WEIGHTS

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        out = node.options.get("output")
        if not isinstance(out, Tensor) or out.shape is None:
            raise Stop(node.options.get("problem"))
        return Tensor(out.shape)
