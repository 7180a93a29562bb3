"""What a Keras model's containers hold, for the module-structure rules (a layer placed twice).

Keras tracks layers kept in lists, tuples and dicts, so every held layer counts as registered; the
facts matter where one layer object is placed several times (its weights are shared).
"""

from __future__ import annotations

from typing import Callable

from ... import dims
from ...evaluator.values import Instance
from ...graph import HeldModule, ModuleAttribute
from ..base import LayerObject
from .models import KerasFunctional, KerasSequential, is_keras_class


def _is_layer(value) -> bool:
    return isinstance(value, (LayerObject, KerasSequential, KerasFunctional)) or (
        isinstance(value, Instance) and is_keras_class(value.cls))


def _type_name(value) -> str:
    if isinstance(value, LayerObject):
        return value.engine.type_name
    if isinstance(value, KerasSequential):
        return "Sequential"
    return "Functional" if isinstance(value, KerasFunctional) else value.cls.name


def held_layers(model, graph, layers_inside: Callable) -> list:
    """ModuleAttributes of the Sequential itself and of the list/tuple/dict/Sequential attributes of the
    subclass instances in the model; layers_inside(value) gives the engine layers a value holds."""
    weights = graph.layer_weights()
    applied = {id(node.layer) for node in graph.nodes}

    def held(items) -> list:
        found = []
        for item in items:
            total, ran = 0, False
            for layer in layers_inside(item) or []:
                w = weights.get(id(layer))
                total = dims.add(total, w.total if w is not None else None)
                ran = ran or id(layer) in applied
            found.append(HeldModule(_type_name(item), total, id(item), True, ran))
        return found

    found, seen, stack = [], set(), [model]
    while stack:
        value = stack.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, KerasSequential):
            items = [v for v in value.layers() if _is_layer(v)]  # an item may be unknown
            found.append(ModuleAttribute("Sequential", value.name, "Sequential", held(items), True, value.site))
            stack.extend(items)
        elif isinstance(value, Instance) and is_keras_class(value.cls):
            for name, attr in value.attrs.items():
                if isinstance(attr, (list, tuple, dict)):
                    items = [v for v in (attr.values() if isinstance(attr, dict) else attr) if _is_layer(v)]
                    if items:
                        site = getattr(items[0], "site", None)
                        found.append(ModuleAttribute(value.cls.name, name, type(attr).__name__, held(items), True,
                                                     site))
                        stack.extend(items)
                elif _is_layer(attr):
                    stack.append(attr)
    return found
