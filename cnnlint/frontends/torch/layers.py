"""PyTorch constructors and functional ops, mapped to engine layers.

``TORCH`` holds ``torch.nn`` modules, ``FUNCTIONAL`` the ops of
``torch.nn.functional``, ``torch`` and tensor methods (``x.view``), whose
first parameters name the tensors they take (``input``, ``other``,
``tensors``).  Signatures follow PyTorch 2; the checks are the ones PyTorch
makes when the module is built or first run.
"""

from __future__ import annotations

from ...dims import Expr
from ...engine import conv as conv_engine
from ...engine.attention import MultiHeadAttention, TransformerStack, check_heads
from ...engine.base import NO_WEIGHTS, InvalidArgument, Unresolved, int_tuple, positive_int
from ...engine.core import Dense, Embedding, Flatten, Loss, PReLU, SameShape
from ...engine.merge import (Bilinear, Concatenate, Einsum, ElementWise, LinearMap, MatMul,
                             ScaledDotProductAttention, Stack)
from ...engine.normalization import BatchNorm, GroupNorm, LayerNorm
from ...engine.pooling import UNKNOWN_SIZE, AdaptivePool, Pool, Reduce, TopK, Unfold, Unpool
from ...engine.recurrent import Recurrent, RecurrentCell
from ...engine.reshaping import (Expand, GridSample, Index, IndexSelect, Pad, Permute, PixelShuffle, RepeatInterleave,
                                 Resize, Squeeze, Tile, Unflatten, Unsqueeze, View)
from ...engine.windows import VALID, Padding
from ...evaluator.plugin import NOT_HANDLED
from ...evaluator.values import Unknown, first_unknown
from ...graph import Tensor, Weights
from ..signatures import LayerTable, bind_arguments, integer_axis, rank_of

TORCH = LayerTable("torch")
FUNCTIONAL = LayerTable("torch")
FRAMEWORK = "torch"

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _flag(value, what: str) -> bool:
    if not isinstance(value, (bool, int)):
        raise InvalidArgument(f"{what} must be a bool, got {value!r}")
    return bool(value)


def _axis(value, what: str = "dim") -> int:
    return integer_axis(value, what)


def _axes(value, what: str = "dim"):
    """None, one axis or a sequence of axes."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return tuple(_axis(v, what) for v in value)
    return (_axis(value, what),)


def _shape_args(shape: tuple) -> tuple:
    """``view(2, 3)`` and ``view((2, 3))`` both give (2, 3)."""
    if len(shape) == 1 and isinstance(shape[0], (list, tuple)):
        return tuple(shape[0])
    return tuple(shape)


def _known_shape(type_name: str, shape: tuple) -> tuple:
    target = _shape_args(shape)
    for d in target:
        if getattr(d, "is_unknown", False):
            raise Unresolved(f"the shape passed to {type_name}() is not known: {d.reason}")
    return target


# -- convolutions ----------------------------------------------------------------

def torch_padding(value, rank: int, what: str = "padding"):
    """PyTorch's padding argument: int, tuple, 'valid' or 'same'."""
    if isinstance(value, str):
        if value not in ("valid", "same"):
            raise InvalidArgument(f"Invalid padding string {value!r}, should be one of ('valid', 'same')")
        return [VALID if value == "valid" else Padding("same")] * rank
    amounts = int_tuple(value, rank, what, minimum=0)
    return [Padding("explicit", p, p) for p in amounts]


def _conv(type_name, rank, in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
          padding_mode, transpose=False, output_padding=None, engine_class=conv_engine.Conv):
    groups = positive_int(groups, "groups")
    if out_channels is not None and positive_int(out_channels, "out_channels") % groups:
        raise InvalidArgument(f"out_channels ({out_channels}) must be divisible by groups ({groups})")
    if padding_mode not in PADDING_MODES:
        raise InvalidArgument(f"padding_mode must be one of {PADDING_MODES}, got {padding_mode!r}")
    if transpose:
        if padding_mode != "zeros":
            raise InvalidArgument(f'Only "zeros" padding mode is supported for {type_name}')
        if isinstance(padding, str):
            raise InvalidArgument(f"{type_name} does not take padding={padding!r}")
    strides = int_tuple(stride, rank, "stride")
    dilation = int_tuple(dilation, rank, "dilation")
    out_pad = None
    if transpose:
        out_pad = int_tuple(output_padding, rank, "output_padding", minimum=0)
        if any(p >= max(s, d) for p, s, d in zip(out_pad, strides, dilation)):
            raise InvalidArgument(f"output padding {out_pad} must be smaller than either stride {strides} or "
                                  f"dilation {dilation}")
    kernel = int_tuple(kernel_size, rank, "kernel_size")
    pads = torch_padding(padding, rank)
    if in_channels is not None and positive_int(in_channels, "in_channels") % groups:
        raise InvalidArgument(f"in_channels ({in_channels}) must be divisible by groups ({groups})")
    if any(p.mode == "same" for p in pads) and any(s != 1 for s in strides):
        raise InvalidArgument("padding='same' is not supported for strided convolutions")
    return engine_class(
        FRAMEWORK, type_name, rank=rank, filters=out_channels, kernel=kernel, strides=strides, padding=pads,
        dilation=dilation, groups=groups, bias=_flag(bias, "bias"), channels_last=False, in_channels=in_channels,
        transpose=transpose, output_padding=out_pad, padding_fill=padding_mode)


@TORCH.register("Conv1d", "Conv2d", "Conv3d")
def conv(type_name, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True,
         padding_mode="zeros", device=None, dtype=None):
    return _conv(type_name, rank_of(type_name), in_channels, out_channels, kernel_size, stride, padding, dilation,
                 groups, bias, padding_mode)


@TORCH.register("LazyConv1d", "LazyConv2d", "LazyConv3d")
def lazy_conv(type_name, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True,
              padding_mode="zeros", device=None, dtype=None):
    return _conv(type_name, rank_of(type_name), None, out_channels, kernel_size, stride, padding, dilation, groups,
                 bias, padding_mode)


