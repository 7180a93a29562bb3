"""A bounded abstract interpreter over LibCST trees.

It runs the analysed file's module body, functions and classes on abstract
values: Python constants stay constants, tensors are shapes, framework names
are ``Ref``s that the front ends know how to call.  Nothing is imported or
executed.  Every loop, call and step counts against a budget, so hostile
code ends in an ``Unknown`` with a reason, never in a hang.
"""

from __future__ import annotations

import functools
import math
import re
import time
from contextlib import contextmanager
from typing import Any, Callable, List, Optional

import libcst as cst

from .. import dims
from ..dims import Expr
from ..graph import Problem
from ..parsing import Source
from .modules import ModuleLoader, absolute_module
from .values import (
    BoundMethod,
    Builtin,
    Class,
    Function,
    Instance,
    Partial,
    Ref,
    Super,
    Unknown,
    first_unknown,
)

NOT_HANDLED = object()

#: Python methods that are safe to run on the evaluator's plain values
SAFE_TYPES = (list, dict, tuple, str, int, float, bool, set)
MAX_COLLECTION = 100_000
#: all analysis of one file (its module body, every model traced) stops after this long
FILE_SECONDS = 10.0
#: integers beyond this many bits are not computed (model sizes are far smaller)
MAX_INT_BITS = 1 << 16


class Budget:
    """Limits for one analysis: steps, call depth, loop iterations, time."""

    def __init__(self, steps: int = 400_000, depth: int = 60, loop: int = 20_000, seconds: float = 3.0):
        self.steps_left = steps
        self.max_depth = depth
        self.max_loop = loop
        self.deadline = time.monotonic() + seconds
        self.seconds = seconds


