from typing import Optional

from ..graph import ModelGraph, Node, node_macs
from .base import Finding, Rule


def layer_macs(node: Node) -> Optional[int]:
    """A layer's multiply-accumulates; None when its input or output size is unknown."""
    if any(t.shape is None for t in node.inputs) or node.output_tensor is None or node.output_tensor.shape is None:
        return None
    macs = node_macs(node)
    return macs if isinstance(macs, int) else None


def total_macs(model: ModelGraph) -> Optional[int]:
    """The model's multiply-accumulates for one sample; None if any layer's is unknown."""
    total = 0
    for node in model.nodes:
        macs = layer_macs(node)
        if macs is None:
            return None
        total += macs
    return total


class TooManyMacs(Rule):
    """One forward pass costs more multiply-accumulates than the configured budget."""

    code = "CNN202"
    name = "too-many-macs"
    severity = "error"
    summary = "multiply-accumulates per sample over max-macs"
    options = ("max-macs",)

    def check(self, model, ctx):
        if ctx.max_macs is None:
            return
        total = total_macs(model)
        if total is not None and total > ctx.max_macs:
            yield Finding(f"{model.name} needs {total:,} multiply-accumulates per sample, over the budget of "
                          f"{ctx.max_macs:,} (max-macs)", None)
