"""A bounded abstract interpreter over LibCST trees.

It runs the analysed file's module body, functions and classes on abstract
values: Python constants stay constants, tensors are shapes, framework names
are ``Ref``s that the front ends know how to call.  Nothing is imported or
executed.  Every loop, call and step counts against a budget, so hostile
code ends in an ``Unknown`` with a reason, never in a hang.
"""


from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Callable, List, Optional

import libcst as cst

from .. import dims
from ..dims import Expr
from ..graph import Problem, ProblemKind, Tensor
from ..parsing import Source
from .branches import DIFFER, ChangeLog, join
from .budget import (FILE_STEPS, MAX_COLLECTION, MAX_WEIGHT, SCALARS, WEIGHT_PER_STEP, Budget, BudgetExceeded,
                     weight)
from .library import BUILTINS, CONSTANTS, LIBRARY, SAFE_TYPES, python_method, range_length
from .library.containers import MissingKey
from .library.enums import MEMBERS, enum_member as member_by_value
from .library.system import module_of
from .library.pytypes import compares_by_identity, enum_member
from .modules import ModuleLoader, module_name, package_of
from .operators import BINARY, BOOLEAN_COMPARISONS, COMPARE, dim_binary, safe_operands
from .plugin import NOT_HANDLED
from .scope import Break, Continue, Raise, Return, Scope, Trace
from .statements import Statements
from .syntax import code_of, number_literal, refers_to_class_cell, string_literal
from .values import (Absent, BoundMethod, Builtin, Class, Function, Instance, LibraryUnknown, LibraryValue, Names,
                     Partial, PlainUnknown, Ref, Super, UncertainItems, Unknown, UnknownItems, describe, first_unknown,
                     is_plain, items_marker, unknown_of)

__all__ = ["Budget", "BudgetExceeded", "Interpreter", "Scope"]


