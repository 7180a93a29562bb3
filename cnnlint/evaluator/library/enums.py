"""``enum.Enum`` classes: a member stands for its value (``Format.NHWC`` reads as ``'NHWC'``), so
calling the class with a value gives that value back when a member holds it (``Format('NHWC')``)."""

from __future__ import annotations

from ..plugin import NOT_HANDLED
from ..values import Builtin, Class, Function, Ref, Unknown

ENUM_BASES = {"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"}


def is_enum(cls: Class) -> bool:
    return any(isinstance(base, Ref) and base.qualname in ENUM_BASES for base in cls.mro())


def enum_member(cls: Class, args, kwargs, site):
    """The member ``cls(value)`` looks up, or NOT_HANDLED for a class that is no enum."""
    if not is_enum(cls):
        return NOT_HANDLED
    if len(args) != 1 or kwargs:
        return Unknown(f"{cls.name}() with arguments cnnlint does not model", site)
    (value,) = args
    if isinstance(value, Unknown):
        return value
    members = [v for name, v in cls.attrs.items() if not name.startswith("_")
               and not isinstance(v, (Function, tuple, Class, Builtin))]
    # the value itself when a member holds it (a member given stays itself)
    if any(type(m) is type(value) and m == value for m in members):
        return value
    return Unknown(f"{cls.name}({value!r}) is not a member cnnlint can find", site)


def custom_equality(cls: Class) -> bool:
    """Whether ``==`` on instances of cls may be more than identity: a ``__eq__`` of its own or a
    base of Python's (str, tuple, Enum...) cnnlint does not model an instance of."""
    for base in cls.mro():
        if isinstance(base, Class) and ("__eq__" in base.attrs or "__ne__" in base.attrs):
            return True
        if isinstance(base, Builtin) or isinstance(base, Ref) and base.qualname.split(".")[0] in (
                "enum", "typing", "collections", "dataclasses", "builtins"):
            return True
    return False
