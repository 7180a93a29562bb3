"""``@dataclasses.dataclass``: the ``__init__`` it writes, as source the interpreter then runs."""

from __future__ import annotations

import libcst as cst

from ..scope import Scope
from ..syntax import block_statements, code_of
from ..values import Class, Function, Instance, Ref, Unknown
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
    if "__init__" in cls.attrs:
        return
    # a field with a default is a class attribute, its value possibly None
    defaults = {f: cls.lookup(f) for f in fields if any(isinstance(c, Class) and f in c.attrs for c in cls.mro())}
    params = ", ".join(["self"] + fields)
    body = "".join(f"    self.{f} = {f}\n" for f in fields if f not in init_vars)
    if cls.lookup("__post_init__") is not None:
        body += f"    self.__post_init__({', '.join(init_vars)})\n"
    init = Function(cst.parse_statement(f"def __init__({params}):\n{body or '    pass'}\n"), scope, interp)
    init.defaults_cache = defaults
    cls.attrs["__init__"] = init


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
    return interp.instantiate(obj.cls, [], {**{name: obj.attrs[name] for name in fields}, **kwargs}, site)


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


FUNCTIONS = {"dataclasses.replace": _replace, "dataclasses.asdict": _asdict}
