"""Normalisation layers: batch, layer, group and instance normalisation.

They keep their input's shape; what differs is which axes carry the learned
scale/offset, and what each framework counts as a weight: Keras counts the
moving mean/variance as non-trainable weights, PyTorch keeps its running
statistics in buffers, which are not parameters.
"""

from __future__ import annotations

from typing import Optional, Sequence

from .. import dims
from ..graph import Node, Tensor, Weights
from .base import (SPATIAL_NAMES, InvalidArgument, Layer, Stop, TakesAnyInput, axis_index, check_features,
                   declared_feature, format_shape, mismatch, require_rank, symbols)


def _affine(size, scale: bool, center: bool):
    """Weights of a learned scale (gamma) and offset (beta) over ``size`` values."""
    return dims.mul(size, int(scale) + int(center))


class BatchNorm(Layer):
    """Batch normalisation over one channel axis (Keras ``axis``, PyTorch axis 1).

    ``num_features`` is declared by PyTorch; ``ranks`` restricts the input rank
    (batch included), as BatchNorm2d does.  ``statistics``: how many moving
    statistics per channel count as non-trainable weights (Keras: mean and
    variance, plus three with renorm; PyTorch: none, its running statistics
    are buffers).  InstanceNorm is this layer with ``scale = center = affine``.
    """

    def __init__(self, framework: str, type_name: str, *, axis: int = -1, scale: bool = True, center: bool = True,
                 statistics: int = 2, num_features: Optional[int] = None, ranks: Optional[tuple] = None,
                 label: str = ""):
        super().__init__(framework, type_name)
        self.axis = axis
        self.scale = scale
        self.center = center
        self.statistics = statistics
        self.num_features = num_features
        self.ranks = ranks
        self.label = label
        if num_features is not None:
            self.declared = self._weights(num_features)

    def declared_sizes(self, inputs):
        if not self.num_features:
            return []
        return declared_feature(inputs[0], axis_index(self, self.axis, inputs[0].rank), self.num_features)

    def implied_input(self):
        if self.num_features is None or not self.ranks:
            return None
        return (self.num_features,) + symbols(SPATIAL_NAMES.get(max(self.ranks) - 2, ()))

    def _weights(self, channels) -> Weights:
        return Weights(_affine(channels, self.scale, self.center), dims.mul(channels, self.statistics))

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        if self.ranks:
            require_rank(self, x, self.ranks)
        axis = axis_index(self, self.axis, x.rank)
        if self.num_features is not None:
            check_features(self, x, self.num_features, "channels", axis=axis, label=self.label)
        elif x.shape[axis] is None:
            raise Stop()
        node.weights = self._weights(x.shape[axis])
        return Tensor(x.shape, factors=x.factors)


class LayerNorm(Layer):
    """Layer normalisation over trailing axes.

    Keras names the normalised ``axes`` and learns one value per element of
    them; PyTorch declares ``normalized_shape``, which must match the input's
    trailing dimensions.  ``scale``/``center``: gamma and beta exist.
    """

    def __init__(self, framework: str, type_name: str, *, axes: Sequence[int] = (-1,), scale: bool = True,
                 center: bool = True, normalized_shape: Optional[tuple] = None, label: str = ""):
        super().__init__(framework, type_name)
        self.axes = tuple(axes)
        self.scale = scale
        self.center = center
        self.normalized_shape = normalized_shape
        self.label = label
        if normalized_shape is not None:
            self.declared = Weights(_affine(dims.product(normalized_shape), scale, center), 0)

    def declared_sizes(self, inputs):
        if not self.normalized_shape:
            return []
        trailing = inputs[0].shape[-len(self.normalized_shape):]
        return [(got, want, (got,)) for got, want in zip(trailing, self.normalized_shape)]

    def implied_input(self):
        return None

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        if self.normalized_shape is not None:
            trailing = tuple(x.shape[len(x.shape) - len(self.normalized_shape):])
            if len(self.normalized_shape) >= x.rank or any(
                    dims.definitely_different(a, b) for a, b in zip(trailing, self.normalized_shape)):
                raise mismatch(f"{self.label or self.type_name} normalises trailing dimensions "
                               f"{tuple(self.normalized_shape)} but receives {tuple(x.shape[1:])}")
        else:
            axes = {axis_index(self, a, x.rank) for a in self.axes}
            node.weights = Weights(_affine(dims.product(x.shape[a] for a in axes), self.scale, self.center), 0)
        return Tensor(x.shape, factors=x.factors)


class GroupNorm(Layer):
    """Group normalisation: ``groups`` groups of the channels on ``axis``.

    ``groups=-1`` (Keras) means one group per channel; PyTorch declares
    ``num_channels`` (on axis 1).
    """

    def __init__(self, framework: str, type_name: str, *, groups: int, axis: int = -1, scale: bool = True,
                 center: bool = True, num_channels: Optional[int] = None, label: str = ""):
        super().__init__(framework, type_name)
        self.groups = groups
        self.axis = axis
        self.scale = scale
        self.center = center
        self.num_channels = num_channels
        self.label = label
        if num_channels is not None:
            if num_channels % groups:
                raise InvalidArgument(f"num_channels ({num_channels}) must be divisible by num_groups ({groups})")
            self.declared = Weights(_affine(num_channels, scale, center), 0)

    def declared_sizes(self, inputs):
        if not self.num_channels:
            return []
        return declared_feature(inputs[0], axis_index(self, self.axis, inputs[0].rank), self.num_channels)

    def implied_input(self):
        return None

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        axis = axis_index(self, self.axis, x.rank)
        channels = x.shape[axis]
        if self.num_channels is not None:
            check_features(self, x, self.num_channels, "channels", axis=axis, label=self.label)
            # PyTorch normalises each group with batch_norm, which refuses a single value
            per_group = dims.product([self.num_channels // self.groups] + list(x.shape[axis + 1:]))
            if self.framework == "torch" and per_group == 1:
                raise mismatch(f"{self.label or self.type_name}: each of the {self.groups} groups holds a single "
                               f"value for an input of {format_shape(x.shape[1:])}; PyTorch cannot normalise it")
            return Tensor(x.shape, factors=x.factors)
        if channels is None:
            raise Stop()
        groups = channels if self.groups == -1 else self.groups
        if isinstance(channels, int) and (channels < groups or channels % groups):
            raise mismatch(f"{self.type_name}: {dims.render(channels)} channels cannot be split into "
                           f"{groups} groups")
        node.weights = Weights(_affine(channels, self.scale, self.center), 0)
        return Tensor(x.shape, factors=x.factors)


class Standardize(TakesAnyInput, Layer):
    """Keras' Normalization preprocessing layer: (x - mean) / sqrt(variance).

    Without a given mean and variance it adapts them, which Keras stores as
    two non-trainable vectors over ``axis`` plus a scalar sample count.
    """

    def __init__(self, framework: str, type_name: str, *, axes: Optional[Sequence[int]], adapts: bool):
        super().__init__(framework, type_name)
        self.axes = axes
        self.adapts = adapts
        if not adapts:
            self.declared = Weights(0, 0)

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        kept = dims.product(x.shape[axis_index(self, a, x.rank)] for a in (self.axes or ()))
        if self.adapts:
            node.weights = Weights(0, dims.add(dims.mul(kept, 2), 1))
        return Tensor(x.shape, factors=x.factors)
