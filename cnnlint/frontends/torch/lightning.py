"""Lightning's ``self.save_hyperparameters()``: ``self.hparams`` holds the arguments ``__init__`` was called with.

Lightning reads them from the calling frame (``collect_init_args``): the variables named in the signature of the
``__init__`` that calls it, as they are at the call, with ``**kwargs`` merged in, only when that ``__init__`` has
a ``__class__`` cell (it uses ``super()``). The same is read here from the caller's scope.
"""

from __future__ import annotations

import libcst as cst

from ...evaluator.library.arguments import Namespace
from ...evaluator.plugin import NOT_HANDLED
from ...evaluator.values import Instance, LibraryValue, PlainUnknown, first_unknown


class AttributeDict(dict, LibraryValue):
    """Lightning's ``AttributeDict``: a dict whose keys are read and set as attributes (``self.hparams.lr``)."""

    __slots__ = ()

    def _get_attr(self, interp, name, site):
        return self[name] if name in self else NOT_HANDLED

    def _set_attr(self, interp, name, value, site):
        self[name] = value
        return None


class SaveHyperparameters:
    """``self.save_hyperparameters`` of a LightningModule: called with the caller's scope, whose variables it reads."""

    reads_caller_scope = True
    __slots__ = ("receiver",)

    def __init__(self, receiver: Instance):
        self.receiver = receiver

    def call_in_scope(self, interp, args, kwargs, site, scope):
        hparams = _hyperparameters(args, kwargs, _init_arguments(self.receiver, scope), site)
        if hparams is not None:
            self.receiver.attrs["hparams"] = hparams
        return None


def attribute(receiver: Instance, name: str):
    """``save_hyperparameters``, or ``hparams`` before it was called (Lightning's property: an empty dict)."""
    return SaveHyperparameters(receiver) if name == "save_hyperparameters" else AttributeDict()


def _init_arguments(receiver: Instance, scope):
    """What Lightning collects from the frame of scope: a dict, or why it cannot be known here."""
    fn = getattr(scope, "function", None)
    if fn is None or fn.name != "__init__" or scope.receiver is not receiver:
        return "save_hyperparameters() called outside the module's own __init__"
    if scope.owner_class is not receiver.cls:  # Lightning also collects the subclass's __init__ frame
        return "save_hyperparameters() called from the __init__ of a base class"
    if not _has_class_cell(fn.module.source.body(fn.node)):
        return {}  # Lightning finds no frame to collect
    params = fn.node.params
    names = [p.name.value for p in list(params.posonly_params) + list(params.params) + list(params.kwonly_params)]
    found = {name: scope.vars[name] for name in names[1:] if name in scope.vars}
    if params.star_kwarg is not None:
        extra = scope.vars.get(params.star_kwarg.name.value)
        if not isinstance(extra, dict) or "**" in extra:
            return "save_hyperparameters() with **kwargs cnnlint cannot read"
        found.update(extra)
    return found


def _has_class_cell(body) -> bool:
    """The function's frame has ``__class__``: it (or a function inside it) uses ``super`` or ``__class__``."""
    stack = [body] if body is not None else []
    while stack:
        item = stack.pop()
        if isinstance(item, cst.Name) and item.value in ("super", "__class__"):
            return True
        stack.extend(item.children)
    return False


def _hyperparameters(args, kwargs, init_args, site):
    """Lightning's ``save_hyperparameters(*args, ignore=...)`` on the collected arguments; None: nothing is set."""
    if len(args) == 1 and isinstance(args[0], (list, tuple, dict, str)) and not args[0]:
        return None
    if isinstance(init_args, str):
        return PlainUnknown(init_args, site)
    ignore = kwargs.get("ignore", [])
    ignore = [ignore] if isinstance(ignore, str) else ignore
    unknown = first_unknown(list(args) + [ignore])
    if unknown is not None or not isinstance(ignore, (list, tuple)):
        return PlainUnknown(f"save_hyperparameters() with arguments cnnlint cannot read"
                            f"{f' ({unknown.reason})' if unknown else ''}", site)
    init_args = {k: v for k, v in init_args.items() if k not in ignore}
    chosen = [a for a in args if not isinstance(a, str)]
    if not args:
        hp = init_args
    elif len(chosen) == 1:
        hp = chosen[0]
    elif any(a not in init_args for a in args if isinstance(a, str)):
        return PlainUnknown("save_hyperparameters() names an argument __init__ does not have", site)
    else:
        hp = {a: init_args[a] for a in args if isinstance(a, str)}
    if isinstance(hp, Namespace):
        hp = hp.values
    if isinstance(hp, dict):
        return AttributeDict(hp)
    return PlainUnknown("save_hyperparameters() given a value cnnlint does not model", site)
