from .. import dims
from ..graph import BUILT_IN_FORWARD
from .base import Finding, Rule


class LayerCreatedInForward(Rule):
    """A layer with weights constructed while the model runs: new random weights on every call."""

    code = "CNN505"
    name = "layer-created-in-forward"
    severity = "warning"
    summary = "a layer with weights constructed inside forward"

    def check(self, model, ctx):
        seen = set()
        for node in model.nodes:
            if not any(fact is BUILT_IN_FORWARD for fact in node.facts) or id(node.layer) in seen:
                continue
            seen.add(id(node.layer))
            weights = node.weights.total if node.weights is not None else None
            if not dims.is_known(weights) or weights == 0:
                continue
            yield Finding(f"{node.layer.type_name} is constructed inside forward: every call creates {weights:,} new "
                          f"random weights that are never trained, saved in state_dict() or moved to the device; "
                          f"construct it in __init__ and keep it as an attribute", node.site)
