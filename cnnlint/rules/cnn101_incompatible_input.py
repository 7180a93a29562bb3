from ..graph import ProblemKind
from .base import ProblemRule


class IncompatibleInput(ProblemRule):
    """A layer receives channels, features or a rank that disagree with what it declares."""

    code = "CNN101"
    name = "incompatible-input"
    severity = "error"
    summary = "a layer's input disagrees with what the layer declares"
    problem_kind = ProblemKind.MISMATCH