class BudgetExceeded(Exception):
    """A bound was hit.  ``exhausted``: the step or time budget is gone, so nothing
    more can run; otherwise only the construct at ``site`` was too large."""

    def __init__(self, reason: str, site=None, exhausted: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.site = site
        self.exhausted = exhausted


class _Return(Exception):
    def __init__(self, value):
        self.value = value


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class _Raise(Exception):
    """The analysed code raises here: this path of execution ends."""

    def __init__(self, site):
        self.site = site


class Scope:
    __slots__ = ("vars", "parent", "owner_class", "receiver")

    def __init__(self, parent: Optional["Scope"] = None, owner_class: Optional[Class] = None, receiver=None):
        self.vars: dict = {}
        self.parent = parent
        self.owner_class = owner_class  # for super()
        self.receiver = receiver

    def lookup(self, name: str):
        scope = self
        while scope is not None:
            if name in scope.vars:
                return scope.vars[name]
            scope = scope.parent
        raise KeyError(name)


class Trace:
    """Where layer applications are recorded while a model is traced."""

    def __init__(self):
        self.nodes: list = []
        self.stopped: List[Problem] = []
        self.depth = 0
        self.names: dict = {}  # automatic layer names used so far (Keras' conv2d, conv2d_1...)
        self.labels: dict = {}  # id(engine layer) -> its name in this trace
        self.built: set = set()  # ids of layer objects whose own build() ran in this trace (Keras)

    def stop(self, message: str, site) -> None:
        if not any(p.message == message and p.site is site for p in self.stopped):
            self.stopped.append(Problem("unresolved", message, site))


class Interpreter:
    def __init__(self, source: Source, frontends: list, budget: Optional[Budget] = None, line_of: Callable = None,
                 path: Optional[str] = None, load_depth: int = 0):
        self.source = source
        self.module = source.module
        self.frontends = frontends
        self.path = path
        self.load_depth = load_depth
        self.loader = ModuleLoader(path) if path else None
        self._resolved: dict = {}
        self.budget = budget or Budget()
        self.depth = 0
        self.globals = Scope()
        self.trace = Trace()
        self.line_of = line_of  # None: no line numbers in messages (a module read as a library)
        self._line_sites: dict = {}  # id(site) -> (marker index, site)
        for name, fn in _BUILTINS.items():
            self.globals.vars.setdefault(name, Builtin(name, fn))
        self.builtins = dict(self.globals.vars)
        self.factory_cache: Optional[dict] = None  # see frontends.base.factory_results
        self.module_stops: List[Problem] = []  # bounds hit while running the module body itself
        self.file_deadline = time.monotonic() + FILE_SECONDS
        self.model_filter: Optional[str] = None  # --model: only this one is built
        self.early_returns: list = []  # values the running function returns on undecided paths
        self._change_logs: List[_ChangeLog] = []  # one per undecided branch being run, innermost last

    # -- budget ---------------------------------------------------------
    def tick(self, site=None) -> None:
        b = self.budget
        b.steps_left -= 1
        if b.steps_left <= 0:
            raise BudgetExceeded("the analysis step budget is exhausted", site, exhausted=True)
        if (b.steps_left & 1023) == 0:
            now = time.monotonic()
            if now > b.deadline:
                raise BudgetExceeded(f"the analysis took longer than {b.seconds:g} s", site, exhausted=True)
            if now > self.file_deadline:
                raise BudgetExceeded(f"the analysis of this file took longer than {FILE_SECONDS:g} s", site,
                                     exhausted=True)

    @contextmanager
    def tracing(self, budget: Optional[Budget] = None):
        """Record layer applications into a fresh trace (one model's)."""
        saved = self.trace, self.budget, self.depth
        self.trace = Trace()
        if budget is not None:
            self.budget = budget
        try:
            yield self.trace
        finally:
            self.trace, self.budget, self.depth = saved

    def where(self, site) -> str:
        """' (line N)' for a message, with N filled in only if the message is reported.

        Positions cost a pass over the whole module; most messages are never
        shown, so they carry a marker that ``render_lines`` replaces.
        """
        if site is None or self.line_of is None:
            return ""
        index = self._line_sites.setdefault(id(site), (len(self._line_sites), site))[0]
        return f" (line \x00{index}\x00)"

    def render_lines(self, message: str) -> str:
        if "\x00" not in message:
            return message
        sites = {index: site for index, site in self._line_sites.values()}

        def line(match):
            number = self.line_of(sites[int(match.group(1))])
            return f" (line {number})" if number else ""

        return _LINE_MARK.sub(line, message)

    # -- module -----------------------------------------------------------
    def run_module(self) -> None:
        """Run the module body; a statement that hits a bound is noted and skipped."""
        for stmt in self.module.body:
            try:
                self.exec_stmt(stmt, self.globals)
            except BudgetExceeded as exc:
                self.module_stops.append(Problem("unresolved", exc.reason, exc.site or stmt))
                self.poison(stmt, self.globals, "could not be computed", stmt)
                if exc.exhausted:
                    break
            except (_Return, _Break, _Continue, _Raise):
                continue
            except RecursionError:
                self.module_stops.append(Problem("unresolved", "the code is nested too deeply to analyse", stmt))

    # -- statements -------------------------------------------------------
    def exec_block(self, body, scope: Scope) -> None:
        if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)):
            body = body.body
        for stmt in body:
            self.exec_stmt(stmt, scope)

    def exec_stmt(self, stmt, scope: Scope) -> None:
        self.tick(stmt)
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                self.exec_small(small, scope)
            return
        handler = _COMPOUND.get(type(stmt))
        if handler is not None:
            handler(self, stmt, scope)

    def exec_small(self, small, scope: Scope) -> None:
        if isinstance(small, cst.Assign):
            value = self.eval(small.value, scope)
            for target in small.targets:
                self.assign(target.target, value, scope)
        elif isinstance(small, cst.AnnAssign):
            if small.value is not None:
                self.assign(small.target, self.eval(small.value, scope), scope)
        elif isinstance(small, cst.AugAssign):
            current = self.eval(small.target, scope)
            op = small.operator.__class__.__name__.replace("Assign", "")
            self.assign(small.target, self.binary(op, current, self.eval(small.value, scope), small), scope)
        elif isinstance(small, cst.Expr):
            self.eval(small.value, scope)
        elif isinstance(small, cst.Return):
            raise _Return(None if small.value is None else self.eval(small.value, scope))
        elif isinstance(small, (cst.Import, cst.ImportFrom)):
            self.exec_import(small, scope)
        elif isinstance(small, cst.Raise):
            raise _Raise(small)
        elif isinstance(small, cst.Break):
            raise _Break()
        elif isinstance(small, cst.Continue):
            raise _Continue()
        elif isinstance(small, cst.Del):
            self.delete(small.target, scope)
        # Pass, Assert, Global, Nonlocal: nothing to model

    def exec_import(self, node, scope: Scope) -> None:
        if isinstance(node, cst.Import):
            for alias in node.names:
                dotted = _dotted(alias.name)
                if alias.asname is not None:
                    scope.vars[alias.asname.name.value] = Ref(dotted)
                else:
                    top = dotted.split(".")[0]
                    scope.vars[top] = Ref(top)
            return
        if node.relative:
            module = "." * len(node.relative) + (_dotted(node.module) if node.module else "")
        else:
            module = _dotted(node.module)
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = _dotted(alias.name)
            bound = alias.asname.name.value if alias.asname is not None else name
            scope.vars[bound] = self.import_name(module, name, node)

    def import_name(self, module: str, name: str, site):
        """``from module import name``: a Ref, resolved by path only when used."""
        if module.startswith("."):
            if not self.path:
                return Unknown(f"'{name}' is imported from {module}, which cnnlint cannot locate", site)
            module = absolute_module(module, self.path)
        return Ref(f"{module}.{name}" if module else name)

    def resolve(self, ref: Ref):
        """The project's own definition behind ``ref``, or None (framework or not found)."""
        qualname = ref.qualname
        if qualname in self._resolved:
            return self._resolved[qualname]
        value = None
        if self.loader is not None and not any(fe.owns(qualname) for fe in self.frontends):
            path, attrs = self.loader.split(qualname)
            scope = self.loader.load(path, self) if path else None
            if scope is not None and attrs and attrs[0] in scope.vars:
                value = scope.vars[attrs[0]]
                for name in attrs[1:]:
                    value = self.get_attr(value, name, None)
        self._resolved[qualname] = value
        return value

    def run_library_module(self, source: Source, path: str) -> Scope:
        """Interpret a project module that the analysed file imports from."""
        library = Interpreter(source, self.frontends, self.budget, path=path, load_depth=self.load_depth + 1)
        library.trace = self.trace
        library.run_module()
        return library.globals

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
        roots = [before] + [s.vars for s in _enclosing(scope)]
        outcomes, returned, logs = [], [], []
        for run in (run_then, run_else):
            scope.vars = dict(before)
            log = _ChangeLog(roots)
            self._change_logs.append(log)
            continued = False
            try:
                run(scope)
                outcomes.append(scope.vars)
                continued = True
            except _Return as ret:
                returned.append(ret.value)
            except (_Raise, _Break, _Continue):
                # a path that leaves the block: the other one is the one that continues
                pass
            finally:
                self._change_logs.pop()
            logs.append((log, continued, {key: _state(obj) for key, (obj, _) in log.before.items()}))
            for obj, state in log.before.values():
                _restore(obj, state)
        self.merge_changes(logs, site)
        if not outcomes:
            scope.vars = before
            if returned:
                raise _Return(self.merge_values(returned, site))
            raise _Raise(site)
        if returned:
            # the function may return here: its result must agree with what it returns later
            self.early_returns.extend(returned)
        merged = dict(outcomes[0])
        for other in outcomes[1:]:
            for name in set(merged) | set(other):
                a, b = merged.get(name, _MISSING), other.get(name, _MISSING)
                if a is b:
                    continue
                if _same_shape(a, b):
                    continue
                merged[name] = Unknown(f"'{name}' depends on a condition cnnlint cannot decide{self.where(site)}", site)
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
                _restore(obj, functools.reduce(lambda a, b: _merge_state(a, b, unknown), ends))

    def note_change(self, obj) -> None:
        """Called before ``obj`` changes in place: an undecided branch keeps its earlier state."""
        for log in self._change_logs:
            log.note(obj)

    def merge_values(self, values: list, site):
        """One value for what any of several undecided paths gives: they must agree."""
        first = values[0]
        for other in values[1:]:
            if not _agree(first, other):
                return Unknown(f"the result depends on a condition cnnlint cannot decide{self.where(site)}", site)
        return first

    def exec_for(self, stmt: cst.For, scope: Scope) -> None:
        iterable = self.eval(stmt.iter, scope)
        items = self.iterate(iterable, stmt.iter)
        if items is None:
            why = f": {iterable.reason}" if isinstance(iterable, Unknown) else ""
            self.trace.stop(f"the loop over {_code(stmt.iter)} could not be unrolled{self.where(stmt)}{why}", stmt)
            self.poison(stmt.body, scope, f"is assigned in a loop cnnlint could not unroll{self.where(stmt)}{why}",
                        None)
            return
        count = 0
        for item in items:
            count += 1
            if count > self.budget.max_loop:
                raise BudgetExceeded(f"the loop has more than {self.budget.max_loop} iterations", stmt)
            self.assign(stmt.target, item, scope)
            try:
                self.exec_block(stmt.body, scope)
            except _Break:
                return
            except _Continue:
                continue
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
                self.poison(stmt.body, scope, "is assigned in a loop cnnlint could not run", stmt)
                return
            count += 1
            if count > self.budget.max_loop:
                raise BudgetExceeded(f"the while loop has more than {self.budget.max_loop} iterations", stmt)
            try:
                self.exec_block(stmt.body, scope)
            except _Break:
                return
            except _Continue:
                continue

    def poison(self, body, scope: Scope, why: str, site) -> None:
        """Names a skipped block would assign become Unknown, not stale.

        A module-level object (a model being built) lost this way is said, since
        no traced model will be left to carry the note.
        """
        for name in _assigned_names(body):
            if isinstance(name, cst.Attribute):  # self.layers += [...], self.layers.append(...)
                owner = self.eval(name.value, scope) if _names_only(name.value) else None
                if isinstance(owner, (Instance, Class)):
                    self.set_attr(owner, name.attr.value, Unknown(
                        f"'{_code(name)}' {why}{self.where(site)}", site or body), site or body)
                continue
            unknown = Unknown(f"'{name}' {why}{self.where(site)}", site or body)
            if scope is self.globals and not isinstance(scope.vars.get(name), _PLAIN_VALUES):
                self.module_stops.append(Problem("unresolved", unknown.reason, site or body))
            scope.vars[name] = unknown

    def exec_with(self, stmt: cst.With, scope: Scope) -> None:
        for item in stmt.items:
            value = self.eval(item.item, scope)
            if item.asname is not None:
                self.assign(item.asname.name, value, scope)
        self.exec_block(stmt.body, scope)

    def exec_try(self, stmt, scope: Scope) -> None:
        try:
            self.exec_block(stmt.body, scope)
        except _Raise:
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
        value = fn
        for decorator in reversed(stmt.decorators):
            name = _code(decorator.decorator)
            if name in ("staticmethod", "classmethod", "property"):
                value = (name, value)
        scope.vars[stmt.name.value] = value

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
        for inner in _block_statements(stmt.body):
            if isinstance(inner, cst.FunctionDef):
                fn = Function(inner, scope, self)
                fn.defaults_cache = self.eval_defaults(inner.params, body_scope)
                value = fn
                for decorator in inner.decorators:
                    name = _code(decorator.decorator)
                    if name in ("staticmethod", "classmethod", "property"):
                        value = (name, fn)
                body_scope.vars[inner.name.value] = value
            else:
                self.exec_stmt(inner, body_scope)
        if any(self.is_dataclass_decorator(d, scope) for d in stmt.decorators):
            self.add_dataclass_init(cls, stmt, scope)

    def is_dataclass_decorator(self, decorator: cst.Decorator, scope: Scope) -> bool:
        node = decorator.decorator
        value = self.eval(node.func if isinstance(node, cst.Call) else node, scope)
        return isinstance(value, Ref) and value.qualname == "dataclasses.dataclass"

    def add_dataclass_init(self, cls: Class, stmt: cst.ClassDef, scope: Scope) -> None:
        """The ``__init__`` ``@dataclass`` writes: one parameter per annotated field, bases' fields first."""
        own = [s.target.value for line in _block_statements(stmt.body) if isinstance(line, cst.SimpleStatementLine)
               for s in line.body if isinstance(s, cst.AnnAssign) and isinstance(s.target, cst.Name)
               and "ClassVar" not in _code(s.annotation)]
        fields = [f for base in reversed(cls.mro()[1:]) if isinstance(base, Class)
                  for f in base.attrs.get("__dataclass_fields__", ())]
        fields = [f for f in fields if f not in own] + own
        cls.attrs["__dataclass_fields__"] = tuple(fields)
        defaults = {f: cls.lookup(f) for f in fields if cls.lookup(f) is not None}
        params = ", ".join(["self"] + fields)
        body = "".join(f"    self.{f} = {f}\n" for f in fields) or "    pass\n"
        init = Function(cst.parse_statement(f"def __init__({params}):\n{body}"), scope, self)
        init.defaults_cache = defaults
        cls.attrs["__init__"] = init

    # -- assignment ---------------------------------------------------------
    def assign(self, target, value, scope: Scope) -> None:
        if isinstance(target, cst.Name):
            scope.vars[target.value] = value
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = target.elements
            items = self.iterate(value, target)
            if items is None:
                for el in elements:
                    self.assign(el.value, Unknown(f"cannot unpack {_code(target)}", target), scope)
                return
            items = list(items)
            star = [i for i, el in enumerate(elements) if isinstance(el, cst.StarredElement)]
            if star:
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
                        self.assign(el.value, Unknown(f"cannot unpack {_code(target)}", target), scope)
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
            else:
                for fe in self.frontends:
                    if fe.set_item(self, obj, index, value, target) is not NOT_HANDLED:
                        return

    def delete(self, target, scope: Scope) -> None:
        if isinstance(target, cst.Name):
            scope.vars.pop(target.value, None)

    def set_attr(self, obj, name: str, value, site) -> None:
        self.note_change(obj)
        for fe in self.frontends:
            if fe.set_attr(self, obj, name, value, site) is not NOT_HANDLED:
                return
        if isinstance(obj, Instance):
            obj.attrs[name] = value
        elif isinstance(obj, Class):
            obj.attrs[name] = value

    # -- expressions ------------------------------------------------------
    def eval(self, node, scope: Scope):
        self.tick(node)
        handler = _EXPRESSIONS.get(type(node))
        if handler is None:
            return Unknown(f"{type(node).__name__} expressions are not evaluated", node)
        return handler(self, node, scope)

    def eval_name(self, node: cst.Name, scope: Scope):
        name = node.value
        if name in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[name]
        try:
            return scope.lookup(name)
        except KeyError:
            if name in self.globals.vars:
                return self.globals.vars[name]
            return Unknown(f"'{name}' is not defined in this file", node)

    def eval_attribute(self, node: cst.Attribute, scope: Scope):
        return self.get_attr(self.eval(node.value, scope), node.attr.value, node)

    def get_attr(self, obj, name: str, site):
        if isinstance(obj, Unknown):
            return obj
        for fe in self.frontends:
            result = fe.get_attr(self, obj, name, site)
            if result is not NOT_HANDLED:
                return result
        if isinstance(obj, Ref):
            resolved = self.resolve(obj)
            if resolved is not None and not isinstance(resolved, Ref):
                return self.get_attr(resolved, name, site)
            return Ref(f"{obj.qualname}.{name}")
        if isinstance(obj, Instance):
            if name in obj.attrs:
                return obj.attrs[name]
            return self.class_attr(obj.cls, name, obj, site)
        if isinstance(obj, Class):
            return self.class_attr(obj, name, None, site)
        if isinstance(obj, Super):
            mro = obj.owner.mro() if isinstance(obj.owner, Class) else []
            after = mro[mro.index(obj.owner) + 1:] if obj.owner in mro else []
            for cls in after:
                if isinstance(cls, Class) and name in cls.attrs:
                    return self.bind(cls.attrs[name], obj.receiver, cls)
                if isinstance(cls, Ref):
                    return Ref(f"{cls.qualname}.{name}")
            return Unknown(f"super().{name} is not defined in this file", site)
        if isinstance(obj, SAFE_TYPES) and not name.startswith("_"):
            attr = getattr(obj, name, None)
            if callable(attr):
                return Builtin(name, _wrap_python_method(attr))
            if attr is not None:
                return attr
        if isinstance(obj, Expr) and name in ("real",):
            return obj
        return Unknown(f"attribute '{name}' of {_describe(obj)} is not known", site)

    def class_attr(self, cls: Class, name: str, receiver, site):
        for owner in cls.mro():
            if isinstance(owner, Class) and name in owner.attrs:
                return self.bind(owner.attrs[name], receiver, owner)
        for owner in cls.mro():
            if isinstance(owner, Ref):
                # inherited from a framework base class: the front ends know it
                for fe in self.frontends:
                    result = fe.inherited_attr(self, receiver if receiver is not None else cls, owner.qualname, name, site)
                    if result is not NOT_HANDLED:
                        return result
        return Unknown(f"{cls.name}.{name} is not defined in this file", site)

    def bind(self, value, receiver, owner: Class):
        if isinstance(value, tuple) and len(value) == 2 and value[0] in ("staticmethod", "classmethod", "property"):
            kind, fn = value
            if kind == "staticmethod":
                return fn
            if kind == "classmethod":
                return BoundMethod(fn, receiver.cls if isinstance(receiver, Instance) else owner, owner)
            if receiver is None:
                return fn
            return self.call(BoundMethod(fn, receiver, owner), [], {}, fn.node)
        if isinstance(value, Function) and receiver is not None:
            return BoundMethod(value, receiver, owner)
        return value

    def eval_call(self, node: cst.Call, scope: Scope):
        func = self.eval(node.func, scope)
        args, kwargs = self.eval_args(node.args, scope)
        if isinstance(func, Builtin) and func.name == "super":
            if len(args) == 2:
                return Super(args[0], args[1])
            return Super(_owner(scope), _receiver(scope))
        return self.call(func, args, kwargs, node)

    def eval_args(self, arguments, scope: Scope):
        args: list = []
        kwargs: dict = {}
        for arg in arguments:
            value = self.eval(arg.value, scope)
            if arg.star == "*":
                items = self.iterate(value, arg)
                if items is None:
                    args.append(Unknown(f"cannot unpack *{_code(arg.value)}", arg))
                else:
                    args.extend(items)
            elif arg.star == "**":
                if isinstance(value, dict):
                    kwargs.update({str(k): v for k, v in value.items()})
                else:
                    kwargs["**"] = Unknown(f"cannot unpack **{_code(arg.value)}", arg)
            elif arg.keyword is not None:
                kwargs[arg.keyword.value] = value
            else:
                args.append(value)
        return args, kwargs

    def call(self, func, args: list, kwargs: dict, site):
        self.tick(site)
        if isinstance(func, Unknown):
            return func
        for fe in self.frontends:
            result = fe.call_value(self, func, args, kwargs, site)
            if result is not NOT_HANDLED:
                return result
        if isinstance(func, Function):
            return self.call_function(func, args, kwargs, site)
        if isinstance(func, BoundMethod):
            return self.call_function(func.function, [func.receiver] + list(args), kwargs, site, owner=func.owner)
        if isinstance(func, Builtin):
            try:
                return func.fn(self, args, kwargs, site)
            except (TypeError, ValueError, IndexError, KeyError, AttributeError, ZeroDivisionError, OverflowError,
                    MemoryError) as exc:
                given = next((a for a in list(args) + list(kwargs.values()) if isinstance(a, Unknown)), None)
                return given or Unknown(f"{func.name}() failed: {exc}", site)  # why an argument is unknown says more
        if isinstance(func, Partial):
            return self.call(func.fn, func.args + list(args), {**func.kwargs, **kwargs}, site)
        if isinstance(func, Class):
            return self.instantiate(func, args, kwargs, site)
        if isinstance(func, Ref):
            if func.qualname in STDLIB:
                return self.call(Builtin(func.qualname, STDLIB[func.qualname]), args, kwargs, site)
            resolved = self.resolve(func)
            if resolved is not None:
                return self.call(resolved, args, kwargs, site)
            return Unknown(f"{func.qualname}() is not modelled by cnnlint", site)
        return Unknown(f"{_describe(func)} is not callable here", site)

    def instantiate(self, cls: Class, args, kwargs, site):
        instance = Instance(cls, site)
        for fe in self.frontends:
            fe.on_instance(self, instance)
        init = self.class_attr(cls, "__init__", instance, site)
        if not isinstance(init, Unknown):  # the class's own, or one a front end models (a torch layer's)
            self.call(init, args, kwargs, site)
        return instance

    def call_function(self, fn: Function, args, kwargs, site, owner: Class = None):
        self.depth += 1
        try:
            if self.depth > self.budget.max_depth:
                raise BudgetExceeded(f"calls nest deeper than {self.budget.max_depth} (recursion?)", site)
            local = Scope(parent=fn.scope, owner_class=owner, receiver=args[0] if owner is not None and args else None)
            problem = self.bind_params(fn, args, kwargs, local)
            if problem is not None:
                return Unknown(f"call to {fn.name}(): {problem}", site)
            node = fn.node
            outer, self.early_returns = self.early_returns, []
            try:
                if isinstance(node, cst.Lambda):
                    return self.eval(node.body, local)
                body = fn.module.source.body(node)
                if body is None:
                    return Unknown(f"cnnlint cannot parse the body of {fn.name}(){self.where(node)}", site)
                self.exec_block(body, local)
                result = None
            except _Return as ret:
                result = ret.value
            except _Raise as raised:
                if self.early_returns:  # it returns on the paths that do not raise
                    result = self.early_returns.pop()
                else:
                    result = Unknown(f"{fn.name}() raises an exception{self.where(raised.site)}", raised.site)
            except (_Break, _Continue):  # outside a loop: LibCST parses it, CPython would refuse to compile it
                problem = Problem("unresolved", f"{fn.name}() has 'break' or 'continue' outside a loop", fn.node)
                if not any(p.site is fn.node for p in self.module_stops):
                    self.module_stops.append(problem)
                return Unknown(problem.message, site)
            finally:
                early, self.early_returns = self.early_returns, outer
            return self.merge_values([result] + early, fn.node) if early else result
        finally:
            self.depth -= 1

    def bind_params(self, fn: Function, args, kwargs, local: Scope) -> Optional[str]:
        params: cst.Parameters = fn.node.params
        positional = list(params.posonly_params) + list(params.params)
        defaults = fn.defaults_cache or {}
        kwargs = dict(kwargs)
        for i, p in enumerate(positional):
            name = p.name.value
            if i < len(args):
                local.vars[name] = args[i]
            elif name in kwargs:
                local.vars[name] = kwargs.pop(name)
            elif name in defaults:
                local.vars[name] = defaults[name]
            elif "**" in kwargs:
                local.vars[name] = kwargs["**"]
            else:
                return f"missing argument '{name}'"
        extra = list(args[len(positional):])
        if isinstance(params.star_arg, cst.Param):
            local.vars[params.star_arg.name.value] = tuple(extra)
        elif extra:
            return f"takes {len(positional)} positional arguments but {len(args)} were given"
        for p in params.kwonly_params:
            name = p.name.value
            if name in kwargs:
                local.vars[name] = kwargs.pop(name)
            elif name in defaults:
                local.vars[name] = defaults[name]
            elif "**" in kwargs:
                local.vars[name] = kwargs["**"]
            else:
                return f"missing keyword argument '{name}'"
        if params.star_kwarg is not None:
            local.vars[params.star_kwarg.name.value] = kwargs
        elif kwargs and set(kwargs) != {"**"}:
            return f"unexpected keyword argument '{next(iter(kwargs))}'"
        return None

    # -- operators ---------------------------------------------------------
    def binary(self, op: str, a, b, site):
        if isinstance(a, Unknown):
            return a
        if isinstance(b, Unknown):
            return b
        for fe in self.frontends:
            result = fe.binary_op(self, op, a, b, site)
            if result is not NOT_HANDLED:
                return result
        if isinstance(a, Expr) or isinstance(b, Expr):
            return _dim_binary(op, a, b, site)
        fn = _BINARY.get(op)
        if fn is None:
            return Unknown(f"operator {op} is not evaluated", site)
        if not _safe_operands(op, a, b):
            return Unknown(f"the result of {op} would be too large to evaluate", site)
        try:
            return fn(a, b)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError, MemoryError) as exc:
            return Unknown(f"{op} failed: {exc}", site)

    def eval_binary(self, node: cst.BinaryOperation, scope: Scope):
        return self.binary(type(node.operator).__name__, self.eval(node.left, scope), self.eval(node.right, scope), node)

    def eval_unary(self, node: cst.UnaryOperation, scope: Scope):
        value = self.eval(node.expression, scope)
        op = type(node.operator).__name__
        if op == "Not":
            truth = self.truth(value)
            return Unknown("undecidable 'not'", node) if truth is None else not truth
        if isinstance(value, Unknown):
            return value
        if isinstance(value, Expr):
            return dims.neg(value) if op == "Minus" else value
        try:
            return {"Minus": lambda v: -v, "Plus": lambda v: +v, "BitInvert": lambda v: ~v}[op](value)
        except TypeError:
            return Unknown(f"unary {op} of {_describe(value)}", node)

    def eval_boolean(self, node: cst.BooleanOperation, scope: Scope):
        left = self.eval(node.left, scope)
        truth = self.truth(left)
        is_and = isinstance(node.operator, cst.And)
        if truth is None:
            right = self.eval(node.right, scope)
            right_truth = self.truth(right)
            if is_and and right_truth is False:
                return False
            if not is_and and right_truth is True:
                return right
            return Unknown(f"undecidable {_code(node)}", node)
        if is_and:
            return self.eval(node.right, scope) if truth else left
        return left if truth else self.eval(node.right, scope)

    def eval_compare(self, node: cst.Comparison, scope: Scope):
        left = self.eval(node.left, scope)
        result = True
        for target in node.comparisons:
            right = self.eval(target.comparator, scope)
            outcome = self.compare(type(target.operator).__name__, left, right, node)
            if isinstance(outcome, Unknown):
                return outcome
            result = result and outcome
            left = right
        return result

    def compare(self, op: str, a, b, site):
        if op in ("Is", "IsNot"):
            if isinstance(a, Unknown) or isinstance(b, Unknown):
                if a is None or b is None:
                    return Unknown("undecidable None check", site)
                return Unknown("undecidable identity check", site)
            same = a is b or (a is None and b is None)
            return same if op == "Is" else not same
        if isinstance(a, Unknown):
            return a
        if isinstance(b, Unknown):
            return b
        if isinstance(a, Expr) or isinstance(b, Expr):
            if op in ("Equal", "NotEqual"):
                if dims.definitely_equal(a, b):
                    return op == "Equal"
                if dims.definitely_different(a, b):
                    return op == "NotEqual"
            return Unknown("comparison of symbolic sizes", site)
        try:
            return _COMPARE[op](a, b)
        except (TypeError, KeyError):
            return Unknown(f"comparison {op} of {_describe(a)} and {_describe(b)}", site)

    def truth(self, value) -> Optional[bool]:
        """True/False, or None when it cannot be decided."""
        if isinstance(value, Unknown) or isinstance(value, Expr):
            return None
        if isinstance(value, (bool, int, float, str, list, tuple, dict, set)) or value is None:
            return bool(value)
        return True

    # -- containers ----------------------------------------------------------
    def iterate(self, value, site) -> Optional[list]:
        if isinstance(value, (list, tuple, str, set)):
            return list(value)
        if isinstance(value, dict):
            return list(value.keys())
        if isinstance(value, range):
            if _range_length(value) > self.budget.max_loop:
                raise BudgetExceeded(f"range of more than {self.budget.max_loop} items is too long to unroll", site)
            return list(value)
        for fe in self.frontends:
            result = fe.iterate(self, value, site)
            if result is not NOT_HANDLED:
                return result
        return None

    def eval_sequence(self, node, scope: Scope) -> list:
        out = []
        for el in node.elements:
            value = self.eval(el.value, scope)
            if isinstance(el, cst.StarredElement):
                items = self.iterate(value, el)
                out.extend(items if items is not None else [Unknown(f"cannot unpack {_code(el)}", el)])
            else:
                out.append(value)
        if len(out) > MAX_COLLECTION:
            raise BudgetExceeded("a collection is too large to evaluate", node)
        return out

    def eval_dict(self, node: cst.Dict, scope: Scope):
        out = {}
        for el in node.elements:
            if isinstance(el, cst.StarredDictElement):
                value = self.eval(el.value, scope)
                if isinstance(value, dict):
                    out.update(value)
                continue
            key = self.eval(el.key, scope)
            try:
                out[key] = self.eval(el.value, scope)
            except TypeError:
                return Unknown("dictionary with an unhashable key", node)
        return out

    def eval_subscript(self, node: cst.Subscript, scope: Scope):
        obj = self.eval(node.value, scope)
        index = self.eval_slice(node.slice, scope)
        return self.subscript(obj, index, node)

    def subscript(self, obj, index, site):
        if isinstance(obj, Unknown):
            return obj
        for fe in self.frontends:
            result = fe.subscript(self, obj, index, site)
            if result is not NOT_HANDLED:
                return result
        if isinstance(index, Unknown):
            return index
        if isinstance(obj, (list, tuple, str, dict, range)):
            try:
                return obj[index]
            except (IndexError, KeyError, TypeError) as exc:
                return Unknown(f"indexing failed: {exc}", site)
        return Unknown(f"cannot index {_describe(obj)}", site)

    def eval_slice(self, elements, scope: Scope):
        parts = []
        for el in elements:
            s = el.slice
            if isinstance(s, cst.Index):
                parts.append(self.eval(s.value, scope))
            else:
                parts.append(slice(*(None if x is None else self.eval(x, scope) for x in (s.lower, s.upper, s.step))))
        return parts[0] if len(parts) == 1 else tuple(parts)

    def eval_comprehension(self, node, scope: Scope):
        results = []
        inner = Scope(parent=scope)
        self.run_comprehension(node.for_in, inner, node, results)
        if isinstance(node, cst.DictComp):
            try:
                return dict(results)
            except TypeError:  # an Unknown in place of a (key, value) pair, or an unhashable key
                return first_unknown(results) or Unknown("dictionary comprehension with an unhashable key", node)
        if isinstance(node, cst.SetComp):
            try:
                return set(results)
            except TypeError:
                return Unknown("set of unhashable values", node)
        return results

    def run_comprehension(self, for_in: cst.CompFor, scope: Scope, node, results: list) -> None:
        items = self.iterate(self.eval(for_in.iter, scope), for_in)
        if items is None:
            results.append(Unknown(f"cannot iterate over {_code(for_in.iter)}", for_in))
            return
        for item in items:
            self.assign(for_in.target, item, scope)
            if any(self.truth(self.eval(cond.test, scope)) is not True for cond in for_in.ifs):
                continue
            if for_in.inner_for_in is not None:
                self.run_comprehension(for_in.inner_for_in, scope, node, results)
            elif isinstance(node, cst.DictComp):
                results.append((self.eval(node.key, scope), self.eval(node.value, scope)))
            else:
                results.append(self.eval(node.elt, scope))
            if len(results) > MAX_COLLECTION:
                raise BudgetExceeded("a comprehension is too large to evaluate", node)

    def eval_ifexp(self, node: cst.IfExp, scope: Scope):
        truth = self.truth(self.eval(node.test, scope))
        if truth is None:
            a, b = self.eval(node.body, scope), self.eval(node.orelse, scope)
            if a is b or (not isinstance(a, Unknown) and _plain_equal(a, b)) or _same_shape(a, b):
                return a
            return Unknown(f"{_code(node.test)} cannot be decided{self.where(node)}", node)
        return self.eval(node.body if truth else node.orelse, scope)

    def eval_string(self, node: cst.SimpleString, scope: Scope):
        try:
            return string_literal(node.value)
        except (ValueError, UnicodeError):
            return Unknown("string literal", node)

    def eval_concat(self, node: cst.ConcatenatedString, scope: Scope):
        return self.binary("Add", self.eval(node.left, scope), self.eval(node.right, scope), node)

    def eval_fstring(self, node: cst.FormattedString, scope: Scope):
        out = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                out.append(part.value)
                continue
            value = self.eval(part.expression, scope)
            if isinstance(value, Unknown):
                return value
            if not isinstance(value, (int, float, str, bool, Expr)) and value is not None:
                return Unknown("f-string of a non-constant", node)
            out.append(str(value))
        return "".join(out)

    def eval_number(self, node, scope: Scope):
        try:
            return number_literal(node.value)
        except ValueError:
            return Unknown("number literal", node)

    def eval_lambda(self, node: cst.Lambda, scope: Scope):
        fn = Function(node, scope, self)
        fn.defaults_cache = self.eval_defaults(node.params, scope)
        return fn

    def eval_named(self, node: cst.NamedExpr, scope: Scope):
        value = self.eval(node.value, scope)
        self.assign(node.target, value, scope)
        return value


