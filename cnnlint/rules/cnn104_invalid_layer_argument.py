from ..graph import ProblemKind
from .base import ProblemRule


class InvalidLayerArgument(ProblemRule):
    """A layer is constructed with arguments the framework rejects (a stride of 0, a negative kernel...)."""

    code = "CNN104"
    name = "invalid-layer-argument"
    severity = "error"
    summary = "a layer argument the framework rejects"
    problem_kind = ProblemKind.INVALID_ARGUMENT
