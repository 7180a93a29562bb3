"""Tensor dimensions: an int, a symbolic expression, or None when unknown.

Symbolic dimensions keep shape checks alive when no input size is declared:
H and W stay symbols, and anything that holds for every H, W can still be
checked.  Expressions are kept in a canonical polynomial form so that two
routes to the same size compare equal; floor division of a non-divisible
polynomial becomes an opaque atom.  This is a deliberately tiny algebra so
that no symbolic-math library is imported on the lint path.
"""

from __future__ import annotations

from typing import Iterable, Optional, Union

# A monomial is a sorted tuple of atoms; an atom is a symbol name (str) or a
# FloorDiv.  A polynomial is a dict monomial -> integer coefficient.
Monomial = tuple

#: a size expression beyond these is unknown (None): code that feeds a size back into itself through
#: divisions (a loop of ``x = (x + y // 2) // 2``) grows it exponentially, and each step compares it
MAX_TERMS = 64
MAX_ATOM_TEXT = 2_000


class FloorDiv:
    __slots__ = ("num", "den", "_key", "text")

    def __init__(self, num: "Expr", den: int):
        self.num = num
        self.den = den
        self._key = ("//", num.key(), den)
        self.text = repr(self._key)  # its sort key, made once: atoms are compared on every operation

    def __eq__(self, other):
        return isinstance(other, FloorDiv) and self._key == other._key

    def __hash__(self):
        return hash(self._key)

    def __lt__(self, other):
        return _atom_key(self) < _atom_key(other)

    def __str__(self):
        return f"{self.num.render(parenthesise=True)} // {self.den}"


def _atom_key(atom) -> tuple:
    return (0, atom) if isinstance(atom, str) else (1, atom.text)


def _floor_atom(num: "Dim", den: int) -> "Dim":
    """floor(num / den) as an atom, or None when its expression is too large to follow."""
    if num is None:
        return None
    atom = FloorDiv(num, den)
    return None if len(atom.text) > MAX_ATOM_TEXT else Expr({(atom,): 1})


class Expr:
    """A polynomial over symbols and floor-division atoms, never constant."""

    __slots__ = ("terms", "_hash")

    def __init__(self, terms: dict):
        self.terms = terms
        self._hash = None

    # -- construction -------------------------------------------------
    @staticmethod
    def symbol(name: str) -> "Expr":
        return Expr({(name,): 1})

    @staticmethod
    def _normalise(terms: dict) -> "Dim":
        terms = {m: c for m, c in terms.items() if c != 0}
        if not terms:
            return 0
        if len(terms) > MAX_TERMS:
            return None
        if set(terms) == {()}:
            return terms[()]
        # floor(n/d) + c == floor((n + c*d)/d): keep the constant inside, so
        # that "(H - 4) // 2" does not print as "((H - 6) // 2) + 1".
        if len(terms) == 2 and () in terms:
            (monomial,) = [m for m in terms if m]
            if len(monomial) == 1 and isinstance(monomial[0], FloorDiv) and terms[monomial] == 1:
                fd = monomial[0]
                return _floor_atom(add(fd.num, terms[()] * fd.den), fd.den)
        return Expr(terms)

    def key(self) -> tuple:
        return tuple(sorted(((tuple(_atom_key(a) for a in m), c) for m, c in self.terms.items())))

    def __eq__(self, other):
        return isinstance(other, Expr) and self.key() == other.key()

    def __hash__(self):
        if self._hash is None:
            self._hash = hash(self.key())
        return self._hash

    # -- queries --------------------------------------------------------
    def symbols(self) -> set:
        found = set()
        for monomial in self.terms:
            for atom in monomial:
                if isinstance(atom, str):
                    found.add(atom)
                else:
                    found |= atom.num.symbols()
        return found

    def evaluate(self, env: dict) -> Optional[int]:
        total = 0
        for monomial, coef in self.terms.items():
            value = coef
            for atom in monomial:
                if isinstance(atom, str):
                    if atom not in env:
                        return None
                    value *= env[atom]
                else:
                    inner = evaluate(atom.num, env)
                    if inner is None:
                        return None
                    value *= inner // atom.den
            total += value
        return total

    def constant_term(self) -> int:
        return self.terms.get((), 0)

    # -- rendering -----------------------------------------------------
    def render(self, parenthesise: bool = False) -> str:
        parts = []
        ordered = sorted(self.terms.items(), key=lambda mc: (len(mc[0]) == 0, [_atom_key(a) for a in mc[0]]))
        for monomial, coef in ordered:
            wrap = len(monomial) > 1 or coef != 1 or len(ordered) > 1  # -(H // 2), not -H // 2
            atoms = [str(a) if isinstance(a, str) or not wrap else f"({a})" for a in monomial]
            if not atoms:
                body = str(abs(coef))
            elif abs(coef) == 1:
                body = "*".join(atoms)
            else:
                body = "*".join([str(abs(coef))] + atoms)
            sign = "-" if coef < 0 else "+"
            parts.append((sign, body))
        text = ("-" if parts[0][0] == "-" else "") + parts[0][1]
        for sign, body in parts[1:]:
            text += f" {sign} {body}"
        if parenthesise and (len(parts) > 1 or parts[0][0] == "-"):
            return f"({text})"
        return text

    def __str__(self):
        return self.render()

    def __repr__(self):
        return f"Expr({self.render()})"


