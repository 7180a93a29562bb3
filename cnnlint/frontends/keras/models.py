"""Keras model values in the analysed code: Sequential and functional models, Keras names."""

from __future__ import annotations

import re
from typing import Optional

from ...evaluator.values import Class, first_unknown
from ...graph import Tensor
from ..base import FrameworkMethod, LayerObject


_PREFIXES = ("tensorflow.keras.", "tensorflow.python.keras.", "tf_keras.", "keras.src.", "keras.")


#: parts of Keras the front end models; everything else (applications, utils)
#: may be followed into source when a project defines it
_OWNED = ("layers", "models", "Model", "Sequential", "Input", "backend", "ops", "activations", "initializers",
          "regularizers", "constraints", "saving", "config", "random", "optimizers", "losses", "metrics", "src")


def keras_owned(qualname: str) -> bool:
    for prefix in _PREFIXES:
        if qualname.startswith(prefix) or qualname + "." == prefix:
            rest = qualname[len(prefix):]
            if rest.startswith("src."):
                rest = rest[4:]
            return rest.split(".")[0] in _OWNED
    return qualname in ("keras", "tensorflow", "tf_keras")


def keras_symbol(qualname: str) -> Optional[str]:
    """The last component of a Keras name, or None if it is not Keras'."""
    for prefix in _PREFIXES:
        if qualname.startswith(prefix):
            return qualname.rsplit(".", 1)[-1]
    return None


def snake_case(name: str) -> str:
    """Keras' own default layer naming (keras.src.utils.naming.to_snake_case)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


class KerasSequential:
    """``keras.Sequential``: layers in order, with whatever input it declares."""

    mutable_fields = ("items", "build_shape")

    def __init__(self, site, name: str = ""):
        self.site = site
        self.name = name
        self.items: list = []  # LayerObject | KerasSequential | Tensor (keras.Input)
        self.build_shape: Optional[tuple] = None

    def declared_input(self) -> Optional[tuple]:
        """Input shape without batch, from Input, input_shape=, or build()."""
        if self.build_shape is not None:
            return self.build_shape
        if not self.items:
            return None
        first = self.items[0]
        if isinstance(first, Tensor) and first.shape is not None:
            return tuple(first.shape[1:])
        if isinstance(first, LayerObject):
            kw = first.kwargs
            if "input_shape" in kw:
                return shape_tuple(kw["input_shape"])
            if "batch_input_shape" in kw:
                shape = shape_tuple(kw["batch_input_shape"])
                return shape[1:] if shape else None
            if "input_dim" in kw and isinstance(kw["input_dim"], int):
                return (kw["input_dim"],)
        if isinstance(first, KerasSequential):
            return first.declared_input()
        return None

    def layers(self) -> list:
        return [item for item in self.items if not isinstance(item, Tensor)]


class KerasFunctional:
    """``keras.Model(inputs, outputs)``: the graph between them, recorded eagerly."""

    def __init__(self, site, inputs: list, outputs: list, name: str = ""):
        self.site = site
        self.inputs = inputs
        self.outputs = outputs
        self.name = name

    def declared_input(self) -> Optional[tuple]:
        if len(self.inputs) == 1 and self.inputs[0].shape is not None:
            return tuple(self.inputs[0].shape[1:])
        return None

    def nodes(self) -> list:
        """Nodes between the inputs and the outputs, in the order they were applied."""
        seen, order = set(), []
        stack = [t.node for t in self.outputs if t.node is not None]
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            order.append(node)
            stack.extend(t.node for t in node.inputs if t.node is not None)
        return sorted(order, key=lambda n: n.order)


def shape_tuple(value) -> Optional[tuple]:
    if isinstance(value, int):
        value = (value,)
    if not isinstance(value, (list, tuple)) or first_unknown(list(value)) is not None:
        return None
    if not all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in value):
        return None
    return tuple(value)


class LayerMethod(FrameworkMethod):
    """A method a custom layer inherits from keras.layers.Layer (``self.add_weight``, ``super().build``)."""

    __slots__ = ()


class ModelMethod(FrameworkMethod):
    """A method of a Sequential model (``model.add``, ``model.compile``...)."""

    __slots__ = ()


def is_keras_class(cls: Class) -> bool:
    return any(keras_symbol(q) in ("Model", "Layer", "Sequential") for q in cls.external_bases())


def is_keras_model_class(cls: Class) -> bool:
    return any(keras_symbol(q) in ("Model", "Sequential") for q in cls.external_bases())
