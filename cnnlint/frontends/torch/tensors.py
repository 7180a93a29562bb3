"""Tensors made by torch's creation functions, and what cnnlint knows of them without their values.

``torch.zeros(2, 3)``, ``torch.arange(n)``, ``torch.linspace(0, r, n)``,
``torch.meshgrid``, ``torch.tensor([[1, 2], [3, 4]])``: their shapes follow
from sizes the code computes; the values do not matter to any parameter
count.  Also here: the shapes of a layer's own ``weight`` and ``bias``, and
the ops that give several tensors (``chunk``/``split``/``unbind``, ``max``/``min``
along a dim).

Some code computes a model's sizes with tensors (RegNet's widths:
``torch.arange(depth) * w_a + w_0``, rounded, ``.int().tolist()``) or reads
drop rates out of one (``[r.item() for r in torch.linspace(0, p, n)]``).  A
short vector made from numbers is a ``KnownTensor``: the arithmetic those
lines use runs on its values, in float32 where PyTorch computes in float32.
PyTorch's own log, exp and power are followed within an error bound (library/inexact.py): a rounding
of their results is made only where the bound cannot change it, and an element whose last bits are not
known reads as unknown.  Any other op, or an op writing into it, leaves a tensor of known shape only.
"""

from __future__ import annotations

import math
import struct
from typing import Optional

from ... import dims
from ...evaluator.library.inexact import FLOAT32, FUNCTION_ULPS, NotKnown, arithmetic_slack, function_slack, rounded
from ...evaluator.library.inexact import rounding
from ...evaluator.values import LibraryValue, PlainUnknown, Ref, Unknown, describe, first_unknown
from ...graph import Tensor

#: the legacy constructors given sizes (``torch.Tensor(out, in, 3, 3)``) -> the dtype they make
LEGACY = {"Tensor": "float", "FloatTensor": "float", "DoubleTensor": "float", "LongTensor": "int",
          "IntTensor": "int"}
CREATION = {"zeros", "ones", "randn", "rand", "empty", "full", "randint", *LEGACY}
LIKE = {"zeros_like", "ones_like", "randn_like", "rand_like", "empty_like", "full_like"}
NEW = {"new_zeros", "new_ones", "new_empty", "new_full"}
#: tensor methods that convert to another type
CASTS = {"long": "long", "int": "long", "bool": "bool", "float": "float", "double": "float", "half": "float",
         "bfloat16": "float"}
#: casts to floats other than float32, in which cnnlint does not compute values: only the shape is known
OTHER_FLOATS = {"half", "bfloat16", "double"}
#: ops that cut a tensor into pieces along an axis -> their parameters after the tensor
SPLITS = {"chunk": ("chunks", "dim"), "split": ("split_size_or_sections", "dim"), "unbind": ("dim",),
          "tensor_split": ("indices_or_sections", "dim")}
MAX_PIECES = 4096
#: ops whose result on integer tensors is an integer tensor
INTEGER_OPS = {"getitem", "add", "sub", "subtract", "mul", "multiply", "floor_divide", "remainder", "view", "reshape",
               "flatten", "permute", "transpose", "swapaxes", "swapdims", "squeeze", "unsqueeze", "expand", "cat",
               "concat", "concatenate", "stack", "sum", "amax", "amin", "prod", "abs", "neg", "clamp", "clip",
               "maximum", "minimum", "rearrange", "repeat", "roll", "flip", "repeat_interleave", "masked_fill", "tril",
               "triu", "cumsum", "cumprod", "bitwise_not"}
#: ops whose result on boolean tensors is boolean: a mask stays a mask
BOOLEAN_OPS = {"getitem", "view", "reshape", "flatten", "permute", "transpose", "swapaxes", "swapdims", "squeeze",
               "unsqueeze", "expand", "cat", "concat", "concatenate", "stack", "rearrange", "repeat", "roll", "flip",
               "repeat_interleave", "masked_fill", "tril", "triu", "bitwise_not", "logical_not", "mul", "multiply",
               "maximum", "minimum", "amax", "amin"}
#: ops whose result on boolean tensors is an integer one (True counts 1)
COUNTING_OPS = {"sum", "cumsum", "prod", "cumprod"}
#: arguments saying where a tensor lives, never what shape it has (``device=x.device``)
PLACEMENT = {"device", "pin_memory", "requires_grad", "layout", "generator", "memory_format", "non_blocking"}
#: tensors of evenly spaced values: their length is known when their bounds are
RANGES = {"arange", "linspace", "logspace"}
#: torch's dtypes -> the kind of tensor cnnlint follows: one that indexes by value, a mask, or neither
DTYPES = {**dict.fromkeys(("long", "int64", "int", "int32", "short", "int16", "int8", "uint8", "uint16", "uint32",
                           "uint64"), "long"),
          "bool": "bool",
          **dict.fromkeys(("float", "float32", "double", "float64", "half", "float16", "bfloat16", "cfloat",
                           "complex64", "cdouble", "complex128"), "float")}


