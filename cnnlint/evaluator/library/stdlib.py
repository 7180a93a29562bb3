"""The standard library model code calls: math, functools.partial, copy, collections, typing."""

from __future__ import annotations

import math
import re
from typing import Optional

from ..budget import MAX_COLLECTION
from ..values import Function, Partial, Ref, Unknown, first_unknown
from .builtins import numeric, sequence


def _partial(interp, args, kwargs, site):
    inner = args[0] if args else None
    if isinstance(inner, Partial):  # as CPython: a partial of a partial is one partial of the function
        return Partial(inner.fn, inner.args + list(args[1:]), {**inner.kwargs, **kwargs})
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


#: a regular expression on constant strings runs only while its backtracking is certainly small: few
#: quantifiers, none on a group, short text (``(a+)+$`` could run for hours)
MAX_QUANTIFIERS, MAX_TEXT = 2, 256
_ESCAPE = re.compile(r"\\.")
_QUANTIFIER = re.compile(r"[*+{]|(?<!\()\?")


def _cheap_pattern(pattern: str) -> bool:
    plain = _ESCAPE.sub("x", pattern)
    return len(_QUANTIFIER.findall(plain)) <= MAX_QUANTIFIERS and not re.search(r"\)[*+?{]", plain)


def _regex(name, fn):
    """``re.split``/``sub``/``findall`` on constant strings: what they return is plain (a list, a string)."""

    def run(interp, args, kwargs, site):
        values = list(args) + list(kwargs.values())
        unknown = first_unknown(values)
        if unknown is not None:
            return unknown
        texts = [v for v in values if isinstance(v, str)]
        if (not args or not isinstance(args[0], str) or not all(isinstance(v, (str, int)) for v in values)
                or any(len(t) > MAX_TEXT for t in texts) or not _cheap_pattern(args[0])):
            return Unknown(f"re.{name}() of a pattern or text cnnlint does not run", site)
        try:
            return fn(*args, **kwargs)
        except re.error as exc:
            return Unknown(f"re.{name}() fails: {exc}", site)

    return run


def _repeat(interp, args, kwargs, site):
    """``itertools.repeat(x, n)``: n copies; without a count it never ends, and cnnlint says so."""
    value = args[0] if args else kwargs.get("object")
    times = args[1] if len(args) > 1 else kwargs.get("times")
    if isinstance(times, Unknown):
        return times
    if not isinstance(times, int) or isinstance(times, bool) or times > MAX_COLLECTION:
        return Unknown("itertools.repeat() without a count cnnlint can unroll", site)
    return [value] * max(times, 0)


#: the standard library's constants model code reads (``self.scale = 2 * math.pi``)
CONSTANTS = {f"math.{name}": getattr(math, name) for name in ("pi", "e", "tau", "inf", "nan")}

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
    "itertools.repeat": _repeat,
    **{f"re.{name}": _regex(name, getattr(re, name)) for name in ("split", "sub", "findall")},
}
