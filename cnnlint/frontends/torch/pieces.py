"""Tensor ops that give several tensors: ``chunk``/``split``/``unbind`` cut a tensor into pieces along an axis,
``max``/``min`` along a dim give the values and their indices."""

from __future__ import annotations

from ... import dims
from ...evaluator.values import Unknown
from ...graph import Tensor

#: ops that cut a tensor into pieces along an axis -> their parameters after the tensor
SPLITS = {"chunk": ("chunks", "dim"), "split": ("split_size_or_sections", "dim"), "unbind": ("dim",)}
MAX_PIECES = 4096
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


def split(frontend, interp, name, x: Tensor, args, kwargs, site):
    """``chunk``, ``split``, ``unbind``: a tuple of pieces of x along one axis, each an indexing op."""
    params = SPLITS[name]
    bound = dict(zip(params, args), **kwargs)
    dim = bound.get("dim", 0)
    rank = len(x.shape) if x.shape is not None else 0
    if not isinstance(dim, int) or not -rank <= dim < rank:
        return Unknown(f"{name}() along axis {dim!r} of a tensor of rank {rank or 'unknown'}", site)
    axis = dim % rank
    size = x.shape[axis]
    if not isinstance(size, int) or size > MAX_PIECES:
        return Unknown(f"{name}() along an axis of size {dims.render(size)}", site)
    if name == "unbind":
        pieces = list(range(size))
    else:
        amount = bound.get(params[0], bound.get("split_size"))
        if isinstance(amount, (list, tuple)) and all(isinstance(n, int) and n >= 0 for n in amount):
            if sum(amount) != size:
                return Unknown(f"split() into sizes {list(amount)} of an axis of size {size}", site)
            sizes = list(amount)
        elif isinstance(amount, int) and not isinstance(amount, bool) and amount > 0:
            step = -(-size // amount) if name == "chunk" else amount
            sizes = [min(step, size - start) for start in range(0, size, step)]
        else:
            return Unknown(f"the pieces of {name}({amount!r}) are not known", site)
        starts = [sum(sizes[:i]) for i in range(len(sizes))]
        pieces = [slice(start, start + n) for start, n in zip(starts, sizes)]
    lead = (slice(None),) * axis
    return tuple(frontend.call_op(interp, "getitem", [x, lead + (piece,)], {}, site) for piece in pieces)
