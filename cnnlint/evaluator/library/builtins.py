"""Python's builtins (len, range, isinstance...) and the methods of plain values."""

from __future__ import annotations

from ...dims import Expr
from ..branches import MUTATORS
from ..operators import safe_operands
from ..plugin import NOT_HANDLED
from ..values import (Absent, Builtin, Class, Instance, LibraryValue, Names, PlainUnknown, Ref, Unknown, describe,
                      first_unknown, items_marker)
from .pytypes import decide_isinstance, decide_issubclass, python_class, stand_in

#: Python methods that are safe to run on the evaluator's plain values
SAFE_TYPES = (list, dict, tuple, str, int, float, bool, set)


#: methods of plain values that store or fetch values without looking at them
CONTAINER_METHODS = {"append", "extend", "insert", "update", "setdefault", "pop", "get", "items", "keys", "values",
                      "copy", "index", "count", "appendleft", "extendleft", "popleft"}
#: the container methods among them that look at their first argument (a key or an item to find)
LOOKUPS = {"pop", "get", "setdefault", "index", "count"}


def python_method(method):
    def run(interp, args, kwargs, site):
        unknown = first_unknown(list(args) + list(kwargs.values()))
        if unknown is not None and (method.__name__ not in CONTAINER_METHODS
                                    or (method.__name__ in LOOKUPS and first_unknown(args[:1]) is not None)):
            return unknown
        if method.__name__ in MUTATORS:
            interp.note_change(method.__self__)
        result = method(*args, **kwargs)
        if hasattr(result, "__next__") or type(result).__name__ in ("dict_items", "dict_keys", "dict_values"):
            return list(result)
        return result

    return run


