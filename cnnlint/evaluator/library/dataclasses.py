"""``@dataclasses.dataclass``: the ``__init__`` it writes, as source the interpreter then runs."""

from __future__ import annotations

import libcst as cst

from ..budget import WEIGHT_PER_STEP
from ..scope import Scope
from ..syntax import block_statements, code_of
from ..values import Class, Function, Instance, LibraryValue, Ref, Unknown
from .stdlib import copy_value


def is_dataclass_decorator(interp, decorator: cst.Decorator, scope: Scope) -> bool:
    node = decorator.decorator
    value = interp.eval(node.func if isinstance(node, cst.Call) else node, scope)
    return isinstance(value, Ref) and value.qualname == "dataclasses.dataclass"


def add_dataclass_init(interp, cls: Class, stmt: cst.ClassDef, scope: Scope) -> None:
    """The ``__init__`` ``@dataclass`` writes: one parameter per annotated field, bases' fields first, then
    ``__post_init__`` given the ``InitVar`` pseudo-fields.  A class that defines ``__init__`` keeps its own."""
    annotated = [(s.target.value, code_of(s.annotation.annotation)) for line in block_statements(stmt.body)
                 if isinstance(line, cst.SimpleStatementLine) for s in line.body
                 if isinstance(s, cst.AnnAssign) and isinstance(s.target, cst.Name)]
    own = [name for name, annotation in annotated if "ClassVar" not in annotation]
    init_vars = [name for name, annotation in annotated if "InitVar" in annotation]
    fields = [f for base in reversed(cls.mro()[1:]) if isinstance(base, Class)
              for f in base.attrs.get("__dataclass_fields__", ())]
    fields = [f for f in fields if f not in own] + own
    cls.attrs["__dataclass_fields__"] = tuple(f for f in fields if f not in init_vars)
    for name in own:  # as Python leaves them: a field's default is the class attribute, a factory's is none
        spec = cls.attrs.get(name)
        if isinstance(spec, Field):
            if spec.default is _NO_VALUE:
                del cls.attrs[name]
            else:
                cls.attrs[name] = spec.default
            fields_made = cls.attrs.setdefault(_FACTORIES, {})
            if spec.factory is not _NO_VALUE:
                fields_made[name] = spec.factory
            if not spec.init:
                cls.attrs.setdefault(_NOT_IN_INIT, set()).add(name)
    factories = {f: made for base in reversed(cls.mro()) if isinstance(base, Class)
                 for f, made in base.attrs.get(_FACTORIES, {}).items()}
    outside = _not_in_init(cls)
    if "__init__" in cls.attrs:
        return
    # a field with a default is a class attribute, its value possibly None; one with a factory gets a new value
    # of it in each instance.  The fields are set natively, in one step of the __init__ (timm builds hundreds of
    # its forty-field configurations when a model module loads)
    defaults = {f: cls.lookup(f) for f in fields if any(isinstance(c, Class) and f in c.attrs for c in cls.mro())}
    defaults.update((f, _NO_VALUE) for f in factories if f not in outside)
    init_scope = Scope(parent=scope)
    init_scope.vars[_SET_FIELDS] = _SetFields(tuple(f for f in fields if f not in init_vars), factories, outside)
    params = ", ".join(["self"] + [f for f in fields if f not in outside])
    body = f"    {_SET_FIELDS}()\n"
    if cls.lookup("__post_init__") is not None:
        body += f"    self.__post_init__({', '.join(init_vars)})\n"
    init = Function(cst.parse_statement(f"def __init__({params}):\n{body}\n"), init_scope, interp)
    init.defaults_cache = defaults
    cls.attrs["__init__"] = init


def _not_in_init(cls: Class) -> set:
    """The fields of a dataclass and its bases declared with ``field(init=False)``."""
    return {f for base in cls.mro() if isinstance(base, Class) for f in base.attrs.get(_NOT_IN_INIT, ())}


