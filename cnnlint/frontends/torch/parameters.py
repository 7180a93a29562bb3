"""What ``parameters()`` and ``named_parameters()`` give, and freezing through them (a mixin of TorchFrontEnd).

``parameters()`` yields a group per layer holding parameters, ``named_parameters()`` one per weight and bias
(named as PyTorch names them), so that ``requires_grad_(False)`` on some of a layer's parameters is told apart
from freezing the whole layer.
"""

from __future__ import annotations

from ... import dims
from ...evaluator.values import Unknown
from ...graph import Tensor
from ..base import LayerObject
from .models import GroupMethod, ParameterGroup, ParameterTensor


class ParameterAccess:
    def parameters(self, module, name: str, args, kwargs):
        """``module.parameters()``: a group per layer holding parameters; ``module.requires_grad_(flag)``."""
        layers = []
        for _, m in [("", module)] + self.walk(module):
            if isinstance(m, LayerObject):
                layers.append(m.engine)
            elif isinstance(m, ParameterTensor):
                layers.append(m.layer)
            elif id(m) in self._base_layers:
                layers.append(self._base_layers[id(m)][1].engine)
        layers = [layer for layer in layers if layer.declared is None or layer.declared.total != 0]
        if name == "parameters":
            return [ParameterGroup(layer) for layer in layers]
        flag = args[0] if args else kwargs.get("requires_grad", True)
        for layer in layers if isinstance(flag, bool) else ():
            layer.trainable = flag
        return module

    def named_parameters(self, interp, module, site):
        """``module.named_parameters()``: (dotted name, parameter) for each weight and bias of its layers and
        each ``nn.Parameter``; unknown when a layer holds parameters cnnlint cannot name."""
        found = []
        for path, m in [("", module)] + self.walk(module):
            if isinstance(m, ParameterTensor):
                found.append((path, ParameterGroup(m.layer)))
                continue
            obj = m if isinstance(m, LayerObject) else self._base_layers.get(id(m), (None, None))[1]
            if obj is None or (obj.engine.declared is not None and obj.engine.declared.total == 0):
                continue
            names = self.parameter_names(interp, obj)
            if names is None:
                return Unknown(f"named_parameters(): the parameters of {obj.engine.type_name} have names cnnlint "
                               "does not know", site)
            found += [(f"{path}.{n}" if path else n, ParameterGroup(obj.engine, n, names)) for n in names]
        return found

    def parameter_names(self, interp, layer: LayerObject):
        """The names of a layer's parameters, when its weight and bias are all it holds."""
        names, total = [], 0
        for name in ("weight", "bias"):
            value = self.get_attr(interp, layer, name, None)
            if value is None:
                continue
            if not isinstance(value, Tensor) or value.shape is None or not all(
                    isinstance(d, int) for d in value.shape):
                return None
            names.append(name)
            total += dims.product(value.shape) if value.shape else 1
        declared = layer.engine.declared
        return tuple(names) if declared is not None and declared.total == total else None

    def set_trainable(self, group: ParameterGroup, flag) -> None:
        """``requires_grad`` set on a layer's parameters, or on one of them: a layer frozen in part, or by
        a flag cnnlint cannot compute, has unknown trainable counts."""
        layer, flag = group.layer, flag if isinstance(flag, bool) else None
        if group.name is None:
            layer.trainable = flag
            self._parts.pop(id(layer), None)
            return
        parts = self._parts.setdefault(id(layer), dict.fromkeys(group.names, layer.trainable))
        parts[group.name] = flag
        states = set(parts.values())
        layer.trainable = states.pop() if len(states) == 1 else None

    def call_group_method(self, interp, method: GroupMethod, args, kwargs, site):
        self.set_trainable(method.receiver, args[0] if args else kwargs.get("requires_grad", True))
        return method.receiver