_MISSING = object()
#: values whose loss at module level needs no note: data, names, definitions
_PLAIN_VALUES = (type(None), bool, int, float, str, bytes, list, tuple, dict, set, Expr, Unknown, Ref, Function, Class,
                 Builtin)
_LINE_MARK = re.compile(" \\(line \x00(\\d+)\x00\\)")


def string_literal(token: str):
    """The value of a string token, decoded here rather than compiled by Python."""
    prefix_len = len(token) - len(token.lstrip("rRbBuUfF"))
    prefix, rest = token[:prefix_len].lower(), token[prefix_len:]
    quote = rest[:3] if rest[:3] in ('"""', "'''") else rest[:1]
    body = rest[len(quote):len(rest) - len(quote)]
    if "r" not in prefix and "\\" in body:
        body = body.encode("latin-1", "backslashreplace").decode("unicode_escape")
    return body.encode("latin-1", "backslashreplace") if "b" in prefix else body


def number_literal(token: str):
    text = token.replace("_", "").lower()
    if text.endswith("j"):
        return complex(0, float(text[:-1]))
    if text[:2] in ("0x", "0o", "0b"):
        return int(text, 0)
    if any(c in text for c in ".e") or text == "inf":
        return float(text)
    return int(text)


def _same_shape(a, b) -> bool:
    from ..graph import Tensor

    return isinstance(a, Tensor) and isinstance(b, Tensor) and a.shape is not None and a.shape == b.shape


