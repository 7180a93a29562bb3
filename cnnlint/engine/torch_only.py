"""Engine layers only PyTorch code needs: tensor methods, raw parameters, module rows.

PyTorch models reshape tensors with methods (``x.view(x.size(0), -1)``,
``x.transpose(1, 2)``) whose targets may hold the symbolic batch size and
negative axes, known only once the input's rank is; these layers resolve
them when applied.
"""

from __future__ import annotations

from typing import Optional, Sequence

from .. import dims
from ..dims import Dim
from ..graph import Node, Tensor
from .base import NO_WEIGHTS, InvalidArgument, Layer, Unresolved, axis_index, format_shape, mismatch, render_product
from .merge import broadcast
from .reshaping import UpSample


def per_sample_factors(x: Tensor) -> tuple:
    """What one sample's elements are made of: the flattened factors, else the non-batch axes."""
    if x.factors and len(x.factors) > 1 and x.rank == 2:
        return tuple(x.factors)
    return tuple(x.shape[1:])


class View(Layer):
    """``Tensor.view``/``reshape``: a full target shape (batch included), one -1 allowed.

    Target sizes may be symbolic (``x.size(0)`` is the batch).  The usual
    intent is to keep the batch and reshape each sample, so when the batch
    is symbolic a per-sample size that cannot fill the target is CNN101
    even though some batch sizes would make the element counts divide.
    """

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, target: Sequence[Dim]):
        super().__init__(framework, type_name)
        target = tuple(target)
        for d in target:
            if isinstance(d, bool) or not isinstance(d, (int, dims.Expr)) or (isinstance(d, int) and d < -1):
                raise InvalidArgument(f"{type_name}: shape must hold integers, got {_shown(target)}")
        if target.count(-1) > 1:
            raise InvalidArgument(f"{type_name}: only one dimension can be inferred, got {_shown(target)}")
        self.target = target

    def sample_target(self, batch: Dim) -> Optional[Dim]:
        """Elements per sample the target asks for, when its first entry is the batch (or -1)."""
        lead, rest = self.target[:1], self.target[1:]
        if not lead or -1 in rest or (lead[0] != -1 and lead[0] != batch):
            return None
        return dims.product(rest)

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        total = dims.product(x.shape)
        known = dims.product(d for d in self.target if d != -1)
        per_sample = dims.exact_div(total, x.shape[0]) if x.rank and isinstance(x.shape[0], dims.Expr) else None
        wanted = self.sample_target(x.shape[0])
        if dims.is_known(per_sample) and dims.is_known(wanted) and per_sample % max(wanted, 1):
            self._mismatch(x, wanted)
        if -1 in self.target:
            size = dims.exact_div(total, known) if known != 0 else None
            if size is None and dims.is_known(total) and dims.is_known(known):
                raise mismatch(f"{self.type_name}{_shown(self.target)}: {format_shape(x.shape)} holds {total} "
                               f"elements, not a multiple of {known}")
            return self._output(x, tuple(size if d == -1 else d for d in self.target))
        if dims.definitely_different(total, known) or (
                wanted is not None and dims.definitely_different(per_sample, wanted)):
            self._mismatch(x, wanted)
        return self._output(x, self.target)

    def _output(self, x: Tensor, shape: tuple) -> Tensor:
        """Flattening each sample remembers its factors, for messages such as '16·4·4 = 256'."""
        flattened = len(shape) == 2 and shape[0] == x.shape[0] and x.rank > 2
        return Tensor(shape, factors=per_sample_factors(x) if flattened else None)

    def _mismatch(self, x: Tensor, wanted):
        raise mismatch(f"{self.type_name}{_shown(self.target)} expects {dims.render(wanted)} elements per sample "
                       f"but receives {render_product(per_sample_factors(x))}")


def _shown(target) -> str:
    return "(" + ", ".join("-1" if d == -1 else dims.render(d) for d in target) + ")"


