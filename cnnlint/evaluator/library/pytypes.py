"""What Python type the evaluator's values have: ``isinstance`` against builtins, ``type``, ``types``,
``functools.partial`` and the ``collections.abc``/``typing`` ABCs.

Layer factories test what they were given (``isinstance(norm_layer, (type, str, functools.partial))``,
``isinstance(x, collections.abc.Iterable)``, ``isinstance(name, Callable)``).  Each value is answered
through a *stand-in*: a real Python object with the same type relationships (a def of the file stands in
as a real function, a ``Partial`` as a real ``functools.partial``, plain values as themselves, a front
end's values as it says), and the test runs on it.  A value with no faithful stand-in (a name from a
library cnnlint does not know, an instance of a class with a base it cannot see) leaves the test unknown.
"""

from __future__ import annotations

import builtins
import collections
import collections.abc
import functools
import numbers
import types

from ..plugin import NOT_HANDLED
from ..values import BoundMethod, Builtin, Class, Function, Instance, Partial, Ref, Unknown
from .containers import DefaultDict, Deque
from .enums import MEMBERS

_LIBRARY_CLASSES = {
    "types.FunctionType": types.FunctionType, "types.LambdaType": types.LambdaType,
    "types.MethodType": types.MethodType, "types.BuiltinFunctionType": types.BuiltinFunctionType,
    "types.BuiltinMethodType": types.BuiltinMethodType, "functools.partial": functools.partial,
    "collections.deque": collections.deque, "collections.defaultdict": collections.defaultdict,
    "numbers.Number": numbers.Number, "numbers.Integral": numbers.Integral, "numbers.Real": numbers.Real,
    **{f"{module}.{name}": getattr(collections.abc, name)
       for module in ("collections.abc", "typing")
       for name in ("Callable", "Iterable", "Sequence", "Mapping", "Sized", "Container", "Collection")},
}
#: special methods by which an instance meets the ABCs above (a class defining ``__iter__`` is Iterable)
PROTOCOL_METHODS = ("__call__", "__iter__", "__len__", "__contains__")
_PLAIN = (bool, int, float, str, bytes, list, tuple, dict, set, frozenset, range)


def _is_object(base) -> bool:
    return isinstance(base, Builtin) and base.name == "object" and base.receiver is None


def _function():
    """Stands in for a def or lambda of the analysed code."""


class _Object:
    def method(self):
        """Stands in for a bound method."""


class _ClassStandIn:
    """Stands in for a class of the analysed code (the class itself, not an instance)."""


def stand_in_class(name: str, methods) -> type:
    """A real class whose instances have these protocol methods and no others."""
    return type(name, (), {method: _function for method in methods})


def python_class(value):
    """The real Python class an ``isinstance`` argument names, or None."""
    if isinstance(value, Builtin) and value.receiver is None:
        found = getattr(builtins, value.name, None)
        return found if isinstance(found, type) else None
    if isinstance(value, Ref):
        return _LIBRARY_CLASSES.get(value.qualname)
    return None


def stand_in(interp, value):
    """A real object of the same Python types as ``value``, or NOT_HANDLED when cnnlint cannot tell them."""
    if isinstance(value, Unknown):
        return NOT_HANDLED
    for fe in interp.frontends:
        found = fe.stand_in(interp, value)
        if found is not NOT_HANDLED:
            return found
    if isinstance(value, Deque):
        return collections.deque()
    if isinstance(value, DefaultDict):
        return collections.defaultdict()
    if value is None or isinstance(value, _PLAIN):
        return value
    if isinstance(value, Function):
        return _function
    if isinstance(value, Partial):
        return functools.partial(_function)
    if isinstance(value, Builtin):
        if value.receiver is not None:
            return len  # a method of a plain value ([].append) is a builtin method, as len is
        return getattr(builtins, value.name, NOT_HANDLED)
    if isinstance(value, BoundMethod):
        return _Object().method
    if isinstance(value, Class):
        return _ClassStandIn if _class_methods(interp, value) is not None else NOT_HANDLED
    if isinstance(value, Instance):
        methods = _class_methods(interp, value.cls)
        return NOT_HANDLED if methods is None else stand_in_class(value.cls.name, sorted(methods))()
    return NOT_HANDLED


def _class_methods(interp, cls: Class):
    """The protocol methods instances of ``cls`` have, or None if a base cnnlint cannot see may add any
    (a front end's base class gives its stand-in's: ``nn.Module`` its ``__call__``)."""
    found = set()
    for owner in cls.mro():
        if isinstance(owner, Class):
            unseen = [base for base in owner.bases if not isinstance(base, (Class, Ref)) and not _is_object(base)]
            if unseen or _has_metaclass(owner):
                return None
            found.update(name for name in PROTOCOL_METHODS if name in owner.attrs)
            continue
        base = stand_in(interp, owner)
        if not isinstance(base, type):
            return None
        found.update(name for name in PROTOCOL_METHODS if any(name in k.__dict__ for k in base.__mro__))
    return found


