"""The statement half of the interpreter: assignments, imports, branches, loops, definitions.

``Interpreter`` inherits it; ``exec_stmt`` dispatches by node type through ``_COMPOUND``.
"""

from __future__ import annotations

import functools

import libcst as cst

from ..dims import Expr
from ..graph import Problem, ProblemKind
from .branches import (DIFFER, ChangeLog, assigned_names, enclosing_scopes, join, merge_state, restore,
                       saved_state)
from .budget import BudgetExceeded
from .library import CONSTANTS
from .library.dataclasses import add_dataclass_init, is_dataclass_decorator
from .library.enums import add_enum_members, is_enum
from .modules import absolute_module
from .plugin import NOT_HANDLED
from .scope import Break, Continue, Raise, Return, Scope
from .syntax import block_statements, code_of, dotted_name, leaves_early, names_only
from .values import (BoundMethod, Builtin, Class, Function, Instance, LibraryUnknown, Partial, Ref, UncertainItems,
                     Unknown, UnknownItems, UnresolvedModel, unknown_of)

_MISSING = object()


#: values whose loss at module level needs no note: data, names, definitions
_PLAIN_VALUES = (type(None), bool, int, float, str, bytes, list, tuple, dict, set, Expr, Unknown, Ref, Function, Class,
                 Builtin)


