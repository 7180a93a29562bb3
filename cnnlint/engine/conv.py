"""Convolutions: regular, transposed, depthwise and separable, 1D to 3D."""

from __future__ import annotations

from typing import Optional, Sequence

from .. import dims
from ..graph import Node, Problem, ProblemKind, Tensor, Weights
from .base import (SPATIAL_NAMES, Layer, Stop, check_features, declared_feature, non_positive, require_rank,
                   spatial_axes, spatial_ranks, symbols)
from .windows import AXIS_NAMES, Padding, check_wrapping, slide, slide_transposed, zero_tail


class Conv(Layer):
    """A convolution; ``in_channels`` is given when the framework declares it."""

    type_name = "Conv"

    def __init__(self, framework: str, type_name: str, *, rank: int, filters: Optional[int], kernel: tuple,
                 strides: tuple, padding: Sequence[Padding], dilation: tuple, groups: int = 1, bias: bool = True,
                 channels_last: bool = True, in_channels: Optional[int] = None, transpose: bool = False,
                 output_padding=None, activation=None, padding_fill: str = "zeros", label: str = ""):
        super().__init__(framework, type_name)
        #: what PyTorch pads with (padding_mode): zeros, or rows of the input itself
        self.padding_fill = padding_fill
        #: a fused activation (Keras ``activation=``), None when linear
        self.activation = activation
        self.rank = rank
        self.filters = filters
        self.kernel = kernel
        self.strides = strides
        self.padding = list(padding)
        self.dilation = dilation
        self.groups = groups
        self.bias = bias
        self.channels_last = channels_last
        self.in_channels = in_channels
        self.transpose = transpose
        self.output_padding = output_padding
        self.label = label
        if in_channels is not None:
            self.declared = self._weights(in_channels)

    def _check_fill(self, size, i: int, axis: str) -> None:
        padding = self.padding[i]
        begin, end = padding.begin, padding.end
        if padding.mode == "same":  # PyTorch pads the odd extra row at the end
            total = self.dilation[i] * (self.kernel[i] - 1)
            begin, end = total // 2, total - total // 2
        check_wrapping(self, self.padding_fill, size, begin, end, axis)

    # -- channel bookkeeping, overridden by depthwise/separable ----------
    def out_channels(self, cin):
        return self.filters

    def _weights(self, cin) -> Weights:
        k = dims.product(self.kernel)
        if self.transpose and self.framework == "torch":
            # PyTorch stores (in, out/groups, *k); the count is the same product.
            kernel_params = dims.mul(dims.mul(k, cin), dims.floordiv(self.filters, self.groups))
        else:
            kernel_params = dims.mul(dims.mul(k, dims.floordiv(cin, self.groups)), self.filters)
        return Weights(dims.add(kernel_params, self.filters if self.bias else 0), 0)

    def channel_axis(self, rank: int) -> int:
        """Where the channels are in an input or output of ``rank`` axes (PyTorch also takes unbatched ones)."""
        if self.channels_last:
            return rank - 1
        return 1 if rank == self.rank + 2 else 0

    def declared_sizes(self, inputs):
        if self.in_channels is None:
            return []
        return declared_feature(inputs[0], self.channel_axis(inputs[0].rank), self.in_channels)

    def implied_input(self):
        if self.in_channels is None:
            return None
        spatial = symbols(SPATIAL_NAMES[self.rank])
        return spatial + (self.in_channels,) if self.channels_last else (self.in_channels,) + spatial

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        require_rank(self, x, spatial_ranks(self, self.rank))
        unbatched = x.rank == self.rank + 1
        shape = ((1,) + tuple(x.shape)) if unbatched else tuple(x.shape)
        t = Tensor(shape, factors=x.factors)
        spatial = spatial_axes(len(shape), self.rank, self.channels_last)
        channel = self.channel_axis(len(shape))
        cin = shape[channel]
        if self.in_channels is not None:
            check_features(self, t, self.in_channels, "input channels", axis=channel, label=self.label)
        if isinstance(cin, int) and cin % self.groups:
            raise Stop(Problem(ProblemKind.MISMATCH, f"{self.type_name}: input channels ({cin}) are not divisible by groups ({self.groups})"))
        if cin is not None:  # unknown input channels leave the weights unknown, not the shape
            node.weights = self._weights(cin)
        out = list(shape)
        names = AXIS_NAMES[self.rank]
        problems = False
        for i, axis in enumerate(spatial):
            if self.transpose:
                out[axis] = slide_transposed(shape[axis], self.kernel[i], self.strides[i], self.dilation[i],
                                             self.padding[i], self.output_padding[i] if self.output_padding else None,
                                             self.framework)
                if isinstance(out[axis], int) and out[axis] <= 0:
                    raise non_positive(f"{self.type_name}: the output {names[i]} size would be {out[axis]} for "
                                       f"an input of {shape[axis]}")
                continue
            self._check_fill(shape[axis], i, names[i])
            out[axis], window = slide(names[i], shape[axis], self.kernel[i], self.strides[i], self.dilation[i],
                                      self.padding[i], self.framework)
            window.zero_tail = zero_tail(x, axis - (len(shape) - x.rank))
            node.facts.append(window)
            if isinstance(out[axis], int) and out[axis] <= 0:
                problems = True
        if problems:
            raise Stop()
        out[channel] = self.out_channels(cin)
        if unbatched:
            out = out[1:]
        return Tensor(tuple(out))

    def macs(self, node: Node):
        x, y = node.inputs[0], node.output_tensor
        if y is None or y.shape is None:
            return None
        cin = x.shape[self.channel_axis(x.rank)]
        per_output = dims.mul(dims.product(self.kernel), dims.floordiv(cin, self.groups))
        if self.transpose:
            return dims.mul(dims.product(x.shape[1:]), dims.mul(dims.product(self.kernel), dims.floordiv(self.filters, self.groups)))
        return dims.mul(dims.product(y.shape[1:]), per_output)


