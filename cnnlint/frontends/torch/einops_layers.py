"""einops' torch layers (``einops.layers.torch.Rearrange``/``Reduce``) and its functions on tensors
(``rearrange``, ``repeat``, ``reduce``, ``pack``, ``unpack``), read with einops' own pattern grammar
(engine/einops.py)."""

from __future__ import annotations

from ...engine.base import Unresolved
from ...engine.einops import CALLABLE, Einops, Pack, Unpack
from ..signatures import LayerTable

FRAMEWORK = "torch"

EINOPS = LayerTable("torch")


def _reduction(reduction) -> str:
    """A reduction's name, or ``CALLABLE`` for a function ``f(tensor, axes)`` (the same shapes)."""
    if getattr(reduction, "is_unknown", False):
        raise Unresolved(f"the reduction is not known: {reduction.reason}")
    return reduction if isinstance(reduction, str) else CALLABLE


@EINOPS.register("Rearrange")
def einops_rearrange_layer(type_name, pattern, **axes_lengths):
    return Einops(FRAMEWORK, type_name, pattern=pattern, operation="rearrange", lengths=axes_lengths, module=True)


@EINOPS.register("Reduce")
def einops_reduce_layer(type_name, pattern, reduction, **axes_lengths):
    return Einops(FRAMEWORK, type_name, pattern=pattern, operation=_reduction(reduction), lengths=axes_lengths,
                  module=True)


@EINOPS.register("rearrange", "repeat")
def einops_function(type_name, tensor, pattern, **axes_lengths):
    return Einops(FRAMEWORK, type_name, pattern=pattern, operation=type_name, lengths=axes_lengths)


@EINOPS.register("reduce")
def einops_reduce(type_name, tensor, pattern, reduction, **axes_lengths):
    return Einops(FRAMEWORK, type_name, pattern=pattern, operation=_reduction(reduction), lengths=axes_lengths)


@EINOPS.register("pack")
def einops_pack(type_name, tensors, pattern):
    return Pack(FRAMEWORK, type_name, pattern=pattern)


@EINOPS.register("unpack")
def einops_unpack(type_name, tensor, packed_shapes, pattern):
    return Unpack(FRAMEWORK, type_name, pattern=pattern, packed_shapes=packed_shapes)