def _agree(a, b) -> bool:
    """Two paths' values are the same for what the analysis needs."""
    return a is b or (not isinstance(a, Unknown) and _plain_equal(a, b)) or _same_shape(a, b)


def _enclosing(scope: Scope) -> list:
    found, scope = [], scope.parent
    while scope is not None:
        found.append(scope)
        scope = scope.parent
    return found


class _ChangeLog:
    """The objects an undecided branch changed in place, each with its state before the first change.

    Objects the branch created itself need no undoing: only those reachable
    when it began are kept.  Values that can change in place are lists,
    dicts, sets and objects naming their ``mutable_fields``.
    """

    __slots__ = ("roots", "before", "_existing")

    def __init__(self, roots: list):
        self.roots = roots  # variables of the scopes the branch can see, as it began
        self.before: dict = {}  # id -> (object, state)
        self._existing: Optional[set] = None

    def note(self, obj) -> None:
        if id(obj) in self.before or not _changeable(obj):
            return
        if self._existing is None:  # nothing has changed yet: what is reachable now was there at the start
            self._existing = _reachable(v for variables in self.roots for v in variables.values())
        if id(obj) in self._existing:
            self.before[id(obj)] = (obj, _state(obj))


def _changeable(value) -> bool:
    return isinstance(value, (list, dict, set)) or getattr(type(value), "mutable_fields", None) is not None


