"""einops' ``rearrange``, ``repeat`` and ``reduce`` (and their layers): shapes from a pattern string.

A pattern such as ``'b c (h p1) (w p2) -> b (h w) (p1 p2 c)'`` names every
axis, so the output shape follows from the input's and the sizes given by
keyword, whatever the values.  The grammar and its refusals are einops'
(0.8): one-level parenthesised groups, ``...`` for the axes not named, ``1``
or ``()`` for an axis of size 1, numbers above 1 for anonymous axes (not in
``rearrange``).  A pattern einops rejects is rejected where einops rejects
it: a layer's when it is built, a function's when it runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from .. import dims
from ..graph import Node, Problem, ProblemKind, Tensor
from .base import NO_WEIGHTS, SPATIAL_NAMES, InvalidArgument, Layer, Stop, Unresolved, format_shape, mismatch

ELLIPSIS = "…"
REDUCTIONS = ("min", "max", "sum", "mean", "prod", "any", "all")
#: a reduction given as a function ``f(tensor, axes)``: the same shapes as a named one
CALLABLE = "callable"


@dataclass(frozen=True)
class Anonymous:
    """A number above 1 written as an axis; every occurrence is an axis of its own (as in einops)."""

    value: int
    position: int

    def __str__(self):
        return str(self.value)


@dataclass
class Side:
    """One side of a pattern: ``groups`` of axes (an empty group is an axis of size 1)."""

    groups: list
    names: set
    has_ellipsis: bool = False
    ellipsis_in_group: bool = False
    has_anonymous: bool = False


def _check_name(name: str) -> None:
    if not name.isidentifier():
        raise InvalidArgument(f"Invalid axis identifier: {name} (not a valid python identifier)")
    if name[0] == "_" or name[-1] == "_":
        raise InvalidArgument(f"Invalid axis identifier: {name} (axis name should not start or end with underscore)")


def parse_side(text: str, offset: int = 0) -> Side:
    """One side of an einops pattern, as einops' ``ParsedExpression`` reads it."""
    side = Side([], set())
    if "." in text:
        if "..." not in text:
            raise InvalidArgument("Expression may contain dots only inside ellipsis (...)")
        if text.count("...") != 1 or text.count(".") != 3:
            raise InvalidArgument("Expression may contain dots only inside ellipsis (...); only one ellipsis for tensor")
        text = text.replace("...", ELLIPSIS)
        side.has_ellipsis = True
    group: Optional[list] = None

    def add(word: str, position: int):
        if word in side.names:
            raise InvalidArgument(f'Indexing expression contains duplicate dimension "{word}"')
        if word == ELLIPSIS:
            side.names.add(word)
            (side.groups if group is None else group).append(ELLIPSIS)
            side.ellipsis_in_group = group is not None
            return
        if word.isdecimal() and int(word) == 1:
            if group is None:
                side.groups.append([])
            return
        if word.isdecimal():
            if int(word) < 1:
                raise InvalidArgument(f"Anonymous axis should have positive length, not {int(word)}")
            axis = Anonymous(int(word), offset + position)
            side.has_anonymous = True
        else:
            _check_name(word)
            axis = word
        side.names.add(axis)
        if group is None:
            side.groups.append([axis])
        else:
            group.append(axis)

    word, start = None, 0
    for i, char in enumerate(text):
        if char in "() ":
            if word is not None:
                add(word, start)
            word = None
            if char == "(":
                if group is not None:
                    raise InvalidArgument("Axis composition is one-level (brackets inside brackets not allowed)")
                group = []
            elif char == ")":
                if group is None:
                    raise InvalidArgument("Brackets are not balanced")
                side.groups.append(group)
                group = None
        elif char.isalnum() or char in ("_", ELLIPSIS):
            word, start = (char, i) if word is None else (word + char, start)
        else:
            raise InvalidArgument(f"Unknown character '{char}'")
    if group is not None:
        raise InvalidArgument(f'Imbalanced parentheses in expression: "{text}"')
    if word is not None:
        add(word, start)
    return side