class Statements:
    # -- statements -------------------------------------------------------
    def exec_block(self, body, scope: Scope) -> None:
        if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)):
            body = body.body
        for stmt in body:
            self.exec_stmt(stmt, scope)

    def exec_stmt(self, stmt, scope: Scope) -> None:
        budget, file_steps = self.budget, self.file_steps  # tick(), inlined as in eval()
        budget.steps_left -= 1
        file_steps[0] -= 1
        if budget.steps_left <= 0 or file_steps[0] <= 0:
            self.tick(stmt, 0)
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                self.exec_small(small, scope)
            return
        handler = _COMPOUND.get(type(stmt))
        if handler is not None:
            handler(self, stmt, scope)

    def exec_small(self, small, scope: Scope) -> None:
        handler = _SMALL.get(type(small))
        if handler is not None:  # Pass, Assert, Global, Nonlocal: nothing to model
            handler(self, small, scope)

    def exec_assign(self, small: cst.Assign, scope: Scope) -> None:
        value = self.eval(small.value, scope)
        for target in small.targets:
            self.assign(target.target, value, scope)

    def exec_annotated(self, small: cst.AnnAssign, scope: Scope) -> None:
        if small.value is not None:
            self.assign(small.target, self.eval(small.value, scope), scope)

    def exec_augmented(self, small: cst.AugAssign, scope: Scope) -> None:
        current = self.eval(small.target, scope)
        op = small.operator.__class__.__name__.replace("Assign", "")
        self.assign(small.target, self.binary(op, current, self.eval(small.value, scope), small), scope)

    def exec_return(self, small: cst.Return, scope: Scope) -> None:
        raise Return(None if small.value is None else self.eval(small.value, scope))

    def exec_import(self, node, scope: Scope) -> None:
        if isinstance(node, cst.Import):
            for alias in node.names:
                dotted = dotted_name(alias.name)
                if alias.asname is not None:
                    scope.vars[alias.asname.name.value] = Ref(dotted)
                else:
                    top = dotted.split(".")[0]
                    scope.vars[top] = Ref(top)
            return
        if node.relative:
            module = "." * len(node.relative) + (dotted_name(node.module) if node.module else "")
        else:
            module = dotted_name(node.module)
        if isinstance(node.names, cst.ImportStar):
            self.import_star(module, node, scope)
            return
        for alias in node.names:
            name = dotted_name(alias.name)
            bound = alias.asname.name.value if alias.asname is not None else name
            scope.vars[bound] = self.import_name(module, name, node)

    def import_star(self, module: str, site, scope: Scope) -> None:
        """``from module import *``: a project module's public names (its ``__all__`` if it lists them);
        any other module's names become Refs under it when they are first used (see ``eval_name``)."""
        if module.startswith("."):
            if not self.path:
                return
            module = absolute_module(module, self.path)
        path, rest = self.loader.split(module) if self.loader is not None else (None, None)
        loaded = self.loader.load(path, self) if path and not rest else None
        if loaded is None:
            self.star_modules.append(module)
            return
        public = loaded.vars.get("__all__")
        if isinstance(public, (list, tuple)) and all(isinstance(name, str) for name in public):
            names = [name for name in public if name in loaded.vars]
        else:
            names = [name for name in loaded.vars if not name.startswith("_") and name not in self.builtins]
        for name in names:
            scope.vars[name] = loaded.vars[name]

    def import_name(self, module: str, name: str, site):
        """``from module import name``: a Ref, resolved by path only when used."""
        if module.startswith("."):
            if not self.path:
                return Unknown(f"'{name}' is imported from {module}, which cnnlint cannot locate", site)
            module = absolute_module(module, self.path)
        qualname = f"{module}.{name}" if module else name
        return CONSTANTS.get(qualname, Ref(qualname))

    def exec_if(self, stmt: cst.If, scope: Scope) -> None:
        cond = self.truth(self.eval(stmt.test, scope))
        if cond is True:
            self.exec_block(stmt.body, scope)
        elif cond is False:
            if stmt.orelse is not None:
                self.exec_else(stmt.orelse, scope)
        else:
            self.both_branches(
                lambda s: self.exec_block(stmt.body, s),
                lambda s: self.exec_else(stmt.orelse, s) if stmt.orelse is not None else None,
                scope,
                stmt,
            )

    def exec_else(self, orelse, scope: Scope) -> None:
        if isinstance(orelse, cst.If):
            self.exec_if(orelse, scope)
        else:
            self.exec_block(orelse.body, scope)

    def both_branches(self, run_then, run_else, scope: Scope, site) -> None:
        """Follow both branches of an undecidable condition and merge.

        Variables that end up different in the two branches become Unknown
        unless they are tensors of the same shape.  So do the parts of objects
        that existed before the condition and a branch changed in place
        (``layers.append(...)``, ``self.head = ...``): each branch starts from
        the same state, and what they leave differently is unknown.
        """
        before = dict(scope.vars)
        roots = [before] + [s.vars for s in enclosing_scopes(scope)]
        outcomes, returned, logs = [], [], []
        for run in (run_then, run_else):
            scope.vars = dict(before)
            log = ChangeLog(roots)
            self._change_logs.append(log)
            continued = False
            try:
                run(scope)
                outcomes.append(scope.vars)
                continued = True
            except Return as ret:
                returned.append(ret.value)
            except (Raise, Break, Continue):
                # a path that leaves the block: the other one is the one that continues
                pass
            finally:
                self._change_logs.pop()
            logs.append((log, continued, {key: saved_state(obj) for key, (obj, _) in log.before.items()}))
            for obj, state in log.before.values():
                restore(obj, state)
        self.merge_changes(logs, site)
        if not outcomes:
            scope.vars = before
            if returned:
                raise Return(self.merge_values(returned, site))
            raise Raise(site)
        if returned:
            # the function may return here: its result must agree with what it returns later
            self.early_returns.extend((value, site) for value in returned)
        merged = dict(outcomes[0])
        for other in outcomes[1:]:
            for name in set(merged) | set(other):
                a, b = merged.get(name, _MISSING), other.get(name, _MISSING)
                both = join(a, b, partial=True)
                if both is not DIFFER:
                    merged[name] = both
                    continue
                why = f"'{name}' depends on a condition cnnlint cannot decide{self.where(site)}"
                framework = next((fe.framework for fe in self.frontends for v in (a, b) if fe.is_model(v)), None)
                if scope is self.globals and framework is not None:
                    # a model the module certainly builds, but which one cnnlint cannot tell: reported null
                    merged[name] = UnresolvedModel(why, site, framework)
                    self.module_bindings.append((name, merged[name]))
                else:
                    merged[name] = unknown_of((a, b), why, site)
        scope.vars = merged

    def merge_changes(self, logs: list, site) -> None:
        """Leave each object changed in a branch as the branches that continue agree it is."""
        changed: dict = {}
        for log, _, _ in logs:
            for key, entry in log.before.items():
                changed.setdefault(key, entry)
        unknown = Unknown(f"set differently by the branches of a condition cnnlint cannot decide{self.where(site)}", site)
        for key, (obj, start) in changed.items():
            ends = [after.get(key, start) for _, continued, after in logs if continued]
            if ends:
                restore(obj, functools.reduce(lambda a, b: merge_state(a, b, unknown), ends))
            if isinstance(obj, dict) and any(end.keys() != ends[0].keys() for end in ends[1:]):
                # a key one path files and the other does not: which keys it holds (``in``, ``len``) is unknown
                self.escaped[id(obj)] = (obj, Unknown(f"a key is set on one path of a condition cnnlint cannot "
                                                      f"decide{self.where(site)}", site))

    def in_undecided_branch(self) -> bool:
        return bool(self._change_logs)

    def note_change(self, obj) -> None:
        """Called before ``obj`` changes in place: an undecided branch keeps its earlier state."""
        for log in self._change_logs:
            log.note(obj)

    def merge_values(self, values: list, site):
        """One value for what any of several undecided paths gives: they must agree."""
        first = values[0]
        for other in values[1:]:
            first = join(first, other)
            if first is DIFFER:
                return unknown_of(values, f"the result depends on a condition cnnlint cannot decide{self.where(site)}",
                                  site)
        return first

    def exec_for(self, stmt: cst.For, scope: Scope) -> None:
        iterable = self.eval(stmt.iter, scope)
        if isinstance(iterable, UncertainItems) and not self.memo(leaves_early, stmt.body):
            self.run_uncertain_items(stmt, iterable, scope)
            return
        items, why = self.loop_items(iterable, stmt.iter)
        if items is None:
            why = f": {why}" if why else ""
            loop = self.memo(code_of, stmt.iter)
            self.trace.stop(f"the loop over {loop} could not be unrolled{self.where(stmt)}{why}", stmt)
            self.trace.skip(stmt, scope)
            self.poison(stmt.body, scope, f"is assigned in a loop cnnlint could not unroll{self.where(stmt)}{why}",
                        None)
            return
        count = 0
        for item in items:
            count += 1
            if count > self.budget.max_loop:
                raise BudgetExceeded(f"the loop has more than {self.budget.max_loop} iterations", stmt)
            self.assign(stmt.target, item, scope)
            if not self.run_iteration(stmt.body, scope):
                return
        if stmt.orelse is not None:
            self.exec_block(stmt.orelse.body, scope)

    def run_uncertain_items(self, stmt: cst.For, iterable: UncertainItems, scope: Scope) -> None:
        """The loop over a list some of whose items may be missing: the body runs on each item certainly
        there, and on each of the others as under a condition cnnlint cannot decide (what the paths leave
        differently is unknown; a block of the same shape whether it runs or not leaves it known)."""
        if len(iterable.items) > self.budget.max_loop:
            raise BudgetExceeded(f"the loop has more than {self.budget.max_loop} iterations", stmt)

        def run(item, s):
            self.assign(stmt.target, item, s)
            self.exec_block(stmt.body, s)

        for item, certain in iterable.items:
            if certain:
                run(item, scope)
            else:
                self.both_branches(functools.partial(run, item), lambda s: None, scope, stmt)
        if stmt.orelse is not None:
            self.exec_block(stmt.orelse.body, scope)

    def exec_while(self, stmt: cst.While, scope: Scope) -> None:
        count = 0
        while True:
            cond = self.truth(self.eval(stmt.test, scope))
            if cond is False:
                break
            if cond is None:
                self.trace.stop(f"the while loop condition could not be decided{self.where(stmt)}", stmt)
                self.trace.skip(stmt, scope)
                self.poison(stmt.body, scope, "is assigned in a loop cnnlint could not run", stmt)
                return
            count += 1
            if count > self.budget.max_loop:
                raise BudgetExceeded(f"the while loop has more than {self.budget.max_loop} iterations", stmt)
            if not self.run_iteration(stmt.body, scope):
                return

    def run_iteration(self, body, scope: Scope) -> bool:
        """One pass of a loop's body; False when it breaks out of the loop (its else is skipped then)."""
        try:
            self.exec_block(body, scope)
        except Break:
            return False
        except Continue:
            pass
        return True

    def poison(self, body, scope: Scope, why: str, site) -> None:
        """Names a skipped block would assign become Unknown, not stale.

        A module-level object (a model being built) lost this way is said, since
        no traced model will be left to carry the note.
        """
        for name in self.memo(assigned_names, body):
            if isinstance(name, cst.Attribute):  # self.layers += [...], self.layers.append(...)
                owner = self.eval(name.value, scope) if names_only(name.value) else None
                if isinstance(owner, (Instance, Class)):
                    self.set_attr(owner, name.attr.value, Unknown(
                        f"'{code_of(name)}' {why}{self.where(site)}", site or body), site or body)
                continue
            unknown = Unknown(f"'{name}' {why}{self.where(site)}", site or body)
            if name not in scope.vars and scope.parent is not None:
                # a dict of an enclosing scope the block changes in place (a registry ``table[key] = ...``): the
                # name's local stand-in is not what the enclosing code reads afterwards
                outer = self.enclosing_value(name, scope)
                if isinstance(outer, dict):
                    self.escaped[id(outer)] = (outer, unknown)
            before = scope.vars.get(name)
            framework = next((fe.framework for fe in self.frontends if fe.is_model(before)), None)
            if scope is self.globals and framework is not None:
                # the model the skipped block went on building: reported, null, never as it was before
                unknown = UnresolvedModel(unknown.reason, unknown.site, framework)
                self.module_bindings[:] = [(n, v) for n, v in self.module_bindings if v is not before]
                self.module_bindings.append((name, unknown))
            elif scope is self.globals and not isinstance(before, _PLAIN_VALUES):
                self.module_stops.append(Problem(ProblemKind.UNRESOLVED, unknown.reason, site or body))
            scope.vars[name] = unknown

    def enclosing_value(self, name: str, scope: Scope):
        try:
            return scope.parent.lookup(name)
        except KeyError:
            return self.globals.vars.get(name)

    def exec_with(self, stmt: cst.With, scope: Scope) -> None:
        for item in stmt.items:
            value = self.eval(item.item, scope)
            if item.asname is not None:
                self.assign(item.asname.name, value, scope)
        self.exec_block(stmt.body, scope)

    def exec_try(self, stmt, scope: Scope) -> None:
        try:
            self.exec_block(stmt.body, scope)
        except Raise:
            if stmt.handlers:
                self.exec_block(stmt.handlers[0].body, scope)
            else:
                raise
        else:
            if stmt.orelse is not None:
                self.exec_block(stmt.orelse.body, scope)
        if stmt.finalbody is not None:
            self.exec_block(stmt.finalbody.body, scope)

    def exec_def(self, stmt: cst.FunctionDef, scope: Scope) -> None:
        fn = Function(stmt, scope, self)
        fn.defaults_cache = self.eval_defaults(stmt.params, scope)
        scope.vars[stmt.name.value] = self.decorated(stmt, fn, scope)

    # -- decorators ---------------------------------------------------------
    def decorated(self, stmt, value, scope: Scope):
        """What a def or class statement binds: its decorators applied to it, innermost first, as Python does.

        ``staticmethod``/``classmethod``/``property`` mark a method, and a property's ``setter`` keeps its
        getter.  A decorator of the project's own code runs, for its effects (timm's ``@register_model``
        files the module's pretrained configurations in the registry its factories read) and for its value.
        That value is bound when it is the object itself, or plain data that certainly replaced it; a
        different callable it returns (a wrapper: torchvision's ``handle_legacy_interface``) is not followed,
        the original stands for it, as wrappers pass their calls on to it (following one would run machinery
        cnnlint does not model, such as ``inspect.signature``).  A library's decorator (``torch.jit.ignore``,
        ``functools.lru_cache``) changes only the library's state, which cnnlint never reads: it is not run.
        """
        for decorator in reversed(stmt.decorators):
            node = decorator.decorator
            kind = node.value if isinstance(node, cst.Name) else None
            if kind in _METHOD_KINDS:
                value = (kind, value[1] if isinstance(value, tuple) else value)
            elif not isinstance(value, tuple) and not (isinstance(stmt, cst.ClassDef)
                                                       and is_dataclass_decorator(self, decorator, scope)):
                value = self.apply_decorator(node, value, scope)
        return value

    def apply_decorator(self, node, target, scope: Scope):
        if isinstance(node, cst.Attribute) and node.attr.value in ("setter", "getter", "deleter"):
            # a property's: the getter is the value read (cnnlint does not model setting through a property); one
            # of a base class's property, which the class body does not see, leaves the function as it was
            owner = self.eval(node.value, scope) if names_only(node.value) else None
            if isinstance(owner, tuple) and owner[:1] == ("property",):
                return ("property", target) if node.attr.value == "getter" else owner
            return target
        if isinstance(node, cst.Call):  # @register_model(), @handle_legacy_interface(weights=...)
            factory = self.project_callable(self.eval(node.func, scope))
            if factory is None:
                return target
            if isinstance(factory, Unknown):  # which function it is cnnlint cannot tell: it may fill any registry
                self.lose_effects(None, scope, node)
                return target
            args, kwargs = self.eval_args(node.args, scope)
            decorator = self.call(factory, args, kwargs, node)
            if isinstance(decorator, Unknown):
                self.lose_effects(factory, scope, node)
                return target
            decorator = self.project_callable(decorator)
        else:
            decorator = self.project_callable(self.eval(node, scope))
        if decorator is None:
            return target
        if isinstance(decorator, Unknown):
            self.lose_effects(None, scope, node)
            return target
        result = self.call(decorator, [target], {}, node)
        if isinstance(result, Unknown):
            self.lose_effects(decorator, scope, node)
            return target
        if result is None or isinstance(result, _PLAIN_DATA):
            return result  # not a function at all: Python binds it
        return target

    def project_callable(self, value):
        """The project's own callable ``value`` is (a def, a class, an instance, a bound method or a partial of
        one); None for a library's (an object a library made included: ``@REGISTRY.register()`` of a
        ``Registry`` from a library); an Unknown when cnnlint cannot tell which callable it is."""
        if isinstance(value, LibraryUnknown):
            return None
        if isinstance(value, Ref):
            value = self.canonical(value)
            return None if isinstance(value, Ref) else self.project_callable(value)
        if isinstance(value, Partial):
            return value if self.project_callable(value.fn) is not None else None
        if isinstance(value, (Function, BoundMethod, Class, Instance, Unknown)):
            return value
        return None

    def lose_effects(self, decorator, scope: Scope, site) -> None:
        """A decorator that cnnlint could not run to the end may have changed any dict it can reach: its module's
        and its closure's (a registry), the object it is a method of; one it cannot tell (None), any the
        decorated code's scopes reach.  They escape (see ``escape``): what they hold is unknown from here on,
        rather than looking complete when it is not."""
        roots = []
        while isinstance(decorator, (Partial, BoundMethod, Instance)):
            if isinstance(decorator, Partial):
                roots += [*decorator.args, *decorator.kwargs.values()]
                decorator = decorator.fn
            elif isinstance(decorator, BoundMethod):
                roots.append(decorator.receiver)
                decorator = decorator.function
            else:
                roots.append(decorator)
                decorator = decorator.cls
        if isinstance(decorator, Function):
            reach = decorator.scope
        elif isinstance(decorator, Class):
            roots.append(decorator)
            reach = decorator.module.globals
        else:
            reach = scope
        while reach is not None:
            roots += [v for v in reach.vars.values() if not isinstance(v, Builtin)]
            reach = reach.parent
        why = Unknown(f"a dict the decorator {self.memo(code_of, site)}{self.where(site)} may have changed, which "
                      "cnnlint could not follow to the end", site)
        for found in _dicts_within(roots):
            self.escaped[id(found)] = (found, why)

    def eval_defaults(self, params: cst.Parameters, scope: Scope) -> dict:
        defaults = {}
        for p in list(params.posonly_params) + list(params.params) + list(params.kwonly_params):
            if p.default is not None:
                defaults[p.name.value] = self.eval(p.default, scope)
        return defaults

    def project_class(self, base):
        """A base class imported from the project's own modules is followed, so its methods are inherited."""
        if isinstance(base, Ref):
            resolved = self.resolve(base)
            if isinstance(resolved, Class):
                return resolved
        return base

    def exec_class(self, stmt: cst.ClassDef, scope: Scope) -> None:
        bases = [self.project_class(self.eval(arg.value, scope)) for arg in stmt.bases if arg.keyword is None]
        body_scope = Scope(parent=scope)
        cls = Class(stmt, stmt.name.value, bases, body_scope.vars, self)
        scope.vars[stmt.name.value] = cls
        # methods close over the enclosing scope, not the class body
        for inner in block_statements(stmt.body):
            if isinstance(inner, cst.FunctionDef):
                fn = Function(inner, scope, self)
                fn.defaults_cache = self.eval_defaults(inner.params, body_scope)
                body_scope.vars[inner.name.value] = self.decorated(inner, fn, body_scope)
            else:
                self.exec_stmt(inner, body_scope)
        if any(is_dataclass_decorator(self, d, scope) for d in stmt.decorators):
            add_dataclass_init(self, cls, stmt, scope)
        if is_enum(cls):
            add_enum_members(cls)
        if stmt.decorators:
            scope.vars[stmt.name.value] = self.decorated(stmt, cls, scope)

    # -- assignment ---------------------------------------------------------
    def assign(self, target, value, scope: Scope) -> None:
        if isinstance(target, cst.Name):
            scope.vars[target.value] = value
            # a binding in a branch cnnlint cannot decide may never happen: the merge says what is known
            if scope is self.globals and not isinstance(value, _PLAIN_VALUES) and not self._change_logs:
                self.module_bindings.append((target.value, value))
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = target.elements
            items = self.iterate(value, target)
            if items is None:  # why the value is not known is the cause to name
                message = f"cannot unpack {code_of(target)}"
                if isinstance(value, Unknown):  # once: a loop's next pass meets its own unknown again
                    message = value.reason if value.reason.startswith(message) else f"{message}: {value.reason}"
                for el in elements:
                    self.assign(el.value, Unknown(message, target), scope)
                return
            items = list(items)
            star = [i for i, el in enumerate(elements) if isinstance(el, cst.StarredElement)]
            if any(isinstance(v, UnknownItems) for v in items):
                self.assign_around_unknown_items(elements, items, star[0] if star else None, target, scope)
            elif star:
                i = star[0]
                after = len(elements) - i - 1
                head, mid, tail = items[:i], items[i:len(items) - after], items[len(items) - after:]
                for el, v in zip(elements[:i], head):
                    self.assign(el.value, v, scope)
                self.assign(elements[i].value, list(mid), scope)
                for el, v in zip(elements[i + 1:], tail):
                    self.assign(el.value, v, scope)
            else:
                if len(items) != len(elements):
                    for el in elements:
                        self.assign(el.value, Unknown(f"cannot unpack {code_of(target)}", target), scope)
                    return
                for el, v in zip(elements, items):
                    self.assign(el.value, v, scope)
        elif isinstance(target, cst.Attribute):
            obj = self.eval(target.value, scope)
            self.set_attr(obj, target.attr.value, value, target)
        elif isinstance(target, cst.Subscript):
            obj = self.eval(target.value, scope)
            index = self.eval_slice(target.slice, scope)
            self.note_change(obj)
            if isinstance(obj, (list, dict)) and not isinstance(index, Unknown):
                try:
                    obj[index] = value
                except (TypeError, IndexError, KeyError, ValueError):
                    pass
            elif isinstance(obj, dict):  # filed under a key cnnlint cannot compute: any key may hold it now
                self.escaped[id(obj)] = (obj, Unknown(f"{self.memo(code_of, target)} is set at a key cnnlint cannot "
                                                      f"compute{self.where(target)}: {index.reason}", target))
            else:
                for fe in self.frontends:
                    if fe.set_item(self, obj, index, value, target) is not NOT_HANDLED:
                        return

    def assign_around_unknown_items(self, elements, items: list, star, target, scope: Scope) -> None:
        """``a, *rest, b = *x.shape, k`` where x's rank is not known: the targets before the starred one take
        the items before the first unknown count of them, those after it the items after the last one;
        the others are unknown."""
        first = next(i for i, v in enumerate(items) if isinstance(v, UnknownItems))
        last = max(i for i, v in enumerate(items) if isinstance(v, UnknownItems))
        unknown = Unknown(f"cannot unpack {code_of(target)}", target)
        front = len(elements) if star is None else star
        for i, el in enumerate(elements):
            from_end = len(elements) - i
            if i == star:
                value = unknown
            elif i < min(first, front):
                value = items[i]
            elif from_end <= len(items) - last - 1 and (star is None or i > star):
                value = items[len(items) - from_end]
            else:
                value = unknown
            self.assign(el.value, value, scope)

    def delete(self, target, scope: Scope) -> None:
        if isinstance(target, cst.Name):
            scope.vars.pop(target.value, None)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self.delete(element.value, scope)
        elif isinstance(target, cst.Subscript):  # ``del return_layers[name]`` (torchvision's layer getter)
            obj = self.eval(target.value, scope)
            index = self.eval_slice(target.slice, scope)
            self.note_change(obj)
            if isinstance(obj, (list, dict)) and not isinstance(index, Unknown):
                try:
                    del obj[index]
                except (TypeError, IndexError, KeyError):
                    pass
            elif isinstance(obj, (list, dict)):
                self.trace.stop(f"an item deleted at an index cnnlint cannot compute{self.where(target)}", target)
        elif isinstance(target, cst.Attribute):
            obj = self.eval(target.value, scope)
            self.note_change(obj)
            if isinstance(obj, (Instance, Class)):
                obj.attrs.pop(target.attr.value, None)