def _reachable(values) -> set:
    """ids of the changeable objects reachable from values (not through functions or scopes)."""
    seen: set = set()
    stack = list(values)
    while stack:
        value = stack.pop()
        if isinstance(value, (list, tuple, set, frozenset)):
            if id(value) not in seen:
                seen.add(id(value))
                stack.extend(value)
        elif isinstance(value, dict):
            if id(value) not in seen:
                seen.add(id(value))
                stack.extend(value.values())
        elif _changeable(value) and id(value) not in seen:
            seen.add(id(value))
            stack.extend(getattr(value, name) for name in type(value).mutable_fields)
    return seen


class _Fields(dict):
    """The state of an object with ``mutable_fields``: field -> value, containers copied."""


def _state(obj):
    if isinstance(obj, (list, dict, set)):
        return type(obj)(obj)
    return _Fields((name, _state(v) if isinstance(v, (list, dict, set)) else v)
                   for name in type(obj).mutable_fields for v in (getattr(obj, name),))


def _restore(obj, state) -> None:
    """Put ``state`` back into obj itself: other values may hold it."""
    if isinstance(obj, list):
        obj[:] = state
    elif isinstance(obj, (dict, set)):
        obj.clear()
        obj.update(state)
    else:
        for name, value in state.items():
            current = getattr(obj, name)
            if isinstance(current, (list, dict, set)) and type(current) is type(value):
                _restore(current, value)
            else:
                setattr(obj, name, value)


