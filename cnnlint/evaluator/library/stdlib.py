"""The standard library model code calls: math, functools.partial, copy, collections, typing, re."""

from __future__ import annotations

import math
import re
from typing import Optional

import libcst as cst

from ... import dims
from ..budget import MAX_COLLECTION, MAX_WEIGHT, WEIGHT_PER_STEP
from ..values import Function, Partial, Ref, SymbolicQuotient, Unknown
from .builtins import numeric, sequence
from .containers import DefaultDict, Deque


def _partial(interp, args, kwargs, site):
    inner = args[0] if args else None
    if isinstance(inner, Partial):  # as CPython: a partial of a partial is one partial of the function
        return Partial(inner.fn, inner.args + list(args[1:]), {**inner.kwargs, **kwargs})
    return Partial(args[0], args[1:], kwargs)


def _reduce(interp, args, kwargs, site):
    """``functools.reduce(f, items[, initial])``: f run on each item in turn, as Python runs it (pytorchcv
    builds its per-stage channel lists so)."""
    if len(args) not in (2, 3) or kwargs:
        return Unknown("functools.reduce() in a form cnnlint does not model", site)
    items = interp.iterate(args[1], site)
    if items is None:
        return args[1] if isinstance(args[1], Unknown) else Unknown("reduce() over a value cnnlint cannot iterate",
                                                                     site)
    if len(args) == 2 and not items:
        return Unknown("reduce() of an empty sequence with no initial value", site)
    total, rest = (args[2], items) if len(args) == 3 else (items[0], items[1:])
    for item in rest:
        total = interp.call(args[0], [total, item], {}, site)
    return total


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
    elif isinstance(value, (Deque, DefaultDict)):
        return value.copy()
    if isinstance(value, list):
        return [copy_value(v, deep, memo) if deep else v for v in value]
    if isinstance(value, dict):
        return {k: copy_value(v, deep, memo) if deep else v for k, v in value.items()}
    if isinstance(value, tuple) and deep:
        items = [copy_value(v, deep, memo) for v in value]
        return value._make(items) if hasattr(value, "_fields") else tuple(items)
    return value


def _isfunction(interp, args, kwargs, site):
    """``inspect.isfunction``: true for a def or lambda of the file; a layer, a class or a partial is not one.
    A name from a library may be a Python function or a builtin: not known."""
    value = args[0] if args else kwargs.get("object")
    if isinstance(value, (Unknown, Ref)):
        return Unknown("inspect.isfunction() of a value cnnlint cannot see", site)
    return isinstance(value, Function)


#: a group repeated (the nested repetition of catastrophic backtracking) or a backreference
_UNBOUNDED_PATTERN = re.compile(r"\)[*+{]|\\[1-9]|\(\?P=")


def _regex(name: str, run, string_at: int):
    """``re.split``/``re.sub``/``re.findall`` on strings the code spells out (efficientnet's block strings).

    A regular expression can backtrack for ages, so only patterns whose work is bounded are run: no
    repeated group or backreference, and then at most (n + 1) ** (q + 1) steps for q quantifiers over n
    characters, charged to the budget; any other pattern gives an unknown value."""

    def call(interp, args, kwargs, site):
        pattern = args[0] if args else kwargs.get("pattern")
        string = args[string_at] if len(args) > string_at else kwargs.get("string")
        plain_args = all(isinstance(v, (str, int)) for v in list(args) + list(kwargs.values()))
        if not (plain_args and isinstance(pattern, str) and isinstance(string, str)):
            return Unknown(f"re.{name}() of values cnnlint cannot see", site)
        quantifiers = sum(re.sub(r"\\.", "", pattern).count(c) for c in "*+?{")
        if _UNBOUNDED_PATTERN.search(pattern) or quantifiers > 8 or (len(string) + 1) ** (quantifiers + 1) > MAX_WEIGHT:
            return Unknown(f"re.{name}() with a pattern whose work cnnlint cannot bound", site)
        interp.tick(site, (len(string) + 1) ** (quantifiers + 1) // WEIGHT_PER_STEP)
        try:
            return run(*args, **kwargs)
        except re.error as exc:
            return Unknown(f"re.{name}(): {exc}", site)

    return call


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

def _rounding(name, fn, of_quotient):
    """``math.ceil``/``math.floor`` written around a symbolic size divided by an int: a symbolic size.

    Only the division written as the argument itself: an unknown operand stands for the result of
    what is done to it (``H / p + 1``, ``round(H / p)``), which is no longer the quotient."""
    plain = numeric(name, fn)

    def run(interp, args, kwargs, site):
        if (len(args) == 1 and not kwargs and isinstance(args[0], SymbolicQuotient) and isinstance(site, cst.Call)
                and len(site.args) == 1 and site.args[0].value is args[0].site):
            return of_quotient(args[0].num, args[0].den)
        return plain(interp, args, kwargs, site)

    return run


FUNCTIONS = {
    "math.ceil": _rounding("ceil", math.ceil, dims.ceildiv),
    "math.floor": _rounding("floor", math.floor, dims.floordiv),
    "math.sqrt": numeric("sqrt", math.sqrt),
    "math.log2": numeric("log2", math.log2),
    "math.log": numeric("log", math.log),
    "math.prod": sequence("prod", math.prod),
    "functools.partial": _partial,
    "functools.reduce": _reduce,
    "copy.deepcopy": lambda interp, args, kwargs, site: copy_value(args[0], deep=True),
    "copy.copy": lambda interp, args, kwargs, site: copy_value(args[0], deep=False),
    "collections.OrderedDict": lambda interp, args, kwargs, site: dict(*args, **kwargs),
    "typing.cast": lambda interp, args, kwargs, site: args[1],
    "inspect.isfunction": _isfunction,
    "itertools.repeat": _repeat,
    "re.split": _regex("split", re.split, string_at=1),
    "re.findall": _regex("findall", re.findall, string_at=1),
    "re.sub": _regex("sub", re.sub, string_at=2),
}