class DepthwiseConv(Conv):
    """Keras DepthwiseConv: one (or depth_multiplier) filters per input channel."""

    def __init__(self, framework: str, type_name: str, *, depth_multiplier: int = 1, **kw):
        self.depth_multiplier = depth_multiplier
        super().__init__(framework, type_name, filters=None, **kw)

    def out_channels(self, cin):
        return dims.mul(cin, self.depth_multiplier)

    def _weights(self, cin) -> Weights:
        out = self.out_channels(cin)
        return Weights(dims.add(dims.mul(dims.product(self.kernel), out), out if self.bias else 0), 0)

    def macs(self, node: Node):
        y = node.output_tensor
        if y is None or y.shape is None:
            return None
        return dims.mul(dims.product(y.shape[1:]), dims.product(self.kernel))


class SeparableConv(Conv):
    """Keras SeparableConv: a depthwise conv followed by a 1x1 pointwise conv."""

    def __init__(self, framework: str, type_name: str, *, depth_multiplier: int = 1, **kw):
        self.depth_multiplier = depth_multiplier
        super().__init__(framework, type_name, **kw)

    def _weights(self, cin) -> Weights:
        mid = dims.mul(cin, self.depth_multiplier)
        depthwise = dims.mul(dims.product(self.kernel), mid)
        pointwise = dims.mul(mid, self.filters)
        return Weights(dims.add(dims.add(depthwise, pointwise), self.filters if self.bias else 0), 0)

    def macs(self, node: Node):
        x, y = node.inputs[0], node.output_tensor
        if y is None or y.shape is None:
            return None
        mid = dims.mul(x.shape[self.channel_axis(x.rank)], self.depth_multiplier)
        spatial_out = dims.exact_div(dims.product(y.shape[1:]), self.filters)
        return dims.mul(spatial_out, dims.add(dims.mul(mid, dims.product(self.kernel)), dims.mul(mid, self.filters)))