def _merge_state(a, b, unknown: Unknown):
    """What two branches leave: the parts they agree on, the rest unknown (a list of different
    lengths keeps the items both begin with, then one unknown item)."""
    if isinstance(a, list) and isinstance(b, list):
        if len(a) == len(b):
            return [x if _agree(x, y) else unknown for x, y in zip(a, b)]
        common = 0
        while common < min(len(a), len(b)) and _agree(a[common], b[common]):
            common += 1
        return a[:common] + [unknown]
    if isinstance(a, set) and isinstance(b, set):
        return a | b
    if isinstance(a, _Fields) and isinstance(b, _Fields):  # a field holding a container holds a copy of it
        return _Fields((name, _merge_state(a[name], b[name], unknown)) for name in a)
    if isinstance(a, dict) and isinstance(b, dict):
        return {key: a[key] if key in a and key in b and _agree(a[key], b[key]) else unknown
                for key in list(a) + [k for k in b if k not in a]}
    return a if _agree(a, b) else unknown


def _plain_equal(a, b) -> bool:
    try:
        return type(a) is type(b) and isinstance(a, (int, float, str, tuple)) and a == b
    except Exception:  # noqa: BLE001 - comparison of arbitrary values
        return False


def _owner(scope: Scope):
    while scope is not None:
        if scope.owner_class is not None:
            return scope.owner_class
        scope = scope.parent
    return None


def _receiver(scope: Scope):
    while scope is not None:
        if scope.owner_class is not None:
            return scope.receiver
        scope = scope.parent
    return None


def _names_only(node) -> bool:
    """``a`` or ``a.b.c``: evaluating it runs no code."""
    while isinstance(node, cst.Attribute):
        node = node.value
    return isinstance(node, cst.Name)


def _dotted(node) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def _code(node) -> str:
    try:
        text = cst.Module(body=[]).code_for_node(node)
    except Exception:  # noqa: BLE001 - best-effort rendering for messages
        return type(node).__name__
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _describe(value) -> str:
    if isinstance(value, Ref):
        return value.qualname
    if isinstance(value, (Instance, Class, Function)):
        return repr(value)
    return type(value).__name__


