"""Whether code a trace did not run could have added, removed or frozen a parameter of the model.

``model.parameters()`` counts the modules registered on the model; code
registers one only through ``Module.__setattr__`` (``self.fc = nn.Linear(...)``,
``setattr``), ``add_module``/``register_*``, a container's ``append``/``extend``/
``insert``/``update``/item assignment, or ``del``; and freezes one through
``requires_grad``.  When ``forward`` stops at a loop over the images of a
list, the modules are still those the constructor registered, so the counts
stay exact, provided nothing in the code left unrun (followed through the
functions, methods and modules it calls, as far as they can be resolved
without running anything) takes one of these forms.
"""

from __future__ import annotations

import builtins

import libcst as cst

from ...evaluator.branches import MUTATORS, assigned_names
from ...evaluator.scope import Scope
from ...evaluator.values import BoundMethod, Class, Function, Instance, Partial, Ref, Unknown
from ..base import LayerObject
from .models import ModuleContainer, ParameterTensor, is_module_class

#: methods that register, remove or freeze parameters, whatever they are called on
REGISTERING = frozenset({"add_module", "register_module", "register_parameter", "requires_grad_", "apply", "_apply",
                         "__setattr__", "__delattr__", "__setitem__", "__delitem__", "load_state_dict",
                         "register_forward_pre_hook", "register_forward_hook", "to_empty", "initialize_parameters"})
#: methods that change a container in place: registering when the container may be a module's
CHANGING = frozenset({"append", "extend", "insert", "update", "pop", "popitem", "clear", "remove", "setdefault"})
#: methods that change a list, dict, set or deque in place
STATE_CHANGING = CHANGING | MUTATORS
#: builtins that set attributes by name or run code from text
DYNAMIC = frozenset({"setattr", "delattr", "exec", "eval", "vars", "globals", "locals", "__import__"})
#: torch names that change a module's parameters (weight_norm adds two, pruning, parametrizations...)
TORCH_CHANGING = ("torch.nn.utils",)
#: how many functions one question may follow before it answers "maybe"
MAX_FUNCTIONS = 400

_PLAIN_NODES = (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString, cst.FormattedString,
                cst.List, cst.Tuple, cst.Dict, cst.Set, cst.ListComp, cst.DictComp, cst.SetComp, cst.GeneratorExp,
                cst.Comparison, cst.BinaryOperation, cst.UnaryOperation)
_MAYBE = object()  # a name or attribute whose value cannot be known without running code


def _never_a_module(expr) -> bool:
    """A value no module or parameter can be: a constant, a display, a comparison, arithmetic."""
    if isinstance(expr, cst.Name):
        return expr.value in ("True", "False", "None")
    return isinstance(expr, _PLAIN_NODES)


