"""PyTorch model values in the analysed code: torch names, nn.Module classes, containers, parameters, bound methods."""

from __future__ import annotations

import functools
from typing import Optional

from ...engine.core import Parameter
from ...evaluator.values import Class, Function, Ref
from ...graph import Tensor
from ..base import FrameworkMethod


@functools.lru_cache(maxsize=4096)
def torch_name(qualname: str) -> tuple:
    """('nn', 'Conv2d'), ('F', 'relu'), ('torch', 'cat'), ('init', ...) or ('', '')."""
    if not qualname.startswith("torch."):
        return "", ""
    rest = qualname[len("torch."):]
    if rest.startswith("nn.functional."):
        return "F", rest[len("nn.functional."):]
    if rest.startswith("nn.init."):
        return "init", rest[len("nn.init."):]
    if rest.startswith("nn.modules."):
        parts = rest.split(".")
        return ("nn", parts[3]) if len(parts) == 4 else ("nn", ".".join(parts[3:]))
    if rest == "nn.parameter.Parameter":
        return "nn", "Parameter"
    if rest.startswith("nn."):
        return "nn", rest[len("nn."):]
    return "torch", rest


#: what torchvision.models holds besides models: weights enums and the registry's queries
_TORCHVISION_NOT_MODELS = ("Weights", "WeightsEnum", "list_models", "get_model_weights", "get_weight")


def library_model(qualname: str) -> bool:
    """A call into a model zoo whose source cnnlint does not read: what it returns is a model, reported with
    unknown counts rather than dropped (``net = torchvision.models.resnet18(pretrained=True)``)."""
    head, _, last = qualname.rpartition(".")
    if qualname.startswith("torchvision.models."):
        return not any(part.endswith(_TORCHVISION_NOT_MODELS) for part in qualname.split(".")[2:])
    if head == "transformers" or head.startswith("transformers."):
        owner = head.rsplit(".", 1)[-1]
        return (last in ("from_pretrained", "from_config") and ("Model" in owner or "For" in owner)
                and not owner.startswith(("TF", "Flax")))
    return (qualname in ("timm.create_model", "torch.hub.load", "segmentation_models_pytorch.create_model",
                         "efficientnet_pytorch.EfficientNet.from_name",
                         "efficientnet_pytorch.EfficientNet.from_pretrained")
            or (head == "segmentation_models_pytorch" and last[:1].isupper()))


#: nn.Module methods that return the module itself
MODULE_SELF = {"to", "cuda", "cpu", "eval", "train", "double", "float", "half", "apply",
               "share_memory", "type", "zero_grad", "bfloat16"}
CONTAINERS = ("Sequential", "ModuleList", "ModuleDict")
#: containers of parameters: modules holding their parameters, which they make of plain tensors
PARAMETER_CONTAINERS = ("ParameterList", "ParameterDict")
#: containers iterated by their names
DICT_CONTAINERS = ("ModuleDict", "ParameterDict")
#: what a container subclass inherits beyond nn.Module's methods (any other name is an AttributeError)
CONTAINER_METHODS = frozenset({"append", "extend", "insert", "pop", "keys", "values", "items", "update", "clear",
                               "index", "count"})
#: the methods every nn.Module has (an inherited attribute of another name is not a method)
MODULE_METHODS = frozenset({
    "__call__", "__init__", "_apply", "_call_impl", "_get_name", "_load_from_state_dict", "_named_members",
    "_save_to_state_dict", "_slow_forward", "_wrapped_call_impl", "add_module", "apply", "bfloat16", "buffers",
    "children", "compile", "cpu", "cuda", "double", "eval", "extra_repr", "float", "forward", "get_buffer",
    "get_extra_state", "get_parameter", "get_submodule", "half", "ipu", "load_state_dict", "modules", "mtia",
    "named_buffers", "named_children", "named_modules", "named_parameters", "parameters", "register_backward_hook",
    "register_buffer", "register_forward_hook", "register_forward_pre_hook", "register_full_backward_hook",
    "register_full_backward_pre_hook", "register_load_state_dict_post_hook", "register_load_state_dict_pre_hook",
    "register_module", "register_parameter", "register_state_dict_post_hook", "register_state_dict_pre_hook",
    "requires_grad_", "set_extra_state", "set_submodule", "share_memory", "state_dict", "to", "to_empty", "train",
    "type", "xpu", "zero_grad"})

SCRIPT_MODULES = frozenset({"torch.jit.ScriptModule", "torch.jit._script.ScriptModule"})
#: Lightning's module is an nn.Module with training hooks: its forward is the model's (``self(x)`` in training_step)
LIGHTNING_MODULES = frozenset({"lightning.LightningModule", "lightning.pytorch.LightningModule",
                               "pytorch_lightning.LightningModule", "lightning.pytorch.core.LightningModule",
                               "pytorch_lightning.core.LightningModule",
                               "lightning.pytorch.core.module.LightningModule",
                               "pytorch_lightning.core.module.LightningModule"})
