"""What a model's output is, as the loss rules (CNN401, CNN402) and degenerate-softmax read it."""

from __future__ import annotations

from typing import Optional

from ..engine.conv import Conv
from ..engine.core import Dense

#: layer and function names (lower case, PyTorch and Keras) -> the activation they apply
_BY_NAME = {"softmax": "softmax", "sigmoid": "sigmoid", "logsoftmax": "log_softmax", "log_softmax": "log_softmax",
            "relu": "relu", "relu6": "relu"}


def activation_name(value) -> Optional[str]:
    """A Keras ``activation=`` value as a name: "softmax", "linear"...; None when not known."""
    if value is None:
        return "linear"
    if isinstance(value, str):
        return value.lower()
    qualname = getattr(value, "qualname", None)  # keras.activations.softmax
    return qualname.rsplit(".", 1)[-1].lower() if isinstance(qualname, str) else None


def applied_activation(node) -> Optional[str]:
    """The activation a node ends with: "softmax", "sigmoid", "log_softmax", "relu", "linear" (none), or None."""
    layer = node.layer
    if isinstance(layer, (Dense, Conv)):
        return activation_name(layer.activation)
    name = layer.type_name.lower()
    if name == "activation":  # keras.layers.Activation("softmax")
        given = layer.passed.get("args") or ()
        return _BY_NAME.get(activation_name(layer.passed.get("activation", given[0] if given else None)))
    return _BY_NAME.get(name)


def output_activation(model) -> Optional[str]:
    """The activation the model's single output comes out of, None when it is not one cnnlint knows."""
    if len(model.outputs) != 1 or model.outputs[0].node is None:
        return None
    return applied_activation(model.outputs[0].node)
