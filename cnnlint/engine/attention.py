"""Multi-head attention, as Keras and PyTorch define it.

Both project query, key and value per head, attend, and project the heads
back: Keras names ``key_dim``/``value_dim`` per head and infers the input
sizes; PyTorch declares ``embed_dim`` (= heads·head size = output size),
``kdim`` and ``vdim``.
"""

from __future__ import annotations

from typing import Optional, Sequence

from .. import dims
from ..graph import Node, Tensor, Weights
from .base import (InvalidArgument, Layer, Stop, TakesAnyInput, check_features, declared_feature, format_shape,
                   mismatch, symbols)


class MultiHeadAttention(Layer):
    """Options: ``num_heads``, ``key_dim`` and ``value_dim`` per head, ``bias``,
    ``output_dims`` (Keras output_shape; default: the query's features),
    ``features`` = (query, key, value) input sizes when declared (PyTorch),
    ``extra_bias`` (PyTorch add_bias_kv: 2·embed_dim), ``extra_keys`` (key
    positions PyTorch appends: 1 each for add_bias_kv and add_zero_attn), ``value_before_key``
    (Keras calls (query, value, key); PyTorch (query, key, value)),
    ``torch_outputs`` (return (output, attention weights): averaged over the heads unless the call's
    ``average_weights`` option is False, None when its ``need_weights`` is False), ``batch_first`` and
    ``gate`` (Keras use_gate: a sigmoid gate projected from the query).
    """

    def __init__(self, framework: str, type_name: str, *, num_heads: int, key_dim: int,
                 value_dim: Optional[int] = None, bias: bool = True, output_dims: Optional[tuple] = None,
                 features: Optional[tuple] = None, extra_bias: int = 0, extra_keys: int = 0,
                 value_before_key: bool = True,
                 torch_outputs: bool = False, batch_first: bool = True, gate: bool = False, label: str = ""):
        super().__init__(framework, type_name)
        self.num_heads = num_heads
        self.key_dim = key_dim
        self.value_dim = key_dim if value_dim is None else value_dim
        self.bias = bias
        self.output_dims = tuple(output_dims) if output_dims is not None else None
        self.features = features
        self.extra_bias = extra_bias
        self.extra_keys = extra_keys
        self.value_before_key = value_before_key
        self.torch_outputs = torch_outputs
        self.batch_first = batch_first
        self.gate = gate
        self.label = label
        if features is not None:
            self.declared = self._weights(*features)

    def declared_sizes(self, inputs):
        return [c for t, n in zip(inputs, self.features or ()) for c in declared_feature(t, -1, n)]

    def implied_input(self):
        return None if self.features is None else symbols(("L",)) + (self.features[0],)

    def _out_size(self, query_features):
        return dims.product(self.output_dims) if self.output_dims else query_features

    def _weights(self, query, key, value) -> Weights:
        heads_k, heads_v = self.num_heads * self.key_dim, self.num_heads * self.value_dim
        out = self._out_size(query)
        gate = query if self.gate else 0
        kernels = dims.add(dims.mul(heads_k, dims.add(query, key)),
                           dims.mul(heads_v, dims.add(dims.add(value, out), gate)))
        biases = dims.add(2 * heads_k + heads_v * (2 if self.gate else 1), out) if self.bias else 0
        return Weights(dims.add(kernels, dims.add(biases, self.extra_bias)), 0)

    def _split(self, inputs: Sequence[Tensor]):
        if len(inputs) not in (2, 3):
            raise mismatch(f"{self.type_name} takes a query, a value and an optional key, "
                           f"but receives {len(inputs)} inputs")
        if len(inputs) == 2:
            return inputs[0], inputs[1], inputs[1]
        query, second, third = inputs
        return (query, third, second) if self.value_before_key else (query, second, third)

    def _sequence(self, t: Tensor):
        """The product of the axes attended over (all but batch and features)."""
        axes = list(t.shape[:-1])
        if t.rank > 2:  # else unbatched PyTorch input
            del axes[0 if self.batch_first else 1]
        return dims.product(axes)

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        query, key, value = self._split(inputs)
        minimum = 2 if self.framework == "torch" else 3
        for name, t in (("query", query), ("key", key), ("value", value)):
            if t.rank < minimum:
                raise mismatch(f"{self.type_name} expects a {name} with a sequence axis but receives "
                               f"{format_shape(t.shape[1:])}")
        if any(dims.definitely_different(a, b) for a, b in zip(key.shape[:-1], value.shape[:-1])) \
                or key.rank != value.rank:
            raise mismatch(f"{self.type_name}: key {format_shape(key.shape[1:])} and value "
                           f"{format_shape(value.shape[1:])} must agree on all but the last axis")
        if self.features is not None:
            for name, t, size in zip(("query", "key", "value"), (query, key, value), self.features):
                check_features(self, t, size, f"{name} features", label=self.label)
        elif None in (query.shape[-1], key.shape[-1], value.shape[-1]):
            raise Stop()
        else:
            node.weights = self._weights(query.shape[-1], key.shape[-1], value.shape[-1])
        output = Tensor(tuple(query.shape[:-1]) + (self.output_dims or (query.shape[-1],)), node)
        if not self.torch_outputs and node.options.get("attention_scores"):  # Keras: (batch, heads, query, key)
            if query.rank != 3 or key.rank != 3:
                raise Stop()  # attention over several axes (attention_axes): not modelled
            return output, Tensor((query.shape[0], self.num_heads, query.shape[1], key.shape[1]), node)
        if not self.torch_outputs:
            return output
        if not node.options.get("need_weights", True):
            return output, None
        batch = () if query.rank == 2 else (query.shape[0 if self.batch_first else 1],)
        heads = () if node.options.get("average_weights", True) else (self.num_heads,)
        query_len = query.shape[-2] if self.batch_first or query.rank == 2 else query.shape[0]
        key_len = key.shape[-2] if self.batch_first or key.rank == 2 else key.shape[0]
        return output, Tensor(batch + heads + (query_len, dims.add(key_len, self.extra_keys)), node)

    def macs(self, node: Node):
        query, key, value = self._split(node.inputs)
        lq, lk = self._sequence(query), self._sequence(key)
        heads_k, heads_v = self.num_heads * self.key_dim, self.num_heads * self.value_dim
        out = self._out_size(query.shape[-1])
        query_heads = heads_k + (heads_v if self.gate else 0)
        projections = dims.add(dims.mul(lq, dims.mul(query.shape[-1], query_heads)),
                               dims.mul(lk, dims.add(dims.mul(key.shape[-1], heads_k),
                                                     dims.mul(value.shape[-1], heads_v))))
        attention = dims.mul(dims.mul(lq, lk), heads_k + heads_v)
        return dims.add(dims.add(projections, attention), dims.mul(lq, dims.mul(heads_v, out)))