def _has_metaclass(cls: Class) -> bool:
    """A metaclass may make the class itself iterable (an Enum) or change what its instances are."""
    return any(getattr(arg.keyword, "value", None) == "metaclass" for arg in getattr(cls.node, "keywords", ()))


def compares_by_identity(interp, value) -> bool:
    """Whether ``==`` on ``value`` is Python's default (identity): false for an instance of a class that
    defines ``__eq__`` or has a base cnnlint cannot see (an Enum member, a subclass of str)."""
    if not isinstance(value, Instance):
        return True
    if _class_methods(interp, value.cls) is None and MEMBERS not in value.cls.attrs:  # a plain Enum's member: is
        return False
    return not any(isinstance(owner, Class) and ("__eq__" in owner.attrs or "__ne__" in owner.attrs)
                   for owner in value.cls.mro())


def enum_member(interp, cls: Class, args, kwargs, site):
    """``Format('NHWC')`` of a ``class Format(str, Enum)``: the member whose value that is.  Members of
    such an Enum are their values here (they compare equal to them); a plain Enum's are not modelled."""
    bases = cls.bases
    mixed = any(isinstance(b, Builtin) and b.name in ("str", "int") for b in bases) and Ref("enum.Enum") in bases
    if not (mixed or any(b in (Ref("enum.StrEnum"), Ref("enum.IntEnum")) for b in bases)) or len(args) != 1 or kwargs:
        return NOT_HANDLED
    value = args[0]
    if isinstance(value, Unknown):
        return value
    members = [v for k, v in cls.attrs.items() if not k.startswith("_") and isinstance(v, (str, int))]
    if isinstance(value, (str, int)) and value in members:
        return next(v for v in members if v == value)  # the member itself: ``fmt is Format.NHWC`` holds
    return Unknown(f"{value!r} is not a member of {cls.name} as cnnlint sees it", site)


def decide_isinstance(interp, obj, classinfo, site):
    """``isinstance(obj, classinfo)``: True/False where every class involved is known, else Unknown."""
    obj = interp.canonical(obj)
    if isinstance(obj, Unknown):
        return obj
    classinfo = interp.canonical(classinfo)
    candidates = tuple(interp.canonical(c) for c in (classinfo if isinstance(classinfo, tuple) else (classinfo,)))
    undecided = None
    stand = None
    for candidate in candidates:
        decided = _against(interp, obj, candidate, site)
        if decided is None:
            cls = python_class(candidate)
            if cls is not None:
                stand = stand_in(interp, obj) if stand is None else stand
                if stand is not NOT_HANDLED:
                    decided = isinstance(stand, cls)
        if decided is True:
            return True
        if decided is None and undecided is None:
            undecided = Unknown(f"isinstance() against {_name(candidate)} cannot be decided here", site)
    return False if undecided is None else undecided


def decide_issubclass(interp, cls, classinfo, site):
    """``issubclass(cls, classinfo)`` for classes of the analysed code: a class of the file is in its MRO
    or it is not (a library class derives from none of them); against a library class, only if it is a base."""
    cls = interp.canonical(cls)
    if not isinstance(cls, Class):
        return Unknown("issubclass() of a class cnnlint does not see", site)
    classinfo = interp.canonical(classinfo)
    candidates = [interp.canonical(c) for c in (classinfo if isinstance(classinfo, tuple) else (classinfo,))]
    mro = cls.mro()
    if any(c in mro for c in candidates):
        return True
    if all(isinstance(c, Class) for c in candidates):
        return False
    return Unknown("issubclass() against a library class cnnlint does not see", site)


def _against(interp, obj, candidate, site):
    """Against a front end's class or one of the analysed code: True/False, or None."""
    for fe in interp.frontends:
        result = fe.isinstance(interp, obj, (candidate,), site)
        if result is not NOT_HANDLED:
            return result if isinstance(result, bool) else None
    if isinstance(candidate, Class):
        if isinstance(obj, Instance):
            return candidate in obj.cls.mro()
        if stand_in(interp, obj) is not NOT_HANDLED:
            return False  # a plain value, a function or a class is no instance of a class of the file
    return None


def _name(candidate) -> str:
    if isinstance(candidate, Ref):
        return candidate.qualname
    if isinstance(candidate, (Builtin, Class)):
        return candidate.name
    return "a value cnnlint cannot see"