class RegistrationScan:
    """One question: could any of these skipped pieces of code change what ``parameters()`` holds?

    ``strict`` asks more, for code skipped while the model was built: could it change any object at all (a
    list, a registry's entry), since the layers built after it may be sized by what it would have stored?
    """

    def __init__(self, frontend, interp, strict: bool = False):
        self.fe, self.interp, self.strict = frontend, interp, strict
        self.seen: set = set()

    def any_changes(self, skipped) -> bool:
        return any(self.code_changes(code, scope) for code, scope in skipped)

    # -- code ----------------------------------------------------------------------
    def code_changes(self, code, scope) -> bool:
        if isinstance(code, Function):
            return self.function_changes(code, scope)
        found = []
        code.visit(_Forms(self, _masked(code, scope), found))
        return bool(found)

    def function_changes(self, fn: Function, scope: Scope) -> bool:
        key = (id(fn.node), id(scope.receiver))
        if key in self.seen:
            return False
        self.seen.add(key)
        if len(self.seen) > MAX_FUNCTIONS:
            return True
        node = fn.node
        params = node.params
        for param in [*params.posonly_params, *params.params, *params.kwonly_params, params.star_arg,
                      params.star_kwarg]:
            if isinstance(param, cst.Param) and param.name.value not in scope.vars:
                scope.vars[param.name.value] = _MAYBE  # an argument of a call that was not made
        if isinstance(node, cst.Lambda):
            return self.code_changes(node.body, scope)
        body = fn.module.source.body(node)
        return body is None or self.code_changes(body, scope)

    # -- values ----------------------------------------------------------------------
    def value_of(self, expr, scope: Scope):
        """The value of ``a`` or ``a.b.c`` as the trace left it, without running code; _MAYBE if unknown."""
        if isinstance(expr, cst.Name):
            if expr.value in ("True", "False", "None"):
                return None
            try:
                return scope.lookup(expr.value)
            except KeyError:
                return self.interp.globals.vars.get(expr.value, _MAYBE)
        if isinstance(expr, cst.Attribute):
            owner = self.value_of(expr.value, scope)
            name = expr.attr.value
            if isinstance(owner, Instance):
                if name in owner.attrs:
                    return owner.attrs[name]
                found = owner.cls.lookup(name)
                return BoundMethod(found, owner, owner.cls) if isinstance(found, Function) else _MAYBE
            if isinstance(owner, ModuleContainer):
                return owner.children.get(name, _MAYBE)
            if isinstance(owner, LayerObject):
                return owner.attrs.get(name, _MAYBE)
            if isinstance(owner, Ref):
                return Ref(f"{owner.qualname}.{name}")
            return _MAYBE
        return _MAYBE

    def may_hold_modules(self, value, unknown: bool = True) -> bool:
        """Whether value is or holds a module or parameter (an unknown value may, unless ``unknown`` is False);
        when strict, whether it is an object code can change."""
        if self.strict:
            return value is _MAYBE or not isinstance(value, (int, float, complex, str, bytes, bool, type(None)))
        if value is _MAYBE or isinstance(value, Unknown):
            return unknown
        if isinstance(value, (ModuleContainer, ParameterTensor, LayerObject)):
            return True
        if isinstance(value, Instance):
            return is_module_class(value.cls)
        if isinstance(value, (list, tuple)):
            return any(self.may_hold_modules(v, unknown) for v in value)
        if isinstance(value, dict):
            return any(self.may_hold_modules(v, unknown) for v in value.values())
        return False

    def call_changes(self, node: cst.Call, scope: Scope) -> bool:
        func = node.func
        if isinstance(func, cst.Name) and func.value in DYNAMIC:
            return True
        if isinstance(func, cst.Attribute):
            name = func.attr.value
            if name in REGISTERING:
                return True
            if (name in CHANGING or self.strict and name in STATE_CHANGING) and self.may_be_modules(func.value, scope):
                return True
        if isinstance(func, cst.Subscript):  # self.blocks[i](x): any of them
            return self.callee_changes(self.value_of(func.value, scope), node, whole=True)
        callee = self.value_of(func, scope)
        if callee is _MAYBE or isinstance(callee, Unknown):
            # a method of an object cnnlint cannot see (a tensor's, a library's) changes nothing unless named
            # above; a bare name it cannot resolve (a callable passed in) could be anything
            return isinstance(func, cst.Name) and not hasattr(builtins, func.value)
        return self.callee_changes(callee, node)

    def callee_changes(self, callee, node, whole: bool = False) -> bool:
        if whole and isinstance(callee, (list, tuple, dict, ModuleContainer)):
            items = callee.items() if isinstance(callee, ModuleContainer) else (
                callee.values() if isinstance(callee, dict) else callee)
            return any(self.callee_changes(item, node) for item in items)
        if isinstance(callee, Partial):
            return self.callee_changes(callee.fn, node)
        if isinstance(callee, BoundMethod):
            scope = Scope(parent=callee.function.scope, owner_class=callee.owner, receiver=callee.receiver)
            params = callee.function.node.params
            first = (list(params.posonly_params) + list(params.params))[:1]
            if first:
                scope.vars[first[0].name.value] = callee.receiver
            return self.function_changes(callee.function, scope)
        if isinstance(callee, Function):
            return self.function_changes(callee, Scope(parent=callee.scope))
        if isinstance(callee, ModuleContainer):
            return any(self.callee_changes(child, node) for child in callee.items())
        if isinstance(callee, Instance):
            method = callee.cls.lookup("forward" if is_module_class(callee.cls) else "__call__")
            return isinstance(method, Function) and self.callee_changes(
                BoundMethod(method, callee, callee.cls), node)
        if isinstance(callee, Class):
            if is_module_class(callee):
                return False  # a new module: registered only where it is assigned, which is looked at there
            init = callee.lookup("__init__")
            return isinstance(init, Function) and self.callee_changes(
                BoundMethod(init, Instance(callee), callee), node)
        if isinstance(callee, Ref):
            return callee.qualname.startswith(TORCH_CHANGING)
        return isinstance(callee, Unknown) or callee is _MAYBE

    def target_changes(self, target, value, scope: Scope) -> bool:
        """``owner.name = value``, ``owner[key] = value``, ``del ...``: a module's attribute or item?"""
        if isinstance(target, (cst.Tuple, cst.List)):
            return any(self.target_changes(e.value, None, scope) for e in target.elements)
        if isinstance(target, cst.StarredElement):
            return self.target_changes(target.value, None, scope)
        if isinstance(target, cst.Attribute):
            owner = self.value_of(target.value, scope)
            if not self.may_hold_modules(owner):
                return False
            return (self.strict or target.attr.value == "requires_grad" or value is None
                    or not _never_a_module(value))
        if isinstance(target, cst.Subscript):
            return self.may_be_modules(target.value, scope)
        return False

    def may_be_modules(self, expr, scope: Scope) -> bool:
        """Whether a container changed in place (``xs.append(m)``, ``xs[i][k] = m``) may be a module's.

        A local name the trace did not follow, or a plain list or dict of values it does not know, is taken
        for the plain container it almost always is; an attribute it cannot see (``self.blocks``) or a module
        container is not."""
        while isinstance(expr, cst.Subscript):
            expr = expr.value
        return self.may_hold_modules(self.value_of(expr, scope), unknown=not isinstance(expr, cst.Name))