@dataclass
class Pattern:
    """A checked pattern: its two sides, the operation, and the axes sized by keyword."""

    left: Side
    right: Side
    operation: str  # "rearrange", "repeat", or a reduction
    sized: tuple

    def rank(self) -> Optional[int]:
        """The input rank the pattern takes, when it has no ellipsis."""
        return None if self.left.has_ellipsis else len(self.left.groups)

    def min_rank(self) -> int:
        return len(self.left.groups) - (1 if self.left.has_ellipsis else 0)


def parse_pattern(pattern, operation: str, sized: Sequence[str]) -> Pattern:
    """The checks einops makes before looking at a tensor (``_prepare_transformation_recipe``)."""
    if getattr(pattern, "is_unknown", False):
        raise Unresolved(f"the pattern is not known: {pattern.reason}")
    if not isinstance(pattern, str):
        raise InvalidArgument(f"the pattern must be a string, got {pattern!r}")
    if pattern.count("->") != 1:
        raise InvalidArgument(f"the pattern must have one '->', got {pattern!r}")
    left_text, right_text = pattern.split("->")
    left = parse_side(left_text)
    right = parse_side(right_text, len(left_text) + 2)
    if not left.has_ellipsis and right.has_ellipsis:
        raise InvalidArgument(f"Ellipsis found in right side, but not left side of a pattern {pattern}")
    if left.has_ellipsis and left.ellipsis_in_group:
        raise InvalidArgument(f"Ellipsis inside parenthesis in the left side is not allowed: {pattern}")
    if operation == "rearrange":
        if left.has_anonymous or right.has_anonymous:
            raise InvalidArgument("Non-unitary anonymous axes are not supported in rearrange (exception is length 1)")
        if left.names ^ right.names:
            raise InvalidArgument(f"Identifiers only on one side of expression (should be on both): "
                                  f"{_names(left.names ^ right.names)}")
    elif operation == "repeat":
        if left.names - right.names:
            raise InvalidArgument(f"Unexpected identifiers on the left side of repeat: {_names(left.names - right.names)}")
        unsized = {a for a in right.names if not isinstance(a, Anonymous)} - left.names - set(sized)
        if unsized:
            raise InvalidArgument(f"Specify sizes for new axes in repeat: {_names(unsized)}")
    elif operation in REDUCTIONS or operation == CALLABLE:
        if right.names - left.names:
            raise InvalidArgument(f"Unexpected identifiers on the right side of reduce {operation}: "
                                  f"{_names(right.names - left.names)}")
    else:
        raise InvalidArgument(f"Unknown reduction {operation!r}. Expect one of {REDUCTIONS}.")
    for group in left.groups:
        unknown = [a for a in group if a != ELLIPSIS and not isinstance(a, Anonymous) and a not in sized]
        if len(unknown) > 1:
            raise InvalidArgument(f"Could not infer sizes for {_names(unknown)}")
    used = left.names | right.names
    for name in sized:
        if not isinstance(name, str) or not name.isidentifier() or name[0] == "_" or name[-1] == "_":
            raise InvalidArgument(f"Invalid name for an axis {name!r}")
        if name not in used:
            raise InvalidArgument(f"Axis {name} is not used in transform")
    return Pattern(left, right, operation, tuple(sized))


def _names(axes) -> str:
    return "{" + ", ".join(sorted(str(a) for a in axes)) + "}"


def _size(value, name: str):
    """An axis length given by keyword; one cnnlint could not compute is an axis of unknown size (None), as
    is every size computed from it: the other axes keep their sizes."""
    if getattr(value, "is_unknown", False):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, dims.Expr)):
        raise Unresolved(f"the size of axis {name} is {value!r}, not an integer cnnlint can follow")
    return value


