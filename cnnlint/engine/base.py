"""What every engine layer shares: applying it to abstract tensors.

An engine layer holds one framework layer's hyper-parameters in neutral form
and knows, in one place, its output shape, weights and multiply-accumulates.
``framework`` only selects where Keras and PyTorch really differ (padding
rules, what counts as a parameter) and the wording of messages.
"""

from __future__ import annotations

from typing import NamedTuple, Optional, Sequence

from .. import dims
from ..dims import Dim
from ..graph import Node, Problem, ProblemKind, Tensor, Weights, node_macs

FRAMEWORK_NAMES = {"keras": "Keras", "torch": "PyTorch"}
#: the symbols a symbolic input's spatial sizes are named by
SPATIAL_NAMES = {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}


NO_WEIGHTS = Weights(0, 0)


class SummaryRow(NamedTuple):
    """What a layer's row in ``--summary`` and JSON shows (counts None when not exact)."""

    type: str
    output_shape: Optional[list]
    params: Optional[int]
    trainable: Optional[int]
    macs: Optional[int]
    #: a row around its children's rows: its counts are theirs, shown as "--" as torchinfo does
    container: bool = False


class Stop(Exception):
    """Raised by ``infer`` when no output shape can be given.

    With a problem it is reported (CNN101/CNN103...); without one the facts
    already recorded on the node explain it.
    """

    def __init__(self, problem: Optional[Problem] = None):
        super().__init__(problem.message if problem else "")
        self.problem = problem


class InvalidArgument(Exception):
    """A hyper-parameter the framework would reject when building the layer."""


class Unresolved(Exception):
    """A hyper-parameter the static evaluator could not determine.

    Values it could not determine carry ``is_unknown = True`` and a ``reason``;
    the engine never needs to know more about them.
    """


def _check_known(value) -> None:
    if getattr(value, "is_unknown", False):
        raise Unresolved(value.reason)


class Layer:
    """Base of all engine layers."""

    type_name = "Layer"
    #: weights known from the constructor alone (PyTorch declares every
    #: dimension; parameter-free layers have none); else each application
    #: records the weights it builds on its node
    declared: Optional[Weights] = None
    #: where the constructor's arguments are written (a front end's CallArguments), for fixes
    arguments = None
    #: False when the code freezes the layer (Keras' ``layer.trainable = False``): its weights count as
    #: non-trainable; None when whether it does is not known
    trainable: Optional[bool] = True
    #: parameter name -> (the layer that owns it, its size): a parameter the code took from another layer
    #: (PyTorch's weight tying, ``decoder.weight = encoder.weight``), counted once, with its owner
    shared: dict = {}
    #: the argument values the code passed to the constructor or function, by parameter name (rules read them)
    passed: dict = {}

    def __init__(self, framework: str, type_name: Optional[str] = None):
        self.framework = framework
        if type_name:
            self.type_name = type_name


    def infer(self, node: Node, inputs: Sequence[Tensor]):
        """Return the output Tensor (or a tuple of them); may raise Stop."""
        raise NotImplementedError

    def macs(self, node: Node) -> Dim:
        return 0

    # What the layer's constructor fixes about its input, read by the implied-input solver
    # (implied.py).  Every layer class answers both (``TakesAnyInput`` when it fixes nothing), and
    # a test walks them all, so a new layer cannot be forgotten.
    def declared_sizes(self, inputs: Sequence[Tensor]) -> list:
        """(received size, declared size, factors of the received one) for each input size it declares."""
        raise NotImplementedError(f"{type(self).__name__} does not say which input sizes it declares")

    def implied_input(self) -> Optional[tuple]:
        """The input (batch excluded) this layer asks for as a model's first layer, free sizes as symbols."""
        raise NotImplementedError(f"{type(self).__name__} does not say which input it implies")

    def summary_row(self, node: Node, weights: Optional[Weights], first: bool) -> SummaryRow:
        """This application's row; a layer applied again (shared) counts its weights on its first row only."""
        out = node.output_tensor
        return SummaryRow(self.type_name, out.without_batch() if out is not None else None,
                          (dims.exact(weights.total) if weights is not None else None) if first else 0,
                          (dims.exact(weights.trainable) if weights is not None else None) if first else 0,
                          dims.exact(node_macs(node)))

    def __repr__(self):
        return self.type_name


class TakesAnyInput:
    """Mixin for a layer whose constructor fixes no input size: nothing to compare, no input implied."""

    def declared_sizes(self, inputs: Sequence[Tensor]) -> list:
        return []

    def implied_input(self) -> Optional[tuple]:
        return None


def declared_feature(x: Tensor, axis: int, expected) -> list:
    """The one declared size on ``axis`` of ``x``, with the factors of a flattened last axis."""
    got = x.shape[axis]
    factors = tuple(x.factors) if x.factors and axis in (-1, x.rank - 1) else (got,)
    return [(got, expected, factors)]


def symbols(names: Sequence[str]) -> tuple:
    return tuple(dims.Expr.symbol(n) for n in names)