def _block_statements(body):
    if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)):
        return body.body
    return body


#: methods that change the list, dict or set they are called on
_MUTATORS = {"append", "extend", "insert", "update", "setdefault", "pop", "popitem", "remove", "clear", "add",
             "discard", "sort", "reverse"}


def _assigned_names(body) -> list:
    """Names a block binds or changes in place (``xs.append(...)``, ``d[k] = ...``), and the
    attributes it sets or changes (``self.x = ...``, ``self.xs += ...``) as their CST nodes."""
    names: list = []

    def changed(target):
        if isinstance(target, cst.Subscript):
            target = target.value
        if isinstance(target, cst.Name):
            names.append(target.value)
        elif isinstance(target, cst.Attribute):
            names.append(target)

    class Collector(cst.CSTVisitor):
        def visit_AssignTarget(self, node):
            changed(node.target)

        def visit_AugAssign(self, node):
            changed(node.target)

        def visit_Call(self, node):
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value in _MUTATORS:
                changed(func.value)

    body.visit(Collector())
    return names


def _safe_operands(op: str, a, b) -> bool:
    """Refuse operations whose result would take long or much memory."""
    if op == "Power" and isinstance(a, int) and isinstance(b, int):
        return b < 0 or abs(a) <= 1 or b * max(abs(a), 2).bit_length() <= 4096
    if op == "LeftShift" and isinstance(b, int):
        return b <= 4096 and (not isinstance(a, int) or a.bit_length() + b <= MAX_INT_BITS)
    if op == "Add" and isinstance(a, (str, list, tuple)) and isinstance(b, (str, list, tuple)):
        return len(a) + len(b) <= MAX_COLLECTION  # x = x + x in a loop doubles the size each time
    if op == "Multiply" and isinstance(a, int) and isinstance(b, int):
        return a.bit_length() + b.bit_length() <= MAX_INT_BITS  # squaring in a loop doubles the size each time
    if op == "Multiply":
        for seq, n in ((a, b), (b, a)):
            if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * max(n, 0) > MAX_COLLECTION:
                return False
    return True


def _dim_binary(op: str, a, b, site):
    if isinstance(a, float) or isinstance(b, float) or not isinstance(a, (int, Expr)) or not isinstance(b, (int, Expr)):
        return Unknown(f"{op} of symbolic sizes", site)
    if op == "Add":
        return dims.add(a, b)
    if op == "Subtract":
        return dims.sub(a, b)
    if op == "Multiply":
        return dims.mul(a, b)
    if op == "FloorDivide":
        return dims.floordiv(a, b) if isinstance(b, int) and b > 0 else dims.exact_div(a, b) or Unknown("division", site)
    if op == "Divide":
        result = dims.exact_div(a, b)
        return Unknown("division of symbolic sizes", site) if result is None else result
    return Unknown(f"{op} of symbolic sizes", site)


_BINARY = {
    "Add": lambda a, b: a + b,
    "Subtract": lambda a, b: a - b,
    "Multiply": lambda a, b: a * b,
    "Divide": lambda a, b: a / b,
    "FloorDivide": lambda a, b: a // b,
    "Modulo": lambda a, b: a % b,
    "Power": lambda a, b: a ** b,
    "LeftShift": lambda a, b: a << b,
    "RightShift": lambda a, b: a >> b,
    "BitOr": lambda a, b: a | b,
    "BitAnd": lambda a, b: a & b,
    "BitXor": lambda a, b: a ^ b,
}

_COMPARE = {
    "Equal": lambda a, b: a == b,
    "NotEqual": lambda a, b: a != b,
    "LessThan": lambda a, b: a < b,
    "LessThanEqual": lambda a, b: a <= b,
    "GreaterThan": lambda a, b: a > b,
    "GreaterThanEqual": lambda a, b: a >= b,
    "In": lambda a, b: a in b,
    "NotIn": lambda a, b: a not in b,
}


#: methods of plain values that store or fetch values without looking at them
_CONTAINER_METHODS = {"append", "extend", "insert", "update", "setdefault", "pop", "get", "items", "keys", "values",
                      "copy", "index", "count"}


def _wrap_python_method(method):
    def run(interp, args, kwargs, site):
        unknown = first_unknown(list(args) + list(kwargs.values()))
        if unknown is not None and method.__name__ not in _CONTAINER_METHODS:
            return unknown
        if method.__name__ in _MUTATORS:
            interp.note_change(method.__self__)
        result = method(*args, **kwargs)
        if hasattr(result, "__next__") or type(result).__name__ in ("dict_items", "dict_keys", "dict_values"):
            return list(result)
        return result

    return run


