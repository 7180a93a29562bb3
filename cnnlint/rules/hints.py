"""What CNN101/CNN103 add to their message when the cause is a well-known slip, not the layer itself."""

from __future__ import annotations

from ..engine.conv import Conv
from ..engine.core import Flatten
from ..engine.recurrent import Recurrent
from ..engine.reshaping import View

#: channel counts of images (grey, RGB, RGBA) that a channels-first input_shape starts with
_IMAGE_CHANNELS = (1, 3, 4)


def channels_first_input(model) -> str:
    """A Keras input declared (C, H, W) while the layers read channels last."""
    if model.framework != "keras" or len(model.inputs) != 1 or model.inputs[0].shape is None:
        return ""
    shape = tuple(model.inputs[0].shape[1:])
    if len(shape) != 3 or not all(isinstance(d, int) for d in shape):
        return ""
    channels, height, width = shape
    convs = [n.layer for n in model.nodes if isinstance(n.layer, Conv)]
    if channels not in _IMAGE_CHANNELS or height <= 4 or width <= 4 or not convs or not convs[0].channels_last:
        return ""
    return (f"; the input shape {shape} puts the {channels} channels first, but Keras layers read the last axis as "
            f"channels (data_format='channels_last'): did you mean ({height}, {width}, {channels}), or "
            f"data_format='channels_first'?")


def previous_recurrent(node) -> str:
    """A recurrent layer fed the last output of another one (return_sequences=False)."""
    if not isinstance(node.layer, Recurrent) or len(node.inputs) != 1:
        return ""
    x = node.inputs[0]
    before = x.node
    if x.rank != 2 or before is None or not isinstance(before.layer, Recurrent):
        return ""
    label = f" '{before.label}'" if before.label else ""
    return (f"; {before.layer.type_name}{label} returns only its last step: pass return_sequences=True to it to feed "
            f"this layer the whole sequence")


def flattened_batch(node) -> str:
    """A layer fed a vector that a flatten/view made of the whole batch."""
    for x in node.inputs:
        before = x.node
        if x.rank == 1 and before is not None and isinstance(before.layer, (Flatten, View)) and before.inputs and \
                (before.inputs[0].rank or 0) >= 2:
            return (f"; the {before.layer.type_name} before it flattened the batch axis too: flatten from axis 1 "
                    f"(torch.flatten(x, 1)) to keep one row per sample")
    return ""
