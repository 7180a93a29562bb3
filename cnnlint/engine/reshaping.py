"""Layers that move elements around: reshape, view, permute, squeeze, index, repeat, pad, crop, resize.

PyTorch's tensor methods (``x.view(x.size(0), -1)``, ``x.transpose(1, 2)``)
take targets that may hold the symbolic batch size and negative axes, known
only once the input's rank is; their layers resolve them when applied.
"""

from __future__ import annotations

import math
from typing import Optional, Sequence

from .. import dims
from ..dims import Dim
from ..graph import BATCH, Node, Tensor
from .base import (NO_WEIGHTS, InvalidArgument, Layer, TakesAnyInput, Unresolved, axis_index, format_shape, mismatch,
                   non_positive, render_product, require_rank, spatial_axes, spatial_ranks)
from .merge import broadcast
from .windows import AXIS_NAMES, check_wrapping


def resolve_shape(layer: Layer, elements, target: Sequence[int], shown_input) -> tuple:
    """``target`` with its single -1 resolved so that it holds ``elements``; CNN101 if it cannot."""
    known = dims.product(d for d in target if d != -1)
    if -1 in target:
        inferred = dims.exact_div(elements, known) if known != 0 else None
        if inferred is None:
            if dims.is_known(elements) and dims.is_known(known):
                raise mismatch(f"{layer.type_name}: {format_shape(shown_input)} holds {elements} elements, "
                               f"not a multiple of {known} = {'·'.join(str(d) for d in target if d != -1)}")
            return tuple(None if d == -1 else d for d in target)
        return tuple(inferred if d == -1 else d for d in target)
    if dims.definitely_different(elements, known):
        raise mismatch(f"{layer.type_name}: cannot reshape {format_shape(shown_input)} "
                       f"({dims.render(elements)} elements) to {format_shape(target)} ({known} elements)")
    return tuple(target)


def check_target_shape(target: Sequence[int]) -> tuple:
    """A reshape target: non-negative ints with at most one -1."""
    target = tuple(target)
    if any(isinstance(d, bool) or not isinstance(d, int) or d < -1 for d in target):
        raise InvalidArgument(f"target shape must hold non-negative integers or -1, got {target}")
    if target.count(-1) > 1:
        raise InvalidArgument(f"target shape may hold at most one -1, got {target}")
    return target


class Reshape(TakesAnyInput, Layer):
    """Reshape to ``target`` (one -1 allowed).

    Keras' target excludes the batch axis; PyTorch's ``view``/``reshape``
    include it (``includes_batch=True``), where a -1 absorbs the batch.
    """

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, target: Sequence[int], includes_batch: bool = False):
        super().__init__(framework, type_name)
        self.target = check_target_shape(target)
        self.includes_batch = includes_batch

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        if self.includes_batch:
            return Tensor(resolve_shape(self, dims.product(x.shape), self.target, x.shape))
        body = resolve_shape(self, dims.product(x.shape[1:]), self.target, x.shape[1:])
        return Tensor((x.shape[0],) + body)


class Unflatten(TakesAnyInput, Layer):
    """PyTorch's Unflatten: split axis ``axis`` (batch is 0) into ``sizes`` (one -1 allowed)."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, axis: int, sizes: Sequence[int]):
        super().__init__(framework, type_name)
        self.axis = axis
        self.sizes = check_target_shape(sizes)

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        axis = axis_index(self, self.axis, x.rank)
        split = resolve_shape(self, x.shape[axis], self.sizes, (x.shape[axis],))
        return Tensor(tuple(x.shape[:axis]) + split + tuple(x.shape[axis + 1:]))


class Permute(TakesAnyInput, Layer):
    """Reorder axes: a full ``order`` (batch, axis 0, included; negative axes count from the end, as
    ``Tensor.permute`` allows), or the two axes ``swap`` exchanges (``Tensor.transpose``)."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, order: Optional[Sequence[int]] = None,
                 swap: Optional[tuple] = None):
        super().__init__(framework, type_name)
        if order is not None and min(order, default=0) >= 0 and sorted(order) != list(range(len(order))):
            raise InvalidArgument(f"{type_name}: {tuple(order)} is not a permutation of the axes")
        self.order = tuple(order) if order is not None else None
        self.swap = swap

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        if self.swap is not None:
            a, b = (axis_index(self, d, x.rank) for d in self.swap)
            order = list(range(x.rank))
            order[a], order[b] = order[b], order[a]
        else:
            if len(self.order) != x.rank:
                raise mismatch(f"{self.type_name}: {len(self.order)} axes given for an input of rank {x.rank} "
                               f"{format_shape(x.shape)}")
            order = [axis_index(self, d, x.rank) for d in self.order]
            if sorted(order) != list(range(x.rank)):
                raise mismatch(f"{self.type_name}: {self.order} repeats an axis")
        return Tensor(tuple(x.shape[i] for i in order))