def output_shape(p: Pattern, shape: tuple, lengths: dict) -> tuple:
    """The shape einops gives ``shape`` (batch included) under ``p``; CNN101 where einops raises."""
    groups = p.left.groups
    if p.left.has_ellipsis:
        others = len(groups) - 1
        if len(shape) < others:
            raise mismatch(f"Wrong shape: expected >={others} dims. Received {len(shape)}-dim tensor.")
        extra = [f"{ELLIPSIS}{i}" for i in range(len(shape) - others)]
        left = []
        for g in groups:
            left.extend([[axis] for axis in extra] if g == ELLIPSIS else [g])
        right = []
        for g in p.right.groups:
            if g == ELLIPSIS:
                right.extend([axis] for axis in extra)
            else:
                right.append([axis for a in g for axis in (extra if a == ELLIPSIS else [a])])
    else:
        if len(shape) != len(groups):
            raise mismatch(f"Wrong shape: expected {len(groups)} dims. Received {len(shape)}-dim tensor.")
        left, right = groups, p.right.groups
    known = {a: a.value for g in left + right for a in g if isinstance(a, Anonymous)}
    known.update({name: _size(value, name) for name, value in lengths.items()})
    sizes = dict(known)
    for group, length in zip(left, shape):
        unknown = [a for a in group if a not in known]
        product = dims.product(known[a] for a in group if a in known)
        if not unknown:
            if length is not None and dims.definitely_different(length, product):
                raise mismatch(f"Shape mismatch, {dims.render(length)} != {dims.render(product)}")
            continue
        if length is None:
            sizes[unknown[0]] = None
            continue
        if dims.is_known(length) and dims.is_known(product) and (product == 0 or length % product):
            raise mismatch(f"Shape mismatch, can't divide axis of length {length} in chunks of {product}")
        # when the sizes are symbolic, the division is exact on every input the code runs on
        sizes[unknown[0]] = dims.exact_div(length, product) or dims.floordiv(length, product)
    return tuple(dims.product(sizes[a] for a in group) for group in right)


class Einops(Layer):
    """``rearrange``/``repeat``/``reduce`` with a fixed pattern: no weights, any input the pattern takes.

    ``inputs`` of more than one tensor are a list einops stacks on a new first axis.
    """

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, pattern, operation: str, lengths: dict,
                 module: bool = False):
        super().__init__(framework, type_name)
        self.pattern = parse_pattern(pattern, operation, tuple(lengths))
        self.lengths = dict(lengths)
        for name, value in self.lengths.items():
            _size(value, name)
        #: a layer (``einops.layers.torch.Rearrange``) fixes its input's rank where a model starts with it
        self.module = module

    def declared_sizes(self, inputs: Sequence[Tensor]) -> list:
        return []

    def implied_input(self) -> Optional[tuple]:
        """The input's rank, and the sizes the pattern fixes (the others unknown, never guessed)."""
        rank = self.pattern.rank()
        if not self.module or rank is None or rank < 2:
            return None
        groups = self.pattern.left.groups[1:]
        # an image's last axes are its spatial ones (symbols, as a convolution implies them); the others
        # (channels) are unknown, never guessed
        spatial = dict(zip(range(len(groups) - 2, len(groups)), SPATIAL_NAMES[2])) if len(groups) >= 3 else {}
        sizes = []
        for i, group in enumerate(groups):
            parts = [a.value if isinstance(a, Anonymous) else self.lengths.get(a) for a in group]
            known = all(isinstance(s, int) for s in parts)
            sizes.append(dims.product(parts) if known else dims.Expr.symbol(spatial[i]) if i in spatial else None)
        return tuple(sizes)

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        x = inputs[0]
        if len(inputs) > 1:  # a list of tensors: stacked first
            if any(t.shape != x.shape for t in inputs[1:]):
                raise Stop(Problem(ProblemKind.UNRESOLVED, f"{self.type_name} of a list of tensors whose shapes "
                                                           f"cnnlint cannot tell equal"))
            x = Tensor((len(inputs),) + tuple(x.shape))
        shape = output_shape(self.pattern, tuple(x.shape), self.lengths)
        return Tensor(shape)

    def __repr__(self):
        return f"{self.type_name}({self.pattern!r})"


