"""The layer graph: abstract tensors, layer applications and what was found.

Front ends build it by abstract interpretation; the engine fills in shapes,
parameters and facts; rules read it.  Nothing here knows a framework.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Optional

from . import dims
from .dims import Dim

Shape = tuple  # of Dim, batch dimension first
#: the batch size of every traced model: a symbol, whatever the input
BATCH = dims.Expr.symbol("batch")


def input_shapes(given) -> list:
    """The shapes of the inputs an input size gives: one input's is a tuple of sizes, several inputs' a tuple
    of such tuples (``--input-shape "(3,224,224),(3,224,224)"`` for RAFT's two images)."""
    if given and all(isinstance(s, tuple) for s in given):
        return list(given)
    return [given]


@dataclass(frozen=True)
class Position:
    line: int
    column: int  # 1-based
    end_line: int
    end_column: int


class Tensor:
    """An abstract tensor: its shape (batch first) and the node producing it.

    ``shape`` is None when even the rank is unknown.  ``factors`` remembers the
    dimensions a flattened feature axis came from, for messages such as
    "16·4·4 = 256".  ``margins`` remembers zero padding added by a padding
    layer, so that a window that skips it is not said to lose real input.
    ``strides`` are set only on a view whose layout cnnlint followed from a
    contiguous tensor (``transpose``, ``permute``, ``expand``); None is
    contiguous or not known.
    """

    __slots__ = ("shape", "node", "factors", "dtype", "margins", "strides")

    def __init__(self, shape: Optional[Shape], node: "Node | None" = None, factors=None, dtype: str = "float",
                 margins: Optional[dict] = None):
        self.shape = shape
        self.node = node
        self.factors = factors
        self.dtype = dtype
        self.margins = margins  # axis -> (begin, end) rows of zero padding a padding layer added
        self.strides = None

    @property
    def rank(self) -> Optional[int]:
        return None if self.shape is None else len(self.shape)

    def without_batch(self):
        if self.shape is None:
            return None
        return [dims.to_json(d) for d in self.shape[1:]]

    def joined(self, other: "Tensor") -> Optional["Tensor"]:
        """The tensor standing for self or other, which two undecided paths leave (a resize done
        only to small inputs): each axis the size both give, else unknown; None when no tensor
        stands for both (different dtypes or ranks, or a rank not known).  Subclasses that carry
        more than a shape (values, parameters) override it."""
        if type(other) is not Tensor:
            return other.joined(self)
        if self.dtype != other.dtype:
            return None
        kept = [getattr(self, name) == getattr(other, name) for name in ("factors", "margins", "strides")]
        if self.shape == other.shape and all(kept):
            return self
        if self.shape is None or other.shape is None or len(self.shape) != len(other.shape):
            return None
        shape = tuple(x if x is not None and x == y else None for x, y in zip(self.shape, other.shape))
        both = Tensor(shape, dtype=self.dtype, factors=self.factors if kept[0] and shape == self.shape else None,
                      margins=self.margins if kept[1] and shape == self.shape else None)
        both.strides = self.strides if kept[2] and shape == self.shape else None
        return both

    def __repr__(self):
        return f"Tensor({self.shape})"


# -- facts the engine records on nodes; rules turn them into diagnostics ----

@dataclass
class Window:
    """One axis of a sliding-window op (conv, pooling).

    Sizes are in the op's own coordinates: ``size`` is the real input extent,
    ``pad_begin``/``pad_end`` the padding the framework adds, ``span`` the
    effective kernel extent (dilation included).
    """

    axis: str  # "row", "column", "depth", "step"
    size: Dim
    span: int
    stride: int
    pad_begin: int
    pad_end: int
    output: Dim
    kernel: int
    dilation: int = 1
    ceil_mode: bool = False
    explicit_padding: bool = True  # padding written as numbers, not "same"
    zero_tail: int = 0  # trailing rows of ``size`` that a padding layer before added


class ProblemKind(str, Enum):
    """What a Problem says, with the rule that reports it and whether the framework would fail there.

    An error kind means the real framework raises at that point; ``UNRESOLVED``
    means cnnlint could not follow the code, never that the code is wrong.
    """

    def __new__(cls, value: str, code: str, is_error: bool):
        kind = str.__new__(cls, value)
        kind._value_ = value
        kind.code = code
        kind.is_error = is_error
        return kind

    MISMATCH = ("mismatch", "CNN101", True)
    NON_POSITIVE = ("non-positive", "CNN103", True)
    INVALID_ARGUMENT = ("invalid-argument", "CNN104", True)
    UNRESOLVED = ("unresolved", "CNN900", False)


@dataclass
class Problem:
    """A finding that needs no further interpretation by a rule: its kind names the rule."""

    kind: ProblemKind
    message: str
    site: Any = None  # a CST node to report at, else the node's own site
    hint: str = ""  # appended to the message: the input size the model's own numbers imply (CNN101)
    #: for a declared size the input contradicts: (the size received, its factors), what a fix writes
    received: Any = None


@dataclass(frozen=True)
class Mark:
    """A neutral fact about how a node came about, for rules to read.

    kind: "in-place" (the op wrote into its first input: ``inplace=True``,
    ``x.relu_()``, ``+=``), "built-in-forward" (the layer was constructed while
    the model ran, not in ``__init__``).
    """

    kind: str


IN_PLACE = Mark("in-place")
BUILT_IN_FORWARD = Mark("built-in-forward")


@dataclass
class HeldModule:
    """A module (or parameter) an attribute holds, as ``__init__`` left it."""

    type_name: str
    params: Any  # Dim: the parameters it holds; None when not known
    identity: int  # id() of the object, to see one object held twice
    registered: bool  # reachable through model.parameters()
    applied: bool  # it, or a module inside it, ran while the model was traced


@dataclass
class ModuleAttribute:
    """An attribute of one of a model's modules that holds modules or parameters."""

    owner: str  # the module's class
    name: str
    holder: str  # "module", "list", "tuple", "dict", "Sequential", "ModuleList", "ModuleDict"
    items: list  # [HeldModule]
    referenced: bool  # the name is read somewhere in the file besides being assigned (True when not known)
    site: Any = None


@dataclass
class LossUse:
    """The loss the file applies to the model's output: ``compile(loss=...)`` or ``criterion(model(x), y)``."""

    name: str  # canonical: "CrossEntropyLoss", "cross_entropy", "sparse_categorical_crossentropy"...
    from_logits: Optional[bool]  # Keras' flag, None where the loss has none
    site: Any = None


@dataclass
class Weights:
    trainable: Dim = 0
    non_trainable: Dim = 0

    @property
    def total(self) -> Dim:
        return dims.add(self.trainable, self.non_trainable)


_ORDER = itertools.count()


class Node:
    """One application of a layer (or a functional op) to tensors."""

    __slots__ = ("layer", "inputs", "options", "output", "weights", "facts", "site", "call_site", "label", "depth",
                 "is_layer", "order")

    def __init__(self, layer, inputs, site=None, label: str = "", depth: int = 0, is_layer: bool = True,
                 options: Optional[dict] = None):
        self.layer = layer
        self.inputs = inputs
        #: call arguments that shape this application's output (PyTorch attention's need_weights)
        self.options = options or {}
        self.output = None
        self.weights: Optional[Weights] = None  # as built by this application
        self.facts: list = []
        self.site = site  # where the layer is defined (constructed)
        self.call_site = site  # where it is applied
        self.label = label
        self.depth = depth
        self.is_layer = is_layer
        self.order = next(_ORDER)  # creation order, to replay a recorded graph

    @property
    def output_tensor(self) -> Optional[Tensor]:
        out = self.output
        if isinstance(out, tuple):
            return out[0] if out and isinstance(out[0], Tensor) else None
        return out

    def __repr__(self):
        return f"Node({self.label or self.layer!r})"


@dataclass
class ModelGraph:
    """A model found in a file, traced with one input."""

    name: str
    framework: str  # "keras" | "torch"
    site: Any  # CST node of the definition
    inputs: list = field(default_factory=list)  # [Tensor]
    outputs: list = field(default_factory=list)  # [Tensor]
    nodes: list = field(default_factory=list)  # [Node] in execution order
    layers: list = field(default_factory=list)  # unique engine layers owning weights
    input_source: str = ""  # "declared", "command line", "implied", "symbolic", ...
    implied_input: Optional[Shape] = None
    input_solved: bool = False  # spatial sizes cnnlint picked to satisfy the code: a guess, no finding rests on them
    stopped: list = field(default_factory=list)  # [Problem] the analysis could not go past
    #: the trace stopped, but nothing it did not run could change the registered parameters: the counts are exact
    params_known: bool = False
    disabled: frozenset = frozenset()  # codes disabled by a pragma on the definition line
    attributes: list = field(default_factory=list)  # [ModuleAttribute] of the model's modules (PyTorch)
    losses: list = field(default_factory=list)  # [LossUse] applied to the model's output in the file

    def layer_weights(self) -> dict:
        """Weights per unique layer: as declared, else as first built here."""
        built: dict = {}
        for node in self.nodes:
            if node.weights is not None and id(node.layer) not in built:
                built[id(node.layer)] = node.weights
        held = {id(layer) for layer in self.layers}
        return {id(layer): _without_shared(layer, _frozen(layer, layer.declared or built.get(id(layer))), held)
                for layer in self.layers}

    def freezing_unknown(self) -> bool:
        """Whether which parameters are trainable is not known (a flag cnnlint cannot compute, a tied weight
        frozen through the layer that does not own it)."""
        held = {id(layer) for layer in self.layers}
        return any(layer.trainable is None or _tie_undecided(layer, _shared_in(layer, held)) for layer in self.layers)

    def weights(self) -> Weights:
        total = Weights()
        for w in self.layer_weights().values():
            if w is None:
                return Weights(None, None)
            total = Weights(dims.add(total.trainable, w.trainable), dims.add(total.non_trainable, w.non_trainable))
        return total

    def macs(self) -> Dim:
        total: Dim = 0
        for node in self.nodes:
            total = dims.add(total, node_macs(node))
        return total


def _frozen(layer, weights: Optional[Weights]) -> Optional[Weights]:
    """A layer the code froze keeps its weights, none of them trainable."""
    if weights is None or layer.trainable is True:
        return weights
    return Weights(0, weights.total) if layer.trainable is False else Weights(None, None)


def _shared_in(layer, held: set) -> list:
    """(owner, size) of the parameters the layer shares with another layer of the model."""
    return [(owner, size) for owner, size in layer.shared.values() if id(owner) in held and owner is not layer]


def _tie_undecided(layer, shared: list) -> bool:
    """A tied weight is its owner's, frozen with it; frozen through the other layer, whether it is depends on
    whether the code froze it before or after tying it."""
    return layer.trainable is not True and any(owner.trainable != layer.trainable for owner, _ in shared)


def _without_shared(layer, weights: Optional[Weights], held: set) -> Optional[Weights]:
    """A layer's weights less the parameters it shares with another layer of the model (PyTorch's
    ``parameters()`` yields a tied weight once): they count with their owner."""
    shared = _shared_in(layer, held)
    if weights is None or not shared:
        return weights
    if _tie_undecided(layer, shared):
        return Weights(None, None)
    size = sum(size for _, size in shared)
    if layer.trainable is True:
        return Weights(dims.sub(weights.trainable, size), weights.non_trainable)
    return Weights(weights.trainable, dims.sub(weights.non_trainable, size))


def node_macs(node: Node) -> Dim:
    """Multiply-accumulates of one application; None when its shapes are unknown."""
    out = node.output_tensor
    if out is None or out.shape is None or any(t.shape is None for t in node.inputs):
        return None
    return node.layer.macs(node)