def _range_length(r: range) -> int:
    """len(r) without its OverflowError beyond sys.maxsize items (range(10**20) is a valid range)."""
    return max(0, (r.stop - r.start + r.step - (1 if r.step > 0 else -1)) // r.step)


def _builtin_range(interp, args, kwargs, site):
    if first_unknown(args):
        return first_unknown(args)
    if not all(isinstance(a, int) for a in args):
        return Unknown("range() of non-integers", site)
    return range(*args)


def _builtin_len(interp, args, kwargs, site):
    (value,) = args
    if isinstance(value, Unknown):
        return value
    for fe in interp.frontends:
        result = fe.length(interp, value, site)
        if result is not NOT_HANDLED:
            return result
    if isinstance(value, (list, tuple, str, dict, set, range)):
        return len(value)
    return Unknown(f"len() of {_describe(value)}", site)


def _builtin_sum(interp, args, kwargs, site):
    """sum() with the evaluator's own + (so tensors add as tensors do)."""
    items = interp.iterate(args[0], site) if args else None
    if items is None:
        return args[0] if args and isinstance(args[0], Unknown) else Unknown("sum() of a value cnnlint cannot iterate",
                                                                             site)
    total = args[1] if len(args) > 1 else kwargs.get("start", 0)
    for item in items:
        total = interp.binary("Add", total, item, site)
    return total


def _numeric(name, fn):
    def run(interp, args, kwargs, site):
        unknown = first_unknown(list(args) + list(kwargs.values()))
        if unknown is not None:
            return unknown
        if any(isinstance(a, Expr) for a in args):
            if name == "int" and len(args) == 1:
                return args[0]
            return Unknown(f"{name}() of a symbolic size", site)
        return fn(*args, **kwargs)

    return run


def _sequence(name, fn):
    def run(interp, args, kwargs, site):
        items = [interp.iterate(a, site) for a in args]
        if any(i is None for i in items):
            unknown = next((a for a in args if isinstance(a, Unknown)), None)
            return unknown or Unknown(f"{name}() of a value cnnlint cannot iterate", site)
        return fn(*items, **kwargs)

    return run


def _builtin_isinstance(interp, args, kwargs, site):
    obj, classinfo = args
    candidates = classinfo if isinstance(classinfo, tuple) else (classinfo,)
    for fe in interp.frontends:
        result = fe.isinstance(interp, obj, candidates, site)
        if result is not NOT_HANDLED:
            return result
    py_types = {"int": int, "float": float, "str": str, "list": list, "tuple": tuple, "dict": dict, "bool": bool}
    decided = []
    for c in candidates:
        if isinstance(c, Builtin) and c.name in py_types:
            decided.append(isinstance(obj, py_types[c.name]) and not isinstance(obj, Unknown))
        elif isinstance(c, Class):
            decided.append(isinstance(obj, Instance) and c in obj.cls.mro())
        else:
            return Unknown("isinstance() against a class cnnlint does not know", site)
    if isinstance(obj, Unknown):
        return obj
    return any(decided)


def _builtin_getattr(interp, args, kwargs, site):
    obj, name = args[0], args[1]
    if not isinstance(name, str):
        return Unknown("getattr() with a computed name", site)
    value = interp.get_attr(obj, name, site)
    if isinstance(value, Unknown) and len(args) > 2:
        return args[2]
    return value


def _builtin_setattr(interp, args, kwargs, site):
    obj, name, value = args
    if not isinstance(name, str):
        interp.trace.stop(f"setattr() with a name cnnlint cannot compute{interp.where(site)}", site)
        return None
    interp.set_attr(obj, name, value, site)
    return None


def _builtin_hasattr(interp, args, kwargs, site):
    value = interp.get_attr(args[0], args[1], site) if isinstance(args[1], str) else Unknown("", site)
    return not isinstance(value, Unknown)


def _builtin_print(interp, args, kwargs, site):
    return None


def _builtin_super(interp, args, kwargs, site):  # replaced at the call site (needs the scope)
    return Unknown("super() outside a method", site)


def _builtin_partial(interp, args, kwargs, site):
    return Partial(args[0], args[1:], kwargs)


_BUILTINS = {
    "range": _builtin_range,
    "len": _builtin_len,
    "int": _numeric("int", int),
    "float": _numeric("float", float),
    "abs": _numeric("abs", abs),
    "round": _numeric("round", round),
    "min": _numeric("min", min),
    "max": _numeric("max", max),
    "bool": lambda interp, args, kwargs, site: interp.truth(args[0]) if args else False,
    "str": _numeric("str", str),
    "divmod": _numeric("divmod", divmod),
    "pow": _numeric("pow", lambda a, b, *m: Unknown("pow", None) if not _safe_operands("Power", a, b) else pow(a, b, *m)),
    "list": _sequence("list", lambda *xs: list(xs[0]) if xs else []),
    "tuple": _sequence("tuple", lambda *xs: tuple(xs[0]) if xs else ()),
    "set": _sequence("set", lambda *xs: set(xs[0]) if xs else set()),
    "sum": _builtin_sum,
    "sorted": _sequence("sorted", sorted),
    "reversed": _sequence("reversed", lambda xs: list(reversed(xs))),
    "zip": _sequence("zip", lambda *xs: list(zip(*xs))),
    "enumerate": _sequence("enumerate", lambda xs, start=0: list(enumerate(xs, start))),
    "any": _sequence("any", any),
    "all": _sequence("all", all),
    "dict": lambda interp, args, kwargs, site: dict(*args, **kwargs),
    "isinstance": _builtin_isinstance,
    "getattr": _builtin_getattr,
    "setattr": _builtin_setattr,
    "hasattr": _builtin_hasattr,
    "print": _builtin_print,
    "super": _builtin_super,
}

class _Array(list):
    """A NumPy array of plain numbers, as the code uses it: a list that also has ``tolist()``."""

    def tolist(self) -> list:
        return list(self)


def _linspace(start, stop, num: int) -> _Array:
    """As NumPy computes it: ``i * step + start``, the last value exactly ``stop``."""
    if num <= 1:
        return _Array([float(start)] * max(num, 0))
    step = (stop - start) / (num - 1)
    return _Array([i * step + start for i in range(num - 1)] + [float(stop)])


def _copy_plain(value, deep: bool):
    """copy.copy/deepcopy of containers; other values are shared, as for immutable ones."""
    if isinstance(value, list):
        return [_copy_plain(v, deep) if deep else v for v in value]
    if isinstance(value, dict):
        return {k: _copy_plain(v, deep) if deep else v for k, v in value.items()}
    if isinstance(value, tuple) and deep:
        return tuple(_copy_plain(v, deep) for v in value)
    return value


#: standard-library functions reached through imports (math.ceil, functools.partial)
STDLIB = {
    "math.ceil": _numeric("ceil", math.ceil),
    "math.floor": _numeric("floor", math.floor),
    "math.sqrt": _numeric("sqrt", math.sqrt),
    "math.log2": _numeric("log2", math.log2),
    "math.log": _numeric("log", math.log),
    "math.prod": _sequence("prod", math.prod),
    "functools.partial": _builtin_partial,
    "numpy.linspace": _numeric("linspace", lambda start, stop, num=50: _linspace(start, stop, num)),
    "numpy.arange": _builtin_range,
    "numpy.prod": _sequence("prod", math.prod),
    "numpy.sum": _sequence("sum", sum),
    "numpy.cumsum": _sequence("cumsum", lambda xs: [sum(xs[:i + 1]) for i in range(len(xs))]),
    "numpy.ceil": _numeric("ceil", math.ceil),
    "numpy.floor": _numeric("floor", math.floor),
    "numpy.sqrt": _numeric("sqrt", math.sqrt),
    "copy.deepcopy": lambda interp, args, kwargs, site: _copy_plain(args[0], deep=True),
    "copy.copy": lambda interp, args, kwargs, site: _copy_plain(args[0], deep=False),
    "collections.OrderedDict": lambda interp, args, kwargs, site: dict(*args, **kwargs),
    "typing.cast": lambda interp, args, kwargs, site: args[1],
}

_EXPRESSIONS = {
    cst.Name: Interpreter.eval_name,
    cst.Attribute: Interpreter.eval_attribute,
    cst.Call: Interpreter.eval_call,
    cst.Integer: Interpreter.eval_number,
    cst.Float: Interpreter.eval_number,
    cst.Imaginary: Interpreter.eval_number,
    cst.SimpleString: Interpreter.eval_string,
    cst.ConcatenatedString: Interpreter.eval_concat,
    cst.FormattedString: Interpreter.eval_fstring,
    cst.Tuple: lambda self, node, scope: tuple(self.eval_sequence(node, scope)),
    cst.List: lambda self, node, scope: self.eval_sequence(node, scope),
    cst.Set: lambda self, node, scope: set(self.eval_sequence(node, scope)),
    cst.Dict: Interpreter.eval_dict,
    cst.BinaryOperation: Interpreter.eval_binary,
    cst.UnaryOperation: Interpreter.eval_unary,
    cst.BooleanOperation: Interpreter.eval_boolean,
    cst.Comparison: Interpreter.eval_compare,
    cst.Subscript: Interpreter.eval_subscript,
    cst.IfExp: Interpreter.eval_ifexp,
    cst.ListComp: Interpreter.eval_comprehension,
    cst.GeneratorExp: Interpreter.eval_comprehension,
    cst.SetComp: Interpreter.eval_comprehension,
    cst.DictComp: Interpreter.eval_comprehension,
    cst.Lambda: Interpreter.eval_lambda,
    cst.NamedExpr: Interpreter.eval_named,
    cst.Ellipsis: lambda self, node, scope: ...,
}

_COMPOUND = {
    cst.If: Interpreter.exec_if,
    cst.For: Interpreter.exec_for,
    cst.While: Interpreter.exec_while,
    cst.With: Interpreter.exec_with,
    cst.Try: Interpreter.exec_try,
    cst.FunctionDef: Interpreter.exec_def,
    cst.ClassDef: Interpreter.exec_class,
}
