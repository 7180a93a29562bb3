"""Pooling and reductions: windowed max/average pooling, global and adaptive pooling, mean/sum over axes."""

from __future__ import annotations

from typing import Optional, Sequence

from .. import dims
from ..graph import Node, Tensor
from .base import (NO_WEIGHTS, SPATIAL_NAMES, InvalidArgument, Layer, Stop, TakesAnyInput, Unresolved, axis_index,
                   format_shape, mismatch, require_rank, spatial_axes, spatial_ranks, symbols)
from .windows import AXIS_NAMES, Padding, slide, zero_tail


def with_indices(layer, out: Tensor):
    """A max pooling asked for its indices (``indices``, PyTorch's ``return_indices``) also returns
    where each maximum was: a second tensor of the output's shape."""
    return (out, Tensor(out.shape, dtype="long")) if layer.indices else out


class Pool(TakesAnyInput, Layer):
    """Max or average pooling over ``rank`` spatial axes."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, rank: int, pool: tuple, strides: tuple,
                 padding: Sequence[Padding], dilation: tuple = None, channels_last: bool = True,
                 ceil_mode: bool = False, indices: bool = False):
        super().__init__(framework, type_name)
        self.rank = rank
        self.indices = indices
        self.pool = pool
        self.strides = strides
        self.padding = list(padding)
        self.dilation = dilation or (1,) * rank
        self.channels_last = channels_last
        self.ceil_mode = ceil_mode

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        require_rank(self, x, spatial_ranks(self, self.rank))
        shape = list(x.shape)
        names = AXIS_NAMES[self.rank]
        stopped = False
        for i, axis in enumerate(spatial_axes(x.rank, self.rank, self.channels_last)):
            shape[axis], window = slide(names[i], shape[axis], self.pool[i], self.strides[i], self.dilation[i],
                                        self.padding[i], self.framework, self.ceil_mode)
            window.zero_tail = zero_tail(x, axis)
            node.facts.append(window)
            if isinstance(shape[axis], int) and shape[axis] <= 0:
                stopped = True
        if stopped:
            raise Stop()
        return with_indices(self, Tensor(tuple(shape)))


class Unpool(TakesAnyInput, Layer):
    """PyTorch's MaxUnpool: each window's maximum put back where the pooling took it from (the indices it
    returned, of the input's shape).  Each spatial size becomes (in - 1)·stride - 2·padding + kernel, or the
    ``output_size`` given (the call's option, else the constructor's): its last ``rank`` sizes, as
    ``x.size()`` of the pooled tensor gives them, within a stride of that size."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, rank: int, pool: tuple, strides: tuple, padding: tuple,
                 output_size=None):
        super().__init__(framework, type_name)
        self.rank = rank
        self.pool = pool
        self.strides = strides
        self.padding = padding
        self.output_size = output_size

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        x = inputs[0]
        require_rank(self, x, spatial_ranks(self, self.rank))
        if len(inputs) > 1 and inputs[1].shape is not None and inputs[1].shape != x.shape:
            raise mismatch(f"{self.type_name}: indices {format_shape(inputs[1].shape[1:])} do not have the input's "
                           f"shape {format_shape(x.shape[1:])}")
        sizes = [dims.add(dims.mul(dims.sub(d, 1), s), k - 2 * p)
                 for d, k, s, p in zip(x.shape[-self.rank:], self.pool, self.strides, self.padding)]
        given = node.options.get("output_size", self.output_size)
        if given is not None:
            sizes = self._given(given, sizes)
        return Tensor(tuple(x.shape[:-self.rank]) + tuple(sizes), node)

    def _given(self, given, default: list) -> list:
        if not isinstance(given, (list, tuple)) or any(getattr(d, "is_unknown", False) for d in given):
            raise Unresolved(f"{self.type_name}: output_size is not known")
        given = list(given)[2:] if len(given) == self.rank + 2 else list(given)
        if len(given) != self.rank:
            raise InvalidArgument(f"{self.type_name}: output_size should have {self.rank} or {self.rank + 2} "
                                  f"sizes, got {len(given)}")
        for size, expected, stride in zip(given, default, self.strides):
            off = dims.sub(size, expected)
            if isinstance(off, int) and not -stride < off < stride:
                raise mismatch(f"{self.type_name}: output_size {dims.render(size)} is not within a stride "
                               f"({stride}) of {dims.render(expected)}")
        return given


