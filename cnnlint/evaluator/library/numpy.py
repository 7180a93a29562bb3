"""The NumPy functions model code uses on plain numbers and 1-D arrays of them (layer widths, drop rates).

Values are NumPy's to the bit.  float64 and int64 arithmetic is Python's own on floats and ints (the same
IEEE operations), with NumPy's dtype rules (NEP 50: a Python number takes the array's type) and
round-half-to-even in ``np.round``.  NumPy computes log, exp and power with its own vectorised code, whose
last bits cnnlint cannot reproduce: their results carry a bound on that error, and a decision taken on
them (``np.round``, ``astype(int)``, a comparison) is made only where the bound cannot change it.  An
element whose bits are not known reads as unknown; anything NumPy would do that Python would not
(integer wrap-around, division by zero giving inf) gives an unknown value, never a guess.
"""

from __future__ import annotations

import math
import operator
import struct

from ..budget import MAX_COLLECTION
from ..values import Builtin, LibraryValue, Ref, Unknown, first_unknown
from .builtins import numeric, sequence
from .inexact import FLOAT64 as UNIT
from .inexact import FUNCTION_ULPS, arithmetic_slack, check_comparable, function_slack, rounded, rounding
from .inexact import NotKnown as _NotKnown

FLOAT64, INT64, INT32, BOOL = "float64", "int64", "int32", "bool"
#: values cast to float32 are followed (rounded as NumPy rounds them); arithmetic on them is not
FLOAT32 = "float32"
_INT_BOUNDS = {INT64: 2 ** 63, INT32: 2 ** 31}
#: float64 represents every integer up to here, so int64 -> float64 is exact below it
_EXACT_INT = 2 ** 53

_ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
               "//": operator.floordiv, "%": operator.mod, "**": operator.pow}
_COMPARISONS = {"Equal": operator.eq, "NotEqual": operator.ne, "LessThan": operator.lt,
                "LessThanEqual": operator.le, "GreaterThan": operator.gt, "GreaterThanEqual": operator.ge}


def _inexact_element() -> Unknown:
    return Unknown("a float NumPy computes with its own log/exp/power, whose last bits cnnlint cannot know")


class Inexact(LibraryValue):
    """A float64 NumPy computes with its own log/exp/power (``np.log(2.5)``): known to within ``slack``."""

    __slots__ = ("value", "slack")

    def __init__(self, value: float, slack: float):
        self.value, self.slack = value, slack

    def __repr__(self):
        return f"Inexact({self.value!r} ± {self.slack:.3g})"

    def _get_attr(self, interp, name, site):
        return Unknown(f"attribute '{name}' of a float NumPy computes inexactly is not modelled", site)

    def _compare(self, interp, op, other, site):
        return _compare(op, self, other)

    def __int__(self):
        return int(rounded("trunc", self.value, self.slack))

    def __round__(self, ndigits=None):
        if ndigits is not None:
            raise _NotKnown("round() with digits of a float NumPy computes inexactly")
        return int(rounded("round", self.value, self.slack))

    def __float__(self):
        raise _NotKnown(_inexact_element().reason)

    def __neg__(self):
        return Inexact(-self.value, self.slack)


