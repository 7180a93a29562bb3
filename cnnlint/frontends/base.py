"""What every framework front end shares.

A front end is an evaluator plug-in (``evaluator/plugin.py``): it answers for
its framework's values, turns framework calls into engine layers through its
table, and says which values in a file are models and how to trace them.
"""

from __future__ import annotations

import copy as _copy
import re
import weakref
from dataclasses import dataclass, field
from typing import Any, Optional

from .. import dims
from ..dims import Expr
from ..engine import base as engine
from ..engine.base import InvalidArgument, Unresolved
from ..engine.core import Opaque
from ..evaluator.budget import Budget, BudgetExceeded
from ..evaluator.plugin import NOT_HANDLED, Plugin
from ..evaluator.values import Function, Ref, Unknown, first_unknown
from ..graph import ModelGraph, Problem, ProblemKind, Tensor
from .signatures import CallArguments

#: steps a model-building function called without arguments may take (was 2 s of wall-clock time)
FACTORY_STEPS = 250_000


#: what a layer argument can be in the framework: anything else is cnnlint's own stand-in for a value
_PLAIN = (bool, int, float, complex, str, bytes, type(None))
#: arguments that take functions or framework objects, never a size a refusal could be about
_CALLABLE_ARGUMENT = re.compile(r"activation|initializer|regularizer|constraint|_layer$|^dtype$|^device$|^name$")


def incomputable(values) -> Optional[str]:
    """Why one of the values (nested in lists, tuples, dicts) is not one cnnlint computed, or None.

    A layer refusing such a value says nothing about the code: a name cnnlint could not read
    (``config.NUM_CLASSES``), a size known only with the input (``out.size()[3]``), an object of its own.
    """
    unknown = first_unknown(values)
    if unknown is not None:
        return unknown.reason
    stack = list(values)
    while stack:
        value = stack.pop(0)
        if isinstance(value, (list, tuple)):
            stack[:0] = list(value)
        elif isinstance(value, dict):
            stack[:0] = list(value.values())
        elif isinstance(value, Ref):
            return f"{value.qualname} is not known to cnnlint"
        elif isinstance(value, Expr):
            return f"an argument depends on the input size ({dims.render(value)}); give one with --input-shape"
        elif not isinstance(value, _PLAIN + (Tensor, LayerObject)):  # a functional op's input is a tensor
            return "an argument is a value cnnlint cannot compute"
    return None


class LayerObject:
    """A framework layer object in the analysed code (``nn.Conv2d(...)``)."""

    __slots__ = ("engine", "site", "name", "kwargs", "frontend", "attrs", "_hash")

    def __init__(self, layer: engine.Layer, site, name: str = "", kwargs: Optional[dict] = None, frontend=None):
        self.engine = layer
        self.site = site
        self.name = name
        self.kwargs = kwargs or {}
        self.frontend = frontend
        #: attributes the analysed code set on the layer that are none of the framework's (``act.do_output = True``)
        self.attrs: dict = {}

    def deep_copy(self, copy, memo: dict) -> "LayerObject":
        """``copy.deepcopy``: a layer with the same arguments and weights of its own."""
        new = memo[id(self)] = LayerObject(_copy.copy(self.engine), self.site, self.name, dict(self.kwargs),
                                           self.frontend)
        new.attrs = {name: copy(value) for name, value in self.attrs.items()}
        return new

    def __repr__(self):
        return f"LayerObject({self.engine.type_name})"


class FrameworkMethod:
    """A framework method bound to its receiver (``x.view``, ``model.add``, ``self.add_weight``).

    Each front end subclasses it once per kind of receiver and runs it through its
    ``METHODS`` table: subclass -> the front end's method that runs it.
    """

    __slots__ = ("receiver", "name", "base")

    def __init__(self, receiver, name: str, base: str = ""):
        self.receiver = receiver
        self.name = name
        self.base = base  # the framework class it is inherited from, when that matters

    def __repr__(self):
        return f"{type(self).__name__}({self.name})"