def apply(layer: Layer, inputs: Sequence[Tensor], site=None, label: str = "", depth: int = 0,
          is_layer: bool = True, options: Optional[dict] = None) -> Node:
    """Apply ``layer`` to ``inputs``; the returned node carries output and facts."""
    node = Node(layer, list(inputs), site=site, label=label, depth=depth, is_layer=is_layer, options=options)
    if any(t.shape is None for t in inputs):
        node.output = Tensor(None, node)
        return node
    try:
        out = layer.infer(node, inputs)
    except Stop as stop:
        if stop.problem is not None:
            node.facts.append(stop.problem)
        out = Tensor(None, node)
    node.output = out
    if node.weights is None:
        node.weights = layer.declared
    for t in (out if isinstance(out, tuple) else (out,)):
        if isinstance(t, Tensor) and t.node is None:
            t.node = node
    return node


def mismatch(message: str) -> Stop:
    return Stop(Problem(ProblemKind.MISMATCH, message))


def non_positive(message: str) -> Stop:
    """CNN103 for an op that is not a sliding window (cropping)."""
    return Stop(Problem(ProblemKind.NON_POSITIVE, message))


def axis_index(layer: Layer, axis: int, rank: int) -> int:
    """A possibly negative axis (batch is axis 0) as an index, or CNN101."""
    if not -rank <= axis < rank:
        raise mismatch(f"{layer.type_name}: axis {axis} is out of range for an input of rank {rank - 1} "
                       f"(batch excluded)")
    return axis % rank


def require_rank(layer: Layer, tensor: Tensor, ranks, what: str = "input") -> None:
    """Stop with CNN101 unless the tensor's rank (batch included) is allowed."""
    allowed = (ranks,) if isinstance(ranks, int) else tuple(ranks)
    if tensor.rank not in allowed:
        wanted = " or ".join(str(r - 1) for r in allowed)
        shown = format_shape(tensor.shape[1:])
        raise mismatch(
            f"{layer.type_name} expects a rank-{wanted} {what} (batch excluded) but receives {shown}"
        )


def spatial_ranks(layer: Layer, spatial_rank: int) -> tuple:
    """Input ranks (batch included) of a spatial op: PyTorch also takes unbatched input."""
    if layer.framework == "torch":
        return (spatial_rank + 1, spatial_rank + 2)
    return (spatial_rank + 2,)


def spatial_axes(rank: int, spatial_rank: int, channels_last: bool) -> list:
    """Indices of the spatial axes, counted from the end so unbatched inputs work."""
    last = rank - 1 if channels_last else rank
    return list(range(last - spatial_rank, last))


def format_shape(shape: Sequence[Dim]) -> str:
    return "(" + ", ".join(dims.render(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def render_product(factors: Sequence[Dim]) -> str:
    """'16·4·4 = 256', or just '256' for a single factor."""
    total = dims.product(factors)
    if len(factors) > 1:
        return "·".join(dims.render(f) for f in factors) + f" = {dims.render(total)}"
    return dims.render(total)


def format_factors(tensor: Tensor) -> str:
    """'16·4·4 = 256' for a flattened tensor, else just the feature count."""
    if tensor.factors and len(tensor.factors) > 1:
        return render_product(tensor.factors)
    return dims.render(tensor.shape[-1])


def check_features(layer: Layer, tensor: Tensor, expected: Dim, what: str, axis: int = -1,
                   label: str = "") -> None:
    """Record CNN101 when a declared size definitely disagrees with the input."""
    got = tensor.shape[axis]
    if dims.definitely_different(got, expected):
        who = label or layer.type_name
        last = axis in (-1, len(tensor.shape) - 1)
        received = format_factors(tensor) if last else dims.render(got)
        factors = tuple(tensor.factors) if last and tensor.factors else (got,)
        raise Stop(Problem(ProblemKind.MISMATCH, f"{who} expects {dims.render(expected)} {what} but receives {received}",
                           received=(got, factors)))


def positive_int(value, what: str) -> int:
    _check_known(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{what} must be an integer, got {value!r}")
    if value <= 0:
        raise InvalidArgument(f"{what} must be positive, got {value}")
    return value


def int_tuple(value, n: int, what: str, minimum: int = 1) -> tuple:
    """Normalise an int or an n-tuple of ints, as both frameworks accept."""
    _check_known(value)
    if isinstance(value, (list, tuple)):
        items = tuple(value)
        if len(items) == 1 and n > 1:
            items = items * n
        if len(items) != n:
            raise InvalidArgument(f"{what} must have {n} values, got {value!r}")
    else:
        items = (value,) * n
    for v in items:
        _check_known(v)
        if isinstance(v, bool) or not isinstance(v, int):
            raise InvalidArgument(f"{what} must be integers, got {value!r}")
        if v < minimum:
            bound = "positive" if minimum == 1 else f"at least {minimum}"
            raise InvalidArgument(f"{what} must be {bound}, got {value!r}")
    return items