class GlobalPool(TakesAnyInput, Layer):
    """Global max/average pooling: the spatial axes collapse (to 1 with keepdims)."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, rank: int, channels_last: bool = True,
                 keepdims: bool = False):
        super().__init__(framework, type_name)
        self.rank = rank
        self.channels_last = channels_last
        self.keepdims = keepdims

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        require_rank(self, x, self.rank + 2)
        pooled = spatial_axes(x.rank, self.rank, self.channels_last)
        if self.keepdims:
            return Tensor(tuple(1 if i in pooled else d for i, d in enumerate(x.shape)))
        return Tensor(tuple(d for i, d in enumerate(x.shape) if i not in pooled))


#: an output size the code computes but cnnlint cannot (``max(7, H)`` without an input size): that axis is unknown
UNKNOWN_SIZE = "unknown size"


class AdaptivePool(TakesAnyInput, Layer):
    """Adaptive pooling to a fixed output size; None in ``output_size`` keeps that axis, ``UNKNOWN_SIZE`` makes
    it unknown while the other axes stay exact."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, rank: int, output_size: tuple,
                 channels_last: bool = False, indices: bool = False):
        super().__init__(framework, type_name)
        self.rank = rank
        self.indices = indices
        self.output_size = output_size
        self.channels_last = channels_last

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        require_rank(self, x, spatial_ranks(self, self.rank))
        shape = list(x.shape)
        for axis, size in zip(spatial_axes(x.rank, self.rank, self.channels_last), self.output_size):
            if size is not None:
                shape[axis] = None if size is UNKNOWN_SIZE else size
        return with_indices(self, Tensor(tuple(shape)))


class Reduce(TakesAnyInput, Layer):
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


class TopK(TakesAnyInput, Layer):
    """``torch.topk(x, k, dim)``: the k largest (or smallest) entries along an axis, and their indices; with
    ``k`` None the whole axis in order (``torch.sort``).  ``indices_only``: ``torch.argsort``."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, axis: int, k=None, indices_only: bool = False):
        super().__init__(framework, type_name)
        self.axis = axis
        self.k = k
        self.indices_only = indices_only

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        out = list(x.shape)
        if out:
            axis = axis_index(self, self.axis, x.rank)
            if self.k is not None and isinstance(out[axis], int) and self.k > out[axis]:
                raise mismatch(f"{self.type_name}: k ({self.k}) is larger than the axis it selects from "
                               f"({out[axis]})")
            out[axis] = out[axis] if self.k is None else self.k
        indices = Tensor(tuple(out), node, dtype="long")
        return indices if self.indices_only else (Tensor(tuple(out), node), indices)


class Unfold(Layer):
    """``nn.Unfold``: every sliding block of a (C, H, W) input as a column, (C·kh·kw, L) with L blocks."""

    declared = NO_WEIGHTS

    def declared_sizes(self, inputs: Sequence[Tensor]) -> list:
        return []

    def implied_input(self) -> Optional[tuple]:
        """An image, whose channels it does not fix (unknown, never guessed)."""
        return (None,) + symbols(SPATIAL_NAMES[2])

    def __init__(self, framework: str, type_name: str, *, kernel: tuple, dilation: tuple, padding: tuple,
                 strides: tuple):
        super().__init__(framework, type_name)
        self.kernel, self.dilation, self.padding, self.strides = kernel, dilation, padding, strides

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        require_rank(self, x, (3, 4))
        blocks, stopped = 1, False
        for i, axis in enumerate(spatial_axes(x.rank, 2, channels_last=False)):
            out, window = slide(AXIS_NAMES[2][i], x.shape[axis], self.kernel[i], self.strides[i], self.dilation[i],
                                Padding("explicit", self.padding[i], self.padding[i]), self.framework)
            node.facts.append(window)
            stopped = stopped or (isinstance(out, int) and out <= 0)
            blocks = dims.mul(blocks, out)
        if stopped:
            raise Stop()
        columns = dims.mul(x.shape[-3], self.kernel[0] * self.kernel[1])
        return Tensor(tuple(x.shape[:-3]) + (columns, blocks))
