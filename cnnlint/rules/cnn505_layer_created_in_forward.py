from .. import dims
from ..graph import BUILT_IN_FORWARD
from .base import Finding, Rule

_RUNS = {"torch": "forward", "keras": "call"}
#: where the framework loses such weights
_LOST = {"torch": "that are never trained, saved in state_dict() or moved to the device",
         "keras": "that are not in trainable_weights, so never trained or saved"}


class LayerCreatedInForward(Rule):
    """A layer with weights constructed while the model runs: new random weights on every call."""

    code = "CNN505"
    name = "layer-created-in-forward"
    severity = "warning"
    summary = "a layer with weights constructed inside forward (PyTorch) or call (Keras)"

    def check(self, model, ctx):
        seen = set()
        for node in model.nodes:
            if not any(fact is BUILT_IN_FORWARD for fact in node.facts) or id(node.layer) in seen:
                continue
            seen.add(id(node.layer))
            weights = node.weights.total if node.weights is not None else None
            if not dims.is_known(weights) or weights == 0:
                continue
            yield Finding(f"{node.layer.type_name} is constructed inside {_RUNS[model.framework]}: every call creates "
                          f"{weights:,} new random weights {_LOST[model.framework]}; construct it in __init__ "
                          f"and keep it as an attribute", node.site)
