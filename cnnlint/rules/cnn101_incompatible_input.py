from ..engine.implied import declared_sizes
from ..fixes import UNSAFE, Fix
from ..graph import ProblemKind
from .base import ProblemRule
from .hints import channels_first_input, flattened_batch, previous_recurrent


class IncompatibleInput(ProblemRule):
    """A layer receives channels, features or a rank that disagree with what it declares.

    Where the layer declares its input size as a number written at its own
    call (``nn.Linear(16 * 5 * 5, 120)``), the fix writes the size it receives
    in the same form; unsafe, since the weights change shape.
    """

    code = "CNN101"
    name = "incompatible-input"
    severity = "error"
    summary = "a layer's input disagrees with what the layer declares"
    problem_kind = ProblemKind.MISMATCH

    def cause(self, model, node) -> str:
        return previous_recurrent(node) or flattened_batch(node) or channels_first_input(model)

    def check(self, model, ctx):
        for finding, node, fact in self.findings(model):
            plan = _fix(model, node, fact)
            if plan is not None and plan.reason:
                finding.message += f"; no automatic fix: {plan.reason}"
            finding.fix = plan
            yield finding


def _fix(model, node, fact):
    """The edit setting the declared input size to the size received, or why there is none."""
    from ..fixes.edits import is_literal, set_size, source_of  # LibCST: not for cached runs

    arguments = node.layer.arguments
    parameter = arguments.declared_input if arguments is not None else None
    if parameter is None or fact.received is None or not isinstance(fact.received[0], int):
        return None  # not a declared size this rule can rewrite
    got, factors = fact.received
    title = f"Set {parameter} to {got}"
    groups = getattr(node.layer, "groups", 1)
    if groups != 1:
        return Fix.unavailable(title, UNSAFE, f"groups={groups} must divide {parameter} too")
    argument = arguments.get(parameter)
    if argument is None:
        why = ("the layer's arguments are forwarded (*args, **kwargs or a partial)" if not arguments.faithful
               else f"{parameter} is not written at the layer's call")
        return Fix.unavailable(title, UNSAFE, why)
    if not is_literal(argument.value):
        return Fix.unavailable(title, UNSAFE, f"{parameter} is `{source_of(argument.value)}`, computed elsewhere "
                                              f"(a helper's parameter or a loop variable); change it where it is set")
    for other in model.nodes:
        if other is not node and other.site is node.site and _received(other) != got:
            return Fix.unavailable(title, UNSAFE, "the layer at this line is built or applied more than once with "
                                                  "inputs of different or unknown sizes (a loop or a helper)")
    return Fix(title, UNSAFE, set_size(argument.value, got, factors))


def _received(node):
    """The size a node's declared input is compared with: the mismatch's, else the declared size it matched."""
    for fact in node.facts:
        if getattr(fact, "received", None) is not None:
            return fact.received[0]
    sizes = [c.got for c in declared_sizes(node)]
    return sizes[0] if len(sizes) == 1 and isinstance(sizes[0], int) else None