@TORCH.register("ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d")
def conv_transpose(type_name, in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0,
                   groups=1, bias=True, dilation=1, padding_mode="zeros", device=None, dtype=None):
    return _conv(type_name, rank_of(type_name), in_channels, out_channels, kernel_size, stride, padding, dilation,
                 groups, bias, padding_mode, transpose=True, output_padding=output_padding)


@TORCH.register("LazyConvTranspose1d", "LazyConvTranspose2d", "LazyConvTranspose3d")
def lazy_conv_transpose(type_name, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1,
                        bias=True, dilation=1, padding_mode="zeros", device=None, dtype=None):
    return _conv(type_name, rank_of(type_name), None, out_channels, kernel_size, stride, padding, dilation, groups,
                 bias, padding_mode, transpose=True, output_padding=output_padding)


class _ModuleWeightsConv(conv_engine.Conv):
    """``F.conv2d(x, self.weight, ...)`` in a convolution's own ``forward``: the weights are the module's and
    count with it, not with the op."""

    def _weights(self, cin):
        return NO_WEIGHTS


@FUNCTIONAL.register("conv1d", "conv2d", "conv3d")
def f_conv(type_name, input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    rank = rank_of(type_name)
    shape = getattr(weight, "shape", None)
    if not shape or len(shape) != rank + 2 or not all(isinstance(d, int) for d in shape):
        raise Unresolved("the shape of the weight is not known")
    return _conv(type_name, rank, shape[1] * positive_int(groups, "groups"), shape[0], tuple(shape[2:]), stride,
                 padding, dilation, groups, False, "zeros", engine_class=_ModuleWeightsConv)


def conv_attribute(layer: conv_engine.Conv, arguments: dict, name: str):
    """What a torch convolution keeps in an attribute: its sizes as tuples (``self.stride == (2, 2)`` for
    ``stride=2``), and its weight shaped (out, in / groups, *kernel), (in, out / groups, *kernel) when
    transposed; NOT_HANDLED for a name it does not keep this way."""
    sizes = {"kernel_size": layer.kernel, "stride": layer.strides, "dilation": layer.dilation,
             "output_padding": layer.output_padding}
    if sizes.get(name) is not None:
        return tuple(sizes[name])
    if name == "padding" and not isinstance(arguments.get("padding"), str):
        return tuple(p.begin for p in layer.padding)
    if name == "weight" and isinstance(layer.in_channels, int) and isinstance(layer.filters, int):
        pair = (layer.in_channels, layer.filters) if layer.transpose else (layer.filters, layer.in_channels)
        return Tensor((pair[0], pair[1] // layer.groups) + tuple(layer.kernel))
    if name == "bias" and isinstance(layer.filters, int):
        return Tensor((layer.filters,)) if layer.bias else None
    return NOT_HANDLED


# -- pooling ----------------------------------------------------------------------

def _pool(type_name, rank, kernel_size, stride, padding, dilation, ceil_mode, return_indices=False):
    """Max/average pooling; PyTorch rejects padding above half the effective window."""
    kernel = int_tuple(kernel_size, rank, "kernel_size")
    strides = kernel if stride is None or stride == [] else int_tuple(stride, rank, "stride")
    pads = int_tuple(padding, rank, "padding", minimum=0)
    dilation = int_tuple(dilation, rank, "dilation")
    for k, p, d in zip(kernel, pads, dilation):
        if p > (d * (k - 1) + 1) // 2:
            raise InvalidArgument(f"pad should be at most half of effective kernel size, but got pad={p}, "
                                  f"kernel_size={k} and dilation={d}")
    return Pool(FRAMEWORK, type_name, rank=rank, pool=kernel, strides=strides,
                padding=torch_padding(pads, rank), dilation=dilation, channels_last=False,
                ceil_mode=_flag(ceil_mode, "ceil_mode"), indices=_flag(return_indices, "return_indices"))


@TORCH.register("MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d")
def max_unpool(type_name, kernel_size, stride=None, padding=0, output_size=None):
    """Also F.max_unpool2d(input, indices, ...), whose output_size is an argument; the module's comes with the
    call (``unpool(x, indices, output_size=skip.size())``)."""
    rank = rank_of(type_name)
    kernel = int_tuple(kernel_size, rank, "kernel_size")
    strides = kernel if stride is None else int_tuple(stride, rank, "stride")
    return Unpool(FRAMEWORK, type_name, rank=rank, pool=kernel, strides=strides,
                  padding=int_tuple(padding, rank, "padding", minimum=0), output_size=output_size)


def _max_unpool_call(input, indices, output_size=None):
    return [input, indices], {} if output_size is None else {"output_size": output_size}


@TORCH.register("MaxPool1d", "MaxPool2d", "MaxPool3d")
def max_pool(type_name, kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False):
    return _pool(type_name, rank_of(type_name), kernel_size, stride, padding, dilation, ceil_mode, return_indices)


@TORCH.register("AvgPool1d")
def avg_pool_1d(type_name, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    return _pool(type_name, 1, kernel_size, stride, padding, 1, ceil_mode)


@TORCH.register("AvgPool2d", "AvgPool3d")
def avg_pool(type_name, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
             divisor_override=None):
    return _pool(type_name, rank_of(type_name), kernel_size, stride, padding, 1, ceil_mode)


@TORCH.register("Unfold")
def unfold(type_name, kernel_size, dilation=1, padding=0, stride=1):
    return Unfold(FRAMEWORK, type_name, kernel=int_tuple(kernel_size, 2, "kernel_size"),
                  dilation=int_tuple(dilation, 2, "dilation"), padding=int_tuple(padding, 2, "padding", minimum=0),
                  strides=int_tuple(stride, 2, "stride"))


def _output_size(output_size, rank: int) -> tuple:
    sizes = tuple(output_size) if isinstance(output_size, (list, tuple)) else (output_size,) * rank
    if len(sizes) != rank:
        raise InvalidArgument(f"output_size must have {rank} values, got {output_size!r}")
    # a size cnnlint cannot compute makes that axis unknown, not the others
    sizes = tuple(UNKNOWN_SIZE if getattr(s, "is_unknown", False) else s for s in sizes)
    for s in sizes:
        if s is not None and s is not UNKNOWN_SIZE and not isinstance(s, Expr):
            positive_int(s, "output_size")
    return sizes


def _adaptive_pool(type_name, output_size, return_indices=False):
    rank = rank_of(type_name)
    return AdaptivePool(FRAMEWORK, type_name, rank=rank, output_size=_output_size(output_size, rank),
                        channels_last=False, indices=_flag(return_indices, "return_indices"))


@TORCH.register("AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d")
def adaptive_avg_pool(type_name, output_size):
    return _adaptive_pool(type_name, output_size)


@TORCH.register("AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d")
def adaptive_max_pool(type_name, output_size, return_indices=False):
    """With ``return_indices`` the call returns (output, indices)."""
    return _adaptive_pool(type_name, output_size, return_indices)


# -- normalisation ------------------------------------------------------------------

@TORCH.register("BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "SyncBatchNorm")
def batch_norm(type_name, num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True,
               device=None, dtype=None):
    affine = _flag(affine, "affine")
    ranks = {"1": (2, 3), "2": (4,), "3": (5,)}.get(type_name[-2], None)
    return BatchNorm(FRAMEWORK, type_name, axis=1, scale=affine, center=affine, statistics=0,
                     num_features=positive_int(num_features, "num_features"), ranks=ranks)


@TORCH.register("LazyBatchNorm1d", "LazyBatchNorm2d", "LazyBatchNorm3d")
def lazy_batch_norm(type_name, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, device=None,
                    dtype=None):
    affine = _flag(affine, "affine")
    ranks = {"1": (2, 3), "2": (4,), "3": (5,)}[type_name[-2]]
    return BatchNorm(FRAMEWORK, type_name, axis=1, scale=affine, center=affine, statistics=0, ranks=ranks)


@TORCH.register("InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d")
def instance_norm(type_name, num_features, eps=1e-5, momentum=0.1, affine=False, track_running_stats=False,
                  device=None, dtype=None):
    rank = rank_of(type_name)
    affine = _flag(affine, "affine")
    # channels are axis -(rank+1) batched or not; only affine ones are checked
    return BatchNorm(FRAMEWORK, type_name, axis=-(rank + 1), scale=affine, center=affine, statistics=0,
                     num_features=positive_int(num_features, "num_features") if affine else None,
                     ranks=(rank + 1, rank + 2))


@TORCH.register("LayerNorm")
def layer_norm(type_name, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True, device=None, dtype=None):
    shape = tuple(normalized_shape) if isinstance(normalized_shape, (list, tuple)) else (normalized_shape,)
    affine = _flag(elementwise_affine, "elementwise_affine")
    return LayerNorm(FRAMEWORK, type_name, normalized_shape=int_tuple(shape, len(shape), "normalized_shape"),
                     scale=affine, center=affine and _flag(bias, "bias"))


@TORCH.register("GroupNorm")
def group_norm(type_name, num_groups, num_channels, eps=1e-5, affine=True, device=None, dtype=None):
    affine = _flag(affine, "affine")
    return GroupNorm(FRAMEWORK, type_name, groups=positive_int(num_groups, "num_groups"), axis=1, scale=affine,
                     center=affine, num_channels=positive_int(num_channels, "num_channels"))


# -- dense, embedding, shape-keeping --------------------------------------------------

@TORCH.register("Linear")
def linear(type_name, in_features, out_features, bias=True, device=None, dtype=None):
    return Dense(FRAMEWORK, type_name, units=positive_int(out_features, "out_features"), bias=_flag(bias, "bias"),
                 in_features=positive_int(in_features, "in_features"))


@TORCH.register("LazyLinear")
def lazy_linear(type_name, out_features, bias=True, device=None, dtype=None):
    return Dense(FRAMEWORK, type_name, units=positive_int(out_features, "out_features"), bias=_flag(bias, "bias"))


@TORCH.register("Bilinear")
def bilinear(type_name, in1_features, in2_features, out_features, bias=True, device=None, dtype=None):
    return Bilinear(FRAMEWORK, type_name, in1_features=positive_int(in1_features, "in1_features"),
                    in2_features=positive_int(in2_features, "in2_features"),
                    out_features=positive_int(out_features, "out_features"), bias=_flag(bias, "bias"))


@TORCH.register("Embedding")
def embedding(type_name, num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False, _weight=None, _freeze=False, device=None, dtype=None):
    return Embedding(FRAMEWORK, type_name, input_dim=positive_int(num_embeddings, "num_embeddings"),
                     output_dim=positive_int(embedding_dim, "embedding_dim"))


@TORCH.register("Flatten")
def flatten(type_name, start_dim=1, end_dim=-1):
    return Flatten(FRAMEWORK, type_name, start=_axis(start_dim, "start_dim"), end=_axis(end_dim, "end_dim"))


@TORCH.register("Unflatten")
def unflatten(type_name, dim, unflattened_size):
    return Unflatten(FRAMEWORK, type_name, axis=_axis(dim), sizes=tuple(unflattened_size))


@TORCH.register("PReLU")
def prelu(type_name, num_parameters=1, init=0.25, device=None, dtype=None):
    return PReLU(FRAMEWORK, type_name, num_parameters=positive_int(num_parameters, "num_parameters"))


@TORCH.register("GELU", "Sigmoid", "Tanh", "Softmax2d", "Softplus", "Softsign", "Tanhshrink", "LogSigmoid",
                "Hardshrink", "Softshrink", "Identity", "LocalResponseNorm", "CrossMapLRN2d", "ChannelShuffle")
def same_shape(type_name, *args, **kwargs):
    return SameShape(FRAMEWORK, type_name)


# The layers below keep PyTorch's own signatures: rules read their arguments (``dim``, ``inplace``).
@TORCH.register("Softmax", "LogSoftmax", "Softmin")
def softmax_layer(type_name, dim=None):
    return SameShape(FRAMEWORK, type_name)


@TORCH.register("ReLU", "ReLU6", "SELU", "SiLU", "Mish", "Hardswish", "Hardsigmoid")
def inplace_activation(type_name, inplace=False):
    return SameShape(FRAMEWORK, type_name)


@TORCH.register("LeakyReLU")
def leaky_relu_layer(type_name, negative_slope=0.01, inplace=False):
    return SameShape(FRAMEWORK, type_name)


@TORCH.register("ELU", "CELU")
def elu_layer(type_name, alpha=1.0, inplace=False):
    return SameShape(FRAMEWORK, type_name)


@TORCH.register("Hardtanh")
def hardtanh_layer(type_name, min_val=-1.0, max_val=1.0, inplace=False, min_value=None, max_value=None):
    return SameShape(FRAMEWORK, type_name)


@TORCH.register("Threshold")
def threshold_layer(type_name, threshold, value, inplace=False):
    return SameShape(FRAMEWORK, type_name)


@TORCH.register("RReLU")
def rrelu_layer(type_name, lower=1.0 / 8, upper=1.0 / 3, inplace=False):
    return SameShape(FRAMEWORK, type_name)


#: PyTorch's losses without weights, with their parameters in order up to ``reduction`` (which the legacy
#: ``size_average``/``reduce`` flags override)
LOSSES = {
    "L1Loss": "size_average reduce reduction", "MSELoss": "size_average reduce reduction",
    "BCELoss": "weight size_average reduce reduction", "BCEWithLogitsLoss": "weight size_average reduce reduction",
    "CrossEntropyLoss": "weight size_average ignore_index reduce reduction",
    "NLLLoss": "weight size_average ignore_index reduce reduction",
    "NLLLoss2d": "weight size_average ignore_index reduce reduction",
    "PoissonNLLLoss": "log_input full size_average eps reduce reduction", "GaussianNLLLoss": "",
    "KLDivLoss": "size_average reduce reduction", "HuberLoss": "reduction",
    "SmoothL1Loss": "size_average reduce reduction",
    "SoftMarginLoss": "size_average reduce reduction", "MultiLabelMarginLoss": "size_average reduce reduction",
    "MultiLabelSoftMarginLoss": "weight size_average reduce reduction",
    "MultiMarginLoss": "p margin weight size_average reduce reduction",
    "HingeEmbeddingLoss": "margin size_average reduce reduction",
    "CosineEmbeddingLoss": "margin size_average reduce reduction",
    "MarginRankingLoss": "margin size_average reduce reduction",
    "TripletMarginLoss": "margin p eps swap size_average reduce reduction", "TripletMarginWithDistanceLoss": "",
    "CTCLoss": "blank reduction",
}


@TORCH.register(*LOSSES)
def loss(type_name, *args, **kwargs):
    passed = dict(zip(LOSSES[type_name].split(), args), **kwargs)
    reduction = passed.get("reduction", "mean")
    size_average, reduce = passed.get("size_average"), passed.get("reduce")
    if size_average is not None or reduce is not None:  # torch.nn._reduction.legacy_get_string
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        known = isinstance(size_average, bool) and isinstance(reduce, bool)
        reduction = ("mean" if size_average and reduce else "sum" if reduce else "none") if known else None
    return Loss(FRAMEWORK, type_name, reduction=reduction if isinstance(reduction, str) else None)


@TORCH.register("Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout")
def dropout_layer(type_name, p=0.5, inplace=False):
    return SameShape(FRAMEWORK, type_name)


@TORCH.register("Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d")
def upsample(type_name, size=None, scale_factor=None, mode="nearest", align_corners=None,
             recompute_scale_factor=None):
    return _resize(type_name, size, scale_factor)


def _resize(type_name, size, scale_factor):
    def normalised(value):
        if isinstance(value, (list, tuple)):
            return tuple(int(v) if isinstance(v, float) and v.is_integer() else v for v in value)
        return int(value) if isinstance(value, float) and value.is_integer() else value

    return Resize(FRAMEWORK, type_name, factors=normalised(scale_factor), sizes=normalised(size))


@TORCH.register("PixelShuffle")
def pixel_shuffle(type_name, upscale_factor):
    return PixelShuffle(FRAMEWORK, type_name, factor=positive_int(upscale_factor, "upscale_factor"))


@TORCH.register("ZeroPad1d", "ZeroPad2d", "ZeroPad3d", "ConstantPad1d", "ConstantPad2d", "ConstantPad3d",
                "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d", "ReplicationPad1d", "ReplicationPad2d",
                "ReplicationPad3d", "CircularPad1d", "CircularPad2d", "CircularPad3d")
def padding_layer(type_name, padding, value=0.0):
    rank = rank_of(type_name)
    amounts = padding if isinstance(padding, (list, tuple)) else (padding,) * (2 * rank)
    fill = next((mode for prefix, mode in _PAD_FILLS.items() if type_name.startswith(prefix)), "constant")
    return _pad(type_name, tuple(amounts), rank, fill)


_PAD_FILLS = {"Reflection": "reflect", "Replication": "replicate", "Circular": "circular"}


def _pad(type_name, amounts: tuple, rank: int, fill: str = "constant"):
    """PyTorch pads the last axis first: (left, right, top, bottom, ...)."""
    # symbolic amounts (a U-Net padding to its skip connection, ``diffX // 2``) are valid sizes; an amount cnnlint
    # cannot compute (timm's TensorFlow-style same padding, ``math.ceil(H / s)``) makes its axis unknown
    amounts = tuple(None if getattr(a, "is_unknown", False) else a for a in amounts)
    if len(amounts) != 2 * rank or any(isinstance(a, bool) or not isinstance(a, (int, Expr, type(None)))
                                       for a in amounts):
        raise InvalidArgument(f"{type_name}: padding must be {2 * rank} integers, got {amounts!r}")
    pairs = [(amounts[i], amounts[i + 1]) for i in range(0, len(amounts), 2)]
    return Pad(FRAMEWORK, type_name, amounts=tuple(reversed(pairs)), channels_last=False, fill=fill)


# -- recurrent and attention ----------------------------------------------------------

def _recurrent(cell, type_name, input_size, hidden_size, num_layers, bias, batch_first, bidirectional, proj_size=0):
    return Recurrent(FRAMEWORK, type_name, cell=cell, units=positive_int(hidden_size, "hidden_size"),
                     bias=_flag(bias, "bias"), bias_vectors=2, directions=2 if bidirectional else 1,
                     num_layers=positive_int(num_layers, "num_layers"),
                     input_size=positive_int(input_size, "input_size"), proj_size=proj_size,
                     batch_first=_flag(batch_first, "batch_first"), torch_outputs=True)


@TORCH.register("RNN")
def rnn(type_name, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False,
        dropout=0.0, bidirectional=False, device=None, dtype=None):
    if nonlinearity not in ("tanh", "relu"):
        raise InvalidArgument(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
    return _recurrent("rnn", type_name, input_size, hidden_size, num_layers, bias, batch_first, bidirectional)


@TORCH.register("LSTM")
def lstm(type_name, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
         bidirectional=False, proj_size=0, device=None, dtype=None):
    if isinstance(proj_size, bool) or not isinstance(proj_size, int) or proj_size < 0:
        raise InvalidArgument(f"proj_size should be a non-negative integer, got {proj_size!r}")
    return _recurrent("lstm", type_name, input_size, hidden_size, num_layers, bias, batch_first, bidirectional,
                      proj_size)


@TORCH.register("GRU")
def gru(type_name, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
        bidirectional=False, device=None, dtype=None):
    return _recurrent("gru", type_name, input_size, hidden_size, num_layers, bias, batch_first, bidirectional)


@TORCH.register("RNNCell")
def rnn_cell(type_name, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None, dtype=None):
    if nonlinearity not in ("tanh", "relu"):
        raise InvalidArgument(f"Unknown nonlinearity: {nonlinearity}")
    return _cell("rnn", type_name, input_size, hidden_size, bias)


@TORCH.register("LSTMCell", "GRUCell")
def lstm_gru_cell(type_name, input_size, hidden_size, bias=True, device=None, dtype=None):
    return _cell(type_name[:-4].lower(), type_name, input_size, hidden_size, bias)


def _cell(cell, type_name, input_size, hidden_size, bias):
    return RecurrentCell(FRAMEWORK, type_name, cell=cell, units=positive_int(hidden_size, "hidden_size"),
                         input_size=positive_int(input_size, "input_size"), bias=_flag(bias, "bias"))


#: the parameter each layer declares its input size with: what CNN101's fix sets to the size received
TORCH.declared_input.update(
    {name: "in_channels" for name in ("Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d",
                                      "ConvTranspose3d")},
    Linear="in_features", BatchNorm1d="num_features", BatchNorm2d="num_features", BatchNorm3d="num_features",
    SyncBatchNorm="num_features", InstanceNorm1d="num_features", InstanceNorm2d="num_features",
    InstanceNorm3d="num_features", RNN="input_size", LSTM="input_size", GRU="input_size", RNNCell="input_size",
    LSTMCell="input_size", GRUCell="input_size")


@TORCH.register("MultiheadAttention")
def multihead_attention(type_name, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False,
                        add_zero_attn=False, kdim=None, vdim=None, batch_first=False, device=None, dtype=None):
    embed_dim = positive_int(embed_dim, "embed_dim")
    head = check_heads(embed_dim, positive_int(num_heads, "num_heads"))
    features = (embed_dim, embed_dim if kdim is None else positive_int(kdim, "kdim"),
                embed_dim if vdim is None else positive_int(vdim, "vdim"))
    add_bias_kv, add_zero_attn = _flag(add_bias_kv, "add_bias_kv"), _flag(add_zero_attn, "add_zero_attn")
    return MultiHeadAttention(FRAMEWORK, type_name, num_heads=num_heads, key_dim=head, bias=_flag(bias, "bias"),
                              output_dims=(embed_dim,), features=features,
                              extra_bias=2 * embed_dim if add_bias_kv else 0,
                              extra_keys=int(add_bias_kv) + int(add_zero_attn), value_before_key=False,
                              torch_outputs=True, batch_first=_flag(batch_first, "batch_first"))


def _transformer_layer_weights(d_model, nhead, dim_feedforward, bias, attentions: int) -> tuple:
    """d_model and the count of one layer: ``attentions`` attention blocks (4·d² weights, 4·d biases each), two
    linears (d·ff each, ff + d biases) and a layer norm after each block."""
    d, ff = positive_int(d_model, "d_model"), positive_int(dim_feedforward, "dim_feedforward")
    check_heads(d, positive_int(nhead, "nhead"))
    b = int(_flag(bias, "bias"))
    norm = d + d * b
    return d, attentions * (4 * d * d + 4 * d * b + norm) + 2 * d * ff + (ff + d) * b + norm


@TORCH.register("TransformerEncoderLayer", "TransformerDecoderLayer")
def transformer_layer(type_name, d_model, nhead, dim_feedforward=2048, dropout=0.1, activation="relu",
                      layer_norm_eps=1e-5, batch_first=False, norm_first=False, bias=True, device=None, dtype=None):
    """Self-attention (and, in a decoder, attention over the memory), then the feed-forward block."""
    d, count = _transformer_layer_weights(d_model, nhead, dim_feedforward, bias,
                                          2 if type_name == "TransformerDecoderLayer" else 1)
    return TransformerStack(FRAMEWORK, type_name, d_model=d, weights=Weights(count, 0))


@TORCH.register("TransformerEncoder")
def transformer_encoder(type_name, encoder_layer, num_layers, norm=None, enable_nested_tensor=True,
                        mask_check=True):
    return _transformer_stack(type_name, encoder_layer, num_layers, norm)


@TORCH.register("TransformerDecoder")
def transformer_decoder(type_name, decoder_layer, num_layers, norm=None):
    return _transformer_stack(type_name, decoder_layer, num_layers, norm)


def _transformer_stack(type_name, layer, num_layers, norm):
    """``num_layers`` deep copies of the layer given, then the norm given."""
    layer, norm_layer = getattr(layer, "engine", layer), getattr(norm, "engine", norm)
    if not isinstance(layer, TransformerStack) or (norm is not None and getattr(norm_layer, "declared", None) is None):
        raise Unresolved(f"a {type_name} of layers cnnlint does not model")
    count = positive_int(num_layers, "num_layers") * layer.declared.total
    count += norm_layer.declared.total if norm is not None else 0
    return TransformerStack(FRAMEWORK, type_name, d_model=layer.d_model, weights=Weights(count, 0))


@TORCH.register("Transformer")
def transformer(type_name, d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6, dim_feedforward=2048,
                dropout=0.1, activation="relu", custom_encoder=None, custom_decoder=None, layer_norm_eps=1e-5,
                batch_first=False, norm_first=False, bias=True, device=None, dtype=None):
    """An encoder and a decoder of the layers above, each ending in a layer norm."""
    if custom_encoder is not None or custom_decoder is not None:
        raise Unresolved("a Transformer with a custom encoder or decoder")
    d, encoder = _transformer_layer_weights(d_model, nhead, dim_feedforward, bias, 1)
    _, decoder = _transformer_layer_weights(d_model, nhead, dim_feedforward, bias, 2)
    norm = d + d * int(_flag(bias, "bias"))
    count = (positive_int(num_encoder_layers, "num_encoder_layers") * encoder
             + positive_int(num_decoder_layers, "num_decoder_layers") * decoder + 2 * norm)
    return TransformerStack(FRAMEWORK, type_name, d_model=d, weights=Weights(count, 0))


# == calls of modules that take more than one tensor, or options that shape their output ==========
# Each mirrors the module's forward(): it returns the tensors the engine layer takes, and the options
# it reads from the node.

def _multihead_attention_call(query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
                              average_attn_weights=True, is_causal=False):
    return [query, key, value], {"need_weights": _flag(need_weights, "need_weights"),
                                 "average_weights": _flag(average_attn_weights, "average_attn_weights")}


def _bilinear_call(input1, input2):
    return [input1, input2], {}


#: constructor arguments a convolution keeps as a tuple per spatial axis (``nn.Conv2d(3, 8, 3).kernel_size == (3, 3)``)
#: modules whose call is not a single tensor
def _transformer_call(src, mask=None, src_key_padding_mask=None, is_causal=None):
    """``forward(src, mask, ...)``: the masks change no shape."""
    return [src], {}


def _transformer_decoder_call(tgt, memory, *masks, **more):
    return [tgt, memory], {}


def _full_transformer_call(src, tgt, *masks, **more):
    """``nn.Transformer(src, tgt)``: the output has the target's shape."""
    return [tgt, src], {}


CALLS = {"MultiheadAttention": _multihead_attention_call, "Bilinear": _bilinear_call,
         "TransformerEncoderLayer": _transformer_call, "TransformerEncoder": _transformer_call,
         "TransformerDecoderLayer": _transformer_decoder_call, "TransformerDecoder": _transformer_decoder_call,
         "Transformer": _full_transformer_call, **dict.fromkeys(("MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d"),
                                                                _max_unpool_call)}


# == functional ops (torch.nn.functional, torch.*, tensor methods) ===================

@FUNCTIONAL.register("relu_", "gelu", "sigmoid", "tanh", "softplus",
                     "softsign", "logsigmoid", "normalize", "exp", "log", "abs", "sqrt", "neg", "clamp", "clip",
                     "square", "sin", "cos", "rsqrt", "sign", "round", "floor", "ceil", "erf", "prelu",
                     "local_response_norm", "roll", "flip", "masked_fill", "tril", "triu", "cumsum",
                     "log2", "log10", "log1p", "expm1", "reciprocal", "trunc", "tan", "atan", "bitwise_not",
                     "logical_not")
def elementwise(type_name, input, *args, **kwargs):
    return SameShape(FRAMEWORK, type_name)


def shape_keeping(name: str) -> bool:
    """An op whose output has its input's shape whatever its other arguments (``torch.roll(x, shifts)``)."""
    return FUNCTIONAL.builders.get(name) is elementwise


# The functions below keep PyTorch's own signatures: rules read their arguments (``dim``, ``training``, ``inplace``).
@FUNCTIONAL.register("softmax", "log_softmax", "softmin")
def f_softmax(type_name, input, dim=None, _stacklevel=3, dtype=None):
    return SameShape(FRAMEWORK, type_name)


@FUNCTIONAL.register("relu", "relu6", "selu", "silu", "mish", "hardswish", "hardsigmoid")
def f_inplace_activation(type_name, input, inplace=False):
    return SameShape(FRAMEWORK, type_name)


@FUNCTIONAL.register("leaky_relu")
def f_leaky_relu(type_name, input, negative_slope=0.01, inplace=False):
    return SameShape(FRAMEWORK, type_name)


@FUNCTIONAL.register("elu", "celu")
def f_elu(type_name, input, alpha=1.0, inplace=False):
    return SameShape(FRAMEWORK, type_name)


@FUNCTIONAL.register("hardtanh")
def f_hardtanh(type_name, input, min_val=-1.0, max_val=1.0, inplace=False):
    return SameShape(FRAMEWORK, type_name)


@FUNCTIONAL.register("threshold")
def f_threshold(type_name, input, threshold, value, inplace=False):
    return SameShape(FRAMEWORK, type_name)


@FUNCTIONAL.register("rrelu")
def f_rrelu(type_name, input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    return SameShape(FRAMEWORK, type_name)


# the weights and statistics these take are a module's, counted with it (timm's BatchNormAct2d)
@FUNCTIONAL.register("batch_norm")
def f_batch_norm(type_name, input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1,
                 eps=1e-5):
    shape = getattr(running_mean, "shape", None)
    channels = shape[0] if isinstance(shape, tuple) and len(shape) == 1 and isinstance(shape[0], int) else None
    return BatchNorm(FRAMEWORK, type_name, axis=1, scale=False, center=False, statistics=0, num_features=channels)


@FUNCTIONAL.register("group_norm")
def f_group_norm(type_name, input, num_groups, weight=None, bias=None, eps=1e-5):
    return GroupNorm(FRAMEWORK, type_name, groups=positive_int(num_groups, "num_groups"), axis=1, scale=False,
                     center=False)


@FUNCTIONAL.register("instance_norm")
def f_instance_norm(type_name, input, *args, **kwargs):
    return SameShape(FRAMEWORK, type_name)


@FUNCTIONAL.register("dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout")
def f_dropout(type_name, input, p=0.5, training=True, inplace=False):
    return SameShape(FRAMEWORK, type_name)


@FUNCTIONAL.register("add", "sub", "subtract", "mul", "multiply", "div", "divide", "pow", "maximum", "minimum",
                     "true_divide", "floor_divide", "remainder", "atan2")
def binary(type_name, input, other, *args, **kwargs):
    return ElementWise(FRAMEWORK, type_name)


# ``input + value * tensor1 * tensor2`` (or ``/``): the three tensors broadcast together (timm's LayerScale-style
# affines, ConvNeXt-V2's global response norm)
@FUNCTIONAL.register("addcmul", "addcdiv")
def addcmul(type_name, input, tensor1, tensor2, *, value=1, out=None):
    return ElementWise(FRAMEWORK, type_name)


@FUNCTIONAL.register("layer_norm")
def f_layer_norm(type_name, input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """The weight and bias are a module's, counted with it (``F.layer_norm(x, ..., self.weight, ...)``)."""
    shape = tuple(normalized_shape) if isinstance(normalized_shape, (list, tuple)) else (normalized_shape,)
    return LayerNorm(FRAMEWORK, type_name, normalized_shape=int_tuple(shape, len(shape), "normalized_shape"),
                     scale=False, center=False)


@FUNCTIONAL.register("matmul", "mm", "bmm")
def matmul(type_name, input, other, *, out=None):
    return MatMul(FRAMEWORK, type_name)


@FUNCTIONAL.register("linear")
def f_linear(type_name, input, weight, bias=None):
    """The weight and bias are a module's, counted with it."""
    return LinearMap(FRAMEWORK, type_name)


@FUNCTIONAL.register("repeat", "tile")
def repeat(type_name, input, *sizes):
    return Tile(FRAMEWORK, type_name, repeats=_known_shape(type_name, sizes), fewer=type_name == "tile")


@FUNCTIONAL.register("repeat_interleave")
def repeat_interleave(type_name, input, repeats, dim=None, *, output_size=None):
    if isinstance(repeats, Expr) or getattr(repeats, "shape", None) is not None:
        raise Unresolved("repeat_interleave by counts held in a tensor is not modelled")
    return RepeatInterleave(FRAMEWORK, type_name, repeats=int_tuple(repeats, 1, "repeats", minimum=0)[0],
                            axis=None if dim is None else _axis(dim))


@FUNCTIONAL.register("einsum")
def einsum(type_name, equation, *operands):
    return Einsum(FRAMEWORK, type_name, equation=equation)


@FUNCTIONAL.register("scaled_dot_product_attention")
def f_scaled_dot_product_attention(type_name, query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False,
                                   scale=None, enable_gqa=False):
    if not isinstance(enable_gqa, bool):
        raise Unresolved(f"{type_name}: enable_gqa is not known")
    return ScaledDotProductAttention(FRAMEWORK, type_name, grouped=enable_gqa)


@FUNCTIONAL.register("max_pool1d", "max_pool2d", "max_pool3d")
def f_max_pool(type_name, input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    return max_pool(type_name, kernel_size, stride, padding, dilation, return_indices, ceil_mode)


@FUNCTIONAL.register("max_unpool1d", "max_unpool2d", "max_unpool3d")
def f_max_unpool(type_name, input, indices, kernel_size, stride=None, padding=0, output_size=None):
    return max_unpool(type_name, kernel_size, stride, padding, output_size)


@FUNCTIONAL.register("avg_pool1d", "avg_pool2d", "avg_pool3d")
def f_avg_pool(type_name, input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    return _pool(type_name, rank_of(type_name), kernel_size, stride, padding, 1, ceil_mode)


@FUNCTIONAL.register("adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d")
def f_adaptive_avg_pool(type_name, input, output_size):
    return _adaptive_pool(type_name, output_size)


@FUNCTIONAL.register("adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool3d")
def f_adaptive_max_pool(type_name, input, output_size, return_indices=False):
    return _adaptive_pool(type_name, output_size, return_indices)


@FUNCTIONAL.register("interpolate", "upsample", "upsample_nearest", "upsample_bilinear")
def f_interpolate(type_name, input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                  recompute_scale_factor=None, antialias=False):
    return _resize(type_name, size, scale_factor)


@FUNCTIONAL.register("grid_sample")
def f_grid_sample(type_name, input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    return GridSample(FRAMEWORK, type_name)


@FUNCTIONAL.register("unfold")
def f_unfold(type_name, input, kernel_size, dilation=1, padding=0, stride=1):
    return unfold(type_name, kernel_size, dilation, padding, stride)


#: ops whose torch.nn.functional spelling is not the tensor method of the same name (``x.unfold(dim, size,
#: step)`` takes windows along one axis)
FUNCTIONAL_ONLY = frozenset({"unfold"})


@FUNCTIONAL.register("pad")
def f_pad(type_name, input, pad, mode="constant", value=None):
    if not isinstance(pad, (list, tuple)) or len(pad) % 2:
        raise InvalidArgument(f"Padding length must be divisible by 2, got {pad!r}")
    if mode not in ("constant", "reflect", "replicate", "circular"):
        raise Unresolved(f"pad mode {mode!r} is not modelled")
    return _pad(type_name, tuple(pad), len(pad) // 2, mode)


@FUNCTIONAL.register("flatten")
def f_flatten(type_name, input, start_dim=0, end_dim=-1):
    return flatten(type_name, start_dim, end_dim)


@FUNCTIONAL.register("view", "reshape")
def view(type_name, input, *shape):
    return View(FRAMEWORK, type_name, target=_known_shape(type_name, shape))


@FUNCTIONAL.register("expand")
def expand(type_name, input, *sizes):
    return Expand(FRAMEWORK, type_name, target=_known_shape(type_name, sizes))


@FUNCTIONAL.register("expand_as")
def expand_as(type_name, input, like):
    """``x.expand_as(y)``: ``x.expand(y.size())``; ``y`` only lends its shape."""
    shape = getattr(like, "shape", None)
    if shape is None:
        raise Unresolved("the shape of the tensor to expand to is not known")
    return Expand(FRAMEWORK, type_name, target=_known_shape(type_name, tuple(shape)))


@FUNCTIONAL.register("topk")
def f_topk(type_name, input, k, dim=-1, largest=True, sorted=True):
    if isinstance(k, bool) or not isinstance(k, (int, Expr)) or isinstance(k, int) and k < 0:
        raise InvalidArgument(f"topk(): k must be a non-negative integer, got {k!r}")
    return TopK(FRAMEWORK, type_name, axis=_axis(dim), k=k)


@FUNCTIONAL.register("sort", "argsort")
def f_sort(type_name, input, dim=-1, descending=False, stable=False):
    return TopK(FRAMEWORK, type_name, axis=_axis(dim), indices_only=type_name == "argsort")


@FUNCTIONAL.register("index_select")
def index_select(type_name, input, dim, index):
    shape = getattr(index, "shape", None)
    if shape is None:
        raise Unresolved("the shape of the index is not known")
    if len(shape) > 1:
        raise InvalidArgument("index_select(): Index is supposed to be a vector")
    return IndexSelect(FRAMEWORK, type_name, axis=_axis(dim), length=shape[0] if shape else 1)


@FUNCTIONAL.register("permute")
def permute(type_name, input, *dims):
    return Permute(FRAMEWORK, type_name, order=tuple(_axis(d) for d in _shape_args(dims)))


@FUNCTIONAL.register("transpose", "swapaxes", "swapdims")
def transpose(type_name, input, dim0, dim1):
    return Permute(FRAMEWORK, type_name, swap=(_axis(dim0), _axis(dim1)))


@FUNCTIONAL.register("squeeze")
def squeeze(type_name, input, dim=None):
    return Squeeze(FRAMEWORK, type_name, axes=_axes(dim))


@FUNCTIONAL.register("unsqueeze")
def unsqueeze(type_name, input, dim):
    return Unsqueeze(FRAMEWORK, type_name, axis=_axis(dim))


@FUNCTIONAL.register("mean", "sum", "amax", "amin", "prod", "std", "var", "logsumexp", "nansum", "nanmean", "any",
                     "all", "argmax", "argmin")
def reduce(type_name, input, dim=None, keepdim=False, *, dtype=None, out=None, **kwargs):
    return Reduce(FRAMEWORK, type_name, axes=_axes(dim) or None, keepdim=_flag(keepdim, "keepdim"))


@FUNCTIONAL.register("norm")
def norm(type_name, input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """``torch.norm``/``x.norm(p=2, dim=(1, 2), keepdim=True)``: a reduction, as ``sum`` (the order ``p``
    comes before ``dim``)."""
    return Reduce(FRAMEWORK, type_name, axes=_axes(dim) or None, keepdim=_flag(keepdim, "keepdim"))


@FUNCTIONAL.register("cat", "concat", "concatenate")
def cat(type_name, tensors, dim=0, *, out=None):
    return Concatenate(FRAMEWORK, type_name, axis=_axis(dim))


@FUNCTIONAL.register("stack")
def stack(type_name, tensors, dim=0, *, out=None):
    return Stack(FRAMEWORK, type_name, axis=_axis(dim))


@FUNCTIONAL.register("pixel_shuffle")
def f_pixel_shuffle(type_name, input, upscale_factor):
    return pixel_shuffle(type_name, upscale_factor)


@FUNCTIONAL.register("getitem")
def getitem(type_name, input, index):
    return Index(FRAMEWORK, type_name, items=index if isinstance(index, tuple) else (index,))


def tensor_sizes(shape: tuple, site) -> tuple:
    """``x.shape`` as code reads it: a size cnnlint does not know is an Unknown, so that code comparing or
    dividing it stays undecided (``x.shape[-1] == 7`` is never decided False for it)."""
    return tuple(Unknown("this size of the tensor is not known", site) if d is None else d for d in shape)


#: the arguments of torch functions that are sizes, one per axis: one cnnlint cannot compute leaves the other axes
SIZE_ARGUMENTS = ("output_size", "pad")


def unknown_only_in_sizes(name, args, kwargs) -> bool:
    """Whether the values cnnlint could not compute are only an op's sizes (each one of a sequence of known
    length), never a tensor: the op then keeps the axes it does know
    (``F.adaptive_avg_pool2d(x, (max(7, H), max(7, W)))``, ``F.pad(x, (pad_w // 2, ...))``)."""
    if name not in FUNCTIONAL:
        return False
    try:
        bound = bind_arguments(FUNCTIONAL.signature(name), (name, *args), kwargs)
    except TypeError:
        return False
    key = next((k for k in SIZE_ARGUMENTS if k in bound), None)
    return (key is not None and isinstance(bound[key], (list, tuple))
            and all(not isinstance(v, (list, tuple)) for v in bound[key])
            and first_unknown([v for k, v in bound.items() if k != key]) is None)


#: the ops cnnlint models that ``torch.nn.functional`` itself defines (the others are ``torch.*`` functions and
#: tensor methods): ``hasattr(F, name)`` and ``name in dir(F)`` hold for them, and are unknown for other names
NN_FUNCTIONAL = frozenset({
    "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d", "adaptive_max_pool1d", "adaptive_max_pool2d",
    "adaptive_max_pool3d", "alpha_dropout", "avg_pool1d", "avg_pool2d", "avg_pool3d", "batch_norm", "celu", "conv1d",
    "conv2d", "conv3d", "dropout", "dropout1d", "dropout2d", "dropout3d", "elu", "feature_alpha_dropout", "gelu",
    "grid_sample", "group_norm", "hardsigmoid", "hardswish", "hardtanh", "instance_norm", "interpolate", "layer_norm",
    "leaky_relu",
    "linear", "local_response_norm", "log_softmax", "logsigmoid", "max_pool1d", "max_pool2d", "max_pool3d", "mish",
    "normalize", "pad", "pixel_shuffle", "prelu", "relu", "relu6", "relu_", "rrelu", "selu", "sigmoid", "silu",
    "softmax", "scaled_dot_product_attention", "softmin", "softplus", "softsign", "tanh", "threshold", "unfold",
    "upsample",
    "upsample_bilinear", "upsample_nearest"})
