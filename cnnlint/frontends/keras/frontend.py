"""Keras front end: Sequential, functional and subclassed models, and the tensors of keras.Input."""

from __future__ import annotations

import weakref
from typing import Optional

from ... import dims
from ...engine.base import SPATIAL_NAMES, apply, symbols
from ...engine.core import InputLayer, Parameter, SameShape, Traced
from ...engine.merge import ElementWise
from ...evaluator.budget import Budget, BudgetExceeded
from ...evaluator.plugin import NOT_HANDLED
from ...evaluator.values import (BoundMethod, Class, Function, Instance, Partial, Ref, Unknown, UnresolvedModel,
                                 first_unknown)
from ...graph import BATCH, BUILT_IN_FORWARD, ModelGraph, Problem, ProblemKind, Tensor, input_shapes
from ..base import (Candidate, FrameworkMethod, FrontEnd, LayerObject, defined_here, factory_results,
                    module_values, only_tensors)
from ..signatures import bind_arguments
from .layers import (KERAS, OPS, RANDOM_OPS, RANGE_OPS, SHAPE_OPS, TENSOR_PARAMETERS, op_name, random_shape,
                     range_length)
from .models import (KerasFunctional, KerasLoss, KerasSequential, LayerMethod, ModelMethod, is_keras_class, loss_use,
                     is_keras_model_class, keras_owned, keras_symbol, shape_tuple, snake_case)
from .structure import held_layers

_MODEL_METHODS_IGNORED = {
    "compile", "fit", "evaluate", "predict", "summary", "save", "save_weights", "load_weights", "train_on_batch",
    "test_on_batch", "predict_on_batch", "get_config", "to_json", "count_params", "get_weights", "set_weights",
    "fit_generator", "export",
}


class _TraceState:
    """What Keras remembers while one model is traced: the automatic layer names it gave
    (conv2d, conv2d_1...), and the custom layers whose own build() has run."""

    def __init__(self):
        self.names: dict = {}  # base name -> how many layers got it
        #: id(engine layer) -> (layer, its name in this trace); objects are kept so that their ids stay theirs
        self.labels: dict = {}
        self.built: dict = {}  # id -> layer instance
        #: True while a subclass's ``call`` runs, False while its ``build``: where a layer is constructed
        self.running: list = []
        self.built_in_call: dict = {}  # id(engine layer) -> layer constructed while ``call`` ran