class Squeeze(Layer):
    """Remove size-1 axes: all of them, or the given ones (kept when their size is not 1)."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, axes: Optional[Sequence[int]] = None):
        super().__init__(framework, type_name)
        self.axes = None if axes is None else tuple(axes)

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        if self.axes is None:
            if any(d is None or isinstance(d, dims.Expr) for d in x.shape):
                return Tensor(None)  # which axes are 1 depends on unknown sizes
            return Tensor(tuple(d for d in x.shape if d != 1))
        chosen = {axis_index(self, a, max(x.rank, 1)) for a in self.axes}
        if any(not dims.is_known(x.shape[a]) for a in chosen):
            return Tensor(None)
        return Tensor(tuple(d for i, d in enumerate(x.shape) if not (i in chosen and d == 1)))


class Unsqueeze(Layer):
    """Insert a size-1 axis at ``axis`` (in the output's numbering)."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, axis: int):
        super().__init__(framework, type_name)
        self.axis = axis

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        at = axis_index(self, self.axis, x.rank + 1)
        return Tensor(tuple(x.shape[:at]) + (1,) + tuple(x.shape[at:]))


class Reduce(Layer):
    """mean/sum/amax... over ``axes`` (all when None); ``keepdim`` keeps them as 1."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, axes: Optional[Sequence[int]] = None,
                 keepdim: bool = False):
        super().__init__(framework, type_name)
        self.axes = None if axes is None else tuple(axes)
        self.keepdim = keepdim

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        chosen = set(range(x.rank)) if self.axes is None else {axis_index(self, a, x.rank) for a in self.axes}
        if self.keepdim:
            return Tensor(tuple(1 if i in chosen else d for i, d in enumerate(x.shape)))
        return Tensor(tuple(d for i, d in enumerate(x.shape) if i not in chosen))


class Stack(Layer):
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


class MatMul(Layer):
    """``a @ b`` with torch.matmul's broadcasting of the leading axes."""

    declared = NO_WEIGHTS

    def infer(self, node: Node, inputs: Sequence[Tensor]):
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


class Resize(Layer):
    """``nn.Upsample`` / ``F.interpolate``: the spatial rank is the input's rank minus 2."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, factors=None, sizes=None):
        super().__init__(framework, type_name)
        if (factors is None) == (sizes is None):
            raise InvalidArgument("either size or scale_factor should be defined")
        self.factors = factors
        self.sizes = sizes

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        rank = x.rank - 2
        if rank not in (1, 2, 3):
            raise mismatch(f"{self.type_name} expects a 3D, 4D or 5D input (batch included) but receives "
                           f"{format_shape(x.shape)}")

        def per_axis(value, what):
            if value is None or not isinstance(value, tuple):
                return None if value is None else (value,) * rank
            if len(value) != rank:
                raise mismatch(f"{self.type_name}: {what} has {len(value)} values for {rank} spatial axes")
            return value

        layer = UpSample(self.framework, self.type_name, rank=rank, factors=per_axis(self.factors, "scale_factor"),
                         sizes=per_axis(self.sizes, "size"), channels_last=False)
        return layer.infer(node, inputs)


class Expand(Layer):
    """``Tensor.expand(*sizes)``: -1 keeps an axis, an axis of size 1 stretches, new axes go in front."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, target: Sequence[Dim]):
        super().__init__(framework, type_name)
        for d in target:
            if isinstance(d, bool) or not isinstance(d, (int, dims.Expr)) or (isinstance(d, int) and d < -1):
                raise InvalidArgument(f"{type_name}: sizes must be integers, got {_shown(tuple(target))}")
        self.target = tuple(target)

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        lead = len(self.target) - x.rank
        if lead < 0:
            raise mismatch(f"{self.type_name}{_shown(self.target)}: fewer sizes than the {x.rank} axes of "
                           f"{format_shape(x.shape)}")
        out = []
        for i, size in enumerate(self.target):
            current = x.shape[i - lead] if i >= lead else None
            if size == -1 and current is None:
                raise mismatch(f"{self.type_name}{_shown(self.target)}: -1 for a new leading axis")
            if size != -1 and current is not None and current != 1 and dims.definitely_different(current, size):
                raise mismatch(f"{self.type_name}{_shown(self.target)}: axis of size {dims.render(current)} "
                               f"cannot become {dims.render(size)} (only size 1 stretches)")
            out.append(current if size == -1 else size)
        return Tensor(tuple(out))


class Index(Layer):
    """``x[...]`` with integers, slices, None and Ellipsis (batch is axis 0)."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, items: Sequence):
        super().__init__(framework, type_name)
        for item in items:
            if not (item is None or item is Ellipsis or _plain_int(item) or isinstance(item, slice)):
                reason = getattr(item, "reason", None)  # a value the evaluator could not compute
                raise Unresolved(f"the index is not known: {reason}" if reason else f"indexing with {item!r} is not modelled")
        if sum(item is Ellipsis for item in items) > 1:
            raise InvalidArgument("an index can only have a single ellipsis ('...')")
        self.items = tuple(items)

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        used = sum(item is not None and item is not Ellipsis for item in self.items)
        if used > x.rank:
            raise mismatch(f"too many indices for a tensor of rank {x.rank}: {used} given")
        items = list(self.items)
        fill = [slice(None)] * (x.rank - used)
        if Ellipsis in items:
            at = items.index(Ellipsis)
            items[at:at + 1] = fill
        else:
            items += fill
        out, axis = [], 0
        for item in items:
            if item is None:
                out.append(1)
                continue
            size = x.shape[axis]
            axis += 1
            if isinstance(item, slice):
                out.append(_sliced(size, item))
            elif dims.is_known(size) and not -size <= item < size:
                raise mismatch(f"index {item} is out of bounds for an axis of size {size}")
        return Tensor(tuple(out))


def _plain_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _sliced(size: Dim, item: slice) -> Dim:
    parts = (item.start, item.stop, item.step)
    if not all(p is None or _plain_int(p) for p in parts):
        return None
    if item.step is not None and item.step <= 0:
        raise mismatch("slice step must be positive")
    if item.start in (None, 0) and item.stop is None and item.step in (None, 1):
        return size
    return len(range(size)[item]) if dims.is_known(size) else None


class Container(Layer):
    """A submodule call (Sequential, a user module): a summary row around its children's rows."""

    declared = NO_WEIGHTS