Dim = Union[int, Expr, None]


def _terms(value) -> dict:
    return dict(value.terms) if isinstance(value, Expr) else {(): value}


def add(a: Dim, b: Dim) -> Dim:
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a + b
    terms = _terms(a)
    for m, c in _terms(b).items():
        terms[m] = terms.get(m, 0) + c
    return Expr._normalise(terms)


def neg(a: Dim) -> Dim:
    return mul(a, -1)


def sub(a: Dim, b: Dim) -> Dim:
    return add(a, neg(b))


def mul(a: Dim, b: Dim) -> Dim:
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a * b
    terms: dict = {}
    for ma, ca in _terms(a).items():
        for mb, cb in _terms(b).items():
            m = tuple(sorted(ma + mb, key=_atom_key))
            terms[m] = terms.get(m, 0) + ca * cb
    return Expr._normalise(terms)


def floordiv(a: Dim, b: Dim) -> Dim:
    """a // b; b must be a positive int or a monomial dividing a exactly."""
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a // b if b else None
    if isinstance(b, int):
        if b <= 0:
            return None
        terms = _terms(a)
        if all(c % b == 0 for c in terms.values()):
            return Expr._normalise({m: c // b for m, c in terms.items()})
        if len(terms) == 1:
            (monomial, coef), = terms.items()
            if coef == 1 and len(monomial) == 1 and isinstance(monomial[0], FloorDiv):
                # floor(floor(n/d)/b) == floor(n/(d*b))
                return _floor_atom(monomial[0].num, monomial[0].den * b)
        whole = {m: c // b for m, c in terms.items() if m and c % b == 0}
        if whole:
            # floor((b·q + r) / b) == q + floor(r / b) for integer q: ``x[0::2]`` after padding H to
            # 2H - 2·(H // 2) is H - H // 2 long, as ``x[1::2]`` is
            rest = {m: c for m, c in terms.items() if m not in whole}
            return add(Expr._normalise(whole), floordiv(Expr._normalise(rest), b))
        return _floor_atom(a, b)
    return exact_div(a, b)


def exact_div(a: Dim, b: Dim) -> Dim:
    """a / b when it is exact for every value of the symbols, else None."""
    if a is None or b is None:
        return None
    if isinstance(b, int):
        if b == 0:
            return None
        terms = _terms(a)
        if all(c % b == 0 for c in terms.values()):
            return Expr._normalise({m: c // b for m, c in terms.items()}) if isinstance(a, Expr) else a // b
        return None
    if len(b.terms) != 1:
        return _polynomial_div(a, b)
    (mb, cb), = b.terms.items()
    out = {}
    for ma, ca in _terms(a).items():
        rest = _monomial_div(ma, mb)
        if rest is None or ca % cb:
            return None
        out[rest] = ca // cb
    return Expr._normalise(out)


def _monomial_div(ma: Monomial, mb: Monomial) -> Optional[Monomial]:
    rest = list(ma)
    for atom in mb:
        if atom not in rest:
            return None
        rest.remove(atom)
    return tuple(rest)


def _polynomial_div(a: Dim, b: Expr) -> Dim:
    """a / b for a divisor of several terms, when b divides a as polynomials in the atoms (so for
    every value of the symbols): long division, always dividing the leading term by b's
    (``batch*(H // 7 + 1)`` over ``H // 7 + 1``, the size a window partition multiplied in).

    Terms are ordered by degree then atoms, an order that multiplication keeps, so a remainder
    whose leading term b's does not divide is not a multiple of b."""

    def order(monomial):
        return len(monomial), [_atom_key(atom) for atom in monomial]

    lead_b = max(b.terms, key=order)
    coef_b = b.terms[lead_b]
    remainder, quotient = _terms(a), {}
    for _ in range(64):  # each step removes the leading term; far more terms than sizes ever have
        remainder = {m: c for m, c in remainder.items() if c}
        if not remainder:
            return Expr._normalise(quotient)
        lead = max(remainder, key=order)
        factor = _monomial_div(lead, lead_b)
        if factor is None or remainder[lead] % coef_b:
            return None
        coef = remainder[lead] // coef_b
        quotient[factor] = quotient.get(factor, 0) + coef
        for m, c in b.terms.items():
            product_monomial = tuple(sorted(factor + m, key=_atom_key))
            remainder[product_monomial] = remainder.get(product_monomial, 0) - coef * c
    return None


def ceildiv(a: Dim, b: int) -> Dim:
    return floordiv(add(a, b - 1), b) if isinstance(b, int) and b > 0 else neg(floordiv(neg(a), b))


def product(dims: Iterable[Dim]) -> Dim:
    total: Dim = 1
    for d in dims:
        total = mul(total, d)
    return total


def evaluate(d: Dim, env: dict) -> Optional[int]:
    if isinstance(d, Expr):
        return d.evaluate(env)
    return d


def is_known(d: Dim) -> bool:
    return isinstance(d, int)


def render(d: Dim) -> str:
    if d is None:
        return "?"
    return str(d)


def exact(d: Dim) -> Optional[int]:
    """A count as printed: the number when known, None when unknown or symbolic."""
    return d if isinstance(d, int) else None


def to_json(d: Dim):
    """int, string for a symbolic expression, None when unknown."""
    if isinstance(d, Expr):
        return d.render()
    return d


def symbols(d: Dim) -> set:
    return d.symbols() if isinstance(d, Expr) else set()


def surely_at_least(d: Dim, k: int) -> bool:
    """True when ``d >= k`` for every size the code can meet: its symbols and floor-division atoms stand for
    sides of tensors that exist (an input side, a convolution's output side), never negative, so a
    polynomial in them with no negative coefficient is at least its constant term."""
    if isinstance(d, int):
        return d >= k
    return isinstance(d, Expr) and d.constant_term() >= k and all(c > 0 for m, c in d.terms.items() if m)


def definitely_equal(a: Dim, b: Dim) -> bool:
    return a is not None and b is not None and a == b


def definitely_different(a: Dim, b: Dim) -> bool:
    """True only when a and b differ for every value of the symbols.

    Two ints are compared; an expression and another that differ only by a
    non-zero constant always differ.  Anything else is undecided (False).
    """
    if a is None or b is None:
        return False
    diff = sub(a, b)
    return isinstance(diff, int) and diff != 0