class KerasFrontEnd(FrontEnd):
    framework = "keras"

    def __init__(self):
        self._traces: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # Trace -> _TraceState
        #: id(subclassed model) -> (the model, [LossUse] of its compile()): its instance has no field for them
        self._compiled: dict = {}
        #: id -> the tensors Keras made without a layer (keras.Input, a subclassed model's traced input, an arange)
        self._inputs: dict = {}
        #: id(engine layer) -> the Lambda layer object holding its function, run again where a model replays it
        self._lambdas: dict = {}
        self._epsilon = 1e-7  # keras.config.epsilon() unless the file sets another

    # == interpreter hooks =============================================================
    def owns(self, qualname: str) -> bool:
        return keras_owned(qualname)

    def call_value(self, interp, func, args, kwargs, site):
        if isinstance(func, Ref):
            op = op_name(func.qualname)
            if op is not None:
                return self.call_op(interp, op, args, kwargs, site)
            symbol = keras_symbol(func.qualname)
            if symbol is None:
                return NOT_HANDLED
            return self.call_keras(interp, func.qualname, symbol, args, kwargs, site)
        if isinstance(func, LayerObject) and func.frontend is self:
            return self.apply_to(interp, func, args, site, kwargs)
        if isinstance(func, KerasSequential):
            return self.apply_sequential(interp, func, args[0] if args else None, site, nested=True)
        if isinstance(func, KerasFunctional):
            return self.replay(interp, func, [args[0]] if args and isinstance(args[0], Tensor) else
                               only_tensors(args[0] if args else None), nested=True)
        if isinstance(func, Instance) and is_keras_class(func.cls):
            return self.call_subclassed(interp, func, args, kwargs, site)
        if isinstance(func, FrameworkMethod):
            return self.call_method(interp, func, args, kwargs, site)
        return NOT_HANDLED

    def get_attr(self, interp, obj, name, site):
        if isinstance(obj, KerasSequential):
            if name in ("add", "build", "pop") or name in _MODEL_METHODS_IGNORED:
                return ModelMethod(obj, name)
            if name == "layers":
                return obj.layers()
            return Unknown(f"Sequential.{name} is not modelled", site)
        if isinstance(obj, KerasFunctional) and name == "layers":
            return self.functional_layers(obj, site)
        if isinstance(obj, KerasFunctional) and name == "compile":
            return ModelMethod(obj, name)
        if name == "shape" and self.owns_tensor(obj) and obj.shape is not None:
            return tuple(obj.shape)
        return NOT_HANDLED

    def owns_tensor(self, value) -> bool:
        """A Keras tensor: one Keras made, or the output of a Keras layer or op.  A file that imports from its
        project has both front ends, and a PyTorch tensor answers as PyTorch's does (its ``shape`` holds
        no None, its indexing is PyTorch's)."""
        if not isinstance(value, Tensor):
            return False
        node = value.node
        return id(value) in self._inputs if node is None else node.layer.framework == self.framework

    def keras_tensor(self, shape, dtype: str = "float") -> Tensor:
        """A tensor Keras made, not by a layer: an input, a range of numbers."""
        tensor = Tensor(shape, dtype=dtype)
        self._inputs[id(tensor)] = tensor
        return tensor

    def subscript(self, interp, obj, index, site):
        if self.owns_tensor(obj):
            return self.call_op(interp, "getitem", [obj, index], {}, site)
        return NOT_HANDLED

    def set_attr(self, interp, obj, name, value, site):
        """``layer.trainable = False`` freezes the layer and, as Keras' setter does, every layer inside it."""
        if name != "trainable":
            return NOT_HANDLED
        layers = _layers_inside(obj)
        if layers is None:
            return NOT_HANDLED
        for layer in layers:
            layer.trainable = _flag(value)
        return NOT_HANDLED if isinstance(obj, Instance) else None  # a subclass instance keeps the attribute too

    def inherited_attr(self, interp, receiver, base: str, name: str, site):
        if not isinstance(receiver, Instance) or keras_symbol(base) not in ("Layer", "Model"):
            return NOT_HANDLED
        if name in ("add_weight", "build"):
            return LayerMethod(receiver, name)
        if name == "compile" and is_keras_model_class(receiver.cls):
            return ModelMethod(receiver, name)
        return NOT_HANDLED

    def binary_op(self, interp, op, a, b, site):
        """Arithmetic on symbolic tensors is an operation in the graph: shapes broadcast."""
        if not self.owns_tensor(a) and not self.owns_tensor(b):
            return NOT_HANDLED
        if op not in _ARITHMETIC:
            return Unknown(f"operator {op} on Keras tensors is not modelled", site)
        if not all(isinstance(v, (Tensor, int, float, bool, dims.Expr)) for v in (a, b)):
            return Unknown(f"{op} of a tensor and {type(b if isinstance(a, Tensor) else a).__name__}", site)
        tensors = [v for v in (a, b) if isinstance(v, Tensor)]
        kind = ElementWise if len(tensors) == 2 else SameShape
        layer = kind(self.framework, _ARITHMETIC[op])
        node = apply(layer, tensors, site=site, label=self.label_for(interp, layer), depth=interp.trace.depth,
                     is_layer=False)
        self.record(interp, node, site)
        return node.output

    # == building ======================================================================
    def call_keras(self, interp, qualname, symbol, args, kwargs, site):
        if symbol in ("epsilon", "set_epsilon") and qualname.rsplit(".", 2)[-2] in ("backend", "config"):
            if symbol == "epsilon":  # Keras' fuzz factor, as the file last set it
                return self._epsilon
            self._epsilon = args[0] if len(args) == 1 and not kwargs else Unknown("set_epsilon() of that", site)
            return None
        if symbol == "Sequential":
            model = KerasSequential(site, kwargs.get("name") if isinstance(kwargs.get("name"), str) else "")
            layers = args[0] if args else kwargs.get("layers")
            if isinstance(layers, (list, tuple)):
                model.items.extend(layers)
            elif layers is not None:
                interp.trace.stop(f"the layers of Sequential could not be determined{interp.where(site)}", site)
                model.items.append(self.unknown_layer("Sequential(layers=...)", site, {}))
            return model
        if symbol in ("Model", "Functional") and (args or "inputs" in kwargs):
            return self.functional(args, kwargs, site)
        if symbol == "Input":
            return self.input_tensor(args, kwargs)
        if symbol == "image_data_format":
            return "channels_last"  # Keras' default; a keras.json override is outside the source
        if symbol == "is_keras_tensor":
            return bool(args) and isinstance(args[0], Tensor)
        if symbol in _MERGE_FUNCTIONS:
            inputs = args[0] if args else kwargs.pop("inputs", None)
            layer = self.make_layer(interp, KERAS, _MERGE_FUNCTIONS[symbol], args[1:], kwargs, site, qualname)
            return self.apply_to(interp, layer, [inputs], site)
        if symbol == "InputLayer":
            shape = kwargs.get("input_shape", kwargs.get("shape", args[0] if args else None))
            return self.input_tensor((shape,), {})
        if symbol == "Lambda":
            function = args[0] if args else kwargs.get("function")
            name = kwargs.get("name") if isinstance(kwargs.get("name"), str) else ""
            return LayerObject(Traced(self.framework, "Lambda"), site, name, {**kwargs, "function": function}, self)
        if symbol in KERAS:
            obj = self.make_layer(interp, KERAS, symbol, args, kwargs, site, qualname)
            state = self._state(interp.trace)
            if state.running and state.running[-1]:
                state.built_in_call[id(obj.engine)] = obj.engine
            if "trainable" in kwargs:  # Layer(trainable=False), the base layer's argument
                obj.engine.trainable = _flag(kwargs["trainable"])
            return obj
        if ".applications." in qualname and symbol[:1].isupper() and interp.resolve(Ref(qualname)) is None:
            return UnresolvedModel(f"{qualname}() builds a model in keras.applications, whose source cnnlint does "
                                   "not read", site, self.framework)
        if ".losses." in qualname and symbol[:1].isupper():
            return KerasLoss(snake_case(symbol), kwargs.get("from_logits", False))
        if ".layers." in qualname and symbol[:1].isupper():
            return self.unknown_layer(qualname, site, kwargs)
        return NOT_HANDLED

    def call_op(self, interp, name, args, kwargs, site):
        """An op on Keras tensors (``tf.nn.relu(x)``, ``keras.ops.concatenate([a, b])``): a node of the graph,
        not a layer; on anything but tensors it is not the front end's."""
        if name in RANDOM_OPS:
            shape = random_shape(args, kwargs)
            return Unknown(f"the shape given to {name}() is not known", site) if shape is None else self.keras_tensor(shape)
        if name in RANGE_OPS:
            length = range_length(name, args, kwargs)
            given = kwargs.get("dtype")
            integer = "int" in str(given) if given is not None else not any(isinstance(a, float) for a in args)
            if length is None:
                return Unknown(f"the length of {name}() is not known", site)
            return self.keras_tensor((length,), dtype="long" if integer else "float")
        try:
            bound = (bind_arguments(OPS.signature(name), (name, *args), kwargs) if name in OPS
                     else {"x": args[0] if args else kwargs.get("x")})
        except TypeError:
            return NOT_HANDLED
        given = [bound[p] for p in TENSOR_PARAMETERS if p in bound]
        inputs = [v for value in given for v in (value if isinstance(value, (list, tuple)) else [value])]
        if not any(isinstance(v, Tensor) for v in inputs):
            return NOT_HANDLED
        if name in SHAPE_OPS:
            shape = inputs[0].shape
            if shape is None:
                return Unknown(f"the shape of the tensor given to {name}() is not known", site)
            return (BATCH if name == "tf.shape" else None,) + tuple(shape[1:])
        obj = self.make_layer(interp, OPS, name, args, kwargs, site, name)
        count = len(interp.trace.nodes)
        out = self.apply_layer(interp, obj, [v for v in inputs if isinstance(v, (Tensor, Unknown))], site)
        for node in interp.trace.nodes[count:]:
            node.is_layer = False
        return out

    def apply_layer(self, interp, obj: LayerObject, inputs, site, label: str = "", options: Optional[dict] = None):
        if isinstance(obj.engine, Traced) and all(isinstance(t, Tensor) for t in inputs):
            self._lambdas[id(obj.engine)] = obj
            options = self.run_lambda(interp, obj, inputs, site)
        return super().apply_layer(interp, obj, inputs, site, label, options)

    def run_lambda(self, interp, obj: LayerObject, inputs, site) -> dict:
        """``Lambda(fn)(x)``: follow ``fn`` on the tensors; the operations it applies are the layer's own."""
        function = obj.kwargs.get("function")
        if not isinstance(function, (Function, Partial)):
            reason = "the function of a Lambda layer is not code cnnlint can follow"
            return {"problem": Problem(ProblemKind.UNRESOLVED, reason, obj.site)}
        count = len(interp.trace.nodes)
        interp.trace.depth += 1
        try:
            out = interp.call(function, [inputs[0] if len(inputs) == 1 else list(inputs)], {}, site)
        finally:
            interp.trace.depth -= 1
        inner = interp.trace.nodes[count:]
        del interp.trace.nodes[count:]  # Keras shows the Lambda, not what it computes
        if any(node.is_layer or isinstance(node.layer, Parameter) for node in inner):
            out = Unknown("a Lambda layer applying layers is not modelled")
        errors = [f for node in inner for f in node.facts if isinstance(f, Problem) and f.kind.is_error]
        if errors:  # an operation the function applies is refused: the Lambda is
            return {"problem": errors[0]}
        if isinstance(out, Tensor) and out.shape is not None:
            return {"output": out}
        reason = out.reason if isinstance(out, Unknown) else "the function of a Lambda layer returns no tensor"
        return {"problem": Problem(ProblemKind.UNRESOLVED, f"Lambda: {reason}", obj.site)}

    def functional_layers(self, model: KerasFunctional, site):
        """``model.layers`` of a functional model, as Keras lists them: one InputLayer per input, then each
        layer once, in the order applied."""
        nodes = model.nodes()
        if any(node.depth for node in nodes):
            return Unknown("the layers of a functional model holding a nested model are not modelled", site)
        found = [LayerObject(InputLayer(t), site, "", {}, self) for t in model.inputs]
        seen = set()
        for node in nodes:
            if node.is_layer and id(node.layer) not in seen:
                seen.add(id(node.layer))
                found.append(LayerObject(node.layer, node.site, node.label, {}, self))
        return found

    def functional(self, args, kwargs, site):
        inputs = kwargs.get("inputs", args[0] if args else None)
        outputs = kwargs.get("outputs", args[1] if len(args) > 1 else None)
        tensors = [only_tensors(_keys_sorted(inputs)), only_tensors(_keys_sorted(outputs))]
        if any(t is None for t in tensors):
            cause = first_unknown([inputs, outputs])
            why = f": {cause.reason}" if cause is not None else ""
            return UnresolvedModel(f"the inputs or outputs of the Model are not tensors cnnlint could follow{why}", site)
        name = kwargs.get("name") if isinstance(kwargs.get("name"), str) else ""
        return KerasFunctional(site, tensors[0], tensors[1], name)

    def input_tensor(self, args, kwargs) -> Tensor:
        shape = kwargs.get("shape", args[0] if args else None)
        batch_shape = kwargs.get("batch_shape")
        if batch_shape is not None:
            full = shape_tuple(batch_shape)
            return self.keras_tensor(None if full is None else (BATCH,) + full[1:])
        shape = shape_tuple(shape) if shape is not None else None
        return self.keras_tensor(None if shape is None else (BATCH,) + shape)

    def add_weight(self, interp, owner: Instance, args, kwargs, site):
        """``self.add_weight(shape=..., trainable=...)``; tf.keras also takes the name first."""
        if args and isinstance(args[0], str):
            kwargs = {"name": args[0], **kwargs}
            args = args[1:]
        shape = shape_tuple(kwargs.get("shape", args[0] if args else None))
        if shape is None:
            return Unknown(f"the shape of a weight of {owner.cls.name} is not known", site)
        trainable = kwargs.get("trainable", True)
        name = kwargs.get("name") if isinstance(kwargs.get("name"), str) else "weight"
        layer = Parameter(self.framework, "Weight", shape=shape, trainable=trainable is not False)
        layer.trainable = _flag(owner.attrs.get("trainable", True))  # made by a frozen layer
        # no row of its own: like an nn.Parameter, it counts in the totals (Keras shows it in its layer's row)
        node = apply(layer, [], site=site, label=f"{snake_case(owner.cls.name)}.{name}", depth=interp.trace.depth,
                     is_layer=False)
        self.record(interp, node, site)
        return node.output

    # == applying ======================================================================
    def apply_to(self, interp, obj: LayerObject, args, site, kwargs=None):
        """``layer(x)``, ``layer([a, b])`` or ``attention(query, value, key=...)``."""
        if not args:
            return Unknown(f"{obj.engine.type_name} called without inputs", site)
        if isinstance(args[0], (list, tuple)):
            tensors = list(args[0])
        else:
            tensors = [a for a in args if isinstance(a, (Tensor, Unknown))]
            tensors += [kwargs[k] for k in ("value", "key") if kwargs and isinstance(kwargs.get(k), Tensor)]
        scores = (kwargs or {}).get("return_attention_scores", False)
        if not isinstance(scores, bool):
            return Unknown(f"{obj.engine.type_name}: whether it returns its attention scores is not known", site)
        return self.apply_layer(interp, obj, tensors, site, options={"attention_scores": True} if scores else None)

    def apply_sequential(self, interp, model: KerasSequential, x, site, nested: bool = False):
        """Apply the layers in order; a nested Sequential's rows are indented."""
        interp.trace.depth += nested
        try:
            for item in model.items:
                if isinstance(item, Tensor):
                    continue
                if isinstance(x, Unknown) or not isinstance(x, Tensor):
                    return x
                if isinstance(item, KerasSequential):
                    x = self.apply_sequential(interp, item, x, site, nested=True)
                elif isinstance(item, LayerObject):
                    x = self.apply_layer(interp, item, [x], item.site)
                elif isinstance(item, Instance) and is_keras_class(item.cls):
                    x = self.call_subclassed(interp, item, [x], {}, item.site or site)
                else:
                    reason = getattr(item, "reason", "a Sequential item cnnlint does not know")
                    interp.trace.stop(f"{reason}", getattr(item, "site", None) or model.site)
                    return Unknown(reason, site)
            return x
        finally:
            interp.trace.depth -= nested

    def replay(self, interp, model: KerasFunctional, inputs, nested: bool = False):
        """Re-apply a functional graph's layers to new input tensors."""
        if inputs is None or len(inputs) != len(model.inputs):
            return Unknown("a functional model called with inputs cnnlint cannot match", model.site)
        mapping = {id(old): new for old, new in zip(model.inputs, inputs)}
        interp.trace.depth += nested
        try:
            for old in model.nodes():
                inputs = [mapping.get(id(t), t) for t in old.inputs]
                lambda_layer = self._lambdas.get(id(old.layer))
                options = old.options
                if lambda_layer is not None and all(isinstance(t, Tensor) for t in inputs):
                    options = self.run_lambda(interp, lambda_layer, inputs, old.call_site)  # on these inputs
                node = apply(old.layer, inputs, site=old.site, label=self.label_for(interp, old.layer, old.label),
                             depth=interp.trace.depth, is_layer=old.is_layer, options=options)
                self.record(interp, node, old.call_site)
                olds = old.output if isinstance(old.output, tuple) else (old.output,)
                news = node.output if isinstance(node.output, tuple) else (node.output,)
                mapping.update((id(a), b) for a, b in zip(olds, news))
        finally:
            interp.trace.depth -= nested
        outs = [mapping.get(id(t), Tensor(None)) for t in model.outputs]
        return outs[0] if len(outs) == 1 else outs

    def is_model(self, value) -> bool:
        return isinstance(value, (KerasSequential, KerasFunctional)) or (
            isinstance(value, Instance) and is_keras_class(value.cls))

    def call_subclassed(self, interp, instance: Instance, args, kwargs, site):
        """A subclassed keras.Model/Layer: build it on its first input, then run its ``call``."""
        method = interp.class_attr(instance.cls, "call", instance, site)
        if not isinstance(method, BoundMethod):
            reason = f"{instance.cls.name} has no call() cnnlint can follow"
            interp.trace.stop(reason, instance.cls.node)
            return Unknown(reason, site)
        nested = bool(interp.trace.nodes)  # the model being traced itself is not indented
        interp.trace.depth += nested
        running = self._state(interp.trace).running
        try:
            running.append(False)
            self.build_once(interp, instance, args[0] if args else None, site)
            running[-1] = True
            return interp.call(method, list(args), dict(kwargs), site)
        finally:
            running.pop()
            interp.trace.depth -= nested

    def build_once(self, interp, instance: Instance, inputs, site) -> None:
        """Keras calls a layer's own ``build(input_shape)`` before its first call: weights made
        there with ``add_weight`` are the layer's. Shapes have None for the batch, as in Keras."""
        built = self._state(interp.trace).built
        if id(instance) in built or not isinstance(instance.cls.lookup("build"), Function):
            return
        built[id(instance)] = instance  # kept alive: its address is not reused by another layer
        tensors = only_tensors(inputs)
        if tensors is None:
            return
        shapes = [None if t.shape is None else (None,) + tuple(t.shape[1:]) for t in tensors]
        build = interp.class_attr(instance.cls, "build", instance, site)
        interp.call(build, [shapes[0] if isinstance(inputs, Tensor) else shapes], {}, site)

    def record(self, interp, node, call_site) -> None:
        super().record(interp, node, call_site)
        if id(node.layer) in self._state(interp.trace).built_in_call:
            node.facts.append(BUILT_IN_FORWARD)

    def label_for(self, interp, layer, given: str = "") -> str:
        """Keras' automatic names: conv2d, conv2d_1... one per layer object."""
        state = self._state(interp.trace)
        if id(layer) in state.labels:
            return state.labels[id(layer)][1]
        if not given:
            base = snake_case(layer.type_name)
            count = state.names.get(base, 0)
            state.names[base] = count + 1
            given = base if count == 0 else f"{base}_{count}"
        state.labels[id(layer)] = (layer, given)  # kept alive: its address is not reused by another layer
        return given

    def _state(self, trace) -> "_TraceState":
        state = self._traces.get(trace)
        if state is None:
            state = self._traces[trace] = _TraceState()
        return state

    # == layer and model methods =======================================================
    def call_layer_method(self, interp, method: LayerMethod, args, kwargs, site):
        if method.name == "add_weight":
            return self.add_weight(interp, method.receiver, args, kwargs, site)
        # build(input_shape) marks the layer built, nothing to count; a model remembers the input it was built for
        shape = shape_tuple(args[0] if args else kwargs.get("input_shape"))
        if shape is not None and is_keras_model_class(method.receiver.cls):
            _BUILT_FOR.setdefault(interp, {})[id(method.receiver)] = shape[1:]
        return None

    def subclass_input(self, interp, instance: Instance) -> Optional[tuple]:
        """The input a subclassed model declares: ``model.build((None, ...))``, else the input its first part
        declares when that part is a model (``self.encoder = Sequential([Input(...), ...])``)."""
        built = _BUILT_FOR.get(interp, {}).get(id(instance))
        if built is not None:
            return built
        first = next((item for item in _layer_attrs(instance)
                      if isinstance(item, (LayerObject, KerasSequential, KerasFunctional, Instance))), None)
        return first.declared_input() if isinstance(first, (KerasSequential, KerasFunctional)) else None

    def call_model_method(self, interp, method: ModelMethod, args, kwargs, site):
        model = method.receiver
        interp.note_change(model)
        if method.name == "add" and args:
            model.items.append(args[0])
        elif method.name == "pop" and model.items:
            return model.items.pop()
        elif method.name == "build":
            shape = shape_tuple(args[0] if args else kwargs.get("input_shape"))
            if shape is not None:
                model.build_shape = shape[1:]
        elif method.name == "compile":
            use = loss_use(kwargs.get("loss", args[1] if len(args) > 1 else None), site)
            if isinstance(model, Instance):
                self._compiled[id(model)] = (model, [use] if use is not None else [])
            else:
                model.losses = [use] if use is not None else []
        return None

    # == models ========================================================================
    def candidates(self, interp) -> list:
        found, seen = [], set()

        def add(name, value, site=None):
            if id(value) in seen:
                return
            seen.add(id(value))
            if isinstance(value, (KerasSequential, KerasFunctional)):
                found.append(Candidate(name, value, site or value.site, self.framework,
                                       declared_input=value.declared_input()))
            elif isinstance(value, Instance) and is_keras_class(value.cls):
                found.append(Candidate(name, value, site or value.site or value.cls.node, self.framework,
                                       declared_input=self.subclass_input(interp, value)))
            elif isinstance(value, UnresolvedModel) and value.framework in (None, self.framework):
                found.append(Candidate(name, value, site or value.site, self.framework))

        bound = module_values(interp)
        for name, value in bound:
            add(name, value)
        instantiated = {id(v.cls) for _, v in bound if isinstance(v, Instance)}
        for name, value in list(interp.globals.vars.items()):
            if (isinstance(value, Class) and is_keras_model_class(value) and defined_here(interp, value)
                    and id(value) not in instantiated):
                instance = self.construct_with_defaults(interp, value)
                if instance is not None:
                    instance.site = value.node
                    add(name, instance)
        for name, (value, _) in factory_results(interp).items():
            if not isinstance(value, Unknown):
                add(name, value, interp.globals.vars[name].node)
        return found + self.unresolved_factories(interp)

    def construct_with_defaults(self, interp, cls: Class):
        with interp.tracing(Budget()) as trace:
            try:
                instance = interp.instantiate(cls, [], {}, cls.node)
            except BudgetExceeded:
                return None
        return None if trace.stopped and not instance.attrs else instance

    def trace(self, interp, candidate: Candidate, input_shape) -> ModelGraph:
        model = candidate.value
        if isinstance(model, Unknown):
            return self.trace_unresolved(candidate)
        graph = ModelGraph(candidate.name, self.framework, candidate.site)
        with interp.tracing(Budget()) as trace:
            given = input_shapes(input_shape) if input_shape is not None else []
            if isinstance(model, KerasFunctional):
                if given and len(model.inputs) == len(given):
                    inputs = [Tensor((BATCH,) + tuple(shape)) for shape in given]
                else:
                    inputs = [Tensor(t.shape) for t in model.inputs]
                for x in inputs:
                    layer = InputLayer(x)
                    trace.nodes.append(apply(layer, [], label=self.label_for(interp, layer)))
                graph.input_source = "declared" if input_shape is None and all(t.shape for t in inputs) else ""
                out = self.replay(interp, model, inputs)
                outputs = out if isinstance(out, list) else [out]
            else:
                x = self.keras_tensor((BATCH,) + tuple(given[0]) if len(given) == 1 else self.symbolic_input(model))
                inputs = [x]
                try:
                    if isinstance(model, KerasSequential):
                        out = self.apply_sequential(interp, model, x, model.site)
                    else:
                        out = self.call_subclassed(interp, model, [x], {}, candidate.site)
                except BudgetExceeded as exc:
                    trace.stop(exc.reason, exc.site or candidate.site)
                    out = Tensor(None)
                outputs = only_tensors(out) or [out]  # call() may return several tensors
        graph.inputs = inputs
        compiled = self._compiled.get(id(model))
        graph.losses = list(compiled[1] if compiled is not None else getattr(model, "losses", []))
        graph.outputs = [t if isinstance(t, Tensor) else Tensor(None) for t in outputs]
        graph.nodes = trace.nodes
        graph.stopped = trace.stopped
        graph.layers = _unique_layers(trace.nodes)
        graph.attributes = held_layers(model, graph, _layers_inside)
        if any(layer.trainable is None for layer in graph.layers):
            graph.stopped.append(Problem(ProblemKind.UNRESOLVED, "which layers are frozen is not known: "
                                         "`trainable` is set to a value cnnlint cannot compute", candidate.site))
        return graph

    def symbolic_input(self, model):
        """Without a declared input: the rank the first layer needs, sizes unknown."""
        items = model.items if isinstance(model, KerasSequential) else _layer_attrs(model)
        first = next((item for item in items if isinstance(item, LayerObject)), None)
        rank = getattr(first.engine, "rank", None) if first is not None else None
        if rank is None:
            return None
        return (BATCH,) + symbols(SPATIAL_NAMES[rank]) + (None,)