#: the builtin decorators that make a method of another kind
_METHOD_KINDS = ("staticmethod", "classmethod", "property")
#: values a decorator may return that are certainly no function standing in for the one decorated
_PLAIN_DATA = (bool, int, float, complex, str, bytes, list, tuple, dict, set)


def _dicts_within(roots) -> list:
    """The dicts reachable from roots through containers and objects' attributes (not through functions)."""
    found, seen, stack = [], set(), list(roots)
    while stack:
        value = stack.pop()
        if id(value) in seen:
            continue
        if isinstance(value, dict):
            seen.add(id(value))
            found.append(value)
            stack.extend(value.values())
        elif isinstance(value, (list, tuple, set, frozenset)):
            seen.add(id(value))
            stack.extend(value)
        elif isinstance(value, (Instance, Class)):
            seen.add(id(value))
            stack.extend(value.attrs.values())
    return found


_COMPOUND = {
    cst.If: Statements.exec_if,
    cst.For: Statements.exec_for,
    cst.While: Statements.exec_while,
    cst.With: Statements.exec_with,
    cst.Try: Statements.exec_try,
    cst.FunctionDef: Statements.exec_def,
    cst.ClassDef: Statements.exec_class,
}

_SMALL = {
    cst.Assign: Statements.exec_assign,
    cst.AnnAssign: Statements.exec_annotated,
    cst.AugAssign: Statements.exec_augmented,
    cst.Expr: lambda self, small, scope: self.eval(small.value, scope),
    cst.Return: Statements.exec_return,
    cst.Import: Statements.exec_import,
    cst.ImportFrom: Statements.exec_import,
    cst.Raise: lambda self, small, scope: _raise(Raise(small)),
    cst.Break: lambda self, small, scope: _raise(Break()),
    cst.Continue: lambda self, small, scope: _raise(Continue()),
    cst.Del: lambda self, small, scope: self.delete(small.target, scope),
}


def _raise(signal: Exception):
    raise signal