#: TorchScript's decorators leave the function as it is written
SCRIPT_DECORATORS = frozenset({"jit.script_method", "jit.export", "jit.ignore", "jit.unused", "jit._script.script_method"})


#: nn.Module's methods that register a submodule, parameter or buffer -> their parameters' names
REGISTER = {"add_module": ("name", "module"), "register_module": ("name", "module"),
            "register_parameter": ("name", "param"), "register_buffer": ("name", "tensor")}


def registration(method: str, args, kwargs) -> list:
    """The (name, value) a registering method is given, by position or by keyword (``add_module(name=...,
    module=...)``)."""
    found = list(args[:2])
    for param in REGISTER[method][len(found):]:
        if param not in kwargs:
            break
        found.append(kwargs[param])
    return found



def is_module_class(cls) -> bool:
    return isinstance(cls, Class) and torch_base(cls) is not None


def torch_base(cls: Class) -> Optional[str]:
    """The torch.nn class a user class derives from ('Module', 'Sequential'...), if any."""
    if "torch_base" not in cls.derived:
        cls.derived["torch_base"] = _torch_base(cls)
    return cls.derived["torch_base"]


def _torch_base(cls: Class) -> Optional[str]:
    for base in cls.mro():
        if isinstance(base, Ref):
            if base.qualname in SCRIPT_MODULES or base.qualname in LIGHTNING_MODULES:  # both are nn.Modules
                return "Module"
            space, name = torch_name(base.qualname)
            if space == "nn" and name[:1].isupper() and "." not in name:
                return name
    return None


def runnable(cls) -> bool:
    """A module class that can be called: it defines forward, or is an nn.Sequential."""
    return is_module_class(cls) and (isinstance(cls.lookup("forward"), Function) or torch_base(cls) == "Sequential")


class ModuleContainer:
    """``nn.Sequential``, ``nn.ModuleList``, ``nn.ModuleDict``, ``nn.ParameterList`` or ``nn.ParameterDict``:
    named children in order."""

    mutable_fields = ("children",)

    def __init__(self, kind: str, site, children: Optional[dict] = None):
        self.kind = kind
        self.site = site
        self.children: dict = dict(children or {})

    def items(self) -> list:
        return list(self.children.values())

    def deep_copy(self, copy, memo: dict) -> "ModuleContainer":
        """``copy.deepcopy``: the same kind of container, holding copies of its modules."""
        new = memo[id(self)] = ModuleContainer(self.kind, self.site)
        new.children = {k: copy(v) for k, v in self.children.items()}
        return new

    def __repr__(self):
        return f"{self.kind}({len(self.children)})"


class ParameterTensor(Tensor):
    """An ``nn.Parameter``: a tensor in the code, parameters in the count."""

    __slots__ = ("layer", "site")

    def __init__(self, shape, layer: Parameter, site=None):
        super().__init__(shape)
        self.layer = layer
        self.site = site

    def joined(self, other: Tensor):
        """Two paths' parameters stand for each other when they count the same; a parameter and a
        plain tensor never do (one path would hold parameters the other does not)."""
        same = (type(other) is ParameterTensor and other.shape == self.shape and self.shape is not None
                and (self.layer.declared, self.layer.trainable) == (other.layer.declared, other.layer.trainable))
        return self if same else None

    def deep_copy(self, copy, memo: dict) -> "ParameterTensor":
        """``copy.deepcopy``: a parameter of the same shape, counted on its own."""
        layer = Parameter(self.layer.framework, "Parameter", shape=self.shape,
                          trainable=not self.layer.declared.non_trainable)
        new = memo[id(self)] = ParameterTensor(self.shape, layer, self.site)
        return new


class ParameterGroup:
    """What ``module.parameters()`` yields, one per layer holding parameters: setting ``requires_grad``
    freezes the layer's parameters.  ``named_parameters()`` yields one per parameter of the layer: ``name``
    is its own (``weight``), ``names`` all the layer's, so that freezing some of them is told apart."""

    __slots__ = ("layer", "name", "names")

    def __init__(self, layer, name: Optional[str] = None, names: tuple = ()):
        self.layer = layer
        self.name = name
        self.names = names


class GroupMethod(FrameworkMethod):
    """``p.requires_grad_(False)`` on what ``parameters()``/``named_parameters()`` yields."""

    __slots__ = ()


class TensorMethod(FrameworkMethod):
    """``x.view``, ``x.size``..."""

    __slots__ = ()


class ModuleMethod(FrameworkMethod):
    """A method an nn.Module inherits from torch (``self.add_module``, ``super().forward``)."""

    __slots__ = ()


class ContainerMethod(FrameworkMethod):
    """``layers.append``, ``blocks.items``... of a Sequential, ModuleList or ModuleDict."""

    __slots__ = ()