def _keys_sorted(structure, in_dict: bool = False):
    """Keras flattens a model's inputs and outputs with a dict's entries in the order of their keys
    (``outputs={"priority": ..., "department": ...}`` gives the department's first); a dict within a dict
    keeps the order it was written in."""
    if isinstance(structure, dict) and all(isinstance(k, str) for k in structure):
        return {k: _keys_sorted(structure[k], True) for k in (structure if in_dict else sorted(structure))}
    if isinstance(structure, (list, tuple)):
        return [_keys_sorted(item, in_dict) for item in structure]
    return structure


#: interpreter -> id(subclassed model instance) -> the input shape (without batch) its build() was given
_BUILT_FOR: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()

#: Python operators on symbolic tensors, as the operations Keras records for them
_ARITHMETIC = {"Add": "add", "Subtract": "subtract", "Multiply": "multiply", "Divide": "divide", "Power": "power"}

_MERGE_FUNCTIONS = {"add": "Add", "subtract": "Subtract", "multiply": "Multiply", "average": "Average",
                    "maximum": "Maximum", "minimum": "Minimum", "concatenate": "Concatenate", "dot": "Dot"}


def _flag(value) -> Optional[bool]:
    return bool(value) if isinstance(value, (bool, int)) else None


def _layers_inside(obj) -> Optional[list]:
    """The engine layers of a Keras layer, model or layer subclass instance, nested ones included;
    None for anything else."""
    if not isinstance(obj, (LayerObject, KerasSequential, KerasFunctional)) and not (
            isinstance(obj, Instance) and is_keras_class(obj.cls)):
        return None
    found, seen, stack = [], set(), [obj]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, LayerObject):
            found.append(item.engine)
        elif isinstance(item, KerasSequential):
            stack.extend(item.layers())
        elif isinstance(item, KerasFunctional):
            found.extend(node.layer for node in item.nodes())
        elif isinstance(item, Instance) and is_keras_class(item.cls):
            stack.extend(_layer_attrs(item))
    return found


def _layer_attrs(instance: Instance) -> list:
    items = []
    for value in instance.attrs.values():
        items.extend(value if isinstance(value, (list, tuple)) else [value])
    return items


def _unique_layers(nodes) -> list:
    """The layers applied, each once, and the weights custom layers created."""
    seen, layers = set(), []
    for node in nodes:
        if (node.is_layer or isinstance(node.layer, Parameter)) and id(node.layer) not in seen:
            seen.add(id(node.layer))
            layers.append(node.layer)
    return layers


KerasFrontEnd.METHODS = {ModelMethod: KerasFrontEnd.call_model_method, LayerMethod: KerasFrontEnd.call_layer_method}