class NDArray(list, LibraryValue):
    """A 1-D NumPy array: to Python code a list of its elements (an element known only approximately is
    unknown); ``approx`` and ``slack`` hold every element's value and how far NumPy's may be from it."""

    __slots__ = ("dtype", "approx", "slack")

    def __init__(self, approx, dtype: str, slack=None):
        self.dtype, self.approx = dtype, list(approx)
        self.slack = list(slack) if slack is not None else [0.0] * len(self.approx)
        super().__init__(v if e == 0 else _inexact_element() for v, e in zip(self.approx, self.slack))

    @property
    def exact(self) -> bool:
        return not any(self.slack)

    def __repr__(self):
        return f"array({self.approx!r}, dtype={self.dtype})"

    def _get_attr(self, interp, name, site):
        if name in _METHODS:
            return Builtin(name, _method(_METHODS[name], self), self)
        if name == "shape":
            return (len(self),)
        if name == "size":
            return len(self)
        if name == "ndim":
            return 1
        return Unknown(f"attribute '{name}' of a NumPy array is not modelled", site)

    def _compare(self, interp, op, other, site):
        if op not in _COMPARISONS:
            return Unknown(f"comparison {op} with a NumPy array is not modelled", site)
        return _compare(op, self, other)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return NDArray(self.approx[index], self.dtype, self.slack[index])
        return super().__getitem__(index)

    def __setitem__(self, index, value):
        """``a[i] = v`` casts v to the array's dtype; any other write leaves every element unknown."""
        try:
            if isinstance(index, bool) or not isinstance(index, int) or not isinstance(value, (int, float)):
                raise _NotKnown("a write into a NumPy array cnnlint does not follow")
            cast = _cast(value, 0.0, self.dtype)
            self.approx[index], self.slack[index] = cast, 0.0
            super().__setitem__(index, cast)
        except (_NotKnown, IndexError):
            self._forget()

    def __delitem__(self, index):
        self._forget()

    def _forget(self) -> None:
        self.slack = [math.inf] * len(self.approx)
        super().__init__(_inexact_element() for _ in self.approx)

    def __neg__(self):
        if self.dtype == BOOL:
            return Unknown("negation of a boolean NumPy array")
        return NDArray([-v for v in self.approx], self.dtype, self.slack)

    def deep_copy(self, copier, memo):
        return NDArray(self.approx, self.dtype, self.slack)


def _binary_dunder(symbol: str, reflected: bool):
    def op(self, other):
        a, b = (other, self) if reflected else (self, other)
        try:
            return _elementwise(symbol, a, b)
        except _NotKnown as exc:
            return Unknown(str(exc))

    return op


for _symbol, _name in (("+", "add"), ("-", "sub"), ("*", "mul"), ("/", "truediv"), ("//", "floordiv"),
                       ("%", "mod"), ("**", "pow")):
    for _cls in (NDArray, Inexact):
        setattr(_cls, f"__{_name}__", _binary_dunder(_symbol, False))
        setattr(_cls, f"__r{_name}__", _binary_dunder(_symbol, True))
NDArray.__iadd__ = NDArray.__add__  # an array's += makes a new value here (no other name shares it)
NDArray.__imul__ = NDArray.__mul__


# -- operands ------------------------------------------------------------------------------------------------
def _operand(value):
    """(values, slacks, dtype, is_array); the dtype of a Python number is 'int' or 'float' (NEP 50: it takes
    the array's type)."""
    if isinstance(value, NDArray):
        _readable(value)
        return value.approx, value.slack, value.dtype, True
    if isinstance(value, Inexact):
        return [value.value], [value.slack], FLOAT64, False
    if isinstance(value, bool):
        return [int(value)], [0.0], "int", False
    if isinstance(value, int):
        return [value], [0.0], "int", False
    if isinstance(value, float):
        return [value], [0.0], "float", False
    raise _NotKnown(f"NumPy arithmetic with a {type(value).__name__} is not modelled")


def _readable(array: NDArray) -> None:
    if math.inf in array.slack:
        raise _NotKnown("a NumPy array written into in a way cnnlint does not follow")


def _result_dtype(*dtypes: str) -> str:
    if BOOL in dtypes:
        raise _NotKnown("arithmetic on boolean NumPy arrays is not modelled")
    if FLOAT32 in dtypes:
        raise _NotKnown("arithmetic on float32 NumPy arrays is not modelled")
    if FLOAT64 in dtypes or "float" in dtypes:
        return FLOAT64
    ints = [d for d in dtypes if d in _INT_BOUNDS]
    return INT64 if INT64 in ints or not ints else INT32


def _broadcast(*columns) -> int:
    lengths = {len(c) for c, is_array in columns if is_array}
    if len(lengths) > 1:
        raise _NotKnown("NumPy arrays of different lengths do not broadcast")
    return lengths.pop() if lengths else 1


def _wrap(values, slacks, dtype, is_array):
    if is_array:
        return NDArray(values, dtype, slacks)
    value, slack = values[0], slacks[0]
    return Inexact(value, slack) if slack else value


def _int_result(value: int, dtype: str) -> int:
    bound = _INT_BOUNDS[dtype]
    if not -bound <= value < bound:
        raise _NotKnown(f"{dtype} overflow (NumPy wraps around)")
    return value


