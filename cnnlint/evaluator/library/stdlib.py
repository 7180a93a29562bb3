"""The standard library model code calls: math, functools.partial, copy, collections, typing."""

from __future__ import annotations

import math
from typing import Optional

from ..values import Function, Partial, Ref, Unknown
from .builtins import numeric, sequence


def _partial(interp, args, kwargs, site):
    return Partial(args[0], args[1:], kwargs)


def copy_value(value, deep: bool, memo: Optional[dict] = None):
    """copy.copy/deepcopy of containers and of objects that know how to copy themselves (a module
    deep-copied has weights of its own: ``_get_clones``); other values are shared, as for immutable ones."""
    if deep:
        memo = {} if memo is None else memo
        if id(value) in memo:
            return memo[id(value)]
        copier = getattr(value, "deep_copy", None)
        if callable(copier):
            return copier(lambda v: copy_value(v, True, memo), memo)
    if isinstance(value, list):
        return [copy_value(v, deep, memo) if deep else v for v in value]
    if isinstance(value, dict):
        return {k: copy_value(v, deep, memo) if deep else v for k, v in value.items()}
    if isinstance(value, tuple) and deep:
        return tuple(copy_value(v, deep, memo) for v in value)
    return value


def _isfunction(interp, args, kwargs, site):
    """``inspect.isfunction``: true for a def or lambda of the file; a layer, a class or a partial is not one.
    A name from a library may be a Python function or a builtin: not known."""
    value = args[0] if args else kwargs.get("object")
    if isinstance(value, (Unknown, Ref)):
        return Unknown("inspect.isfunction() of a value cnnlint cannot see", site)
    return isinstance(value, Function)


FUNCTIONS = {
"math.ceil": numeric("ceil", math.ceil),
    "math.floor": numeric("floor", math.floor),
    "math.sqrt": numeric("sqrt", math.sqrt),
    "math.log2": numeric("log2", math.log2),
    "math.log": numeric("log", math.log),
    "math.prod": sequence("prod", math.prod),
    "functools.partial": _partial,
    "copy.deepcopy": lambda interp, args, kwargs, site: copy_value(args[0], deep=True),
    "copy.copy": lambda interp, args, kwargs, site: copy_value(args[0], deep=False),
    "collections.OrderedDict": lambda interp, args, kwargs, site: dict(*args, **kwargs),
    "typing.cast": lambda interp, args, kwargs, site: args[1],
    "inspect.isfunction": _isfunction,
}
