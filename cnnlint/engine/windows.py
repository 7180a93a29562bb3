"""Sliding windows along one axis: the arithmetic shared by conv and pooling.

out = floor((I + pad_begin + pad_end - D*(K-1) - 1) / S) + 1, with the
frameworks' variants for 'same' padding and PyTorch's ceil_mode.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import dims
from ..dims import Dim
from ..graph import Window
from .base import mismatch

AXIS_NAMES = {1: ("step",), 2: ("row", "column"), 3: ("depth", "row", "column")}


@dataclass(frozen=True)
class Padding:
    """How an axis is padded: explicit amounts, or a framework rule."""

    mode: str  # "explicit" | "same" | "causal"
    begin: int = 0
    end: int = 0


VALID = Padding("explicit")


def check_wrapping(layer, fill: str, size: Dim, begin: int, end: int, axis: str) -> None:
    """Reflect and circular padding copy the input's own rows: PyTorch refuses to reflect as many
    rows as the axis has (the edge row is not repeated) and to wrap around more than once."""
    limit = {"reflect": dims.sub(size, 1), "circular": size}.get(fill)
    if limit is None or not isinstance(limit, int) or max(begin, end) <= limit:
        return
    raise mismatch(f"{getattr(layer, 'label', '') or layer.type_name}: {fill} padding of {max(begin, end)} along "
                   f"the {axis} axis needs {'more than' if fill == 'reflect' else 'at least'} {max(begin, end)} "
                   f"input rows, got {size}")


def slide(axis: str, size: Dim, kernel: int, stride: int, dilation: int, padding: Padding,
          framework: str, ceil_mode: bool = False) -> tuple:
    """Output size along one axis and the Window fact describing it."""
    span = dilation * (kernel - 1) + 1
    if padding.mode == "same":
        if framework == "torch":
            total = span - 1
            begin, end = total // 2, total - total // 2
            out = dims.add(dims.floordiv(dims.add(size, total - span), stride), 1)
        else:
            out = dims.ceildiv(size, stride)
            if isinstance(size, int):
                total = max((out - 1) * stride + span - size, 0)
                begin, end = total // 2, total - total // 2
            else:
                begin = end = 0
        window = Window(axis, size, span, stride, begin, end, out, kernel, dilation, ceil_mode, False)
        return out, window
    if padding.mode == "causal":
        begin, end = span - 1, 0
    else:
        begin, end = padding.begin, padding.end
    padded_minus_span = dims.add(size, begin + end - span)
    if ceil_mode:
        out = dims.add(dims.ceildiv(padded_minus_span, stride), 1)
        # PyTorch: the last window must start inside the input or left padding.
        if isinstance(out, int):
            if (out - 1) * stride >= dims.add(size, begin):
                out -= 1
        elif stride > span - begin:
            out = None
    else:
        out = dims.add(dims.floordiv(padded_minus_span, stride), 1)
    window = Window(axis, size, span, stride, begin, end, out, kernel, dilation, ceil_mode, padding.mode == "explicit")
    return out, window


def zero_tail(tensor, axis: int) -> int:
    """Trailing zero rows a padding layer added along ``axis`` of ``tensor``."""
    return (tensor.margins or {}).get(axis, (0, 0))[1]


def slide_transposed(size: Dim, kernel: int, stride: int, dilation: int, padding: Padding,
                     output_padding, framework: str) -> Dim:
    """Output size of a transposed convolution along one axis."""
    span = dilation * (kernel - 1) + 1
    if framework == "torch":
        # (I-1)*S - 2P + D*(K-1) + output_padding + 1
        return dims.add(dims.mul(dims.sub(size, 1), stride), span - padding.begin - padding.end + (output_padding or 0))
    if output_padding is None:
        if padding.mode == "same":
            return dims.mul(size, stride)
        return dims.add(dims.mul(size, stride), max(span - stride, 0))
    pad = span // 2 if padding.mode == "same" else 0
    return dims.add(dims.mul(dims.sub(size, 1), stride), span - 2 * pad + output_padding)
