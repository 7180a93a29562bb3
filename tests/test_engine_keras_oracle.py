"""Differential tests: cnnlint's engine against real Keras 3.

Every layer configuration is built twice — through cnnlint's Keras table and
engine, and as a real Keras layer called on a symbolic ``keras.Input`` — and
the two must agree exactly on output shapes, on the weight counts (total,
trainable, non-trainable) and on whether the configuration is an error.
Keras is only imported here; the linter never imports it.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")
from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cnnlint import dims  # noqa: E402
from cnnlint.engine.base import InvalidArgument, apply  # noqa: E402
from cnnlint.frontends.keras.layers import KERAS  # noqa: E402
from cnnlint.graph import Problem, ProblemKind, Tensor, Window  # noqa: E402

BATCH = dims.Expr.symbol("batch")
ERROR = "error"


@dataclass(frozen=True)
class Spec:
    """One layer constructor call; args may hold nested Specs (Bidirectional)."""

    type_name: str
    args: tuple = ()
    kwargs: tuple = ()  # sorted (name, value) pairs, hashable for hypothesis

    def __repr__(self):
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs]
        return f"{self.type_name}({', '.join(parts)})"


def spec(type_name, *args, **kwargs) -> Spec:
    return Spec(type_name, args, tuple(sorted(kwargs.items())))


def _keras_layer(s: Spec):
    args = [_keras_layer(a) if isinstance(a, Spec) else a for a in s.args]
    return getattr(keras.layers, s.type_name)(*args, **dict(s.kwargs))


def _cnnlint_layer(s: Spec):
    args = [_cnnlint_layer(a) if isinstance(a, Spec) else a for a in s.args]
    return KERAS.build(s.type_name, args, dict(s.kwargs))


def _size(variable) -> int:
    return math.prod(variable.shape)


def keras_outcome(s: Spec, shapes, dtype="float32"):
    """(output shapes without batch, (total, trainable, non-trainable)) or ERROR."""
    try:
        layer = _keras_layer(s)
        inputs = [keras.Input(shape, dtype=dtype) for shape in shapes]
        out = layer(inputs) if s.type_name in MERGES else layer(*inputs)
    except Exception:  # any rejection by Keras, at construction or on the call
        return ERROR
    outs = out if isinstance(out, (list, tuple)) else [out]
    trainable = sum(_size(w) for w in layer.trainable_weights)
    non_trainable = sum(_size(w) for w in layer.non_trainable_weights)
    assert layer.count_params() == trainable + non_trainable
    return tuple(tuple(o.shape[1:]) for o in outs), (trainable + non_trainable, trainable, non_trainable)


def _flat(out):
    """Tensors of a (possibly nested) output tuple, in order."""
    if isinstance(out, tuple):
        return [t for item in out for t in _flat(item)]
    return [out]


def cnnlint_outcome(s: Spec, shapes):
    try:
        layer = _cnnlint_layer(s)
    except InvalidArgument:
        return ERROR
    node = apply(layer, [Tensor((BATCH,) + tuple(shape)) for shape in shapes])
    outs = _flat(node.output)
    if any(t.shape is None for t in outs):
        # a stop must be explained: a mismatch/non-positive problem or an empty window
        explained = [f for f in node.facts if isinstance(f, Problem) and f.kind in (ProblemKind.MISMATCH, ProblemKind.NON_POSITIVE)]
        explained += [f for f in node.facts if isinstance(f, Window) and isinstance(f.output, int) and f.output <= 0]
        assert explained, f"{s} on {shapes} stopped without a reason: {node.facts}"
        return ERROR
    for t in outs:
        assert t.shape[0] == BATCH, f"{s}: batch axis lost: {t.shape}"
    w = node.weights
    return tuple(tuple(t.shape[1:]) for t in outs), (w.total, w.trainable, w.non_trainable)


def agree(s: Spec, *shapes, dtype="float32"):
    expected = keras_outcome(s, shapes, dtype)
    got = cnnlint_outcome(s, shapes)
    assert got == expected, f"{s} on {shapes}: cnnlint {got} != Keras {expected}"
    return expected


MERGES = {"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot", "Attention",
          "AdditiveAttention"}
FAST = settings(max_examples=60, derandomize=True, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# -- strategies ------------------------------------------------------------

small = st.integers(1, 4)
data_formats = st.sampled_from(["channels_last", "channels_first"])


def per_axis(rank, values):
    """An int or a tuple of ``rank`` ints, as Keras accepts both."""
    return st.one_of(values, st.tuples(*[values] * rank))


def image(rank, channels, data_format, sizes):
    return tuple(sizes) + (channels,) if data_format == "channels_last" else (channels,) + tuple(sizes)


@st.composite
def convolutions(draw):
    kind = draw(st.sampled_from(["Conv", "ConvTranspose", "Depthwise", "Separable"]))
    rank = draw(st.sampled_from([1, 2] if kind in ("Depthwise", "Separable") else [1, 2, 3]))
    data_format = draw(data_formats)
    sizes = draw(st.lists(st.integers(1, 9 if rank < 3 else 6), min_size=rank, max_size=rank))
    channels = draw(st.integers(1, 6))
    kwargs = dict(
        kernel_size=draw(per_axis(rank, st.integers(0, 4) if draw(st.booleans()) else st.integers(1, 4))),
        strides=draw(per_axis(rank, st.integers(0 if draw(st.integers(0, 9)) == 0 else 1, 3))),
        padding=draw(st.sampled_from(["valid", "same", "valid", "same", "causal", "SAME", "full"])),
        dilation_rate=draw(per_axis(rank, st.integers(1, 3))),
        data_format=data_format, use_bias=draw(st.booleans()))
    suffix = f"{rank}D"
    if kind == "Conv":
        type_name = "Conv" + suffix
        kwargs["groups"] = draw(st.sampled_from([1, 1, 2, 3]))
    elif kind == "ConvTranspose":
        type_name = f"Conv{suffix}Transpose"
        if draw(st.booleans()):
            kwargs["output_padding"] = draw(per_axis(rank, st.integers(0, 2)))
    else:
        type_name = kind + "Conv" + suffix
        kwargs["depth_multiplier"] = draw(st.integers(1, 3))
    if kind != "Depthwise":
        kwargs["filters"] = draw(st.integers(1, 6))
    return spec(type_name, **kwargs), image(rank, channels, data_format, sizes)


@given(convolutions())
@settings(FAST, max_examples=800)
def test_convolutions_agree_with_keras(case):
    agree(case[0], case[1])


@st.composite
def poolings(draw):
    rank = draw(st.integers(1, 3))
    data_format = draw(data_formats)
    sizes = draw(st.lists(st.integers(1, 9), min_size=rank, max_size=rank))
    mode = draw(st.sampled_from(["Max", "Average"]))
    kwargs = dict(pool_size=draw(per_axis(rank, st.integers(1, 4))), data_format=data_format,
                  padding=draw(st.sampled_from(["valid", "same", "valid", "same", "SAME", "causal"])))
    if draw(st.booleans()):
        kwargs["strides"] = draw(per_axis(rank, st.integers(1, 3)))
    return spec(f"{mode}Pooling{rank}D", **kwargs), image(rank, draw(small), data_format, sizes)


@given(poolings())
@settings(FAST, max_examples=300)
def test_pooling_agrees_with_keras(case):
    agree(case[0], case[1])


@st.composite
def global_and_adaptive_poolings(draw):
    rank = draw(st.integers(1, 3))
    data_format = draw(data_formats)
    shape = image(rank, draw(small), data_format, draw(st.lists(st.integers(1, 8), min_size=rank, max_size=rank)))
    if draw(st.booleans()):
        s = spec(f"Global{draw(st.sampled_from(['Max', 'Average']))}Pooling{rank}D", data_format=data_format,
                 keepdims=draw(st.booleans()))
    else:
        s = spec(f"Adaptive{draw(st.sampled_from(['Max', 'Average']))}Pooling{rank}D",
                 output_size=draw(per_axis(rank, st.integers(1, 4))), data_format=data_format)
    # Keras' adaptive pooling only checks the rank when it runs: see below
    wrong_rank = s.type_name.startswith("Global") and draw(st.integers(0, 5)) == 0
    return s, shape[1:] if wrong_rank else shape


@given(global_and_adaptive_poolings())
@settings(FAST, max_examples=150)
def test_global_and_adaptive_pooling_agree_with_keras(case):
    agree(case[0], case[1])


shapes_rank_1_to_4 = st.lists(st.integers(1, 6), min_size=1, max_size=4).map(tuple)


@st.composite
def normalizations(draw):
    shape = draw(shapes_rank_1_to_4)
    rank = len(shape) + 1
    kind = draw(st.sampled_from(["BatchNormalization", "LayerNormalization", "GroupNormalization",
                                 "UnitNormalization"]))
    axis = draw(st.integers(-rank, rank - 1).filter(lambda a: a % rank != 0))
    kwargs = {"axis": axis}
    if kind != "UnitNormalization":
        kwargs.update(center=draw(st.booleans()), scale=draw(st.booleans()))
    if kind == "BatchNormalization":
        kwargs["renorm"] = draw(st.booleans())
    elif kind == "LayerNormalization" and draw(st.booleans()):
        kwargs["axis"] = sorted(set(draw(st.lists(st.integers(1, rank - 1), min_size=1, max_size=rank - 1))))
    elif kind == "GroupNormalization":
        kwargs["groups"] = draw(st.sampled_from([-1, 1, 2, 3, 4]))
    return spec(kind, **kwargs), shape


@given(normalizations())
@settings(FAST, max_examples=200)
def test_normalization_agrees_with_keras(case):
    agree(case[0], case[1])


@st.composite
def shape_keeping(draw):
    shape = draw(shapes_rank_1_to_4)
    kind = draw(st.sampled_from(["ReLU", "LeakyReLU", "ELU", "Softmax", "Dropout", "Activation", "PReLU",
                                 "PReLU", "GaussianNoise"]))
    args, kwargs = (), {}
    if kind == "Dropout":
        args = (0.5,)
    elif kind == "GaussianNoise":
        args = (0.1,)
    elif kind == "Activation":
        args = ("relu",)
    elif kind == "PReLU" and draw(st.booleans()):
        kwargs["shared_axes"] = sorted(set(draw(st.lists(st.integers(1, len(shape)), min_size=1, max_size=3))))
    return spec(kind, *args, **kwargs), shape


@given(shape_keeping())
@settings(FAST, max_examples=80)
def test_shape_keeping_layers_agree_with_keras(case):
    agree(case[0], case[1])


@st.composite
def dense_and_flatten(draw):
    shape = draw(shapes_rank_1_to_4)
    if draw(st.booleans()):
        return spec("Flatten", data_format=draw(data_formats)), shape
    return spec("Dense", draw(st.integers(1, 8)), use_bias=draw(st.booleans())), shape


@given(dense_and_flatten())
@settings(FAST, max_examples=80)
def test_dense_and_flatten_agree_with_keras(case):
    agree(case[0], case[1])


@st.composite
def reshapes(draw):
    shape = draw(shapes_rank_1_to_4)
    kind = draw(st.sampled_from(["Reshape", "Reshape", "Permute", "RepeatVector"]))
    if kind == "Reshape":
        target = list(draw(st.lists(st.integers(1, 8), min_size=1, max_size=3)))
        if draw(st.booleans()):
            # often a valid target: the element count split into two factors
            total = math.prod(shape)
            first = draw(st.sampled_from([d for d in range(1, total + 1) if total % d == 0]))
            target = [first, total // first]
        if draw(st.booleans()):
            target[draw(st.integers(0, len(target) - 1))] = -1
        return spec("Reshape", tuple(target)), shape
    if kind == "Permute":
        order = list(draw(st.permutations(range(1, len(shape) + 1))))
        if draw(st.integers(0, 5)) == 0:
            order = order[:-1] if len(order) > 1 else [2]
        return spec("Permute", tuple(order)), shape
    return spec("RepeatVector", draw(small)), shape


@given(reshapes())
@settings(FAST, max_examples=150)
def test_reshaping_agrees_with_keras(case):
    agree(case[0], case[1])


def _pairs(rank, values):
    """Padding/cropping arguments in each form Keras accepts."""
    if rank == 1:
        return st.one_of(values, st.tuples(values, values))
    return st.one_of(values, st.tuples(*[st.one_of(values, st.tuples(values, values))] * rank))


@st.composite
def paddings(draw):
    rank = draw(st.integers(1, 3))
    data_format = draw(data_formats)
    shape = image(rank, draw(small), data_format, draw(st.lists(st.integers(1, 7), min_size=rank, max_size=rank)))
    kind = draw(st.sampled_from(["ZeroPadding", "Cropping", "UpSampling"]))
    kwargs = {} if rank == 1 and kind != "ZeroPadding" else {"data_format": data_format}
    if rank == 1:  # the 1D layers have no data_format other than ZeroPadding1D
        shape = shape if kind == "ZeroPadding" or data_format == "channels_last" else shape[::-1]
    if kind == "ZeroPadding":
        kwargs["padding"] = draw(_pairs(rank, st.integers(0, 3)))
    elif kind == "Cropping":
        kwargs["cropping"] = draw(_pairs(rank, st.integers(0, 4)))
    else:
        kwargs["size"] = draw(st.integers(1, 3) if rank == 1 else per_axis(rank, st.integers(1, 3)))
    return spec(f"{kind}{rank}D", **kwargs), shape


@given(paddings())
@settings(FAST, max_examples=200)
def test_padding_cropping_upsampling_agree_with_keras(case):
    agree(case[0], case[1])


@given(st.integers(1, 20), st.integers(1, 8), st.lists(st.integers(1, 5), min_size=1, max_size=3))
@settings(FAST, max_examples=30)
def test_embedding_agrees_with_keras(input_dim, output_dim, shape):
    agree(spec("Embedding", input_dim, output_dim), tuple(shape), dtype="int32")


@st.composite
def merges(draw):
    base = list(draw(st.lists(st.integers(1, 5), min_size=1, max_size=3)))
    kind = draw(st.sampled_from(["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate",
                                 "Dot"]))
    count = 2 if kind in ("Subtract", "Dot") and draw(st.integers(0, 5)) else draw(st.integers(2, 3))
    shapes = []
    for _ in range(count):
        shape = list(base)
        for i in range(len(shape)):
            change = draw(st.integers(0, 9))
            if change == 0:
                shape[i] = 1
            elif change == 1:
                shape[i] = draw(st.integers(1, 5))
        shapes.append(tuple(shape))
    if kind == "Concatenate":
        rank = len(base) + 1
        return spec(kind, axis=draw(st.integers(-rank + 1, rank - 1).filter(lambda a: a % rank))), shapes
    if kind == "Dot":
        rank = len(base) + 1
        axes = draw(st.one_of(st.integers(1, rank - 1),
                              st.tuples(st.integers(1, rank - 1), st.integers(1, rank - 1))))
        if len(base) > 2:  # Keras' batch_dot handles rank 2 and 3 inputs
            shapes = [s[:2] for s in shapes]
            axes = min(axes, 2) if isinstance(axes, int) else tuple(min(a, 2) for a in axes)
        return spec(kind, axes=axes), shapes
    return spec(kind), shapes


@given(merges())
@settings(FAST, max_examples=300)
def test_merges_agree_with_keras(case):
    agree(case[0], *case[1])


@st.composite
def recurrents(draw):
    kind = draw(st.sampled_from(["SimpleRNN", "LSTM", "GRU"]))
    kwargs = dict(return_sequences=draw(st.booleans()), return_state=draw(st.booleans()),
                  use_bias=draw(st.booleans()))
    if kind == "GRU":
        kwargs["reset_after"] = draw(st.booleans())
    layer = spec(kind, draw(st.integers(1, 6)), **kwargs)
    if draw(st.booleans()):
        layer = spec("Bidirectional", layer, merge_mode=draw(st.sampled_from(["concat", "sum", "mul", "ave", None])))
    return layer, (draw(st.integers(1, 6)), draw(st.integers(1, 6)))


@given(recurrents())
@settings(FAST, max_examples=150)
def test_recurrent_layers_agree_with_keras(case):
    agree(case[0], case[1])


@st.composite
def attentions(draw):
    kwargs = dict(num_heads=draw(st.integers(1, 3)), key_dim=draw(st.integers(1, 4)), use_bias=draw(st.booleans()))
    if draw(st.booleans()):
        kwargs["value_dim"] = draw(st.integers(1, 4))
    if draw(st.booleans()):
        kwargs["output_shape"] = draw(st.one_of(st.integers(1, 5), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    if draw(st.booleans()):
        kwargs["use_gate"] = True
    seq_rank = draw(st.integers(1, 2))
    sequence = lambda: tuple(draw(st.lists(st.integers(1, 4), min_size=seq_rank, max_size=seq_rank)))  # noqa: E731
    query = sequence() + (draw(st.integers(1, 5)),)
    memory = sequence()
    value = memory + (draw(st.integers(1, 5)),)
    shapes = [query, value]
    if draw(st.booleans()):
        key_memory = memory if draw(st.integers(0, 4)) else sequence()
        shapes.append(key_memory + (draw(st.integers(1, 5)),))
    return spec("MultiHeadAttention", **kwargs), shapes


@given(attentions())
@settings(FAST, max_examples=100)
def test_multi_head_attention_agrees_with_keras(case):
    agree(case[0], *case[1])


@st.composite
def scored_attentions(draw):
    """Attention/AdditiveAttention on [query, value] or [query, value, key], feature sizes that may disagree."""
    if draw(st.booleans()):
        s = spec("Attention", use_scale=draw(st.booleans()), score_mode=draw(st.sampled_from(["dot", "concat"])))
    else:
        s = spec("AdditiveAttention", use_scale=draw(st.booleans()))
    features = draw(st.integers(1, 5))
    query = (draw(st.integers(1, 5)), features if draw(st.integers(0, 4)) else draw(st.integers(1, 5)))
    positions = draw(st.integers(1, 5))
    shapes = [query, (positions, draw(st.integers(1, 5)))]
    if draw(st.booleans()):
        shapes.append((positions, features if draw(st.integers(0, 4)) else draw(st.integers(1, 5))))
    return s, shapes


@given(scored_attentions())
@settings(FAST, max_examples=100)
def test_attention_without_projections_agrees_with_keras(case):
    agree(case[0], *case[1])


@st.composite
def time_distributed(draw):
    """TimeDistributed(layer): the layer on every step of axis 1, one set of weights for all steps.

    Keras calls the inner layer's ``call`` without checking its input's rank, so that a global pooling
    given a step of the wrong rank builds (and runs to another shape than it declares): not drawn."""
    inner, shape = draw(st.one_of(convolutions(), poolings(), global_and_adaptive_poolings(), normalizations(),
                                  shape_keeping(), dense_and_flatten(), reshapes(), recurrents()))
    assume(not inner.type_name.startswith(("Global", "Adaptive")) or len(shape) == int(inner.type_name[-2]) + 1)
    return spec("TimeDistributed", inner), (draw(st.integers(1, 4)),) + tuple(shape)


@given(time_distributed())
@settings(FAST, max_examples=150)
def test_time_distributed_agrees_with_keras(case):
    agree(case[0], case[1])


# -- fixed edge cases, including regressions found by the properties above ----

@pytest.mark.parametrize("s, shape", [
    (spec("Conv2D", 4, 3), (2, 2, 1)),  # output 0: CNN103
    (spec("Conv1D", 2, 3, padding="causal", strides=2), (7, 3)),
    (spec("Conv2D", 2, 3, padding="causal"), (8, 8, 3)),  # causal is 1D only
    (spec("Conv2D", 4, 3, groups=2), (8, 8, 3)),  # 3 channels, 2 groups
    (spec("Conv2D", 6, 3, groups=3, data_format="channels_first"), (3, 8, 8)),
    (spec("Conv2D", 4, 3, strides=2, dilation_rate=2), (9, 9, 1)),
    (spec("Conv2D", 4, (3, 3, 3)), (9, 9, 1)),  # kernel tuple of the wrong length
    (spec("Conv2D", 4, 0), (9, 9, 1)),
    (spec("Conv2D", 0, 3), (9, 9, 1)),
    (spec("Conv2D", 4, 3, padding="SAME", strides=2), (9, 9, 1)),
    (spec("Conv1D", 4, 3), (9, 9, 1)),  # rank-3 input to Conv1D
    (spec("Conv2DTranspose", 4, 3, strides=2, output_padding=1, padding="same"), (5, 5, 2)),
    (spec("Conv2DTranspose", 4, 3, strides=2, output_padding=2), (5, 5, 2)),  # output_padding >= strides
    (spec("Conv3DTranspose", 2, 2, strides=2, data_format="channels_first"), (3, 2, 2, 2)),
    (spec("DepthwiseConv2D", 3, depth_multiplier=2, strides=2, dilation_rate=2), (9, 9, 2)),
    (spec("SeparableConv1D", 4, 3, padding="causal"), (9, 2)),  # only Conv1D takes causal
    (spec("MaxPooling2D", 3), (2, 2, 1)),
    (spec("MaxPooling2D", 3, padding="same"), (2, 2, 1)),
    (spec("AveragePooling1D", 2, padding="SAME"), (8, 1)),  # pooling is case-sensitive
    (spec("MaxPooling1D", 2, strides=0), (8, 1)),
    (spec("GlobalAveragePooling2D", data_format="channels_first", keepdims=True), (3, 4, 5)),
    (spec("BatchNormalization", axis=1), (3, 4, 5)),
    (spec("BatchNormalization", axis=3), (3, 4)),
    (spec("LayerNormalization", axis=[1, 2]), (3, 4, 5)),
    (spec("GroupNormalization", groups=4), (3, 6)),
    (spec("GroupNormalization", groups=4), (3, 2)),
    (spec("PReLU", shared_axes=[1, 2]), (5, 6, 3)),
    (spec("Reshape", (-1, 4)), (3, 5)),
    (spec("Reshape", (4, 4)), (3, 5)),
    (spec("Reshape", (0, -1)), (3, 5)),
    (spec("Permute", (2, 1)), (3, 4, 5)),
    (spec("RepeatVector", 3), (4, 2)),
    (spec("Cropping1D", (2, 3)), (5, 2)),
    (spec("Cropping2D", ((1, 1), (2, 2)), data_format="channels_first"), (3, 4, 4)),
    (spec("ZeroPadding2D", ((1, 2), (3, 4))), (5, 5, 1)),
    (spec("UpSampling1D", (2,)), (5, 2)),  # UpSampling1D takes an int only
    (spec("Concatenate", axis=1), (3, 4)),  # a single input: fine for Keras
    (spec("LSTM", 4), (5,)),
    (spec("Bidirectional", spec("GRU", 3, return_state=True, reset_after=False), merge_mode=None), (5, 2)),
    (spec("TimeDistributed", spec("Bidirectional", spec("SimpleRNN", 1), merge_mode=None)), (1, 1, 1)),
])
def test_edge_cases_agree_with_keras(s, shape):
    agree(s, shape)


@pytest.mark.parametrize("s, shapes", [
    (spec("Add"), [(3, 4), (3, 5)]),
    (spec("Add"), [(3, 1), (1, 5)]),
    (spec("Subtract"), [(3,), (3,), (3,)]),
    (spec("Concatenate"), [(3, 4), (3, 4, 1)]),
    (spec("Concatenate", axis=1), [(3, 4), (2, 4)]),
    (spec("Concatenate", axis=1), [(3, 4), (2, 5)]),
    (spec("Dot", axes=1), [(3,), (3,)]),
    (spec("Dot", axes=(1, 2)), [(3, 4), (5, 3)]),
    (spec("Dot", axes=-1), [(3, 4), (5, 3)]),
    (spec("MultiHeadAttention", num_heads=2, key_dim=3), [(4, 6), (5, 7), (6, 7)]),
])
def test_multi_input_edge_cases_agree_with_keras(s, shapes):
    agree(s, *shapes)


def test_known_errors_really_are_errors():
    """Guard against a vacuous oracle: these must be Keras errors and shapes must be compared."""
    assert keras_outcome(spec("Conv2D", 4, 3), [(2, 2, 1)]) == ERROR
    assert agree(spec("Conv2D", 4, 3), (5, 5, 2)) == (((3, 3, 4),), (76, 76, 0))
    assert agree(spec("BatchNormalization"), (4, 3)) == (((4, 3),), (12, 6, 6))
    # reset_after (the default) adds a recurrent bias: 3·2·(3 + 2) + 2·3·2
    assert agree(spec("GRU", 2), (7, 3)) == (((2,),), (42, 42, 0))


def test_adaptive_pooling_rejects_a_wrong_rank_like_keras_at_run_time():
    """Keras' symbolic shape inference lets this pass; running it raises, so cnnlint reports it."""
    import numpy as np

    s = spec("AdaptiveMaxPooling1D", 1)
    with pytest.raises(Exception):
        _keras_layer(s)(np.zeros((2, 3), dtype="float32"))
    assert cnnlint_outcome(s, [(3,)]) == ERROR


