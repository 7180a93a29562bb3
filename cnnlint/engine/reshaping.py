"""Layers that move elements around: reshape, permute, repeat, pad, crop, upsample."""

from __future__ import annotations

import math
from typing import Optional, Sequence

from .. import dims
from ..graph import Node, Tensor
from .base import (NO_WEIGHTS, InvalidArgument, Layer, axis_index, format_shape, mismatch, non_positive,
                   require_rank, spatial_axes, spatial_ranks)
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


class Reshape(Layer):
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


class Unflatten(Layer):
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


class Permute(Layer):
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


class RepeatVector(Layer):
    """Keras RepeatVector: (batch, features) -> (batch, n, features)."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, n: int):
        super().__init__(framework, type_name)
        self.n = n

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        require_rank(self, x, 2)
        return Tensor((x.shape[0], self.n, x.shape[1]))


class Pad(Layer):
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
        require_rank(self, x, spatial_ranks(self, rank))
        shape = list(x.shape)
        sign = -1 if self.crop else 1
        margins = None if self.crop else dict(x.margins or {})
        for i, (axis, (begin, end)) in enumerate(zip(spatial_axes(x.rank, rank, self.channels_last), self.amounts)):
            check_wrapping(self, self.fill, shape[axis], begin, end, AXIS_NAMES[rank][i])
            size = dims.add(shape[axis], sign * (begin + end))
            if self.crop and isinstance(size, int) and size <= 0:
                raise non_positive(f"{self.type_name}: cropping {begin}+{end} from a dimension of "
                                   f"{shape[axis]} leaves {size}")
            shape[axis] = size
            if margins is not None:
                before, after = margins.get(axis, (0, 0))
                margins[axis] = (before + begin, after + end)
        return Tensor(tuple(shape), margins=margins)


class UpSample(Layer):
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


class PixelShuffle(Layer):
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