class TensorType(LibraryValue):
    """``x.dtype``: the kind of tensor cnnlint follows, not its width (``x.int()`` is int32, ``arange``
    int64: both index).  Passed on (``torch.zeros(n, dtype=x.dtype)``) it gives a tensor of the same
    kind.  An integer or boolean kind is certain (only creation functions and casts given one make it);
    a floating one is also what cnnlint assumes of a tensor an op it does not model made, so it
    decides no comparison."""

    __slots__ = ("kind",)

    def __init__(self, kind: str):
        self.kind = "long" if kind == "int" else kind

    def _get_attr(self, interp, name, site):
        if name == "is_floating_point" and self.kind != "float":
            return False
        return PlainUnknown(f"dtype.{name} is only known at run time", site)

    def _compare(self, interp, op, other, site):
        if op in ("Is", "IsNot") and other is None:
            return op == "IsNot"
        same = {"Is": True, "Equal": True, "IsNot": False, "NotEqual": False}.get(op)  # dtypes are singletons
        other_kind = torch_dtype(other)
        if same is not None and other_kind is not None and self.kind != "float":
            if other_kind != self.kind or self.kind == "bool":  # bool has one width: torch.bool itself
                return (other_kind == self.kind) == same
        return PlainUnknown(f"a comparison of tensor.dtype ({op}) is only decided at run time", site)


class Device(LibraryValue):
    """``x.device``: where the model's tensors live, known only at run time.  Passed to creation
    functions (``device=x.device``) it changes no shape.  cnnlint takes a file's tensors to live on one
    device, whose name (``str(x.device)``) is one string, equal to itself: a per-device cache keyed by it
    (timm's attention biases) is filled on the first call and read back, as PyTorch does on one device.
    Compared with anything, it is not known."""

    __slots__ = ("name",)

    def __init__(self):
        self.name = DeviceName()

    def _get_attr(self, interp, name, site):
        return PlainUnknown(f"device.{name} is only known at run time", site)

    def _compare(self, interp, op, other, site):
        if op in ("Is", "IsNot") and other is None:
            return op == "IsNot"
        return PlainUnknown("which device a tensor is on is only known at run time", site)

    def _str(self, interp, site):
        return self.name


class DeviceName(LibraryValue):
    """``str(device)``: a string known only at run time, as a key of a dict."""

    __slots__ = ()

    def _compare(self, interp, op, other, site):
        if op in ("In", "NotIn") and isinstance(other, (dict, list, tuple, set)):
            if any(key is self for key in other):
                return op == "In"
            if not other:
                return op == "NotIn"
        if op in ("Equal", "Is") and other is self or op in ("NotEqual", "IsNot") and other is None:
            return True
        return PlainUnknown("the name of a device is only known at run time", site)


def torch_dtype(value) -> Optional[str]:
    """The kind of ``torch.long``, ``torch.float16``...; None for any other value."""
    if isinstance(value, Ref) and value.qualname.startswith("torch."):
        return DTYPES.get(value.qualname[len("torch."):])
    return None


def dtype_kind(value, default: Optional[str] = None) -> Optional[str]:
    """What a ``dtype=`` argument makes: "long", "bool" or "float"; default for None.  A type cnnlint
    does not follow is floating, which never indexes."""
    if value is None:
        return default
    if isinstance(value, TensorType):
        return value.kind
    return torch_dtype(value) or "float"


def result_kind(name: str, inputs, kwargs) -> str:
    """The kind of tensor an op gives: its ``dtype=``; integer or boolean when every input is and the op
    keeps that; else floating, which is also what cnnlint assumes of a tensor whose type it does not know
    (it never indexes)."""
    given = dtype_kind(kwargs.get("dtype"))
    if given is not None:
        return given
    kinds = {t.dtype for t in inputs if isinstance(t, Tensor)}
    if kinds and kinds <= {"int", "long"} and name in INTEGER_OPS:
        return "long"
    if kinds == {"bool"} and name in BOOLEAN_OPS | COUNTING_OPS:
        return "bool" if name in BOOLEAN_OPS else "long"
    return "float"