class RepeatVector(TakesAnyInput, Layer):
    """Keras RepeatVector: (batch, features) -> (batch, n, features)."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, n: int):
        super().__init__(framework, type_name)
        self.n = n

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        require_rank(self, x, 2)
        return Tensor((x.shape[0], self.n, x.shape[1]))


class Pad(TakesAnyInput, Layer):
    """Zero padding (positive amounts) or cropping (``crop=True``) of the spatial axes.

    ``amounts`` is one (begin, end) pair per spatial axis, in axis order.
    Spatial axes are counted from the end, before the channel axis when
    ``channels_last`` — which is also how PyTorch's ZeroPad/ConstantPad treat
    the last axes (``channels_last=False``; give the pairs in axis order, not
    PyTorch's last-axis-first order).
    """

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, amounts: Sequence[tuple], channels_last: bool = True,
                 crop: bool = False, fill: str = "constant"):
        super().__init__(framework, type_name)
        self.amounts = tuple(tuple(pair) for pair in amounts)
        self.channels_last = channels_last
        self.crop = crop
        self.fill = fill  # constant, or PyTorch's reflect / replicate / circular

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        rank = len(self.amounts)
        if self.framework == "torch" and self.fill == "constant" and not self.crop and (x.rank or 0) >= rank:
            pass  # PyTorch pads the last axes of a tensor of any rank with a constant; other fills need 1-3
        else:
            require_rank(self, x, spatial_ranks(self, rank))
        shape = list(x.shape)
        sign = -1 if self.crop else 1
        symbolic = any(not isinstance(a, int) for pair in self.amounts for a in pair)
        margins = None if self.crop or symbolic else dict(x.margins or {})
        for i, (axis, (begin, end)) in enumerate(zip(spatial_axes(x.rank, rank, self.channels_last), self.amounts)):
            if not symbolic:
                # F.pad may pad more trailing axes than a window layer has names for (swin3d's 4 pairs)
                names = AXIS_NAMES.get(rank) or tuple(f"last but {rank - 1 - j}" for j in range(rank))
                check_wrapping(self, self.fill, shape[axis], begin, end, names[i])
            size = dims.add(shape[axis], dims.mul(sign, dims.add(begin, end)))
            if self.crop and isinstance(size, int) and size <= 0:
                raise non_positive(f"{self.type_name}: cropping {begin}+{end} from a dimension of "
                                   f"{shape[axis]} leaves {size}")
            shape[axis] = size
            if margins is not None:
                before, after = margins.get(axis, (0, 0))
                margins[axis] = (before + begin, after + end)
        return Tensor(tuple(shape), margins=margins)


class UpSample(TakesAnyInput, Layer):
    """Nearest/bilinear upsampling of the spatial axes.

    By integer (Keras) or float (PyTorch ``scale_factor``: floor(size·factor))
    ``factors``, or to fixed ``sizes`` (PyTorch ``size``).
    """

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, rank: int, factors: Optional[tuple] = None,
                 sizes: Optional[tuple] = None, channels_last: bool = True):
        super().__init__(framework, type_name)
        if (factors is None) == (sizes is None):
            raise InvalidArgument(f"{type_name}: give either a scale factor or an output size")
        self.rank = rank
        self.factors = factors
        self.sizes = sizes
        self.channels_last = channels_last

    def _scaled(self, size, factor):
        if isinstance(factor, int):
            return dims.mul(size, factor)
        return math.floor(size * factor) if isinstance(size, int) else None

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        require_rank(self, x, spatial_ranks(self, self.rank))
        shape = list(x.shape)
        for i, axis in enumerate(spatial_axes(x.rank, self.rank, self.channels_last)):
            shape[axis] = self.sizes[i] if self.sizes else self._scaled(shape[axis], self.factors[i])
        return Tensor(tuple(shape))


class PixelShuffle(TakesAnyInput, Layer):
    """PyTorch PixelShuffle: (C·r², H, W) -> (C, H·r, W·r), channels first."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, factor: int):
        super().__init__(framework, type_name)
        self.factor = factor

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        if x.rank < 3:
            raise mismatch(f"{self.type_name} expects at least 3 dimensions (C, H, W) but receives "
                           f"{format_shape(x.shape)}")
        square = self.factor ** 2
        channels = dims.exact_div(x.shape[-3], square)
        if channels is None and dims.is_known(x.shape[-3]):
            raise mismatch(f"{self.type_name}: {x.shape[-3]} channels are not divisible by "
                           f"{self.factor}² = {square}")
        height, width = (dims.mul(d, self.factor) for d in x.shape[-2:])
        return Tensor(tuple(x.shape[:-3]) + (channels, height, width))


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

    def declared_sizes(self, inputs):
        x = inputs[0]
        wanted = self.sample_target(x.shape[0])
        if wanted is None or (x.rank and x.shape[0] != BATCH and dims.symbols(BATCH) <= dims.symbols(x.shape[0])):
            return []  # the first axis holds several rows per sample (hiera's unroll): no one size per sample
        if self.merges_leading_axes(x):
            return []
        per_sample = dims.exact_div(dims.product(x.shape), x.shape[0]) if x.rank else None
        return [(per_sample, wanted, per_sample_factors(x))]

    def merges_leading_axes(self, x: Tensor) -> bool:
        """``view(-1, *x.shape[k:])``: the -1 takes the batch and the axes before k (swin's windows
        folded back, ``attn.view(-1, heads, n, n)``), not one sample's elements."""
        rest = self.target[1:]
        return (self.target[:1] == (-1,) and x.rank is not None and x.rank > len(self.target)
                and tuple(x.shape[x.rank - len(rest):]) == rest)

    def implied_input(self):
        return None

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        total = dims.product(x.shape)
        known = dims.product(d for d in self.target if d != -1)
        per_sample = dims.exact_div(total, x.shape[0]) if x.rank and isinstance(x.shape[0], dims.Expr) else None
        wanted = self.sample_target(x.shape[0])
        # the first axis may hold several rows of each sample (k·batch): their elements count too
        per_batch_sample = dims.exact_div(total, BATCH) if x.rank and x.shape[0] != BATCH else None
        # ... a number of them cnnlint may know only symbolically (swin's windows of a side it does not know)
        rows_unknown = x.rank and x.shape[0] != BATCH and not dims.is_known(per_batch_sample)
        if dims.is_known(per_sample) and dims.is_known(wanted) and per_sample % max(wanted, 1) and not rows_unknown \
                and not (dims.is_known(per_batch_sample) and per_batch_sample % max(wanted, 1) == 0):
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


class Squeeze(TakesAnyInput, Layer):
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


class Tile(TakesAnyInput, Layer):
    """``Tensor.repeat(*sizes)``: each axis ``sizes[i]`` times; more sizes than axes add leading axes.
    ``torch.tile`` (``fewer=True``) also takes fewer sizes than axes, the leading ones once."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, repeats: Sequence[Dim], fewer: bool = False):
        super().__init__(framework, type_name)
        for d in repeats:
            if isinstance(d, bool) or not isinstance(d, (int, dims.Expr)) or (isinstance(d, int) and d < 0):
                raise InvalidArgument(f"{type_name}: repeats must be non-negative integers, got {_shown(tuple(repeats))}")
        self.repeats = tuple(repeats)
        self.fewer = fewer

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        repeats = (1,) * max(0, x.rank - len(self.repeats)) * self.fewer + self.repeats
        lead = len(repeats) - x.rank
        if lead < 0:
            raise mismatch(f"{self.type_name}: {len(self.repeats)} repeats for the {x.rank} axes of "
                           f"{format_shape(x.shape)}")
        sizes = (1,) * lead + tuple(x.shape)
        return Tensor(tuple(dims.mul(d, r) for d, r in zip(sizes, repeats)))


class RepeatInterleave(TakesAnyInput, Layer):
    """``torch.repeat_interleave(x, n, dim)``: each element n times along ``axis``; without an axis, the
    flattened tensor."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, repeats: int, axis: Optional[int]):
        super().__init__(framework, type_name)
        self.repeats = repeats
        self.axis = axis

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        if self.axis is None:
            return Tensor((dims.mul(dims.product(x.shape), self.repeats),))
        at = axis_index(self, self.axis, max(x.rank, 1))
        return Tensor(tuple(dims.mul(d, self.repeats) if i == at else d for i, d in enumerate(x.shape)))


class Unsqueeze(TakesAnyInput, Layer):
    """Insert a size-1 axis at ``axis`` (in the output's numbering)."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, axis: int):
        super().__init__(framework, type_name)
        self.axis = axis

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        at = axis_index(self, self.axis, x.rank + 1)
        return Tensor(tuple(x.shape[:at]) + (1,) + tuple(x.shape[at:]))


class Expand(TakesAnyInput, Layer):
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


#: the dtypes of tensors that index by value (integers) or by mask (bool)
INDEX_DTYPES = ("int", "long", "bool")


class IndexSelect(TakesAnyInput, Layer):
    """``torch.index_select(x, dim, index)``: the axis becomes as long as the index (its values are not checked)."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, axis: int, length: Dim):
        super().__init__(framework, type_name)
        self.axis = axis
        self.length = length

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        out = list(x.shape)
        out[axis_index(self, self.axis, x.rank)] = self.length
        return Tensor(tuple(out))


class Index(TakesAnyInput, Layer):
    """``x[...]`` with integers, slices, None, Ellipsis and index tensors (batch is axis 0).

    An integer tensor (or list of integers) picks elements by value: the result's axes are its shape,
    whatever the values, as NumPy's advanced indexing places them (where the index stands when the
    indices are adjacent, else in front).  A boolean mask keeps as many elements as it has True
    values, which only the run knows: that axis stays unknown.
    """

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, items: Sequence):
        super().__init__(framework, type_name)
        items = [Tensor((len(item),), dtype="long") if isinstance(item, list) and item and all(
            _plain_int(i) for i in item) else item for item in items]
        for item in items:
            if isinstance(item, Tensor) and (item.shape is None or item.dtype not in INDEX_DTYPES):
                raise Unresolved("indexing with a tensor whose shape or integer type cnnlint does not know")
            if not (item is None or item is Ellipsis or _plain_int(item) or isinstance(item, (slice, Tensor))):
                reason = getattr(item, "reason", None)  # a value the evaluator could not compute
                raise Unresolved(f"the index is not known: {reason}" if reason else f"indexing with {item!r} is not modelled")
        if sum(item is Ellipsis for item in items) > 1:
            raise InvalidArgument("an index can only have a single ellipsis ('...')")
        self.items = tuple(items)

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        used = sum(_axes_taken(item) for item in self.items)
        if used > x.rank:
            raise mismatch(f"too many indices for a tensor of rank {x.rank}: {used} given")
        items = list(self.items)
        fill = [slice(None)] * (x.rank - used)
        if Ellipsis in items:
            at = items.index(Ellipsis)
            items[at:at + 1] = fill
        else:
            items += fill
        tensors = any(isinstance(item, Tensor) for item in items)
        advanced = [i for i, item in enumerate(items) if isinstance(item, Tensor) or (tensors and _plain_int(item))]
        out, axis, block = [], 0, None
        for i, item in enumerate(items):
            if item is None:
                out.append(1)
                continue
            if i in advanced:
                if block is None:
                    block = len(out)
                sizes = x.shape[axis:axis + _axes_taken(item)]
                axis += _axes_taken(item)
                if isinstance(item, Tensor) and item.dtype == "bool":
                    for size, mask in zip(sizes, item.shape):
                        if dims.definitely_different(size, mask):
                            raise mismatch(f"a mask of shape {format_shape(item.shape)} does not match an axis "
                                           f"of size {dims.render(size)}")
                elif _plain_int(item) and dims.is_known(sizes[0]) and not -sizes[0] <= item < sizes[0]:
                    raise mismatch(f"index {item} is out of bounds for an axis of size {sizes[0]}")
                continue
            size = x.shape[axis]
            axis += 1
            if isinstance(item, slice):
                out.append(_sliced(size, item))
            elif dims.is_known(size) and not -size <= item < size:
                raise mismatch(f"index {item} is out of bounds for an axis of size {size}")
        if advanced:
            picked = [Tensor((None,)) if item.dtype == "bool" else item if isinstance(item, Tensor) else Tensor(())
                      for item in (items[i] for i in advanced)]
            shape = broadcast(self, picked) if len(picked) > 1 else tuple(picked[0].shape)
            adjacent = advanced == list(range(advanced[0], advanced[-1] + 1))
            at = block if adjacent else 0
            out[at:at] = list(shape)
        return Tensor(tuple(out))


