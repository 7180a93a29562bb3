from .. import dims
from ..engine.conv import Conv
from ..engine.core import Dense
from ..engine.normalization import BatchNorm
from .base import Finding, Rule

#: how each framework spells "no bias" in the layer's constructor
_NO_BIAS = {"keras": "use_bias=False", "torch": "bias=False"}


class BiasBeforeNormalization(Rule):
    """A Conv/Dense bias feeding straight into batch normalisation, which subtracts it again."""

    code = "CNN301"
    name = "bias-before-normalization"
    severity = "warning"
    summary = "a bias that the batch normalisation right after it cancels"

    def check(self, model, ctx):
        consumers: dict = {}
        for node in model.nodes:
            for tensor in node.inputs:
                consumers.setdefault(id(tensor), []).append(node)
        outputs = {id(t) for t in model.outputs}
        for node in model.nodes:
            layer, out = node.layer, node.output_tensor
            if not isinstance(layer, (Conv, Dense)) or not layer.bias or out is None or out.shape is None:
                continue
            if layer.activation is not None or id(out) in outputs:
                continue  # a non-linearity in between keeps the bias meaningful
            after = consumers.get(id(out), [])
            if len(after) != 1 or not isinstance(after[0].layer, BatchNorm):
                continue
            norm = after[0].layer
            axis = layer.channel_axis(out.rank)
            if norm.axis % out.rank != axis:
                continue  # normalised over another axis: the bias is not a per-channel constant there
            label = f" '{node.label}'" if node.label else ""
            yield Finding(
                f"{layer.type_name}{label} has a bias of {dims.render(out.shape[axis])} parameters that the "
                f"{norm.type_name} right after it cancels by subtracting each channel's mean; "
                f"construct it with {_NO_BIAS.get(layer.framework, 'no bias')}", node.site)
