"""What torch's values are to Python: stand-ins for ``isinstance`` against Python's own classes, and the
names ``dir(torch.nn)`` and ``dir(torch.nn.functional)`` certainly hold (evaluator/library/pytypes.py)."""

from __future__ import annotations

from typing import Optional

from ...evaluator.library.pytypes import stand_in_class
from ...evaluator.values import Ref
from ...graph import Tensor
from ..base import LayerObject
from .layers import NN_FUNCTIONAL, TORCH
from .models import ModuleContainer, torch_name

#: real classes whose instances have the protocol methods torch's have (``isinstance(m, Iterable)``)
STAND_INS = {name: stand_in_class(name, methods) for name, methods in (
    ("Module", ("__call__",)), ("Sequential", ("__call__", "__iter__", "__len__")),
    ("ModuleList", ("__call__", "__iter__", "__len__")),
    ("ModuleDict", ("__call__", "__iter__", "__len__", "__contains__")),
    ("ParameterList", ("__call__", "__iter__", "__len__")),
    ("ParameterDict", ("__call__", "__iter__", "__len__", "__contains__")),
    ("Tensor", ("__iter__", "__len__", "__contains__")))}


def stand_in(value):
    """A torch class (a class) or module or tensor (an instance) as a real object of its Python types."""
    if isinstance(value, Ref):
        space, name = torch_name(value.qualname)
        if space == "torch" and name == "Tensor":
            return STAND_INS["Tensor"]
        if space == "nn" and (name in TORCH or name in STAND_INS):
            return STAND_INS.get(name, STAND_INS["Module"])
        return None
    if isinstance(value, Tensor):
        return STAND_INS["Tensor"]()
    if isinstance(value, ModuleContainer):
        return STAND_INS[value.kind]()
    if isinstance(value, LayerObject):
        return STAND_INS["Module"]()
    return None


def names_of(value) -> Optional[frozenset]:
    """What ``dir(torch.nn.functional)`` / ``dir(torch.nn)`` hold among the names cnnlint models."""
    if isinstance(value, Ref) and value.qualname == "torch.nn.functional":
        return NN_FUNCTIONAL
    if isinstance(value, Ref) and value.qualname == "torch.nn":
        return frozenset(TORCH.builders) | (frozenset(STAND_INS) - {"Tensor"})
    return None