def tensor_split_sizes(size: int, amount):
    """``tensor_split``'s pieces: n sections (the first ``size % n`` one longer), or cuts at indices."""
    if isinstance(amount, int) and not isinstance(amount, bool) and 0 < amount <= MAX_PIECES:
        return [size // amount + (1 if i < size % amount else 0) for i in range(amount)]
    if isinstance(amount, (list, tuple)) and all(isinstance(i, int) and not isinstance(i, bool) for i in amount):
        cuts = [0] + [min(max(i if i >= 0 else i + size, 0), size) for i in amount] + [size]
        return [max(b - a, 0) for a, b in zip(cuts, cuts[1:])]
    return None


def split(name, x: Tensor, args, kwargs, site, getitem):
    """``chunk``, ``split``, ``unbind``, ``tensor_split``: a tuple of pieces of x along one axis, each cut
    by ``getitem(index)`` (an indexing op)."""
    params = SPLITS[name]
    bound = dict(zip(params, args), **kwargs)
    unknown = first_unknown(list(bound.values()))
    if unknown is not None:  # sizes or an axis cnnlint could not compute: why, never their repr
        return Unknown(f"the pieces of {name}() are not known: {unknown.reason}", site)
    dim = bound.get("dim", 0)
    rank = len(x.shape) if x.shape is not None else 0
    if not isinstance(dim, int) or not -rank <= dim < rank:
        return Unknown(f"{name}() along axis {dim!r} of a tensor of rank {rank or 'unknown'}", site)
    axis = dim % rank
    size = x.shape[axis]
    if name == "chunk" and not isinstance(size, int):
        return _symbolic_chunks(x, axis, bound.get(params[0]), site, getitem)
    if not isinstance(size, int) or (name == "unbind" and size > MAX_PIECES):
        return Unknown(f"{name}() along an axis of size {dims.render(size)}", site)
    if name == "unbind":
        pieces = list(range(size))
    else:
        amount = bound.get(params[0], bound.get("split_size", bound.get("indices", bound.get("sections"))))
        if name == "tensor_split":
            sizes = tensor_split_sizes(size, amount)
            if sizes is None:
                return Unknown(f"the pieces of tensor_split({amount!r}) are not known", site)
        elif isinstance(amount, (list, tuple)) and all(isinstance(n, int) and n >= 0 for n in amount):
            if sum(amount) != size:
                return Unknown(f"split() into sizes {list(amount)} of an axis of size {size}", site)
            sizes = list(amount)
        elif isinstance(amount, int) and not isinstance(amount, bool) and amount > 0:
            step = max(1, -(-size // amount) if name == "chunk" else amount)
            if -(-size // step) > MAX_PIECES:
                return Unknown(f"{name}() into more than {MAX_PIECES} pieces", site)
            sizes = [min(step, size - start) for start in range(0, size, step)]
        else:
            return Unknown(f"the pieces of {name}({amount!r}) are not known", site)
        if len(sizes) > MAX_PIECES:
            return Unknown(f"{name}() into {len(sizes)} pieces", site)
        starts = [sum(sizes[:i]) for i in range(len(sizes))]
        pieces = [slice(start, start + n) for start, n in zip(starts, sizes)]
    lead = (slice(None),) * axis
    return tuple(getitem(lead + (piece,)) for piece in pieces)


def _symbolic_chunks(x: Tensor, axis: int, chunks, site, getitem):
    """``chunk(n)`` of an axis whose size is n times a product of sizes (RAFT's ``torch.chunk`` of its two
    images' features, stacked along the batch): n pieces of that product each, whatever the sizes are."""
    size = x.shape[axis]
    share = dims.exact_div(size, chunks) if isinstance(chunks, int) and not isinstance(chunks, bool) and (
        0 < chunks <= MAX_PIECES) else None
    if not isinstance(share, dims.Expr) or len(share.terms) != 1 or not all(
            coefficient > 0 and all(isinstance(atom, str) for atom in monomial)
            for monomial, coefficient in share.terms.items()):
        return Unknown(f"chunk() along an axis of size {dims.render(size)}", site)
    lead = (slice(None),) * axis
    return tuple(getitem(lead + (slice(dims.mul(i, share), dims.mul(i + 1, share)),)) for i in range(chunks))


def parameter_shape(type_name: str, name: str, kwargs: dict):
    """The shape of a torch layer's ``weight`` or ``bias`` from its constructor arguments; () when the
    layer has no such parameter (``bias=False``); None when cnnlint does not know it.  A convolution's come
    from its engine layer (``layers.conv_attribute``)."""
    def ints(*values):
        return all(isinstance(v, int) and not isinstance(v, bool) for v in values)

    if kwargs.get("bias") is False and name == "bias" or (
            name in ("weight", "bias") and False in (kwargs.get("affine"), kwargs.get("elementwise_affine"))):
        return ()
    if type_name == "Linear" and ints(kwargs.get("in_features"), kwargs.get("out_features")):
        return (kwargs["out_features"], kwargs["in_features"]) if name == "weight" else (kwargs["out_features"],)
    if type_name == "Embedding" and ints(kwargs.get("num_embeddings"), kwargs.get("embedding_dim")):
        return (kwargs["num_embeddings"], kwargs["embedding_dim"]) if name == "weight" else ()  # no bias
    features = kwargs.get("num_features", kwargs.get("num_channels"))
    if type_name.startswith(("BatchNorm", "GroupNorm", "InstanceNorm")) and ints(features):
        return (features,)
    if type_name == "LayerNorm":
        normalized = kwargs.get("normalized_shape")
        normalized = tuple(normalized) if isinstance(normalized, (list, tuple)) else (normalized,)
        return normalized if ints(*normalized) else None
    return None


def created(name, args, kwargs, default: Optional[str] = None):
    """torch.zeros(2, 3), torch.randn((2, 3)), torch.full((2, 3), 0.5), torch.zeros_like(x)... of the
    ``dtype`` given, else of default (the kind of the tensor a ``new_*`` method is called on)."""
    source = args[0] if name in LIKE and args else None
    dtype = dtype_kind(kwargs.get("dtype"), source.dtype if isinstance(source, Tensor) else default or (
        "long" if name == "randint" else LEGACY.get(name, "float")))
    if name in LIKE:
        return Tensor(source.shape, dtype=dtype) if isinstance(source, Tensor) else Unknown(
            f"torch.{name} of a non-tensor")
    if name in LEGACY and (kwargs or not all(isinstance(d, (int, dims.Expr)) for d in args)):
        return Unknown(f"torch.{name}() of data is not modelled")  # torch.Tensor([1, 2]): the data, not sizes
    if "size" in kwargs:
        size = kwargs["size"]
    elif name in ("full", "randint"):
        size = args[0] if name == "full" and args else (args[-1] if args else None)
    else:
        size = args[0] if len(args) == 1 and isinstance(args[0], (list, tuple)) else tuple(args)
    shape = tuple(size) if isinstance(size, (list, tuple)) else None
    if shape is None or not all(isinstance(d, (int, dims.Expr)) and not isinstance(d, bool) for d in shape):
        return Unknown(f"the size passed to torch.{name} is not known")
    return Tensor(shape, dtype=dtype)


def spaced_despite_unknowns(name, args, kwargs) -> bool:
    """``torch.linspace(start, end, steps)`` (and logspace) is a vector whatever the values: unknown
    bounds or an unknown number of steps leave its values or its length unknown, never its rank."""
    return name in SPACED and not any(isinstance(v, Unknown) for k, v in kwargs.items() if k not in SPACING)


#: the arguments of torch.linspace/logspace that are numbers of the vector (the others: its type, where it lives)
SPACING = ("start", "end", "steps", "base", *PLACEMENT)
SPACED = {"linspace", "logspace"}


def ranged(name, args, kwargs, site):
    """``torch.arange(n)``, ``torch.arange(start, end, step)``, ``torch.linspace(start, end, steps)``:
    a vector whose values cnnlint does not follow, but whose length it knows (parameters never
    depend on the values)."""
    values = ranged_values(name, args, kwargs)
    if values is not None:
        return values
    dtype = dtype_kind(kwargs.get("dtype"), "long" if name == "arange" and all(
        isinstance(a, (int, dims.Expr)) for a in list(args) + [kwargs[k] for k in ("start", "end", "step") if k in kwargs])
        else "float")
    if name != "arange":
        steps = kwargs.get("steps", args[2] if len(args) > 2 else None)
        if isinstance(steps, Unknown):  # a vector, of a length cnnlint does not know
            return Tensor((None,), dtype=dtype)
        if isinstance(steps, bool) or not isinstance(steps, (int, dims.Expr)):
            return Unknown(f"the number of steps of torch.{name} is not known", site)
        return Tensor((steps,), dtype=dtype)
    bounds = list(args[:3]) + [kwargs[k] for k in ("start", "end", "step") if k in kwargs]
    if len(bounds) == 1:
        bounds = [0] + bounds
    start, end, step = (bounds + [1])[:3]
    if any(isinstance(b, bool) for b in (start, end, step)):
        return Unknown(f"torch.{name} of booleans", site)
    if all(isinstance(b, (int, float)) for b in (start, end, step)) and step != 0:
        return Tensor((max(0, math.ceil((end - start) / step)),), dtype=dtype)
    if step == 1 and all(isinstance(b, (int, dims.Expr)) for b in (start, end)):
        return Tensor((dims.sub(end, start),), dtype=dtype)
    return Unknown(f"the length of torch.{name}() is not known", site)


def from_data(data, kwargs, site):
    """``torch.tensor(values)``: the shape of the nested lists; integers (or booleans) alone keep their
    type, as PyTorch infers it."""
    shape, level = [], [data]
    while all(isinstance(v, (list, tuple)) for v in level) and level:
        lengths = {len(v) for v in level}
        if len(lengths) != 1:
            return Unknown("torch.tensor of ragged lists", site)
        shape.append(lengths.pop())
        level = [item for v in level for item in v]
    if any(isinstance(v, Tensor) for v in level) or not all(isinstance(v, (int, float, bool)) for v in level):
        return Unknown("torch.tensor of values cnnlint cannot follow", site)
    dtype = "bool" if level and all(isinstance(v, bool) for v in level) else (
        "long" if all(isinstance(v, int) for v in level) else "float")
    given = known_dtype(kwargs, dtype)
    if getattr(data, "dtype", None) == "float64" and "dtype" not in kwargs:
        given = None  # a NumPy float64 array makes a float64 tensor, whose values are not followed
    if len(shape) <= 1 and dtype != "bool" and given is not None and (given == "float" or dtype == "long"):
        values = known(level, given, scalar=not shape)
        if values is not None:
            return values
    if "dtype" in kwargs:
        dtype = dtype_kind(kwargs["dtype"])
    return Tensor(tuple(shape), dtype=dtype)


def meshgrid(args, kwargs, site):
    """``torch.meshgrid(a, b, indexing='ij')``: one tensor per vector, each of all their lengths."""
    vectors = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) else list(args)
    if not vectors or not all(isinstance(v, Tensor) and v.shape is not None and len(v.shape) <= 1
                              for v in vectors):
        return Unknown("torch.meshgrid of tensors cnnlint cannot follow", site)
    shape = [v.shape[0] if v.shape else 1 for v in vectors]
    if kwargs.get("indexing", "ij") == "xy" and len(shape) > 1:
        shape[0], shape[1] = shape[1], shape[0]
    return tuple(Tensor(tuple(shape), dtype=v.dtype) for v in vectors)


def keeps_values(args, kwargs) -> bool:
    """``x.to(...)`` to a device, int64 or float32: the values cnnlint follows stay as they are."""
    return all(value is None or isinstance(value, (Device, str, bool))
               or (isinstance(value, Ref) and value in VALUE_TYPES) for value in list(args) + [kwargs.get("dtype")])


def cast_kind(args, kwargs) -> str:
    """The kind ``x.to(...)``/``x.type(...)``/``x.type_as(y)`` gives: of a dtype or another tensor given
    (floating for one cnnlint does not follow), x's own ("") for a device alone."""
    found = ""
    for value in list(args) + [kwargs[k] for k in ("dtype", "other", "device") if k in kwargs]:
        if isinstance(value, Tensor):
            found = value.dtype
        elif isinstance(value, Ref) and value.qualname[len("torch."):] in LEGACY:
            found = LEGACY[value.qualname[len("torch."):]]
        elif not (value is None or isinstance(value, (Device, str, bool))):
            found = dtype_kind(value)
    return found


#: the longest vector whose values are followed
MAX_VALUES = 4096
#: the ``dtype=`` of a range whose values are followed: int64 (as cnnlint's integers, which never wrap
#: around below 2**63), float32
VALUE_TYPES = {Ref(f"torch.{name}"): DTYPES[name] for name in ("long", "int64", "float", "float32")}


class KnownTensor(Tensor):
    """A tensor of rank 0 or 1 whose values cnnlint computed (``values`` in order; None once code wrote
    into it in a way not followed), each within ``slack`` of PyTorch's (None: all exact)."""

    __slots__ = ("values", "base", "slack")

    def __init__(self, values: list, dtype: str, scalar: bool = False, base=None, slack=None):
        super().__init__(() if scalar else (len(values),), dtype=dtype)
        self.values = values
        self.base = base  # the vector this element is a view of: writing into one writes into the other
        self.slack = list(slack) if slack is not None and any(slack) else None

    def slacks(self) -> list:
        return self.slack or [0.0] * len(self.values)

    def joined(self, other: Tensor):
        """Two paths' vectors: the same values stay known; else only what a plain tensor keeps."""
        if isinstance(other, KnownTensor) and self.values is not None and (other.values, other.dtype, other.shape) == (
                self.values, self.dtype, self.shape):
            return self
        if type(other) not in (Tensor, KnownTensor):
            return other.joined(self)
        return Tensor(self.shape, dtype=self.dtype).joined(Tensor(other.shape, dtype=other.dtype))

    def forget(self) -> None:
        """Written into, or shared with a view cnnlint does not follow: only the shape stays known."""
        self.values = None
        if self.base is not None:
            self.base.forget()


def _f32(x: float) -> float:
    return struct.unpack("f", struct.pack("f", x))[0]


def known(values, dtype: str, scalar: bool = False, slack=None) -> Optional[KnownTensor]:
    """The tensor PyTorch makes of these numbers (float ones rounded to float32), or None; an inexact value
    also carries the error of that rounding."""
    if len(values) > MAX_VALUES or (scalar and len(values) != 1):
        return None
    try:
        values = [int(v) for v in values] if dtype == "long" else [_f32(float(v)) for v in values]
    except (OverflowError, ValueError):  # inf, nan: not followed
        return None
    if slack is not None:
        slack = [e + rounding(v, FLOAT32) if e else 0.0 for v, e in zip(values, slack)]
    return KnownTensor(values, dtype, scalar, slack=slack)


def _operand(value):
    """(values, slacks, is_integer, is_tensor) of a Python number or a known tensor; None otherwise."""
    if isinstance(value, KnownTensor) and value.values is not None:
        return value.values, value.slacks(), value.dtype == "long", True
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [value], [0.0], isinstance(value, int), False
    return None


_BINARY = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
           "div": lambda a, b: a / b, "floor_divide": lambda a, b: a // b, "remainder": lambda a, b: a % b,
           "pow": lambda a, b: a ** b}
_SYMBOLS = {"add": "+", "sub": "-", "mul": "*", "div": "/"}
_UNARY = {"round": round, "floor": math.floor, "ceil": math.ceil, "abs": abs, "neg": lambda a: -a,
          "log": math.log, "log2": math.log2, "exp": math.exp, "sqrt": math.sqrt}
#: functions PyTorch computes with its own code: followed within an error bound
_INEXACT = {"log", "log2", "exp", "sqrt"}
_ALIASES = {"subtract": "sub", "multiply": "mul", "divide": "div", "true_divide": "div"}
#: Python's binary operators, as the ops above
OPERATOR_NAMES = {"Add": "add", "Subtract": "sub", "Multiply": "mul", "Divide": "div", "FloorDivide": "floor_divide",
                  "Modulo": "remainder", "Power": "pow"}


def binary_values(name: str, a, b):
    """``a <op> b`` when a known tensor meets a number or another known tensor of the same length."""
    name = _ALIASES.get(name, name)
    left, right = _operand(a), _operand(b)
    if name not in _BINARY or left is None or right is None or not (left[3] or right[3]):
        return None
    (xs, exs, x_int, x_tensor), (ys, eys, y_int, y_tensor) = left, right
    if x_tensor and y_tensor and len(xs) != len(ys) and 1 not in (len(xs), len(ys)):
        return None
    integer = x_int and y_int and name != "div"
    if name == "pow" and integer and any(y < 0 for y in ys):
        return None  # PyTorch refuses negative integer powers of integers
    if not integer:  # float32 operands; a Python number meets a float tensor as float32 too
        xs, ys = [_f32(float(x)) for x in xs], [_f32(float(y)) for y in ys]
    n = max(len(xs), len(ys))
    out, slack = [], []
    try:
        for i in range(n):
            x, ex, y, ey = xs[i % len(xs)], exs[i % len(xs)], ys[i % len(ys)], eys[i % len(ys)]
            value = _BINARY[name](x, y)
            if isinstance(value, complex):  # a negative float to a fractional power: nan in PyTorch
                return None
            out.append(value)
            if integer:
                slack.append(0.0)
            elif name == "pow":  # PyTorch's own power, within a few ulps (x ** 0 is 1 by IEEE 754)
                if ex or ey:
                    return None
                slack.append(0.0 if y == 0 else rounding(value, FLOAT32, FUNCTION_ULPS))
            elif ex or ey:
                if name not in _SYMBOLS:
                    return None
                slack.append(arithmetic_slack(_SYMBOLS[name], x, ex, y, ey, value, FLOAT32))
            else:
                slack.append(0.0)
    except (ZeroDivisionError, OverflowError, NotKnown):
        return None
    scalar = not any(t.shape for t in (a, b) if isinstance(t, KnownTensor))
    return known(out, "long" if integer else "float", scalar, slack)


def unary_values(name: str, x: KnownTensor):
    """torch.round(x), x.log(), x.int(), torch.diff(x)... on a known tensor; None when not followed."""
    if not isinstance(x, KnownTensor) or x.values is None:
        return None
    scalar = not x.shape
    slacks = x.slacks()
    try:
        if name in CASTS and CASTS[name] in ("long", "float"):
            if name in OTHER_FLOATS:
                return None
            if CASTS[name] == "float":
                return known(x.values, "float", scalar, slacks)
            values = [int(rounded("trunc", v, e)) if x.dtype != "long" else v for v, e in zip(x.values, slacks)]
            if name == "int" and any(not -2 ** 31 <= v < 2 ** 31 for v in values):
                return None  # wraps around in int32 (or is undefined, from a float): the values are not followed
            return known(values, "long", scalar)
        if name == "diff" and not scalar:
            return known([b - a for a, b in zip(x.values, x.values[1:])], x.dtype,
                         slack=[arithmetic_slack("-", b, eb, a, ea, b - a, FLOAT32) for a, b, ea, eb in
                                zip(x.values, x.values[1:], slacks, slacks[1:])])
        if name in ("max", "min", "amax", "amin") and x.values:
            pick = max if name in ("max", "amax") else min
            return known([pick(x.values)], x.dtype, True, [max(slacks)])
        if name not in _UNARY:
            return None
        if x.dtype != "long" and name in ("round", "floor", "ceil"):
            return known([rounded(name, v, e) for v, e in zip(x.values, slacks)], x.dtype, scalar)
        keeps_type = name in ("round", "floor", "ceil", "abs", "neg")
        out = [_UNARY[name](v) for v in x.values]
        slack = [function_slack(name, v, e, value, FLOAT32) for v, e, value in zip(x.values, slacks, out)] if (
            name in _INEXACT) else slacks
    except (ValueError, OverflowError):  # log of 0 is -inf in PyTorch, a rounding too close to call: not followed
        return None
    return known(out, x.dtype if keeps_type else "float", scalar, slack)


def python_values(name: str, x: KnownTensor):
    """``x.tolist()`` and ``x.item()``: Python numbers, as PyTorch gives them."""
    if not isinstance(x, KnownTensor) or x.values is None:
        return None
    items = [v if not e else Unknown("a float PyTorch computes with its own log/exp/power, whose last bits "
                                     "cnnlint cannot know") for v, e in zip(x.values, x.slacks())]
    if name == "item":
        return items[0] if len(items) == 1 else None
    if name == "tolist":
        return items[0] if not x.shape else items
    return None


#: the dtypes a known tensor can have, by name: float32 and the integer types its values fit in
KNOWN_DTYPES = {"torch.float32": "float", "torch.float": "float", "torch.int64": "long", "torch.long": "long",
                "torch.int32": "long", "torch.int": "long"}


def known_dtype(kwargs, default: str) -> Optional[str]:
    """The dtype a ``dtype=`` argument gives a known tensor; None for one cnnlint does not follow values in."""
    if kwargs.get("dtype") is None:
        return default
    return KNOWN_DTYPES.get(describe(kwargs["dtype"]))


def ranged_values(name, args, kwargs) -> Optional[KnownTensor]:
    """The values of ``torch.arange``/``torch.linspace`` of plain numbers, as PyTorch computes them."""
    numbers = list(args) + [kwargs[k] for k in ("start", "end", "step", "steps") if k in kwargs]
    if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in numbers):
        return None
    given = kwargs.get("dtype")  # int64, int32 or float32: types whose values are followed (never wrapped)
    if given is not None and given not in VALUE_TYPES:
        return None
    if name == "arange":
        bounds = numbers if len(numbers) > 1 else [0] + numbers
        start, end, step = (bounds + [1])[:3]
        if step == 0 or math.ceil((end - start) / step) > MAX_VALUES:
            return None
        count = max(0, math.ceil((end - start) / step))
        integer = all(isinstance(v, int) for v in (start, end, step))
        if VALUE_TYPES.get(given) == "long" and not integer:
            return None  # PyTorch's rounding of a float range into integers is not followed
        integer = integer and given is None or VALUE_TYPES.get(given) == "long"
        return known([start + i * step for i in range(count)], "long" if integer else "float")
    if given is not None:
        return None
    if name == "linspace" and len(numbers) == 3 and isinstance(numbers[2], int) and 0 < numbers[2] <= MAX_VALUES:
        start, end, steps = _f32(numbers[0]), _f32(numbers[1]), numbers[2]
        if steps == 1:
            return known([start], "float")
        step = _f32((end - start) / (steps - 1))
        half = steps // 2  # PyTorch fills the second half backwards from the end
        return known([start + step * i if i < half else end - step * (steps - i - 1) for i in range(steps)], "float")
    return None


def unique_values(x, kwargs):
    """``torch.unique(x)`` (sorted) and ``return_counts=True`` of a known vector whose values are exact
    (``sorted=False`` leaves the order to PyTorch)."""
    if (not isinstance(x, KnownTensor) or x.values is None or x.slack is not None or len(x.shape) != 1
            or set(kwargs) - {"sorted", "return_counts"} or kwargs.get("sorted", True) is not True
            or kwargs.get("return_counts") not in (None, True, False)):
        return None
    values = sorted(set(x.values))
    unique = KnownTensor(values, x.dtype)
    return (unique, KnownTensor([x.values.count(v) for v in values], "long")) if kwargs.get("return_counts") else unique


def flipped_values(x: KnownTensor, args, kwargs) -> Optional[KnownTensor]:
    """``x.flip(0)`` (``torch.flip(x, [0])``) of a known vector: its values reversed."""
    dims_given = kwargs.get("dims", args[0] if len(args) == 1 else args if len(args) > 1 else None)
    axes = list(dims_given) if isinstance(dims_given, (list, tuple)) else [dims_given]
    if x.values is None or len(x.shape) != 1 or len(axes) != 1 or isinstance(axes[0], bool) or axes[0] not in (0, -1):
        return None
    return known(list(reversed(x.values)), x.dtype)


def function_values(name: str, args, kwargs):
    """``torch.round(x)``, ``torch.pow(w, x)``, ``torch.diff(x)``... when a known tensor is among the arguments."""
    if name == "unique" and len(args) == 1:
        return unique_values(args[0], kwargs)
    if name == "flip" and args and isinstance(args[0], KnownTensor):
        return flipped_values(args[0], args[1:], kwargs)
    if kwargs or not any(isinstance(a, KnownTensor) for a in args):
        return None
    return unary_values(name, args[0]) if len(args) == 1 else binary_values(name, *args) if len(args) == 2 else None


def method_values(x, name: str, args, kwargs, site):
    """``x.int()``, ``x.tolist()``, ``x.item()``, ``x.div(3)``... on a known tensor; a method writing into it
    (``x.add_(1)``) leaves only its shape known."""
    if not isinstance(x, KnownTensor):
        return Unknown("the values of this tensor are known only at run time", site) if name in (
            "tolist", "item") else None
    value = None
    if name == "unique" and not args:
        value = unique_values(x, kwargs)
    elif name == "flip":
        value = flipped_values(x, args, kwargs)
    elif not kwargs:
        value = (python_values(name, x) if name in ("item", "tolist") else unary_values(name, x)) if not args else (
            binary_values(name, x, args[0]) if len(args) == 1 else None)
    if value is None and (name.endswith("_") or name in ("tolist", "item")):
        x.forget()
        if name in ("tolist", "item"):
            return Unknown("the values of this tensor are known only at run time", site)
    return value


def item_values(x, index):
    """``x[i]`` of a known vector: a known 0-dim tensor."""
    if not isinstance(x, KnownTensor) or x.values is None or not x.shape or isinstance(index, bool) or not (
            isinstance(index, int) and -len(x.values) <= index < len(x.values)):
        return None
    element = KnownTensor([x.values[index]], x.dtype, scalar=True, base=x, slack=[x.slacks()[index]])
    return element



def piece_values(x, index):
    """``x[a:b]`` of a known vector, as ``split``/``chunk`` cut it (timm's per-stage drop rates,
    ``torch.linspace(0, rate, sum(depths)).split(depths)``): a known view of x."""
    if (not isinstance(x, KnownTensor) or x.values is None or len(x.shape) != 1 or len(index) != 1
            or not isinstance(index[0], slice)):
        return None
    return KnownTensor(x.values[index[0]], x.dtype, base=x, slack=x.slacks()[index[0]])

def forget_values(values) -> None:
    """Known tensors passed to an op cnnlint does not run on values may be aliased by its result (a view,
    ``x[1:]``, ``x.view(-1)``): what is written into that is not followed, so their values are forgotten."""
    for value in values:
        if isinstance(value, KnownTensor):
            value.forget()
        elif isinstance(value, (list, tuple)):
            forget_values(value)


#: ``max``/``min``: over all, along a dim (values and indices), or element-wise against another tensor
EXTREMES = {"max": ("amax", "maximum"), "min": ("amin", "minimum")}


def extreme(frontend, interp, name, x: Tensor, args, kwargs, site):
    """``x.max()``, ``x.max(dim)`` (the values and their indices), ``torch.max(x, y)`` (element-wise)."""
    reduce, elementwise = EXTREMES[name]
    bound = dict(zip(("dim", "keepdim"), args), **kwargs)
    other = bound.pop("other", bound.get("dim"))
    if isinstance(other, Tensor):
        return frontend.call_op(interp, elementwise, [x, other], {}, site)
    if set(bound) - {"dim", "keepdim"}:
        return Unknown(f"{name}() with {sorted(bound)} is not modelled", site)
    if "dim" not in bound:
        return frontend.call_op(interp, reduce, [x], {}, site)
    values = frontend.call_op(interp, reduce, [x], bound, site)
    return (values, Tensor(values.shape, dtype="int")) if isinstance(values, Tensor) else values