def _masked(code, scope: Scope) -> Scope:
    """The scope as the code would see it: the names it binds hold what the trace never computed."""
    inner = Scope(parent=scope, owner_class=scope.owner_class, receiver=scope.receiver)
    names = [n for n in assigned_names(code) if isinstance(n, str)]

    class Targets(cst.CSTVisitor):  # loop variables, comprehension variables, ``with ... as``, ``:=``
        def visit_For(self, node):
            names.extend(n.value for n in _names_in(node.target))

        def visit_CompFor(self, node):
            names.extend(n.value for n in _names_in(node.target))

        def visit_AsName(self, node):
            names.extend(n.value for n in _names_in(node.name))

        def visit_NamedExpr(self, node):
            names.extend(n.value for n in _names_in(node.target))

    code.visit(Targets())
    inner.vars.update(dict.fromkeys(names, _MAYBE))
    return inner


def _names_in(target) -> list:
    if isinstance(target, cst.Name):
        return [target]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for e in target.elements for n in _names_in(e.value)]
    if isinstance(target, cst.StarredElement):
        return _names_in(target.value)
    return []


class _Forms(cst.CSTVisitor):
    """Finds the forms that change a model's parameters in a piece of code."""

    def __init__(self, scan: RegistrationScan, scope: Scope, found: list):
        self.scan, self.scope, self.found = scan, scope, found

    def _note(self, changes: bool):
        if changes:
            self.found.append(True)
        return not self.found  # stop looking once found

    def visit_Assign(self, node):
        return self._note(any(self.scan.target_changes(t.target, node.value, self.scope) for t in node.targets))

    def visit_AugAssign(self, node):
        return self._note(self.scan.target_changes(node.target, None, self.scope))

    def visit_AnnAssign(self, node):
        return self._note(node.value is not None and self.scan.target_changes(node.target, node.value, self.scope))

    def visit_Del(self, node):
        return self._note(self.scan.target_changes(node.target, None, self.scope))

    def visit_Call(self, node):
        return self._note(self.scan.call_changes(node, self.scope))

    def visit_FunctionDef(self, node):
        return False  # defined, not run: a call to it is looked at where it is made

    def visit_ClassDef(self, node):
        return False
