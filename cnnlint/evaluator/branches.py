"""Both sides of a condition the evaluator cannot decide: what each changed, and what they agree on.

Each branch starts from the same state; objects a branch changed in place
are restored before the other runs, and what they leave differently
becomes unknown.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from .scope import Scope
from .values import PlainUnknown, Unknown, UnknownItems, is_plain


#: what join() gives for values no one value stands for
DIFFER = object()


def join(a, b, partial: bool = False):
    """The one value that stands for what two undecided paths leave, else DIFFER: the same object,
    equal constants, or tensors as ``Tensor.joined`` merges them; with ``partial``, also tensors
    whose sizes differ (the sizes both give, the others unknown: a variable a later size check
    explains), else only tensors of the same shape."""
    from ..graph import Tensor

    if a is b or (not isinstance(a, Unknown) and plain_equal(a, b)):
        return a
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        both = a.joined(b)
        if both is not None and (partial or a.shape == b.shape):
            return both
    return DIFFER


def enclosing_scopes(scope: Scope) -> list:
    found, scope = [], scope.parent
    while scope is not None:
        found.append(scope)
        scope = scope.parent
    return found


class ChangeLog:
    """The objects an undecided branch changed in place, each with its state before the first change.

    Objects the branch created itself need no undoing: only those reachable
    when it began are kept.  Values that can change in place are lists,
    dicts, sets and objects naming their ``mutable_fields``.
    """

    __slots__ = ("roots", "before", "_existing")

    def __init__(self, roots: list):
        self.roots = roots  # variables of the scopes the branch can see, as it began
        self.before: dict = {}  # id -> (object, state)
        self._existing: Optional[set] = None

    def note(self, obj) -> None:
        if id(obj) in self.before or not changeable(obj):
            return
        if self._existing is None:  # nothing has changed yet: what is reachable now was there at the start
            self._existing = reachable(v for variables in self.roots for v in variables.values())
        if id(obj) in self._existing:
            self.before[id(obj)] = (obj, saved_state(obj))


#: how reachable() looks inside a value of each type, and whether changeable(), found once per type
#: (isinstance and a class attribute depend on the type only): hot loops of every undecided branch
_LEAF, _ITEMS, _VALUES, _FIELDS = range(4)
_KINDS: dict = {}


def _kind(cls) -> int:
    kind = _KINDS.get(cls)
    if kind is None:
        if issubclass(cls, (list, tuple, set, frozenset)):
            kind = _ITEMS
        elif issubclass(cls, dict):
            kind = _VALUES
        elif getattr(cls, "mutable_fields", None) is not None:
            kind = _FIELDS
        else:
            kind = _LEAF
        _KINDS[cls] = kind
    return kind


_CHANGEABLE: dict = {}


def changeable(value) -> bool:
    cls = type(value)
    answer = _CHANGEABLE.get(cls)
    if answer is None:
        answer = _CHANGEABLE[cls] = issubclass(cls, (list, dict, set)) or getattr(
            cls, "mutable_fields", None) is not None
    return answer


def reachable(values) -> set:
    """ids of the changeable objects reachable from values (not through functions or scopes)."""
    seen: set = set()
    stack = list(values)
    kinds = _KINDS
    while stack:
        value = stack.pop()
        cls = type(value)
        kind = kinds.get(cls)
        if kind is None:
            kind = _kind(cls)
        if kind == _LEAF or id(value) in seen:
            continue
        seen.add(id(value))
        if kind == _ITEMS:
            stack.extend(value)
        elif kind == _VALUES:
            stack.extend(value.values())
        else:
            stack.extend(getattr(value, name) for name in cls.mutable_fields)
    return seen


class Fields(dict):
    """The state of an object with ``mutable_fields``: field -> value, containers copied."""


def saved_state(obj):
    if isinstance(obj, (list, dict, set)):
        return type(obj)(obj)
    return Fields((name, saved_state(v) if isinstance(v, (list, dict, set)) else v)
                   for name in type(obj).mutable_fields for v in (getattr(obj, name),))


def restore(obj, state) -> None:
    """Put ``state`` back into obj itself: other values may hold it."""
    if isinstance(obj, list):
        obj[:] = state
    elif isinstance(obj, (dict, set)):
        obj.clear()
        obj.update(state)
    else:
        for name, value in state.items():
            current = getattr(obj, name)
            kind = next((k for k in (list, dict, set) if isinstance(current, k)), None)
            if kind is not None and isinstance(value, kind):  # a deque merged as a list stays a deque
                restore(current, value)
            else:
                setattr(obj, name, value)


def differing(a, b, unknown: Unknown) -> Unknown:
    """What stands for two values branches leave differently: a plain unknown when neither can
    hold a module (an attribute one branch leaves unset holds none)."""
    if all(v is _ABSENT or is_plain(v) for v in (a, b)):
        return PlainUnknown(unknown.reason, unknown.site)
    return unknown


_ABSENT = object()


def merge_state(a, b, unknown: Unknown):
    """What two branches leave: the parts they agree on, the rest unknown (a list of different
    lengths keeps the items both begin with, then a marker for any number of items)."""
    if isinstance(a, list) and isinstance(b, list):
        items = [join(x, y) for x, y in zip(a, b)]
        if len(a) == len(b):
            return [item if item is not DIFFER else differing(x, y, unknown) for item, x, y in zip(items, a, b)]
        common = items.index(DIFFER) if DIFFER in items else len(items)
        return items[:common] + [UnknownItems(unknown.reason, unknown.site)]  # any number of items: not one
    if isinstance(a, set) and isinstance(b, set):
        return a | b
    if isinstance(a, Fields) and isinstance(b, Fields):  # a field holding a container holds a copy of it
        return Fields((name, merge_state(a[name], b[name], unknown)) for name in a)
    if isinstance(a, dict) and isinstance(b, dict):
        return {key: merge_item(a.get(key, _ABSENT), b.get(key, _ABSENT), unknown)
                for key in list(a) + [k for k in b if k not in a]}
    return merge_item(a, b, unknown)


def merge_item(a, b, unknown: Unknown):
    both = join(a, b) if a is not _ABSENT and b is not _ABSENT else DIFFER
    return both if both is not DIFFER else differing(a, b, unknown)


def plain_equal(a, b) -> bool:
    try:
        return type(a) is type(b) and isinstance(a, (int, float, str, tuple)) and a == b
    except Exception:  # noqa: BLE001 - comparison of arbitrary values
        return False


#: methods that change the list, dict or set they are called on
MUTATORS = {"append", "extend", "insert", "update", "setdefault", "pop", "popitem", "remove", "clear", "add",
             "discard", "sort", "reverse", "appendleft", "extendleft", "popleft", "rotate"}


def assigned_names(body) -> list:
    """Names a block binds or changes in place (``xs.append(...)``, ``d[k] = ...``), and the
    attributes it sets or changes (``self.x = ...``, ``self.xs += ...``) as their CST nodes."""
    names: list = []

    def changed(target):
        if isinstance(target, cst.Subscript):
            target = target.value
        if isinstance(target, cst.Name):
            names.append(target.value)
        elif isinstance(target, cst.Attribute):
            names.append(target)

    class Collector(cst.CSTVisitor):
        def visit_AssignTarget(self, node):
            changed(node.target)

        def visit_AugAssign(self, node):
            changed(node.target)

        def visit_Call(self, node):
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value in MUTATORS:
                changed(func.value)

    body.visit(Collector())
    return names
