"""Losses applied to a model's output in code the interpreter does not run: loops over data, training-step
functions, a LightningModule's ``training_step``. A syntactic pass: ``L(M(x), y)`` or ``out = M(x)`` then
``L(out, y)``, linked only where M and L each resolve to one object for certain (precision first)."""

import re
from typing import Callable, Iterator, Optional

import libcst as cst

from ...evaluator.values import Instance, Ref
from ..base import LayerObject, module_values
from .models import torch_name

#: losses whose first argument is the model's output, and what they expect of it
LOSS_MODULES = frozenset({"CrossEntropyLoss", "BCEWithLogitsLoss", "NLLLoss", "BCELoss"})
LOSS_FUNCTIONS = frozenset({"cross_entropy", "binary_cross_entropy_with_logits", "nll_loss", "binary_cross_entropy"})

_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def _walk(node) -> Iterator:
    """Every node below node, not entering nested functions or classes."""
    for child in node.children:
        yield child
        if not isinstance(child, _SCOPES):
            yield from _walk(child)


def _bound_names(nodes) -> dict:
    """name -> how many times the code binds it (assignments, loop targets, with-as, imports...)."""
    counts: dict = {}

    def bind(target):
        for node in [target, *_walk(target)]:
            if isinstance(node, cst.Name):
                counts[node.value] = counts.get(node.value, 0) + 1

    for node in nodes:
        if isinstance(node, cst.Assign):
            for target in node.targets:
                bind(target.target)
        elif isinstance(node, (cst.AnnAssign, cst.AugAssign)):
            bind(node.target)
        elif isinstance(node, (cst.For, cst.CompFor)):
            bind(node.target)
        elif isinstance(node, cst.ImportAlias) and node.asname is None:
            bind(node.name if isinstance(node.name, cst.Name) else _leftmost(node.name))
        elif isinstance(node, (cst.AsName, cst.NamedExpr)):
            bind(node.name if isinstance(node, cst.AsName) else node.target)
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            bind(node.name)
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            for item in node.names:
                counts[item.name.value] = 2  # rebound elsewhere: never certain
    return counts


def _leftmost(expr: cst.Attribute) -> cst.Name:
    while isinstance(expr, cst.Attribute):
        expr = expr.value
    return expr


def _outputs(nodes, counts: dict) -> dict:
    """name -> the call expression of ``name = M(...)``, where that is the name's only binding."""
    found = {}
    for node in nodes:
        if (isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name)
                and isinstance(node.value, cst.Call) and counts.get(node.targets[0].target.value) == 1):
            found[node.targets[0].target.value] = node.value
    return found


def _prediction(call: cst.Call) -> Optional[cst.BaseExpression]:
    for arg in call.args:
        if arg.keyword is None and arg.star == "":
            return arg.value
        if arg.keyword is not None and arg.keyword.value == "input":
            return arg.value
    return None


def _definitions(module: cst.Module, body_of: Callable) -> list:
    """(function, its body, its class or None) for the file's functions and methods body_of reads."""
    found = []
    for stmt in module.body:
        methods = stmt.body.body if isinstance(stmt, cst.ClassDef) else []
        for function, owner in [(stmt, None)] + [(method, stmt) for method in methods]:
            body = body_of(function) if isinstance(function, cst.FunctionDef) else None
            if body is not None:
                found.append((function, body, owner))
    return found