def _star_pattern(pattern, operation: str) -> tuple:
    """(axes before ``*``, axes after it) of a ``pack``/``unpack`` pattern such as ``'b * d'``."""
    if getattr(pattern, "is_unknown", False):
        raise Unresolved(f"the pattern is not known: {pattern.reason}")
    if not isinstance(pattern, str):
        raise InvalidArgument(f"the pattern must be a string, got {pattern!r}")
    axes = pattern.split()
    if len(axes) != len(set(axes)):
        raise InvalidArgument(f'Duplicates in axes names in {operation}(..., "{pattern}")')
    if "*" not in axes:
        raise InvalidArgument(f'No *-axis in {operation}(..., "{pattern}")')
    for axis in axes:
        if axis != "*" and (not axis.isidentifier() or axis[0] == "_" or axis[-1] == "_"):
            raise InvalidArgument(f'Invalid axis name {axis} in {operation}(..., "{pattern}")')
    before = axes.index("*")
    return before, len(axes) - before - 1


class Pack(Layer):
    """``einops.pack(tensors, 'b * d')``: the axes under ``*`` of each tensor flattened and concatenated."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, pattern):
        super().__init__(framework, type_name)
        self.before, self.after = _star_pattern(pattern, "pack")

    def declared_sizes(self, inputs: Sequence[Tensor]) -> list:
        return []

    def implied_input(self) -> Optional[tuple]:
        return None

    def starred(self, x: Tensor) -> tuple:
        """The axes of x that ``*`` stands for (what ``unpack`` is given back)."""
        return tuple(x.shape[self.before:x.rank - self.after])

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        for x in inputs:
            if x.rank < self.before + self.after:
                raise mismatch(f"packed tensor #{inputs.index(x)} (enumeration starts with 0) has shape "
                               f"{format_shape(x.shape)}, while pattern expects at least "
                               f"{self.before + self.after} axes")
        first = inputs[0]
        for x in inputs[1:]:
            for a, b in zip(first.shape[:self.before] + first.shape[first.rank - self.after:],
                            x.shape[:self.before] + x.shape[x.rank - self.after:]):
                if dims.definitely_different(a, b):
                    raise mismatch(f"pack: the axes outside '*' differ: {format_shape(first.shape)} and "
                                   f"{format_shape(x.shape)}")
        packed = 0
        for x in inputs:
            packed = dims.add(packed, dims.product(self.starred(x)))
        return Tensor(tuple(first.shape[:self.before]) + (packed,) + tuple(first.shape[first.rank - self.after:]))


class Unpack(Layer):
    """``einops.unpack(x, packed_shapes, 'b * d')``: x's ``*`` axis cut back into one tensor per shape."""

    declared = NO_WEIGHTS

    def __init__(self, framework: str, type_name: str, *, pattern, packed_shapes):
        super().__init__(framework, type_name)
        self.before, self.after = _star_pattern(pattern, "unpack")
        shapes = []
        for shape in packed_shapes if isinstance(packed_shapes, (list, tuple)) else [None]:
            if not isinstance(shape, (list, tuple)) or not all(
                    isinstance(d, (int, dims.Expr)) and not isinstance(d, bool) and d != -1 for d in shape):
                raise Unresolved("the packed shapes given to unpack are not known")
            shapes.append(tuple(shape))
        self.shapes = shapes

    def declared_sizes(self, inputs: Sequence[Tensor]) -> list:
        return []

    def implied_input(self) -> Optional[tuple]:
        return None

    def infer(self, node: Node, inputs: Sequence[Tensor]):
        (x,) = inputs
        if x.rank != self.before + 1 + self.after:
            raise mismatch(f"unpack(...) received input of wrong dim with shape {format_shape(x.shape)}")
        total = 0
        for shape in self.shapes:
            total = dims.add(total, dims.product(shape))
        if dims.definitely_different(total, x.shape[self.before]):
            raise mismatch(f"unpack: the packed shapes hold {dims.render(total)} elements along an axis of "
                           f"{dims.render(x.shape[self.before])}")
        lead, tail = tuple(x.shape[:self.before]), tuple(x.shape[self.before + 1:])
        return tuple(Tensor(lead + shape + tail) for shape in self.shapes)
