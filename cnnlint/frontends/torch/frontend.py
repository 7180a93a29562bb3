"""PyTorch front end: ``nn.Sequential`` and ``nn.Module`` subclasses.

Modules are built by running the analysed ``__init__`` in the interpreter;
a model is traced by running its ``forward`` on an abstract tensor.  Module
calls, functional ops and tensor methods become graph nodes; parameters are
counted over the registered module tree, as ``model.parameters()`` does.
The traced graph is the inference one: ``self.training`` is False, as after
``model.eval()``, and the code runs as eager Python (not scripted or traced).
Without a declared input the first layer gives the channels, the spatial
sizes stay symbolic and the sizes the code implies are solved for
(engine/implied.py).
"""

from __future__ import annotations

import inspect
import itertools

from ... import dims
from ...engine import layout
from ...engine.base import NO_WEIGHTS, InvalidArgument
from ...engine.core import Container, Opaque, Parameter
from ...engine.einops import Pack
from ...evaluator.budget import Budget, BudgetExceeded
from ...evaluator.plugin import NOT_HANDLED
from ...evaluator.values import (Absent, Class, Function, Instance, Partial, PlainUnknown, Ref, Super, Unknown,
                                 UnresolvedModel, describe, first_unknown)
from ...graph import (BATCH, BUILT_IN_FORWARD, IN_PLACE, LossUse, ModelGraph, Node, Problem, ProblemKind, Tensor,
                      input_shapes)
from ..base import (Candidate, FrameworkMethod, FrontEnd, LayerObject, defined_here, factory_results, factory_skipped,
                    module_values, tensors_in)
from ..signatures import bind_arguments
from .einops_layers import EINOPS
from .layers import CALLS, FUNCTIONAL, FUNCTIONAL_ONLY, TORCH, shape_keeping, tensor_sizes, unknown_only_in_sizes
from .loss_links import LOSS_FUNCTIONS, LOSS_MODULES, link_losses_in_code, returned_parts
from . import lightning
from .models import (CONTAINER_METHODS, CONTAINERS, LIGHTNING_MODULES, MODULE_METHODS, MODULE_SELF, REGISTER,
                     SCRIPT_DECORATORS, DICT_CONTAINERS, PARAMETER_CONTAINERS, ContainerMethod, GroupMethod,
                     ModuleContainer, ModuleMethod, ParameterGroup, ParameterTensor, TensorMethod, is_module_class,
                     library_model, registration, runnable, torch_base, torch_name)
from .pytypes import names_of, stand_in
from .attributes import may_have
from .containers import ContainerCalls
from .implied_input import ImpliedInput, SpecFound
from .parameters import NORMALIZED_WEIGHTS, ParameterAccess
from .registrations import RegistrationScan
from .structure import ModuleFacts
from .tensors import (CASTS, CREATION, EXTREMES, LIKE, MAX_PIECES, NEW, OPERATOR_NAMES, OTHER_FLOATS, PLACEMENT,
                      RANGES, SPLITS, Device, KnownTensor, TensorType, binary_values, cast_kind, created, extreme,
                      forget_values, from_data, keeps_values, result_kind, unary_values,
                      function_values, item_values, meshgrid, method_values, piece_values, ranged,
                      spaced_despite_unknowns, split)

FRAMEWORK = "torch"
#: tensor methods and torch functions that return their input unchanged in shape
PASSTHROUGH = {"contiguous", "clone", "detach", "float", "double", "half", "bfloat16", "to", "cpu", "cuda",
               "type_as", "requires_grad_", "long", "int", "bool", "type", "data"}
#: the old autograd wrapper: the tensor itself
VARIABLE = {"autograd.Variable", "autograd.variable.Variable"}
RESHAPE_IN_PLACE = {"resize_", "resize_as_", "squeeze_", "unsqueeze_", "transpose_", "t_", "swapaxes_", "swapdims_",
                    "as_strided_", "set_"}
#: "is this code being scripted, traced or exported?": the analysed code runs as plain eager Python
EAGER_CHECKS = {"jit.is_scripting", "jit.is_tracing", "_C._get_tracing_state", "onnx.is_in_onnx_export",
                "compiler.is_compiling", "_dynamo.is_compiling"}
#: the old autograd wrapper: the tensor itself
VARIABLE = {"autograd.Variable", "autograd.variable.Variable"}
COMPARISONS = {"Equal", "NotEqual", "LessThan", "LessThanEqual", "GreaterThan", "GreaterThanEqual"}
COMPARISON_METHODS = {"eq": "Equal", "ne": "NotEqual", "lt": "LessThan", "le": "LessThanEqual", "gt": "GreaterThan",
                      "ge": "GreaterThanEqual"}
OPERATORS = {"Add": "add", "Subtract": "sub", "Multiply": "mul", "Divide": "div", "FloorDivide": "floor_divide",
             "Modulo": "remainder", "Power": "pow", "MatrixMultiply": "matmul"}




#: the arguments of einops' functions that are not axis lengths: an unknown one leaves nothing to follow (an
#: unknown axis length is an axis of unknown size)
_EINOPS_VALUES = ("tensor", "tensors", "pattern", "reduction", "packed_shapes")
#: wrappers that run their module on several devices: to count and shape, the module itself
DATA_PARALLEL = {"DataParallel", "parallel.DataParallel", "parallel.DistributedDataParallel",
                 "DistributedDataParallel", "parallel.data_parallel.DataParallel"}

def _required_parameters(fn) -> list:
    """Parameters without a default (self included, for a method)."""
    params = fn.node.params
    positional = list(params.posonly_params) + list(params.params)
    return [p.name.value for p in positional + list(params.kwonly_params) if p.default is None]


def _label(path: str, type_name: str) -> str:
    """The name messages use: the attribute path, with the type for Sequential indices."""
    return f"{type_name} ({path})" if path.rsplit(".", 1)[-1].isdigit() else path


AUTOGRAD_FUNCTIONS = frozenset({"torch.autograd.Function", "torch.autograd.function.Function"})