def _elementwise(symbol: str, a, b):
    va, ea, da, array_a = _operand(a)
    vb, eb, db, array_b = _operand(b)
    dtype = FLOAT64 if symbol == "/" else _result_dtype(da, db)
    n = _broadcast((va, array_a), (vb, array_b))
    values, slacks = [], []
    for i in range(n):
        x, ex = va[i % len(va)], ea[i % len(ea)]
        y, ey = vb[i % len(vb)], eb[i % len(eb)]
        value, slack = _scalar_op(symbol, x, ex, y, ey, dtype)
        values.append(value)
        slacks.append(slack)
    return _wrap(values, slacks, dtype, array_a or array_b)


def _scalar_op(symbol, x, ex, y, ey, dtype):
    if dtype != FLOAT64:
        if symbol in ("//", "%") and y == 0:
            raise _NotKnown("integer division by zero (NumPy gives 0)")
        if symbol == "**" and y < 0:
            raise _NotKnown("integers to negative integer powers (NumPy raises)")
        return _int_result(_ARITHMETIC[symbol](x, y), dtype), 0.0
    for v in (x, y):
        if isinstance(v, int) and abs(v) > _EXACT_INT:
            raise _NotKnown("an integer too large for float64 to hold exactly")
    x, y = float(x), float(y)
    try:
        value = _ARITHMETIC[symbol](x, y)
    except (ZeroDivisionError, OverflowError) as exc:
        raise _NotKnown(f"float64 {exc} (NumPy gives inf or nan)") from None
    if not isinstance(value, float) or not math.isfinite(value):
        raise _NotKnown("a float64 result that is not a finite number")
    if symbol == "**":  # NumPy's own power: within a few ulps of the true value (x ** 0 is 1 by IEEE 754)
        if ex or ey:
            raise _NotKnown("a power of floats NumPy computes inexactly")
        return value, 0.0 if y == 0 else rounding(value, UNIT, FUNCTION_ULPS)
    if (ex or ey) and symbol in ("//", "%"):
        raise _NotKnown("floor division of floats NumPy computes inexactly")
    return value, arithmetic_slack(symbol, x, ex, y, ey, value, UNIT)


def _compare(op: str, a, b):
    try:
        va, ea, _, array_a = _operand(a)
        vb, eb, _, array_b = _operand(b)
        n = _broadcast((va, array_a), (vb, array_b))
        out = []
        for i in range(n):
            x, ex, y, ey = va[i % len(va)], ea[i % len(ea)], vb[i % len(vb)], eb[i % len(eb)]
            check_comparable(x, ex, y, ey)
            out.append(_COMPARISONS[op](x, y))
    except _NotKnown as exc:
        return Unknown(str(exc))
    return NDArray(out, BOOL) if array_a or array_b else out[0]


# -- functions -----------------------------------------------------------------------------------------------
def _dtype(value):
    """NumPy's dtype for a ``dtype=`` argument; None for none given."""
    if value is None:
        return None
    name = value.name if isinstance(value, Builtin) else value.qualname if isinstance(value, Ref) else value
    found = {"int": INT64, "float": FLOAT64, "bool": BOOL, "numpy.int64": INT64, "numpy.int_": INT64,
             "numpy.intp": INT64, "numpy.int32": INT32, "numpy.float64": FLOAT64, "numpy.double": FLOAT64,
             "numpy.bool_": BOOL, "int64": INT64, "int32": INT32, "float64": FLOAT64, "numpy.float32": FLOAT32,
             "numpy.single": FLOAT32, "float32": FLOAT32}.get(name)
    if found is None:
        raise _NotKnown(f"NumPy dtype {name!r} is not modelled")
    return found


def _cast(value, slack: float, dtype: str):
    """One element converted as ``astype`` converts it (floats to integers toward zero)."""
    if dtype == BOOL:
        check_comparable(value, slack, 0.0, 0.0)
        return bool(value)
    if dtype == FLOAT64:
        if isinstance(value, int) and abs(value) > _EXACT_INT:
            raise _NotKnown("an integer too large for float64 to hold exactly")
        return float(value)
    if dtype == FLOAT32:
        if slack or abs(value) > _EXACT_INT:
            raise _NotKnown("a value rounded to float32 from one not known exactly")
        return struct.unpack("f", struct.pack("f", float(value)))[0]  # the nearest float32, as NumPy rounds
    if isinstance(value, float):
        value = int(rounded("trunc", value, slack))
    return _int_result(int(value), dtype)


