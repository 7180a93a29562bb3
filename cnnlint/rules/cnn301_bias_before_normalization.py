from .. import dims
from ..fixes import UNSAFE, Fix
from ..engine.conv import Conv
from ..engine.core import Dense
from ..engine.normalization import BatchNorm
from .base import Finding, Rule, consumers

#: how each framework spells "no bias" in the layer's constructor
_NO_BIAS = {"keras": "use_bias=False", "torch": "bias=False"}


class BiasBeforeNormalization(Rule):
    """A Conv/Dense bias feeding straight into batch normalisation, which subtracts it again."""

    code = "CNN301"
    name = "bias-before-normalization"
    severity = "warning"
    summary = "a bias that the batch normalisation right after it cancels"

    def check(self, model, ctx):
        found = list(self._findings(model))
        flagged = {id(node) for node, _ in found}
        for node, finding in found:
            finding.fix = _fix(model, node, flagged)
            if finding.fix.reason:
                finding.message += f"; no automatic fix: {finding.fix.reason}"
            yield finding

    def _findings(self, model):
        readers = consumers(model)
        outputs = {id(t) for t in model.outputs}
        for node in model.nodes:
            layer, out = node.layer, node.output_tensor
            if not isinstance(layer, (Conv, Dense)) or not layer.bias or out is None or out.shape is None:
                continue
            if layer.activation is not None or id(out) in outputs:
                continue  # a non-linearity in between keeps the bias meaningful
            after = readers.get(id(out), [])
            if len(after) != 1 or not isinstance(after[0].layer, BatchNorm):
                continue
            norm = after[0].layer
            axis = layer.channel_axis(out.rank)
            if norm.axis % out.rank != axis:
                continue  # normalised over another axis: the bias is not a per-channel constant there
            label = f" '{node.label}'" if node.label else ""
            yield node, Finding(
                f"{layer.type_name}{label} has a bias of {dims.render(out.shape[axis])} parameters that the "
                f"{norm.type_name} right after it cancels by subtracting each channel's mean; "
                f"construct it with {_NO_BIAS.get(layer.framework, 'no bias')}", node.site)


def _fix(model, node, flagged: set):
    """``bias=False`` at the layer's call: added, or an explicit ``bias=True`` changed; unsafe."""
    import libcst as cst  # LibCST: not for cached runs

    from ..fixes.edits import NodeEdit, keyword_edit, source_of

    parameter = _NO_BIAS[node.layer.framework].split("=")[0]
    title = f"Construct it with {parameter}=False"
    arguments = node.layer.arguments
    if arguments is None or not arguments.faithful:
        return Fix.unavailable(title, UNSAFE, "the layer's arguments are forwarded (*args, **kwargs or a partial)")
    if any(other.site is node.site and id(other) not in flagged for other in model.nodes):
        return Fix.unavailable(title, UNSAFE, "the layer at this line is also built or applied where no batch "
                                              "normalisation follows it (a loop or a helper)")
    written = arguments.get(parameter)
    if written is None:
        edit = keyword_edit(arguments.call, parameter, "False")
        return Fix(title, UNSAFE, (edit,)) if edit else Fix.unavailable(title, UNSAFE, "the call has no arguments")
    value = written.value
    if isinstance(value, cst.Name) and value.value == "True" or isinstance(value, cst.Integer):
        return Fix(title, UNSAFE, (NodeEdit(value, "False"),))
    return Fix.unavailable(title, UNSAFE, f"{parameter} is `{source_of(value)}`, computed elsewhere (a helper's "
                                          f"parameter or a loop variable); change it where it is set")