class ScoredAttention(TakesAnyInput, Layer):
    """Keras' ``Attention`` (dot-product or concat scores) and ``AdditiveAttention``: attention without
    projections, called on [query, value, key] (the key defaults to the value).  The output has the query's
    positions and the value's features; the attention scores, when the call asks for them, the query's and
    the key's positions.  Weights: ``scalars`` (Attention's scale, its concat score weight), and with
    ``scale_per_feature`` one per query feature (AdditiveAttention's scale)."""

    def __init__(self, framework: str, type_name: str, *, scalars: int = 0, scale_per_feature: bool = False,
                 dot: bool = True):
        super().__init__(framework, type_name)
        self.scalars = scalars
        self.scale_per_feature = scale_per_feature
        self.dot = dot

    def _split(self, inputs: Sequence[Tensor]):
        if len(inputs) not in (2, 3):
            raise mismatch(f"{self.type_name} takes [query, value] or [query, value, key], "
                           f"but receives {len(inputs)} inputs")
        return inputs[0], inputs[1], inputs[2] if len(inputs) == 3 else inputs[1]

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        query, value, key = self._split(inputs)
        if any(t.rank != 3 for t in (query, value, key)):
            raise mismatch(f"{self.type_name} expects (batch, positions, features) inputs, but receives "
                           f"{_listed(inputs)}")
        if dims.definitely_different(key.shape[1], value.shape[1]):
            raise mismatch(f"{self.type_name}: key {format_shape(key.shape[1:])} and value "
                           f"{format_shape(value.shape[1:])} must have as many positions")
        if self.scale_per_feature and query.shape[-1] is None:
            raise Stop()
        node.weights = Weights(dims.add(self.scalars, query.shape[-1] if self.scale_per_feature else 0), 0)
        output = Tensor(query.shape[:2] + (value.shape[-1],), node)
        if node.options.get("attention_scores"):
            return output, Tensor(query.shape[:2] + (key.shape[1],), node)
        return output

    def macs(self, node: Node):
        """Dot-product scores and their weighted sum of the values; other scores are not counted."""
        if not self.dot:
            return None
        query, value, key = self._split(node.inputs)
        pairs = dims.mul(query.shape[1], key.shape[1])
        return dims.mul(pairs, dims.add(query.shape[-1], value.shape[-1]))


def _listed(inputs: Sequence[Tensor]) -> str:
    return ", ".join(format_shape(t.shape[1:]) for t in inputs)


def check_heads(embed_dim: int, num_heads: int) -> int:
    """PyTorch's head size: embed_dim must divide evenly among the heads."""
    if embed_dim % num_heads:
        raise InvalidArgument(f"embed_dim ({embed_dim}) must be divisible by num_heads ({num_heads})")
    return embed_dim // num_heads


class TransformerStack(Layer):
    """PyTorch's transformer layers and stacks (``TransformerEncoderLayer``/``Encoder``, ``...Decoder...``,
    ``Transformer``): attention and feed-forward blocks on ``d_model`` features.  Each input (the decoder's
    target and memory; the target first) has ``d_model`` features, and the output has the first one's shape.
    ``weights`` is the count, from the front end's table."""

    def __init__(self, framework: str, type_name: str, *, d_model: int, weights: Weights):
        super().__init__(framework, type_name)
        self.d_model = d_model
        self.declared = weights

    def declared_sizes(self, inputs):
        return [c for t in inputs for c in declared_feature(t, -1, self.d_model)]

    def implied_input(self):
        return symbols(("L",)) + (self.d_model,)

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        for x in inputs:
            if x.rank not in (2, 3):
                raise mismatch(f"{self.type_name} expects inputs of rank 2 or 3, got {format_shape(x.shape)}")
            check_features(self, x, self.d_model, "features")
        return Tensor(inputs[0].shape)

    def macs(self, node: Node):
        return None  # attention over the sequence and the feed-forward block: not counted yet

