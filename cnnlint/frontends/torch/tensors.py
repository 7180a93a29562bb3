"""Tensors made by torch's creation functions, and what cnnlint knows of them without their values.

``torch.zeros(2, 3)``, ``torch.arange(n)``, ``torch.linspace(0, r, n)``,
``torch.meshgrid``, ``torch.tensor([[1, 2], [3, 4]])``: their shapes follow
from sizes the code computes; the values do not matter to any parameter
count.  Also here: the shapes of a layer's own ``weight`` and ``bias``.
"""

from __future__ import annotations

import math

from ... import dims
from ...evaluator.values import Unknown, describe
from ...graph import Tensor

CREATION = {"zeros", "ones", "randn", "rand", "empty", "full", "randint"}
LIKE = {"zeros_like", "ones_like", "randn_like", "rand_like", "empty_like", "full_like"}
NEW = {"new_zeros", "new_ones", "new_empty", "new_full"}
#: tensor methods that convert to another type
CASTS = {"long": "long", "int": "long", "bool": "bool", "float": "float", "double": "float", "half": "float",
         "bfloat16": "float"}
#: tensors of evenly spaced values: their length is known when their bounds are
RANGES = {"arange", "linspace", "logspace"}


def tensor_split_sizes(size: int, amount):
    """``tensor_split``'s pieces: n sections (the first ``size % n`` one longer), or cuts at indices."""
    if isinstance(amount, int) and not isinstance(amount, bool) and amount > 0:
        return [size // amount + (1 if i < size % amount else 0) for i in range(amount)]
    if isinstance(amount, (list, tuple)) and all(isinstance(i, int) and not isinstance(i, bool) for i in amount):
        cuts = [0] + [min(max(i if i >= 0 else i + size, 0), size) for i in amount] + [size]
        return [max(b - a, 0) for a, b in zip(cuts, cuts[1:])]
    return None


def parameter_shape(type_name: str, name: str, kwargs: dict):
    """The shape of a torch layer's ``weight`` or ``bias`` from its constructor arguments; () when the
    layer has no such parameter (``bias=False``); None when cnnlint does not know it."""
    def ints(*values):
        return all(isinstance(v, int) and not isinstance(v, bool) for v in values)

    if kwargs.get("bias") is False and name == "bias" or (
            name in ("weight", "bias") and False in (kwargs.get("affine"), kwargs.get("elementwise_affine"))):
        return ()
    if type_name == "Linear" and ints(kwargs.get("in_features"), kwargs.get("out_features")):
        return (kwargs["out_features"], kwargs["in_features"]) if name == "weight" else (kwargs["out_features"],)
    if type_name in ("Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"):
        cin, cout, groups = kwargs.get("in_channels"), kwargs.get("out_channels"), kwargs.get("groups", 1)
        rank = int(type_name[-2])
        kernel = kwargs.get("kernel_size")
        kernel = tuple(kernel) if isinstance(kernel, (list, tuple)) else (kernel,) * rank
        if not ints(cin, cout, groups, *kernel) or len(kernel) != rank or groups <= 0:
            return None
        if name == "bias":
            return (cout,)
        return ((cin, cout // groups) if "Transpose" in type_name else (cout, cin // groups)) + kernel
    features = kwargs.get("num_features", kwargs.get("num_channels"))
    if type_name.startswith(("BatchNorm", "GroupNorm", "InstanceNorm")) and ints(features):
        return (features,)
    if type_name == "LayerNorm":
        normalized = kwargs.get("normalized_shape")
        normalized = tuple(normalized) if isinstance(normalized, (list, tuple)) else (normalized,)
        return normalized if ints(*normalized) else None
    return None


def created(name, args, kwargs):
    """torch.zeros(2, 3), torch.randn((2, 3)), torch.full((2, 3), 0.5), torch.zeros_like(x)..."""
    if name in LIKE:
        source = args[0] if args else None
        return Tensor(source.shape) if isinstance(source, Tensor) else Unknown(f"torch.{name} of a non-tensor")
    if "size" in kwargs:
        size = kwargs["size"]
    elif name in ("full", "randint"):
        size = args[0] if name == "full" and args else (args[-1] if args else None)
    else:
        size = args[0] if len(args) == 1 and isinstance(args[0], (list, tuple)) else tuple(args)
    shape = tuple(size) if isinstance(size, (list, tuple)) else None
    if shape is None or not all(isinstance(d, (int, dims.Expr)) and not isinstance(d, bool) for d in shape):
        return Unknown(f"the size passed to torch.{name} is not known")
    return Tensor(shape, dtype="int" if name == "randint" else "float")

def ranged(name, args, kwargs, site):
    """``torch.arange(n)``, ``torch.arange(start, end, step)``, ``torch.linspace(start, end, steps)``:
    a vector whose values cnnlint does not follow, but whose length it knows (parameters never
    depend on the values)."""
    dtype = "int" if name == "arange" and all(isinstance(a, (int, dims.Expr)) for a in args) else "float"
    if "dtype" in kwargs:
        dtype = "float" if "float" in describe(kwargs["dtype"]) or "double" in describe(kwargs["dtype"]) else dtype
    if name != "arange":
        steps = kwargs.get("steps", args[2] if len(args) > 2 else None)
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
    if "dtype" in kwargs:
        dtype = "float" if "float" in describe(kwargs["dtype"]) or "double" in describe(kwargs["dtype"]) else dtype
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