@pytest.mark.parametrize("name", ["Attention", "AdditiveAttention"])
def test_attention_over_a_key_and_value_of_different_lengths_fails_in_keras_when_run(name):
    """Keras' symbolic shapes let a key and a value of different lengths pass; running it raises, so cnnlint
    reports it."""
    import numpy as np

    with pytest.raises(Exception):
        _keras_layer(spec(name))([np.zeros((1, 3, 4), "float32"), np.zeros((1, 2, 4), "float32"),
                                  np.zeros((1, 5, 4), "float32")])
    assert cnnlint_outcome(spec(name), [(3, 4), (2, 4), (5, 4)]) == ERROR


IMAGE = (6, 6, 3)
VOLUME = (4, 4, 4, 2)
#: one plain configuration of every name in the Keras table (the strategies above vary most of them)
EVERY_NAME = [
    *((spec(name, 4, 3), shape) for name, shape in (
        ("Conv1D", (9, 2)), ("Convolution1D", (9, 2)), ("Conv2D", IMAGE), ("Convolution2D", IMAGE),
        ("Conv3D", VOLUME), ("Convolution3D", VOLUME), ("Conv1DTranspose", (9, 2)), ("Conv2DTranspose", IMAGE),
        ("Convolution2DTranspose", IMAGE), ("Conv3DTranspose", VOLUME), ("SeparableConv1D", (9, 2)),
        ("SeparableConv2D", IMAGE), ("SeparableConvolution2D", IMAGE))),
    (spec("DepthwiseConv1D", 3), (9, 2)), (spec("DepthwiseConv2D", 3, depth_multiplier=2), IMAGE),
    *((spec(name, 2), shape) for name, shape in (
        ("MaxPooling1D", (9, 2)), ("MaxPool1D", (9, 2)), ("AveragePooling1D", (9, 2)), ("AvgPool1D", (9, 2)),
        ("MaxPooling2D", IMAGE), ("MaxPool2D", IMAGE), ("AveragePooling2D", IMAGE), ("AvgPool2D", IMAGE),
        ("MaxPooling3D", VOLUME), ("MaxPool3D", VOLUME), ("AveragePooling3D", VOLUME), ("AvgPool3D", VOLUME),
        ("AdaptiveAveragePooling1D", (9, 2)), ("AdaptiveMaxPooling1D", (9, 2)), ("AdaptiveAveragePooling2D", IMAGE),
        ("AdaptiveMaxPooling2D", IMAGE), ("AdaptiveAveragePooling3D", VOLUME), ("AdaptiveMaxPooling3D", VOLUME))),
    *((spec(name), shape) for name, shape in (
        ("GlobalMaxPooling1D", (9, 2)), ("GlobalMaxPool1D", (9, 2)), ("GlobalAveragePooling1D", (9, 2)),
        ("GlobalAvgPool1D", (9, 2)), ("GlobalMaxPooling2D", IMAGE), ("GlobalMaxPool2D", IMAGE),
        ("GlobalAveragePooling2D", IMAGE), ("GlobalAvgPool2D", IMAGE), ("GlobalMaxPooling3D", VOLUME),
        ("GlobalMaxPool3D", VOLUME), ("GlobalAveragePooling3D", VOLUME), ("GlobalAvgPool3D", VOLUME))),
    *((spec(name), (5, 3)) for name in (
        "ReLU", "LeakyReLU", "ELU", "Softmax", "Identity", "UnitNormalization", "Flatten", "PReLU",
        "BatchNormalization", "LayerNormalization", "Normalization", "ActivityRegularization")),
    (spec("Rescaling", 1 / 255), IMAGE), (spec("Activation", "relu"), (5, 3)),
    *((spec(name, 0.5), (5, 3)) for name in (
        "Dropout", "AlphaDropout", "GaussianDropout", "GaussianNoise", "SpatialDropout1D")),
    (spec("SpatialDropout2D", 0.5), IMAGE), (spec("SpatialDropout3D", 0.5), VOLUME),
    *((spec(name, 0.1), IMAGE) for name in ("RandomRotation", "RandomZoom", "RandomContrast")),
    (spec("RandomFlip"), IMAGE), (spec("RandomTranslation", 0.1, 0.1), IMAGE),
    (spec("RandomBrightness", 0.1), IMAGE), (spec("GroupNormalization", groups=3), IMAGE),
    (spec("Dense", 4), (5, 3)), (spec("Embedding", 10, 3), (4,)), (spec("Reshape", (3, 5)), (5, 3)),
    (spec("Permute", (2, 1)), (5, 3)), (spec("RepeatVector", 3), (4,)), (spec("ZeroPadding1D", 2), (5, 3)),
    (spec("ZeroPadding2D", 1), IMAGE), (spec("ZeroPadding3D", 1), VOLUME), (spec("Cropping1D", 1), (5, 3)),
    (spec("Cropping2D", 1), IMAGE), (spec("Cropping3D", 1), VOLUME), (spec("UpSampling1D", 2), (5, 3)),
    (spec("UpSampling2D", 2), IMAGE), (spec("UpSampling3D", 2), VOLUME), (spec("SimpleRNN", 4), (5, 3)),
    (spec("LSTM", 4, return_sequences=True), (5, 3)), (spec("GRU", 4), (5, 3)),
    (spec("Bidirectional", spec("LSTM", 4)), (5, 3)),
    (spec("TimeDistributed", spec("Conv2D", 4, 3, strides=2)), (3,) + IMAGE),
    (spec("ConvLSTM1D", 4, 3, return_sequences=True), (3, 9, 2)), (spec("ConvLSTM2D", 4, 3), (3,) + IMAGE),
    (spec("ConvLSTM3D", 2, 2, padding="same", return_state=True), (2,) + VOLUME),
]
EVERY_MERGE = [
    *((spec(name), [(5, 3), (5, 3)]) for name in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum",
                                                   "Concatenate")),
    (spec("Dot", axes=1), [(3,), (3,)]), (spec("MultiHeadAttention", num_heads=2, key_dim=3), [(4, 6), (5, 7)]),
    (spec("Attention", use_scale=True), [(4, 6), (5, 7), (5, 6)]), (spec("AdditiveAttention"), [(4, 6), (5, 6)]),
]


@pytest.mark.parametrize("s, shape", EVERY_NAME, ids=repr)
def test_every_layer_in_the_table_agrees_with_keras(s, shape):
    agree(s, shape)


@pytest.mark.parametrize("s, shapes", EVERY_MERGE, ids=repr)
def test_every_multi_input_layer_in_the_table_agrees_with_keras(s, shapes):
    agree(s, *shapes)


#: tf.keras 2 names that Keras 3, the oracle installed, no longer has
KERAS_2_ONLY = {"ThresholdedReLU"}


def test_every_keras_layer_in_the_table_has_a_case():
    assert [name for name in KERAS_2_ONLY if hasattr(keras.layers, name)] == []
    covered = {s.type_name for s, _ in EVERY_NAME + EVERY_MERGE}
    assert sorted(set(KERAS.builders) - covered - KERAS_2_ONLY) == []