def find_links(module: cst.Module, body_of: Callable, global_value: Callable, instances_of: Callable,
               link: Callable, loss_words: frozenset = frozenset(), file_text: str = "") -> None:
    """Call ``link(model, loss, call)`` for each loss call applied to a model's output, both resolved for certain.

    body_of(function, words) gives a function's statements, or None where its text has none of the words
    (None: any text; a body is parsed only where a loss may be); global_value(name) a module-level value;
    instances_of(class_node) the built instances of a class; link decides whether the resolved objects
    are a model and a loss."""
    top = [node for stmt in module.body if not isinstance(stmt, _SCOPES) for node in [stmt, *_walk(stmt)]]
    top_counts = _bound_names(top + [stmt for stmt in module.body if isinstance(stmt, _SCOPES)])

    def module_name(name):
        return global_value(cst.Name(name)) if top_counts.get(name) == 1 else None

    calls_at_top = {}
    for node in top:
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name):
            calls_at_top.setdefault(node.func.value, []).append(node)
    # functions called at module level with a loss: their bodies may apply it under a parameter's name
    passers = {name for name, calls in calls_at_top.items()
               if any(isinstance(a.value, cst.Name) and a.value.value in loss_words for c in calls for a in c.args)}
    definitions = _definitions(module, lambda function: body_of(
        function, None if function.name.value in passers else loss_words))

    def called_elsewhere(name: str) -> bool:
        """Named anywhere but its definition and its module-level calls (a word count: never too few)."""
        return len(re.findall(rf"\b{re.escape(name)}\b", file_text)) != len(calls_at_top.get(name, ())) + 1

    def argument_value(function: cst.FunctionDef, position: int, param: str):
        """The one module-level object every call of the function passes for the parameter."""
        name = function.name.value
        if called_elsewhere(name) or name not in calls_at_top or top_counts.get(name) != 1:
            return None
        values = set()
        for call in calls_at_top[name]:
            passed = [a.value for a in call.args if a.keyword is not None and a.keyword.value == param]
            positional = [a for a in call.args if a.keyword is None]
            if any(a.star for a in call.args):
                return None
            if not passed and position < len(positional):
                passed = [positional[position].value]
            if len(passed) != 1 or not isinstance(passed[0], cst.Name):
                return None
            value = module_name(passed[0].value)
            if value is None:
                return None
            values.add(id(value))
            found = value
        return found if len(values) == 1 else None

    def scan(nodes, resolve, counts=None) -> None:
        counts = counts if counts is not None else _bound_names(nodes)
        outputs = _outputs(nodes, counts)
        for node in nodes:
            if not isinstance(node, cst.Call):
                continue
            loss = resolve(node.func, counts)
            if loss is None:
                continue
            prediction = _prediction(node)
            if isinstance(prediction, cst.Name) and prediction.value in outputs:
                prediction = outputs[prediction.value]
            if isinstance(prediction, cst.Call):
                model = resolve(prediction.func, counts)
                if model is not None:
                    link(model, loss, node)

    def resolver(function: Optional[cst.FunctionDef], self_value):
        params = list(function.params.params) if function is not None else []

        def resolve(expr, counts):
            if isinstance(expr, cst.Attribute):
                owner = resolve(expr.value, counts)
                if isinstance(owner, Instance):  # self.model, self.criterion: what the instance holds
                    if expr.attr.value == "forward" and "forward" not in owner.attrs:
                        return owner  # self.forward(x): the module's own output, as self(x) gives it
                    return owner.attrs.get(expr.attr.value)
                if isinstance(expr.value, (cst.Name, cst.Attribute)) and owner is not None:
                    return global_value(expr)  # F.cross_entropy, nn.functional.cross_entropy
                return None
            if not isinstance(expr, cst.Name):
                return None
            name = expr.value
            for position, param in enumerate(params):
                if param.name.value == name:
                    if position == 0 and self_value is not None:
                        return self_value
                    if counts.get(name) or self_value is not None:
                        return None
                    return argument_value(function, position, name)
            if function is not None and counts.get(name):
                return None
            return module_name(name)

        return resolve

    for stmt in module.body:
        if isinstance(stmt, (cst.For, cst.While, cst.With, cst.If, cst.Try)):
            scan([stmt, *_walk(stmt)], resolver(None, None), top_counts)
    for function, body, owner in definitions:
        if owner is None:
            scan(list(_walk(body)), resolver(function, None))
        elif function.params.params:
            for instance in instances_of(owner):
                scan(list(_walk(body)), resolver(function, instance))


def link_losses_in_code(frontend, interp, models: list, from_classes: dict) -> None:
    """Link the losses find_links sees to the front end's models.

    A model built with no arguments (a LightningModule's ``self.model = Net()``) has the structure of
    the one reported for its class, built the same way: its loss is that one's."""
    models = models + [value for _, value in module_values(interp) if isinstance(value, Instance)]

    def global_value(expr):
        try:
            return interp.eval(expr, interp.globals)
        except Exception:  # noqa: BLE001 - an expression cnnlint cannot evaluate links nothing
            return None

    def instances_of(node):
        return [value for value in models if isinstance(value, Instance) and value.cls.node is node]

    def link(model, loss, call):
        if isinstance(loss, Ref):
            space, name = torch_name(loss.qualname)
            loss = name if space == "F" and name in LOSS_FUNCTIONS else None
        elif is_loss(frontend, loss):
            loss = loss.engine.type_name
        else:
            loss = None
        if loss is None:
            return
        if frontend.is_model(model):  # also where it is a part: a model whose forward returns its output
            frontend.record_loss(model, loss, call)
        if (isinstance(model, Instance) and model.cls in from_classes and isinstance(model.site, cst.Call)
                and not model.site.args):
            model = from_classes[model.cls]
        if frontend.is_model(model):
            frontend.record_loss(model, loss, call)

    loss_objects = [(name, value) for name, value in module_values(interp) if is_loss(frontend, value)]
    loss_objects += [(attr, value) for instance in models if isinstance(instance, Instance)
                     for attr, value in instance.attrs.items() if is_loss(frontend, value)]
    words = frozenset(name for name, _ in loss_objects) | LOSS_FUNCTIONS
    text = interp.source.text

    def body_of(function, wanted):
        definition = interp.source.definition_text(function)
        if wanted is not None and definition is not None and not any(word in definition for word in wanted):
            return None
        return interp.source.body(function)

    if any(word in text for word in words):
        find_links(interp.module, body_of, global_value, instances_of, link, words, text)


def is_loss(frontend, value) -> bool:
    return isinstance(value, LayerObject) and value.frontend is frontend and value.engine.type_name in LOSS_MODULES


def returned_parts(graph, rows: dict) -> list:
    """The modules whose call gave the model's one output (``return self.model(x)``): a loss applied to
    their output (``self.model(x)`` in a LightningModule's training_step) is applied to the model's."""
    if len(graph.outputs) != 1:
        return []
    layers = {id(layer): module for module, layer in rows.values()}
    return [layers[id(node.layer)] for node in graph.nodes
            if node.output is graph.outputs[0] and id(node.layer) in layers]