def _axes_taken(item) -> int:
    """How many of the tensor's axes an index item uses: a mask as many as it has, None and ... none."""
    if item is None or item is Ellipsis:
        return 0
    if isinstance(item, Tensor) and item.dtype == "bool":
        return len(item.shape)
    return 1


def _plain_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _sliced(size: Dim, item: slice) -> Dim:
    parts = (item.start, item.stop, item.step)
    if not all(p is None or _plain_int(p) for p in parts):
        return _slice_with_symbolic_bounds(size, item)
    if item.step is not None and item.step <= 0:
        raise mismatch("slice step must be positive")
    if item.start in (None, 0) and item.stop is None and item.step in (None, 1):
        return size
    if dims.is_known(size):
        return len(range(size)[item])
    return _symbolic_slice(size, item) if size is not None else None


def _symbolic_slice(size, item: slice) -> Dim:
    """``x[a:b:s]`` along an axis of symbolic size n, where the bounds clamp to [0, n] in a way no size
    changes (``x[:, :1]``, ``x[:, 1:]`` after a class token is joined on: n is 1 + a size); else None."""

    def bound(index, default):
        if index is None:
            return default
        if index >= 0:
            return index if dims.surely_at_least(size, index) else None
        return dims.add(size, index) if dims.surely_at_least(size, -index) else None

    first, step = item.start or 0, item.step or 1
    if item.stop is None and first >= 0:
        # rows first, first + step, ... to the end of an axis at least first long, as a symbolic size reads
        # wherever the model runs (swin's x[..., 0::2, :] and x[..., 1::2, :], a class token's x[:, 1:])
        return dims.floordiv(dims.add(size, step - 1 - first), step)
    start, stop = bound(item.start, 0), bound(item.stop, size)
    if start is None or stop is None:
        return None
    length = dims.sub(stop, start)
    if not dims.surely_at_least(length, 0):
        return None
    return length if step == 1 else dims.floordiv(dims.add(length, step - 1), step)


