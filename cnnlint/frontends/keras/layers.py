"""Keras layer constructors, mapped to engine layers.

Signatures follow Keras 3 (keras.layers.*); ``**kwargs`` absorbs the base
Layer arguments (name, dtype, trainable, input_shape...).  Argument checks
mirror the ones Keras makes when the layer is constructed or built.
"""

from __future__ import annotations

import math
from typing import Optional

from ... import dims

from ...engine import conv as conv_engine
from ...engine.attention import MultiHeadAttention, ScoredAttention
from ...engine.base import InvalidArgument, Unresolved, int_tuple, positive_int
from ...engine.core import Dense, Embedding, Flatten, Opaque, PReLU, SameShape, TimeDistributed
from ...engine.merge import Concatenate, Dot, ElementWise, Stack
from ...engine.normalization import BatchNorm, GroupNorm, LayerNorm, Standardize
from ...engine.pooling import AdaptivePool, GlobalPool, Pool, Reduce
from ...engine.recurrent import ConvRecurrent, Recurrent, bidirectional
from ...engine.reshaping import Index, Pad, Permute, RepeatVector, Reshape, Squeeze, Unsqueeze, UpSample, View
from ...engine.windows import VALID, Padding
from ..signatures import LayerTable, integer_axis, rank_of

KERAS = LayerTable("keras")
FRAMEWORK = "keras"


def channels_last(data_format) -> bool:
    text = data_format.lower() if isinstance(data_format, str) else data_format
    if text in (None, "channels_last"):
        return True
    if text == "channels_first":
        return False
    raise InvalidArgument(f"data_format must be 'channels_last' or 'channels_first', got {data_format!r}")


def ints(value, n: int, what: str, minimum: int = 1) -> tuple:
    """Keras' standardize_tuple: an int, or exactly n ints."""
    if isinstance(value, (list, tuple)) and len(value) != n:
        raise InvalidArgument(f"{what} must be an int or {n} integers, got {value!r}")
    return int_tuple(value, n, what, minimum)


def pairs(value, rank: int, what: str) -> tuple:
    """ZeroPadding/Cropping amounts: an int, one int per axis, or a (begin, end) pair per axis."""
    if rank == 1:
        return (ints(value, 2, what, minimum=0),)
    if isinstance(value, (list, tuple)):
        if len(value) != rank:
            raise InvalidArgument(f"{what} must have {rank} entries, got {value!r}")
        return tuple(ints(v, 2, what, minimum=0) for v in value)
    (amount,) = int_tuple(value, 1, what, minimum=0)
    return ((amount, amount),) * rank


def strided_or_dilated(strides, dilation_rate, rank: int) -> tuple:
    """Keras convolutions take strides > 1 or dilation > 1, not both."""
    strides = ints(strides, rank, "strides")
    dilation = ints(dilation_rate, rank, "dilation_rate")
    if max(strides) > 1 and max(dilation) > 1:
        raise InvalidArgument(f"strides > 1 are not supported with dilation_rate > 1 (strides={strides}, "
                              f"dilation_rate={dilation})")
    return strides, dilation


def keras_padding(value, rank: int, causal: bool = True, any_case: bool = True):
    """Keras' padding argument: 'valid', 'same' or, for 1D convolutions, 'causal'.

    Convolutions lower-case it; pooling compares it as given, so 'SAME' is an
    error there (``any_case=False``).
    """
    allowed = ("valid", "same", "causal") if causal and rank == 1 else ("valid", "same")
    text = value.lower() if any_case and isinstance(value, str) else value
    if text not in allowed:
        raise InvalidArgument(f"padding must be one of {', '.join(map(repr, allowed))}, got {value!r}")
    return [VALID if text == "valid" else Padding(text)] * rank


