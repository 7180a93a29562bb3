"""``collections.namedtuple`` and ``typing.NamedTuple('Name', [...])``: configuration records of model code
(efficientnet's ``BlockArgs``/``GlobalParams``, torchvision's ``InceptionOutputs``).

The class the code defines is a real namedtuple class made by the standard library from the field names
the code gives, so its instances are real tuples: indexing, unpacking, ``len``, comparison and
``_replace`` behave as in Python because they are Python's own.  Only the evaluator's hooks are added.
"""

from __future__ import annotations

import collections

from ..plugin import NOT_HANDLED
from ..values import Builtin, LibraryValue, Unknown, first_unknown


#: Python writes a constructor taking every field: far more than any configuration record has
MAX_FIELDS = 1_000


class NamedTupleFields(LibraryValue):
    """Mixed into each namedtuple class the code defines: what its instances answer beyond a tuple's."""

    __slots__ = ()

    def _get_attr(self, interp, name, site):
        if name in self._fields:
            return getattr(self, name)
        if name in ("_fields", "_field_defaults"):
            return getattr(self, name)
        if name in ("_replace", "_asdict"):
            method = getattr(self, name)
            return Builtin(name, lambda interp, args, kwargs, site: method(*args, **kwargs), self)
        return NOT_HANDLED


class NamedTupleClass(LibraryValue):
    """The class ``namedtuple()`` returns; ``py_type`` is the standard library's class for those fields."""

    __slots__ = ("py_type",)

    def __init__(self, py_type):
        self.py_type = py_type

    @property
    def name(self) -> str:
        return self.py_type.__name__

    def _call(self, interp, args, kwargs, site):
        unknown = kwargs.get("**")
        if unknown is not None:
            return unknown
        try:
            return self.py_type(*args, **kwargs)
        except TypeError as exc:
            return Unknown(f"{self.name}(): {exc}", site)

    def _get_attr(self, interp, name, site):
        if name in ("_fields", "_field_defaults", "__name__"):
            return getattr(self.py_type, name)
        if name == "__new__":
            return _Constructor(self)
        if name == "_make":
            return Builtin(name, self._make)
        return NOT_HANDLED

    def _make(self, interp, args, kwargs, site):
        items = interp.iterate(args[0], site) if len(args) == 1 and not kwargs else None
        if items is None:
            return Unknown(f"{self.name}._make() of a value cnnlint cannot iterate", site)
        return self.py_type._make(items)


class _Constructor(LibraryValue):
    """``Cls.__new__``, for ``Cls.__new__.__defaults__ = (None,) * len(Cls._fields)``: the defaults of every
    field (from the last), as Python sets them."""

    __slots__ = ("owner",)

    def __init__(self, owner: NamedTupleClass):
        self.owner = owner

    def _set_attr(self, interp, name, value, site):
        if name != "__defaults__":
            return NOT_HANDLED
        new = self.owner.py_type.__new__
        if isinstance(value, tuple) and len(value) <= len(self.owner.py_type._fields):
            new.__defaults__ = value
        else:  # an unknown or impossible default: calls that need one are unknown, not wrong
            new.__defaults__ = None
            interp.trace.stop(f"{self.owner.name}.__new__.__defaults__ set to a value cnnlint cannot use"
                              f"{interp.where(site)}", site)
        return None


def _namedtuple(interp, args, kwargs, site):
    unknown = first_unknown(list(args) + list(kwargs.values()))
    if unknown is not None:
        return unknown
    fields = args[1] if len(args) > 1 else kwargs.get("field_names")
    count = len(fields.replace(",", " ").split()) if isinstance(fields, str) else len(fields) if isinstance(
        fields, (list, tuple)) else 0
    if count > MAX_FIELDS:
        return Unknown(f"a namedtuple of {count:,} fields is too large to evaluate", site)
    defined = {k: v for k, v in kwargs.items() if k in ("rename", "defaults")}
    try:
        base = collections.namedtuple(*args, **defined)
    except (TypeError, ValueError) as exc:
        return Unknown(f"namedtuple(): {exc}", site)
    return NamedTupleClass(type(base.__name__, (base, NamedTupleFields), {"__slots__": ()}))


def _typing_namedtuple(interp, args, kwargs, site):
    """``NamedTuple('Name', [('field', type), ...])``: the same class, the types only annotate."""
    if len(args) != 2 or kwargs or not isinstance(args[1], (list, tuple)):
        return Unknown("typing.NamedTuple() in a form cnnlint does not model", site)
    if not all(isinstance(field, tuple) and len(field) == 2 for field in args[1]):
        return Unknown("typing.NamedTuple() with fields cnnlint cannot read", site)
    return _namedtuple(interp, [args[0], [name for name, _ in args[1]]], {}, site)


FUNCTIONS = {
    "collections.namedtuple": _namedtuple,
    "typing.NamedTuple": _typing_namedtuple,
}
