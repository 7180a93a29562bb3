"""Keras layer constructors, mapped to engine layers.

Signatures follow Keras 3 (keras.layers.*); ``**kwargs`` absorbs the base
Layer arguments (name, dtype, trainable, input_shape...).  Argument checks
mirror the ones Keras makes when the layer is constructed or built.
"""

from __future__ import annotations

from ..engine import conv as conv_engine
from ..engine.attention import MultiHeadAttention
from ..engine.base import InvalidArgument, int_tuple, positive_int
from ..engine.core import Dense, Embedding, Flatten, PReLU, SameShape
from ..engine.merge import Concatenate, Dot, ElementWise
from ..engine.normalization import BatchNorm, GroupNorm, LayerNorm
from ..engine.pooling import AdaptivePool, GlobalPool, Pool
from ..engine.recurrent import Recurrent, bidirectional
from ..engine.reshaping import Pad, Permute, RepeatVector, Reshape, UpSample
from ..engine.windows import keras_padding
from .signatures import LayerTable

KERAS = LayerTable("keras")
FRAMEWORK = "keras"


def _rank(type_name: str) -> int:
    for ch in reversed(type_name):
        if ch.isdigit():
            return int(ch)
    raise InvalidArgument(f"cannot tell the rank of {type_name}")


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


@KERAS.register("Conv1D", "Conv2D", "Conv3D", "Convolution1D", "Convolution2D", "Convolution3D")
def conv(type_name, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
         groups=1, activation=None, use_bias=True, *more, **kwargs):
    rank = _rank(type_name)
    strides = ints(strides, rank, "strides")
    dilation = ints(dilation_rate, rank, "dilation_rate")
    if any(s > 1 for s in strides) and any(d > 1 for d in dilation):
        raise InvalidArgument("strides > 1 are not compatible with dilation_rate > 1")
    return conv_engine.Conv(
        FRAMEWORK, type_name, rank=rank, filters=positive_int(filters, "filters"),
        kernel=ints(kernel_size, rank, "kernel_size"), strides=strides,
        padding=keras_padding(padding, rank), dilation=dilation, groups=positive_int(groups, "groups"),
        bias=bool(use_bias), channels_last=channels_last(data_format))


@KERAS.register("Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "Convolution2DTranspose")
def conv_transpose(type_name, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1, activation=None, use_bias=True, *more, **kwargs):
    rank = _rank(type_name)
    out_pad = None if output_padding is None else ints(output_padding, rank, "output_padding", minimum=0)
    strides = ints(strides, rank, "strides")
    if out_pad is not None and any(p >= s for p, s in zip(out_pad, strides)):
        raise InvalidArgument(f"output_padding {out_pad} must be smaller than strides {strides}")
    return conv_engine.Conv(
        FRAMEWORK, type_name, rank=rank, filters=positive_int(filters, "filters"),
        kernel=ints(kernel_size, rank, "kernel_size"), strides=strides,
        padding=keras_padding(padding, rank, causal=False), dilation=ints(dilation_rate, rank, "dilation_rate"),
        bias=bool(use_bias), channels_last=channels_last(data_format), transpose=True, output_padding=out_pad)


@KERAS.register("DepthwiseConv1D", "DepthwiseConv2D")
def depthwise(type_name, kernel_size, strides=1, padding="valid", depth_multiplier=1, data_format=None,
              dilation_rate=1, activation=None, use_bias=True, *more, **kwargs):
    rank = _rank(type_name)
    return conv_engine.DepthwiseConv(
        FRAMEWORK, type_name, rank=rank, kernel=ints(kernel_size, rank, "kernel_size"),
        strides=ints(strides, rank, "strides"), padding=keras_padding(padding, rank, causal=False),
        dilation=ints(dilation_rate, rank, "dilation_rate"), bias=bool(use_bias),
        channels_last=channels_last(data_format), depth_multiplier=positive_int(depth_multiplier, "depth_multiplier"))


@KERAS.register("SeparableConv1D", "SeparableConv2D", "SeparableConvolution2D")
def separable(type_name, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
              depth_multiplier=1, activation=None, use_bias=True, *more, **kwargs):
    rank = _rank(type_name)
    return conv_engine.SeparableConv(
        FRAMEWORK, type_name, rank=rank, filters=positive_int(filters, "filters"),
        kernel=ints(kernel_size, rank, "kernel_size"), strides=ints(strides, rank, "strides"),
        padding=keras_padding(padding, rank, causal=False), dilation=ints(dilation_rate, rank, "dilation_rate"),
        bias=bool(use_bias), channels_last=channels_last(data_format),
        depth_multiplier=positive_int(depth_multiplier, "depth_multiplier"))


@KERAS.register("MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D",
                "AveragePooling3D", "MaxPool1D", "MaxPool2D", "MaxPool3D", "AvgPool1D", "AvgPool2D", "AvgPool3D")
def pooling(type_name, pool_size=2, strides=None, padding="valid", data_format=None, *more, **kwargs):
    rank = _rank(type_name)
    pool = ints(pool_size, rank, "pool_size")
    return Pool(FRAMEWORK, type_name, rank=rank, pool=pool,
                strides=pool if strides is None else ints(strides, rank, "strides"),
                padding=keras_padding(padding, rank, causal=False, any_case=False),
                channels_last=channels_last(data_format))


@KERAS.register("Dense")
def dense(type_name, units, activation=None, use_bias=True, *more, **kwargs):
    return Dense(FRAMEWORK, type_name, units=positive_int(units, "units"), bias=bool(use_bias))


@KERAS.register("Flatten")
def flatten(type_name, data_format=None, **kwargs):
    return Flatten(FRAMEWORK, type_name)


@KERAS.register("Activation", "ReLU", "LeakyReLU", "ELU", "Softmax", "ThresholdedReLU", "Dropout",
                "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise", "GaussianDropout",
                "AlphaDropout", "ActivityRegularization", "Identity")
def same_shape(type_name, *args, **kwargs):
    return SameShape(FRAMEWORK, type_name)