@KERAS.register("Conv1D", "Conv2D", "Conv3D", "Convolution1D", "Convolution2D", "Convolution3D")
def conv(type_name, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
         groups=1, activation=None, use_bias=True, *more, **kwargs):
    rank = rank_of(type_name)
    strides, dilation = strided_or_dilated(strides, dilation_rate, rank)
    filters, groups = positive_int(filters, "filters"), positive_int(groups, "groups")
    if filters % groups:
        raise InvalidArgument(f"the number of filters ({filters}) must be divisible by groups ({groups})")
    return conv_engine.Conv(
        FRAMEWORK, type_name, rank=rank, filters=filters, kernel=ints(kernel_size, rank, "kernel_size"),
        strides=strides, padding=keras_padding(padding, rank), dilation=dilation, groups=groups,
        bias=bool(use_bias), activation=activation, channels_last=channels_last(data_format))


@KERAS.register("Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "Convolution2DTranspose")
def conv_transpose(type_name, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1, activation=None, use_bias=True, *more, **kwargs):
    rank = rank_of(type_name)
    out_pad = None if output_padding is None else ints(output_padding, rank, "output_padding", minimum=0)
    strides, dilation = strided_or_dilated(strides, dilation_rate, rank)
    if out_pad is not None and any(p >= s for p, s in zip(out_pad, strides)):
        raise InvalidArgument(f"output_padding {out_pad} must be smaller than strides {strides}")
    return conv_engine.Conv(
        FRAMEWORK, type_name, rank=rank, filters=positive_int(filters, "filters"),
        kernel=ints(kernel_size, rank, "kernel_size"), strides=strides,
        padding=keras_padding(padding, rank, causal=False), dilation=dilation,
        bias=bool(use_bias), activation=activation, channels_last=channels_last(data_format), transpose=True,
        output_padding=out_pad)


@KERAS.register("DepthwiseConv1D", "DepthwiseConv2D")
def depthwise(type_name, kernel_size, strides=1, padding="valid", depth_multiplier=1, data_format=None,
              dilation_rate=1, activation=None, use_bias=True, *more, **kwargs):
    rank = rank_of(type_name)
    return conv_engine.DepthwiseConv(
        FRAMEWORK, type_name, rank=rank, kernel=ints(kernel_size, rank, "kernel_size"),
        strides=ints(strides, rank, "strides"), padding=keras_padding(padding, rank, causal=False),
        dilation=ints(dilation_rate, rank, "dilation_rate"), bias=bool(use_bias), activation=activation,
        channels_last=channels_last(data_format), depth_multiplier=positive_int(depth_multiplier, "depth_multiplier"))


@KERAS.register("SeparableConv1D", "SeparableConv2D", "SeparableConvolution2D")
def separable(type_name, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
              depth_multiplier=1, activation=None, use_bias=True, *more, **kwargs):
    rank = rank_of(type_name)
    return conv_engine.SeparableConv(
        FRAMEWORK, type_name, rank=rank, filters=positive_int(filters, "filters"),
        kernel=ints(kernel_size, rank, "kernel_size"), strides=ints(strides, rank, "strides"),
        padding=keras_padding(padding, rank, causal=False), dilation=ints(dilation_rate, rank, "dilation_rate"),
        bias=bool(use_bias), activation=activation, channels_last=channels_last(data_format),
        depth_multiplier=positive_int(depth_multiplier, "depth_multiplier"))


@KERAS.register("MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D",
                "AveragePooling3D", "MaxPool1D", "MaxPool2D", "MaxPool3D", "AvgPool1D", "AvgPool2D", "AvgPool3D")
def pooling(type_name, pool_size=2, strides=None, padding="valid", data_format=None, *more, **kwargs):
    rank = rank_of(type_name)
    pool = ints(pool_size, rank, "pool_size")
    return Pool(FRAMEWORK, type_name, rank=rank, pool=pool,
                strides=pool if strides is None else ints(strides, rank, "strides"),
                padding=keras_padding(padding, rank, causal=False, any_case=False),
                channels_last=channels_last(data_format))


@KERAS.register("Dense")
def dense(type_name, units, activation=None, use_bias=True, *more, **kwargs):
    return Dense(FRAMEWORK, type_name, units=positive_int(units, "units"), bias=bool(use_bias),
                 activation=activation)


@KERAS.register("Flatten")
def flatten(type_name, data_format=None, **kwargs):
    return Flatten(FRAMEWORK, type_name)


@KERAS.register("Activation", "ReLU", "LeakyReLU", "ELU", "Softmax", "ThresholdedReLU", "Dropout",
                "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise", "GaussianDropout",
                "AlphaDropout", "ActivityRegularization", "Identity", "UnitNormalization", "Rescaling",
                "RandomFlip", "RandomRotation", "RandomZoom", "RandomContrast", "RandomTranslation",
                "RandomBrightness")
def same_shape(type_name, *args, **kwargs):
    return SameShape(FRAMEWORK, type_name)


@KERAS.register("GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "GlobalAveragePooling1D",
                "GlobalAveragePooling2D", "GlobalAveragePooling3D", "GlobalMaxPool1D", "GlobalMaxPool2D",
                "GlobalMaxPool3D", "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D")
def global_pooling(type_name, data_format=None, keepdims=False, **kwargs):
    return GlobalPool(FRAMEWORK, type_name, rank=rank_of(type_name), channels_last=channels_last(data_format),
                      keepdims=bool(keepdims))


@KERAS.register("AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D", "AdaptiveAveragePooling3D",
                "AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D")
def adaptive_pooling(type_name, output_size, data_format=None, **kwargs):
    rank = rank_of(type_name)
    return AdaptivePool(FRAMEWORK, type_name, rank=rank, output_size=ints(output_size, rank, "output_size"),
                        channels_last=channels_last(data_format))


@KERAS.register("BatchNormalization")
def batch_normalization(type_name, axis=-1, momentum=0.99, epsilon=0.001, center=True, scale=True,
                        beta_initializer="zeros", gamma_initializer="ones", moving_mean_initializer="zeros",
                        moving_variance_initializer="ones", beta_regularizer=None, gamma_regularizer=None,
                        beta_constraint=None, gamma_constraint=None, renorm=False, *more, **kwargs):
    # renorm tracks a moving stddev and the renorm mean and stddev as well
    return BatchNorm(FRAMEWORK, type_name, axis=integer_axis(axis), scale=bool(scale), center=bool(center),
                     statistics=5 if renorm else 2)


@KERAS.register("LayerNormalization")
def layer_normalization(type_name, axis=-1, epsilon=0.001, center=True, scale=True, *more, rms_scaling=False,
                        **kwargs):
    axes = tuple(integer_axis(a) for a in axis) if isinstance(axis, (list, tuple)) else (integer_axis(axis),)
    # rms_scaling (deprecated) keeps gamma only
    return LayerNorm(FRAMEWORK, type_name, axes=axes, scale=bool(scale or rms_scaling),
                     center=bool(center and not rms_scaling))


@KERAS.register("GroupNormalization")
def group_normalization(type_name, groups=32, axis=-1, epsilon=0.001, center=True, scale=True, *more, **kwargs):
    if groups != -1:
        positive_int(groups, "groups")
    return GroupNorm(FRAMEWORK, type_name, groups=groups, axis=integer_axis(axis), scale=bool(scale), center=bool(center))


@KERAS.register("Normalization")
def normalization(type_name, axis=-1, mean=None, variance=None, invert=False, **kwargs):
    axes = None if axis is None else tuple(integer_axis(a) for a in (axis if isinstance(axis, (list, tuple)) else (axis,)))
    return Standardize(FRAMEWORK, type_name, axes=axes, adapts=mean is None)


@KERAS.register("PReLU")
def prelu(type_name, alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None, shared_axes=None,
          **kwargs):
    if shared_axes is None:
        shared = ()
    else:
        shared = ints(shared_axes, len(shared_axes) if isinstance(shared_axes, (list, tuple)) else 1, "shared_axes")
    return PReLU(FRAMEWORK, type_name, shared_axes=shared)


@KERAS.register("Embedding")
def embedding(type_name, input_dim, output_dim, *more, **kwargs):
    return Embedding(FRAMEWORK, type_name, input_dim=positive_int(input_dim, "input_dim"),
                     output_dim=positive_int(output_dim, "output_dim"))


@KERAS.register("Reshape")
def reshape(type_name, target_shape, **kwargs):
    if not isinstance(target_shape, (list, tuple)):
        raise InvalidArgument(f"target_shape must be a tuple, got {target_shape!r}")
    return Reshape(FRAMEWORK, type_name, target=tuple(target_shape))


@KERAS.register("Permute")
def permute(type_name, dims, **kwargs):
    if not isinstance(dims, (list, tuple)) or sorted(dims) != list(range(1, len(dims) + 1)):
        raise InvalidArgument(f"dims must be a permutation of 1..n, got {dims!r}")
    return Permute(FRAMEWORK, type_name, order=(0,) + tuple(dims))


@KERAS.register("RepeatVector")
def repeat_vector(type_name, n, **kwargs):
    return RepeatVector(FRAMEWORK, type_name, n=positive_int(n, "n"))


@KERAS.register("ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D")
def zero_padding(type_name, padding=1, data_format=None, **kwargs):
    rank = rank_of(type_name)
    return Pad(FRAMEWORK, type_name, amounts=pairs(padding, rank, "padding"),
               channels_last=channels_last(data_format))


@KERAS.register("Cropping1D")
def cropping_1d(type_name, cropping=(1, 1), **kwargs):
    return Pad(FRAMEWORK, type_name, amounts=pairs(cropping, 1, "cropping"), crop=True)


@KERAS.register("Cropping2D")
def cropping_2d(type_name, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
    return Pad(FRAMEWORK, type_name, amounts=pairs(cropping, 2, "cropping"),
               channels_last=channels_last(data_format), crop=True)


@KERAS.register("Cropping3D")
def cropping_3d(type_name, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
    return Pad(FRAMEWORK, type_name, amounts=pairs(cropping, 3, "cropping"),
               channels_last=channels_last(data_format), crop=True)


@KERAS.register("UpSampling1D")
def up_sampling_1d(type_name, size=2, **kwargs):
    return UpSample(FRAMEWORK, type_name, rank=1, factors=(positive_int(size, "size"),))


@KERAS.register("UpSampling2D", "UpSampling3D")
def up_sampling(type_name, size=2, data_format=None, interpolation="nearest", **kwargs):
    rank = rank_of(type_name)
    return UpSample(FRAMEWORK, type_name, rank=rank, factors=ints(size, rank, "size"),
                    channels_last=channels_last(data_format))


@KERAS.register("Concatenate")
def concatenate(type_name, axis=-1, **kwargs):
    return Concatenate(FRAMEWORK, type_name, axis=integer_axis(axis))


@KERAS.register("Add", "Multiply", "Average", "Maximum", "Minimum")
def element_wise(type_name, **kwargs):
    return ElementWise(FRAMEWORK, type_name)


@KERAS.register("Subtract")
def subtract(type_name, **kwargs):
    return ElementWise(FRAMEWORK, type_name, arity=2)


@KERAS.register("Dot")
def dot(type_name, axes, normalize=False, **kwargs):
    if isinstance(axes, int) and not isinstance(axes, bool):
        axes = (axes, axes)
    if not isinstance(axes, (list, tuple)) or len(axes) != 2 or not all(isinstance(a, int) for a in axes):
        raise InvalidArgument(f"axes must be an int or a pair of ints, got {axes!r}")
    return Dot(FRAMEWORK, type_name, axes=tuple(axes))


def _recurrent(cell, type_name, units, use_bias, return_sequences, return_state, bias_vectors=1):
    return Recurrent(FRAMEWORK, type_name, cell=cell, units=positive_int(units, "units"), bias=bool(use_bias),
                     bias_vectors=bias_vectors, return_sequences=bool(return_sequences),
                     return_state=bool(return_state))


@KERAS.register("SimpleRNN")
def simple_rnn(type_name, units, activation="tanh", use_bias=True, *more, return_sequences=False,
               return_state=False, **kwargs):
    return _recurrent("rnn", type_name, units, use_bias, return_sequences, return_state)


@KERAS.register("LSTM")
def lstm(type_name, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True, *more,
         return_sequences=False, return_state=False, **kwargs):
    return _recurrent("lstm", type_name, units, use_bias, return_sequences, return_state)


@KERAS.register("GRU")
def gru(type_name, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True, *more,
        return_sequences=False, return_state=False, reset_after=True, **kwargs):
    # reset_after keeps a second bias vector for the recurrent kernel
    return _recurrent("gru", type_name, units, use_bias, return_sequences, return_state,
                      bias_vectors=2 if reset_after else 1)


@KERAS.register("Bidirectional")
def bidirectional_wrapper(type_name, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
    return bidirectional(_engine_layer(layer), merge_mode, _engine_layer(backward_layer))


def _engine_layer(value):
    """A wrapped layer as the engine sees it: the analysed code passes layer objects, whose own
    arguments may have been unknown (then so is the wrapper) or refused (the wrapper's error)."""
    layer = getattr(value, "engine", value)
    if isinstance(layer, Opaque):
        raise InvalidArgument(layer.reason) if layer.invalid else Unresolved(layer.reason)
    return layer


@KERAS.register("ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D")
def conv_lstm(type_name, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
              activation="tanh", recurrent_activation="sigmoid", use_bias=True, *more, return_sequences=False,
              return_state=False, **kwargs):
    rank = rank_of(type_name)
    strides, dilation = strided_or_dilated(strides, dilation_rate, rank)
    gate = conv_engine.Conv(
        FRAMEWORK, type_name, rank=rank, filters=positive_int(filters, "filters"),
        kernel=ints(kernel_size, rank, "kernel_size"), strides=strides,
        padding=keras_padding(padding, rank, causal=False), dilation=dilation, bias=False,
        channels_last=channels_last(data_format))
    return ConvRecurrent(FRAMEWORK, type_name, conv=gate, bias=bool(use_bias),
                         return_sequences=bool(return_sequences), return_state=bool(return_state))


@KERAS.register("TimeDistributed")
def time_distributed(type_name, layer, **kwargs):
    return TimeDistributed(FRAMEWORK, type_name, layer=_engine_layer(layer))


@KERAS.register("MultiHeadAttention")
def multi_head_attention(type_name, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True,
                         output_shape=None, attention_axes=None, *more, use_gate=False, **kwargs):
    if output_shape is not None and not isinstance(output_shape, (list, tuple)):
        output_shape = (output_shape,)
    if output_shape is not None:
        output_shape = ints(output_shape, len(output_shape), "output_shape")
    return MultiHeadAttention(
        FRAMEWORK, type_name, num_heads=positive_int(num_heads, "num_heads"), key_dim=positive_int(key_dim, "key_dim"),
        value_dim=None if value_dim is None else positive_int(value_dim, "value_dim"), bias=bool(use_bias),
        output_dims=output_shape or None, gate=bool(use_gate))


@KERAS.register("Attention")
def dot_attention(type_name, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
    if score_mode not in ("dot", "concat"):
        raise InvalidArgument(f"score_mode must be 'dot' or 'concat', got {score_mode!r}")
    return ScoredAttention(FRAMEWORK, type_name, scalars=int(bool(use_scale)) + (score_mode == "concat"),
                           dot=score_mode == "dot")


@KERAS.register("AdditiveAttention")
def additive_attention(type_name, use_scale=True, dropout=0.0, **kwargs):
    return ScoredAttention(FRAMEWORK, type_name, scale_per_feature=bool(use_scale), dot=False)


# == operations on tensors ==========================================================
# keras.ops.*, Keras activations called as functions, and the TensorFlow ops tf.keras code applies to
# symbolic tensors (tf.nn.relu, tf.concat, tf.reshape...). None has weights; each maps to the engine layer
# that computes its shape. Signatures follow keras.ops and TensorFlow (tf.concat(values, axis),
# tf.transpose(a, perm)); reshapes take the full shape, batch included, as both libraries do.

OPS = LayerTable("keras")

#: where these names are found: keras.ops (and keras.ops.nn, keras.activations), tf, tf.nn, tf.math
_NAMESPACES = ("keras.ops.nn.", "keras.ops.numpy.", "keras.ops.", "keras.activations.", "keras.backend.",
               "keras.random.", "tensorflow.nn.", "tensorflow.math.", "tensorflow.")


def op_name(qualname: str) -> Optional[str]:
    """The table name of an op written as ``tf.nn.relu``, ``keras.ops.concatenate``...; None for others."""
    for prefix in ("tensorflow.keras.", "tf_keras.", "keras.src."):
        if qualname.startswith(prefix):
            qualname = "keras." + qualname[len(prefix):]
    for namespace in _NAMESPACES:
        if qualname.startswith(namespace):
            name = qualname[len(namespace):]
            key = ("tf." if namespace.startswith("tensorflow") else "") + name
            if namespace == "keras.backend." and "backend." + name in OPS:  # tf.keras' backend defaults
                key = "backend." + name
            if namespace == "keras.random.":
                key = "random." + name
            return key if key in OPS or key in SHAPE_OPS or key in RANGE_OPS or key in RANDOM_OPS else None
    return None


def _op_axes(value):
    """None (every axis), one axis or several."""
    return None if value is None else tuple(map(integer_axis, value if isinstance(value, (list, tuple)) else [value]))


def _op_shape(value, what: str) -> tuple:
    if not isinstance(value, (list, tuple)):
        raise Unresolved(f"the shape given to {what} is not known")
    for d in value:
        if getattr(d, "is_unknown", False) or d is None:
            raise Unresolved(f"the shape given to {what} is not known")
    return tuple(value)


_ELEMENTWISE = ("relu", "relu6", "silu", "swish", "sigmoid", "hard_sigmoid", "hard_silu", "hard_swish", "tanh",
                "softplus", "softsign", "elu", "selu", "gelu", "mish", "leaky_relu", "log_sigmoid", "exp", "log",
                "abs", "sqrt", "square", "negative", "sign", "floor", "ceil", "round", "sin", "cos", "erf",
                "rsqrt", "clip", "softmax", "log_softmax", "linear")


@OPS.register(*_ELEMENTWISE)
def op_elementwise(type_name, x, *args, **kwargs):
    return SameShape(FRAMEWORK, type_name)


@OPS.register(*("tf." + name for name in _ELEMENTWISE + ("dropout", "l2_normalize")))
def op_tf_elementwise(type_name, x, *args, **kwargs):
    return SameShape(FRAMEWORK, type_name[3:])


@OPS.register("add", "subtract", "multiply", "divide", "maximum", "minimum", "power", "tf.add", "tf.subtract",
              "tf.multiply", "tf.divide", "tf.maximum", "tf.minimum", "tf.pow")
def op_binary(type_name, x1, x2, *args, **kwargs):
    return ElementWise(FRAMEWORK, type_name.rsplit(".", 1)[-1])


@OPS.register("concatenate")
def op_concatenate(type_name, xs, axis=0):
    return Concatenate(FRAMEWORK, type_name, axis=integer_axis(axis))


@OPS.register("backend.concatenate")
def op_backend_concatenate(type_name, tensors, axis=-1):
    return Concatenate(FRAMEWORK, "concatenate", axis=integer_axis(axis))


@OPS.register("backend.expand_dims")
def op_backend_expand_dims(type_name, x, axis=-1):
    return Unsqueeze(FRAMEWORK, "expand_dims", axis=integer_axis(axis))


@OPS.register("tf.concat")
def op_tf_concat(type_name, values, axis, name=None):
    return Concatenate(FRAMEWORK, "concat", axis=integer_axis(axis))


@OPS.register("stack", "tf.stack")
def op_stack(type_name, xs=None, axis=0, name=None, values=None):
    return Stack(FRAMEWORK, "stack", axis=integer_axis(axis))


@OPS.register("reshape", "tf.reshape")
def op_reshape(type_name, x, newshape=None, name=None, shape=None):
    target = _op_shape(newshape if newshape is not None else shape, type_name)
    return View(FRAMEWORK, "reshape", target=target)


@OPS.register("expand_dims", "tf.expand_dims")
def op_expand_dims(type_name, x, axis, name=None):
    return Unsqueeze(FRAMEWORK, "expand_dims", axis=integer_axis(axis))


@OPS.register("squeeze", "tf.squeeze")
def op_squeeze(type_name, x, axis=None, name=None):
    return Squeeze(FRAMEWORK, "squeeze", axes=_op_axes(axis))


@OPS.register("transpose", "tf.transpose")
def op_transpose(type_name, x, axes=None, perm=None, conjugate=False, name=None):
    order = perm if perm is not None else axes
    if order is None:
        raise Unresolved("transpose without axes (all axes reversed) is not modelled")
    return Permute(FRAMEWORK, "transpose", order=tuple(integer_axis(a) for a in order))


@OPS.register("mean", "sum", "max", "min", "prod", "std", "var")
def op_reduce(type_name, x, axis=None, keepdims=False, **kwargs):
    return Reduce(FRAMEWORK, type_name, axes=_op_axes(axis), keepdim=bool(keepdims))


@OPS.register("tf.reduce_mean", "tf.reduce_sum", "tf.reduce_max", "tf.reduce_min", "tf.reduce_prod")
def op_tf_reduce(type_name, input_tensor, axis=None, keepdims=False, name=None):
    return Reduce(FRAMEWORK, type_name[3:], axes=_op_axes(axis), keepdim=bool(keepdims))


@OPS.register("getitem")
def op_getitem(type_name, x, index):
    """``x[:, 0]``: Python indexing of a tensor, as NumPy reads it."""
    return Index(FRAMEWORK, type_name, items=index if isinstance(index, tuple) else (index,))


#: ops that read a tensor's shape, a Python value rather than a node: Keras gives None for the batch,
#: ``tf.shape`` a tensor whose first entry is the batch size
SHAPE_OPS = ("shape", "int_shape", "tf.shape")

#: ops making a range of numbers (``keras.ops.arange(maxlen)`` for position ids): a tensor whose length
#: cnnlint knows, whose values no shape or count depends on
RANGE_OPS = ("arange", "tf.range")


#: ops drawing random numbers of a shape given (a VAE's sampling noise, ``keras.random.normal(shape=(batch, dim))``)
RANDOM_OPS = tuple(f"{space}random.{name}" for space in ("", "tf.") for name in ("normal", "uniform", "truncated_normal"))


def random_shape(args, kwargs) -> Optional[tuple]:
    """The shape a random op is given: sizes, or None for a size Keras leaves open (the batch's); None when it is
    not a shape."""
    shape = kwargs.get("shape", args[0] if args else None)
    if not isinstance(shape, (list, tuple)) or any(
            d is not None and (isinstance(d, bool) or not isinstance(d, (int, dims.Expr))) for d in shape):
        return None
    return tuple(shape)


def range_length(name: str, args, kwargs):
    """The length of ``keras.ops.arange(start, stop=None, step=None)`` / ``tf.range(start, limit=None,
    delta=1)``; None when it is not known."""
    names = ("start", "stop", "step") if name == "arange" else ("start", "limit", "delta")
    bounds = dict(zip(names, args)) | {k: v for k, v in kwargs.items() if k in names}
    start, stop, step = (bounds.get(n) for n in names)
    if stop is None:
        start, stop = 0, start
    start, step = start or 0, 1 if step is None else step
    if any(isinstance(v, bool) or not isinstance(v, (int, float, dims.Expr)) for v in (start, stop, step)):
        return None
    if all(isinstance(v, (int, float)) for v in (start, stop, step)) and step != 0:
        return max(0, math.ceil((stop - start) / step))
    return dims.sub(stop, start) if step == 1 and not isinstance(start, float) and not isinstance(stop, float) else None


#: the tensor arguments of the ops' signatures
TENSOR_PARAMETERS = ("x", "x1", "x2", "xs", "tensors", "values", "input_tensor")
