"""``@dataclasses.dataclass``: the ``__init__`` it writes, as source the interpreter then runs."""

from __future__ import annotations

import libcst as cst

from ..scope import Scope
from ..syntax import block_statements, code_of
from ..values import Class, Function, Ref


def is_dataclass_decorator(interp, decorator: cst.Decorator, scope: Scope) -> bool:
    node = decorator.decorator
    value = interp.eval(node.func if isinstance(node, cst.Call) else node, scope)
    return isinstance(value, Ref) and value.qualname == "dataclasses.dataclass"


def add_dataclass_init(interp, cls: Class, stmt: cst.ClassDef, scope: Scope) -> None:
    """The ``__init__`` ``@dataclass`` writes: one parameter per annotated field, bases' fields first."""
    own = [s.target.value for line in block_statements(stmt.body) if isinstance(line, cst.SimpleStatementLine)
           for s in line.body if isinstance(s, cst.AnnAssign) and isinstance(s.target, cst.Name)
           and "ClassVar" not in code_of(s.annotation)]
    fields = [f for base in reversed(cls.mro()[1:]) if isinstance(base, Class)
              for f in base.attrs.get("__dataclass_fields__", ())]
    fields = [f for f in fields if f not in own] + own
    cls.attrs["__dataclass_fields__"] = tuple(fields)
    defaults = {f: cls.lookup(f) for f in fields if cls.lookup(f) is not None}
    params = ", ".join(["self"] + fields)
    body = "".join(f"    self.{f} = {f}\n" for f in fields) or "    pass\n"
    init = Function(cst.parse_statement(f"def __init__({params}):\n{body}"), scope, interp)
    init.defaults_cache = defaults
    cls.attrs["__init__"] = init