def _as_array(obj, dtype=None) -> NDArray:
    if isinstance(obj, NDArray):
        return obj if dtype is None else _astype(obj, dtype)
    if isinstance(obj, (list, tuple, range)):
        items = list(obj)
        if len(items) > MAX_COLLECTION:
            raise _NotKnown("an array too large to evaluate")
        if not all(isinstance(v, (int, float)) for v in items):
            raise _NotKnown("a NumPy array of values other than known plain numbers")
        inferred = (BOOL if items and all(isinstance(v, bool) for v in items) else
                    FLOAT64 if any(isinstance(v, float) for v in items) else INT64)
        array = NDArray([v if inferred != INT64 else _int_result(int(v), INT64) for v in items], inferred)
        return array if dtype is None else _astype(array, dtype)
    raise _NotKnown("np.array() of a value other than a flat list of numbers")


def _astype(array: NDArray, dtype) -> NDArray:
    target = _dtype(dtype)
    _readable(array)
    if target == FLOAT64 and array.dtype == FLOAT64:
        return NDArray(array.approx, FLOAT64, array.slack)
    return NDArray([_cast(v, e, target) for v, e in zip(array.approx, array.slack)], target)


def _arange(*args, dtype=None):
    """As NumPy fills it: ``start``, ``start + step``, then ``start + i * delta`` with delta taken back as
    ``(start + step) - start``."""
    if not 1 <= len(args) <= 3:
        raise _NotKnown("np.arange() takes one to three numbers")
    start, stop, step = (0, args[0], 1) if len(args) == 1 else (args[0], args[1], args[2] if len(args) == 3 else 1)
    if not all(isinstance(v, (int, float)) for v in (start, stop, step)) or step == 0:
        raise _NotKnown("np.arange() of values cnnlint cannot see")
    target = _dtype(dtype) or (FLOAT64 if any(isinstance(v, float) for v in (start, stop, step)) else INT64)
    if target != FLOAT64:
        if not all(isinstance(v, int) for v in (start, stop, step)):
            raise _NotKnown("np.arange() of floats into an integer dtype is not modelled")
        values = range(start, stop, step)
        if len(values) > MAX_COLLECTION:
            raise _NotKnown("np.arange() too long to evaluate")
        return NDArray([_int_result(v, target) for v in values], target)
    length = max(math.ceil((stop - start) / step), 0)
    if length > MAX_COLLECTION:
        raise _NotKnown("np.arange() too long to evaluate")
    start = float(start)
    second = start + step
    delta = second - start
    return NDArray([start, second][:length] + [start + i * delta for i in range(2, length)], FLOAT64)


def _linspace(start, stop, num: int = 50):
    """As NumPy computes it: ``i * step + start``, the last value exactly ``stop``."""
    if num > MAX_COLLECTION:
        raise _NotKnown(f"{num:,} points are too many to evaluate")
    if num <= 1:
        return NDArray([float(start)] * max(num, 0), FLOAT64)
    step = (stop - start) / (num - 1)
    return NDArray([i * step + start for i in range(num - 1)] + [float(stop)], FLOAT64)


_FUNCTIONS = {"log": math.log, "log2": math.log2, "exp": math.exp, "sqrt": math.sqrt}


def _unary(name: str):
    """An elementwise NumPy function: sqrt exact (IEEE rounds it correctly), the others within a few ulps."""

    def apply(x):
        va, ea, dtype, is_array = _operand(x)
        if dtype == BOOL:
            raise _NotKnown("a NumPy function of a boolean array is not modelled")
        values, slacks = [], []
        for v, e in zip(va, ea):
            if isinstance(v, int) and abs(v) > _EXACT_INT:
                raise _NotKnown("an integer too large for float64 to hold exactly")
            if (name in ("log", "log2") and v <= 0) or (name == "sqrt" and v < 0):
                raise _NotKnown(f"np.{name}() outside its domain (NumPy gives nan or inf)")
            value = _FUNCTIONS[name](float(v))
            values.append(value)
            slacks.append(function_slack(name, float(v), e, value, UNIT, 0 if name == "sqrt" else FUNCTION_ULPS))
        return _wrap(values, slacks, FLOAT64, is_array)

    return apply