@dataclass
class Candidate:
    """Something in a file that is a model, with how to trace it."""

    name: str
    value: Any
    site: Any
    framework: str
    declared_input: Optional[tuple] = None  # without batch
    problems: list = field(default_factory=list)
    #: (code, scope) that building it did not run (see Trace.skipped)
    skipped: list = field(default_factory=list)


class FrontEnd(Plugin):
    """A framework's front end: the evaluator's hooks for its values, and the models it finds and traces."""

    framework = ""

    #: FrameworkMethod subclass -> the method of this front end that runs it (interp, method, args, kwargs, site)
    METHODS: dict = {}

    def call_method(self, interp, method: FrameworkMethod, args, kwargs, site):
        run = self.METHODS.get(type(method))
        return NOT_HANDLED if run is None else run(self, interp, method, args, kwargs, site)

    # -- models ----------------------------------------------------------
    def candidates(self, interp) -> list:
        return []

    def trace(self, interp, candidate: Candidate, input_shape) -> ModelGraph:
        raise NotImplementedError

    def label_for(self, interp, layer, given: str = "") -> str:
        """The name a layer is shown under in this trace."""
        return given or layer.type_name

    def unresolved_factories(self, interp) -> list:
        """Candidates for factories that used this framework's layers but returned no model."""
        return [Candidate(name, value, value.site, self.framework)
                for name, (value, framework) in factory_results(interp).items()
                if isinstance(value, Unknown) and framework == self.framework]

    def trace_unresolved(self, candidate: Candidate) -> ModelGraph:
        graph = ModelGraph(candidate.name, self.framework, candidate.site)
        graph.stopped = [Problem(ProblemKind.UNRESOLVED, candidate.value.reason, candidate.site)]
        graph.outputs = [Tensor(None)]
        return graph

    # -- shared helpers -----------------------------------------------------
    def make_layer(self, interp, table, type_name: str, args, kwargs, site, qualname: str) -> LayerObject:
        """Build a layer from a table entry; bad or unknown arguments give an opaque layer."""
        try:
            layer = table.build(type_name, args, kwargs)
        except Unresolved as exc:
            layer = Opaque(self.framework, type_name, f"{type_name}: {exc}")
        except InvalidArgument as exc:
            why = incomputable(list(args) + [v for k, v in kwargs.items() if not _CALLABLE_ARGUMENT.search(k)])
            if why is not None:  # refused for a value cnnlint could not compute: not the framework's refusal
                layer = Opaque(self.framework, type_name, f"{type_name}: {why}")
            else:
                layer = Opaque(self.framework, type_name, str(exc), invalid=True)
        except (TypeError, ValueError, ZeroDivisionError, AttributeError) as exc:
            layer = Opaque(self.framework, type_name, f"{type_name}: arguments cnnlint cannot interpret ({exc})")
        name = kwargs.get("name") if isinstance(kwargs.get("name"), str) else ""
        layer.arguments = CallArguments(site, table.signature(type_name), type_name, args, kwargs,
                                        table.declared_input.get(type_name))
        return LayerObject(layer, site, name, kwargs, self)

    def unknown_layer(self, qualname: str, site, kwargs) -> LayerObject:
        short = qualname.rsplit(".", 1)[-1]
        layer = Opaque(self.framework, short, f"cnnlint does not model {qualname}; shapes after it are unknown")
        return LayerObject(layer, site, "", kwargs, self)

    def apply_layer(self, interp, obj: LayerObject, inputs, site, label: str = "", options: Optional[dict] = None):
        """Apply a layer object to tensors, recording the node in the trace."""
        tensors = [t for t in inputs]
        if not all(isinstance(t, Tensor) for t in tensors):
            bad = next(t for t in tensors if not isinstance(t, Tensor))
            reason = bad.reason if isinstance(bad, Unknown) else f"{obj.engine.type_name} is applied to a non-tensor"
            interp.trace.stop(f"{reason}", getattr(bad, "site", None) or site)
            return Unknown(reason, site)
        node = engine.apply(obj.engine, tensors, site=obj.site,
                            label=self.label_for(interp, obj.engine, label or obj.name), depth=interp.trace.depth,
                            options=options)
        self.record(interp, node, site)
        return node.output

    def record(self, interp, node, call_site) -> None:
        """Add an applied node to the trace, with why an opaque layer stops shapes."""
        node.call_site = call_site
        interp.trace.nodes.append(node)
        layer = node.layer
        if isinstance(layer, Opaque):
            kind = ProblemKind.INVALID_ARGUMENT if layer.invalid else ProblemKind.UNRESOLVED
            node.facts.append(Problem(kind, layer.reason, node.site))


