"""What ``parameters()`` and ``named_parameters()`` give, freezing through them, a layer's ``weight`` and
``bias`` tied to another layer's or normalized (a mixin of TorchFrontEnd).

``parameters()`` yields a group per layer holding parameters, ``named_parameters()`` one per weight and bias
(named as PyTorch names them), so that ``requires_grad_(False)`` on some of a layer's parameters is told apart
from freezing the whole layer.
"""

from __future__ import annotations

from ... import dims
from ...engine.conv import Conv
from ...evaluator.plugin import NOT_HANDLED
from ...evaluator.values import Unknown
from ...graph import Tensor, Weights
from ..base import LayerObject
from .layers import TORCH, conv_attribute
from .models import GroupMethod, ParameterGroup, ParameterTensor
from .tensors import parameter_shape


#: weight normalizations: name -> whether the layer gains parameters (weight_norm's magnitude) or keeps its
#: own (spectral_norm's weight, renamed; its power-iteration vectors are buffers)
NORMALIZED_WEIGHTS = {"utils.spectral_norm": False, "utils.parametrizations.spectral_norm": False,
                      "utils.weight_norm": True, "utils.parametrizations.weight_norm": True}


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

    def layer_parameter(self, layer: LayerObject, name: str, site):
        """``layer.weight``/``layer.bias``: the parameter (not the constructor's ``bias=True``), remembered
        as the layer's so that tying it to another layer counts it once."""
        value = self.stored_attribute(layer, name)
        if value is NOT_HANDLED:
            shape = parameter_shape(layer.engine.type_name, name, layer.kwargs)
            if shape is None:
                return Unknown(f"{layer.engine.type_name}.{name}: cnnlint does not know its shape", site)
            value = Tensor(shape) if shape else None  # () : a layer built without that parameter
        if isinstance(value, Tensor):
            self._parameters_read[id(value)] = (value, layer, name)
        return value

    def normalized_weight(self, layer: LayerObject, magnitude: bool, args, kwargs, site):
        """``spectral_norm(layer)``/``weight_norm(layer, name="weight", dim=0)``: the same layer and forward;
        weight_norm splits the parameter into a direction of its shape and a magnitude, one per slice along
        ``dim`` (one in all for ``dim=None`` or -1, as PyTorch's norm_except_dim reads it)."""
        if not magnitude:
            return layer
        name = kwargs.get("name", args[0] if args else "weight")
        dim = kwargs.get("dim", args[1] if len(args) > 1 else 0)
        parameter = self.layer_parameter(layer, name, site) if isinstance(name, str) else None
        declared = layer.engine.declared
        if (not isinstance(parameter, Tensor) or declared is None or not (dim is None or type(dim) is int)
                or not all(isinstance(d, int) for d in parameter.shape)
                or dim is not None and not -len(parameter.shape) <= dim < len(parameter.shape)):
            return Unknown(f"weight_norm() of {layer.engine.type_name}: the size of its magnitude is not known", site)
        size = 1 if dim in (None, -1) else parameter.shape[dim]
        layer.engine.declared = Weights(dims.add(declared.trainable, size), declared.non_trainable)
        return layer

    def pretrained_embedding(self, interp, args, kwargs, site):
        """``nn.Embedding.from_pretrained(embeddings, freeze=True, padding_idx=...)``: an embedding of the
        matrix's shape, its weight frozen unless ``freeze=False``."""
        embeddings = args[0] if args else kwargs.get("embeddings")
        freeze = kwargs.get("freeze", args[1] if len(args) > 1 else True)
        shape = getattr(embeddings, "shape", None)
        if not isinstance(embeddings, Tensor) or shape is None or len(shape) != 2 or not all(
                isinstance(d, int) for d in shape):
            return Unknown("Embedding.from_pretrained(): the shape of the embeddings is not known", site)
        options = {k: v for k, v in kwargs.items() if k not in ("embeddings", "freeze")}
        layer = self.build_layer(interp, TORCH, "Embedding", list(shape), options, site, "torch.nn.Embedding")
        layer.engine.trainable = not freeze if isinstance(freeze, bool) else None
        return layer

    def assign_parameter(self, interp, layer: LayerObject, name: str, value) -> None:
        """``layer.weight = ...``: another layer's parameter (``decoder.weight = encoder.weight``: tied, which
        PyTorch's ``parameters()`` yields once), a new ``nn.Parameter`` of the same shape (frozen or not as it
        was made: pretrained embeddings given ``requires_grad=False``), or None (the parameter removed).  A
        parameter of another shape, or one cnnlint cannot size, leaves the layer's count unknown."""
        own = self.layer_parameter(layer, name, None)
        size = dims.product(own.shape) if isinstance(own, Tensor) and all(
            isinstance(d, int) for d in own.shape) else None
        owner = self._parameters_read.get(id(value), (None, None))[1]
        declared = layer.engine.declared
        if owner is layer:
            return
        if size is not None and owner is not None and own.shape == value.shape:
            layer.engine.shared = {**layer.engine.shared, name: (owner.engine, size)}
            return
        names = self.parameter_names(interp, layer) if size is not None else None
        if isinstance(value, ParameterTensor) and names is not None and own.shape == value.shape:
            made = value.layer  # nn.Parameter(data, requires_grad=False) is declared non-trainable
            self.set_trainable(ParameterGroup(layer.engine, name, names),
                               made.trainable if made.declared.non_trainable == 0 else False)
            return
        if value is None and size is not None and declared is not None:
            layer.engine.declared = Weights(dims.sub(declared.trainable, size), declared.non_trainable)
            return
        layer.engine.declared = Weights(None, None)
        self._replaced[id(layer.engine)] = f"{layer.engine.type_name}.{name} is replaced by a parameter cnnlint cannot size"

    def freeze_parameter(self, interp, tensor: Tensor, flag) -> None:
        """``layer.weight.requires_grad = flag`` on a parameter read from a layer."""
        _, layer, parameter = self._parameters_read[id(tensor)]
        names = self.parameter_names(interp, layer)
        if names is None:
            layer.engine.trainable = None if flag is not layer.engine.trainable else flag
        else:
            self.set_trainable(ParameterGroup(layer.engine, parameter, names), flag)

    @staticmethod
    def stored_attribute(layer: LayerObject, name: str):
        """An attribute the layer keeps in a form of its own (a convolution's sizes as tuples, its weight)."""
        if isinstance(layer.engine, Conv):
            return conv_attribute(layer.engine, layer.kwargs, name)
        return NOT_HANDLED
