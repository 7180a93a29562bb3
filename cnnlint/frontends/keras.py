"""Keras front end: Sequential models (and the tensors of keras.Input)."""

from __future__ import annotations

import re
from typing import Optional

from .. import dims
from ..evaluator.interpreter import NOT_HANDLED, Budget
from ..evaluator.values import Unknown, first_unknown
from ..graph import ModelGraph, Tensor
from .base import Candidate, FrontEnd, LayerObject
from .keras_layers import KERAS

BATCH = dims.Expr.symbol("batch")
_PREFIXES = ("tensorflow.keras.", "tensorflow.python.keras.", "tf_keras.", "keras.src.", "keras.")
_MODEL_METHODS_IGNORED = {
    "compile", "fit", "evaluate", "predict", "summary", "save", "save_weights", "load_weights", "train_on_batch",
    "test_on_batch", "predict_on_batch", "get_config", "to_json", "count_params", "get_weights", "set_weights",
    "fit_generator", "export",
}


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
                return _shape_tuple(kw["input_shape"])
            if "batch_input_shape" in kw:
                shape = _shape_tuple(kw["batch_input_shape"])
                return shape[1:] if shape else None
            if "input_dim" in kw and isinstance(kw["input_dim"], int):
                return (kw["input_dim"],)
        if isinstance(first, KerasSequential):
            return first.declared_input()
        return None

    def layers(self) -> list:
        return [item for item in self.items if not isinstance(item, Tensor)]


def _shape_tuple(value) -> Optional[tuple]:
    if isinstance(value, int):
        value = (value,)
    if not isinstance(value, (list, tuple)) or first_unknown(list(value)) is not None:
        return None
    if not all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in value):
        return None
    return tuple(value)