def _rounder(how: str):
    """np.round/floor/ceil: floats stay floats (integers stay integers), decided despite any error bound."""

    def apply(x, decimals=0):
        if decimals != 0:
            raise _NotKnown("np.round() to decimals is not modelled")
        va, ea, dtype, is_array = _operand(x)
        if dtype in (INT64, INT32, "int"):
            return x
        if dtype == BOOL:
            raise _NotKnown("rounding a boolean NumPy array is not modelled")
        return _wrap([rounded(how, float(v), e) for v, e in zip(va, ea)], [0.0] * len(va), FLOAT64, is_array)

    return apply


def _unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None):
    if return_index or return_inverse or axis is not None:
        raise _NotKnown("np.unique() with indices or an axis is not modelled")
    array = _as_array(ar)
    if not array.exact:
        raise _NotKnown("np.unique() of floats NumPy computes inexactly")
    values = sorted(set(array.approx))
    unique = NDArray(values, array.dtype)
    return (unique, NDArray([array.approx.count(v) for v in values], INT64)) if return_counts else unique


def _exact_values(array: NDArray) -> list:
    if not array.exact:
        raise _NotKnown("a reduction of floats NumPy computes inexactly")
    if not array.approx:
        raise _NotKnown("a reduction of an empty array (NumPy raises)")
    return array.approx


def _sum(array: NDArray):
    """Exact for integers, and for floats whose every partial sum is an exact integer (NumPy sums floats
    pairwise, in an order whose roundings cnnlint does not follow otherwise)."""
    values = _exact_values(array) if array.approx else [0]
    if array.dtype == FLOAT64 and not (all(v == int(v) for v in values)
                                       and sum(abs(v) for v in values) <= _EXACT_INT):
        raise _NotKnown("a sum of floats NumPy adds in its own order")
    total = sum(values)
    return float(total) if array.dtype == FLOAT64 else _int_result(total, array.dtype)


_METHODS = {
    "tolist": lambda array: list(array),
    "astype": _astype,
    "max": lambda array: max(_exact_values(array)),
    "min": lambda array: min(_exact_values(array)),
    "sum": _sum,
    "round": lambda array, decimals=0: _ROUND(array, decimals),
}


def _unknown_argument(args, kwargs):
    """An unknown argument; an array's elements known only approximately are not (NumPy's own code reads
    their approximations)."""
    return first_unknown([a for a in list(args) + list(kwargs.values()) if not isinstance(a, NDArray)])


def _method(fn, array: NDArray):
    def run(interp, args, kwargs, site):
        return _unknown_argument(args, kwargs) or _known(fn, site)(array, *args, **kwargs)

    return run


def _known(fn, site):
    """``fn`` with a result it cannot be sure of given as an unknown value."""

    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except _NotKnown as exc:
            return Unknown(str(exc), site)

    return run


def _function(fn):
    def run(interp, args, kwargs, site):
        return _unknown_argument(args, kwargs) or _known(fn, site)(*args, **kwargs)

    return run


def _binary_function(symbol: str):
    return lambda a, b: _elementwise(symbol, a, b)


_ROUND = _rounder("round")

FUNCTIONS = {
    "numpy.array": _function(_as_array),
    "numpy.asarray": _function(_as_array),
    "numpy.arange": _function(_arange),
    "numpy.linspace": numeric("linspace", lambda start, stop, num=50: _known(_linspace, None)(start, stop, num)),
    "numpy.log": _function(_unary("log")),
    "numpy.log2": _function(_unary("log2")),
    "numpy.exp": _function(_unary("exp")),
    "numpy.sqrt": _function(_unary("sqrt")),
    "numpy.power": _function(_binary_function("**")),
    "numpy.add": _function(_binary_function("+")),
    "numpy.subtract": _function(_binary_function("-")),
    "numpy.multiply": _function(_binary_function("*")),
    "numpy.divide": _function(_binary_function("/")),
    "numpy.true_divide": _function(_binary_function("/")),
    "numpy.floor_divide": _function(_binary_function("//")),
    "numpy.round": _function(_ROUND),
    "numpy.around": _function(_ROUND),
    "numpy.rint": _function(_ROUND),
    "numpy.floor": _function(_rounder("floor")),
    "numpy.ceil": _function(_rounder("ceil")),
    "numpy.unique": _function(_unique),
    "numpy.prod": sequence("prod", math.prod),
    "numpy.sum": sequence("sum", sum),
    "numpy.cumsum": sequence("cumsum", lambda xs: [sum(xs[:i + 1]) for i in range(len(xs))]),
}