def defined_here(interp, value) -> bool:
    """Whether a class or function is the analysed file's own: a model is reported with the file that defines
    it, not with every file that imports it (a package ``__init__`` star-importing a hundred model modules)."""
    return getattr(value, "module", None) is interp


def module_values(interp) -> list:
    """(name, value) of everything bound at module level, each binding of a name bound again included."""
    return interp.module_bindings + list(interp.globals.vars.items())


#: factory_results of each interpreter (one per file), shared by the front ends
_FACTORY_RESULTS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_FACTORY_SKIPPED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def factory_results(interp) -> dict:
    """Module-level functions callable with their defaults -> what they return.

    ``def build_model(input_shape=(28, 28, 1)): ... return model`` is how much
    model code is written; calling it (abstractly, each with its own budget)
    is the only way to see the model.  A function that applied layers but did
    not return a model cnnlint could follow returns an Unknown saying why, with
    the framework whose layers it used, so that it is reported, not dropped.
    Computed once per file; ``interp.model_filter`` limits it to one name.
    """
    cached = _FACTORY_RESULTS.get(interp)
    if cached is not None:
        return cached
    results = {}
    skipped = _FACTORY_SKIPPED[interp] = {}
    for name, value in list(interp.globals.vars.items()):
        if (not isinstance(value, Function) or not defined_here(interp, value) or not _all_defaulted(value)
                or interp.model_filter not in (None, name)):
            continue
        if interp.file_steps[0] <= 0:
            interp.unrun_factories.append((name, value.node))
            continue
        with interp.tracing(Budget(steps=FACTORY_STEPS)) as trace:
            try:
                result = interp.call(value, [], {}, value.node)
            except BudgetExceeded as exc:
                result = Unknown(f"{name}() could not be followed to the end: {exc.reason}", exc.site)
                if not trace.nodes and interp.file_steps[0] <= 0:
                    interp.unrun_factories.append((name, value.node))
                    continue
        # the factory asked for by name (--model) is reported even when cnnlint lost it before its first layer
        asked = interp.model_filter == name and len(interp.frontends) == 1
        if isinstance(result, Unknown) and (trace.nodes or asked):
            result.site = value.node
            result.reason = f"{name}() builds layers but cnnlint could not follow it to a model: {result.reason}"
            results[name] = (result, trace.nodes[0].layer.framework if trace.nodes else interp.frontends[0].framework)
        elif not isinstance(result, Unknown):
            results[name] = (result, None)
            skipped[name] = trace.skipped
    _FACTORY_RESULTS[interp] = results
    return results


def factory_skipped(interp, name: str) -> list:
    """The code a factory's run did not execute (see Trace.skipped)."""
    factory_results(interp)
    return _FACTORY_SKIPPED[interp].get(name, [])


def _all_defaulted(fn: Function) -> bool:
    params = fn.node.params
    defaults = fn.defaults_cache or {}
    return all(p.name.value in defaults for p in list(params.posonly_params) + list(params.params)) and all(
        p.name.value in defaults for p in params.kwonly_params)


def _leaves(value):
    if isinstance(value, (tuple, list)):
        for item in value:
            yield from _leaves(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    else:
        yield value


def tensors_in(value) -> list:
    """The tensors in a tensor or a (nested) tuple, list or dict, in order; other values are left out."""
    return [leaf for leaf in _leaves(value) if isinstance(leaf, Tensor)]


def only_tensors(value) -> Optional[list]:
    """The tensors of a tensor or a structure of them; None when it holds anything else, or nothing."""
    leaves = list(_leaves(value))
    return leaves if leaves and all(isinstance(leaf, Tensor) for leaf in leaves) else None