class TorchFrontEnd(ImpliedInput, ModuleFacts, ParameterAccess, ContainerCalls, FrontEnd):
    framework = FRAMEWORK

    def owns(self, qualname: str) -> bool:
        """All of torch (and einops, whose layers and functions work on torch tensors) is modelled here
        (or unknown), never read from its source."""
        return qualname in ("torch", "einops") or qualname.startswith(("torch.", "einops."))

    def __init__(self):
        self._paths: dict = {}  # id(module) -> its path in the model being traced
        self._rows: dict = {}  # id(module) -> (module, the Container layer of its summary rows)
        self._examples: dict = {}  # id(model) -> (model, input shape it is called with in the file)
        self._signatures: dict = {}
        #: id(instance) -> (instance, LayerObject): user classes deriving from a torch layer (class
        #: LayerNorm2d(nn.LayerNorm)) hold that layer's parameters and constructor arguments
        self._base_layers: dict = {}
        self._unnamed = itertools.count(1)  # names add_module got that cnnlint cannot compute
        self._parts: dict = {}  # id(layer) -> {parameter name: requires_grad} for layers frozen one parameter at a time
        #: id(tensor) -> (tensor, layer, parameter name) for each ``layer.weight``/``layer.bias`` read: which
        #: layer's parameter a value is, when the code ties it to another layer or freezes it
        self._parameters_read: dict = {}
        #: id(engine layer) -> why its count is unknown: a parameter of it replaced by one cnnlint cannot size
        self._replaced: dict = {}
        self._tracing = False
        self._probing = False  # looking only for the first layer that declares its input size
        self._built_in_trace: set = set()  # ids of engine layers constructed while a model ran
        self._model_outputs: dict = {}  # id(tensor) -> (tensor, model) for models called in the file's own code
        self._losses: dict = {}  # id(model) -> [LossUse] applied to its output
        self._words = None  # (interp, identifiers in the file, attribute names assigned): what names are read
        self._device = Device()  # the one device the file's tensors are taken to live on

    def registered_name(self, name) -> str:
        """The name ``add_module`` registers under; one cnnlint cannot compute is a name of its own, never
        another module's (which would replace it), numbered within the file so that its result does not
        depend on the files analysed before it."""
        if isinstance(name, (str, int)) and not isinstance(name, bool):
            return str(name)
        return f"<name {next(self._unnamed)} cnnlint cannot compute>"

    # == what is a module ==============================================================
    def is_module(self, value) -> bool:
        return ((isinstance(value, LayerObject) and value.frontend is self) or isinstance(value, ModuleContainer)
                or (isinstance(value, Instance) and is_module_class(value.cls)))

    def is_model(self, value) -> bool:
        if isinstance(value, ModuleContainer):
            return value.kind == "Sequential"
        return isinstance(value, Instance) and runnable(value.cls)

    def children(self, value) -> list:
        """(name, child) registered on a module: submodules and parameters, in order."""
        if isinstance(value, ModuleContainer):
            self.make_unknown_opaque(value.children, value.site)
            return [(name, v) for name, v in value.children.items()
                    if self.is_module(v) or isinstance(v, ParameterTensor)]
        if isinstance(value, Instance) and is_module_class(value.cls):
            return [(name, v) for name, v in value.attrs.items()
                    if self.is_module(v) or isinstance(v, ParameterTensor)]
        return []

    def container_view(self, value):
        """A subclass of Sequential/ModuleList/ModuleDict seen as its container of submodules."""
        if isinstance(value, Instance) and is_module_class(value.cls) and torch_base(value.cls) in CONTAINERS:
            return ModuleContainer(torch_base(value.cls), value.site,
                                   {n: c for n, c in self.children(value) if not isinstance(c, ParameterTensor)})
        return value

    def walk(self, root) -> list:
        """(path, module) below root, depth first, each once: ``named_modules()`` plus parameters."""
        seen, found = {id(root)}, []

        def visit(value, prefix):
            for name, child in self.children(value):
                if id(child) in seen:
                    continue
                seen.add(id(child))
                found.append((prefix + name, child))
                visit(child, f"{prefix}{name}.")

        visit(root, "")
        return found

    # == interpreter hooks =============================================================
    def call_value(self, interp, func, args, kwargs, site):
        if isinstance(func, Ref):
            if func.qualname.startswith("einops."):
                return self.call_einops(interp, func.qualname, args, kwargs, site)
            if library_model(func.qualname) and interp.resolve(func) is None:  # not read from source either
                return UnresolvedModel(f"{func.qualname}() builds a model in a library whose source cnnlint does "
                                       "not read", site, self.framework)
            space, name = torch_name(func.qualname)
            if not space:
                return NOT_HANDLED
            return self.call_torch(interp, space, name, func.qualname, args, kwargs, site)
        if self.is_module(func):
            return self.call_module(interp, func, args, kwargs, site)
        if isinstance(func, FrameworkMethod):
            return self.call_method(interp, func, args, kwargs, site)
        return NOT_HANDLED

    def call_torch(self, interp, space, name, qualname, args, kwargs, site):
        if space == "torch" and name in SCRIPT_DECORATORS and len(args) == 1 and not kwargs:
            return args[0]
        if space == "init" or name.endswith(".__init__") or name == "_assert":
            return None
        if name in EAGER_CHECKS:
            return False
        if name == "jit.annotate" and len(args) == 2:
            return args[1]  # torch.jit.annotate(List[Tensor], []): the value, its type for TorchScript only
        if space == "nn":
            if name in DATA_PARALLEL and args and self.is_module(args[0]):
                return args[0]  # the same parameters and forward, on several devices
            if name == "Embedding.from_pretrained":
                return self.pretrained_embedding(interp, args, kwargs, site)
            if name in NORMALIZED_WEIGHTS and args and isinstance(args[0], LayerObject) and args[0].frontend is self:
                return self.normalized_weight(args[0], NORMALIZED_WEIGHTS[name], args[1:], kwargs, site)
            if name in ("Sequential", "ModuleList", "ModuleDict") or name in PARAMETER_CONTAINERS:
                return self.container(interp, name, args, kwargs, site)
            if name == "Parameter":
                return self.parameter(args, kwargs, site)
            if name in TORCH:
                obj = self.build_layer(interp, TORCH, name, args, kwargs, site, qualname)
                if self._tracing:
                    self._built_in_trace.add(id(obj.engine))
                return obj
            if name[:1].isupper() and "." not in name:
                return self.unknown_layer(qualname, site, kwargs)
            return NOT_HANDLED
        if space == "F" and name in LOSS_FUNCTIONS and args:
            self.loss_applied(args[0], name, site)
        unknown = first_unknown(list(args) + [v for k, v in kwargs.items() if k not in PLACEMENT])
        if unknown is not None and not (args and isinstance(args[0], Tensor) and shape_keeping(name)) and not (
                unknown_only_in_sizes(name, args, kwargs)) and not (
                space == "torch" and spaced_despite_unknowns(name, args, kwargs)):
            return unknown  # an op on a value cnnlint could not follow: why is said where it was lost
        value = function_values(name, args, kwargs)
        if value is not None:
            return value
        if name in FUNCTIONAL:
            return self.call_op(interp, name, args, kwargs, site)
        if space == "torch" and name in SPLITS and args and isinstance(args[0], Tensor):
            return split(name, args[0], args[1:], kwargs, site, self.cutter(interp, args[0], site))
        if space == "torch" and name in EXTREMES and args and isinstance(args[0], Tensor):
            return extreme(self, interp, name, args[0], args[1:], kwargs, site)
        if space == "torch" and name in CREATION | LIKE:
            return created(name, args, kwargs)
        if space == "torch" and name in ("tensor", "as_tensor", "from_numpy") and args:
            return from_data(args[0], kwargs, site)
        if space == "torch" and name in RANGES:
            return ranged(name, args, kwargs, site)
        if space == "torch" and name == "meshgrid":
            return meshgrid(args, kwargs, site)
        if space == "torch" and name in PASSTHROUGH | VARIABLE and args and isinstance(args[0], Tensor):
            return args[0]
        if any(isinstance(a, Tensor) for a in list(args) + list(kwargs.values())):
            return self.opaque_op(interp, qualname, args, site)
        return NOT_HANDLED

    def call_einops(self, interp, qualname, args, kwargs, site):
        """einops' layers (``einops.layers.torch.Rearrange``) and functions (``einops.rearrange``)."""
        name = qualname.rsplit(".", 1)[-1]
        if qualname.startswith("einops.layers.torch.") and name in EINOPS:
            obj = self.build_layer(interp, EINOPS, name, args, kwargs, site, qualname)
            if self._tracing:
                self._built_in_trace.add(id(obj.engine))
            return obj
        if qualname.startswith("einops.layers."):  # EinMix (weights), or another framework's layers
            return self.unknown_layer(qualname, site, kwargs) if ".torch." in qualname else NOT_HANDLED
        if name in EINOPS and name.islower():
            unknown = first_unknown(list(args) + [kwargs[k] for k in _EINOPS_VALUES if k in kwargs])
            out = unknown if unknown is not None else self.call_op(interp, name, args, kwargs, site, EINOPS)
            if name == "pack" and isinstance(out, Tensor):  # (packed, the shapes '*' stood for)
                layer = interp.trace.nodes[-1].layer
                if not isinstance(layer, Pack) or out.shape is None:
                    return out, Unknown("the packed shapes are not known", site)
                return out, [layer.starred(t) for t in (args[0] if args else kwargs.get("tensors"))]
            return list(out) if name == "unpack" and isinstance(out, tuple) else out
        return NOT_HANDLED

    def get_attr(self, interp, obj, name, site):
        if name == "__name__" and isinstance(obj, Ref) and self.stand_in(interp, obj) is not NOT_HANDLED:
            return torch_name(obj.qualname)[1]  # a torch class's own name (``norm_layer.__name__``)
        if isinstance(obj, Tensor):
            return self.tensor_attr(obj, name, site)
        if isinstance(obj, ParameterGroup) and name == "requires_grad_":
            return GroupMethod(obj, name)
        if isinstance(obj, ModuleContainer):
            if name in obj.children:
                return obj.children[name]
            if name == "_modules":  # the registered modules, in order
                return {key: child for key, child in obj.children.items() if not isinstance(child, ParameterTensor)}
            return ContainerMethod(obj, name)
        if isinstance(obj, LayerObject) and obj.frontend is self:
            if name in obj.attrs:
                return obj.attrs[name]
            if name in ("weight", "bias"):
                return self.layer_parameter(obj, name, site)
            stored = self.stored_attribute(obj, name)
            if stored is not NOT_HANDLED:
                return stored
            if name in obj.kwargs and not name.startswith("_"):
                return obj.kwargs[name]
            if name in ("parameters", "named_parameters", "requires_grad_"):
                return ModuleMethod(obj, name, obj.engine.type_name)
            if name == "forward":  # layer.forward(x): the call, without hooks
                return ModuleMethod(obj, "__call__", obj.engine.type_name)
            if obj.engine.type_name in TORCH.builders and not may_have(name):
                return Absent(f"torch.nn.{obj.engine.type_name} has no attribute '{name}'", site)
            return Unknown(f"{obj.engine.type_name}.{name} is not modelled", site)
        if isinstance(obj, Super) and isinstance(obj.owner, Class) and isinstance(obj.receiver, Instance):
            return self.super_attr(obj, name)
        if name == "_modules" and isinstance(obj, Instance) and is_module_class(obj.cls) and name not in obj.attrs:
            # the registered submodules, in order (``for m in self._modules.values()``)
            return {key: child for key, child in self.children(obj) if not isinstance(child, ParameterTensor)}
        if isinstance(obj, Instance) and id(obj) in self._base_layers and name not in obj.attrs:
            return self.base_layer_attr(interp, obj, name)
        return NOT_HANDLED

    def base_layer_attr(self, interp, instance: Instance, name: str):
        """What a subclass of a torch layer inherits: its constructor arguments, and tensors
        (``self.weight``) whose shapes cnnlint does not know — their parameters count with the layer."""
        if instance.cls.lookup(name) is not None:
            return NOT_HANDLED
        layer = self._base_layers[id(instance)][1]
        if name in ("weight", "bias") or name in layer.kwargs:  # the base layer's (timm's Linear: F.linear(x, self.weight))
            value = self.get_attr(interp, layer, name, None)
            return Tensor(None) if isinstance(value, Unknown) and name in ("weight", "bias") else value
        return NOT_HANDLED

    def super_attr(self, sup: Super, name: str):
        """``super().__init__(...)`` reaching torch's base class keeps the receiver."""
        mro = sup.owner.mro()
        for cls in mro[mro.index(sup.owner) + 1:]:
            if isinstance(cls, Class) and name in cls.attrs:
                return NOT_HANDLED
            if isinstance(cls, Ref):
                space, base = torch_name(cls.qualname)
                return ModuleMethod(sup.receiver, name, base) if space == "nn" else NOT_HANDLED
        return NOT_HANDLED

    def inherited_attr(self, interp, receiver, base, name, site):
        if base in AUTOGRAD_FUNCTIONS and name == "apply":
            # ``Swish.apply(x)`` runs the static ``forward(ctx, x)``; the context only keeps what backward needs
            cls = receiver.cls if isinstance(receiver, Instance) else receiver
            context = Instance(Class(None, "FunctionCtx", [], {}, interp))
            return Partial(interp.class_attr(cls, "forward", None, site), [context], {})
        if base in LIGHTNING_MODULES and name in ("save_hyperparameters", "hparams") and isinstance(receiver, Instance):
            return lightning.attribute(receiver, name)
        space, base_name = torch_name(base)
        if space != "nn" or not isinstance(receiver, Instance):
            return NOT_HANDLED
        if name == "training":
            return False  # the traced graph is the inference one, as after model.eval()
        if base_name in TORCH or name in MODULE_METHODS or (base_name in CONTAINERS and name in CONTAINER_METHODS):
            return ModuleMethod(receiver, name, base_name)
        # an attribute only annotated, or set by code cnnlint did not run: PyTorch raises AttributeError
        return Absent(f"{receiver.cls.name}.{name} is not set in this file", site)

    def binary_op(self, interp, op, a, b, site):
        modules = self.container_view(a) if op == "Add" else None
        if isinstance(modules, ModuleContainer) and modules.kind == "ModuleList":
            # modules + [more] (and modules += [more], which extends): a ModuleList of both
            b = self.container_view(b)
            more = b.items() if isinstance(b, ModuleContainer) else interp.iterate(b, site)
            if more is None:
                return Unknown(f"cannot add {type(b).__name__} to a ModuleList", site)
            return self.filled("ModuleList", modules.site,
                               {str(i): v for i, v in enumerate(modules.items() + list(more))})
        if not isinstance(a, Tensor) and not isinstance(b, Tensor):
            return NOT_HANDLED
        if type(site).__name__ == "AugAssign" and isinstance(a, KnownTensor):
            a.forget()  # x += y writes into x, which other names may share: its values are no longer followed
        elif op in OPERATOR_NAMES and (isinstance(a, KnownTensor) or isinstance(b, KnownTensor)):
            value = binary_values(OPERATOR_NAMES[op], a, b)
            if value is not None:
                return value
        if op in COMPARISONS:  # element by element, with a number: bools of the tensor's shape
            tensor, other = (a, b) if isinstance(a, Tensor) else (b, a)
            if isinstance(other, Tensor) or not isinstance(other, (int, float, bool, dims.Expr)):
                return Unknown(f"comparison {op} of a tensor and {type(other).__name__} is not modelled", site)
            return Tensor(tensor.shape, dtype="bool")
        if isinstance(a, Tensor) and isinstance(b, Tensor):
            if op not in OPERATORS:
                return Unknown(f"operator {op} on tensors is not modelled", site)
            out = self.call_op(interp, OPERATORS[op], [a, b], {}, site)
            if type(site).__name__ == "AugAssign":  # x += y writes into x
                self.mark_in_place(interp, out)
            return out
        tensor = a if isinstance(a, Tensor) else b
        other = b if tensor is a else a
        if op == "MatrixMultiply" or not isinstance(other, (int, float, bool, dims.Expr)):
            return Unknown(f"{op} of a tensor and {type(other).__name__} is not modelled", site)
        integer = op in ("Add", "Subtract", "Multiply", "FloorDivide", "Modulo") and not isinstance(other, float)
        return Tensor(tensor.shape, factors=tensor.factors, dtype=tensor.dtype if integer else "float")

    def unary_op(self, interp, op, value, site):
        if not isinstance(value, Tensor):
            return NOT_HANDLED
        if op == "Plus":
            return value
        if op == "Minus":
            known = unary_values("neg", value)
            return known if known is not None else self.call_op(interp, "neg", [value], {}, site)
        if value.dtype == "float":  # PyTorch refuses ~ of a floating tensor; cnnlint may not know its type
            return Unknown("~ of a tensor whose integer or boolean type cnnlint does not know", site)
        return self.call_op(interp, "bitwise_not", [value], {}, site)

    def subscript(self, interp, obj, index, site):
        obj = self.container_view(obj)
        if isinstance(obj, ModuleContainer):
            return self.container_item(obj, index, site)
        value = item_values(obj, index)
        if value is not None:
            return value
        if isinstance(obj, Tensor):
            return self.call_op(interp, "getitem", [obj, index], {}, site)
        return NOT_HANDLED

    def set_item(self, interp, obj, index, value, site):
        forget_values([obj])  # x[i] = v writes into a known tensor: not followed
        return NOT_HANDLED

    def iterate(self, interp, value, site):
        value = self.container_view(value)
        if isinstance(value, ModuleContainer):
            return list(value.children) if value.kind in DICT_CONTAINERS else value.items()
        if isinstance(value, KnownTensor) and value.values is not None and value.shape:
            return [item_values(value, i) for i in range(len(value.values))]
        if isinstance(value, Tensor) and value.shape and isinstance(value.shape[0], int) and (
                value.shape[0] <= MAX_PIECES):
            return list(split("unbind", value, [0], {}, site, self.cutter(interp, value, site)))  # for t in x: x[0]...
        return NOT_HANDLED

    def length(self, interp, value, site):
        value = self.container_view(value)
        if isinstance(value, ModuleContainer):
            return len(value.children)
        if isinstance(value, Tensor) and value.shape:
            return value.shape[0]
        return NOT_HANDLED

    def isinstance(self, interp, obj, classes, site):
        names = [torch_name(c.qualname) for c in classes if isinstance(c, Ref)]
        if not names or not all(space in ("nn", "torch") for space, _ in names):
            return NOT_HANDLED
        for space, name in names:
            if space == "torch" and name == "Tensor" and isinstance(obj, Tensor):
                return True
            if space == "nn" and name == "Module" and self.is_module(obj):
                return True
            if space == "nn" and name == "Parameter" and isinstance(obj, ParameterTensor):
                return True
            if isinstance(obj, LayerObject) and obj.frontend is self and obj.engine.type_name == name:
                return True
            if isinstance(obj, ModuleContainer) and obj.kind == name:
                return True
        return False

    def attribute_names(self, interp, value):
        found = names_of(value)
        return NOT_HANDLED if found is None else found

    def stand_in(self, interp, value):
        found = stand_in(value)
        return NOT_HANDLED if found is None or (isinstance(value, LayerObject) and value.frontend is not self) else found

    # == building =======================================================================
    def build_layer(self, interp, table, name, args, kwargs, site, qualname) -> LayerObject:
        """A layer object whose ``kwargs`` are all its constructor arguments, by name."""
        obj = self.make_layer(interp, table, name, args, kwargs, site, qualname)
        try:
            bound = bind_arguments(self.signature(table, name), (name, *args), kwargs, defaults=True)
            obj.kwargs = dict(list(bound.items())[1:])
        except TypeError:
            pass
        return obj

    def signature(self, table, name) -> inspect.Signature:
        key = (id(table), name)
        if key not in self._signatures:
            self._signatures[key] = inspect.signature(table.builders[name])
        return self._signatures[key]

    def container(self, interp, kind, args, kwargs, site):
        if kind == "Sequential":
            if len(args) == 1 and isinstance(args[0], dict):
                return self.filled(kind, site, {str(k): v for k, v in args[0].items()})
            return self.filled(kind, site, {str(i): v for i, v in enumerate(args)})
        initial = args[0] if args else kwargs.get({"ParameterList": "values", "ParameterDict": "parameters"}.get(
            kind, "modules"))
        if initial is None:
            return ModuleContainer(kind, site)
        if kind in DICT_CONTAINERS and isinstance(initial, dict):
            return self.filled(kind, site, {str(k): v for k, v in initial.items()})
        items = interp.iterate(initial, site)
        if kind in DICT_CONTAINERS and items is not None and all(
                isinstance(i, tuple) and len(i) == 2 for i in items):
            return self.filled(kind, site, {self.registered_name(k): v for k, v in items})
        if items is None or kind in DICT_CONTAINERS:  # never an empty container for modules cnnlint could not see
            interp.trace.stop(f"the modules of {kind} could not be determined{interp.where(site)}", site)
            items = [self.unknown_layer(f"{kind}(...)", site, {})]
        return self.filled(kind, site, {str(i): v for i, v in enumerate(items)})

    def filled(self, kind, site, children: dict) -> ModuleContainer:
        if kind in PARAMETER_CONTAINERS:  # a plain tensor put there becomes an nn.Parameter
            children = {k: self.parameter([v], {}, site) if isinstance(v, Tensor) and not isinstance(
                v, ParameterTensor) else v for k, v in children.items()}
        self.make_unknown_opaque(children, site)
        return ModuleContainer(kind, site, children)

    def make_unknown_opaque(self, children: dict, site) -> None:
        """A container's unknown members stay in it, as layers cnnlint cannot model.

        PyTorch accepts only modules there: a value cnnlint could not compute is
        a module it cannot see, whose shapes and parameters are unknown.
        """
        for name, child in children.items():
            if isinstance(child, Unknown):
                reason = f"{child.reason}; shapes after it are unknown"
                children[name] = LayerObject(Opaque(FRAMEWORK, "unknown", reason), child.site or site, "", {}, self)
            elif not self.is_module(child) and not isinstance(child, ParameterTensor):
                # a module of a kind cnnlint does not know (another library's base class): unknown, not skipped
                what = f"a {child.cls.name}" if isinstance(child, Instance) else describe(child)
                reason = f"{what} is a module cnnlint cannot follow; shapes after it are unknown"
                children[name] = LayerObject(Opaque(FRAMEWORK, "unknown", reason), site, "", {}, self)

    def parameter(self, args, kwargs, site):
        data = args[0] if args else kwargs.get("data")
        if not isinstance(data, Tensor) or data.shape is None:
            return Unknown("the shape of this nn.Parameter is not known", site)
        trainable = kwargs.get("requires_grad", args[1] if len(args) > 1 else True)
        return ParameterTensor(data.shape, Parameter(FRAMEWORK, "Parameter", shape=data.shape,
                                                     trainable=trainable is not False), site)

    # == applying ======================================================================
    def apply_op(self, interp, obj: LayerObject, inputs, site, label: str = ""):
        """A functional op: checked like a layer but not a summary row."""
        count = len(interp.trace.nodes)
        out = self.apply_layer(interp, obj, inputs, site, label or obj.engine.type_name)
        for node in interp.trace.nodes[count:]:
            node.is_layer = False
        if isinstance(out, Tensor) and all(out is not t for t in inputs):  # index arithmetic (swin's relative positions) stays integer, as it can index
            passed = obj.kwargs if isinstance(obj.kwargs, dict) else {}
            extra = passed.get("kwargs")  # a builder's **kwargs (x.cumsum(1, dtype=torch.float32))
            out.dtype = result_kind(label, inputs, {**extra, **passed} if isinstance(extra, dict) else passed)
        return out

    def call_op(self, interp, name, args, kwargs, site, table=FUNCTIONAL):
        forget_values(list(args) + list(kwargs.values()))
        obj = self.build_layer(interp, table, name, args, kwargs, site, name)
        obj.site = site
        return self.apply_op(interp, obj, self.op_inputs(table, name, args, kwargs), site, name)

    def op_inputs(self, table, name, args, kwargs) -> list:
        """The tensors a functional op takes: ``input`` (and ``other``), or ``tensors``; einops' ``tensor``
        (a list of them is stacked)."""
        try:
            bound = bind_arguments(self.signature(table, name), (name, *args), kwargs)
        except TypeError:
            return list(args[:1])
        if "query" in bound:  # attention: the mask, a tensor too, changes no shape
            return [bound.get("query"), bound.get("key"), bound.get("value")]
        for many in ("tensors", "tensor", "operands"):
            if many in bound:
                value = bound[many]
                if many == "operands" and len(value) == 1 and isinstance(value[0], (list, tuple)):
                    value = value[0]  # torch.einsum(equation, [a, b])
                return list(value) if isinstance(value, (list, tuple)) else [value]
        # F.linear's weight is a second operand; addcmul and addcdiv take three
        others = [bound.get(key) for key in ("weight" if name == "linear" else "other", "tensor1", "tensor2", "grid")]
        return [bound.get("input")] + [t for t in others if isinstance(t, (Tensor, Unknown))]

    def opaque_op(self, interp, qualname, args, site):
        forget_values(args)
        obj = self.unknown_layer(qualname, site, {})
        tensors = [a for a in args if isinstance(a, Tensor)]
        return self.apply_op(interp, obj, tensors, site, qualname.rsplit(".", 1)[-1])

    def tensor_attr(self, tensor: Tensor, name: str, site):
        if name in ("shape", "ndim", "T", "mT", "data"):
            forget_values([tensor] if name in ("T", "mT") else [])  # a view
            if tensor.shape is None:
                return Unknown("the shape of this tensor is not known", site)
            return {"shape": tensor_sizes(tensor.shape, site), "ndim": len(tensor.shape), "data": tensor,
                    "T": Tensor(tuple(reversed(tensor.shape))),
                    "mT": Tensor(tuple(tensor.shape[:-2]) + tuple(reversed(tensor.shape[-2:])))}[name]
        if name == "dtype":
            return TensorType(tensor.dtype)
        if name == "device":
            return self._device
        if name in ("requires_grad", "is_cuda", "grad"):
            return Unknown(f"tensor.{name} is only known at run time", site)
        return TensorMethod(tensor, name)

    def call_tensor_method(self, interp, method: TensorMethod, args, kwargs, site):
        x, name = method.receiver, method.name
        value = method_values(x, name, args, kwargs, site)
        if value is not None:
            return value
        # x.long(): a new tensor of that type; x.int() and x.half() of values cnnlint did not follow through the cast
        if name in CASTS and (CASTS[name] != x.dtype or name == "int" or name in OTHER_FLOATS):
            return Tensor(x.shape, factors=x.factors, dtype=CASTS[name])
        if name in ("to", "type", "type_as") and (args or kwargs):  # x.to(torch.long), x.to(y), x.type_as(y)
            kind = cast_kind(args, kwargs)
            if kind and (kind != x.dtype or isinstance(x, KnownTensor) and not keeps_values(args, kwargs)):
                return Tensor(x.shape, factors=x.factors, dtype=kind)
        if name == "clone" or (name in PASSTHROUGH and isinstance(x.strides, tuple)):
            copy = Tensor(x.shape, factors=x.factors, dtype=x.dtype)  # new memory, or a layout not followed
            copy.strides = layout.CONTIGUOUS if name == "contiguous" else None
            return copy
        in_place = name.endswith("_") and not name.startswith("_") and name not in RESHAPE_IN_PLACE
        if in_place and name[:-1] in FUNCTIONAL:  # x.relu_(), x.add_(y): recorded as the op, written into x
            out = self.call_op(interp, name[:-1], [x] + list(args), kwargs, site)
            if isinstance(out, Tensor) and out.shape == x.shape:
                self.mark_in_place(interp, out)
                return out
            return x
        if name in PASSTHROUGH or in_place:
            return x  # an in-place op (x.mul_(y), x.bernoulli_(p)) keeps x's shape
        if name in ("size", "dim", "ndimension", "numel", "nelement"):
            if x.shape is None:
                return Unknown("the shape of this tensor is not known", site)
            if name == "size":
                if not args and "dim" not in kwargs:
                    return tensor_sizes(x.shape, site)
                axis = kwargs.get("dim", args[0] if args else None)
                if not isinstance(axis, int) or not -len(x.shape) <= axis < len(x.shape):
                    return Unknown(f"size({axis!r}) of a tensor of rank {len(x.shape)}", site)
                return tensor_sizes(x.shape, site)[axis]
            return len(x.shape) if name in ("dim", "ndimension") else dims.product(x.shape)
        if name in ("view_as", "reshape_as", "expand_as") and args and isinstance(args[0], Tensor) and args[0].shape:
            return self.call_op(interp, name[:-3].replace("view", "reshape"), [x, tuple(args[0].shape)], {}, site)
        if name in SPLITS:
            return split(name, x, args, kwargs, site, self.cutter(interp, x, site))
        if name in EXTREMES:
            return extreme(self, interp, name, x, args, kwargs, site)
        if name in COMPARISON_METHODS and len(args) == 1 and not kwargs:  # tokens.eq(0): as tokens == 0
            return self.binary_op(interp, COMPARISON_METHODS[name], x, args[0], site)
        if name in NEW:  # x.new_zeros(size): a new tensor, of x's type unless another is given
            return created(name[len("new_"):], args, kwargs, x.dtype)
        if name in FUNCTIONAL and name not in FUNCTIONAL_ONLY:
            return self.call_op(interp, name, [x] + list(args), kwargs, site)
        return self.opaque_op(interp, f"Tensor.{name}", [x], site)

    def cutter(self, interp, x: Tensor, site):
        """What cuts x into the pieces of ``split``/``chunk``: an indexing op per piece."""
        def cut(index):
            piece = piece_values(x, index)
            return piece if piece is not None else self.call_op(interp, "getitem", [x, index], {}, site)

        return cut

    def call_module(self, interp, module, args, kwargs, site):
        """Call a layer, a Sequential or a user module; submodule calls get summary rows."""
        self.remember_example(module, args)
        if isinstance(module, LayerObject):
            if module.engine.type_name in LOSS_MODULES and args:
                self.loss_applied(args[0], module.engine.type_name, site)
            call = CALLS.get(module.engine.type_name)
            if call is None:  # one tensor; further arguments (an LSTM's initial state) leave shapes as they are
                if not args:  # PyTorch raises; code reaching it here is code cnnlint could not rule out
                    return Unknown(f"{module.engine.type_name} called without inputs", site)
                return self.apply_layer(interp, module, list(args[:1]), site, module.name)
            try:
                tensors, options = call(*args, **kwargs)
            except (TypeError, InvalidArgument) as exc:
                return Unknown(f"{module.engine.type_name} is called with arguments cnnlint cannot follow ({exc})", site)
            return self.apply_layer(interp, module, tensors, site, module.name, options)
        if isinstance(module, ModuleContainer) and module.kind != "Sequential":
            reason = f"{module.kind} is not callable: call its modules one by one"
            interp.trace.stop(f"{reason}{interp.where(site)}", site)
            return Unknown(reason, site)
        base = self._base_layers.get(id(module))
        if self._probing and base is not None and args and isinstance(args[0], Tensor) and args[0].shape is None:
            spec = base[1].engine.implied_input()  # a torch layer's subclass (timm's Conv2dSame) declares it too
            if spec is not None:
                raise SpecFound(spec, base[1].engine)
        type_name = module.kind if isinstance(module, ModuleContainer) else module.cls.name
        out = self.with_row(interp, module, type_name, args, site,
                            lambda: self.run_module(interp, module, args, kwargs, site))
        if not self._tracing and isinstance(out, Tensor):
            self._model_outputs[id(out)] = (out, module)
        return out

    def loss_applied(self, prediction, loss: str, site) -> None:
        """A loss applied to what a model returned, in the file's own code: its link to the model."""
        called = self._model_outputs.get(id(prediction))
        if called is not None and called[0] is prediction:
            self.record_loss(called[1], loss, site)

    def record_loss(self, model, loss: str, site) -> None:
        """The model's output goes to the loss at site (once, however many times the code runs there)."""
        uses = self._losses.setdefault(id(model), [])
        if all(use.site is not site for use in uses):
            uses.append(LossUse(loss, None, site))

    def mark_in_place(self, interp, out) -> None:
        node = interp.trace.nodes[-1] if interp.trace.nodes else None
        if node is not None and node.output is out:
            node.facts.append(IN_PLACE)

    def run_module(self, interp, module, args, kwargs, site):
        """What calling the module does, without its own row."""
        if id(module) in self._base_layers and not isinstance(module.cls.lookup("forward"), Function):
            return self.call_module(interp, self._base_layers[id(module)][1], args, kwargs, site)
        if isinstance(module, ModuleContainer) or not isinstance(module.cls.lookup("forward"), Function):
            if isinstance(module, Instance) and torch_base(module.cls) != "Sequential":
                return Unknown(f"{module.cls.name} has no forward() in this file", site)
            x = args[0] if args else Unknown("a Sequential is called without an input", site)
            for _, child in self.children(module):
                if isinstance(child, ParameterTensor):
                    continue
                if not isinstance(x, Tensor):
                    return x
                x = self.call_module(interp, child, [x], {}, site)
            return x
        forward = interp.get_attr(module, "forward", site)
        return interp.call(forward, list(args), kwargs, site)

    def with_row(self, interp, module, type_name, args, site, run):
        # the module is kept with its row: a module made and dropped inside forward() must not leave its
        # address, and so its row, to the next one
        layer = self._rows.setdefault(id(module), (module, Container(FRAMEWORK, type_name)))[1]
        node = Node(layer, [a for a in args if isinstance(a, Tensor)], site=module.site,
                    label=self._paths.get(id(module), ""), depth=interp.trace.depth)
        node.call_site = site
        node.weights = NO_WEIGHTS
        interp.trace.nodes.append(node)
        interp.trace.depth += 1
        try:
            out = run()
        finally:
            interp.trace.depth -= 1
        node.output = out if isinstance(out, (Tensor, tuple)) else Tensor(None, node)
        return out

    def remember_example(self, module, args) -> None:
        """A model called at module level on a concrete tensor declares its input size."""
        if self._tracing or not args or not isinstance(args[0], Tensor) or not args[0].shape:
            return
        shape = args[0].shape
        if all(isinstance(d, int) for d in shape):
            self._examples.setdefault(id(module), (module, tuple(shape[1:])))

    # == module and container methods ===================================================
    def call_module_method(self, interp, method: ModuleMethod, args, kwargs, site):
        module, name = method.receiver, method.name
        if name == "__init__":
            if method.base in CONTAINERS:
                interp.note_change(module)
                module.attrs.update(self.container(interp, method.base, args, kwargs, site).children)
            elif method.base in TORCH:
                layer = self.build_layer(interp, TORCH, method.base, args, kwargs, site, f"torch.nn.{method.base}")
                self._base_layers[id(module)] = (module, layer)
            return None
        if name == "forward" and id(module) in self._base_layers:  # super().forward(x) in a layer's subclass
            return self.call_module(interp, self._base_layers[id(module)][1], args, kwargs, site)
        if name in REGISTER:
            args = registration(name, args, kwargs)
        if name in REGISTER and len(args) >= 2:
            interp.set_attr(module, self.registered_name(args[0]), args[1], site)
            return None
        if name in ("parameters", "requires_grad_"):
            return self.parameters(module, name, args, kwargs)
        if name == "named_parameters" and not args and not kwargs:
            return self.named_parameters(interp, module, site)
        if name in MODULE_SELF:
            return module
        if name in ("modules", "children", "named_modules", "named_children"):
            found = self.walk(module)
            if name in ("children", "named_children"):
                found = [(path, m) for path, m in found if "." not in path]
            found = [(path, m) for path, m in found if not isinstance(m, ParameterTensor)]
            if name == "modules":
                return [module] + [m for _, m in found]
            return [(path, m) for path, m in found] if name.startswith("named") else [m for _, m in found]
        if name == "__call__":
            return self.call_module(interp, module, args, kwargs, site)
        if method.base in CONTAINERS:
            view = self.container_view(module)
            result = self.call_container_method(interp, ContainerMethod(view, name), args, kwargs, site)
            for key, child in view.children.items():  # append/extend/update register on the subclass
                if module.attrs.get(key) is not child:
                    interp.set_attr(module, key, child, site)
            return module if result is view else result
        return Unknown(f"nn.Module.{name}() is not modelled", site)

    def set_attr(self, interp, obj, name, value, site):
        if name == "requires_grad" and isinstance(obj, ParameterGroup):
            self.set_trainable(obj, value)
            return None
        if name == "requires_grad" and isinstance(obj, ParameterTensor):
            if isinstance(value, bool):
                obj.layer.trainable = value
            return None
        if name == "requires_grad" and id(obj) in self._parameters_read:  # ``embedding.weight.requires_grad = False``
            self.freeze_parameter(interp, obj, value)
            return None
        if isinstance(obj, LayerObject) and obj.frontend is self and name in ("weight", "bias"):
            self.assign_parameter(interp, obj, name, value)
            return None
        if (isinstance(obj, LayerObject) and obj.frontend is self and obj.engine.type_name in TORCH.builders
                and not name.startswith("_") and name not in ("weight", "bias", "training")
                and name not in self.signature(TORCH, obj.engine.type_name).parameters):
            obj.attrs[name] = value  # a flag of the code's own, read back by its forward (``hasattr``)
            return None
        return NOT_HANDLED

    # == models ========================================================================
    def candidates(self, interp) -> list:
        """Models in the file: module-level ones, those zero-argument functions return, and
        every nn.Module subclass constructible with its defaults — except submodules of others."""
        built = []  # (name, model, site, problems, from_class, code its building did not run)
        module_skipped = interp.trace.skipped
        for name, value in module_values(interp):
            if isinstance(value, UnresolvedModel) and value.framework == self.framework:
                built.append((name, value, value.site, [], False, module_skipped))
            elif self.is_model(value):
                # an instance's definition line is its class's, where the input-shape pragma goes
                site = value.cls.node if isinstance(value, Instance) else value.site
                built.append((name, value, site, [], False, module_skipped))
        for name, (result, _) in factory_results(interp).items():
            if self.is_model(result):
                function = interp.globals.vars[name]
                built.append((name, result, function.node, [], False, factory_skipped(interp, name)))
        instantiated = {entry[1].cls for entry in built if isinstance(entry[1], Instance)}
        for cls in [v for v in interp.globals.vars.values()
                    if self.is_model_class(v) and defined_here(interp, v) and v not in instantiated]:
            with interp.tracing(Budget()) as trace:
                try:
                    instance = interp.instantiate(cls, [], {}, cls.node)
                except BudgetExceeded as exc:  # a bound of the analysis: the model is reported as stopped
                    instance = Unknown(f"{cls.name}() could not be built: {exc.reason}", exc.site or cls.node)
            built.append((cls.name, instance, cls.node, trace.stopped, True, trace.skipped))
        nested = [child for entry in built for _, child in self.walk(entry[1])]
        nested_ids = {id(child) for child in nested}
        nested_classes = {child.cls for child in nested if isinstance(child, Instance)}
        found, seen = [], set()
        found_from_classes = {value.cls: value for _, value, _, _, from_class, _ in built
                              if from_class and isinstance(value, Instance)}
        for name, value, site, problems, from_class, skipped in built:
            # `model = Net()` run again (a notebook's cell re-run for training) is one model, at the class
            again = (name, value.cls) if isinstance(value, Instance) else (name, "undecided") if isinstance(
                value, UnresolvedModel) else id(value)
            if id(value) in seen or again in seen or id(value) in nested_ids or (
                    from_class and isinstance(value, Instance) and value.cls in nested_classes):
                continue
            seen.update((id(value), again))
            found.append(Candidate(name, value, site, self.framework,
                                   declared_input=self._examples.get(id(value), (None, None))[1],
                                   problems=list(problems), skipped=skipped))
        link_losses_in_code(self, interp, [entry.value for entry in found], found_from_classes)
        return found + self.unresolved_factories(interp)

    def is_model_class(self, value) -> bool:
        if not runnable(value):
            return False
        init = value.lookup("__init__")
        if not isinstance(init, Function):  # torch's own __init__: a layer's asks for its sizes
            return torch_base(value) not in TORCH
        return _required_parameters(init)[1:] == []

    def trace(self, interp, candidate: Candidate, input_shape) -> ModelGraph:
        if isinstance(candidate.value, Unknown):
            return self.trace_unresolved(candidate)
        self.label(candidate.value)
        if input_shape is None:
            graph = self.trace_implied(interp, candidate)
        else:
            graph = self.trace_with(interp, candidate, *[(BATCH,) + tuple(s) for s in input_shapes(input_shape)])
            if len(graph.inputs) == 1:
                self.add_hints(interp, candidate, graph)
        # read once, from the trace that is reported (an implied input may take several)
        graph.attributes = self.module_attributes(interp, candidate.value, graph.nodes)
        graph.losses = [use for module in [candidate.value, *returned_parts(graph, self._rows)]
                        for use in self._losses.get(id(module), [])]
        return graph

    def label(self, root) -> None:
        """Name every registered module by its path, as ``named_modules()`` does."""
        self._paths = {}
        for path, module in self.walk(root):
            self._paths[id(module)] = path
            if isinstance(module, LayerObject):
                module.name = path
                if hasattr(module.engine, "label"):
                    module.engine.label = _label(path, module.engine.type_name)

    def trace_with(self, interp, candidate: Candidate, shape, *more) -> ModelGraph:
        """Run forward on an input of this shape (None: unknown), or on several inputs, one per shape."""
        root = candidate.value
        inputs = [Tensor(s) for s in (shape, *more)]
        for x in inputs:
            x.strides = layout.CONTIGUOUS
        self._built_in_trace = set()
        self._tracing = True
        ended = False
        try:
            with interp.tracing(Budget()) as trace:
                try:
                    out = self.run_module(interp, root, inputs, {}, candidate.site)
                    ended = True
                except BudgetExceeded as exc:
                    out = Unknown(exc.reason, exc.site)
                if isinstance(out, Unknown):
                    trace.stop(out.reason, out.site or candidate.site)
        finally:
            self._tracing = False
        graph = ModelGraph(candidate.name, self.framework, candidate.site)
        graph.inputs = inputs
        graph.outputs = tensors_in(out) or [Tensor(None)]
        graph.nodes = trace.nodes
        unknown = self.unknown_attributes(root)
        graph.stopped = list(candidate.problems) + trace.stopped + unknown
        graph.layers = self.registered_layers(root, trace.nodes)
        replaced = [self._replaced[id(layer)] for layer in graph.layers if id(layer) in self._replaced]
        if replaced:
            graph.stopped.append(Problem(ProblemKind.UNRESOLVED, replaced[0], candidate.site))
        if graph.freezing_unknown():
            graph.stopped.append(Problem(ProblemKind.UNRESOLVED, "which parameters are frozen is not known: "
                                         "`requires_grad` is set to a value cnnlint cannot compute, or on a weight "
                                         "tied to another layer's", candidate.site))
        # what building it skipped must change nothing at all: the layers built after it may be sized by what it
        # would have stored (timm's registry, filled through a deque, picks each model's number of classes)
        graph.params_known = bool(ended and not candidate.problems and not unknown
                                  and not RegistrationScan(self, interp, strict=True).any_changes(candidate.skipped)
                                  and not RegistrationScan(self, interp).any_changes(trace.skipped))
        return graph

    def unknown_attributes(self, root) -> list:
        """Attributes of the model's modules cnnlint could not compute.

        Each may hold a module whose parameters ``model.parameters()`` counts
        and cnnlint cannot: the totals are then not exact.
        """
        found: dict = {}  # (what, why, where) -> (site, paths): one note for the modules built by the same code
        for path, module in [("", root)] + self.walk(root):
            if not isinstance(module, Instance):
                continue
            if torch_base(module.cls) in TORCH and id(module) not in self._base_layers:
                why = f"derives from nn.{torch_base(module.cls)} but cnnlint could not follow its construction"
                found.setdefault((module.cls.name, why, None), (module.site, []))[1].append(module.cls.name)
            for name, value in module.attrs.items():
                if isinstance(value, Unknown) and not isinstance(value, PlainUnknown):  # a plain one holds none
                    why = f"is not known ({value.reason}); parameters a module there would hold are not counted"
                    found.setdefault((name, why, id(value.site)), (value.site, []))[1].append(
                        f"self.{path + '.' if path else ''}{name}")
        problems = []
        for (_, why, _), (site, paths) in found.items():
            more = f" (and {len(paths) - 1} more like it)" if len(paths) > 1 else ""
            problems.append(Problem(ProblemKind.UNRESOLVED, f"{paths[0]}{more} {why}", site))
        return problems

    def registered_layers(self, root, nodes) -> list:
        """Layers in ``model.parameters()`` (each once), and the rows of called submodules."""
        layers, seen = [], set()
        modules = [root] + [m for _, m in self.walk(root)]
        found = [m.engine if isinstance(m, LayerObject) else m.layer for m in modules
                 if isinstance(m, (LayerObject, ParameterTensor))]
        found += [self._base_layers[id(m)][1].engine for m in modules if id(m) in self._base_layers]
        for layer in found + [n.layer for n in nodes if isinstance(n.layer, Container)]:
            if id(layer) not in seen:
                seen.add(id(layer))
                layers.append(layer)
        return layers

    def record(self, interp, node, call_site) -> None:
        super().record(interp, node, call_site)
        layout.follow(node)
        layer = node.layer
        if layer.passed.get("inplace") is True or layer.type_name.endswith("_"):
            node.facts.append(IN_PLACE)
        if id(layer) in self._built_in_trace:
            node.facts.append(BUILT_IN_FORWARD)
        if self._probing:
            spec = node.layer.implied_input()
            if spec is not None:
                raise SpecFound(spec, node.layer)


TorchFrontEnd.METHODS = {TensorMethod: TorchFrontEnd.call_tensor_method, ModuleMethod: TorchFrontEnd.call_module_method,
                         ContainerMethod: TorchFrontEnd.call_container_method,
                         GroupMethod: TorchFrontEnd.call_group_method}
