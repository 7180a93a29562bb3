"""Python's binary operators and comparisons on the evaluator's values, with size limits."""

from __future__ import annotations

from .. import dims
from ..dims import Expr
from .budget import MAX_COLLECTION, MAX_INT_BITS
from .values import SymbolicQuotient, Unknown


def safe_operands(op: str, a, b) -> bool:
    """Refuse operations whose result would take long or much memory."""
    if op == "Power" and isinstance(a, int) and isinstance(b, int):
        return b < 0 or abs(a) <= 1 or b * max(abs(a), 2).bit_length() <= 4096
    if op == "LeftShift" and isinstance(b, int):
        return b <= 4096 and (not isinstance(a, int) or a.bit_length() + b <= MAX_INT_BITS)
    if op == "Add" and isinstance(a, (str, list, tuple)) and isinstance(b, (str, list, tuple)):
        return len(a) + len(b) <= MAX_COLLECTION  # x = x + x in a loop doubles the size each time
    if op == "Multiply" and isinstance(a, int) and isinstance(b, int):
        return a.bit_length() + b.bit_length() <= MAX_INT_BITS  # squaring in a loop doubles the size each time
    if op == "Multiply":
        for seq, n in ((a, b), (b, a)):
            if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * max(n, 0) > MAX_COLLECTION:
                return False
    return True


def dim_binary(op: str, a, b, site):
    if isinstance(a, float) or isinstance(b, float) or not isinstance(a, (int, Expr)) or not isinstance(b, (int, Expr)):
        return Unknown(f"{op} of symbolic sizes", site)
    if op == "Add":
        return dims.add(a, b)
    if op == "Subtract":
        return dims.sub(a, b)
    if op == "Multiply":
        return dims.mul(a, b)
    if op == "FloorDivide":
        return dims.floordiv(a, b) if isinstance(b, int) and b > 0 else dims.exact_div(a, b) or Unknown("division", site)
    if op == "Divide":
        result = dims.exact_div(a, b)
        if result is None and isinstance(a, Expr) and isinstance(b, int) and b > 0:
            return SymbolicQuotient(a, b, "division of symbolic sizes", site)
        return Unknown("division of symbolic sizes", site) if result is None else result
    if op == "Modulo" and isinstance(b, int) and b > 0:
        return dims.sub(a, dims.mul(b, dims.floordiv(a, b)))  # Python's a % b for b > 0: a - b·(a // b)
    return Unknown(f"{op} of symbolic sizes", site)


BINARY = {
    "Add": lambda a, b: a + b,
    "Subtract": lambda a, b: a - b,
    "Multiply": lambda a, b: a * b,
    "Divide": lambda a, b: a / b,
    "FloorDivide": lambda a, b: a // b,
    "Modulo": lambda a, b: a % b,
    "Power": lambda a, b: a ** b,
    "LeftShift": lambda a, b: a << b,
    "RightShift": lambda a, b: a >> b,
    "BitOr": lambda a, b: a | b,
    "BitAnd": lambda a, b: a & b,
    "BitXor": lambda a, b: a ^ b,
}


COMPARE = {
    "Equal": lambda a, b: a == b,
    "NotEqual": lambda a, b: a != b,
    "LessThan": lambda a, b: a < b,
    "LessThanEqual": lambda a, b: a <= b,
    "GreaterThan": lambda a, b: a > b,
    "GreaterThanEqual": lambda a, b: a >= b,
    "In": lambda a, b: a in b,
    "NotIn": lambda a, b: a not in b,
}

#: comparisons whose result Python makes a bool whatever the operands
BOOLEAN_COMPARISONS = {"Is", "IsNot", "In", "NotIn"}
