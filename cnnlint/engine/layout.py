"""Memory layout of PyTorch tensors: contiguity and the strides of views.

``Tensor.view`` never copies: it needs the new shape to be expressible with
the old tensor's strides, else PyTorch raises "view size is not compatible
with input tensor's size and stride".  To tell, a tensor's layout is
followed from tensors known to be contiguous (the model's input, fresh
results of ops that allocate their output) through the ops that only
re-stride memory (``transpose``, ``permute``, ``expand``, ``view``).  Any
other op, or an op cnnlint does not know, leaves the layout unknown: no
finding can come from it.
"""

from __future__ import annotations

from typing import Optional, Sequence

from .. import dims
from .attention import MultiHeadAttention
from .conv import Conv
from .core import Dense, Embedding, Flatten, SameShape
from .merge import Concatenate, ElementWise, MatMul
from .normalization import BatchNorm, GroupNorm, LayerNorm
from .pooling import AdaptivePool, GlobalPool, Pool, Reduce
from .reshaping import Expand, Permute, Squeeze, Unsqueeze, View

#: ``Tensor.strides`` of a tensor laid out in row-major order
CONTIGUOUS = "contiguous"
#: ops whose output is contiguous when their inputs are (they allocate it, or re-stride row-major memory
#: in row-major order); MultiheadAttention with batch_first returns a transposed tensor, hence excluded
_KEEPS_CONTIGUOUS = (SameShape, ElementWise, Concatenate, Conv, Dense, Embedding, BatchNorm, GroupNorm, LayerNorm,
                     Pool, GlobalPool, AdaptivePool, Reduce, Flatten, Squeeze, Unsqueeze)
#: ops whose output is always freshly allocated and contiguous
_ALLOCATES = (MatMul,)
#: batch sizes a view is checked with: PyTorch's answer can differ only for a batch of 1
_BATCHES = (2, 3)


def contiguous_strides(shape: Sequence) -> tuple:
    strides, step = [], 1
    for size in reversed(shape):
        strides.append(step)
        step = dims.mul(step, size)
    return tuple(reversed(strides))


def strides_of(tensor) -> Optional[tuple]:
    """The tensor's strides, or None when its layout is not known."""
    if tensor.strides is None or tensor.shape is None:
        return None
    return contiguous_strides(tensor.shape) if tensor.strides == CONTIGUOUS else tensor.strides


def follow(node) -> None:
    """Set the layout of the node's output from its inputs' (PyTorch ops only)."""
    out = node.output
    if not hasattr(out, "strides") or out.shape is None or isinstance(node.layer, MultiHeadAttention):
        return
    layer, inputs = node.layer, node.inputs
    if isinstance(layer, _ALLOCATES) or (isinstance(layer, _KEEPS_CONTIGUOUS)
                                         and all(t.strides == CONTIGUOUS for t in inputs)):
        out.strides = CONTIGUOUS
        return
    if len(inputs) != 1 or inputs[0].shape is None:
        return
    x = inputs[0]
    strides = strides_of(x)
    if strides is None:
        return
    if isinstance(layer, Permute):
        out.strides = _permuted(layer, strides)
    elif isinstance(layer, Expand):
        out.strides = _expanded(x.shape, out.shape, strides)
    elif isinstance(layer, View):
        out.strides = CONTIGUOUS if x.strides == CONTIGUOUS else None


def _permuted(layer: Permute, strides: tuple) -> Optional[tuple]:
    """Strides after ``transpose``/``permute``: the input's, reordered."""
    rank = len(strides)
    if layer.swap is not None:
        order = list(range(rank))
        a, b = (d % rank for d in layer.swap)
        order[a], order[b] = order[b], order[a]
    else:
        order = [d % rank for d in layer.order]
    return tuple(strides[i] for i in order)


def view_possible(shape: Sequence, strides: Sequence, target: Sequence) -> Optional[bool]:
    """Whether ``view(target)`` works on memory of this shape and strides; None when sizes are not known.

    Checked for two batch sizes; a view that fails only for a batch of 1 does not count.
    """
    answers = []
    for batch in _BATCHES:
        env = {"batch": batch}
        values = [[dims.evaluate(d, env) for d in seq] for seq in (shape, strides, target)]
        if not all(isinstance(v, int) and not isinstance(v, bool) for seq in values for v in seq):
            return None
        answers.append(_compute_stride(*values) is not None)
    return any(answers)


def _compute_stride(old_shape, old_strides, new_shape) -> Optional[list]:
    """PyTorch's ``computeStride`` (aten/src/ATen/TensorUtils.cpp): the view's strides, or None."""
    numel = 1
    for size in old_shape:
        numel *= size
    if numel == 0 or not old_shape:
        return list(contiguous_strides(new_shape))
    new_strides = [0] * len(new_shape)
    view_d = len(new_shape) - 1
    chunk_base_stride = old_strides[-1]
    tensor_numel = view_numel = 1
    for tensor_d in range(len(old_shape) - 1, -1, -1):
        tensor_numel *= old_shape[tensor_d]
        if tensor_d == 0 or (old_shape[tensor_d - 1] != 1
                             and old_strides[tensor_d - 1] != tensor_numel * chunk_base_stride):
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                new_strides[view_d] = view_numel * chunk_base_stride
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if tensor_d > 0:
                chunk_base_stride = old_strides[tensor_d - 1]
                tensor_numel = view_numel = 1
    return new_strides if view_d == -1 else None


def _expanded(old_shape, new_shape, strides) -> tuple:
    """``expand``: new leading axes and size-1 axes grown to more get stride 0."""
    lead = len(new_shape) - len(old_shape)
    out = [0] * lead
    for old, new, stride in zip(old_shape, new_shape[lead:], strides):
        out.append(0 if old == 1 and new != 1 else stride)
    return tuple(out)