class KerasFrontEnd(FrontEnd):
    framework = "keras"

    def call_value(self, interp, func, args, kwargs, site):
        from ..evaluator.values import Ref

        if isinstance(func, Ref):
            symbol = keras_symbol(func.qualname)
            if symbol is None:
                return NOT_HANDLED
            return self.call_keras(interp, func.qualname, symbol, args, kwargs, site)
        if isinstance(func, LayerObject) and func.frontend is self:
            return self.apply_to(interp, func, args, site)
        if isinstance(func, KerasSequential):
            return self.apply_sequential(interp, func, args[0] if args else None, site)
        if isinstance(func, _BoundModelMethod):
            return func.call(interp, args, kwargs, site)
        return NOT_HANDLED

    def call_keras(self, interp, qualname, symbol, args, kwargs, site):
        if symbol == "Sequential":
            model = KerasSequential(site, kwargs.get("name") if isinstance(kwargs.get("name"), str) else "")
            layers = args[0] if args else kwargs.get("layers")
            if isinstance(layers, (list, tuple)):
                model.items.extend(layers)
            elif layers is not None:
                interp.trace.stop(f"the layers of Sequential could not be determined{interp.where(site)}", site)
                model.items.append(self.unknown_layer("Sequential(layers=...)", site, {}))
            return model
        if symbol == "Input":
            return self.input_tensor(args, kwargs)
        if symbol == "InputLayer":
            shape = kwargs.get("input_shape", kwargs.get("shape", args[0] if args else None))
            return self.input_tensor((shape,), {})
        if symbol in KERAS:
            return self.make_layer(interp, KERAS, symbol, args, kwargs, site, qualname)
        if ".layers." in qualname and symbol[:1].isupper():
            return self.unknown_layer(qualname, site, kwargs)
        return NOT_HANDLED

    def input_tensor(self, args, kwargs) -> Tensor:
        shape = kwargs.get("shape", args[0] if args else None)
        batch_shape = kwargs.get("batch_shape")
        if batch_shape is not None:
            full = _shape_tuple(batch_shape)
            return Tensor(None if full is None else (BATCH,) + full[1:])
        shape = _shape_tuple(shape) if shape is not None else None
        return Tensor(None if shape is None else (BATCH,) + shape)

    def apply_to(self, interp, obj: LayerObject, args, site):
        if not args:
            return Unknown(f"{obj.engine.type_name} called without inputs", site)
        inputs = args[0]
        tensors = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        return self.apply_layer(interp, obj, tensors, site)

    def apply_sequential(self, interp, model: KerasSequential, x, site, names: Optional[dict] = None):
        """Apply the layers in order; a nested Sequential's rows are indented."""
        nested = names is not None
        names = names if nested else {}
        interp.trace.depth += nested
        try:
            for item in model.items:
                if isinstance(item, Tensor):
                    continue
                if isinstance(x, Unknown) or not isinstance(x, Tensor):
                    return x
                if isinstance(item, KerasSequential):
                    x = self.apply_sequential(interp, item, x, site, names)
                elif isinstance(item, LayerObject):
                    label = item.name or _auto_name(item.engine.type_name, names)
                    x = self.apply_layer(interp, item, [x], item.site, label)
                else:
                    reason = getattr(item, "reason", "a Sequential item cnnlint does not know")
                    interp.trace.stop(f"{reason}", getattr(item, "site", None) or model.site)
                    return Unknown(reason, site)
            return x
        finally:
            interp.trace.depth -= nested

    def get_attr(self, interp, obj, name, site):
        if isinstance(obj, KerasSequential):
            if name in ("add", "build", "pop") or name in _MODEL_METHODS_IGNORED:
                return _BoundModelMethod(obj, name)
            if name == "layers":
                return obj.layers()
            return Unknown(f"Sequential.{name} is not modelled", site)
        if isinstance(obj, Tensor) and name == "shape" and obj.shape is not None:
            return tuple(obj.shape)
        return NOT_HANDLED

    def candidates(self, interp) -> list:
        found, seen = [], set()
        for name, value in interp.globals.vars.items():
            if isinstance(value, KerasSequential) and id(value) not in seen:
                seen.add(id(value))
                found.append(Candidate(value.name or name, value, value.site, self.framework,
                                       declared_input=value.declared_input()))
        return found

    def trace(self, interp, candidate: Candidate, input_shape) -> ModelGraph:
        model: KerasSequential = candidate.value
        graph = ModelGraph(candidate.name, self.framework, candidate.site)
        if input_shape is not None:
            x = Tensor((BATCH,) + tuple(input_shape))
        else:
            x = Tensor(self.symbolic_input(model))
        with interp.tracing(Budget()) as trace:
            out = self.apply_sequential(interp, model, x, model.site)
        graph.inputs = [x]
        graph.outputs = [out] if isinstance(out, Tensor) else [Tensor(None)]
        graph.nodes = trace.nodes
        graph.stopped = trace.stopped
        graph.layers = _unique_layers(trace.nodes)
        return graph

    def symbolic_input(self, model: KerasSequential):
        """Without a declared input: the rank the first layer needs, sizes unknown."""
        first = next((item for item in model.items if isinstance(item, LayerObject)), None)
        rank = getattr(first.engine, "rank", None) if first is not None else None
        if rank is None:
            return None
        names = {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}[rank]
        return (BATCH,) + tuple(dims.Expr.symbol(n) for n in names) + (None,)


class _BoundModelMethod:
    def __init__(self, model: KerasSequential, name: str):
        self.model = model
        self.name = name

    def call(self, interp, args, kwargs, site):
        model = self.model
        if self.name == "add" and args:
            model.items.append(args[0])
        elif self.name == "pop" and model.items:
            return model.items.pop()
        elif self.name == "build":
            shape = _shape_tuple(args[0] if args else kwargs.get("input_shape"))
            if shape is not None:
                model.build_shape = shape[1:]
        return None


def _auto_name(type_name: str, used: dict) -> str:
    base = snake_case(type_name)
    count = used.get(base, 0)
    used[base] = count + 1
    return base if count == 0 else f"{base}_{count}"


def _unique_layers(nodes) -> list:
    seen, layers = set(), []
    for node in nodes:
        if node.is_layer and id(node.layer) not in seen:
            seen.add(id(node.layer))
            layers.append(node.layer)
    return layers