class GridSample(TakesAnyInput, Layer):
    """``F.grid_sample(input, grid)``: input (N, C, *in) read at the grid's points (N, *out, k), k its number
    of spatial axes: (N, C, *out)."""

    declared = NO_WEIGHTS

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        x, grid = inputs
        if x.rank not in (4, 5) or grid.rank != x.rank:
            raise mismatch(f"grid_sample(): expected 4D or 5D input and grid with same number of dimensions, but "
                           f"got input {format_shape(x.shape)} and grid {format_shape(grid.shape)}")
        if dims.definitely_different(x.shape[0], grid.shape[0]):
            raise mismatch(f"grid_sample(): expected grid and input to have same batch size, but got input "
                           f"{format_shape(x.shape)} and grid {format_shape(grid.shape)}")
        if dims.definitely_different(grid.shape[-1], x.rank - 2):
            raise mismatch(f"grid_sample(): expected grid to have size {x.rank - 2} in last dimension, but got grid "
                           f"{format_shape(grid.shape)}")
        return Tensor((x.shape[0], x.shape[1]) + tuple(grid.shape[1:-1]))


def _slice_with_symbolic_bounds(size: Dim, item: slice) -> Dim:
    """``x[b:2 * b]`` with symbolic bounds: stop - start, when 0 <= start <= stop <= size for every value of
    the sizes (each a positive whole number), else unknown."""
    start, stop = 0 if item.start is None else item.start, size if item.stop is None else item.stop
    if item.step not in (None, 1) or not all(isinstance(d, (int, dims.Expr)) and not isinstance(d, bool)
                                             for d in (start, stop, size)):
        return None
    parts = (start, dims.sub(stop, start), dims.sub(size, stop))
    return parts[1] if all(_never_negative(d) for d in parts) else None


def _never_negative(d: Dim) -> bool:
    """A sum of products of sizes with positive coefficients (or a whole number >= 0)."""
    if isinstance(d, int):
        return d >= 0
    return all(c > 0 and all(isinstance(atom, str) for atom in monomial) for monomial, c in d.terms.items())


class Resize(TakesAnyInput, Layer):
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