def range_length(r: range) -> int:
    """len(r) without its OverflowError beyond sys.maxsize items (range(10**20) is a valid range)."""
    return max(0, (r.stop - r.start + r.step - (1 if r.step > 0 else -1)) // r.step)


def builtin_range(interp, args, kwargs, site):
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
    marker = items_marker(value) if isinstance(value, (list, tuple)) else None
    if marker is not None:  # any number of items stands there
        return Unknown(marker.reason, site)
    if isinstance(value, (list, tuple, str, dict, set, range)):
        return len(value)
    return Unknown(f"len() of {describe(value)}", site)


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


#: builtins whose result is a number, string or bool whatever they are given (or they raise)
PLAIN_RESULTS = {"int", "float", "str", "bool", "len", "hasattr", "isinstance"}


def plain_result(fn):
    """``int(x)`` of an unknown x is an unknown int: never a module."""
    def run(interp, args, kwargs, site):
        result = fn(interp, args, kwargs, site)
        if isinstance(result, Unknown) and not isinstance(result, PlainUnknown):
            return PlainUnknown(result.reason, result.site)
        return result

    return run


def numeric(name, fn):
    def run(interp, args, kwargs, site):
        unknown = first_unknown(list(args) + list(kwargs.values()))
        if unknown is not None:
            return unknown
        if name == "str" and len(args) == 1 and isinstance(args[0], LibraryValue):
            return args[0]._str(interp, site)
        if any(isinstance(a, Expr) for a in args):
            if name == "int" and len(args) == 1:
                return args[0]
            return Unknown(f"{name}() of a symbolic size", site)
        return fn(*args, **kwargs)

    return run


def quantifier(name, decisive: bool):
    """``all``/``any``: each item's truth as the code's conditions have it (a tensor's is not known), the
    first ``decisive`` one deciding."""
    def run(interp, args, kwargs, site):
        items = interp.iterate(args[0], site) if len(args) == 1 and not kwargs else None
        if items is None:
            return first_unknown(args) or Unknown(f"{name}() of a value cnnlint cannot iterate", site)
        undecided = False
        for item in items:
            truth = interp.truth(item)
            if truth is decisive:
                return decisive
            undecided = undecided or truth is None
        return PlainUnknown(f"{name}() of values cnnlint cannot decide", site) if undecided else not decisive

    return run


def sequence(name, fn):
    def run(interp, args, kwargs, site):
        items = [interp.iterate(a, site) for a in args]
        if any(i is None for i in items):
            unknown = next((a for a in args if isinstance(a, Unknown)), None)
            return unknown or Unknown(f"{name}() of a value cnnlint cannot iterate", site)
        return fn(*items, **kwargs)

    return run


def _builtin_map(interp, args, kwargs, site):
    """map(f, *iterables), run now: the code unpacks or iterates the result (``q, k, v = map(f, qkv)``)."""
    if len(args) < 2:
        return Unknown("map() needs a function and an iterable", site)
    columns = [interp.iterate(a, site) for a in args[1:]]
    if any(c is None for c in columns):
        return first_unknown(args[1:]) or Unknown("map() over a value cnnlint cannot iterate", site)
    return [interp.call(args[0], list(items), {}, site) for items in zip(*columns)]


def _builtin_filter(interp, args, kwargs, site):
    """filter(f, iterable), run now; an item whose test cnnlint cannot decide leaves the result unknown."""
    if len(args) != 2:
        return Unknown("filter() needs a function and an iterable", site)
    items = interp.iterate(args[1], site)
    if items is None:
        return first_unknown(args[1:]) or Unknown("filter() over a value cnnlint cannot iterate", site)
    kept = []
    for item in items:
        verdict = interp.truth(item if args[0] is None else interp.call(args[0], [item], {}, site))
        if not isinstance(verdict, bool):
            return Unknown("filter() with a test cnnlint cannot decide", site)
        if verdict:
            kept.append(item)
    return kept


def _builtin_next(interp, args, kwargs, site):
    """next(iter(values)[, default]): the first item (iterators are the lists they would yield)."""
    items = interp.iterate(args[0], site) if args else None
    if items is None:
        return first_unknown(args[:1]) or Unknown("next() of a value cnnlint cannot iterate", site)
    if items:
        return items[0]
    return args[1] if len(args) > 1 else Unknown("next() of an empty iterator raises StopIteration", site)


def _builtin_isinstance(interp, args, kwargs, site):
    obj, classinfo = args
    return decide_isinstance(interp, obj, classinfo, site)


def _builtin_issubclass(interp, args, kwargs, site):
    cls, classinfo = args
    return decide_issubclass(interp, cls, classinfo, site)


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
    obj, name = args
    names = _builtin_dir(interp, [obj], {}, site) if isinstance(obj, Ref) else None
    if isinstance(names, Names) and isinstance(name, str):
        return names.has(name, site)
    if isinstance(obj, Instance) and name in obj.attrs:
        return True  # whatever its value, even one cnnlint does not know
    if not isinstance(name, str):
        return PlainUnknown("hasattr() with a name cnnlint cannot compute", site)
    value = interp.get_attr(obj, name, site)
    if isinstance(value, Absent):
        return False
    if isinstance(value, Unknown):
        return PlainUnknown(f"whether {describe(obj)} has '{name}' is not known: {value.reason}", site)
    return True


def _builtin_dir(interp, args, kwargs, site):
    """``dir(module)`` of a front end's library: the names it models (``'silu' in dir(F)``)."""
    for fe in interp.frontends:
        known = fe.attribute_names(interp, args[0]) if args else NOT_HANDLED
        if known is not NOT_HANDLED:
            return Names(known, describe(args[0]))
    return Unknown(f"dir() of {describe(args[0]) if args else 'a scope'} is not modelled", site)


def _builtin_type(interp, args, kwargs, site):
    """``type(x)`` of a plain value (``type(obj) is str``) or of an instance of a class of the code."""
    if len(args) != 1 or kwargs:
        return Unknown("type() with several arguments is not modelled", site)
    (value,) = args
    if isinstance(value, Instance):
        return value.cls
    name = type(value).__name__
    if type(value) in (bool, int, float, str, list, tuple, dict, set) and name in interp.builtins:
        return interp.builtins[name]
    return value if isinstance(value, Unknown) else TypeOf(value)


class TypeOf(LibraryValue):
    """``type(x)`` of a framework's value (a tensor, a layer) or of a ``functools.partial``: not a builtin
    class nor a class of the code (``type(x) is list`` is false for a tensor, as in Python); compared with a
    library class cnnlint knows (``type(norm_layer) == functools.partial``), the value's stand-in answers;
    with anything else, not known."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def _compare(self, interp, op, other, site):
        if op in ("Is", "IsNot", "Equal", "NotEqual") and isinstance(other, (Builtin, Class)):
            return op in ("IsNot", "NotEqual")
        known = python_class(other) if op in ("Is", "IsNot", "Equal", "NotEqual") and isinstance(other, Ref) else None
        value = stand_in(interp, self.value) if known is not None else NOT_HANDLED
        if value is not NOT_HANDLED:
            return (type(value) is known) == (op in ("Is", "Equal"))
        return Unknown(f"type() of {describe(self.value)} compared with {describe(other)}", site)


def _builtin_print(interp, args, kwargs, site):
    return None


def _builtin_super(interp, args, kwargs, site):  # replaced at the call site (needs the scope)
    return Unknown("super() outside a method", site)


def _truth(truth, site):
    return PlainUnknown("bool() of a value cnnlint cannot decide", site) if truth is None else truth


BUILTINS = {
    "range": builtin_range,
    "len": _builtin_len,
    "int": numeric("int", int),
    "float": numeric("float", float),
    "abs": numeric("abs", abs),
    "round": numeric("round", round),
    "min": numeric("min", min),
    "max": numeric("max", max),
    "bool": lambda interp, args, kwargs, site: _truth(interp.truth(args[0]), site) if args else False,
    "str": numeric("str", str),
    "divmod": numeric("divmod", divmod),
    "pow": numeric("pow", lambda a, b, *m: Unknown("pow", None) if not safe_operands("Power", a, b) else pow(a, b, *m)),
    "list": sequence("list", lambda *xs: list(xs[0]) if xs else []),
    "tuple": sequence("tuple", lambda *xs: tuple(xs[0]) if xs else ()),
    "set": sequence("set", lambda *xs: set(xs[0]) if xs else set()),
    "sum": _builtin_sum,
    "sorted": sequence("sorted", sorted),
    "reversed": sequence("reversed", lambda xs: list(reversed(xs))),
    "zip": sequence("zip", lambda *xs: list(zip(*xs))),
    "map": _builtin_map,
    "filter": _builtin_filter,
    "next": _builtin_next,
    "iter": sequence("iter", list),
    "enumerate": sequence("enumerate", lambda xs, start=0: list(enumerate(xs, start))),
    "any": quantifier("any", True),
    "all": quantifier("all", False),
    "dict": lambda interp, args, kwargs, site: dict(*args, **kwargs),
    "isinstance": _builtin_isinstance,
    "issubclass": _builtin_issubclass,
    "getattr": _builtin_getattr,
    "setattr": _builtin_setattr,
    "hasattr": _builtin_hasattr,
    "dir": _builtin_dir,
    "type": _builtin_type,
    "print": _builtin_print,
    "super": _builtin_super,
    "locals": lambda interp, args, kwargs, site: Unknown("locals() called through another name", site),
    "vars": lambda interp, args, kwargs, site: Unknown("vars() is not modelled", site),
    "object": lambda interp, args, kwargs, site: Unknown("object() is not modelled", site),  # a base class
}
BUILTINS.update({name: plain_result(BUILTINS[name]) for name in PLAIN_RESULTS})