class _SetFields:
    """The body of a dataclass's ``__init__``: ``self.f = f`` for each field, a factory's new value for
    one not given; read from the ``__init__``'s own variables."""

    reads_caller_scope = True
    __slots__ = ("fields", "factories", "outside")

    def __init__(self, fields: tuple, factories: dict, outside: set):
        self.fields, self.factories, self.outside = fields, factories, outside

    def call_in_scope(self, interp, args, kwargs, site, scope):
        receiver = scope.vars.get("self")
        interp.tick(site, len(self.fields) // WEIGHT_PER_STEP)
        for name in self.fields:
            made = self.factories.get(name)
            value = _NO_VALUE if name in self.outside else scope.vars.get(name, _NO_VALUE)
            if value is _NO_VALUE:
                if made is None:
                    continue
                value = interp.call(made, [], {}, site)
            interp.set_attr(receiver, name, value, site)
        return None


#: what a ``field()`` without a default or a factory has, and a factory-made field's argument when not given
_NO_VALUE = object()
#: class attributes of a dataclass, as cnnlint keeps them: the fields made by a factory, and those left out of __init__
_FACTORIES = "__cnnlint_field_factories__"
_NOT_IN_INIT = "__cnnlint_fields_not_in_init__"
#: the name of the fields' setting in the scope of the __init__ cnnlint writes
_SET_FIELDS = "__cnnlint_set_fields__"


class Field(LibraryValue):
    """``dataclasses.field(default=..., default_factory=..., init=...)`` in a dataclass's body."""

    __slots__ = ("default", "factory", "init")

    def __init__(self, default, factory, init):
        self.default, self.factory, self.init = default, factory, init


def _field(interp, args, kwargs, site):
    if args or "**" in kwargs:
        return Unknown("dataclasses.field() with arguments cnnlint cannot read", site)
    init = kwargs.get("init", True)
    if not isinstance(init, bool):
        return Unknown("dataclasses.field() with an init flag cnnlint cannot decide", site)
    return Field(kwargs.get("default", _NO_VALUE), kwargs.get("default_factory", _NO_VALUE), init)


def _replace(interp, args, kwargs, site):
    """``dataclasses.replace(obj, **changes)``: a new instance of obj's class, its fields taken from obj
    where ``changes`` names none (timm copies every model's pretrained configuration this way)."""
    if len(args) != 1:
        return Unknown("dataclasses.replace() takes one positional argument", site)
    obj = args[0]
    if isinstance(obj, Unknown):
        return obj
    fields = _fields_of(obj)
    if fields is None:
        return Unknown("dataclasses.replace() of a value that is not a dataclass instance cnnlint knows", site)
    if "**" in kwargs:
        return Unknown("dataclasses.replace() with changes cnnlint cannot unpack", site)
    if any(name not in fields for name in kwargs):
        return Unknown("dataclasses.replace() names a field the instance does not have", site)
    outside = _not_in_init(obj.cls)
    if any(name in outside for name in kwargs):
        return Unknown("dataclasses.replace() names a field left out of __init__", site)
    kept = {name: obj.attrs[name] for name in fields if name not in outside}
    return interp.instantiate(obj.cls, [], {**kept, **kwargs}, site)


def _fields_of(value):
    fields = value.cls.lookup("__dataclass_fields__") if isinstance(value, Instance) else None
    return fields if isinstance(fields, tuple) and all(name in value.attrs for name in fields) else None


def _as_dict(value):
    """``dataclasses.asdict``'s recursion: dataclass instances become dicts, containers are rebuilt,
    anything else is deep-copied."""
    fields = _fields_of(value)
    if fields is not None:
        return {name: _as_dict(value.attrs[name]) for name in fields}
    if isinstance(value, (list, tuple)):
        return type(value)(_as_dict(v) for v in value)
    if isinstance(value, dict):
        return {_as_dict(k): _as_dict(v) for k, v in value.items()}
    return copy_value(value, deep=True)


def _asdict(interp, args, kwargs, site):
    if len(args) != 1 or kwargs:
        return Unknown("dataclasses.asdict() with arguments cnnlint does not model", site)
    if isinstance(args[0], Unknown):
        return args[0]
    if _fields_of(args[0]) is None:
        return Unknown("dataclasses.asdict() of a value that is not a dataclass instance cnnlint knows", site)
    return _as_dict(args[0])


FUNCTIONS = {"dataclasses.replace": _replace, "dataclasses.asdict": _asdict, "dataclasses.field": _field}