class Interpreter(Statements):
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
        if self.loader is not None and load_depth == 0:
            self.loader.analysing(self.globals)
            if package_of(path):  # a package's module is imported under its dotted name; a lone script's: unknown
                self.loader.loaded.by_name[module_name(path)] = self
        #: the module body stopped early (its step budget ran out): names it would have bound later are unknown
        self.cut_short = False
        self.trace = Trace()
        self.line_of = line_of  # None: no line numbers in messages (a module read as a library)
        self._line_sites: dict = {}  # id(site) -> (marker index, site)
        for name, fn in BUILTINS.items():
            self.globals.vars.setdefault(name, Builtin(name, fn))
        self.globals.vars["Ellipsis"] = ...  # a builtin name, not a keyword: code may bind it too
        self.builtins = dict(self.globals.vars)
        self.module_stops: List[Problem] = []  # bounds hit while running the module body itself
        #: functions callable without arguments that the file's step bound left unrun (they may build models)
        self.unrun_factories: List[tuple] = []
        #: (name, value) of every object bound to a module-level name, in order: a name bound again (a
        #: notebook's `model = ...` cell after cell) must not hide the model it held before
        self.module_bindings: List[tuple] = []
        #: modules whose names ``from module import *`` brought in without cnnlint reading them
        self.star_modules: List[str] = []
        self._memo: dict = {}  # see memo()
        #: steps left for the whole file, shared with the modules it imports
        self.file_steps = [FILE_STEPS]
        self.model_filter: Optional[str] = None  # --model: only this one is built
        self.early_returns: list = []  # (value, condition) the running function returns on undecided paths
        self._change_logs: List[ChangeLog] = []  # one per undecided branch being run, innermost last
        #: id -> (dict, why): dicts given to a function cnnlint cannot read, which may have changed them in place
        #: (``_ovewrite_named_param(kwargs, "groups", 32)``): what they hold afterwards is unknown
        self.escaped: dict = {}

    def escape(self, values, callee: str, site) -> None:
        for value in values:
            if isinstance(value, dict):
                self.escaped[id(value)] = (value, Unknown(f"a dict given to {callee}(), which cnnlint does not read "
                                                          "and which may have changed it", site))

    def escaped_value(self, value) -> Optional[Unknown]:
        """Why what the dict holds is unknown, if a function cnnlint cannot read was given it."""
        if not self.escaped or not isinstance(value, dict):
            return None
        entry = self.escaped.get(id(value))
        return entry[1] if entry is not None and entry[0] is value else None

    # -- budget ---------------------------------------------------------
    def tick(self, site=None, steps: int = 1) -> None:
        b = self.budget
        b.steps_left -= steps
        self.file_steps[0] -= steps
        if b.steps_left <= 0:
            raise BudgetExceeded("the analysis step budget is exhausted", site, exhausted=True)
        if self.file_steps[0] <= 0:
            raise BudgetExceeded(f"the analysis of this file took more than {FILE_STEPS:,} steps", site,
                                 exhausted=True)

    def memo(self, function, node):
        """``function(node)`` once per node: LibCST renders code and visits trees slowly, and the same undecidable
        condition or branch is met again on every call of its function.  The node is kept with its value, so
        that its id stays its own."""
        key = (function, id(node))
        hit = self._memo.get(key)
        if hit is None:
            hit = self._memo[key] = (node, function(node))
        return hit[1]

    def affordable(self, values, site) -> bool:
        """Charge a Python operation over ``values`` by how much of them it touches; False if that is too much."""
        total = 0
        for value in values:
            total += 1 if type(value) in SCALARS else weight(value, MAX_WEIGHT - total)  # most are scalars
            if total > MAX_WEIGHT:
                return False
        if total >= WEIGHT_PER_STEP:
            self.tick(site, total // WEIGHT_PER_STEP)
        return True

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
                self.module_stops.append(Problem(ProblemKind.UNRESOLVED, exc.reason, exc.site or stmt))
                self.poison(stmt, self.globals, "could not be computed", stmt)
                if exc.exhausted:
                    self.cut_short = True
                    break
            except (Return, Break, Continue, Raise):
                continue
            except RecursionError:
                self.module_stops.append(Problem(ProblemKind.UNRESOLVED, "the code is nested too deeply to analyse", stmt))

    def resolve(self, ref: Ref):
        """The project's own definition behind ``ref``, or None (framework or not found)."""
        qualname = ref.qualname
        if qualname in self._resolved:
            return self._resolved[qualname]
        value = None
        if self.loader is not None and not any(fe.owns(qualname) for fe in self.frontends):
            path, attrs = self.loader.split(qualname)
            if path and not attrs:
                value = self.package_binding(qualname)
            scope = self.loader.load(path, self) if path else None
            if scope is not None and attrs and attrs[0] in scope.vars:
                value = scope.vars[attrs[0]]
                for name in attrs[1:]:
                    value = self.get_attr(value, name, None)
            elif scope is not None and scope is self.loader.loaded.analysed:
                return value  # a name of the analysed file's own not bound yet (its body is running): not final
        self._resolved[qualname] = value
        return value

    def package_binding(self, qualname: str):
        """``package.name`` where ``name`` is also a submodule: the package's own binding comes first, as
        ``from package import name`` takes it (a function ``__init__`` imports from the submodule of
        the same name); None when the package binds nothing else there."""
        if "." not in qualname:
            return None
        parent, name = qualname.rsplit(".", 1)
        path, attrs = self.loader.split(parent)
        scope = self.loader.load(path, self) if path and not attrs else None
        value = scope.vars.get(name) if scope is not None else None
        return None if value is None or value == Ref(qualname) else value

    def canonical(self, value, items: bool = False):
        """A project name imported under several paths (``timm.layers.X`` re-exports ``timm.layers.norm.X``)
        as the one definition it names, so that comparing two names of it compares it; with ``items``,
        the items of a container (``x in {A, B}``)."""
        if items and isinstance(value, (list, tuple, set, frozenset)) and any(isinstance(v, Ref) for v in value):
            found = [self.canonical(v) for v in value]
            return found if isinstance(value, list) else tuple(found)
        if items and isinstance(value, dict) and any(isinstance(v, Ref) for v in value):
            return [self.canonical(v) for v in value]
        for _ in range(MAX_REEXPORTS):
            found = self.resolve(value) if isinstance(value, Ref) else None
            if found is None:
                break
            value = found
        return value

    def is_project_module(self, ref: Ref) -> bool:
        """Whether ``ref`` names one of the project's own modules (``import config``)."""
        key = ("module", ref.qualname)
        if key not in self._resolved:
            found = self.loader is not None and not any(fe.owns(ref.qualname) for fe in self.frontends)
            if found:
                path, rest = self.loader.split(ref.qualname)
                found = path is not None and not rest and self.resolve(ref) is None
            self._resolved[key] = found
        return self._resolved[key]

    def run_library_module(self, source: Source, path: str, loaded) -> Scope:
        """Interpret a project module that the analysed file imports from (``loaded``: the modules this
        analysed file has loaded, which the module's own imports share)."""
        library = Interpreter(source, self.frontends, self.budget, path=path, load_depth=self.load_depth + 1)
        library.loader.loaded = loaded
        library.trace = self.trace
        library.file_steps = self.file_steps
        library.escaped = self.escaped  # a dict that escaped while a module loaded is as unknown to its importers
        # imported, never run as a script: ``if __name__ == "__main__": _test()`` (pytorchcv's modules build
        # every model they define there) is decided False, as Python decides it
        library.globals.vars["__name__"] = name = module_name(path)
        loaded.by_name[name] = library  # found by name while its body runs, as Python's sys.modules has it
        library.run_module()
        return library.globals

    def set_attr(self, obj, name: str, value, site) -> None:
        self.note_change(obj)
        if isinstance(obj, LibraryValue) and obj._set_attr(self, name, value, site) is not NOT_HANDLED:
            return
        for fe in self.frontends:
            if fe.set_attr(self, obj, name, value, site) is not NOT_HANDLED:
                return
        if isinstance(obj, Instance):
            obj.attrs[name] = value
        elif isinstance(obj, Class):
            obj.attrs[name] = value

    # -- expressions ------------------------------------------------------
    def eval(self, node, scope: Scope):
        budget, file_steps = self.budget, self.file_steps  # tick(), inlined: the evaluator's most frequent call
        budget.steps_left -= 1
        file_steps[0] -= 1
        if budget.steps_left <= 0 or file_steps[0] <= 0:
            self.tick(node, 0)
        handler = _EXPRESSIONS.get(type(node))
        if handler is None:
            return Unknown(f"{type(node).__name__} expressions are not evaluated", node)
        return handler(self, node, scope)

    def eval_name(self, node: cst.Name, scope: Scope):
        name = node.value
        if name in _CONSTANT_NAMES:
            return _CONSTANT_NAMES[name]
        try:
            value = scope.lookup(name)
        except KeyError:
            if name in self.globals.vars:
                return self.globals.vars[name]
            if self.star_modules:  # ``from torch.nn import *``: the name is the star-imported module's
                owned = [m for m in self.star_modules if any(fe.owns(f"{m}.{name}") for fe in self.frontends)]
                return Ref(f"{(owned or self.star_modules)[-1]}.{name}")
            return Unknown(f"'{name}' is not defined in this file", node)
        if type(value) is Ref:  # ``from ._meta import _IMAGENET_CATEGORIES``: a constant of the project's, read
            resolved = self.resolve(value)
            if isinstance(resolved, SAFE_TYPES):
                return resolved
        return value

    def eval_attribute(self, node: cst.Attribute, scope: Scope):
        return self.get_attr(self.eval(node.value, scope), node.attr.value, node)

    def get_attr(self, obj, name: str, site):
        if isinstance(obj, Unknown):
            return obj
        if isinstance(obj, LibraryValue):
            result = obj._get_attr(self, name, site)
            if result is not NOT_HANDLED:
                return result
        for fe in self.frontends:
            result = fe.get_attr(self, obj, name, site)
            if result is not NOT_HANDLED:
                return result
        if isinstance(obj, Ref):
            resolved = self.resolve(obj)
            if resolved is not None and not isinstance(resolved, Ref):
                return self.get_attr(resolved, name, site)
            ref = Ref(f"{obj.qualname}.{name}")
            if ref.qualname in CONSTANTS:
                return CONSTANTS[ref.qualname]
            value = self.resolve(ref)
            if self.is_project_module(obj):  # `config.NUM_CLASSES`: the value itself, read from the module
                return ref if value is None else value
            return value if isinstance(value, SAFE_TYPES) else ref
        if name == "__name__" and isinstance(obj, (Class, Function)):
            return obj.name
        if name == "__module__" and isinstance(obj, (Class, Function)):
            return module_of(obj, site)
        if isinstance(obj, Partial) and name in ("func", "args", "keywords"):
            return {"func": obj.fn, "args": tuple(obj.args), "keywords": obj.kwargs}[name]
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
            if not hasattr(obj, name):
                return Absent(f"{describe(obj)} has no attribute '{name}'", site)
            attr = getattr(obj, name)
            if callable(attr):
                return Builtin(name, python_method(attr), obj)
            if attr is not None:
                return attr
        if isinstance(obj, Expr) and name in ("real",):
            return obj
        return Unknown(f"attribute '{name}' of {describe(obj)} is not known", site)

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
        missing = f"{cls.name}.{name} is not defined in this file"
        return Absent(missing, site) if all(isinstance(c, Class) for c in cls.mro()) else Unknown(missing, site)

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
            method = _method_scope(scope)
            return Super(method and method.owner_class, method and method.receiver)
        if getattr(func, "reads_caller_scope", False):  # Lightning's save_hyperparameters() reads its caller's frame
            return func.call_in_scope(self, args, kwargs, node, scope)
        if isinstance(func, Builtin) and func.name in ("locals", "vars") and not args and not kwargs:
            return self.local_variables(scope)
        if isinstance(func, Unknown):
            self.trace.skip(node, scope)  # whatever it calls is not run
        return self.call(func, args, kwargs, node)

    def local_variables(self, scope: Scope) -> dict:
        """``locals()``: a new dict of the variables bound where it is called (at module level, the module's
        own names, not the builtins)."""
        builtins = self.builtins if scope is self.globals else {}
        return {name: value for name, value in scope.vars.items()
                if name not in builtins or value is not builtins[name]}

    def eval_args(self, arguments, scope: Scope):
        args: list = []
        kwargs: dict = {}
        for arg in arguments:
            value = self.eval(arg.value, scope)
            if arg.star == "*":
                items = self.iterate(value, arg)
                if items is None:
                    args.append(Unknown(f"cannot unpack *{code_of(arg.value)}", arg))
                else:
                    args.extend(items)
            elif arg.star == "**":
                if (escaped := self.escaped_value(value)) is not None:
                    kwargs["**"] = escaped
                elif isinstance(value, dict):
                    kwargs.update({str(k): v for k, v in value.items()})
                else:
                    kwargs["**"] = Unknown(f"cannot unpack **{code_of(arg.value)}", arg)
            elif arg.keyword is not None:
                kwargs[arg.keyword.value] = value
            else:
                args.append(value)
        return args, kwargs

    def call(self, func, args: list, kwargs: dict, site):
        self.tick(site)
        if isinstance(func, Unknown):
            self.escape((*args, *kwargs.values()), code_of(func.site) if func.site is not None else "a function", site)
            return func
        if isinstance(func, LibraryValue):
            result = func._call(self, args, kwargs, site)
            if result is not NOT_HANDLED:
                return result
        for fe in self.frontends:
            result = fe.call_value(self, func, args, kwargs, site)
            if result is not NOT_HANDLED:
                return result
        if isinstance(func, Function):
            return self.call_function(func, args, kwargs, site)
        if isinstance(func, BoundMethod):
            return self.call_function(func.function, [func.receiver] + list(args), kwargs, site, owner=func.owner)
        if isinstance(func, Builtin):
            escaped = self.escaped and next(filter(None, map(self.escaped_value,
                                                             (*args, *kwargs.values(), func.receiver))), None)
            if escaped:
                return escaped
            if not self.affordable((*args, *kwargs.values(), func.receiver), site):
                return Unknown(f"{func.name}() of values too large to evaluate", site)
            try:
                result = func.fn(self, args, kwargs, site)
            except (TypeError, ValueError, IndexError, KeyError, AttributeError, ZeroDivisionError, OverflowError,
                    MemoryError) as exc:
                given = next((a for a in list(args) + list(kwargs.values()) if isinstance(a, Unknown)), None)
                return given or Unknown(f"{func.name}() failed: {exc}", site)  # why an argument is unknown says more
            if not self.affordable((result,), site):
                return Unknown(f"the result of {func.name}() is too large to evaluate", site)
            return result
        if isinstance(func, Partial):
            return self.call(func.fn, func.args + list(args), {**func.kwargs, **kwargs}, site)
        if isinstance(func, Class):
            if MEMBERS in func.attrs:
                return member_by_value(self, func, args, kwargs, site)
            return self.instantiate(func, args, kwargs, site)
        if isinstance(func, Instance) and isinstance(func.cls.lookup("__call__"), Function):
            return self.call(self.class_attr(func.cls, "__call__", func, site), args, kwargs, site)
        if isinstance(func, Ref):
            if func.qualname in LIBRARY:
                return self.call(Builtin(func.qualname, LIBRARY[func.qualname]), args, kwargs, site)
            resolved = self.resolve(func)
            if resolved is not None:
                return self.call(resolved, args, kwargs, site)
            self.escape((*args, *kwargs.values()), func.qualname, site)
            why = f"{func.qualname}() is not modelled by cnnlint"
            return LibraryUnknown(why, site) if all(map(is_plain, (*args, *kwargs.values()))) else Unknown(why, site)
        return Unknown(f"{describe(func)} is not callable here", site)

    def instantiate(self, cls: Class, args, kwargs, site):
        member = enum_member(self, cls, args, kwargs, site)
        if member is not NOT_HANDLED:
            return member
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
            local = Scope(parent=fn.scope, owner_class=owner, receiver=args[0] if owner is not None and args else None,
                          function=fn)
            problem = self.bind_params(fn, args, kwargs, local)
            if problem is not None:
                self.trace.skip(fn, local)
                return Unknown(f"call to {fn.name}(): {problem}", site)
            node = fn.node
            outer, self.early_returns = self.early_returns, []
            try:
                if isinstance(node, cst.Lambda):
                    return self.eval(node.body, local)
                body = fn.module.source.body(node)
                if body is None:
                    self.trace.skip(fn, local)
                    return Unknown(f"cnnlint cannot parse the body of {fn.name}(){self.where(node)}", site)
                if owner is not None and self.memo(refers_to_class_cell, body):
                    local.vars["__class__"] = owner
                self.exec_block(body, local)
                result = None
            except Return as ret:
                result = ret.value
            except Raise as raised:
                if self.early_returns:  # it returns on the paths that do not raise
                    result = self.early_returns.pop()[0]
                else:
                    result = Unknown(f"{fn.name}() raises an exception{self.where(raised.site)}", raised.site)
            except (Break, Continue):  # outside a loop: LibCST parses it, CPython would refuse to compile it
                problem = Problem(ProblemKind.UNRESOLVED, f"{fn.name}() has 'break' or 'continue' outside a loop", fn.node)
                if not any(p.site is fn.node for p in self.module_stops):
                    self.module_stops.append(problem)
                return Unknown(problem.message, site)
            finally:
                early, self.early_returns = self.early_returns, outer
            # an unknown result is placed at the first condition it depends on
            return self.merge_values([result] + [value for value, _ in early], early[0][1]) if early else result
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
            elif "**" in kwargs:  # keyword arguments cnnlint cannot read may give it: its default is no fact
                local.vars[name] = kwargs["**"]
            elif name in defaults:
                local.vars[name] = defaults[name]
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
            elif "**" in kwargs:
                local.vars[name] = kwargs["**"]
            elif name in defaults:
                local.vars[name] = defaults[name]
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
            return dim_binary(op, a, b, site)
        fn = BINARY.get(op)
        if fn is None:
            return Unknown(f"operator {op} is not evaluated", site)
        if not safe_operands(op, a, b) or not self.affordable((a, b), site):
            return Unknown(f"the result of {op} would be too large to evaluate", site)
        try:
            result = fn(a, b)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError, MemoryError) as exc:
            return Unknown(f"{op} failed: {exc}", site)
        if not self.affordable((result,), site):  # s % (s, s) in a loop doubles the size each time
            return Unknown(f"the result of {op} is too large to evaluate", site)
        return result

    def eval_binary(self, node: cst.BinaryOperation, scope: Scope):
        return self.binary(type(node.operator).__name__, self.eval(node.left, scope), self.eval(node.right, scope), node)

    def eval_unary(self, node: cst.UnaryOperation, scope: Scope):
        value = self.eval(node.expression, scope)
        op = type(node.operator).__name__
        if op == "Not":
            truth = self.truth(value)
            return PlainUnknown("undecidable 'not'", node) if truth is None else not truth
        if isinstance(value, Unknown):
            return value
        if isinstance(value, Expr):
            return dims.neg(value) if op == "Minus" else value
        for fe in self.frontends:
            result = fe.unary_op(self, op, value, node)
            if result is not NOT_HANDLED:
                return result
        try:
            return {"Minus": lambda v: -v, "Plus": lambda v: +v, "BitInvert": lambda v: ~v}[op](value)
        except TypeError:
            return Unknown(f"unary {op} of {describe(value)}", node)

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
            return unknown_of((left, right), f"undecidable {self.memo(code_of, node)}", node)
        if is_and:
            return self.eval(node.right, scope) if truth else left
        return left if truth else self.eval(node.right, scope)

    def eval_compare(self, node: cst.Comparison, scope: Scope):
        left = self.eval(node.left, scope)
        result = True
        for target in node.comparisons:
            right = self.eval(target.comparator, scope)
            outcome = self.compare(type(target.operator).__name__, left, right, node)
            if isinstance(outcome, Tensor) and len(node.comparisons) > 1:
                outcome = Unknown("a chained comparison of tensors", node)
            if isinstance(outcome, Unknown):
                # `is`, `in` and comparisons of numbers or strings give a bool: an unknown one holds no module
                if not isinstance(outcome, PlainUnknown) and (
                        type(target.operator).__name__ in BOOLEAN_COMPARISONS or is_plain(left) and is_plain(right)):
                    return PlainUnknown(outcome.reason, outcome.site)
                return outcome
            result = result and outcome
            left = right
        return result

    def compare(self, op: str, a, b, site):
        if op in ("In", "NotIn") and (escaped := self.escaped_value(b)) is not None:
            return escaped
        for value, other in ((a, b), (b, a)):
            if isinstance(value, LibraryValue):
                result = value._compare(self, op, other, site)
                if result is not NOT_HANDLED:
                    return result
        if op not in BOOLEAN_COMPARISONS and (isinstance(a, Tensor) or isinstance(b, Tensor)):
            for fe in self.frontends:  # element by element: a tensor of bools
                result = fe.binary_op(self, op, a, b, site)
                if result is not NOT_HANDLED:
                    return result
        if op in ("Is", "IsNot", "Equal", "NotEqual", "In", "NotIn"):
            a, b = self.canonical(a), self.canonical(b, op in ("In", "NotIn"))
            items = list(b) if op in ("In", "NotIn") and isinstance(b, (list, tuple)) else []
            if op != "Is" and op != "IsNot" and not all(compares_by_identity(self, v) for v in [a, b, *items]):
                return Unknown(f"comparison {op} of an object whose equality cnnlint cannot see", site)
        if op in ("Is", "IsNot"):
            if isinstance(a, Unknown) or isinstance(b, Unknown):
                if a is None or b is None:
                    return Unknown("undecidable None check", site)
                return Unknown("undecidable identity check", site)
            same = a is b or (a is None and b is None)
            return same if op == "Is" else not same
        if op in ("Equal", "NotEqual") and isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and any(
                isinstance(v, (Unknown, Expr)) for v in (*a, *b)):  # x.shape == y.shape
            same = self.sequences_equal(a, b, site)
            return same if isinstance(same, Unknown) else same == (op == "Equal")
        if isinstance(a, Unknown):
            return a
        if isinstance(b, Unknown):
            return b
        if isinstance(b, Names) and op in ("In", "NotIn"):
            found = b.has(a, site)
            return found if isinstance(found, Unknown) else found == (op == "In")
        if isinstance(a, Expr) or isinstance(b, Expr):
            if op in ("Equal", "NotEqual"):
                if dims.definitely_equal(a, b):
                    return op == "Equal"
                if dims.definitely_different(a, b):
                    return op == "NotEqual"
            return Unknown("comparison of symbolic sizes", site)
        if not self.affordable((a, b), site):
            return Unknown(f"comparison {op} of values too large to evaluate", site)
        try:
            return COMPARE[op](a, b)
        except (TypeError, KeyError):
            return Unknown(f"comparison {op} of {describe(a)} and {describe(b)}", site)

    def sequences_equal(self, a, b, site):
        """``x.shape == y.shape`` item by item: a size cnnlint does not know leaves it undecided, never
        different (Python would compare the unknowns as objects)."""
        if isinstance(a, list) != isinstance(b, list) or len(a) != len(b):
            return False
        undecided = None
        for x, y in zip(a, b):
            same = self.compare("Equal", x, y, site)
            if same is False:
                return False
            if same is not True:
                undecided = undecided or (same if isinstance(same, Unknown) else Unknown(
                    "comparison of values cnnlint cannot compare", site))
        return True if undecided is None else undecided

    def truth(self, value) -> Optional[bool]:
        """True/False, or None when it cannot be decided."""
        if isinstance(value, Unknown) or isinstance(value, Expr):
            return None
        if isinstance(value, (bool, int, float, str, list, tuple, dict, set)) or value is None:
            return bool(value)
        if isinstance(value, Tensor):  # its one value's truth (PyTorch refuses more than one), if followed
            values = getattr(value, "values", None)
            return bool(values[0]) if values is not None and len(values) == 1 else None
        return True

    # -- containers ----------------------------------------------------------
    def loop_items(self, value, site):
        """The items a loop or comprehension runs over, or None and why not: a marker standing for any number of
        items (what a branch cnnlint cannot decide may have appended) cannot be run as one item."""
        items = self.iterate(value, site)
        if items is None:
            return None, value.reason if isinstance(value, Unknown) else None
        marker = items_marker(items)
        return (items, None) if marker is None else (None, marker.reason)

    def iterate(self, value, site) -> Optional[list]:
        if isinstance(value, (list, tuple, str, set)):
            return list(value)
        if isinstance(value, dict):
            return None if self.escaped_value(value) is not None else list(value.keys())
        if isinstance(value, range):
            if range_length(value) > self.budget.max_loop:
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
                out.extend(items if items is not None else [UnknownItems(f"cannot unpack {code_of(el)}", el)])
            else:
                out.append(value)
        if len(out) > MAX_COLLECTION:
            raise BudgetExceeded("a collection is too large to evaluate", node)
        return out

    @staticmethod
    def make_set(items: list, site):
        try:
            return set(items)
        except TypeError:  # {[1], [2]}: Python raises here too
            return Unknown("a set of unhashable items", site)

    def eval_dict(self, node: cst.Dict, scope: Scope):
        out = {}
        for el in node.elements:
            if isinstance(el, cst.StarredDictElement):
                value = self.eval(el.value, scope)
                if (escaped := self.escaped_value(value)) is not None:
                    return escaped
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
        if (escaped := self.escaped_value(obj)) is not None:
            return escaped
        if isinstance(obj, LibraryValue):
            result = obj._get_item(self, index, site)
            if result is not NOT_HANDLED:
                return result
        for fe in self.frontends:
            result = fe.subscript(self, obj, index, site)
            if result is not NOT_HANDLED:
                return result
        if isinstance(index, Unknown):
            return index
        if isinstance(obj, (list, tuple, str, dict, range)):
            try:
                return obj[index]
            except MissingKey as missing:
                return missing.container.fill(self, index, site)
            except (IndexError, KeyError, TypeError) as exc:
                return Unknown(f"indexing failed: {exc}", site)
        if isinstance(obj, Builtin) and obj.name in _GENERIC_BUILTINS:
            return obj  # tuple[int, int](xs) converts as tuple(xs) does: the parameters only annotate
        if isinstance(obj, Ref) and obj.qualname.startswith("typing."):
            return obj  # List[torch.Tensor]: an annotation, whatever it is parametrised by
        return Unknown(f"cannot index {describe(obj)}", site)

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
        kept = []  # (value, whether it is certainly kept)
        inner = Scope(parent=scope)
        self.run_comprehension(node.for_in, inner, node, kept, True)
        results = [value for value, _ in kept]
        if not all(certain for _, certain in kept):
            why = f"which items {self.memo(code_of, node)} keeps depends on a condition cnnlint cannot decide"
            if isinstance(node, (cst.ListComp, cst.GeneratorExp)):
                return UncertainItems(f"{why}{self.where(node)}", node, kept)
            return unknown_of(results, f"{why}{self.where(node)}", node)
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

    def run_comprehension(self, for_in: cst.CompFor, scope: Scope, node, results: list, certain: bool) -> None:
        """Each item as (value, certain): an item a condition cnnlint cannot decide keeps, or one of an
        iterable whose items are not all certainly there, may be missing."""
        iterable = self.eval(for_in.iter, scope)
        if isinstance(iterable, UncertainItems):
            pairs = iterable.items
        else:
            items, why = self.loop_items(iterable, for_in)
            if items is None:
                self.trace.skip(node, scope)
                why = f": {why}" if why else ""
                results.append((Unknown(f"cannot iterate over {code_of(for_in.iter)}{why}", for_in), certain))
                return
            pairs = [(item, True) for item in items]
        for item, there in pairs:
            self.assign(for_in.target, item, scope)
            kept = certain and there
            for cond in for_in.ifs:
                truth = self.truth(self.eval(cond.test, scope))
                if truth is False:
                    break
                kept = kept and truth is True
            else:
                if for_in.inner_for_in is not None:
                    self.run_comprehension(for_in.inner_for_in, scope, node, results, kept)
                elif isinstance(node, cst.DictComp):
                    results.append(((self.eval(node.key, scope), self.eval(node.value, scope)), kept))
                else:
                    results.append((self.eval(node.elt, scope), kept))
            if len(results) > MAX_COLLECTION:
                raise BudgetExceeded("a comprehension is too large to evaluate", node)

    def eval_ifexp(self, node: cst.IfExp, scope: Scope):
        truth = self.truth(self.eval(node.test, scope))
        if truth is None:
            a, b = self.eval(node.body, scope), self.eval(node.orelse, scope)
            both = join(a, b)
            if both is not DIFFER:
                return both
            return unknown_of((a, b), f"{code_of(node.test)} cannot be decided{self.where(node)}", node)
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
        result = "".join(out)
        return result if self.affordable((result,), node) else Unknown("an f-string too large to evaluate", node)

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


#: how many re-exports a name is followed through to its definition
MAX_REEXPORTS = 8
#: builtin classes whose subscript (``list[int]``) is a generic alias, called as the class itself
_GENERIC_BUILTINS = frozenset({"tuple", "list", "dict", "set"})
_CONSTANT_NAMES = {"True": True, "False": False, "None": None}
_LINE_MARK = re.compile(" \\(line \x00(\\d+)\x00\\)")


def _method_scope(scope: Scope) -> Optional[Scope]:
    """The innermost enclosing scope of a method body: it knows the class and the receiver (for super())."""
    while scope is not None and scope.owner_class is None:
        scope = scope.parent
    return scope


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
    cst.Set: lambda self, node, scope: self.make_set(self.eval_sequence(node, scope), node),
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
